//! Finding a table's files: `[files]` (a path or a glob) or the canonical
//! name; and, when none is there, the CSV files the folder holds with the
//! closest name, for the message.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};

use super::headers::closest;
use crate::config::Settings;
use crate::schema::TableSpec;

/// Finds the files of a table: `[files]` (a path or glob) or the canonical
/// name, relative to the dataset folder.
pub fn find_files(settings: &Settings, spec: &TableSpec) -> Result<Vec<(PathBuf, String)>> {
    let pattern = settings
        .files
        .get(spec.name)
        .cloned()
        .unwrap_or_else(|| spec.file.to_string());
    let full = if Path::new(&pattern).is_absolute() {
        PathBuf::from(&pattern)
    } else {
        settings.data_dir.join(&pattern)
    };
    let shown = |p: &Path| -> String {
        p.strip_prefix(&settings.data_dir)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    if pattern.contains(['*', '?', '[']) {
        let pat = full.to_string_lossy().to_string();
        let paths = glob::glob(&pat).map_err(|e| {
            anyhow!("[files] {} = \"{pattern}\" is not a valid glob: {e}\nhelp: fix [files] {} in atu.toml", spec.name, spec.name)
        })?;
        let mut out = Vec::new();
        for p in paths {
            let p = p.map_err(|e| anyhow!("cannot list {}: {e}", pattern))?;
            if p.is_file() {
                let d = shown(&p);
                out.push((p, d));
            }
        }
        out.sort();
        Ok(out)
    } else if full.is_file() {
        let d = shown(&full);
        Ok(vec![(full, d)])
    } else {
        Ok(Vec::new())
    }
    .and_then(|found: Vec<(PathBuf, String)>| {
        // A configured path that matches nothing is a mistake, not "no data".
        if found.is_empty() && settings.files.contains_key(spec.name) {
            bail!(
                "[files] {} = \"{pattern}\" matches no file in {}\nhelp: fix [files] {} in {}",
                spec.name,
                settings.data_dir.display(),
                spec.name,
                settings
                    .config_path
                    .as_ref()
                    .map_or("atu.toml".to_string(), |p| p.display().to_string())
            );
        }
        Ok(found)
    })
}

/// For a table whose file is missing: the CSV files the folder holds and
/// the closest to the canonical name, as `; CSV files found: …; closest
/// match: …` (empty when the folder holds none).
pub fn files_found(settings: &Settings, spec: &TableSpec) -> String {
    let Ok(entries) = std::fs::read_dir(&settings.data_dir) else {
        return String::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.to_lowercase().ends_with(".csv"))
        .collect();
    if names.is_empty() {
        return String::new();
    }
    names.sort();
    // Another table's own file (by name, by a CRM's name for it, or by
    // [files]) and a CRM's file that is no table (Lead.csv, UserRole.csv)
    // are never the closest match.
    let stem = |n: &str| n.to_lowercase().trim_end_matches(".csv").to_string();
    let others: Vec<String> = names
        .iter()
        .filter(|n| {
            !crate::schema::TABLES.iter().any(|t| {
                t.name != spec.name
                    && (n.eq_ignore_ascii_case(t.file) || t.exports.contains(&stem(n).as_str()))
            }) && !crate::schema::NOT_TABLES
                .iter()
                .any(|(names, _)| names.contains(&stem(n).as_str()))
                && !settings
                    .files
                    .iter()
                    .any(|(t, f)| t != spec.name && n.eq_ignore_ascii_case(f))
        })
        .cloned()
        .collect();
    let near = closest(spec.file, &others)
        .map(|n| {
            format!(
                "; closest match: \"{n}\" (use it with [files] {} = \"{n}\")",
                spec.name
            )
        })
        .unwrap_or_default();
    let shown: Vec<String> = names.iter().take(10).map(|n| format!("\"{n}\"")).collect();
    let more = if names.len() > 10 { ", …" } else { "" };
    format!("; CSV files found: {}{more}{near}", shown.join(", "))
}
