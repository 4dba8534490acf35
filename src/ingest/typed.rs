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

/// What would read a date atu cannot read, for its hint: another
/// day/month order, one of the common formats, or (a two-digit year with
/// `-`) a format that says which part is the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DateFix {
    /// `date_order` with this order reads it.
    Order(DateOrder),
    /// `date_formats` with this format added reads it.
    Format(&'static str),
    /// `24-02-26`: `%y-%m-%d` or `%d-%m-%y`, which atu never guesses.
    TwoDigitDash,
}

/// The fixes found for a table's unreadable dates, each with the first
/// value it fixes: every value with the same fix is shown that value in
/// its hint, so a column of ten thousand Zoho dates gives one `help:` line.
#[derive(Debug, Default)]
pub(super) struct DateFixes(Vec<(DateFix, String)>);

impl DateFixes {
    /// The fix of `value` and the first value with that fix. The fixes
    /// found so far are tried first (most bad dates of a column share one).
    pub(super) fn of(
        &mut self,
        value: &str,
        style: &typing::CellStyle,
    ) -> Option<(DateFix, String)> {
        use super::parse;
        let reads_with = |fix: DateFix| match fix {
            DateFix::Order(o) => {
                parse::parse_date_with(value, Some(o), &style.date_formats).is_some()
            }
            DateFix::Format(f) => parse::parse_date_with(value, None, &[f.to_string()]).is_some(),
            DateFix::TwoDigitDash => parse::two_digit_dash_date(value),
        };
        if let Some((fix, example)) = self.0.iter().find(|(fix, _)| reads_with(*fix)) {
            return Some((*fix, example.clone()));
        }
        let other_order = [DateOrder::Dmy, DateOrder::Mdy]
            .into_iter()
            .filter(|o| style.date_order != Some(*o))
            .map(DateFix::Order)
            .find(|fix| reads_with(*fix));
        let fix = other_order
            .or_else(|| parse::common_date_format(value).map(DateFix::Format))
            .or_else(|| parse::two_digit_dash_date(value).then_some(DateFix::TwoDigitDash))?;
        self.0.push((fix, value.to_string()));
        Some((fix, value.to_string()))
    }
}

/// The hint of a date `fix`, shown on its first `example`.
fn date_fix_hint(fix: DateFix, example: &str, style: &typing::CellStyle, table: &str) -> String {
    let v = super::problems::show_value(example);
    let with = |f: &str| {
        style
            .date_formats
            .iter()
            .map(String::as_str)
            .chain([f])
            .map(crate::config::toml_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match fix {
        DateFix::Order(o) => {
            let key = match o {
                DateOrder::Dmy => "dmy",
                DateOrder::Mdy => "mdy",
                DateOrder::Ymd => "ymd",
            };
            format!("\"{v}\" reads as {}: if the file writes dates that way, set date_order = \"{key}\" in atu.toml ([tables.{table}] date_order for this table alone)", o.describe())
        }
        DateFix::Format(f) => format!("\"{v}\" reads with date_formats = [{}] in atu.toml ([tables.{table}] date_formats for this table alone)", with(f)),
        DateFix::TwoDigitDash => format!("\"{v}\" has a two-digit year and \"-\": year-month-day or day-month-year, which atu never guesses; say which with date_formats = [{}] or [{}] in atu.toml ([tables.{table}] date_formats for this table alone)", with("%y-%m-%d"), with("%d-%m-%y")),
    }
}

/// The message, ledger reason and hint of a bad cell of `kind`; `date_fix`
/// is what would read a bad date (see [`DateFixes`]) with the value its
/// hint shows.
pub(super) fn describe_kind(
    kind: Kind,
    style: &typing::CellStyle,
    table: &str,
    value: &str,
    date_fix: Option<(DateFix, &str)>,
) -> (String, &'static str, Option<String>) {
    let fixed = date_fix.map(|(fix, example)| date_fix_hint(fix, example, style, table));
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
                fixed.or(Some("check the value; if the file writes dates another way too, add that form to date_formats (chrono strftime)".to_string())),
            )
        }
        Kind::Date => match style.date_order {
            Some(DateOrder::Ymd) | None => (
                "is not a date (year-month-day)".to_string(),
                "bad date",
                fixed.or(Some(format!("dates are YYYY-MM-DD; for 30/01/2013 or 1/30/2013 set date_order = \"dmy\" or \"mdy\" in atu.toml{formats}"))),
            ),
            Some(o) => (
                format!("is not a date ({})", o.describe()),
                "bad date",
                fixed.or(Some(format!("dates are read as {}, as date_order says{formats}", o.describe()))),
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
    let mut date_fixes = DateFixes::default();
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
        // Each column's raw values, text or codes (a column read as codes).
        let mut raw: BTreeMap<&str, Vec<Option<String>>> = BTreeMap::new();
        for c in spec.columns {
            let texts = bad_rows
                .column(&format!("__raw_{}", c.name))
                .ok()
                .and_then(|col| column_texts(col).ok());
            if let Some(values) = texts {
                raw.insert(c.name, values.map(|v| v.map(str::to_string)).collect());
            }
        }
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
                let value = raw
                    .get(c.name)
                    .and_then(|v| v.get(i).cloned().flatten())
                    .unwrap_or_default();
                let p = if value.trim().is_empty()
                    && BLANK_UNLESS_WON.contains(&(spec.name, c.name))
                {
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
                    let fix = match c.kind {
                        Kind::Date => date_fixes.of(&value, style),
                        _ => None,
                    };
                    let fix = fix.as_ref().map(|(f, example)| (*f, example.as_str()));
                    let (msg, reason, hint) = describe_kind(c.kind, style, spec.name, &value, fix);
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
    // A text column is filled where its typed value (the trimmed text) is
    // not null: taken from the typed column, not trimmed a second time.
    let mut filled_text: Vec<Expr> = Vec::new();
    for c in spec.columns {
        exprs.push(typing::typed(c.name, c.kind, style, &settings.status_values).alias(c.name));
        let filled = format!("__filled_{}", c.name);
        if c.kind == Kind::Text {
            filled_text.push(col(c.name).is_not_null().alias(filled));
        } else {
            exprs.push(typing::text(c.name).is_not_null().alias(filled));
        }
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
    let decimal = style.money.decimal;
    exprs.extend(
        money_cols
            .iter()
            .map(|c| typing::subcent(c, decimal).alias(format!("__subcent_{c}"))),
    );
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
        .with_columns(filled_text)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn style(order: Option<DateOrder>, formats: &[&str]) -> typing::CellStyle {
        typing::CellStyle {
            money: super::super::parse::MoneyStyle::default(),
            date_order: order,
            date_formats: formats.iter().map(|f| f.to_string()).collect(),
        }
    }

    /// The hint of each value of `values` in turn, over one `DateFixes`.
    fn hints(style: &typing::CellStyle, values: &[&str]) -> Vec<Option<String>> {
        let mut fixes = DateFixes::default();
        values
            .iter()
            .map(|v| {
                let fix = fixes.of(v, style);
                let fix = fix.as_ref().map(|(f, e)| (*f, e.as_str()));
                describe_kind(Kind::Date, style, "opportunities", v, fix).2
            })
            .collect()
    }

    #[test]
    fn an_unreadable_date_shows_a_format_that_reads_it() {
        let zoho = "\"16 Apr, 2021 00:03:00\" reads with date_formats = [\"%d %b, %Y\"] in atu.toml ([tables.opportunities] date_formats for this table alone)";
        // Every value with the same fix shows the first one: one help line.
        assert_eq!(
            hints(
                &style(None, &[]),
                &["16 Apr, 2021 00:03:00", "17 Apr, 2021 10:00 AM"]
            ),
            vec![Some(zoho.to_string()), Some(zoho.to_string())]
        );
        // Configured formats stay in the list the hint proposes.
        assert_eq!(
            hints(&style(Some(DateOrder::Mdy), &["%d-%b-%Y"]), &["20210416"]),
            vec![Some("\"20210416\" reads with date_formats = [\"%d-%b-%Y\", \"%Y%m%d\"] in atu.toml ([tables.opportunities] date_formats for this table alone)".to_string())]
        );
        // The other day/month order.
        assert_eq!(
            hints(&style(Some(DateOrder::Mdy), &[]), &["26/02/2024"]),
            vec![Some("\"26/02/2024\" reads as day/month/year: if the file writes dates that way, set date_order = \"dmy\" in atu.toml ([tables.opportunities] date_order for this table alone)".to_string())]
        );
        // A two-digit year with `-`: both formats, never one of them.
        assert_eq!(
            hints(&style(Some(DateOrder::Dmy), &[]), &["24-02-26"]),
            vec![Some("\"24-02-26\" has a two-digit year and \"-\": year-month-day or day-month-year, which atu never guesses; say which with date_formats = [\"%y-%m-%d\"] or [\"%d-%m-%y\"] in atu.toml ([tables.opportunities] date_formats for this table alone)".to_string())]
        );
        // Nothing reads it: the hint of the order, as before.
        assert_eq!(
            hints(&style(Some(DateOrder::Dmy), &[]), &["31/02/2013"]),
            vec![Some("dates are read as day/month/year, as date_order says; for other forms add chrono formats, e.g. date_formats = [\"%d-%b-%Y\"]".to_string())]
        );
        assert_eq!(
            hints(&style(None, &[]), &["soon"]),
            vec![Some("dates are YYYY-MM-DD; for 30/01/2013 or 1/30/2013 set date_order = \"dmy\" or \"mdy\" in atu.toml; for other forms add chrono formats, e.g. date_formats = [\"%d-%b-%Y\"]".to_string())]
        );
    }

    #[test]
    fn date_fixes_are_found_once_per_kind() {
        let s = style(None, &[]);
        let mut fixes = DateFixes::default();
        let got: Vec<Option<(DateFix, String)>> = [
            "16 Apr, 2021 00:03:00",
            "soon",
            "24-02-26",
            "17 Apr, 2021",
            "26-02-24",
        ]
        .iter()
        .map(|v| fixes.of(v, &s))
        .collect();
        let zoho = Some((
            DateFix::Format("%d %b, %Y"),
            "16 Apr, 2021 00:03:00".to_string(),
        ));
        let dash = Some((DateFix::TwoDigitDash, "24-02-26".to_string()));
        assert_eq!(got, vec![zoho.clone(), None, dash.clone(), zoho, dash]);
    }
}
