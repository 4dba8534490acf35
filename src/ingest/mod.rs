//! Ingest: turn a dataset folder into typed, validated tables. The roster and
//! quotas are small and become Rust values; opportunity lines stay a polars
//! frame (never Rust structs) for the metrics to aggregate. Every problem is
//! collected with its location; a strict run fails with all of them, a
//! `--skip-invalid` run leaves the rows out and records them in the ledger.

mod accounts;
pub mod codes;
mod columns;
mod contacts;
pub mod currencies;
mod dedup;
mod files;
mod forecast;
mod formats;
pub mod frame;
mod headers;
mod kpis;
mod members;
pub mod names;
mod opportunities;
pub mod parse;
pub mod problems;
mod quotas;
mod read;
mod responses;
pub mod source;
pub mod splits;
pub mod survey;
mod typed;
pub mod typing;

use accounts::accounts_from;
use columns::resolve_people;
use contacts::contacts_from;
pub use contacts::parse_flag;
use kpis::kpis_from;
use members::members_from;
use opportunities::{opportunities_from, unknown_owners};
use quotas::quotas_from;
use responses::nsat_from;

use std::collections::BTreeSet;

use anyhow::{bail, Result};
use chrono::NaiveDate;

use crate::calendar::{self, Period};
pub use crate::config::nsat::Answer;
use crate::config::Settings;
pub use crate::schema::{
    ColSpec, TableSpec, ACCOUNTS, CONTACTS, CURRENCIES, KPIS, MEMBERS, NSAT, OPPORTUNITIES, QUOTAS,
    SPLITS,
};
pub use frame::{Frame, Ledger};
use problems::{Diagnostics, InputErrors, Problem};

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

/// A customer contact of contacts.csv (its id was checked at ingest; no
/// figure reads it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Its account: the position in [`Dataset::accounts`] (sorted by id);
    /// `None` when accounts.csv does not hold it (or there is none): the
    /// contact counts for nobody.
    pub account: Option<u32>,
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
    /// Its account: the position in [`Dataset::accounts`], as for
    /// [`Contact::account`].
    pub account: Option<u32>,
    pub date: NaiveDate,
    pub answer: Answer,
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
    /// `partner_id`; with accounts.csv, `__account` (UInt32: the position
    /// of the line's account in `accounts`, null when not there). `None`
    /// without opportunities.csv.
    pub opportunities: Option<Frame>,
    /// accounts.csv, sorted by id; `None` without it.
    pub accounts: Option<Vec<Account>>,
    /// contacts.csv, in file order (contacts without an account left out);
    /// `None` without it.
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
    /// The reporting currency when amounts are converted (SPEC §3.6a).
    pub currency: Option<String>,
}

/// A table as [`frame::load`] found it.
enum Read {
    /// No file: an optional table's section says "no data".
    Missing,
    /// Every file failed to load; the problems say why.
    Failed,
    Loaded(Box<Frame>),
}

/// Loads one table, its problems and warnings into `diag`.
fn read(settings: &Settings, spec: &TableSpec, diag: &mut Diagnostics) -> Result<Read> {
    Ok(match frame::load(settings, spec)? {
        None => Read::Missing,
        Some(out) if out.frame.ledger.files.is_empty() => {
            diag.problems.extend(out.problems);
            Read::Failed
        }
        Some(out) => {
            diag.problems.extend(out.problems);
            diag.warnings.extend(out.warnings);
            Read::Loaded(Box::new(out.frame))
        }
    })
}

/// Reads every table of the dataset (SPEC §1): the roster first (people
/// named by name in other tables resolve against it), then quotas,
/// opportunity lines, accounts, contacts, survey responses and KPI values.
/// A strict run fails with every problem; `--skip-invalid` keeps them as
/// the rejected rows.
pub fn load(settings: &Settings) -> Result<Dataset> {
    let mut diag = Diagnostics::default();
    let mut ledgers = Vec::new();
    // Warnings about optional tables that are missing, by table: a
    // command that does not use a table does not say it.
    let mut missing: Vec<(&'static str, String)> = Vec::new();
    let members = roster(settings, &mut diag, &mut ledgers)?;
    // Exports may name people instead of giving ids.
    let index = names::NameIndex::new(&members);
    let roster: BTreeSet<&str> = members.iter().map(|m| m.id.as_str()).collect();

    // currencies (optional): rates to the reporting currency (SPEC §3.6a)
    let mut cframe = match read(settings, &CURRENCIES, &mut diag)? {
        Read::Loaded(f) => Some(f),
        Read::Missing | Read::Failed => None,
    };
    let rates = currencies::rates_from(settings, cframe.as_deref_mut(), &mut diag)?;
    if let Some(f) = &cframe {
        ledgers.push(f.ledger.clone());
    }
    let currency = currencies::report_currency(settings, &rates)?;

    // quotas (optional); `[quotas] team_rows` sets the team's own quotas
    let mut team_quotas: Option<Vec<Quota>> = None;
    let quotas = match read(settings, &QUOTAS, &mut diag)? {
        Read::Missing => {
            missing.push((
                "quotas",
                format!(
                    "no quotas.csv: attainment shows actuals without quotas{}",
                    frame::files_found(settings, &QUOTAS)
                ),
            ));
            None
        }
        Read::Failed => None,
        Read::Loaded(mut qframe) => {
            if let Some(report) = &currency {
                currencies::convert_frame(
                    &mut qframe,
                    "quota",
                    Some("start_date"),
                    &rates,
                    report,
                    &mut diag,
                )?;
            }
            resolve_people(&mut qframe, "member_id", &index, &mut diag.warnings)?;
            let (q, t) = quotas_from(settings, &mut qframe, &roster, &mut diag)?;
            ledgers.push(qframe.ledger.clone());
            if settings.team_rows.is_some() {
                team_quotas = Some(t);
            }
            Some(q)
        }
    };

    // opportunities (optional)
    let mut opportunities = match read(settings, &OPPORTUNITIES, &mut diag)? {
        Read::Missing => {
            missing.push((
                "opportunities",
                format!(
                    "no opportunities.csv: every actual is 0{}",
                    frame::files_found(settings, &OPPORTUNITIES)
                ),
            ));
            None
        }
        Read::Failed => None,
        Read::Loaded(mut oframe) => {
            if let Some(report) = &currency {
                currencies::convert_frame(
                    &mut oframe,
                    "amount",
                    Some("close_date"),
                    &rates,
                    report,
                    &mut diag,
                )?;
            }
            resolve_people(&mut oframe, "owner_id", &index, &mut diag.warnings)?;
            forecast::forecast_columns(settings, &mut oframe, &mut diag)?;
            let t0 = std::time::Instant::now();
            opportunities_from(&mut oframe, &mut diag)?;
            // The record hashes served the duplicate and key checks; no
            // figure reads them (8 bytes a line).
            if oframe.df.get_column_index("__hash").is_some() {
                oframe
                    .df
                    .drop_in_place("__hash")
                    .map_err(|e| frame::polars_context("dropping record hashes", e))?;
            }
            frame::stage(settings, "opportunities: duplicates and keys checked", t0);
            // Names that several members share were warned about already.
            let unknown: Vec<String> = unknown_owners(&oframe, &roster)?
                .into_iter()
                .filter(|o| !matches!(index.resolve(o), names::Resolved::Ambiguous(_)))
                .collect();
            if !unknown.is_empty() {
                diag.warnings.push(format!(
                    "{}: owners not in the roster ({}): their revenue is kept as (unassigned) and shown in the reconciliation",
                    oframe.ledger.files.join(", "),
                    problems::show_list(unknown.iter().map(String::as_str))
                ));
            }
            ledgers.push(oframe.ledger.clone());
            Some(*oframe)
        }
    };

    // splits (optional): credit shared between members (SPEC §3.6c)
    if let Read::Loaded(mut sframe) = read(settings, &SPLITS, &mut diag)? {
        resolve_people(&mut sframe, "member_id", &index, &mut diag.warnings)?;
        let s = splits::splits_from(&mut sframe, &mut diag)?;
        let outside: BTreeSet<&str> = s
            .iter()
            .map(|x| x.member.as_str())
            .filter(|m| !roster.contains(m))
            .collect();
        if !outside.is_empty() {
            diag.warnings.push(format!(
                "{}: split members not in the roster ({}): their shares are kept as (unassigned) and shown in the reconciliation",
                sframe.ledger.files.join(", "),
                problems::show_list(outside.iter().copied())
            ));
        }
        if let Some(o) = opportunities.as_mut() {
            splits::apply_splits(o, &s)?;
        }
        ledgers.push(sframe.ledger.clone());
    }

    // The lines' owners and words are final: held as codes from here on
    // (their accounts once matched to accounts.csv, below).
    if let Some(opps) = opportunities.as_mut() {
        let t0 = std::time::Instant::now();
        // Those read as text (several headers, a filter on their header),
        // and the typed words.
        let few: Vec<&str> = OPPORTUNITIES
            .read_as_codes
            .iter()
            .copied()
            .filter(|c| *c != "account_id")
            .chain(opportunities::CODED_ONCE_TYPED)
            .collect::<std::collections::BTreeSet<&str>>()
            .into_iter()
            .collect();
        opportunities::hold_as_codes(&mut opps.df, &few)?;
        give_back_free_memory();
        frame::stage(settings, "opportunities: columns of few values coded", t0);
    }

    // accounts, contacts and survey responses (optional)
    let accounts = match read(settings, &ACCOUNTS, &mut diag)? {
        Read::Loaded(mut aframe) => {
            resolve_people(&mut aframe, "owner_id", &index, &mut diag.warnings)?;
            let t0 = std::time::Instant::now();
            let a = accounts_from(&mut aframe, &roster, &mut diag)?;
            frame::stage(settings, "accounts: owners and keys checked", t0);
            ledgers.push(aframe.ledger.clone());
            Some(a)
        }
        Read::Missing | Read::Failed => None,
    };
    // Contacts and responses name their account by its position in
    // `accounts` (sorted by id), found once here.
    let account_codes = accounts
        .as_deref()
        .map(|a| codes::Codes::of(a.iter().map(|a| a.id.as_str())));
    let contacts = match read(settings, &CONTACTS, &mut diag)? {
        Read::Loaded(mut cframe) => {
            let t0 = std::time::Instant::now();
            let c = contacts_from(&mut cframe, account_codes.as_ref(), &mut diag)?;
            frame::stage(settings, "contacts: flags, dates and keys checked", t0);
            ledgers.push(cframe.ledger.clone());
            Some(c)
        }
        Read::Missing | Read::Failed => None,
    };
    let nsat = match read(settings, &NSAT, &mut diag)? {
        Read::Loaded(mut nframe) => {
            let t0 = std::time::Instant::now();
            let r = nsat_from(settings, &mut nframe, account_codes.as_ref(), &mut diag)?;
            frame::stage(
                settings,
                "nsat: answers, duplicates and accounts checked",
                t0,
            );
            ledgers.push(nframe.ledger.clone());
            Some(r)
        }
        Read::Missing | Read::Failed => None,
    };
    let kpis = match read(settings, &KPIS, &mut diag)? {
        Read::Loaded(mut kframe) => {
            resolve_people(&mut kframe, "member_id", &index, &mut diag.warnings)?;
            let decimal = settings.format("kpis").decimal;
            let k = kpis_from(&mut kframe, &roster, decimal, &mut diag)?;
            ledgers.push(kframe.ledger.clone());
            Some(k)
        }
        Read::Missing | Read::Failed => None,
    };

    let t0 = std::time::Instant::now();
    if let (Some(accts), Some(codes), Some(opps)) =
        (&accounts, &account_codes, opportunities.as_mut())
    {
        let unknown = accounts_named_by_name(accts, codes, opps, &mut diag.warnings)?;
        lines_on_unknown_accounts(&unknown, opps, &mut diag);
    }
    // The lines' accounts as codes, when they were not read so (several
    // headers) or were rewritten (accounts named by name).
    if let Some(opps) = opportunities.as_mut() {
        opportunities::hold_as_codes(&mut opps.df, &["account_id"])?;
    }
    give_back_free_memory();
    frame::stage(settings, "lines' accounts coded, unknown ones checked", t0);

    // A file that cannot be read as a table fails the run even with
    // --skip-invalid: that flag leaves out rows, never whole files.
    let Diagnostics {
        mut problems,
        warnings,
    } = diag;
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
        currency,
    })
}

/// Gives the heap's free pages back to the system (glibc keeps what the
/// read and typing passes of a large export freed, in pieces between the
/// memory still in use), so that later passes count from what is in use.
fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// members.csv (required): the roster, with members of one name warned and
/// managers named by name resolved to ids.
fn roster(
    settings: &Settings,
    diag: &mut Diagnostics,
    ledgers: &mut Vec<Ledger>,
) -> Result<Vec<Member>> {
    let mut mframe = match read(settings, &MEMBERS, diag)? {
        Read::Loaded(f) => *f,
        Read::Missing => bail!(
            "{}: the roster (members.csv) is missing{}\nhelp: put members.csv in the data folder, or point [files] members in atu.toml at the export",
            settings.data_dir.join(MEMBERS.file).display(),
            frame::files_found(settings, &MEMBERS)
        ),
        // The roster's files failed: their problems fail the run, with
        // those of the other tables.
        Read::Failed => return Ok(Vec::new()),
    };
    let mut members = members_from(&mut mframe, diag)?;
    ledgers.push(mframe.ledger.clone());
    let index = names::NameIndex::new(&members);
    let files = mframe.ledger.files.join(", ");
    for group in index.near_duplicates() {
        diag.warnings.push(format!(
            "{files}: members with the same name (case and spaces aside): {}; rows that name them instead of giving an id stay unassigned",
            group.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
        ));
    }
    let managers: BTreeSet<&str> = members
        .iter()
        .filter_map(|m| m.manager_id.as_deref())
        .collect();
    let (rewrites, mut w) = names::resolve_all(&index, managers.into_iter(), "manager_id", &files);
    diag.warnings.append(&mut w);
    for m in &mut members {
        if let Some(id) = m.manager_id.as_ref().and_then(|v| rewrites.get(v)) {
            m.manager_id = Some(id.clone());
        }
    }
    Ok(members)
}

/// Lines that name their account by name (a Zoho deal's `Account Name`, a
/// Dynamics `Potential Customer`) where accounts.csv has ids: a value that
/// is no account's id but exactly one account's name (case and outer
/// spaces aside) becomes that account's id, said once; a name several
/// accounts share is kept as written, and said. Each line's account is then
/// coded once for the metrics: the column `__account` is its position in
/// `accounts` (null when accounts.csv does not hold it, or it is blank).
/// Returns the account ids on the lines that accounts.csv still does not
/// hold, sorted.
fn accounts_named_by_name(
    accounts: &[Account],
    codes: &codes::Codes,
    opportunities: &mut Frame,
    warnings: &mut Vec<String>,
) -> Result<Vec<String>> {
    let unknown = code_accounts(codes, &mut opportunities.df)?;
    if unknown.is_empty() {
        return Ok(unknown);
    }
    let mut by_name: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for a in accounts {
        if let Some(n) = &a.name {
            by_name
                .entry(n.trim().to_lowercase())
                .or_default()
                .push(a.id.as_str());
        }
    }
    let mut to_id: std::collections::BTreeMap<String, String> = Default::default();
    let mut shared: Vec<String> = Vec::new();
    let mut still: Vec<String> = Vec::new();
    for v in unknown {
        match by_name.get(&v.trim().to_lowercase()).map(Vec::as_slice) {
            Some([one]) if *one != v => {
                to_id.insert(v, one.to_string());
            }
            Some([_, _, ..]) => {
                shared.push(v.clone());
                still.push(v);
            }
            _ => still.push(v),
        }
    }
    if !shared.is_empty() {
        warnings.push(format!(
            "{}: account names that several accounts of accounts.csv share ({}): those lines keep the name, which is no account's id; map [columns.opportunities] account_id to an account id column if the export has one",
            opportunities.ledger.files.join(", "),
            problems::show_list(shared.iter().take(10).map(String::as_str))
        ));
    }
    if to_id.is_empty() {
        return Ok(still);
    }
    let replaced: polars::prelude::StringChunked = frame::texts(&opportunities.df, "account_id")?
        .map(|v| v.map(|v| to_id.get(v).map_or(v, String::as_str)))
        .collect();
    opportunities
        .df
        .with_column(polars::prelude::IntoColumn::into_column(
            replaced.with_name("account_id".into()),
        ))
        .map_err(|e| frame::polars_context("matching accounts by name", e))?;
    // Lines named by name now hold ids: coded again.
    code_accounts(codes, &mut opportunities.df)?;
    warnings.push(format!(
        "{}: {} account(s) named by name matched to accounts.csv's ids (e.g. \"{}\" is {})",
        opportunities.ledger.files.join(", "),
        to_id.len(),
        to_id.keys().next().map(String::as_str).unwrap_or(""),
        to_id.values().next().map(String::as_str).unwrap_or("")
    ));
    Ok(still)
}

/// Codes each line's account in one pass: `__account` is its position in
/// accounts.csv (`known`; null when blank or not there). Returns the account
/// ids on the lines (blank aside) that accounts.csv does not hold, sorted.
/// The lines' accounts are read as codes already (`source::scan`): one
/// lookup per distinct account, not per line (millions of lines, a few
/// hundred thousand accounts).
fn code_accounts(
    known: &codes::Codes,
    lines: &mut polars::prelude::DataFrame,
) -> Result<Vec<String>> {
    use polars::prelude::*;
    let err = |e| frame::polars_context("coding the lines' accounts", e);
    let mut all = known.clone();
    let limit = known.len() as u32;
    // Read as codes (`source::scan`): each distinct value looked up once.
    let (physical, values) = frame::codes_of(lines, "account_id")?;
    let mut of: Vec<Option<u32>> = vec![None; values.num_cats_upper_bound()];
    let positions: UInt32Chunked = physical
        .iter()
        .map(|c| {
            let c = c?;
            let code = *of[c as usize]
                .get_or_insert_with(|| all.code(values.cat_to_str(c).unwrap_or_default()));
            (code < limit).then_some(code)
        })
        .collect();
    let mut unknown: Vec<String> = all.ids()[known.len()..]
        .iter()
        .map(|s| s.to_string())
        .collect();
    unknown.sort();
    lines
        .with_column(positions.with_name("__account".into()).into_column())
        .map_err(err)?;
    Ok(unknown)
}

/// Revenue lines on accounts that accounts.csv does not know belong to no
/// territory, vertical or segment and to no member's accounts: said.
/// `missing`: their account ids (after names were matched), sorted.
fn lines_on_unknown_accounts(missing: &[String], opportunities: &Frame, diag: &mut Diagnostics) {
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(10).map(String::as_str).collect();
        diag.warnings.push(format!(
            "{}: lines on {} account(s) not in accounts.csv ({}{}): they count for no account's products, and --territory, --vertical and --segment leave them out; add the accounts to accounts.csv (ids must match exactly)",
            opportunities.ledger.files.join(", "),
            missing.len(),
            shown.join(", "),
            if missing.len() > 10 { ", …" } else { "" }
        ));
    }
}
