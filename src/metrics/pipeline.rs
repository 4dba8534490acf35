//! Pipeline and win rate (SPEC §3.2), over the YTD window: won and lost
//! opportunities, win rate, open pipeline up to the year's end, coverage of
//! the quota still to win, and past-due open lines counted apart as a
//! hygiene figure.

use std::collections::BTreeMap;

use crate::calendar::Period;
use crate::ingest::Member;
use crate::num::Rational;
use crate::report::{Cell, Table};

use super::attainment::Attainment;
use super::kpi::{Kpi, KpiId, Value};
use super::lines::LineStats;
use super::{row_head, Context};

/// One row's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineRow {
    pub member: Option<Member>,
    pub stats: LineStats,
    pub win_rate: Option<Rational>,
    /// FY quota − YTD actual over all categories; missing without a quota.
    pub remaining: Option<Rational>,
    pub coverage: Option<Rational>,
}

/// win_rate_pct = 100 × won / (won + lost).
pub fn win_rate(s: &LineStats) -> Option<Rational> {
    Rational::from_int(s.won as i128).percent_of(Rational::from_int((s.won + s.lost) as i128))
}

/// coverage = pipeline / (FY quota − YTD actual); missing when the quota is
/// missing or already met.
pub fn coverage(pipeline_cents: i64, remaining: Option<Rational>) -> Option<Rational> {
    let rem = remaining?;
    if rem <= Rational::ZERO {
        return None;
    }
    Rational::from_cents(pipeline_cents).checked_div(rem)
}

/// Rows per member in scope, then the team.
pub fn compute(
    ctx: &Context,
    att: &Attainment,
    by_owner: &BTreeMap<String, LineStats>,
    team: LineStats,
) -> Vec<PipelineRow> {
    let total = att.total_category().to_string();
    let remaining = |id: Option<&str>| -> Option<Rational> {
        let fy = att.get(id, &total, Period::Year)?;
        Some(fy.quota? - fy.actual.unwrap_or(Rational::ZERO))
    };
    let mut rows: Vec<PipelineRow> = ctx
        .members
        .iter()
        .map(|m| {
            let s = by_owner.get(&m.id).copied().unwrap_or_default();
            let rem = remaining(Some(&m.id));
            PipelineRow {
                member: Some(m.clone()),
                win_rate: win_rate(&s),
                remaining: rem,
                coverage: coverage(s.pipeline, rem),
                stats: s,
            }
        })
        .collect();
    let rem = remaining(None);
    rows.push(PipelineRow {
        member: None,
        win_rate: win_rate(&team),
        remaining: rem,
        coverage: coverage(team.pipeline, rem),
        stats: team,
    });
    rows
}

/// The `pipeline` table (SPEC §6) with extra columns `remaining_quota`,
/// `past_due_lines`, `past_due_amount`.
/// The scorecard's pipeline KPIs of each row: `win_rate` (YTD) and
/// `coverage` (FY).
pub fn kpis(ctx: &Context, rows: &[PipelineRow]) -> Vec<Kpi> {
    let mut out = Vec::new();
    for who in ctx.rows() {
        let id = who.map(|m| m.id.as_str());
        let Some(r) = rows
            .iter()
            .find(|r| r.member.as_ref().map(|m| m.id.as_str()) == id)
        else {
            continue;
        };
        out.push(Kpi::of(
            ctx,
            who,
            KpiId::WinRate,
            Period::Ytd,
            Value::Percent(r.win_rate),
        ));
        out.push(Kpi::of(
            ctx,
            who,
            KpiId::Coverage,
            Period::Year,
            Value::Ratio(r.coverage),
        ));
    }
    out
}

pub fn table(ctx: &Context, rows: &[PipelineRow]) -> Table {
    let mut t = Table::new(
        "pipeline",
        "Pipeline and win rate (YTD)",
        &[
            "scope",
            "member_id",
            "name",
            "won",
            "lost",
            "win_rate_pct",
            "pipeline",
            "coverage",
            "remaining_quota",
            "past_due_lines",
            "past_due_amount",
        ],
    );
    for r in rows {
        let mut row = row_head(r.member.as_ref(), &ctx.team_name);
        row.extend([
            Cell::Count(r.stats.won),
            Cell::Count(r.stats.lost),
            Cell::percent(r.win_rate),
            Cell::Money(Rational::from_cents(r.stats.pipeline)),
            Cell::ratio(r.coverage),
            Cell::money(r.remaining),
            Cell::Count(r.stats.past_due_lines),
            Cell::Money(Rational::from_cents(r.stats.past_due)),
        ]);
        t.push(row);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_rate_and_coverage() {
        let s = LineStats {
            won: 3,
            lost: 1,
            ..LineStats::default()
        };
        assert_eq!(win_rate(&s), Rational::new(75, 1));
        assert_eq!(win_rate(&LineStats::default()), None);
        // pipeline 250,000.00 against 100,000.00 still to win: 2.5
        let rem = Some(Rational::from_cents(10_000_000));
        assert_eq!(coverage(25_000_000, rem), Rational::new(5, 2));
        // quota met or missing: no coverage
        assert_eq!(coverage(25_000_000, Some(Rational::ZERO)), None);
        assert_eq!(coverage(25_000_000, Some(Rational::from_int(-5))), None);
        assert_eq!(coverage(25_000_000, None), None);
    }
}
