//! `atu scorecard`: every KPI in long form (SPEC §3.7, §6), the attainment,
//! pipeline and partner tables for `--out-dir`, and on a terminal the
//! one-row-per-member summary with the reconciliation.

use anyhow::Result;

use crate::cli::Common;
use crate::metrics::{contacts, nsat, partners, penetration, pipeline, scorecard};

/// Runs the command and returns what it wrote and judged.
pub fn run(common: &Common) -> Result<super::Outcome> {
    let p = super::prepare(common)?;
    // With -v: the time of each family of figures.
    let stage = |what: &str, t0| crate::ingest::frame::stage(&p.settings, what, t0);
    let t0 = std::time::Instant::now();
    let att = super::attainment_of(common, &p)?;
    stage("attainment", t0);
    // Three families side by side (each reads the dataset only): the
    // lines' figures here, penetration and the people's figures (contacts,
    // NSAT) on threads of their own. Only penetration says warnings, so
    // their order is as before.
    let (lines, pen, people) = std::thread::scope(|scope| {
        let pen = scope.spawn(|| -> Result<_> {
            match p.data.accounts.as_deref() {
                Some(_) => Ok(Some(super::penetration_inputs(common, &p, "scorecard")?)),
                None => Ok(None),
            }
        });
        let lines = lines_figures(&p, &att);
        let people = people_figures(&p);
        (lines, join(pen), people)
    });
    let (by_owner, team, prows, rec, partner_column, frows) = lines?;
    let pen = pen?;
    let People {
        counts,
        nsat_table,
        trend_note,
        nsat_values,
    } = people?;
    let mut more_tables: Vec<crate::report::Table> = nsat_table.into_iter().collect();
    let (ctx, broad_min) = (&p.ctx, p.settings.broad_min);
    let figures = pen.as_ref().map(|(accounts, catalog, holdings, _)| {
        let lists = penetration::AccountLists::new(ctx, accounts);
        move |who: Option<&crate::ingest::Member>| {
            penetration::Figures::of(lists.of(who), holdings, catalog, ctx, broad_min)
        }
    });
    let t0 = std::time::Instant::now();
    let kpis = scorecard::kpis(
        &p.ctx,
        &scorecard::Families {
            attainment: &att,
            pipeline: &prows,
            forecast: frows.as_deref(),
            stats_by_owner: &by_owner,
            team_stats: &team,
            reconciliation: rec,
            partner_column,
            penetration: figures.as_ref().map(|f| f as &penetration::FiguresOf),
            contacts: counts.as_ref(),
            nsat: nsat_values.as_ref(),
            reported: p.data.kpis.as_deref(),
        },
    );
    let no_data = scorecard::no_data(scorecard::Present {
        partner_column,
        accounts: p.data.accounts.is_some(),
        contacts: p.data.contacts.is_some(),
        nsat: p.data.nsat.is_some(),
        kpis: p.data.kpis.is_some(),
    });
    stage("every KPI (with penetration per member)", t0);
    let t0 = std::time::Instant::now();
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
    if let Some(rows) = &frows {
        let fk = crate::metrics::forecast::kpis(&p.ctx, rows);
        more_tables.push(crate::metrics::forecast::table(&p.ctx, rows, &fk));
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
    stage("tables written", t0);
    Ok(super::Outcome {
        report,
        judged: Some(super::Judged {
            table: "scorecard",
            team_name: p.ctx.team_name.clone(),
            kpis,
        }),
    })
}

/// The figures of the opportunity lines: line figures by owner and for the
/// team, pipeline rows, reconciliation, whether there is a partner column,
/// and the forecast rows (with forecast categories).
type LinesFigures = (
    std::collections::BTreeMap<String, crate::metrics::lines::LineStats>,
    crate::metrics::lines::LineStats,
    Vec<pipeline::PipelineRow>,
    scorecard::Reconciliation,
    bool,
    Option<Vec<crate::metrics::forecast::ForecastRow>>,
);

fn lines_figures(
    p: &super::Prepared,
    att: &crate::metrics::attainment::Attainment,
) -> Result<LinesFigures> {
    let stage = |what: &str, t0| crate::ingest::frame::stage(&p.settings, what, t0);
    let t0 = std::time::Instant::now();
    let (by_owner, team) = super::stats_of(p)?;
    let prows = pipeline::compute(&p.ctx, att, &by_owner, team);
    stage("pipeline, win rate and partner attach", t0);
    let t0 = std::time::Instant::now();
    let rec = super::reconciliation_of(p)?;
    let partner_column = super::has_partner_column(p);
    stage("reconciliation", t0);
    let t0 = std::time::Instant::now();
    // The forecast KPI needs forecast categories: without them commit is
    // unknown, not zero.
    let frows = if super::has_forecast_column(p) {
        let lines = p.data.opportunities.as_ref().map(|f| &f.df);
        Some(crate::metrics::forecast::compute(lines, &p.ctx, att)?)
    } else {
        None
    };
    stage("forecast", t0);
    Ok((by_owner, team, prows, rec, partner_column, frows))
}

/// The figures of the people met: contacts per member, and NSAT (its
/// table, the trend's note for the screen, the values of the KPIs).
struct People {
    counts: Option<contacts::ContactCounts>,
    nsat_table: Option<crate::report::Table>,
    trend_note: Option<String>,
    nsat_values: Option<nsat::NsatValues>,
}

fn people_figures(p: &super::Prepared) -> Result<People> {
    let stage = |what: &str, t0| crate::ingest::frame::stage(&p.settings, what, t0);
    let t0 = std::time::Instant::now();
    let counts = match (p.data.accounts.as_deref(), p.data.contacts.as_deref()) {
        (Some(a), Some(c)) => Some(contacts::compute(&p.ctx, a, c)),
        _ => None,
    };
    stage("contacts", t0);
    let t0 = std::time::Instant::now();
    // The tables behind the NSAT KPIs, for --out-dir and JSON.
    let (mut nsat_table, mut trend_note, mut nsat_values) = (None, None, None);
    if let (Some(accounts), Some(responses)) = (p.data.accounts.as_deref(), p.data.nsat.as_deref())
    {
        let min = p.settings.nsat.min_responses;
        // The values, and the team's trend over the quarters shown for
        // the screen, from one tally.
        let (trend, values) = nsat::trend_and_values(&p.ctx, accounts, responses, min)?;
        nsat_table = Some(nsat::table(&p.ctx, &trend));
        trend_note = scorecard::trend_note(&trend);
        nsat_values = Some(values);
    }
    stage("NSAT", t0);
    Ok(People {
        counts,
        nsat_table,
        trend_note,
        nsat_values,
    })
}

/// A scoped thread's result; its panic goes on in this thread.
fn join<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
}
