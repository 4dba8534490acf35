//! Aggregations over the opportunity lines that return small per-owner
//! results: won revenue by category and fiscal quarter and the
//! reconciliation, each one lazy polars query over the typed frame; the
//! line figures of the YTD window (won and lost opportunities, pipeline,
//! past due, partner attach) in one pass over the frame's columns
//! (`line_stats`: distinct opportunities counted from codes, which a
//! polars query does with a hash set per figure and group). The lines
//! never become Rust values one by one.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::frames::{between, epoch_days, flat_get, is, strs, Flat};
use super::Context;
use crate::ingest::frame::{codes_of, polars_context};

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

/// What a line's status says to the line figures.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Said {
    Won,
    Lost,
    Open,
    Other,
}

/// Line figures per owner, and for the team (the members in scope, with
/// opportunities counted once across owners), over the lines in scope
/// ([`scoped`]) but overlay credit for the team. With D the cutoff and
/// YTD = [first day of the year, D]:
///
/// - won, lost = distinct `opportunity_id` with a won (lost) line closing
///   in YTD;
/// - pipeline = Σ amount of open lines with D < close_date ≤ the year's
///   last day; past_due_lines, past_due = count and Σ amount of open lines
///   with close_date ≤ D (a line without an amount is not counted);
/// - won_cents = Σ amount of won lines in YTD; partner_cents the part of
///   it on lines with a `partner_id`; won_with_partner = distinct
///   opportunities with such a line.
///
/// A line without a status, close date or owner counts in no figure of
/// a member (a null owner has its own group, keyed ""); a null
/// opportunity id is one opportunity, as polars' `n_unique` counts it.
/// One pass over the lines' columns; opportunity ids are coded only for
/// won and lost lines in the window, and their distinct counts are taken
/// per owner and for the team from those codes.
pub fn line_stats(
    lines: &DataFrame,
    ctx: &Context,
) -> Result<(BTreeMap<String, LineStats>, LineStats)> {
    let err = |e| polars_context("summing pipeline and win rate", e);
    let (owners, owner_values) = codes_of(lines, "owner_id")?;
    let (status, status_values) = codes_of(lines, "status")?;
    let said: Vec<Said> = (0..status_values.num_cats_upper_bound() as u32)
        .map(|c| match status_values.cat_to_str(c) {
            Some("won") => Said::Won,
            Some("lost") => Said::Lost,
            Some("open") => Said::Open,
            _ => Said::Other,
        })
        .collect();
    // Owners by code, then one slot for a null owner.
    let no_owner = owner_values.num_cats_upper_bound();
    let members: std::collections::HashSet<&str> =
        ctx.members.iter().map(|m| m.id.as_str()).collect();
    let member: Vec<bool> = (0..no_owner as u32)
        .map(|c| {
            owner_values
                .cat_to_str(c)
                .is_some_and(|o| members.contains(o))
        })
        .collect();
    // `--territory`/`--vertical`/`--segment`: accounts in scope by code.
    let in_scope: Option<(UInt32Chunked, Vec<bool>)> = match &ctx.accounts {
        None => None,
        Some(ids) => {
            let ids: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
            let (accounts, values) = codes_of(lines, "account_id")?;
            let ok = (0..values.num_cats_upper_bound() as u32)
                .map(|c| values.cat_to_str(c).is_some_and(|a| ids.contains(a)))
                .collect();
            Some((accounts, ok))
        }
    };
    let amounts = lines
        .column("amount")
        .and_then(|c| c.cast(&DataType::Int64))
        .and_then(|c| c.i64().cloned())
        .map_err(err)?;
    let days = lines
        .column("close_date")
        .and_then(|c| c.cast(&DataType::Int32))
        .and_then(|c| c.i32().cloned())
        .map_err(err)?;
    let partnered: Option<Vec<bool>> = match lines.column("partner_id") {
        Ok(c) => Some(c.is_not_null().iter().map(|p| p == Some(true)).collect()),
        Err(_) => None,
    };
    let overlay = lines
        .clone()
        .lazy()
        .with_column(overlay(lines).alias("__ov"))
        .select([col("__ov")])
        .collect()
        .and_then(|df| df.column("__ov").and_then(|c| c.bool().cloned()))
        .map_err(err)?;
    let overlay: Option<Vec<bool>> = overlay
        .any()
        .then(|| overlay.iter().map(|o| o.unwrap_or(false)).collect());
    let (owners, status, amounts, days) = (
        Flat::new(&owners),
        Flat::new(&status),
        Flat::new(&amounts),
        Flat::new(&days),
    );
    let (owners, status, amounts, days) = (
        owners.parts(),
        status.parts(),
        amounts.parts(),
        days.parts(),
    );
    let scope = in_scope.as_ref().map(|(a, ok)| (Flat::new(a), ok));
    let scope = scope.as_ref().map(|(a, ok)| (a.parts(), *ok));
    let (start, d, end) = (
        epoch_days(ctx.fy.start),
        epoch_days(ctx.cutoff),
        epoch_days(ctx.fy.end),
    );
    // The ids in one piece, read only for won and lost lines.
    let ids = lines
        .column("opportunity_id")
        .and_then(|c| c.cast(&DataType::String))
        .map_err(err)?;
    let ids = ids.str().map_err(err)?.rechunk();
    let ids = ids.downcast_iter().next();
    let mut per: Vec<Option<LineStats>> = vec![None; no_owner + 1];
    let mut team = LineStats::default();
    // Opportunity ids of won and lost lines as codes, in order of first
    // sight (a null id has one too); per code, which distinct figures
    // (bits WON, LOST, WON_PARTNER) it already counted in for the team,
    // and for its first owner (`Seen`) and any other owner (`others`).
    const WON: u8 = 1;
    const LOST: u8 = 2;
    const WON_PARTNER: u8 = 4;
    #[derive(Clone, Copy)]
    struct Seen {
        owner: u32,
        bits: u8,
        team: u8,
    }
    let mut opp_codes: PlHashMap<&str, u32> = PlHashMap::new();
    let mut null_code: Option<u32> = None;
    let mut seen: Vec<Seen> = Vec::new();
    let mut others: PlHashMap<(u32, u32), u8> = PlHashMap::new();
    // The lines of an opportunity follow each other in an export: the
    // last id's code is looked at first.
    let mut last: Option<(&str, u32)> = None;
    for i in 0..lines.height() {
        let Some(day) = flat_get(&days, i) else {
            continue;
        };
        let said = flat_get(&status, i).map_or(Said::Other, |s| said[s as usize]);
        let ytd = day >= start && day <= d;
        let (won, lost) = (said == Said::Won && ytd, said == Said::Lost && ytd);
        let open = said == Said::Open && day <= end;
        if !(won || lost || open) {
            continue;
        }
        if let Some((accounts, ok)) = &scope {
            if !flat_get(accounts, i).is_some_and(|a| ok[a as usize]) {
                continue;
            }
        }
        let owner = flat_get(&owners, i);
        let slot = owner.map_or(no_owner, |o| o as usize);
        let for_team =
            owner.is_some_and(|o| member[o as usize]) && !overlay.as_ref().is_some_and(|o| o[i]);
        let amount = flat_get(&amounts, i);
        let add = |s: &mut LineStats| {
            if let Some(cents) = amount {
                if open && day > d {
                    s.pipeline += cents;
                } else if open {
                    s.past_due_lines += 1;
                    s.past_due += cents;
                } else if won {
                    s.won_cents += cents;
                    if partnered.as_ref().is_some_and(|p| p[i]) {
                        s.partner_cents += cents;
                    }
                }
            }
        };
        add(per[slot].get_or_insert_with(LineStats::default));
        if for_team {
            add(&mut team);
        }
        if open {
            continue;
        }
        // Won or lost: the opportunity counts once per owner and once for
        // the team in each figure it is in.
        let id = ids.and_then(|a| a.get(i));
        let code = match id {
            None => *null_code.get_or_insert_with(|| {
                seen.push(Seen {
                    owner: slot as u32,
                    bits: 0,
                    team: 0,
                });
                seen.len() as u32 - 1
            }),
            Some(id) => match last {
                Some((l, c)) if l == id => c,
                _ => {
                    let next = seen.len() as u32;
                    let c = *opp_codes.entry(id).or_insert(next);
                    if c == next {
                        seen.push(Seen {
                            owner: slot as u32,
                            bits: 0,
                            team: 0,
                        });
                    }
                    last = Some((id, c));
                    c
                }
            },
        };
        let bits = if won {
            WON | if partnered.as_ref().is_some_and(|p| p[i]) {
                WON_PARTNER
            } else {
                0
            }
        } else {
            LOST
        };
        let tally = |s: &mut LineStats, new: u8| {
            s.won += (new & WON != 0) as i64;
            s.lost += (new & LOST != 0) as i64;
            s.won_with_partner += (new & WON_PARTNER != 0) as i64;
        };
        let at = &mut seen[code as usize];
        let owned = match at.owner == slot as u32 {
            true => &mut at.bits,
            false => others.entry((slot as u32, code)).or_insert(0),
        };
        let new = bits & !*owned;
        *owned |= bits;
        if let Some(s) = per[slot].as_mut() {
            tally(s, new);
        }
        if for_team {
            let new = bits & !at.team;
            at.team |= bits;
            tally(&mut team, new);
        }
    }
    let by_owner = per
        .into_iter()
        .enumerate()
        .filter_map(|(slot, s)| {
            let name = match slot == no_owner {
                true => String::new(),
                false => owner_values
                    .cat_to_str(slot as u32)
                    .unwrap_or_default()
                    .to_string(),
            };
            s.map(|s| (name, s))
        })
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::frames::day;
    use crate::metrics::penetration::tests::{ctx, d};

    // The polars query these figures were first computed by (stop 21),
    // kept as a second reading of the definition.
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

    fn reference(lines: &DataFrame, ctx: &Context) -> (BTreeMap<String, LineStats>, LineStats) {
        let per = scoped(lines, ctx)
            .filter(stats_rows(ctx))
            .group_by([col("owner_id")])
            .agg(stats_exprs(ctx))
            .collect()
            .unwrap();
        let owners = strs(&per, "owner_id").unwrap();
        let by_owner = owners
            .into_iter()
            .zip(stats_from(&per).unwrap())
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
            .unwrap();
        (by_owner, stats_from(&team).unwrap()[0])
    }

    type Line<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        &'a str,
        Option<NaiveDate>,
        Option<&'a str>,
        Option<i64>,
        Option<&'a str>,
        Option<bool>,
    );

    /// Lines of FY2013 (2012-07-01..2013-06-30) with D = 2013-01-30:
    /// (opportunity, owner, account, close date, status, cents, partner,
    /// overlay).
    fn frame(rows: &[Line]) -> DataFrame {
        let epoch = |x: &Option<NaiveDate>| x.map(epoch_days);
        DataFrame::new_infer_height(vec![
            Column::new(
                "opportunity_id".into(),
                rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            ),
            Column::new(
                "owner_id".into(),
                rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            ),
            Column::new(
                "account_id".into(),
                rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            ),
            Column::new(
                "close_date".into(),
                rows.iter().map(|r| epoch(&r.3)).collect::<Vec<_>>(),
            )
            .cast(&DataType::Date)
            .unwrap(),
            Column::new(
                "status".into(),
                rows.iter().map(|r| r.4).collect::<Vec<_>>(),
            ),
            Column::new(
                "amount".into(),
                rows.iter().map(|r| r.5).collect::<Vec<_>>(),
            ),
            Column::new(
                "partner_id".into(),
                rows.iter().map(|r| r.6).collect::<Vec<_>>(),
            ),
            Column::new(
                "__overlay".into(),
                rows.iter().map(|r| r.7).collect::<Vec<_>>(),
            ),
        ])
        .unwrap()
    }

    fn sample() -> DataFrame {
        let (won, lost, open) = (Some("won"), Some("lost"), Some("open"));
        let day = |y, m, dd| Some(d(y, m, dd));
        frame(&[
            // 1-2: O1 won by M01 on the year's first day and on D, a
            // partner on the first line.
            (
                Some("O1"),
                Some("M01"),
                "A1",
                day(2012, 7, 1),
                won,
                Some(100),
                Some("P1"),
                Some(false),
            ),
            (
                Some("O1"),
                Some("M01"),
                "A1",
                day(2013, 1, 30),
                won,
                Some(200),
                None,
                None,
            ),
            // 3-4: won the day before the year and the day after D.
            (
                Some("O2"),
                Some("M01"),
                "A2",
                day(2012, 6, 30),
                won,
                Some(1000),
                None,
                None,
            ),
            (
                Some("O3"),
                Some("M01"),
                "A1",
                day(2013, 1, 31),
                won,
                Some(50),
                None,
                None,
            ),
            // 5-6: O4 lost by M02 and by M01 (one opportunity for the team).
            (
                Some("O4"),
                Some("M02"),
                "A2",
                day(2012, 9, 1),
                lost,
                Some(300),
                None,
                None,
            ),
            (
                Some("O4"),
                Some("M01"),
                "A2",
                day(2012, 9, 1),
                lost,
                Some(300),
                None,
                None,
            ),
            // 7-9: open the day after D and on the year's last day
            // (pipeline), and the day after it (nothing).
            (
                Some("O5"),
                Some("M01"),
                "A1",
                day(2013, 1, 31),
                open,
                Some(400),
                None,
                None,
            ),
            (
                Some("O5"),
                Some("M01"),
                "A1",
                day(2013, 6, 30),
                open,
                Some(500),
                None,
                None,
            ),
            (
                Some("O6"),
                Some("M01"),
                "A1",
                day(2013, 7, 1),
                open,
                Some(600),
                None,
                None,
            ),
            // 10-11: past due on D and years before; without an amount it
            // is no past-due line.
            (
                Some("O7"),
                Some("M02"),
                "A2",
                day(2013, 1, 30),
                open,
                Some(700),
                None,
                None,
            ),
            (
                Some("O7"),
                Some("M02"),
                "A2",
                day(2010, 1, 1),
                open,
                None,
                None,
                None,
            ),
            // 12-13: an owner not in the roster, and no owner.
            (
                Some("O8"),
                Some("M99"),
                "A1",
                day(2012, 8, 1),
                won,
                Some(800),
                Some("P2"),
                None,
            ),
            (
                Some("O9"),
                None,
                "A1",
                day(2012, 8, 1),
                won,
                Some(900),
                None,
                None,
            ),
            // 14-15: no opportunity id: one opportunity.
            (
                None,
                Some("M02"),
                "A1",
                day(2012, 8, 2),
                won,
                Some(10),
                None,
                None,
            ),
            (
                None,
                Some("M02"),
                "A1",
                day(2012, 8, 3),
                won,
                Some(20),
                Some("P3"),
                None,
            ),
            // 16: overlay credit counts for M02, not for the team.
            (
                Some("O10"),
                Some("M02"),
                "A3",
                day(2012, 10, 1),
                won,
                Some(5000),
                Some("P1"),
                Some(true),
            ),
            // 17-18: no close date, no status.
            (
                Some("O11"),
                Some("M01"),
                "A1",
                None,
                won,
                Some(99),
                None,
                None,
            ),
            (
                Some("O12"),
                Some("M01"),
                "A1",
                day(2012, 10, 1),
                None,
                Some(77),
                None,
                None,
            ),
            // 19-20: M02's credit on O1 (the team counts O1 once), and O4
            // won by M02 as well as lost.
            (
                Some("O1"),
                Some("M02"),
                "A1",
                day(2012, 10, 1),
                won,
                Some(30),
                None,
                None,
            ),
            (
                Some("O4"),
                Some("M02"),
                "A2",
                day(2012, 10, 1),
                won,
                Some(40),
                Some("P4"),
                None,
            ),
        ])
    }

    #[allow(clippy::too_many_arguments)]
    fn stats(
        won: i64,
        lost: i64,
        pipeline: i64,
        past_due_lines: i64,
        past_due: i64,
        won_with_partner: i64,
        won_cents: i64,
        partner_cents: i64,
    ) -> LineStats {
        LineStats {
            won,
            lost,
            pipeline,
            past_due_lines,
            past_due,
            won_with_partner,
            won_cents,
            partner_cents,
        }
    }

    #[test]
    fn line_figures_by_hand() {
        let df = sample();
        let c = ctx(d(2013, 1, 30));
        let (by_owner, team) = line_stats(&df, &c).unwrap();
        // M01: O1 won (1.00 + 2.00, 1.00 with a partner), O4 lost,
        // pipeline 4.00 + 5.00.
        assert_eq!(by_owner["M01"], stats(1, 1, 900, 0, 0, 1, 300, 100));
        // M02: won O1, O4, O10 and the line without an id (4), three with
        // a partner; O4 lost; 7.00 past due on one line.
        assert_eq!(by_owner["M02"], stats(4, 1, 0, 1, 700, 3, 5100, 5060));
        assert_eq!(by_owner["M99"], stats(1, 0, 0, 0, 0, 1, 800, 800));
        assert_eq!(by_owner[""], stats(1, 0, 0, 0, 0, 0, 900, 0));
        assert_eq!(by_owner.len(), 4);
        // The team: O1, O4 and the line without an id won, O4 lost; no
        // overlay credit, no owner outside the members.
        assert_eq!(team, stats(3, 1, 900, 1, 700, 3, 400, 160));
        assert_eq!((by_owner, team), reference(&df, &c));
    }

    #[test]
    fn line_figures_on_the_accounts_in_scope() {
        let df = sample();
        let mut c = ctx(d(2013, 1, 30));
        c.accounts = Some(vec!["A1".to_string()]);
        let (by_owner, team) = line_stats(&df, &c).unwrap();
        assert_eq!(by_owner["M01"], stats(1, 0, 900, 0, 0, 1, 300, 100));
        assert_eq!(by_owner["M02"], stats(2, 0, 0, 0, 0, 1, 60, 20));
        assert_eq!(team, stats(2, 0, 900, 0, 0, 2, 360, 120));
        assert_eq!((by_owner, team), reference(&df, &c));
        // Owners and statuses held as codes (as ingest holds owners) read
        // alike.
        let mut coded = df.clone();
        for name in ["owner_id", "status", "account_id"] {
            let cats = Categories::random("t".into(), CategoricalPhysical::U32);
            let c = coded
                .column(name)
                .unwrap()
                .cast(&DataType::from_categories(cats))
                .unwrap();
            coded.with_column(c).unwrap();
        }
        assert!(matches!(
            coded.column("owner_id").unwrap().dtype(),
            DataType::Categorical(_, _)
        ));
        assert_eq!(
            line_stats(&coded, &c).unwrap(),
            line_stats(&df, &c).unwrap()
        );
        // Without overlay or partner columns.
        let plain = df.drop_many(["__overlay", "partner_id"]);
        let (_, team) = line_stats(&plain, &c).unwrap();
        assert_eq!(team, stats(2, 0, 900, 0, 0, 0, 360, 0));
    }
}
