//! `atu validate`: load everything and print each table's ledger (rows read,
//! accepted, duplicates, rejected by reason) and the reconciliation of won
//! revenue in the fiscal year to date: members' + unassigned = total.

use anyhow::Result;

use crate::cli::Common;
use crate::metrics::scorecard;
use crate::report::{Cell, Report, Table};

/// Runs the command and returns what it wrote.
pub fn run(common: &Common) -> Result<Report> {
    let p = super::prepare(common)?;
    let rec = super::reconciliation_of(&p)?;
    let mut t = Table::new(
        "ledger",
        "Ledger",
        &[
            "table",
            "files",
            "rows_read",
            "accepted",
            "duplicates",
            "rejected",
            "ignored",
            "reasons",
        ],
    );
    for l in &p.data.ledgers {
        let rejected: u64 = l.rejected.values().sum();
        let ignored: u64 = l.ignored.values().sum();
        let reasons: Vec<String> = l
            .rejected
            .iter()
            .map(|(r, n)| format!("{r}: {n}"))
            .chain(l.ignored.iter().map(|(r, n)| format!("{r}: {n} (ignored)")))
            .chain(
                l.defaulted
                    .iter()
                    .map(|(r, n)| format!("{r}: {n} (accepted)")),
            )
            .collect();
        t.push(vec![
            Cell::text(&l.table),
            Cell::text(l.files.join(" ")),
            Cell::Count(l.rows_read as i64),
            Cell::Count(l.accepted as i64),
            Cell::Count(l.duplicates as i64),
            Cell::Count(rejected as i64),
            Cell::Count(ignored as i64),
            Cell::text(reasons.join("; ")),
        ]);
    }
    let ok = rec.reconciles();
    let notes = vec![format!(
        "{} to {}: won revenue {} = members {} + unassigned {} ({})",
        p.ctx.fy.start,
        p.ctx.cutoff,
        crate::num::Rational::from_cents(rec.won),
        crate::num::Rational::from_cents(rec.assigned),
        crate::num::Rational::from_cents(rec.unassigned()),
        if ok {
            "reconciled"
        } else {
            "DOES NOT RECONCILE"
        }
    )];
    let report = super::report(&p.ctx, vec![t, scorecard::reconciliation_table(rec)], notes);
    super::output::emit(&report, None, &p.plan, common.quiet)?;
    if !ok {
        anyhow::bail!("won revenue does not reconcile: total = members + unassigned fails\nhelp: this is a bug in atu; please report it with the dataset");
    }
    Ok(report)
}
