//! The polars helpers the metric families share: line expressions (close
//! date as days, a date window, a status) and reading the small result
//! frames of an aggregation back into Rust values.

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use crate::ingest::frame::polars_context;
pub use crate::ingest::frame::texts;

/// Days since 1970-01-01, polars' Date representation.
pub fn epoch_days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (d - epoch).num_days() as i32
}

/// A line's close date as days.
pub fn day() -> Expr {
    col("close_date").cast(DataType::Int32)
}

/// Lines closing from `lo` to `hi`, both included.
pub fn between(lo: NaiveDate, hi: NaiveDate) -> Expr {
    day()
        .gt_eq(lit(epoch_days(lo)))
        .and(day().lt_eq(lit(epoch_days(hi))))
}

/// Lines of a status (`won`, `lost`, `open`).
pub fn is(status: &str) -> Expr {
    col("status").eq(lit(status))
}

/// A text column of a result frame (String, or categorical as ingest holds
/// the lines' columns of few values).
pub fn strs(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    Ok(texts(df, name)?.map(|v| v.map(str::to_string)).collect())
}

/// An integer column of a result frame.
pub fn ints(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>> {
    Ok(df
        .column(name)
        .and_then(|c| c.cast(&DataType::Int64))
        .map_err(|e| polars_context("reading results", e))?
        .i64()
        .map_err(|e| polars_context("reading results", e))?
        .iter()
        .collect())
}
