//! Shared helpers: run `atu` hermetically (no `ATU_*`, `NO_COLOR`,
//! `POLARS_*` from the caller's environment) and locate fixtures.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

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
pub fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = atu_in(dir).args(args).output().expect("run atu");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
