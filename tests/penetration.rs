//! `atu penetration` and `atu whitespace` (SPEC §3.3, §6) on the
//! hand-computed fixture `fixtures/m_penetration` (its README.md holds the
//! arithmetic of every figure): whole CSV outputs per member and team,
//! `--territory` (team = Σ over that territory's accounts), `--member`, the
//! terminal view of the whitespace, a configured catalog
//! (`fixtures/m_penetration_catalog`), input order, the errors for a
//! missing accounts.csv and a bad `[penetration]` section, and a product
//! named like a whitespace column (a tiny dataset in a temporary folder).

use crate::common::{self, check_at, copy_files, dataset, run_inside, run_on, M01};

const FIXTURE: &str = "m_penetration";

/// [`check_at`] on the fixture: exactly `fixtures/m_penetration/<file>`
/// on stdout; returns stderr.
fn check(cmd: &str, extra: &[&str], file: &str) -> String {
    check_at(cmd, &common::fixture(FIXTURE), extra, FIXTURE, file)
}

/// A copy of the fixture's CSV files in a temporary folder, for variants.
fn copy_fixture(files: &[&str]) -> tempfile::TempDir {
    copy_files(&common::fixture(FIXTURE), files)
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
    let (code, out, err) = run_on(
        &common::fixture(FIXTURE),
        "whitespace",
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
    let (code, out, err) = run_on(dir.path(), "penetration", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "scope,member_id,name,accounts,catalog_size,owned_pairs,penetration_pct,new_products,accounts_broad_pct,won_ytd,won_ytd_prev,growth_pct\n\
         member,M01,Ann Alpha,2,0,0,,,,0.00,0.00,\n\
         member,M02,Ben Beta,2,0,0,,,,0.00,0.00,\n\
         team,,T,4,0,0,,,,0.00,0.00,\n"
    );
    let (code, out, _) = run_on(dir.path(), "whitespace", &[]);
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
        let (code, out, err) = run_on(dir.path(), cmd, &[]);
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
        let (code, _, err) = run_on(dir.path(), "penetration", &[]);
        assert_eq!(code, 1, "{toml}: {err}");
        assert!(err.contains(want), "{toml}: {err}");
    }
}

/// A product named like a fixed whitespace column keeps both apart.
#[test]
fn a_product_named_owner_id_does_not_overwrite_the_owner() {
    let d = dataset(&[
        ("members.csv", M01),
        ("accounts.csv", "account_id,name,owner_id\nA1,Acme,M01\n"),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount,product\nO1,M01,A1,2012-08-15,won,100,owner_id\nO2,M01,A1,2012-08-15,open,100,Azure\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["whitespace"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "account_id,account_name,owner_id,Azure,product: owner_id\nA1,Acme,M01,pipeline,owned\n"
    );
}
