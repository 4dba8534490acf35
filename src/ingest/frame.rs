//! Loading one table into a typed polars frame, stage by stage: find its
//! files (`files`), decode each and read its header (`source::open`), map
//! the export's headers (`headers`), check the records and build the text
//! columns atu reads (`source::scan`), frame them with the record index and
//! hash under canonical names (`read`), decide how cells are written
//! (`formats`), type the columns and turn every bad cell into a problem
//! with file, line, column and value (`typed`); duplicates are `dedup`'s.
//! This file holds the loaded [`Frame`], its [`Ledger`] (rows read,
//! accepted, duplicates, rejected by reason), the loop over a table's
//! files, and the readers of a text column held as text or as codes
//! (`texts`, `codes_of`).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, Result};
use polars::prelude::*;

pub use super::dedup::{dedup, dedup_said, hash_text, key_parts, refer, shared_hashes, Same};
pub use super::files::{files_found, find_files};
use super::formats::cell_style;
use super::headers::{currency_columns, filter_columns, map_headers};
use super::problems::Problem;
use super::read::{apply_filters, empty_typed, nul_fields, read_source, without_rows};
use super::source::{self, LineMap};
use super::typed::type_columns;
use crate::config::{Filter, Settings};
use crate::schema::TableSpec;

/// With `-v`: how long a stage took, the process's memory in use after it
/// and its peak so far (Linux; elsewhere the memory is left out).
pub fn stage(settings: &Settings, what: &str, since: std::time::Instant) {
    if !settings.verbose {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    let peak = match (mb("VmRSS:"), mb("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", memory {now} MB (peak {peak} MB)"),
        _ => String::new(),
    };
    eprintln!("atu: {what}: {:.2} s{peak}", since.elapsed().as_secs_f64());
}

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
    /// Canonical column → how messages name it (`Amount (amount)`).
    pub labels: BTreeMap<&'static str, String>,
}

impl Frame {
    /// How messages name a canonical column: the export's header with the
    /// canonical name, or the canonical name alone.
    pub fn label(&self, column: &str) -> String {
        self.labels
            .iter()
            .find(|(c, _)| **c == column)
            .map_or_else(|| column.to_string(), |(_, l)| l.clone())
    }

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

/// Wraps a polars error with our context; never shown alone.
pub fn polars_context(what: &str, e: PolarsError) -> anyhow::Error {
    anyhow!("internal error while {what}: {e}\nhelp: this is a bug in atu; please report it with the command line")
}

/// Loads a table; `Ok(None)` when it has no file.
/// What the files of a table gave so far.
struct Gathered {
    problems: Vec<Problem>,
    warnings: Vec<String>,
    infos: Vec<FileInfo>,
    /// One frame of text columns per file read.
    frames: Vec<DataFrame>,
    ledger: Ledger,
    /// Canonical columns present in at least one file.
    present: Vec<&'static str>,
    /// How each column is named in messages: the export's headers, then
    /// atu's name, e.g. `Actual Revenue / Est. revenue (amount)`.
    labels: BTreeMap<&'static str, String>,
    delimiters: Vec<u8>,
}

impl Gathered {
    /// Decodes, checks, maps and reads one file of the table.
    #[allow(clippy::too_many_arguments)]
    fn add_file(
        &mut self,
        settings: &Settings,
        spec: &TableSpec,
        format: &crate::config::TableFormat,
        filters: &[Filter],
        team: Option<&Filter>,
        idx: usize,
        path: &Path,
        display: &str,
    ) -> Result<()> {
        let t0 = std::time::Instant::now();
        let opened = match source::open(path, display, format) {
            Ok(o) => o,
            Err(p) => {
                self.problems.push(*p);
                return Ok(());
            }
        };
        if settings.verbose {
            eprintln!(
                "atu: {display}: {}, separated by {}{}",
                opened.encoding,
                source::delimiter_name(opened.delimiter),
                if opened.delimiter_detected {
                    " (detected)"
                } else {
                    ""
                }
            );
        }
        let mapping = map_headers(settings, spec, display, &opened.headers, opened.delimiter)?;
        for (c, h) in &mapping {
            if !h.is_empty() && !self.present.contains(c) {
                self.present.push(c);
            }
            if !h.is_empty() {
                self.labels.entry(*c).or_insert_with(|| {
                    let all: Vec<&str> = h.all().into_iter().map(String::as_str).collect();
                    if all == [*c] {
                        c.to_string()
                    } else {
                        format!("{} ({c})", all.join(" / "))
                    }
                });
            }
        }
        // IsClosed / IsWon stand for the status (see `read::read_source`).
        let flag_headers: Vec<&str> = ["is_closed", "is_won", "status"]
            .iter()
            .filter_map(|c| mapping.iter().find(|(n, h)| n == c && !h.is_empty()))
            .flat_map(|(_, h)| h.all().into_iter().map(String::as_str))
            .collect();
        if mapping
            .iter()
            .any(|(n, h)| *n == "is_closed" && !h.is_empty())
        {
            if !self.present.contains(&"status") {
                self.present.push("status");
            }
            self.labels
                .insert("status", format!("{} (status)", flag_headers.join(" / ")));
        }
        let (filter_headers, team_header) =
            filter_columns(spec, display, &opened.headers, filters, team)?;
        let currencies = currency_columns(spec, &mapping, &opened.headers);
        // Headers atu reads in this file: mapped, filtered on, or a
        // currency beside an amount; only their columns are built.
        let read: Vec<String> = mapping
            .iter()
            .flat_map(|(_, h)| h.all().into_iter().cloned())
            .chain(filter_headers.iter().map(|(_, h)| h.clone()))
            .chain(team_header.iter().map(|(_, h)| h.clone()))
            .chain(currencies.iter().filter_map(|(_, h)| h.clone()))
            .collect();
        let wanted: Vec<usize> = read
            .iter()
            .filter_map(|h| opened.headers.iter().position(|x| x == h))
            .collect();
        // Columns of few values that are read as they are (one header, no
        // filter or currency on it) are held as codes as they are read.
        let closed_flag = mapping
            .iter()
            .any(|(n, h)| *n == "is_closed" && !h.is_empty());
        let as_codes: Vec<usize> = mapping
            .iter()
            .filter(|(c, _)| spec.read_as_codes.contains(c))
            // A status decided by IsClosed / IsWon is an expression of
            // several columns (`read::read_source`): read as text.
            .filter(|(c, _)| *c != "status" || !closed_flag)
            .filter_map(|(_, h)| match h {
                crate::config::Headers::Each(v) if v.len() == 1 => Some(&v[0]),
                _ => None,
            })
            .filter(|h| read.iter().filter(|r| r == h).count() == 1)
            .filter_map(|h| opened.headers.iter().position(|x| x == h))
            .collect();
        let loaded = match source::scan(opened, &wanted, &as_codes) {
            Ok(l) => l,
            Err(p) => {
                self.problems.push(*p);
                return Ok(());
            }
        };
        self.ledger.rows_read += loaded.source.records + loaded.problems.len() as u64;
        for p in &loaded.problems {
            *self.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        }
        for (reason, n) in &loaded.ignored {
            self.ledger.rows_read += n;
            *self.ledger.ignored.entry(reason.clone()).or_default() += n;
        }
        self.warnings.extend(loaded.notes);
        self.delimiters.push(loaded.source.delimiter);
        self.problems.extend(loaded.problems);
        stage(
            settings,
            &format!("{display}: decoded, checked and its columns read"),
            t0,
        );
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
            let read: Vec<&str> = read.iter().map(String::as_str).collect();
            let nul = nul_fields(&loaded.source, &read);
            for p in &nul.problems {
                *self.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
            }
            self.problems.extend(nul.problems);
            self.warnings.extend(nul.warnings);
            df = without_rows(df, nul.rows)?;
        }
        self.frames.push(df);
        stage(settings, &format!("{display}: framed"), t0);
        self.ledger.files.push(display.to_string());
        self.infos.push(FileInfo {
            display: display.to_string(),
            lines: loaded.source.lines,
        });
        Ok(())
    }
}

pub fn load(settings: &Settings, spec: &TableSpec) -> Result<Option<LoadOutcome>> {
    let files = find_files(settings, spec)?;
    if files.is_empty() {
        return Ok(None);
    }
    let format = settings.format(spec.name);
    let filters: Vec<Filter> = settings.filters.get(spec.name).cloned().unwrap_or_default();
    // Quota rows that are the team's own quota (`[quotas] team_rows`).
    let team: Option<Filter> = if spec.name == "quotas" {
        settings.team_rows.clone()
    } else {
        None
    };
    let mut g = Gathered {
        problems: Vec::new(),
        warnings: Vec::new(),
        infos: Vec::new(),
        frames: Vec::new(),
        ledger: Ledger {
            table: spec.name.to_string(),
            ..Ledger::default()
        },
        present: Vec::new(),
        labels: BTreeMap::new(),
        delimiters: Vec::new(),
    };
    for (idx, (path, display)) in files.iter().enumerate() {
        g.add_file(
            settings,
            spec,
            &format,
            &filters,
            team.as_ref(),
            idx,
            path,
            display,
        )?;
    }
    let Gathered {
        mut problems,
        mut warnings,
        infos,
        mut frames,
        mut ledger,
        present,
        labels,
        delimiters,
    } = g;
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
                    labels,
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
    let mut raw = raw;
    if super::formats::converting(settings) {
        if let Some(c) = super::formats::line_currencies(&raw, spec)? {
            raw.with_column(c)
                .map_err(|e| polars_context("reading currencies", e))?;
        }
    }
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
        labels,
    };
    Ok(Some(LoadOutcome {
        frame,
        problems,
        warnings,
    }))
}

/// The values of a text column, String or categorical (ingest holds the
/// lines' columns of few values as codes:
/// `opportunities::hold_as_codes`, `code_accounts`).
pub fn texts<'a>(
    df: &'a DataFrame,
    name: &str,
) -> Result<Box<dyn Iterator<Item = Option<&'a str>> + 'a>> {
    let c = df
        .column(name)
        .map_err(|e| polars_context(&format!("reading column {name}"), e))?;
    column_texts(c)
}

/// The values of a text column, String or categorical.
pub fn column_texts(c: &Column) -> Result<Box<dyn Iterator<Item = Option<&str>> + '_>> {
    let name = c.name();
    Ok(match c.dtype() {
        DataType::Categorical(_, _) => Box::new(
            c.cat32()
                .map_err(|e| polars_context(&format!("reading column {name}"), e))?
                .iter_str(),
        ),
        _ => Box::new(
            c.str()
                .map_err(|e| polars_context(&format!("reading column {name}"), e))?
                .iter(),
        ),
    })
}

/// A text column as codes: each row's code (null where the value is) and
/// the dictionary of the codes' values (`cat_to_str`; codes below
/// `num_cats_upper_bound`, a dictionary polars may share between columns).
/// The lines' columns of few values are held as codes already (nothing is
/// copied); another text column is coded here.
pub fn codes_of(
    df: &DataFrame,
    name: &str,
) -> Result<(UInt32Chunked, std::sync::Arc<CategoricalMapping>)> {
    let err = |e| polars_context(&format!("reading column {name}"), e);
    let c = df.column(name).map_err(err)?;
    let c = match c.dtype() {
        DataType::Categorical(_, _) => c.clone(),
        _ => c
            .cast(&DataType::from_categories(Categories::random(
                "atu".into(),
                CategoricalPhysical::U32,
            )))
            .map_err(err)?,
    };
    let cat = c.cat32().map_err(err)?;
    Ok((cat.physical().clone(), cat.get_mapping().clone()))
}
