//! Issue 11: `atu init` turns the folder a CRM exported into a working
//! scorecard with no hand edits. Each `fixtures/crm_<name>/` holds the
//! export as the CRM writes it (`export/`) and the scorecard and attainment
//! CSV computed independently of atu's CRM code (its README.md gives the
//! arithmetic of every figure, and the `--fy` / `--as-of` used here).

use std::path::Path;

use crate::common;

/// One CRM export folder and the run its README describes.
struct Crm {
    /// The fixture: `fixtures/<fixture>/export/`.
    fixture: &'static str,
    fy: &'static str,
    as_of: &'static str,
    /// The one edit a user makes after `atu init`: (the line init writes,
    /// the line that replaces it).
    edit: Option<(&'static str, &'static str)>,
}

/// `atu <args…>` run from the repository root.
fn run(args: &[&str]) -> common::Out {
    common::run(&common::root(), args)
}

/// A temporary copy of the fixture's export folder on which `atu init` has
/// run and said the folder loads; returns the folder and init's stderr.
fn initialised(crm: &Crm) -> (tempfile::TempDir, String) {
    let dir = common::copy_csv_files(&common::fixture(crm.fixture).join("export"));
    let data = dir.path().to_string_lossy().to_string();
    let (code, out, err) = run(&["init", "--data", &data]);
    assert_eq!(code, 0, "atu init on {} failed:\n{err}", crm.fixture);
    assert_eq!(out, "", "init writes atu.toml, not stdout");
    assert!(
        err.contains("the folder loads"),
        "atu init on {} does not say the folder loads:\n{err}",
        crm.fixture
    );
    (dir, err)
}

/// Replaces the line of `dir/atu.toml` that starts with `from` (a comment
/// may follow it) by `to`; the line must be there.
fn edit_toml(dir: &Path, from: &str, to: &str) {
    let path = dir.join("atu.toml");
    let toml = common::read_text(&path);
    let mut found = 0;
    let edited: Vec<String> = toml
        .lines()
        .map(|l| {
            if l.starts_with(from) {
                found += 1;
                to.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    assert_eq!(found, 1, "no single line {from:?} in atu.toml:\n{toml}");
    std::fs::write(&path, edited.join("\n") + "\n").expect("write atu.toml");
}

/// `atu <cmd> --data <dir> --fy <fy> --as-of <as_of> --format csv` gives
/// exactly `fixtures/<fixture>/<file>`.
fn check_output(crm: &Crm, dir: &Path, cmd: &str, file: &str) {
    let data = dir.to_string_lossy().to_string();
    let (code, out, err) = run(&[
        cmd, "--data", &data, "--fy", crm.fy, "--as-of", crm.as_of, "--format", "csv",
    ]);
    assert_eq!(code, 0, "atu {cmd} on {} failed:\n{err}", crm.fixture);
    common::assert_same(crm.fixture, file, &out);
}

/// init, the edit if any, then the scorecard and the attainment table.
fn check(crm: &Crm) -> String {
    let (dir, err) = initialised(crm);
    if let Some((from, to)) = crm.edit {
        edit_toml(dir.path(), from, to);
    }
    check_output(crm, dir.path(), "scorecard", "expected_scorecard.csv");
    check_output(crm, dir.path(), "attainment", "expected_attainment.csv");
    err
}

#[test]
fn salesforce_org_backup_gives_the_scorecard_unedited() {
    let err = check(&Crm {
        fixture: "crm_sf_backup",
        fy: "2013",
        as_of: "2012-10-15",
        edit: None,
    });
    // The backup's other objects are named as not used.
    for distractor in ["Lead.csv", "Campaign.csv"] {
        assert!(
            err.lines()
                .any(|l| l.contains(distractor) && l.contains("not used")),
            "init does not say {distractor} is not used:\n{err}"
        );
    }
}

#[test]
fn salesforce_dx_export_with_relationship_headers_gives_the_scorecard_unedited() {
    check(&Crm {
        fixture: "crm_sfdx",
        fy: "2013",
        as_of: "2013-02-14",
        edit: None,
    });
}

#[test]
fn zoho_export_gives_the_scorecard_with_the_fiscal_year_set() {
    // A Zoho folder does not carry the fiscal calendar: the calendar year is
    // the one edit.
    check(&Crm {
        fixture: "crm_zoho",
        fy: "2021",
        as_of: "2021-08-16",
        edit: Some(("fiscal_year_start_month = 7", "fiscal_year_start_month = 1")),
    });
}

#[test]
fn hubspot_export_gives_the_scorecard_unedited() {
    check(&Crm {
        fixture: "crm_hubspot",
        fy: "2024",
        as_of: "2024-02-29",
        edit: None,
    });
}

/// Zoho deals name their account by name while Accounts.csv has ids: a name
/// of exactly one account becomes its id (said); a name two accounts share
/// is kept and said.
#[test]
fn deals_naming_accounts_by_name_are_matched_to_their_ids() {
    let d = common::dataset(&[
        ("members.csv", "member_id,name\nM1,Ann\n"),
        (
            "accounts.csv",
            "account_id,name,owner_id,vertical\n5101,Alder & Finch,M1,Retail\n5102,Twin Co,M1,Retail\n5103,twin co,M1,Health\n",
        ),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount,product\n\
             O1,M1,alder & finch ,2012-08-01,won,100.00,Office\n\
             O2,M1,Twin Co,2012-08-02,won,50.00,Office\n",
        ),
    ]);
    let (code, out, err) = common::run_inside(d.path(), &["attainment", "--vertical", "Retail"]);
    assert_eq!(code, 0, "{err}");
    // Only O1 is on a Retail account (5101); O2's name is two accounts'.
    assert!(
        common::line(&out, "member,M1,Ann,Sales,Q1,")
            .starts_with("member,M1,Ann,Sales,Q1,,100.00,"),
        "{out}"
    );
    assert!(
        err.contains("opportunities.csv: 1 account(s) named by name matched to accounts.csv's ids (e.g. \"alder & finch\" is 5101)"),
        "{err}"
    );
    assert!(
        err.contains("opportunities.csv: account names that several accounts of accounts.csv share (Twin Co)"),
        "{err}"
    );
    // The matched line's account is 5101's for penetration too (the lines'
    // accounts are coded after the names are matched): 5101 owns Office,
    // the accounts of the shared name nothing → 1 of 3 × 1 = 33.33 %.
    let (code, out, err) = common::run_inside(d.path(), &["whitespace", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\n5101,Alder & Finch,M1,owned\n"), "{out}");
    assert!(out.contains("\n5102,Twin Co,M1,\n"), "{out}");
    let (code, out, err) = common::run_inside(d.path(), &["penetration", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        common::line(&out, "member,M1,").starts_with("member,M1,Ann,3,1,1,33.33,1,"),
        "{out}"
    );
}
