//! How a table's cells are written: the day/month order and the decimal
//! mark (configured, else proven by the values), and amounts in one
//! currency.

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use super::frame::*;
use super::problems::{InputErrors, Problem};
use super::source::{self};
use super::typed::row_locator;
use super::typing;
use crate::config::{DateOrder, Settings};
use crate::schema::{Kind, TableSpec};

/// How a table's cells are read: the day/month order and the decimal mark
/// (configured, else proven by the values, with warnings), the configured
/// date formats; amounts in two currencies are an error.
pub(super) fn cell_style(
    settings: &Settings,
    spec: &TableSpec,
    raw: &DataFrame,
    infos: &[FileInfo],
    delimiters: &[u8],
    labels: &BTreeMap<&'static str, String>,
    warnings: &mut Vec<String>,
) -> Result<typing::CellStyle> {
    let format = settings.format(spec.name);
    // The two questions read different columns: asked side by side, said
    // in this order (the date order's warnings and error first).
    let (mut date_warnings, mut decimal_warnings) = (Vec::new(), Vec::new());
    let (order, decimal) = std::thread::scope(|scope| {
        let decimal = scope.spawn(|| match format.decimal {
            Some(d) => Ok(d),
            None => infer_decimal(raw, spec, infos, delimiters, &mut decimal_warnings),
        });
        let order = match format.date_order {
            Some(o) => Ok(Some(o)),
            None => infer_date_order(raw, spec, infos, &mut date_warnings),
        };
        let decimal = decimal
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (order, decimal)
    });
    warnings.append(&mut date_warnings);
    let order = order?;
    warnings.append(&mut decimal_warnings);
    let decimal = decimal?;
    if settings.verbose && spec.columns.iter().any(|c| c.kind == Kind::Money) {
        eprintln!("atu: {}: decimal mark \"{decimal}\"", spec.name);
    }
    // With rates to convert by, each line keeps its currency (see
    // `line_currencies`); without, amounts in two currencies are an error.
    if !converting(settings) {
        check_currencies(raw, spec, infos, labels)?;
    }
    Ok(typing::CellStyle {
        money: super::parse::MoneyStyle { decimal },
        date_order: order,
        date_formats: format.date_formats.clone(),
    })
}

/// Decides the day/month order of a table's slash dates when none is
/// configured: proven by a part above 12, else an error asking for it.
pub(super) fn infer_date_order(
    df: &DataFrame,
    spec: &TableSpec,
    infos: &[FileInfo],
    warnings: &mut Vec<String>,
) -> Result<Option<DateOrder>> {
    let locate = row_locator(df, infos)?;
    let hint = "set date_order = \"dmy\" (30/01/2013) or \"mdy\" (1/30/2013) in atu.toml";
    // Evidence over every date column: (column, row, value) of the first
    // slash date, of the first with the day first and of the first with the
    // day second.
    type Seen = Option<(&'static str, usize, String)>;
    let (mut any, mut dmy, mut mdy): (Seen, Seen, Seen) = (None, None, None);
    for c in spec.columns.iter().filter(|c| c.kind == Kind::Date) {
        let Ok(ca) = df.column(c.name).and_then(|s| s.str()) else {
            continue;
        };
        let ev = super::parse::slash_date_evidence(ca.iter());
        let tag = |x: Option<(usize, String)>| x.map(|(i, v)| (c.name, i, v));
        any = any.or(tag(ev.first));
        dmy = dmy.or(tag(ev.day_first));
        mdy = mdy.or(tag(ev.day_second));
    }
    let Some((col0, i0, v0)) = any else {
        return Ok(None);
    };
    let (order, (col, i, v)) = match (dmy, mdy) {
        (Some(a), None) => (DateOrder::Dmy, a),
        (None, Some(b)) => (DateOrder::Mdy, b),
        (Some((c1, i1, v1)), Some((c2, i2, v2))) => {
            let (f1, l1) = locate(i1);
            let (f2, l2) = locate(i2);
            let p = Problem::file(
                &f1,
                Some(l1),
                format!(
                    "{c1} \"{v1}\" has the day first, but {} {c2} \"{v2}\" has it second: the dates are mixed",
                    refer(&f2, l2, &f1)
                ),
                "bad date",
            )
            .with_hint(format!("check the file, then {hint}"));
            return Err(InputErrors(vec![p]).into());
        }
        (None, None) => {
            let (f, l) = locate(i0);
            let p = Problem::file(
                &f,
                Some(l),
                format!(
                    "{col0} \"{v0}\" reads both as day/month and month/day, and atu never guesses"
                ),
                "bad date",
            )
            .with_hint(hint);
            return Err(InputErrors(vec![p]).into());
        }
    };
    let (f, l) = locate(i);
    let key = match order {
        DateOrder::Dmy => "dmy",
        DateOrder::Mdy => "mdy",
        DateOrder::Ymd => "ymd",
    };
    warnings.push(format!(
        "{f}: reading slash dates as {} (line {l} {col} \"{v}\" proves it); set date_order = \"{key}\" in atu.toml to say so",
        order.describe()
    ));
    Ok(Some(order))
}

/// Decides the decimal mark of a table's amounts when none is configured:
/// proven by a value (`1,234.56`, `12,5`), else the convention of the
/// delimiter (`;` files come from Excels that write decimal commas).
pub(super) fn infer_decimal(
    raw: &DataFrame,
    spec: &TableSpec,
    infos: &[FileInfo],
    delimiters: &[u8],
    warnings: &mut Vec<String>,
) -> Result<char> {
    let locate = row_locator(raw, infos)?;
    let fallback = if delimiters.first() == Some(&b';') {
        ','
    } else {
        '.'
    };
    type Seen = Option<(&'static str, usize, String)>;
    let (mut dot, mut comma, mut either, mut other): (Seen, Seen, Seen, Seen) =
        (None, None, None, None);
    for c in spec.columns.iter().filter(|c| c.kind == Kind::Money) {
        let Ok(ca) = raw.column(c.name).and_then(|s| s.str()) else {
            continue;
        };
        let ev = super::parse::decimal_evidence(ca.iter());
        let tag = |x: Option<(usize, String)>| x.map(|(i, v)| (c.name, i, v));
        dot = dot.or(tag(ev.dot));
        comma = comma.or(tag(ev.comma));
        either = either.or(tag(ev.either));
        other = other.or(tag(ev.either_other));
    }
    // `1,500` and `1.500` in one table: one of them is a decimal with
    // three places whichever mark is the decimal one; never a guess.
    if let (None, None, Some((c1, i1, v1)), Some((c2, i2, v2))) = (&dot, &comma, &either, &other) {
        let (f1, l1) = locate(*i1);
        let (f2, l2) = locate(*i2);
        let p = Problem::file(
            &f1,
            Some(l1),
            format!(
                "{c1} \"{v1}\" and {} {c2} \"{v2}\" use different marks and each reads both ways (thousands or decimals): the decimal mark cannot be told",
                refer(&f2, l2, &f1)
            ),
            "bad amount",
        )
        .with_hint(format!("set decimal_mark = \".\" or \",\" in atu.toml ([tables.{}] decimal_mark for this table alone)", spec.name));
        return Err(InputErrors(vec![p]).into());
    }
    match (dot, comma) {
        (Some((c1, i1, v1)), Some((c2, i2, v2))) => {
            let (f1, l1) = locate(i1);
            let (f2, l2) = locate(i2);
            let p = Problem::file(
                &f1,
                Some(l1),
                format!(
                    "{c1} \"{v1}\" has \".\" as decimal mark, but {} {c2} \"{v2}\" has \",\": the amounts are mixed",
                    refer(&f2, l2, &f1)
                ),
                "bad amount",
            )
            .with_hint(format!("check the file, then set decimal_mark = \".\" or \",\" in atu.toml ([tables.{}] decimal_mark for this table alone)", spec.name));
            Err(InputErrors(vec![p]).into())
        }
        (Some(_), None) => Ok('.'),
        (None, Some(_)) => Ok(','),
        (None, None) => {
            if let Some((c, i, v)) = either {
                let (f, l) = locate(i);
                let reading = if fallback == ',' {
                    "a thousands dot or a decimal comma"
                } else {
                    "a thousands comma or a decimal point"
                };
                warnings.push(format!(
                    "{f}: no amount of {} shows its decimal mark; line {l} {c} \"{v}\" could hold {reading}, and is read with \"{fallback}\" as decimal mark (the file is separated by {}); set decimal_mark = \"{fallback}\" in atu.toml to say so",
                    spec.name,
                    source::delimiter_name(delimiters.first().copied().unwrap_or(b',')),
                ));
            }
            Ok(fallback)
        }
    }
}

/// True when amounts are converted to a reporting currency: rates in the
/// config, a currencies file, or a reporting currency asked for.
pub(super) fn converting(settings: &Settings) -> bool {
    !settings.currency.rates.is_empty()
        || settings.currency.report.is_some()
        || super::files::find_files(settings, &crate::schema::CURRENCIES)
            .is_ok_and(|f| !f.is_empty())
}

/// Each row's currency (`__currency`, upper case; null when it says none)
/// for the table's amount: its `currency` column, else the amount's own
/// sign or code (`$`, `EUR 10.00`), else the currency column beside the
/// amount (`Amount Currency`). `None` for a table without amounts.
pub(super) fn line_currencies(raw: &DataFrame, spec: &TableSpec) -> Result<Option<Column>> {
    let Some(money) = spec.columns.iter().find(|c| c.kind == Kind::Money) else {
        return Ok(None);
    };
    let get = |name: &str| raw.column(name).ok().and_then(|c| c.str().ok().cloned());
    let own = get("currency");
    let amounts = get(money.name);
    let beside = get(&format!("__cur_{}", money.name));
    let n = raw.height();
    let pick = |ca: &Option<StringChunked>, i: usize| -> Option<String> {
        ca.as_ref()
            .and_then(|c| c.get(i))
            .map(crate::config::currency_code)
            .filter(|c| !c.is_empty())
    };
    let out: StringChunked = (0..n)
        .map(|i| {
            pick(&own, i)
                .or_else(|| {
                    amounts
                        .as_ref()
                        .and_then(|a| a.get(i))
                        .and_then(super::parse::currency_of)
                })
                .or_else(|| pick(&beside, i))
        })
        .collect();
    Ok(Some(out.with_name("__currency".into()).into_column()))
}

/// Refuses amounts in several currencies in one column: summing them would
/// be wrong without a converted amount.
pub(super) fn check_currencies(
    raw: &DataFrame,
    spec: &TableSpec,
    infos: &[FileInfo],
    labels: &BTreeMap<&'static str, String>,
) -> Result<()> {
    let locate = row_locator(raw, infos)?;
    for c in spec.columns.iter().filter(|c| c.kind == Kind::Money) {
        let Ok(ca) = raw.column(c.name).and_then(|s| s.str()) else {
            continue;
        };
        let beside = raw
            .column(&format!("__cur_{}", c.name))
            .and_then(|s| s.str().cloned())
            .ok();
        let mut first: Option<(String, usize, String)> = None;
        for (i, v) in ca.iter().enumerate() {
            let Some(v) = v else { continue };
            // The amount's own sign or code, else the column beside it.
            let cur = match super::parse::currency_of(v) {
                Some(c) => Some(c),
                None => beside
                    .as_ref()
                    .and_then(|b| b.get(i))
                    .map(|x| x.trim().to_uppercase())
                    .filter(|x| !x.is_empty())
                    .map(|x| format!("{x} (its currency column)")),
            };
            let Some(cur) = cur else {
                continue;
            };
            let code = |c: &str| c.split(' ').next().unwrap_or("").to_string();
            match &first {
                None => first = Some((cur, i, v.to_string())),
                Some((c0, i0, v0)) if code(c0) != code(&cur) => {
                    let (f0, l0) = locate(*i0);
                    let (f1, l1) = locate(i);
                    let label = labels
                        .get(c.name)
                        .cloned()
                        .unwrap_or_else(|| c.name.to_string());
                    let p = Problem::file(
                        &f1,
                        Some(l1),
                        format!(
                            "{label} \"{v}\" is in {cur}, but {} has \"{v0}\" in {c0}: amounts in several currencies cannot be added",
                            refer(&f0, l0, &f1)
                        ),
                        "mixed currencies",
                    )
                    .with_hint(format!("map the converted amount instead, e.g. [columns.{}] {} = \"Amount (Converted)\", give the rates (a currencies table such as Salesforce's CurrencyType.csv, or [currency] rates in atu.toml), or export in one currency", spec.name, c.name));
                    return Err(InputErrors(vec![p]).into());
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}
