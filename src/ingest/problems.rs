//! Problems found in input files, and how they are reported: each names the
//! file, the line as an editor shows it, the column and the offending value,
//! with a `help:` hint naming the flag or atu.toml key that fixes it. Strict
//! runs collect every problem and print the first 50; `--skip-invalid` runs
//! count them per reason in the ledger and may write them to `--rejects`.

use std::collections::BTreeSet;
use std::fmt;

/// One problem in one input row (or in a whole file when `line` is `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user named it (relative to the dataset when possible).
    pub file: String,
    /// 1-based line, as an editor shows it.
    pub line: Option<u64>,
    /// The canonical column, when one is at fault.
    pub column: Option<String>,
    /// The offending value as read.
    pub value: Option<String>,
    /// What is wrong, in words: `is not a date (day/month/year)`.
    pub message: String,
    /// A short reason for the ledger and the rejects file: `bad date`.
    pub reason: String,
    /// What fixes it: a flag or an atu.toml key.
    pub hint: Option<String>,
    /// The whole file is unusable (encoding, no header): `--skip-invalid`
    /// cannot leave it out, so it always fails the run.
    pub file_level: bool,
}

impl Problem {
    /// A problem in a row.
    pub fn row(
        file: &str,
        line: u64,
        column: &str,
        value: &str,
        message: impl Into<String>,
        reason: &str,
    ) -> Problem {
        Problem {
            file: file.to_string(),
            line: Some(line),
            column: Some(column.to_string()),
            value: Some(value.to_string()),
            message: message.into(),
            reason: reason.to_string(),
            hint: None,
            file_level: false,
        }
    }

    /// A problem with a whole file (it cannot be read as a table).
    pub fn file(
        file: &str,
        line: Option<u64>,
        message: impl Into<String>,
        reason: &str,
    ) -> Problem {
        Problem {
            file: file.to_string(),
            line,
            column: None,
            value: None,
            message: message.into(),
            reason: reason.to_string(),
            hint: None,
            file_level: true,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }
}

/// Shows a value in an error without letting control characters through.
pub fn show_value(v: &str) -> String {
    let mut s = String::new();
    for c in v.chars().take(80) {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if c.is_control() => s.push_str(&c.escape_default().to_string()),
            c => s.push(c),
        }
    }
    if v.chars().count() > 80 {
        s.push('…');
    }
    s
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        write!(f, ": ")?;
        match (&self.column, &self.value) {
            (Some(c), Some(v)) => write!(f, "{c} \"{}\" {}", show_value(v), self.message),
            (Some(c), None) => write!(f, "{c} {}", self.message),
            (None, Some(v)) => write!(f, "{}: \"{}\"", self.message, show_value(v)),
            _ => write!(f, "{}", self.message),
        }
    }
}

/// How many problems a strict run prints before it only counts.
pub const SHOWN: usize = 50;

/// The error of a strict run that found problems: all of them, printed as
/// SPEC §1.3 says.
#[derive(Debug)]
pub struct InputErrors(pub Vec<Problem>);

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for p in self.0.iter().take(SHOWN) {
            if !first {
                writeln!(f)?;
                write!(f, "error: ")?;
            }
            first = false;
            write!(f, "{p}")?;
        }
        if self.0.len() > SHOWN {
            write!(
                f,
                "\nerror: … and {} more problems ({} in all)",
                self.0.len() - SHOWN,
                self.0.len()
            )?;
        }
        let hints: BTreeSet<&str> = self.0.iter().filter_map(|p| p.hint.as_deref()).collect();
        for h in hints {
            write!(f, "\nhelp: {h}")?;
        }
        if self.0.iter().any(|p| !p.file_level) {
            write!(
                f,
                "\nhelp: fix the rows, or pass --skip-invalid (with --rejects FILE) to leave invalid rows out"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_spec() {
        let p = Problem::row(
            "opportunities.csv",
            1234,
            "close_date",
            "31/02/2013",
            "is not a date (day/month/year)",
            "bad date",
        );
        assert_eq!(
            p.to_string(),
            "opportunities.csv:1234: close_date \"31/02/2013\" is not a date (day/month/year)"
        );
        let e = InputErrors(vec![p.clone().with_hint("set date_order in atu.toml")]);
        assert_eq!(
            e.to_string(),
            "opportunities.csv:1234: close_date \"31/02/2013\" is not a date (day/month/year)\n\
             help: set date_order in atu.toml\n\
             help: fix the rows, or pass --skip-invalid (with --rejects FILE) to leave invalid rows out"
        );
    }

    #[test]
    fn caps_at_fifty_and_escapes() {
        let many: Vec<Problem> = (0..53)
            .map(|i| {
                Problem::row(
                    "q.csv",
                    i + 2,
                    "quota",
                    "x\x1b",
                    "is not an amount",
                    "bad amount",
                )
            })
            .collect();
        let s = InputErrors(many).to_string();
        assert_eq!(
            s.lines().filter(|l| l.contains("is not an amount")).count(),
            50
        );
        assert!(s.contains("… and 3 more problems (53 in all)"));
        assert!(s.contains("x\\u{1b}"));
        assert!(!s.contains('\x1b'));
    }
}
