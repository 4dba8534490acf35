//! The command line (clap derive). Doc comments here are the `--help` text.
//! These are raw flags; `config::Settings` is what the rest of the program
//! uses once they are resolved and checked.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit status: 0 success, 1 bad input or failure, 2 usage error, 3 a --fail-on threshold tripped.

Examples:
  atu scorecard --data examples/demo --fy 2013 --as-of 2013-01-30
  atu attainment --fy FY13 --format csv > attainment.csv
  atu validate --data exports/";

/// atu: the Rhythm-of-the-Business scorecard of an Account Team Unit, from
/// CRM CSV exports (quota attainment, pace, pipeline, win rate, partner attach).
#[derive(Debug, Parser)]
#[command(name = "atu", version, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The RoB scorecard: team KPIs and one row per member, with targets and status.
    Scorecard,
    /// Quota attainment per member × category × period (Q1–Q4, YTD = pace, FY).
    Attainment {
        /// With --member: list the won lines behind each figure (file and line of each);
        /// CSV output then writes the lines.
        #[arg(long)]
        explain: bool,
    },
    /// Win rate, pipeline, coverage and past-due open lines (YTD window).
    Pipeline,
    /// Will we make the quarter? Closed, commit, best case, pipeline, omitted and weighted
    /// revenue for the quarter of the cut-off and the year; forecast % = (closed + commit) /
    /// quota, best case % adds best case.
    Forecast,
    /// Partner attach: won opportunities and revenue with a partner (YTD window).
    Partners,
    /// Penetration: catalog products owned per account (installed base at the cut-off),
    /// new products and won-revenue growth (YTD against a year earlier), per member and team.
    Penetration,
    /// Whitespace: the accounts in scope × the catalog, each cell owned, pipeline or empty
    /// (a gap). On a terminal the accounts with the most won revenue come first.
    Whitespace,
    /// Customer contacts active on the year's first day and at the cut-off, their growth,
    /// and executives likewise, per member (the account's owner) and team.
    Contacts {
        /// `account`: one row per account in scope (sorted by account_id), then the team total.
        #[arg(long, value_enum, value_name = "WHAT")]
        by: Option<ContactsBy>,
    },
    /// NSAT per fiscal quarter (the eight up to the cut-off's) per member (the account's
    /// owner) and team: responses, VSAT, DSAT, NSAT = 100 + 100 × (VSAT − DSAT) / responses,
    /// changes from the previous quarter and a year before, a 95% interval and significance.
    Nsat {
        /// `account`: one row per account in scope and quarter, then the team's rows.
        #[arg(long, value_enum, value_name = "WHAT")]
        by: Option<NsatBy>,
    },
    /// Check a dataset and print each table's ledger and the won-revenue reconciliation.
    Validate,
    /// Write a commented atu.toml for the exports in --data (headers mapped, encoding,
    /// delimiter, decimal mark and date order read from the files), then check that the
    /// folder loads with it. `--output -` prints the proposal instead. Exit 0 when the folder
    /// loads; 1 when edits are needed (listed on stderr, marked NOT FOUND, NOT MAPPED or
    /// NOT SET in the file).
    Init {
        /// Start from a CRM's usual headers and words: salesforce or dynamics
        /// [default: guessed from the headers].
        #[arg(long, value_name = "PRESET")]
        preset: Option<String>,
        /// Overwrite an existing atu.toml.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script to stdout (bash, zsh, fish, powershell, elvish);
    /// the README says where each shell looks for it.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print atu's man page (roff) to stdout, e.g. `atu man > atu.1`.
    Man,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Csv,
    Json,
    Markdown,
    /// One self-contained HTML page with charts (prints on A4 landscape).
    Html,
    /// An Excel workbook: an About sheet, then one sheet per table (binary: needs
    /// --output FILE or --out-dir, or stdout redirected to a file).
    Xlsx,
}

/// When to colour statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// `--fail-on` thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Red,
    Yellow,
}

/// What `atu contacts --by` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ContactsBy {
    /// One row per account in scope.
    Account,
}

/// What `atu nsat --by` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NsatBy {
    /// One row per account in scope and quarter.
    Account,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// Dataset folder with the CSV exports and atu.toml [default: $ATU_DATA, else the current folder].
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// atu.toml to use [default: DIR/atu.toml when it exists].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Fiscal year: 2013, FY13 or FY2013 [default: the year that holds --as-of].
    #[arg(long, global = true, value_name = "YEAR")]
    pub fy: Option<String>,
    /// Cut-off date of every figure, YYYY-MM-DD [default: today].
    #[arg(long = "as-of", global = true, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Only members of this team (members.csv `team`); repeatable.
    #[arg(long, global = true, value_name = "TEAM")]
    pub team: Vec<String>,
    /// Only this member id; repeatable.
    #[arg(long, global = true, value_name = "ID")]
    pub member: Vec<String>,
    /// Only accounts of this territory (accounts.csv) and the revenue on them; repeatable.
    #[arg(long, global = true, value_name = "TERRITORY")]
    pub territory: Vec<String>,
    /// Only accounts of this vertical (accounts.csv) and the revenue on them; repeatable.
    #[arg(long, global = true, value_name = "VERTICAL")]
    pub vertical: Vec<String>,
    /// Only accounts of this segment (accounts.csv) and the revenue on them; repeatable.
    #[arg(long, global = true, value_name = "SEGMENT")]
    pub segment: Vec<String>,
    /// Output format [default: from --output's extension (.csv, .json, .md, .html, .xlsx),
    /// else table on a terminal, csv otherwise].
    #[arg(long, global = true, value_enum)]
    pub format: Option<FormatArg>,
    /// Write the output to FILE (atomically; `-` is stdout).
    #[arg(long, short = 'o', global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write every table of the command as DIR/<table>.csv, all of them in one JSON file,
    /// the HTML page and the workbook (e.g. DIR/scorecard.json, .html and .xlsx).
    #[arg(long = "out-dir", global = true, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Terminal tables: every column under its full name, statuses in their own columns,
    /// nothing cut [default: the scorecard's summaries fit 120 columns].
    #[arg(long, global = true)]
    pub wide: bool,
    /// Colour statuses on a terminal (honours NO_COLOR).
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// Leave invalid rows out (listed with --rejects) instead of failing.
    #[arg(long = "skip-invalid", global = true)]
    pub skip_invalid: bool,
    /// With --skip-invalid: write the rows left out, with a reason, to FILE (CSV).
    #[arg(long, global = true, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// CSV for a local Excel: `it`, `de`, `fr`, … write `;` and decimal commas.
    #[arg(long = "csv-locale", global = true, value_name = "LOCALE")]
    pub csv_locale: Option<String>,
    /// Encoding of every input file without a byte-order mark (windows-1252, latin1, utf-16, …)
    /// [default: atu.toml's `encoding`, else UTF-8].
    #[arg(long, global = true, value_name = "ENCODING")]
    pub encoding: Option<String>,
    /// Reporting currency: amounts in other currencies are converted with the rates of
    /// the currencies table or [currency] rates [default: atu.toml's [currency] report,
    /// else the rates' corporate currency].
    #[arg(long, global = true, value_name = "CODE")]
    pub currency: Option<String>,
    /// Start CSV output with a UTF-8 byte-order mark (for Excel).
    #[arg(long, global = true)]
    pub bom: bool,
    /// Exit with status 3 when any KPI in the output is red (or yellow or worse).
    #[arg(long = "fail-on", global = true, value_enum)]
    pub fail_on: Option<FailOn>,
    /// No warnings on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More detail on stderr (files read, rows per table).
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
}
