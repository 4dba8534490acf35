//! Commands: one file per subcommand. Each gathers its inputs (settings,
//! dataset, context), calls the metrics and hands the tables to the report
//! layer. This file holds what they share: loading, warnings and rejects,
//! and the `--fail-on` check.

pub mod attainment;
pub mod completions;
pub mod contacts;
pub mod forecast;
pub mod init;
pub mod man;
pub mod nsat;
pub mod output;
pub mod partners;
pub mod penetration;
pub mod pipeline;
pub mod progress;
pub mod scorecard;
pub mod validate;
pub mod whitespace;

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use crate::cli::{Cli, Command, Common, FailOn};
use crate::config::{Overrides, Scope, Settings};
use crate::ingest::{self, problems::Problem, Dataset};
use crate::metrics::penetration::{facts, Catalog, Facts, Holdings};
use crate::metrics::Context;
use crate::report::{Cell, Report, Status, Table};

/// Exit status when `--fail-on` trips.
pub const EXIT_FAIL_ON: i32 = 3;

/// Everything a command works from.
pub struct Prepared {
    pub settings: Settings,
    /// Never dropped: a process runs one command and ends, and the system
    /// takes a large dataset's memory back at once, where freeing its
    /// millions of values one by one takes a noticeable part of a second
    /// at the end of every run (0.4 s at 10 million lines).
    pub data: std::mem::ManuallyDrop<Dataset>,
    pub ctx: Context,
    pub plan: output::OutputPlan,
}

/// The run's warnings, for the outputs that carry them in the file (HTML,
/// xlsx): a process runs one command, so one list.
static WARNINGS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// The warnings said so far in this run.
pub fn warnings() -> Vec<String> {
    WARNINGS.lock().map(|w| w.clone()).unwrap_or_default()
}

fn warn(common: &Common, msg: &str) {
    if let Ok(mut w) = WARNINGS.lock() {
        w.push(msg.to_string());
    }
    if !common.quiet {
        progress::above(|| eprintln!("warning: {msg}"));
    }
}

/// Resolves settings, loads the dataset and builds the context; prints
/// warnings and handles rejected rows.
pub fn prepare(common: &Common) -> Result<Prepared> {
    prepare_without(common, &[])
}

/// [`prepare`] for a command that does not use some optional tables: their
/// "no <table>.csv" warnings are not said.
pub fn prepare_without(common: &Common, unused: &[&str]) -> Result<Prepared> {
    let plan = output::plan(common)?;
    if common.rejects.is_some() && !common.skip_invalid {
        return Err(crate::UsageError(
            "--rejects lists the rows that --skip-invalid leaves out\nhelp: add --skip-invalid, or drop --rejects".to_string(),
        )
        .into());
    }
    let settings = Settings::resolve(&Overrides {
        data: common.data.clone(),
        config: common.config.clone(),
        fy: common.fy.clone(),
        as_of: common.as_of.clone(),
        scope: Scope {
            teams: common.team.clone(),
            members: common.member.clone(),
            territories: common.territory.clone(),
            verticals: common.vertical.clone(),
            segments: common.segment.clone(),
        },
        skip_invalid: common.skip_invalid,
        rejects: common.rejects.clone(),
        encoding: common.encoding.clone(),
        currency: common.currency.clone(),
        today: None,
        // Progress is the indicatif spinner below, not ingest's own line.
        verbose: common.verbose,
    })?;
    if common.verbose {
        eprintln!(
            "atu: data {}, config {}, {} ({} to {}), as of {}",
            settings.data_dir.display(),
            settings
                .config_path
                .as_ref()
                .map_or("(none)".to_string(), |p| p.display().to_string()),
            settings.fy.label(),
            settings.fy.start,
            settings.fy.end,
            settings.as_of
        );
    }
    progress::start(&settings.data_dir, common.quiet, common.verbose);
    let data = ingest::load(&settings)?;
    progress::say("computing the figures");
    for (table, w) in &data.missing {
        if !unused.contains(table) {
            warn(common, w);
        }
    }
    for w in &data.warnings {
        warn(common, w);
    }
    // Targets may name the KPIs of kpis.csv.
    let kpi_names: Vec<String> = data
        .kpis
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|k| k.kpi.clone())
        .collect();
    let unknown = settings.targets.unknown_names(&kpi_names);
    if !unknown.is_empty() {
        warn(
            common,
            &format!(
                "[targets] names no KPI atu knows: {} (a typo?)",
                unknown.join(", ")
            ),
        );
    }
    if common.verbose {
        for l in &data.ledgers {
            eprintln!(
                "atu: {}: {} rows read from {}, {} accepted",
                l.table,
                l.rows_read,
                l.files.join(", "),
                l.accepted
            );
        }
    }
    let strangers: Vec<&str> = settings
        .targets
        .members
        .keys()
        .filter(|id| !data.members.iter().any(|m| &m.id == *id))
        .map(String::as_str)
        .collect();
    if !strangers.is_empty() {
        warn(
            common,
            &format!(
                "[targets.members] names ids not in the roster, whose targets are not used: {}",
                strangers.join(", ")
            ),
        );
    }
    if !data.rejected.is_empty() {
        report_rejects(common, &data.rejected)?;
    }
    let ctx = Context::new(
        &settings,
        &data.members,
        data.accounts.as_deref(),
        data.currency.as_deref(),
    )?;
    if let Some(part) = &ctx.accounts_said {
        // CSV output has no scope line: say it where cron sees it.
        warn(
            common,
            &format!("{part}; attainment and pace get no status under an account filter"),
        );
    }
    Ok(Prepared {
        settings,
        data: std::mem::ManuallyDrop::new(data),
        ctx,
        plan,
    })
}

fn report_rejects(common: &Common, rejected: &[Problem]) -> Result<()> {
    // Rows, not problems: a row with two bad cells is one row left out.
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rows: std::collections::BTreeSet<(&str, Option<u64>)> = Default::default();
    for p in rejected {
        if rows.insert((p.file.as_str(), p.line)) {
            *by_reason.entry(p.reason.as_str()).or_default() += 1;
        }
    }
    let summary: Vec<String> = by_reason.iter().map(|(r, n)| format!("{r}: {n}")).collect();
    match &common.rejects {
        Some(path) => {
            let mut t = Table::new(
                "rejects",
                "Rejected rows",
                &["file", "line", "column", "value", "reason", "message"],
            );
            for p in rejected {
                t.push(vec![
                    Cell::text(&p.file),
                    p.line.map_or(Cell::Missing, |l| Cell::Count(l as i64)),
                    p.column.as_ref().map_or(Cell::Missing, Cell::text),
                    p.value.as_ref().map_or(Cell::Missing, Cell::text),
                    Cell::text(&p.reason),
                    Cell::text(&p.message),
                ]);
            }
            let mut buf = Vec::new();
            crate::report::csv::render_table(&t, &Default::default(), &mut buf)?;
            output::write_atomic(path, &buf)?;
            warn(
                common,
                &format!(
                    "{} invalid row(s) left out ({}); their problems are listed in {}",
                    rows.len(),
                    summary.join(", "),
                    path.display()
                ),
            );
        }
        None => warn(
            common,
            &format!(
                "{} invalid row(s) left out ({}); pass --rejects FILE to list them",
                rows.len(),
                summary.join(", ")
            ),
        ),
    }
    Ok(())
}

/// The report skeleton every command fills.
pub fn report(ctx: &Context, tables: Vec<Table>, notes: Vec<String>) -> Report {
    Report {
        fiscal_year: ctx.fy.label(),
        as_of: ctx.as_of.to_string(),
        scope: ctx.scope_label.clone(),
        tables,
        notes,
        warnings: Vec::new(),
    }
}

/// What a command wrote, and the KPIs it judged (for `--fail-on`).
pub struct Outcome {
    pub report: Report,
    pub judged: Option<Judged>,
}

impl From<Report> for Outcome {
    fn from(report: Report) -> Outcome {
        Outcome {
            report,
            judged: None,
        }
    }
}

/// The judged KPIs of an output, with where they are shown.
pub struct Judged {
    /// The table that shows their statuses (`scorecard`, `attainment`).
    pub table: &'static str,
    /// How team rows are named in messages.
    pub team_name: String,
    pub kpis: Vec<crate::metrics::kpi::Kpi>,
}

/// The KPIs of an output at `level` or worse, one line each:
/// `scorecard: M03 attainment Q1 is red`.
pub fn tripped(judged: &Judged, level: FailOn) -> Vec<String> {
    let worst_ok = match level {
        FailOn::Red => Status::Yellow,
        FailOn::Yellow => Status::Green,
    };
    crate::metrics::kpi::tripped(judged.table, &judged.team_name, &judged.kpis, worst_ok)
}

/// The error for missing tables: each file with what it is for (`what`
/// gives `(what, why)` of a table), the CSV files the folder holds, and how
/// to point atu at an export.
pub fn missing_tables(
    settings: &crate::config::Settings,
    missing: &[&crate::ingest::TableSpec],
    what: impl Fn(&str) -> (&'static str, &'static str),
) -> String {
    let mut lines = Vec::new();
    for spec in missing {
        let (what, why) = what(spec.name);
        lines.push(format!(
            "{}: {what} ({}) are missing{why}{}",
            settings.data_dir.join(spec.file).display(),
            spec.file,
            ingest::frame::files_found(settings, spec)
        ));
    }
    let help: Vec<String> = missing
        .iter()
        .map(|s| {
            format!(
                "put {} in the data folder, or point [files] {} in atu.toml at the export",
                s.file, s.name
            )
        })
        .collect();
    format!("{}\nhelp: {}", lines.join("\nerror: "), help.join("; "))
}

/// Runs a parsed command line; returns the exit status. The spinner, if
/// any, is gone when it returns.
pub fn run(cli: Cli) -> Result<i32> {
    let status = run_command(cli);
    progress::clear();
    status
}

fn run_command(cli: Cli) -> Result<i32> {
    let outcome: Outcome = match cli.command {
        Command::Scorecard => scorecard::run(&cli.common)?,
        Command::Attainment { explain } => attainment::run(&cli.common, explain)?,
        Command::Pipeline => pipeline::run(&cli.common)?.into(),
        Command::Forecast => forecast::run(&cli.common)?,
        Command::Partners => partners::run(&cli.common)?.into(),
        Command::Penetration => penetration::run(&cli.common)?.into(),
        Command::Whitespace => whitespace::run(&cli.common)?.into(),
        Command::Contacts { by } => contacts::run(&cli.common, by)?.into(),
        Command::Nsat { by } => nsat::run(&cli.common, by)?.into(),
        Command::Validate => validate::run(&cli.common)?.into(),
        Command::Init { preset, force } => {
            init::run(&cli.common, preset.as_deref(), force)?;
            return Ok(0);
        }
        Command::Completions { shell } => {
            completions::run(shell)?;
            return Ok(0);
        }
        Command::Man => {
            man::run()?;
            return Ok(0);
        }
    };
    if let Some(level) = cli.common.fail_on {
        let judged = outcome.judged.as_ref();
        // Nothing judged (no targets): --fail-on could never trip.
        if !judged.is_some_and(|j| j.kpis.iter().any(|k| k.status.is_some())) {
            warn(
                &cli.common,
                "--fail-on: no figure in the output has a target, so nothing can trip it; set [targets] in atu.toml",
            );
        }
        let hits = judged.map(|j| tripped(j, level)).unwrap_or_default();
        if !hits.is_empty() {
            if !cli.common.quiet {
                for h in &hits {
                    eprintln!("fail-on: {h}");
                }
            }
            return Ok(EXIT_FAIL_ON);
        }
    }
    Ok(0)
}

/// The attainment grid of a prepared run (warnings printed).
pub fn attainment_of(
    common: &Common,
    p: &Prepared,
) -> Result<crate::metrics::attainment::Attainment> {
    let (won, overlay) = match &p.data.opportunities {
        Some(f) => crate::metrics::lines::won_by_quarter(&f.df, &p.ctx)?,
        None => Default::default(),
    };
    let att = crate::metrics::attainment::compute(
        &p.ctx,
        p.data.quotas.as_deref(),
        p.data.team_quotas.as_deref(),
        &won,
        &overlay,
    );
    for w in &att.warnings {
        warn(common, w);
    }
    Ok(att)
}

/// Line figures per owner and for the team.
pub fn stats_of(
    p: &Prepared,
) -> Result<(
    BTreeMap<String, crate::metrics::lines::LineStats>,
    crate::metrics::lines::LineStats,
)> {
    match &p.data.opportunities {
        Some(f) => crate::metrics::lines::line_stats(&f.df, &p.ctx),
        None => Ok(Default::default()),
    }
}

/// False when the opportunities have no partner column (mapped or named
/// `partner_id`): partner attach is then unknown, not 0. Without
/// opportunities there is nothing to count (no won opportunity) and this
/// is true.
/// True when the opportunities say where each open line stands in the
/// forecast (a `forecast_category` column).
pub fn has_forecast_column(p: &Prepared) -> bool {
    p.data
        .opportunities
        .as_ref()
        .is_some_and(|f| f.present.contains(&"forecast_category"))
}

pub fn has_partner_column(p: &Prepared) -> bool {
    p.data
        .opportunities
        .as_ref()
        .is_none_or(|f| f.present.contains(&"partner_id"))
}

/// Won revenue in the YTD window, total and assigned to roster members.
pub fn reconciliation_of(p: &Prepared) -> Result<crate::metrics::scorecard::Reconciliation> {
    let (won, assigned, unassigned) = match &p.data.opportunities {
        Some(f) => crate::metrics::lines::won_reconciliation(&f.df, &p.ctx)?,
        None => (0, 0, 0),
    };
    Ok(crate::metrics::scorecard::Reconciliation {
        won,
        assigned,
        unassigned,
    })
}

/// The accounts, the catalog and what each account holds; warnings
/// printed. `command` names the command in the error without accounts.csv.
pub(super) fn penetration_inputs<'a>(
    common: &Common,
    p: &'a Prepared,
    command: &str,
) -> Result<(&'a [crate::ingest::Account], Catalog, Holdings, Vec<String>)> {
    let Some(accounts) = p.data.accounts.as_deref() else {
        bail!(
            "atu {command} needs accounts.csv: an account belongs to the member named in its owner_id\nhelp: put accounts.csv (account_id, name, owner_id, …) in the data folder, or point [files] accounts in atu.toml at the export"
        );
    };
    let mut notes = Vec::new();
    let t0 = std::time::Instant::now();
    let facts = match &p.data.opportunities {
        Some(f) => facts(&f.df, &p.ctx, accounts)?,
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
