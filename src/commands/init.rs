//! `atu init [--preset P]`: write a commented `atu.toml` for a folder of
//! exports. It surveys the CSV files there (encoding, delimiter, headers,
//! values), picks the file of each table, maps the headers (the preset's
//! names, then atu's own), finds the decimal mark, the day/month order and
//! the status words, and writes every finding with a comment saying where
//! it came from. What it cannot map is written as a commented line and
//! listed on stderr. It then loads the folder with the new file, as
//! `atu validate` would, and says whether it works.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::cli::Common;
use crate::config::{self, presets, Overrides, Preset, Settings};
use crate::ingest::survey::{self, EncodingFound, FileSurvey, Mapping, Source};
use crate::ingest::{self, TableSpec};
use crate::schema::TABLES;

/// A TOML basic string on one line (see [`crate::config::toml_string`]).
fn q(s: &str) -> String {
    crate::config::toml_string(s)
}

/// A header or a list of headers as atu.toml writes them.
fn q_list(v: &[String]) -> String {
    crate::config::Headers::Each(v.to_vec()).to_toml()
}

fn delimiter_toml(d: u8) -> String {
    match d {
        b'\t' => "\"\\t\"".to_string(),
        other => q(&(other as char).to_string()),
    }
}

/// What init found, to write and to report.
struct Findings {
    preset: Option<&'static Preset>,
    preset_guessed: bool,
    /// Table → (file, mapping).
    tables: BTreeMap<&'static str, (FileSurvey, Mapping)>,
    /// CSV files no table took, with why.
    unused_files: Vec<(String, String)>,
    /// The other files (no table's), for what init reads beside tables:
    /// the fiscal calendar of a Salesforce export.
    others: Vec<FileSurvey>,
    /// Optional tables whose file lacks a required column: (table, file,
    /// the columns), left out rather than failing the folder.
    set_aside: Vec<(&'static str, String, Vec<&'static str>)>,
    /// The fiscal year the export carries: (start month, named by, where).
    fiscal: Option<(u32, &'static str, String)>,
    /// What could not be mapped or decided and must be: init fails.
    missing: Vec<String>,
    /// What may be worth mapping (an optional column): said, not failed.
    advice: Vec<String>,
}

/// Picks a preset from the headers when none is given: the one whose
/// candidates map the most columns that atu's own names do not.
fn guess_preset(files: &[FileSurvey]) -> Option<(&'static Preset, Vec<String>)> {
    let mut best: Option<(usize, &'static Preset, Vec<String>)> = None;
    for p in presets::PRESETS.iter().copied() {
        let mut gain = 0;
        let mut said: Vec<String> = Vec::new();
        for f in files {
            for spec in TABLES {
                let with = survey::map_file(f, spec, Some(p));
                let without = survey::map_file(f, spec, None);
                // Evidence worth saying: a file named as the table's export.
                let named = spec.exports.contains(&stem(&f.name.to_lowercase()));
                for (c, (h, _)) in &with.columns {
                    if !h.is_empty() && without.headers(c).is_none() {
                        gain += 1;
                        let shown = format!("{} in {}", h.join(" / "), f.name);
                        if named && said.len() < 3 && !said.contains(&shown) {
                            said.push(shown);
                        }
                    }
                }
            }
        }
        if gain >= 3 && best.as_ref().is_none_or(|(g, _, _)| gain > *g) {
            best = Some((gain, p, said));
        }
    }
    best.map(|(_, p, said)| (p, said))
}

/// Assigns files to tables: a file named as the table (or as the preset
/// names its export) first, then the best fit; each file to one table.
fn assign(files: &[FileSurvey], preset: Option<&'static Preset>) -> Findings {
    let files = group_monthly(files);
    let files = files.as_slice();
    let mut scored: Vec<(usize, &'static TableSpec, usize, Mapping)> = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        // A file without data rows is no table's (a backup writes every
        // object, used or not).
        if f.rows.is_empty() {
            continue;
        }
        for spec in TABLES {
            let m = survey::map_file(f, spec, preset);
            let fit = survey::fit(&m, spec);
            let lower = f.name.to_lowercase();
            // A file named as a table (or as a CRM names its export) is
            // that table's, mapped or not; the earlier name first.
            let named = spec.exports.iter().position(|e| *e == stem(&lower));
            if fit == 0 && lower != spec.file && named.is_none() {
                continue;
            }
            // A CRM's file that is no table is not fitted by headers.
            if named.is_none() && lower != spec.file && not_a_table(&lower).is_some() {
                continue;
            }
            let bonus = if lower == spec.file {
                2000
            } else if let Some(i) = named {
                1000 - i
            } else {
                0
            };
            scored.push((fit + bonus, spec, fi, m));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let mut tables = BTreeMap::new();
    let mut taken = vec![false; files.len()];
    for (_, spec, fi, m) in scored {
        if taken[fi] || tables.contains_key(spec.name) {
            continue;
        }
        taken[fi] = true;
        tables.insert(spec.name, (files[fi].clone(), m));
    }
    let unused_files = files
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .map(|(f, _)| {
            let lower = f.name.to_lowercase();
            let named = TABLES
                .iter()
                .find(|spec| spec.exports.contains(&stem(&lower)) || spec.file == lower);
            let why = if let Some(why) = not_a_table(&lower) {
                why.to_string()
            } else if f.rows.is_empty() {
                "it holds no data rows".to_string()
            } else if let Some((other, _)) = named.and_then(|spec| tables.get(spec.name)) {
                format!(
                    "another export of {}: {} is used",
                    named.map_or("", |s| s.name),
                    other.name
                )
            } else {
                "no table of atu's fits its headers".to_string()
            };
            (f.name.clone(), why)
        })
        .collect();
    let others = files
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .map(|(f, _)| f.clone())
        .collect();
    Findings {
        preset,
        preset_guessed: false,
        tables,
        unused_files,
        others,
        set_aside: Vec::new(),
        fiscal: None,
        missing: Vec::new(),
        advice: Vec::new(),
    }
}

/// Salesforce DX exports name a related record by a header such as
/// `Owner.External_Id__c` or `Account.External_Id__c`: the owner (or
/// account) column takes it, and the roster's id (or the accounts' id)
/// becomes the User's (Account's) column of the same name.
fn relationships(f: &mut Findings) {
    // (relationship, column it fills, table whose id it names)
    const RELATIONS: [(&str, &str, &str); 2] = [
        ("owner.", "owner_id", "members"),
        ("account.", "account_id", "accounts"),
    ];
    let mut ids: Vec<(&'static str, String)> = Vec::new();
    for (table, (file, m)) in f.tables.iter_mut() {
        let spec = TABLES.iter().find(|s| s.name == *table);
        for (prefix, column, target) in RELATIONS {
            let has_column = spec.is_some_and(|s| s.columns.iter().any(|c| c.name == column));
            if !has_column || m.headers(column).is_some() {
                continue;
            }
            let Some(h) = file
                .headers
                .iter()
                .find(|h| h.to_lowercase().starts_with(prefix) && h.len() > prefix.len())
            else {
                continue;
            };
            m.columns
                .insert(column, (vec![h.clone()], Some(Source::Preset)));
            m.unused.retain(|u| u != h);
            let field = h[prefix.len()..].to_string();
            ids.push((target, field.clone()));
            // The file's own record of the same field is its id.
            if *table == "opportunities" && m.headers("opportunity_id").is_none() {
                if let Some(own) = file.headers.iter().find(|x| **x == field) {
                    m.columns
                        .insert("opportunity_id", (vec![own.clone()], Some(Source::Preset)));
                    m.unused.retain(|u| u != own);
                }
            }
        }
    }
    for (target, field) in ids {
        let column = if target == "members" {
            "member_id"
        } else {
            "account_id"
        };
        if field.eq_ignore_ascii_case("name") {
            continue;
        }
        if let Some((file, m)) = f.tables.get_mut(target) {
            if let Some(h) = file.headers.iter().find(|x| **x == field) {
                if let Some((old, _)) = m.columns.get(column) {
                    for o in old.clone() {
                        if !m.unused.contains(&o) {
                            m.unused.push(o);
                        }
                    }
                }
                m.columns
                    .insert(column, (vec![h.clone()], Some(Source::Preset)));
                m.unused.retain(|u| u != h);
            }
        }
    }
}

/// The fiscal year a Salesforce export carries: `Organization.csv`'s
/// FiscalYearStartMonth, else the `Year` rows of `Period.csv` (named
/// through `FiscalYearSettings.csv`), else FiscalYearSettings' own dates.
/// Returns (start month, named by, where it came from).
fn fiscal_from_export(others: &[FileSurvey]) -> Option<(u32, &'static str, String)> {
    let file = |stem_name: &str| {
        others
            .iter()
            .find(|f| stem(&f.name.to_lowercase()) == stem_name)
    };
    let col = |f: &FileSurvey, h: &str| f.headers.iter().position(|x| x.eq_ignore_ascii_case(h));
    let day =
        |v: &str| chrono::NaiveDate::parse_from_str(v.get(..10).unwrap_or(v), "%Y-%m-%d").ok();
    if let Some(org) = file("organization") {
        if let (Some(i), Some(row)) = (col(org, "FiscalYearStartMonth"), org.rows.first()) {
            if let Some(m) = row
                .get(i)
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|m| (1..=12).contains(m))
            {
                let by_start = col(org, "UsesStartDateAsFiscalYearName")
                    .and_then(|j| row.get(j))
                    .and_then(|v| crate::ingest::parse_flag(Some(v)))
                    .unwrap_or(false);
                return Some((
                    m,
                    if by_start { "start" } else { "end" },
                    format!("{}: FiscalYearStartMonth {m}", org.name),
                ));
            }
        }
    }
    let settings = file("fiscalyearsettings");
    let names: BTreeMap<String, String> = settings
        .and_then(|s| Some((s, col(s, "Id")?, col(s, "Name")?)))
        .map(|(s, i, n)| {
            s.rows
                .iter()
                .filter_map(|r| Some((r.get(i)?.clone(), r.get(n)?.clone())))
                .collect()
        })
        .unwrap_or_default();
    // (start, end, name) of each fiscal year.
    let mut years: Vec<(chrono::NaiveDate, chrono::NaiveDate, Option<String>, String)> = Vec::new();
    if let Some(p) = file("period") {
        if let (Some(t), Some(a), Some(b)) =
            (col(p, "Type"), col(p, "StartDate"), col(p, "EndDate"))
        {
            let fy = col(p, "FiscalYearSettingsId");
            for r in &p.rows {
                if !r.get(t).is_some_and(|v| v.eq_ignore_ascii_case("year")) {
                    continue;
                }
                if let (Some(a), Some(b)) =
                    (r.get(a).and_then(|v| day(v)), r.get(b).and_then(|v| day(v)))
                {
                    let name = fy
                        .and_then(|i| r.get(i))
                        .and_then(|id| names.get(id))
                        .cloned();
                    years.push((a, b, name, p.name.clone()));
                }
            }
        }
    }
    if years.is_empty() {
        if let Some(s) = settings {
            if let (Some(a), Some(b)) = (col(s, "StartDate"), col(s, "EndDate")) {
                let n = col(s, "Name");
                for r in &s.rows {
                    if let (Some(x), Some(y)) =
                        (r.get(a).and_then(|v| day(v)), r.get(b).and_then(|v| day(v)))
                    {
                        years.push((x, y, n.and_then(|i| r.get(i)).cloned(), s.name.clone()));
                    }
                }
            }
        }
    }
    use chrono::Datelike;
    let (start, end, name, from) = years.into_iter().max_by_key(|y| y.0)?;
    let named_by = match name.as_deref().and_then(|n| n.trim().parse::<i32>().ok()) {
        Some(n) if n == start.year() && start.month() != 1 => "start",
        _ => "end",
    };
    let named = name.map(|n| format!(" (FY{n})")).unwrap_or_default();
    Some((
        start.month(),
        named_by,
        format!("{from}: the latest fiscal year{named} runs {start} to {end}"),
    ))
}

/// The length of quota rows that carry only a start date (Salesforce's
/// ForecastingQuota): the forecast periods of `Period.csv`, else what the
/// dates show — a start that is no quarter's first month means months;
/// one member's starts three months apart mean quarters.
fn quota_period_guess(
    file: &FileSurvey,
    m: &Mapping,
    start_month: u32,
    others: &[FileSurvey],
) -> Option<(&'static str, String)> {
    use chrono::Datelike;
    if let Some(p) = others
        .iter()
        .find(|f| stem(&f.name.to_lowercase()) == "period")
    {
        let col = |h: &str| p.headers.iter().position(|x| x.eq_ignore_ascii_case(h));
        if let (Some(t), Some(fp)) = (col("Type"), col("IsForecastPeriod")) {
            let kinds: std::collections::BTreeSet<String> = p
                .rows
                .iter()
                .filter(|r| {
                    r.get(fp).and_then(|v| crate::ingest::parse_flag(Some(v))) == Some(true)
                })
                .filter_map(|r| r.get(t).map(|v| v.to_lowercase()))
                .collect();
            if let [one] = kinds.iter().collect::<Vec<_>>()[..] {
                if one == "month" || one == "quarter" {
                    let len = if one == "month" { "month" } else { "quarter" };
                    return Some((len, format!("{}: the forecast periods are {one}s", p.name)));
                }
            }
        }
    }
    let start_h = m.headers("start_date")?.first()?.clone();
    let owner_h = m.headers("member_id").and_then(|h| h.first()).cloned();
    let owners: Vec<Option<&str>> = match &owner_h {
        Some(h) => file.values(h).collect(),
        None => vec![None; file.rows.len()],
    };
    let mut by_owner: BTreeMap<&str, Vec<chrono::NaiveDate>> = BTreeMap::new();
    for (v, o) in file.values(&start_h).zip(owners) {
        let d = v.and_then(|v| crate::ingest::parse::parse_date(v, None))?;
        if d.day() != 1 {
            return None;
        }
        let offset = (d.month() + 12 - start_month) % 12;
        if !offset.is_multiple_of(3) {
            return Some((
                "month",
                format!("{}: {start_h} {d} is no quarter's first day", file.name),
            ));
        }
        by_owner.entry(o.unwrap_or("")).or_default().push(d);
    }
    let months = |a: chrono::NaiveDate, b: chrono::NaiveDate| {
        (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32
    };
    let mut gaps = std::collections::BTreeSet::new();
    for dates in by_owner.values_mut() {
        dates.sort();
        dates.dedup();
        for w in dates.windows(2) {
            gaps.insert(months(w[0], w[1]));
        }
    }
    match gaps.iter().next() {
        Some(3) => Some((
            "quarter",
            format!(
                "{}: each member's start dates are three months apart",
                file.name
            ),
        )),
        Some(12) => Some((
            "year",
            format!("{}: each member's start dates are a year apart", file.name),
        )),
        _ => None,
    }
}

/// The required columns a table's mapping lacks (a column an export may
/// lack, or that another stands in for, is not missing).
fn required_missing(spec: &TableSpec, m: &Mapping) -> Vec<&'static str> {
    spec.columns
        .iter()
        .filter(|c| c.required && m.headers(c.name).is_none())
        .filter(|c| !spec.absent_ok.contains(&c.name))
        .filter(|c| {
            !spec
                .either
                .iter()
                .find(|(x, _)| *x == c.name)
                .is_some_and(|(_, alts)| alts.iter().any(|a| m.headers(a).is_some()))
        })
        .map(|c| c.name)
        .collect()
}

/// An optional table whose file lacks a required column is left out (its
/// section says "no data"), named with what it lacks, rather than failing
/// the whole folder: a CRM's contacts export without a creation date still
/// leaves a scorecard.
fn set_aside_unmappable(f: &mut Findings) {
    let tables: Vec<&'static str> = f.tables.keys().copied().collect();
    for table in tables {
        if table == "members" || table == "opportunities" {
            continue;
        }
        let Some(spec) = TABLES.iter().find(|s| s.name == table) else {
            continue;
        };
        let Some((file, m)) = f.tables.get(table) else {
            continue;
        };
        let lacks = required_missing(spec, m);
        if lacks.is_empty() || file.name.to_lowercase() == spec.file {
            continue;
        }
        let name = file.name.clone();
        f.tables.remove(table);
        f.unused_files.push((
            name.clone(),
            format!(
                "as {table}, it has no header for {} (required): map them in [columns.{table}] and set [files] {table} to use it",
                lacks.join(", ")
            ),
        ));
        f.set_aside.push((table, name, lacks));
    }
}

/// A file name without `.csv` (lower case).
fn stem(lower: &str) -> &str {
    lower.strip_suffix(".csv").unwrap_or(lower)
}

/// Why a CRM's export is no table of atu's (see [`crate::schema::NOT_TABLES`]).
fn not_a_table(lower: &str) -> Option<&'static str> {
    crate::schema::NOT_TABLES
        .iter()
        .find(|(names, _)| names.contains(&stem(lower)))
        .map(|(_, why)| *why)
}

/// Monthly exports: files with the same headers are one table's, named
/// together by a glob (`opps-*.csv`) when one names exactly them; their
/// sample rows are pooled for the evidence.
fn group_monthly(files: &[FileSurvey]) -> Vec<FileSurvey> {
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let mut done = vec![false; files.len()];
    let mut out = Vec::new();
    for i in 0..files.len() {
        if done[i] {
            continue;
        }
        done[i] = true;
        let mut file = files[i].clone();
        let same: Vec<usize> = (i + 1..files.len())
            .filter(|&j| !done[j] && files[j].headers == file.headers)
            .collect();
        if !same.is_empty() {
            let mut group: Vec<&str> = vec![files[i].name.as_str()];
            group.extend(same.iter().map(|&j| files[j].name.as_str()));
            if let Some(pattern) = glob_of(&group, &names) {
                for &j in &same {
                    done[j] = true;
                    file.rows.extend(files[j].rows.iter().cloned());
                }
                file.name = pattern;
            }
        }
        out.push(file);
    }
    out
}

/// A glob naming exactly `group` among `all` (their common start, `*`,
/// their common end), or `None` when no such glob exists.
fn glob_of(group: &[&str], all: &[&str]) -> Option<String> {
    let first = group.first()?;
    let prefix_len = group.iter().fold(first.len(), |n, g| {
        first
            .chars()
            .zip(g.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum::<usize>()
            .min(n)
    });
    let suffix_len = group.iter().fold(first.len(), |n, g| {
        first
            .chars()
            .rev()
            .zip(g.chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum::<usize>()
            .min(n)
    });
    let shortest = group.iter().map(|g| g.len()).min()?;
    let suffix_len = suffix_len.min(shortest.saturating_sub(prefix_len));
    let prefix = &first[..prefix_len];
    let suffix = &first[first.len() - suffix_len..];
    if prefix.contains(['*', '?', '[']) || suffix.contains(['*', '?', '[']) {
        return None;
    }
    // Dates in names vary: `opps-*.csv` rather than `opps-2012-0*.csv`, so
    // that next year's exports match too, if nothing else in the folder does.
    let loose_prefix = &prefix[..prefix
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(prefix.len())];
    let loose_suffix = &suffix[suffix
        .rfind(|c: char| c.is_ascii_digit())
        .map_or(0, |i| i + 1)..];
    let exact = |pattern: String| -> Option<String> {
        let matcher = glob::Pattern::new(&pattern).ok()?;
        let matched: Vec<&&str> = all.iter().filter(|n| matcher.matches(n)).collect();
        (matched.len() == group.len() && group.iter().all(|g| matched.contains(&g)))
            .then_some(pattern)
    };
    exact(format!("{loose_prefix}*{loose_suffix}")).or_else(|| exact(format!("{prefix}*{suffix}")))
}

/// The atu.toml text for the findings (and the list of what is missing).
fn write_config(dir: &Path, f: &mut Findings) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# atu.toml written by `atu init` for the exports in {}.\n# Each setting says where it comes from; the README's \"atu.toml\" section\n# lists every key. Lines starting with # are comments.\n",
        dir.display()
    );
    match &f.fiscal {
        Some((month, named_by, from)) => {
            let _ = writeln!(
                t,
                "# The fiscal calendar, read from the export ({from}).\n\
                 # First month of the fiscal year (1-12).\n\
                 fiscal_year_start_month = {month}\n\
                 # \"end\": FY2013 is the year that ends in 2013; \"start\": that starts in it.\n\
                 fiscal_year_named_by = \"{named_by}\""
            );
        }
        None => t.push_str(
            "# The fiscal calendar cannot be read from the exports: check these two.\n\
             # First month of the fiscal year (1-12; 7 = July, as Microsoft's).\n\
             fiscal_year_start_month = 7\n\
             # \"end\": FY2013 is the year that ends in 2013; \"start\": that starts in it.\n\
             fiscal_year_named_by = \"end\"\n",
        ),
    }
    // The team's name: the one team of the roster, when there is one.
    if let Some((file, m)) = f.tables.get("members") {
        let teams: std::collections::BTreeSet<&str> = m
            .headers("team")
            .and_then(|h| h.first())
            .map(|h| file.values(h).flatten().collect())
            .unwrap_or_default();
        if let [only] = teams.into_iter().collect::<Vec<_>>()[..] {
            let _ = writeln!(
                t,
                "# The team's name in team rows: the one team of the roster.\nteam_name = {}",
                q(only)
            );
        }
    }
    if let Some(p) = f.preset {
        let _ = writeln!(
            t,
            "\n# Built-in headers and status words of {}{}.\npreset = {}",
            p.about,
            if f.preset_guessed {
                " (the headers look like one)"
            } else {
                ""
            },
            q(p.name)
        );
    }

    write_formats(&mut t, f);
    write_files(&mut t, f);
    let unknown_status = write_columns(&mut t, f);
    write_quotas(&mut t, f);
    write_people_filter(&mut t, f);
    write_statuses(&mut t, f, &unknown_status);
    t.push_str(
        "\n# The scorecard's commitments: uncomment and set them to get green,\n\
         # yellow and red (percentages as numbers: 100 = 100%).\n\
         # [targets]\n\
         # attainment = 100\n\
         # pace = 100\n\
         # members_at_quota = 75\n\
         # win_rate = 40\n\
         # coverage = 2.5\n\
         # partner_attach = 35\n\
         # [status]\n\
         # green_at = 1.0      # green when value >= target x green_at\n\
         # yellow_at = 0.9     # yellow when >= target x yellow_at, else red\n\
         \n# Penetration: the product catalog (default: every product on the lines)\n\
         # and how many products make an account broad (default 3).\n\
         # [penetration]\n\
         # products = [\"…\"]\n\
         # broad_min = 3\n",
    );
    t
}

/// How the files are written (encoding, delimiter, decimal mark, date
/// order, date formats): one setting for all when they agree, else per
/// table; dates that nothing reads are missing.
fn write_formats(t: &mut String, f: &mut Findings) {
    // How the files are written: one setting for all when they agree.
    let files: Vec<&FileSurvey> = f.tables.values().map(|(s, _)| s).collect();
    // Files not in UTF-8: one setting for all when they agree and the
    // others are plain ASCII (which reads the same in any of them).
    let guessed: Vec<&&FileSurvey> = files
        .iter()
        .filter(|s| s.encoding_found == EncodingFound::Guessed)
        .collect();
    let same_encoding = !guessed.is_empty()
        && guessed.windows(2).all(|w| w[0].encoding == w[1].encoding)
        && files
            .iter()
            .all(|s| s.encoding_found == EncodingFound::Guessed || s.ascii);
    let same_delimiter = files.windows(2).all(|w| w[0].delimiter == w[1].delimiter);
    let mut decimals = BTreeMap::new();
    let mut orders = BTreeMap::new();
    // Table → the formats its dates need (each with a value it reads), and
    // a date value nothing reads.
    let mut date_formats: BTreeMap<&str, Vec<(&str, String)>> = BTreeMap::new();
    let mut unread_dates: BTreeMap<&str, String> = BTreeMap::new();
    for (table, (file, m)) in &f.tables {
        let spec = TABLES.iter().find(|s| s.name == *table).copied();
        let Some(spec) = spec else { continue };
        let ev = survey::evidence(file, m, spec);
        if ev.decimal_mixed {
            f.missing.push(format!(
                "{}: amounts use both \".\" and \",\" as decimal mark: set decimal_mark",
                file.name
            ));
        }
        if ev.dates_mixed {
            f.missing.push(format!(
                "{}: some dates have the day first and others second: check the file, then set date_order",
                file.name
            ));
        }
        if ev.dates_ambiguous {
            f.missing.push(format!(
                "{}: no date shows whether the day or the month comes first: set date_order = \"dmy\" or \"mdy\"",
                file.name
            ));
        }
        if let Some(d) = ev.decimal {
            decimals.insert(*table, d);
        }
        if let Some(o) = ev.date_order {
            orders.insert(*table, o);
        }
        if let Some(said) = ev.dates_unread_said(&file.name, table) {
            f.missing.push(said);
        }
        if let Some((_, first)) = ev.dates_unread.first() {
            unread_dates.insert(*table, first.clone());
        }
        if !ev.date_formats.is_empty() {
            date_formats.insert(*table, ev.date_formats);
        }
    }
    let order_key = |o: config::DateOrder| match o {
        config::DateOrder::Dmy => "dmy",
        config::DateOrder::Mdy => "mdy",
        config::DateOrder::Ymd => "ymd",
    };
    t.push_str("\n# How the files are written (read from them).\n");
    if let (true, Some(g)) = (same_encoding, guessed.first()) {
        let _ = writeln!(
            t,
            "# Not UTF-8 and no byte-order mark: atu guesses {}; check accented letters.\nencoding = {}",
            g.encoding.name(),
            q(&g.encoding.name().to_lowercase())
        );
    }
    if same_delimiter {
        if let Some(d) = files.first().map(|s| s.delimiter).filter(|d| *d != b',') {
            let _ = writeln!(t, "delimiter = {}", delimiter_toml(d));
        }
    }
    let all_decimals: std::collections::BTreeSet<char> = decimals.values().copied().collect();
    let one_decimal = all_decimals.len() == 1;
    if let (true, Some(d)) = (one_decimal, all_decimals.iter().next()) {
        let _ = writeln!(
            t,
            "# Amounts such as {}.\ndecimal_mark = {}",
            if *d == ',' { "1.234,56" } else { "1,234.56" },
            q(&d.to_string())
        );
    }
    let all_orders: std::collections::BTreeSet<&str> =
        orders.values().map(|o| order_key(*o)).collect();
    let one_order = all_orders.len() == 1;
    if let (true, Some(o)) = (one_order, all_orders.iter().next()) {
        let _ = writeln!(
            t,
            "# Slash dates such as {}.\ndate_order = {}",
            if *o == "dmy" {
                "30/01/2013"
            } else {
                "1/30/2013"
            },
            q(o)
        );
    }
    let formats_toml = |v: &[(&str, String)]| {
        let list: Vec<String> = v.iter().map(|(f, _)| q(f)).collect();
        format!("[{}]", list.join(", "))
    };
    let examples = |v: &[(&str, String)]| {
        v.iter()
            .map(|(_, e)| q(e))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let all_formats: std::collections::BTreeSet<String> =
        date_formats.values().map(|v| formats_toml(v)).collect();
    let one_formats = all_formats.len() == 1;
    if let (true, Some(v)) = (one_formats, date_formats.values().next()) {
        let _ = writeln!(
            t,
            "# Dates such as {} (chrono strftime; a time after the date is ignored).\ndate_formats = {}",
            examples(v),
            formats_toml(v)
        );
    }
    // Per-table settings where the files differ.
    for (table, (file, _)) in &f.tables {
        let mut lines = Vec::new();
        if !same_encoding && file.encoding_found == EncodingFound::Guessed {
            lines.push(format!(
                "encoding = {}  # not UTF-8: a guess, check accented letters",
                q(&file.encoding.name().to_lowercase())
            ));
        }
        if !same_delimiter && file.delimiter != b',' {
            lines.push(format!("delimiter = {}", delimiter_toml(file.delimiter)));
        }
        if !one_decimal {
            if let Some(d) = decimals.get(table) {
                lines.push(format!("decimal_mark = {}", q(&d.to_string())));
            }
        }
        if !one_order {
            if let Some(o) = orders.get(table) {
                lines.push(format!("date_order = {}", q(order_key(*o))));
            }
        }
        if let (false, Some(v)) = (one_formats, date_formats.get(table)) {
            lines.push(format!(
                "date_formats = {}  # dates such as {}; a time after the date is ignored",
                formats_toml(v),
                examples(v)
            ));
        }
        if let Some(v) = unread_dates.get(table) {
            // The formats found stay in the table's own list.
            let found = date_formats
                .get(table)
                .map(|v| {
                    v.iter()
                        .map(|(f, _)| format!("{}, ", q(f)))
                        .collect::<String>()
                })
                .unwrap_or_default();
            lines.push(format!(
                "# date_formats = [{found}\"…\"]  # NOT SET: dates such as {} that no form atu knows reads (chrono strftime)",
                q(v)
            ));
        }
        if !lines.is_empty() {
            let _ = writeln!(t, "\n[tables.{table}]\n{}", lines.join("\n"));
        }
    }
}

/// `[files]`: each table's file when its name is not the canonical one.
fn write_files(t: &mut String, f: &mut Findings) {
    // Files.
    let mut files_section = String::new();
    for spec in TABLES {
        match f.tables.get(spec.name) {
            Some((file, _)) if file.name != spec.file => {
                let _ = writeln!(files_section, "{} = {}", spec.name, q(&file.name));
            }
            Some(_) => {}
            None if f.set_aside.iter().any(|(t, _, _)| *t == spec.name) => {
                if let Some((_, name, lacks)) = f.set_aside.iter().find(|(t, _, _)| *t == spec.name) {
                    let _ = writeln!(
                        files_section,
                        "# {} = {}  # NOT USED: no header for {} (required); map them in [columns.{}], then uncomment",
                        spec.name,
                        q(name),
                        lacks.join(", "),
                        spec.name
                    );
                }
            }
            None if spec.name == "members" => f.missing.push(format!(
                "no file looks like the roster (members: member_id and name, or Full Name): {}add it, or set [files] members",
                f.preset.map(|p| format!("{}; ", p.roster)).unwrap_or_default()
            )),
            None => {
                let _ = writeln!(
                    files_section,
                    "# {} = \"…\"  # NOT FOUND: no file looks like {} (optional)",
                    spec.name, spec.name
                );
            }
        }
    }
    if !files_section.is_empty() {
        let _ = write!(t, "\n# The file of each table.\n[files]\n{files_section}");
    }
}

/// `[columns.<table>]` of each table: every mapping with where it came
/// from, what is NOT FOUND, a suspected category; returns the status words
/// atu does not know, with their counts.
fn write_columns(t: &mut String, f: &mut Findings) -> Vec<(String, usize)> {
    // Columns.
    let known = {
        let mut k = config::default_status_values();
        if let Some(p) = f.preset {
            for (w, s) in p.statuses {
                k.insert(w.to_string(), *s);
            }
        }
        k
    };
    let mut unknown_status: Vec<(String, usize)> = Vec::new();
    for spec in TABLES {
        let Some((file, m)) = f.tables.get(spec.name) else {
            continue;
        };
        let mut lines = Vec::new();
        let mut required_missing: Vec<&str> = Vec::new();
        for c in spec.columns {
            let (headers, source) = m.columns.get(c.name).cloned().unwrap_or((Vec::new(), None));
            if headers.is_empty() {
                let stands_in = spec
                    .either
                    .iter()
                    .find(|(x, _)| *x == c.name)
                    .is_some_and(|(_, alts)| alts.iter().any(|a| m.headers(a).is_some()));
                let needed = c.required && !spec.absent_ok.contains(&c.name) && !stands_in;
                if needed {
                    required_missing.push(c.name);
                    lines.push(format!(
                        "# {} = \"…\"  # NOT FOUND (required): map it to one of the headers",
                        c.name
                    ));
                }
                continue;
            }
            let from = match source {
                Some(Source::Preset) => "  # preset",
                _ => "",
            };
            // A header equal to atu's own name needs no line.
            if source == Some(Source::Canonical) && headers.len() == 1 && headers[0] == c.name {
                continue;
            }
            if let Some(by_status) = m.per_status.get(c.name) {
                lines.push(format!(
                    "{} = {}  # per status: a won deal's actuals, else the estimates (the first filled of a list)",
                    c.name,
                    by_status.to_toml()
                ));
                continue;
            }
            let note = if headers.len() > 1 {
                "  # per row, the first filled"
            } else {
                from
            };
            lines.push(format!("{} = {}{note}", c.name, q_list(&headers)));
            // IsClosed / IsWon decide the status: stage words need no map.
            if c.name == "status" && m.headers("is_closed").is_none() {
                unknown_status = survey::unknown_statuses(file, &headers, &known);
            }
        }
        if !required_missing.is_empty() {
            f.missing.push(format!(
                "{}: no header for {} (required); headers not used: {}",
                file.name,
                required_missing.join(", "),
                quoted(&m.unused)
            ));
        }
        let has_category = spec.columns.iter().any(|c| c.name == "category");
        if has_category && m.headers("category").is_none() {
            match category_candidate(file, &m.unused) {
                Some((h, values)) => {
                    lines.push(format!(
                        "# category = {}  # NOT FOUND: perhaps {} (values {}); uncomment if it is the revenue category, else every row counts as Sales",
                        q(&h),
                        q(&h),
                        values
                    ));
                    f.advice.push(format!(
                        "{}: no category column, so every row counts as Sales; \"{h}\" (values {values}) may be the revenue category: if so, uncomment category = \"{h}\" in [columns.{}]",
                        file.name, spec.name
                    ));
                }
                None => {
                    lines.push(
                        "# category = \"…\"  # NOT FOUND (optional): every row counts as Sales"
                            .to_string(),
                    );
                }
            }
        }
        if spec.name == "members" && m.headers("member_id").is_none() {
            lines.push("# no member_id column found: each member's id is the name (map member_id if one of the headers not used is the id)".to_string());
        }
        if !m.unused.is_empty() {
            lines.push(format!("# headers not used: {}", quoted(&m.unused)));
        }
        if !lines.is_empty() {
            let _ = writeln!(
                t,
                "\n# {}: atu's column = the export's header.\n[columns.{}]\n{}",
                q(&file.name),
                spec.name,
                lines.join("\n")
            );
        }
    }
    unknown_status
}

/// Quotas: dated rows without an end, Dynamics parent goals.
fn write_quotas(t: &mut String, f: &mut Findings) {
    // Quotas: dated rows without an end, Dynamics parent goals.
    if let Some((file, m)) = f.tables.get("quotas") {
        let dated_only = m.headers("start_date").is_some()
            && m.headers("end_date").is_none()
            && m.headers("period").is_none();
        let start_month = f.fiscal.as_ref().map_or(7, |(m, _, _)| *m);
        let guess = dated_only
            .then(|| quota_period_guess(file, m, start_month, &f.others))
            .flatten();
        if let Some((len, why)) = guess {
            let _ = writeln!(
                t,
                "\n# Quota rows have a start date only; each covers a {len} ({why}).\n[quotas]\nperiod = {}",
                q(len)
            );
        } else if dated_only {
            f.missing.push(format!(
                "{}: quota rows carry a start date only: set [quotas] period = \"month\", \"quarter\" or \"year\"",
                file.name
            ));
            t.push_str("\n# Quota rows have a start date only: how long is each?\n[quotas]\n# period = \"quarter\"  # NOT SET: \"month\", \"quarter\" or \"year\"\n");
        }
        if let Some(parent) = file
            .headers
            .iter()
            .find(|h| survey::same_header(h, "Parent Goal"))
        {
            let (filled, blank) =
                file.values(parent).fold(
                    (0, 0),
                    |(f, b), v| if v.is_some() { (f + 1, b) } else { (f, b + 1) },
                );
            if filled > 0 && blank > 0 {
                let _ = writeln!(
                    t,
                    "\n# The goals mix the team's parent goals ({blank} rows without a parent)\n# with the members' goals ({filled} rows): keep the members' goals.\n[[filters.quotas]]\ncolumn = {p}\nfilled = true\n\n# To take the parent goals as the team's own quota (team rows then divide\n# by them, not by the sum of the members' quotas), uncomment:\n# [quotas]\n# team_rows = {{ column = {p}, filled = false }}",
                    p = q(parent)
                );
            }
        }
    }
}

/// A Salesforce roster lists system and integration users beside people
/// (UserType `AutomatedProcess`, `LicenseManager`, …): keep the people.
fn write_people_filter(t: &mut String, f: &Findings) {
    let Some((file, _)) = f.tables.get("members") else {
        return;
    };
    let Some(h) = file.headers.iter().find(|h| *h == "UserType") else {
        return;
    };
    let others: std::collections::BTreeSet<&str> = file
        .values(h)
        .flatten()
        .filter(|v| !v.eq_ignore_ascii_case("Standard"))
        .collect();
    if others.is_empty() || !file.values(h).flatten().any(|v| v == "Standard") {
        return;
    }
    let _ = writeln!(
        t,
        "\n# {}: system and integration users ({}) are no team members.\n[[filters.members]]\ncolumn = {}\nequals = \"Standard\"",
        file.name,
        quoted(&others.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        q(h)
    );
}

/// `[values.status]`: the status words atu does not know, to map.
fn write_statuses(t: &mut String, f: &mut Findings, unknown_status: &[(String, usize)]) {
    // Status words atu does not know.
    if !unknown_status.is_empty() {
        let _ = writeln!(
            t,
            "\n# Status words of the export: each maps to won, lost or open.\n[values.status]"
        );
        for (w, n) in unknown_status {
            let _ = writeln!(
                t,
                "# {} = \"…\"  # NOT MAPPED ({n} rows): write won, lost or open",
                q(w)
            );
        }
        let words: Vec<String> = unknown_status.iter().map(|(w, _)| w.clone()).collect();
        f.missing.push(format!(
            "status words atu does not know: {}: map each in [values.status] to won, lost or open",
            quoted(&words)
        ));
    }
}

/// An unused header that looks like a revenue category: its name says so
/// (type, category, family, segment, line of business) and it holds a few
/// distinct words. Returns it with its values, e.g. `"Sales", "Services"`.
fn category_candidate(file: &FileSurvey, unused: &[String]) -> Option<(String, String)> {
    const WORDS: [&str; 6] = [
        "category",
        "product type",
        "family",
        "line of business",
        "revenue type",
        "revenue category",
    ];
    // Categories of something else: a forecast, a user, a record.
    const NOT: [&str; 5] = ["forecast", "user", "record", "lead", "stage"];
    let mut best: Option<(usize, String, Vec<String>)> = None;
    for h in unused {
        let lower = h.to_lowercase();
        if !WORDS.iter().any(|w| lower.contains(w)) || NOT.iter().any(|w| lower.contains(w)) {
            continue;
        }
        let mut values: Vec<String> = Vec::new();
        let mut words = true;
        for v in file.values(h).flatten() {
            if v.chars().any(|c| c.is_ascii_digit()) {
                words = false;
                break;
            }
            if !values.iter().any(|x| x == v) {
                values.push(v.to_string());
                if values.len() > 12 {
                    break;
                }
            }
        }
        if !words || values.len() < 2 || values.len() > 12 {
            continue;
        }
        if best.as_ref().is_none_or(|(n, _, _)| values.len() < *n) {
            values.sort();
            best = Some((values.len(), h.clone(), values));
        }
    }
    best.map(|(_, h, v)| {
        let shown: Vec<String> = v.iter().take(5).map(|x| q(x)).collect();
        let more = if v.len() > 5 { ", …" } else { "" };
        (h, format!("{}{more}", shown.join(", ")))
    })
}

fn quoted(v: &[String]) -> String {
    if v.is_empty() {
        return "none".to_string();
    }
    if v.len() > 20 {
        let head: Vec<String> = v[..20].to_vec();
        return format!("{}, … ({} in all)", quoted(&head), v.len());
    }
    // TOML strings: safe in a comment too (a header may hold a newline).
    v.iter().map(|h| q(h)).collect::<Vec<_>>().join(", ")
}

/// Runs `atu init`.
pub fn run(common: &Common, preset: Option<&str>, force: bool) -> Result<()> {
    let dir = match &common.data {
        Some(d) => d.clone(),
        None => match std::env::var_os("ATU_DATA") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => PathBuf::from("."),
        },
    };
    if !dir.is_dir() {
        bail!(
            "data folder {} does not exist\nhelp: pass --data DIR with the folder of the exports",
            dir.display()
        );
    }
    let preset = match preset {
        None => None,
        Some(name) => Some(presets::find(name).ok_or_else(|| {
            crate::UsageError(format!(
                "--preset {name} is not one atu knows\nhelp: presets are {}",
                presets::PRESETS
                    .iter()
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
    };
    let to_stdout = common.output.as_ref().is_some_and(|p| p.as_os_str() == "-");
    let target = match &common.output {
        Some(p) if !to_stdout => p.clone(),
        _ => dir.join("atu.toml"),
    };
    if !to_stdout && target.exists() && !force {
        bail!(
            "{} exists\nhelp: pass --force to overwrite it, or --output - to print the proposal",
            target.display()
        );
    }
    let (files, unreadable) = survey::survey_folder(&dir);
    if files.is_empty() {
        if !unreadable.is_empty() {
            bail!(
                "{} holds no CSV file atu can read:\n{}\nhelp: export the tables as CSV (Excel: \"CSV UTF-8\") into the folder",
                dir.display(),
                unreadable.join("\n")
            );
        }
        bail!(
            "{} holds no CSV file\nhelp: put the CRM exports there, or pass --data DIR",
            dir.display()
        );
    }
    let (preset, guessed, why) = match preset {
        Some(p) => (Some(p), false, Vec::new()),
        None => match guess_preset(&files) {
            Some((p, why)) => (Some(p), true, why),
            None => (None, false, Vec::new()),
        },
    };
    let mut findings = assign(&files, preset);
    findings.preset_guessed = guessed;
    relationships(&mut findings);
    set_aside_unmappable(&mut findings);
    findings.fiscal = fiscal_from_export(&findings.others);
    let text = write_config(&dir, &mut findings);
    let say = |s: &str| {
        if !common.quiet {
            eprintln!("{s}");
        }
    };
    if guessed {
        if let Some(p) = preset {
            say(&format!(
                "atu init: the headers look like {}: using preset = \"{}\" (it maps {}, …)",
                p.about,
                p.name,
                why.join(", ")
            ));
        }
    }
    for (table, (file, _)) in &findings.tables {
        say(&format!(
            "atu init: {table}: {} ({}, separated by {})",
            file.name,
            file.encoding.name(),
            crate::ingest::source::delimiter_name(file.delimiter)
        ));
    }
    if let Some((month, named_by, from)) = &findings.fiscal {
        say(&format!(
            "atu init: fiscal year: starts in month {month}, named by its {named_by} ({from})"
        ));
    }
    for (u, why) in &findings.unused_files {
        say(&format!("atu init: {u}: not used ({why})"));
    }
    for u in &unreadable {
        say(&format!("atu init: {u}"));
    }
    // Check the proposal by loading the folder with it.
    let check_path = if to_stdout {
        let p = std::env::temp_dir().join(format!("atu-init-{}.toml", std::process::id()));
        std::fs::write(&p, &text)?;
        p
    } else {
        super::output::write_atomic(&target, text.as_bytes())?;
        say(&format!("atu init: wrote {}", target.display()));
        target.clone()
    };
    if to_stdout {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                return Err(e.into());
            }
        }
    }
    let check = Settings::resolve(&Overrides {
        data: Some(dir.clone()),
        config: Some(check_path.clone()),
        ..Overrides::default()
    })
    .and_then(|s| ingest::load(&s));
    if to_stdout {
        let _ = std::fs::remove_file(&check_path);
    }
    let mut ok = findings.missing.is_empty();
    for m in &findings.missing {
        say(&format!("atu init: could not map: {m}"));
    }
    for a in &findings.advice {
        say(&format!("atu init: consider: {a}"));
    }
    match check {
        Ok(data) => {
            for l in &data.ledgers {
                say(&format!(
                    "atu init: check: {} {} rows read, {} accepted",
                    l.table, l.rows_read, l.accepted
                ));
            }
            // A table none of whose rows is used is mapped wrong.
            for l in &data.ledgers {
                let ignored: u64 = l.ignored.values().sum();
                if l.rows_read > ignored && l.accepted == 0 {
                    ok = false;
                    say(&format!(
                        "atu init: {}: none of its {} rows is used: check [columns.{}] (ids that match no member?)",
                        l.table, l.rows_read, l.table
                    ));
                }
            }
            // A scorecard needs people and their deals.
            for table in ["members", "opportunities"] {
                if !data
                    .ledgers
                    .iter()
                    .any(|l| l.table == table && l.accepted > 0)
                {
                    ok = false;
                    say(&format!(
                        "atu init: no {table} loaded: the folder needs a file of {table} with rows (set [files] {table} if atu did not find it)"
                    ));
                }
            }
        }
        Err(e) => {
            ok = false;
            say("atu init: the folder does not load with this atu.toml yet:");
            let text = crate::error_text(&e);
            let lines: Vec<&str> = text.lines().collect();
            for (i, l) in lines.iter().take(8).enumerate() {
                let prefix = if i == 0 && !l.starts_with("error:") && !l.starts_with("help:") {
                    "error: "
                } else {
                    ""
                };
                say(&format!("  {prefix}{l}"));
            }
            if lines.len() > 8 {
                say(&format!(
                    "  … ({} more lines: run atu validate to see them all)",
                    lines.len() - 8
                ));
            }
        }
    }
    if ok {
        say("atu init: the folder loads with it; next: atu validate, then atu scorecard");
        Ok(())
    } else {
        bail!(
            "atu.toml needs the edits listed above\nhelp: edit {} where it says NOT FOUND, NOT MAPPED or NOT SET (uncomment the line and fill it in), then run atu validate",
            if to_stdout {
                "the proposal".to_string()
            } else {
                target.display().to_string()
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_name_exactly_the_group() {
        let all = [
            "members.csv",
            "opps-2012-08.csv",
            "opps-2012-09.csv",
            "quotas.csv",
        ];
        assert_eq!(
            glob_of(&["opps-2012-08.csv", "opps-2012-09.csv"], &all),
            Some("opps-*.csv".to_string())
        );
        // Another file would match the loose glob: the tight one is used.
        let all = ["opps-2012-08.csv", "opps-2012-09.csv", "opps-summary.csv"];
        assert_eq!(
            glob_of(&["opps-2012-08.csv", "opps-2012-09.csv"], &all),
            Some("opps-2012-0*.csv".to_string())
        );
        // Nothing in common that isolates them.
        let all = ["a.csv", "b.csv", "c.csv"];
        assert_eq!(glob_of(&["a.csv", "b.csv"], &all), None);
    }

    /// A surveyed file of `csv` (header line, then rows; no quoting).
    fn file(name: &str, csv: &str) -> FileSurvey {
        let mut lines = csv
            .lines()
            .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>());
        FileSurvey {
            path: PathBuf::from(name),
            name: name.to_string(),
            encoding: encoding_rs::UTF_8,
            encoding_found: EncodingFound::Utf8,
            ascii: true,
            delimiter: b',',
            headers: lines.next().unwrap_or_default(),
            rows: lines.collect(),
        }
    }

    #[test]
    fn the_fiscal_year_comes_from_the_latest_year_period() {
        let settings = file(
            "FiscalYearSettings.csv",
            "Id,PeriodId,Name\nF1,P1,2013\nF2,P2,2014",
        );
        let period = file(
            "Period.csv",
            "Id,FiscalYearSettingsId,Type,StartDate,EndDate\n\
             P1,F1,Year,2012-02-01 00:00:00,2013-01-31 00:00:00\n\
             Q1,F1,Quarter,2012-02-01 00:00:00,2012-04-30 00:00:00\n\
             P2,F2,Year,2013-02-01 00:00:00,2014-01-31 00:00:00",
        );
        let (month, named_by, from) =
            fiscal_from_export(&[settings.clone(), period]).expect("a year");
        assert_eq!((month, named_by), (2, "end"));
        assert_eq!(
            from,
            "Period.csv: the latest fiscal year (FY2014) runs 2013-02-01 to 2014-01-31"
        );
        // Named by its start: FY2013 runs 2013-02-01 to 2014-01-31.
        let by_start = file(
            "FiscalYearSettings.csv",
            "Id,Name,StartDate,EndDate\nF1,2013,2013-02-01,2014-01-31",
        );
        assert_eq!(
            fiscal_from_export(&[by_start]).map(|(m, n, _)| (m, n)),
            Some((2, "start"))
        );
        // A calendar year is named by its end (the same year).
        let calendar = file(
            "FiscalYearSettings.csv",
            "Id,Name,StartDate,EndDate\nF1,2027,2027-01-01,2027-12-31",
        );
        assert_eq!(
            fiscal_from_export(&[calendar]).map(|(m, n, _)| (m, n)),
            Some((1, "end"))
        );
        let org = file(
            "Organization.csv",
            "Id,FiscalYearStartMonth,UsesStartDateAsFiscalYearName\nO,4,true",
        );
        assert_eq!(
            fiscal_from_export(&[org, settings]).map(|(m, n, _)| (m, n)),
            Some((4, "start"))
        );
        assert!(fiscal_from_export(&[]).is_none());
    }

    #[test]
    fn quota_periods_from_forecast_periods_or_start_dates() {
        let quotas = |rows: &str| {
            file(
                "ForecastingQuota.csv",
                &format!("QuotaOwnerId,StartDate,QuotaAmount\n{rows}"),
            )
        };
        let map = |f: &FileSurvey| {
            survey::map_file(f, &crate::schema::QUOTAS, Some(&presets::SALESFORCE))
        };
        // FY from July: Jul and Oct are quarter starts, three months apart.
        let q = quotas("U1,2012-07-01,10\nU1,2012-10-01,10\nU2,2012-07-01,5");
        assert_eq!(
            quota_period_guess(&q, &map(&q), 7, &[]).map(|g| g.0),
            Some("quarter")
        );
        // August is no quarter's first month.
        let m = quotas("U1,2012-07-01,10\nU1,2012-08-01,10");
        assert_eq!(
            quota_period_guess(&m, &map(&m), 7, &[]).map(|g| g.0),
            Some("month")
        );
        // One start per member: nothing to tell.
        let one = quotas("U1,2012-07-01,10\nU2,2012-07-01,10");
        assert_eq!(quota_period_guess(&one, &map(&one), 7, &[]), None);
        // A start that is no month's first day: not a period quota.
        let odd = quotas("U1,2012-07-15,10\nU1,2012-10-15,10");
        assert_eq!(quota_period_guess(&odd, &map(&odd), 7, &[]), None);
        // Period.csv's forecast periods win over the dates.
        let period = file(
            "Period.csv",
            "Id,Type,IsForecastPeriod\nP1,Month,1\nP2,Quarter,0",
        );
        assert_eq!(
            quota_period_guess(&q, &map(&q), 7, &[period]).map(|g| g.0),
            Some("month")
        );
    }

    #[test]
    fn toml_strings_stay_on_one_line() {
        assert_eq!(q("Close\nDate"), "\"Close\\nDate\"");
        assert_eq!(q("Acc \"Name\""), "\"Acc \\\"Name\\\"\"");
        assert_eq!(q("a\\b\u{1}"), "\"a\\\\b\\u0001\"");
        let parsed: toml::Table = toml::from_str(&format!("k = {}", q("x\n\"y\"\t\u{7}"))).unwrap();
        assert_eq!(parsed["k"].as_str(), Some("x\n\"y\"\t\u{7}"));
    }
}
