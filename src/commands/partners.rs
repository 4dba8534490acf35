//! `atu partners`: partner attach over the YTD window (SPEC §3.6).

use anyhow::Result;

use crate::cli::Common;
use crate::metrics::partners;
use crate::report::Report;

/// Runs the command and returns what it wrote.
pub fn run(common: &Common) -> Result<Report> {
    let p = super::prepare(common)?;
    let (by_owner, team) = super::stats_of(&p)?;
    let notes = if super::has_partner_column(&p) {
        Vec::new()
    } else {
        vec![format!(
            "partner attach: {} (map [columns.opportunities] partner_id)",
            partners::NO_PARTNER_COLUMN
        )]
    };
    let report = super::report(
        &p.ctx,
        vec![partners::table(
            &p.ctx,
            &by_owner,
            &team,
            super::has_partner_column(&p),
        )],
        notes,
    );
    super::output::emit(&report, None, &p.plan, common.quiet)?;
    Ok(report)
}
