//! The polars side of the metrics: aggregations over opportunity lines that
//! return small per-owner results (won revenue by category and fiscal
//! quarter; won/lost opportunities, pipeline, past-due and partner figures
//! in the YTD window). Each runs as one lazy query over the typed frame; the
//! lines themselves never become Rust values.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::frames::{between, day, epoch_days, is, strs};
use super::Context;
use crate::ingest::frame::polars_context;

/// An integer column of a result frame, a missing value as 0.
fn ints(df: &DataFrame, name: &str) -> Result<Vec<i64>> {
    Ok(super::frames::ints(df, name)?
        .into_iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}

/// The fiscal quarter (1–4 inside the year) of `close_date`.
fn fiscal_quarter(ctx: &Context) -> Expr {
    let start = ctx.fy.start;
    let base = start.year() * 12 + start.month() as i32 - 1;
    let months = col("close_date").dt().year().cast(DataType::Int32) * lit(12i32)
        + col("close_date").dt().month().cast(DataType::Int32)
        - lit(1i32)
        - lit(base);
    months.floor_div(lit(3i32)) + lit(1i32)
}

/// The lines in scope: all, or with `--territory`/`--vertical`/`--segment`
/// those on the accounts in scope.
pub fn scoped(lines: &DataFrame, ctx: &Context) -> LazyFrame {
    let lf = lines.clone().lazy();
    match &ctx.accounts {
        None => lf,
        Some(ids) => {
            let ids = Series::new("accounts".into(), ids.clone());
            lf.filter(col("account_id").is_in(lit(ids).implode(false), false))
        }
    }
}

/// Won revenue in the fiscal year up to D, by owner, category and fiscal
/// quarter (1–4), in cents.
pub type WonByQuarter = BTreeMap<(String, String, u32), i64>;

/// True on overlay split credit (SPEC §3.6c), which counts for its member
/// and in no team figure; false everywhere when there are no splits.
pub fn overlay(lines: &DataFrame) -> Expr {
    if lines
        .get_column_names()
        .iter()
        .any(|n| n.as_str() == "__overlay")
    {
        col("__overlay").fill_null(lit(false))
    } else {
        lit(false)
    }
}

/// Σ amount of won lines with close_date in [first day of the year, D], by
/// owner, category and quarter: every credit, and the overlay part of it.
pub fn won_by_quarter(lines: &DataFrame, ctx: &Context) -> Result<(WonByQuarter, WonByQuarter)> {
    let start = ctx.fy.start;
    let df = scoped(lines, ctx)
        .filter(is("won").and(between(start, ctx.cutoff)))
        .with_columns([
            fiscal_quarter(ctx).alias("__q"),
            overlay(lines).alias("__ov"),
        ])
        .group_by([col("owner_id"), col("category"), col("__q"), col("__ov")])
        .agg([col("amount").sum().alias("cents")])
        .collect()
        .map_err(|e| polars_context("summing won revenue", e))?;
    let owners = strs(&df, "owner_id")?;
    let cats = strs(&df, "category")?;
    let qs = ints(&df, "__q")?;
    let cents = ints(&df, "cents")?;
    let ov: Vec<bool> = df
        .column("__ov")
        .and_then(|c| c.bool().cloned())
        .map_err(|e| polars_context("summing won revenue", e))?
        .iter()
        .map(|b| b.unwrap_or(false))
        .collect();
    let mut all = BTreeMap::new();
    let mut over = BTreeMap::new();
    for i in 0..df.height() {
        let key = (
            owners[i].clone().unwrap_or_default(),
            cats[i].clone().unwrap_or_default(),
            qs[i] as u32,
        );
        *all.entry(key.clone()).or_insert(0) += cents[i];
        if ov[i] {
            *over.entry(key).or_insert(0) += cents[i];
        }
    }
    Ok((all, over))
}

/// Line figures of one owner (or of the team) in the YTD window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineStats {
    /// Distinct opportunities with a won line closing in the YTD window.
    pub won: i64,
    /// Distinct opportunities with a lost line closing in the YTD window.
    pub lost: i64,
    /// Σ open lines with D < close_date ≤ the year's last day (cents).
    pub pipeline: i64,
    /// Open lines with close_date ≤ D: count and Σ cents.
    pub past_due_lines: i64,
    pub past_due: i64,
    /// Won opportunities with a partner on any won line.
    pub won_with_partner: i64,
    /// Σ won lines, and Σ won lines that carry a partner (cents).
    pub won_cents: i64,
    pub partner_cents: i64,
}

/// The lines some figure of [`stats_exprs`] reads: won or lost in the YTD
/// window, open closing up to the year's last day. Kept first, so that the
/// masked aggregations run over those alone (on a large export, a fraction
/// of the lines: memory and time).
fn stats_rows(ctx: &Context) -> Expr {
    let ytd = between(ctx.fy.start, ctx.cutoff);
    let open = is("open").and(day().lt_eq(lit(epoch_days(ctx.fy.end))));
    is("won").or(is("lost")).and(ytd).or(open)
}

fn stats_exprs(ctx: &Context) -> Vec<Expr> {
    let ytd = between(ctx.fy.start, ctx.cutoff);
    let won = is("won").and(ytd.clone());
    let lost = is("lost").and(ytd);
    let ahead = is("open")
        .and(day().gt(lit(epoch_days(ctx.cutoff))))
        .and(day().lt_eq(lit(epoch_days(ctx.fy.end))));
    let past = is("open").and(day().lt_eq(lit(epoch_days(ctx.cutoff))));
    let partner = col("partner_id").is_not_null();
    vec![
        col("opportunity_id")
            .filter(won.clone())
            .n_unique()
            .alias("won"),
        col("opportunity_id").filter(lost).n_unique().alias("lost"),
        col("amount").filter(ahead).sum().alias("pipeline"),
        col("amount")
            .filter(past.clone())
            .count()
            .alias("past_due_lines"),
        col("amount").filter(past).sum().alias("past_due"),
        col("opportunity_id")
            .filter(won.clone().and(partner.clone()))
            .n_unique()
            .alias("won_with_partner"),
        col("amount").filter(won.clone()).sum().alias("won_cents"),
        col("amount")
            .filter(won.and(partner))
            .sum()
            .alias("partner_cents"),
    ]
}

fn stats_from(df: &DataFrame) -> Result<Vec<LineStats>> {
    let cols: Vec<Vec<i64>> = [
        "won",
        "lost",
        "pipeline",
        "past_due_lines",
        "past_due",
        "won_with_partner",
        "won_cents",
        "partner_cents",
    ]
    .iter()
    .map(|n| ints(df, n))
    .collect::<Result<_>>()?;
    Ok((0..df.height())
        .map(|i| LineStats {
            won: cols[0][i],
            lost: cols[1][i],
            pipeline: cols[2][i],
            past_due_lines: cols[3][i],
            past_due: cols[4][i],
            won_with_partner: cols[5][i],
            won_cents: cols[6][i],
            partner_cents: cols[7][i],
        })
        .collect())
}

/// Line figures per owner, and for the team (the members in scope, with
/// opportunities counted once across owners).
pub fn line_stats(
    lines: &DataFrame,
    ctx: &Context,
) -> Result<(BTreeMap<String, LineStats>, LineStats)> {
    let per = scoped(lines, ctx)
        .filter(stats_rows(ctx))
        .group_by([col("owner_id")])
        .agg(stats_exprs(ctx))
        .collect()
        .map_err(|e| polars_context("summing pipeline and win rate", e))?;
    let owners = strs(&per, "owner_id")?;
    let stats = stats_from(&per)?;
    let by_owner: BTreeMap<String, LineStats> = owners
        .into_iter()
        .zip(stats)
        .map(|(o, s)| (o.unwrap_or_default(), s))
        .collect();
    let ids = Series::new("ids".into(), ctx.member_ids());
    let team = scoped(lines, ctx)
        .filter(
            stats_rows(ctx).and(
                col("owner_id")
                    .is_in(lit(ids).implode(false), false)
                    .and(overlay(lines).not()),
            ),
        )
        .select(stats_exprs(ctx))
        .collect()
        .map_err(|e| polars_context("summing team pipeline and win rate", e))?;
    let team = stats_from(&team)?.into_iter().next().unwrap_or_default();
    Ok((by_owner, team))
}

/// Won revenue in the YTD window: (total, owned by roster members, owned by
/// anyone else), each summed on its own so that the check total = members +
/// unassigned means something.
pub fn won_reconciliation(lines: &DataFrame, ctx: &Context) -> Result<(i64, i64, i64)> {
    let ids = Series::new("ids".into(), ctx.roster.clone());
    let won = is("won").and(between(ctx.fy.start, ctx.cutoff));
    let member = col("owner_id").is_in(lit(ids).implode(false), false);
    // Overlay split credit is on top of the revenue: not reconciled.
    let won = won.and(overlay(lines).not());
    let df = scoped(lines, ctx)
        .select([
            col("amount").filter(won.clone()).sum().alias("total"),
            col("amount")
                .filter(won.clone().and(member.clone()))
                .sum()
                .alias("assigned"),
            col("amount")
                .filter(won.and(member.not()))
                .sum()
                .alias("unassigned"),
        ])
        .collect()
        .map_err(|e| polars_context("reconciling won revenue", e))?;
    let one = |n: &str| -> Result<i64> { Ok(ints(&df, n)?.first().copied().unwrap_or(0)) };
    Ok((one("total")?, one("assigned")?, one("unassigned")?))
}

/// The won lines behind the attainment of the members in scope (YTD
/// window), for `atu attainment --explain`: one row per line with its fiscal
/// quarter and where it was read.
pub fn explain(frame: &crate::ingest::Frame, ctx: &Context) -> Result<crate::report::Table> {
    use crate::num::Rational;
    use crate::report::{Cell, Table};
    let start = ctx.fy.start;
    let ids = Series::new("ids".into(), ctx.member_ids());
    let df = scoped(&frame.df, ctx)
        .filter(
            is("won")
                .and(between(start, ctx.cutoff))
                .and(col("owner_id").is_in(lit(ids).implode(false), false)),
        )
        .with_columns([
            fiscal_quarter(ctx).alias("__q"),
            col("close_date").cast(DataType::Int32).alias("__day"),
        ])
        .sort(
            ["owner_id", "__day", "opportunity_id", "__file", "__row"],
            SortMultipleOptions::default(),
        )
        .collect()
        .map_err(|e| polars_context("listing won lines", e))?;
    // With splits, each line is a member's credit: its share is shown.
    let shares: Option<Vec<Option<f64>>> = df
        .column("__share")
        .ok()
        .and_then(|c| c.f64().ok().map(|ca| ca.iter().collect()));
    let overlay: Option<Vec<bool>> = df.column("__overlay").ok().and_then(|c| {
        c.bool()
            .ok()
            .map(|ca| ca.iter().map(|b| b.unwrap_or(false)).collect())
    });
    let mut columns = vec![
        "member_id",
        "period",
        "category",
        "close_date",
        "opportunity_id",
        "line_id",
        "account_id",
        "product",
        "partner_id",
        "amount",
        "file",
        "line",
    ];
    if shares.is_some() {
        columns.extend(["share_pct", "split_type"]);
    }
    let mut t = Table::new("lines", "Won lines behind the figures", &columns);
    let owner = strs(&df, "owner_id")?;
    let cat = strs(&df, "category")?;
    let opp = strs(&df, "opportunity_id")?;
    let line_id = strs(&df, "line_id")?;
    let account = strs(&df, "account_id")?;
    let product = strs(&df, "product")?;
    let partner = strs(&df, "partner_id")?;
    let q = ints(&df, "__q")?;
    let day = ints(&df, "__day")?;
    let amount = ints(&df, "amount")?;
    let file = ints(&df, "__file")?;
    let row = ints(&df, "__row")?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let text = |v: &Option<String>| v.as_ref().map_or(Cell::Missing, Cell::text);
    for i in 0..df.height() {
        let (display, line) = frame.locate(file[i] as u32, row[i] as u32);
        let date = epoch + chrono::Duration::days(day[i]);
        let mut cells = vec![
            text(&owner[i]),
            Cell::text(format!("Q{}", q[i])),
            text(&cat[i]),
            Cell::text(date.to_string()),
            text(&opp[i]),
            text(&line_id[i]),
            text(&account[i]),
            text(&product[i]),
            text(&partner[i]),
            Cell::Money(Rational::from_cents(amount[i])),
            Cell::text(display),
            Cell::Count(line as i64),
        ];
        if let Some(sh) = &shares {
            cells.push(match sh[i] {
                Some(p) => Rational::from_f64_decimal(p).map_or(Cell::Missing, Cell::Percent),
                None => Cell::Missing,
            });
            cells.push(match sh[i] {
                None => Cell::Missing,
                Some(_) if overlay.as_ref().is_some_and(|o| o[i]) => Cell::text("overlay"),
                Some(_) => Cell::text("revenue"),
            });
        }
        t.push(cells);
    }
    Ok(t)
}
