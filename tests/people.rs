//! Members and owners as the data names them: targets for ids outside the
//! roster are warned; accounts are known by name and owned by names; and
//! accounts whose owner column is unmapped, whose owner is blank or outside
//! the roster, and lines on accounts accounts.csv lacks are said, never
//! silently lost. Each test writes a tiny dataset into a temporary folder.

use crate::common::{dataset, line, run_inside, M01, MEMBERS};

#[test]
fn a_target_for_an_id_outside_the_roster_is_warned() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "atu.toml",
            "[targets]\nattainment = 100\n[targets.members.m1]\nattainment = 200\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0);
    assert!(err.contains("warning: [targets.members] names ids not in the roster, whose targets are not used: m1"), "{err}");
}

/// A Dynamics accounts view: no id column (the name is the id), owners by
/// name, an owner outside the roster warned; the scope keeps its accounts.
#[test]
fn accounts_known_by_name_and_owned_by_names() {
    let d = dataset(&[
        ("members.csv", "member_id,name\nM1,Ann Lee\nM2,Bo Chen\n"),
        (
            "accounts.csv",
            "\u{feff}\"Account Name\",\"Owner\",\"Industry\",\"Territory\"\r\n\"Contoso\",\"Ann Lee\",\"Retail\",\"West\"\r\n\"Fabrikam\",\"Nobody Known\",\"Retail\",\"East\"\r\n",
        ),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount\nO1,M1,Contoso,2012-08-15,won,100\nO2,M2,Fabrikam,2012-08-15,won,900\n",
        ),
        ("atu.toml", "preset = \"dynamics\"\n"),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment", "--territory", "west"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.lines().any(|l| l == "warning: accounts.csv: accounts owned by ids not in the roster (Nobody Known): they count for no member and not for the team"),
        "{err}"
    );
    // Only Contoso's 100 is in the West.
    assert!(
        line(&out, "team,,Team,Sales,FY,").starts_with("team,,Team,Sales,FY,,100.00,"),
        "{out}"
    );
}

/// Accounts whose owner column is not mapped, accounts without an owner and
/// lines on accounts accounts.csv lacks are all said, never silently lost.
#[test]
fn account_ownership_gaps_are_said() {
    let d = dataset(&[
        ("members.csv", M01),
        ("accounts.csv", "account_id,name,Account Owner,Territory\nA1,Acme,M01,West\n"),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount,product\nO1,M01,A1,2012-08-15,won,100,Azure\nO2,M01,a1,2012-08-15,won,200,Office\nO3,M01,A9,2012-08-15,won,400,Azure\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["penetration"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: accounts.csv: no owner_id column: no account belongs to a member, so penetration, whitespace and contacts are empty\nhelp: map the owner column in atu.toml, e.g. [columns.accounts] owner_id = \"Account Owner\""), "{err}");
    assert!(err.contains("warning: opportunities.csv: lines on 2 account(s) not in accounts.csv (A9, a1): they count for no account's products"), "{err}");
    std::fs::write(
        d.path().join("accounts.csv"),
        "account_id,name,owner_id,territory\nA1,Acme,M01,West\nA3,Gamma,,West\n",
    )
    .expect("write");
    let (code, _, err) = run_inside(d.path(), &["penetration"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: accounts.csv: 1 account(s) without an owner (A3): they count for no member and not for the team"), "{err}");
    // Under an account filter: said on stderr, and attainment gets no status.
    std::fs::write(d.path().join("atu.toml"), "[targets]\nattainment = 1\n").expect("write");
    let (code, out, err) = run_inside(d.path(), &["attainment", "--territory", "West"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: territory West: 2 of 2 accounts (figures cover these accounts only; attainment against quotas is partial); attainment and pace get no status under an account filter"), "{err}");
    assert!(
        line(&out, "member,M01,Ann Lee,Sales,FY,").ends_with(",,in progress,,,"),
        "{out}"
    );
}

/// An account_id twice with other values is a conflicting key naming both
/// lines (the first is kept under --skip-invalid); twice with the same
/// values is a duplicate used once.
#[test]
fn an_account_id_twice_with_other_values_is_a_conflict() {
    let d = dataset(&[
        ("members.csv", "member_id,name\nM1,Ann\n"),
        (
            "accounts.csv",
            "account_id,name,owner_id\nA1,Alder,M1\nA2,Birch,M1\nA1,Alder Two,M1\nA2,Birch,M1\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["validate"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: accounts.csv:4: account_id \"A1\" appears again with other values (first on line 2)\nhelp: each account_id must appear once in accounts.csv"),
        "{err}"
    );
    let (code, out, err) = run_inside(d.path(), &["validate", "--skip-invalid"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\naccounts,accounts.csv,4,2,1,1,0,conflicting key: 1\n"),
        "{out}"
    );
    assert!(
        err.contains("1 duplicate account row(s) used once (e.g. accounts.csv:5 repeats line 3)"),
        "{err}"
    );
}
