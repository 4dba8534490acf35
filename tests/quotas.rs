//! quotas.csv as attainment reads it (SPEC §3.1): periods (a non-ASCII one
//! is a row error, not a crash), goals dated by their start and end or by
//! their start and the configured period length, categories matched to the
//! revenue's whatever their case (a mismatch warned), and team rows that
//! answer to the row filters. Each test writes a tiny dataset into a
//! temporary folder.

use crate::common::{dataset, fy_line, line, run_inside, MEMBERS, TWO};

#[test]
fn categories_match_whatever_their_case_and_a_mismatch_is_warned() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("quotas.csv", "member_id,fiscal_year,period,category,quota\nM1,2013,FY,Sales,1000\nM1,2013,FY,License,500\n"),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount,category\n\
             O1,M1,A1,2012-08-01,won,500,sales \n\
             O2,M1,A1,2012-08-01,won,500,SALES\n\
             O3,M1,A1,2012-08-01,won,70,Services\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        line(&out, "member,M1,Ann,Sales,FY,"),
        "member,M1,Ann,Sales,FY,1000.00,1000.00,100.00,,in progress,,,"
    );
    assert!(
        !out.contains(",sales,") && !out.contains(",SALES,"),
        "{out}"
    );
    assert!(
        err.contains("warning: categories: License has quotas but no won revenue in FY2013, and Services has won revenue but no quotas"),
        "{err}"
    );
}

#[test]
fn a_non_ascii_period_is_a_row_error_not_a_crash() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "quotas.csv",
            "member_id,fiscal_year,period,quota\nM1,2013,—,1000\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: quotas.csv:2: period \"—\" is not a period (FY, Q1–Q4, M01–M12)\n"),
        "{err}"
    );
}

#[test]
fn a_goal_with_a_fiscal_year_and_dates_is_read_by_its_dates() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("quotas.csv", "member_id,fiscal_year,start_date,end_date,quota\nM1,FY2013,2012-07-01,2013-06-30,1000\n"),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        line(&out, "member,M1,Ann,Sales,FY,").starts_with("member,M1,Ann,Sales,FY,1000.00,"),
        "{out}"
    );
}

#[test]
fn a_start_dated_goal_with_a_fiscal_year_column_uses_the_configured_length() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("atu.toml", "[quotas]\nperiod = \"quarter\"\n"),
        (
            "quotas.csv",
            "member_id,fiscal_year,start_date,quota\nM1,2013,2012-10-01,100\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        line(&out, "member,M1,Ann,Sales,Q2,").starts_with("member,M1,Ann,Sales,Q2,100.00,"),
        "{out}"
    );
}

/// The team's parent goal of another goal metric is left out by the metric
/// filter: team rows then divide by the members' 2,000, not by 6.
#[test]
fn team_rows_answer_to_the_other_filters() {
    let d = dataset(&[
        ("members.csv", TWO),
        (
            "quotas.csv",
            "member_id,fiscal_year,period,quota,Parent,Metric\nM1,2013,FY,1000.00,X,Revenue\nM2,2013,FY,1000.00,X,Revenue\nM1,2013,FY,6,,Deals\n",
        ),
        ("opportunities.csv", "opportunity_id,owner_id,account_id,close_date,status,amount\nO1,M1,A1,2012-08-15,won,100\n"),
        (
            "atu.toml",
            "[[filters.quotas]]\ncolumn = \"Metric\"\nequals = \"revenue\"\n[[filters.quotas]]\ncolumn = \"Parent\"\nfilled = true\n[quotas]\nteam_rows = { column = \"Parent\", filled = false }\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        fy_line(&out).starts_with("team,,Team,Sales,FY,2000.00,100.00,5.00,"),
        "{out}"
    );
}
