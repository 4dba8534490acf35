//! Shared helpers of the integration tests: run `atu` hermetically (no
//! `ATU_*`, `NO_COLOR`, `POLARS_*` from the caller's environment), the usual
//! runs on a dataset for FY2013 as of 2013-01-30, datasets written into or
//! copied to temporary folders, and the checks of whole outputs and exact
//! messages.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// What a run gives: (exit code, stdout, stderr).
pub type Out = (i32, String, String);

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder under fixtures/.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// An `atu` command with a clean environment, run from `dir`.
pub fn atu_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("atu").expect("atu binary");
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        if k.starts_with("ATU_") || k.starts_with("POLARS_") || k == "NO_COLOR" {
            cmd.env_remove(&k);
        }
    }
    cmd.current_dir(dir);
    cmd
}

/// `atu` run from the repository root.
pub fn atu() -> Command {
    atu_in(&root())
}

/// Runs `atu` with `args` and returns (exit code, stdout, stderr).
pub fn run(dir: &Path, args: &[&str]) -> Out {
    let out = atu_in(dir).args(args).output().expect("run atu");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ------------------------------------------------------------------ runs

/// The arguments `<cmd> --data <data> --fy 2013 --as-of 2013-01-30
/// --format csv <extra…>` (no `--format csv` when `extra` has a format).
pub fn args_on<'a>(data: &'a str, cmd: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![cmd, "--data", data, "--fy", "2013", "--as-of", "2013-01-30"];
    if !extra.contains(&"--format") {
        args.extend_from_slice(&["--format", "csv"]);
    }
    args.extend_from_slice(extra);
    args
}

/// `atu` with [`args_on`] run from the repository root.
pub fn run_on(data: &Path, cmd: &str, extra: &[&str]) -> Out {
    let data = data.to_string_lossy().to_string();
    run(&root(), &args_on(&data, cmd, extra))
}

/// [`run_on`] with `--format <format>` before `extra`.
pub fn run_fmt(data: &Path, cmd: &str, format: &str, extra: &[&str]) -> Out {
    run_on(data, cmd, &[&["--format", format][..], extra].concat())
}

/// [`run_on`] on `fixtures/<name>`, named relatively (so that messages say
/// `fixtures/<name>/atu.toml`).
pub fn run_fixture(name: &str, cmd: &str, extra: &[&str]) -> Out {
    run_on(Path::new(&format!("fixtures/{name}")), cmd, extra)
}

/// `atu <args[0]> --data . --fy 2013 --as-of 2013-01-30 --format csv
/// <args[1..]…>` ([`args_on`]) run inside `dir`, so that messages name its
/// files as `members.csv` or `./atu.toml`.
pub fn run_inside(dir: &Path, args: &[&str]) -> Out {
    run(dir, &args_on(".", args[0], &args[1..]))
}

// -------------------------------------------------------------- datasets

/// A roster of one: M1, Ann.
pub const MEMBERS: &str = "member_id,name\nM1,Ann\n";

/// A roster of two: M1 Ann Lee and M2 Bo Chen.
pub const TWO: &str = "member_id,name\nM1,Ann Lee\nM2,Bo Chen\n";

/// The FY2013 quotas of [`TWO`]: 1,000.00 each.
pub const TWO_QUOTAS: &str =
    "member_id,fiscal_year,period,quota\nM1,2013,FY,1000.00\nM2,2013,FY,1000.00\n";

/// A roster of two with zero-padded ids: M01 Ann Lee and M02 Bo Chen.
pub const M01: &str = "member_id,name\nM01,Ann Lee\nM02,Bo Chen\n";

/// A temporary folder holding `files` (name, text); a name may hold a
/// subfolder (`ex/opp-1.csv`), which is made.
pub fn dataset(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// A temporary folder holding a copy of the named `files` of `src`.
pub fn copy_files(src: &Path, files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in files {
        std::fs::copy(src.join(f), dir.path().join(f))
            .unwrap_or_else(|e| panic!("copy {}: {e}", src.join(f).display()));
    }
    dir
}

/// A temporary folder holding a copy of every CSV file of `src` (not its
/// atu.toml).
pub fn copy_csv_files(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for e in std::fs::read_dir(src).expect("source folder") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "csv") {
            std::fs::copy(&p, dir.path().join(p.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

// ---------------------------------------------------------------- checks

/// The first line of `out` that starts with `prefix`.
#[track_caller]
pub fn line<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line {prefix} in\n{out}"))
}

/// The team's FY Sales line of attainment CSV on [`TWO`] (the team is
/// named `Team`).
#[track_caller]
pub fn fy_line(out: &str) -> &str {
    line(out, "team,,Team,Sales,FY,")
}

/// The text of a file.
pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The expected file `fixtures/<fixture>/<file>`.
pub fn expected(fixture: &str, file: &str) -> String {
    read_text(&self::fixture(fixture).join(file))
}

/// Nothing on stderr says "error" or "panicked".
#[track_caller]
pub fn assert_no_error(err: &str) {
    let low = err.to_lowercase();
    assert!(
        !low.contains("error") && !low.contains("panick"),
        "unexpected error on stderr:\n{err}"
    );
}

/// Compares the whole output with the expected file
/// `fixtures/<fixture>/<file>`, listing every line that differs (the
/// README.md of the fixture explains each figure).
#[track_caller]
pub fn assert_same(fixture: &str, file: &str, got: &str) {
    let want = expected(fixture, file);
    if got == want {
        return;
    }
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut report = String::new();
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i).copied(), g.get(i).copied());
        if a != b {
            report.push_str(&format!(
                "line {}:\n  expected: {}\n  atu:      {}\n",
                i + 1,
                a.unwrap_or("<none>"),
                b.unwrap_or("<none>")
            ));
        }
    }
    if report.is_empty() {
        report.push_str("(only line endings or the final newline differ)\n");
    }
    panic!(
        "{} differs from atu's output (see {}):\n{report}",
        Path::new("fixtures").join(fixture).join(file).display(),
        Path::new("fixtures")
            .join(fixture)
            .join("README.md")
            .display()
    );
}

/// Runs `atu <cmd>` on `data` ([`run_on`]), expects exit 0, no error on
/// stderr and exactly `fixtures/<fixture>/<file>` on stdout; returns
/// stderr.
#[track_caller]
pub fn check_at(cmd: &str, data: &Path, extra: &[&str], fixture: &str, file: &str) -> String {
    let (code, out, err) = run_on(data, cmd, extra);
    assert_eq!(code, 0, "atu {cmd} {extra:?} failed; stderr:\n{err}");
    assert_no_error(&err);
    assert_eq!(
        out,
        expected(fixture, file),
        "fixtures/{fixture}/{file} differs from atu's output (the fixture's README.md explains each figure)"
    );
    err
}

/// A successful run: exit 0, exactly `warnings` on stderr; returns stdout.
#[track_caller]
pub fn assert_ok(out: Out, warnings: &[&str]) -> String {
    let (code, stdout, stderr) = out;
    assert_eq!(
        stderr.trim_end_matches('\n'),
        warnings.join("\n"),
        "stderr differs"
    );
    assert_eq!(code, 0, "exit status; stderr:\n{stderr}");
    stdout
}

/// A failure: exit `status`, nothing on stdout, exactly `expected` (lines
/// joined with `\n`) on stderr.
#[track_caller]
pub fn assert_fails_with(out: Out, expected: &[&str], status: i32) {
    let (code, stdout, stderr) = out;
    assert_eq!(
        stderr.trim_end_matches('\n'),
        expected.join("\n"),
        "stderr differs"
    );
    assert_eq!(code, status, "exit status; stderr:\n{stderr}");
    assert_eq!(stdout, "", "a failed run writes nothing to stdout");
}
