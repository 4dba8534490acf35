//! Ingest: turn a dataset folder into typed, validated tables. The roster and
//! quotas are small and become Rust values; opportunity lines stay a polars
//! frame (never Rust structs) for the metrics to aggregate. Every problem is
//! collected with its location; a strict run fails with all of them, a
//! `--skip-invalid` run leaves the rows out and records them in the ledger.

pub mod frame;
pub mod names;
pub mod parse;
pub mod problems;
pub mod source;
pub mod survey;
pub mod typing;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use chrono::NaiveDate;
use polars::prelude::*;

use crate::calendar::{self, Period};
pub use crate::config::nsat::Answer;
use crate::config::Settings;
pub use crate::schema::{
    ColSpec, TableSpec, ACCOUNTS, CONTACTS, KPIS, MEMBERS, NSAT, OPPORTUNITIES, QUOTAS,
};
pub use frame::{Frame, Ledger};
use problems::{InputErrors, Problem};

/// How a Salesforce export writes an empty lookup (15- and 18-character
/// forms): a partner of this id is no partner.
const SALESFORCE_EMPTY_IDS: [&str; 2] = ["000000000000000", "000000000000000AAA"];

/// The category of rows that name none.
pub const DEFAULT_CATEGORY: &str = "Sales";

/// A roster member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub team: Option<String>,
    pub manager_id: Option<String>,
}

/// One quota: a member's amount for a category in a fiscal period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quota {
    pub member_id: String,
    pub fiscal_year: i32,
    pub period: Period,
    pub category: String,
    /// Whole cents, ≥ 0.
    pub cents: i64,
}

/// One value of kpis.csv: a KPI of a member (or the team) in a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiValue {
    pub kpi: String,
    /// `None`: the team.
    pub member_id: Option<String>,
    pub fiscal_year: i32,
    pub period: Period,
    pub value: crate::num::Rational,
    /// Written as a percentage (`75%`).
    pub percent: bool,
}

/// An account of accounts.csv.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub name: Option<String>,
    /// The member who owns it (a roster id once names are resolved); an
    /// owner outside the roster is kept as written.
    pub owner_id: Option<String>,
    pub territory: Option<String>,
    pub vertical: Option<String>,
    pub segment: Option<String>,
}

/// A customer contact of contacts.csv.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub id: String,
    pub account_id: String,
    pub created: NaiveDate,
    pub inactive: Option<NaiveDate>,
    pub executive: bool,
}

impl Contact {
    /// Active at `d`: created on or before it, and not inactive by then.
    pub fn active_at(&self, d: NaiveDate) -> bool {
        self.created <= d && self.inactive.is_none_or(|i| i > d)
    }
}

/// A survey response of nsat.csv, its answer read through `[nsat]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub account_id: String,
    pub date: NaiveDate,
    pub answer: Answer,
}

/// `is_executive` as exports write it: true/yes/y/1/x (and false/no/n/0),
/// any case; blank is false. `None` for anything else.
pub fn parse_flag(v: Option<&str>) -> Option<bool> {
    const YES: [&str; 9] = ["true", "yes", "y", "1", "x", "oui", "sì", "si", "ja"];
    const NO: [&str; 6] = ["false", "no", "n", "0", "non", "nein"];
    let v = v.map(str::trim).unwrap_or("");
    if v.is_empty() {
        return Some(false);
    }
    // No allocation per row: case-insensitive compares (`sì` lower-cased
    // only when it is not ASCII).
    let is = |w: &str| v.eq_ignore_ascii_case(w) || (!v.is_ascii() && v.to_lowercase() == w);
    if YES.iter().any(|w| is(w)) {
        Some(true)
    } else if NO.iter().any(|w| is(w)) {
        Some(false)
    } else {
        None
    }
}

/// Everything a command reads, validated.
pub struct Dataset {
    /// The whole roster, sorted by id.
    pub members: Vec<Member>,
    /// Quota rows (all years); `None` without quotas.csv.
    pub quotas: Option<Vec<Quota>>,
    /// The team's own quotas (`[quotas] team_rows`; `member_id` empty);
    /// `None` when not configured.
    pub team_quotas: Option<Vec<Quota>>,
    /// Opportunity lines: `__file`, `__row`, `opportunity_id`, `line_id`,
    /// `owner_id`, `account_id`, `close_date` (Date), `status`
    /// (won/lost/open), `amount` (Int64 cents), `category`, `product`,
    /// `partner_id`. `None` without opportunities.csv.
    pub opportunities: Option<Frame>,
    /// accounts.csv, sorted by id; `None` without it.
    pub accounts: Option<Vec<Account>>,
    /// contacts.csv, in file order; `None` without it.
    pub contacts: Option<Vec<Contact>>,
    /// nsat.csv, in file order (answers outside the scale are problems);
    /// `None` without it.
    pub nsat: Option<Vec<Response>>,
    /// kpis.csv (all years); `None` without it.
    pub kpis: Option<Vec<KpiValue>>,
    /// Each table's ledger, in reading order.
    pub ledgers: Vec<Ledger>,
    /// Warnings for stderr.
    pub warnings: Vec<String>,
    /// Warnings that an optional table is missing, as (table, warning).
    pub missing: Vec<(&'static str, String)>,
    /// Problems of rows left out under `--skip-invalid`.
    pub rejected: Vec<Problem>,
}

fn str_col<'a>(df: &'a DataFrame, name: &str) -> Result<&'a StringChunked> {
    df.column(name)
        .and_then(|c| c.str())
        .map_err(|e| frame::polars_context(&format!("reading column {name}"), e))
}

/// A Date column as dates (`None` where empty).
fn date_col(df: &DataFrame, name: &str) -> Result<Vec<Option<NaiveDate>>> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::Int32))
        .map_err(|e| frame::polars_context(&format!("reading column {name}"), e))?;
    let ca = c
        .i32()
        .map_err(|e| frame::polars_context(&format!("reading column {name}"), e))?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    Ok(ca
        .iter()
        .map(|d| d.and_then(|d| epoch.checked_add_signed(chrono::Duration::days(d as i64))))
        .collect())
}

fn u32_col(df: &DataFrame, name: &str) -> Result<UInt32Chunked> {
    df.column(name)
        .and_then(|c| c.cast(&DataType::UInt32))
        .and_then(|c| c.u32().cloned())
        .map_err(|e| frame::polars_context(&format!("reading column {name}"), e))
}

/// Loads members, quotas and opportunities.
pub fn load(settings: &Settings) -> Result<Dataset> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut ledgers = Vec::new();

    // members (required)
    let Some(mut out) = frame::load(settings, &MEMBERS)? else {
        bail!(
            "{}: the roster (members.csv) is missing{}\nhelp: put members.csv in the data folder, or point [files] members in atu.toml at the export",
            settings.data_dir.join(MEMBERS.file).display(),
            frame::files_found(settings, &MEMBERS)
        );
    };
    problems.append(&mut out.problems);
    warnings.append(&mut out.warnings);
    let mut mframe = out.frame;
    let mut members = members_from(&mut mframe, &mut problems, &mut warnings)?;
    ledgers.push(mframe.ledger.clone());
    // Exports may name people instead of giving ids.
    let index = names::NameIndex::new(&members);
    for group in index.near_duplicates() {
        warnings.push(format!(
            "{}: members with the same name (case and spaces aside): {}; rows that name them instead of giving an id stay unassigned",
            mframe.ledger.files.join(", "),
            group.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
        ));
    }
    let managers: BTreeSet<&str> = members
        .iter()
        .filter_map(|m| m.manager_id.as_deref())
        .collect();
    let (rewrites, mut w) = names::resolve_all(
        &index,
        managers.into_iter(),
        "manager_id",
        &mframe.ledger.files.join(", "),
    );
    warnings.append(&mut w);
    for m in &mut members {
        if let Some(id) = m.manager_id.as_ref().and_then(|v| rewrites.get(v)) {
            m.manager_id = Some(id.clone());
        }
    }
    let roster: BTreeSet<&str> = members.iter().map(|m| m.id.as_str()).collect();

    // Warnings about optional tables that are missing, by table: a
    // command that does not use a table does not say it.
    let mut missing: Vec<(&'static str, String)> = Vec::new();
    // quotas (optional); `[quotas] team_rows` sets the team's own quotas
    let mut team_quotas: Option<Vec<Quota>> = None;
    let quotas = match frame::load(settings, &QUOTAS)? {
        None => {
            missing.push((
                "quotas",
                format!(
                    "no quotas.csv: attainment shows actuals without quotas{}",
                    frame::files_found(settings, &QUOTAS)
                ),
            ));
            None
        }
        Some(out) if out.frame.ledger.files.is_empty() => {
            // Every quotas file failed; its problems say why.
            problems.extend(out.problems);
            None
        }
        Some(mut out) => {
            problems.append(&mut out.problems);
            warnings.append(&mut out.warnings);
            let mut qframe = out.frame;
            resolve_people(&mut qframe, "member_id", &index, &mut warnings)?;
            let (q, t) = quotas_from(settings, &mut qframe, &roster, &mut problems, &mut warnings)?;
            ledgers.push(qframe.ledger.clone());
            if settings.team_rows.is_some() {
                team_quotas = Some(t);
            }
            Some(q)
        }
    };

    // opportunities (optional)
    let opportunities = match frame::load(settings, &OPPORTUNITIES)? {
        None => {
            missing.push((
                "opportunities",
                format!(
                    "no opportunities.csv: every actual is 0{}",
                    frame::files_found(settings, &OPPORTUNITIES)
                ),
            ));
            None
        }
        Some(mut out) => {
            problems.append(&mut out.problems);
            warnings.append(&mut out.warnings);
            let mut oframe = out.frame;
            resolve_people(&mut oframe, "owner_id", &index, &mut warnings)?;
            let t0 = std::time::Instant::now();
            opportunities_from(&mut oframe, &mut problems, &mut warnings)?;
            frame::stage(settings, "opportunities: duplicates and keys checked", t0);
            // Names that several members share were warned about already.
            let unknown: Vec<String> = unknown_owners(&oframe, &roster)?
                .into_iter()
                .filter(|o| !matches!(index.resolve(o), names::Resolved::Ambiguous(_)))
                .collect();
            if !unknown.is_empty() {
                warnings.push(format!(
                    "{}: owners not in the roster ({}): their revenue is kept as (unassigned) and shown in the reconciliation",
                    oframe.ledger.files.join(", "),
                    problems::show_list(unknown.iter().map(String::as_str))
                ));
            }
            ledgers.push(oframe.ledger.clone());
            Some(oframe)
        }
    };

    // accounts and contacts (optional)
    let accounts = match frame::load(settings, &ACCOUNTS)? {
        None => None,
        Some(out) if out.frame.ledger.files.is_empty() => {
            problems.extend(out.problems);
            None
        }
        Some(mut out) => {
            problems.append(&mut out.problems);
            warnings.append(&mut out.warnings);
            let mut aframe = out.frame;
            resolve_people(&mut aframe, "owner_id", &index, &mut warnings)?;
            let t0 = std::time::Instant::now();
            let a = accounts_from(&mut aframe, &roster, &mut problems, &mut warnings)?;
            frame::stage(settings, "accounts: owners and keys checked", t0);
            ledgers.push(aframe.ledger.clone());
            Some(a)
        }
    };
    let contacts = match frame::load(settings, &CONTACTS)? {
        None => None,
        Some(out) if out.frame.ledger.files.is_empty() => {
            problems.extend(out.problems);
            None
        }
        Some(mut out) => {
            problems.append(&mut out.problems);
            warnings.append(&mut out.warnings);
            let mut cframe = out.frame;
            let t0 = std::time::Instant::now();
            let c = contacts_from(
                &mut cframe,
                accounts.as_deref(),
                &mut problems,
                &mut warnings,
            )?;
            frame::stage(settings, "contacts: flags, dates and keys checked", t0);
            ledgers.push(cframe.ledger.clone());
            Some(c)
        }
    };
    let nsat = match frame::load(settings, &NSAT)? {
        None => None,
        Some(out) if out.frame.ledger.files.is_empty() => {
            problems.extend(out.problems);
            None
        }
        Some(mut out) => {
            problems.append(&mut out.problems);
            warnings.append(&mut out.warnings);
            let mut nframe = out.frame;
            let r = nsat_from(
                settings,
                &mut nframe,
                accounts.as_deref(),
                &mut problems,
                &mut warnings,
            )?;
            ledgers.push(nframe.ledger.clone());
            Some(r)
        }
    };

    // Revenue lines on accounts that accounts.csv does not know belong to
    // no territory, vertical or segment and to no member's accounts.
    let kpis = match frame::load(settings, &KPIS)? {
        None => None,
        Some(out) if out.frame.ledger.files.is_empty() => {
            problems.extend(out.problems);
            None
        }
        Some(mut out) => {
            problems.append(&mut out.problems);
            warnings.append(&mut out.warnings);
            let mut kframe = out.frame;
            resolve_people(&mut kframe, "member_id", &index, &mut warnings)?;
            let decimal = settings.format("kpis").decimal;
            let k = kpis_from(&mut kframe, &roster, decimal, &mut problems, &mut warnings)?;
            ledgers.push(kframe.ledger.clone());
            Some(k)
        }
    };

    let t0 = std::time::Instant::now();
    if let (Some(accts), Some(opps)) = (&accounts, &opportunities) {
        let known: BTreeSet<&str> = accts.iter().map(|a| a.id.as_str()).collect();
        let missing: Vec<String> = distinct(&opps.df, "account_id")?
            .into_iter()
            .filter(|a| !known.contains(a.as_str()))
            .collect();
        if !missing.is_empty() {
            let shown: Vec<&str> = missing.iter().take(10).map(String::as_str).collect();
            warnings.push(format!(
                "{}: lines on {} account(s) not in accounts.csv ({}{}): they count for no account's products, and --territory, --vertical and --segment leave them out; add the accounts to accounts.csv (ids must match exactly)",
                opps.ledger.files.join(", "),
                missing.len(),
                shown.join(", "),
                if missing.len() > 10 { ", …" } else { "" }
            ));
        }
    }
    frame::stage(settings, "lines on unknown accounts checked", t0);

    // A file that cannot be read as a table fails the run even with
    // --skip-invalid: that flag leaves out rows, never whole files.
    if problems.iter().any(|p| p.file_level) {
        if settings.skip_invalid {
            problems.retain(|p| p.file_level);
        }
        return Err(InputErrors(problems).into());
    }
    if !problems.is_empty() && !settings.skip_invalid {
        return Err(InputErrors(problems).into());
    }
    Ok(Dataset {
        members,
        quotas,
        team_quotas,
        opportunities,
        accounts,
        contacts,
        nsat,
        kpis,
        ledgers,
        warnings,
        missing,
        rejected: problems,
    })
}

fn members_from(
    frame: &mut Frame,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Member>> {
    let cols: Vec<&str> = MEMBERS.columns.iter().map(|c| c.name).collect();
    let (dups, examples) = frame::dedup(frame, &cols, frame::Same::Read)?;
    if dups > 0 {
        warnings.push(format!(
            "{dups} duplicate roster row(s) used once (e.g. {})",
            examples.join("; ")
        ));
    }
    let df = frame
        .df
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .map_err(|e| frame::polars_context("sorting members", e))?;
    if df.height() == 0 {
        return Ok(Vec::new());
    }
    let ids = str_col(&df, "member_id")?;
    let names = str_col(&df, "name")?;
    let firsts = str_col(&df, "first_name")?;
    let lasts = str_col(&df, "last_name")?;
    let roles = str_col(&df, "role")?;
    let teams = str_col(&df, "team")?;
    let mgrs = str_col(&df, "manager_id")?;
    let files = u32_col(&df, "__file")?;
    let rows = u32_col(&df, "__row")?;
    // A roster without ids: each member's id is the name.
    let ids_from_names = !frame.present.contains(&"member_id");
    let mut by_id: BTreeMap<String, (Member, u64)> = BTreeMap::new();
    let mut rejected = 0u64;
    for i in 0..df.height() {
        let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
        // `First Name` + `Last Name` when the roster has no full name.
        let name = match names.get(i) {
            Some(n) => n.to_string(),
            None => [firsts.get(i), lasts.get(i)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        };
        let id = match ids.get(i) {
            Some(id) => id.to_string(),
            None if ids_from_names => name.clone(),
            None => String::new(),
        };
        if name.is_empty() || id.is_empty() {
            problems.push(
                Problem::row(
                    &file,
                    line,
                    "name",
                    "",
                    "is empty but required",
                    "missing value",
                )
                .with_hint("every member needs a name (or a first and last name)"),
            );
            rejected += 1;
            continue;
        }
        let m = Member {
            id,
            name,
            role: roles.get(i).map(str::to_string),
            team: teams.get(i).map(str::to_string),
            manager_id: mgrs.get(i).map(str::to_string),
        };
        if let Some((_, first)) = by_id.get(&m.id) {
            problems.push(
                Problem::row(
                    &file,
                    line,
                    "member_id",
                    &m.id,
                    format!("appears again with other values (first on line {first})"),
                    "conflicting key",
                )
                .with_hint(if ids_from_names {
                    "the roster has no member_id column, so names are ids and must differ; map the id column in atu.toml: [columns.members] member_id = \"…\""
                } else {
                    "each member_id must appear once in the roster"
                }),
            );
            rejected += 1;
            continue;
        }
        by_id.insert(m.id.clone(), (m, line));
    }
    if rejected > 0 {
        for p in problems.iter().rev().take(rejected as usize) {
            *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        }
    }
    frame.ledger.accepted = by_id.len() as u64;
    Ok(by_id.into_values().map(|(m, _)| m).collect())
}

fn quotas_from(
    settings: &Settings,
    frame: &mut Frame,
    roster: &BTreeSet<&str>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Quota>, Vec<Quota>)> {
    let has_team = frame
        .df
        .get_column_names()
        .iter()
        .any(|n| n.as_str() == "__team");
    let mut cols: Vec<&str> = QUOTAS.columns.iter().map(|c| c.name).collect();
    if has_team {
        cols.push("__team");
    }
    let (dups, examples) = frame::dedup(frame, &cols, frame::Same::Read)?;
    if dups > 0 {
        warnings.push(format!(
            "{dups} duplicate quota row(s) used once (e.g. {})",
            examples.join("; ")
        ));
    }
    if !frame.present.contains(&"quota") {
        bail!(
            "{}: required column quota not found\nhelp: map it in atu.toml: [columns.quotas] quota = \"Target\"",
            frame.ledger.files.join(", ")
        );
    }
    let has_fy = frame.present.contains(&"fiscal_year") && frame.present.contains(&"period");
    let has_dates = frame.present.contains(&"start_date");
    if !has_fy && !has_dates {
        bail!(
            "{}: quota rows need fiscal_year and period, or start_date (and end_date)\nhelp: map them in atu.toml, e.g. [columns.quotas] start_date = \"From\", end_date = \"To\"",
            frame.ledger.files.join(", ")
        );
    }
    let df = frame
        .df
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .map_err(|e| frame::polars_context("sorting quotas", e))?;
    if df.height() == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let team_flags: Vec<bool> = if has_team {
        df.column("__team")
            .and_then(|c| c.bool().cloned())
            .map_err(|e| frame::polars_context("reading team rows", e))?
            .iter()
            .map(|b| b.unwrap_or(false))
            .collect()
    } else {
        vec![false; df.height()]
    };
    let mut team_out: Vec<Quota> = Vec::new();
    let ids = str_col(&df, "member_id")?;
    let fys = str_col(&df, "fiscal_year")?;
    let periods = str_col(&df, "period")?;
    let cats = str_col(&df, "category")?;
    let amounts = df
        .column("quota")
        .and_then(|c| c.i64().cloned())
        .map_err(|e| frame::polars_context("reading quotas", e))?;
    let starts = date_col(&df, "start_date")?;
    let ends = date_col(&df, "end_date")?;
    let files = u32_col(&df, "__file")?;
    let rows = u32_col(&df, "__row")?;
    let raw_quota = str_col(&df, "__raw_quota")?;

    let mut out: Vec<Quota> = Vec::new();
    // (member, year, period, category) → (cents, file, line) of its first row.
    type Seen = BTreeMap<(String, i32, Period, String), (i64, String, u64)>;
    let mut seen: Seen = BTreeMap::new();
    let mut not_in_roster: BTreeSet<String> = BTreeSet::new();
    let reject = |frame: &mut Frame, p: Problem, problems: &mut Vec<Problem>| {
        *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        problems.push(p);
    };
    for i in 0..df.height() {
        let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
        let is_team = team_flags[i];
        // A team row's owner does not matter: it is the team's quota.
        let id = if is_team {
            String::new()
        } else {
            ids.get(i).unwrap_or_default().to_string()
        };
        let whose = if is_team {
            "the team's".to_string()
        } else {
            format!("{id}'s")
        };
        let category = cats.get(i).unwrap_or(DEFAULT_CATEGORY).to_string();
        // Which period: fiscal_year + period, else dated.
        let fy_raw = fys.get(i);
        let p_raw = periods.get(i);
        let which: Result<(i32, Period), Problem> = match (fy_raw, p_raw, starts[i], ends[i]) {
            (Some(fy), Some(p), _, _) => {
                let fy_v = calendar::parse_fy(fy).map_err(|_| {
                    Problem::row(&file, line, "fiscal_year", fy, "is not a fiscal year", "bad fiscal year")
                        .with_hint("write fiscal years as 2013, FY13 or FY2013")
                });
                let p_v = Period::parse_quota_period(p).ok_or_else(|| {
                    Problem::row(&file, line, "period", p, "is not a period (FY, Q1–Q4, M01–M12)", "bad period")
                        .with_hint("quota periods are FY, Q1–Q4 or M01–M12 (fiscal)")
                });
                match (fy_v, p_v) {
                    (Ok(a), Ok(b)) => Ok((a, b)),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            }
            // A goal export may carry a fiscal year beside From/To dates:
            // the dates decide.
            (_, None, Some(s), Some(e)) => calendar::classify_range(&settings.calendar, s, e)
                .ok_or_else(|| {
                    Problem::row(
                        &file,
                        line,
                        "start_date",
                        &format!("{s} to {e}"),
                        "does not cover exactly one fiscal month, quarter or year",
                        "bad period",
                    )
                    .with_hint("a dated quota row must span one fiscal month, quarter or year (check fiscal_year_start_month)")
                }),
            (_, None, Some(s), None) => match settings.quota_period {
                None => Err(Problem::row(
                    &file,
                    line,
                    "end_date",
                    "",
                    "is empty and no quota period length is configured",
                    "missing value",
                )
                .with_hint("set [quotas] period = \"month\" or \"quarter\" in atu.toml for start-dated quotas")),
                Some(len) => calendar::period_starting(&settings.calendar, s, len).ok_or_else(|| {
                    Problem::row(
                        &file,
                        line,
                        "start_date",
                        &s.to_string(),
                        "is not the first day of a fiscal period of the configured length",
                        "bad period",
                    )
                    .with_hint("check [quotas] period and fiscal_year_start_month in atu.toml")
                }),
            },
            (None, Some(_), _, _) | (Some(_), None, _, _) => Err(Problem::row(
                &file,
                line,
                if fy_raw.is_none() { "fiscal_year" } else { "period" },
                "",
                if fy_raw.is_none() { "is empty but the row has a period" } else { "is empty but the row has a fiscal_year" },
                "missing value",
            )
            .with_hint("a quota row needs both fiscal_year and period, or start_date")),
            (None, None, None, _) => Err(Problem::row(
                &file,
                line,
                "period",
                "",
                "is empty: the row names no fiscal_year and period, nor start_date",
                "missing value",
            )),
        };
        let (fy, period) = match which {
            Ok(v) => v,
            Err(p) => {
                reject(frame, p, problems);
                continue;
            }
        };
        let Some(cents) = amounts.get(i) else {
            // A blank target: no quota for that period (Dynamics goals).
            *frame
                .ledger
                .ignored
                .entry("blank quota (no quota)".to_string())
                .or_default() += 1;
            continue;
        };
        let shown = raw_quota.get(i).unwrap_or_default();
        if cents < 0 {
            let p = Problem::row(
                &file,
                line,
                "quota",
                shown,
                "is negative; a quota is an amount ≥ 0",
                "negative quota",
            );
            reject(frame, p, problems);
            continue;
        }
        if !is_team && !roster.contains(id.as_str()) {
            not_in_roster.insert(id.clone());
            *frame
                .ledger
                .ignored
                .entry("member not in roster".to_string())
                .or_default() += 1;
            continue;
        }
        let key = (id.clone(), fy, period, category.trim().to_lowercase());
        if let Some((prev, first_file, first)) = seen.get(&key) {
            if *prev != cents {
                let p = Problem::row(
                    &file,
                    line,
                    "quota",
                    shown,
                    format!(
                        "conflicts with {}, which gives {} for {whose} {category} quota of FY{fy} {}",
                        frame::refer(first_file, *first, &file),
                        crate::num::Rational::from_cents(*prev).to_fixed(2),
                        period.label()
                    ),
                    "conflicting key",
                )
                .with_hint(if frame.present.contains(&"category") {
                    "each member, category and period needs one quota row".to_string()
                } else {
                    "each member, category and period needs one quota row; no category column is mapped, so every row is Sales: if rows differ by a column such as a revenue type, map it in atu.toml: [columns.quotas] category = \"…\"".to_string()
                });
                reject(frame, p, problems);
            } else {
                frame.ledger.duplicates += 1;
            }
            continue;
        }
        seen.insert(key, (cents, file.clone(), line));
        if is_team {
            team_out.push(Quota {
                member_id: id,
                fiscal_year: fy,
                period,
                category,
                cents,
            });
            continue;
        }
        out.push(Quota {
            member_id: id,
            fiscal_year: fy,
            period,
            category,
            cents,
        });
    }
    if !not_in_roster.is_empty() {
        warnings.push(format!(
            "{}: quotas of ids not in the roster are ignored: {}",
            frame.ledger.files.join(", "),
            problems::show_list(not_in_roster.iter().map(|s| s.as_ref()))
        ));
    }
    frame.ledger.accepted = (out.len() + team_out.len()) as u64;
    Ok((out, team_out))
}

/// Fills defaults (category `Sales`, an id per row when the export has no
/// opportunity id), drops exact duplicates and rejects conflicting keys.
fn opportunities_from(
    frame: &mut Frame,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let has_id = frame.present.contains(&"opportunity_id");
    let has_line = frame.present.contains(&"line_id");
    blank_amounts_as_zero(frame, warnings)?;
    // Salesforce writes an empty lookup as the all-zero id: no partner.
    let no_partner = Series::new("ids".into(), SALESFORCE_EMPTY_IDS);
    frame.df = frame
        .df
        .clone()
        .lazy()
        .with_columns([
            col("category").fill_null(lit(DEFAULT_CATEGORY)),
            when(col("partner_id").is_in(lit(no_partner).implode(false), false))
                .then(lit(NULL).cast(DataType::String))
                .otherwise(col("partner_id"))
                .alias("partner_id"),
        ])
        .collect()
        .map_err(|e| frame::polars_context("filling defaults", e))?;
    // `Sales` and `SALES` are one category (and `Office`, `office` one
    // product): one spelling each, before duplicates and keys are checked.
    for c in ["category", "product"] {
        if let Some(w) = unify_spellings(frame, c)? {
            warnings.push(w);
        }
    }
    if !has_id && frame.df.height() > 0 {
        warnings.push(format!(
            "{}: no opportunity_id column: each row is its own opportunity, so win rate and partner attach count rows; map [columns.opportunities] opportunity_id if the export has an id",
            frame.ledger.files.join(", ")
        ));
    }
    let cols: Vec<&str> = OPPORTUNITIES.columns.iter().map(|c| c.name).collect();
    let mut report_dups = |dups: u64, examples: Vec<String>| {
        if dups > 0 {
            warnings.push(format!(
                "{dups} duplicate opportunity line(s) used once (e.g. {})",
                examples.join("; ")
            ));
        }
    };
    if frame.df.height() == 0 {
        // nothing to check
    } else if !has_id {
        // Rows identical in every field are one line; then each row is its
        // own line, identified by its file and record.
        let (dups, examples) = frame::dedup(frame, &cols, frame::Same::WholeRow)?;
        report_dups(dups, examples);
        // Each line is named by its file and editor line, as messages are.
        let files = u32_col(&frame.df, "__file")?;
        let rows = u32_col(&frame.df, "__row")?;
        let ids: StringChunked = files
            .iter()
            .zip(rows.iter())
            .map(|(f, r)| {
                let (file, line) = frame.locate(f.unwrap_or(0), r.unwrap_or(0));
                Some(format!("{file}:{line}"))
            })
            .collect();
        frame
            .df
            .with_column(ids.with_name("opportunity_id".into()).into_column())
            .map_err(|e| frame::polars_context("numbering lines", e))?;
    } else {
        // Key: opportunity_id + line_id, else + product + category.
        // A blank line_id falls back to product + category for that row
        // (columns, not concatenated strings: nothing is copied per row).
        let key: Vec<Expr> = if has_line {
            let unless_line = |c: &str| {
                when(col("line_id").is_null())
                    .then(col(c))
                    .otherwise(lit(NULL).cast(DataType::String))
            };
            vec![
                col("opportunity_id"),
                col("line_id"),
                unless_line("product").alias("__kp"),
                unless_line("category").alias("__kc"),
            ]
        } else {
            vec![col("opportunity_id"), col("product"), col("category")]
        };
        let key_count = len()
            .over(key)
            .map_err(|e| frame::polars_context("checking opportunity keys", e))?;
        // Only rows that share a key can be duplicates or conflicts: the
        // whole-row comparison runs on those few, not on every line.
        let shared = rows_where(
            &frame.df,
            key_count.clone().gt(lit(1)),
            "checking opportunity keys",
        )?;
        if shared.height() == 0 {
            // Every key is unique: no duplicate, no conflict, no copy.
            frame.ledger.accepted = frame.df.height() as u64;
            return Ok(());
        }
        let mut sub = Frame {
            df: shared,
            files: frame.files.clone(),
            ledger: Ledger::default(),
            present: frame.present.clone(),
        };
        let (dups, examples) = frame::dedup(&mut sub, &cols, frame::Same::WholeRow)?;
        frame.ledger.duplicates += dups;
        report_dups(dups, examples);
        // The key of each row, as SPEC §1.3 and the polars expression
        // above: line_id, else product + category.
        type LineKey = (Vec<Option<String>>, &'static str);
        let keys_of = |df: &DataFrame| -> Result<Vec<LineKey>> {
            let ids = str_col(df, "opportunity_id")?;
            let line_ids = str_col(df, "line_id")?;
            let products = str_col(df, "product")?;
            let categories = str_col(df, "category")?;
            Ok((0..df.height())
                .map(|i| {
                    let own = |c: &StringChunked| c.get(i).map(str::to_string);
                    let mut key = vec![own(ids)];
                    match line_ids.get(i).filter(|_| has_line) {
                        Some(l) => {
                            key.push(Some(l.to_string()));
                            (key, "line_id")
                        }
                        None => {
                            key.extend([None, own(products), own(categories)]);
                            (key, "product and category")
                        }
                    }
                })
                .collect())
        };
        // Lines of one key that differ in a value atu reads conflict; lines
        // that differ only in columns atu does not read (a Topic, a Created
        // On) are distinct lines and all count. One row per distinct read
        // value tells them apart.
        let mut values = Frame {
            df: sub.df.clone(),
            files: frame.files.clone(),
            ledger: Ledger::default(),
            present: frame.present.clone(),
        };
        frame::dedup(&mut values, &cols, frame::Same::Read)?;
        let conflicts = values
            .df
            .lazy()
            .with_columns([key_count.clone().alias("__k")])
            .filter(col("__k").gt(lit(1)))
            .sort(["__file", "__row"], SortMultipleOptions::default())
            .collect()
            .map_err(|e| frame::polars_context("checking opportunity keys", e))?;
        let mut conflicting: BTreeSet<Vec<Option<String>>> = BTreeSet::new();
        if conflicts.height() > 0 {
            let files = u32_col(&conflicts, "__file")?;
            let rows = u32_col(&conflicts, "__row")?;
            // Rows of each key, in file and line order.
            let mut groups: BTreeMap<Vec<Option<String>>, Vec<(String, u64)>> = BTreeMap::new();
            let mut order = Vec::new();
            for (i, (key, what)) in keys_of(&conflicts)?.into_iter().enumerate() {
                let loc = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
                groups.entry(key.clone()).or_default().push(loc.clone());
                order.push((key, loc, what));
            }
            for (key, (file, line), what) in order {
                let group = &groups[&key];
                let other = group.iter().find(|(f, l)| !(f == &file && *l == line));
                let msg = match other {
                    Some((f, l)) => format!(
                        "has the same {what} as {} with different values",
                        frame::refer(f, *l, &file)
                    ),
                    None => format!("has the same {what} as another line with different values"),
                };
                let id = key[0].clone().unwrap_or_default();
                problems.push(
                    Problem::row(&file, line, "opportunity_id", &id, msg, "conflicting key")
                        .with_hint("two revenue lines with one key must be identical; fix the export or give each line a line_id ([columns.opportunities] line_id)"),
                );
                *frame
                    .ledger
                    .rejected
                    .entry("conflicting key".to_string())
                    .or_default() += 1;
            }
            conflicting = groups.into_keys().collect();
        }
        // What is left: lines of keys without a conflict. Those that still
        // share a key differ only in columns atu does not read: said.
        let files = u32_col(&sub.df, "__file")?;
        let rows = u32_col(&sub.df, "__row")?;
        let mut kept: Vec<bool> = Vec::with_capacity(sub.df.height());
        let mut twins: BTreeMap<Vec<Option<String>>, Vec<(String, u64)>> = BTreeMap::new();
        for (i, (key, _)) in keys_of(&sub.df)?.into_iter().enumerate() {
            let keep = !conflicting.contains(&key);
            if keep {
                let loc = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
                twins.entry(key).or_default().push(loc);
            }
            kept.push(keep);
        }
        let twins: Vec<Vec<(String, u64)>> =
            twins.into_values().filter(|locs| locs.len() > 1).collect();
        if let Some(first) = twins.first() {
            let lines: usize = twins.iter().map(Vec::len).sum();
            let mut first = first.clone();
            first.sort();
            let ((f0, l0), (f1, l1)) = (&first[0], &first[1]);
            warnings.push(format!(
                "{}: {lines} opportunity lines share their key and every value atu reads with another line, and differ only in columns atu does not read or in how a value is written (e.g. {f1}:{l1} and {}): each counts as its own line; if the export repeats a line once per related record, leave those rows out ([[filters.opportunities]]) or map [columns.opportunities] line_id",
                frame.ledger.files.join(", "),
                frame::refer(f0, *l0, f1)
            ));
        }
        sub.df = sub
            .df
            .filter(&BooleanChunked::from_slice("__kept".into(), &kept))
            .map_err(|e| frame::polars_context("dropping conflicting lines", e))?;
        let single = rows_where(&frame.df, key_count.eq(lit(1)), "checking opportunity keys")?;
        frame.df = concat([single.lazy(), sub.df.lazy()], UnionArgs::default())
            .and_then(|lf| lf.collect())
            .map_err(|e| frame::polars_context("joining checked lines", e))?;
    }
    frame.ledger.accepted = frame.df.height() as u64;
    Ok(())
}

/// A blank amount on an open or lost line (the loader lets only those
/// through) is a pipeline of 0 (SPEC §1.2): read as 0, counted in the
/// ledger, and said with the first lines.
fn blank_amounts_as_zero(frame: &mut Frame, warnings: &mut Vec<String>) -> Result<()> {
    let blank = frame
        .df
        .column("amount")
        .map_err(|e| frame::polars_context("reading amounts", e))?
        .null_count();
    if blank == 0 {
        return Ok(());
    }
    let first = rows_where(&frame.df, col("amount").is_null(), "reading amounts")?;
    let files = u32_col(&first, "__file")?;
    let rows = u32_col(&first, "__row")?;
    let mut lines: Vec<(String, u64)> = (0..first.height())
        .map(|i| frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0)))
        .collect();
    lines.sort();
    let shown: Vec<String> = lines
        .iter()
        .take(3)
        .map(|(f, l)| format!("{f}:{l}"))
        .collect();
    warnings.push(format!(
        "{}: {blank} open or lost line(s) with a blank amount are read as 0 ({}{}); a won line needs its amount",
        frame.ledger.files.join(", "),
        shown.join(", "),
        if blank > 3 { ", …" } else { "" }
    ));
    *frame
        .ledger
        .defaulted
        .entry("blank amount on an open or lost line, read as 0".to_string())
        .or_default() += blank as u64;
    frame.df = frame
        .df
        .clone()
        .lazy()
        .with_column(col("amount").fill_null(lit(0i64)))
        .collect()
        .map_err(|e| frame::polars_context("filling blank amounts", e))?;
    Ok(())
}

/// Each account once (exact duplicates used once, another row with the same
/// id an error); owners outside the roster warned.
fn accounts_from(
    frame: &mut Frame,
    roster: &BTreeSet<&str>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Account>> {
    let cols: Vec<&str> = ACCOUNTS.columns.iter().map(|c| c.name).collect();
    let (dups, examples) = frame::dedup(frame, &cols, frame::Same::Read)?;
    if dups > 0 {
        warnings.push(format!(
            "{dups} duplicate account row(s) used once (e.g. {})",
            examples.join("; ")
        ));
    }
    let df = frame
        .df
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .map_err(|e| frame::polars_context("sorting accounts", e))?;
    let mut by_id: BTreeMap<String, (Account, String, u64)> = BTreeMap::new();
    if df.height() > 0 {
        let text = |n: &str| str_col(&df, n);
        let (ids, names, owners) = (text("account_id")?, text("name")?, text("owner_id")?);
        let (terr, vert, seg) = (text("territory")?, text("vertical")?, text("segment")?);
        let files = u32_col(&df, "__file")?;
        let rows = u32_col(&df, "__row")?;
        for i in 0..df.height() {
            let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
            let own = |c: &StringChunked| c.get(i).map(str::to_string);
            let Some(id) = ids.get(i).or(names.get(i)) else {
                let p = Problem::row(
                    &file,
                    line,
                    "name",
                    "",
                    "is empty but required",
                    "missing value",
                )
                .with_hint("an account without an account_id column needs its name in every row");
                *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
                problems.push(p);
                continue;
            };
            let a = Account {
                id: id.to_string(),
                name: own(names),
                owner_id: own(owners),
                territory: own(terr),
                vertical: own(vert),
                segment: own(seg),
            };
            if let Some((_, f0, l0)) = by_id.get(&a.id) {
                let p = Problem::row(
                    &file,
                    line,
                    "account_id",
                    &a.id,
                    format!(
                        "appears again with other values (first on {})",
                        frame::refer(f0, *l0, &file)
                    ),
                    "conflicting key",
                )
                .with_hint("each account_id must appear once in accounts.csv");
                *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
                problems.push(p);
                continue;
            }
            by_id.insert(a.id.clone(), (a, file, line));
        }
    }
    if !frame.present.contains(&"owner_id") && !by_id.is_empty() {
        warnings.push(format!(
            "{}: no owner_id column: no account belongs to a member, so penetration, whitespace and contacts are empty\nhelp: map the owner column in atu.toml, e.g. [columns.accounts] owner_id = \"Account Owner\"",
            frame.ledger.files.join(", ")
        ));
    } else {
        let ownerless: Vec<&str> = by_id
            .values()
            .filter(|(a, _, _)| a.owner_id.is_none())
            .map(|(a, _, _)| a.id.as_str())
            .collect();
        if !ownerless.is_empty() {
            warnings.push(format!(
                "{}: {} account(s) without an owner ({}{}): they count for no member and not for the team",
                frame.ledger.files.join(", "),
                ownerless.len(),
                problems::show_list(ownerless.iter().take(10).copied()),
                if ownerless.len() > 10 { ", …" } else { "" }
            ));
        }
    }
    let outside: BTreeSet<&str> = by_id
        .values()
        .filter_map(|(a, _, _)| a.owner_id.as_deref())
        .filter(|o| !roster.contains(o))
        .collect();
    if !outside.is_empty() {
        warnings.push(format!(
            "{}: accounts owned by ids not in the roster ({}): they count for no member and not for the team",
            frame.ledger.files.join(", "),
            problems::show_list(outside.iter().copied())
        ));
    }
    frame.ledger.accepted = by_id.len() as u64;
    Ok(by_id.into_values().map(|(a, _, _)| a).collect())
}

/// The values of kpis.csv: a number or a percentage (`75%`, `12,5%`) per
/// KPI, member (blank: the team), fiscal year and period (`FY`, `Q1`–`Q4`,
/// `YTD`, `M01`–`M12`); one value per key (a second, different one is an
/// error naming both rows).
fn kpis_from(
    frame: &mut Frame,
    roster: &BTreeSet<&str>,
    decimal: Option<char>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Result<Vec<KpiValue>> {
    let cols: Vec<&str> = KPIS.columns.iter().map(|c| c.name).collect();
    let (dups, examples) = frame::dedup(frame, &cols, frame::Same::Read)?;
    if dups > 0 {
        warnings.push(format!(
            "{dups} duplicate KPI row(s) used once (e.g. {})",
            examples.join("; ")
        ));
    }
    let df = frame
        .df
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .map_err(|e| frame::polars_context("sorting kpis", e))?;
    let mut out: Vec<KpiValue> = Vec::new();
    if df.height() == 0 {
        return Ok(out);
    }
    let text = |n: &str| str_col(&df, n);
    let (names, members, fys, periods, values) = (
        text("kpi")?,
        text("member_id")?,
        text("fiscal_year")?,
        text("period")?,
        text("value")?,
    );
    let files = u32_col(&df, "__file")?;
    let rows = u32_col(&df, "__row")?;
    // The decimal mark of the values: configured, else proven by a value
    // (`4,25`, `1,500.5`), else a point — and a value that reads both ways
    // (`1,500`) is then said, never silently taken as 1.5.
    let style = parse::MoneyStyle {
        decimal: match decimal {
            Some(d) => d,
            None => {
                let ev = parse::decimal_evidence(values.iter());
                match (ev.dot, ev.comma) {
                    (Some((i1, v1)), Some((i2, v2))) => {
                        let (f1, l1) =
                            frame.locate(files.get(i1).unwrap_or(0), rows.get(i1).unwrap_or(0));
                        let (f2, l2) =
                            frame.locate(files.get(i2).unwrap_or(0), rows.get(i2).unwrap_or(0));
                        bail!(InputErrors(vec![Problem::file(
                            &f1,
                            Some(l1),
                            format!("value \"{v1}\" has \".\" as decimal mark, but {} value \"{v2}\" has \",\": the values are mixed", frame::refer(&f2, l2, &f1)),
                            "bad value",
                        )
                        .with_hint("set [tables.kpis] decimal_mark = \".\" or \",\" in atu.toml")]));
                    }
                    (proof_dot, proof_comma)
                        if ev.either.is_some()
                            && (proof_dot.is_some() || proof_comma.is_some()) =>
                    {
                        // Proven by one value, applied to one that reads
                        // both ways: said, with both.
                        let (mark, (pi, pv)) = match (proof_dot, proof_comma) {
                            (Some(p), _) => ('.', p),
                            (_, Some(p)) => (',', p),
                            _ => ('.', (0, String::new())),
                        };
                        if let Some((i, v)) = &ev.either {
                            let (f, l) =
                                frame.locate(files.get(*i).unwrap_or(0), rows.get(*i).unwrap_or(0));
                            let (fp, lp) =
                                frame.locate(files.get(pi).unwrap_or(0), rows.get(pi).unwrap_or(0));
                            warnings.push(format!(
                                "{f}:{l}: KPI value \"{v}\" is read with \"{mark}\" as decimal mark, as {} \"{pv}\" shows; set [tables.kpis] decimal_mark in atu.toml if that is wrong",
                                frame::refer(&fp, lp, &f)
                            ));
                        }
                        mark
                    }
                    (None, Some(_)) => ',',
                    (Some(_), None) => '.',
                    (None, None) => {
                        if let Some((i, v)) = ev.either {
                            let (f, l) =
                                frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
                            warnings.push(format!("{f}:{l}: KPI value \"{v}\" could hold a thousands separator or a decimal mark, and is read with \".\" as decimal mark; set [tables.kpis] decimal_mark in atu.toml to say so"));
                        }
                        '.'
                    }
                }
            }
        },
    };
    // (kpi, member, year, period) → (value, file, line) of its first row.
    type Seen =
        BTreeMap<(String, Option<String>, i32, Period), (crate::num::Rational, String, u64)>;
    let mut seen: Seen = BTreeMap::new();
    let mut outside: BTreeSet<String> = BTreeSet::new();
    for i in 0..df.height() {
        let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
        let reject = |frame: &mut Frame, p: Problem, problems: &mut Vec<Problem>| {
            *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
            problems.push(p);
        };
        let fy_raw = fys.get(i).unwrap_or_default();
        let Ok(fy) = calendar::parse_fy(fy_raw) else {
            let p = Problem::row(
                &file,
                line,
                "fiscal_year",
                fy_raw,
                "is not a fiscal year",
                "bad fiscal year",
            )
            .with_hint("write fiscal years as 2013, FY13 or FY2013");
            reject(frame, p, problems);
            continue;
        };
        let p_raw = periods.get(i).unwrap_or_default();
        let period = if p_raw.trim().eq_ignore_ascii_case("ytd") {
            Some(Period::Ytd)
        } else {
            Period::parse_quota_period(p_raw)
        };
        let Some(period) = period else {
            let p = Problem::row(
                &file,
                line,
                "period",
                p_raw,
                "is not a period (FY, YTD, Q1–Q4, M01–M12)",
                "bad period",
            )
            .with_hint("KPI periods are FY, YTD, Q1–Q4 or M01–M12 (fiscal)");
            reject(frame, p, problems);
            continue;
        };
        let v_raw = values.get(i).unwrap_or_default();
        let number = v_raw.trim().trim_end_matches('%').trim_end();
        let value = parse::parse_money(number, style).map(crate::num::Rational::from_cents);
        let Some(value) = value else {
            let p = Problem::row(&file, line, "value", v_raw, "is not a number", "bad value")
                .with_hint("KPI values are numbers such as 4.2, 87.5 or 75%");
            reject(frame, p, problems);
            continue;
        };
        let kpi = names.get(i).unwrap_or_default().to_string();
        let member = members.get(i).map(str::to_string);
        if let Some(m) = &member {
            if !roster.contains(m.as_str()) {
                outside.insert(m.clone());
                *frame
                    .ledger
                    .ignored
                    .entry("member not in roster".to_string())
                    .or_default() += 1;
                continue;
            }
        }
        let key = (kpi.to_lowercase(), member.clone(), fy, period);
        if let Some((prev, f0, l0)) = seen.get(&key) {
            if *prev != value {
                let p = Problem::row(
                    &file,
                    line,
                    "value",
                    v_raw,
                    format!(
                        "conflicts with {}, which gives {} for the same KPI, member and period",
                        frame::refer(f0, *l0, &file),
                        prev.to_fixed(2)
                    ),
                    "conflicting key",
                )
                .with_hint("each KPI, member and period needs one value in kpis.csv");
                reject(frame, p, problems);
            } else {
                frame.ledger.duplicates += 1;
            }
            continue;
        }
        seen.insert(key, (value, file.clone(), line));
        out.push(KpiValue {
            kpi,
            member_id: member,
            fiscal_year: fy,
            period,
            value,
            percent: v_raw.trim().ends_with('%'),
        });
    }
    if !outside.is_empty() {
        warnings.push(format!(
            "{}: KPI values of ids not in the roster are ignored: {}",
            frame.ledger.files.join(", "),
            problems::show_list(outside.iter().map(|s| s.as_ref()))
        ));
    }
    frame.ledger.accepted = out.len() as u64;
    Ok(out)
}

/// Contacts with their dates and executive flag; a flag atu cannot read
/// is a problem of its row; contacts on accounts not in accounts.csv are
/// kept and warned (they count for no member).
fn contacts_from(
    frame: &mut Frame,
    accounts: Option<&[Account]>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Contact>> {
    let cols: Vec<&str> = CONTACTS.columns.iter().map(|c| c.name).collect();
    // Only rows that share a contact_id can be duplicates or conflicts:
    // the whole-row comparison runs on those few (the rest stay in file
    // order), as for opportunity lines.
    let key_count = len()
        .over([col("contact_id")])
        .map_err(|e| frame::polars_context("checking contact ids", e))?;
    let shared = rows_where(
        &frame.df,
        key_count.clone().gt(lit(1)),
        "checking contact ids",
    )?;
    let df = if shared.height() == 0 {
        frame.df.clone()
    } else {
        let mut sub = Frame {
            df: shared,
            files: frame.files.clone(),
            ledger: Ledger::default(),
            present: frame.present.clone(),
        };
        let (dups, examples) = frame::dedup(&mut sub, &cols, frame::Same::Read)?;
        frame.ledger.duplicates += dups;
        if dups > 0 {
            warnings.push(format!(
                "{dups} duplicate contact row(s) used once (e.g. {})",
                examples.join("; ")
            ));
        }
        let single = rows_where(&frame.df, key_count.eq(lit(1)), "checking contact ids")?;
        let sub = sub
            .df
            .sort(["__file", "__row"], SortMultipleOptions::default())
            .map_err(|e| frame::polars_context("sorting contacts", e))?;
        concat([single.lazy(), sub.lazy()], UnionArgs::default())
            .and_then(|lf| lf.collect())
            .map_err(|e| frame::polars_context("joining checked contacts", e))?
    };
    let mut out = Vec::new();
    if df.height() == 0 {
        return Ok(out);
    }
    let ids = str_col(&df, "contact_id")?;
    let accts = str_col(&df, "account_id")?;
    let flags = str_col(&df, "is_executive")?;
    let created = date_col(&df, "created_date")?;
    let inactive = date_col(&df, "inactive_date")?;
    let files = u32_col(&df, "__file")?;
    let rows = u32_col(&df, "__row")?;
    let known: Option<std::collections::HashSet<&str>> =
        accounts.map(|a| a.iter().map(|a| a.id.as_str()).collect());
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    // Millions of contacts: ids are borrowed from the frame and a row is
    // located (file and line) only when it has a problem.
    let mut seen: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(df.height());
    let at = |i: usize| frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
    let mut rejected: Vec<Problem> = Vec::new();
    let mut no_account: Vec<(String, u64)> = Vec::new();
    let mut no_account_count: u64 = 0;
    out.reserve(df.height());
    for i in 0..df.height() {
        let id = ids.get(i).unwrap_or_default();
        let Some(executive) = parse_flag(flags.get(i)) else {
            let (file, line) = at(i);
            rejected.push(
                Problem::row(
                    &file,
                    line,
                    "is_executive",
                    flags.get(i).unwrap_or_default(),
                    "is not a yes/no flag",
                    "bad flag",
                )
                .with_hint("executive flags are true/yes/y/1/x or false/no/n/0 (blank is no)"),
            );
            continue;
        };
        if let Some(&first) = seen.get(id) {
            let (file, line) = at(i);
            let (f0, l0) = at(first);
            rejected.push(
                Problem::row(
                    &file,
                    line,
                    "contact_id",
                    id,
                    format!(
                        "appears again with other values (first on {})",
                        frame::refer(&f0, l0, &file)
                    ),
                    "conflicting key",
                )
                .with_hint("each contact_id must appear once in the contacts"),
            );
            continue;
        }
        seen.insert(id, i);
        // A contact without an account counts for nobody (SPEC §1.2).
        let Some(account_id) = accts.get(i) else {
            if no_account.len() < 3 {
                no_account.push(at(i));
            }
            no_account_count += 1;
            continue;
        };
        if known.as_ref().is_some_and(|k| !k.contains(account_id)) && unknown.len() < 1000 {
            unknown.insert(account_id.to_string());
        }
        let Some(created) = created[i] else { continue };
        if let Some(end) = inactive[i].filter(|e| *e < created) {
            let (file, line) = at(i);
            rejected.push(
                Problem::row(
                    &file,
                    line,
                    "inactive_date",
                    &end.to_string(),
                    format!("is before the contact was created ({created})"),
                    "bad date",
                )
                .with_hint("a contact becomes inactive on or after the day it was created"),
            );
            continue;
        }
        out.push(Contact {
            id: id.to_string(),
            account_id: account_id.to_string(),
            created,
            inactive: inactive[i],
            executive,
        });
    }
    if no_account_count > 0 {
        *frame
            .ledger
            .ignored
            .entry("contact without an account".to_string())
            .or_default() += no_account_count;
        warnings.push(format!(
            "{}: {no_account_count} contact(s) without an account count for nobody ({}{})",
            frame.ledger.files.join(", "),
            no_account
                .iter()
                .map(|(f, l)| format!("{f}:{l}"))
                .collect::<Vec<_>>()
                .join(", "),
            if no_account_count > 3 { ", …" } else { "" }
        ));
    }
    finish_rows(
        frame,
        rejected,
        problems,
        &unknown,
        "contacts",
        warnings,
        out.len(),
    )?;
    Ok(out)
}

/// The end of a per-row check: rejected rows into the ledger and the
/// problems, a warning for rows on accounts accounts.csv lacks (`what`:
/// "contacts"), and the accepted count.
fn finish_rows(
    frame: &mut Frame,
    rejected: Vec<Problem>,
    problems: &mut Vec<Problem>,
    unknown: &BTreeSet<String>,
    what: &str,
    warnings: &mut Vec<String>,
    accepted: usize,
) -> Result<()> {
    for p in rejected {
        *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        problems.push(p);
    }
    if !unknown.is_empty() {
        let shown: Vec<&str> = unknown.iter().take(10).map(String::as_str).collect();
        warnings.push(format!(
            "{}: {what} on accounts not in accounts.csv ({}{}): they count for no member and not for the team",
            frame.ledger.files.join(", "),
            problems::show_list(shown.iter().copied()),
            if unknown.len() > 10 { ", …" } else { "" }
        ));
    }
    frame.ledger.accepted = accepted as u64;
    Ok(())
}

/// Rewrites a column of people (owners, quota holders) given as roster
/// names to the members' ids (see [`names`]).
fn resolve_people(
    frame: &mut Frame,
    column: &str,
    index: &names::NameIndex,
    warnings: &mut Vec<String>,
) -> Result<()> {
    if frame.df.height() == 0 {
        return Ok(());
    }
    let values = distinct(&frame.df, column)?;
    let (rewrites, mut w) = names::resolve_all(
        index,
        values.iter().map(String::as_str),
        column,
        &frame.ledger.files.join(", "),
    );
    warnings.append(&mut w);
    if rewrites.is_empty() {
        return Ok(());
    }
    let from: Vec<&str> = rewrites.keys().map(String::as_str).collect();
    let to: Vec<&str> = rewrites.values().map(String::as_str).collect();
    let map = DataFrame::new_infer_height(vec![
        Column::new(column.into(), from),
        Column::new("__to".into(), to),
    ])
    .map_err(|e| frame::polars_context("resolving names", e))?;
    frame.df = frame
        .df
        .clone()
        .lazy()
        .join(
            map.lazy(),
            [col(column)],
            [col(column)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("__to").is_not_null())
                .then(col("__to"))
                .otherwise(col(column))
                .alias(column),
        )
        .drop(Selector::ByName {
            names: ["__to".into()].into(),
            strict: true,
        })
        .collect()
        .map_err(|e| frame::polars_context("resolving names", e))?;
    Ok(())
}

/// The distinct filled values of a text column, sorted.
fn distinct(df: &DataFrame, column: &str) -> Result<Vec<String>> {
    if df.height() == 0 {
        return Ok(Vec::new());
    }
    let uniq = df
        .clone()
        .lazy()
        .select([col(column).unique()])
        .collect()
        .map_err(|e| frame::polars_context(&format!("listing the values of {column}"), e))?;
    let mut values: Vec<String> = str_col(&uniq, column)?
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    values.sort();
    Ok(values)
}

/// The rows of `df` where `cond` holds.
fn rows_where(df: &DataFrame, cond: Expr, what: &str) -> Result<DataFrame> {
    df.clone()
        .lazy()
        .filter(cond)
        .collect()
        .map_err(|e| frame::polars_context(what, e))
}

/// Rewrites the spellings of a text column that differ only in case to one
/// of them (the first in sort order); returns a warning naming them.
fn unify_spellings(frame: &mut Frame, column: &str) -> Result<Option<String>> {
    if frame.df.height() == 0 {
        return Ok(None);
    }
    let values = distinct(&frame.df, column)?;
    let mut canon: BTreeMap<String, String> = BTreeMap::new();
    let mut rewrites: Vec<(String, String)> = Vec::new();
    for v in values {
        let key = v.to_lowercase();
        match canon.get(&key) {
            Some(c) => rewrites.push((v, c.clone())),
            None => {
                canon.insert(key, v);
            }
        }
    }
    if rewrites.is_empty() {
        return Ok(None);
    }
    let mut e = col(column);
    for (from, to) in &rewrites {
        e = when(col(column).eq(lit(from.as_str())))
            .then(lit(to.as_str()))
            .otherwise(e);
    }
    frame.df = frame
        .df
        .clone()
        .lazy()
        .with_column(e.alias(column))
        .collect()
        .map_err(|e| frame::polars_context("unifying spellings", e))?;
    let shown: Vec<String> = rewrites
        .iter()
        .take(5)
        .map(|(f, t)| format!("\"{f}\" as \"{t}\""))
        .collect();
    Ok(Some(format!(
        "{}: {column} spelled in several ways is read as one: {}{}",
        frame.ledger.files.join(", "),
        shown.join(", "),
        if rewrites.len() > 5 { ", …" } else { "" }
    )))
}

fn unknown_owners(frame: &Frame, roster: &BTreeSet<&str>) -> Result<Vec<String>> {
    Ok(distinct(&frame.df, "owner_id")?
        .into_iter()
        .filter(|o| !roster.contains(o.as_str()))
        .collect())
}

/// Survey responses with their dates and answers read through `[nsat]`
/// (blank is excluded); an answer outside the scale is a problem of its
/// row. Rows identical in every field are duplicates (SPEC §1.3), used
/// once and warned; responses on accounts not in accounts.csv are kept and
/// warned (they count for no member).
fn nsat_from(
    settings: &Settings,
    frame: &mut Frame,
    accounts: Option<&[Account]>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Response>> {
    let cols: Vec<&str> = NSAT.columns.iter().map(|c| c.name).collect();
    let (dups, examples) = frame::dedup(frame, &cols, frame::Same::WholeRow)?;
    if dups > 0 {
        warnings.push(format!(
            "{dups} duplicate survey response row(s) used once (e.g. {}); give each response a respondent_id if one account answers alike twice on a day",
            examples.join("; ")
        ));
    }
    let df = &frame.df;
    let mut out = Vec::with_capacity(df.height());
    if df.height() == 0 {
        return Ok(out);
    }
    let accts = str_col(df, "account_id")?;
    let ratings = str_col(df, "rating")?;
    let dates = df
        .column("response_date")
        .and_then(|c| c.cast(&DataType::Int32))
        .map_err(|e| frame::polars_context("reading response dates", e))?;
    let dates = dates
        .i32()
        .map_err(|e| frame::polars_context("reading response dates", e))?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let files = u32_col(df, "__file")?;
    let rows = u32_col(df, "__row")?;
    let known: Option<BTreeSet<&str>> = accounts.map(|a| a.iter().map(|a| a.id.as_str()).collect());
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    let scale = &settings.nsat;
    let mut rejected: Vec<Problem> = Vec::new();
    for i in 0..df.height() {
        let raw = ratings.get(i);
        let Some(answer) = scale.answer(raw) else {
            let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
            rejected.push(
                Problem::row(
                    &file,
                    line,
                    "rating",
                    raw.unwrap_or_default(),
                    format!("is not on the NSAT scale ({})", scale.describe()),
                    "bad rating",
                )
                .with_hint("map the survey's answers in atu.toml: [nsat] vsat = [...], dsat = [...], neutral = [...], excluded = [...] (a configured scale lists every answer)"),
            );
            continue;
        };
        let Some(date) = dates
            .get(i)
            .and_then(|d| epoch.checked_add_signed(chrono::Duration::days(d as i64)))
        else {
            continue;
        };
        let account_id = accts.get(i).unwrap_or_default();
        if known.as_ref().is_some_and(|k| !k.contains(account_id)) && unknown.len() < 1000 {
            unknown.insert(account_id.to_string());
        }
        out.push(Response {
            account_id: account_id.to_string(),
            date,
            answer,
        });
    }
    finish_rows(
        frame,
        rejected,
        problems,
        &unknown,
        "survey responses",
        warnings,
        out.len(),
    )?;
    Ok(out)
}
