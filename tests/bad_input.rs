//! Bad input (SPEC §1.3) and the CLI's error paths: every problem names the
//! file, the line as an editor shows it, the column and the offending value,
//! with a `help:` hint naming the flag or atu.toml key that fixes it; a strict
//! run exits 1 with nothing on stdout and no `--output` file; `--skip-invalid`
//! leaves the rows out and says so; a missing table is an error or a
//! warning, and only for the commands that use it; nothing ever panics.
//!
//! Fixtures are the `fixtures/bad_*` folders, each a tiny dataset derived
//! from `fixtures/bad_clean` (3 members, 8 quotas, 7 revenue lines, all
//! valid) with one kind of problem, or a tiny dataset written into a
//! temporary folder. Runs use FY2013 as of 2013-01-30.

use std::path::{Path, PathBuf};

use crate::common::{
    self, assert_fails_with, assert_ok, copy_files, dataset, line, run_fixture, run_inside, run_on,
    MEMBERS, TWO, TWO_QUOTAS,
};

/// The generic hint of every strict run that found row problems.
const FIX_ROWS: &str =
    "help: fix the rows, or pass --skip-invalid (with --rejects FILE) to leave invalid rows out";
const AMOUNT_HELP: &str =
    "help: amounts are numbers such as 1500000.00, $1,500,000.00 or (1,200.00)";
const STATUS_HELP: &str =
    "help: map the export's status words in atu.toml, e.g. [values.status] \"Closed Won\" = \"won\"";
const ISO_DATE_HELP: &str = "help: dates are YYYY-MM-DD; for 30/01/2013 or 1/30/2013 set date_order = \"dmy\" or \"mdy\" in atu.toml; for other forms add chrono formats, e.g. date_formats = [\"%d-%b-%Y\"]";
const ENCODING_HELP: &str = "help: set encoding = \"windows-1252\" (or the export's encoding) in atu.toml, or pass --encoding windows-1252; or save the export as \"CSV UTF-8\"";

/// `atu attainment` on a fixture ([`run_fixture`]).
fn attainment(fixture: &str, extra: &[&str]) -> (i32, String, String) {
    run_fixture(fixture, "attainment", extra)
}

/// A strict failure: exit 1, nothing on stdout, and exactly `expected`
/// (lines joined with `\n`) on stderr.
#[track_caller]
fn assert_fails(out: (i32, String, String), expected: &[&str]) {
    assert_fails_with(out, expected, 1);
}

/// A usage error found after parsing (a flag's value, or flags that do not
/// go together): exit 2 like clap's own, exactly `expected` on stderr.
#[track_caller]
fn assert_usage(out: (i32, String, String), expected: &[&str]) {
    assert_fails_with(out, expected, 2);
}

/// One cell of attainment CSV: the Sales row of `member` (empty: the team
/// row) for `period`, in `column`.
#[track_caller]
fn att_cell(csv_text: &str, member: &str, period: &str, column: &str) -> String {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rdr.headers().expect("csv header").clone();
    let idx = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {headers:?}"))
    };
    let (m, p, c, v) = (
        idx("member_id"),
        idx("period"),
        idx("category"),
        idx(column),
    );
    for rec in rdr.records() {
        let rec = rec.expect("csv record");
        if &rec[m] == member && &rec[p] == period && &rec[c] == "Sales" {
            return rec[v].to_string();
        }
    }
    panic!("no attainment row for {member:?} {period}:\n{csv_text}");
}

/// The (file, line, column, value, reason, message) rows of a rejects file.
fn read_rejects(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::Reader::from_path(path).expect("rejects file");
    let headers = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = rdr
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------- 1. dates

/// `31/02/2013` under `date_order = "dmy"`: the SPEC's own example.
#[test]
fn impossible_dmy_date_names_file_line_column_and_value() {
    assert_fails(
        attainment("bad_date_dmy", &[]),
        &[
            "error: opportunities.csv:5: close_date \"31/02/2013\" is not a date (day/month/year)",
            "help: dates are read as day/month/year, as date_order says; for other forms add chrono formats, e.g. date_formats = [\"%d-%b-%Y\"]",
            FIX_ROWS,
        ],
    );
}

/// `2013-13-01` with no date_order: the hint says how dates are written.
#[test]
fn impossible_iso_date_hints_at_the_date_format() {
    assert_fails(
        attainment("bad_date_iso", &[]),
        &[
            "error: opportunities.csv:3: close_date \"2013-13-01\" is not a date (year-month-day)",
            ISO_DATE_HELP,
            FIX_ROWS,
        ],
    );
}

/// A strict run that fails writes no `--output` file (not even an empty or
/// temporary one).
#[test]
fn strict_failure_writes_no_output_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("attainment.csv");
    let out_s = out.to_str().expect("utf-8 path");
    let (code, stdout, stderr) = attainment("bad_date_dmy", &["--output", out_s]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: opportunities.csv:5: close_date"),
        "{stderr}"
    );
    assert!(!out.exists(), "--output was written by a failed run");
    assert_eq!(
        files_in(dir.path()),
        Vec::<PathBuf>::new(),
        "leftover files"
    );
}

/// Nor any `--out-dir` table.
#[test]
fn strict_failure_writes_no_out_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = dir.path().join("tables");
    let out_s = out_dir.to_str().expect("utf-8 path");
    let (code, stdout, stderr) = attainment("bad_values", &["--out-dir", out_s]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: opportunities.csv:3: amount"),
        "{stderr}"
    );
    assert_eq!(files_in(dir.path()), Vec::<PathBuf>::new(), "files written");
}

// ------------------------------------------------------------ 2. ambiguity

/// Slash dates with every part ≤ 12 and no date_order: atu never guesses.
#[test]
fn ambiguous_slash_dates_ask_for_date_order() {
    assert_fails(
        attainment("bad_date_ambiguous", &[]),
        &[
            "error: opportunities.csv:2: close_date \"04/05/2013\" reads both as day/month and month/day, and atu never guesses",
            "help: set date_order = \"dmy\" (30/01/2013) or \"mdy\" (1/30/2013) in atu.toml",
        ],
    );
}

/// A first part above 12 proves day/month: read so, with a warning.
/// `10/01/2013` is then 10 January (Q3), not 1 October.
#[test]
fn slash_dates_proven_day_month_are_read_with_a_warning() {
    let out = assert_ok(
        attainment("bad_date_proven", &[]),
        &["warning: opportunities.csv: reading slash dates as day/month/year (line 2 close_date \"15/08/2012\" proves it); set date_order = \"dmy\" in atu.toml to say so"],
    );
    assert_eq!(att_cell(&out, "M01", "Q1", "actual"), "80000.00");
    assert_eq!(att_cell(&out, "M01", "Q2", "actual"), "50000.00");
    assert_eq!(att_cell(&out, "M02", "Q1", "actual"), "30000.00");
    assert_eq!(att_cell(&out, "M02", "Q3", "actual"), "10000.00");
}

/// A second part above 12 proves month/day: `1/10/2013` is 10 January.
#[test]
fn slash_dates_proven_month_day_are_read_with_a_warning() {
    let out = assert_ok(
        attainment("bad_date_proven_mdy", &[]),
        &["warning: opportunities.csv: reading slash dates as month/day/year (line 2 close_date \"8/15/2012\" proves it); set date_order = \"mdy\" in atu.toml to say so"],
    );
    assert_eq!(att_cell(&out, "M01", "Q1", "actual"), "80000.00");
    assert_eq!(att_cell(&out, "M02", "Q3", "actual"), "10000.00");
    assert_eq!(att_cell(&out, "", "YTD", "actual"), "170000.00");
}

// ------------------------------------------------- 3. values and columns

/// `12abc`, `Maybe` and a blank owner_id, all reported in one run, each
/// with its own hint (sorted), then the generic one.
#[test]
fn bad_amount_status_and_blank_owner_are_reported_together() {
    assert_fails(
        attainment("bad_values", &[]),
        &[
            "error: opportunities.csv:3: amount \"12abc\" is not an amount",
            "error: opportunities.csv:5: status \"Maybe\" is not a known status (won, lost, open)",
            "error: opportunities.csv:6: owner_id \"\" is empty but required",
            AMOUNT_HELP,
            "help: every row of opportunities needs owner_id",
            STATUS_HELP,
            FIX_ROWS,
        ],
    );
}

/// A missing required column names the file, the column, the headers
/// found, the closest match, and the `[columns.opportunities]` key.
#[test]
fn missing_required_column_names_headers_and_closest_match() {
    assert_fails(
        attainment("bad_missing_column", &[]),
        &[
            "error: opportunities.csv: required column amount not found; headers found: \"opportunity_id\", \"line_id\", \"owner_id\", \"account_id\", \"close_date\", \"status\", \"amount_usd\", \"category\", \"product\", \"partner_id\"; closest match: \"amount_usd\"",
            "help: map it in atu.toml: [columns.opportunities] amount = \"amount_usd\"",
        ],
    );
}

/// `[columns.opportunities] amount = "Revenue"` where no such header exists.
#[test]
fn column_mapping_to_a_missing_header_is_an_error() {
    assert_fails(
        attainment("bad_column_mapping", &[]),
        &[
            "error: opportunities.csv: column \"Revenue\" (mapped to amount in [columns.opportunities]) not found; headers found: \"opportunity_id\", \"line_id\", \"owner_id\", \"account_id\", \"close_date\", \"status\", \"amount\", \"category\", \"product\", \"partner_id\"",
            "help: fix [columns.opportunities] amount in atu.toml",
        ],
    );
}

#[test]
fn errors_name_the_exports_header() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("atu.toml", "[columns.opportunities]\namount = \"Revenue\"\n"),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,Revenue\nO1,M1,A1,2012-08-01,won,abc\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: opportunities.csv:2: Revenue (amount) \"abc\" is not an amount\n"),
        "{err}"
    );
}

#[test]
fn two_headers_for_one_column_are_an_error_not_a_guess() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount,Amount\nO1,M1,A1,2013-01-05,won,100,999\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with(
            "error: opportunities.csv: 2 columns could be amount: \"amount\", \"Amount\"\n"
        ),
        "{err}"
    );
}

// ------------------------------------------------------ 4. many problems

/// 55 bad amounts, all "n/a": one message with the count and the first
/// lines (the first 50 messages, then a count, when values differ: see
/// `problems::tests::caps_at_fifty_and_escapes`).
#[test]
fn many_rows_with_one_bad_value_are_one_message() {
    assert_fails(
        attainment("bad_many", &[]),
        &[
            "error: opportunities.csv: amount \"n/a\" on 55 rows (lines 3, 4, 5, …) is not an amount",
            AMOUNT_HELP,
            FIX_ROWS,
        ],
    );
}

// ------------------------------------------------- 5. across the files

/// Problems in quotas.csv and opportunities.csv come out in one run.
#[test]
fn problems_in_several_files_are_reported_together() {
    assert_fails(
        attainment("bad_across_files", &[]),
        &[
            "error: quotas.csv:3: period \"Q5\" is not a period (FY, Q1–Q4, M01–M12)",
            "error: quotas.csv:4: quota \"-50000.00\" is negative; a quota is an amount ≥ 0",
            "error: opportunities.csv:3: close_date \"2012-11-31\" is not a date (year-month-day)",
            ISO_DATE_HELP,
            "help: quota periods are FY, Q1–Q4 or M01–M12 (fiscal)",
            FIX_ROWS,
        ],
    );
}

/// `atu validate` is strict too: the same problems, exit 1.
#[test]
fn validate_reports_the_same_problems() {
    let (code, stdout, stderr) = run_fixture("bad_across_files", "validate", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr.lines().next(),
        Some("error: quotas.csv:3: period \"Q5\" is not a period (FY, Q1–Q4, M01–M12)")
    );
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error: ")).count(),
        3
    );
}

// ------------------------------------------------------ 6. --skip-invalid

/// The three bad lines are left out: M01's Q1 drops the 20000.00 line
/// `12abc` hid, M02's Q1 drops the `Maybe` line, and the blank-owner line
/// of Q3 is gone; the warning counts them and points at --rejects.
#[test]
fn skip_invalid_leaves_bad_rows_out_and_counts_them() {
    let out = assert_ok(
        attainment("bad_values", &["--skip-invalid"]),
        &["warning: 3 invalid row(s) left out (bad amount: 1, bad status: 1, missing value: 1); pass --rejects FILE to list them"],
    );
    assert_eq!(att_cell(&out, "M01", "Q1", "actual"), "60000.00");
    assert_eq!(att_cell(&out, "M01", "Q2", "actual"), "50000.00");
    assert_eq!(att_cell(&out, "M02", "Q1", "actual"), "0.00");
    assert_eq!(att_cell(&out, "", "YTD", "actual"), "110000.00");
}

/// With `--rejects FILE`, the rows left out are listed with their location,
/// value, reason and message.
#[test]
fn skip_invalid_with_rejects_writes_each_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rejects = dir.path().join("rejects.csv");
    let rejects_s = rejects.to_str().expect("utf-8 path");
    let warning = format!(
        "warning: 3 invalid row(s) left out (bad amount: 1, bad status: 1, missing value: 1); their problems are listed in {rejects_s}"
    );
    let out = assert_ok(
        attainment("bad_values", &["--skip-invalid", "--rejects", rejects_s]),
        &[warning.as_str()],
    );
    assert_eq!(att_cell(&out, "M01", "Q1", "actual"), "60000.00");
    let (headers, rows) = read_rejects(&rejects);
    assert_eq!(
        headers,
        row(&["file", "line", "column", "value", "reason", "message"])
    );
    assert_eq!(
        rows,
        vec![
            row(&[
                "opportunities.csv",
                "3",
                "amount",
                "12abc",
                "bad amount",
                "is not an amount"
            ]),
            row(&[
                "opportunities.csv",
                "5",
                "status",
                "Maybe",
                "bad status",
                "is not a known status (won, lost, open)"
            ]),
            row(&[
                "opportunities.csv",
                "6",
                "owner_id",
                "",
                "missing value",
                "is empty but required"
            ]),
        ]
    );
    assert_eq!(
        files_in(dir.path()),
        vec![rejects.clone()],
        "leftover files"
    );
}

/// `atu validate --skip-invalid` shows the rejected rows in the ledger.
#[test]
fn skip_invalid_ledger_counts_rejections_by_reason() {
    let (code, stdout, stderr) = run_fixture("bad_values", "validate", &["--skip-invalid"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "opportunities,opportunities.csv,6,3,0,3,0,bad amount: 1; bad status: 1; missing value: 1\n"
        ),
        "{stdout}"
    );
}

/// `--rejects` alone is a usage mistake: exit 2, a hint, no file written.
#[test]
fn rejects_without_skip_invalid_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rejects = dir.path().join("rejects.csv");
    let rejects_s = rejects.to_str().expect("utf-8 path");
    assert_usage(
        attainment("bad_values", &["--rejects", rejects_s]),
        &[
            "error: --rejects lists the rows that --skip-invalid leaves out",
            "help: add --skip-invalid, or drop --rejects",
        ],
    );
    assert!(!rejects.exists());
}

#[test]
fn the_ledger_counts_rows_not_problems() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount\n\
             O1,M1,A1,2012-08-01,won,500\n\
             O2,M1,A1,2012-13-01,maybe,abc\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["validate", "--skip-invalid"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        line(&out, "opportunities,"),
        "opportunities,opportunities.csv,2,1,0,1,0,bad date: 1"
    );
    assert!(
        err.contains("warning: 1 invalid row(s) left out (bad date: 1)"),
        "{err}"
    );
}

// ------------------------------------------------------- 7. duplicates

/// Rows identical in every field are used once and reported with lines:
/// M01's Q1 is 60000 + 20000, not 140000.
#[test]
fn exact_duplicate_rows_are_used_once_and_reported() {
    let out = assert_ok(
        attainment("bad_duplicates", &[]),
        &["warning: 2 duplicate opportunity line(s) used once (e.g. opportunities.csv:5 repeats line 2; opportunities.csv:7 repeats line 4)"],
    );
    assert_eq!(att_cell(&out, "M01", "Q1", "actual"), "80000.00");
    assert_eq!(att_cell(&out, "M01", "Q2", "actual"), "50000.00");
    assert_eq!(att_cell(&out, "M02", "Q1", "actual"), "30000.00");
}

/// The ledger counts the duplicates.
#[test]
fn exact_duplicates_are_counted_in_the_ledger() {
    let (code, stdout, stderr) = run_fixture("bad_duplicates", "validate", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("opportunities,opportunities.csv,6,4,2,0,0,\n"),
        "{stdout}"
    );
}

/// Same opportunity_id + line_id, different amount: an error on both
/// lines, each naming the other.
#[test]
fn conflicting_revenue_lines_are_an_error_naming_both_lines() {
    assert_fails(
        attainment("bad_conflict", &[]),
        &[
            "error: opportunities.csv:2: opportunity_id \"OPP-1\" has the same line_id as line 5 with different values",
            "error: opportunities.csv:5: opportunity_id \"OPP-1\" has the same line_id as line 2 with different values",
            "help: two revenue lines with one key must be identical; fix the export or give each line a line_id ([columns.opportunities] line_id)",
            FIX_ROWS,
        ],
    );
}

/// Without a line_id column the key is opportunity_id + product + category:
/// OPP-1 Windows/Sales twice with other amounts conflicts; OPP-1
/// Windows/Services and Office/Sales are other lines.
#[test]
fn without_line_id_the_key_is_product_and_category() {
    assert_fails(
        attainment("bad_conflict_noline", &[]),
        &[
            "error: opportunities.csv:2: opportunity_id \"OPP-1\" has the same product and category as line 6 with different values",
            "error: opportunities.csv:6: opportunity_id \"OPP-1\" has the same product and category as line 2 with different values",
            "help: two revenue lines with one key must be identical; fix the export or give each line a line_id ([columns.opportunities] line_id)",
            FIX_ROWS,
        ],
    );
}

/// `[files] opportunities = "opps-*.csv"`: a line in two monthly exports
/// is a duplicate, used once, and the warning names both files.
#[test]
fn duplicate_across_two_exports_names_both_files() {
    let out = assert_ok(
        attainment("bad_glob", &[]),
        &["warning: 1 duplicate opportunity line(s) used once (e.g. opps-2013.csv:3 repeats opps-2012.csv:4)"],
    );
    assert_eq!(att_cell(&out, "M01", "Q2", "actual"), "50000.00");
    assert_eq!(att_cell(&out, "M02", "Q1", "actual"), "30000.00");
    assert_eq!(att_cell(&out, "M02", "Q3", "actual"), "10000.00");
    assert_eq!(att_cell(&out, "", "YTD", "actual"), "170000.00");
}

/// Problems in the second file of a glob name that file; a conflict
/// across the files names the other file's line.
#[test]
fn problems_in_a_globbed_export_name_their_own_file() {
    assert_fails(
        attainment("bad_glob_values", &[]),
        &[
            "error: opps-2013.csv:3: amount \"thirty\" is not an amount",
            "error: opps-2012.csv:2: opportunity_id \"OPP-1\" has the same line_id as opps-2013.csv:4 with different values",
            "error: opps-2013.csv:4: opportunity_id \"OPP-1\" has the same line_id as opps-2012.csv:2 with different values",
            AMOUNT_HELP,
            "help: two revenue lines with one key must be identical; fix the export or give each line a line_id ([columns.opportunities] line_id)",
            FIX_ROWS,
        ],
    );
}

#[test]
fn duplicate_roster_and_quota_rows_are_reported() {
    let d = dataset(&[
        ("members.csv", "member_id,name\nM1,Ann\nM1,Ann\n"),
        (
            "quotas.csv",
            "member_id,fiscal_year,period,quota\nM1,2013,FY,1000\nM1,2013,FY,1000\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: 1 duplicate roster row(s) used once (e.g. members.csv:3 repeats line 2)"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: 1 duplicate quota row(s) used once (e.g. quotas.csv:3 repeats line 2)"
        ),
        "{err}"
    );
}

// ---------------------------------------------------- 8. unknown owners

/// M77 is not in the roster: a warning, exit 0, the revenue kept.
#[test]
fn owner_not_in_roster_is_kept_as_unassigned() {
    let warning = "warning: opportunities.csv: owners not in the roster (M77): their revenue is kept as (unassigned) and shown in the reconciliation";
    let out = assert_ok(attainment("bad_unassigned", &[]), &[warning]);
    assert_eq!(att_cell(&out, "M01", "Q1", "actual"), "60000.00");
    assert_eq!(att_cell(&out, "M02", "Q1", "actual"), "30000.00");

    let (code, stdout, stderr) = run_fixture("bad_unassigned", "validate", &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.trim_end(), warning);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(
        v["tables"]["reconciliation"],
        serde_json::json!([{
            "won_revenue": 150000.0,
            "assigned_to_members": 90000.0,
            "unassigned": 60000.0
        }])
    );
    assert_eq!(
        v["notes"][0],
        "2012-07-01 to 2013-01-30: won revenue 150000.00 = members 90000.00 + unassigned 60000.00 (reconciled)"
    );
}

// ------------------------------------------------------- 9. structure

/// Too many fields (an unquoted `50,000.00`) and too few: each by line.
#[test]
fn ragged_rows_are_reported_with_their_lines() {
    assert_fails(
        attainment("bad_ragged", &[]),
        &[
            "error: opportunities.csv:3: has 11 fields where the header has 10: \"OPP-2,1,M01,A002,2012-11-20,won,50,000.00,Sales,Azure,\"",
            "error: opportunities.csv:4: has 8 fields where the header has 10: \"OPP-3,1,M02,A003,2012-09-10,won,30000.00,Sales\"",
            "help: check the row's quoting (a field with a \",\" must be in double quotes)",
            FIX_ROWS,
        ],
    );
}

/// A record spanning lines 2–4 is fine; the bad amount after it is on
/// editor line 5, not record 3.
#[test]
fn lines_after_a_multiline_record_keep_their_editor_numbers() {
    assert_fails(
        attainment("bad_multiline", &[]),
        &[
            "error: opportunities.csv:5: amount \"5O000.00\" is not an amount",
            AMOUNT_HELP,
            FIX_ROWS,
        ],
    );
    let out = assert_ok(
        attainment("bad_multiline", &["--skip-invalid"]),
        &["warning: 1 invalid row(s) left out (bad amount: 1); pass --rejects FILE to list them"],
    );
    assert_eq!(att_cell(&out, "M01", "Q1", "actual"), "60000.00");
    assert_eq!(att_cell(&out, "M02", "Q1", "actual"), "30000.00");
}

// ------------------------------------------------------- 10. encodings

/// `Jos\xE9` (Windows-1252 é) in members.csv: file, line, column, the byte
/// and a hint. No "pass --skip-invalid" hint: it cannot skip a whole file.
#[test]
fn windows_1252_bytes_are_reported_with_line_and_column() {
    let bytes =
        std::fs::read(common::fixture("bad_encoding_cp1252").join("members.csv")).expect("fixture");
    assert!(
        bytes.windows(4).any(|w| w == b"Jos\xE9"),
        "fixture lost its byte"
    );
    assert_fails(
        attainment("bad_encoding_cp1252", &[]),
        &[
            "error: members.csv:3: character 8 of the line: byte 0xE9 is not UTF-8 (the file may be Windows-1252, Excel's plain \"CSV\")",
            ENCODING_HELP,
        ],
    );
}

/// `--skip-invalid` leaves out invalid rows, not a whole unreadable file:
/// dropping members.csv would report every member's revenue as
/// unassigned and exit 0.
#[test]
fn skip_invalid_does_not_skip_an_unreadable_file() {
    assert_fails(
        attainment("bad_encoding_cp1252", &["--skip-invalid"]),
        &[
            "error: members.csv:3: character 8 of the line: byte 0xE9 is not UTF-8 (the file may be Windows-1252, Excel's plain \"CSV\")",
            ENCODING_HELP,
        ],
    );
}

// ---------------------------------------------------------- 11. quotas

/// A negative quota, period `Q5`, a dated row spanning no fiscal period, and
/// two different quotas for one member, category and period.
#[test]
fn quota_problems_are_reported_by_line() {
    assert_fails(
        attainment("bad_quotas", &[]),
        &[
            "error: quotas.csv:3: quota \"-100,000.00\" is negative; a quota is an amount ≥ 0",
            "error: quotas.csv:4: period \"Q5\" is not a period (FY, Q1–Q4, M01–M12)",
            "error: quotas.csv:5: start_date \"2013-01-01 to 2013-02-15\" does not cover exactly one fiscal month, quarter or year",
            "error: quotas.csv:7: quota \"55000.00\" conflicts with line 6, which gives 50000.00 for M02's Sales quota of FY2013 Q1",
            "help: a dated quota row must span one fiscal month, quarter or year (check fiscal_year_start_month)",
            "help: each member, category and period needs one quota row",
            "help: quota periods are FY, Q1–Q4 or M01–M12 (fiscal)",
            FIX_ROWS,
        ],
    );
}

/// A blank target is no quota (not an error) and is counted as ignored;
/// `0.00` is a zero quota.
#[test]
fn blank_quota_is_ignored_and_counted_in_the_ledger() {
    let out = assert_ok(attainment("bad_quota_blank", &[]), &[]);
    assert_eq!(att_cell(&out, "M01", "Q1", "quota"), "100000.00");
    assert_eq!(att_cell(&out, "M01", "Q2", "quota"), "");
    assert_eq!(att_cell(&out, "M01", "Q2", "actual"), "50000.00");
    assert_eq!(att_cell(&out, "M02", "Q3", "quota"), "");
    assert_eq!(att_cell(&out, "M02", "Q4", "quota"), "0.00");

    let ledger = assert_ok(run_fixture("bad_quota_blank", "validate", &[]), &[]);
    assert!(
        ledger.contains("quotas,quotas.csv,8,6,0,0,2,blank quota (no quota): 2 (ignored)\n"),
        "{ledger}"
    );
}

// ---------------------------------------------------------- 12. config

/// A misspelt atu.toml key: the file, the key and the keys it knows.
#[test]
fn unknown_config_key_names_the_key_and_the_file() {
    assert_fails(
        attainment("bad_config_unknown_key", &[]),
        &[
            "error: fixtures/bad_config_unknown_key/atu.toml: TOML parse error at line 1, column 1",
            "  |",
            "1 | fiscal_year_start_mnth = 7",
            "  | ^^^^^^^^^^^^^^^^^^^^^^",
            "unknown field `fiscal_year_start_mnth`, expected one of `fiscal_year_start_month`, `fiscal_year_named_by`, `team_name`, `preset`, `date_order`, `encoding`, `delimiter`, `decimal_mark`, `date_formats`, `tables`, `files`, `columns`, `filters`, `values`, `quotas`, `targets`, `status`, `penetration`, `nsat`, `currency`",
            "help: the README's atu.toml section lists every key",
        ],
    );
}

/// `fiscal_year_start_month = 13`.
#[test]
fn fiscal_year_start_month_out_of_range_is_an_error() {
    assert_fails(
        attainment("bad_config_start_month", &[]),
        &[
            "error: fixtures/bad_config_start_month/atu.toml: fiscal_year_start_month 13 is not a month (1–12)",
            "help: set fiscal_year_start_month in atu.toml, e.g. 7 for a year starting in July",
        ],
    );
}

#[test]
fn a_configured_path_that_matches_nothing_is_an_error() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "atu.toml",
            "[files]\nopportunities = \"exports/opp*.csv\"\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "error: [files] opportunities = \"exports/opp*.csv\" matches no file in .\nhelp: fix [files] opportunities in ./atu.toml\n"
    );
}

/// A top-level key appended after a section belongs to that section in
/// TOML: the error says to move it up.
#[test]
fn a_top_level_key_after_a_section_is_explained() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "atu.toml",
            "[status]\ngreen_at = 1.0\nencoding = \"latin1\"\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(
        err.ends_with("unknown field `encoding`, expected `green_at` or `yellow_at`\nhelp: encoding is a top-level key: move it above the first [section] of the file\n"),
        "{err}"
    );
}

/// A filter that leaves out every row (a typo in its values) is said.
#[test]
fn a_filter_that_leaves_out_everything_is_said() {
    let d = dataset(&[
        ("members.csv", TWO),
        ("quotas.csv", TWO_QUOTAS),
        ("opportunities.csv", "opportunity_id,owner_id,account_id,close_date,status,amount,Type\nO1,M1,A1,2012-08-15,won,100,\nO2,M2,A1,2012-08-15,won,200,Renewal\n"),
        ("atu.toml", "[[filters.opportunities]]\ncolumn=\"Type\"\none_of=[\"Renewl\", \"New\"]\n"),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "warning: opportunities.csv: the row filters of opportunities leave out every one of its 2 rows (\"Type\" is one of \"renewl\", \"new\"); check [[filters.opportunities]] in atu.toml\n"
    );
    std::fs::write(
        d.path().join("atu.toml"),
        "[[filters.opportunities]]\ncolumn=\"Type\"\nequals=\"\"\n",
    )
    .expect("write");
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(err.contains("has equals = \"\", which no value equals (blank cells are empty, not \"\")\nhelp: write filled = false"), "{err}");
}

#[test]
fn bad_fy_flag_is_an_error_with_help() {
    let out = common::run(
        &common::root(),
        &[
            "attainment",
            "--data",
            "fixtures/bad_clean",
            "--fy",
            "20x3",
            "--as-of",
            "2013-01-30",
        ],
    );
    assert_usage(
        out,
        &[
            "error: --fy \"20x3\" is not a fiscal year",
            "help: write --fy 2013, --fy FY13 or --fy FY2013",
        ],
    );
}

#[test]
fn impossible_as_of_is_an_error_with_help() {
    let out = common::run(
        &common::root(),
        &[
            "attainment",
            "--data",
            "fixtures/bad_clean",
            "--fy",
            "2013",
            "--as-of",
            "2013-02-30",
        ],
    );
    assert_usage(
        out,
        &[
            "error: --as-of \"2013-02-30\" is not a date",
            "help: write the date as YYYY-MM-DD, e.g. --as-of 2013-01-30",
        ],
    );
}

/// clap's usage errors exit 2.
#[test]
fn unknown_subcommand_is_a_usage_error() {
    let (code, stdout, stderr) =
        common::run(&common::root(), &["xyzzy", "--data", "fixtures/bad_clean"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: unrecognized subcommand 'xyzzy'\n\nUsage: atu [OPTIONS] <COMMAND>\n\nFor more information, try '--help'.\n"
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let (code, stdout, stderr) = attainment("bad_clean", &["--frobnicate"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr.lines().next(),
        Some("error: unexpected argument '--frobnicate' found")
    );
    assert!(
        stderr.contains("For more information, try '--help'."),
        "{stderr}"
    );
}

#[test]
fn missing_data_folder_is_an_error() {
    assert_fails(
        attainment("bad_does_not_exist", &[]),
        &[
            "error: data folder fixtures/bad_does_not_exist does not exist",
            "help: pass --data DIR or set ATU_DATA to the folder that holds the CSV exports",
        ],
    );
}

/// members.csv is required.
#[test]
fn missing_roster_is_an_error() {
    assert_fails(
        attainment("bad_no_members", &[]),
        &[
            "error: fixtures/bad_no_members/members.csv: the roster (members.csv) is missing; CSV files found: \"opportunities.csv\", \"quotas.csv\"",
            "help: put members.csv in the data folder, or point [files] members in atu.toml at the export",
        ],
    );
}

#[test]
fn a_missing_roster_names_the_csv_files_found_and_the_closest() {
    let d = dataset(&[
        ("Members_export.csv", MEMBERS),
        ("opportunities.csv", "x\n"),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: ./members.csv: the roster (members.csv) is missing; CSV files found: \"Members_export.csv\", \"opportunities.csv\"; closest match: \"Members_export.csv\" (use it with [files] members = \"Members_export.csv\")\n\
         help: put members.csv in the data folder, or point [files] members in atu.toml at the export\n"
    );
}

/// quotas.csv is optional: actuals without quotas, and a warning.
#[test]
fn missing_quotas_still_works_with_a_warning() {
    let out = assert_ok(
        attainment("bad_no_quotas", &[]),
        &["warning: no quotas.csv: attainment shows actuals without quotas; CSV files found: \"members.csv\", \"opportunities.csv\""],
    );
    assert_eq!(att_cell(&out, "M01", "Q1", "actual"), "80000.00");
    assert_eq!(att_cell(&out, "M01", "Q1", "quota"), "");
    assert_eq!(att_cell(&out, "M01", "Q1", "attainment_pct"), "");
}

/// Commands that do not use quotas or opportunities do not warn that
/// those files are missing.
#[test]
fn missing_tables_a_command_does_not_use_are_not_warned() {
    for cmd in ["contacts", "nsat", "penetration", "whitespace"] {
        let data = if cmd == "nsat" {
            "fixtures/m_nsat"
        } else if cmd == "contacts" {
            "fixtures/m_contacts"
        } else {
            "fixtures/m_penetration"
        };
        let (code, _, err) = common::run(
            &common::root(),
            &[
                cmd,
                "--data",
                data,
                "--fy",
                "2013",
                "--as-of",
                "2013-01-30",
                "--format",
                "csv",
            ],
        );
        assert_eq!(code, 0, "{cmd}: {err}");
        assert!(!err.contains("no quotas.csv"), "{cmd}: {err}");
    }
    let (_, _, err) = common::run(
        &common::root(),
        &[
            "contacts",
            "--data",
            "fixtures/m_contacts",
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--format",
            "csv",
        ],
    );
    assert!(!err.contains("no opportunities.csv"), "{err}");
}

// ----------------------------------------------------------- 13. scope

#[test]
fn member_not_in_roster_is_an_error() {
    assert_fails(
        attainment("bad_clean", &["--member", "M99"]),
        &[
            "error: --member M99 is not in the roster",
            "help: the roster's ids are: M00, M01, M02",
        ],
    );
    assert_fails(
        attainment("bad_clean", &["--member", "M011"]),
        &[
            "error: --member M011 is not in the roster (closest: M01)",
            "help: the roster's ids are: M00, M01, M02",
        ],
    );
}

#[test]
fn team_not_in_roster_lists_the_teams() {
    assert_fails(
        attainment("bad_clean", &["--team", "Nope"]),
        &[
            "error: --team Nope matches no member's team",
            "help: the roster's teams are: ATU East, ATU West",
        ],
    );
}

// -------------------------------------------------------- 14. no panics

/// What is wrong with a run that should end in exit 0 or 1 without a panic
/// or an internal error, a failure saying `error:` first; `None` if fine.
fn crash(what: &str, out: &(i32, String, String)) -> Option<String> {
    let (code, _, stderr) = out;
    let wrong = if *code != 0 && *code != 1 {
        format!("exit {code}")
    } else if stderr.contains("panicked") {
        "a panic".to_string()
    } else if stderr.contains("this is a bug in atu") {
        "an internal error".to_string()
    } else if *code == 1 && !stderr.starts_with("error: ") {
        "a failure without `error:`".to_string()
    } else {
        return None;
    };
    Some(format!(
        "{what}: {wrong}: {}",
        stderr.lines().next().unwrap_or("")
    ))
}

/// Fails with every problem found, not just the first.
#[track_caller]
fn assert_no_crashes(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} run(s) crashed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// An empty opportunities.csv: an error naming the file.
#[test]
fn empty_file_is_a_clear_error() {
    assert_fails(
        attainment("bad_empty_file", &[]),
        &["error: opportunities.csv: is empty: no header row"],
    );
}

/// An empty quotas.csv: the same error, naming quotas.csv.
#[test]
fn empty_quotas_file_is_a_clear_error() {
    let dir = clean_copy();
    std::fs::write(dir.path().join("quotas.csv"), b"").expect("write");
    assert_fails(
        run_on(dir.path(), "attainment", &["--format", "csv"]),
        &["error: quotas.csv: is empty: no header row"],
    );
}

/// A header and no rows: an empty table, every actual 0.
#[test]
fn header_only_file_is_an_empty_table() {
    let out = assert_ok(attainment("bad_header_only", &[]), &[]);
    assert_eq!(att_cell(&out, "M01", "Q1", "actual"), "0.00");
    assert_eq!(att_cell(&out, "M01", "Q1", "quota"), "100000.00");
}

/// A file that is only a Salesforce report footer has no header.
#[test]
fn footer_only_file_is_an_error_naming_the_file() {
    let out = attainment("bad_footer_only", &[]);
    assert_no_crashes(crash("footer only", &out).into_iter().collect());
    assert_eq!(out.0, 1);
    assert!(out.2.starts_with("error: opportunities.csv: "), "{}", out.2);
}

/// A copy of `fixtures/bad_clean` in a temporary folder.
fn clean_copy() -> tempfile::TempDir {
    copy_files(
        &common::fixture("bad_clean"),
        &["members.csv", "quotas.csv", "opportunities.csv"],
    )
}

/// Absurd files in place of each table, under each command, strict and
/// with `--skip-invalid`.
#[test]
fn absurd_inputs_never_panic() {
    let wide = b"a,".repeat(5000);
    let absurd: &[(&str, &[u8])] = &[
        ("empty", b""),
        ("blank lines", b"\n\n\r\n  \n"),
        ("BOM only", b"\xEF\xBB\xBF"),
        ("one column", b"x\n1\n2\n"),
        (
            "footer only",
            b"\n\"Grand Totals (3 records)\"\n\n\"Confidential Information - Do Not Distribute\"\n\"Generated By: Someone 5/20/2024 7:42 AM\"\n",
        ),
        (
            "unterminated quote",
            b"member_id,name\n\"M01,Daniel\nM02,Priya\n",
        ),
        ("binary", b"\x00\x9f\x92\x96\xff\x00\x01"),
        ("UTF-16 LE BOM", b"\xFF\xFEm\0_\0i\0d\0"),
        (
            "duplicate headers",
            b"member_id,member_id,owner_id,owner_id\nM01,M02,M01,M02\n",
        ),
        ("only commas", b",,,,,,,,,\n,,,,,,,,,\n"),
        ("wide row", &wide),
    ];
    let mut failures = Vec::new();
    for table in ["members.csv", "quotas.csv", "opportunities.csv"] {
        for (name, bytes) in absurd {
            let dir = clean_copy();
            std::fs::write(dir.path().join(table), bytes).expect("write");
            for cmd in [
                "attainment",
                "validate",
                "scorecard",
                "pipeline",
                "partners",
            ] {
                for extra in [&["--format", "csv"][..], &["--skip-invalid"][..]] {
                    let out = run_on(dir.path(), cmd, extra);
                    let what = format!("atu {cmd} {} with {table} = {name}", extra.join(" "));
                    failures.extend(crash(&what, &out));
                }
            }
        }
    }
    assert_no_crashes(failures);
}

/// Absurd atu.toml files: errors, never panics.
#[test]
fn absurd_config_never_panics() {
    let configs: &[(&str, &[u8])] = &[
        ("empty", b""),
        ("garbage", b"[[[\n=="),
        ("binary", b"\x00\xff\xfe"),
        (
            "wrong types",
            b"fiscal_year_start_month = \"July\"\ndate_order = 3\n",
        ),
        ("month 0", b"fiscal_year_start_month = 0\n"),
        ("huge month", b"fiscal_year_start_month = 99999999999\n"),
        ("bad date_order", b"date_order = \"ydm\"\n"),
        (
            "bad status map",
            b"[values.status]\n\"Closed Won\" = \"maybe\"\n",
        ),
        ("unknown table", b"[columns.deals]\namount = \"Revenue\"\n"),
        ("empty mapping", b"[columns.opportunities]\namount = \"\"\n"),
        ("glob nothing", b"[files]\nopportunities = \"nope-*.csv\"\n"),
        ("bad glob", b"[files]\nopportunities = \"[\"\n"),
        (
            "files outside",
            b"[files]\nmembers = \"/nonexistent/members.csv\"\n",
        ),
    ];
    let mut failures = Vec::new();
    for (name, bytes) in configs {
        let dir = clean_copy();
        std::fs::write(dir.path().join("atu.toml"), bytes).expect("write");
        for cmd in ["attainment", "validate"] {
            let out = run_on(dir.path(), cmd, &["--format", "csv"]);
            failures.extend(crash(&format!("atu {cmd} with atu.toml = {name}"), &out));
        }
    }
    assert_no_crashes(failures);
}

/// Absurd flags: usage errors (2) or bad-input errors (1), never panics.
#[test]
fn absurd_flags_never_panic() {
    let cases: &[&[&str]] = &[
        &["--fy", "99999999999"],
        &["--fy", "FY"],
        &["--fy", "0000"],
        &["--fy", "9999", "--as-of", "9999-12-31"],
        &["--fy", "2013", "--as-of", "0001-01-01"],
        &["--fy", "2013", "--as-of", "2013-01-30T00:00"],
        &["--fy", "2013", "--as-of", ""],
        &["--fy", "2013", "--as-of", "2013-01-30", "--member", ""],
        &["--fy", "2013", "--as-of", "2013-01-30", "--team", ""],
        &[
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--csv-locale",
            "xx",
        ],
        &[
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--output",
            "/nonexistent-dir/out.csv",
        ],
        &[
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--out-dir",
            "/proc/nope",
        ],
    ];
    let mut failures = Vec::new();
    for extra in cases {
        let mut args = vec!["attainment", "--data", "fixtures/bad_clean"];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = common::run(&common::root(), &args);
        // Usage errors are clap's exit 2; count them as a clean failure.
        let code = if code == 2 { 1 } else { code };
        failures.extend(crash(
            &format!("atu {}", args.join(" ")),
            &(code, stdout, stderr),
        ));
    }
    assert_no_crashes(failures);
}
