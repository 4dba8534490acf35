//! The Rhythm-of-the-Business scorecard (SPEC §3.7), built in one place:
//! [`kpis`] gathers the KPIs each metric family gives (attainment, pipeline,
//! partners, revenue, penetration, contacts, NSAT, kpis.csv) into long form
//! — one row per member (sorted by id), then the team, per KPI and period,
//! with its target and status — and [`no_data`] says which families had no
//! table. The rest renders them: the `scorecard` table, the
//! one-row-per-member summary (columns from [`KpiId::headline`]), the team
//! block of the screen, the NSAT trend line and the reconciliation of won
//! revenue (members' + unassigned = total).

use std::collections::BTreeMap;

use crate::calendar::Period;
use crate::ingest::KpiValue;
use crate::num::Rational;
use crate::report::{Cell, Table};

use super::attainment::Attainment;
use super::contacts::ContactCounts;
use super::kpi::{Headline, Kpi, KpiId, KpiName, Screen, Value};
use super::lines::LineStats;
use super::nsat::NsatKpi;
use super::penetration::FiguresOf;
use super::pipeline::PipelineRow;
use super::{contacts, nsat, partners, penetration, pipeline, row_head, Context};

/// The reconciliation of won revenue in the YTD window, in cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reconciliation {
    pub won: i64,
    pub assigned: i64,
    /// Won revenue on owners outside the roster, summed on its own.
    pub unassigned: i64,
}

impl Reconciliation {
    /// Won revenue on owners outside the roster.
    pub fn unassigned(&self) -> i64 {
        self.unassigned
    }

    /// True when total = members + unassigned, to the cent.
    pub fn reconciles(&self) -> bool {
        self.won == self.assigned + self.unassigned
    }
}

/// What the scorecard is built from: each family's figures; `None` where
/// the family's table is missing ("no data").
pub struct Families<'a> {
    pub attainment: &'a Attainment,
    pub pipeline: &'a [PipelineRow],
    /// The forecast, when the opportunities carry forecast categories.
    pub forecast: Option<&'a [super::forecast::ForecastRow]>,
    pub stats_by_owner: &'a BTreeMap<String, LineStats>,
    pub team_stats: &'a LineStats,
    pub reconciliation: Reconciliation,
    /// True unless the opportunities lack a partner column.
    pub partner_column: bool,
    pub penetration: Option<&'a FiguresOf<'a>>,
    pub contacts: Option<&'a ContactCounts>,
    pub nsat: Option<&'a BTreeMap<Option<String>, NsatKpi>>,
    /// kpis.csv.
    pub reported: Option<&'a [KpiValue]>,
}

/// Every KPI row of the scorecard: the families in order, then rows by
/// member (as the context orders them), the team last; within a member,
/// in the order the families give them.
pub fn kpis(ctx: &Context, f: &Families) -> Vec<Kpi> {
    let mut out = f.attainment.kpis(ctx);
    out.extend(pipeline::kpis(ctx, f.pipeline));
    if let Some(rows) = f.forecast {
        out.extend(super::forecast::kpis(ctx, rows));
    }
    out.extend(partners::kpis(
        ctx,
        f.stats_by_owner,
        f.team_stats,
        f.partner_column,
    ));
    out.extend(revenue(
        ctx,
        f.stats_by_owner,
        f.team_stats,
        f.reconciliation,
    ));
    if let Some(p) = f.penetration {
        out.extend(penetration::kpis(ctx, p));
    }
    if let Some(c) = f.contacts {
        out.extend(contacts::kpis(ctx, c));
    }
    if let Some(n) = f.nsat {
        out.extend(nsat::kpis(ctx, n));
    }
    if let Some(r) = f.reported {
        out.extend(reported(ctx, r));
    }
    let order: Vec<Option<&str>> = ctx.rows().map(|m| m.map(|m| m.id.as_str())).collect();
    let rank = |k: &Kpi| {
        let id = k.member.as_ref().map(|m| m.id.as_str());
        order.iter().position(|o| *o == id).unwrap_or(order.len())
    };
    out.sort_by_key(rank);
    out
}

/// Which tables a scorecard had, for its "no data" notes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Present {
    pub partner_column: bool,
    pub accounts: bool,
    pub contacts: bool,
    pub nsat: bool,
    pub kpis: bool,
}

/// The "no data" notes of the families whose tables are missing.
pub fn no_data(p: Present) -> Vec<String> {
    let missing = |files: &[(bool, &str)]| {
        files
            .iter()
            .filter(|(there, _)| !there)
            .map(|(_, f)| *f)
            .collect::<Vec<_>>()
            .join(", no ")
    };
    let mut out = Vec::new();
    if !p.partner_column {
        out.push(format!(
            "partner attach: {} (map [columns.opportunities] partner_id)",
            partners::NO_PARTNER_COLUMN
        ));
    }
    if !p.accounts {
        out.push("penetration and new products: no data (no accounts.csv)".to_string());
    }
    if !(p.accounts && p.contacts) {
        out.push(format!(
            "contact growth and executive contacts: no data (no {})",
            missing(&[(p.accounts, "accounts.csv"), (p.contacts, "contacts.csv")])
        ));
    }
    if !(p.accounts && p.nsat) {
        out.push(format!(
            "NSAT: no data (no {})",
            missing(&[(p.accounts, "accounts.csv"), (p.nsat, "nsat.csv")])
        ));
    }
    if !p.kpis {
        out.push("other KPIs: no data (no kpis.csv)".to_string());
    }
    out
}

/// Won revenue in the YTD window per row, and the team's unassigned.
fn revenue(
    ctx: &Context,
    by_owner: &BTreeMap<String, LineStats>,
    team: &LineStats,
    rec: Reconciliation,
) -> Vec<Kpi> {
    let mut out = Vec::new();
    for who in ctx.rows() {
        let s = match who {
            Some(m) => by_owner.get(&m.id).copied().unwrap_or_default(),
            None => *team,
        };
        out.push(Kpi::of(
            ctx,
            who,
            KpiId::WonRevenue,
            Period::Ytd,
            Value::Money(Some(Rational::from_cents(s.won_cents))),
        ));
        if who.is_none() {
            // Revenue of no member: said, never judged.
            let mut k = Kpi::of(
                ctx,
                None,
                KpiId::UnassignedRevenue,
                Period::Ytd,
                Value::Money(Some(Rational::from_cents(rec.unassigned()))),
            );
            k.status = None;
            out.push(k);
        }
    }
    out
}

/// The scorecard rows of kpis.csv (the reported year; members in scope and
/// the team), each with its target and status, by KPI name and period.
fn reported(ctx: &Context, values: &[KpiValue]) -> Vec<Kpi> {
    let mut out = Vec::new();
    for who in ctx.rows() {
        let id = who.map(|m| m.id.as_str());
        let mut mine: Vec<&KpiValue> = values
            .iter()
            .filter(|v| v.fiscal_year == ctx.fy.year && v.member_id.as_deref() == id)
            .collect();
        mine.sort_by_key(|v| (v.kpi.to_lowercase(), period_rank(v.period)));
        for v in mine {
            let value = if v.percent {
                Value::Percent(Some(v.value))
            } else {
                Value::Ratio(Some(v.value))
            };
            out.push(Kpi::new(
                ctx,
                who,
                KpiName::Reported(v.kpi.clone()),
                v.period,
                value,
                None,
                false,
            ));
        }
    }
    out
}

/// Periods in SPEC §6's order: Q1–Q4, YTD, FY (months after their quarter).
fn period_rank(p: Period) -> (u32, u32) {
    match p {
        Period::Month(m) => ((m - 1) / 3 + 1, m),
        Period::Quarter(q) => (q, 0),
        Period::Ytd => (5, 0),
        Period::Year => (6, 0),
    }
}

/// The `scorecard` table (SPEC §6) with the extra columns `category` and
/// `note`.
pub fn table(ctx: &Context, kpis: &[Kpi]) -> Table {
    let mut t = Table::new(
        "scorecard",
        "Scorecard",
        &[
            "scope",
            "member_id",
            "name",
            "kpi",
            "period",
            "value",
            "target",
            "status",
            "category",
            "note",
        ],
    );
    for k in kpis {
        let mut row = row_head(k.member.as_ref(), &ctx.team_name);
        let target = match (k.target, k.value) {
            (None, _) => Cell::Missing,
            (Some(v), Value::Ratio(_)) => Cell::Ratio(v),
            (Some(v), Value::Money(_)) => Cell::Money(v),
            (Some(v), Value::Count(_)) => Cell::Ratio(v),
            (Some(v), Value::Percent(_)) => Cell::Percent(v),
        };
        row.extend([
            Cell::text(k.name.as_str()),
            Cell::text(k.period.label()),
            k.value.cell(),
            target,
            Cell::status(k.status),
            k.category.as_ref().map_or(Cell::Missing, Cell::text),
            k.note.as_ref().map_or(Cell::Missing, Cell::text),
        ]);
        t.push(row);
    }
    t
}

/// The KPIs of the summary, in column order, with their columns.
fn headlines(screen: Option<Screen>) -> Vec<(KpiId, Headline)> {
    KpiId::ALL
        .iter()
        .filter_map(|k| k.headline().map(|h| (*k, h)))
        .filter(|(_, h)| screen.is_none_or(|s| h.screen == s))
        .collect()
}

/// One row per member and the team: the headline KPIs side by side
/// (`scorecard_summary`, for CSV, JSON and --out-dir).
pub fn summary(ctx: &Context, att: &Attainment, kpis: &[Kpi]) -> Table {
    summary_of(
        ctx,
        att,
        kpis,
        "scorecard_summary",
        "Scorecard summary",
        &headlines(None),
    )
}

/// The summary in two narrower tables for the screen: quota and pipeline,
/// then breadth and satisfaction.
pub fn summary_screen(ctx: &Context, att: &Attainment, kpis: &[Kpi]) -> [Table; 2] {
    [
        summary_of(
            ctx,
            att,
            kpis,
            "scorecard_summary",
            "Scorecard summary: quota and pipeline",
            &headlines(Some(Screen::Quota)),
        ),
        summary_of(
            ctx,
            att,
            kpis,
            "scorecard_breadth",
            "Scorecard summary: breadth and satisfaction",
            &headlines(Some(Screen::Breadth)),
        ),
    ]
}

fn summary_of(
    ctx: &Context,
    att: &Attainment,
    kpis: &[Kpi],
    name: &str,
    title: &str,
    items: &[(KpiId, Headline)],
) -> Table {
    let total = att.total_category().to_string();
    let mut columns = vec!["scope", "member_id", "name"];
    for (_, h) in items {
        columns.extend([h.value_column, h.status_column]);
    }
    let mut t = Table::new(name, title, &columns);
    for who in ctx.rows() {
        let id = who.map(|m| m.id.as_str());
        let mut row = row_head(who, &ctx.team_name);
        for (kpi, h) in items {
            let cat = h.total_category.then_some(total.as_str());
            let k = kpis.iter().find(|k| {
                k.member.as_ref().map(|m| m.id.as_str()) == id
                    && k.name.is(*kpi)
                    && k.period == h.period
                    && k.category.as_deref() == cat
            });
            match k {
                Some(k) => row.extend([k.value.cell(), Cell::status(k.status)]),
                None => row.extend([Cell::Missing, Cell::Missing]),
            }
        }
        t.push(row);
    }
    t
}

/// The team's NSAT trend over the quarters shown, for the screen:
/// `NSAT trend, team, FY2011-Q4 to FY2013-Q3: ▁▆▄▅▃▂█▅  (84 → 127)`.
pub fn trend_note(trend: &nsat::Trend) -> Option<String> {
    let shown = trend.quarters.len().saturating_sub(nsat::SHOWN);
    let points: Vec<Option<f64>> = trend.tallies.team[shown..]
        .iter()
        .map(|t| t.nsat().map(|v| v.round_units(2) as f64 / 100.0))
        .collect();
    let whole = |i: usize| {
        trend.tallies.team[i]
            .nsat()
            .map_or("n/a".to_string(), |v| v.to_fixed(0))
    };
    let (first, end) = (trend.quarters.get(shown)?, trend.quarters.last()?);
    Some(format!(
        "NSAT trend, team, {} to {}: {}  ({} → {})",
        first.label,
        end.label,
        sparkline(&points),
        whole(shown),
        whole(trend.quarters.len() - 1)
    ))
}

/// A sparkline of values (`▁▂▃▄▅▆▇█`, a space for a missing one), scaled
/// from the lowest to the highest present value.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let (lo, hi) = present
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if hi <= lo => BARS[3],
            Some(v) => {
                let i = ((v - lo) / (hi - lo) * 7.0).round() as usize;
                BARS[i.min(7)]
            }
        })
        .collect()
}

/// The team block of the screen: every team KPI of the total category (or
/// of none), one row each with period, value, target and status — the
/// commitments a manager reviews first.
pub fn team_block(ctx: &Context, att: &Attainment, kpis: &[Kpi]) -> Table {
    let total = att.total_category();
    let mut t = Table::new(
        "scorecard_team",
        &format!("Team KPIs: {}", ctx.team_name),
        &["kpi", "period", "value", "target", "status"],
    );
    // members_at_quota_count is said beside the share: "50.00% (4 of 8)".
    let count_of = |period: Period| {
        kpis.iter()
            .find(|c| {
                c.member.is_none() && c.name.is(KpiId::MembersAtQuotaCount) && c.period == period
            })
            .and_then(|c| c.value.number())
    };
    for k in kpis.iter().filter(|k| {
        k.member.is_none()
            && !k.name.is(KpiId::MembersAtQuotaCount)
            && k.category.as_deref().is_none_or(|c| c == total)
    }) {
        let with = att
            .get(None, total, k.period)
            .and_then(|r| r.at_quota)
            .map(|(with, _)| with);
        let value = match (
            k.name.is(KpiId::MembersAtQuota),
            count_of(k.period),
            with,
            k.value.number(),
        ) {
            (true, Some(n), Some(with), Some(share)) => Cell::text(format!(
                "{}% ({} of {with})",
                share.to_fixed(2),
                n.to_fixed(0)
            )),
            _ => k.value.cell(),
        };
        t.push(vec![
            Cell::text(k.name.as_str()),
            Cell::text(k.period.label()),
            value,
            k.target.map_or(Cell::Missing, Cell::Ratio),
            Cell::status(k.status),
        ]);
    }
    t
}

/// The reconciliation table: won revenue in the YTD window, members' and
/// unassigned.
pub fn reconciliation_table(rec: Reconciliation) -> Table {
    let mut t = Table::new(
        "reconciliation",
        "Reconciliation of won revenue (YTD)",
        &["won_revenue", "assigned_to_members", "unassigned"],
    );
    t.push(vec![
        Cell::Money(Rational::from_cents(rec.won)),
        Cell::Money(Rational::from_cents(rec.assigned)),
        Cell::Money(Rational::from_cents(rec.unassigned())),
    ]);
    t
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn sparkline_bars_scale_between_lowest_and_highest() {
        assert_eq!(
            sparkline(&[Some(100.0), Some(150.0), None, Some(200.0)]),
            "▁▅ █"
        );
        assert_eq!(sparkline(&[Some(120.0), Some(120.0)]), "▄▄");
        assert_eq!(sparkline(&[None, None]), "  ");
        assert_eq!(sparkline(&[]), "");
    }
}
