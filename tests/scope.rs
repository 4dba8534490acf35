//! The scope flags (SPEC §4): `--team` matched whatever its case, a scope
//! that leaves no member an error; the account scope `--territory`,
//! `--vertical` and `--segment`: the team's revenue is the sum over that
//! territory's accounts (computed here from the demo's CSV files), an
//! unknown value names the known ones, and without accounts.csv the flags
//! cannot apply.

use crate::common::{dataset, line, run_inside, MEMBERS};

#[test]
fn teams_match_whatever_their_case_and_an_empty_scope_is_an_error() {
    let d = dataset(&[(
        "members.csv",
        "member_id,name,team\nM1,Ann,ATU West\nM2,Ben,atu west \nM3,Cy,East\n",
    )]);
    let (code, out, err) = run_inside(d.path(), &["partners", "--team", "ATU West"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("member,M1,") && out.contains("member,M2,") && !out.contains("member,M3,"),
        "{out}"
    );
    let (code, out, err) = run_inside(d.path(), &["partners", "--team", "East", "--member", "M1"]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert!(
        err.contains("error: no member matches the scope (--team East --member M1)\n"),
        "{err}"
    );
}

/// Under `--territory West` the team's won revenue to date is the sum of
/// the won lines on West's accounts (by members), computed here from the
/// demo's CSV files: 1,775,220.06 over 15 of 40 accounts.
#[test]
fn territory_scope_sums_that_territorys_accounts() {
    let demo = crate::common::root().join("examples/demo");
    let mut west = std::collections::BTreeSet::new();
    let mut rdr = csv::Reader::from_path(demo.join("accounts.csv")).expect("accounts");
    for r in rdr.records() {
        let r = r.expect("record");
        if &r[3] == "West" {
            west.insert(r[0].to_string());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut cents: i64 = 0;
    let mut rdr = csv::Reader::from_path(demo.join("opportunities.csv")).expect("opportunities");
    for r in rdr.records() {
        let r = r.expect("record");
        let key: Vec<String> = r.iter().map(str::to_string).collect();
        if !seen.insert(key) {
            continue; // the demo's one exact duplicate is used once
        }
        let (owner, account, date, status, amount) = (&r[2], &r[3], &r[4], &r[5], &r[6]);
        if status == "won"
            && ("2012-07-01"..="2013-01-30").contains(&date)
            && west.contains(account)
            && owner != "M99"
        {
            let (units, frac) = amount.split_once('.').unwrap_or((amount, "0"));
            cents += units.parse::<i64>().expect("units") * 100
                + format!("{frac:0<2}")[..2].parse::<i64>().expect("cents");
        }
    }
    assert_eq!((west.len(), cents), (15, 177_522_006));
    let d = crate::common::root();
    let (code, out, err) = crate::common::run(
        &d,
        &[
            "attainment",
            "--data",
            "examples/demo",
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--territory",
            "west",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("territory west: 15 of 40 accounts (figures cover these accounts only; attainment against quotas is partial)"), "{out}");
    let (code, out, err) = crate::common::run(
        &d,
        &[
            "attainment",
            "--data",
            "examples/demo",
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--territory",
            "West",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        line(&out, "team,,ATU West,All,YTD,").contains(",1775220.06,"),
        "{out}"
    );
    // The members' rows add up to the team's.
    let members: i64 = out
        .lines()
        .filter(|l| l.starts_with("member,") && l.contains(",All,YTD,"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let (u, c) = f[6].split_once('.').expect("amount");
            u.parse::<i64>().expect("units") * 100 + c.parse::<i64>().expect("cents")
        })
        .sum();
    assert_eq!(members, cents);
}

/// Account scope flags are checked: an unknown value names the known ones;
/// without accounts.csv they cannot apply.
#[test]
fn account_scope_flags_are_checked() {
    let d = crate::common::root();
    let (code, _, err) = crate::common::run(
        &d,
        &[
            "attainment",
            "--data",
            "examples/demo",
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--vertical",
            "Mining",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("--vertical Mining matches no account\nhelp: the vertical values of accounts.csv are: Financial Services, Healthcare, Manufacturing,"), "{err}");
    let dir = dataset(&[("members.csv", MEMBERS)]);
    let (code, _, err) = run_inside(dir.path(), &["attainment", "--territory", "West"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--territory, --vertical and --segment need accounts.csv"),
        "{err}"
    );
}
