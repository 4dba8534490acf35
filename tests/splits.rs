//! Split credit (SPEC §3.6c) on the hand-computed fixture m_splits (its
//! README has the arithmetic): 60/40, three-way with a remainder cent, an
//! overlay, an opportunity without splits, a split member outside the
//! roster; revenue splits that add up to 99 %; the law that revenue splits
//! move credit between members and never change the team's actual; init
//! on a Salesforce folder with OpportunitySplit.csv.

use crate::common::{self, assert_same, dataset, line, run_inside};

fn run(cmd: &str, extra: &[&str]) -> common::Out {
    let mut args = vec![
        cmd,
        "--data",
        "fixtures/m_splits",
        "--fy",
        "2013",
        "--as-of",
        "2013-02-14",
        "--format",
        "csv",
    ];
    args.extend_from_slice(extra);
    common::run(&common::root(), &args)
}

#[test]
fn split_credit_in_attainment_pipeline_forecast_and_explain() {
    for (cmd, extra, file) in [
        ("attainment", &[][..], "expected_attainment.csv"),
        ("pipeline", &[][..], "expected_pipeline.csv"),
        ("forecast", &[][..], "expected_forecast.csv"),
        (
            "attainment",
            &["--explain", "--member", "M1", "--member", "M3"][..],
            "expected_explain.csv",
        ),
    ] {
        let (code, out, err) = run(cmd, extra);
        assert_eq!(code, 0, "{cmd}: {err}");
        assert_same("m_splits", file, &out);
        assert_eq!(
            err,
            "warning: splits.csv: split members not in the roster (M9): their shares are kept as (unassigned) and shown in the reconciliation\n",
            "{cmd}"
        );
    }
    // The reconciliation holds to the cent: 5,100.01 = 4,700.01 + 400.00.
    let (_, out, _) = run("scorecard", &[]);
    assert!(
        out.lines()
            .any(|l| l == "team,,West,won_revenue,YTD,4700.01,,,,"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l == "team,,West,unassigned_revenue,YTD,400.00,,,,"),
        "{out}"
    );
}

const MEMBERS: &str = "member_id,name\nM1,Ann\nM2,Bo\nM3,Cy\n";
const OPPS: &str = "opportunity_id,owner_id,account_id,close_date,status,amount\n\
                    O1,M1,A1,2012-08-01,won,1000.01\n\
                    O2,M2,A1,2012-08-02,won,333.33\n\
                    O3,M3,A1,2012-11-02,won,50.00\n";

#[test]
fn revenue_splits_must_add_up_to_100() {
    let splits = "opportunity_id,member_id,percent\nO1,M1,60\nO1,M2,39\nO2,M2,100\n";
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", OPPS),
        ("splits.csv", splits),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("error: splits.csv:2: percent \"99.00\" opportunity O1: its revenue splits (lines 2, 3) add up to 99.00 %, not 100 %"),
        "{err}"
    );
    assert!(
        err.contains("help: fix the split percentages in the CRM"),
        "{err}"
    );
}

/// Revenue splits move credit between members; the team's actual and the
/// reconciliation stay those without splits, to the cent.
#[test]
fn revenue_splits_never_change_the_team() {
    let without = dataset(&[("members.csv", MEMBERS), ("opportunities.csv", OPPS)]);
    let splits = "opportunity_id,member_id,percent,split_type\n\
                  O1,M1,33.33,Revenue\nO1,M2,33.33,Revenue\nO1,M3,33.34,Revenue\n\
                  O2,M3,70,Revenue\nO2,M1,30,Revenue\nO2,M2,15,Overlay\n";
    let with = dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", OPPS),
        ("splits.csv", splits),
    ]);
    let team = |d: &tempfile::TempDir, period: &str| {
        let (code, out, err) = run_inside(d.path(), &["attainment"]);
        assert_eq!(code, 0, "{err}");
        line(&out, &format!("team,,Team,Sales,{period},")).to_string()
    };
    for p in ["Q1", "Q2", "YTD", "FY"] {
        assert_eq!(team(&without, p), team(&with, p), "team {p}");
    }
    // 1,383.34 won: members' credit adds up to it whatever the splits.
    assert!(team(&with, "FY").starts_with("team,,Team,Sales,FY,,1383.34,"));
    let (_, out, _) = run_inside(with.path(), &["attainment"]);
    // O1 1,000.01: 333.3033 / 333.3033 / 333.4034 → 333.30, 333.30, 333.40
    // and the cent left to the largest remainder (M3's .34): 333.41.
    // O2 333.33: M3 233.331 → 233.33, M1 99.999 → 99.99 + 0.01 (largest
    // remainder) = 100.00; M2's overlay 15 % = 49.9995 → 50.00 on top.
    assert!(
        line(&out, "member,M1,Ann,Sales,FY,").starts_with("member,M1,Ann,Sales,FY,,433.30,"),
        "{out}"
    );
    assert!(
        line(&out, "member,M2,Bo,Sales,FY,").starts_with("member,M2,Bo,Sales,FY,,383.30,"),
        "{out}"
    );
    assert!(
        line(&out, "member,M3,Cy,Sales,FY,").starts_with("member,M3,Cy,Sales,FY,,616.74,"),
        "{out}"
    );
}

#[test]
fn init_maps_a_salesforce_opportunity_split_export() {
    let users = "Id,FirstName,LastName\nU1,Ann,Lee\nU2,Bo,Chen\n";
    let opps = "Id,OwnerId,AccountId,CloseDate,StageName,Amount,IsClosed,IsWon\n\
                O1,U1,A1,2012-08-01,Closed Won,1000.00,1,1\n";
    let splits = "Id,OpportunityId,SplitOwnerId,SplitPercentage,SplitType.MasterLabel\n\
                  S1,O1,U1,60,Revenue\nS2,O1,U2,40,Revenue\n";
    let d = dataset(&[
        ("User.csv", users),
        ("Opportunity.csv", opps),
        ("OpportunitySplit.csv", splits),
    ]);
    let data = d.path().to_string_lossy().to_string();
    let (code, _, err) = common::run(&common::root(), &["init", "--data", &data]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("atu init: splits: OpportunitySplit.csv"),
        "{err}"
    );
    let toml = std::fs::read_to_string(d.path().join("atu.toml")).expect("atu.toml");
    assert!(toml.contains("splits = \"OpportunitySplit.csv\""), "{toml}");
    let (code, out, err) = common::run(
        &common::root(),
        &[
            "attainment",
            "--data",
            &data,
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        line(&out, "member,U1,Ann Lee,Sales,Q1,")
            .starts_with("member,U1,Ann Lee,Sales,Q1,,600.00,"),
        "{out}"
    );
    assert!(
        line(&out, "member,U2,Bo Chen,Sales,Q1,")
            .starts_with("member,U2,Bo Chen,Sales,Q1,,400.00,"),
        "{out}"
    );
}
