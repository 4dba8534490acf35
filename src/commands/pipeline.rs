//! `atu pipeline`: win rate, pipeline, coverage and past-due lines (SPEC §3.2).

use anyhow::Result;

use crate::cli::Common;
use crate::metrics::pipeline;
use crate::report::Report;

/// Runs the command and returns what it wrote.
pub fn run(common: &Common) -> Result<Report> {
    let p = super::prepare(common)?;
    let att = super::attainment_of(common, &p)?;
    let (by_owner, team) = super::stats_of(&p)?;
    let rows = pipeline::compute(&p.ctx, &att, &by_owner, team);
    let notes = vec![format!(
        "pipeline: open lines closing after {} and by {}; past-due open lines are counted apart",
        p.ctx.cutoff, p.ctx.fy.end
    )];
    let report = super::report(&p.ctx, vec![pipeline::table(&p.ctx, &rows)], notes);
    super::output::emit(&report, None, &p.plan, common.quiet)?;
    Ok(report)
}
