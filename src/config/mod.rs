//! Configuration: the `atu.toml` model (unknown keys rejected) and the
//! resolved [`Settings`] that the rest of the program uses — the second layer
//! of arguments after the raw command-line flags. Defaults live here.

pub mod targets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::{Calendar, FiscalYear, NamedBy, PeriodLength};
pub use targets::{Targets, Thresholds};

/// The tables of a dataset, with their canonical file names.
pub const TABLES: &[(&str, &str)] = &[
    ("members", "members.csv"),
    ("quotas", "quotas.csv"),
    ("opportunities", "opportunities.csv"),
    ("accounts", "accounts.csv"),
    ("nsat", "nsat.csv"),
    ("contacts", "contacts.csv"),
    ("kpis", "kpis.csv"),
];

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
    /// `"dmy"`, `"mdy"` or `"ymd"` for slash dates.
    pub date_order: Option<String>,
    /// Table name → a path or a glob, relative to the dataset folder.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Table name → (canonical column → the export's header).
    #[serde(default)]
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
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
}

/// `[values]`: how an export's words map to atu's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValuesSection {
    /// Export status → `won`, `lost` or `open`.
    #[serde(default)]
    pub status: BTreeMap<String, String>,
}

/// `[quotas]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotasSection {
    /// Length of a quota row that carries only `start_date`:
    /// `"month"`, `"quarter"` or `"year"`.
    pub period: Option<String>,
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

/// Which members a run covers (SPEC §4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// `--team` values (a member's `team` column), empty for all.
    pub teams: Vec<String>,
    /// `--member` ids, empty for all.
    pub members: Vec<String>,
}

impl Scope {
    /// True when no filter is set.
    pub fn is_all(&self) -> bool {
        self.teams.is_empty() && self.members.is_empty()
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
    /// The team's name in team rows.
    pub team_name: String,
    /// Order of slash dates, when configured.
    pub date_order: Option<DateOrder>,
    /// Table → path or glob (relative to `data_dir` unless absolute).
    pub files: BTreeMap<String, String>,
    /// Table → canonical column → export header.
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
    /// Lower-cased export status → canonical status.
    pub status_values: BTreeMap<String, LineStatus>,
    /// Length of start-dated quota rows.
    pub quota_period: Option<PeriodLength>,
    /// KPI targets.
    pub targets: Targets,
    /// Status thresholds.
    pub thresholds: Thresholds,
    /// Member filter.
    pub scope: Scope,
    /// `--skip-invalid`.
    pub skip_invalid: bool,
    /// `--rejects FILE`.
    pub rejects: Option<PathBuf>,
    /// Where atu.toml was read from, if anywhere.
    pub config_path: Option<PathBuf>,
    /// Say on stderr what takes long (a terminal and no `--quiet`).
    pub progress: bool,
    /// `-v`: stage timings and peak memory on stderr.
    pub verbose: bool,
}

/// The canonical columns each table knows, for validating `[columns.*]`.
pub fn known_columns(table: &str) -> &'static [&'static str] {
    match table {
        "members" => &["member_id", "name", "role", "team", "manager_id"],
        "quotas" => &[
            "member_id",
            "fiscal_year",
            "period",
            "category",
            "quota",
            "start_date",
            "end_date",
        ],
        "opportunities" => &[
            "opportunity_id",
            "owner_id",
            "account_id",
            "close_date",
            "status",
            "amount",
            "category",
            "product",
            "partner_id",
            "line_id",
        ],
        "accounts" => &[
            "account_id",
            "name",
            "owner_id",
            "territory",
            "vertical",
            "segment",
        ],
        "nsat" => &["account_id", "response_date", "rating", "respondent_id"],
        "contacts" => &[
            "contact_id",
            "account_id",
            "created_date",
            "inactive_date",
            "is_executive",
        ],
        "kpis" => &["kpi", "member_id", "fiscal_year", "period", "value"],
        _ => &[],
    }
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
    /// Today, injectable for tests.
    pub today: Option<NaiveDate>,
    /// Progress lines on stderr for long work.
    pub progress: bool,
    /// `-v`.
    pub verbose: bool,
}

/// Reads and checks an `atu.toml`.
pub fn read_file_config(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config {}", path.display()))?;
    let cfg: FileConfig = toml::from_str(&text).map_err(|e| {
        anyhow!(
            "{}: {}\nhelp: the README's atu.toml section lists every key",
            path.display(),
            e.to_string().trim_end()
        )
    })?;
    for table in cfg.files.keys().chain(cfg.columns.keys()) {
        if known_columns(table).is_empty() {
            bail!(
                "{}: unknown table \"{table}\"\nhelp: tables are {}",
                path.display(),
                TABLES.iter().map(|t| t.0).collect::<Vec<_>>().join(", ")
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

        let date_order = match cfg.date_order.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
            None => None,
            Some(s) => Some(match s.as_str() {
                "dmy" => DateOrder::Dmy,
                "mdy" => DateOrder::Mdy,
                "ymd" => DateOrder::Ymd,
                _ => bail!("{cfg_name}: date_order \"{s}\" is not one of \"dmy\", \"mdy\", \"ymd\"\nhelp: set date_order = \"dmy\" for 30/01/2013 or \"mdy\" for 1/30/2013"),
            }),
        };

        let mut status_values = default_status_values();
        for (word, canon) in &cfg.values.status {
            let Some(st) = LineStatus::parse(canon) else {
                bail!("{cfg_name}: [values.status] maps \"{word}\" to \"{canon}\", which is not won, lost or open\nhelp: write e.g. \"Closed Won\" = \"won\"");
            };
            status_values.insert(word.trim().to_lowercase(), st);
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

        Ok(Settings {
            data_dir,
            calendar,
            fy,
            as_of,
            cutoff,
            team_name: cfg
                .team_name
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "Team".to_string()),
            date_order,
            files: cfg.files,
            columns: cfg.columns,
            status_values,
            quota_period,
            targets,
            thresholds,
            scope: o.scope.clone(),
            skip_invalid: o.skip_invalid,
            rejects: o.rejects.clone(),
            config_path,
            progress: o.progress,
            verbose: o.verbose,
        })
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
        assert_eq!(cfg.columns["opportunities"]["amount"], "Amount (Converted)");
        assert_eq!(cfg.values.status["Closed Won"], "won");
        assert_eq!(cfg.quotas.period.as_deref(), Some("month"));
    }

    #[test]
    fn default_statuses_cover_crm_words() {
        let m = default_status_values();
        assert_eq!(m["closed won"], LineStatus::Won);
        assert_eq!(m["closed lost"], LineStatus::Lost);
        assert_eq!(m["prospecting"], LineStatus::Open);
    }
}
