//! `atu attainment`: the attainment grid (SPEC §3.1, §6); with `--explain`
//! also the won lines behind each figure, so anyone can check it by hand.

use anyhow::Result;

use crate::cli::Common;

/// Runs the command and returns what it wrote and judged.
pub fn run(common: &Common, explain: bool) -> Result<super::Outcome> {
    if explain && common.member.is_empty() {
        return Err(crate::UsageError(
            "--explain lists the lines of the members named with --member\nhelp: add --member ID (repeatable), e.g. atu attainment --explain --member M01".to_string(),
        )
        .into());
    }
    let p = super::prepare(common)?;
    let att = super::attainment_of(common, &p)?;
    let mut notes = vec![
        "YTD rows are the pace: actual to date against the quota expected to date.".to_string(),
    ];
    if p.data.quotas.is_none() {
        notes.push("no quotas.csv: quotas and attainment are missing".to_string());
    }
    let mut tables = vec![att.table(&p.ctx)];
    if explain {
        let lines = match &p.data.opportunities {
            Some(f) => crate::metrics::lines::explain(f, &p.ctx)?,
            None => crate::report::Table::new("lines", "Won lines behind the figures", &[]),
        };
        notes.push(format!(
            "{} won line(s) from {} to {}; each quarter's actual is the sum of its lines",
            lines.rows.len(),
            p.ctx.fy.start,
            p.ctx.cutoff
        ));
        // CSV writes the primary table: with --explain, the lines.
        tables.insert(0, lines);
    }
    // On screen the grid comes first, then the lines behind it.
    let mut shown = tables.clone();
    shown.reverse();
    let screen = super::report(&p.ctx, shown, notes.clone());
    let report = super::report(&p.ctx, tables, notes);
    super::output::emit(&report, Some(&screen), &p.plan, common.quiet)?;
    Ok(super::Outcome {
        report,
        judged: Some(super::Judged {
            table: "attainment",
            team_name: p.ctx.team_name.clone(),
            kpis: att.table_kpis(&p.ctx),
        }),
    })
}
