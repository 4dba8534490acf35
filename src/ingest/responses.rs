//! nsat.csv into survey responses: each answer on the NSAT scale (or
//! excluded), responses on unknown or unowned accounts warned.

use std::collections::BTreeSet;

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use super::codes::Codes;
use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;

/// Survey responses with their dates and answers read through `[nsat]`
/// (blank is excluded); an answer outside the scale is a problem of its
/// row. Rows identical in every field are duplicates (SPEC §1.3), used
/// once and warned; each response's account is its code in `accounts` (the
/// ids of accounts.csv); responses on accounts not in accounts.csv are kept
/// and warned (they count for no member).
pub(super) fn nsat_from(
    settings: &Settings,
    frame: &mut Frame,
    accounts: Option<&Codes>,
    diag: &mut Diagnostics,
) -> Result<Vec<Response>> {
    let Diagnostics { problems, warnings } = diag;
    let cols: Vec<&str> = NSAT.columns.iter().map(|c| c.name).collect();
    // Only rows identical in every column of the export: two answers that
    // differ in a column atu does not read are two responses.
    frame::dedup_said(
        frame,
        &cols,
        frame::Same::WholeRow,
        "survey response row",
        warnings,
    )?;
    let df = &frame.df;
    let mut out = Vec::with_capacity(df.height());
    if df.height() == 0 {
        return Ok(out);
    }
    let accts = str_col(df, "account_id")?;
    let ratings = str_col(df, "rating")?;
    let dates = df
        .column("response_date")
        .and_then(|c| c.cast(&DataType::Int32))
        .map_err(|e| frame::polars_context("reading response dates", e))?;
    let dates = dates
        .i32()
        .map_err(|e| frame::polars_context("reading response dates", e))?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let files = u32_col(df, "__file")?;
    let rows = u32_col(df, "__row")?;
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    let scale = &settings.nsat;
    let mut rejected: Vec<Problem> = Vec::new();
    // A survey has a handful of distinct answers: each is read once.
    let mut answers: PlHashMap<Option<&str>, Option<Answer>> = PlHashMap::new();
    for i in 0..df.height() {
        let raw = ratings.get(i);
        let answer = *answers.entry(raw).or_insert_with(|| scale.answer(raw));
        let Some(answer) = answer else {
            let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
            rejected.push(
                Problem::row(
                    &file,
                    line,
                    "rating",
                    raw.unwrap_or_default(),
                    format!("is not on the NSAT scale ({})", scale.describe()),
                    "bad rating",
                )
                .with_hint("map the survey's answers in atu.toml: [nsat] vsat = [...], dsat = [...], neutral = [...], excluded = [...] (a configured scale lists every answer)"),
            );
            continue;
        };
        let Some(date) = dates
            .get(i)
            .and_then(|d| epoch.checked_add_signed(chrono::Duration::days(d as i64)))
        else {
            continue;
        };
        let account_id = accts.get(i).unwrap_or_default();
        // One lookup per response, here: the metrics index by the code.
        let account = accounts.and_then(|k| k.get(account_id));
        if account.is_none()
            && accounts.is_some()
            && unknown.len() < 1000
            && !unknown.contains(account_id)
        {
            unknown.insert(account_id.to_string());
        }
        out.push(Response {
            account,
            date,
            answer,
        });
    }
    drop(answers);
    finish_rows(
        frame,
        rejected,
        problems,
        &unknown,
        "survey responses",
        warnings,
        out.len(),
    )?;
    Ok(out)
}
