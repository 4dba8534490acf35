//! The forecast columns of opportunity lines (SPEC §3.6b): the export's
//! forecast category words mapped to atu's (`pipeline`, `best_case`,
//! `commit`, `omitted`, `closed`) through `[values.forecast_category]`, and
//! the probability (0–100, `%` and a decimal comma allowed) as an integer of
//! hundredths of a percent, so that the weighted pipeline stays exact. A
//! word atu does not know or a probability that is not one is a row problem
//! naming file, line, column and value.

use anyhow::Result;
use polars::prelude::*;

use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;
use crate::config::Settings;
use crate::num::Rational;

/// Maps `forecast_category` to canonical words and types `probability` as
/// `Int64` hundredths of a percent (`__probability_bp`); rows with a bad
/// value are problems and are left out.
pub(super) fn forecast_columns(
    settings: &Settings,
    frame: &mut Frame,
    diag: &mut Diagnostics,
) -> Result<()> {
    let has_category = frame.present.contains(&"forecast_category");
    let has_probability = frame.present.contains(&"probability");
    if frame.df.height() == 0 || (!has_category && !has_probability) {
        return Ok(());
    }
    let df = &frame.df;
    let files = u32_col(df, "__file")?;
    let rows = u32_col(df, "__row")?;
    let words = str_col(df, "forecast_category")?;
    let probs = str_col(df, "probability")?;
    let mut bad = vec![false; df.height()];
    let mut problems = Vec::new();
    let mut categories: Vec<Option<&'static str>> = Vec::with_capacity(df.height());
    let mut bps: Vec<Option<i64>> = Vec::with_capacity(df.height());
    for (i, bad_row) in bad.iter_mut().enumerate() {
        let locate = || frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
        let category = match words.get(i) {
            None => None,
            Some(w) => match settings.forecast_values.get(&w.trim().to_lowercase()) {
                Some(c) => Some(c.as_str()),
                None => {
                    let (file, line) = locate();
                    *bad_row = true;
                    problems.push(
                        Problem::row(
                            &file,
                            line,
                            &frame.label("forecast_category"),
                            w,
                            "is not a known forecast category (pipeline, best_case, commit, omitted, closed)",
                            "bad forecast category",
                        )
                        .with_hint(format!(
                            "map the export's forecast words in atu.toml, e.g. [values.forecast_category] \"{}\" = \"commit\"",
                            w.trim()
                        )),
                    );
                    None
                }
            },
        };
        categories.push(category);
        let bp = match probs.get(i) {
            None => None,
            Some(p) => {
                let r = Rational::parse_percent(p)
                    .filter(|r| !r.is_negative() && *r <= Rational::from_int(100));
                match r {
                    Some(r) => Some(r.round_units(2) as i64),
                    None => {
                        let (file, line) = locate();
                        *bad_row = true;
                        problems.push(
                            Problem::row(
                                &file,
                                line,
                                &frame.label("probability"),
                                p,
                                "is not a probability (a number from 0 to 100)",
                                "bad probability",
                            )
                            .with_hint("write the probability in percent, e.g. 75 or 75%; map [columns.opportunities] probability to another column if this is not it"),
                        );
                        None
                    }
                }
            }
        };
        bps.push(bp);
    }
    let mut df = frame.df.clone();
    let cat: StringChunked = categories.into_iter().collect();
    let bp: Int64Chunked = bps.into_iter().collect();
    df.with_column(cat.with_name("forecast_category".into()).into_column())
        .and_then(|d| d.with_column(bp.with_name("__probability_bp".into()).into_column()))
        .map_err(|e| frame::polars_context("reading forecast columns", e))?;
    leave_out_rows(
        frame,
        df,
        &bad,
        problems,
        diag,
        "leaving out bad forecast rows",
    )
}
