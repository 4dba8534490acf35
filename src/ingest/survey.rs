//! A first look at a folder of exports, for `atu init`: each CSV file's
//! encoding (a byte-order mark, valid UTF-8, else a guess of Windows-1252),
//! delimiter, headers and a sample of rows; which table a file holds; how
//! its headers map to canonical columns (a preset's candidates, then the
//! canonical names); and what the values say about the decimal mark, the
//! day/month order, the date formats and the status words. Nothing here is
//! a polars frame: the sample is small and read with the `csv` crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::parse;
use super::source;
use super::typing::Kind;
use crate::config::{DateOrder, LineStatus, Preset};
use crate::schema::TableSpec;

/// Rows read per file for the evidence.
const SAMPLE_ROWS: usize = 200_000;

/// How a file's encoding was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodingFound {
    /// A byte-order mark says it (no setting needed).
    Bom,
    /// Valid UTF-8 (no setting needed).
    Utf8,
    /// Not UTF-8: atu guesses (Windows-1252, or UTF-16 from NUL bytes).
    Guessed,
}

/// One CSV file of the folder.
#[derive(Clone, Debug)]
pub struct FileSurvey {
    pub path: PathBuf,
    /// File name as written in atu.toml.
    pub name: String,
    pub encoding: &'static Encoding,
    pub encoding_found: EncodingFound,
    /// Plain ASCII: reads the same in every encoding atu knows but UTF-16.
    pub ascii: bool,
    pub delimiter: u8,
    pub headers: Vec<String>,
    /// Sampled data rows (blank rows and ragged ones left out).
    pub rows: Vec<Vec<String>>,
}

impl FileSurvey {
    /// The sampled values of one header.
    pub fn values(&self, header: &str) -> impl Iterator<Item = Option<&str>> + '_ {
        let i = self.headers.iter().position(|h| h == header);
        self.rows.iter().map(move |r| {
            i.and_then(|i| r.get(i))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        })
    }
}

/// Reads a file's start: encoding, delimiter, headers and sample rows.
pub fn survey_file(path: &Path, name: &str) -> Result<FileSurvey, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: cannot be read: {e}"))?;
    let ascii = bytes.is_ascii();
    let (encoding, found) = match Encoding::for_bom(&bytes) {
        Some((e, _)) => (e, EncodingFound::Bom),
        // NUL bytes: UTF-16 without a byte-order mark (little-endian when
        // the first byte is a letter, as in `i\0d\0`).
        None if source::looks_utf16(&bytes) => (
            if bytes.first() == Some(&0) {
                UTF_16BE
            } else {
                UTF_16LE
            },
            EncodingFound::Guessed,
        ),
        None if std::str::from_utf8(&bytes).is_ok() => (UTF_8, EncodingFound::Utf8),
        None => (WINDOWS_1252, EncodingFound::Guessed),
    };
    let (text, _) = source::decode(name, bytes, Some(encoding)).map_err(|p| p.to_string())?;
    let delimiter = source::detect_delimiter(&text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_slice());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let Ok(rec) = rec else { continue };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let fields: Vec<String> = rec.iter().map(|f| f.trim().to_string()).collect();
        match &headers {
            None => headers = Some(fields),
            Some(h) if fields.len() == h.len() => {
                rows.push(fields);
                if rows.len() >= SAMPLE_ROWS {
                    break;
                }
            }
            Some(_) => {}
        }
    }
    Ok(FileSurvey {
        path: path.to_path_buf(),
        name: name.to_string(),
        encoding,
        encoding_found: found,
        ascii,
        delimiter,
        headers: headers.unwrap_or_default(),
        rows,
    })
}

/// The CSV files of a folder, surveyed, in name order; files that cannot be
/// read are returned as messages.
pub fn survey_folder(dir: &Path) -> (Vec<FileSurvey>, Vec<String>) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|it| {
            it.flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.to_lowercase().ends_with(".csv"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for n in names {
        match survey_file(&dir.join(&n), &n) {
            Ok(s) => out.push(s),
            Err(e) => problems.push(e),
        }
    }
    (out, problems)
}

/// Headers equal but for case, spaces, `-` and `_`.
pub fn same_header(a: &str, b: &str) -> bool {
    let norm = |h: &str| -> String {
        h.trim()
            .to_lowercase()
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c })
            .collect()
    };
    norm(a) == norm(b)
}

/// Where a column's mapping came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The preset's candidates.
    Preset,
    /// A header equal to the canonical name.
    Canonical,
}

/// How a file's headers map to a table's columns: (column → headers, where
/// from), plus the headers nobody uses.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    /// Every header a column takes (for a column per status, all of them).
    pub columns: BTreeMap<&'static str, (Vec<String>, Option<Source>)>,
    /// Columns whose headers depend on the line's status (a preset's
    /// per-status candidate), as atu.toml writes them.
    pub per_status: BTreeMap<&'static str, crate::config::Headers>,
    pub unused: Vec<String>,
}

impl Mapping {
    /// The headers of `column`, when mapped.
    pub fn headers(&self, column: &str) -> Option<&[String]> {
        self.columns
            .get(column)
            .map(|(h, _)| h.as_slice())
            .filter(|h| !h.is_empty())
    }
}

/// Maps a file's headers for `spec` (see the module doc).
pub fn map_file(file: &FileSurvey, spec: &TableSpec, preset: Option<&Preset>) -> Mapping {
    let visible: Vec<&String> = file
        .headers
        .iter()
        .filter(|h| !h.trim_start().starts_with("(Do Not Modify)"))
        .collect();
    let find = |want: &str| -> Option<String> {
        visible
            .iter()
            .find(|h| h.as_str() == want)
            .or_else(|| visible.iter().find(|h| same_header(h, want)))
            .map(|h| h.to_string())
    };
    let mut m = Mapping::default();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for c in spec.columns {
        let mut chosen = None;
        let free = |h: &str| find(h).filter(|x| !used.contains(x));
        if let Some(by_status) = preset
            .and_then(|p| p.by_status(spec.name, c.name))
            .and_then(|s| s.resolve(free))
        {
            chosen = Some((
                by_status.all().into_iter().cloned().collect(),
                Some(Source::Preset),
            ));
            m.per_status.insert(c.name, by_status);
        }
        if let (None, Some(p)) = (&chosen, preset) {
            for cand in p.candidates(spec.name, c.name) {
                let found: Vec<String> = cand.iter().filter_map(|h| find(h)).collect();
                if found.len() == cand.len() && found.iter().all(|h| !used.contains(h)) {
                    chosen = Some((found, Some(Source::Preset)));
                    break;
                }
            }
        }
        if chosen.is_none() {
            chosen = find(c.name)
                .filter(|h| !used.contains(h))
                .map(|h| (vec![h], Some(Source::Canonical)));
        }
        let (headers, source) = chosen.unwrap_or((Vec::new(), None));
        used.extend(headers.iter().cloned());
        m.columns.insert(c.name, (headers, source));
    }
    m.unused = visible
        .iter()
        .filter(|h| !used.contains(h.as_str()))
        .map(|h| h.to_string())
        .collect();
    m
}

/// How well a file fits a table: required columns mapped (×10) plus
/// optional ones; 0 when a required column is missing.
pub fn fit(m: &Mapping, spec: &TableSpec) -> usize {
    let mut score = 0;
    for c in spec.columns {
        let mapped = m.headers(c.name).is_some();
        let stands_in = spec
            .either
            .iter()
            .find(|(x, _)| *x == c.name)
            .is_some_and(|(_, alts)| alts.iter().any(|a| m.headers(a).is_some()));
        match (c.required, mapped) {
            (true, true) => score += 10,
            (true, false) if spec.absent_ok.contains(&c.name) || stands_in => {}
            (true, false) => return 0,
            (false, true) => score += 1,
            (false, false) => {}
        }
    }
    score
}

/// What a table's values say: the decimal mark (proven, else none), the
/// day/month order (proven, or `Err` when dates read both ways), and
/// whether slash dates are there at all; the date formats its date columns
/// need, and their values that nothing reads.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub decimal: Option<char>,
    pub decimal_mixed: bool,
    pub date_order: Option<DateOrder>,
    pub dates_ambiguous: bool,
    pub dates_mixed: bool,
    /// Common formats ([`parse::COMMON_DATE_FORMATS`]) that read the values
    /// of the date columns which the built-in forms cannot read (in any
    /// day/month order), each with the first value it reads.
    pub date_formats: Vec<(&'static str, String)>,
    /// Values of the date columns that neither the built-in forms nor a
    /// common format read: the first three (header, value), and how many
    /// distinct values there are.
    pub dates_unread: Vec<(String, String)>,
    pub dates_unread_count: usize,
}

impl Evidence {
    /// What init could not decide about the dates nothing reads, if any:
    /// their columns, the first values and how many there are.
    pub fn dates_unread_said(&self, file: &str, table: &str) -> Option<String> {
        self.dates_unread.first()?;
        let q = crate::config::toml_string;
        let mut headers: Vec<String> = Vec::new();
        for (h, _) in &self.dates_unread {
            if !headers.contains(&q(h)) {
                headers.push(q(h));
            }
        }
        let values: Vec<String> = self.dates_unread.iter().map(|(_, v)| q(v)).collect();
        let dash = self
            .dates_unread
            .iter()
            .any(|(_, v)| parse::two_digit_dash_date(v));
        Some(format!(
            "{file}: dates that no form atu knows reads in {}, such as {} ({} distinct value(s)){}: set date_formats (chrono strftime, e.g. [\"%d-%b-%Y\"]) in [tables.{table}]",
            headers.join(", "),
            values.join(", "),
            self.dates_unread_count,
            if dash {
                " (a two-digit year with \"-\" is never guessed: \"%y-%m-%d\" or \"%d-%m-%y\")"
            } else {
                ""
            }
        ))
    }
}

/// Reads the evidence of a file: the decimal mark from the mapped amount
/// columns (every column when none is mapped), the day/month order from
/// every column (only values shaped like dates count).
pub fn evidence(file: &FileSurvey, m: &Mapping, spec: &TableSpec) -> Evidence {
    let mut ev = Evidence::default();
    let mut money: Vec<&String> = spec
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Money)
        .filter_map(|c| m.headers(c.name))
        .flatten()
        .collect();
    // A table with amounts that are not mapped yet: look at every column
    // (a name such as `Contoso, Ltd.` never proves a decimal mark).
    if money.is_empty() && spec.columns.iter().any(|c| c.kind == Kind::Money) {
        money = file.headers.iter().collect();
    }
    let (mut dot, mut comma) = (false, false);
    for h in money {
        let e = parse::decimal_evidence(file.values(h));
        dot |= e.dot.is_some();
        comma |= e.comma.is_some();
    }
    let (mut any, mut dmy, mut mdy) = (false, false, false);
    for h in &file.headers {
        let e = parse::slash_date_evidence(file.values(h));
        any |= e.first.is_some();
        dmy |= e.day_first.is_some();
        mdy |= e.day_second.is_some();
    }
    ev.decimal = match (dot, comma) {
        (true, false) => Some('.'),
        (false, true) => Some(','),
        _ => None,
    };
    ev.decimal_mixed = dot && comma;
    ev.date_order = match (dmy, mdy) {
        (true, false) => Some(DateOrder::Dmy),
        (false, true) => Some(DateOrder::Mdy),
        _ => None,
    };
    ev.dates_mixed = dmy && mdy;
    ev.dates_ambiguous = any && !dmy && !mdy;
    date_formats_evidence(file, m, spec, &mut ev);
    ev
}

/// Fills the date formats of [`Evidence`]: the distinct values of the
/// mapped date columns that no built-in form reads in any day/month order
/// (the order is a question of its own), sorted by the common formats.
fn date_formats_evidence(file: &FileSurvey, m: &Mapping, spec: &TableSpec, ev: &mut Evidence) {
    let mut headers: Vec<&String> = Vec::new();
    for h in spec
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Date)
        .filter_map(|c| m.headers(c.name))
        .flatten()
    {
        if !headers.contains(&h) {
            headers.push(h);
        }
    }
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut unread: Vec<&str> = Vec::new();
    let mut header_of: BTreeMap<&str, &String> = BTreeMap::new();
    let built_in = |v: &str| {
        [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy)]
            .into_iter()
            .any(|o| parse::parse_date(v, o).is_some())
    };
    for h in headers {
        for v in file.values(h).flatten() {
            if seen.insert(v) && !built_in(v) {
                unread.push(v);
                header_of.insert(v, h);
            }
        }
    }
    let (found, left) = parse::common_formats_for(&unread);
    ev.date_formats = found.into_iter().map(|(f, v)| (f, v.to_string())).collect();
    ev.dates_unread_count = left.len();
    ev.dates_unread = left
        .iter()
        .take(3)
        .map(|v| {
            (
                header_of.get(v).map_or_else(String::new, |h| h.to_string()),
                v.to_string(),
            )
        })
        .collect();
}

/// The distinct status words of a file that `known` does not map, in
/// order of first appearance, with how often each appears.
pub fn unknown_statuses(
    file: &FileSurvey,
    headers: &[String],
    known: &BTreeMap<String, LineStatus>,
) -> Vec<(String, usize)> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for h in headers {
        for v in file.values(h).flatten() {
            if known.contains_key(&v.to_lowercase()) {
                continue;
            }
            match seen.iter_mut().find(|(w, _)| w == v) {
                Some((_, n)) => *n += 1,
                None => seen.push((v.to_string(), 1)),
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::presets;
    use crate::ingest::{MEMBERS, OPPORTUNITIES};

    fn file(headers: &[&str], rows: &[&[&str]]) -> FileSurvey {
        FileSurvey {
            path: PathBuf::from("x.csv"),
            name: "x.csv".into(),
            encoding: UTF_8,
            encoding_found: EncodingFound::Utf8,
            ascii: true,
            delimiter: b',',
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|v| v.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn dynamics_opportunities_map_through_the_preset() {
        let f = file(
            &[
                "(Do Not Modify) Opportunity",
                "Topic",
                "Owner",
                "Potential Customer",
                "Status",
                "Actual Revenue",
                "Est. revenue",
                "Actual Close Date",
                "Est. close date",
            ],
            &[&[
                "g",
                "T",
                "Ann",
                "A1",
                "Won",
                "$1,500.00 ",
                "",
                "7/13/2012 7:42",
                "7/1/2012",
            ]],
        );
        let m = map_file(&f, &OPPORTUNITIES, Some(&presets::DYNAMICS));
        assert_eq!(
            m.headers("amount").unwrap(),
            &["Actual Revenue".to_string(), "Est. revenue".to_string()]
        );
        // Amount and close date by status: a won deal's actuals, an open
        // one's estimates (Dynamics writes 0 in Actual Revenue of open deals).
        assert_eq!(
            m.per_status["amount"].to_toml(),
            "{ won = [\"Actual Revenue\", \"Est. revenue\"], lost = \"Est. revenue\", open = \"Est. revenue\" }"
        );
        assert_eq!(
            m.per_status["close_date"].to_toml(),
            "{ won = [\"Actual Close Date\", \"Est. close date\"], lost = [\"Actual Close Date\", \"Est. close date\"], open = \"Est. close date\" }"
        );
        assert_eq!(m.headers("owner_id").unwrap(), &["Owner".to_string()]);
        assert!(m.headers("opportunity_id").is_none());
        assert_eq!(m.unused, vec!["Topic".to_string()]);
        assert!(fit(&m, &OPPORTUNITIES) > 0);
        // Without the preset nothing required maps.
        let plain = map_file(&f, &OPPORTUNITIES, None);
        assert_eq!(fit(&plain, &OPPORTUNITIES), 0);
        let ev = evidence(&f, &m, &OPPORTUNITIES);
        assert_eq!(ev.decimal, Some('.'));
        assert_eq!(ev.date_order, Some(DateOrder::Mdy));
    }

    #[test]
    fn canonical_headers_fit_and_roster_of_names() {
        let f = file(&["Name", "Role"], &[&["Ann Lee", "AE"]]);
        let m = map_file(&f, &MEMBERS, None);
        assert!(fit(&m, &MEMBERS) > 0, "a roster of names fits: {m:?}");
        let f = file(&["First Name", "Last Name"], &[&["Ann", "Lee"]]);
        let m = map_file(&f, &MEMBERS, None);
        assert!(fit(&m, &MEMBERS) > 0, "{m:?}");
        let f = file(&["Nom"], &[&["Ann"]]);
        assert_eq!(fit(&map_file(&f, &MEMBERS, None), &MEMBERS), 0);
    }

    const OPP_HEADERS: [&str; 7] = [
        "opportunity_id",
        "owner_id",
        "account_id",
        "close_date",
        "status",
        "amount",
        "Description",
    ];

    /// Opportunities with these close dates (and the description `Apr 16,
    /// 2021`, which is not a date column).
    fn opps_with_dates(dates: &[&str]) -> (FileSurvey, Mapping) {
        let rows: Vec<Vec<&str>> = dates
            .iter()
            .map(|d| vec!["O1", "M1", "A1", *d, "won", "100.00", "Apr 16, 2021"])
            .collect();
        let rows: Vec<&[&str]> = rows.iter().map(|r| r.as_slice()).collect();
        let f = file(&OPP_HEADERS, &rows);
        let m = map_file(&f, &OPPORTUNITIES, None);
        (f, m)
    }

    #[test]
    fn zoho_dates_need_one_format() {
        let (f, m) = opps_with_dates(&[
            "2021-04-15",
            "16 Apr, 2021 00:03:00",
            "",
            "3 May, 2021 7:42",
            "16 Apr, 2021 00:03:00",
        ]);
        let ev = evidence(&f, &m, &OPPORTUNITIES);
        assert_eq!(
            ev.date_formats,
            vec![("%d %b, %Y", "16 Apr, 2021 00:03:00".to_string())]
        );
        assert!(ev.dates_unread.is_empty());
        assert_eq!(ev.dates_unread_count, 0);
        assert_eq!(ev.date_order, None);
        assert!(!ev.dates_ambiguous);
    }

    #[test]
    fn dates_nothing_reads_are_listed() {
        let (f, m) = opps_with_dates(&[
            "24-02-26",
            "16 Apr, 2021",
            "soon",
            "24-02-27",
            "later",
            "soon",
        ]);
        let ev = evidence(&f, &m, &OPPORTUNITIES);
        assert_eq!(
            ev.date_formats,
            vec![("%d %b, %Y", "16 Apr, 2021".to_string())]
        );
        let c = |v: &str| ("close_date".to_string(), v.to_string());
        assert_eq!(
            ev.dates_unread,
            vec![c("24-02-26"), c("soon"), c("24-02-27")]
        );
        assert_eq!(ev.dates_unread_count, 4);
        assert_eq!(
            ev.dates_unread_said("x.csv", "opportunities").as_deref(),
            Some("x.csv: dates that no form atu knows reads in \"close_date\", such as \"24-02-26\", \"soon\", \"24-02-27\" (4 distinct value(s)) (a two-digit year with \"-\" is never guessed: \"%y-%m-%d\" or \"%d-%m-%y\"): set date_formats (chrono strftime, e.g. [\"%d-%b-%Y\"]) in [tables.opportunities]")
        );
        let (f, m) = opps_with_dates(&["soon"]);
        assert_eq!(
            evidence(&f, &m, &OPPORTUNITIES).dates_unread_said("x.csv", "opportunities").as_deref(),
            Some("x.csv: dates that no form atu knows reads in \"close_date\", such as \"soon\" (1 distinct value(s)): set date_formats (chrono strftime, e.g. [\"%d-%b-%Y\"]) in [tables.opportunities]")
        );
        let (f, m) = opps_with_dates(&["2013-01-30"]);
        assert_eq!(
            evidence(&f, &m, &OPPORTUNITIES).dates_unread_said("x.csv", "opportunities"),
            None
        );
    }

    #[test]
    fn two_digit_years_prove_the_order() {
        // Slash dates with the built-in forms: no format; the order from
        // the day above 12, as with four-digit years.
        let (f, m) = opps_with_dates(&["02/03/24", "02/26/24 10:00 AM"]);
        let ev = evidence(&f, &m, &OPPORTUNITIES);
        assert_eq!(ev.date_order, Some(DateOrder::Mdy));
        assert!(ev.date_formats.is_empty() && ev.dates_unread.is_empty());
        let (f, m) = opps_with_dates(&["26.02.24"]);
        assert_eq!(
            evidence(&f, &m, &OPPORTUNITIES).date_order,
            Some(DateOrder::Dmy)
        );
        let (f, m) = opps_with_dates(&["02/03/24"]);
        assert!(evidence(&f, &m, &OPPORTUNITIES).dates_ambiguous);
    }

    #[test]
    fn statuses_not_known_are_listed() {
        let f = file(&["Stato"], &[&["Vinta"], &["won"], &["Vinta"], &["Persa"]]);
        let known = crate::config::default_status_values();
        assert_eq!(
            unknown_statuses(&f, &["Stato".to_string()], &known),
            vec![("Vinta".to_string(), 2), ("Persa".to_string(), 1)]
        );
    }
}
