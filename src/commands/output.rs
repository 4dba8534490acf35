//! Where a report goes: the format (table on a terminal, csv otherwise, or
//! from `--output`'s extension), colour (`--color`, `NO_COLOR`, `TERM=dumb`),
//! the terminal's width (`--wide` for none),
//! `--csv-locale`, stdout through a locked buffer (a closed pipe is success),
//! `--output FILE` written atomically, and `--out-dir DIR` with one CSV per
//! table, all of them in one JSON file, the HTML page and the xlsx workbook.
//! xlsx is binary: onto a terminal it is a usage error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

use crate::cli::{ColorArg, Common, FormatArg};
use crate::report::{self, CsvStyle, Format, RenderOptions, Report};

/// The resolved output choices.
#[derive(Clone, Debug)]
pub struct OutputPlan {
    pub format: Format,
    pub opts: RenderOptions,
    pub output: Option<PathBuf>,
    pub out_dir: Option<PathBuf>,
}

/// `--csv-locale`: locales whose Excel uses a decimal comma (and `;`).
pub fn csv_style(locale: Option<&str>) -> Result<CsvStyle> {
    let Some(l) = locale else {
        return Ok(CsvStyle::default());
    };
    let lang = l.trim().to_ascii_lowercase().replace('_', "-");
    let lang = lang.split('-').next().unwrap_or("");
    const COMMA: &[&str] = &[
        "it", "de", "fr", "es", "pt", "nl", "da", "fi", "sv", "nb", "no", "pl", "cs", "sk", "hu",
        "ro", "ru", "tr", "el", "bg", "hr", "sl", "lt", "lv", "et", "id", "vi", "uk", "ca",
    ];
    const DOT: &[&str] = &["en", "us", "c", "ja", "zh", "ko", "he", "th", "ms", "hi"];
    if COMMA.contains(&lang) {
        Ok(CsvStyle {
            delimiter: b';',
            decimal_comma: true,
            bom: false,
        })
    } else if DOT.contains(&lang) {
        Ok(CsvStyle::default())
    } else {
        Err(crate::UsageError(format!("--csv-locale {l} is not a locale atu knows\nhelp: use e.g. --csv-locale it (Italian Excel: `;` and decimal comma) or --csv-locale en")).into())
    }
}

fn color_allowed(c: ColorArg) -> bool {
    match c {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Resolves the output choices from the common flags.
pub fn plan(common: &Common) -> Result<OutputPlan> {
    let output = common.output.clone().filter(|p| p.as_os_str() != "-");
    let format = match common.format {
        Some(FormatArg::Table) => Format::Table,
        Some(FormatArg::Csv) => Format::Csv,
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Markdown) => Format::Markdown,
        Some(FormatArg::Html) => Format::Html,
        Some(FormatArg::Xlsx) => Format::Xlsx,
        None => match output
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
        {
            Some("json") => Format::Json,
            Some("md") | Some("markdown") => Format::Markdown,
            Some("html") | Some("htm") => Format::Html,
            Some("xlsx") => Format::Xlsx,
            Some(_) => Format::Csv,
            None if output.is_some() => Format::Csv,
            None if std::io::stdout().is_terminal() => Format::Table,
            None => Format::Csv,
        },
    };
    // A workbook is binary: never onto a terminal.
    if format == Format::Xlsx
        && output.is_none()
        && common.out_dir.is_none()
        && std::io::stdout().is_terminal()
    {
        return Err(crate::UsageError(
            "--format xlsx writes a binary workbook, not something to show on a terminal\nhelp: add --output FILE.xlsx (or --out-dir DIR), or redirect stdout to a file".to_string(),
        )
        .into());
    }
    let color = output.is_none() && format == Format::Table && color_allowed(common.color);
    // CSV-only flags on another format (and no --out-dir CSV files) do
    // nothing: say so rather than ignore them.
    if format != Format::Csv && common.out_dir.is_none() && !common.quiet {
        for (set, flag) in [
            (common.bom, "--bom"),
            (common.csv_locale.is_some(), "--csv-locale"),
        ] {
            if set {
                eprintln!(
                    "warning: {flag} applies to CSV output only; this run writes {}",
                    match format {
                        Format::Table => "a table",
                        Format::Json => "JSON",
                        Format::Markdown => "markdown",
                        Format::Html => "HTML",
                        Format::Xlsx => "xlsx",
                        Format::Csv => "CSV",
                    }
                );
            }
        }
    }
    Ok(OutputPlan {
        format,
        opts: RenderOptions {
            color,
            csv: CsvStyle {
                bom: common.bom,
                ..csv_style(common.csv_locale.as_deref())?
            },
            wide: common.wide,
            // On a terminal, tables wrap to its width (not with --wide).
            width: (format == Format::Table
                && output.is_none()
                && !common.wide
                && std::io::stdout().is_terminal())
            .then(report::terminal::terminal_width)
            .flatten(),
        },
        output,
        out_dir: common.out_dir.clone(),
    })
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed into place: a crash never leaves half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        bail!(
            "cannot write {}: folder {} does not exist",
            path.display(),
            dir.display()
        );
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.atu-tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// Writes a report as planned. `screen` is what a terminal table shows when
/// it differs from the full report (e.g. the scorecard's summary).
pub fn emit(
    report: &Report,
    screen: Option<&Report>,
    plan: &OutputPlan,
    quiet: bool,
) -> Result<()> {
    super::progress::clear();
    // The warnings said so far travel in the files that carry them (HTML,
    // xlsx); the report is copied only for those.
    let with_warnings;
    let report = if plan.out_dir.is_some() || matches!(plan.format, Format::Html | Format::Xlsx) {
        with_warnings = Report {
            warnings: super::warnings(),
            ..report.clone()
        };
        &with_warnings
    } else {
        report
    };
    if let Some(dir) = &plan.out_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create --out-dir {}", dir.display()))?;
        for t in &report.tables {
            let mut buf = Vec::new();
            report::csv::render_table(t, &plan.opts.csv, &mut buf)?;
            write_atomic(&dir.join(format!("{}.csv", t.name)), &buf)?;
        }
        // And every table in one JSON file named after the first
        // (`scorecard.json`): a cron job's whole output in one call.
        let json_name = report
            .tables
            .first()
            .map_or("report".to_string(), |t| t.name.clone());
        let mut buf = Vec::new();
        report::render(report, Format::Json, &plan.opts, &mut buf)?;
        write_atomic(&dir.join(format!("{json_name}.json")), &buf)?;
        // And the page and the workbook people read (`scorecard.html`,
        // `scorecard.xlsx`).
        let mut buf = Vec::new();
        report::html::render(report, screen, &mut buf)?;
        write_atomic(&dir.join(format!("{json_name}.html")), &buf)?;
        let mut buf = Vec::new();
        report::xlsx::render(report, screen, &mut buf)?;
        write_atomic(&dir.join(format!("{json_name}.xlsx")), &buf)?;
        if !quiet {
            eprintln!(
                "wrote {} table(s), {json_name}.json, {json_name}.html and {json_name}.xlsx to {}",
                report.tables.len(),
                dir.display()
            );
        }
        if plan.output.is_none() {
            return Ok(());
        }
    }
    let shown = match (plan.format, screen) {
        (Format::Table, Some(s)) => s,
        _ => report,
    };
    let mut buf = Vec::new();
    match plan.format {
        Format::Html => report::html::render(report, screen, &mut buf)?,
        Format::Xlsx => report::xlsx::render(report, screen, &mut buf)?,
        _ => report::render(shown, plan.format, &plan.opts, &mut buf)?,
    }
    match &plan.output {
        Some(path) => {
            write_atomic(path, &buf)?;
            if !quiet {
                eprintln!("wrote {}", path.display());
            }
            Ok(())
        }
        None => to_stdout(&buf),
    }
}

/// Writes `buf` to a locked stdout; a closed pipe (`atu … | head`) is
/// success.
pub fn to_stdout(buf: &[u8]) -> Result<()> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(buf).and_then(|_| lock.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to stdout"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert_eq!(csv_style(Some("it")).unwrap().delimiter, b';');
        assert!(csv_style(Some("de-DE")).unwrap().decimal_comma);
        assert_eq!(csv_style(Some("en")).unwrap(), CsvStyle::default());
        assert_eq!(csv_style(None).unwrap(), CsvStyle::default());
        assert!(csv_style(Some("xx")).is_err());
    }

    #[test]
    fn atomic_write_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(write_atomic(&dir.path().join("nope/a.csv"), b"x").is_err());
    }
}
