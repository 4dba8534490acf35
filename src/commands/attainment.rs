//! `atu attainment`: the attainment grid (SPEC §3.1, §6).

use anyhow::Result;

use crate::cli::Common;
use crate::report::Report;

/// Runs the command and returns what it wrote.
pub fn run(common: &Common) -> Result<Report> {
    let p = super::prepare(common)?;
    let att = super::attainment_of(common, &p)?;
    let mut notes = vec![
        "YTD rows are the pace: actual to date against the quota expected to date.".to_string(),
    ];
    if p.data.quotas.is_none() {
        notes.push("no quotas.csv: quotas and attainment are missing".to_string());
    }
    let report = super::report(&p.ctx, vec![att.table(&p.ctx)], notes);
    super::output::emit(&report, None, &p.plan, common.quiet)?;
    Ok(report)
}
