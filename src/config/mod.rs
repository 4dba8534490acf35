//! Configuration: the `atu.toml` model (unknown keys rejected) and the
//! resolved [`Settings`] that the rest of the program uses — the second layer
//! of arguments after the raw command-line flags. Defaults live here.

pub mod nsat;
pub mod presets;
pub mod scope;
pub mod targets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::{Calendar, FiscalYear, NamedBy, PeriodLength};
pub use presets::Preset;
pub use scope::Scope;
pub use targets::{Targets, Thresholds};

/// The day/month order of slash dates such as `03/04/2013`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// `30/01/2013`
    Dmy,
    /// `1/30/2013`
    Mdy,
    /// `2013/01/30`
    Ymd,
}

impl DateOrder {
    /// How the order is written in messages.
    pub fn describe(&self) -> &'static str {
        match self {
            DateOrder::Dmy => "day/month/year",
            DateOrder::Mdy => "month/day/year",
            DateOrder::Ymd => "year/month/day",
        }
    }
}

/// `atu.toml` as written by the user.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// First month of the fiscal year (1–12, default 7).
    pub fiscal_year_start_month: Option<u32>,
    /// `"end"` (default) or `"start"`.
    pub fiscal_year_named_by: Option<String>,
    /// The team's name in team rows (default `Team`).
    pub team_name: Option<String>,
    /// `"salesforce"` or `"dynamics"`: the CRM's usual headers and words.
    pub preset: Option<String>,
    /// `"dmy"`, `"mdy"` or `"ymd"` for slash dates.
    pub date_order: Option<String>,
    /// Text encoding of every file without a byte-order mark.
    pub encoding: Option<String>,
    /// Field delimiter of every file (default: detected).
    pub delimiter: Option<String>,
    /// Decimal mark of amounts (default: detected).
    pub decimal_mark: Option<String>,
    /// Extra date formats (strftime) of every table.
    pub date_formats: Option<Vec<String>>,
    /// Table name → its own format settings.
    #[serde(default)]
    pub tables: BTreeMap<String, FormatSection>,
    /// Table name → a path or a glob, relative to the dataset folder.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Table name → (canonical column → the export's header, or a list of
    /// headers of which each row uses the first filled).
    #[serde(default)]
    pub columns: BTreeMap<String, BTreeMap<String, HeaderSpec>>,
    /// Table name → row filters (a row is used when all hold).
    #[serde(default)]
    pub filters: BTreeMap<String, Vec<FilterSpec>>,
    /// Value mappings.
    #[serde(default)]
    pub values: ValuesSection,
    /// Quota settings.
    #[serde(default)]
    pub quotas: QuotasSection,
    /// KPI commitments.
    #[serde(default)]
    pub targets: Option<toml::Table>,
    /// Status thresholds.
    #[serde(default)]
    pub status: StatusSection,
    /// Penetration catalog and breadth threshold.
    #[serde(default)]
    pub penetration: PenetrationSection,
    /// NSAT answer scale and low-sample threshold.
    #[serde(default)]
    pub nsat: nsat::NsatSection,
    /// The reporting currency and conversion rates (SPEC §3.6a).
    #[serde(default)]
    pub currency: CurrencySection,
}

/// `[currency]`: `report = "USD"` and `rates = { EUR = 0.9, MXN = 20 }`
/// (units of each currency per one unit of the reporting currency, as
/// Salesforce's CurrencyType.ConversionRate).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrencySection {
    pub report: Option<String>,
    #[serde(default)]
    pub rates: BTreeMap<String, toml::Value>,
}

/// The currency settings as resolved: the reporting currency (`--currency`
/// over `[currency] report`) and the configured rates, exact.
#[derive(Clone, Debug, Default)]
pub struct CurrencySettings {
    pub report: Option<String>,
    /// ISO code (upper case) → units per one unit of the reporting currency.
    pub rates: BTreeMap<String, crate::num::Rational>,
}

/// An ISO currency code as atu compares them: trimmed, upper case.
pub fn currency_code(s: &str) -> String {
    s.trim().to_uppercase()
}

impl CurrencySettings {
    fn resolve(
        section: &CurrencySection,
        flag: Option<&str>,
        cfg_name: &str,
    ) -> Result<CurrencySettings> {
        let code_ok = |c: &str| c.len() == 3 && c.chars().all(|x| x.is_ascii_alphabetic());
        let report = flag.or(section.report.as_deref()).map(currency_code);
        if let Some(r) = &report {
            if !code_ok(r) {
                bail!("{cfg_name}: the reporting currency \"{r}\" is not an ISO code of three letters\nhelp: set [currency] report (or --currency) to a code such as \"USD\" or \"EUR\"");
            }
        }
        let mut rates = BTreeMap::new();
        for (code, v) in &section.rates {
            let c = currency_code(code);
            let text = match v {
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::String(s) => s.trim().to_string(),
                _ => String::new(),
            };
            let rate = crate::num::Rational::parse_decimal(&text)
                .filter(|r| !r.is_negative() && !r.is_zero());
            match rate {
                Some(r) if code_ok(&c) => {
                    rates.insert(c, r);
                }
                _ => bail!("{cfg_name}: [currency] rates {code} = {v} is not a rate (a number above 0 for an ISO code)\nhelp: write the units of {code} per one unit of the reporting currency, e.g. rates = {{ EUR = 0.92, MXN = 18.2 }}"),
            }
        }
        Ok(CurrencySettings { report, rates })
    }
}

/// How a table's files are written; every key may be left out.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatSection {
    /// Text encoding when the file has no byte-order mark, e.g.
    /// `"windows-1252"`, `"latin1"`, `"utf-16"` (default UTF-8).
    pub encoding: Option<String>,
    /// `","`, `";"`, `"\t"` or `"|"` (default: detected).
    pub delimiter: Option<String>,
    /// `"."` or `","` (default: detected from the amounts).
    pub decimal_mark: Option<String>,
    /// `"dmy"`, `"mdy"` or `"ymd"` for slash dates.
    pub date_order: Option<String>,
    /// Extra date formats (chrono's strftime), tried before the built-in ones.
    pub date_formats: Option<Vec<String>>,
}

/// A column mapping: one header, several of which each row uses the first
/// that is filled, or per line status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderSpec {
    One(String),
    Many(Vec<String>),
    /// Per status: `{ won = "Actual Revenue", lost = "Est. revenue", open =
    /// "Est. revenue" }` (each a header or a list, the first filled).
    ByStatus(StatusHeaderSpec),
}

/// The headers of a column for each line status, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusHeaderSpec {
    pub won: Option<OneOrMany>,
    pub lost: Option<OneOrMany>,
    pub open: Option<OneOrMany>,
}

/// A header or a list of headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn from_value(v: toml::Value) -> std::result::Result<OneOrMany, String> {
        match v {
            toml::Value::String(s) => Ok(OneOrMany::One(s)),
            toml::Value::Array(a) => a
                .into_iter()
                .map(|x| match x {
                    toml::Value::String(s) => Ok(s),
                    other => Err(format!("a header is a string, not {}", other.type_str())),
                })
                .collect::<std::result::Result<Vec<_>, _>>()
                .map(OneOrMany::Many),
            other => Err(format!(
                "expected a header or a list of headers, not {}",
                other.type_str()
            )),
        }
    }
}

impl<'de> Deserialize<'de> for HeaderSpec {
    /// `"Header"`, `["A", "B"]` or `{ won = …, lost = …, open = … }`, with
    /// a message that says which forms there are.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error;
        let v = toml::Value::deserialize(d)?;
        match v {
            toml::Value::Table(t) => {
                let mut s = StatusHeaderSpec::default();
                for (k, v) in t {
                    let h = OneOrMany::from_value(v).map_err(D::Error::custom)?;
                    match k.as_str() {
                        "won" => s.won = Some(h),
                        "lost" => s.lost = Some(h),
                        "open" => s.open = Some(h),
                        other => {
                            return Err(D::Error::custom(format!(
                                "unknown status `{other}`: a column per status names won, lost and open"
                            )))
                        }
                    }
                }
                Ok(HeaderSpec::ByStatus(s))
            }
            v => match OneOrMany::from_value(v) {
                Ok(OneOrMany::One(h)) => Ok(HeaderSpec::One(h)),
                Ok(OneOrMany::Many(h)) => Ok(HeaderSpec::Many(h)),
                Err(e) => Err(D::Error::custom(format!(
                    "{e}; a column is \"Header\", [\"A\", \"B\"] (the first filled) or {{ won = …, lost = …, open = … }}"
                ))),
            },
        }
    }
}

impl OneOrMany {
    fn headers(&self) -> Vec<String> {
        match self {
            OneOrMany::One(h) => vec![h.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// Where a canonical column's value comes from in an export: resolved from
/// `[columns.<table>]` or a preset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Headers {
    /// Per row, the first of these headers that is filled.
    Each(Vec<String>),
    /// Per row, by its status (opportunities only): Dynamics keeps a won
    /// deal's revenue in `Actual Revenue` and writes `0` there for open and
    /// lost deals, whose revenue is in `Est. revenue`.
    ByStatus {
        won: Vec<String>,
        lost: Vec<String>,
        open: Vec<String>,
    },
}

impl Headers {
    /// Every header named, each once, in order (won's, lost's, open's).
    pub fn all(&self) -> Vec<&String> {
        let mut out: Vec<&String> = Vec::new();
        let lists: Vec<&Vec<String>> = match self {
            Headers::Each(v) => vec![v],
            Headers::ByStatus { won, lost, open } => vec![won, lost, open],
        };
        for h in lists.into_iter().flatten() {
            if !out.contains(&h) {
                out.push(h);
            }
        }
        out
    }

    /// True when no header is named (the column is absent).
    pub fn is_empty(&self) -> bool {
        self.all().is_empty()
    }

    /// The mapping as atu.toml writes it: `"A"`, `["A", "B"]` or `{ won =
    /// …, lost = …, open = … }`.
    pub fn to_toml(&self) -> String {
        let list = |v: &[String]| match v {
            [one] => toml_string(one),
            _ => format!(
                "[{}]",
                v.iter()
                    .map(|h| toml_string(h))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        match self {
            Headers::Each(v) => list(v),
            Headers::ByStatus { won, lost, open } => format!(
                "{{ won = {}, lost = {}, open = {} }}",
                list(won),
                list(lost),
                list(open)
            ),
        }
    }
}

/// A TOML basic string on one line (quotes, backslashes and control
/// characters escaped), so that it is valid in a value and in a comment.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl HeaderSpec {
    /// The resolved mapping of `[columns.<table>] <column>`; `Err` names
    /// what is wrong with a per-status one.
    fn resolve(&self, table: &str, column: &str) -> std::result::Result<Headers, String> {
        match self {
            HeaderSpec::One(h) => Ok(Headers::Each(vec![h.clone()])),
            HeaderSpec::Many(v) => Ok(Headers::Each(v.clone())),
            HeaderSpec::ByStatus(s) => {
                if table != "opportunities" || column == "status" {
                    return Err(format!("[columns.{table}] {column} is given per status, which only opportunity columns other than status can be"));
                }
                let missing: Vec<&str> = [("won", &s.won), ("lost", &s.lost), ("open", &s.open)]
                    .iter()
                    .filter(|(_, v)| v.is_none())
                    .map(|(n, _)| *n)
                    .collect();
                if !missing.is_empty() {
                    return Err(format!(
                        "[columns.{table}] {column} is given per status but lacks {}",
                        missing.join(" and ")
                    ));
                }
                let get =
                    |v: &Option<OneOrMany>| v.as_ref().map(OneOrMany::headers).unwrap_or_default();
                Ok(Headers::ByStatus {
                    won: get(&s.won),
                    lost: get(&s.lost),
                    open: get(&s.open),
                })
            }
        }
    }
}

/// `[[filters.<table>]]` as written: an export header and one condition.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterSpec {
    /// The export's header (it need not be a canonical column).
    pub column: String,
    /// Keep rows where the column is filled (`true`) or blank (`false`).
    pub filled: Option<bool>,
    /// Keep rows whose value is this (case and surrounding spaces ignored).
    pub equals: Option<String>,
    /// Keep rows whose value is one of these.
    pub one_of: Option<Vec<String>>,
    /// Keep rows whose value is none of these (blank is kept).
    pub not_one_of: Option<Vec<String>>,
}

/// A resolved row filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// The export header.
    pub column: String,
    pub condition: Condition,
}

/// What a [`Filter`] keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Filled(bool),
    /// Lower-cased, trimmed values.
    OneOf(Vec<String>),
    NotOneOf(Vec<String>),
}

impl Filter {
    /// What a row that fails the filter has, in words: `"Parent Goal" is blank`.
    pub fn describe_failing(&self) -> String {
        let list = |v: &[String]| {
            v.iter()
                .map(|x| format!("\"{x}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.condition {
            Condition::Filled(true) => format!("\"{}\" is blank", self.column),
            Condition::Filled(false) => format!("\"{}\" is filled", self.column),
            Condition::OneOf(v) if v.len() == 1 => {
                format!("\"{}\" is not {}", self.column, list(v))
            }
            Condition::OneOf(v) => format!("\"{}\" is none of {}", self.column, list(v)),
            Condition::NotOneOf(v) => format!("\"{}\" is one of {}", self.column, list(v)),
        }
    }

    /// The filter in words, as in the ledger: `Parent Goal is filled`.
    pub fn describe(&self) -> String {
        let list = |v: &[String]| {
            v.iter()
                .map(|x| format!("\"{x}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.condition {
            Condition::Filled(true) => format!("\"{}\" is filled", self.column),
            Condition::Filled(false) => format!("\"{}\" is blank", self.column),
            Condition::OneOf(v) if v.len() == 1 => format!("\"{}\" is {}", self.column, list(v)),
            Condition::OneOf(v) => format!("\"{}\" is one of {}", self.column, list(v)),
            Condition::NotOneOf(v) => format!("\"{}\" is none of {}", self.column, list(v)),
        }
    }
}

/// A table's resolved format: what to use when reading its files.
#[derive(Clone, Debug, Default)]
pub struct TableFormat {
    /// `None`: UTF-8 unless a byte-order mark says otherwise.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// `None`: detected.
    pub delimiter: Option<u8>,
    /// `None`: detected.
    pub decimal: Option<char>,
    pub date_order: Option<DateOrder>,
    pub date_formats: Vec<String>,
}

/// `[values]`: how an export's words map to atu's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValuesSection {
    /// Export status → `won`, `lost` or `open`.
    #[serde(default)]
    pub status: BTreeMap<String, String>,
    /// Export forecast category → `pipeline`, `best_case`, `commit`,
    /// `omitted` or `closed` (SPEC §3.6b).
    #[serde(default)]
    pub forecast_category: BTreeMap<String, String>,
}

/// A forecast category (SPEC §3.6b): where an open line stands in the
/// forecast. `Closed` is a closed line's (won or lost: not forecast).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ForecastCategory {
    Pipeline,
    BestCase,
    Commit,
    Omitted,
    Closed,
}

impl ForecastCategory {
    /// The canonical word.
    pub fn as_str(&self) -> &'static str {
        match self {
            ForecastCategory::Pipeline => "pipeline",
            ForecastCategory::BestCase => "best_case",
            ForecastCategory::Commit => "commit",
            ForecastCategory::Omitted => "omitted",
            ForecastCategory::Closed => "closed",
        }
    }

    /// Every category, in the forecast's order.
    pub const ALL: [ForecastCategory; 5] = [
        ForecastCategory::Pipeline,
        ForecastCategory::BestCase,
        ForecastCategory::Commit,
        ForecastCategory::Omitted,
        ForecastCategory::Closed,
    ];

    fn parse(s: &str) -> Option<ForecastCategory> {
        ForecastCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim().to_ascii_lowercase().replace(' ', "_"))
    }
}

/// The forecast words atu knows without a config: the canonical ones and
/// Salesforce's (`ForecastCategoryName` and the API's `BestCase`,
/// `Forecast`) and Dynamics' (`Committed`, `Won`, `Lost`).
pub fn default_forecast_values() -> BTreeMap<String, ForecastCategory> {
    use ForecastCategory::*;
    let mut m = BTreeMap::new();
    for (w, c) in [
        ("pipeline", Pipeline),
        // Zoho's Forecast Type says Open, Won or Lost.
        ("open", Pipeline),
        ("best_case", BestCase),
        ("best case", BestCase),
        ("bestcase", BestCase),
        ("upside", BestCase),
        ("commit", Commit),
        ("committed", Commit),
        ("forecast", Commit),
        ("omitted", Omitted),
        ("omit", Omitted),
        ("closed", Closed),
        ("won", Closed),
        ("lost", Closed),
    ] {
        m.insert(w.to_string(), c);
    }
    m
}

/// `[quotas]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotasSection {
    /// Length of a quota row that carries only `start_date`:
    /// `"month"`, `"quarter"` or `"year"`.
    pub period: Option<String>,
    /// The rows that are the team's own quota (a goal export's parent
    /// goals), by the same condition as a row filter.
    pub team_rows: Option<FilterSpec>,
}

/// `[penetration]` (SPEC §3.3).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenetrationSection {
    /// The product catalog (default: every product on the lines).
    pub products: Option<Vec<String>>,
    /// Products an account must own to count as broad (default 3).
    pub broad_min: Option<i64>,
}

/// `[status]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusSection {
    pub green_at: Option<f64>,
    pub yellow_at: Option<f64>,
}

/// An opportunity line's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineStatus {
    Won,
    Lost,
    Open,
}

impl LineStatus {
    /// The canonical word.
    pub fn as_str(&self) -> &'static str {
        match self {
            LineStatus::Won => "won",
            LineStatus::Lost => "lost",
            LineStatus::Open => "open",
        }
    }

    fn parse(s: &str) -> Option<LineStatus> {
        match s.trim().to_ascii_lowercase().as_str() {
            "won" => Some(LineStatus::Won),
            "lost" => Some(LineStatus::Lost),
            "open" => Some(LineStatus::Open),
            _ => None,
        }
    }
}

/// Run-time settings resolved from flags, environment and `atu.toml`.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The dataset folder.
    pub data_dir: PathBuf,
    /// The fiscal calendar.
    pub calendar: Calendar,
    /// The fiscal year reported.
    pub fy: FiscalYear,
    /// `--as-of` (default today).
    pub as_of: NaiveDate,
    /// D = min(as-of, last day of the year).
    pub cutoff: NaiveDate,
    /// `team_name` in atu.toml, when set (see `metrics::Context::new` for
    /// the name of team rows without it).
    pub team_name: Option<String>,
    /// The preset, when one is set.
    pub preset: Option<&'static Preset>,
    /// Each table's format (every table of `crate::schema::TABLES` has one).
    pub formats: BTreeMap<String, TableFormat>,
    /// Table → path or glob (relative to `data_dir` unless absolute).
    pub files: BTreeMap<String, String>,
    /// Table → canonical column → export headers (the first filled per row,
    /// or per status).
    pub columns: BTreeMap<String, BTreeMap<String, Headers>>,
    /// Table → row filters.
    pub filters: BTreeMap<String, Vec<Filter>>,
    /// `[quotas] team_rows`: quota rows that are the team's quota.
    pub team_rows: Option<Filter>,
    /// Lower-cased export status → canonical status.
    pub status_values: BTreeMap<String, LineStatus>,
    /// Lower-cased export forecast category → canonical category.
    pub forecast_values: BTreeMap<String, ForecastCategory>,
    /// Length of start-dated quota rows.
    pub quota_period: Option<PeriodLength>,
    /// KPI targets.
    pub targets: Targets,
    /// Status thresholds.
    pub thresholds: Thresholds,
    /// `[penetration] products`: the catalog (trimmed, distinct case
    /// aside); `None`: every product on the lines.
    pub products: Option<Vec<String>>,
    /// `[penetration] broad_min` (≥ 1, default 3).
    pub broad_min: u32,
    /// `[nsat]`: the answer scale and `min_responses`.
    pub nsat: nsat::NsatScale,
    /// `[currency]` and `--currency`.
    pub currency: CurrencySettings,
    /// Member filter.
    pub scope: Scope,
    /// `--skip-invalid`.
    pub skip_invalid: bool,
    /// `--rejects FILE`.
    pub rejects: Option<PathBuf>,
    /// Where atu.toml was read from, if anywhere.
    pub config_path: Option<PathBuf>,
    /// `-v`: stage timings and peak memory on stderr.
    pub verbose: bool,
}

/// The canonical columns each table knows, for validating `[columns.*]`
/// (the declarations of `crate::schema`; none for an unknown table).
pub fn known_columns(table: &str) -> Vec<&'static str> {
    crate::schema::columns(table)
}

/// The status words atu understands without configuration
/// (case-insensitive): SPEC §1.2's usual CRM values.
pub fn default_status_values() -> BTreeMap<String, LineStatus> {
    let mut m = BTreeMap::new();
    for w in ["won", "closed won", "closed - won", "closed-won"] {
        m.insert(w.to_string(), LineStatus::Won);
    }
    for w in ["lost", "closed lost", "closed - lost", "closed-lost"] {
        m.insert(w.to_string(), LineStatus::Lost);
    }
    for w in [
        "open",
        "prospecting",
        "engaging",
        "qualification",
        "qualify",
        "develop",
        "propose",
        "negotiation",
    ] {
        m.insert(w.to_string(), LineStatus::Open);
    }
    m
}

/// The raw inputs of [`Settings::resolve`]: what the command line said.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub data: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub fy: Option<String>,
    pub as_of: Option<String>,
    pub scope: Scope,
    pub skip_invalid: bool,
    pub rejects: Option<PathBuf>,
    /// `--encoding`: every file's encoding (over atu.toml).
    pub encoding: Option<String>,
    /// `--currency`: the reporting currency (over atu.toml).
    pub currency: Option<String>,
    /// Today, injectable for tests.
    pub today: Option<NaiveDate>,
    /// `-v`.
    pub verbose: bool,
}

/// The keys of atu.toml outside any section (written after a `[section]`
/// header, TOML puts them in that section).
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "fiscal_year_start_month",
    "fiscal_year_named_by",
    "team_name",
    "preset",
    "date_order",
    "encoding",
    "delimiter",
    "decimal_mark",
    "date_formats",
];

/// Reads and checks an `atu.toml`.
pub fn read_file_config(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config {}", path.display()))?;
    let cfg: FileConfig = toml::from_str(&text).map_err(|e| {
        let msg = e.to_string();
        // A top-level key written after a [section] belongs to that section.
        let misplaced = TOP_LEVEL_KEYS
            .iter()
            .find(|k| msg.contains(&format!("unknown field `{k}`")));
        let hint = match misplaced {
            Some(k) => {
                format!("{k} is a top-level key: move it above the first [section] of the file")
            }
            None => "the README's atu.toml section lists every key".to_string(),
        };
        anyhow!("{}: {}\nhelp: {hint}", path.display(), msg.trim_end())
    })?;
    for table in cfg
        .files
        .keys()
        .chain(cfg.columns.keys())
        .chain(cfg.tables.keys())
        .chain(cfg.filters.keys())
    {
        if known_columns(table).is_empty() {
            bail!(
                "{}: unknown table \"{table}\"\nhelp: tables are {}",
                path.display(),
                crate::schema::TABLES
                    .iter()
                    .map(|t| t.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    for (table, map) in &cfg.columns {
        let known = known_columns(table);
        for canonical in map.keys() {
            if !known.contains(&canonical.as_str()) {
                bail!(
                    "{}: [columns.{table}] has unknown column \"{canonical}\"\nhelp: the columns of {table} are {}",
                    path.display(),
                    known.join(", ")
                );
            }
        }
    }
    Ok(cfg)
}

impl Settings {
    /// Resolves flags, `$ATU_DATA` and `atu.toml` into settings.
    pub fn resolve(o: &Overrides) -> Result<Settings> {
        let data_dir = match &o.data {
            Some(d) => d.clone(),
            None => match std::env::var_os("ATU_DATA") {
                Some(d) if !d.is_empty() => PathBuf::from(d),
                _ => PathBuf::from("."),
            },
        };
        if !data_dir.is_dir() {
            bail!(
                "data folder {} does not exist\nhelp: pass --data DIR or set ATU_DATA to the folder that holds the CSV exports",
                data_dir.display()
            );
        }
        let config_path = match &o.config {
            Some(p) => {
                if !p.is_file() {
                    bail!(
                        "config file {} does not exist\nhelp: check the path given to --config",
                        p.display()
                    );
                }
                Some(p.clone())
            }
            None => {
                let p = data_dir.join("atu.toml");
                p.is_file().then_some(p)
            }
        };
        let cfg = match &config_path {
            Some(p) => read_file_config(p)?,
            None => FileConfig::default(),
        };
        let cfg_name = config_path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "atu.toml".to_string());

        let named_by = match cfg.fiscal_year_named_by.as_deref().map(str::trim) {
            None | Some("end") => NamedBy::End,
            Some("start") => NamedBy::Start,
            Some(other) => bail!(
                "{cfg_name}: fiscal_year_named_by \"{other}\" is neither \"end\" nor \"start\"\nhelp: set fiscal_year_named_by = \"end\" (FY2013 ends in 2013) or \"start\""
            ),
        };
        let calendar = Calendar::new(cfg.fiscal_year_start_month.unwrap_or(7), named_by)
            .map_err(|e| anyhow!("{cfg_name}: {e}"))?;
        let as_of = match &o.as_of {
            Some(s) => {
                crate::calendar::parse_as_of(s).map_err(|e| crate::UsageError(e.to_string()))?
            }
            None => o.today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        };
        let fy = match &o.fy {
            Some(s) => calendar.year(
                crate::calendar::parse_fy(s).map_err(|e| crate::UsageError(e.to_string()))?,
            )?,
            None => calendar.year_of(as_of)?,
        };
        if as_of < fy.start {
            bail!(
                "--as-of {as_of} is before {} starts ({})\nhelp: pass an --as-of inside or after the fiscal year, or another --fy",
                fy.label(),
                fy.start
            );
        }
        let cutoff = fy.cutoff(as_of);

        let preset = match cfg.preset.as_deref() {
            None => None,
            Some(name) => Some(presets::find(name).ok_or_else(|| {
                anyhow!(
                    "{cfg_name}: preset \"{name}\" is not one atu knows\nhelp: presets are {}",
                    presets::PRESETS
                        .iter()
                        .map(|p| format!("\"{}\"", p.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?),
        };
        let dataset_section = FormatSection {
            encoding: cfg.encoding.clone(),
            delimiter: cfg.delimiter.clone(),
            decimal_mark: cfg.decimal_mark.clone(),
            date_order: cfg.date_order.clone(),
            date_formats: cfg.date_formats.clone(),
        };
        let dataset_format =
            resolve_format(&dataset_section, &TableFormat::default(), &cfg_name, "")?;
        let cli_encoding = match o.encoding.as_deref() {
            None => None,
            Some(label) => Some(encoding_from_label(label).ok_or_else(|| {
                crate::UsageError(format!(
                    "--encoding {label} is not an encoding atu knows\nhelp: use e.g. --encoding windows-1252, latin1, utf-16 or utf-8"
                ))
            })?),
        };
        let mut formats = BTreeMap::new();
        for table in crate::schema::TABLES.iter().map(|t| t.name) {
            let mut f = match cfg.tables.get(table) {
                Some(t) => {
                    resolve_format(t, &dataset_format, &cfg_name, &format!("[tables.{table}] "))?
                }
                None => dataset_format.clone(),
            };
            if cli_encoding.is_some() {
                f.encoding = cli_encoding;
            }
            formats.insert(table.to_string(), f);
        }

        let mut filters = BTreeMap::new();
        for (table, specs) in &cfg.filters {
            let mut v = Vec::new();
            for spec in specs {
                v.push(resolve_filter(spec, table, &cfg_name)?);
            }
            filters.insert(table.clone(), v);
        }
        let team_rows = match &cfg.quotas.team_rows {
            Some(spec) => Some(resolve_filter(spec, "quotas", &cfg_name).map_err(|e| {
                anyhow!(
                    "{}",
                    e.to_string()
                        .replace("a [[filters.quotas]] entry", "[quotas] team_rows")
                )
            })?),
            None => None,
        };
        let mut columns: BTreeMap<String, BTreeMap<String, Headers>> = BTreeMap::new();
        for (table, m) in &cfg.columns {
            for (c, spec) in m {
                let h = spec.resolve(table, c).map_err(|e| {
                    anyhow!("{cfg_name}: {e}\nhelp: write e.g. amount = {{ won = \"Actual Revenue\", lost = \"Est. revenue\", open = \"Est. revenue\" }} (each a header or a list, the first filled)")
                })?;
                let lists: Vec<Vec<String>> = match &h {
                    Headers::Each(v) => vec![v.clone()],
                    Headers::ByStatus { won, lost, open } => {
                        vec![won.clone(), lost.clone(), open.clone()]
                    }
                };
                if lists
                    .iter()
                    .any(|v| v.is_empty() || v.iter().any(|x| x.trim().is_empty()))
                {
                    bail!("{cfg_name}: [columns.{table}] {c} names an empty header\nhelp: write the export's header, e.g. {c} = \"Header\", or a list [\"A\", \"B\"]");
                }
                columns
                    .entry(table.clone())
                    .or_default()
                    .insert(c.clone(), h);
            }
        }

        let mut status_values = default_status_values();
        if let Some(p) = preset {
            for (w, st) in p.statuses {
                status_values.insert(w.to_string(), *st);
            }
        }
        for (word, canon) in &cfg.values.status {
            let Some(st) = LineStatus::parse(canon) else {
                bail!("{cfg_name}: [values.status] maps \"{word}\" to \"{canon}\", which is not won, lost or open\nhelp: write e.g. \"Closed Won\" = \"won\"");
            };
            status_values.insert(word.trim().to_lowercase(), st);
        }

        let mut forecast_values = default_forecast_values();
        for (word, canon) in &cfg.values.forecast_category {
            let Some(c) = ForecastCategory::parse(canon) else {
                bail!("{cfg_name}: [values.forecast_category] maps \"{word}\" to \"{canon}\", which is not pipeline, best_case, commit, omitted or closed\nhelp: write e.g. \"Upside\" = \"best_case\"");
            };
            forecast_values.insert(word.trim().to_lowercase(), c);
        }

        let quota_period = match cfg.quotas.period.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
            None => None,
            Some(s) => Some(match s.as_str() {
                "month" => PeriodLength::Month,
                "quarter" => PeriodLength::Quarter,
                "year" => PeriodLength::Year,
                _ => bail!("{cfg_name}: [quotas] period \"{s}\" is not \"month\", \"quarter\" or \"year\"\nhelp: set [quotas] period to the length of your CRM's forecast period"),
            }),
        };

        let targets = Targets::from_toml(cfg.targets.as_ref(), &cfg_name)?;
        let thresholds = Thresholds::new(cfg.status.green_at, cfg.status.yellow_at, &cfg_name)?;
        let (products, broad_min) = resolve_penetration(&cfg.penetration, &cfg_name)?;
        let nsat = nsat::NsatScale::resolve(&cfg.nsat, &cfg_name)?;
        let currency = CurrencySettings::resolve(&cfg.currency, o.currency.as_deref(), &cfg_name)?;

        Ok(Settings {
            data_dir,
            calendar,
            fy,
            as_of,
            cutoff,
            team_name: cfg
                .team_name
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            preset,
            formats,
            files: cfg.files,
            columns,
            filters,
            team_rows,
            status_values,
            forecast_values,
            quota_period,
            targets,
            thresholds,
            products,
            broad_min,
            nsat,
            currency,
            scope: o.scope.clone(),
            skip_invalid: o.skip_invalid,
            rejects: o.rejects.clone(),
            config_path,
            verbose: o.verbose,
        })
    }
}

/// An encoding by its label (WHATWG labels: `windows-1252`, `latin1`,
/// `utf-16`, `utf-16be`, `iso-8859-15`, …).
pub fn encoding_from_label(label: &str) -> Option<&'static encoding_rs::Encoding> {
    let l = label.trim().to_ascii_lowercase();
    let l = match l.as_str() {
        "cp1252" | "win1252" | "ansi" => "windows-1252",
        "utf16" | "utf-16le" | "ucs-2" => "utf-16le",
        "utf16be" => "utf-16be",
        "utf8" => "utf-8",
        other => other,
    };
    encoding_rs::Encoding::for_label(l.as_bytes())
}

fn parse_date_order(s: &str) -> Option<DateOrder> {
    match s.trim().to_ascii_lowercase().as_str() {
        "dmy" => Some(DateOrder::Dmy),
        "mdy" => Some(DateOrder::Mdy),
        "ymd" => Some(DateOrder::Ymd),
        _ => None,
    }
}

/// A delimiter as written in atu.toml: `,` `;` `|`, a tab (`"\t"` or
/// `"tab"`).
fn parse_delimiter(s: &str) -> Option<u8> {
    match s {
        "," => Some(b','),
        ";" => Some(b';'),
        "|" => Some(b'|'),
        "\t" | "\\t" => Some(b'\t'),
        _ if s.eq_ignore_ascii_case("tab") => Some(b'\t'),
        _ => None,
    }
}

/// Checks a strftime date format: valid for chrono, with a year, a month
/// and a day.
pub(crate) fn check_date_format(f: &str) -> bool {
    use chrono::format::{Item, StrftimeItems};
    let items: Vec<Item> = StrftimeItems::new(f).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return false;
    }
    let has = |specs: &[&str]| specs.iter().any(|s| f.contains(s));
    has(&["%Y", "%y", "%F", "%D", "%x"])
        && (has(&["%m", "%b", "%B", "%h", "%F", "%D", "%x"]) || f.contains("%j"))
        && (has(&["%d", "%e", "%F", "%D", "%x"]) || f.contains("%j"))
}

/// Resolves a `FormatSection` over `base`; `key` prefixes keys in messages.
fn resolve_format(
    f: &FormatSection,
    base: &TableFormat,
    cfg_name: &str,
    key: &str,
) -> Result<TableFormat> {
    let mut out = base.clone();
    if let Some(label) = &f.encoding {
        out.encoding = Some(encoding_from_label(label).ok_or_else(|| {
            anyhow!("{cfg_name}: {key}encoding \"{label}\" is not an encoding atu knows\nhelp: use e.g. encoding = \"windows-1252\", \"latin1\", \"utf-16\" or \"utf-8\"")
        })?);
    }
    if let Some(d) = &f.delimiter {
        out.delimiter = Some(parse_delimiter(d).ok_or_else(|| {
            anyhow!("{cfg_name}: {key}delimiter \"{}\" is not one of \",\", \";\", \"\\t\" (tab), \"|\"\nhelp: set {key}delimiter = \";\" for Italian or German Excel files, or leave it out to detect it", d.escape_default())
        })?);
    }
    if let Some(m) = &f.decimal_mark {
        out.decimal = Some(match m.trim() {
            "." => '.',
            "," => ',',
            _ => bail!("{cfg_name}: {key}decimal_mark \"{m}\" is neither \".\" nor \",\"\nhelp: set {key}decimal_mark = \",\" for 1.234,56 or \".\" for 1,234.56"),
        });
    }
    if let Some(s) = &f.date_order {
        out.date_order = Some(parse_date_order(s).ok_or_else(|| {
            anyhow!("{cfg_name}: {key}date_order \"{s}\" is not one of \"dmy\", \"mdy\", \"ymd\"\nhelp: set {key}date_order = \"dmy\" for 30/01/2013 or \"mdy\" for 1/30/2013")
        })?);
    }
    if let Some(v) = &f.date_formats {
        for d in v {
            if !check_date_format(d) {
                bail!("{cfg_name}: {key}date_formats has \"{d}\", which is not a date format with a year, a month and a day\nhelp: write chrono strftime formats, e.g. date_formats = [\"%d-%b-%Y\"] for 30-Jan-2013");
            }
        }
        out.date_formats = v.clone();
    }
    Ok(out)
}

/// Checks `[penetration]`: a catalog of distinct, non-blank names (case
/// aside), and a `broad_min` from 1 to the catalog's size.
fn resolve_penetration(
    p: &PenetrationSection,
    cfg_name: &str,
) -> Result<(Option<Vec<String>>, u32)> {
    let products = match &p.products {
        None => None,
        Some(list) => {
            if list.is_empty() {
                bail!("{cfg_name}: [penetration] products is empty\nhelp: list the catalog, e.g. products = [\"Azure\", \"Office\"], or leave the key out to use every product on the opportunity lines");
            }
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for name in list {
                let t = name.trim();
                if t.is_empty() {
                    bail!("{cfg_name}: [penetration] products has a blank name\nhelp: remove the \"\" entry");
                }
                if let Some(first) = seen.insert(t.to_lowercase(), t) {
                    bail!("{cfg_name}: [penetration] products names \"{t}\" twice (as \"{first}\" too; case is ignored)\nhelp: keep one of them");
                }
            }
            Some(
                list.iter()
                    .map(|n| n.trim().to_string())
                    .collect::<Vec<_>>(),
            )
        }
    };
    let broad_min = match p.broad_min {
        None => 3,
        Some(n) if n >= 1 => n.min(u32::MAX as i64) as u32,
        Some(n) => bail!("{cfg_name}: [penetration] broad_min = {n} is not at least 1\nhelp: set broad_min to the number of products that makes an account broad (default 3)"),
    };
    if let Some(list) = &products {
        if broad_min as usize > list.len() {
            bail!("{cfg_name}: [penetration] broad_min = {broad_min} is more than the {} products of the catalog, so no account could be broad\nhelp: lower broad_min, or add the missing products", list.len());
        }
    }
    Ok((products, broad_min))
}

fn resolve_filter(spec: &FilterSpec, table: &str, cfg_name: &str) -> Result<Filter> {
    let norm =
        |v: &[String]| -> Vec<String> { v.iter().map(|x| x.trim().to_lowercase()).collect() };
    let mut conditions = Vec::new();
    if let Some(b) = spec.filled {
        conditions.push(Condition::Filled(b));
    }
    if let Some(e) = &spec.equals {
        if e.trim().is_empty() {
            bail!("{cfg_name}: a [[filters.{table}]] entry on column \"{}\" has equals = \"\", which no value equals (blank cells are empty, not \"\")\nhelp: write filled = false to keep the rows where the column is blank", spec.column.trim());
        }
        conditions.push(Condition::OneOf(norm(std::slice::from_ref(e))));
    }
    if let Some(v) = &spec.one_of {
        conditions.push(Condition::OneOf(norm(v)));
    }
    if let Some(v) = &spec.not_one_of {
        conditions.push(Condition::NotOneOf(norm(v)));
    }
    if spec.column.trim().is_empty() || conditions.len() != 1 {
        let given: Vec<&str> = [
            ("filled", spec.filled.is_some()),
            ("equals", spec.equals.is_some()),
            ("one_of", spec.one_of.is_some()),
            ("not_one_of", spec.not_one_of.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(k, _)| k)
        .collect();
        let what = if spec.column.trim().is_empty() {
            "names no column".to_string()
        } else if given.is_empty() {
            format!("on column \"{}\" has no condition", spec.column.trim())
        } else {
            format!(
                "on column \"{}\" has {} conditions ({})",
                spec.column.trim(),
                given.len(),
                given.join(", ")
            )
        };
        bail!("{cfg_name}: a [[filters.{table}]] entry {what}; each entry needs a column and exactly one of filled, equals, one_of, not_one_of\nhelp: write one entry per condition (all entries must hold), e.g. [[filters.{table}]] column = \"Parent Goal\", filled = true");
    }
    Ok(Filter {
        column: spec.column.trim().to_string(),
        condition: conditions.remove(0),
    })
}

impl Settings {
    /// The format of `table`'s files.
    pub fn format(&self, table: &str) -> TableFormat {
        self.formats.get(table).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_rejected() {
        let err = toml::from_str::<FileConfig>("fiscal_year_start_mnth = 7").unwrap_err();
        assert!(err.to_string().contains("fiscal_year_start_mnth"), "{err}");
        let err = toml::from_str::<FileConfig>("[status]\ngreen = 1.0").unwrap_err();
        assert!(err.to_string().contains("green"), "{err}");
    }

    #[test]
    fn full_config_parses() {
        let cfg: FileConfig = toml::from_str(
            r#"
fiscal_year_start_month = 1
fiscal_year_named_by = "start"
team_name = "ATU West"
date_order = "dmy"
[files]
opportunities = "exports/opps-*.csv"
[columns.opportunities]
amount = "Amount (Converted)"
[values.status]
"Closed Won" = "won"
[quotas]
period = "month"
[targets]
attainment = 100
[targets.members.M01]
attainment = 110
[status]
green_at = 1.0
yellow_at = 0.9
"#,
        )
        .unwrap();
        assert_eq!(cfg.fiscal_year_start_month, Some(1));
        assert_eq!(cfg.files["opportunities"], "exports/opps-*.csv");
        assert_eq!(
            cfg.columns["opportunities"]["amount"],
            HeaderSpec::One("Amount (Converted)".to_string())
        );
        assert_eq!(cfg.values.status["Closed Won"], "won");
        assert_eq!(cfg.quotas.period.as_deref(), Some("month"));
    }

    #[test]
    fn columns_by_status() {
        let spec = |t: &str| -> HeaderSpec {
            let v: toml::Table = toml::from_str(&format!("x = {t}")).expect("toml");
            v["x"].clone().try_into().expect("a header spec")
        };
        let dynamics = spec(
            r#"{ won = ["Actual Revenue", "Est. revenue"], lost = "Est. revenue", open = "Est. revenue" }"#,
        );
        let resolved = dynamics.resolve("opportunities", "amount").expect("valid");
        assert_eq!(
            resolved,
            Headers::ByStatus {
                won: vec!["Actual Revenue".into(), "Est. revenue".into()],
                lost: vec!["Est. revenue".into()],
                open: vec!["Est. revenue".into()],
            }
        );
        assert_eq!(
            resolved.all(),
            vec![&"Actual Revenue".to_string(), &"Est. revenue".to_string()]
        );
        // Written back as atu.toml writes it.
        assert_eq!(
            resolved.to_toml(),
            r#"{ won = ["Actual Revenue", "Est. revenue"], lost = "Est. revenue", open = "Est. revenue" }"#
        );
        // Every status must be said; only opportunity columns, never the
        // status itself.
        let partial = spec(r#"{ won = "Actual Revenue", open = "Est. revenue" }"#);
        assert!(partial
            .resolve("opportunities", "amount")
            .unwrap_err()
            .contains("lacks lost"));
        assert!(dynamics
            .resolve("quotas", "quota")
            .unwrap_err()
            .contains("only opportunity columns"));
        assert!(dynamics
            .resolve("opportunities", "status")
            .unwrap_err()
            .contains("other than status"));
    }

    #[test]
    fn default_statuses_cover_crm_words() {
        let m = default_status_values();
        assert_eq!(m["closed won"], LineStatus::Won);
        assert_eq!(m["closed lost"], LineStatus::Lost);
        assert_eq!(m["prospecting"], LineStatus::Open);
    }
}
