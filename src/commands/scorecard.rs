//! `atu scorecard`: every KPI in long form (SPEC §3.7, §6), the attainment,
//! pipeline and partner tables for `--out-dir`, and on a terminal the
//! one-row-per-member summary with the reconciliation.

use anyhow::Result;

use crate::cli::Common;
use crate::metrics::{partners, pipeline, scorecard};
use crate::report::Report;

/// Runs the command and returns what it wrote.
pub fn run(common: &Common) -> Result<Report> {
    let p = super::prepare(common)?;
    let att = super::attainment_of(common, &p)?;
    let (by_owner, team) = super::stats_of(&p)?;
    let rec = super::reconciliation_of(&p)?;
    let prows = pipeline::compute(&p.ctx, &att, &by_owner, team);
    let kpis = scorecard::compute(&p.ctx, &att, &prows, &by_owner, &team, rec);
    let summary = scorecard::summary(&p.ctx, &att, &kpis);
    let rec_table = scorecard::reconciliation_table(rec);
    let notes = vec![format!(
        "won revenue {} = members {} + unassigned {}",
        crate::num::Rational::from_cents(rec.won),
        crate::num::Rational::from_cents(rec.assigned),
        crate::num::Rational::from_cents(rec.unassigned())
    )];
    let report = super::report(
        &p.ctx,
        vec![
            scorecard::table(&p.ctx, &kpis),
            summary.clone(),
            att.table(&p.ctx),
            pipeline::table(&p.ctx, &prows),
            partners::table(&p.ctx, &by_owner, &team),
            rec_table.clone(),
        ],
        notes.clone(),
    );
    let screen = super::report(&p.ctx, vec![summary, rec_table], notes);
    super::output::emit(&report, Some(&screen), &p.plan, common.quiet)?;
    Ok(report)
}
