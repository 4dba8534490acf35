//! `atu contacts` (SPEC §3.5, §6) on the hand-computed fixture
//! `fixtures/m_contacts` (its README.md holds the arithmetic of every
//! figure): whole CSV outputs per member, `--by account`, `--territory`
//! (team row = Σ over that territory's accounts), executive flags in every
//! spelling, a bad flag, and the errors for a missing contacts.csv or
//! accounts.csv.

use std::path::Path;

use crate::common;

const FIXTURE: &str = "m_contacts";

/// Runs `atu contacts --data <dir> --fy 2013 --as-of 2013-01-30 --format csv
/// [extra…]` from the repository root.
fn run_in(data: &Path, extra: &[&str]) -> (i32, String, String) {
    common::run_on(data, "contacts", extra)
}

/// The same with another `--format`.
fn run_fmt(data: &Path, format: &str, extra: &[&str]) -> (i32, String, String) {
    common::run_fmt(data, "contacts", format, extra)
}

/// Runs on the fixture, expects exit 0, no error, and exactly the expected
/// file on stdout; returns (stdout, stderr).
fn check(extra: &[&str], file: &str) -> (String, String) {
    let err = common::check_at("contacts", &common::fixture(FIXTURE), extra, FIXTURE, file);
    (common::expected(FIXTURE, file), err)
}

/// A copy of the fixture in a temporary folder, for variants.
fn copy_fixture() -> tempfile::TempDir {
    common::copy_files(
        &common::fixture(FIXTURE),
        &["members.csv", "accounts.csv", "contacts.csv"],
    )
}

/// The integer of a count cell.
fn count(cell: &str) -> i64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("not a count: {cell:?}"))
}

/// Boundary days (created ON the first day and ON D, inactive ON the first
/// day and ON D, created after D), executive flags spelled yes, Y, TRUE, 1,
/// x, Yes, X, blank, no; an account owned outside the roster and a contact
/// on an account not in accounts.csv count for nobody, with warnings.
#[test]
fn per_member_and_team() {
    let (_, err) = check(&[], "expected_contacts.csv");
    assert!(
        err.contains("accounts owned by ids not in the roster (X99)"),
        "{err}"
    );
    assert!(
        err.contains("contacts on accounts not in accounts.csv (A9)"),
        "{err}"
    );
}

/// One row per account of the team (A4, owned by X99, is not listed),
/// sorted by account_id, then the team total.
#[test]
fn by_account() {
    check(&["--by", "account"], "expected_contacts_by_account.csv");
}

/// `--territory South` keeps A2 and A3: M01 has only A3 (start 0: growth
/// empty), and the team row is the sum over the territory's accounts.
#[test]
fn territory_team_is_the_sum_of_its_accounts() {
    let (members, _) = check(&["--territory", "South"], "expected_contacts_south.csv");
    let (accounts, _) = check(
        &["--territory", "south", "--by", "account"],
        "expected_contacts_by_account_south.csv",
    );
    // Σ over the account rows of each count column = the total row = the
    // team row of the per-member table.
    let rows: Vec<Vec<&str>> = accounts
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let (total, accts) = rows.split_last().expect("rows");
    assert_eq!(accts.len(), 2, "A2 and A3");
    let team: Vec<&str> = members
        .lines()
        .last()
        .expect("team row")
        .split(',')
        .collect();
    for (col, team_col) in [(3, 3), (4, 4), (6, 6), (7, 7)] {
        let sum: i64 = accts.iter().map(|r| count(r[col])).sum();
        assert_eq!(sum, count(total[col]), "column {col} of the total row");
        assert_eq!(
            sum,
            count(team[team_col]),
            "column {team_col} of the team row"
        );
    }
}

/// `--member M02`: the team row covers M02's accounts only.
#[test]
fn member_scope() {
    let (code, out, err) = run_in(&common::fixture(FIXTURE), &["--member", "M02"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "scope,member_id,name,contacts_start,contacts_asof,growth_pct,exec_start,exec_asof,exec_growth_pct\n\
         member,M02,Ben Ng,3,4,33.33,2,1,-50.00\n\
         team,,West,3,4,33.33,2,1,-50.00\n"
    );
}

/// JSON carries the same rows, with missing growth as null.
#[test]
fn json_same_rows() {
    let (code, out, err) = run_fmt(&common::fixture(FIXTURE), "json", &["--by", "account"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rows = v["tables"]["contacts_by_account"]
        .as_array()
        .expect("contacts_by_account rows");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2]["account_id"], "A3");
    assert_eq!(rows[2]["contacts_asof"], 1);
    assert!(rows[2]["growth_pct"].is_null());
    assert_eq!(
        rows[3]["account_name"], "West",
        "the team all members share"
    );
    assert_eq!(rows[3]["contacts_asof"], 8);
}

/// A flag atu cannot read is an error with file, line, column and value.
#[test]
fn bad_executive_flag() {
    let dir = copy_fixture();
    let path = dir.path().join("contacts.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let bad = text.replace("C08,A2,2012-09-15,,no", "C08,A2,2012-09-15,,maybe");
    assert_ne!(bad, text, "the fixture's C08 row changed");
    std::fs::write(&path, bad).expect("write");
    let (code, out, err) = run_in(dir.path(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "no output on error: {out}");
    assert!(
        err.contains("error: contacts.csv:10: is_executive \"maybe\" is not a yes/no flag"),
        "{err}"
    );
    assert!(err.contains("help: executive flags are"), "{err}");
}

/// Without contacts.csv or accounts.csv the command fails (exit 1) naming
/// the missing file, with a `help:` line.
#[test]
fn missing_tables() {
    for (gone, name) in [
        (&["contacts.csv"][..], "contacts"),
        (&["accounts.csv"][..], "accounts"),
        (&["contacts.csv", "accounts.csv"][..], "both"),
    ] {
        let dir = copy_fixture();
        for f in gone {
            std::fs::remove_file(dir.path().join(f)).expect("remove");
        }
        let (code, out, err) = run_in(dir.path(), &[]);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(out.is_empty(), "{name}: {out}");
        for f in gone {
            assert!(err.contains(&format!("({f}) are missing")), "{name}: {err}");
            assert!(
                err.contains(&format!("help: put {f} in the data folder"))
                    || err.contains(&format!("; put {f} in the data folder")),
                "{name}: {err}"
            );
        }
        assert!(!err.contains("panick"), "{err}");
    }
}

/// `--by` takes only `account`: anything else is a usage error.
#[test]
fn by_other_is_usage_error() {
    let (code, _, err) = run_in(&common::fixture(FIXTURE), &["--by", "member"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("account"), "{err}");
}
