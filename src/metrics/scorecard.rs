//! The Rhythm-of-the-Business scorecard (SPEC §3.7) in long form: one row
//! per member (sorted by id), then the team, per KPI and period, with its
//! target and status; plus a one-row-per-member summary for the screen and
//! the reconciliation of won revenue (members' + unassigned = total).

use crate::calendar::{Period, Progress};
use crate::ingest::Member;
use crate::num::Rational;
use crate::report::{Cell, Status, Table};

use super::attainment::{Attainment, PERIODS};
use super::lines::LineStats;
use super::partners;
use super::pipeline::PipelineRow;
use super::status::status_of;
use super::{row_head, Context};

/// What a scorecard value is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Percent(Option<Rational>),
    Ratio(Option<Rational>),
    Money(Option<Rational>),
    Count(i64),
}

impl Value {
    fn number(&self) -> Option<Rational> {
        match self {
            Value::Percent(v) | Value::Ratio(v) | Value::Money(v) => *v,
            Value::Count(c) => Some(Rational::from_int(*c as i128)),
        }
    }

    fn cell(&self) -> Cell {
        match self {
            Value::Percent(v) => Cell::percent(*v),
            Value::Ratio(v) => Cell::ratio(*v),
            Value::Money(v) => Cell::money(*v),
            Value::Count(c) => Cell::Count(*c),
        }
    }
}

/// One KPI row.
#[derive(Clone, Debug, PartialEq)]
pub struct Kpi {
    pub member: Option<Member>,
    pub kpi: String,
    pub period: String,
    pub value: Value,
    pub target: Option<Rational>,
    pub status: Option<Status>,
    pub category: Option<String>,
    /// Why a figure has no status although it has a target, e.g.
    /// `low sample (3 < 10 answers)`.
    pub note: Option<String>,
}

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

/// One KPI row with its target and status (no status when `no_status`,
/// e.g. a period not started).
pub fn kpi(
    ctx: &Context,
    member: Option<&Member>,
    name: &str,
    period: &str,
    value: Value,
    category: Option<&str>,
    no_status: bool,
) -> Kpi {
    let target = ctx.targets.get(name, member.map(|m| m.id.as_str()));
    let status = if no_status {
        None
    } else {
        status_of(value.number(), target, &ctx.thresholds)
    };
    Kpi {
        member: member.cloned(),
        kpi: name.to_string(),
        period: period.to_string(),
        value,
        target,
        status,
        category: category.map(str::to_string),
        note: None,
    }
}

/// Builds every KPI row.
pub fn compute(
    ctx: &Context,
    att: &Attainment,
    pipeline: &[PipelineRow],
    stats_by_owner: &std::collections::BTreeMap<String, LineStats>,
    team_stats: &LineStats,
    rec: Reconciliation,
    partner_column: bool,
) -> Vec<Kpi> {
    let mut out = Vec::new();
    let mut cats: Vec<&str> = att.categories.iter().map(String::as_str).collect();
    if cats.len() > 1 {
        cats.push(super::attainment::ALL);
    }
    for who in ctx.rows() {
        let id = who.map(|m| m.id.as_str());
        for cat in &cats {
            for p in PERIODS {
                let Some(r) = att.get(id, cat, p) else {
                    continue;
                };
                let name = if p == Period::Ytd {
                    "pace"
                } else {
                    "attainment"
                };
                // Under an account filter the actual is part of the
                // business while the quota is all of it: no status.
                let mut k = kpi(
                    ctx,
                    who,
                    name,
                    &p.label(),
                    Value::Percent(r.pct),
                    Some(cat),
                    r.progress == Progress::NotStarted || ctx.accounts.is_some(),
                );
                if ctx.accounts.is_some() {
                    k.note = Some("partial: account filter".to_string());
                }
                out.push(k);
            }
        }
        if who.is_none() {
            let total = att.total_category();
            for p in PERIODS {
                let Some(r) = att.get(None, total, p) else {
                    continue;
                };
                let Some((with, at)) = r.at_quota else {
                    continue;
                };
                let share =
                    Rational::from_int(at as i128).percent_of(Rational::from_int(with as i128));
                out.push(kpi(
                    ctx,
                    None,
                    "members_at_quota",
                    &p.label(),
                    Value::Percent(share),
                    Some(total),
                    false,
                ));
                out.push(kpi(
                    ctx,
                    None,
                    "members_at_quota_count",
                    &p.label(),
                    Value::Count(at),
                    Some(total),
                    false,
                ));
            }
        }
        let prow = pipeline
            .iter()
            .find(|r| r.member.as_ref().map(|m| m.id.as_str()) == id);
        if let Some(pr) = prow {
            out.push(kpi(
                ctx,
                who,
                "win_rate",
                "YTD",
                Value::Percent(pr.win_rate),
                None,
                false,
            ));
            out.push(kpi(
                ctx,
                who,
                "coverage",
                "FY",
                Value::Ratio(pr.coverage),
                None,
                false,
            ));
        }
        let s = match id {
            Some(i) => stats_by_owner.get(i).copied().unwrap_or_default(),
            None => *team_stats,
        };
        let mut attach = kpi(
            ctx,
            who,
            "partner_attach",
            "YTD",
            Value::Percent(partners::attach_pct(&s, partner_column)),
            None,
            !partner_column,
        );
        if !partner_column {
            attach.note = Some(partners::NO_PARTNER_COLUMN.to_string());
        }
        out.push(attach);
        out.push(kpi(
            ctx,
            who,
            "won_revenue",
            "YTD",
            Value::Money(Some(Rational::from_cents(s.won_cents))),
            None,
            false,
        ));
        if who.is_none() {
            out.push(kpi(
                ctx,
                None,
                "unassigned_revenue",
                "YTD",
                Value::Money(Some(Rational::from_cents(rec.unassigned()))),
                None,
                true,
            ));
        }
    }
    out
}

/// The `scorecard` table (SPEC §6) with the extra column `category`.
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
            Cell::text(&k.kpi),
            Cell::text(&k.period),
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

/// The headline KPIs of the summary: (kpi, period, total category?,
/// value column, status column).
const HEADLINES: [(&str, &str, bool, &str, &str); 8] = [
    ("attainment", "FY", true, "fy_attainment_pct", "fy_status"),
    ("pace", "YTD", true, "pace_pct", "pace_status"),
    ("win_rate", "YTD", false, "win_rate_pct", "win_rate_status"),
    ("coverage", "FY", false, "coverage", "coverage_status"),
    (
        "partner_attach",
        "YTD",
        false,
        "partner_attach_pct",
        "partner_attach_status",
    ),
    (
        "penetration",
        "YTD",
        false,
        "penetration_pct",
        "penetration_status",
    ),
    (
        "contact_growth",
        "YTD",
        false,
        "contact_growth_pct",
        "contact_growth_status",
    ),
    ("nsat", "YTD", false, "nsat_ytd", "nsat_status"),
];

/// One row per member and the team: the headline KPIs side by side
/// (`scorecard_summary`, for CSV, JSON and --out-dir).
pub fn summary(ctx: &Context, att: &Attainment, kpis: &[Kpi]) -> Table {
    summary_of(
        ctx,
        att,
        kpis,
        "scorecard_summary",
        "Scorecard summary",
        &HEADLINES,
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
            &HEADLINES[..5],
        ),
        summary_of(
            ctx,
            att,
            kpis,
            "scorecard_breadth",
            "Scorecard summary: breadth and satisfaction",
            &HEADLINES[5..],
        ),
    ]
}

fn summary_of(
    ctx: &Context,
    att: &Attainment,
    kpis: &[Kpi],
    name: &str,
    title: &str,
    items: &[(&str, &str, bool, &str, &str)],
) -> Table {
    let total = att.total_category().to_string();
    let mut columns = vec!["scope", "member_id", "name"];
    for (_, _, _, value, status) in items {
        columns.extend([*value, *status]);
    }
    let mut t = Table::new(name, title, &columns);
    for who in ctx.rows() {
        let id = who.map(|m| m.id.as_str());
        let mut row = row_head(who, &ctx.team_name);
        for (kpi_name, period, in_total, _, _) in items {
            let cat = in_total.then_some(total.as_str());
            let k = kpis.iter().find(|k| {
                k.member.as_ref().map(|m| m.id.as_str()) == id
                    && k.kpi == *kpi_name
                    && k.period == *period
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

/// A row's penetration figures (member, or `None` for the team).
pub type FiguresOf<'a> = dyn Fn(Option<&Member>) -> super::penetration::Figures + 'a;

/// The breadth KPIs of each row (member or team, `None` for the team):
/// penetration and new products (SPEC §3.3), contact growth and executive
/// contacts (§3.5), as of D. `penetration` and `contacts` give a row's
/// figures, or `None` when their table is missing ("no data").
pub fn breadth(
    ctx: &Context,
    penetration: Option<&FiguresOf>,
    contacts: Option<&super::contacts::ContactCounts>,
) -> Vec<Kpi> {
    let mut out = Vec::new();
    for who in ctx.rows() {
        if let Some(f) = penetration {
            let f = f(who);
            out.push(kpi(
                ctx,
                who,
                "penetration",
                "YTD",
                Value::Percent(f.penetration_pct()),
                None,
                false,
            ));
            // Nothing to own without a catalog: no new-products figure.
            if f.catalog_size > 0 {
                out.push(kpi(
                    ctx,
                    who,
                    "new_products",
                    "YTD",
                    Value::Count(f.new_products),
                    None,
                    false,
                ));
            }
        }
        if let Some(c) = contacts {
            let counts = match who {
                Some(m) => c.by_member.get(&m.id).copied().unwrap_or_default(),
                None => c.team,
            };
            out.push(kpi(
                ctx,
                who,
                "contact_growth",
                "YTD",
                Value::Percent(counts.growth_pct()),
                None,
                false,
            ));
            out.push(kpi(
                ctx,
                who,
                "exec_contacts",
                "YTD",
                Value::Count(counts.exec_asof),
                None,
                false,
            ));
        }
    }
    out
}

/// The scorecard rows of kpis.csv (the reported year; members in scope and
/// the team), each with its target and status, by KPI name and period.
pub fn from_kpis(ctx: &Context, values: &[crate::ingest::KpiValue]) -> Vec<Kpi> {
    let mut out = Vec::new();
    for who in ctx.rows() {
        let id = who.map(|m| m.id.as_str());
        let mut mine: Vec<&crate::ingest::KpiValue> = values
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
            out.push(kpi(ctx, who, &v.kpi, &v.period.label(), value, None, false));
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

/// The NSAT rows of the scorecard (SPEC §3.4, §3.7): the quarter that
/// holds D and the year to date, per member and for the team. A low-sample
/// figure gets no status: too few answers to judge a commitment by.
pub fn nsat_kpis(
    ctx: &Context,
    values: &std::collections::BTreeMap<Option<String>, super::nsat::NsatKpi>,
) -> Vec<Kpi> {
    let mut out = Vec::new();
    for who in ctx.rows() {
        let Some(v) = values.get(&who.map(|m| m.id.clone())) else {
            continue;
        };
        let quarter = v
            .quarter_label
            .rsplit('-')
            .next()
            .unwrap_or("Q1")
            .to_string();
        let low = |n: i64| format!("low sample ({n} < {} answers)", v.min_responses);
        let mut q = kpi(
            ctx,
            who,
            "nsat",
            &quarter,
            Value::Ratio(v.quarter_nsat()),
            None,
            v.quarter_low_sample(),
        );
        if v.quarter_low_sample() {
            q.note = Some(low(v.quarter.responses()));
        }
        let mut y = kpi(
            ctx,
            who,
            "nsat",
            "YTD",
            Value::Ratio(v.ytd_nsat()),
            None,
            v.ytd_low_sample(),
        );
        if v.ytd_low_sample() {
            y.note = Some(low(v.ytd.responses()));
        }
        out.push(q);
        out.push(y);
    }
    out
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

/// Merges KPI rows into `kpis` keeping the table's order: rows by member
/// (as the context orders them), the team last; within a member, in the
/// order they were made.
pub fn merge(ctx: &Context, kpis: &mut Vec<Kpi>, more: Vec<Kpi>) {
    kpis.extend(more);
    let order: Vec<Option<String>> = ctx.rows().map(|m| m.map(|m| m.id.clone())).collect();
    let rank = |k: &Kpi| {
        let id = k.member.as_ref().map(|m| m.id.clone());
        order.iter().position(|o| *o == id).unwrap_or(order.len())
    };
    kpis.sort_by_key(rank);
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
    let count_of = |period: &str| {
        kpis.iter()
            .find(|c| c.member.is_none() && c.kpi == "members_at_quota_count" && c.period == period)
            .and_then(|c| c.value.number())
    };
    for k in kpis.iter().filter(|k| {
        k.member.is_none()
            && k.kpi != "members_at_quota_count"
            && k.category.as_deref().is_none_or(|c| c == total)
    }) {
        let value = match (
            k.kpi.as_str(),
            count_of(&k.period),
            att.get(None, total, period_of(&k.period)),
        ) {
            ("members_at_quota", Some(n), Some(r)) => match (r.at_quota, k.value.number()) {
                (Some((with, _)), Some(share)) => Cell::text(format!(
                    "{}% ({} of {with})",
                    share.to_fixed(2),
                    n.to_fixed(0)
                )),
                _ => k.value.cell(),
            },
            _ => k.value.cell(),
        };
        t.push(vec![
            Cell::text(&k.kpi),
            Cell::text(&k.period),
            value,
            k.target.map_or(Cell::Missing, Cell::Ratio),
            Cell::status(k.status),
        ]);
    }
    t
}

/// A period label of the scorecard back to its period (Q1–Q4, YTD, FY).
fn period_of(label: &str) -> Period {
    match label {
        "YTD" => Period::Ytd,
        "Q1" => Period::Quarter(1),
        "Q2" => Period::Quarter(2),
        "Q3" => Period::Quarter(3),
        "Q4" => Period::Quarter(4),
        _ => Period::Year,
    }
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
