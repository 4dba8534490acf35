//! Duplicates: rows identical in every column of the export as written
//! (revenue lines, survey responses) or in every column atu reads (records
//! known by an id), used once and counted.

use anyhow::Result;
use polars::prelude::*;

use super::frame::*;

/// A duplicate row in words: `opportunities.csv:1201 repeats line 401`.
pub type DuplicateExample = String;

/// `file:line`, or `line N` when `file` is `same_as`: how one row points at
/// another in messages.
pub fn refer(file: &str, line: u64, same_as: &str) -> String {
    if file == same_as {
        format!("line {line}")
    } else {
        format!("{file}:{line}")
    }
}

/// What makes two rows one in [`dedup`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Same {
    /// Identical in every column of the export as written, read or not
    /// (`__hash`) and in every canonical column: revenue lines and survey
    /// responses, which count one by one (SPEC §1.3).
    WholeRow,
    /// Identical in every canonical column: records known by an id
    /// (members, accounts, contacts, quotas, KPI values), where a row that
    /// repeats another's id and every value atu reads says the same thing
    /// twice, whatever columns atu does not read hold.
    Read,
}

/// Drops duplicates (see [`Same`]), keeping the first, and returns how many
/// were dropped with up to 3 examples such as `b.csv:3 repeats a.csv:4`.
pub fn dedup(
    frame: &mut Frame,
    columns: &[&str],
    same: Same,
) -> Result<(u64, Vec<DuplicateExample>)> {
    let before = frame.df.height() as u64;
    if before == 0 {
        return Ok((0, Vec::new()));
    }
    // Other columns (raw copies) follow the first row of each group, and so
    // does the row hash where it is not a key.
    let has_hash = frame
        .df
        .get_column_names()
        .iter()
        .any(|n| n.as_str() == "__hash");
    let extra: Vec<String> = frame
        .df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .filter(|n| n.starts_with("__raw_"))
        .collect();
    let mut keys: Vec<Expr> = columns.iter().map(|c| col(*c)).collect();
    if same == Same::WholeRow && has_hash {
        keys.push(col("__hash"));
    }
    let mut aggs = vec![
        col("__file").first().alias("__file"),
        col("__row").first().alias("__row"),
        col("__file").last().alias("__file_last"),
        col("__row").last().alias("__row_last"),
        len().alias("__n"),
    ];
    aggs.extend(
        extra
            .iter()
            .map(|n| col(n.as_str()).first().alias(n.as_str())),
    );
    if has_hash && same == Same::Read {
        aggs.push(col("__hash").first().alias("__hash"));
    }
    let grouped = frame
        .df
        .clone()
        .lazy()
        .group_by(keys)
        .agg(aggs)
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .collect()
        .map_err(|e| polars_context("finding duplicate rows", e))?;
    let after = grouped.height() as u64;
    if after == before {
        return Ok((0, Vec::new()));
    }
    let examples_df = grouped
        .clone()
        .lazy()
        .filter(col("__n").gt(lit(1)))
        .limit(3)
        .collect()
        .map_err(|e| polars_context("finding duplicate rows", e))?;
    let mut examples = Vec::new();
    let get_u32 = |df: &DataFrame, name: &str, i: usize| -> u32 {
        df.column(name)
            .ok()
            .and_then(|c| c.cast(&DataType::UInt32).ok())
            .and_then(|c| c.u32().ok().and_then(|ca| ca.get(i)))
            .unwrap_or(0)
    };
    for i in 0..examples_df.height() {
        let (first_file, first) = frame.locate(
            get_u32(&examples_df, "__file", i),
            get_u32(&examples_df, "__row", i),
        );
        let (copy_file, copy) = frame.locate(
            get_u32(&examples_df, "__file_last", i),
            get_u32(&examples_df, "__row_last", i),
        );
        examples.push(format!(
            "{copy_file}:{copy} repeats {}",
            refer(&first_file, first, &copy_file)
        ));
    }
    // Columns in the loader's order: `__file`, `__row`, `__hash`, the
    // canonical ones, the raw copies.
    let mut keep = vec![col("__file"), col("__row")];
    if has_hash {
        keep.push(col("__hash"));
    }
    keep.extend(columns.iter().map(|c| col(*c)));
    keep.extend(extra.iter().map(|n| col(n.as_str())));
    frame.df = grouped
        .lazy()
        .select(keep)
        .collect()
        .map_err(|e| polars_context("dropping duplicate rows", e))?;
    let dups = before - after;
    frame.ledger.duplicates += dups;
    Ok((dups, examples))
}

/// [`dedup`], and a warning naming up to three examples when it dropped
/// any: `2 duplicate account row(s) used once (e.g. …)` (`what` names the
/// rows: "account row", "opportunity line").
pub fn dedup_said(
    frame: &mut Frame,
    columns: &[&str],
    same: Same,
    what: &str,
    warnings: &mut Vec<String>,
) -> Result<u64> {
    let (dups, examples) = dedup(frame, columns, same)?;
    if dups > 0 {
        warnings.push(format!(
            "{dups} duplicate {what}(s) used once (e.g. {})",
            examples.join("; ")
        ));
    }
    Ok(dups)
}
