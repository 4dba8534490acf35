//! Opportunity lines and their keys (SPEC §1.3): a blank opportunity id is
//! a missing value, an export without the id column counts each row as its
//! own line, a blank line id falls back to product and category, and one
//! line spelled differently in two exports is two lines, said on stderr;
//! padded values in the columns held as codes read like tidy ones.
//! Each test writes a tiny dataset into a temporary folder.

use crate::common::{dataset, line, run_inside, MEMBERS, TWO, TWO_QUOTAS};

#[test]
fn a_blank_opportunity_id_is_a_missing_value_not_one_shared_opportunity() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount,product,partner_id\n\
             O9,M1,A1,2012-08-01,won,500,X,P1\n\
             ,M1,A2,2012-08-02,won,300,Y,P1\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["pipeline"]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert!(
        err.starts_with("error: opportunities.csv:3: opportunity_id \"\" is empty but required\n"),
        "{err}"
    );
}

#[test]
fn rows_without_an_opportunity_id_column_are_each_a_line() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "opportunities.csv",
            "owner_id,account_id,close_date,status,amount,product,partner_id\n\
             M1,A1,2012-08-01,won,500,X,P1\n\
             M1,A2,2012-08-02,won,300,Y,\n\
             M1,A3,2012-08-03,won,300,Z,\n\
             M1,A3,2012-08-04,lost,300,W,\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["partners", "-q"]);
    assert_eq!(code, 0, "{err}");
    // 3 won opportunities, 1 with a partner: 33.33%; revenue 500 of 1100: 45.45%.
    assert_eq!(
        line(&out, "member,M1,"),
        "member,M1,Ann,3,1,33.33,45.45,1100.00,500.00"
    );
    let (_, out, _) = run_inside(d.path(), &["pipeline", "-q"]);
    assert!(
        line(&out, "member,M1,").starts_with("member,M1,Ann,3,1,75.00,"),
        "{out}"
    );
}

#[test]
fn a_blank_line_id_falls_back_to_product_and_category() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "opportunities.csv",
            "opportunity_id,line_id,owner_id,account_id,close_date,status,amount,product\n\
             O1,,M1,A1,2012-08-01,won,500,X\n\
             O1,,M1,A1,2012-08-01,won,300,Y\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["partners", "-q"]);
    assert_eq!(code, 0, "{err}");
    // One won opportunity of 800.00; no partner column, so partner attach
    // is unknown (empty), not 0 (SPEC §3.6).
    assert_eq!(line(&out, "member,M1,"), "member,M1,Ann,1,,,,800.00,");
}

/// A duplicate is a row identical in every column as written (SPEC §1.3):
/// `Sales`/`Office` and `SALES`/`office` are read as one category and one
/// product, so the two rows share their key and every value atu reads, but
/// as written they differ: two lines (200.00), and stderr says so.
#[test]
fn one_line_spelled_differently_in_two_exports_is_two_lines_and_said() {
    let head = "opportunity_id,owner_id,account_id,close_date,status,amount,category,product\n";
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("atu.toml", "[files]\nopportunities = \"ex/opp-*.csv\"\n"),
        (
            "ex/opp-1.csv",
            &format!("{head}O1,M1,A1,2012-08-01,won,100,Sales,Office\n"),
        ),
        (
            "ex/opp-2.csv",
            &format!("{head}O1,M1,A1,2012-08-01,won,100,SALES,office\n"),
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["partners"]);
    assert_eq!(code, 0, "{err}");
    // One won opportunity of 100.00 + 100.00 (no partner column: attach
    // unknown).
    assert_eq!(line(&out, "member,M1,"), "member,M1,Ann,1,,,,200.00,");
    assert!(
        err.contains("category spelled in several ways is read as one"),
        "{err}"
    );
    assert!(!err.contains("duplicate"), "{err}");
    assert!(err.contains("ex/opp-1.csv, ex/opp-2.csv: 2 opportunity lines share their key and every value atu reads with another line, and differ only in columns atu does not read or in how a value is written (e.g. ex/opp-2.csv:2 and ex/opp-1.csv:2): each counts as its own line"), "{err}");
}

/// The lines' owner, account, category, product, partner and line number
/// are held as codes as they are read: values padded with spaces (or
/// blank) in those columns read like the tidy export, in every figure.
#[test]
fn padded_values_in_columns_read_as_codes_read_like_the_tidy_export() {
    let head = "opportunity_id,line_id,owner_id,account_id,close_date,status,amount,category,product,partner_id\n";
    let tidy = format!(
        "{head}O1,1,M1,A1,2012-08-01,won,100.00,Sales,Office,P1\n\
         O1,2,M1,A1,2012-08-01,won,50.00,Services,Azure,\n\
         O2,1,M2,A2,2012-09-01,won,70.00,Sales,Office,\n\
         O3,1,M2,A2,2013-03-01,open,500.00,Sales,Windows,P2\n"
    );
    let padded = format!(
        "{head}O1, 1 , M1,A1 ,2012-08-01,won,100.00, Sales ,Office , P1\n\
         O1,2,M1 ,A1,2012-08-01,won,50.00,Services, Azure,  \n\
         O2,1 ,M2, A2,2012-09-01,won,70.00,Sales ,Office,\n\
         O3, 1,M2,A2,2013-03-01,open,500.00,Sales,Windows ,P2 \n"
    );
    let accounts = "account_id,name,owner_id\nA1,Contoso,M1\nA2,Fabrikam,M2\n";
    let with = |opps: &str| {
        dataset(&[
            ("members.csv", TWO),
            ("quotas.csv", TWO_QUOTAS),
            ("accounts.csv", accounts),
            ("opportunities.csv", opps),
        ])
    };
    let (t, p) = (with(&tidy), with(&padded));
    for cmd in ["scorecard", "penetration", "partners", "pipeline"] {
        let (code, want, err) = run_inside(t.path(), &[cmd]);
        assert_eq!(code, 0, "{cmd}: {err}");
        let (code, got, perr) = run_inside(p.path(), &[cmd]);
        assert_eq!(code, 0, "{cmd}: {perr}");
        assert_eq!(got, want, "{cmd}");
        assert_eq!(perr, err, "{cmd}");
    }
    // The figures themselves: M1 won one opportunity (150.00), with a
    // partner on its 100.00 line: 100 % of opportunities, 66.67 % of
    // revenue.
    let (_, out, _) = run_inside(p.path(), &["partners"]);
    assert_eq!(
        line(&out, "member,M1,"),
        "member,M1,Ann Lee,1,1,100.00,66.67,150.00,100.00"
    );
}
