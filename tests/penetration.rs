//! `atu penetration` and `atu whitespace` (SPEC §3.3, §6) on the
//! hand-computed fixture `fixtures/m_penetration` (its README.md holds the
//! arithmetic of every figure): whole CSV outputs per member and team,
//! `--territory` (team = Σ over that territory's accounts), `--member`, the
//! terminal view of the whitespace, a configured catalog
//! (`fixtures/m_penetration_catalog`), input order, and the errors for a
//! missing accounts.csv and a bad `[penetration]` section.

use std::path::Path;

use crate::common;

const FIXTURE: &str = "m_penetration";

/// Runs `atu <cmd> --data <data> --fy 2013 --as-of 2013-01-30 [extra…]` from
/// the repository root (`--format csv` unless `extra` names a format).
fn run_in(cmd: &str, data: &Path, extra: &[&str]) -> (i32, String, String) {
    let data = data.display().to_string();
    let mut args = vec![
        cmd,
        "--data",
        &data,
        "--fy",
        "2013",
        "--as-of",
        "2013-01-30",
    ];
    if !extra.contains(&"--format") {
        args.extend(["--format", "csv"]);
    }
    args.extend_from_slice(extra);
    common::run(&common::root(), &args)
}

fn expected(fixture: &str, file: &str) -> String {
    let path = common::fixture(fixture).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn assert_no_error(err: &str) {
    let low = err.to_lowercase();
    assert!(
        !low.contains("error") && !low.contains("panick"),
        "unexpected error on stderr:\n{err}"
    );
}

/// Runs on `data`, expects exit 0, no error, and exactly
/// `fixtures/<fixture>/<file>` on stdout; returns stderr.
fn check_at(cmd: &str, data: &Path, extra: &[&str], fixture: &str, file: &str) -> String {
    let (code, out, err) = run_in(cmd, data, extra);
    assert_eq!(code, 0, "atu {cmd} {extra:?} failed; stderr:\n{err}");
    assert_no_error(&err);
    assert_eq!(
        out,
        expected(fixture, file),
        "fixtures/{fixture}/{file} differs from atu's output (see fixtures/{FIXTURE}/README.md)"
    );
    err
}

fn check(cmd: &str, extra: &[&str], file: &str) -> String {
    check_at(cmd, &common::fixture(FIXTURE), extra, FIXTURE, file)
}

/// A copy of the fixture's CSV files in a temporary folder, for variants.
fn copy_fixture(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in files {
        std::fs::copy(common::fixture(FIXTURE).join(f), dir.path().join(f)).expect("copy");
    }
    dir
}

const ALL: &[&str] = &["members.csv", "accounts.csv", "opportunities.csv"];

#[test]
fn penetration_per_member_and_team() {
    let err = check("penetration", &[], "expected_penetration.csv");
    // The account of an owner outside the roster is said, not dropped silently.
    assert!(
        err.contains("accounts owned by ids not in the roster (M99)"),
        "{err}"
    );
}

#[test]
fn penetration_by_territory_sums_its_accounts() {
    check(
        "penetration",
        &["--territory", "West"],
        "expected_penetration_west.csv",
    );
}

#[test]
fn penetration_of_one_member() {
    check(
        "penetration",
        &["--member", "M02"],
        "expected_penetration_m02.csv",
    );
}

#[test]
fn whitespace_matrix() {
    check("whitespace", &[], "expected_whitespace.csv");
    check(
        "whitespace",
        &["--territory", "West"],
        "expected_whitespace_west.csv",
    );
    check(
        "whitespace",
        &["--member", "M01"],
        "expected_whitespace_m01.csv",
    );
}

/// On a terminal: the largest accounts first and a row of owners per
/// product (CSV stays by account_id without it).
#[test]
fn whitespace_on_screen() {
    check(
        "whitespace",
        &["--format", "table", "--color", "never", "-q"],
        "expected_whitespace_screen.txt",
    );
}

/// JSON carries the same rows as CSV: a gap is "", no totals row.
#[test]
fn whitespace_json_rows() {
    let (code, out, err) = run_in(
        "whitespace",
        &common::fixture(FIXTURE),
        &["--format", "json", "-q"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("\"account_id\"").count(), 4, "{out}");
    assert!(!out.contains("Total owned"), "{out}");
    assert!(
        out.contains("\"account_id\": \"A4\",\n        \"account_name\": \"Adventure Works\",\n        \"owner_id\": \"M02\",\n        \"Azure\": \"\",\n        \"CRM\": \"pipeline\""),
        "{out}"
    );
}

#[test]
fn configured_catalog() {
    let catalog = common::fixture("m_penetration_catalog").join("atu.toml");
    let config = catalog.display().to_string();
    for (cmd, file) in [
        ("penetration", "expected_penetration.csv"),
        ("whitespace", "expected_whitespace.csv"),
    ] {
        let err = check_at(
            cmd,
            &common::fixture(FIXTURE),
            &["--config", &config],
            "m_penetration_catalog",
            file,
        );
        assert!(
            err.contains("warning: products outside [penetration] products are not counted: CRM\n"),
            "{err}"
        );
    }
}

/// The order of the input lines changes nothing.
#[test]
fn input_order_does_not_matter() {
    let dir = copy_fixture(ALL);
    let path = dir.path().join("opportunities.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    check_at(
        "penetration",
        dir.path(),
        &[],
        FIXTURE,
        "expected_penetration.csv",
    );
    check_at(
        "whitespace",
        dir.path(),
        &[],
        FIXTURE,
        "expected_whitespace.csv",
    );
}

/// Without opportunities.csv nothing is owned and the catalog is empty:
/// penetration and breadth are missing, never 0.
#[test]
fn no_opportunities() {
    let dir = copy_fixture(&["members.csv", "accounts.csv"]);
    let (code, out, err) = run_in("penetration", dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "scope,member_id,name,accounts,catalog_size,owned_pairs,penetration_pct,new_products,accounts_broad_pct,won_ytd,won_ytd_prev,growth_pct\n\
         member,M01,Ann Alpha,2,0,0,,,,0.00,0.00,\n\
         member,M02,Ben Beta,2,0,0,,,,0.00,0.00,\n\
         team,,T,4,0,0,,,,0.00,0.00,\n"
    );
    let (code, out, _) = run_in("whitespace", dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("account_id,account_name,owner_id\nA1,"),
        "{out}"
    );
}

#[test]
fn accounts_csv_is_required() {
    let dir = copy_fixture(&["members.csv", "opportunities.csv"]);
    for cmd in ["penetration", "whitespace"] {
        let (code, out, err) = run_in(cmd, dir.path(), &[]);
        assert_eq!(code, 1, "{err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains(&format!("atu {cmd} needs accounts.csv: an account belongs to the member named in its owner_id\nhelp: put accounts.csv")),
            "{err}"
        );
    }
}

#[test]
fn bad_penetration_config() {
    let cases = [
        (
            "[penetration]\nbroad_min = 0\n",
            "[penetration] broad_min = 0 is not at least 1",
        ),
        (
            "[penetration]\nproducts = []\n",
            "[penetration] products is empty",
        ),
        (
            "[penetration]\nproducts = [\"Azure\", \" azure \"]\n",
            "[penetration] products names \"azure\" twice (as \"Azure\" too; case is ignored)",
        ),
        (
            "[penetration]\nproducts = [\"Azure\", \"\"]\n",
            "[penetration] products has a blank name",
        ),
        (
            "[penetration]\nproducts = [\"Azure\", \"SQL\"]\n",
            "[penetration] broad_min = 3 is more than the 2 products of the catalog",
        ),
        ("[penetration]\nbroad = 2\n", "unknown field `broad`"),
    ];
    for (toml, want) in cases {
        let dir = copy_fixture(ALL);
        std::fs::write(dir.path().join("atu.toml"), toml).unwrap();
        let (code, _, err) = run_in("penetration", dir.path(), &[]);
        assert_eq!(code, 1, "{toml}: {err}");
        assert!(err.contains(want), "{toml}: {err}");
    }
}
