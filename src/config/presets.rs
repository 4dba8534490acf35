//! Built-in presets (`preset = "salesforce"`, `"dynamics"`, `"zoho"` or
//! `"hubspot"` in atu.toml):
//! the headers and status words those CRMs write, so that a user's atu.toml
//! says only what differs. A preset proposes, for each canonical column, an
//! ordered list of candidates; the first whose headers are all in the file
//! is used. A candidate of several headers is a per-row fallback (the first
//! one filled). A column may also have a per-status candidate, tried first:
//! Dynamics keeps a won deal's revenue in `Actual Revenue` and writes `0`
//! there for open and lost deals, whose revenue is in `Est. revenue`, so
//! "the first filled" would read every open deal as 0. `[columns.<table>]`
//! always wins.

use super::{Headers, LineStatus};

/// A per-status candidate: the headers of won, lost and open lines (each
/// the first filled of its list).
#[derive(Debug)]
pub struct StatusCandidate {
    pub won: &'static [&'static str],
    pub lost: &'static [&'static str],
    pub open: &'static [&'static str],
}

impl StatusCandidate {
    /// Every header named, each once.
    pub fn headers(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for h in self.won.iter().chain(self.lost).chain(self.open) {
            if !out.contains(h) {
                out.push(h);
            }
        }
        out
    }

    /// The mapping when `find` finds every header (as the file spells it).
    pub fn resolve(&self, find: impl Fn(&str) -> Option<String>) -> Option<Headers> {
        let list = |v: &[&str]| v.iter().map(|h| find(h)).collect::<Option<Vec<String>>>();
        Some(Headers::ByStatus {
            won: list(self.won)?,
            lost: list(self.lost)?,
            open: list(self.open)?,
        })
    }
}

/// One canonical column's candidates in a preset.
#[derive(Debug)]
pub struct PresetColumn {
    pub table: &'static str,
    pub column: &'static str,
    /// Candidates in order of preference; each is one or more headers.
    pub candidates: &'static [&'static [&'static str]],
    /// A per-status candidate, tried before the others.
    pub by_status: Option<StatusCandidate>,
}

/// A built-in preset.
#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    /// What the preset is for, for `atu init` and messages.
    pub about: &'static str,
    pub columns: &'static [PresetColumn],
    /// Status words (lower case) beyond atu's defaults.
    pub statuses: &'static [(&'static str, LineStatus)],
    /// Where the CRM's roster comes from, for `atu init` when none is found.
    pub roster: &'static str,
}

const fn pc(
    table: &'static str,
    column: &'static str,
    candidates: &'static [&'static [&'static str]],
) -> PresetColumn {
    PresetColumn {
        table,
        column,
        candidates,
        by_status: None,
    }
}

/// A column whose headers depend on the line's status, with fallbacks.
const fn by_status(
    table: &'static str,
    column: &'static str,
    per_status: StatusCandidate,
    candidates: &'static [&'static [&'static str]],
) -> PresetColumn {
    PresetColumn {
        by_status: Some(per_status),
        ..pc(table, column, candidates)
    }
}

/// Salesforce: report labels ("Details only" CSV) and Data Loader API names.
pub const SALESFORCE: Preset = Preset {
    name: "salesforce",
    roster: "export the User object too (Data Loader or the weekly export: User.csv, with Id, FirstName and LastName)",
    about: "Salesforce report exports (\"Details only\" CSV) and Data Loader extracts",
    columns: &[
        pc(
            "members",
            "member_id",
            &[&["User ID"], &["Id"], &["User: User ID"]],
        ),
        pc(
            "members",
            "name",
            &[&["Full Name"], &["Name"], &["User: Full Name"]],
        ),
        pc("members", "first_name", &[&["FirstName"], &["First Name"]]),
        pc("members", "last_name", &[&["LastName"], &["Last Name"]]),
        pc(
            "members",
            "role",
            &[&["Role"], &["UserRole.Name"], &["Title"]],
        ),
        pc("members", "team", &[&["Division"], &["Department"]]),
        pc(
            "members",
            "manager_id",
            &[&["Manager ID"], &["ManagerId"], &["Manager"]],
        ),
        pc(
            "opportunities",
            "opportunity_id",
            &[&["Opportunity ID"], &["Id"], &["OpportunityId"]],
        ),
        pc(
            "opportunities",
            "owner_id",
            &[&["Opportunity Owner"], &["OwnerId"], &["Owner"]],
        ),
        pc(
            "opportunities",
            "account_id",
            &[&["Account ID"], &["AccountId"], &["Account Name"]],
        ),
        pc(
            "opportunities",
            "close_date",
            &[&["Close Date"], &["CloseDate"]],
        ),
        pc("opportunities", "status", &[&["Stage"], &["StageName"]]),
        // IsClosed / IsWon decide the status whatever the stage is called
        // (Data Loader: the API names; reports: `Closed` and `Won`).
        pc("opportunities", "is_closed", &[&["IsClosed"], &["Closed"]]),
        pc("opportunities", "is_won", &[&["IsWon"], &["Won"]]),
        pc(
            "opportunities",
            "currency",
            &[&["CurrencyIsoCode"], &["Opportunity Currency"]],
        ),
        pc(
            "opportunities",
            "forecast_category",
            &[
                &["Forecast Category"],
                &["ForecastCategoryName"],
                &["ForecastCategory"],
            ],
        ),
        pc(
            "opportunities",
            "probability",
            &[&["Probability (%)"], &["Probability"]],
        ),
        pc(
            "opportunities",
            "amount",
            &[
                &["Amount (Converted)"],
                &["Total Price (converted)"],
                &["Total Price"],
                &["Amount"],
                &["TotalPrice"],
            ],
        ),
        pc(
            "opportunities",
            "product",
            &[&["Product Name"], &["Product2.Name"]],
        ),
        pc(
            "opportunities",
            "category",
            &[&["Product Family"], &["Product2.Family"]],
        ),
        // The report's partner columns, then the Opportunity object's
        // standard fields (Data Loader).
        pc(
            "opportunities",
            "partner_id",
            &[
                &["Partner Account"],
                &["Primary Partner"],
                &["Partner"],
                &["PrimaryPartnerAccountId"],
                &["PartnerAccountId"],
            ],
        ),
        pc(
            "opportunities",
            "line_id",
            &[
                &["Line Item ID"],
                &["Opportunity Product ID"],
                &["OpportunityLineItemId"],
            ],
        ),
        pc(
            "quotas",
            "member_id",
            &[&["Quota Owner"], &["QuotaOwnerId"], &["Owner"]],
        ),
        pc("quotas", "start_date", &[&["Start Date"], &["StartDate"]]),
        pc("quotas", "end_date", &[&["End Date"], &["EndDate"]]),
        pc(
            "quotas",
            "quota",
            &[&["Quota Amount"], &["QuotaAmount"], &["Quota"]],
        ),
        pc(
            "quotas",
            "category",
            &[&["Product Family"], &["ProductFamily"]],
        ),
        pc("quotas", "currency", &[&["CurrencyIsoCode"]]),
        // OpportunitySplit: the split's owner, percentage and type (its
        // name where the export has it, e.g. through SplitType.MasterLabel).
        pc("splits", "opportunity_id", &[&["OpportunityId"], &["Opportunity ID"]]),
        pc("splits", "member_id", &[&["SplitOwnerId"], &["Split Owner"]]),
        pc(
            "splits",
            "percent",
            &[&["SplitPercentage"], &["Split Percentage"], &["Split %"]],
        ),
        pc(
            "splits",
            "split_type",
            &[
                &["SplitType.MasterLabel"],
                &["SplitType.DeveloperName"],
                &["Split Type"],
                &["SplitTypeName"],
            ],
        ),
        // CurrencyType (fixed rates) and DatedConversionRate.
        pc(
            "currencies",
            "currency",
            &[&["IsoCode"], &["Currency ISO Code"]],
        ),
        pc(
            "currencies",
            "rate",
            &[&["ConversionRate"], &["Conversion Rate"]],
        ),
        pc(
            "currencies",
            "start_date",
            &[&["StartDate"], &["Start Date"]],
        ),
        pc(
            "currencies",
            "is_corporate",
            &[&["IsCorporate"], &["Corporate"]],
        ),
        pc("accounts", "account_id", &[&["Account ID"], &["Id"]]),
        pc("accounts", "name", &[&["Account Name"], &["Name"]]),
        pc("accounts", "owner_id", &[&["Account Owner"], &["OwnerId"]]),
        pc("accounts", "vertical", &[&["Industry"]]),
        pc("contacts", "contact_id", &[&["Contact ID"], &["Id"]]),
        pc("contacts", "account_id", &[&["Account ID"], &["AccountId"]]),
        pc(
            "contacts",
            "created_date",
            &[&["Created Date"], &["CreatedDate"]],
        ),
    ],
    // The standard stages of classic orgs and of newer ones (Starter:
    // Discovery, Proposal/Quote); closed stages are atu's defaults.
    statuses: &[
        ("needs analysis", LineStatus::Open),
        ("value proposition", LineStatus::Open),
        ("id. decision makers", LineStatus::Open),
        ("perception analysis", LineStatus::Open),
        ("proposal/price quote", LineStatus::Open),
        ("negotiation/review", LineStatus::Open),
        ("discovery", LineStatus::Open),
        ("proposal/quote", LineStatus::Open),
        ("proposal", LineStatus::Open),
        ("closed", LineStatus::Lost),
    ],
};

/// Dynamics 365: "Export to Excel" display names, saved as CSV.
pub const DYNAMICS: Preset = Preset {
    name: "dynamics",
    roster: "export the Users view too (Settings > Users, Export to Excel, saved as CSV)",
    about: "Dynamics 365 \"Export to Excel\" files saved as CSV (display names, goals)",
    columns: &[
        pc("members", "member_id", &[&["User Name"], &["Employee ID"]]),
        pc("members", "name", &[&["Full Name"]]),
        pc("members", "role", &[&["Title"]]),
        pc("members", "team", &[&["Business Unit"]]),
        pc("members", "manager_id", &[&["Manager"]]),
        pc("opportunities", "owner_id", &[&["Owner"]]),
        pc(
            "opportunities",
            "account_id",
            &[&["Potential Customer"], &["Account"]],
        ),
        // A won or lost deal closed on its Actual Close Date (a lost one
        // may lack it); an open one closes on its Est. close date.
        by_status(
            "opportunities",
            "close_date",
            StatusCandidate {
                won: &["Actual Close Date", "Est. close date"],
                lost: &["Actual Close Date", "Est. close date"],
                open: &["Est. close date"],
            },
            &[&["Est. close date"]],
        ),
        pc("opportunities", "status", &[&["Status"]]),
        // A won deal's revenue is its Actual Revenue (else its estimate);
        // Dynamics writes 0 in Actual Revenue of open and lost deals,
        // whose revenue is the Est. revenue.
        by_status(
            "opportunities",
            "amount",
            StatusCandidate {
                won: &["Actual Revenue", "Est. revenue"],
                lost: &["Est. revenue"],
                open: &["Est. revenue"],
            },
            &[&["Est. revenue"]],
        ),
        pc("opportunities", "product", &[&["Product"]]),
        pc("opportunities", "partner_id", &[&["Partner"]]),
        pc(
            "opportunities",
            "forecast_category",
            &[&["Forecast Category"]],
        ),
        pc("opportunities", "probability", &[&["Probability"]]),
        pc("quotas", "member_id", &[&["Goal Owner"]]),
        pc("quotas", "start_date", &[&["From"]]),
        pc("quotas", "end_date", &[&["To"]]),
        pc("quotas", "quota", &[&["Target (Money)"], &["Target"]]),
        pc("accounts", "name", &[&["Account Name"]]),
        pc("accounts", "owner_id", &[&["Owner"]]),
        pc("accounts", "vertical", &[&["Industry"]]),
        pc("accounts", "territory", &[&["Territory"]]),
        pc(
            "contacts",
            "account_id",
            &[&["Company Name"], &["Account Name"]],
        ),
        pc("contacts", "created_date", &[&["Created On"]]),
        pc("contacts", "inactive_date", &[&["Deactivated On"]]),
    ],
    statuses: &[
        ("in progress", LineStatus::Open),
        ("on hold", LineStatus::Open),
        ("canceled", LineStatus::Lost),
        ("out-sold", LineStatus::Lost),
    ],
};

/// Zoho CRM: module exports (Users, Potentials or Deals, Accounts,
/// Contacts) with their display headers. Deals name their account and
/// owner by name; accounts are known by name too.
pub const ZOHO: Preset = Preset {
    name: "zoho",
    roster: "export the Users module too (Users.csv, with USER_ID, First Name and Last Name)",
    about: "Zoho CRM module exports (Users, Potentials or Deals, Accounts, Contacts)",
    columns: &[
        pc(
            "members",
            "member_id",
            &[&["USER_ID"], &["User Id"], &["Id"]],
        ),
        pc("members", "name", &[&["Full Name"], &["User Name"]]),
        pc("members", "first_name", &[&["First Name"]]),
        pc("members", "last_name", &[&["Last Name"]]),
        pc("members", "role", &[&["Role"], &["Profile"]]),
        pc(
            "opportunities",
            "opportunity_id",
            &[
                &["Record Id"],
                &["POTENTIALID"],
                &["Potential Id"],
                &["DEALID"],
                &["Deal Id"],
            ],
        ),
        pc(
            "opportunities",
            "owner_id",
            &[
                &["Potential Owner Id"],
                &["Deal Owner Id"],
                &["Potential Owner"],
                &["Deal Owner"],
            ],
        ),
        pc(
            "opportunities",
            "account_id",
            &[&["Account Id"], &["Account Name"]],
        ),
        pc("opportunities", "close_date", &[&["Closing Date"]]),
        pc("opportunities", "status", &[&["Stage"]]),
        pc("opportunities", "amount", &[&["Amount"]]),
        pc("opportunities", "currency", &[&["Currency"]]),
        pc(
            "opportunities",
            "forecast_category",
            &[&["Forecast Category"], &["Forecast Type"]],
        ),
        pc(
            "opportunities",
            "probability",
            &[&["Probability (%)"], &["Probability"]],
        ),
        // Accounts by their id; deals that name theirs by name are matched
        // to it (names are not unique in Zoho).
        pc(
            "accounts",
            "account_id",
            &[&["ACCOUNTID"], &["Record Id"], &["Account Id"]],
        ),
        pc("accounts", "name", &[&["Account Name"]]),
        pc(
            "accounts",
            "owner_id",
            &[&["Account Owner Id"], &["Account Owner"]],
        ),
        pc("accounts", "vertical", &[&["Industry"]]),
        pc(
            "contacts",
            "contact_id",
            &[&["CONTACTID"], &["Record Id"], &["Contact Id"]],
        ),
        pc(
            "contacts",
            "account_id",
            &[&["Account Id"], &["Account Name"]],
        ),
        pc("contacts", "created_date", &[&["Created Time"]]),
    ],
    // Zoho's standard deal stages.
    statuses: &[
        ("needs analysis", LineStatus::Open),
        ("value proposition", LineStatus::Open),
        ("id. decision makers", LineStatus::Open),
        ("identify decision makers", LineStatus::Open),
        ("perception analysis", LineStatus::Open),
        ("proposal/price quote", LineStatus::Open),
        ("negotiation/review", LineStatus::Open),
        ("closed lost to competition", LineStatus::Lost),
        ("closed-lost to competition", LineStatus::Lost),
    ],
};

/// HubSpot: the deals export (internal stage names and their labels),
/// the users export and the companies export.
pub const HUBSPOT: Preset = Preset {
    name: "hubspot",
    roster: "export the users too (Settings > Users & Teams > Export users)",
    about: "HubSpot exports (deals, users, companies, contacts)",
    columns: &[
        pc("members", "member_id", &[&["User ID"], &["Email"]]),
        pc("members", "first_name", &[&["First Name"], &["First name"]]),
        pc("members", "last_name", &[&["Last Name"], &["Last name"]]),
        pc("members", "team", &[&["Team"], &["Primary team"]]),
        pc(
            "opportunities",
            "opportunity_id",
            &[&["Record ID"], &["Deal ID"]],
        ),
        pc(
            "opportunities",
            "owner_id",
            &[&["Deal owner"], &["Deal Owner"], &["HubSpot Owner"]],
        ),
        pc(
            "opportunities",
            "account_id",
            &[
                &["Associated Company"],
                &["Associated Company (Primary)"],
                &["Company name"],
                &["Company"],
            ],
        ),
        pc(
            "opportunities",
            "close_date",
            &[&["Close Date"], &["Close date"]],
        ),
        pc(
            "opportunities",
            "status",
            &[&["Deal Stage"], &["Deal stage"]],
        ),
        pc("opportunities", "amount", &[&["Amount"]]),
        pc(
            "opportunities",
            "currency",
            &[&["Currency"], &["Deal currency code"]],
        ),
        pc(
            "opportunities",
            "forecast_category",
            &[&["Forecast category"], &["Forecast Category"]],
        ),
        pc(
            "opportunities",
            "probability",
            &[&["Deal probability"], &["Probability"]],
        ),
        pc("accounts", "account_id", &[&["Company name"], &["Name"]]),
        pc("accounts", "name", &[&["Company name"], &["Name"]]),
        pc("accounts", "owner_id", &[&["Company owner"]]),
        pc("accounts", "vertical", &[&["Industry"]]),
        pc("contacts", "contact_id", &[&["Record ID"], &["Contact ID"]]),
        pc(
            "contacts",
            "account_id",
            &[&["Associated Company"], &["Company name"]],
        ),
        pc(
            "contacts",
            "created_date",
            &[&["Create Date"], &["Create date"]],
        ),
    ],
    // Deal stages of the default sales pipeline: internal names and labels.
    statuses: &[
        ("closedwon", LineStatus::Won),
        ("closedlost", LineStatus::Lost),
        ("appointmentscheduled", LineStatus::Open),
        ("qualifiedtobuy", LineStatus::Open),
        ("presentationscheduled", LineStatus::Open),
        ("decisionmakerboughtin", LineStatus::Open),
        ("contractsent", LineStatus::Open),
        ("appointment scheduled", LineStatus::Open),
        ("qualified to buy", LineStatus::Open),
        ("presentation scheduled", LineStatus::Open),
        ("decision maker bought-in", LineStatus::Open),
        ("contract sent", LineStatus::Open),
    ],
};

/// Every preset, by name.
pub const PRESETS: &[&Preset] = &[&SALESFORCE, &DYNAMICS, &ZOHO, &HUBSPOT];

/// The preset called `name` (case-insensitive).
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS
        .iter()
        .copied()
        .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
}

impl Preset {
    /// The candidates of one canonical column (empty when the preset has none).
    pub fn candidates(&self, table: &str, column: &str) -> &'static [&'static [&'static str]] {
        self.columns
            .iter()
            .find(|c| c.table == table && c.column == column)
            .map_or(&[], |c| c.candidates)
    }

    /// The per-status candidate of one canonical column, if any.
    pub fn by_status(&self, table: &str, column: &str) -> Option<&StatusCandidate> {
        self.columns
            .iter()
            .find(|c| c.table == table && c.column == column)
            .and_then(|c| c.by_status.as_ref())
    }

    /// The preset's mapping of a column in a file: the per-status candidate
    /// when the file has all its headers, else the first candidate whose
    /// headers are all there. `find` gives a header as the file spells it.
    pub fn mapping(
        &self,
        table: &str,
        column: &str,
        find: impl Fn(&str) -> Option<String>,
    ) -> Option<Headers> {
        if let Some(h) = self.by_status(table, column).and_then(|s| s.resolve(&find)) {
            return Some(h);
        }
        self.candidates(table, column).iter().find_map(|cand| {
            cand.iter()
                .map(|h| find(h))
                .collect::<Option<Vec<String>>>()
                .map(Headers::Each)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_name_known_tables_and_columns() {
        for p in PRESETS {
            for c in p.columns {
                assert!(
                    super::super::known_columns(c.table).contains(&c.column),
                    "{} {}.{}",
                    p.name,
                    c.table,
                    c.column
                );
                assert!(!c.candidates.is_empty());
            }
            for (w, _) in p.statuses {
                assert_eq!(*w, w.to_lowercase());
            }
        }
        assert_eq!(find(" Dynamics ").map(|p| p.name), Some("dynamics"));
        assert_eq!(find("HubSpot").map(|p| p.name), Some("hubspot"));
        assert!(find("pipedrive").is_none());
        let s = DYNAMICS
            .by_status("opportunities", "amount")
            .expect("amount per status");
        assert_eq!(
            (s.won, s.lost, s.open),
            (
                &["Actual Revenue", "Est. revenue"][..],
                &["Est. revenue"][..],
                &["Est. revenue"][..]
            )
        );
        // Only some headers there: the fallback candidate.
        let find = |h: &str| (h == "Est. revenue").then(|| h.to_string());
        assert_eq!(
            DYNAMICS.mapping("opportunities", "amount", find),
            Some(Headers::Each(vec!["Est. revenue".to_string()]))
        );
        assert!(SALESFORCE.candidates("kpis", "value").is_empty());
    }
}
