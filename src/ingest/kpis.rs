//! kpis.csv into the values of the scorecard's other commitments: KPI,
//! member (blank: the team), year, period and value (a number or a
//! percentage, read with the table's decimal mark); conflicts by key.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use polars::prelude::*;

use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;

/// The values of kpis.csv: a number or a percentage (`75%`, `12,5%`) per
/// KPI, member (blank: the team), fiscal year and period (`FY`, `Q1`–`Q4`,
/// `YTD`, `M01`–`M12`); one value per key (a second, different one is an
/// error naming both rows).
pub(super) fn kpis_from(
    frame: &mut Frame,
    roster: &BTreeSet<&str>,
    decimal: Option<char>,
    diag: &mut Diagnostics,
) -> Result<Vec<KpiValue>> {
    let Diagnostics { problems, warnings } = diag;
    let cols: Vec<&str> = KPIS.columns.iter().map(|c| c.name).collect();
    frame::dedup_said(frame, &cols, frame::Same::Read, "KPI row", warnings)?;
    let df = frame
        .df
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .map_err(|e| frame::polars_context("sorting kpis", e))?;
    let mut out: Vec<KpiValue> = Vec::new();
    if df.height() == 0 {
        return Ok(out);
    }
    let text = |n: &str| str_col(&df, n);
    let (names, members, fys, periods, values) = (
        text("kpi")?,
        text("member_id")?,
        text("fiscal_year")?,
        text("period")?,
        text("value")?,
    );
    let files = u32_col(&df, "__file")?;
    let rows = u32_col(&df, "__row")?;
    // The decimal mark of the values: configured, else proven by a value
    // (`4,25`, `1,500.5`), else a point — and a value that reads both ways
    // (`1,500`) is then said, never silently taken as 1.5.
    let style = parse::MoneyStyle {
        decimal: match decimal {
            Some(d) => d,
            None => {
                let ev = parse::decimal_evidence(values.iter());
                match (ev.dot, ev.comma) {
                    (Some((i1, v1)), Some((i2, v2))) => {
                        let (f1, l1) =
                            frame.locate(files.get(i1).unwrap_or(0), rows.get(i1).unwrap_or(0));
                        let (f2, l2) =
                            frame.locate(files.get(i2).unwrap_or(0), rows.get(i2).unwrap_or(0));
                        bail!(InputErrors(vec![Problem::file(
                            &f1,
                            Some(l1),
                            format!("value \"{v1}\" has \".\" as decimal mark, but {} value \"{v2}\" has \",\": the values are mixed", frame::refer(&f2, l2, &f1)),
                            "bad value",
                        )
                        .with_hint("set [tables.kpis] decimal_mark = \".\" or \",\" in atu.toml")]));
                    }
                    (proof_dot, proof_comma)
                        if ev.either.is_some()
                            && (proof_dot.is_some() || proof_comma.is_some()) =>
                    {
                        // Proven by one value, applied to one that reads
                        // both ways: said, with both.
                        let (mark, (pi, pv)) = match (proof_dot, proof_comma) {
                            (Some(p), _) => ('.', p),
                            (_, Some(p)) => (',', p),
                            _ => ('.', (0, String::new())),
                        };
                        if let Some((i, v)) = &ev.either {
                            let (f, l) =
                                frame.locate(files.get(*i).unwrap_or(0), rows.get(*i).unwrap_or(0));
                            let (fp, lp) =
                                frame.locate(files.get(pi).unwrap_or(0), rows.get(pi).unwrap_or(0));
                            warnings.push(format!(
                                "{f}:{l}: KPI value \"{v}\" is read with \"{mark}\" as decimal mark, as {} \"{pv}\" shows; set [tables.kpis] decimal_mark in atu.toml if that is wrong",
                                frame::refer(&fp, lp, &f)
                            ));
                        }
                        mark
                    }
                    (None, Some(_)) => ',',
                    (Some(_), None) => '.',
                    (None, None) => {
                        if let Some((i, v)) = ev.either {
                            let (f, l) =
                                frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
                            warnings.push(format!("{f}:{l}: KPI value \"{v}\" could hold a thousands separator or a decimal mark, and is read with \".\" as decimal mark; set [tables.kpis] decimal_mark in atu.toml to say so"));
                        }
                        '.'
                    }
                }
            }
        },
    };
    // (kpi, member, year, period) → (value, file, line) of its first row.
    type Seen =
        BTreeMap<(String, Option<String>, i32, Period), (crate::num::Rational, String, u64)>;
    let mut seen: Seen = BTreeMap::new();
    let mut outside: BTreeSet<String> = BTreeSet::new();
    for i in 0..df.height() {
        let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
        let reject = |frame: &mut Frame, p: Problem, problems: &mut Vec<Problem>| {
            *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
            problems.push(p);
        };
        let fy_raw = fys.get(i).unwrap_or_default();
        let Ok(fy) = calendar::parse_fy(fy_raw) else {
            let p = Problem::row(
                &file,
                line,
                "fiscal_year",
                fy_raw,
                "is not a fiscal year",
                "bad fiscal year",
            )
            .with_hint("write fiscal years as 2013, FY13 or FY2013");
            reject(frame, p, problems);
            continue;
        };
        let p_raw = periods.get(i).unwrap_or_default();
        let period = if p_raw.trim().eq_ignore_ascii_case("ytd") {
            Some(Period::Ytd)
        } else {
            Period::parse_quota_period(p_raw)
        };
        let Some(period) = period else {
            let p = Problem::row(
                &file,
                line,
                "period",
                p_raw,
                "is not a period (FY, YTD, Q1–Q4, M01–M12)",
                "bad period",
            )
            .with_hint("KPI periods are FY, YTD, Q1–Q4 or M01–M12 (fiscal)");
            reject(frame, p, problems);
            continue;
        };
        let v_raw = values.get(i).unwrap_or_default();
        let number = v_raw.trim().trim_end_matches('%').trim_end();
        let value = parse::parse_money(number, style).map(crate::num::Rational::from_cents);
        let Some(value) = value else {
            let p = Problem::row(&file, line, "value", v_raw, "is not a number", "bad value")
                .with_hint("KPI values are numbers such as 4.2, 87.5 or 75%");
            reject(frame, p, problems);
            continue;
        };
        let kpi = names.get(i).unwrap_or_default().to_string();
        let member = members.get(i).map(str::to_string);
        if let Some(m) = &member {
            if !roster.contains(m.as_str()) {
                outside.insert(m.clone());
                *frame
                    .ledger
                    .ignored
                    .entry("member not in roster".to_string())
                    .or_default() += 1;
                continue;
            }
        }
        let key = (kpi.to_lowercase(), member.clone(), fy, period);
        if let Some((prev, f0, l0)) = seen.get(&key) {
            if *prev != value {
                let p = Problem::row(
                    &file,
                    line,
                    "value",
                    v_raw,
                    format!(
                        "conflicts with {}, which gives {} for the same KPI, member and period",
                        frame::refer(f0, *l0, &file),
                        prev.to_fixed(2)
                    ),
                    "conflicting key",
                )
                .with_hint("each KPI, member and period needs one value in kpis.csv");
                reject(frame, p, problems);
            } else {
                frame.ledger.duplicates += 1;
            }
            continue;
        }
        seen.insert(key, (value, file.clone(), line));
        out.push(KpiValue {
            kpi,
            member_id: member,
            fiscal_year: fy,
            period,
            value,
            percent: v_raw.trim().ends_with('%'),
        });
    }
    if !outside.is_empty() {
        warnings.push(format!(
            "{}: KPI values of ids not in the roster are ignored: {}",
            frame.ledger.files.join(", "),
            problems::show_list(outside.iter().map(|s| s.as_ref()))
        ));
    }
    frame.ledger.accepted = out.len() as u64;
    Ok(out)
}
