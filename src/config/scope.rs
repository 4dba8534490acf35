//! The scope of a run (SPEC §4): `--team`, `--member` (members) and
//! `--territory`, `--vertical`, `--segment` (accounts), and their checks
//! against the roster and accounts.csv: a value that matches nothing is an
//! error naming the known values (or the closest id), never an empty report.

use anyhow::{bail, Result};

/// Which members and accounts a run covers (SPEC §4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// `--team` values (a member's `team` column), empty for all.
    pub teams: Vec<String>,
    /// `--member` ids, empty for all.
    pub members: Vec<String>,
    /// `--territory`, `--vertical`, `--segment` values (accounts.csv),
    /// empty for all accounts.
    pub territories: Vec<String>,
    pub verticals: Vec<String>,
    pub segments: Vec<String>,
}

impl Scope {
    /// True when no filter is set.
    pub fn is_all(&self) -> bool {
        self.teams.is_empty() && self.members.is_empty() && !self.filters_accounts()
    }

    /// True when the run covers only some accounts.
    pub fn filters_accounts(&self) -> bool {
        !(self.territories.is_empty() && self.verticals.is_empty() && self.segments.is_empty())
    }
}

/// A roster member as the scope sees it.
pub struct Person<'a> {
    pub id: &'a str,
    pub team: Option<&'a str>,
}

/// An account as the scope sees it.
pub struct Place<'a> {
    pub id: &'a str,
    pub territory: Option<&'a str>,
    pub vertical: Option<&'a str>,
    pub segment: Option<&'a str>,
}

/// Values match as people type them: case and outer spaces aside.
fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl Scope {
    /// The indexes of the roster's members in scope: every `--member` must
    /// be an id of the roster and every `--team` some member's team; the
    /// flags together must keep someone.
    pub fn members(&self, roster: &[Person]) -> Result<Vec<usize>> {
        for id in &self.members {
            if !roster.iter().any(|m| m.id == id) {
                let near = roster
                    .iter()
                    .map(|m| {
                        (
                            strsim::jaro_winkler(&m.id.to_lowercase(), &id.to_lowercase()),
                            m.id,
                        )
                    })
                    .filter(|(s, _)| *s > 0.7)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, m)| format!(" (closest: {m})"))
                    .unwrap_or_default();
                let ids: Vec<&str> = roster.iter().map(|m| m.id).take(20).collect();
                let more = if roster.len() > 20 { ", …" } else { "" };
                bail!(
                    "--member {id} is not in the roster{near}\nhelp: the roster's ids are: {}{more}",
                    ids.join(", ")
                );
            }
        }
        for t in &self.teams {
            if !roster.iter().any(|m| m.team.is_some_and(|x| same(x, t))) {
                let mut teams: Vec<&str> = roster.iter().filter_map(|m| m.team).collect();
                teams.sort();
                teams.dedup();
                bail!(
                    "--team {t} matches no member's team\nhelp: the roster's teams are: {}",
                    if teams.is_empty() {
                        "(none: members.csv has no team column)".to_string()
                    } else {
                        teams.join(", ")
                    }
                );
            }
        }
        let kept: Vec<usize> = roster
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                (self.teams.is_empty()
                    || m.team
                        .is_some_and(|t| self.teams.iter().any(|x| same(x, t))))
                    && (self.members.is_empty() || self.members.iter().any(|x| x == m.id))
            })
            .map(|(i, _)| i)
            .collect();
        if kept.is_empty() && !roster.is_empty() {
            bail!(
                "no member matches the scope ({})\nhelp: --team and --member together keep the members that match both; check the roster with `atu validate`",
                [
                    self.teams.iter().map(|t| format!("--team {t}")).collect::<Vec<_>>(),
                    self.members.iter().map(|m| format!("--member {m}")).collect(),
                ]
                .concat()
                .join(" ")
            );
        }
        Ok(kept)
    }

    /// The accounts that `--territory`, `--vertical` and `--segment` keep
    /// (several values of one flag are alternatives, several flags must all
    /// hold), with the filter in words; `None` when no such flag is given.
    pub fn accounts(&self, accounts: Option<&[Place]>) -> Result<Option<(Vec<String>, String)>> {
        if !self.filters_accounts() {
            return Ok(None);
        }
        let Some(accounts) = accounts else {
            bail!(
                "--territory, --vertical and --segment need accounts.csv (each account's territory, vertical and segment)\nhelp: put accounts.csv in the data folder, or point [files] accounts in atu.toml at the export"
            );
        };
        type Field = for<'a> fn(&Place<'a>) -> Option<&'a str>;
        let fields: [(&str, &Vec<String>, Field); 3] = [
            ("territory", &self.territories, |a| a.territory),
            ("vertical", &self.verticals, |a| a.vertical),
            ("segment", &self.segments, |a| a.segment),
        ];
        let mut words = Vec::new();
        for (flag, wanted, field) in &fields {
            if wanted.is_empty() {
                continue;
            }
            for w in wanted.iter() {
                if !accounts
                    .iter()
                    .any(|a| field(a).is_some_and(|v| same(v, w)))
                {
                    let mut known: Vec<&str> = accounts.iter().filter_map(field).collect();
                    known.sort();
                    known.dedup();
                    bail!(
                        "--{flag} {w} matches no account\nhelp: the {flag} values of accounts.csv are: {}",
                        if known.is_empty() {
                            format!("(none: accounts.csv has no {flag} column)")
                        } else {
                            known.join(", ")
                        }
                    );
                }
            }
            words.push(format!("{flag} {}", wanted.join(" or ")));
        }
        let ids: Vec<String> = accounts
            .iter()
            .filter(|a| {
                fields.iter().all(|(_, wanted, field)| {
                    wanted.is_empty() || field(a).is_some_and(|v| wanted.iter().any(|w| same(v, w)))
                })
            })
            .map(|a| a.id.to_string())
            .collect();
        if ids.is_empty() {
            bail!(
                "no account matches {}\nhelp: several flags keep the accounts that match them all",
                words.join(" and ")
            );
        }
        Ok(Some((ids, words.join(" and "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster() -> Vec<Person<'static>> {
        vec![
            Person {
                id: "M1",
                team: Some("ATU West"),
            },
            Person {
                id: "M2",
                team: Some("atu west "),
            },
            Person {
                id: "M3",
                team: Some("East"),
            },
        ]
    }

    #[test]
    fn members_by_team_and_id() {
        let scope = |teams: &[&str], members: &[&str]| Scope {
            teams: teams.iter().map(|s| s.to_string()).collect(),
            members: members.iter().map(|s| s.to_string()).collect(),
            ..Scope::default()
        };
        assert_eq!(scope(&[], &[]).members(&roster()).unwrap(), vec![0, 1, 2]);
        assert_eq!(
            scope(&["ATU WEST"], &[]).members(&roster()).unwrap(),
            vec![0, 1]
        );
        assert_eq!(
            scope(&["ATU West"], &["M2"]).members(&roster()).unwrap(),
            vec![1]
        );
        let err = |s: Scope| s.members(&roster()).unwrap_err().to_string();
        assert!(err(scope(&[], &["M9"])).starts_with("--member M9 is not in the roster"));
        assert_eq!(
            err(scope(&["North"], &[])),
            "--team North matches no member's team\nhelp: the roster's teams are: ATU West, East, atu west "
        );
        assert!(err(scope(&["East"], &["M1"]))
            .starts_with("no member matches the scope (--team East --member M1)"));
    }

    #[test]
    fn accounts_by_every_flag() {
        let places = [
            Place {
                id: "A1",
                territory: Some("West"),
                vertical: Some("Retail"),
                segment: None,
            },
            Place {
                id: "A2",
                territory: Some("East"),
                vertical: Some("Retail"),
                segment: None,
            },
        ];
        let scope = Scope {
            territories: vec!["west".into(), "East".into()],
            verticals: vec!["retail".into()],
            ..Scope::default()
        };
        let (ids, words) = scope.accounts(Some(&places)).unwrap().unwrap();
        assert_eq!(ids, vec!["A1", "A2"]);
        assert_eq!(words, "territory west or East and vertical retail");
        assert!(Scope::default().accounts(None).unwrap().is_none());
        assert!(scope
            .accounts(None)
            .unwrap_err()
            .to_string()
            .contains("need accounts.csv"));
        let seg = Scope {
            segments: vec!["SMB".into()],
            ..Scope::default()
        };
        assert!(seg
            .accounts(Some(&places))
            .unwrap_err()
            .to_string()
            .contains("(none: accounts.csv has no segment column)"));
    }
}
