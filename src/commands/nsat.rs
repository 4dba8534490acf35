//! `atu nsat`: NSAT per fiscal quarter, for the eight quarters up to the
//! one that holds the cut-off D (SPEC §3.4), per member (the account's
//! owner) and team, or with `--by account` per account and team.
//!
//! Responses belong to a member through their account's owner, so the
//! command needs both nsat.csv and accounts.csv; without either it fails
//! (exit 1) naming the missing file.

use anyhow::Result;

use crate::cli::{Common, NsatBy};
use crate::ingest::{self, TableSpec};
use crate::metrics::nsat;
use crate::report::Report;

/// Runs the command and returns what it wrote.
pub fn run(common: &Common, by: Option<NsatBy>) -> Result<Report> {
    let p = super::prepare_without(common, &["quotas", "opportunities"])?;
    let (accounts, responses) = match (&p.data.accounts, &p.data.nsat) {
        (Some(a), Some(r)) => (a, r),
        (a, r) => {
            let mut missing: Vec<&TableSpec> = Vec::new();
            if r.is_none() {
                missing.push(&ingest::NSAT);
            }
            if a.is_none() {
                missing.push(&ingest::ACCOUNTS);
            }
            anyhow::bail!(
                "{}",
                super::missing_tables(&p.settings, &missing, |t| match t {
                    "nsat" => ("the survey responses", ""),
                    _ => (
                        "the accounts",
                        " (a response counts for the member who owns its account)"
                    ),
                })
            );
        }
    };
    let min = p.settings.nsat.min_responses;
    let trend = nsat::compute(&p.ctx, accounts, responses, min)?;
    if !trend.tallies.unowned.is_empty() {
        let ids: Vec<&str> = trend
            .tallies
            .unowned
            .iter()
            .map(String::as_str)
            .take(10)
            .collect();
        super::warn(
            common,
            &format!(
                "survey responses on accounts without an owner in accounts.csv ({}{}): they count for no member and not for the team",
                ids.join(", "),
                if trend.tallies.unowned.len() > 10 { ", …" } else { "" }
            ),
        );
    }
    let table = match by {
        None => nsat::table(&p.ctx, &trend),
        Some(NsatBy::Account) => nsat::account_table(&p.ctx, accounts, &trend),
    };
    let notes = vec![
        format!(
            "NSAT = 100 + 100 × (VSAT − DSAT) / responses per fiscal quarter up to {} (D); responses dated after D do not count; excluded answers (Don't know, N/A, blank) are not responses",
            p.ctx.cutoff
        ),
        format!(
            "low_sample: fewer than {min} responses ([nsat] min_responses); interval: adjusted-Wald 95%; a change is significant when the intervals do not overlap and neither quarter is low-sample"
        ),
    ];
    let report = super::report(&p.ctx, vec![table], notes);
    super::output::emit(&report, None, &p.plan, common.quiet)?;
    Ok(report)
}
