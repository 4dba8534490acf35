//! kpis.csv (SPEC §1.1), the KPIs a CRM does not hold: its values become
//! scorecard rows with targets and statuses (`fixtures/m_kpis`, whose
//! README.md holds the figures), bad and conflicting values are row errors
//! naming file and line, and values follow the table's decimal mark.

use crate::common::{self, dataset, run_inside, MEMBERS};

/// kpis.csv in the scorecard: values and percentages with targets and
/// statuses (fixtures/m_kpis/README.md), another year left out, a member
/// given by name; targets naming those KPIs are not "unknown".
#[test]
fn kpis_csv_values_are_scorecard_rows() {
    let (code, out, err) = common::run(
        &common::root(),
        &[
            "scorecard",
            "--data",
            "fixtures/m_kpis",
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("names no KPI atu knows"), "{err}");
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("whi") || l.contains("feedback") || l.contains("visits"))
        .collect();
    assert_eq!(
        rows,
        [
            "member,M01,Ann Lee,manager_feedback,Q1,4.20,4.00,green,,",
            "member,M01,Ann Lee,manager_feedback,Q2,3.50,4.00,red,,",
            "member,M01,Ann Lee,whi,FY,80.00,85.00,yellow,,",
            "member,M02,Bo Chen,customer_visits,YTD,12.00,,,,",
            "member,M02,Bo Chen,manager_feedback,Q1,4.60,4.00,green,,",
            "team,,Team,whi,FY,72.00,75.00,yellow,,",
        ]
    );
    // --fail-on red trips on M01's Q2 feedback.
    let (code, _, err) = common::run(
        &common::root(),
        &[
            "scorecard",
            "--data",
            "fixtures/m_kpis",
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--format",
            "csv",
            "--fail-on",
            "red",
        ],
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("M01 manager_feedback Q2 is red"), "{err}");
}

/// Bad KPI values and conflicting ones are row errors with file and line.
#[test]
fn kpis_csv_bad_rows_are_named() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "kpis.csv",
            "kpi,member_id,fiscal_year,period,value\nwhi,M1,2013,FY,high\nwhi,M1,2013,H1,5\nnps,,2013,Q1,40\nnps,,2013,Q1,45\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["scorecard"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("error: kpis.csv:2: value \"high\" is not a number"),
        "{err}"
    );
    assert!(
        err.contains("error: kpis.csv:3: period \"H1\" is not a period (FY, YTD, Q1–Q4, M01–M12)"),
        "{err}"
    );
    assert!(err.contains("error: kpis.csv:5: value \"45\" conflicts with line 4, which gives 40.00 for the same KPI, member and period"), "{err}");
}

/// KPI values follow the table's decimal mark: a thousands comma in a
/// comma file is 1500; `[tables.kpis] decimal_mark = ","` reads `1.500` as
/// 1500 and `4,5` as 4.5; a value proven by another is said.
#[test]
fn kpi_values_follow_the_decimal_mark() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("kpis.csv", "kpi,member_id,fiscal_year,period,value\nvisits,M1,2013,FY,\"1,500\"\nwhi,M1,2013,Q1,80.5\n"),
    ]);
    let (code, out, err) = run_inside(d.path(), &["scorecard", "-q"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("member,M1,Ann,visits,FY,1500.00,,,"), "{out}");
    std::fs::write(
        d.path().join("kpis.csv"),
        "kpi;member_id;fiscal_year;period;value\nvisits;M1;2013;FY;1.500\nfeedback;M1;2013;Q1;4,5\n",
    )
    .expect("write");
    std::fs::write(
        d.path().join("atu.toml"),
        "[tables.kpis]\ndecimal_mark = \",\"\n",
    )
    .expect("write");
    let (code, out, err) = run_inside(d.path(), &["scorecard", "-q"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("member,M1,Ann,visits,FY,1500.00,,,"), "{out}");
    assert!(out.contains("member,M1,Ann,feedback,Q1,4.50,,,"), "{out}");
    std::fs::remove_file(d.path().join("atu.toml")).expect("rm");
    let (code, _, err) = run_inside(d.path(), &["scorecard"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: kpis.csv:2: KPI value \"1.500\" is read with \",\" as decimal mark, as line 3 \"4,5\" shows; set [tables.kpis] decimal_mark in atu.toml if that is wrong"), "{err}");
}
