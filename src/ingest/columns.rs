//! Helpers the table readers share: typed columns of a loaded frame,
//! rows by a condition, distinct values, one spelling per value, people
//! named by name resolved to ids, and the end of a per-row check.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use super::problems::Problem;
use super::*;

pub(super) fn str_col<'a>(df: &'a DataFrame, name: &str) -> Result<&'a StringChunked> {
    df.column(name)
        .and_then(|c| c.str())
        .map_err(|e| frame::polars_context(&format!("reading column {name}"), e))
}

/// A Date column as dates (`None` where empty).
pub(super) fn date_col(df: &DataFrame, name: &str) -> Result<Vec<Option<NaiveDate>>> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::Int32))
        .map_err(|e| frame::polars_context(&format!("reading column {name}"), e))?;
    let ca = c
        .i32()
        .map_err(|e| frame::polars_context(&format!("reading column {name}"), e))?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    Ok(ca
        .iter()
        .map(|d| d.and_then(|d| epoch.checked_add_signed(chrono::Duration::days(d as i64))))
        .collect())
}

pub(super) fn u32_col(df: &DataFrame, name: &str) -> Result<UInt32Chunked> {
    df.column(name)
        .and_then(|c| c.cast(&DataType::UInt32))
        .and_then(|c| c.u32().cloned())
        .map_err(|e| frame::polars_context(&format!("reading column {name}"), e))
}

/// The end of a per-row check: rejected rows into the ledger and the
/// problems, a warning for rows on accounts accounts.csv lacks (`what`:
/// "contacts"), and the accepted count.
pub(super) fn finish_rows(
    frame: &mut Frame,
    rejected: Vec<Problem>,
    problems: &mut Vec<Problem>,
    unknown: &BTreeSet<String>,
    what: &str,
    warnings: &mut Vec<String>,
    accepted: usize,
) -> Result<()> {
    for p in rejected {
        *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        problems.push(p);
    }
    if !unknown.is_empty() {
        let shown: Vec<&str> = unknown.iter().take(10).map(String::as_str).collect();
        warnings.push(format!(
            "{}: {what} on accounts not in accounts.csv ({}{}): they count for no member and not for the team",
            frame.ledger.files.join(", "),
            problems::show_list(shown.iter().copied()),
            if unknown.len() > 10 { ", …" } else { "" }
        ));
    }
    frame.ledger.accepted = accepted as u64;
    Ok(())
}

/// Rewrites a column of people (owners, quota holders) given as roster
/// names to the members' ids (see [`names`]).
pub(super) fn resolve_people(
    frame: &mut Frame,
    column: &str,
    index: &names::NameIndex,
    warnings: &mut Vec<String>,
) -> Result<()> {
    if frame.df.height() == 0 {
        return Ok(());
    }
    let values = distinct(&frame.df, column)?;
    let (rewrites, mut w) = names::resolve_all(
        index,
        values.iter().map(String::as_str),
        column,
        &frame.ledger.files.join(", "),
    );
    warnings.append(&mut w);
    if rewrites.is_empty() {
        return Ok(());
    }
    as_text(&mut frame.df, column)?;
    let from: Vec<&str> = rewrites.keys().map(String::as_str).collect();
    let to: Vec<&str> = rewrites.values().map(String::as_str).collect();
    let map = DataFrame::new_infer_height(vec![
        Column::new(column.into(), from),
        Column::new("__to".into(), to),
    ])
    .map_err(|e| frame::polars_context("resolving names", e))?;
    frame.df = frame
        .df
        .clone()
        .lazy()
        .join(
            map.lazy(),
            [col(column)],
            [col(column)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("__to").is_not_null())
                .then(col("__to"))
                .otherwise(col(column))
                .alias(column),
        )
        .drop(Selector::ByName {
            names: ["__to".into()].into(),
            strict: true,
        })
        .collect()
        .map_err(|e| frame::polars_context("resolving names", e))?;
    Ok(())
}

/// A column held as codes (`source::scan`) made text again, for the rare
/// rewrite of its values (names resolved to ids, spellings unified); the
/// lines' columns of few values are coded again once ingest is done.
pub(super) fn as_text(df: &mut DataFrame, column: &str) -> Result<()> {
    let Ok(c) = df.column(column) else {
        return Ok(());
    };
    if !matches!(c.dtype(), DataType::Categorical(_, _)) {
        return Ok(());
    }
    let text = c
        .cast(&DataType::String)
        .map_err(|e| frame::polars_context(&format!("reading column {column}"), e))?;
    df.with_column(text)
        .map_err(|e| frame::polars_context(&format!("reading column {column}"), e))?;
    Ok(())
}

/// The distinct filled values of a text column, sorted.
pub(super) fn distinct(df: &DataFrame, column: &str) -> Result<Vec<String>> {
    if df.height() == 0 {
        return Ok(Vec::new());
    }
    let uniq = df
        .clone()
        .lazy()
        .select([col(column).unique()])
        .collect()
        .map_err(|e| frame::polars_context(&format!("listing the values of {column}"), e))?;
    let mut values: Vec<String> = frame::texts(&uniq, column)?
        .flatten()
        .map(str::to_string)
        .collect();
    values.sort();
    Ok(values)
}

/// `df` less the rows where `keep` is false, in their order, a column at a
/// time: each column's copy replaces it before the next is made, so that a
/// table of millions of rows is never held twice. Nothing is copied when
/// every row is kept.
pub(super) fn keep_rows(df: &mut DataFrame, keep: &BooleanChunked) -> PolarsResult<()> {
    if keep.all() {
        return Ok(());
    }
    let height = keep.sum().unwrap_or(0) as usize;
    let columns = std::mem::replace(df, DataFrame::empty()).into_columns();
    let mut out = Vec::with_capacity(columns.len());
    for c in columns {
        out.push(c.filter(keep)?);
    }
    *df = DataFrame::new(height, out)?;
    Ok(())
}

/// The rows of `df` where `cond` holds.
pub(super) fn rows_where(df: &DataFrame, cond: Expr, what: &str) -> Result<DataFrame> {
    df.clone()
        .lazy()
        .filter(cond)
        .collect()
        .map_err(|e| frame::polars_context(what, e))
}

/// Rewrites the spellings of a text column that differ only in case to one
/// of them (the first in sort order); returns a warning naming them.
pub(super) fn unify_spellings(frame: &mut Frame, column: &str) -> Result<Option<String>> {
    if frame.df.height() == 0 {
        return Ok(None);
    }
    let values = distinct(&frame.df, column)?;
    let mut canon: BTreeMap<String, String> = BTreeMap::new();
    let mut rewrites: Vec<(String, String)> = Vec::new();
    for v in values {
        let key = v.to_lowercase();
        match canon.get(&key) {
            Some(c) => rewrites.push((v, c.clone())),
            None => {
                canon.insert(key, v);
            }
        }
    }
    if rewrites.is_empty() {
        return Ok(None);
    }
    as_text(&mut frame.df, column)?;
    let mut e = col(column);
    for (from, to) in &rewrites {
        e = when(col(column).eq(lit(from.as_str())))
            .then(lit(to.as_str()))
            .otherwise(e);
    }
    frame.df = frame
        .df
        .clone()
        .lazy()
        .with_column(e.alias(column))
        .collect()
        .map_err(|e| frame::polars_context("unifying spellings", e))?;
    let shown: Vec<String> = rewrites
        .iter()
        .take(5)
        .map(|(f, t)| format!("\"{f}\" as \"{t}\""))
        .collect();
    Ok(Some(format!(
        "{}: {column} spelled in several ways is read as one: {}{}",
        frame.ledger.files.join(", "),
        shown.join(", "),
        if rewrites.len() > 5 { ", …" } else { "" }
    )))
}

/// Replaces the frame with `df` less the rows flagged in `bad`, whose
/// `problems` go to the diagnostics and the ledger (a row with several
/// problems counts once, under the reason of its first, as the typing
/// stage counts them).
pub(super) fn leave_out_rows(
    frame: &mut Frame,
    df: DataFrame,
    bad: &[bool],
    problems: Vec<Problem>,
    diag: &mut Diagnostics,
    what: &str,
) -> Result<()> {
    frame.df = if problems.is_empty() {
        df
    } else {
        let mask = BooleanChunked::from_iter_values("__ok".into(), bad.iter().map(|b| !b));
        df.filter(&mask)
            .map_err(|e| frame::polars_context(what, e))?
    };
    let mut counted: BTreeSet<(String, Option<u64>)> = BTreeSet::new();
    for p in &problems {
        if counted.insert((p.file.clone(), p.line)) {
            *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        }
    }
    diag.problems.extend(problems);
    Ok(())
}
