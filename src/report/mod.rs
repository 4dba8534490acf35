//! The neutral output model: a report is a list of named tables whose cells
//! carry their type (money, percent, ratio, count, text, status, missing), so
//! that each renderer (terminal, csv, json, markdown; one file each) formats
//! them its own way. Metrics build tables; they never format numbers.
//! (html, one self-contained page with charts, and xlsx, a workbook of
//! typed cells, are renderers like the others.)

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod terminal;
pub mod xlsx;

use crate::num::Rational;

/// Status of a KPI against its target (SPEC §3.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Green,
    Yellow,
    Red,
}

impl Status {
    /// The word written in every format: `green`, `yellow`, `red`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Green => "green",
            Status::Yellow => "yellow",
            Status::Red => "red",
        }
    }
}

/// One typed cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Free text (ids, names, periods, categories).
    Text(String),
    /// An amount of money in currency units (exact), 2 decimals when written.
    Money(Rational),
    /// A percentage already multiplied by 100 (exact), 2 decimals when written.
    Percent(Rational),
    /// A plain ratio such as coverage 2.5 (exact), 2 decimals when written.
    Ratio(Rational),
    /// A float that is not exact by nature (statistical intervals), 2 decimals.
    Float(f64),
    /// A whole count.
    Count(i64),
    /// `true` / `false`.
    Bool(bool),
    /// A KPI status.
    Status(Status),
    /// A missing value: empty in CSV, null in JSON, `n/a` on screen.
    Missing,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// Money, or missing.
    pub fn money(v: Option<Rational>) -> Cell {
        v.map_or(Cell::Missing, Cell::Money)
    }

    /// A percentage, or missing.
    pub fn percent(v: Option<Rational>) -> Cell {
        v.map_or(Cell::Missing, Cell::Percent)
    }

    /// A ratio, or missing.
    pub fn ratio(v: Option<Rational>) -> Cell {
        v.map_or(Cell::Missing, Cell::Ratio)
    }

    /// A status, or missing (no target, no value, period not started).
    pub fn status(v: Option<Status>) -> Cell {
        v.map_or(Cell::Missing, Cell::Status)
    }
}

/// One table: a stable machine name (the CSV file stem and JSON key), its
/// column names in order, and rows of cells (one cell per column).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Machine name, e.g. `attainment`.
    pub name: String,
    /// A human title for the terminal and markdown, e.g. `Attainment`.
    pub title: String,
    /// Column names in order.
    pub columns: Vec<String>,
    /// Rows; each has exactly `columns.len()` cells.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with the given columns.
    pub fn new(name: &str, title: &str, columns: &[&str]) -> Table {
        Table {
            name: name.to_string(),
            title: title.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row. Panics in debug builds when the width is wrong, which
    /// is a programming error, never an input error.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "row width of {}", self.name);
        self.rows.push(row);
    }
}

/// What a command hands to a renderer: the context every output states, the
/// tables (the first is the command's primary table, the one plain CSV
/// output writes) and notes for people (warnings, reconciliation footers).
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// e.g. `FY2013`.
    pub fiscal_year: String,
    /// The cut-off date as `YYYY-MM-DD`.
    pub as_of: String,
    /// The scope in words, e.g. `team ATU West, all accounts`.
    pub scope: String,
    /// The tables, primary first.
    pub tables: Vec<Table>,
    /// Lines shown under the tables on screen and in markdown (not in CSV).
    pub notes: Vec<String>,
    /// The run's warnings (said on stderr), kept for the formats that carry
    /// them in the file: the HTML page and the xlsx workbook's About sheet.
    pub warnings: Vec<String>,
}

/// Output formats of `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
    Html,
    Xlsx,
}

/// How numbers are written in CSV: `.` and `,` (default) or a local Excel's
/// decimal comma with `;` between fields (`--csv-locale it`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvStyle {
    pub delimiter: u8,
    pub decimal_comma: bool,
    pub bom: bool,
}

impl Default for CsvStyle {
    fn default() -> Self {
        CsvStyle {
            delimiter: b',',
            decimal_comma: false,
            bom: false,
        }
    }
}

/// Options every renderer may look at.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colours for statuses on the terminal.
    pub color: bool,
    /// CSV number style.
    pub csv: CsvStyle,
    /// Terminal tables: every column under its full name, a status in its
    /// own column (`--wide`); otherwise a value and its status share a
    /// column under a short header, and long text is cut with `…`.
    pub wide: bool,
    /// Terminal tables: the width to wrap them to (the terminal's), or none
    /// (not a terminal, or `--wide`).
    pub width: Option<u16>,
}

/// Renders a whole report in `format` to `out`.
pub fn render(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Table => terminal::render(report, opts, out),
        Format::Csv => match report.tables.first() {
            Some(t) => csv::render_table(t, &opts.csv, out),
            None => Ok(()),
        },
        Format::Json => json::render(report, out),
        Format::Markdown => markdown::render(report, out),
        Format::Html => html::render(report, None, out),
        Format::Xlsx => xlsx::render(report, None, out),
    }
}
