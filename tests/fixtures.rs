//! Hand-computed fixtures (`fixtures/m_*`): tiny datasets whose README.md
//! writes out the arithmetic of every expected figure from SPEC's rules. Each
//! test runs `atu <cmd> --data fixtures/m_… --fy … --as-of … --format csv` from
//! the repository root and compares the WHOLE stdout with the expected CSV
//! stored next to the data.
//!
//! Covered: SPEC §2 (fiscal calendar, D = min(as-of, year end), boundaries),
//! §3.1 (attainment: FY / Qn / Mnn / dated / start-only quota rows, pace,
//! zero and missing quotas, `All`, team = Σ actual / Σ quota, members at
//! quota, unassigned owners, duplicates), §3.2 (win rate, pipeline,
//! past-due, coverage), §3.6 (partner attach), §3.7 (status thresholds,
//! per-member targets, `--fail-on`) and §6 (rounding, JSON = CSV).

use crate::common::{self, assert_no_error, assert_same, expected};

/// Runs `atu <cmd> --data fixtures/<fixture> [--fy <fy>] --as-of <as_of>
/// --format <format> [extra…]` from the repository root.
fn run_fmt(
    fixture: &str,
    cmd: &str,
    fy: Option<&str>,
    as_of: &str,
    format: &str,
    extra: &[&str],
) -> (i32, String, String) {
    let data = format!("fixtures/{fixture}");
    let mut args: Vec<&str> = vec![cmd, "--data", &data];
    if let Some(fy) = fy {
        args.extend(["--fy", fy]);
    }
    args.extend(["--as-of", as_of, "--format", format]);
    args.extend_from_slice(extra);
    common::run(&common::root(), &args)
}

/// Runs a CSV report, expects exit 0, no error on stderr and exactly the
/// expected file on stdout; returns stderr.
fn check(fixture: &str, cmd: &str, fy: &str, as_of: &str, file: &str) -> String {
    check_with(fixture, cmd, Some(fy), as_of, &[], file)
}

/// [`check`] with the year optional and `extra` flags.
fn check_with(
    fixture: &str,
    cmd: &str,
    fy: Option<&str>,
    as_of: &str,
    extra: &[&str],
    file: &str,
) -> String {
    let (code, out, err) = run_fmt(fixture, cmd, fy, as_of, "csv", extra);
    assert_eq!(code, 0, "atu {cmd} on {fixture} failed; stderr:\n{err}");
    assert_no_error(&err);
    assert_same(fixture, file, &out);
    err
}

// ---------------------------------------------------------------- §3.1 / §2

/// FY-only quotas (quarters = FY/4), lines on 2012-06-30, 2012-07-01,
/// 2012-09-30/10-01, 2013-06-30 and 2013-07-01; as-of after the year end
/// (D = year end, every period complete, YTD quota = FY quota).
#[test]
fn attainment_fy_only_as_of_after_year_end() {
    check(
        "m_fy_only",
        "attainment",
        "2013",
        "2013-08-15",
        "expected_attainment.csv",
    );
}

/// FY-only quotas inside the year: Q4 not started, YTD quota = FY × 214/365.
#[test]
fn attainment_fy_only_pace_prorated_over_the_year() {
    check(
        "m_fy_only",
        "attainment",
        "2013",
        "2013-01-30",
        "expected_attainment_asof_2013-01-30.csv",
    );
}

/// Quarterly quotas, as-of inside Q2: a won line after as-of is excluded,
/// Q3/Q4 not started, YTD pro-rated (46 of 92 days), team = Σ/Σ, members
/// at quota (exactly 100 counts), members sorted by id.
#[test]
fn attainment_quarterly_as_of_inside_a_quarter() {
    check(
        "m_quarterly",
        "attainment",
        "2013",
        "2012-11-15",
        "expected_attainment.csv",
    );
}

/// `--fy FY13` and no `--fy` at all (the year that holds --as-of) give the
/// same report as `--fy 2013`.
#[test]
fn attainment_fy_forms_and_default_year() {
    check_with(
        "m_quarterly",
        "attainment",
        Some("FY13"),
        "2012-11-15",
        &[],
        "expected_attainment.csv",
    );
    check_with(
        "m_quarterly",
        "attainment",
        None,
        "2012-11-15",
        &[],
        "expected_attainment.csv",
    );
}

/// Monthly `Mnn` rows: quarter = Σ months, year = Σ quarters that have one,
/// a quarter without rows has no quota, YTD pro-rated by months (10 of 31
/// days of August); no targets → no status.
#[test]
fn attainment_monthly_rows_without_targets() {
    check(
        "m_monthly",
        "attainment",
        "2013",
        "2012-08-10",
        "expected_attainment.csv",
    );
}

/// Quota rows with start_date + end_date: quarters, a whole year, months.
#[test]
fn attainment_dated_quota_rows() {
    check(
        "m_dated",
        "attainment",
        "2013",
        "2013-02-14",
        "expected_attainment.csv",
    );
}

/// Quota rows with start_date only and `[quotas] period = "quarter"`.
#[test]
fn attainment_start_only_quarter_rows() {
    check(
        "m_start_quarter",
        "attainment",
        "2013",
        "2013-05-01",
        "expected_attainment.csv",
    );
}

/// `fiscal_year_start_month = 1`: FY2012 is calendar 2012 (366 days, the
/// leap day counted); team YTD exactly 90.00 is yellow.
#[test]
fn attainment_calendar_fiscal_year_leap_year() {
    check(
        "m_calendar_fy",
        "attainment",
        "2012",
        "2012-03-15",
        "expected_attainment.csv",
    );
}

/// `fiscal_year_named_by = "start"`: FY2013 runs 2013-07-01..2014-06-30.
#[test]
fn attainment_fiscal_year_named_by_start() {
    check(
        "m_named_by_start",
        "attainment",
        "FY2013",
        "2014-02-14",
        "expected_attainment.csv",
    );
}

/// Zero quotas (pct empty, no status) and a member without quota rows
/// (quota empty, actual shown); team Σ actual over all members / Σ quota;
/// members_with_quota counts non-zero quotas only (0/0 → empty share).
#[test]
fn attainment_zero_and_missing_quotas() {
    check(
        "m_missing_zero",
        "attainment",
        "2013",
        "2013-08-15",
        "expected_attainment.csv",
    );
}

/// No quotas.csv: actuals listed, quotas missing, and a warning.
#[test]
fn attainment_without_quotas_file_warns() {
    let err = check(
        "m_no_quotas",
        "attainment",
        "2013",
        "2013-08-15",
        "expected_attainment.csv",
    );
    assert!(
        err.to_lowercase().contains("quota"),
        "expected a warning about the missing quotas, stderr:\n{err}"
    );
}

/// Two categories (alphabetical, then `All`), blank category = Sales, a
/// member without a quota in one category, team per category and All.
#[test]
fn attainment_two_categories_and_all() {
    check(
        "m_categories",
        "attainment",
        "2013",
        "2013-01-30",
        "expected_attainment.csv",
    );
}

/// FY + Qn rows (warning when they disagree by > 0.5%), FY + some Mnn rows,
/// FY/4 with half a cent, negative (credit) won lines, rounding half away
/// from zero of ±0.125, categories only from the year's quotas and won
/// lines up to D.
#[test]
fn attainment_quota_resolution_edge_cases() {
    let err = check(
        "m_edge",
        "attainment",
        "2013",
        "2013-01-30",
        "expected_attainment.csv",
    );
    assert!(
        err.lines().any(|l| l.contains("M01") && l.contains("FY")),
        "expected a warning that M01's quarters disagree with its FY quota, stderr:\n{err}"
    );
    for other in ["M02", "M03", "M04"] {
        assert!(
            !err.contains(other),
            "no quota warning expected for {other}, stderr:\n{err}"
        );
    }
}

/// An exact duplicate line is used once and reported; an owner outside the
/// roster is in no member or team row and is reported.
#[test]
fn attainment_unassigned_owner_and_duplicate_line() {
    let err = check(
        "m_unassigned_dup",
        "attainment",
        "2013",
        "2013-08-15",
        "expected_attainment.csv",
    );
    assert_unassigned_and_duplicate_reported(&err);
}

fn assert_unassigned_and_duplicate_reported(err: &str) {
    assert!(
        err.to_lowercase().contains("duplicate"),
        "expected the duplicate line to be reported, stderr:\n{err}"
    );
    assert!(
        err.contains("M99"),
        "expected the unassigned owner M99 to be reported, stderr:\n{err}"
    );
}

// ---------------------------------------------------------------------- §3.2

/// Distinct won/lost opportunities, win rate with a zero denominator,
/// pipeline (D < close ≤ year end), past-due (close ≤ D), lines after the
/// year end excluded, coverage over all categories, missing when the quota
/// is missing or met.
#[test]
fn pipeline_win_rate_pipeline_past_due_and_coverage() {
    check(
        "m_pipeline",
        "pipeline",
        "2013",
        "2013-01-30",
        "expected_pipeline.csv",
    );
}

/// Without any quota: remaining quota and coverage are missing.
#[test]
fn pipeline_without_quotas_has_no_coverage() {
    check(
        "m_no_quotas",
        "pipeline",
        "2013",
        "2013-08-15",
        "expected_pipeline.csv",
    );
}

#[test]
fn pipeline_unassigned_owner_and_duplicate_line() {
    let err = check(
        "m_unassigned_dup",
        "pipeline",
        "2013",
        "2013-08-15",
        "expected_pipeline.csv",
    );
    assert_unassigned_and_duplicate_reported(&err);
}

// ---------------------------------------------------------------------- §3.6

/// A partner on one of two won lines attaches the opportunity; a partner on
/// a lost line does not; partner revenue share; a member without won lines
/// has empty percentages.
#[test]
fn partners_attach_and_revenue_share() {
    check(
        "m_partners",
        "partners",
        "2013",
        "2013-01-30",
        "expected_partners.csv",
    );
}

#[test]
fn partners_unassigned_owner_and_duplicate_line() {
    let err = check(
        "m_unassigned_dup",
        "partners",
        "2013",
        "2013-08-15",
        "expected_partners.csv",
    );
    assert_unassigned_and_duplicate_reported(&err);
}

// ---------------------------------------------------------------------- §3.7

/// Statuses exactly at the thresholds (100.00 green, 90.00 yellow, 89.99
/// red; M02's own target 110: 110.00 / 99.00 / 98.99; coverage 2.25 yellow,
/// 2.50 green), no status without a target, a value or a started period.
#[test]
fn scorecard_statuses_at_thresholds() {
    check(
        "m_scorecard",
        "scorecard",
        "2013",
        "2013-02-14",
        "expected_scorecard.csv",
    );
}

/// In the attainment table the attainment target (M02: 110) applies to
/// every row, YTD included.
#[test]
fn scorecard_fixture_attainment_table_uses_attainment_target() {
    check(
        "m_scorecard",
        "attainment",
        "2013",
        "2013-02-14",
        "expected_attainment.csv",
    );
}

/// `--fail-on red` and `--fail-on yellow` exit 3 when a KPI is red; the
/// output is still written in full.
#[test]
fn scorecard_fail_on_trips_with_red() {
    for level in ["red", "yellow"] {
        let (code, out, err) = run_fmt(
            "m_scorecard",
            "scorecard",
            Some("2013"),
            "2013-02-14",
            "csv",
            &["--fail-on", level],
        );
        assert_eq!(code, 3, "--fail-on {level} should trip; stderr:\n{err}");
        assert_same("m_scorecard", "expected_scorecard.csv", &out);
    }
}

/// With yellow but no red KPI: `--fail-on red` exits 0, `--fail-on yellow`
/// exits 3.
#[test]
fn scorecard_fail_on_red_not_tripped_without_red() {
    check_with(
        "m_scorecard_ok",
        "scorecard",
        Some("2013"),
        "2013-08-15",
        &["--fail-on", "red"],
        "expected_scorecard.csv",
    );
    let (code, out, err) = run_fmt(
        "m_scorecard_ok",
        "scorecard",
        Some("2013"),
        "2013-08-15",
        "csv",
        &["--fail-on", "yellow"],
    );
    assert_eq!(code, 3, "--fail-on yellow should trip; stderr:\n{err}");
    assert_same("m_scorecard_ok", "expected_scorecard.csv", &out);
}

// ------------------------------------------------------------------------ §6

/// `--format json` parses, has the same rows, columns (in order) and numbers
/// as the expected CSV; missing values are null; counts are integers.
#[test]
fn attainment_json_matches_expected_csv() {
    let (code, out, err) = run_fmt(
        "m_quarterly",
        "attainment",
        Some("2013"),
        "2012-11-15",
        "json",
        &[],
    );
    assert_eq!(code, 0, "stderr:\n{err}");
    let doc: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("--format json is not JSON ({e}):\n{out}"));
    assert_eq!(doc["as_of"], "2012-11-15", "as_of in {out}");
    let fy = doc["fiscal_year"].as_str().unwrap_or_default();
    assert!(fy.contains("2013"), "fiscal_year {fy:?}");
    assert!(doc.get("scope").is_some(), "no scope in {out}");
    let rows = doc["tables"]["attainment"]
        .as_array()
        .unwrap_or_else(|| panic!("no tables.attainment array in {out}"));

    let csv = expected("m_quarterly", "expected_attainment.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let want: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), want.len(), "row count");
    let counts = ["members_with_quota", "members_at_quota"];
    let numbers = ["quota", "actual", "attainment_pct", "members_at_quota_pct"];
    for (i, (row, cells)) in rows.iter().zip(&want).enumerate() {
        let obj = row.as_object().expect("row object");
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        assert_eq!(
            &keys[..header.len()],
            &header[..],
            "row {i}: columns and their order"
        );
        for (col, cell) in header.iter().zip(cells) {
            let v = &obj[*col];
            let ctx = format!("row {i} ({cells:?}) column {col}: json {v}");
            if cell.is_empty() {
                assert!(v.is_null(), "{ctx}: expected null");
            } else if counts.contains(col) {
                assert_eq!(v.as_i64(), Some(cell.parse().unwrap()), "{ctx}");
            } else if numbers.contains(col) {
                let want: f64 = cell.parse().unwrap();
                let got = v.as_f64().unwrap_or_else(|| panic!("{ctx}: not a number"));
                assert!((got - want).abs() < 1e-9, "{ctx}: expected {want}");
            } else {
                assert_eq!(v.as_str(), Some(*cell), "{ctx}");
            }
        }
    }
}

// ------------------------------------------------------------- issue 3 goals

/// A goal export: the members' goals are the quotas (a row filter), the
/// team's parent goals its own quota (`[quotas] team_rows`): team rows
/// divide by 1,000,000 and not by the members' 880,000, with a warning.
#[test]
fn attainment_team_rows_use_the_parent_goals() {
    let err = check(
        "m_team_goals",
        "attainment",
        "2013",
        "2013-01-30",
        "expected_attainment.csv",
    );
    assert_eq!(
        err,
        "warning: quotas: the team's Sales quota of FY2013 is 1000000.00 ([quotas] team_rows), where its members' quotas add up to 880000.00; team rows use the team's\n"
    );
}

/// With `--member`, the parent goals (the whole team's) do not apply.
#[test]
fn attainment_parent_goals_need_the_whole_team() {
    let err = check_with(
        "m_team_goals",
        "attainment",
        Some("2013"),
        "2013-01-30",
        &["--member", "M1"],
        "expected_attainment_m1.csv",
    );
    assert!(
        err.contains("[quotas] team_rows give the whole team's quota; this run covers part of it"),
        "{err}"
    );
}
