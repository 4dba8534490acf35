//! `atu contacts`: customer contacts active on the fiscal year's first day
//! and at the cut-off D, their growth, and executives likewise (SPEC §3.5);
//! per member and team, or with `--by account` per account and team.
//!
//! Contacts belong to a member through their account's owner, so the
//! command needs both contacts.csv and accounts.csv; without either it
//! fails (exit 1) naming the missing file. (The scorecard, which has other
//! sections, says "no data" instead.)

use anyhow::Result;

use crate::cli::{Common, ContactsBy};
use crate::ingest::{self, TableSpec};
use crate::metrics::contacts;
use crate::report::Report;

/// Runs the command and returns what it wrote.
pub fn run(common: &Common, by: Option<ContactsBy>) -> Result<Report> {
    let p = super::prepare_without(common, &["quotas", "opportunities"])?;
    let (accounts, people) = match (&p.data.accounts, &p.data.contacts) {
        (Some(a), Some(c)) => (a, c),
        (a, c) => {
            let mut missing: Vec<&TableSpec> = Vec::new();
            if c.is_none() {
                missing.push(&ingest::CONTACTS);
            }
            if a.is_none() {
                missing.push(&ingest::ACCOUNTS);
            }
            anyhow::bail!(
                "{}",
                super::missing_tables(&p.settings, &missing, |t| match t {
                    "contacts" => ("the customer contacts", ""),
                    _ => (
                        "the accounts",
                        " (a contact counts for the member who owns its account)"
                    ),
                })
            );
        }
    };
    let counts = contacts::compute(&p.ctx, accounts, people);
    if !counts.unowned.is_empty() {
        let ids: Vec<&str> = counts.unowned.iter().map(String::as_str).take(10).collect();
        super::warn(
            common,
            &format!(
                "contacts on accounts without an owner in accounts.csv ({}{}): they count for no member and not for the team",
                ids.join(", "),
                if counts.unowned.len() > 10 { ", …" } else { "" }
            ),
        );
    }
    let table = match by {
        None => contacts::table(&p.ctx, &counts),
        Some(ContactsBy::Account) => contacts::account_table(&p.ctx, accounts, &counts),
    };
    let notes = vec![format!(
        "contacts_start: active on {} (the year's first day); contacts_asof: active at the end of {} (D); a contact counts for the member who owns its account",
        p.ctx.fy.start, p.ctx.cutoff
    )];
    let report = super::report(&p.ctx, vec![table], notes);
    super::output::emit(&report, None, &p.plan, common.quiet)?;
    Ok(report)
}
