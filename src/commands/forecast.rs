//! `atu forecast`: closed, commit, best case, pipeline, omitted and weighted
//! revenue for the quarter that holds D and for the fiscal year, and the
//! forecast percentages against quota (SPEC §3.6b).

use anyhow::Result;

use crate::cli::Common;
use crate::metrics::forecast;

/// Runs the command and returns what it wrote and judged.
pub fn run(common: &Common) -> Result<super::Outcome> {
    let p = super::prepare(common)?;
    let att = super::attainment_of(common, &p)?;
    let lines = p.data.opportunities.as_ref().map(|f| &f.df);
    let rows = forecast::compute(lines, &p.ctx, &att)?;
    let kpis = forecast::kpis(&p.ctx, &rows);
    let mut notes = vec![format!(
        "forecast: closed = won from the period's first day to {d}; commit, best case, pipeline and omitted = open lines closing after {d} within the period; forecast % = (closed + commit) / quota, best case % adds best case",
        d = p.ctx.cutoff
    )];
    if !super::has_forecast_column(&p) {
        notes.push("no forecast_category column: every open line counts as pipeline (map [columns.opportunities] forecast_category to the export's forecast category)".to_string());
    }
    let missing = forecast::without_probability(&rows);
    if missing > 0 {
        notes.push(format!(
            "weighted: {missing} open line(s) without a probability are left out of it"
        ));
    }
    let table = forecast::table(&p.ctx, &rows, &kpis);
    let report = super::report(&p.ctx, vec![table], notes);
    super::output::emit(&report, None, &p.plan, common.quiet)?;
    Ok(super::Outcome {
        report,
        judged: Some(super::Judged {
            table: "forecast",
            team_name: p.ctx.team_name.clone(),
            kpis,
        }),
    })
}
