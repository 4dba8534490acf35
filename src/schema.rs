//! Every input table declared once (SPEC §1.1): its canonical file name,
//! its columns with their kinds and whether they are required, and the
//! rules of absence (a column an export may lack, columns that stand in for
//! another). Config checks `[columns.<table>]` against these declarations,
//! ingest reads each table by its declaration, `atu init` maps exports to
//! them, and the README's table of inputs follows them. A new table is one
//! more declaration here and one entry in [`TABLES`]; a new column is one
//! more line in its table.

/// The kinds of typed column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Trimmed text; blank is null.
    Text,
    /// Money as `Int64` cents.
    Money,
    /// A `Date`.
    Date,
    /// `won` / `lost` / `open` through `[values.status]`.
    Status,
}

/// A canonical column of a table.
#[derive(Clone, Copy, Debug)]
pub struct ColSpec {
    pub name: &'static str,
    pub required: bool,
    pub kind: Kind,
}

/// A table's canonical file name and columns.
#[derive(Clone, Copy, Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub file: &'static str,
    pub columns: &'static [ColSpec],
    /// Required columns that an export may lack altogether (then atu fills
    /// them in), but that must be filled in every row when present.
    pub absent_ok: &'static [&'static str],
    /// Required columns that others may stand for: `name` is not needed
    /// when `first_name` or `last_name` is there.
    pub either: &'static [(&'static str, &'static [&'static str])],
    /// Columns whose text as read is kept beside the typed value, as
    /// `__raw_<name>`, for messages that quote it (small tables only).
    pub keep_raw: &'static [&'static str],
    /// The names CRMs give this table's export (lower case, without
    /// `.csv`), in order of preference: `atu init` assigns such a file to
    /// the table whatever its headers (Salesforce objects, Dynamics
    /// entities singular or plural, Zoho modules, HubSpot objects).
    pub exports: &'static [&'static str],
    /// Text columns of few distinct values that are held as codes from the
    /// moment they are read (a categorical column; see `source::scan`),
    /// when mapped to one header of their own.
    pub read_as_codes: &'static [&'static str],
}

/// Exports a CRM folder holds that are no table of atu's, with why: `atu
/// init` names them so, rather than fitting them to a table by headers.
pub const NOT_TABLES: &[(&[&str], &str)] = &[
    (
        &["lead", "leads"],
        "leads are not deals: atu scores opportunities",
    ),
    (
        &["opportunitylineitem", "opportunityproduct", "opportunityproducts"],
        "line items carry no owner, stage or close date; atu reads the opportunities (export a report of opportunities with products for one row per line)",
    ),
    (
        &["opportunityhistory", "opportunityfieldhistory", "dealhistory"],
        "stage history: atu reads each opportunity's current state",
    ),
    (
        &["opportunitycontactrole", "opportunityteammember", "opportunitypartner"],
        "relations of opportunities atu does not use",
    ),
    (
        &["campaign", "campaigns", "campaignmember"],
        "marketing campaigns are not part of the scorecard",
    ),
    (
        &["fiscalyearsettings", "period"],
        "the fiscal calendar: atu init reads the fiscal year's start month from it",
    ),
    (
        &["userrole", "role", "roles", "profile", "territory", "territory2", "territories"],
        "roles and territories: atu reads them from the roster and accounts columns",
    ),
    (
        &["product", "product2", "products", "pricebook2", "pricebookentry"],
        "the product catalog: atu reads products from the revenue lines ([penetration] products sets a catalog)",
    ),
    (
        &["task", "tasks", "event", "events", "case", "cases", "calls", "meetings", "notes", "activities"],
        "activities and service cases are not part of the scorecard",
    ),
];

const fn c(name: &'static str, required: bool, kind: Kind) -> ColSpec {
    ColSpec {
        name,
        required,
        kind,
    }
}

/// members.csv.
pub const MEMBERS: TableSpec = TableSpec {
    name: "members",
    file: "members.csv",
    columns: &[
        c("member_id", true, Kind::Text),
        c("name", true, Kind::Text),
        c("role", false, Kind::Text),
        c("team", false, Kind::Text),
        c("manager_id", false, Kind::Text),
        c("first_name", false, Kind::Text),
        c("last_name", false, Kind::Text),
    ],
    // A roster of display names: the id is the name.
    absent_ok: &["member_id"],
    either: &[("name", &["first_name", "last_name"])],
    keep_raw: &[],
    exports: &["user", "users", "owners", "owner", "systemuser"],
    read_as_codes: &[],
};

/// quotas.csv; `fiscal_year` + `period` or dated rows (checked per row).
pub const QUOTAS: TableSpec = TableSpec {
    name: "quotas",
    file: "quotas.csv",
    columns: &[
        c("member_id", true, Kind::Text),
        c("fiscal_year", false, Kind::Text),
        c("period", false, Kind::Text),
        c("category", false, Kind::Text),
        c("quota", false, Kind::Money),
        c("start_date", false, Kind::Date),
        c("end_date", false, Kind::Date),
        // A quota in another currency than the report's (SPEC §3.6a).
        c("currency", false, Kind::Text),
    ],
    absent_ok: &[],
    either: &[],
    keep_raw: &["quota"],
    exports: &["forecastingquota", "quota", "goal", "goals", "targets"],
    read_as_codes: &[],
};

/// opportunities.csv: one row per revenue line.
pub const OPPORTUNITIES: TableSpec = TableSpec {
    name: "opportunities",
    file: "opportunities.csv",
    columns: &[
        c("opportunity_id", true, Kind::Text),
        c("owner_id", true, Kind::Text),
        c("account_id", true, Kind::Text),
        c("close_date", true, Kind::Date),
        c("status", true, Kind::Status),
        c("amount", true, Kind::Money),
        c("category", false, Kind::Text),
        c("product", false, Kind::Text),
        c("partner_id", false, Kind::Text),
        c("line_id", false, Kind::Text),
        c("currency", false, Kind::Text),
        // Where an open line stands in the forecast (SPEC §3.6b), through
        // `[values.forecast_category]`, and its probability (0–100).
        c("forecast_category", false, Kind::Text),
        c("probability", false, Kind::Text),
        // Salesforce's IsClosed / IsWon: when mapped they decide the
        // status whatever the stage is called.
        c("is_closed", false, Kind::Text),
        c("is_won", false, Kind::Text),
    ],
    // A Dynamics view may be exported without ids: each row is a line.
    absent_ok: &["opportunity_id"],
    either: &[("status", &["is_closed"])],
    keep_raw: &[],
    exports: &[
        "opportunity",
        "opportunities",
        "potentials",
        "deals",
        "deal",
        "potential",
    ],
    read_as_codes: &[
        "owner_id",
        "account_id",
        "status",
        "category",
        "product",
        "partner_id",
        "line_id",
    ],
};

/// currencies.csv: conversion rates to the reporting currency (SPEC
/// §3.6a), as Salesforce's CurrencyType (static) or DatedConversionRate
/// (valid from `start_date` until the next one).
pub const CURRENCIES: TableSpec = TableSpec {
    name: "currencies",
    file: "currencies.csv",
    columns: &[
        c("currency", true, Kind::Text),
        // Exact decimals (read in `ingest::currencies`, not as cents).
        c("rate", true, Kind::Text),
        c("start_date", false, Kind::Date),
        // Salesforce's IsCorporate: the default reporting currency.
        c("is_corporate", false, Kind::Text),
    ],
    absent_ok: &[],
    either: &[],
    keep_raw: &[],
    // Dated rates first: an org with advanced currency management
    // converts opportunities at the rate of their close date.
    exports: &["datedconversionrate", "currencytype", "transactioncurrency"],
    read_as_codes: &[],
};

/// splits.csv: credit of an opportunity shared between members (SPEC
/// §3.6c), as Salesforce's OpportunitySplit. `percent` is read exactly
/// (0–100); `split_type` is `revenue` (the default; an opportunity's revenue
/// splits add up to 100 %) or `overlay` (credit that adds to no team).
pub const SPLITS: TableSpec = TableSpec {
    name: "splits",
    file: "splits.csv",
    columns: &[
        c("opportunity_id", true, Kind::Text),
        c("member_id", true, Kind::Text),
        c("percent", true, Kind::Text),
        c("split_type", false, Kind::Text),
    ],
    absent_ok: &[],
    either: &[],
    keep_raw: &[],
    exports: &["opportunitysplit", "opportunitysplits"],
    read_as_codes: &[],
};

/// accounts.csv: who owns each account, and where it sits.
pub const ACCOUNTS: TableSpec = TableSpec {
    name: "accounts",
    file: "accounts.csv",
    columns: &[
        c("account_id", true, Kind::Text),
        c("name", false, Kind::Text),
        c("owner_id", false, Kind::Text),
        c("territory", false, Kind::Text),
        c("vertical", false, Kind::Text),
        c("segment", false, Kind::Text),
    ],
    absent_ok: &[],
    // A Dynamics view names accounts by name only: the id is the name.
    either: &[("account_id", &["name"])],
    keep_raw: &[],
    exports: &["account", "accounts", "companies", "company"],
    read_as_codes: &[],
};

/// contacts.csv: customer contacts and when they were active.
pub const CONTACTS: TableSpec = TableSpec {
    name: "contacts",
    file: "contacts.csv",
    columns: &[
        c("contact_id", true, Kind::Text),
        c("account_id", true, Kind::Text),
        c("created_date", true, Kind::Date),
        c("inactive_date", false, Kind::Date),
        c("is_executive", false, Kind::Text),
    ],
    absent_ok: &[],
    either: &[],
    keep_raw: &[],
    exports: &["contact", "contacts"],
    read_as_codes: &[],
};

/// nsat.csv: one row per survey response. A blank `rating` is an
/// excluded answer, not a missing value (see `frame::BLANK_OK`).
pub const NSAT: TableSpec = TableSpec {
    name: "nsat",
    file: "nsat.csv",
    columns: &[
        c("account_id", true, Kind::Text),
        c("response_date", true, Kind::Date),
        c("rating", true, Kind::Text),
        c("respondent_id", false, Kind::Text),
    ],
    absent_ok: &[],
    either: &[],
    keep_raw: &[],
    exports: &[],
    read_as_codes: &[],
};

/// kpis.csv: the scorecard's other commitments (WHI, manager feedback, …).
pub const KPIS: TableSpec = TableSpec {
    name: "kpis",
    file: "kpis.csv",
    columns: &[
        c("kpi", true, Kind::Text),
        c("member_id", false, Kind::Text),
        c("fiscal_year", true, Kind::Text),
        c("period", true, Kind::Text),
        c("value", true, Kind::Text),
    ],
    absent_ok: &[],
    either: &[],
    keep_raw: &[],
    exports: &[],
    read_as_codes: &[],
};

/// Every table, in the order atu reads them and `atu init` writes them.
pub const TABLES: [&TableSpec; 9] = [
    &MEMBERS,
    &QUOTAS,
    &OPPORTUNITIES,
    &ACCOUNTS,
    &CONTACTS,
    &NSAT,
    &KPIS,
    &CURRENCIES,
    &SPLITS,
];

/// The table called `name`.
pub fn table(name: &str) -> Option<&'static TableSpec> {
    TABLES.iter().copied().find(|t| t.name == name)
}

/// The canonical columns of a table (none for an unknown table).
pub fn columns(name: &str) -> Vec<&'static str> {
    table(name).map_or(Vec::new(), |t| t.columns.iter().map(|c| c.name).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_distinct_names_files_and_columns() {
        let mut names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), TABLES.len());
        for t in TABLES {
            assert_eq!(t.file, format!("{}.csv", t.name));
            let mut cols = columns(t.name);
            let n = cols.len();
            cols.sort();
            cols.dedup();
            assert_eq!(cols.len(), n, "{}: a column twice", t.name);
            // The rules name columns of the table.
            for c in t.absent_ok.iter().chain(t.keep_raw).chain(
                t.either
                    .iter()
                    .flat_map(|(c, alts)| std::iter::once(c).chain(alts.iter())),
            ) {
                assert!(cols.contains(c), "{}: {c} is not a column", t.name);
            }
            assert!(t.columns.iter().any(|c| c.required), "{}", t.name);
        }
        assert!(table("nope").is_none());
        assert!(columns("nope").is_empty());
    }

    #[test]
    fn the_readme_lists_every_column_of_every_table() {
        let readme = include_str!("../README.md");
        for t in TABLES {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| {} ", t.file)))
                .unwrap_or_else(|| panic!("README's input table has no row for {}", t.file));
            for c in t.columns {
                assert!(
                    row.contains(&format!("`{}`", c.name)),
                    "README's row of {} does not name `{}`",
                    t.file,
                    c.name
                );
            }
        }
    }
}
