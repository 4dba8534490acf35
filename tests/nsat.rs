//! `atu nsat` (SPEC §3.4, §6) on the hand-computed fixture `fixtures/m_nsat`
//! (its README.md holds the arithmetic of every figure): whole CSV outputs
//! per member and team, `--by account` and `--territory`; an out-of-scale
//! rating (exact message, exit 1), the same row left out under
//! `--skip-invalid`, and the errors for a missing nsat.csv or accounts.csv.

use std::path::Path;

use crate::common;

const FIXTURE: &str = "m_nsat";

/// Runs `atu nsat --data <dir> --fy 2013 --as-of 2013-01-30 --format csv
/// [extra…]` from the repository root.
fn run_in(data: &Path, extra: &[&str]) -> (i32, String, String) {
    common::run_on(data, "nsat", extra)
}

/// The expected file of the fixture.
fn expected(file: &str) -> String {
    common::expected(FIXTURE, file)
}

/// Runs on `data`, expects exit 0, no error, and exactly the expected file
/// on stdout.
fn check_in(data: &Path, extra: &[&str], file: &str) {
    common::check_at("nsat", data, extra, FIXTURE, file);
}

/// A copy of the fixture in a temporary folder, for variants.
fn copy_fixture() -> tempfile::TempDir {
    common::copy_files(
        &common::fixture(FIXTURE),
        &["members.csv", "accounts.csv", "nsat.csv", "atu.toml"],
    )
}

/// Eight quarters per member and team; boundaries on D and on a quarter's
/// first day; excluded answers counted apart; change_yoy from a quarter
/// outside the eight; one significant change (M01 FY2013-Q2).
#[test]
fn per_member_and_team() {
    check_in(&common::fixture(FIXTURE), &[], "expected_nsat.csv");
}

/// One row per account and quarter, sorted by account_id, then the team.
#[test]
fn by_account() {
    check_in(
        &common::fixture(FIXTURE),
        &["--by", "account"],
        "expected_nsat_by_account.csv",
    );
}

/// `--territory South` keeps A2 and A3: M01 has only A3, the team A2 + A3.
#[test]
fn territory() {
    check_in(
        &common::fixture(FIXTURE),
        &["--territory", "South"],
        "expected_nsat_south.csv",
    );
}

/// A rating outside the scale is a row problem: file, line, column, value,
/// the scale, and help naming the `[nsat]` keys; exit 1, nothing written.
/// Under `--skip-invalid` the row is left out and the figures are the
/// fixture's.
#[test]
fn out_of_scale_rating() {
    let dir = copy_fixture();
    let path = dir.path().join("nsat.csv");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("A1,2012-12-02,5,P09\n");
    std::fs::write(&path, text).expect("write");
    let (code, out, err) = run_in(dir.path(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(
        err,
        "error: nsat.csv:36: rating \"5\" is not on the NSAT scale (vsat: 4, Very satisfied; \
         neutral: 3, Somewhat satisfied; dsat: 2, Somewhat dissatisfied, 1, Very dissatisfied; \
         excluded: Don't know, Don\u{2019}t know, N/A, NA, blank)\n\
         help: map the survey's answers in atu.toml: [nsat] vsat = [...], dsat = [...], \
         neutral = [...], excluded = [...] (a configured scale lists every answer)\n\
         help: fix the rows, or pass --skip-invalid (with --rejects FILE) to leave invalid rows out\n"
    );
    let (code, out, err) = run_in(dir.path(), &["--skip-invalid"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, expected("expected_nsat.csv"));
}

/// Without nsat.csv or accounts.csv the command fails (exit 1) naming the
/// missing file, with a help line.
#[test]
fn missing_tables() {
    for gone in [
        &["nsat.csv"][..],
        &["accounts.csv"],
        &["nsat.csv", "accounts.csv"],
    ] {
        let dir = copy_fixture();
        for f in gone {
            std::fs::remove_file(dir.path().join(f)).expect("remove");
        }
        let (code, out, err) = run_in(dir.path(), &[]);
        assert_eq!(code, 1, "{gone:?}: {err}");
        assert!(out.is_empty(), "{gone:?}: {out}");
        for f in gone {
            assert!(
                err.contains(&format!("({f}) are missing")),
                "{gone:?}: {err}"
            );
            assert!(
                err.contains(&format!("help: put {f} in the data folder"))
                    || err.contains(&format!("; put {f} in the data folder")),
                "{gone:?}: {err}"
            );
        }
        assert!(!err.contains("panick"), "{err}");
    }
}

/// A response repeated in every column (far from its first) is used once
/// and said; one that differs only in a column atu does not read (the
/// respondent) is another response.
#[test]
fn a_response_repeated_whole_is_used_once() {
    let d = copy_fixture();
    let path = d.path().join("nsat.csv");
    let mut text = std::fs::read_to_string(&path).expect("nsat.csv");
    text.push_str("A1,2010-05-01,4,P01\nA1,2010-05-01,4,P09\n");
    std::fs::write(&path, text).expect("write");
    let (code, out, err) = common::run_on(d.path(), "validate", &["--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\nnsat,nsat.csv,36,35,1,0,0,\n"), "{out}");
    assert!(
        err.contains("warning: 1 duplicate survey response row(s) used once (e.g. nsat.csv:36 repeats line 2)"),
        "{err}"
    );
}
