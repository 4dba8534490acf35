//! `atu whitespace`: the account × product matrix (SPEC §3.3, §6). CSV,
//! JSON and markdown carry the contract's table (rows by account_id); a
//! terminal shows the largest accounts first and a row of totals.

use anyhow::Result;

use crate::cli::Common;
use crate::metrics::whitespace;
use crate::report::Report;

/// Runs the command and returns what it wrote.
pub fn run(common: &Common) -> Result<Report> {
    let p = super::prepare_without(common, &["quotas"])?;
    let (accounts, catalog, holdings, notes) = super::penetration_inputs(common, &p, "whitespace")?;
    let table = whitespace::table(&p.ctx, accounts, &holdings, &catalog);
    let screen = whitespace::screen(&p.ctx, accounts, &holdings, &catalog);
    let report = super::report(&p.ctx, vec![table], notes.clone());
    let mut screen_notes = notes;
    screen_notes.push(
        "pipeline: an open line of the product on the account; empty: a gap. Accounts with the most won revenue up to the cut-off come first; the last row counts the accounts that own each product".to_string(),
    );
    let screen = super::report(&p.ctx, vec![screen], screen_notes);
    super::output::emit(&report, Some(&screen), &p.plan, common.quiet)?;
    Ok(report)
}
