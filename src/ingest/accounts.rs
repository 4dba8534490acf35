//! accounts.csv into accounts: each id once, owners by id or name,
//! accounts without an owner or owned outside the roster warned.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use polars::prelude::*;

use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;

/// Each account once (exact duplicates used once, another row with the same
/// id an error); owners outside the roster warned.
pub(super) fn accounts_from(
    frame: &mut Frame,
    roster: &BTreeSet<&str>,
    diag: &mut Diagnostics,
) -> Result<Vec<Account>> {
    let Diagnostics { problems, warnings } = diag;
    let cols: Vec<&str> = ACCOUNTS.columns.iter().map(|c| c.name).collect();
    frame::dedup_said(frame, &cols, frame::Same::Read, "account row", warnings)?;
    let df = frame
        .df
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .map_err(|e| frame::polars_context("sorting accounts", e))?;
    // Each account with where it was read (file and record index, located
    // to a line only for a problem).
    let mut by_id: BTreeMap<String, (Account, u32, u32)> = BTreeMap::new();
    if df.height() > 0 {
        let text = |n: &str| str_col(&df, n);
        let (ids, names, owners) = (text("account_id")?, text("name")?, text("owner_id")?);
        let (terr, vert, seg) = (text("territory")?, text("vertical")?, text("segment")?);
        let files = u32_col(&df, "__file")?;
        let rows = u32_col(&df, "__row")?;
        for i in 0..df.height() {
            let (f, r) = (files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
            let own = |c: &StringChunked| c.get(i).map(str::to_string);
            let Some(id) = ids.get(i).or(names.get(i)) else {
                let (file, line) = frame.locate(f, r);
                let p = Problem::row(
                    &file,
                    line,
                    "name",
                    "",
                    "is empty but required",
                    "missing value",
                )
                .with_hint("an account without an account_id column needs its name in every row");
                *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
                problems.push(p);
                continue;
            };
            let slot = match by_id.entry(id.to_string()) {
                std::collections::btree_map::Entry::Vacant(v) => v,
                std::collections::btree_map::Entry::Occupied(first) => {
                    let (file, line) = frame.locate(f, r);
                    let (_, f0, r0) = first.get();
                    let (f0, l0) = frame.locate(*f0, *r0);
                    let p = Problem::row(
                        &file,
                        line,
                        "account_id",
                        id,
                        format!(
                            "appears again with other values (first on {})",
                            frame::refer(&f0, l0, &file)
                        ),
                        "conflicting key",
                    )
                    .with_hint("each account_id must appear once in accounts.csv");
                    *frame.ledger.rejected.entry(p.reason.clone()).or_default() += 1;
                    problems.push(p);
                    continue;
                }
            };
            let a = Account {
                id: id.to_string(),
                name: own(names),
                owner_id: own(owners),
                territory: own(terr),
                vertical: own(vert),
                segment: own(seg),
            };
            slot.insert((a, f, r));
        }
    }
    if !frame.present.contains(&"owner_id") && !by_id.is_empty() {
        warnings.push(format!(
            "{}: no owner_id column: no account belongs to a member, so penetration, whitespace and contacts are empty\nhelp: map the owner column in atu.toml, e.g. [columns.accounts] owner_id = \"Account Owner\"",
            frame.ledger.files.join(", ")
        ));
    } else {
        let ownerless: Vec<&str> = by_id
            .values()
            .filter(|(a, _, _)| a.owner_id.is_none())
            .map(|(a, _, _)| a.id.as_str())
            .collect();
        if !ownerless.is_empty() {
            warnings.push(format!(
                "{}: {} account(s) without an owner ({}{}): they count for no member and not for the team",
                frame.ledger.files.join(", "),
                ownerless.len(),
                problems::show_list(ownerless.iter().take(10).copied()),
                if ownerless.len() > 10 { ", …" } else { "" }
            ));
        }
    }
    let outside: BTreeSet<&str> = by_id
        .values()
        .filter_map(|(a, _, _)| a.owner_id.as_deref())
        .filter(|o| !roster.contains(o))
        .collect();
    if !outside.is_empty() {
        warnings.push(format!(
            "{}: accounts owned by ids not in the roster ({}): they count for no member and not for the team",
            frame.ledger.files.join(", "),
            problems::show_list(outside.iter().copied())
        ));
    }
    frame.ledger.accepted = by_id.len() as u64;
    Ok(by_id.into_values().map(|(a, _, _)| a).collect())
}
