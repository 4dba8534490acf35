//! Split credit (SPEC §3.6c): splits.csv (or Salesforce's
//! OpportunitySplit.csv) read into shares, checked (a percent from 0 to 100;
//! an opportunity's revenue splits add up to exactly 100 %), and applied to
//! the opportunity lines: each line of an opportunity with splits becomes
//! one line per split member, owned by that member, with the member's share
//! of the amount. Revenue shares are distributed to the cent by largest
//! remainder, so that they add up to the line exactly; overlay shares are
//! each rounded half away from zero and flagged `__overlay` (they credit a
//! member and add to no team figure). `__share` keeps each line's percent
//! for `--explain`.

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;
use crate::num::Rational;

/// One member's share of an opportunity.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub opportunity: String,
    pub member: String,
    /// 0–100, exact.
    pub percent: Rational,
    pub overlay: bool,
}

/// The splits of splits.csv, checked: whole-row duplicates used once, a bad
/// percent or type is a row problem, and an opportunity whose revenue
/// splits do not add up to 100 % is a problem naming it and its lines (all
/// its splits are left out).
pub(super) fn splits_from(frame: &mut Frame, diag: &mut Diagnostics) -> Result<Vec<Split>> {
    let Diagnostics { problems, warnings } = diag;
    let cols: Vec<&str> = SPLITS.columns.iter().map(|c| c.name).collect();
    frame.ledger.duplicates +=
        frame::dedup_said(frame, &cols, frame::Same::WholeRow, "split row", warnings)?;
    let df = frame
        .df
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .map_err(|e| frame::polars_context("sorting splits", e))?;
    let (opps, members, percents, types) = (
        str_col(&df, "opportunity_id")?,
        str_col(&df, "member_id")?,
        str_col(&df, "percent")?,
        str_col(&df, "split_type")?,
    );
    let files = u32_col(&df, "__file")?;
    let rows = u32_col(&df, "__row")?;
    let mut rejected: Vec<Problem> = Vec::new();
    // opportunity → its splits with where they were read.
    let mut by_opp: BTreeMap<String, Vec<(Split, String, u64)>> = BTreeMap::new();
    for i in 0..df.height() {
        let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
        let raw = percents.get(i).unwrap_or("");
        let overlay = match types.get(i).map(|t| t.trim().to_lowercase()) {
            None => false,
            Some(t) if t.contains("overlay") => true,
            Some(t) if t.contains("revenue") => false,
            Some(_) => {
                rejected.push(
                    Problem::row(&file, line, &frame.label("split_type"), types.get(i).unwrap_or(""), "is not a split type (revenue or overlay)", "bad split type")
                        .with_hint("a revenue split adds up to 100 % per opportunity, an overlay split credits a member on top; map [columns.splits] split_type to the type's name (e.g. SplitType.MasterLabel), not its id"),
                );
                continue;
            }
        };
        // Salesforce: a split validated to 100 % is 0–100; an overlay,
        // which is not, may be up to 1,000 %.
        let max = if overlay { 1000 } else { 100 };
        let Some(percent) = Rational::parse_percent(raw)
            .filter(|p| !p.is_negative() && *p <= Rational::from_int(max))
        else {
            rejected.push(
                Problem::row(
                    &file,
                    line,
                    &frame.label("percent"),
                    raw,
                    format!("is not a split percent (a number from 0 to {max})"),
                    "bad split percent",
                )
                .with_hint("write the member's share in percent, e.g. 60 or 60%"),
            );
            continue;
        };
        let split = Split {
            opportunity: opps.get(i).unwrap_or("").to_string(),
            member: members.get(i).unwrap_or("").to_string(),
            percent,
            overlay,
        };
        by_opp
            .entry(split.opportunity.clone())
            .or_default()
            .push((split, file, line));
    }
    let mut out = Vec::new();
    for (opp, splits) in by_opp {
        let revenue: Rational = splits
            .iter()
            .filter(|(s, _, _)| !s.overlay)
            .map(|(s, _, _)| s.percent)
            .sum();
        let has_revenue = splits.iter().any(|(s, _, _)| !s.overlay);
        if has_revenue && revenue != Rational::from_int(100) {
            let lines: Vec<String> = splits
                .iter()
                .filter(|(s, _, _)| !s.overlay)
                .map(|(_, _, l)| l.to_string())
                .collect();
            let (file, first) = (splits[0].1.clone(), splits[0].2);
            for _ in &splits {
                *frame
                    .ledger
                    .rejected
                    .entry("revenue splits not 100 %".to_string())
                    .or_default() += 1;
            }
            problems.push(
                Problem::row(
                    &file,
                    first,
                    &frame.label("percent"),
                    &revenue.to_fixed(2),
                    format!(
                        "opportunity {opp}: its revenue splits (lines {}) add up to {} %, not 100 %",
                        lines.join(", "),
                        revenue.to_fixed(2)
                    ),
                    "revenue splits not 100 %",
                )
                .with_hint("fix the split percentages in the CRM; overlay splits (split_type overlay) need not add up"),
            );
            continue;
        }
        out.extend(splits.into_iter().map(|(s, _, _)| s));
    }
    let accepted = out.len();
    finish_rows(
        frame,
        rejected,
        problems,
        &Default::default(),
        "splits",
        warnings,
        accepted,
    )?;
    Ok(out)
}

/// `amount` cents shared by `percents` (which add up to 100): each share
/// floored, then the cents left given one each to the largest remainders
/// (the earlier split on a tie), so that the shares add up to `amount`.
pub fn largest_remainder(amount: i64, percents: &[Rational]) -> Vec<i64> {
    let sign = if amount < 0 { -1 } else { 1 };
    let abs = i128::from(amount).abs();
    let mut shares: Vec<(i128, i128, i128)> = percents
        .iter()
        .map(|p| {
            // abs × p / 100 = abs × num / (100 × den)
            let num = abs * p.numer();
            let den = 100 * p.denom();
            (num / den, num % den, den)
        })
        .collect();
    let given: i128 = shares.iter().map(|s| s.0).sum();
    let mut left = abs - given;
    let mut order: Vec<usize> = (0..shares.len()).collect();
    // Remainders compared exactly: r1 / d1 against r2 / d2.
    order.sort_by(|&a, &b| {
        let (_, ra, da) = shares[a];
        let (_, rb, db) = shares[b];
        (rb * da).cmp(&(ra * db)).then(a.cmp(&b))
    });
    for i in order {
        if left <= 0 {
            break;
        }
        shares[i].0 += 1;
        left -= 1;
    }
    shares
        .into_iter()
        .map(|(s, _, _)| sign * s as i64)
        .collect()
}

/// Applies the splits to the opportunity lines (see the module doc).
pub(super) fn apply_splits(frame: &mut Frame, splits: &[Split]) -> Result<()> {
    if splits.is_empty() {
        return Ok(());
    }
    let mut by_opp: BTreeMap<&str, Vec<&Split>> = BTreeMap::new();
    for s in splits {
        by_opp.entry(s.opportunity.as_str()).or_default().push(s);
    }
    let df = &frame.df;
    let opps = str_col(df, "opportunity_id")?;
    let owners: Vec<Option<&str>> = frame::texts(df, "owner_id")?.collect();
    let amounts = df
        .column("amount")
        .and_then(|c| c.i64().cloned())
        .map_err(|e| frame::polars_context("sharing split credit", e))?;
    let mut take: Vec<IdxSize> = Vec::with_capacity(df.height());
    let mut owner: Vec<Option<String>> = Vec::with_capacity(df.height());
    let mut amount: Vec<Option<i64>> = Vec::with_capacity(df.height());
    let mut overlay: Vec<bool> = Vec::with_capacity(df.height());
    let mut share: Vec<Option<f64>> = Vec::with_capacity(df.height());
    for (i, line_owner) in owners.iter().enumerate() {
        let split = opps.get(i).and_then(|o| by_opp.get(o));
        match split {
            None => {
                take.push(i as IdxSize);
                owner.push(line_owner.map(str::to_string));
                amount.push(amounts.get(i));
                overlay.push(false);
                share.push(None);
            }
            Some(list) => {
                let cents = amounts.get(i);
                let revenue: Vec<&&Split> = list.iter().filter(|s| !s.overlay).collect();
                let parts = largest_remainder(
                    cents.unwrap_or(0),
                    &revenue.iter().map(|s| s.percent).collect::<Vec<_>>(),
                );
                for (s, part) in revenue.iter().zip(parts) {
                    take.push(i as IdxSize);
                    owner.push(Some(s.member.clone()));
                    amount.push(cents.map(|_| part));
                    overlay.push(false);
                    share.push(Some(s.percent.to_f64()));
                }
                for s in list.iter().filter(|s| s.overlay) {
                    take.push(i as IdxSize);
                    owner.push(Some(s.member.clone()));
                    amount.push(cents.map(|c| {
                        (Rational::from_cents(c) * s.percent)
                            .checked_div(Rational::from_int(100))
                            .map_or(0, |v| v.round_units(2) as i64)
                    }));
                    overlay.push(true);
                    share.push(Some(s.percent.to_f64()));
                }
            }
        }
    }
    let idx = IdxCa::from_vec("idx".into(), take);
    let mut out = df
        .take(&idx)
        .map_err(|e| frame::polars_context("sharing split credit", e))?;
    let owner: StringChunked = owner.into_iter().collect();
    let amount: Int64Chunked = amount.into_iter().collect();
    let overlay = BooleanChunked::from_iter_values("__overlay".into(), overlay.into_iter());
    let share: Float64Chunked = share.into_iter().collect();
    for c in [
        owner.with_name("owner_id".into()).into_column(),
        amount.with_name("amount".into()).into_column(),
        overlay.into_column(),
        share.with_name("__share".into()).into_column(),
    ] {
        out.with_column(c)
            .map_err(|e| frame::polars_context("sharing split credit", e))?;
    }
    frame.df = out;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Rational {
        Rational::parse_percent(s).unwrap()
    }

    #[test]
    fn shares_add_up_to_the_line_to_the_cent() {
        // 100.00 in three: 33.333… each; the left cent to the first.
        assert_eq!(
            largest_remainder(
                10_000,
                &[p("33.3333333333"), p("33.3333333333"), p("33.3333333334")]
            ),
            vec![3_333, 3_333, 3_334]
        );
        // 1,000.01 at 60/40: 600.006 → 600.00 + 0.01, 400.004 → 400.00.
        assert_eq!(
            largest_remainder(100_001, &[p("60"), p("40")]),
            vec![60_001, 40_000]
        );
        // 0.10 in three equal thirds (1/3 each): 3, 3, 3 and one cent to the
        // first on a tie.
        let third = Rational::new(100, 3).unwrap();
        assert_eq!(largest_remainder(10, &[third, third, third]), vec![4, 3, 3]);
        // Negative amounts share the same way, signs kept.
        assert_eq!(
            largest_remainder(-100_001, &[p("60"), p("40")]),
            vec![-60_001, -40_000]
        );
        let parts = largest_remainder(123_457, &[p("12.5"), p("37.5"), p("50")]);
        assert_eq!(parts.iter().sum::<i64>(), 123_457);
        assert_eq!(parts, vec![15_432, 46_296, 61_729]);
    }
}
