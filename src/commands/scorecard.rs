//! `atu scorecard`: every KPI in long form (SPEC §3.7, §6), the attainment,
//! pipeline and partner tables for `--out-dir`, and on a terminal the
//! one-row-per-member summary with the reconciliation.

use anyhow::Result;

use crate::cli::Common;
use crate::metrics::{contacts, nsat, partners, penetration, pipeline, scorecard};
use crate::report::Report;

/// Runs the command and returns what it wrote.
pub fn run(common: &Common) -> Result<Report> {
    let p = super::prepare(common)?;
    let att = super::attainment_of(common, &p)?;
    let (by_owner, team) = super::stats_of(&p)?;
    let rec = super::reconciliation_of(&p)?;
    let prows = pipeline::compute(&p.ctx, &att, &by_owner, team);
    let partner_column = super::has_partner_column(&p);
    let mut kpis = scorecard::compute(&p.ctx, &att, &prows, &by_owner, &team, rec, partner_column);
    // Breadth and contacts need accounts.csv (and contacts.csv): without
    // them their KPIs say "no data".
    let mut no_data = Vec::new();
    if !partner_column {
        no_data.push(format!(
            "partner attach: {} (map [columns.opportunities] partner_id)",
            partners::NO_PARTNER_COLUMN
        ));
    }
    let pen = match p.data.accounts.as_deref() {
        Some(_) => Some(super::penetration::inputs(common, &p, "scorecard")?),
        None => {
            no_data.push("penetration and new products: no data (no accounts.csv)".to_string());
            None
        }
    };
    let (ctx, broad_min) = (&p.ctx, p.settings.broad_min);
    let figures = pen.as_ref().map(|(accounts, catalog, holdings, _)| {
        move |who: Option<&crate::ingest::Member>| {
            let mine = penetration::accounts_of(ctx, accounts, who);
            penetration::Figures::of(&mine, holdings, catalog, ctx, broad_min)
        }
    });
    let counts = match (p.data.accounts.as_deref(), p.data.contacts.as_deref()) {
        (Some(a), Some(c)) => Some(contacts::compute(&p.ctx, a, c)),
        (a, c) => {
            let missing: Vec<&str> = [(a.is_none(), "accounts.csv"), (c.is_none(), "contacts.csv")]
                .into_iter()
                .filter(|(m, _)| *m)
                .map(|(_, f)| f)
                .collect();
            no_data.push(format!(
                "contact growth and executive contacts: no data (no {})",
                missing.join(", no ")
            ));
            None
        }
    };
    let more = scorecard::breadth(
        &p.ctx,
        figures.as_ref().map(|f| f as &scorecard::FiguresOf),
        counts.as_ref(),
    );
    scorecard::merge(&p.ctx, &mut kpis, more);
    let mut trend_note = None;
    // The tables behind the breadth and NSAT KPIs, for --out-dir and JSON.
    let mut more_tables = Vec::new();
    match (p.data.accounts.as_deref(), p.data.nsat.as_deref()) {
        (Some(accounts), Some(responses)) => {
            let min = p.settings.nsat.min_responses;
            let values = nsat::kpi_values(&p.ctx, accounts, responses, min)?;
            scorecard::merge(&p.ctx, &mut kpis, scorecard::nsat_kpis(&p.ctx, &values));
            // The team's trend over the quarters shown, for the screen.
            let trend = nsat::compute(&p.ctx, accounts, responses, min)?;
            more_tables.push(nsat::table(&p.ctx, &trend));
            let shown = trend.quarters.len().saturating_sub(nsat::SHOWN);
            let points: Vec<Option<f64>> = trend.tallies.team[shown..]
                .iter()
                .map(|t| {
                    t.nsat()
                        .map(|v| v.to_fixed(2).parse::<f64>().unwrap_or(0.0))
                })
                .collect();
            let last = |i: usize| {
                trend.tallies.team[i]
                    .nsat()
                    .map_or("n/a".to_string(), |v| v.to_fixed(0))
            };
            if let (Some(first), Some(end)) = (trend.quarters.get(shown), trend.quarters.last()) {
                trend_note = Some(format!(
                    "NSAT trend, team, {} to {}: {}  ({} → {})",
                    first.label,
                    end.label,
                    scorecard::sparkline(&points),
                    last(shown),
                    last(trend.quarters.len() - 1)
                ));
            }
        }
        (a, n) => {
            let missing: Vec<&str> = [(a.is_none(), "accounts.csv"), (n.is_none(), "nsat.csv")]
                .into_iter()
                .filter(|(m, _)| *m)
                .map(|(_, f)| f)
                .collect();
            no_data.push(format!("NSAT: no data (no {})", missing.join(", no ")));
        }
    }
    match p.data.kpis.as_deref() {
        Some(values) => scorecard::merge(&p.ctx, &mut kpis, scorecard::from_kpis(&p.ctx, values)),
        None => no_data.push("other KPIs: no data (no kpis.csv)".to_string()),
    }
    let summary = scorecard::summary(&p.ctx, &att, &kpis);
    let rec_table = scorecard::reconciliation_table(rec);
    let mut breadth_tables = Vec::new();
    if let Some((accounts, catalog, holdings, _)) = &pen {
        breadth_tables.push(penetration::table(
            &p.ctx,
            accounts,
            holdings,
            catalog,
            p.settings.broad_min,
        ));
    }
    if let Some(c) = &counts {
        breadth_tables.push(contacts::table(&p.ctx, c));
    }
    let mut notes = vec![format!(
        "won revenue {} = members {} + unassigned {}",
        crate::num::Rational::from_cents(rec.won),
        crate::num::Rational::from_cents(rec.assigned),
        crate::num::Rational::from_cents(rec.unassigned())
    )];
    notes.extend(no_data);
    let report = super::report(
        &p.ctx,
        vec![
            scorecard::table(&p.ctx, &kpis),
            summary.clone(),
            att.table(&p.ctx),
            pipeline::table(&p.ctx, &prows),
            partners::table(&p.ctx, &by_owner, &team, partner_column),
            rec_table.clone(),
        ]
        .into_iter()
        .chain(breadth_tables)
        .chain(more_tables)
        .collect::<Vec<_>>(),
        notes.clone(),
    );
    // The one screen of the review: the team's commitments, then one row
    // per member, then the reconciliation as a footer.
    let team_block = scorecard::team_block(&p.ctx, &att, &kpis);
    let mut screen_notes = notes;
    if let Some(t) = trend_note {
        screen_notes.insert(0, t);
    }
    let [quota_view, breadth_view] = scorecard::summary_screen(&p.ctx, &att, &kpis);
    let screen = super::report(
        &p.ctx,
        vec![team_block, quota_view, breadth_view, rec_table],
        screen_notes,
    );
    super::output::emit(&report, Some(&screen), &p.plan, common.quiet)?;
    Ok(report)
}
