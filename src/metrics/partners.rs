//! Partner attach (SPEC §3.6), over the YTD window: the share of won
//! opportunities with a partner on any won line, and the share of won
//! revenue on lines that carry a partner, per owner and for the team.
//! Without a partner column atu cannot know: with_partner and both shares
//! are missing (never 0).

use std::collections::BTreeMap;

use crate::calendar::Period;
use crate::num::Rational;
use crate::report::{Cell, Table};

use super::kpi::{Kpi, KpiId, Value};
use super::lines::LineStats;
use super::{row_head, Context};

/// partner_attach_pct = 100 × won opportunities with a partner / won;
/// `None` without won opportunities or without a partner column.
pub fn attach_pct(s: &LineStats, partner_column: bool) -> Option<Rational> {
    if !partner_column {
        return None;
    }
    Rational::from_int(s.won_with_partner as i128).percent_of(Rational::from_int(s.won as i128))
}

/// partner_revenue_pct = 100 × partner won revenue / won revenue; `None`
/// without won revenue or without a partner column.
pub fn revenue_pct(s: &LineStats, partner_column: bool) -> Option<Rational> {
    if !partner_column {
        return None;
    }
    Rational::from_cents(s.partner_cents).percent_of(Rational::from_cents(s.won_cents))
}

/// Why partner figures are missing when the export has no partner column.
pub const NO_PARTNER_COLUMN: &str = "no data (no partner column)";

/// The scorecard's partner KPI of each row: `partner_attach` (YTD);
/// without a partner column it is missing, unjudged, and says why.
pub fn kpis(
    ctx: &Context,
    by_owner: &BTreeMap<String, LineStats>,
    team: &LineStats,
    partner_column: bool,
) -> Vec<Kpi> {
    ctx.rows()
        .map(|who| {
            let s = match who {
                Some(m) => by_owner.get(&m.id).copied().unwrap_or_default(),
                None => *team,
            };
            let mut k = Kpi::of(
                ctx,
                who,
                KpiId::PartnerAttach,
                Period::Ytd,
                Value::Percent(attach_pct(&s, partner_column)),
            );
            if !partner_column {
                k.status = None;
                k.note = Some(NO_PARTNER_COLUMN.to_string());
            }
            k
        })
        .collect()
}

/// The `partners` table (SPEC §6) with extra columns `won_revenue` and
/// `partner_revenue` (missing, like the shares, without a partner column).
pub fn table(
    ctx: &Context,
    by_owner: &BTreeMap<String, LineStats>,
    team: &LineStats,
    partner_column: bool,
) -> Table {
    let mut t = Table::new(
        "partners",
        "Partner attach (YTD)",
        &[
            "scope",
            "member_id",
            "name",
            "won_opportunities",
            "with_partner",
            "partner_attach_pct",
            "partner_revenue_pct",
            "won_revenue",
            "partner_revenue",
        ],
    );
    for m in ctx.rows() {
        let s = match m {
            Some(m) => by_owner.get(&m.id).copied().unwrap_or_default(),
            None => *team,
        };
        let mut row = row_head(m, &ctx.team_name);
        let known = |c: Cell| if partner_column { c } else { Cell::Missing };
        row.extend([
            Cell::Count(s.won),
            known(Cell::Count(s.won_with_partner)),
            Cell::percent(attach_pct(&s, partner_column)),
            Cell::percent(revenue_pct(&s, partner_column)),
            Cell::Money(Rational::from_cents(s.won_cents)),
            known(Cell::Money(Rational::from_cents(s.partner_cents))),
        ]);
        t.push(row);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares() {
        // 4 won opportunities, 1 with a partner; 10,000.00 won of which 2,500.00 with a partner.
        let s = LineStats {
            won: 4,
            won_with_partner: 1,
            won_cents: 1_000_000,
            partner_cents: 250_000,
            ..LineStats::default()
        };
        assert_eq!(attach_pct(&s, true), Rational::new(25, 1));
        assert_eq!(revenue_pct(&s, true), Rational::new(25, 1));
        assert_eq!(attach_pct(&LineStats::default(), true), None);
        assert_eq!(revenue_pct(&LineStats::default(), true), None);
        // No partner column: atu cannot know, so missing, never 0.
        let none = LineStats {
            won: 4,
            won_cents: 1_000_000,
            ..LineStats::default()
        };
        assert_eq!(attach_pct(&none, false), None);
        assert_eq!(revenue_pct(&none, false), None);
        assert_eq!(attach_pct(&none, true), Some(Rational::from_int(0)));
    }
}
