//! Mapping an export's headers to canonical columns: `[columns.<table>]`,
//! the preset's candidates (per status first), or a header equal to the
//! canonical name; the headers of row filters, team rows and the currency
//! beside an amount.

use anyhow::{bail, Result};

use super::source::{self};
use crate::config::{Filter, Headers, Settings};
use crate::schema::{Kind, TableSpec};

pub(super) fn normalize_header(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

pub(super) fn closest<'a>(want: &str, headers: &'a [String]) -> Option<&'a str> {
    let w = normalize_header(want);
    headers
        .iter()
        .map(|h| (strsim::jaro_winkler(&w, &normalize_header(h)), h))
        .filter(|(s, _)| *s > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, h)| h.as_str())
}

/// Headers Dynamics hides in its exports; never matched by name.
pub(super) fn is_hidden(h: &str) -> bool {
    h.trim_start().starts_with("(Do Not Modify)")
}

/// The file's header that is `want`: exactly (when `exact_first`, for a
/// header the user or a preset named), else equal but for case, spaces, `-`
/// and `_`. Several loose matches are an error, never a silent pick.
pub(super) fn find_header<'a>(
    want: &str,
    headers: &'a [String],
    display: &str,
    spec: &TableSpec,
    column: &str,
    exact_first: bool,
) -> Result<Option<&'a String>> {
    if exact_first {
        if let Some(h) = headers.iter().find(|h| h.as_str() == want) {
            return Ok(Some(h));
        }
    }
    let loose: Vec<&String> = headers
        .iter()
        .filter(|x| normalize_header(x) == normalize_header(want))
        .collect();
    if loose.len() > 1 {
        bail!(
            "{display}: {} columns could be {column}: {}\nhelp: name the one to use in atu.toml: [columns.{}] {column} = \"…\" (headers must differ to be told apart)",
            loose.len(),
            quoted_list(&loose.iter().map(|h| h.to_string()).collect::<Vec<_>>()),
            spec.name,
        );
    }
    Ok(loose.first().copied())
}

/// A file's headers for each canonical column (several: each row uses the
/// first filled; per status: by the row's status; none: the column is
/// absent). `[columns.<table>]` first, then
/// the preset's candidates, then a header equal to the canonical name (case,
/// spaces and `_` folded; Dynamics' `(Do Not Modify)` columns never match).
pub fn map_headers(
    settings: &Settings,
    spec: &TableSpec,
    display: &str,
    headers: &[String],
    delimiter: u8,
) -> Result<Vec<(&'static str, Headers)>> {
    if let [only] = headers {
        if let Some(sep) = [',', ';', '\t', '|']
            .into_iter()
            .find(|c| *c as u8 != delimiter && only.contains(*c))
        {
            bail!(
                "{display}: the header \"{}\" is one field: the file looks separated by {} but was read as separated by {}\nhelp: set delimiter = \"{}\" in atu.toml ([tables.{}] delimiter for this table alone)",
                super::problems::show_value(only),
                source::delimiter_name(sep as u8),
                source::delimiter_name(delimiter),
                if sep == '\t' { "\\t".to_string() } else { sep.to_string() },
                spec.name
            );
        }
    }
    let visible: Vec<String> = headers.iter().filter(|h| !is_hidden(h)).cloned().collect();
    let configured = settings.columns.get(spec.name);
    let mut out = Vec::new();
    for c in spec.columns {
        if let Some(want) = configured.and_then(|m| m.get(c.name)) {
            // Each header named must be there, as the file spells it.
            let find = |h: &String| -> Result<String> {
                match find_header(h, headers, display, spec, c.name, true)? {
                    Some(x) => Ok(x.clone()),
                    None => {
                        let near = closest(h, headers)
                            .map(|n| format!("; closest match: \"{n}\""))
                            .unwrap_or_default();
                        bail!(
                            "{display}: column \"{h}\" (mapped to {} in [columns.{}]) not found; headers found: {}{near}\nhelp: fix [columns.{}] {} in atu.toml",
                            c.name,
                            spec.name,
                            quoted_list(headers),
                            spec.name,
                            c.name
                        );
                    }
                }
            };
            let list = |v: &[String]| v.iter().map(find).collect::<Result<Vec<String>>>();
            let found = match want {
                Headers::Each(v) => Headers::Each(list(v)?),
                Headers::ByStatus { won, lost, open } => Headers::ByStatus {
                    won: list(won)?,
                    lost: list(lost)?,
                    open: list(open)?,
                },
            };
            out.push((c.name, found));
            continue;
        }
        let mut chosen: Option<Headers> = None;
        if let Some(preset) = settings.preset {
            // Every header of a candidate, as the file spells it; `None`
            // when one is missing.
            let all = |cand: &[&str]| -> Result<Option<Vec<String>>> {
                let mut found = Vec::new();
                for h in cand {
                    match find_header(h, &visible, display, spec, c.name, true)? {
                        Some(x) => found.push(x.clone()),
                        None => return Ok(None),
                    }
                }
                Ok(Some(found))
            };
            if let Some(s) = preset.by_status(spec.name, c.name) {
                if let (Some(won), Some(lost), Some(open)) =
                    (all(s.won)?, all(s.lost)?, all(s.open)?)
                {
                    chosen = Some(Headers::ByStatus { won, lost, open });
                }
            }
            if chosen.is_none() {
                for cand in preset.candidates(spec.name, c.name) {
                    if let Some(found) = all(cand)? {
                        chosen = Some(Headers::Each(found));
                        break;
                    }
                }
            }
        }
        if chosen.is_none() {
            chosen = find_header(c.name, &visible, display, spec, c.name, false)?
                .map(|h| Headers::Each(vec![h.clone()]));
        }
        let stand_ins: &[&str] = spec
            .either
            .iter()
            .find(|(x, _)| *x == c.name)
            .map_or(&[], |(_, v)| *v);
        let stood_in = stand_ins.iter().any(|alt| {
            configured.is_some_and(|m| m.contains_key(*alt))
                || spec.columns.iter().any(|o| {
                    o.name == *alt
                        && visible
                            .iter()
                            .any(|h| normalize_header(h) == normalize_header(alt))
                })
                || settings.preset.is_some_and(|p| {
                    p.candidates(spec.name, alt)
                        .iter()
                        .any(|cand| cand.iter().all(|h| visible.iter().any(|v| v == h)))
                })
        });
        match chosen {
            Some(found) => out.push((c.name, found)),
            None if c.required && !spec.absent_ok.contains(&c.name) && !stood_in => {
                let near = closest(c.name, &visible);
                let near_text = near
                    .map(|n| format!("; closest match: \"{n}\""))
                    .unwrap_or_default();
                let example = near.unwrap_or("Your Header");
                bail!(
                    "{display}: required column {} not found; headers found: {}{near_text}\nhelp: map it in atu.toml: [columns.{}] {} = \"{example}\"",
                    c.name,
                    quoted_list(headers),
                    spec.name,
                    c.name
                );
            }
            None => out.push((c.name, Headers::Each(Vec::new()))),
        }
    }
    Ok(out)
}

pub(super) fn quoted_list(h: &[String]) -> String {
    h.iter()
        .map(|x| format!("\"{x}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The export's header of each row filter, and of `[quotas] team_rows`
/// (`team`): a filter on a column the file lacks is an error.
pub(super) type FilterHeaders = (Vec<(Filter, String)>, Option<(Filter, String)>);

pub(super) fn filter_columns(
    spec: &TableSpec,
    display: &str,
    headers: &[String],
    filters: &[Filter],
    team: Option<&Filter>,
) -> Result<FilterHeaders> {
    let mut filter_headers = Vec::new();
    for f in filters {
        match find_header(&f.column, headers, display, spec, "a filter", true)? {
            Some(h) => filter_headers.push((f.clone(), h.clone())),
            None => {
                let near = closest(&f.column, headers)
                    .map(|n| format!("; closest match: \"{n}\""))
                    .unwrap_or_default();
                bail!(
                    "{display}: column \"{}\" (of a [[filters.{}]] entry) not found; headers found: {}{near}\nhelp: fix the column of [[filters.{}]] in atu.toml",
                    f.column,
                    spec.name,
                    quoted_list(headers),
                    spec.name
                );
            }
        }
    }
    let team_header = match team {
        None => None,
        Some(f) => match find_header(&f.column, headers, display, spec, "team rows", true)? {
            Some(h) => Some((f.clone(), h.clone())),
            None => bail!(
                "{display}: column \"{}\" (of [quotas] team_rows) not found; headers found: {}\nhelp: fix [quotas] team_rows in atu.toml",
                f.column,
                quoted_list(headers)
            ),
        },
    };
    Ok((filter_headers, team_header))
}

/// The currency column beside each amount column of a file: `<header>
/// Currency`, or the record's own currency (Salesforce's `Currency`,
/// `CurrencyIsoCode`) unless the amount is a converted one; `None` where
/// there is none or the amount is not mapped.
pub(super) fn currency_columns(
    spec: &TableSpec,
    mapping: &[(&'static str, Headers)],
    headers: &[String],
) -> Vec<(&'static str, Option<String>)> {
    spec.columns
        .iter()
        .filter(|c| c.kind == Kind::Money)
        .map(|c| {
            let mapped: Vec<String> = mapping
                .iter()
                .find(|(n, _)| n == &c.name)
                .map(|(_, h)| h.all().into_iter().cloned().collect())
                .unwrap_or_default();
            let mut wants: Vec<String> = mapped.iter().map(|h| format!("{h} Currency")).collect();
            // A converted amount is in one currency whatever the record's.
            let converted = mapped
                .iter()
                .any(|h| h.to_lowercase().contains("converted"));
            wants.extend(
                [
                    "Currency",
                    "Currency ISO Code",
                    "CurrencyIsoCode",
                    "Opportunity Currency",
                ]
                .iter()
                .filter(|_| !converted)
                .map(|s| s.to_string()),
            );
            let found = wants.iter().find_map(|w| {
                headers
                    .iter()
                    .find(|h| normalize_header(h) == normalize_header(w))
                    .cloned()
            });
            (c.name, if mapped.is_empty() { None } else { found })
        })
        .collect()
}
