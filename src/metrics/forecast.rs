//! The forecast (SPEC §3.6b): where each member and the team will land in
//! the quarter that holds D and in the fiscal year. For a period P:
//!
//! - `closed` = won revenue from P's first day to D (attainment's actual);
//! - `commit`, `best_case`, `pipeline`, `omitted` = Σ amount of open lines of
//!   that forecast category with D < close_date ≤ P's last day (an open line
//!   without a category is `pipeline`; `omitted` counts in nothing else);
//! - `weighted` = Σ amount × probability / 100 over those open lines but the
//!   omitted ones (lines without a probability are left out and counted);
//! - `forecast_pct` = 100 × (closed + commit) / quota of P;
//!   `best_case_pct` = 100 × (closed + commit + best_case) / quota of P;
//!   missing when the quota is missing or 0.
//!
//! Team rows are Σ of the members in scope (Σ closed + Σ commit over the
//! team's quota, as attainment's team row has it).

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::Datelike;
use polars::prelude::*;

use super::attainment::Attainment;
use super::frames::{day, epoch_days, ints, is, strs};
use super::kpi::{Kpi, Value};
use super::lines::scoped;
use super::{row_head, Context};
use crate::calendar::Period;
use crate::ingest::frame::polars_context;
use crate::ingest::Member;
use crate::kpis::KpiId;
use crate::num::Rational;
use crate::report::{Cell, Table};

/// Open revenue of one member (or the team) in one period, by category
/// (cents), and the weighted pipeline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Open {
    pub commit: i64,
    pub best_case: i64,
    pub pipeline: i64,
    pub omitted: i64,
    /// Σ amount (cents) × probability (hundredths of a percent).
    pub weighted_cents_bp: i128,
    /// Open lines (not omitted) without a probability.
    pub without_probability: i64,
}

impl Open {
    fn add(&mut self, o: &Open) {
        self.commit += o.commit;
        self.best_case += o.best_case;
        self.pipeline += o.pipeline;
        self.omitted += o.omitted;
        self.weighted_cents_bp += o.weighted_cents_bp;
        self.without_probability += o.without_probability;
    }

    /// The weighted pipeline in currency units (exact).
    pub fn weighted(&self) -> Option<Rational> {
        // cents × (percent × 100) / (100 cents × 100 % × 100).
        Rational::new(self.weighted_cents_bp, 1_000_000)
    }
}

/// One row of the forecast table.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastRow {
    pub member: Option<Member>,
    pub period: Period,
    pub quota: Option<Rational>,
    pub closed: Option<Rational>,
    pub open: Open,
    pub forecast_pct: Option<Rational>,
    pub best_case_pct: Option<Rational>,
}

/// The quarter (1–4) of the year that holds D.
pub fn quarter_of_cutoff(ctx: &Context) -> u32 {
    let start = ctx.fy.start;
    let months =
        (ctx.cutoff.year() - start.year()) * 12 + ctx.cutoff.month() as i32 - start.month() as i32;
    (months / 3 + 1).clamp(1, 4) as u32
}

/// The periods of the forecast: the quarter of D, then the year.
pub fn periods(ctx: &Context) -> [Period; 2] {
    [Period::Quarter(quarter_of_cutoff(ctx)), Period::Year]
}

/// Open lines after D by owner and whether they are overlay split credit,
/// for the quarter of D and the year.
fn open_by_owner(lines: &DataFrame, ctx: &Context) -> Result<BTreeMap<(String, bool), [Open; 2]>> {
    let q_end = ctx.fy.quarter(quarter_of_cutoff(ctx)).end;
    let has = |c: &str| lines.get_column_names().iter().any(|n| n.as_str() == c);
    let category = if has("forecast_category") {
        col("forecast_category")
            .fill_null(lit("pipeline"))
            .alias("__cat")
    } else {
        lit("pipeline").alias("__cat")
    };
    let bp = if has("__probability_bp") {
        col("__probability_bp").alias("__bp")
    } else {
        lit(NULL).cast(DataType::Int64).alias("__bp")
    };
    let df = scoped(lines, ctx)
        .filter(
            is("open")
                .and(day().gt(lit(epoch_days(ctx.cutoff))))
                .and(day().lt_eq(lit(epoch_days(ctx.fy.end)))),
        )
        .with_columns([
            category,
            bp,
            day().lt_eq(lit(epoch_days(q_end))).alias("__in_q"),
            super::lines::overlay(lines).alias("__ov"),
        ])
        .group_by([
            col("owner_id"),
            col("__cat"),
            col("__in_q"),
            col("__bp"),
            col("__ov"),
        ])
        .agg([
            col("amount").sum().alias("cents"),
            col("amount").count().alias("n"),
        ])
        .collect()
        .map_err(|e| polars_context("summing the forecast", e))?;
    let owners = strs(&df, "owner_id")?;
    let cats = strs(&df, "__cat")?;
    let in_q: Vec<bool> = df
        .column("__in_q")
        .and_then(|c| c.bool().cloned())
        .map_err(|e| polars_context("summing the forecast", e))?
        .iter()
        .map(|b| b.unwrap_or(false))
        .collect();
    let bps = ints(&df, "__bp")?;
    let ov: Vec<bool> = df
        .column("__ov")
        .and_then(|c| c.bool().cloned())
        .map_err(|e| polars_context("summing the forecast", e))?
        .iter()
        .map(|b| b.unwrap_or(false))
        .collect();
    let cents = ints(&df, "cents")?;
    let ns = ints(&df, "n")?;
    let mut out: BTreeMap<(String, bool), [Open; 2]> = BTreeMap::new();
    for i in 0..df.height() {
        let mut o = Open::default();
        let c = cents[i].unwrap_or(0);
        match cats[i].as_deref() {
            Some("commit") => o.commit = c,
            Some("best_case") => o.best_case = c,
            Some("omitted") => o.omitted = c,
            // pipeline, and a closed word on a line still open
            _ => o.pipeline = c,
        }
        if cats[i].as_deref() != Some("omitted") {
            match bps[i] {
                Some(bp) => o.weighted_cents_bp = i128::from(c) * i128::from(bp),
                None => o.without_probability = ns[i].unwrap_or(0),
            }
        }
        let slot = out
            .entry((owners[i].clone().unwrap_or_default(), ov[i]))
            .or_default();
        if in_q[i] {
            slot[0].add(&o);
        }
        slot[1].add(&o);
    }
    Ok(out)
}

/// 100 × part / quota; missing when the quota is missing or 0.
fn pct(part: Option<Rational>, quota: Option<Rational>) -> Option<Rational> {
    let (part, quota) = (part?, quota?);
    part.percent_of(quota)
}

/// The forecast rows: per member in scope, then the team; each for the
/// quarter of D and the year.
pub fn compute(
    lines: Option<&DataFrame>,
    ctx: &Context,
    att: &Attainment,
) -> Result<Vec<ForecastRow>> {
    let by_owner = match lines {
        Some(l) => open_by_owner(l, ctx)?,
        None => BTreeMap::new(),
    };
    let category = att.total_category().to_string();
    let mut team_open = [Open::default(), Open::default()];
    let mut out = Vec::new();
    for who in ctx.rows() {
        let id = who.map(|m| m.id.as_str());
        let open = match id {
            Some(id) => {
                // A member's credit: revenue and overlay; the team adds
                // revenue credit only (SPEC §3.6c).
                let revenue = by_owner
                    .get(&(id.to_string(), false))
                    .cloned()
                    .unwrap_or_default();
                team_open[0].add(&revenue[0]);
                team_open[1].add(&revenue[1]);
                let mut all = revenue;
                if let Some(o) = by_owner.get(&(id.to_string(), true)) {
                    all[0].add(&o[0]);
                    all[1].add(&o[1]);
                }
                all
            }
            None => team_open.clone(),
        };
        for (i, period) in periods(ctx).into_iter().enumerate() {
            let row = att.get(id, &category, period);
            let quota = row.and_then(|r| r.quota);
            // The year's closed revenue is the year to date's.
            let closed = row.and_then(|r| r.actual);
            let o = open[i].clone();
            let money = |c: i64| Rational::from_cents(c);
            let committed = closed.map(|c| c + money(o.commit));
            let best = committed.map(|c| c + money(o.best_case));
            out.push(ForecastRow {
                member: who.cloned(),
                period,
                quota,
                closed,
                forecast_pct: pct(committed, quota),
                best_case_pct: pct(best, quota),
                open: o,
            });
        }
    }
    Ok(out)
}

/// The scorecard's `forecast` KPI: forecast_pct of the quarter of D and of
/// the year, per member and the team.
pub fn kpis(ctx: &Context, rows: &[ForecastRow]) -> Vec<Kpi> {
    rows.iter()
        .map(|r| {
            Kpi::of(
                ctx,
                r.member.as_ref(),
                KpiId::Forecast,
                r.period,
                Value::Percent(r.forecast_pct),
            )
        })
        .collect()
}

/// Open lines without a probability, team-wide, for a note.
pub fn without_probability(rows: &[ForecastRow]) -> i64 {
    rows.iter()
        .filter(|r| r.member.is_none() && r.period == Period::Year)
        .map(|r| r.open.without_probability)
        .sum()
}

/// The `forecast` table (SPEC §6), with each row's `forecast` status
/// against its target after SPEC's columns (`kpis` from [`kpis`]).
pub fn table(ctx: &Context, rows: &[ForecastRow], kpis: &[Kpi]) -> Table {
    let mut t = Table::new(
        "forecast",
        &format!("Forecast: closed to {} and open lines after it", ctx.cutoff),
        &[
            "scope",
            "member_id",
            "name",
            "period",
            "quota",
            "closed",
            "commit",
            "best_case",
            "pipeline",
            "omitted",
            "weighted",
            "forecast_pct",
            "best_case_pct",
            "status",
        ],
    );
    for (r, k) in rows.iter().zip(kpis) {
        let mut row = row_head(r.member.as_ref(), &ctx.team_name);
        let money = |c: i64| Cell::Money(Rational::from_cents(c));
        row.extend([
            Cell::text(r.period.label()),
            Cell::money(r.quota),
            Cell::money(r.closed),
            money(r.open.commit),
            money(r.open.best_case),
            money(r.open.pipeline),
            money(r.open.omitted),
            Cell::money(r.open.weighted()),
            Cell::percent(r.forecast_pct),
            Cell::percent(r.best_case_pct),
            Cell::status(k.status),
        ]);
        t.push(row);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_is_exact_and_percentages_need_a_quota() {
        // 1,000.00 at 12.5 % (1250 hundredths) + 333.33 at 33 % =
        // 125.00 + 109.9989 = 234.9989 (rounded only when written).
        let o = Open {
            weighted_cents_bp: 100_000 * 1_250 + 33_333 * 3_300,
            ..Open::default()
        };
        assert_eq!(o.weighted(), Rational::new(2_349_989, 10_000));
        let q = Rational::new(1_000, 1);
        assert_eq!(pct(Rational::new(250, 1), q), Rational::new(25, 1));
        assert_eq!(
            pct(Rational::new(250, 1), Some(Rational::from_int(0))),
            None
        );
        assert_eq!(pct(Rational::new(250, 1), None), None);
    }
}
