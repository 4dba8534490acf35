//! `atu penetration`: breadth and penetration of the accounts of each
//! member and of the team, new products and won-revenue growth (SPEC §3.3).
//! Its inputs (accounts, catalog, holdings) are shared with `atu whitespace`
//! and the scorecard: `commands::penetration_inputs`.

use anyhow::Result;

use crate::cli::Common;
use crate::metrics::penetration::{self};
use crate::report::Report;

/// Runs the command and returns what it wrote.
pub fn run(common: &Common) -> Result<Report> {
    let p = super::prepare_without(common, &["quotas"])?;
    let (accounts, catalog, holdings, mut notes) =
        super::penetration_inputs(common, &p, "penetration")?;
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
