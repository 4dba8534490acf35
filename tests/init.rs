//! `atu init` on the example exports: the proposal it writes, what it says
//! it could not map, and that the folder then gives the demo's figures.

use std::path::Path;

use crate::common;

/// A temporary folder holding the CSV files of `examples/<example>` (not its
/// atu.toml).
fn exports_of(example: &str) -> tempfile::TempDir {
    common::copy_csv_files(&common::root().join("examples").join(example))
}

/// `atu --data <dir> <args…>` run from the repository root.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let data = dir.to_string_lossy().to_string();
    let mut all = vec!["--data", data.as_str()];
    all.extend_from_slice(args);
    common::run(&common::root(), &all)
}

/// The attainment CSV without its status column (status depends on the
/// `[status]` thresholds and targets, which init cannot know).
fn attainment_without_status(dir: &Path) -> String {
    let (code, out, err) = common::run_on(dir, "attainment", &[]);
    assert_eq!(code, 0, "{err}");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out.as_bytes());
    let mut lines = Vec::new();
    let mut status_at = None;
    for rec in rdr.records() {
        let rec = rec.expect("csv");
        let fields: Vec<&str> = rec.iter().collect();
        let at = *status_at.get_or_insert_with(|| {
            fields
                .iter()
                .position(|f| *f == "status")
                .expect("status column")
        });
        let kept: Vec<&str> = fields
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, f)| *f)
            .collect();
        lines.push(kept.join(","));
    }
    assert!(lines.len() > 100, "{out}");
    lines.join("\n")
}

/// [`attainment_without_status`] of the demo.
fn demo() -> String {
    attainment_without_status(&common::root().join("examples/demo"))
}

#[test]
fn salesforce_exports_work_unedited() {
    let d = exports_of("salesforce");
    let (code, out, err) = run_in(d.path(), &["init"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "", "init writes the file, not stdout");
    assert!(err.contains("using preset = \"salesforce\""), "{err}");
    assert!(err.contains("the folder loads with it"), "{err}");
    let toml = std::fs::read_to_string(d.path().join("atu.toml")).expect("atu.toml");
    assert!(toml.contains("preset = \"salesforce\""), "{toml}");
    assert!(toml.contains("date_order = \"mdy\""), "{toml}");
    assert!(toml.contains("team_name = \"ATU West\""), "{toml}");
    assert!(
        toml.contains("category = \"Product Family\"  # preset"),
        "{toml}"
    );
    assert_eq!(attainment_without_status(d.path()), demo());
}

#[test]
fn dynamics_exports_need_the_category_and_say_so() {
    let d = exports_of("dynamics");
    let (code, _, err) = run_in(d.path(), &["init"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("using preset = \"dynamics\""), "{err}");
    assert!(
        err.contains("atu init: consider: Opportunities.csv: no category column, so every row counts as Sales; \"Revenue Type\" (values \"Sales\", \"Services\") may be the revenue category: if so, uncomment category = \"Revenue Type\" in [columns.opportunities]"),
        "{err}"
    );
    assert!(
        err.contains("atu init: consider: Goals.csv: no category column"),
        "{err}"
    );
    // The Services goals conflict with the Sales goals until then.
    assert!(
        err.contains("atu init: the folder does not load with this atu.toml yet:"),
        "{err}"
    );
    let path = d.path().join("atu.toml");
    let toml = std::fs::read_to_string(&path).expect("atu.toml written anyway");
    for want in [
        "[files]\nmembers = \"Users.csv\"\nquotas = \"Goals.csv\"\nopportunities = \"Opportunities.csv\"\n",
        // By status: Dynamics writes $0.00 in Actual Revenue of open and
        // lost deals, so "the first filled" would read them as 0.
        "amount = { won = [\"Actual Revenue\", \"Est. revenue\"], lost = \"Est. revenue\", open = \"Est. revenue\" }  # per status",
        "close_date = { won = [\"Actual Close Date\", \"Est. close date\"], lost = [\"Actual Close Date\", \"Est. close date\"], open = \"Est. close date\" }  # per status",
        "[[filters.quotas]]\ncolumn = \"Parent Goal\"\nfilled = true",
        "date_order = \"mdy\"",
    ] {
        assert!(toml.contains(want), "missing {want:?} in\n{toml}");
    }
    // The one edit the user is told to make: the category, in both tables.
    assert_eq!(
        toml.matches("# category = \"Revenue Type\"  # NOT FOUND: perhaps")
            .count(),
        2,
        "{toml}"
    );
    let edited = toml.replace(
        "# category = \"Revenue Type\"",
        "category = \"Revenue Type\"",
    );
    std::fs::write(&path, edited).expect("edit");
    let (code, _, err) = run_in(d.path(), &["validate", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(attainment_without_status(d.path()), demo());
}

#[test]
fn italian_exports_get_their_format_and_a_list_of_headers_to_map() {
    let d = exports_of("excel-it");
    let (code, _, err) = run_in(d.path(), &["init"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("could not map: opportunities.csv: no header for owner_id, account_id, close_date, status, amount (required); headers not used: \"ID opportunità\", \"ID riga\", \"Proprietario\""), "{err}");
    assert!(
        err.contains("could not map: members.csv: no header for name (required)"),
        "{err}"
    );
    let toml = std::fs::read_to_string(d.path().join("atu.toml")).expect("atu.toml");
    for want in [
        "encoding = \"windows-1252\"",
        "delimiter = \";\"",
        "decimal_mark = \",\"",
        "date_order = \"dmy\"",
        "# owner_id = \"…\"  # NOT FOUND (required): map it to one of the headers",
    ] {
        assert!(toml.contains(want), "missing {want:?} in\n{toml}");
    }
}

#[test]
fn init_never_overwrites_and_can_print_instead() {
    let d = exports_of("salesforce");
    std::fs::write(d.path().join("atu.toml"), "# mine\n").expect("write");
    let (code, out, err) = run_in(d.path(), &["init"]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert!(err.contains("atu.toml exists\nhelp: pass --force to overwrite it, or --output - to print the proposal"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.path().join("atu.toml")).expect("kept"),
        "# mine\n"
    );
    let (code, out, err) = run_in(d.path(), &["init", "--output", "-"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("preset = \"salesforce\""), "{out}");
    let (code, _, err) = run_in(d.path(), &["init", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(d.path().join("atu.toml"))
        .expect("written")
        .contains("preset = \"salesforce\""));
}

#[test]
fn init_flags_are_checked() {
    let d = exports_of("salesforce");
    let (code, _, err) = run_in(d.path(), &["init", "--preset", "pipedrive"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "--preset pipedrive is not one atu knows\nhelp: presets are salesforce, dynamics, zoho, hubspot"
        ),
        "{err}"
    );
    let empty = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = run_in(empty.path(), &["init"]);
    assert_eq!(code, 1);
    assert!(err.contains("holds no CSV file"), "{err}");
    // An explicit preset is used even where the headers would not say it.
    let (code, _, err) = run_in(
        d.path(),
        &["init", "--preset", "salesforce", "--output", "-"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("the headers look like"), "{err}");
}

/// Monthly exports with the same headers are one table, named by a glob
/// (`opps-*.csv`), so that every month is read.
#[test]
fn monthly_exports_are_named_by_a_glob() {
    let d = tempfile::tempdir().expect("tempdir");
    let head = "opportunity_id,owner_id,account_id,close_date,status,amount\n";
    for (name, text) in [
        ("members.csv", "member_id,name\nM1,Ann Lee\n".to_string()),
        (
            "opps-2012-08.csv",
            format!("{head}O1,M1,A1,2012-08-15,won,100\n"),
        ),
        (
            "opps-2012-09.csv",
            format!("{head}O2,M1,A1,2012-09-15,won,900\n"),
        ),
    ] {
        std::fs::write(d.path().join(name), text).expect("write");
    }
    let (code, _, err) = run_in(d.path(), &["init"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("atu init: opportunities: opps-*.csv (UTF-8, separated by commas)"),
        "{err}"
    );
    let toml = std::fs::read_to_string(d.path().join("atu.toml")).expect("atu.toml");
    assert!(toml.contains("opportunities = \"opps-*.csv\""), "{toml}");
    let (code, out, err) = run_in(
        d.path(),
        &[
            "attainment",
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
        out.contains("member,M1,Ann Lee,Sales,Q1,,1000.00,"),
        "{out}"
    );
}

/// Headers with a newline or quotes (Excel's Alt+Enter) still give a valid
/// atu.toml: every header is written as a one-line TOML string.
#[test]
fn odd_headers_give_a_valid_atu_toml() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("members.csv"), "member_id,name\nM1,Ann Lee\n").expect("write");
    std::fs::write(
        d.path().join("opportunities.csv"),
        "opportunity_id,owner_id,\"Close\nDate\",\"Acc \"\"Name\"\"\",status,amount\nO1,M1,2012-08-15,A1,won,100\n",
    )
    .expect("write");
    let (code, _, err) = run_in(d.path(), &["init"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no header for account_id, close_date (required); headers not used: \"Close\\nDate\", \"Acc \\\"Name\\\"\""),
        "{err}"
    );
    let toml = std::fs::read_to_string(d.path().join("atu.toml")).expect("atu.toml");
    toml.parse::<toml::Table>().expect("init writes valid TOML");
    // The user maps the two columns; the folder then loads.
    let fixed = toml.replace(
        "[columns.opportunities]\n",
        "[columns.opportunities]\nclose_date = \"Close\\nDate\"\naccount_id = \"Acc \\\"Name\\\"\"\n",
    );
    std::fs::write(d.path().join("atu.toml"), fixed).expect("write");
    let (code, _, err) = run_in(
        d.path(),
        &["validate", "--fy", "2013", "--as-of", "2013-01-30"],
    );
    assert_eq!(code, 0, "{err}");
}
