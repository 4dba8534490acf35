//! xlsx renderer (`--format xlsx`, rust_xlsxwriter): a workbook whose first
//! sheet, "About", states the scope, fiscal year, as-of date, notes and
//! warnings and lists the sheets; then one sheet per table (the command's
//! screen tables first when it has a screen, then every table of the
//! report, each once).
//!
//! Cells keep their type: money as numbers with two decimals and thousands
//! separators, percentages as fractions shown as `%`, ratios and counts as
//! numbers, dates (the as-of, columns named `…date`) as dates, statuses as
//! words on green, yellow or red, missing values as empty cells. Numbers are
//! the CSV's (rounded half away from zero to 2 decimals), so a sum in Excel
//! is the sum of the figures shown. Text is always written as a string cell,
//! never as a formula, so no cell can run anything. Each sheet has its header
//! row frozen, an autofilter and fitted column widths.

use std::io::{self, Write};

use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::csv::{plain_float, plain_rational};
use super::terminal::escape_control;
use super::{Cell, Report, Status, Table};

/// Excel's limit on the characters of a cell.
const MAX_TEXT: usize = 32_767;
/// Excel's limit on the rows of a sheet.
const MAX_ROWS: usize = 1_048_576;

/// Writes the workbook of `report` (and of `screen`'s tables first, when
/// given) to `out`.
pub fn render(report: &Report, screen: Option<&Report>, out: &mut dyn Write) -> io::Result<()> {
    let bytes = workbook(report, screen).map_err(|e| io::Error::other(format!("xlsx: {e}")))?;
    out.write_all(&bytes)
}

/// The formats of a workbook.
struct Formats {
    header: Format,
    money: Format,
    percent: Format,
    ratio: Format,
    count: Format,
    date: Format,
    bold: Format,
    green: Format,
    yellow: Format,
    red: Format,
}

impl Formats {
    fn new() -> Formats {
        let status = |bg: u32, fg: u32| {
            Format::new()
                .set_background_color(Color::RGB(bg))
                .set_font_color(Color::RGB(fg))
        };
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xF2F2F2))
                .set_border_bottom(FormatBorder::Thin),
            money: Format::new().set_num_format("#,##0.00"),
            percent: Format::new().set_num_format("0.00%"),
            ratio: Format::new().set_num_format("#,##0.00"),
            count: Format::new().set_num_format("#,##0"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            bold: Format::new().set_bold(),
            // Excel's own "Good", "Neutral" and "Bad" cell styles.
            green: status(0xC6EFCE, 0x006100),
            yellow: status(0xFFEB9C, 0x9C5700),
            red: status(0xFFC7CE, 0x9C0006),
        }
    }
}

fn workbook(report: &Report, screen: Option<&Report>) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    // The sheets: the screen's tables, then the report's, each name once
    // (the report's table, with every column, where both have it).
    let mut tables: Vec<&Table> = Vec::new();
    for t in screen
        .into_iter()
        .flat_map(|s| s.tables.iter())
        .chain(report.tables.iter())
    {
        let t = report.tables.iter().find(|u| u.name == t.name).unwrap_or(t);
        if !tables.iter().any(|u| u.name == t.name) {
            tables.push(t);
        }
    }
    let names = sheet_names(&tables);
    about(wb.add_worksheet(), report, screen, &tables, &names, &f)?;
    for (t, name) in tables.iter().zip(&names) {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        sheet(ws, t, &f)?;
    }
    wb.save_to_buffer()
}

/// Sheet names: the table's machine name, cut to Excel's 31 characters and
/// free of the characters Excel forbids, made unique with a number.
fn sheet_names(tables: &[&Table]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for t in tables {
        let clean: String = t
            .name
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect();
        let clean = clean.trim_matches('\'').to_string();
        let base: String = if clean.is_empty() || clean.eq_ignore_ascii_case("about") {
            format!("table {}", names.len() + 1)
        } else {
            clean.chars().take(31).collect()
        };
        let mut name = base.clone();
        let mut n = 2;
        while names.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
            let suffix = format!(" {n}");
            name = base.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
            n += 1;
        }
        names.push(name);
    }
    names
}

/// The first sheet: what the workbook is about.
fn about(
    ws: &mut Worksheet,
    report: &Report,
    screen: Option<&Report>,
    tables: &[&Table],
    names: &[String],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("About")?;
    let title = report
        .tables
        .first()
        .map_or("Report".to_string(), |t| t.title.clone());
    ws.write_string_with_format(0, 0, text(&format!("atu: {title}")), &f.bold)?;
    ws.write_string(1, 0, "Scope")?;
    ws.write_string(1, 1, text(&report.scope))?;
    ws.write_string(2, 0, "Fiscal year")?;
    ws.write_string(2, 1, text(&report.fiscal_year))?;
    ws.write_string(3, 0, "As of")?;
    // The as-of date reads like the lines around it: left-aligned.
    let as_of = f.date.clone().set_align(FormatAlign::Left);
    match ExcelDateTime::parse_from_str(&report.as_of) {
        Ok(d) => ws.write_datetime_with_format(3, 1, &d, &as_of)?,
        Err(_) => ws.write_string(3, 1, text(&report.as_of))?,
    };
    let mut row: u32 = 5;
    let mut notes: Vec<&String> = screen.map_or(Vec::new(), |s| s.notes.iter().collect());
    for n in &report.notes {
        if !notes.contains(&n) {
            notes.push(n);
        }
    }
    for (label, lines) in [
        ("Notes", notes),
        ("Warnings", report.warnings.iter().collect()),
    ] {
        if lines.is_empty() {
            continue;
        }
        ws.write_string_with_format(row, 0, label, &f.bold)?;
        for l in lines {
            ws.write_string(row, 1, text(l))?;
            row += 1;
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Sheet", &f.header)?;
    ws.write_string_with_format(row, 1, "Table", &f.header)?;
    ws.write_string_with_format(row, 2, "Rows", &f.header)?;
    for (t, name) in tables.iter().zip(names) {
        row += 1;
        ws.write_string(row, 0, name)?;
        ws.write_string(row, 1, text(&t.title))?;
        ws.write_number_with_format(row, 2, t.rows.len() as f64, &f.count)?;
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_width(1, 90)?;
    ws.set_column_width(2, 8)?;
    Ok(())
}

/// One table as a sheet: header row, typed cells, frozen header,
/// autofilter, fitted widths.
fn sheet(ws: &mut Worksheet, t: &Table, f: &Formats) -> Result<(), XlsxError> {
    for (c, name) in t.columns.iter().enumerate() {
        ws.write_string_with_format(0, col(c)?, text(name), &f.header)?;
    }
    let date_cols: Vec<bool> = t
        .columns
        .iter()
        .map(|c| c.to_ascii_lowercase().ends_with("date"))
        .collect();
    let rows = t.rows.len().min(MAX_ROWS - 1);
    for (r, cells) in t.rows.iter().take(rows).enumerate() {
        let r = (r + 1) as u32;
        for (c, cell) in cells.iter().enumerate() {
            let is_date = date_cols.get(c).copied().unwrap_or(false);
            write_cell(ws, r, col(c)?, cell, is_date, f)?;
        }
    }
    if !t.columns.is_empty() {
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, rows as u32, col(t.columns.len() - 1)?)?;
        ws.set_autofit_max_width(400).autofit();
    }
    Ok(())
}

fn col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c)
        .ok()
        .filter(|&c| c < 16_384)
        .ok_or(XlsxError::RowColumnLimitError)
}

/// A number as the CSV writes it (2 decimals, half away from zero).
fn csv_number(plain: &str) -> Option<f64> {
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn write_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    is_date: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => {
            if is_date {
                if let Ok(d) = ExcelDateTime::parse_from_str(s) {
                    if s.len() == 10 {
                        ws.write_datetime_with_format(r, c, &d, &f.date)?;
                        return Ok(());
                    }
                }
            }
            if !s.is_empty() {
                ws.write_string(r, c, text(s))?;
            }
        }
        Cell::Money(v) => {
            if let Some(n) = csv_number(&plain_rational(v)) {
                ws.write_number_with_format(r, c, n, &f.money)?;
            }
        }
        Cell::Percent(v) => {
            if let Some(n) = csv_number(&plain_rational(v)) {
                ws.write_number_with_format(r, c, n / 100.0, &f.percent)?;
            }
        }
        Cell::Ratio(v) => {
            if let Some(n) = csv_number(&plain_rational(v)) {
                ws.write_number_with_format(r, c, n, &f.ratio)?;
            }
        }
        Cell::Float(v) => {
            if let Some(n) = plain_float(*v).as_deref().and_then(csv_number) {
                ws.write_number_with_format(r, c, n, &f.ratio)?;
            }
        }
        Cell::Count(n) => {
            ws.write_number_with_format(r, c, *n as f64, &f.count)?;
        }
        Cell::Bool(b) => {
            ws.write_boolean(r, c, *b)?;
        }
        Cell::Status(s) => {
            let format = match s {
                Status::Green => &f.green,
                Status::Yellow => &f.yellow,
                Status::Red => &f.red,
            };
            ws.write_string_with_format(r, c, s.as_str(), format)?;
        }
        Cell::Missing => {}
    }
    Ok(())
}

/// Cell text: control characters escaped (as on the terminal), cut to
/// Excel's limit.
fn text(s: &str) -> String {
    let s = escape_control(s);
    if s.chars().count() > MAX_TEXT {
        s.chars()
            .take(MAX_TEXT - 1)
            .chain(std::iter::once('…'))
            .collect()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str) -> Table {
        Table::new(name, name, &["a"])
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let long = "a_very_long_table_name_that_goes_on_and_on";
        let tables = [
            t("scorecard"),
            t("a/b:c"),
            t(long),
            t(long),
            t("About"),
            t(""),
        ];
        let refs: Vec<&Table> = tables.iter().collect();
        let names = sheet_names(&refs);
        assert_eq!(
            names,
            [
                "scorecard",
                "a_b_c",
                "a_very_long_table_name_that_goe",
                "a_very_long_table_name_that_g 2",
                "table 5",
                "table 6"
            ]
        );
        assert!(names.iter().all(|n| n.chars().count() <= 31));
    }

    #[test]
    fn text_is_escaped_and_cut() {
        assert_eq!(text("a\tb"), "a\\tb");
        assert_eq!(text("=1+2"), "=1+2");
        let long = "x".repeat(40_000);
        assert_eq!(text(&long).chars().count(), MAX_TEXT);
    }

    #[test]
    fn workbook_is_a_zip() {
        let report = Report {
            fiscal_year: "FY2013".to_string(),
            as_of: "2013-01-30".to_string(),
            scope: "team".to_string(),
            tables: vec![t("scorecard")],
            notes: vec![],
            warnings: vec![],
        };
        let mut buf = Vec::new();
        render(&report, None, &mut buf).unwrap();
        assert_eq!(&buf[..4], b"PK\x03\x04");
    }
}
