//! Currencies (SPEC §3.6a): the conversion rates of currencies.csv (or
//! Salesforce's CurrencyType.csv / DatedConversionRate.csv) and of
//! `[currency] rates`, the reporting currency, and the conversion of each
//! amount of a table to it, exact to the cent, line by line.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use chrono::NaiveDate;
use polars::prelude::*;

use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;
use crate::config::{currency_code, Settings};
use crate::num::Rational;

/// The rates to convert by: units of each currency per one unit of the
/// corporate currency (the one of rate 1), static and dated.
#[derive(Clone, Debug, Default)]
pub struct Rates {
    /// ISO code → rate (CurrencyType, `[currency] rates`).
    pub fixed: BTreeMap<String, Rational>,
    /// ISO code → (valid from, rate), sorted by date (DatedConversionRate).
    pub dated: BTreeMap<String, Vec<(NaiveDate, Rational)>>,
    /// The corporate currency the table names (IsCorporate, else the one
    /// currency of rate 1).
    pub corporate: Option<String>,
    /// Where the rates come from, for messages.
    pub source: String,
}

impl Rates {
    /// The rate of `code` on `day`: the dated rate valid that day, else the
    /// fixed one.
    pub fn rate(&self, code: &str, day: Option<NaiveDate>) -> Option<Rational> {
        if let (Some(list), Some(day)) = (self.dated.get(code), day) {
            if let Some((_, r)) = list.iter().rev().find(|(from, _)| *from <= day) {
                return Some(*r);
            }
        }
        self.fixed.get(code).copied().or_else(|| {
            // The corporate currency is 1 unit per unit of itself.
            (self.corporate.as_deref() == Some(code)).then(|| Rational::from_int(1))
        })
    }

    /// Every currency with a rate.
    pub fn codes(&self) -> BTreeSet<&str> {
        self.fixed
            .keys()
            .chain(self.dated.keys())
            .map(String::as_str)
            .collect()
    }

    /// `amount` cents in `from` converted to `to` on `day`: amount ×
    /// rate(to) / rate(from), rounded half away from zero to the cent.
    /// `None` when a rate is missing.
    pub fn convert(&self, cents: i64, from: &str, to: &str, day: Option<NaiveDate>) -> Option<i64> {
        if from == to {
            return Some(cents);
        }
        let r_from = self.rate(from, day)?;
        let r_to = self.rate(to, day)?;
        let v = Rational::from_cents(cents).checked_div(r_from)? * r_to;
        i64::try_from(v.round_units(2)).ok()
    }
}

/// The rates of the currencies table (rows with a bad rate are problems)
/// and of `[currency] rates` (which win for the same currency).
pub(super) fn rates_from(
    settings: &Settings,
    frame: Option<&mut Frame>,
    diag: &mut Diagnostics,
) -> Result<Rates> {
    let mut rates = Rates::default();
    let mut sources = Vec::new();
    if let Some(frame) = frame {
        let df = frame
            .df
            .sort(["__file", "__row"], SortMultipleOptions::default())
            .map_err(|e| frame::polars_context("sorting currencies", e))?;
        let (codes, values, corporate) = (
            str_col(&df, "currency")?,
            str_col(&df, "rate")?,
            str_col(&df, "is_corporate")?,
        );
        let starts = date_col(&df, "start_date")?;
        let files = u32_col(&df, "__file")?;
        let rows = u32_col(&df, "__row")?;
        let decimal = settings.format("currencies").decimal.unwrap_or('.');
        let mut accepted = 0;
        let mut rejected = Vec::new();
        let mut corporates = BTreeSet::new();
        for (i, start) in starts.iter().enumerate() {
            let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
            let code = codes.get(i).map(currency_code).unwrap_or_default();
            let raw = values.get(i).unwrap_or("");
            let text: String = raw
                .trim()
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == decimal { '.' } else { c })
                .collect();
            let rate = Rational::parse_decimal(&text).filter(|r| !r.is_zero() && !r.is_negative());
            let Some(rate) = rate else {
                rejected.push(
                    Problem::row(
                        &file,
                        line,
                        &frame.label("rate"),
                        raw,
                        "is not a conversion rate (a number above 0)",
                        "bad rate",
                    )
                    .with_hint("a rate is the units of the currency per one unit of the corporate currency, e.g. 18.2; set decimal_mark in [tables.currencies] if it uses a decimal comma"),
                );
                continue;
            };
            if code.len() != 3 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
                rejected.push(
                    Problem::row(
                        &file,
                        line,
                        &frame.label("currency"),
                        codes.get(i).unwrap_or(""),
                        "is not an ISO currency code (three letters)",
                        "bad currency",
                    )
                    .with_hint("write the currency as its ISO code, e.g. USD or EUR"),
                );
                continue;
            }
            accepted += 1;
            if crate::ingest::parse_flag(corporate.get(i)).unwrap_or(false) {
                corporates.insert(code.clone());
            }
            match start {
                Some(d) => rates.dated.entry(code).or_default().push((*d, rate)),
                None => {
                    rates.fixed.insert(code, rate);
                }
            }
        }
        for list in rates.dated.values_mut() {
            list.sort_by_key(|(d, _)| *d);
        }
        finish_rows(
            frame,
            rejected,
            &mut diag.problems,
            &BTreeSet::new(),
            "rates",
            &mut diag.warnings,
            accepted,
        )?;
        // The currency of rate 1: fixed, or dated at 1 throughout.
        let one = Rational::from_int(1);
        let ones: Vec<&String> = rates
            .fixed
            .iter()
            .filter(|(_, r)| **r == one)
            .map(|(c, _)| c)
            .chain(
                rates
                    .dated
                    .iter()
                    .filter(|(c, list)| {
                        !rates.fixed.contains_key(*c) && list.iter().all(|(_, r)| *r == one)
                    })
                    .map(|(c, _)| c),
            )
            .collect();
        rates.corporate = match (corporates.len(), ones.as_slice()) {
            (1, _) => corporates.into_iter().next(),
            (0, [one]) => Some((*one).clone()),
            _ => None,
        };
        sources.push(frame.ledger.files.join(", "));
    }
    if !settings.currency.rates.is_empty() {
        for (code, r) in &settings.currency.rates {
            rates.fixed.insert(code.clone(), *r);
        }
        sources.push("[currency] rates".to_string());
    }
    // Rates are per one unit of the reporting currency: its own is 1 when
    // no table says otherwise.
    if let (None, Some(report)) = (&rates.corporate, &settings.currency.report) {
        if !rates.codes().is_empty() && !rates.codes().contains(report.as_str()) {
            rates.fixed.insert(report.clone(), Rational::from_int(1));
            rates.corporate = Some(report.clone());
        }
    }
    rates.source = sources.join(" and ");
    Ok(rates)
}

/// The reporting currency: `--currency` / `[currency] report`, else the
/// rates' corporate currency. An error when rates are given without one.
pub(super) fn report_currency(settings: &Settings, rates: &Rates) -> Result<Option<String>> {
    if let Some(r) = &settings.currency.report {
        return Ok(Some(r.clone()));
    }
    if let Some(c) = &rates.corporate {
        return Ok(Some(c.clone()));
    }
    if rates.codes().is_empty() {
        return Ok(None);
    }
    bail!(
        "{}: no currency has rate 1 (or IsCorporate), so atu cannot tell which currency to report in\nhelp: set [currency] report = \"USD\" in atu.toml, or pass --currency USD",
        rates.source
    )
}

/// Converts the table's amount column to `report` line by line (rate of
/// the line's `date_column` when rates are dated); a line in a currency
/// without a rate is a problem naming it, and is left out.
pub(super) fn convert_frame(
    frame: &mut Frame,
    amount: &str,
    date_column: Option<&str>,
    rates: &Rates,
    report: &str,
    diag: &mut Diagnostics,
) -> Result<()> {
    if frame.df.height() == 0
        || !frame
            .df
            .get_column_names()
            .iter()
            .any(|n| n.as_str() == "__currency")
    {
        return Ok(());
    }
    let df = &frame.df;
    let cur = str_col(df, "__currency")?;
    let cents = df
        .column(amount)
        .and_then(|c| c.i64().cloned())
        .map_err(|e| frame::polars_context("converting amounts", e))?;
    let days = match date_column {
        Some(d) if df.get_column_names().iter().any(|n| n.as_str() == d) => date_col(df, d)?,
        _ => vec![None; df.height()],
    };
    let files = u32_col(df, "__file")?;
    let rows = u32_col(df, "__row")?;
    let mut bad: Vec<bool> = vec![false; df.height()];
    let mut problems = Vec::new();
    let converted: Int64Chunked = (0..df.height())
        .map(|i| {
            let v = cents.get(i)?;
            let Some(code) = cur.get(i) else {
                return Some(v);
            };
            match rates.convert(v, code, report, days[i]) {
                Some(c) => Some(c),
                None => {
                    bad[i] = true;
                    let (file, line) =
                        frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
                    let missing = if rates.rate(code, days[i]).is_none() {
                        code
                    } else {
                        report
                    };
                    let hint = if rates.codes().is_empty() {
                        format!("amounts are reported in {report}: give the rates in a currencies table (Salesforce's CurrencyType.csv) or in atu.toml, e.g. [currency] rates = {{ {missing} = 1.1 }}")
                    } else {
                        format!("add {missing} to the rates ({}), e.g. [currency] rates = {{ {missing} = 1.1 }} in atu.toml", rates.source)
                    };
                    problems.push(
                        Problem::row(
                            &file,
                            line,
                            &frame.label(amount),
                            &format!("{code} {}", crate::num::Rational::from_cents(v).to_fixed(2)),
                            format!("is in {code}, which has no rate to {report}{}", days[i].map(|d| format!(" on {d}")).unwrap_or_default()),
                            "no rate for the currency",
                        )
                        .with_hint(hint),
                    );
                    Some(v)
                }
            }
        })
        .collect();
    let mut df = frame.df.clone();
    df.with_column(converted.with_name(amount.into()).into_column())
        .map_err(|e| frame::polars_context("converting amounts", e))?;
    leave_out_rows(
        frame,
        df,
        &bad,
        problems,
        diag,
        "leaving out lines without a rate",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Rational {
        Rational::parse_decimal(s).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rates() -> Rates {
        let mut x = Rates::default();
        x.fixed.insert("USD".into(), r("1"));
        x.fixed.insert("MXN".into(), r("18.2"));
        x.fixed.insert("COP".into(), r("4500"));
        x.dated.insert(
            "EUR".into(),
            vec![(d(2012, 1, 1), r("0.8")), (d(2012, 7, 1), r("0.75"))],
        );
        x.corporate = Some("USD".into());
        x
    }

    #[test]
    fn converted_is_amount_over_rate_rounded_half_away_from_zero() {
        let x = rates();
        // 1,000.00 MXN / 18.2 = 54.945054… → 54.95
        assert_eq!(x.convert(100_000, "MXN", "USD", None), Some(5_495));
        // 2,250.00 COP / 4500 = 0.50 exactly; 22.50 COP / 4500 = 0.005 → 0.01
        assert_eq!(x.convert(225_000, "COP", "USD", None), Some(50));
        assert_eq!(x.convert(2_250, "COP", "USD", None), Some(1));
        assert_eq!(x.convert(-2_250, "COP", "USD", None), Some(-1));
        // Same currency: unchanged.
        assert_eq!(x.convert(12_345, "USD", "USD", None), Some(12_345));
        // To a non-corporate currency: × rate(to) / rate(from).
        // 100.00 USD → MXN = 1,820.00
        assert_eq!(x.convert(10_000, "USD", "MXN", None), Some(182_000));
        assert_eq!(x.convert(100, "GBP", "USD", None), None);
    }

    #[test]
    fn the_corporate_currency_needs_no_row_of_its_own() {
        let mut x = Rates::default();
        x.dated
            .insert("EUR".into(), vec![(d(2012, 1, 1), r("0.8"))]);
        x.corporate = Some("USD".into());
        // 8.00 EUR / 0.8 = 10.00 USD, although USD has no rate row.
        assert_eq!(
            x.convert(800, "EUR", "USD", Some(d(2012, 3, 1))),
            Some(1_000)
        );
    }

    #[test]
    fn dated_rates_take_the_rate_valid_on_the_day() {
        let x = rates();
        // 30.00 EUR on 2012-06-30 at 0.8 = 37.50; on 2012-07-01 at 0.75 = 40.00
        assert_eq!(
            x.convert(3_000, "EUR", "USD", Some(d(2012, 6, 30))),
            Some(3_750)
        );
        assert_eq!(
            x.convert(3_000, "EUR", "USD", Some(d(2012, 7, 1))),
            Some(4_000)
        );
        // Before the first dated rate, with no fixed one: none.
        assert_eq!(x.convert(3_000, "EUR", "USD", Some(d(2011, 12, 31))), None);
        assert_eq!(x.convert(3_000, "EUR", "USD", None), None);
    }
}
