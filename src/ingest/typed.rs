//! Typing a table's String columns with expressions and turning every bad
//! cell into a problem with file, line, column and value; blank values
//! that are allowed (a blank NSAT answer, a contact without an account, a
//! blank amount on a line that is not won).

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use super::frame::*;
use super::problems::Problem;
use super::typing;
use crate::config::{DateOrder, Settings};
use crate::schema::{Kind, TableSpec};

/// Required columns whose cells may be blank: nsat's `rating` must be
/// there, but a blank answer is excluded and counted (SPEC §3.4), not
/// invalid; a contact without an account counts for nobody (SPEC §1.2:
/// ignored and counted by the loader), not an invalid row.
pub(super) const BLANK_OK: [(&str, &str); 2] = [("nsat", "rating"), ("contacts", "account_id")];

/// Required columns whose cells may be blank unless the line is won: a
/// blank amount on an open (or lost) line is a pipeline of 0 (SPEC §1.2),
/// read as 0 by the loader, counted and said; on a won line it is invalid.
pub(super) const BLANK_UNLESS_WON: [(&str, &str); 1] = [("opportunities", "amount")];

pub(super) fn describe_kind(
    kind: Kind,
    style: &typing::CellStyle,
    table: &str,
    value: &str,
) -> (String, &'static str, Option<String>) {
    let formats = "; for other forms add chrono formats, e.g. date_formats = [\"%d-%b-%Y\"]";
    let other_mark = |mark: char| {
        super::parse::parse_money(value, super::parse::MoneyStyle { decimal: mark }).is_some()
    };
    match kind {
        Kind::Money if style.money.decimal == ',' => (
            "is not an amount (decimal comma)".to_string(),
            "bad amount",
            Some(format!("amounts are read with \",\" as decimal mark, such as 1.234,56 or € 1.500.000,00; if the file uses \".\", set decimal_mark = \".\" in atu.toml ([tables.{table}] decimal_mark for this table alone)")),
        ),
        // `1.234,56` where amounts are read with a decimal point.
        Kind::Money if other_mark(',') => (
            "is not an amount (decimal point)".to_string(),
            "bad amount",
            Some(format!("the value reads with \",\" as decimal mark, but amounts are read with \".\"; if the file uses decimal commas, set decimal_mark = \",\" in atu.toml ([tables.{table}] decimal_mark for this table alone)")),
        ),
        Kind::Money => (
            "is not an amount".to_string(),
            "bad amount",
            Some("amounts are numbers such as 1500000.00, $1,500,000.00 or (1,200.00)".to_string()),
        ),
        Kind::Date if !style.date_formats.is_empty() => {
            let order = style.date_order.unwrap_or(DateOrder::Ymd).describe();
            let list = style
                .date_formats
                .iter()
                .map(|f| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("is not a date (date_formats {list}, nor {order})"),
                "bad date",
                Some("check the value; if the file writes dates another way too, add that form to date_formats (chrono strftime)".to_string()),
            )
        }
        Kind::Date => match style.date_order {
            Some(DateOrder::Ymd) | None => (
                "is not a date (year-month-day)".to_string(),
                "bad date",
                Some(format!("dates are YYYY-MM-DD; for 30/01/2013 or 1/30/2013 set date_order = \"dmy\" or \"mdy\" in atu.toml{formats}")),
            ),
            Some(o) => (
                format!("is not a date ({})", o.describe()),
                "bad date",
                Some(format!("dates are read as {}, as date_order says{formats}", o.describe())),
            ),
        },
        Kind::Status => (
            "is not a known status (won, lost, open)".to_string(),
            "bad status",
            Some("map the export's status words in atu.toml, e.g. [values.status] \"Closed Won\" = \"won\"".to_string()),
        ),
        Kind::Text => (String::new(), "", None),
    }
}

/// Row position → (file, line) over a raw frame's `__file` and `__row`
/// (looked up when asked: messages need a few rows, not all).
pub(super) fn row_locator<'a>(
    df: &DataFrame,
    infos: &'a [FileInfo],
) -> Result<impl Fn(usize) -> (String, u64) + 'a> {
    let get = |name: &str| -> Result<UInt32Chunked> {
        df.column(name)
            .and_then(|c| c.cast(&DataType::UInt32))
            .and_then(|c| c.u32().cloned())
            .map_err(|e| polars_context("locating rows", e))
    };
    let (rows, files) = (get("__row")?, get("__file")?);
    Ok(move |i: usize| -> (String, u64) {
        let f = files.get(i).unwrap_or(0) as usize;
        let r = rows.get(i).unwrap_or(0) as u64;
        match infos.get(f) {
            Some(info) => (info.display.clone(), info.lines.line(r)),
            None => ("?".to_string(), r + 2),
        }
    })
}

/// The problems of the flagged rows (`__bad_<column>` true), each naming
/// file, line, the export's header and the value as read.
fn bad_cells(
    spec: &TableSpec,
    bad_rows: &DataFrame,
    infos: &[FileInfo],
    labels: &BTreeMap<&'static str, String>,
    style: &typing::CellStyle,
) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    if bad_rows.height() > 0 {
        let files = bad_rows
            .column("__file")
            .and_then(|c| c.cast(&DataType::UInt32))
            .and_then(|c| c.u32().cloned())
            .map_err(|e| polars_context("reading bad rows", e))?;
        let rows = bad_rows
            .column("__row")
            .and_then(|c| c.cast(&DataType::UInt32))
            .map_err(|e| polars_context("reading bad rows", e))?;
        let rows = rows
            .u32()
            .map_err(|e| polars_context("reading bad rows", e))?;
        for i in 0..bad_rows.height() {
            let f = files.get(i).unwrap_or(0);
            let r = rows.get(i).unwrap_or(0);
            let (display, line) = match infos.get(f as usize) {
                Some(info) => (info.display.clone(), info.lines.line(r as u64)),
                None => ("?".to_string(), r as u64 + 2),
            };
            for c in spec.columns {
                // Name the export's header when it differs from atu's.
                let label = labels
                    .get(c.name)
                    .cloned()
                    .unwrap_or_else(|| c.name.to_string());
                let flag = bad_rows
                    .column(&format!("__bad_{}", c.name))
                    .ok()
                    .and_then(|s| s.bool().ok().and_then(|b| b.get(i)))
                    .unwrap_or(false);
                if !flag {
                    continue;
                }
                let value = bad_rows
                    .column(&format!("__raw_{}", c.name))
                    .ok()
                    .and_then(|s| s.str().ok().and_then(|b| b.get(i).map(|v| v.to_string())))
                    .unwrap_or_default();
                let p =
                    if value.trim().is_empty() && BLANK_UNLESS_WON.contains(&(spec.name, c.name)) {
                        Problem::row(
                            &display,
                            line,
                            &label,
                            &value,
                            "is empty on a won line",
                            "missing value",
                        )
                        .with_hint(format!(
                        "a won line needs its {} (a blank {} on an open or lost line is read as 0)",
                        c.name, c.name
                    ))
                    } else if value.trim().is_empty() {
                        Problem::row(
                            &display,
                            line,
                            &label,
                            &value,
                            "is empty but required",
                            "missing value",
                        )
                        .with_hint(format!("every row of {} needs {}", spec.name, c.name))
                    } else {
                        let (msg, reason, hint) = describe_kind(c.kind, style, spec.name, &value);
                        let p = Problem::row(&display, line, &label, &value, msg, reason);
                        match hint {
                            Some(h) => p.with_hint(h),
                            None => p,
                        }
                    };
                problems.push(p);
            }
        }
    }
    Ok(problems)
}

/// The warning for amounts of column `c` with more than two decimals
/// (rounded to the cent; a misread thousands mark shows here), if any.
fn subcent_warning(df: &DataFrame, c: &str, infos: &[FileInfo]) -> Result<Option<String>> {
    let flag = format!("__subcent_{c}");
    let hits = df
        .clone()
        .lazy()
        .filter(col(flag.as_str()))
        .select([col("__file"), col("__row")])
        .collect()
        .map_err(|e| polars_context("checking decimals", e))?;
    if hits.height() == 0 {
        return Ok(None);
    }
    let at = |name: &str| {
        hits.column(name)
            .ok()
            .and_then(|s| s.cast(&DataType::UInt32).ok())
            .and_then(|s| s.u32().ok().and_then(|ca| ca.get(0)))
            .unwrap_or(0)
    };
    let (display, line) = match infos.get(at("__file") as usize) {
        Some(info) => (info.display.clone(), info.lines.line(at("__row") as u64)),
        None => ("?".to_string(), at("__row") as u64 + 2),
    };
    Ok(Some(format!(
        "{display}: {} {c} value(s) have more than two decimals (first on line {line}) and are rounded to the cent; if the mark there groups thousands, set decimal_mark in atu.toml",
        hits.height()
    )))
}

/// Types every column; returns the typed frame (raw columns dropped; rows
/// with problems dropped) and the problems.
pub(super) fn type_columns(
    settings: &Settings,
    spec: &TableSpec,
    raw: DataFrame,
    style: &typing::CellStyle,
    infos: &[FileInfo],
    labels: &BTreeMap<&'static str, String>,
    warnings: &mut Vec<String>,
) -> Result<(DataFrame, Vec<Problem>)> {
    // The columns some file has: those with a label.
    let present: Vec<&'static str> = labels.keys().copied().collect();
    // One pass: typed values and, per column, whether the raw cell is
    // filled; the raw strings are not copied. `__team` (quota rows that
    // are the team's) rides along.
    let has_team = raw
        .get_column_names()
        .iter()
        .any(|n| n.as_str() == "__team");
    let mut carried: Vec<Expr> = vec![col("__hash")];
    if has_team {
        carried.push(col("__team"));
    }
    // Each line's currency when amounts are converted (`formats::line_currencies`).
    if raw
        .get_column_names()
        .iter()
        .any(|n| n.as_str() == "__currency")
    {
        carried.push(col("__currency"));
    }
    let mut exprs = vec![col("__file"), col("__row")];
    exprs.extend(carried.iter().cloned());
    for c in spec.columns {
        exprs.push(typing::typed(c.name, c.kind, style, &settings.status_values).alias(c.name));
        exprs.push(
            typing::text(c.name)
                .is_not_null()
                .alias(format!("__filled_{}", c.name)),
        );
    }
    exprs.extend(
        spec.keep_raw
            .iter()
            .map(|c| typing::text(c).alias(format!("__keep_{c}"))),
    );
    // Amounts with more than two decimals are rounded to the cent: count
    // them, so that the rounding (or a misread thousands dot) is said.
    let money_cols: Vec<&str> = spec
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Money && present.contains(&c.name))
        .map(|c| c.name)
        .collect();
    exprs.extend(money_cols.iter().map(|c| {
        col(*c)
            .str()
            .contains(
                lit(if style.money.decimal == ',' {
                    r",\d{3,}\s*\)?\s*$"
                } else {
                    r"\.\d{3,}\s*\)?\s*$"
                }),
                false,
            )
            .fill_null(lit(false))
            .alias(format!("__subcent_{c}"))
    }));
    let mut flag_exprs = Vec::new();
    for c in spec.columns {
        let t = col(c.name);
        let bad = if c.required
            && present.contains(&c.name)
            && BLANK_UNLESS_WON.contains(&(spec.name, c.name))
        {
            t.is_null().and(
                col(format!("__filled_{}", c.name))
                    .or(col("status").eq(lit("won")).fill_null(lit(false))),
            )
        } else if c.required
            && present.contains(&c.name)
            && !BLANK_OK.contains(&(spec.name, c.name))
        {
            t.is_null()
        } else {
            col(format!("__filled_{}", c.name)).and(t.is_null())
        };
        flag_exprs.push(bad.alias(format!("__bad_{}", c.name)));
    }
    let df = raw
        .clone()
        .lazy()
        .select(exprs)
        .with_columns(flag_exprs)
        .collect()
        .map_err(|e| polars_context("typing columns", e))?;
    let any_bad = spec
        .columns
        .iter()
        .map(|c| col(format!("__bad_{}", c.name)))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    // The bad rows (few) with their raw values, joined back by position.
    let mut bad_cols = vec![col("__file"), col("__row")];
    bad_cols.extend(
        spec.columns
            .iter()
            .map(|c| col(format!("__bad_{}", c.name))),
    );
    let raw_cols: Vec<Expr> = [col("__file"), col("__row")]
        .into_iter()
        .chain(
            spec.columns
                .iter()
                .map(|c| col(c.name).alias(format!("__raw_{}", c.name))),
        )
        .collect();
    let flagged = df
        .clone()
        .lazy()
        .filter(any_bad.clone())
        .select(bad_cols)
        .collect()
        .map_err(|e| polars_context("finding bad rows", e))?;
    // Only when there are bad rows: fetch their raw values (a join against
    // every row is not worth it for none).
    let bad_rows = if flagged.height() == 0 {
        flagged
    } else {
        flagged
            .lazy()
            .join(
                raw.clone().lazy().select(raw_cols),
                [col("__file"), col("__row")],
                [col("__file"), col("__row")],
                JoinArgs::new(JoinType::Left),
            )
            .sort(["__file", "__row"], SortMultipleOptions::default())
            .collect()
            .map_err(|e| polars_context("finding bad rows", e))?
    };
    let problems = bad_cells(spec, &bad_rows, infos, labels, style)?;
    let mut keep = vec![col("__file"), col("__row")];
    keep.extend(carried);
    keep.extend(spec.columns.iter().map(|c| col(c.name)));
    keep.extend(
        spec.keep_raw
            .iter()
            .map(|c| col(format!("__keep_{c}")).alias(format!("__raw_{c}"))),
    );
    for c in &money_cols {
        warnings.extend(subcent_warning(&df, c, infos)?);
    }
    // The raw strings are no longer needed; free them before the copy.
    drop(raw);
    let lf = if problems.is_empty() {
        // Nothing to leave out: selecting columns copies nothing.
        df.lazy()
    } else {
        df.lazy().filter(any_bad.not())
    };
    let clean = lf
        .select(keep)
        .collect()
        .map_err(|e| polars_context("typing columns", e))?;
    Ok((clean, problems))
}
