//! The command line as users meet it: the README's first command, default
//! and explicit formats, `--output` and `--out-dir`, `--csv-locale`, colour,
//! a closed pipe, `$ATU_DATA`, help text, ids with leading zeros and the
//! formula-injection guard.

use std::process::Command as StdCommand;

use crate::common::{self, fixture, root, run};

const DEMO: &[&str] = &[
    "--data",
    "examples/demo",
    "--fy",
    "2013",
    "--as-of",
    "2013-01-30",
];

fn args<'a>(cmd: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![cmd];
    v.extend_from_slice(DEMO);
    v.extend_from_slice(extra);
    v
}

#[test]
fn readme_first_command_prints_the_scorecard() {
    let (code, out, err) = run(&root(), &args("scorecard", &["--format", "table"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("FY2013 as of 2013-01-30 — team ATU West (9 members), all accounts\n"),
        "{out}"
    );
    assert!(out.contains("Scorecard summary"));
    assert!(out.contains("Reconciliation of won revenue (YTD)"));
    // The demo's duplicate line and unassigned owner are reported, not dropped.
    assert!(err.contains("warning: 1 duplicate opportunity line(s) used once (e.g. opportunities.csv:1201 repeats line 401)"), "{err}");
    assert!(err.contains("owners not in the roster (M99)"), "{err}");
    assert!(
        !out.contains('\x1b'),
        "no colour when not asked and not a terminal"
    );
}

#[test]
fn csv_is_the_default_when_stdout_is_not_a_terminal() {
    let (code, out, _) = run(&root(), &args("scorecard", &["-q"]));
    assert_eq!(code, 0);
    let header = out.lines().next().unwrap_or_default();
    assert_eq!(
        header,
        "scope,member_id,name,kpi,period,value,target,status,category,note"
    );
    // Team rows come last.
    let last = out.lines().last().unwrap_or_default();
    assert!(last.starts_with("team,,ATU West,"), "{last}");
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("attainment.csv");
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&root(), &args("attainment", &["--output", p]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    assert!(err.contains(&format!("wrote {p}")), "{err}");
    let (_, piped, _) = run(&root(), &args("attainment", &["-q"]));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), piped);
    // Only the file itself is left: no temporary file.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // The extension picks the format.
    let jpath = dir.path().join("a.json");
    let (code, _, _) = run(
        &root(),
        &args("pipeline", &["-q", "--output", jpath.to_str().unwrap()]),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&jpath).unwrap()).unwrap();
    assert_eq!(v["fiscal_year"], "FY2013");
}

#[test]
fn out_dir_writes_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, _) = run(&root(), &args("scorecard", &["-q", "--out-dir", d]));
    assert_eq!(code, 0);
    assert_eq!(out, "");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "attainment.csv",
            "contacts.csv",
            "nsat.csv",
            "partners.csv",
            "penetration.csv",
            "pipeline.csv",
            "reconciliation.csv",
            "scorecard.csv",
            "scorecard.html",
            "scorecard.json",
            "scorecard.xlsx",
            "scorecard_summary.csv"
        ]
    );
    // Each is what its own command writes.
    for cmd in ["attainment", "nsat", "penetration", "contacts"] {
        let (_, own, _) = run(&root(), &args(cmd, &["-q"]));
        assert_eq!(
            std::fs::read_to_string(dir.path().join(format!("{cmd}.csv"))).unwrap(),
            own,
            "{cmd}"
        );
    }
    // scorecard.json holds every table, as --format json would print it.
    let (_, json, _) = run(&root(), &args("scorecard", &["-q", "--format", "json"]));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("scorecard.json")).unwrap(),
        json
    );
}

#[test]
fn json_has_the_contract_shape() {
    let (code, out, _) = run(&root(), &args("partners", &["-q", "--format", "json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["as_of"], "2013-01-30");
    assert_eq!(v["scope"], "team ATU West (9 members), all accounts");
    let rows = v["tables"]["partners"].as_array().unwrap();
    let team = rows.last().unwrap();
    assert_eq!(team["scope"], "team");
    assert!(team["member_id"].is_null());
    assert_eq!(team["name"], "ATU West");
    // The manager has no won opportunity: the share is missing (null), not 0.
    assert!(rows[0]["partner_attach_pct"].is_null());
}

#[test]
fn csv_locale_writes_semicolons_and_decimal_commas() {
    let (_, plain, _) = run(&root(), &args("pipeline", &["-q"]));
    let (code, it, _) = run(&root(), &args("pipeline", &["-q", "--csv-locale", "it"]));
    assert_eq!(code, 0);
    assert_eq!(
        it.lines().next().unwrap(),
        plain.lines().next().unwrap().replace(',', ";")
    );
    let m01_plain = plain.lines().find(|l| l.contains(",M01,")).unwrap();
    let m01_it = it.lines().find(|l| l.contains(";M01;")).unwrap();
    assert_eq!(m01_it, m01_plain.replace(',', ";").replace('.', ","));
    let (code, _, err) = run(&root(), &args("pipeline", &["--csv-locale", "xx"]));
    assert_eq!(code, 2);
    assert!(err.contains("help: use e.g. --csv-locale it"), "{err}");
}

#[test]
fn colour_only_when_allowed() {
    let (_, always, _) = run(
        &root(),
        &args(
            "scorecard",
            &["-q", "--format", "table", "--color", "always"],
        ),
    );
    assert!(always.contains('\x1b'));
    let (_, never, _) = run(
        &root(),
        &args(
            "scorecard",
            &["-q", "--format", "table", "--color", "never"],
        ),
    );
    assert!(!never.contains('\x1b'));
    let out = common::atu()
        .args(args("scorecard", &["-q", "--format", "table"]))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn a_closed_pipe_is_success() {
    let bin = assert_cmd::cargo::cargo_bin("atu");
    let script = format!(
        "set -o pipefail; '{}' attainment --data examples/demo --fy 2013 --as-of 2013-01-30 -q | head -1",
        bin.display()
    );
    let out = StdCommand::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "scope,member_id,name,category,period,quota,actual,attainment_pct,status,progress,members_with_quota,members_at_quota,members_at_quota_pct\n"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn atu_data_environment_variable_names_the_dataset() {
    let out = common::atu_in(&std::env::temp_dir())
        .args(["pipeline", "--fy", "2013", "--as-of", "2013-01-30", "-q"])
        .env("ATU_DATA", root().join("examples/demo"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, expected, _) = run(&root(), &args("pipeline", &["-q"]));
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn help_documents_exit_codes_and_commands() {
    let (code, out, _) = run(&root(), &["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Exit status: 0 success, 1 bad input or failure, 2 usage error, 3 a --fail-on threshold tripped."));
    for cmd in [
        "scorecard",
        "attainment",
        "pipeline",
        "partners",
        "validate",
    ] {
        assert!(out.contains(cmd), "{cmd}");
    }
    let (code, _, _) = run(&root(), &["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn leading_zero_ids_and_formula_names_are_safe_in_csv() {
    let dir = fixture("cli_names");
    let (code, out, err) = run(
        &dir,
        &[
            "attainment",
            "--fy",
            "2013",
            "--as-of",
            "2013-06-30",
            "--data",
            ".",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    // 007 keeps its zeros; a name that Excel would run gets a leading quote.
    assert_eq!(
        lines[1],
        "member,007,\"'=HYPERLINK(\"\"x\"\")\",Sales,Q1,250.00,500.00,200.00,,complete,,,"
    );
    assert_eq!(
        lines[12],
        "member,010,'-Smith,Sales,FY,2000.00,2000.00,100.00,,complete,,,"
    );
    // Team: (500 + 2000) / (1000 + 2000) = 83.33%, not the mean of 50% and 100%;
    // named after the one team every member shares (SPEC §6).
    assert_eq!(
        lines[18],
        "team,,West,Sales,FY,3000.00,2500.00,83.33,,complete,2,1,50.00"
    );
}

#[test]
fn member_scope_is_stated() {
    let (code, out, _) = run(
        &root(),
        &args("partners", &["-q", "--member", "M01", "--format", "json"]),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["scope"], "member M01, 1 of 9 members, all accounts");
    assert_eq!(v["tables"]["partners"].as_array().unwrap().len(), 2);
}

#[test]
fn explain_lists_the_lines_behind_each_figure() {
    let (code, lines, err) = run(
        &root(),
        &args("attainment", &["-q", "--member", "M07", "--explain"]),
    );
    assert_eq!(code, 0, "{err}");
    assert!(lines.starts_with("member_id,period,category,close_date,opportunity_id,line_id,account_id,product,partner_id,amount,file,line\n"));
    let (_, att, _) = run(&root(), &args("attainment", &["-q", "--member", "M07"]));
    // Every quarter's actual is the sum of its listed lines, to the cent.
    for q in ["Q1", "Q2", "Q3"] {
        for cat in ["Sales", "Services"] {
            let cents: i64 = lines
                .lines()
                .skip(1)
                .map(|l| l.split(',').collect::<Vec<_>>())
                .filter(|f| f[1] == q && f[2] == cat)
                .map(|f| f[9].replace('.', "").parse::<i64>().unwrap())
                .sum();
            let row = att
                .lines()
                .find(|l| l.starts_with(&format!("member,M07,Robert Nakamura,{cat},{q},")))
                .unwrap();
            let actual = row.split(',').nth(6).unwrap().replace('.', "");
            assert_eq!(cents, actual.parse::<i64>().unwrap(), "{cat} {q}");
        }
    }
    let (code, _, err) = run(&root(), &args("attainment", &["--explain"]));
    assert_eq!(code, 2);
    assert!(err.contains("help: add --member ID"), "{err}");
}

/// `--fail-on` with no targets can never trip: it says so, and exits 0.
#[test]
fn fail_on_without_targets_warns() {
    let (code, _, err) = common::run(
        &common::root(),
        &[
            "scorecard",
            "--data",
            "fixtures/real_tab",
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
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: --fail-on: no figure in the output has a target, so nothing can trip it; set [targets] in atu.toml"),
        "{err}"
    );
}

/// CSV-only flags on another format are said, not silently ignored.
#[test]
fn csv_only_flags_on_json_are_warned() {
    let (code, _, err) = run(
        &root(),
        &args(
            "attainment",
            &["--format", "json", "--bom", "--csv-locale", "it"],
        ),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: --bom applies to CSV output only; this run writes JSON"),
        "{err}"
    );
    assert!(
        err.contains("warning: --csv-locale applies to CSV output only; this run writes JSON"),
        "{err}"
    );
}
