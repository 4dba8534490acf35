//! Markdown renderer (`--format markdown`): a `#` context heading, each
//! table under a `##` title as a GitHub-flavoured table (numeric columns
//! right-aligned), then the notes as a bullet list. Cells read as on the
//! terminal (the human forms of `terminal.rs`), with `|` escaped.

use std::io::{self, Write};

use super::terminal::{context_line, escape_control, human_text, is_numeric_column};
use super::{Report, Table};

/// Writes `report` as a markdown document.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# {}", context_line(report))?;
    for t in &report.tables {
        writeln!(out)?;
        writeln!(out, "## {}", escape_control(&t.title))?;
        writeln!(out)?;
        if t.rows.is_empty() {
            writeln!(out, "(no rows)")?;
        } else {
            write_table(t, out)?;
        }
    }
    if !report.notes.is_empty() {
        writeln!(out)?;
        for note in &report.notes {
            writeln!(out, "- {}", escape_control(note))?;
        }
    }
    Ok(())
}

/// The header, the alignment row and one line per row.
fn write_table(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<String> = t.columns.iter().map(|c| cell(&escape_control(c))).collect();
    write_line(&header, out)?;
    let align: Vec<String> = (0..t.columns.len())
        .map(|i| {
            if is_numeric_column(t, i) {
                "---:"
            } else {
                "---"
            }
            .to_string()
        })
        .collect();
    write_line(&align, out)?;
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(&human_text(c))).collect();
        write_line(&cells, out)?;
    }
    Ok(())
}

fn write_line(cells: &[String], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "| {} |", cells.join(" | "))
}

/// Cell text (already free of control characters) with `|` escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::Rational;
    use crate::report::{Cell, Status};

    fn rat(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    fn sample() -> Report {
        let mut t = Table::new(
            "sample",
            "Sample | one",
            &[
                "name", "money", "pct", "ratio", "float", "count", "flag", "status",
            ],
        );
        t.push(vec![
            Cell::text("Ann"),
            Cell::Money(Rational::from_cents(123_456_789)),
            Cell::Percent(rat(187, 2)),
            Cell::Ratio(rat(5, 2)),
            Cell::Float(0.125),
            Cell::Count(1_234_567),
            Cell::Bool(true),
            Cell::Status(Status::Green),
        ]);
        t.push(vec![
            Cell::text("Bob | Co"),
            Cell::Money(Rational::from_cents(-123_456_789)),
            Cell::Percent(rat(-1, 8)),
            Cell::Ratio(rat(1, 8)),
            Cell::Float(-0.125),
            Cell::Count(-3),
            Cell::Bool(false),
            Cell::Status(Status::Yellow),
        ]);
        t.push(vec![
            Cell::text("line\nbreak\t=SUM(A1)"),
            Cell::Missing,
            Cell::Missing,
            Cell::Missing,
            Cell::Float(f64::NAN),
            Cell::Missing,
            Cell::Missing,
            Cell::Missing,
        ]);
        Report {
            fiscal_year: "FY2013".to_string(),
            as_of: "2013-01-30".to_string(),
            scope: "team ATU West, all accounts".to_string(),
            tables: vec![t, Table::new("empty", "Empty", &["a"])],
            notes: vec!["2 lines skipped".to_string(), "a\rb".to_string()],
            warnings: vec![],
        }
    }

    #[test]
    fn whole_document() {
        let expected = "\
# FY2013 as of 2013-01-30 — team ATU West, all accounts

## Sample | one

| name | money | pct | ratio | float | count | flag | status |
| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |
| Ann | 1,234,567.89 | 93.50% | 2.50 | 0.13 | 1,234,567 | true | green |
| Bob \\| Co | -1,234,567.89 | -0.13% | 0.13 | -0.13 | -3 | false | yellow |
| line\\nbreak\\t=SUM(A1) | n/a | n/a | n/a | n/a | n/a | n/a | n/a |

## Empty

(no rows)

- 2 lines skipped
- a\\rb
";
        let mut buf = Vec::new();
        render(&sample(), &mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), expected);
    }
}
