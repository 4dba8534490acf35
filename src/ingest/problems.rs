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

/// What reading the tables found: problems (rows or whole files) and
/// warnings for stderr, gathered in one value as each table is read.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub problems: Vec<Problem>,
    pub warnings: Vec<String>,
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

/// Values as a comma-separated list for messages: a value that holds a
/// comma, a quote or outer spaces is quoted, so that `Contoso, Ltd.` reads
/// as one value.
pub fn show_list<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values
        .into_iter()
        .map(|v| {
            if v.contains([',', '"']) || v.trim() != v {
                format!("\"{}\"", show_value(v))
            } else {
                show_value(v)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
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

/// How many messages a strict run prints before it only counts.
pub const SHOWN: usize = 50;

/// How many lines a grouped message names before `…`.
const LINES_NAMED: usize = 3;

/// The error of a strict run that found problems: all of them, printed as
/// SPEC §1.3 says. Row problems that differ only in their line (same file,
/// column, value and message) are one message with their count and first
/// lines: `Opportunity.csv: StageName "Discovery" on 9 rows (lines 6, 12,
/// 19, …) is not a known status`; the ledger and `--rejects` still list
/// every row.
#[derive(Debug)]
pub struct InputErrors(pub Vec<Problem>);

/// Problems that differ only in their line, in order of first appearance.
struct Group<'a> {
    first: &'a Problem,
    lines: Vec<u64>,
}

impl InputErrors {
    fn groups(&self) -> Vec<Group<'_>> {
        type Key<'a> = (
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            &'a str,
            Option<&'a str>,
        );
        let mut index: std::collections::HashMap<Key<'_>, usize> = Default::default();
        let mut out: Vec<Group<'_>> = Vec::new();
        for p in &self.0 {
            // File-level problems and rows without a column stand alone.
            let groupable = !p.file_level && p.column.is_some() && p.line.is_some();
            let key = (
                p.file.as_str(),
                p.column.as_deref(),
                p.value.as_deref(),
                p.message.as_str(),
                p.hint.as_deref(),
            );
            if groupable {
                if let Some(&i) = index.get(&key) {
                    out[i].lines.extend(p.line);
                    continue;
                }
                index.insert(key, out.len());
            }
            out.push(Group {
                first: p,
                lines: p.line.into_iter().collect(),
            });
        }
        out
    }
}

impl fmt::Display for Group<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.first;
        if self.lines.len() < 2 {
            return write!(f, "{p}");
        }
        let mut named: Vec<String> = self
            .lines
            .iter()
            .take(LINES_NAMED)
            .map(u64::to_string)
            .collect();
        if self.lines.len() > LINES_NAMED {
            named.push("…".to_string());
        }
        let column = p.column.as_deref().unwrap_or_default();
        let value = p
            .value
            .as_deref()
            .map(|v| format!(" \"{}\"", show_value(v)))
            .unwrap_or_default();
        write!(
            f,
            "{}: {column}{value} on {} rows (lines {}) {}",
            p.file,
            self.lines.len(),
            named.join(", "),
            p.message
        )
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups = self.groups();
        let mut first = true;
        for g in groups.iter().take(SHOWN) {
            if !first {
                writeln!(f)?;
                write!(f, "error: ")?;
            }
            first = false;
            write!(f, "{g}")?;
        }
        if groups.len() > SHOWN {
            let left: usize = groups[SHOWN..].iter().map(|g| g.lines.len().max(1)).sum();
            write!(
                f,
                "\nerror: … and {left} more problems ({} in all)",
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
        // 53 distinct values: 53 messages, the first 50 shown.
        let many: Vec<Problem> = (0..53)
            .map(|i| {
                Problem::row(
                    "q.csv",
                    i + 2,
                    "quota",
                    &format!("x{i}\x1b"),
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
        assert!(s.contains("x0\\u{1b}"));
        assert!(!s.contains('\x1b'));
    }

    #[test]
    fn lists_quote_values_with_commas() {
        assert_eq!(
            show_list(["M99", "Contoso, Ltd.", " x", "say \"hi\""]),
            "M99, \"Contoso, Ltd.\", \" x\", \"say \\\"hi\\\"\""
        );
    }

    #[test]
    fn rows_with_one_value_are_one_message() {
        // 40 bad rows with 3 distinct values: 3 messages, each with its
        // count and first three lines; one hint.
        let values = ["Discovery", "Closed, Lost", "Discovery", "Qualify"];
        let rows: Vec<Problem> = (0..40)
            .map(|i| {
                Problem::row(
                    "Opportunity.csv",
                    i + 2,
                    "StageName",
                    values[i as usize % 4],
                    "is not a known status",
                    "bad status",
                )
                .with_hint("map it in [values.status]")
            })
            .collect();
        let s = InputErrors(rows).to_string();
        assert_eq!(
            s,
            "Opportunity.csv: StageName \"Discovery\" on 20 rows (lines 2, 4, 6, …) is not a known status\n\
             error: Opportunity.csv: StageName \"Closed, Lost\" on 10 rows (lines 3, 7, 11, …) is not a known status\n\
             error: Opportunity.csv: StageName \"Qualify\" on 10 rows (lines 5, 9, 13, …) is not a known status\n\
             help: map it in [values.status]\n\
             help: fix the rows, or pass --skip-invalid (with --rejects FILE) to leave invalid rows out"
        );
        // Two rows: both lines, no ellipsis; one row: the usual form.
        let two = InputErrors(vec![
            Problem::row("a.csv", 4, "amount", "x", "is not an amount", "bad amount"),
            Problem::row("a.csv", 9, "amount", "x", "is not an amount", "bad amount"),
            Problem::row("a.csv", 5, "amount", "y", "is not an amount", "bad amount"),
        ])
        .to_string();
        assert_eq!(
            two,
            "a.csv: amount \"x\" on 2 rows (lines 4, 9) is not an amount\n\
             error: a.csv:5: amount \"y\" is not an amount\n\
             help: fix the rows, or pass --skip-invalid (with --rejects FILE) to leave invalid rows out"
        );
    }
}
