//! Progress on stderr for long runs (indicatif): a spinner saying what atu
//! is doing and for how long, shown only when stderr is a terminal, the
//! exports are large (at least [`LARGE_BYTES`]) and neither `--quiet` nor
//! `--verbose` (which prints its own timings) is given. Never on stdout, so
//! never in CSV or JSON; warnings are printed above it, and it is cleared
//! before the output is written and when the command ends.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Exports at least this large get a spinner.
pub const LARGE_BYTES: u64 = 50_000_000;

/// The spinner of the run, if any (a process runs one command).
static SPINNER: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Starts the spinner for reading the exports in `dir` when they are large
/// and stderr is a terminal. Returns whether it is shown.
pub fn start(dir: &Path, quiet: bool, verbose: bool) -> bool {
    if quiet || verbose || !std::io::stderr().is_terminal() {
        return false;
    }
    let bytes = export_bytes(dir);
    if bytes < LARGE_BYTES {
        return false;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} atu: {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(format!(
        "reading {} MB of exports in {}",
        bytes / 1_000_000,
        dir.display()
    ));
    bar.enable_steady_tick(Duration::from_millis(120));
    if let Ok(mut s) = SPINNER.lock() {
        *s = Some(bar);
        return true;
    }
    false
}

/// Says what comes next, when a spinner is shown.
pub fn say(what: &str) {
    if let Ok(s) = SPINNER.lock() {
        if let Some(bar) = s.as_ref() {
            bar.set_message(what.to_string());
        }
    }
}

/// Runs `f` (which prints to stderr) with the spinner out of the way.
pub fn above<R>(f: impl FnOnce() -> R) -> R {
    let bar = SPINNER.lock().ok().and_then(|s| s.clone());
    match bar {
        Some(bar) => bar.suspend(f),
        None => f(),
    }
}

/// Clears the spinner for good.
pub fn clear() {
    if let Ok(mut s) = SPINNER.lock() {
        if let Some(bar) = s.take() {
            bar.finish_and_clear();
        }
    }
}

/// The bytes of the CSV, TSV and text files at the top of `dir`.
pub fn export_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "csv" | "txt" | "tsv"))
        })
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_exports_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "x".repeat(100)).unwrap();
        std::fs::write(dir.path().join("b.CSV"), "x".repeat(20)).unwrap();
        std::fs::write(dir.path().join("atu.toml"), "x".repeat(1000)).unwrap();
        assert_eq!(export_bytes(dir.path()), 120);
        assert_eq!(export_bytes(&dir.path().join("nope")), 0);
        // Small data: no spinner; saying and clearing without one is fine.
        assert!(!start(dir.path(), false, false));
        say("computing");
        assert_eq!(above(|| 7), 7);
        clear();
    }
}
