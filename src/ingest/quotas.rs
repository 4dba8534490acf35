//! quotas.csv into quota rows: fiscal year + period or dated rows (one
//! fiscal month, quarter or year each), categories, blank targets as no
//! quota, the team's own rows (`[quotas] team_rows`), conflicts by key.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use polars::prelude::*;

use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;

/// The fiscal year and period of a quota row: its `fiscal_year` +
/// `period`, else its dates (`start_date` to `end_date`, one fiscal month,
/// quarter or year; or `start_date` with `[quotas] period`); a problem
/// naming the row when they do not say one.
fn quota_period(
    settings: &Settings,
    (file, line): (&str, u64),
    fy_raw: Option<&str>,
    p_raw: Option<&str>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<(i32, Period), Box<Problem>> {
    let which: Result<(i32, Period), Problem> = match (fy_raw, p_raw, start, end) {
        (Some(fy), Some(p), _, _) => {
            let fy_v = calendar::parse_fy(fy).map_err(|_| {
                Problem::row(file, line, "fiscal_year", fy, "is not a fiscal year", "bad fiscal year")
                    .with_hint("write fiscal years as 2013, FY13 or FY2013")
            });
            let p_v = Period::parse_quota_period(p).ok_or_else(|| {
                Problem::row(file, line, "period", p, "is not a period (FY, Q1–Q4, M01–M12)", "bad period")
                    .with_hint("quota periods are FY, Q1–Q4 or M01–M12 (fiscal)")
            });
            match (fy_v, p_v) {
                (Ok(a), Ok(b)) => Ok((a, b)),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        // A goal export may carry a fiscal year beside From/To dates:
        // the dates decide.
        (_, None, Some(s), Some(e)) => calendar::classify_range(&settings.calendar, s, e)
            .ok_or_else(|| {
                Problem::row(
                    file,
                    line,
                    "start_date",
                    &format!("{s} to {e}"),
                    "does not cover exactly one fiscal month, quarter or year",
                    "bad period",
                )
                .with_hint("a dated quota row must span one fiscal month, quarter or year (check fiscal_year_start_month)")
            }),
        (_, None, Some(s), None) => match settings.quota_period {
            None => Err(Problem::row(
                file,
                line,
                "end_date",
                "",
                "is empty and no quota period length is configured",
                "missing value",
            )
            .with_hint("set [quotas] period = \"month\" or \"quarter\" in atu.toml for start-dated quotas")),
            Some(len) => calendar::period_starting(&settings.calendar, s, len).ok_or_else(|| {
                Problem::row(
                    file,
                    line,
                    "start_date",
                    &s.to_string(),
                    "is not the first day of a fiscal period of the configured length",
                    "bad period",
                )
                .with_hint("check [quotas] period and fiscal_year_start_month in atu.toml")
            }),
        },
        (None, Some(_), _, _) | (Some(_), None, _, _) => Err(Problem::row(
            file,
            line,
            if fy_raw.is_none() { "fiscal_year" } else { "period" },
            "",
            if fy_raw.is_none() { "is empty but the row has a period" } else { "is empty but the row has a fiscal_year" },
            "missing value",
        )
        .with_hint("a quota row needs both fiscal_year and period, or start_date")),
        (None, None, None, _) => Err(Problem::row(
            file,
            line,
            "period",
            "",
            "is empty: the row names no fiscal_year and period, nor start_date",
            "missing value",
        )),
    };
    which.map_err(Box::new)
}

pub(super) fn quotas_from(
    settings: &Settings,
    frame: &mut Frame,
    roster: &BTreeSet<&str>,
    diag: &mut Diagnostics,
) -> Result<(Vec<Quota>, Vec<Quota>)> {
    let Diagnostics { problems, warnings } = diag;
    let has_team = frame
        .df
        .get_column_names()
        .iter()
        .any(|n| n.as_str() == "__team");
    let mut cols: Vec<&str> = QUOTAS.columns.iter().map(|c| c.name).collect();
    if has_team {
        cols.push("__team");
    }
    frame::dedup_said(frame, &cols, frame::Same::Read, "quota row", warnings)?;
    if !frame.present.contains(&"quota") {
        bail!(
            "{}: required column quota not found\nhelp: map it in atu.toml: [columns.quotas] quota = \"Target\"",
            frame.ledger.files.join(", ")
        );
    }
    let has_fy = frame.present.contains(&"fiscal_year") && frame.present.contains(&"period");
    let has_dates = frame.present.contains(&"start_date");
    if !has_fy && !has_dates {
        bail!(
            "{}: quota rows need fiscal_year and period, or start_date (and end_date)\nhelp: map them in atu.toml, e.g. [columns.quotas] start_date = \"From\", end_date = \"To\"",
            frame.ledger.files.join(", ")
        );
    }
    let df = frame
        .df
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .map_err(|e| frame::polars_context("sorting quotas", e))?;
    if df.height() == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let team_flags: Vec<bool> = if has_team {
        df.column("__team")
            .and_then(|c| c.bool().cloned())
            .map_err(|e| frame::polars_context("reading team rows", e))?
            .iter()
            .map(|b| b.unwrap_or(false))
            .collect()
    } else {
        vec![false; df.height()]
    };
    let mut team_out: Vec<Quota> = Vec::new();
    let ids = str_col(&df, "member_id")?;
    let fys = str_col(&df, "fiscal_year")?;
    let periods = str_col(&df, "period")?;
    let cats = str_col(&df, "category")?;
    let amounts = df
        .column("quota")
        .and_then(|c| c.i64().cloned())
        .map_err(|e| frame::polars_context("reading quotas", e))?;
    let starts = date_col(&df, "start_date")?;
    let ends = date_col(&df, "end_date")?;
    let files = u32_col(&df, "__file")?;
    let rows = u32_col(&df, "__row")?;
    let raw_quota = str_col(&df, "__raw_quota")?;

    let mut out: Vec<Quota> = Vec::new();
    // (member, year, period, category) → (cents, file, line) of its first row.
    type Seen = BTreeMap<(String, i32, Period, String), (i64, String, u64)>;
    let mut seen: Seen = BTreeMap::new();
    let mut not_in_roster: BTreeSet<String> = BTreeSet::new();
    let reject = |frame: &mut Frame, p: Problem, problems: &mut Vec<Problem>| {
        *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        problems.push(p);
    };
    for i in 0..df.height() {
        let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
        let is_team = team_flags[i];
        // A team row's owner does not matter: it is the team's quota.
        let id = if is_team {
            String::new()
        } else {
            ids.get(i).unwrap_or_default().to_string()
        };
        let whose = if is_team {
            "the team's".to_string()
        } else {
            format!("{id}'s")
        };
        let category = cats.get(i).unwrap_or(DEFAULT_CATEGORY).to_string();
        // Which period: fiscal_year + period, else dated.
        let fy_raw = fys.get(i);
        let p_raw = periods.get(i);
        let which = quota_period(settings, (&file, line), fy_raw, p_raw, starts[i], ends[i]);
        let (fy, period) = match which {
            Ok(v) => v,
            Err(p) => {
                reject(frame, *p, problems);
                continue;
            }
        };
        let Some(cents) = amounts.get(i) else {
            // A blank target: no quota for that period (Dynamics goals).
            *frame
                .ledger
                .ignored
                .entry("blank quota (no quota)".to_string())
                .or_default() += 1;
            continue;
        };
        let shown = raw_quota.get(i).unwrap_or_default();
        if cents < 0 {
            let p = Problem::row(
                &file,
                line,
                "quota",
                shown,
                "is negative; a quota is an amount ≥ 0",
                "negative quota",
            );
            reject(frame, p, problems);
            continue;
        }
        if !is_team && !roster.contains(id.as_str()) {
            not_in_roster.insert(id.clone());
            *frame
                .ledger
                .ignored
                .entry("member not in roster".to_string())
                .or_default() += 1;
            continue;
        }
        let key = (id.clone(), fy, period, category.trim().to_lowercase());
        if let Some((prev, first_file, first)) = seen.get(&key) {
            if *prev != cents {
                let p = Problem::row(
                    &file,
                    line,
                    "quota",
                    shown,
                    format!(
                        "conflicts with {}, which gives {} for {whose} {category} quota of FY{fy} {}",
                        frame::refer(first_file, *first, &file),
                        crate::num::Rational::from_cents(*prev).to_fixed(2),
                        period.label()
                    ),
                    "conflicting key",
                )
                .with_hint(if frame.present.contains(&"category") {
                    "each member, category and period needs one quota row".to_string()
                } else {
                    "each member, category and period needs one quota row; no category column is mapped, so every row is Sales: if rows differ by a column such as a revenue type, map it in atu.toml: [columns.quotas] category = \"…\"".to_string()
                });
                reject(frame, p, problems);
            } else {
                frame.ledger.duplicates += 1;
            }
            continue;
        }
        seen.insert(key, (cents, file.clone(), line));
        if is_team {
            team_out.push(Quota {
                member_id: id,
                fiscal_year: fy,
                period,
                category,
                cents,
            });
            continue;
        }
        out.push(Quota {
            member_id: id,
            fiscal_year: fy,
            period,
            category,
            cents,
        });
    }
    if !not_in_roster.is_empty() {
        warnings.push(format!(
            "{}: quotas of ids not in the roster are ignored: {}",
            frame.ledger.files.join(", "),
            problems::show_list(not_in_roster.iter().map(|s| s.as_ref()))
        ));
    }
    frame.ledger.accepted = (out.len() + team_out.len()) as u64;
    Ok((out, team_out))
}
