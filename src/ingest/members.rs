//! members.csv into the roster: ids (or names as ids), names from one
//! column or first + last, duplicates used once, an id twice with other
//! values an error.

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;

pub(super) fn members_from(frame: &mut Frame, diag: &mut Diagnostics) -> Result<Vec<Member>> {
    let Diagnostics { problems, warnings } = diag;
    let cols: Vec<&str> = MEMBERS.columns.iter().map(|c| c.name).collect();
    frame::dedup_said(frame, &cols, frame::Same::Read, "roster row", warnings)?;
    let df = frame
        .df
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .map_err(|e| frame::polars_context("sorting members", e))?;
    if df.height() == 0 {
        return Ok(Vec::new());
    }
    let ids = str_col(&df, "member_id")?;
    let names = str_col(&df, "name")?;
    let firsts = str_col(&df, "first_name")?;
    let lasts = str_col(&df, "last_name")?;
    let roles = str_col(&df, "role")?;
    let teams = str_col(&df, "team")?;
    let mgrs = str_col(&df, "manager_id")?;
    let files = u32_col(&df, "__file")?;
    let rows = u32_col(&df, "__row")?;
    // A roster without ids: each member's id is the name.
    let ids_from_names = !frame.present.contains(&"member_id");
    let mut by_id: BTreeMap<String, (Member, u64)> = BTreeMap::new();
    let mut rejected = 0u64;
    for i in 0..df.height() {
        let (file, line) = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
        // `First Name` + `Last Name` when the roster has no full name.
        let name = match names.get(i) {
            Some(n) => n.to_string(),
            None => [firsts.get(i), lasts.get(i)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        };
        let id = match ids.get(i) {
            Some(id) => id.to_string(),
            None if ids_from_names => name.clone(),
            None => String::new(),
        };
        if name.is_empty() || id.is_empty() {
            problems.push(
                Problem::row(
                    &file,
                    line,
                    "name",
                    "",
                    "is empty but required",
                    "missing value",
                )
                .with_hint("every member needs a name (or a first and last name)"),
            );
            rejected += 1;
            continue;
        }
        let m = Member {
            id,
            name,
            role: roles.get(i).map(str::to_string),
            team: teams.get(i).map(str::to_string),
            manager_id: mgrs.get(i).map(str::to_string),
        };
        if let Some((_, first)) = by_id.get(&m.id) {
            problems.push(
                Problem::row(
                    &file,
                    line,
                    "member_id",
                    &m.id,
                    format!("appears again with other values (first on line {first})"),
                    "conflicting key",
                )
                .with_hint(if ids_from_names {
                    "the roster has no member_id column, so names are ids and must differ; map the id column in atu.toml: [columns.members] member_id = \"…\""
                } else {
                    "each member_id must appear once in the roster"
                }),
            );
            rejected += 1;
            continue;
        }
        by_id.insert(m.id.clone(), (m, line));
    }
    if rejected > 0 {
        for p in problems.iter().rev().take(rejected as usize) {
            *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
        }
    }
    frame.ledger.accepted = by_id.len() as u64;
    Ok(by_id.into_values().map(|(m, _)| m).collect())
}
