//! The KPIs atu computes, declared once (SPEC §3.7): [`kpi_ids!`] gives each
//! its name and unit, and its place on the screen's summary is an
//! exhaustive match, so a new KPI that lacks a name, a unit or a decision
//! about its place does not compile. Config reads targets by these names,
//! metrics compute them (`metrics::kpi`), `--fail-on` and the summary
//! columns derive from them.

use crate::calendar::Period;

/// How a KPI's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// `57.19%`.
    Percent,
    /// A plain number with two decimals: `2.23`, an NSAT of `127.27`.
    Ratio,
    /// An amount of money.
    Money,
    /// A whole number.
    Count,
}

/// Declares the KPIs atu computes: `Variant: "name", Unit;` each. The
/// order is the order of the summary's columns.
macro_rules! kpi_ids {
    ($($(#[doc = $doc:literal])* $variant:ident: $name:literal, $unit:ident;)+) => {
        /// A KPI atu computes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum KpiId {
            $($(#[doc = $doc])* $variant,)+
        }

        impl KpiId {
            /// Every KPI atu computes, in declaration order.
            pub const ALL: &'static [KpiId] = &[$(KpiId::$variant,)+];

            /// The KPI's name in outputs and in `[targets]`.
            pub fn name(self) -> &'static str {
                match self {
                    $(KpiId::$variant => $name,)+
                }
            }

            /// How its value is written.
            pub fn unit(self) -> Unit {
                match self {
                    $(KpiId::$variant => Unit::$unit,)+
                }
            }
        }
    };
}

kpi_ids! {
    /// Actual ÷ quota of a quarter or the year (SPEC §3.1).
    Attainment: "attainment", Percent;
    /// Actual to date ÷ the quota expected to date (the YTD row).
    Pace: "pace", Percent;
    /// Share of members with a quota at ≥ 100% (team rows only).
    MembersAtQuota: "members_at_quota", Percent;
    /// How many members with a quota are at ≥ 100% (said beside the share).
    MembersAtQuotaCount: "members_at_quota_count", Count;
    /// (Closed + commit) ÷ quota of the quarter of D and of the year (SPEC §3.6b).
    Forecast: "forecast", Percent;
    /// Won ÷ (won + lost) opportunities in the year to date (SPEC §3.2).
    WinRate: "win_rate", Percent;
    /// Pipeline ÷ (FY quota − actual).
    Coverage: "coverage", Ratio;
    /// Won opportunities with a partner ÷ won (SPEC §3.6).
    PartnerAttach: "partner_attach", Percent;
    /// Won revenue in the year to date.
    WonRevenue: "won_revenue", Money;
    /// Won revenue of owners outside the roster (team only, never judged).
    UnassignedRevenue: "unassigned_revenue", Money;
    /// Products owned ÷ (accounts × catalog) (SPEC §3.3).
    Penetration: "penetration", Percent;
    /// Account–product pairs first owned in the year to date.
    NewProducts: "new_products", Count;
    /// Growth of active contacts since the year's first day (SPEC §3.5).
    ContactGrowth: "contact_growth", Percent;
    /// Active executive contacts at D.
    ExecContacts: "exec_contacts", Count;
    /// Net satisfaction of the quarter of D and the year to date (SPEC §3.4).
    Nsat: "nsat", Ratio;
}

/// The summary's screens: quota and pipeline, then breadth and satisfaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Quota,
    Breadth,
}

/// A KPI's columns in the one-row-per-member summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Headline {
    /// The period shown.
    pub period: Period,
    /// True when the figure is of the total category (`All` or the one).
    pub total_category: bool,
    pub value_column: &'static str,
    pub status_column: &'static str,
    pub screen: Screen,
}

impl KpiId {
    /// The KPI's place in the summary, if it has one. Every KPI must be
    /// decided on here (the match is exhaustive).
    pub fn headline(self) -> Option<Headline> {
        let h = |period, total_category, value_column, status_column, screen| {
            Some(Headline {
                period,
                total_category,
                value_column,
                status_column,
                screen,
            })
        };
        match self {
            KpiId::Attainment => h(
                Period::Year,
                true,
                "fy_attainment_pct",
                "fy_status",
                Screen::Quota,
            ),
            KpiId::Pace => h(Period::Ytd, true, "pace_pct", "pace_status", Screen::Quota),
            KpiId::WinRate => h(
                Period::Ytd,
                false,
                "win_rate_pct",
                "win_rate_status",
                Screen::Quota,
            ),
            KpiId::Coverage => h(
                Period::Year,
                false,
                "coverage",
                "coverage_status",
                Screen::Quota,
            ),
            KpiId::PartnerAttach => h(
                Period::Ytd,
                false,
                "partner_attach_pct",
                "partner_attach_status",
                Screen::Quota,
            ),
            KpiId::Penetration => h(
                Period::Ytd,
                false,
                "penetration_pct",
                "penetration_status",
                Screen::Breadth,
            ),
            KpiId::ContactGrowth => h(
                Period::Ytd,
                false,
                "contact_growth_pct",
                "contact_growth_status",
                Screen::Breadth,
            ),
            KpiId::Nsat => h(
                Period::Ytd,
                false,
                "nsat_ytd",
                "nsat_status",
                Screen::Breadth,
            ),
            KpiId::MembersAtQuota
            | KpiId::Forecast
            | KpiId::MembersAtQuotaCount
            | KpiId::WonRevenue
            | KpiId::UnassignedRevenue
            | KpiId::NewProducts
            | KpiId::ExecContacts => None,
        }
    }

    /// The KPI of this name, if atu computes one.
    pub fn parse(name: &str) -> Option<KpiId> {
        KpiId::ALL.iter().copied().find(|k| k.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kpi_has_a_distinct_name_and_a_unit() {
        let mut names: Vec<&str> = KpiId::ALL.iter().map(|k| k.name()).collect();
        assert!(names
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), KpiId::ALL.len(), "two KPIs share a name");
        for k in KpiId::ALL {
            assert_eq!(KpiId::parse(k.name()), Some(*k));
        }
    }

    #[test]
    fn headlines_have_distinct_columns_in_screen_order() {
        let heads: Vec<Headline> = KpiId::ALL.iter().filter_map(|k| k.headline()).collect();
        let mut cols: Vec<&str> = heads
            .iter()
            .flat_map(|h| [h.value_column, h.status_column])
            .collect();
        let n = cols.len();
        cols.sort();
        cols.dedup();
        assert_eq!(cols.len(), n, "two headline columns share a name");
        // The quota screen's columns come before the breadth screen's.
        let first_breadth = heads.iter().position(|h| h.screen == Screen::Breadth);
        assert!(
            first_breadth.is_some_and(|i| heads[i..].iter().all(|h| h.screen == Screen::Breadth))
        );
    }
}
