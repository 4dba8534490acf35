//! `atu penetration`: breadth and penetration of the accounts of each
//! member and of the team, new products and won-revenue growth (SPEC §3.3).
//! Also holds what `atu whitespace` shares with it: accounts.csv is
//! required, and the catalog and holdings come from one aggregation.

use anyhow::{bail, Result};

use super::Prepared;
use crate::cli::Common;
use crate::ingest::Account;
use crate::metrics::penetration::{self, Catalog, Facts, Holdings};
use crate::report::Report;

/// The accounts, the catalog and what each account holds; warnings
/// printed. `command` names the command in the error without accounts.csv.
pub(super) fn inputs<'a>(
    common: &Common,
    p: &'a Prepared,
    command: &str,
) -> Result<(&'a [Account], Catalog, Holdings, Vec<String>)> {
    let Some(accounts) = p.data.accounts.as_deref() else {
        bail!(
            "atu {command} needs accounts.csv: an account belongs to the member named in its owner_id\nhelp: put accounts.csv (account_id, name, owner_id, …) in the data folder, or point [files] accounts in atu.toml at the export"
        );
    };
    let mut notes = Vec::new();
    let t0 = std::time::Instant::now();
    let facts = match &p.data.opportunities {
        Some(f) => penetration::facts(&f.df, &p.ctx)?,
        None => {
            notes.push("no opportunities.csv: no account owns a product".to_string());
            Facts::default()
        }
    };
    let (catalog, mut warnings) = Catalog::new(p.settings.products.as_deref(), &facts);
    if catalog.is_empty() {
        if p.data.opportunities.is_some() {
            warnings.push("no opportunity line names a product, so the catalog is empty and penetration is missing\nhelp: map [columns.opportunities] product to the export's product column, or list the catalog in [penetration] products".to_string());
        }
    } else if p.settings.products.is_none() && catalog.len() < p.settings.broad_min as usize {
        warnings.push(format!(
            "the catalog has {} product(s), fewer than [penetration] broad_min = {}: no account can be broad",
            catalog.len(),
            p.settings.broad_min
        ));
    }
    if !common.quiet {
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
    let source = if p.settings.products.is_some() {
        "[penetration] products"
    } else {
        "every product on the lines"
    };
    notes.push(format!(
        "catalog ({source}): {} product(s){}{}",
        catalog.len(),
        if catalog.is_empty() { "" } else { ": " },
        catalog.products.join(", ")
    ));
    notes.push(format!(
        "owned: a won line with a positive amount closing on or before {}, any year, any seller",
        p.ctx.cutoff
    ));
    crate::ingest::frame::stage(&p.settings, "penetration: products owned per account", t0);
    let t0 = std::time::Instant::now();
    let holdings = Holdings::new(&facts, &catalog);
    crate::ingest::frame::stage(&p.settings, "penetration: holdings", t0);
    Ok((accounts, catalog, holdings, notes))
}

/// Runs the command and returns what it wrote.
pub fn run(common: &Common) -> Result<Report> {
    let p = super::prepare_without(common, &["quotas"])?;
    let (accounts, catalog, holdings, mut notes) = inputs(common, &p, "penetration")?;
    let broad_min = p.settings.broad_min;
    let (prev_lo, prev_hi) = penetration::previous_window(&p.ctx);
    notes.extend([
        format!(
            "new_products: account–product pairs first owned from {} to {}; broad: an account owning {broad_min} or more products",
            p.ctx.fy.start, p.ctx.cutoff
        ),
        format!(
            "won_ytd: won revenue on the accounts from {} to {}; won_ytd_prev: from {prev_lo} to {prev_hi}",
            p.ctx.fy.start, p.ctx.cutoff
        ),
    ]);
    let table = penetration::table(&p.ctx, accounts, &holdings, &catalog, broad_min);
    let report = super::report(&p.ctx, vec![table], notes);
    super::output::emit(&report, None, &p.plan, common.quiet)?;
    Ok(report)
}
