//! contacts.csv into contacts: executive flags, dates, ids once, contacts
//! without an account counted for nobody.

use std::collections::BTreeSet;

use anyhow::Result;
use polars::prelude::*;

use super::codes::Codes;
use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;

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

/// Contacts with their dates, executive flag and account (its code in
/// `accounts`, the ids of accounts.csv); a flag atu cannot read is a
/// problem of its row; contacts on accounts not in accounts.csv are kept
/// and warned (they count for no member).
pub(super) fn contacts_from(
    frame: &mut Frame,
    accounts: Option<&Codes>,
    diag: &mut Diagnostics,
) -> Result<Vec<Contact>> {
    let Diagnostics { problems, warnings } = diag;
    let cols: Vec<&str> = CONTACTS.columns.iter().map(|c| c.name).collect();
    // Only rows that share a contact_id can be duplicates or conflicts:
    // the whole-row comparison runs on those few (the rest stay in file
    // order), as for opportunity lines.
    // Rows whose contact_id hash another row has (every row of a shared
    // id, and the rare collision, which the exact checks below tell
    // apart): one hash per row and a sort, not a window over the ids.
    let maybe_shared = {
        use std::hash::{BuildHasher, Hasher};
        let state = PlFixedStateQuality::default();
        let hashes: Vec<u64> = frame::texts(&frame.df, "contact_id")?
            .map(|v| {
                let mut h = state.build_hasher();
                frame::hash_text(&mut h, v);
                h.finish()
            })
            .collect();
        frame::shared_hashes(&hashes)
    };
    let shared = frame
        .df
        .filter(&maybe_shared)
        .map_err(|e| frame::polars_context("checking contact ids", e))?;
    // Rows from `single_rows` on share their contact_id with another row.
    let mut single_rows = frame.df.height();
    let df = if shared.height() == 0 {
        frame.df.clone()
    } else {
        let mut sub = Frame {
            df: shared,
            files: frame.files.clone(),
            ledger: Ledger::default(),
            present: frame.present.clone(),
            labels: frame.labels.clone(),
        };
        frame.ledger.duplicates +=
            frame::dedup_said(&mut sub, &cols, frame::Same::Read, "contact row", warnings)?;
        let single = frame
            .df
            .filter(&!&maybe_shared)
            .map_err(|e| frame::polars_context("checking contact ids", e))?;
        single_rows = single.height();
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
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    // Millions of contacts: ids are borrowed from the frame and a row is
    // located (file and line) only when it has a problem.
    // Only rows that share an id can conflict: the others are not hashed.
    let mut seen: PlHashMap<&str, usize> = PlHashMap::new();
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
        if i < single_rows {
            // A contact_id of one row.
        } else if let Some(&first) = seen.get(id) {
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
        } else {
            seen.insert(id, i);
        }
        // A contact without an account counts for nobody (SPEC §1.2).
        let Some(account_id) = accts.get(i) else {
            if no_account.len() < 3 {
                no_account.push(at(i));
            }
            no_account_count += 1;
            continue;
        };
        // One lookup per contact, here: the metrics index by the code.
        let account = accounts.and_then(|k| k.get(account_id));
        if account.is_none()
            && accounts.is_some()
            && unknown.len() < 1000
            && !unknown.contains(account_id)
        {
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
            account,
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
