//! `atu forecast` and the scorecard's `forecast` KPI (SPEC §3.6b) on the
//! hand-computed fixture m_forecast (its README has the arithmetic of every
//! figure), forecast words mapped in atu.toml, and bad forecast values.

use crate::common::{
    self, assert_fails_with, assert_no_error, assert_same, dataset, line, run_inside, MEMBERS,
};

fn run(cmd: &str, extra: &[&str]) -> common::Out {
    let mut args = vec![
        cmd,
        "--data",
        "fixtures/m_forecast",
        "--fy",
        "2013",
        "--as-of",
        "2013-02-14",
    ];
    args.extend_from_slice(extra);
    common::run(&common::root(), &args)
}

#[test]
fn forecast_of_every_category_with_no_and_zero_quotas() {
    let (code, out, err) = run("forecast", &["--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_same("m_forecast", "expected_forecast.csv", &out);
    // The one line without a probability is said, nothing else.
    assert_eq!(
        err, "",
        "CSV to a pipe carries no notes; warnings only: {err}"
    );
    // JSON holds the same rows as objects.
    let (_, json, _) = run("forecast", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let rows = v["tables"]["forecast"].as_array().expect("rows");
    assert_eq!(rows.len(), 8);
    assert_eq!(rows[7]["weighted"], serde_json::json!(50831.0));
    assert_eq!(rows[2]["forecast_pct"], serde_json::Value::Null);
}

#[test]
fn the_scorecard_judges_forecast_against_its_target() {
    let (code, out, err) = run("scorecard", &["--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_no_error(&err);
    for want in [
        "member,M1,Ann Lee,forecast,Q3,60.00,60.00,green,,",
        "member,M1,Ann Lee,forecast,FY,33.75,60.00,red,,",
        "member,M2,Bo Chen,forecast,Q3,,60.00,,,",
        "member,M3,Cy Diaz,forecast,FY,,60.00,,,",
        "team,,West,forecast,Q3,66.00,60.00,green,,",
        "team,,West,forecast,FY,35.25,60.00,red,,",
    ] {
        assert!(out.lines().any(|l| l == want), "missing {want} in\n{out}");
    }
    // --fail-on red trips on the red forecast rows.
    let (code, _, err) = run("forecast", &["--format", "csv", "--fail-on", "red"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("forecast: M1 forecast FY is red"), "{err}");
}

#[test]
fn without_forecast_categories_open_lines_are_pipeline_and_the_scorecard_has_no_forecast() {
    // The demo has no forecast_category column.
    let (code, out, err) = common::run(
        &common::root(),
        &[
            "forecast",
            "--data",
            "examples/demo",
            "--fy",
            "2013",
            "--as-of",
            "2013-02-14",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("no forecast_category column: every open line counts as pipeline"),
        "{out}"
    );
    let (_, card, _) = common::run(
        &common::root(),
        &[
            "scorecard",
            "--data",
            "examples/demo",
            "--fy",
            "2013",
            "--as-of",
            "2013-02-14",
            "--format",
            "csv",
        ],
    );
    assert!(!card.contains(",forecast,"), "{card}");
}

#[test]
fn forecast_words_map_in_the_config_and_unknown_ones_are_errors() {
    let opps = "opportunity_id,owner_id,account_id,close_date,status,amount,forecast_category\n\
                O1,M1,A1,2013-03-01,open,100.00,Upside\n\
                O2,M1,A1,2013-03-02,open,50.00,Maybe\n";
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", opps),
        (
            "atu.toml",
            "[values.forecast_category]\nMaybe = \"commit\"\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["forecast"]);
    assert_eq!(code, 0, "{err}");
    // D = 2013-01-30 (Q3): Upside is best case (built in), Maybe commit.
    assert!(
        line(&out, "member,M1,Ann,Q3,")
            .starts_with("member,M1,Ann,Q3,,0.00,50.00,100.00,0.00,0.00,"),
        "{out}"
    );
    std::fs::write(d.path().join("atu.toml"), "").expect("write");
    assert_fails_with(
        run_inside(d.path(), &["forecast"]),
        &[
            "error: opportunities.csv:3: forecast_category \"Maybe\" is not a known forecast category (pipeline, best_case, commit, omitted, closed)",
            "help: map the export's forecast words in atu.toml, e.g. [values.forecast_category] \"Maybe\" = \"commit\"",
            "help: fix the rows, or pass --skip-invalid (with --rejects FILE) to leave invalid rows out",
        ],
        1,
    );
    std::fs::write(
        d.path().join("atu.toml"),
        "[values.forecast_category]\nMaybe = \"likely\"\n",
    )
    .expect("write");
    let (code, _, err) = run_inside(d.path(), &["forecast"]);
    assert_eq!(code, 1);
    assert!(err.contains("[values.forecast_category] maps \"Maybe\" to \"likely\", which is not pipeline, best_case, commit, omitted or closed"), "{err}");
}

#[test]
fn a_probability_that_is_not_one_names_the_line() {
    let opps = "opportunity_id,owner_id,account_id,close_date,status,amount,probability\n\
                O1,M1,A1,2013-03-01,open,100.00,150\n";
    let d = dataset(&[("members.csv", MEMBERS), ("opportunities.csv", opps)]);
    assert_fails_with(
        run_inside(d.path(), &["forecast"]),
        &[
            "error: opportunities.csv:2: probability \"150\" is not a probability (a number from 0 to 100)",
            "help: write the probability in percent, e.g. 75 or 75%; map [columns.opportunities] probability to another column if this is not it",
            "help: fix the rows, or pass --skip-invalid (with --rejects FILE) to leave invalid rows out",
        ],
        1,
    );
}

/// A row with a bad forecast word and a bad probability is one rejected
/// row in the ledger (under its first reason), with both problems said.
#[test]
fn a_row_with_two_bad_forecast_values_is_one_rejected_row() {
    let opps = "opportunity_id,owner_id,account_id,close_date,status,amount,forecast_category,probability\n\
                O1,M1,A1,2013-03-01,open,100.00,Maybe,150\n\
                O2,M1,A1,2013-03-02,open,50.00,Commit,50\n";
    let d = dataset(&[("members.csv", MEMBERS), ("opportunities.csv", opps)]);
    let (code, out, err) = run_inside(d.path(), &["validate", "--skip-invalid"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("opportunities,opportunities.csv,2,1,0,1,0,")),
        "{out}"
    );
    assert!(out.contains("bad forecast category: 1"), "{out}");
    assert!(!out.contains("bad probability"), "{out}");
}
