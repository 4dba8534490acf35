//! The one integration-test binary: runs the `atu` executable on fixtures,
//! example data and tiny datasets written by the tests, and checks whole
//! outputs, messages and exit codes. Modules are named for what they test;
//! shared builders, runners and checks are in `common`.

mod bad_input; // error paths: bad rows, columns, config and flags; --skip-invalid; no panics
mod cli; // the command line: formats, --output, --out-dir, colour, pipes, help, CSV safety
mod common; // shared helpers: hermetic runs, datasets in temporary folders, whole-output checks
mod contacts; // `atu contacts` on the hand-computed fixture m_contacts
mod crm; // CRM export folders (issue 11): `atu init` on Salesforce, SFDX, Zoho and HubSpot exports, then whole outputs
mod currencies; // amounts in several currencies converted (SPEC 3.6a); IsClosed / IsWon decide the status
mod exports; // real CRM exports: the example exports and one fixture per real-file form
mod fixtures; // hand-computed fixtures m_*: attainment, pipeline, partners, scorecard, JSON
mod forecast; // `atu forecast` and the forecast KPI on the hand-computed fixture m_forecast
mod formats; // how files are written: delimiters, decimal marks, amounts, dates, footers
mod init; // `atu init` on the example exports
mod kpis_csv; // kpis.csv: values as scorecard rows, bad rows, decimal marks
mod laws; // laws on the demo: row order changes nothing, team = Σ members
mod nsat; // `atu nsat` on the hand-computed fixture m_nsat
mod opportunity_lines; // opportunity lines: ids, line ids, keys and duplicates across exports
mod outputs; // outputs people look at (issue 13): completions, man page, HTML, xlsx, the screen that fits
mod penetration; // `atu penetration` and `atu whitespace` on the fixture m_penetration
mod people; // members and owners: ids outside the roster, owners by name, ownership gaps
mod quotas; // quotas.csv: periods, dated goals, categories, team rows
mod reading; // right numbers on real exports (issue 9): hand-computed fixtures r_*; dates (issue 11)
mod scope; // --team, --member and the account scope (--territory, --vertical, --segment)
mod scorecard; // the scorecard's breadth and NSAT KPIs, targets and statuses
mod splits; // split credit on the hand-computed fixture m_splits; revenue splits never change the team
