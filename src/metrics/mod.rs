//! Metrics: pure functions from the validated dataset and a [`Context`]
//! (fiscal year, cut-off D, members in scope, targets) to report tables. One
//! file per metric family; `lines` holds the only polars aggregations over
//! opportunity lines, which return small per-owner results.

pub mod attainment;
pub mod contacts;
pub mod forecast;
pub mod frames;
pub mod kpi;
pub mod lines;
pub mod nsat;
pub mod partners;
pub mod penetration;
pub mod pipeline;
pub mod scorecard;
pub mod status;
pub mod whitespace;

use chrono::NaiveDate;

use crate::calendar::FiscalYear;
use crate::config::scope::{Person, Place};
use crate::config::{Settings, Targets, Thresholds};
use crate::ingest::Member;

/// What every metric needs to know about the run.
#[derive(Clone, Debug)]
pub struct Context {
    /// The fiscal year reported.
    pub fy: FiscalYear,
    /// D = min(as-of, last day of the year).
    pub cutoff: NaiveDate,
    /// `--as-of`.
    pub as_of: NaiveDate,
    /// Members in scope, sorted by id.
    pub members: Vec<Member>,
    /// Every roster id (to tell unassigned owners apart).
    pub roster: Vec<String>,
    /// The team's name in team rows.
    pub team_name: String,
    /// Targets and thresholds for statuses.
    pub targets: Targets,
    pub thresholds: Thresholds,
    /// The scope in words.
    pub scope_label: String,
    /// With `--territory`, `--vertical` or `--segment`: the accounts in
    /// scope (revenue lines on other accounts are left out).
    pub accounts: Option<Vec<String>>,
    /// The account filter in words, with its counts, when there is one
    /// (part of `scope_label`).
    pub accounts_said: Option<String>,
}

impl Context {
    /// True when the run covers every roster member (no scope filter
    /// left anyone out).
    pub fn is_whole_team(&self) -> bool {
        self.members.len() == self.roster.len() && self.accounts.is_none()
    }

    /// Builds the context from settings and the roster.
    pub fn new(
        settings: &Settings,
        roster: &[Member],
        accounts: Option<&[crate::ingest::Account]>,
        currency: Option<&str>,
    ) -> anyhow::Result<Context> {
        let scope = &settings.scope;
        let people: Vec<Person> = roster
            .iter()
            .map(|m| Person {
                id: &m.id,
                team: m.team.as_deref(),
            })
            .collect();
        let places: Option<Vec<Place>> = accounts.map(|a| {
            a.iter()
                .map(|a| Place {
                    id: &a.id,
                    territory: a.territory.as_deref(),
                    vertical: a.vertical.as_deref(),
                    segment: a.segment.as_deref(),
                })
                .collect()
        });
        let account_scope = scope.accounts(places.as_deref())?;
        let members: Vec<Member> = scope
            .members(&people)?
            .into_iter()
            .map(|i| roster[i].clone())
            .collect();
        let team_name = team_name(settings.team_name.as_deref(), &scope.teams, &members);
        let mut label = Vec::new();
        if scope.is_all() {
            label.push(format!("team {team_name} ({} members)", members.len()));
        } else {
            if !scope.teams.is_empty() {
                label.push(format!("team {}", scope.teams.join(", ")));
            }
            if !scope.members.is_empty() {
                label.push(format!("member {}", scope.members.join(", ")));
            }
            label.push(format!("{} of {} members", members.len(), roster.len()));
        }
        let accounts_said = account_scope.as_ref().map(|(ids, words)| {
            format!(
                "{words}: {} of {} accounts (figures cover these accounts only; attainment against quotas is partial)",
                ids.len(),
                accounts.map_or(0, |a| a.len())
            )
        });
        label.push(
            accounts_said
                .clone()
                .unwrap_or_else(|| "all accounts".to_string()),
        );
        // Converted amounts say their currency (SPEC §3.6a).
        if let Some(c) = currency {
            label.push(format!("amounts in {c}"));
        }
        Ok(Context {
            fy: settings.fy,
            cutoff: settings.cutoff,
            as_of: settings.as_of,
            roster: roster.iter().map(|m| m.id.clone()).collect(),
            members,
            team_name,
            targets: settings.targets.clone(),
            thresholds: settings.thresholds,
            scope_label: label.join(", "),
            accounts: account_scope.map(|(ids, _)| ids),
            accounts_said,
        })
    }

    /// The members in scope, then `None` for the team: the row order of
    /// every table.
    pub fn rows(&self) -> impl Iterator<Item = Option<&Member>> {
        self.members.iter().map(Some).chain(std::iter::once(None))
    }

    /// Ids of the members in scope.
    pub fn member_ids(&self) -> Vec<String> {
        self.members.iter().map(|m| m.id.clone()).collect()
    }
}

/// The name of team rows (SPEC §6): `team_name` in atu.toml, else
/// `--team`'s value (one `--team`, as the roster spells it), else the one
/// `team` value that every member in scope shares in members.csv (case and
/// outer spaces aside, written as the first member spells it), else `Team`.
fn team_name(configured: Option<&str>, teams: &[String], members: &[Member]) -> String {
    if let Some(name) = configured {
        return name.to_string();
    }
    let key = |m: &Member| {
        m.team
            .as_deref()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
    };
    if let [one] = teams {
        // As the roster spells it (`--team "atu south"` matches `ATU South`).
        let want = one.trim().to_lowercase();
        return members
            .iter()
            .find(|m| key(m).as_deref() == Some(want.as_str()))
            .and_then(|m| m.team.as_deref())
            .unwrap_or(one)
            .trim()
            .to_string();
    }
    match members.first().and_then(key) {
        Some(first)
            if members
                .iter()
                .all(|m| key(m).as_deref() == Some(first.as_str())) =>
        {
            members
                .first()
                .and_then(|m| m.team.as_deref())
                .map_or_else(|| "Team".to_string(), |t| t.trim().to_string())
        }
        _ => "Team".to_string(),
    }
}

/// Whom an account of accounts.csv counts for under the run's scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder<'a> {
    /// In account scope and owned by this member in scope: the team's.
    Member(&'a str),
    /// In account scope with no owner at all: its rows count for nobody,
    /// to be warned.
    Unowned,
    /// Out of account scope, or owned by someone not in scope: nobody.
    Nobody,
}

/// Each account's [`Holder`], by position in `accounts` (the code that
/// contacts and survey responses carry).
pub fn holders<'a>(ctx: &Context, accounts: &'a [crate::ingest::Account]) -> Vec<Holder<'a>> {
    let members: polars::prelude::PlHashSet<&str> =
        ctx.members.iter().map(|m| m.id.as_str()).collect();
    let scope: Option<polars::prelude::PlHashSet<&str>> = ctx
        .accounts
        .as_ref()
        .map(|ids| ids.iter().map(String::as_str).collect());
    accounts
        .iter()
        .map(|a| {
            if scope
                .as_ref()
                .is_some_and(|ids| !ids.contains(a.id.as_str()))
            {
                return Holder::Nobody;
            }
            match a.owner_id.as_deref() {
                Some(o) if members.contains(o) => Holder::Member(o),
                Some(_) => Holder::Nobody,
                None => Holder::Unowned,
            }
        })
        .collect()
}

/// The `scope`, `member_id` and `name` cells that start every row.
pub fn row_head(member: Option<&Member>, team_name: &str) -> Vec<crate::report::Cell> {
    use crate::report::Cell;
    match member {
        Some(m) => vec![Cell::text("member"), Cell::text(&m.id), Cell::text(&m.name)],
        None => vec![Cell::text("team"), Cell::Missing, Cell::text(team_name)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, team: Option<&str>) -> Member {
        Member {
            id: id.to_string(),
            name: id.to_string(),
            role: None,
            team: team.map(str::to_string),
            manager_id: None,
        }
    }

    #[test]
    fn team_rows_are_named_by_config_then_flag_then_the_shared_team() {
        let west = [member("M1", Some("West")), member("M2", Some(" west "))];
        let mixed = [member("M1", Some("West")), member("M2", Some("East"))];
        let blank = [member("M1", Some("West")), member("M2", None)];
        let teams = ["East".to_string()];
        // atu.toml's team_name wins over everything.
        assert_eq!(team_name(Some("ATU West"), &teams, &west), "ATU West");
        // Then one --team's value, as the roster spells it.
        assert_eq!(team_name(None, &teams, &mixed), "East");
        assert_eq!(team_name(None, &["west".to_string()], &west), "West");
        // Then the one team every member in scope shares (case and spaces
        // aside), as the first member writes it.
        assert_eq!(team_name(None, &[], &west), "West");
        // Else `Team`: two teams, a member without one, nobody.
        assert_eq!(team_name(None, &[], &mixed), "Team");
        assert_eq!(team_name(None, &[], &blank), "Team");
        assert_eq!(team_name(None, &[], &[]), "Team");
    }
}
