//! Framing one read source with polars: the text columns `source::scan`
//! built, with the record index and the record hash, under canonical names
//! (first filled or by status), row filters; rows with NULs in read fields
//! left out.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use polars::prelude::*;

use super::frame::*;
use super::problems::Problem;
use super::source::{self};
use super::typing;
use crate::config::{Condition, Filter, Headers, LineStatus};
use crate::schema::{Kind, TableSpec};

/// Frames one source's text columns: record index as `__row`,
/// canonical column names (a column of several headers takes, per row, the
/// first filled; a column per status takes the headers of the row's status,
/// read from its status column through `statuses`), `__file` set to
/// `file_idx`, and `__skip` naming the first row filter a row fails (null
/// when it passes them all).
pub(super) fn read_source(
    src: &source::Source,
    mapping: &[(&'static str, Headers)],
    statuses: &BTreeMap<String, LineStatus>,
    filters: &[(Filter, String)],
    team: Option<&(Filter, String)>,
    currencies: &[(&'static str, Option<String>)],
    file_idx: u32,
) -> Result<DataFrame> {
    if src.hashes.len() as u64 != src.records
        || src
            .columns
            .iter()
            .any(|(_, c)| c.len() as u64 != src.records)
    {
        bail!(
            "{}: read columns of other lengths than the file's {} records\nhelp: this is a bug in atu; please report it with the file's header",
            src.display,
            src.records
        );
    }
    // The columns read (see `source::Source::columns`), the record index
    // and the hash of each record as written.
    let mut cols: Vec<Column> = vec![
        Column::new(
            "__row".into(),
            (0..src.records as IdxSize).collect::<Vec<IdxSize>>(),
        ),
        Column::new("__hash".into(), src.hashes.as_slice()),
    ];
    cols.extend(src.columns.iter().map(|(_, c)| c.clone()));
    let df = DataFrame::new(src.records as usize, cols)
        .map_err(|e| polars_context(&format!("reading the columns of {}", src.display), e))?;
    // A header's column is found by its position (the first, when the
    // header repeats); `source::scan` read every header asked for.
    let raw = |h: &str| -> Expr {
        match src.headers.iter().position(|x| x == h) {
            Some(i) => col(format!("__c{i}")),
            None => col(h),
        }
    };
    let mut exprs: Vec<Expr> = vec![
        col("__row"),
        lit(file_idx).cast(DataType::UInt32).alias("__file"),
        col("__hash"),
    ];
    // The first filled of several headers, per row.
    let first_filled = |headers: &[String]| -> Expr {
        headers
            .iter()
            .rev()
            .fold(None, |rest: Option<Expr>, h| {
                Some(match rest {
                    None => raw(h),
                    Some(rest) => when(typing::text_of(raw(h)).is_not_null())
                        .then(raw(h))
                        .otherwise(rest),
                })
            })
            .unwrap_or_else(|| lit(NULL).cast(DataType::String))
    };
    // The row's status as typed (won/lost/open), for columns per status.
    let headers_of = |name: &str| -> Option<&Vec<String>> {
        mapping.iter().find_map(|(c, h)| match h {
            Headers::Each(v) if *c == name && !v.is_empty() => Some(v),
            _ => None,
        })
    };
    let stage = headers_of("status").map(|v| first_filled(v));
    let mut status = stage
        .clone()
        .map(|e| typing::status_of(e, statuses))
        .unwrap_or_else(|| lit(NULL).cast(DataType::String));
    // Salesforce's IsWon / IsClosed decide the status whatever the stage is
    // called; a row whose flags say nothing falls back to its stage.
    let flags = headers_of("is_closed").map(|closed| {
        let flag = |h: &[String]| typing::flag_of(first_filled(h));
        let closed = flag(closed);
        let won = headers_of("is_won").map_or(lit(NULL).cast(DataType::Boolean), |w| flag(w));
        let word = |s: LineStatus| lit(s.as_str());
        let fallback = || {
            stage
                .clone()
                .unwrap_or_else(|| lit(NULL).cast(DataType::String))
        };
        let by_flags = |fallback: Expr| {
            when(won.clone().eq(lit(true)))
                .then(word(LineStatus::Won))
                .when(closed.clone().eq(lit(true)))
                .then(word(LineStatus::Lost))
                .when(closed.clone().eq(lit(false)))
                .then(word(LineStatus::Open))
                .otherwise(fallback)
        };
        status = by_flags(status.clone());
        by_flags(fallback())
    });
    if let Some(e) = flags.clone() {
        exprs.push(e.alias("status"));
    }
    for (canonical, headers) in mapping {
        if flags.is_some() && *canonical == "status" {
            continue;
        }
        let e = match headers {
            Headers::Each(v) => first_filled(v),
            // A row whose status is not known takes the open headers; its
            // status is a row error of its own.
            Headers::ByStatus { won, lost, open } => {
                when(status.clone().eq(lit(LineStatus::Won.as_str())))
                    .then(first_filled(won))
                    .when(status.clone().eq(lit(LineStatus::Lost.as_str())))
                    .then(first_filled(lost))
                    .otherwise(first_filled(open))
            }
        };
        exprs.push(e.alias(*canonical));
    }
    // The currency column beside each amount (`Amount Currency`), or null.
    for (canonical, header) in currencies {
        let e = match header {
            Some(h) => raw(h),
            None => lit(NULL).cast(DataType::String),
        };
        exprs.push(e.alias(format!("__cur_{canonical}")));
    }
    // Whether a row passes a filter (blank and case-insensitive compares).
    let passes = |f: &Filter, h: &str| -> Expr {
        let v = raw(h)
            .map(super::parse::text_column, |_, f| {
                Ok(Field::new(f.name().clone(), DataType::String))
            })
            .str()
            .to_lowercase();
        match &f.condition {
            Condition::Filled(true) => v.is_not_null(),
            Condition::Filled(false) => v.is_null(),
            Condition::OneOf(list) => v
                .is_in(
                    lit(Series::new("v".into(), list.clone())).implode(false),
                    false,
                )
                .fill_null(lit(false)),
            Condition::NotOneOf(list) => v
                .is_in(
                    lit(Series::new("v".into(), list.clone())).implode(false),
                    false,
                )
                .not()
                .fill_null(lit(true)),
        }
    };
    // The first filter a row fails, by its index; null when it passes. A
    // team row (`[quotas] team_rows`) answers to every filter but those on
    // the team column itself (which tell members' rows from the team's).
    let first_failed = |skip_column: Option<&str>| {
        let mut skip = lit(NULL).cast(DataType::UInt32);
        for (i, (f, h)) in filters.iter().enumerate().rev() {
            if Some(h.as_str()) == skip_column {
                continue;
            }
            skip = when(passes(f, h).not()).then(lit(i as u32)).otherwise(skip);
        }
        skip
    };
    let mut skip = first_failed(None);
    if let Some((f, h)) = team {
        let is_team = passes(f, h);
        skip = when(is_team.clone())
            .then(first_failed(Some(h.as_str())))
            .otherwise(skip);
        exprs.push(is_team.alias("__team"));
    }
    exprs.push(skip.alias("__skip"));
    df.lazy()
        .select(exprs)
        .collect()
        .map_err(|e| polars_context(&format!("selecting the columns of {}", src.display), e))
}

/// The frame without the records `rows` (record indexes of one file).
pub(super) fn without_rows(df: DataFrame, rows: Vec<u32>) -> Result<DataFrame> {
    if rows.is_empty() {
        return Ok(df);
    }
    let rows = Series::new("rows".into(), rows);
    df.lazy()
        .filter(
            col("__row")
                .cast(DataType::UInt32)
                .is_in(lit(rows).implode(false), false)
                .not(),
        )
        .collect()
        .map_err(|e| polars_context("leaving out rows with NUL bytes", e))
}

/// What the NUL bytes of a file's fields mean (see `source::Source::nuls`).
pub(super) struct NulFields {
    /// Rows with a NUL in a column atu reads: row errors.
    pub(super) problems: Vec<Problem>,
    /// Columns atu does not read that held NULs: ignored, said.
    pub(super) warnings: Vec<String>,
    /// Record indexes of the rows in `problems`, to leave out.
    pub(super) rows: Vec<u32>,
}

/// A NUL in a field atu reads is a row error naming file, line and column;
/// in a field it does not read (a Salesforce rich-text description) it is
/// ignored with a warning naming the column and the lines.
pub(super) fn nul_fields(src: &source::Source, read: &[&str]) -> NulFields {
    let mut out = NulFields {
        problems: Vec::new(),
        warnings: Vec::new(),
        rows: Vec::new(),
    };
    let mut ignored: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for &(record, field) in &src.nuls {
        let header = src.headers.get(field).map_or("?", String::as_str);
        let line = src.lines.line(record);
        if read.contains(&header) {
            out.problems.push(
                Problem {
                    file: src.display.clone(),
                    line: Some(line),
                    column: Some(header.to_string()),
                    value: None,
                    message: "holds a NUL byte (a binary character, not text)".to_string(),
                    reason: "NUL byte".to_string(),
                    hint: None,
                    file_level: false,
                }
                .with_hint("clean the field in the CRM and export again, or leave the row out with --skip-invalid"),
            );
            if out.rows.last() != Some(&(record as u32)) {
                out.rows.push(record as u32);
            }
        } else {
            ignored.entry(header).or_default().push(line);
        }
    }
    for (header, lines) in ignored {
        let mut shown: Vec<String> = lines.iter().take(3).map(u64::to_string).collect();
        if lines.len() > 3 {
            shown.push("…".to_string());
        }
        out.warnings.push(format!(
            "{}: NUL bytes in column \"{}\", which atu does not read, are ignored ({} row(s): line {})",
            src.display,
            super::problems::show_value(header),
            lines.len(),
            shown.join(", ")
        ));
    }
    out
}

/// Leaves out the rows that fail a `[[filters.<table>]]` entry, counting
/// them in the ledger under the filter they fail.
pub(super) fn apply_filters(
    raw: DataFrame,
    filters: &[Filter],
    ledger: &mut Ledger,
    spec: &TableSpec,
) -> Result<DataFrame> {
    if filters.is_empty() || raw.height() == 0 {
        return raw
            .drop("__skip")
            .or_else(|_| Ok(raw.clone()))
            .map_err(|e: PolarsError| polars_context("dropping a column", e));
    }
    let counts = raw
        .clone()
        .lazy()
        .filter(col("__skip").is_not_null())
        .group_by([col("__skip")])
        .agg([len().alias("__n")])
        .collect()
        .map_err(|e| polars_context("applying filters", e))?;
    let which = counts
        .column("__skip")
        .and_then(|c| c.cast(&DataType::UInt32))
        .map_err(|e| polars_context("applying filters", e))?;
    let ns = counts
        .column("__n")
        .and_then(|c| c.cast(&DataType::UInt64))
        .map_err(|e| polars_context("applying filters", e))?;
    let (which, ns) = (
        which
            .u32()
            .map_err(|e| polars_context("applying filters", e))?,
        ns.u64()
            .map_err(|e| polars_context("applying filters", e))?,
    );
    for (w, n) in which.iter().zip(ns.iter()) {
        if let (Some(w), Some(n)) = (w, n) {
            let f = &filters[w as usize];
            *ledger
                .ignored
                .entry(format!(
                    "left out by [[filters.{}]]: {}",
                    spec.name,
                    f.describe_failing()
                ))
                .or_default() += n;
        }
    }
    raw.lazy()
        .filter(col("__skip").is_null())
        .drop(Selector::ByName {
            names: ["__skip".into()].into(),
            strict: true,
        })
        .collect()
        .map_err(|e| polars_context("applying filters", e))
}

/// A typed frame with no rows, for a table whose files all failed to load.
pub(super) fn empty_typed(spec: &TableSpec) -> Result<DataFrame> {
    let mut cols = vec![
        Column::new_empty("__file".into(), &DataType::UInt32),
        Column::new_empty("__row".into(), &IDX_DTYPE),
        Column::new_empty("__hash".into(), &DataType::UInt64),
    ];
    for c in spec.columns {
        let dtype = match c.kind {
            Kind::Text | Kind::Status => DataType::String,
            Kind::Money => DataType::Int64,
            Kind::Date => DataType::Date,
        };
        cols.push(Column::new_empty(c.name.into(), &dtype));
    }
    DataFrame::new_infer_height(cols).map_err(|e| polars_context("building an empty table", e))
}
