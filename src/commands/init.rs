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
    /// CSV files no table took.
    unused_files: Vec<String>,
    /// What could not be mapped or decided and must be: init fails.
    missing: Vec<String>,
    /// What may be worth mapping (an optional column): said, not failed.
    advice: Vec<String>,
}

/// Picks a preset from the headers when none is given: the one whose
/// candidates map the most columns that atu's own names do not.
fn guess_preset(files: &[FileSurvey]) -> Option<&'static Preset> {
    let mut best: Option<(usize, &'static Preset)> = None;
    for p in presets::PRESETS.iter().copied() {
        let mut gain = 0;
        for f in files {
            for spec in TABLES {
                let with = survey::map_file(f, spec, Some(p));
                let without = survey::map_file(f, spec, None);
                gain += with
                    .columns
                    .iter()
                    .filter(|(c, (h, _))| !h.is_empty() && without.headers(c).is_none())
                    .count();
            }
        }
        if gain >= 3 && best.is_none_or(|(g, _)| gain > g) {
            best = Some((gain, p));
        }
    }
    best.map(|(_, p)| p)
}

/// Assigns files to tables: a file named as the table (or as the preset
/// names its export) first, then the best fit; each file to one table.
fn assign(files: &[FileSurvey], preset: Option<&'static Preset>) -> Findings {
    let files = group_monthly(files);
    let files = files.as_slice();
    let mut scored: Vec<(usize, &'static TableSpec, usize, Mapping)> = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        for spec in TABLES {
            let m = survey::map_file(f, spec, preset);
            let fit = survey::fit(&m, spec);
            let lower = f.name.to_lowercase();
            // A file named as a table is that table's, mapped or not.
            if fit == 0 && lower != spec.file {
                continue;
            }
            let bonus = if lower == spec.file {
                1000
            } else if preset.is_some_and(|p| {
                p.files
                    .iter()
                    .any(|(t, names)| *t == spec.name && names.contains(&lower.as_str()))
            }) {
                500
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
        .map(|(f, _)| f.name.clone())
        .collect();
    Findings {
        preset,
        preset_guessed: false,
        tables,
        unused_files,
        missing: Vec::new(),
        advice: Vec::new(),
    }
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
    t.push_str(
        "# The fiscal calendar cannot be read from the exports: check these two.\n\
         # First month of the fiscal year (1-12; 7 = July, as Microsoft's).\n\
         fiscal_year_start_month = 7\n\
         # \"end\": FY2013 is the year that ends in 2013; \"start\": that starts in it.\n\
         fiscal_year_named_by = \"end\"\n",
    );
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
            None if spec.name == "members" => f.missing.push(
                "no file looks like the roster (members: member_id and name, or Full Name): add it, or set [files] members".to_string(),
            ),
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
            if c.name == "status" {
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
        if spec.name != "members" && m.headers("category").is_none() {
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
        if dated_only {
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
        "type",
        "family",
        "segment",
        "line of business",
        "revenue",
    ];
    let mut best: Option<(usize, String, Vec<String>)> = None;
    for h in unused {
        let lower = h.to_lowercase();
        if !WORDS.iter().any(|w| lower.contains(w)) {
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
    let (preset, guessed) = match preset {
        Some(p) => (Some(p), false),
        None => match guess_preset(&files) {
            Some(p) => (Some(p), true),
            None => (None, false),
        },
    };
    let mut findings = assign(&files, preset);
    findings.preset_guessed = guessed;
    let text = write_config(&dir, &mut findings);
    let say = |s: &str| {
        if !common.quiet {
            eprintln!("{s}");
        }
    };
    if guessed {
        if let Some(p) = preset {
            say(&format!(
                "atu init: the headers look like {}: using preset = \"{}\"",
                p.about, p.name
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
    for u in &findings.unused_files {
        say(&format!(
            "atu init: {u}: not used (no table of atu's fits it)"
        ));
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

    #[test]
    fn toml_strings_stay_on_one_line() {
        assert_eq!(q("Close\nDate"), "\"Close\\nDate\"");
        assert_eq!(q("Acc \"Name\""), "\"Acc \\\"Name\\\"\"");
        assert_eq!(q("a\\b\u{1}"), "\"a\\\\b\\u0001\"");
        let parsed: toml::Table = toml::from_str(&format!("k = {}", q("x\n\"y\"\t\u{7}"))).unwrap();
        assert_eq!(parsed["k"].as_str(), Some("x\n\"y\"\t\u{7}"));
    }
}
