//! Terminal renderer (`--format table`): a context line, then each table
//! under its title as a comfy-table, then the notes.
//!
//! A screen that fits: unless `--wide`, a table whose columns come in pairs
//! `x` + `x_status` (the scorecard's summaries) shows each pair as one
//! column under a short header (`FY %`, `pace %`, `win %`), the status as the
//! value's colour or, without colour, a one-letter marker (`64.34% R`); its
//! `scope` column goes (the team row's id reads `team`) and long text is cut
//! with `…`. On a terminal every table is wrapped to the terminal's width.
//!
//! This file also owns the *human* forms shared with markdown: thousands
//! grouping ([`group_thousands`]), the on-screen text of a cell
//! ([`human_text`]: `1,234,567.89`, `93.50%`, `2.50`, `n/a`), which columns
//! are numeric, the context line, and the escaping of control characters
//! ([`escape_control`]) so that data never drives the terminal.

use std::io::{self, Write};

use comfy_table as ct;

use super::csv::{plain_float, plain_rational};
use super::{Cell, RenderOptions, Report, Status, Table};

/// Writes `report` for people: colours statuses only when `opts.color`, and
/// writes no ANSI escape at all otherwise.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", context_line(report))?;
    for t in &report.tables {
        writeln!(out)?;
        writeln!(out, "{}", escape_control(&t.title))?;
        if t.rows.is_empty() {
            writeln!(out, "(no rows)")?;
            continue;
        }
        let plan = plan(t, opts.wide);
        for line in comfy(t, &plan, opts).lines() {
            writeln!(out, "{line}")?;
        }
        if plan.merged && !opts.color {
            writeln!(out, "G green, Y yellow, R red; --wide shows every column")?;
        }
    }
    if !report.notes.is_empty() {
        writeln!(out)?;
        for note in &report.notes {
            writeln!(out, "{}", escape_control(note))?;
        }
    }
    Ok(())
}

/// Text longer than this is cut with `…` in a compact table.
const MAX_TEXT: usize = 22;

/// One column on screen: a table's column, and the status column shown
/// with it.
struct ScreenColumn {
    header: String,
    value: usize,
    status: Option<usize>,
}

/// The columns shown of a table.
struct Plan {
    columns: Vec<ScreenColumn>,
    /// True when value and status columns were merged (compact).
    merged: bool,
    /// The `member_id` column whose missing team cell reads `team`.
    team_id: Option<usize>,
}

/// Every column as it is; or, unless `wide`, each `x` + `x_status` pair as
/// one column under a short header, without the `scope` column.
fn plan(t: &Table, wide: bool) -> Plan {
    let all = || Plan {
        columns: t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| ScreenColumn {
                header: escape_control(c),
                value: i,
                status: None,
            })
            .collect(),
        merged: false,
        team_id: None,
    };
    if wide {
        return all();
    }
    let is_status = |i: usize| i > 0 && t.columns[i].ends_with("_status");
    if !(0..t.columns.len()).any(is_status) {
        return all();
    }
    let has_id = t.columns.iter().any(|c| c == "member_id");
    let mut columns = Vec::new();
    let mut team_id = None;
    for (i, c) in t.columns.iter().enumerate() {
        if is_status(i) || (c == "scope" && has_id) {
            continue;
        }
        if c == "member_id" {
            team_id = Some(i);
        }
        let status = (i + 1 < t.columns.len() && is_status(i + 1)).then_some(i + 1);
        columns.push(ScreenColumn {
            header: short_header(c),
            value: i,
            status,
        });
    }
    Plan {
        columns,
        merged: true,
        team_id,
    }
}

/// The short header of a compact column.
fn short_header(c: &str) -> String {
    match c {
        "member_id" => "id",
        "fy_attainment_pct" => "FY %",
        "pace_pct" => "pace %",
        "win_rate_pct" => "win %",
        "coverage" => "cover",
        "partner_attach_pct" => "partner %",
        "penetration_pct" => "penetr. %",
        "contact_growth_pct" => "contacts %",
        "nsat_ytd" => "NSAT YTD",
        other => return escape_control(&other.replace('_', " ")),
    }
    .to_string()
}

/// Text cut to `max` characters, the last one `…`.
fn cut(s: String, max: usize) -> String {
    if s.chars().count() > max {
        s.chars()
            .take(max - 1)
            .chain(std::iter::once('…'))
            .collect()
    } else {
        s
    }
}

/// The comfy-table of `t` as `plan` shows it, numeric columns
/// right-aligned, wrapped to `opts.width` when set.
fn comfy(t: &Table, plan: &Plan, opts: &RenderOptions) -> ct::Table {
    let color = opts.color;
    let mut table = ct::Table::new();
    table
        .load_preset(ct::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ct::ContentArrangement::Disabled)
        .force_no_tty();
    if let Some(w) = opts.width {
        table
            .set_content_arrangement(ct::ContentArrangement::Dynamic)
            .set_width(w);
    }
    if color {
        table.enforce_styling().style_text_only();
    }
    table.set_header(plan.columns.iter().map(|c| ct::Cell::new(&c.header)));
    for row in &t.rows {
        table.add_row(plan.columns.iter().map(|c| {
            let value = row.get(c.value).unwrap_or(&Cell::Missing);
            let status = c.status.and_then(|i| match row.get(i) {
                Some(Cell::Status(s)) => Some(*s),
                _ => None,
            });
            let mut text = match value {
                Cell::Missing if plan.team_id == Some(c.value) => "team".to_string(),
                Cell::Text(_) if plan.merged => cut(human_text(value), MAX_TEXT),
                _ => human_text(value),
            };
            if !color && c.status.is_some() && text != "n/a" {
                // A marker, or room for one so that the figures align.
                text.push(' ');
                text.push(status.map_or(' ', marker));
            }
            let cell = ct::Cell::new(text);
            let shown = match value {
                Cell::Status(s) => Some(*s),
                _ => status,
            };
            match shown {
                Some(s) if color => cell.fg(status_color(s)),
                _ => cell,
            }
        }));
    }
    for (i, c) in plan.columns.iter().enumerate() {
        let numeric = is_numeric_column(t, c.value);
        // Wrapping splits headers and long text, never a figure nor a
        // short word (the width counts the cell's padding of 2).
        let widest = t
            .rows
            .iter()
            .map(|r| {
                human_text(r.get(c.value).unwrap_or(&Cell::Missing))
                    .chars()
                    .count()
            })
            .max()
            .unwrap_or(0);
        let least = if numeric {
            widest
                + if plan.merged && c.status.is_some() {
                    2
                } else {
                    0
                }
        } else {
            widest.min(8)
        } + 2;
        if let Some(col) = table.column_mut(i) {
            if numeric {
                col.set_cell_alignment(ct::CellAlignment::Right);
            }
            if opts.width.is_some() {
                let w = u16::try_from(least).unwrap_or(u16::MAX);
                col.set_constraint(ct::ColumnConstraint::LowerBoundary(ct::Width::Fixed(w)));
            }
        }
    }
    table
}

/// The one-letter marker of a status without colour.
fn marker(s: Status) -> char {
    match s {
        Status::Green => 'G',
        Status::Yellow => 'Y',
        Status::Red => 'R',
    }
}

/// The terminal's width when stdout is one (comfy-table asks the
/// terminal).
pub fn terminal_width() -> Option<u16> {
    ct::Table::new().width()
}

fn status_color(s: Status) -> ct::Color {
    match s {
        Status::Green => ct::Color::Green,
        Status::Yellow => ct::Color::Yellow,
        Status::Red => ct::Color::Red,
    }
}

/// `FY2013 as of 2013-01-30 — team ATU West, all accounts`, escaped.
pub(crate) fn context_line(report: &Report) -> String {
    escape_control(&format!(
        "{} as of {} — {}",
        report.fiscal_year, report.as_of, report.scope
    ))
}

/// The on-screen text of a cell: money, ratios, floats and counts with
/// thousands separators and (but counts) 2 decimals, percentages with `%`,
/// statuses and booleans as words, missing as `n/a`, text with its control
/// characters escaped.
pub(crate) fn human_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => escape_control(s),
        Cell::Money(r) | Cell::Ratio(r) => group_thousands(&plain_rational(r)),
        Cell::Percent(r) => format!("{}%", group_thousands(&plain_rational(r))),
        Cell::Float(v) => {
            plain_float(*v).map_or_else(|| "n/a".to_string(), |s| group_thousands(&s))
        }
        Cell::Count(n) => group_thousands(&n.to_string()),
        Cell::Bool(b) => b.to_string(),
        Cell::Status(s) => s.as_str().to_string(),
        Cell::Missing => "n/a".to_string(),
    }
}

/// True when column `i` holds numbers: at least one numeric cell and
/// nothing but numbers and missing values.
pub(crate) fn is_numeric_column(t: &Table, i: usize) -> bool {
    let mut any = false;
    for row in &t.rows {
        match row.get(i) {
            Some(Cell::Money(_) | Cell::Percent(_) | Cell::Ratio(_))
            | Some(Cell::Float(_) | Cell::Count(_)) => any = true,
            Some(Cell::Missing) | None => {}
            Some(_) => return false,
        }
    }
    any
}

/// Inserts `,` every three digits into the integer part of a plain number:
/// `-1234567.89` becomes `-1,234,567.89`.
pub(crate) fn group_thousands(plain: &str) -> String {
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", plain),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out.push_str(frac);
    out
}

/// Escapes control characters (C0, DEL, C1) and the bidirectional overrides
/// that could reorder what is shown: `\t`, `\r`, `\n`, else `\x1b`-style
/// (`\u{202e}`-style for the bidi marks). Other text is kept as is.
pub(crate) fn escape_control(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("\\u{{{:04x}}}", ch as u32));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::Rational;

    fn rat(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    fn sample() -> Report {
        let mut t = Table::new(
            "sample",
            "Sample",
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
            Cell::text("=SUM(A1)"),
            Cell::Money(Rational::from_cents(-50)),
            Cell::Percent(rat(-1, 8)),
            Cell::Ratio(rat(1, 8)),
            Cell::Float(-0.125),
            Cell::Count(-3),
            Cell::Bool(false),
            Cell::Status(Status::Yellow),
        ]);
        t.push(vec![
            Cell::text("a\x1b[31mb\tc\r\nd"),
            Cell::Missing,
            Cell::Missing,
            Cell::Missing,
            Cell::Float(f64::NAN),
            Cell::Missing,
            Cell::Missing,
            Cell::Status(Status::Red),
        ]);
        t.push(vec![
            Cell::text("Bob | Co"),
            Cell::Money(Rational::ZERO),
            Cell::Percent(rat(-1, 300)),
            Cell::Ratio(Rational::from_int(2)),
            Cell::Float(-1234.5),
            Cell::Count(0),
            Cell::Missing,
            Cell::Missing,
        ]);
        Report {
            fiscal_year: "FY2013".to_string(),
            as_of: "2013-01-30".to_string(),
            scope: "team ATU West, all accounts".to_string(),
            tables: vec![t, Table::new("empty", "Empty", &["a"])],
            notes: vec![
                "2 lines skipped".to_string(),
                "note with \x07 bell".to_string(),
            ],
            warnings: vec![],
        }
    }

    fn render_to_string(report: &Report, color: bool) -> String {
        let opts = RenderOptions {
            color,
            ..RenderOptions::default()
        };
        let mut buf = Vec::new();
        render(report, &opts, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn whole_output_without_colour() {
        let expected = "\
FY2013 as of 2013-01-30 — team ATU West, all accounts

Sample
┌────────────────────┬──────────────┬────────┬───────┬───────────┬───────────┬───────┬────────┐
│ name               ┆        money ┆    pct ┆ ratio ┆     float ┆     count ┆ flag  ┆ status │
╞════════════════════╪══════════════╪════════╪═══════╪═══════════╪═══════════╪═══════╪════════╡
│ Ann                ┆ 1,234,567.89 ┆ 93.50% ┆  2.50 ┆      0.13 ┆ 1,234,567 ┆ true  ┆ green  │
│ =SUM(A1)           ┆        -0.50 ┆ -0.13% ┆  0.13 ┆     -0.13 ┆        -3 ┆ false ┆ yellow │
│ a\\x1b[31mb\\tc\\r\\nd ┆          n/a ┆    n/a ┆   n/a ┆       n/a ┆       n/a ┆ n/a   ┆ red    │
│ Bob | Co           ┆         0.00 ┆  0.00% ┆  2.00 ┆ -1,234.50 ┆         0 ┆ n/a   ┆ n/a    │
└────────────────────┴──────────────┴────────┴───────┴───────────┴───────────┴───────┴────────┘

Empty
(no rows)

2 lines skipped
note with \\x07 bell
";
        let out = render_to_string(&sample(), false);
        assert!(!out.contains('\x1b'));
        assert_eq!(out, expected);
    }

    #[test]
    fn colour_only_when_asked() {
        let mut t = Table::new("s", "S", &["name", "status"]);
        t.push(vec![Cell::text("Ann"), Cell::Status(Status::Green)]);
        t.push(vec![Cell::text("Bob"), Cell::Status(Status::Yellow)]);
        t.push(vec![Cell::text("Cy\x1b[2J"), Cell::Status(Status::Red)]);
        t.push(vec![Cell::text("Di"), Cell::Missing]);
        let report = Report {
            fiscal_year: "FY2013".to_string(),
            as_of: "2013-01-30".to_string(),
            scope: "member M1".to_string(),
            tables: vec![t],
            notes: vec![],
            warnings: vec![],
        };
        let coloured = "\
FY2013 as of 2013-01-30 — member M1

S
┌───────────┬────────┐
│ name      ┆ status │
╞═══════════╪════════╡
│ Ann       ┆ \x1b[38;5;10mgreen\x1b[39m  │
│ Bob       ┆ \x1b[38;5;11myellow\x1b[39m │
│ Cy\\x1b[2J ┆ \x1b[38;5;9mred\x1b[39m    │
│ Di        ┆ n/a    │
└───────────┴────────┘
";
        assert_eq!(render_to_string(&report, true), coloured);
        let plain = "\
FY2013 as of 2013-01-30 — member M1

S
┌───────────┬────────┐
│ name      ┆ status │
╞═══════════╪════════╡
│ Ann       ┆ green  │
│ Bob       ┆ yellow │
│ Cy\\x1b[2J ┆ red    │
│ Di        ┆ n/a    │
└───────────┴────────┘
";
        assert_eq!(render_to_string(&report, false), plain);
    }

    #[test]
    fn value_and_status_pairs_share_a_column() {
        let mut t = Table::new(
            "scorecard_summary",
            "Summary",
            &[
                "scope",
                "member_id",
                "name",
                "pace_pct",
                "pace_status",
                "nsat_ytd",
                "nsat_status",
            ],
        );
        t.push(vec![
            Cell::text("member"),
            Cell::text("M1"),
            Cell::text("Anna Maria Lopez de la Fuente"),
            Cell::Percent(rat(11687, 100)),
            Cell::Status(Status::Green),
            Cell::Float(112.5),
            Cell::Missing,
        ]);
        t.push(vec![
            Cell::text("team"),
            Cell::Missing,
            Cell::text("West"),
            Cell::Percent(rat(9743, 100)),
            Cell::Status(Status::Yellow),
            Cell::Missing,
            Cell::Missing,
        ]);
        let report = Report {
            fiscal_year: "FY2013".to_string(),
            as_of: "2013-01-30".to_string(),
            scope: "team West".to_string(),
            tables: vec![t],
            notes: vec![],
            warnings: vec![],
        };
        let plain = "\
FY2013 as of 2013-01-30 — team West

Summary
┌──────┬────────────────────────┬───────────┬──────────┐
│ id   ┆ name                   ┆    pace % ┆ NSAT YTD │
╞══════╪════════════════════════╪═══════════╪══════════╡
│ M1   ┆ Anna Maria Lopez de l… ┆ 116.87% G ┆ 112.50   │
│ team ┆ West                   ┆  97.43% Y ┆      n/a │
└──────┴────────────────────────┴───────────┴──────────┘
G green, Y yellow, R red; --wide shows every column
";
        assert_eq!(render_to_string(&report, false), plain);
        let coloured = render_to_string(&report, true);
        assert!(
            coloured.contains("┆ \x1b[38;5;10m116.87%\x1b[39m ┆"),
            "{coloured}"
        );
        assert!(!coloured.contains("G green"));
        let opts = RenderOptions {
            wide: true,
            ..RenderOptions::default()
        };
        let mut buf = Vec::new();
        render(&report, &opts, &mut buf).unwrap();
        let wide = String::from_utf8(buf).unwrap();
        assert!(wide.contains("│ scope  ┆ member_id ┆ name                          ┆ pace_pct ┆ pace_status ┆ nsat_ytd ┆ nsat_status │"), "{wide}");
    }

    #[test]
    fn human_forms() {
        assert_eq!(
            human_text(&Cell::Money(Rational::from_cents(-123_456_789))),
            "-1,234,567.89"
        );
        assert_eq!(
            human_text(&Cell::Money(Rational::from_cents(99_999))),
            "999.99"
        );
        assert_eq!(
            human_text(&Cell::Money(Rational::from_cents(100_000))),
            "1,000.00"
        );
        assert_eq!(human_text(&Cell::Percent(rat(187, 2))), "93.50%");
        assert_eq!(human_text(&Cell::Ratio(rat(5, 2))), "2.50");
        assert_eq!(human_text(&Cell::Count(-1_000)), "-1,000");
        assert_eq!(human_text(&Cell::Count(100)), "100");
        assert_eq!(human_text(&Cell::Float(f64::INFINITY)), "n/a");
        assert_eq!(human_text(&Cell::Missing), "n/a");
        assert_eq!(group_thousands("123456"), "123,456");
        assert_eq!(group_thousands("-0.50"), "-0.50");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            escape_control("a\x1b[0m\t\r\n\x7f\u{85}z"),
            "a\\x1b[0m\\t\\r\\n\\x7f\\x85z"
        );
        assert_eq!(escape_control("abc\u{202e}txt.exe"), "abc\\u{202e}txt.exe");
        assert_eq!(escape_control("Zoë — C:\\x"), "Zoë — C:\\x");
    }
}
