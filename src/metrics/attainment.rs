//! Quota attainment (SPEC §3.1): every member in scope × category × Q1–Q4,
//! YTD, FY; quota resolution from FY / Qn / Mnn rows; the YTD row as pace
//! against the quota expected to date; the `All` category; the team row
//! (Σ actual / Σ quota, never an average of percentages) and members at
//! quota.

use std::collections::{BTreeMap, BTreeSet};

use crate::calendar::{FiscalYear, Period, Progress, Range};
use crate::ingest::{Member, Quota};
use crate::num::Rational;
use crate::report::{Cell, Table};

use super::kpi::{Kpi, KpiId, KpiName, Value};
use super::lines::WonByQuarter;
use super::{row_head, Context};

/// The category that sums every category.
pub const ALL: &str = "All";

/// The periods of the attainment grid, in output order.
pub const PERIODS: [Period; 6] = [
    Period::Quarter(1),
    Period::Quarter(2),
    Period::Quarter(3),
    Period::Quarter(4),
    Period::Ytd,
    Period::Year,
];

/// One row of the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The member, or `None` for the team.
    pub member: Option<Member>,
    pub category: String,
    pub period: Period,
    /// The quota (for YTD: expected to date).
    pub quota: Option<Rational>,
    /// Missing for a period not started.
    pub actual: Option<Rational>,
    /// The part of `actual` that is overlay split credit (SPEC §3.6c):
    /// a member's, never added to a team row.
    pub overlay: Rational,
    /// 100 × actual / quota (for YTD: pace).
    pub pct: Option<Rational>,
    pub progress: Progress,
    /// Team rows: (members with a quota, members at or above it).
    pub at_quota: Option<(i64, i64)>,
}

/// The whole grid, plus warnings about the quotas.
#[derive(Clone, Debug, Default)]
pub struct Attainment {
    pub rows: Vec<Row>,
    pub categories: Vec<String>,
    pub warnings: Vec<String>,
}

/// A member's resolved quotas for one category.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolved {
    pub quarters: [Option<Rational>; 4],
    pub year: Option<Rational>,
    /// The quota expected by D (pace).
    pub expected: Option<Rational>,
    /// Quarters that disagree with the FY row by more than 0.5%.
    pub disagrees: bool,
}

/// Resolves one member's quota rows of one category (SPEC §3.1).
pub fn resolve(
    rows: &BTreeMap<Period, i64>,
    fy: &FiscalYear,
    cutoff: chrono::NaiveDate,
) -> Resolved {
    let cents = |p: &Period| rows.get(p).map(|c| Rational::from_cents(*c));
    let fy_row = cents(&Period::Year);
    let has_detail = rows
        .keys()
        .any(|p| matches!(p, Period::Quarter(_) | Period::Month(_)));
    let mut quarters = [None; 4];
    let mut explicit = [false; 4];
    let mut expected: Option<Rational> = None;
    let prorate = |q: Rational, r: Range| q.scale(r.days_to(cutoff) as i128, r.days() as i128);
    let add = |acc: Option<Rational>, v: Option<Rational>| match (acc, v) {
        (None, v) => v,
        (a, None) => a,
        (Some(a), Some(b)) => Some(a + b),
    };
    for q in 1..=4u32 {
        let i = (q - 1) as usize;
        let months: Vec<(u32, Rational)> = (3 * q - 2..=3 * q)
            .filter_map(|m| cents(&Period::Month(m)).map(|v| (m, v)))
            .collect();
        if let Some(v) = cents(&Period::Quarter(q)) {
            quarters[i] = Some(v);
            explicit[i] = true;
        } else if !months.is_empty() {
            quarters[i] = Some(months.iter().map(|(_, v)| *v).sum());
            explicit[i] = true;
        } else if let Some(f) = fy_row {
            quarters[i] = f.scale(1, 4);
        }
        if has_detail {
            // Finest periods: months where there are Mnn rows, else quarters.
            if !months.is_empty() {
                for (m, v) in &months {
                    expected = add(expected, prorate(*v, fy.month(*m)));
                }
            } else if let Some(v) = quarters[i] {
                expected = add(expected, prorate(v, fy.quarter(q)));
            }
        }
    }
    if !has_detail {
        expected = fy_row.and_then(|f| prorate(f, fy.range()));
    }
    let year = match fy_row {
        Some(f) => Some(f),
        None => {
            let parts: Vec<Rational> = (0..4)
                .filter(|i| explicit[*i])
                .filter_map(|i| quarters[i])
                .collect();
            (!parts.is_empty()).then(|| parts.into_iter().sum())
        }
    };
    let disagrees = match fy_row {
        Some(f) if explicit.iter().all(|e| *e) => {
            let sum: Rational = quarters.iter().flatten().copied().sum();
            let diff = if sum > f { sum - f } else { f - sum };
            // more than 0.5% of the FY row
            diff * Rational::from_int(1000) > f * Rational::from_int(5)
        }
        _ => false,
    };
    Resolved {
        quarters,
        year,
        expected,
        disagrees,
    }
}

fn sum_opt(vals: impl Iterator<Item = Option<Rational>>) -> Option<Rational> {
    vals.fold(None, |acc, v| match (acc, v) {
        (None, v) => v,
        (a, None) => a,
        (Some(a), Some(b)) => Some(a + b),
    })
}

/// Computes the grid. `team_quotas` (a goal export's parent goals, when
/// `[quotas] team_rows` is set) replace Σ members' quotas in the team rows
/// of the categories they cover, when the run covers the whole roster.
pub fn compute(
    ctx: &Context,
    quotas: Option<&[Quota]>,
    team_quotas: Option<&[Quota]>,
    won: &WonByQuarter,
    overlay: &WonByQuarter,
) -> Attainment {
    let fy = &ctx.fy;
    let d = ctx.cutoff;
    let mut warnings = Vec::new();
    // Categories match case-insensitively (`Sales`, `sales `, `SALES`); a
    // category is shown as the quotas spell it, else as the lines do.
    let norm = |c: &str| c.trim().to_lowercase();
    let year_quotas: Vec<&Quota> = quotas
        .unwrap_or(&[])
        .iter()
        .filter(|q| q.fiscal_year == fy.year)
        .collect();
    let mut display: BTreeMap<String, String> = BTreeMap::new();
    let team_year: Vec<&Quota> = team_quotas
        .unwrap_or(&[])
        .iter()
        .filter(|q| q.fiscal_year == fy.year)
        .collect();
    for q in year_quotas.iter().chain(&team_year) {
        display
            .entry(norm(&q.category))
            .or_insert_with(|| q.category.trim().to_string());
    }
    for (_, c, _) in won.keys() {
        display
            .entry(norm(c))
            .or_insert_with(|| c.trim().to_string());
    }
    let name_of = |c: &str| {
        display
            .get(&norm(c))
            .cloned()
            .unwrap_or_else(|| c.to_string())
    };
    // member → category → period → cents, for this fiscal year.
    let mut qmap: BTreeMap<String, BTreeMap<String, BTreeMap<Period, i64>>> = BTreeMap::new();
    for q in &year_quotas {
        qmap.entry(q.member_id.clone())
            .or_default()
            .entry(name_of(&q.category))
            .or_default()
            .insert(q.period, q.cents);
    }
    let mut won_by: BTreeMap<(String, String, u32), i64> = BTreeMap::new();
    for ((owner, c, q), cents) in won {
        *won_by.entry((owner.clone(), name_of(c), *q)).or_insert(0) += cents;
    }
    let with_quota: BTreeSet<String> = year_quotas.iter().map(|q| name_of(&q.category)).collect();
    let with_won: BTreeSet<String> = won_by
        .iter()
        .filter(|(_, c)| **c != 0)
        .map(|((_, c, _), _)| c.clone())
        .collect();
    let quota_only: Vec<&String> = with_quota.difference(&with_won).collect();
    let won_only: Vec<&String> = with_won.difference(&with_quota).collect();
    if !quota_only.is_empty() && !won_only.is_empty() {
        warnings.push(format!(
            "categories: {} has quotas but no won revenue in {}, and {} has won revenue but no quotas; check that quotas.csv and the opportunity lines name categories alike",
            quota_only.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
            fy.label(),
            won_only.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    let mut categories: BTreeSet<String> = display.values().cloned().collect();
    if categories.is_empty() {
        categories.insert(crate::ingest::DEFAULT_CATEGORY.to_string());
    }
    let cats: Vec<String> = categories.into_iter().collect();
    // YTD stands where the year stands: in progress until its last day.
    let progress = |p: Period| match p {
        Period::Ytd => fy.range().progress(d),
        _ => fy.period(p, d).progress(d),
    };

    let mut rows: Vec<Row> = Vec::new();
    let empty = BTreeMap::new();
    for m in &ctx.members {
        let mut member_rows: Vec<Row> = Vec::new();
        for cat in &cats {
            let qrows = qmap.get(&m.id).and_then(|c| c.get(cat)).unwrap_or(&empty);
            let r = resolve(qrows, fy, d);
            if r.disagrees {
                warnings.push(format!(
                    "quotas: {}'s {cat} quarters of {} differ from the FY quota by more than 0.5%; the FY row is used for the year",
                    m.id,
                    fy.label()
                ));
            }
            let actual_q = |q: u32| {
                Rational::from_cents(
                    won_by
                        .get(&(m.id.clone(), cat.clone(), q))
                        .copied()
                        .unwrap_or(0),
                )
            };
            let ytd: Rational = (1..=4).map(actual_q).sum();
            let overlay_q = |q: u32| {
                Rational::from_cents(
                    overlay
                        .iter()
                        .filter(|((o, c, oq), _)| *o == m.id && name_of(c) == *cat && *oq == q)
                        .map(|(_, v)| *v)
                        .sum(),
                )
            };
            let overlay_ytd: Rational = (1..=4).map(overlay_q).sum();
            for p in PERIODS {
                let prog = progress(p);
                let (quota, actual, over) = match p {
                    Period::Quarter(q) => (
                        r.quarters[(q - 1) as usize],
                        (prog != Progress::NotStarted).then(|| actual_q(q)),
                        if prog != Progress::NotStarted {
                            overlay_q(q)
                        } else {
                            Rational::from_int(0)
                        },
                    ),
                    Period::Ytd => (r.expected, Some(ytd), overlay_ytd),
                    _ => (r.year, Some(ytd), overlay_ytd),
                };
                member_rows.push(Row {
                    member: Some(m.clone()),
                    category: cat.clone(),
                    period: p,
                    quota,
                    actual,
                    overlay: over,
                    pct: None,
                    progress: prog,
                    at_quota: None,
                });
            }
        }
        if cats.len() > 1 {
            for p in PERIODS {
                let parts: Vec<&Row> = member_rows.iter().filter(|r| r.period == p).collect();
                member_rows.push(Row {
                    member: Some(m.clone()),
                    category: ALL.to_string(),
                    period: p,
                    quota: sum_opt(parts.iter().map(|r| r.quota)),
                    actual: (progress(p) != Progress::NotStarted)
                        .then(|| parts.iter().filter_map(|r| r.actual).sum()),
                    overlay: parts.iter().map(|r| r.overlay).sum(),
                    pct: None,
                    progress: progress(p),
                    at_quota: None,
                });
            }
        }
        rows.extend(member_rows);
    }
    for r in rows.iter_mut() {
        r.pct = pct(r.actual, r.quota);
    }
    // Team rows.
    let mut all_cats = cats.clone();
    if cats.len() > 1 {
        all_cats.push(ALL.to_string());
    }
    // The team's own quotas, by category (whole roster only).
    let mut tmap: BTreeMap<String, BTreeMap<Period, i64>> = BTreeMap::new();
    if team_quotas.is_some() && !ctx.is_whole_team() {
        warnings.push(
            "[quotas] team_rows give the whole team's quota; this run covers part of it, so its team rows add up the quotas of the members in scope".to_string(),
        );
    } else {
        for q in &team_year {
            tmap.entry(name_of(&q.category))
                .or_default()
                .insert(q.period, q.cents);
        }
    }
    let team_resolved: BTreeMap<&String, Resolved> = tmap
        .iter()
        .map(|(c, rows)| (c, resolve(rows, fy, d)))
        .collect();
    let mut team_rows: Vec<Row> = Vec::new();
    for cat in &all_cats {
        for p in PERIODS {
            let parts: Vec<&Row> = rows
                .iter()
                .filter(|r| &r.category == cat && r.period == p)
                .collect();
            let prog = progress(p);
            let members_quota = sum_opt(parts.iter().map(|r| r.quota));
            let own = |c: &String| {
                team_resolved.get(c).map(|r| match p {
                    Period::Quarter(q) => r.quarters[(q - 1) as usize],
                    Period::Ytd => r.expected,
                    _ => r.year,
                })
            };
            let quota = if cat == ALL && !team_resolved.is_empty() {
                // Every category's team quota, each its own or Σ members'.
                sum_opt(team_rows.iter().filter(|r| r.period == p).map(|r| r.quota))
            } else {
                match own(cat) {
                    Some(q) => {
                        if p == Period::Year && q != members_quota {
                            warnings.push(format!(
                                "quotas: the team's {cat} quota of {} is {} ([quotas] team_rows), where its members' quotas add up to {}; team rows use the team's",
                                fy.label(),
                                q.map_or("none".to_string(), |v| v.to_fixed(2)),
                                members_quota.map_or("none".to_string(), |v| v.to_fixed(2))
                            ));
                        }
                        q
                    }
                    None => members_quota,
                }
            };
            // Σ members' revenue credit: overlay credit adds to no team.
            let actual = (prog != Progress::NotStarted).then(|| {
                parts
                    .iter()
                    .filter_map(|r| r.actual.map(|a| a - r.overlay))
                    .sum()
            });
            let with_quota: Vec<&&Row> = parts
                .iter()
                .filter(|r| r.quota.is_some_and(|q| !q.is_zero()))
                .collect();
            let at = with_quota
                .iter()
                .filter(|r| r.pct.is_some_and(|v| v >= Rational::from_int(100)))
                .count() as i64;
            team_rows.push(Row {
                member: None,
                category: cat.clone(),
                period: p,
                quota,
                actual,
                overlay: Rational::from_int(0),
                pct: pct(actual, quota),
                progress: prog,
                at_quota: (prog != Progress::NotStarted).then_some((with_quota.len() as i64, at)),
            });
        }
    }
    rows.extend(team_rows);
    Attainment {
        rows,
        categories: cats,
        warnings,
    }
}

fn pct(actual: Option<Rational>, quota: Option<Rational>) -> Option<Rational> {
    match (actual, quota) {
        (Some(a), Some(q)) => a.percent_of(q),
        _ => None,
    }
}

impl Attainment {
    /// The row of a member (or the team) for a category and period.
    pub fn get(&self, member_id: Option<&str>, category: &str, period: Period) -> Option<&Row> {
        self.rows.iter().find(|r| {
            r.member.as_ref().map(|m| m.id.as_str()) == member_id
                && r.category == category
                && r.period == period
        })
    }

    /// The category that covers everything: `All` when there are several.
    pub fn total_category(&self) -> &str {
        match self.categories.as_slice() {
            [one] => one.as_str(),
            _ => ALL,
        }
    }

    /// The scorecard's attainment KPIs: `attainment` of each quarter and of
    /// the year and `pace` (the YTD row) per member, category (and `All`
    /// with several) and the team, then the team's `members_at_quota`
    /// (share and count) of the total category. A period not started has
    /// no status; under an account filter none has (the actual is part of
    /// the business, the quota all of it).
    pub fn kpis(&self, ctx: &Context) -> Vec<Kpi> {
        let mut out = Vec::new();
        let mut cats: Vec<&str> = self.categories.iter().map(String::as_str).collect();
        if cats.len() > 1 {
            cats.push(ALL);
        }
        for who in ctx.rows() {
            let id = who.map(|m| m.id.as_str());
            for cat in &cats {
                for p in PERIODS {
                    let Some(r) = self.get(id, cat, p) else {
                        continue;
                    };
                    let kpi = if p == Period::Ytd {
                        KpiId::Pace
                    } else {
                        KpiId::Attainment
                    };
                    let k = Kpi::new(
                        ctx,
                        who,
                        KpiName::Atu(kpi),
                        p,
                        Value::Percent(r.pct),
                        Some(cat),
                        r.progress == Progress::NotStarted || ctx.accounts.is_some(),
                    );
                    out.push(match ctx.accounts {
                        Some(_) => k.with_note("partial: account filter"),
                        None => k,
                    });
                }
            }
            if who.is_none() {
                out.extend(self.members_at_quota(ctx));
            }
        }
        out
    }

    /// The team's members at quota per period, of the total category: the
    /// share, then the count.
    fn members_at_quota(&self, ctx: &Context) -> Vec<Kpi> {
        let total = self.total_category();
        let mut out = Vec::new();
        for p in PERIODS {
            let Some((with, at)) = self.get(None, total, p).and_then(|r| r.at_quota) else {
                continue;
            };
            let share = Rational::from_int(at as i128).percent_of(Rational::from_int(with as i128));
            for (kpi, value) in [
                (KpiId::MembersAtQuota, Value::Percent(share)),
                (KpiId::MembersAtQuotaCount, Value::Count(at)),
            ] {
                out.push(Kpi::new(
                    ctx,
                    None,
                    KpiName::Atu(kpi),
                    p,
                    value,
                    Some(total),
                    false,
                ));
            }
        }
        out
    }

    /// The statuses of the `attainment` table, one KPI per row in the
    /// grid's order: the `attainment` target applies to every row, the YTD
    /// (pace) row too (SPEC §3.7); a period not started, or any row under
    /// an account filter, has none.
    pub fn table_kpis(&self, ctx: &Context) -> Vec<Kpi> {
        self.rows
            .iter()
            .map(|r| {
                Kpi::new(
                    ctx,
                    r.member.as_ref(),
                    KpiName::Atu(KpiId::Attainment),
                    r.period,
                    Value::Percent(r.pct),
                    Some(&r.category),
                    r.progress == Progress::NotStarted || ctx.accounts.is_some(),
                )
            })
            .collect()
    }

    /// The `attainment` table (SPEC §6) with extra columns `progress`,
    /// `members_with_quota`, `members_at_quota`, `members_at_quota_pct`.
    pub fn table(&self, ctx: &Context) -> Table {
        let mut t = Table::new(
            "attainment",
            "Attainment",
            &[
                "scope",
                "member_id",
                "name",
                "category",
                "period",
                "quota",
                "actual",
                "attainment_pct",
                "status",
                "progress",
                "members_with_quota",
                "members_at_quota",
                "members_at_quota_pct",
            ],
        );
        for (r, k) in self.rows.iter().zip(self.table_kpis(ctx)) {
            let mut row = row_head(r.member.as_ref(), &ctx.team_name);
            let status = k.status;
            row.extend([
                Cell::text(&r.category),
                Cell::text(r.period.label()),
                Cell::money(r.quota),
                Cell::money(r.actual),
                Cell::percent(r.pct),
                Cell::status(status),
                Cell::text(match r.progress {
                    Progress::NotStarted => "not started",
                    Progress::InProgress => "in progress",
                    Progress::Complete => "complete",
                }),
            ]);
            match r.at_quota {
                Some((with, at)) => row.extend([
                    Cell::Count(with),
                    Cell::Count(at),
                    Cell::percent(
                        Rational::from_int(at as i128).percent_of(Rational::from_int(with as i128)),
                    ),
                ]),
                None => row.extend([Cell::Missing, Cell::Missing, Cell::Missing]),
            }
            t.push(row);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fy13() -> FiscalYear {
        Calendar::default().year(2013).unwrap()
    }

    fn r(cents: i64) -> Rational {
        Rational::from_cents(cents)
    }

    #[test]
    fn fy_only_quota_paces_over_the_year() {
        // FY 365,000.00; D = 2013-01-30 is day 214 of 365:
        // expected = 365000 × 214 / 365 = 214,000.00; quarters = FY/4 = 91,250.00.
        let rows = BTreeMap::from([(Period::Year, 36_500_000)]);
        let res = resolve(&rows, &fy13(), d(2013, 1, 30));
        assert_eq!(res.year, Some(r(36_500_000)));
        assert_eq!(res.quarters, [Some(r(9_125_000)); 4]);
        assert_eq!(res.expected, Some(r(21_400_000)));
        assert!(!res.disagrees);
    }

    #[test]
    fn quarterly_quota_paces_by_quarter() {
        // Q1 100, Q2 200, Q3 300, Q4 400 (thousands). D = 2013-01-30:
        // Q1, Q2 complete → 100 + 200; Q3: 300 × 30/90 = 100; Q4: 0 → 400.
        let k = 10_000_000; // 100,000.00 in cents
        let rows = BTreeMap::from([
            (Period::Quarter(1), k),
            (Period::Quarter(2), 2 * k),
            (Period::Quarter(3), 3 * k),
            (Period::Quarter(4), 4 * k),
        ]);
        let res = resolve(&rows, &fy13(), d(2013, 1, 30));
        assert_eq!(res.year, Some(r(10 * k)));
        assert_eq!(res.expected, Some(r(4 * k)));
    }

    #[test]
    fn monthly_quota_paces_by_month_and_sums_quarters() {
        // 31,000.00 a month for the 12 fiscal months; D = 2013-01-30 (M07, 31 days):
        // M01–M06 full = 186,000; M07: 31,000 × 30/31 = 30,000 → 216,000.00.
        let rows: BTreeMap<Period, i64> = (1..=12).map(|m| (Period::Month(m), 3_100_000)).collect();
        let res = resolve(&rows, &fy13(), d(2013, 1, 30));
        assert_eq!(res.quarters[0], Some(r(9_300_000)));
        assert_eq!(res.year, Some(r(37_200_000)));
        assert_eq!(res.expected, Some(r(21_600_000)));
    }

    #[test]
    fn disagreeing_quarters_and_missing_quota() {
        let rows = BTreeMap::from([
            (Period::Year, 40_000_000),
            (Period::Quarter(1), 10_000_000),
            (Period::Quarter(2), 10_000_000),
            (Period::Quarter(3), 10_000_000),
            (Period::Quarter(4), 10_300_000),
        ]);
        // 403,000 vs 400,000: 0.75% > 0.5%
        assert!(resolve(&rows, &fy13(), d(2013, 1, 30)).disagrees);
        let res = resolve(&BTreeMap::new(), &fy13(), d(2013, 1, 30));
        assert_eq!(res, Resolved::default());
        // Only Q1 and Q2 rows: FY = their sum, Q3/Q4 missing.
        let rows = BTreeMap::from([(Period::Quarter(1), 100), (Period::Quarter(2), 300)]);
        let res = resolve(&rows, &fy13(), d(2013, 1, 30));
        assert_eq!(res.year, Some(r(400)));
        assert_eq!(res.quarters[2], None);
    }
}
