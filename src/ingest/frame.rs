//! Loading one table into a typed polars frame: find its files (a path or a
//! glob), map the export's headers to canonical columns, read every column as
//! String with the record index, type the columns with expressions, and turn
//! every bad cell into a problem with file, line, column and value. Exact
//! duplicates are used once and counted. The result carries the ledger of
//! the table (rows read, accepted, duplicates, rejected by reason).

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use polars::prelude::*;

use super::problems::{InputErrors, Problem};
use super::source::{self, LineMap};
use super::typing;
use crate::config::{Condition, DateOrder, Filter, Headers, LineStatus, Settings};
use crate::schema::{Kind, TableSpec};

/// With `-v`: how long a stage took and the process's peak memory so far
/// (Linux; elsewhere the memory is left out).
pub fn stage(settings: &Settings, what: &str, since: std::time::Instant) {
    if !settings.verbose {
        return;
    }
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| format!(", peak memory {} MB", kb / 1024))
        .unwrap_or_default();
    eprintln!("atu: {what}: {:.2} s{peak}", since.elapsed().as_secs_f64());
}

/// Files at least this large get a progress line on a terminal.
const PROGRESS_BYTES: u64 = 50_000_000;

/// Required columns whose cells may be blank: nsat's `rating` must be
/// there, but a blank answer is excluded and counted (SPEC §3.4), not
/// invalid; a contact without an account counts for nobody (SPEC §1.2:
/// ignored and counted by the loader), not an invalid row.
const BLANK_OK: [(&str, &str); 2] = [("nsat", "rating"), ("contacts", "account_id")];

/// Required columns whose cells may be blank unless the line is won: a
/// blank amount on an open (or lost) line is a pipeline of 0 (SPEC §1.2),
/// read as 0 by the loader, counted and said; on a won line it is invalid.
const BLANK_UNLESS_WON: [(&str, &str); 1] = [("opportunities", "amount")];

/// One input file of a table, for turning record indexes into lines.
#[derive(Clone, Debug)]
pub struct FileInfo {
    pub display: String,
    pub lines: LineMap,
}

/// The ledger of one table (`atu validate`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    pub table: String,
    pub files: Vec<String>,
    pub rows_read: u64,
    pub accepted: u64,
    pub duplicates: u64,
    pub rejected: BTreeMap<String, u64>,
    /// Rows read but deliberately not used (e.g. blank quota targets).
    pub ignored: BTreeMap<String, u64>,
    /// Rows accepted with a value atu gave a blank cell (e.g. a blank
    /// amount on an open line, read as 0).
    pub defaulted: BTreeMap<String, u64>,
}

/// A loaded table: typed columns plus `__file` (u32) and `__row` (record
/// index) for locating any row.
#[derive(Clone)]
pub struct Frame {
    pub df: DataFrame,
    pub files: Vec<FileInfo>,
    pub ledger: Ledger,
    /// Canonical columns present in at least one file.
    pub present: Vec<&'static str>,
}

impl Frame {
    /// The display name and line of a row.
    pub fn locate(&self, file: u32, row: u32) -> (String, u64) {
        match self.files.get(file as usize) {
            Some(f) => (f.display.clone(), f.lines.line(row as u64)),
            None => ("?".to_string(), row as u64 + 2),
        }
    }
}

/// What loading a table gave.
pub struct LoadOutcome {
    pub frame: Frame,
    pub problems: Vec<Problem>,
    pub warnings: Vec<String>,
}

fn normalize_header(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

fn closest<'a>(want: &str, headers: &'a [String]) -> Option<&'a str> {
    let w = normalize_header(want);
    headers
        .iter()
        .map(|h| (strsim::jaro_winkler(&w, &normalize_header(h)), h))
        .filter(|(s, _)| *s > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, h)| h.as_str())
}

/// Finds the files of a table: `[files]` (a path or glob) or the canonical
/// name, relative to the dataset folder.
pub fn find_files(settings: &Settings, spec: &TableSpec) -> Result<Vec<(PathBuf, String)>> {
    let pattern = settings
        .files
        .get(spec.name)
        .cloned()
        .unwrap_or_else(|| spec.file.to_string());
    let full = if Path::new(&pattern).is_absolute() {
        PathBuf::from(&pattern)
    } else {
        settings.data_dir.join(&pattern)
    };
    let shown = |p: &Path| -> String {
        p.strip_prefix(&settings.data_dir)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    if pattern.contains(['*', '?', '[']) {
        let pat = full.to_string_lossy().to_string();
        let paths = glob::glob(&pat).map_err(|e| {
            anyhow!("[files] {} = \"{pattern}\" is not a valid glob: {e}\nhelp: fix [files] {} in atu.toml", spec.name, spec.name)
        })?;
        let mut out = Vec::new();
        for p in paths {
            let p = p.map_err(|e| anyhow!("cannot list {}: {e}", pattern))?;
            if p.is_file() {
                let d = shown(&p);
                out.push((p, d));
            }
        }
        out.sort();
        Ok(out)
    } else if full.is_file() {
        let d = shown(&full);
        Ok(vec![(full, d)])
    } else {
        Ok(Vec::new())
    }
    .and_then(|found: Vec<(PathBuf, String)>| {
        // A configured path that matches nothing is a mistake, not "no data".
        if found.is_empty() && settings.files.contains_key(spec.name) {
            bail!(
                "[files] {} = \"{pattern}\" matches no file in {}\nhelp: fix [files] {} in {}",
                spec.name,
                settings.data_dir.display(),
                spec.name,
                settings
                    .config_path
                    .as_ref()
                    .map_or("atu.toml".to_string(), |p| p.display().to_string())
            );
        }
        Ok(found)
    })
}

/// For a table whose file is missing: the CSV files the folder holds and
/// the closest to the canonical name, as `; CSV files found: …; closest
/// match: …` (empty when the folder holds none).
pub fn files_found(settings: &Settings, spec: &TableSpec) -> String {
    let Ok(entries) = std::fs::read_dir(&settings.data_dir) else {
        return String::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.to_lowercase().ends_with(".csv"))
        .collect();
    if names.is_empty() {
        return String::new();
    }
    names.sort();
    // Another table's own file (by name or by [files]) is never the
    // closest match.
    let others: Vec<String> = names
        .iter()
        .filter(|n| {
            !crate::schema::TABLES
                .iter()
                .any(|t| t.name != spec.name && n.eq_ignore_ascii_case(t.file))
                && !settings
                    .files
                    .iter()
                    .any(|(t, f)| t != spec.name && n.eq_ignore_ascii_case(f))
        })
        .cloned()
        .collect();
    let near = closest(spec.file, &others)
        .map(|n| {
            format!(
                "; closest match: \"{n}\" (use it with [files] {} = \"{n}\")",
                spec.name
            )
        })
        .unwrap_or_default();
    let shown: Vec<String> = names.iter().take(10).map(|n| format!("\"{n}\"")).collect();
    let more = if names.len() > 10 { ", …" } else { "" };
    format!("; CSV files found: {}{more}{near}", shown.join(", "))
}

/// Headers Dynamics hides in its exports; never matched by name.
fn is_hidden(h: &str) -> bool {
    h.trim_start().starts_with("(Do Not Modify)")
}

/// The file's header that is `want`: exactly (when `exact_first`, for a
/// header the user or a preset named), else equal but for case, spaces, `-`
/// and `_`. Several loose matches are an error, never a silent pick.
fn find_header<'a>(
    want: &str,
    headers: &'a [String],
    display: &str,
    spec: &TableSpec,
    column: &str,
    exact_first: bool,
) -> Result<Option<&'a String>> {
    if exact_first {
        if let Some(h) = headers.iter().find(|h| h.as_str() == want) {
            return Ok(Some(h));
        }
    }
    let loose: Vec<&String> = headers
        .iter()
        .filter(|x| normalize_header(x) == normalize_header(want))
        .collect();
    if loose.len() > 1 {
        bail!(
            "{display}: {} columns could be {column}: {}\nhelp: name the one to use in atu.toml: [columns.{}] {column} = \"…\" (headers must differ to be told apart)",
            loose.len(),
            quoted_list(&loose.iter().map(|h| h.to_string()).collect::<Vec<_>>()),
            spec.name,
        );
    }
    Ok(loose.first().copied())
}

/// A file's headers for each canonical column (several: each row uses the
/// first filled; per status: by the row's status; none: the column is
/// absent). `[columns.<table>]` first, then
/// the preset's candidates, then a header equal to the canonical name (case,
/// spaces and `_` folded; Dynamics' `(Do Not Modify)` columns never match).
pub fn map_headers(
    settings: &Settings,
    spec: &TableSpec,
    display: &str,
    headers: &[String],
    delimiter: u8,
) -> Result<Vec<(&'static str, Headers)>> {
    if let [only] = headers {
        if let Some(sep) = [',', ';', '\t', '|']
            .into_iter()
            .find(|c| *c as u8 != delimiter && only.contains(*c))
        {
            bail!(
                "{display}: the header \"{}\" is one field: the file looks separated by {} but was read as separated by {}\nhelp: set delimiter = \"{}\" in atu.toml ([tables.{}] delimiter for this table alone)",
                super::problems::show_value(only),
                source::delimiter_name(sep as u8),
                source::delimiter_name(delimiter),
                if sep == '\t' { "\\t".to_string() } else { sep.to_string() },
                spec.name
            );
        }
    }
    let visible: Vec<String> = headers.iter().filter(|h| !is_hidden(h)).cloned().collect();
    let configured = settings.columns.get(spec.name);
    let mut out = Vec::new();
    for c in spec.columns {
        if let Some(want) = configured.and_then(|m| m.get(c.name)) {
            // Each header named must be there, as the file spells it.
            let find = |h: &String| -> Result<String> {
                match find_header(h, headers, display, spec, c.name, true)? {
                    Some(x) => Ok(x.clone()),
                    None => {
                        let near = closest(h, headers)
                            .map(|n| format!("; closest match: \"{n}\""))
                            .unwrap_or_default();
                        bail!(
                            "{display}: column \"{h}\" (mapped to {} in [columns.{}]) not found; headers found: {}{near}\nhelp: fix [columns.{}] {} in atu.toml",
                            c.name,
                            spec.name,
                            quoted_list(headers),
                            spec.name,
                            c.name
                        );
                    }
                }
            };
            let list = |v: &[String]| v.iter().map(find).collect::<Result<Vec<String>>>();
            let found = match want {
                Headers::Each(v) => Headers::Each(list(v)?),
                Headers::ByStatus { won, lost, open } => Headers::ByStatus {
                    won: list(won)?,
                    lost: list(lost)?,
                    open: list(open)?,
                },
            };
            out.push((c.name, found));
            continue;
        }
        let mut chosen: Option<Headers> = None;
        if let Some(preset) = settings.preset {
            // Every header of a candidate, as the file spells it; `None`
            // when one is missing.
            let all = |cand: &[&str]| -> Result<Option<Vec<String>>> {
                let mut found = Vec::new();
                for h in cand {
                    match find_header(h, &visible, display, spec, c.name, true)? {
                        Some(x) => found.push(x.clone()),
                        None => return Ok(None),
                    }
                }
                Ok(Some(found))
            };
            if let Some(s) = preset.by_status(spec.name, c.name) {
                if let (Some(won), Some(lost), Some(open)) =
                    (all(s.won)?, all(s.lost)?, all(s.open)?)
                {
                    chosen = Some(Headers::ByStatus { won, lost, open });
                }
            }
            if chosen.is_none() {
                for cand in preset.candidates(spec.name, c.name) {
                    if let Some(found) = all(cand)? {
                        chosen = Some(Headers::Each(found));
                        break;
                    }
                }
            }
        }
        if chosen.is_none() {
            chosen = find_header(c.name, &visible, display, spec, c.name, false)?
                .map(|h| Headers::Each(vec![h.clone()]));
        }
        let stand_ins: &[&str] = spec
            .either
            .iter()
            .find(|(x, _)| *x == c.name)
            .map_or(&[], |(_, v)| *v);
        let stood_in = stand_ins.iter().any(|alt| {
            configured.is_some_and(|m| m.contains_key(*alt))
                || spec.columns.iter().any(|o| {
                    o.name == *alt
                        && visible
                            .iter()
                            .any(|h| normalize_header(h) == normalize_header(alt))
                })
                || settings.preset.is_some_and(|p| {
                    p.candidates(spec.name, alt)
                        .iter()
                        .any(|cand| cand.iter().all(|h| visible.iter().any(|v| v == h)))
                })
        });
        match chosen {
            Some(found) => out.push((c.name, found)),
            None if c.required && !spec.absent_ok.contains(&c.name) && !stood_in => {
                let near = closest(c.name, &visible);
                let near_text = near
                    .map(|n| format!("; closest match: \"{n}\""))
                    .unwrap_or_default();
                let example = near.unwrap_or("Your Header");
                bail!(
                    "{display}: required column {} not found; headers found: {}{near_text}\nhelp: map it in atu.toml: [columns.{}] {} = \"{example}\"",
                    c.name,
                    quoted_list(headers),
                    spec.name,
                    c.name
                );
            }
            None => out.push((c.name, Headers::Each(Vec::new()))),
        }
    }
    Ok(out)
}

fn quoted_list(h: &[String]) -> String {
    h.iter()
        .map(|x| format!("\"{x}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Wraps a polars error with our context; never shown alone.
pub fn polars_context(what: &str, e: PolarsError) -> anyhow::Error {
    anyhow!("internal error while {what}: {e}\nhelp: this is a bug in atu; please report it with the command line")
}

/// Reads one source with polars: all String, record index as `__row`,
/// canonical column names (a column of several headers takes, per row, the
/// first filled; a column per status takes the headers of the row's status,
/// read from its status column through `statuses`), `__file` set to
/// `file_idx`, and `__skip` naming the first row filter a row fails (null
/// when it passes them all).
fn read_source(
    src: &source::Source,
    mapping: &[(&'static str, Headers)],
    statuses: &BTreeMap<String, LineStatus>,
    filters: &[(Filter, String)],
    team: Option<&(Filter, String)>,
    currencies: &[(&'static str, Option<String>)],
    file_idx: u32,
) -> Result<DataFrame> {
    let df = if src.records == 0 {
        // polars needs at least the header; build the empty frame ourselves,
        // every header in its place (a repeated one gets a suffix, as
        // polars gives it).
        let mut seen: Vec<String> = Vec::new();
        let mut cols: Vec<Column> = Vec::new();
        for h in &src.headers {
            let mut name = h.clone();
            let mut k = 0;
            while seen.contains(&name) {
                name = format!("{h}_duplicated_{k}");
                k += 1;
            }
            seen.push(name.clone());
            cols.push(Column::new_empty(name.as_str().into(), &DataType::String));
        }
        cols.insert(0, Column::new_empty("__row".into(), &IDX_DTYPE));
        DataFrame::new_infer_height(cols)
            .map_err(|e| polars_context("building an empty table", e))?
    } else {
        // The header as polars will see it (trimmed headers may differ from
        // raw ones): read every column, then select by position.
        let read = |bytes: &[u8]| {
            CsvReadOptions::default()
                .with_has_header(true)
                .with_infer_schema_length(Some(0))
                .with_row_index(Some(RowIndex {
                    name: "__row".into(),
                    offset: 0,
                }))
                .with_parse_options(
                    CsvParseOptions::default()
                        .with_separator(src.delimiter)
                        .with_missing_is_null(true),
                )
                .into_reader_with_file_handle(Cursor::new(bytes))
                .finish()
        };
        match read(&src.bytes) {
            Ok(df) => df,
            // Quoting the csv crate accepts and polars does not (a quote
            // inside an unquoted field, `"Acme" Inc`): write the records
            // again with regular quoting, and read that.
            Err(first) => {
                let again = source::requote(&src.bytes, src.delimiter).map_err(|e| {
                    anyhow!("{}: cannot be read as CSV ({e})\nhelp: check the file's quoting: a field with quotes or a delimiter in it must be in double quotes", src.display)
                })?;
                read(&again).map_err(|_| {
                    anyhow!(
                        "{}: cannot be read as CSV even after its quoting was normalised\n  caused by: {first}\nhelp: check the file's quoting: a field with quotes or a delimiter in it must be in double quotes",
                        src.display
                    )
                })?
            }
        }
    };
    if df.height() as u64 != src.records || src.hashes.len() as u64 != src.records {
        bail!(
            "{}: read {} rows where the file holds {} records\nhelp: this is a bug in atu; please report it with the file's header",
            src.display,
            df.height(),
            src.records
        );
    }
    // The hash of each record as written (see `source::Source::hashes`).
    let mut df = df;
    df.with_column(Column::new("__hash".into(), src.hashes.as_slice()))
        .map_err(|e| polars_context("hashing rows", e))?;
    // Raw headers (as polars read them) by their trimmed form.
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    // A header is found by its position: polars keeps a header's quoting
    // (`Acc ""Name""`) where the csv crate reads `Acc "Name"`.
    let raw = |h: &str| -> Expr {
        let name = src
            .headers
            .iter()
            .position(|x| x == h)
            .and_then(|i| names.get(i + 1))
            .filter(|_| names.first().map(String::as_str) == Some("__row"))
            .cloned()
            .unwrap_or_else(|| h.to_string());
        col(name.as_str()).cast(DataType::String)
    };
    let mut exprs: Vec<Expr> = vec![
        col("__row"),
        lit(file_idx).cast(DataType::UInt32).alias("__file"),
        col("__hash"),
    ];
    // The first filled of several headers, per row.
    let first_filled = |headers: &[String]| -> Expr {
        headers
            .iter()
            .rev()
            .fold(None, |rest: Option<Expr>, h| {
                Some(match rest {
                    None => raw(h),
                    Some(rest) => when(typing::text_of(raw(h)).is_not_null())
                        .then(raw(h))
                        .otherwise(rest),
                })
            })
            .unwrap_or_else(|| lit(NULL).cast(DataType::String))
    };
    // The row's status as typed (won/lost/open), for columns per status.
    let status = mapping
        .iter()
        .find(|(c, _)| *c == "status")
        .map(|(_, h)| match h {
            Headers::Each(v) => typing::status_of(first_filled(v), statuses),
            Headers::ByStatus { .. } => lit(NULL).cast(DataType::String),
        })
        .unwrap_or_else(|| lit(NULL).cast(DataType::String));
    for (canonical, headers) in mapping {
        let e = match headers {
            Headers::Each(v) => first_filled(v),
            // A row whose status is not known takes the open headers; its
            // status is a row error of its own.
            Headers::ByStatus { won, lost, open } => {
                when(status.clone().eq(lit(LineStatus::Won.as_str())))
                    .then(first_filled(won))
                    .when(status.clone().eq(lit(LineStatus::Lost.as_str())))
                    .then(first_filled(lost))
                    .otherwise(first_filled(open))
            }
        };
        exprs.push(e.alias(*canonical));
    }
    // The currency column beside each amount (`Amount Currency`), or null.
    for (canonical, header) in currencies {
        let e = match header {
            Some(h) => raw(h),
            None => lit(NULL).cast(DataType::String),
        };
        exprs.push(e.alias(format!("__cur_{canonical}")));
    }
    // Whether a row passes a filter (blank and case-insensitive compares).
    let passes = |f: &Filter, h: &str| -> Expr {
        let v = raw(h)
            .map(super::parse::text_column, |_, f| {
                Ok(Field::new(f.name().clone(), DataType::String))
            })
            .str()
            .to_lowercase();
        match &f.condition {
            Condition::Filled(true) => v.is_not_null(),
            Condition::Filled(false) => v.is_null(),
            Condition::OneOf(list) => v
                .is_in(
                    lit(Series::new("v".into(), list.clone())).implode(false),
                    false,
                )
                .fill_null(lit(false)),
            Condition::NotOneOf(list) => v
                .is_in(
                    lit(Series::new("v".into(), list.clone())).implode(false),
                    false,
                )
                .not()
                .fill_null(lit(true)),
        }
    };
    // The first filter a row fails, by its index; null when it passes. A
    // team row (`[quotas] team_rows`) answers to every filter but those on
    // the team column itself (which tell members' rows from the team's).
    let first_failed = |skip_column: Option<&str>| {
        let mut skip = lit(NULL).cast(DataType::UInt32);
        for (i, (f, h)) in filters.iter().enumerate().rev() {
            if Some(h.as_str()) == skip_column {
                continue;
            }
            skip = when(passes(f, h).not()).then(lit(i as u32)).otherwise(skip);
        }
        skip
    };
    let mut skip = first_failed(None);
    if let Some((f, h)) = team {
        let is_team = passes(f, h);
        skip = when(is_team.clone())
            .then(first_failed(Some(h.as_str())))
            .otherwise(skip);
        exprs.push(is_team.alias("__team"));
    }
    exprs.push(skip.alias("__skip"));
    df.lazy()
        .select(exprs)
        .collect()
        .map_err(|e| polars_context(&format!("selecting the columns of {}", src.display), e))
}

/// The export's header of each row filter, and of `[quotas] team_rows`
/// (`team`): a filter on a column the file lacks is an error.
type FilterHeaders = (Vec<(Filter, String)>, Option<(Filter, String)>);

fn filter_columns(
    spec: &TableSpec,
    display: &str,
    headers: &[String],
    filters: &[Filter],
    team: Option<&Filter>,
) -> Result<FilterHeaders> {
    let mut filter_headers = Vec::new();
    for f in filters {
        match find_header(&f.column, headers, display, spec, "a filter", true)? {
            Some(h) => filter_headers.push((f.clone(), h.clone())),
            None => {
                let near = closest(&f.column, headers)
                    .map(|n| format!("; closest match: \"{n}\""))
                    .unwrap_or_default();
                bail!(
                    "{display}: column \"{}\" (of a [[filters.{}]] entry) not found; headers found: {}{near}\nhelp: fix the column of [[filters.{}]] in atu.toml",
                    f.column,
                    spec.name,
                    quoted_list(headers),
                    spec.name
                );
            }
        }
    }
    let team_header = match team {
        None => None,
        Some(f) => match find_header(&f.column, headers, display, spec, "team rows", true)? {
            Some(h) => Some((f.clone(), h.clone())),
            None => bail!(
                "{display}: column \"{}\" (of [quotas] team_rows) not found; headers found: {}\nhelp: fix [quotas] team_rows in atu.toml",
                f.column,
                quoted_list(headers)
            ),
        },
    };
    Ok((filter_headers, team_header))
}

/// The currency column beside each amount column of a file: `<header>
/// Currency`, or the record's own currency (Salesforce's `Currency`,
/// `CurrencyIsoCode`) unless the amount is a converted one; `None` where
/// there is none or the amount is not mapped.
fn currency_columns(
    spec: &TableSpec,
    mapping: &[(&'static str, Headers)],
    headers: &[String],
) -> Vec<(&'static str, Option<String>)> {
    spec.columns
        .iter()
        .filter(|c| c.kind == Kind::Money)
        .map(|c| {
            let mapped: Vec<String> = mapping
                .iter()
                .find(|(n, _)| n == &c.name)
                .map(|(_, h)| h.all().into_iter().cloned().collect())
                .unwrap_or_default();
            let mut wants: Vec<String> = mapped.iter().map(|h| format!("{h} Currency")).collect();
            // A converted amount is in one currency whatever the record's.
            let converted = mapped
                .iter()
                .any(|h| h.to_lowercase().contains("converted"));
            wants.extend(
                [
                    "Currency",
                    "Currency ISO Code",
                    "CurrencyIsoCode",
                    "Opportunity Currency",
                ]
                .iter()
                .filter(|_| !converted)
                .map(|s| s.to_string()),
            );
            let found = wants.iter().find_map(|w| {
                headers
                    .iter()
                    .find(|h| normalize_header(h) == normalize_header(w))
                    .cloned()
            });
            (c.name, if mapped.is_empty() { None } else { found })
        })
        .collect()
}

/// How a table's cells are read: the day/month order and the decimal mark
/// (configured, else proven by the values, with warnings), the configured
/// date formats; amounts in two currencies are an error.
fn cell_style(
    settings: &Settings,
    spec: &TableSpec,
    raw: &DataFrame,
    infos: &[FileInfo],
    delimiters: &[u8],
    labels: &BTreeMap<&'static str, String>,
    warnings: &mut Vec<String>,
) -> Result<typing::CellStyle> {
    let format = settings.format(spec.name);
    let order = match format.date_order {
        Some(o) => Some(o),
        None => infer_date_order(raw, spec, infos, warnings)?,
    };
    let decimal = match format.decimal {
        Some(d) => d,
        None => infer_decimal(raw, spec, infos, delimiters, warnings)?,
    };
    if settings.verbose && spec.columns.iter().any(|c| c.kind == Kind::Money) {
        eprintln!("atu: {}: decimal mark \"{decimal}\"", spec.name);
    }
    check_currencies(raw, spec, infos, labels)?;
    Ok(typing::CellStyle {
        money: super::parse::MoneyStyle { decimal },
        date_order: order,
        date_formats: format.date_formats.clone(),
    })
}

/// The frame without the records `rows` (record indexes of one file).
fn without_rows(df: DataFrame, rows: Vec<u32>) -> Result<DataFrame> {
    if rows.is_empty() {
        return Ok(df);
    }
    let rows = Series::new("rows".into(), rows);
    df.lazy()
        .filter(
            col("__row")
                .cast(DataType::UInt32)
                .is_in(lit(rows).implode(false), false)
                .not(),
        )
        .collect()
        .map_err(|e| polars_context("leaving out rows with NUL bytes", e))
}

/// What the NUL bytes of a file's fields mean (see `source::Source::nuls`).
struct NulFields {
    /// Rows with a NUL in a column atu reads: row errors.
    problems: Vec<Problem>,
    /// Columns atu does not read that held NULs: ignored, said.
    warnings: Vec<String>,
    /// Record indexes of the rows in `problems`, to leave out.
    rows: Vec<u32>,
}

/// A NUL in a field atu reads is a row error naming file, line and column;
/// in a field it does not read (a Salesforce rich-text description) it is
/// ignored with a warning naming the column and the lines.
fn nul_fields(src: &source::Source, read: &[&str]) -> NulFields {
    let mut out = NulFields {
        problems: Vec::new(),
        warnings: Vec::new(),
        rows: Vec::new(),
    };
    let mut ignored: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for &(record, field) in &src.nuls {
        let header = src.headers.get(field).map_or("?", String::as_str);
        let line = src.lines.line(record);
        if read.contains(&header) {
            out.problems.push(
                Problem {
                    file: src.display.clone(),
                    line: Some(line),
                    column: Some(header.to_string()),
                    value: None,
                    message: "holds a NUL byte (a binary character, not text)".to_string(),
                    reason: "NUL byte".to_string(),
                    hint: None,
                    file_level: false,
                }
                .with_hint("clean the field in the CRM and export again, or leave the row out with --skip-invalid"),
            );
            if out.rows.last() != Some(&(record as u32)) {
                out.rows.push(record as u32);
            }
        } else {
            ignored.entry(header).or_default().push(line);
        }
    }
    for (header, lines) in ignored {
        let mut shown: Vec<String> = lines.iter().take(3).map(u64::to_string).collect();
        if lines.len() > 3 {
            shown.push("…".to_string());
        }
        out.warnings.push(format!(
            "{}: NUL bytes in column \"{}\", which atu does not read, are ignored ({} row(s): line {})",
            src.display,
            super::problems::show_value(header),
            lines.len(),
            shown.join(", ")
        ));
    }
    out
}

/// Decides the day/month order of a table's slash dates when none is
/// configured: proven by a part above 12, else an error asking for it.
fn infer_date_order(
    df: &DataFrame,
    spec: &TableSpec,
    infos: &[FileInfo],
    warnings: &mut Vec<String>,
) -> Result<Option<DateOrder>> {
    let locate = row_locator(df, infos)?;
    let hint = "set date_order = \"dmy\" (30/01/2013) or \"mdy\" (1/30/2013) in atu.toml";
    // Evidence over every date column: (column, row, value) of the first
    // slash date, of the first with the day first and of the first with the
    // day second.
    type Seen = Option<(&'static str, usize, String)>;
    let (mut any, mut dmy, mut mdy): (Seen, Seen, Seen) = (None, None, None);
    for c in spec.columns.iter().filter(|c| c.kind == Kind::Date) {
        let Ok(ca) = df.column(c.name).and_then(|s| s.str()) else {
            continue;
        };
        let ev = super::parse::slash_date_evidence(ca.iter());
        let tag = |x: Option<(usize, String)>| x.map(|(i, v)| (c.name, i, v));
        any = any.or(tag(ev.first));
        dmy = dmy.or(tag(ev.day_first));
        mdy = mdy.or(tag(ev.day_second));
    }
    let Some((col0, i0, v0)) = any else {
        return Ok(None);
    };
    let (order, (col, i, v)) = match (dmy, mdy) {
        (Some(a), None) => (DateOrder::Dmy, a),
        (None, Some(b)) => (DateOrder::Mdy, b),
        (Some((c1, i1, v1)), Some((c2, i2, v2))) => {
            let (f1, l1) = locate(i1);
            let (f2, l2) = locate(i2);
            let p = Problem::file(
                &f1,
                Some(l1),
                format!(
                    "{c1} \"{v1}\" has the day first, but {} {c2} \"{v2}\" has it second: the dates are mixed",
                    refer(&f2, l2, &f1)
                ),
                "bad date",
            )
            .with_hint(format!("check the file, then {hint}"));
            return Err(InputErrors(vec![p]).into());
        }
        (None, None) => {
            let (f, l) = locate(i0);
            let p = Problem::file(
                &f,
                Some(l),
                format!(
                    "{col0} \"{v0}\" reads both as day/month and month/day, and atu never guesses"
                ),
                "bad date",
            )
            .with_hint(hint);
            return Err(InputErrors(vec![p]).into());
        }
    };
    let (f, l) = locate(i);
    let key = match order {
        DateOrder::Dmy => "dmy",
        DateOrder::Mdy => "mdy",
        DateOrder::Ymd => "ymd",
    };
    warnings.push(format!(
        "{f}: reading slash dates as {} (line {l} {col} \"{v}\" proves it); set date_order = \"{key}\" in atu.toml to say so",
        order.describe()
    ));
    Ok(Some(order))
}

/// Loads a table; `Ok(None)` when it has no file.
pub fn load(settings: &Settings, spec: &TableSpec) -> Result<Option<LoadOutcome>> {
    let files = find_files(settings, spec)?;
    if files.is_empty() {
        return Ok(None);
    }
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut infos = Vec::new();
    let mut frames = Vec::new();
    let mut ledger = Ledger {
        table: spec.name.to_string(),
        ..Ledger::default()
    };
    let mut present: Vec<&'static str> = Vec::new();
    let format = settings.format(spec.name);
    let filters: Vec<Filter> = settings.filters.get(spec.name).cloned().unwrap_or_default();
    // Quota rows that are the team's own quota (`[quotas] team_rows`).
    let team: Option<Filter> = if spec.name == "quotas" {
        settings.team_rows.clone()
    } else {
        None
    };
    // How each column is named in messages: the export's headers, then
    // atu's name, e.g. `Actual Revenue / Est. revenue (amount)`.
    let mut labels: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut delimiters: Vec<u8> = Vec::new();
    for (idx, (path, display)) in files.iter().enumerate() {
        if settings.progress {
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            if size >= PROGRESS_BYTES {
                eprintln!("atu: reading {display} ({} MB)…", size / 1_000_000);
            }
        }
        let t0 = std::time::Instant::now();
        let loaded = match source::load(path, display, &format) {
            Ok(l) => l,
            Err(p) => {
                problems.push(*p);
                continue;
            }
        };
        if settings.verbose {
            eprintln!(
                "atu: {display}: {}, separated by {}{}",
                loaded.encoding,
                source::delimiter_name(loaded.source.delimiter),
                if loaded.delimiter_detected {
                    " (detected)"
                } else {
                    ""
                }
            );
        }
        let mapping = map_headers(
            settings,
            spec,
            display,
            &loaded.source.headers,
            loaded.source.delimiter,
        )?;
        for (c, h) in &mapping {
            if !h.is_empty() && !present.contains(c) {
                present.push(c);
            }
            if !h.is_empty() {
                labels.entry(*c).or_insert_with(|| {
                    let all: Vec<&str> = h.all().into_iter().map(String::as_str).collect();
                    if all == [*c] {
                        c.to_string()
                    } else {
                        format!("{} ({c})", all.join(" / "))
                    }
                });
            }
        }
        let (filter_headers, team_header) = filter_columns(
            spec,
            display,
            &loaded.source.headers,
            &filters,
            team.as_ref(),
        )?;
        let currencies = currency_columns(spec, &mapping, &loaded.source.headers);
        ledger.rows_read += loaded.source.records + loaded.problems.len() as u64;
        for p in &loaded.problems {
            *ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        }
        for (reason, n) in &loaded.ignored {
            ledger.rows_read += n;
            *ledger.ignored.entry(reason.clone()).or_default() += n;
        }
        warnings.extend(loaded.notes);
        delimiters.push(loaded.source.delimiter);
        problems.extend(loaded.problems);
        stage(settings, &format!("{display}: decoded and checked"), t0);
        let t0 = std::time::Instant::now();
        let mut df = read_source(
            &loaded.source,
            &mapping,
            &settings.status_values,
            &filter_headers,
            team_header.as_ref(),
            &currencies,
            idx as u32,
        )?;
        if !loaded.source.nuls.is_empty() {
            // Headers atu reads in this file: mapped, filtered on, or a
            // currency beside an amount.
            let read: Vec<&str> = mapping
                .iter()
                .flat_map(|(_, h)| h.all().into_iter().map(String::as_str))
                .chain(filter_headers.iter().map(|(_, h)| h.as_str()))
                .chain(team_header.iter().map(|(_, h)| h.as_str()))
                .chain(currencies.iter().filter_map(|(_, h)| h.as_deref()))
                .collect();
            let nul = nul_fields(&loaded.source, &read);
            for p in &nul.problems {
                *ledger.rejected.entry(p.reason.clone()).or_default() += 1;
            }
            problems.extend(nul.problems);
            warnings.extend(nul.warnings);
            df = without_rows(df, nul.rows)?;
        }
        frames.push(df);
        stage(settings, &format!("{display}: read"), t0);
        ledger.files.push(display.clone());
        infos.push(FileInfo {
            display: display.clone(),
            lines: loaded.source.lines,
        });
    }
    // Keep infos indexable by __file: files that failed to load keep a slot.
    let mut all_infos: Vec<FileInfo> = files
        .iter()
        .map(|(_, d)| FileInfo {
            display: d.clone(),
            lines: LineMap::Regular,
        })
        .collect();
    for info in infos {
        if let Some(slot) = all_infos.iter_mut().find(|f| f.display == info.display) {
            *slot = info;
        }
    }
    let raw = match frames.len() {
        0 => {
            // Every file failed; the problems say why.
            return Ok(Some(LoadOutcome {
                frame: Frame {
                    df: empty_typed(spec)?,
                    files: all_infos,
                    ledger,
                    present,
                },
                problems,
                warnings,
            }));
        }
        1 => frames.remove(0),
        _ => {
            let lfs: Vec<LazyFrame> = frames.into_iter().map(|f| f.lazy()).collect();
            let args = UnionArgs {
                rechunk: false,
                ..UnionArgs::default()
            };
            concat(lfs, args)
                .and_then(|lf| lf.collect())
                .map_err(|e| polars_context("joining the files of a table", e))?
        }
    };
    let t_formats = std::time::Instant::now();
    if settings.verbose {
        for f in &filters {
            eprintln!("atu: {}: keeping rows where {}", spec.name, f.describe());
        }
    }
    let before = raw.height();
    let raw = apply_filters(raw, &filters, &mut ledger, spec)?;
    if before > 0 && raw.height() == 0 {
        warnings.push(format!(
            "{}: the row filters of {} leave out every one of its {before} rows ({}); check [[filters.{}]] in atu.toml",
            ledger.files.join(", "),
            spec.name,
            filters.iter().map(Filter::describe).collect::<Vec<_>>().join("; "),
            spec.name
        ));
    }
    let style = cell_style(
        settings,
        spec,
        &raw,
        &all_infos,
        &delimiters,
        &labels,
        &mut warnings,
    )?;
    stage(
        settings,
        &format!(
            "{}: filters, date order, decimal mark and currencies",
            spec.name
        ),
        t_formats,
    );
    let t0 = std::time::Instant::now();
    let (typed, mut row_problems) = type_columns(
        settings,
        spec,
        raw,
        &style,
        &all_infos,
        &labels,
        &mut warnings,
    )?;
    stage(settings, &format!("{}: typed", spec.name), t0);
    // The ledger counts rows: a row with several problems counts once, under
    // the reason of its first.
    let mut counted: std::collections::BTreeSet<(String, u64)> = Default::default();
    for p in &row_problems {
        if counted.insert((p.file.clone(), p.line.unwrap_or(0))) {
            *ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        }
    }
    problems.append(&mut row_problems);
    let frame = Frame {
        df: typed,
        files: all_infos,
        ledger,
        present,
    };
    Ok(Some(LoadOutcome {
        frame,
        problems,
        warnings,
    }))
}

/// A typed frame with no rows, for a table whose files all failed to load.
fn empty_typed(spec: &TableSpec) -> Result<DataFrame> {
    let mut cols = vec![
        Column::new_empty("__file".into(), &DataType::UInt32),
        Column::new_empty("__row".into(), &IDX_DTYPE),
        Column::new_empty("__hash".into(), &DataType::UInt64),
    ];
    for c in spec.columns {
        let dtype = match c.kind {
            Kind::Text | Kind::Status => DataType::String,
            Kind::Money => DataType::Int64,
            Kind::Date => DataType::Date,
        };
        cols.push(Column::new_empty(c.name.into(), &dtype));
    }
    DataFrame::new_infer_height(cols).map_err(|e| polars_context("building an empty table", e))
}

fn describe_kind(
    kind: Kind,
    style: &typing::CellStyle,
    table: &str,
    value: &str,
) -> (String, &'static str, Option<String>) {
    let formats = "; for other forms add chrono formats, e.g. date_formats = [\"%d-%b-%Y\"]";
    let other_mark = |mark: char| {
        super::parse::parse_money(value, super::parse::MoneyStyle { decimal: mark }).is_some()
    };
    match kind {
        Kind::Money if style.money.decimal == ',' => (
            "is not an amount (decimal comma)".to_string(),
            "bad amount",
            Some(format!("amounts are read with \",\" as decimal mark, such as 1.234,56 or € 1.500.000,00; if the file uses \".\", set decimal_mark = \".\" in atu.toml ([tables.{table}] decimal_mark for this table alone)")),
        ),
        // `1.234,56` where amounts are read with a decimal point.
        Kind::Money if other_mark(',') => (
            "is not an amount (decimal point)".to_string(),
            "bad amount",
            Some(format!("the value reads with \",\" as decimal mark, but amounts are read with \".\"; if the file uses decimal commas, set decimal_mark = \",\" in atu.toml ([tables.{table}] decimal_mark for this table alone)")),
        ),
        Kind::Money => (
            "is not an amount".to_string(),
            "bad amount",
            Some("amounts are numbers such as 1500000.00, $1,500,000.00 or (1,200.00)".to_string()),
        ),
        Kind::Date if !style.date_formats.is_empty() => {
            let order = style.date_order.unwrap_or(DateOrder::Ymd).describe();
            let list = style
                .date_formats
                .iter()
                .map(|f| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("is not a date (date_formats {list}, nor {order})"),
                "bad date",
                Some("check the value; if the file writes dates another way too, add that form to date_formats (chrono strftime)".to_string()),
            )
        }
        Kind::Date => match style.date_order {
            Some(DateOrder::Ymd) | None => (
                "is not a date (year-month-day)".to_string(),
                "bad date",
                Some(format!("dates are YYYY-MM-DD; for 30/01/2013 or 1/30/2013 set date_order = \"dmy\" or \"mdy\" in atu.toml{formats}")),
            ),
            Some(o) => (
                format!("is not a date ({})", o.describe()),
                "bad date",
                Some(format!("dates are read as {}, as date_order says{formats}", o.describe())),
            ),
        },
        Kind::Status => (
            "is not a known status (won, lost, open)".to_string(),
            "bad status",
            Some("map the export's status words in atu.toml, e.g. [values.status] \"Closed Won\" = \"won\"".to_string()),
        ),
        Kind::Text => (String::new(), "", None),
    }
}

/// Leaves out the rows that fail a `[[filters.<table>]]` entry, counting
/// them in the ledger under the filter they fail.
fn apply_filters(
    raw: DataFrame,
    filters: &[Filter],
    ledger: &mut Ledger,
    spec: &TableSpec,
) -> Result<DataFrame> {
    if filters.is_empty() || raw.height() == 0 {
        return raw
            .drop("__skip")
            .or_else(|_| Ok(raw.clone()))
            .map_err(|e: PolarsError| polars_context("dropping a column", e));
    }
    let counts = raw
        .clone()
        .lazy()
        .filter(col("__skip").is_not_null())
        .group_by([col("__skip")])
        .agg([len().alias("__n")])
        .collect()
        .map_err(|e| polars_context("applying filters", e))?;
    let which = counts
        .column("__skip")
        .and_then(|c| c.cast(&DataType::UInt32))
        .map_err(|e| polars_context("applying filters", e))?;
    let ns = counts
        .column("__n")
        .and_then(|c| c.cast(&DataType::UInt64))
        .map_err(|e| polars_context("applying filters", e))?;
    let (which, ns) = (
        which
            .u32()
            .map_err(|e| polars_context("applying filters", e))?,
        ns.u64()
            .map_err(|e| polars_context("applying filters", e))?,
    );
    for (w, n) in which.iter().zip(ns.iter()) {
        if let (Some(w), Some(n)) = (w, n) {
            let f = &filters[w as usize];
            *ledger
                .ignored
                .entry(format!(
                    "left out by [[filters.{}]]: {}",
                    spec.name,
                    f.describe_failing()
                ))
                .or_default() += n;
        }
    }
    raw.lazy()
        .filter(col("__skip").is_null())
        .drop(Selector::ByName {
            names: ["__skip".into()].into(),
            strict: true,
        })
        .collect()
        .map_err(|e| polars_context("applying filters", e))
}

/// Decides the decimal mark of a table's amounts when none is configured:
/// proven by a value (`1,234.56`, `12,5`), else the convention of the
/// delimiter (`;` files come from Excels that write decimal commas).
fn infer_decimal(
    raw: &DataFrame,
    spec: &TableSpec,
    infos: &[FileInfo],
    delimiters: &[u8],
    warnings: &mut Vec<String>,
) -> Result<char> {
    let locate = row_locator(raw, infos)?;
    let fallback = if delimiters.first() == Some(&b';') {
        ','
    } else {
        '.'
    };
    type Seen = Option<(&'static str, usize, String)>;
    let (mut dot, mut comma, mut either, mut other): (Seen, Seen, Seen, Seen) =
        (None, None, None, None);
    for c in spec.columns.iter().filter(|c| c.kind == Kind::Money) {
        let Ok(ca) = raw.column(c.name).and_then(|s| s.str()) else {
            continue;
        };
        let ev = super::parse::decimal_evidence(ca.iter());
        let tag = |x: Option<(usize, String)>| x.map(|(i, v)| (c.name, i, v));
        dot = dot.or(tag(ev.dot));
        comma = comma.or(tag(ev.comma));
        either = either.or(tag(ev.either));
        other = other.or(tag(ev.either_other));
    }
    // `1,500` and `1.500` in one table: one of them is a decimal with
    // three places whichever mark is the decimal one; never a guess.
    if let (None, None, Some((c1, i1, v1)), Some((c2, i2, v2))) = (&dot, &comma, &either, &other) {
        let (f1, l1) = locate(*i1);
        let (f2, l2) = locate(*i2);
        let p = Problem::file(
            &f1,
            Some(l1),
            format!(
                "{c1} \"{v1}\" and {} {c2} \"{v2}\" use different marks and each reads both ways (thousands or decimals): the decimal mark cannot be told",
                refer(&f2, l2, &f1)
            ),
            "bad amount",
        )
        .with_hint(format!("set decimal_mark = \".\" or \",\" in atu.toml ([tables.{}] decimal_mark for this table alone)", spec.name));
        return Err(InputErrors(vec![p]).into());
    }
    match (dot, comma) {
        (Some((c1, i1, v1)), Some((c2, i2, v2))) => {
            let (f1, l1) = locate(i1);
            let (f2, l2) = locate(i2);
            let p = Problem::file(
                &f1,
                Some(l1),
                format!(
                    "{c1} \"{v1}\" has \".\" as decimal mark, but {} {c2} \"{v2}\" has \",\": the amounts are mixed",
                    refer(&f2, l2, &f1)
                ),
                "bad amount",
            )
            .with_hint(format!("check the file, then set decimal_mark = \".\" or \",\" in atu.toml ([tables.{}] decimal_mark for this table alone)", spec.name));
            Err(InputErrors(vec![p]).into())
        }
        (Some(_), None) => Ok('.'),
        (None, Some(_)) => Ok(','),
        (None, None) => {
            if let Some((c, i, v)) = either {
                let (f, l) = locate(i);
                let reading = if fallback == ',' {
                    "a thousands dot or a decimal comma"
                } else {
                    "a thousands comma or a decimal point"
                };
                warnings.push(format!(
                    "{f}: no amount of {} shows its decimal mark; line {l} {c} \"{v}\" could hold {reading}, and is read with \"{fallback}\" as decimal mark (the file is separated by {}); set decimal_mark = \"{fallback}\" in atu.toml to say so",
                    spec.name,
                    source::delimiter_name(delimiters.first().copied().unwrap_or(b',')),
                ));
            }
            Ok(fallback)
        }
    }
}

/// Refuses amounts in several currencies in one column: summing them would
/// be wrong without a converted amount.
fn check_currencies(
    raw: &DataFrame,
    spec: &TableSpec,
    infos: &[FileInfo],
    labels: &BTreeMap<&'static str, String>,
) -> Result<()> {
    let locate = row_locator(raw, infos)?;
    for c in spec.columns.iter().filter(|c| c.kind == Kind::Money) {
        let Ok(ca) = raw.column(c.name).and_then(|s| s.str()) else {
            continue;
        };
        let beside = raw
            .column(&format!("__cur_{}", c.name))
            .and_then(|s| s.str().cloned())
            .ok();
        let mut first: Option<(String, usize, String)> = None;
        for (i, v) in ca.iter().enumerate() {
            let Some(v) = v else { continue };
            // The amount's own sign or code, else the column beside it.
            let cur = match super::parse::currency_of(v) {
                Some(c) => Some(c),
                None => beside
                    .as_ref()
                    .and_then(|b| b.get(i))
                    .map(|x| x.trim().to_uppercase())
                    .filter(|x| !x.is_empty())
                    .map(|x| format!("{x} (its currency column)")),
            };
            let Some(cur) = cur else {
                continue;
            };
            let code = |c: &str| c.split(' ').next().unwrap_or("").to_string();
            match &first {
                None => first = Some((cur, i, v.to_string())),
                Some((c0, i0, v0)) if code(c0) != code(&cur) => {
                    let (f0, l0) = locate(*i0);
                    let (f1, l1) = locate(i);
                    let label = labels
                        .get(c.name)
                        .cloned()
                        .unwrap_or_else(|| c.name.to_string());
                    let p = Problem::file(
                        &f1,
                        Some(l1),
                        format!(
                            "{label} \"{v}\" is in {cur}, but {} has \"{v0}\" in {c0}: amounts in several currencies cannot be added",
                            refer(&f0, l0, &f1)
                        ),
                        "mixed currencies",
                    )
                    .with_hint(format!("map the converted amount instead, e.g. [columns.{}] {} = \"Amount (Converted)\", or export in one currency", spec.name, c.name));
                    return Err(InputErrors(vec![p]).into());
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// Row position → (file, line) over a raw frame's `__file` and `__row`
/// (looked up when asked: messages need a few rows, not all).
fn row_locator<'a>(
    df: &DataFrame,
    infos: &'a [FileInfo],
) -> Result<impl Fn(usize) -> (String, u64) + 'a> {
    let get = |name: &str| -> Result<UInt32Chunked> {
        df.column(name)
            .and_then(|c| c.cast(&DataType::UInt32))
            .and_then(|c| c.u32().cloned())
            .map_err(|e| polars_context("locating rows", e))
    };
    let (rows, files) = (get("__row")?, get("__file")?);
    Ok(move |i: usize| -> (String, u64) {
        let f = files.get(i).unwrap_or(0) as usize;
        let r = rows.get(i).unwrap_or(0) as u64;
        match infos.get(f) {
            Some(info) => (info.display.clone(), info.lines.line(r)),
            None => ("?".to_string(), r + 2),
        }
    })
}

/// Types every column; returns the typed frame (raw columns dropped; rows
/// with problems dropped) and the problems.
fn type_columns(
    settings: &Settings,
    spec: &TableSpec,
    raw: DataFrame,
    style: &typing::CellStyle,
    infos: &[FileInfo],
    labels: &BTreeMap<&'static str, String>,
    warnings: &mut Vec<String>,
) -> Result<(DataFrame, Vec<Problem>)> {
    // The columns some file has: those with a label.
    let present: Vec<&'static str> = labels.keys().copied().collect();
    // One pass: typed values and, per column, whether the raw cell is
    // filled; the raw strings are not copied. `__team` (quota rows that
    // are the team's) rides along.
    let has_team = raw
        .get_column_names()
        .iter()
        .any(|n| n.as_str() == "__team");
    let mut carried: Vec<Expr> = vec![col("__hash")];
    if has_team {
        carried.push(col("__team"));
    }
    let mut exprs = vec![col("__file"), col("__row")];
    exprs.extend(carried.iter().cloned());
    for c in spec.columns {
        exprs.push(typing::typed(c.name, c.kind, style, &settings.status_values).alias(c.name));
        exprs.push(
            typing::text(c.name)
                .is_not_null()
                .alias(format!("__filled_{}", c.name)),
        );
    }
    exprs.extend(
        spec.keep_raw
            .iter()
            .map(|c| typing::text(c).alias(format!("__keep_{c}"))),
    );
    // Amounts with more than two decimals are rounded to the cent: count
    // them, so that the rounding (or a misread thousands dot) is said.
    let money_cols: Vec<&str> = spec
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Money && present.contains(&c.name))
        .map(|c| c.name)
        .collect();
    exprs.extend(money_cols.iter().map(|c| {
        col(*c)
            .str()
            .contains(
                lit(if style.money.decimal == ',' {
                    r",\d{3,}\s*\)?\s*$"
                } else {
                    r"\.\d{3,}\s*\)?\s*$"
                }),
                false,
            )
            .fill_null(lit(false))
            .alias(format!("__subcent_{c}"))
    }));
    let mut flag_exprs = Vec::new();
    for c in spec.columns {
        let t = col(c.name);
        let bad = if c.required
            && present.contains(&c.name)
            && BLANK_UNLESS_WON.contains(&(spec.name, c.name))
        {
            t.is_null().and(
                col(format!("__filled_{}", c.name))
                    .or(col("status").eq(lit("won")).fill_null(lit(false))),
            )
        } else if c.required
            && present.contains(&c.name)
            && !BLANK_OK.contains(&(spec.name, c.name))
        {
            t.is_null()
        } else {
            col(format!("__filled_{}", c.name)).and(t.is_null())
        };
        flag_exprs.push(bad.alias(format!("__bad_{}", c.name)));
    }
    let df = raw
        .clone()
        .lazy()
        .select(exprs)
        .with_columns(flag_exprs)
        .collect()
        .map_err(|e| polars_context("typing columns", e))?;
    let any_bad = spec
        .columns
        .iter()
        .map(|c| col(format!("__bad_{}", c.name)))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    // The bad rows (few) with their raw values, joined back by position.
    let mut bad_cols = vec![col("__file"), col("__row")];
    bad_cols.extend(
        spec.columns
            .iter()
            .map(|c| col(format!("__bad_{}", c.name))),
    );
    let raw_cols: Vec<Expr> = [col("__file"), col("__row")]
        .into_iter()
        .chain(
            spec.columns
                .iter()
                .map(|c| col(c.name).alias(format!("__raw_{}", c.name))),
        )
        .collect();
    let flagged = df
        .clone()
        .lazy()
        .filter(any_bad.clone())
        .select(bad_cols)
        .collect()
        .map_err(|e| polars_context("finding bad rows", e))?;
    // Only when there are bad rows: fetch their raw values (a join against
    // every row is not worth it for none).
    let bad_rows = if flagged.height() == 0 {
        flagged
    } else {
        flagged
            .lazy()
            .join(
                raw.clone().lazy().select(raw_cols),
                [col("__file"), col("__row")],
                [col("__file"), col("__row")],
                JoinArgs::new(JoinType::Left),
            )
            .sort(["__file", "__row"], SortMultipleOptions::default())
            .collect()
            .map_err(|e| polars_context("finding bad rows", e))?
    };
    let mut problems = Vec::new();
    if bad_rows.height() > 0 {
        let files = bad_rows
            .column("__file")
            .and_then(|c| c.cast(&DataType::UInt32))
            .and_then(|c| c.u32().cloned())
            .map_err(|e| polars_context("reading bad rows", e))?;
        let rows = bad_rows
            .column("__row")
            .and_then(|c| c.cast(&DataType::UInt32))
            .map_err(|e| polars_context("reading bad rows", e))?;
        let rows = rows
            .u32()
            .map_err(|e| polars_context("reading bad rows", e))?;
        for i in 0..bad_rows.height() {
            let f = files.get(i).unwrap_or(0);
            let r = rows.get(i).unwrap_or(0);
            let (display, line) = match infos.get(f as usize) {
                Some(info) => (info.display.clone(), info.lines.line(r as u64)),
                None => ("?".to_string(), r as u64 + 2),
            };
            for c in spec.columns {
                // Name the export's header when it differs from atu's.
                let label = labels
                    .get(c.name)
                    .cloned()
                    .unwrap_or_else(|| c.name.to_string());
                let flag = bad_rows
                    .column(&format!("__bad_{}", c.name))
                    .ok()
                    .and_then(|s| s.bool().ok().and_then(|b| b.get(i)))
                    .unwrap_or(false);
                if !flag {
                    continue;
                }
                let value = bad_rows
                    .column(&format!("__raw_{}", c.name))
                    .ok()
                    .and_then(|s| s.str().ok().and_then(|b| b.get(i).map(|v| v.to_string())))
                    .unwrap_or_default();
                let p =
                    if value.trim().is_empty() && BLANK_UNLESS_WON.contains(&(spec.name, c.name)) {
                        Problem::row(
                            &display,
                            line,
                            &label,
                            &value,
                            "is empty on a won line",
                            "missing value",
                        )
                        .with_hint(format!(
                        "a won line needs its {} (a blank {} on an open or lost line is read as 0)",
                        c.name, c.name
                    ))
                    } else if value.trim().is_empty() {
                        Problem::row(
                            &display,
                            line,
                            &label,
                            &value,
                            "is empty but required",
                            "missing value",
                        )
                        .with_hint(format!("every row of {} needs {}", spec.name, c.name))
                    } else {
                        let (msg, reason, hint) = describe_kind(c.kind, style, spec.name, &value);
                        let p = Problem::row(&display, line, &label, &value, msg, reason);
                        match hint {
                            Some(h) => p.with_hint(h),
                            None => p,
                        }
                    };
                problems.push(p);
            }
        }
    }
    let mut keep = vec![col("__file"), col("__row")];
    keep.extend(carried);
    keep.extend(spec.columns.iter().map(|c| col(c.name)));
    keep.extend(
        spec.keep_raw
            .iter()
            .map(|c| col(format!("__keep_{c}")).alias(format!("__raw_{c}"))),
    );
    for c in &money_cols {
        let flag = format!("__subcent_{c}");
        let hits = df
            .clone()
            .lazy()
            .filter(col(flag.as_str()))
            .select([col("__file"), col("__row")])
            .collect()
            .map_err(|e| polars_context("checking decimals", e))?;
        if hits.height() > 0 {
            let at = |name: &str| {
                hits.column(name)
                    .ok()
                    .and_then(|s| s.cast(&DataType::UInt32).ok())
                    .and_then(|s| s.u32().ok().and_then(|ca| ca.get(0)))
                    .unwrap_or(0)
            };
            let (display, line) = match infos.get(at("__file") as usize) {
                Some(info) => (info.display.clone(), info.lines.line(at("__row") as u64)),
                None => ("?".to_string(), at("__row") as u64 + 2),
            };
            warnings.push(format!(
                "{display}: {} {c} value(s) have more than two decimals (first on line {line}) and are rounded to the cent; if the mark there groups thousands, set decimal_mark in atu.toml",
                hits.height()
            ));
        }
    }
    // The raw strings are no longer needed; free them before the copy.
    drop(raw);
    let lf = if problems.is_empty() {
        // Nothing to leave out: selecting columns copies nothing.
        df.lazy()
    } else {
        df.lazy().filter(any_bad.not())
    };
    let clean = lf
        .select(keep)
        .collect()
        .map_err(|e| polars_context("typing columns", e))?;
    Ok((clean, problems))
}

/// A duplicate row in words: `opportunities.csv:1201 repeats line 401`.
pub type DuplicateExample = String;

/// `file:line`, or `line N` when `file` is `same_as`: how one row points at
/// another in messages.
pub fn refer(file: &str, line: u64, same_as: &str) -> String {
    if file == same_as {
        format!("line {line}")
    } else {
        format!("{file}:{line}")
    }
}

/// What makes two rows one in [`dedup`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Same {
    /// Identical in every column of the export as written, read or not
    /// (`__hash`) and in every canonical column: revenue lines and survey
    /// responses, which count one by one (SPEC §1.3).
    WholeRow,
    /// Identical in every canonical column: records known by an id
    /// (members, accounts, contacts, quotas, KPI values), where a row that
    /// repeats another's id and every value atu reads says the same thing
    /// twice, whatever columns atu does not read hold.
    Read,
}

/// Drops duplicates (see [`Same`]), keeping the first, and returns how many
/// were dropped with up to 3 examples such as `b.csv:3 repeats a.csv:4`.
pub fn dedup(
    frame: &mut Frame,
    columns: &[&str],
    same: Same,
) -> Result<(u64, Vec<DuplicateExample>)> {
    let before = frame.df.height() as u64;
    if before == 0 {
        return Ok((0, Vec::new()));
    }
    // Other columns (raw copies) follow the first row of each group, and so
    // does the row hash where it is not a key.
    let has_hash = frame
        .df
        .get_column_names()
        .iter()
        .any(|n| n.as_str() == "__hash");
    let extra: Vec<String> = frame
        .df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .filter(|n| n.starts_with("__raw_"))
        .collect();
    let mut keys: Vec<Expr> = columns.iter().map(|c| col(*c)).collect();
    if same == Same::WholeRow && has_hash {
        keys.push(col("__hash"));
    }
    let mut aggs = vec![
        col("__file").first().alias("__file"),
        col("__row").first().alias("__row"),
        col("__file").last().alias("__file_last"),
        col("__row").last().alias("__row_last"),
        len().alias("__n"),
    ];
    aggs.extend(
        extra
            .iter()
            .map(|n| col(n.as_str()).first().alias(n.as_str())),
    );
    if has_hash && same == Same::Read {
        aggs.push(col("__hash").first().alias("__hash"));
    }
    let grouped = frame
        .df
        .clone()
        .lazy()
        .group_by(keys)
        .agg(aggs)
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .collect()
        .map_err(|e| polars_context("finding duplicate rows", e))?;
    let after = grouped.height() as u64;
    if after == before {
        return Ok((0, Vec::new()));
    }
    let examples_df = grouped
        .clone()
        .lazy()
        .filter(col("__n").gt(lit(1)))
        .limit(3)
        .collect()
        .map_err(|e| polars_context("finding duplicate rows", e))?;
    let mut examples = Vec::new();
    let get_u32 = |df: &DataFrame, name: &str, i: usize| -> u32 {
        df.column(name)
            .ok()
            .and_then(|c| c.cast(&DataType::UInt32).ok())
            .and_then(|c| c.u32().ok().and_then(|ca| ca.get(i)))
            .unwrap_or(0)
    };
    for i in 0..examples_df.height() {
        let (first_file, first) = frame.locate(
            get_u32(&examples_df, "__file", i),
            get_u32(&examples_df, "__row", i),
        );
        let (copy_file, copy) = frame.locate(
            get_u32(&examples_df, "__file_last", i),
            get_u32(&examples_df, "__row_last", i),
        );
        examples.push(format!(
            "{copy_file}:{copy} repeats {}",
            refer(&first_file, first, &copy_file)
        ));
    }
    // Columns in the loader's order: `__file`, `__row`, `__hash`, the
    // canonical ones, the raw copies.
    let mut keep = vec![col("__file"), col("__row")];
    if has_hash {
        keep.push(col("__hash"));
    }
    keep.extend(columns.iter().map(|c| col(*c)));
    keep.extend(extra.iter().map(|n| col(n.as_str())));
    frame.df = grouped
        .lazy()
        .select(keep)
        .collect()
        .map_err(|e| polars_context("dropping duplicate rows", e))?;
    let dups = before - after;
    frame.ledger.duplicates += dups;
    Ok((dups, examples))
}
