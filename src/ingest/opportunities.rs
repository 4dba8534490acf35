//! opportunities.csv stays a polars frame: default categories, one
//! spelling per category and product, blank open amounts as 0, the empty
//! Salesforce partner id, whole-row duplicates, key conflicts and lines
//! that differ only in unread columns, owners outside the roster; once
//! checked, its text columns of few values held as codes.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use polars::prelude::*;

use super::columns::*;
use super::problems::{Diagnostics, Problem};
use super::*;

/// How a Salesforce export writes an empty lookup (15- and 18-character
/// forms): a partner of this id is no partner.
pub(super) const SALESFORCE_EMPTY_IDS: [&str; 2] = ["000000000000000", "000000000000000AAA"];

/// Fills defaults (category `Sales`, an id per row when the export has no
/// opportunity id), drops exact duplicates and rejects conflicting keys.
pub(super) fn opportunities_from(frame: &mut Frame, diag: &mut Diagnostics) -> Result<()> {
    let Diagnostics { problems, warnings } = diag;
    let has_id = frame.present.contains(&"opportunity_id");
    let has_line = frame.present.contains(&"line_id");
    blank_amounts_as_zero(frame, warnings)?;
    // Salesforce writes an empty lookup as the all-zero id: no partner. A
    // column of nothing else (a backup's PrimaryPartnerAccountId when the
    // org keeps partners in a custom field) reads as 0 % attach: say so.
    let (mut empty, mut nulls, mut rows) = (0, 0, 0);
    if frame.df.column("partner_id").is_ok() {
        for v in frame::texts(&frame.df, "partner_id")? {
            rows += 1;
            match v {
                None => nulls += 1,
                Some(v) if SALESFORCE_EMPTY_IDS.contains(&v) => empty += 1,
                Some(_) => {}
            }
        }
    }
    // Only when a CRM's own partner field says nothing: a blank canonical
    // column is the user's own "no partner" (0 %).
    let crm_field = empty > 0 || frame.label("partner_id") != "partner_id";
    let empty_lookups = rows > 0 && crm_field && empty + nulls == rows;
    if empty_lookups {
        warnings.push(format!(
            "{}: {} is blank (or Salesforce's empty lookup 000000000000000AAA) on every line, so no line has a partner and partner attach is 0 %; if the export keeps partners in another field (e.g. a custom Partner__c), map [columns.opportunities] partner_id to it",
            frame.ledger.files.join(", "),
            frame.label("partner_id")
        ));
    }
    // Columns held as codes are made text again only when a value changes.
    let mut defaults: Vec<Expr> = Vec::new();
    if frame
        .df
        .column("category")
        .is_ok_and(|c| c.null_count() > 0)
    {
        as_text(&mut frame.df, "category")?;
        defaults.push(col("category").fill_null(lit(DEFAULT_CATEGORY)));
    }
    if empty > 0 {
        as_text(&mut frame.df, "partner_id")?;
        let no_partner = Series::new("ids".into(), SALESFORCE_EMPTY_IDS);
        defaults.push(
            when(col("partner_id").is_in(lit(no_partner).implode(false), false))
                .then(lit(NULL).cast(DataType::String))
                .otherwise(col("partner_id"))
                .alias("partner_id"),
        );
    }
    if !defaults.is_empty() {
        frame.df = frame
            .df
            .clone()
            .lazy()
            .with_columns(defaults)
            .collect()
            .map_err(|e| frame::polars_context("filling defaults", e))?;
    }
    // `Sales` and `SALES` are one category (and `Office`, `office` one
    // product): one spelling each, before duplicates and keys are checked.
    for c in ["category", "product"] {
        if let Some(w) = unify_spellings(frame, c)? {
            warnings.push(w);
        }
    }
    if !has_id && frame.df.height() > 0 {
        warnings.push(format!(
            "{}: no opportunity_id column: each row is its own opportunity, so win rate and partner attach count rows; map [columns.opportunities] opportunity_id if the export has an id",
            frame.ledger.files.join(", ")
        ));
    }
    let cols: Vec<&str> = OPPORTUNITIES.columns.iter().map(|c| c.name).collect();
    if frame.df.height() > 0 {
        if has_id {
            lines_with_ids(frame, &cols, has_line, problems, warnings)?;
        } else {
            lines_without_ids(frame, &cols, warnings)?;
        }
    }
    frame.ledger.accepted = frame.df.height() as u64;
    Ok(())
}

/// Without an opportunity id: rows identical in every column are one line;
/// then each row is its own line, named by its file and editor line.
fn lines_without_ids(frame: &mut Frame, cols: &[&str], warnings: &mut Vec<String>) -> Result<()> {
    // Rows identical in every field are one line; then each row is its
    // own line, identified by its file and record.
    frame::dedup_said(
        frame,
        cols,
        frame::Same::WholeRow,
        "opportunity line",
        warnings,
    )?;
    // Each line is named by its file and editor line, as messages are.
    let files = u32_col(&frame.df, "__file")?;
    let rows = u32_col(&frame.df, "__row")?;
    let ids: StringChunked = files
        .iter()
        .zip(rows.iter())
        .map(|(f, r)| {
            let (file, line) = frame.locate(f.unwrap_or(0), r.unwrap_or(0));
            Some(format!("{file}:{line}"))
        })
        .collect();
    frame
        .df
        .with_column(ids.with_name("opportunity_id".into()).into_column())
        .map_err(|e| frame::polars_context("numbering lines", e))?;
    Ok(())
}

/// With an opportunity id: lines that share a key (opportunity_id +
/// line_id, else + product + category) are duplicates when identical in
/// every column, a conflict when a value atu reads differs (rejected), and
/// distinct lines, all counted and said, when only unread columns differ.
fn lines_with_ids(
    frame: &mut Frame,
    cols: &[&str],
    has_line: bool,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    // Key: opportunity_id + line_id, else + product + category.
    // A blank line_id falls back to product + category for that row
    // (columns, not concatenated strings: nothing is copied per row).
    let key: Vec<Expr> = if has_line {
        let unless_line = |c: &str| {
            when(col("line_id").is_null())
                .then(col(c))
                .otherwise(lit(NULL).cast(DataType::String))
        };
        vec![
            col("opportunity_id"),
            col("line_id"),
            unless_line("product").alias("__kp"),
            unless_line("category").alias("__kc"),
        ]
    } else {
        vec![col("opportunity_id"), col("product"), col("category")]
    };
    let key_count = len()
        .over(key)
        .map_err(|e| frame::polars_context("checking opportunity keys", e))?;
    // Only rows that share a key can be duplicates or conflicts: the
    // whole-row comparison runs on those few, not on every line. Rows
    // whose key hash is their own have a key of their own; the rows that
    // share a hash (every row of a shared key, and the rare collision) are
    // compared exactly below.
    let maybe_shared = shared_key_hashes(&frame.df, has_line)?;
    let shared = frame
        .df
        .filter(&maybe_shared)
        .map_err(|e| frame::polars_context("checking opportunity keys", e))?;
    if shared.height() == 0 {
        // Every key is unique: no duplicate, no conflict, no copy.
        frame.ledger.accepted = frame.df.height() as u64;
        return Ok(());
    }
    let mut sub = Frame {
        df: shared,
        files: frame.files.clone(),
        ledger: Ledger::default(),
        present: frame.present.clone(),
        labels: frame.labels.clone(),
    };
    frame.ledger.duplicates += frame::dedup_said(
        &mut sub,
        cols,
        frame::Same::WholeRow,
        "opportunity line",
        warnings,
    )?;
    // The key of each row, as SPEC §1.3 and the polars expression
    // above: line_id, else product + category.
    type LineKey = (Vec<Option<String>>, &'static str);
    let keys_of = |df: &DataFrame| -> Result<Vec<LineKey>> {
        let all = |c: &str| -> Result<Vec<Option<&str>>> { Ok(frame::texts(df, c)?.collect()) };
        let (ids, line_ids) = (all("opportunity_id")?, all("line_id")?);
        let (products, categories) = (all("product")?, all("category")?);
        Ok((0..df.height())
            .map(|i| {
                let own = |c: &[Option<&str>]| c[i].map(str::to_string);
                let mut key = vec![own(&ids)];
                match line_ids[i].filter(|_| has_line) {
                    Some(l) => {
                        key.push(Some(l.to_string()));
                        (key, "line_id")
                    }
                    None => {
                        key.extend([None, own(&products), own(&categories)]);
                        (key, "product and category")
                    }
                }
            })
            .collect())
    };
    // Lines of one key that differ in a value atu reads conflict; lines
    // that differ only in columns atu does not read (a Topic, a Created
    // On) are distinct lines and all count. One row per distinct read
    // value tells them apart.
    let mut values = Frame {
        df: sub.df.clone(),
        files: frame.files.clone(),
        ledger: Ledger::default(),
        present: frame.present.clone(),
        labels: frame.labels.clone(),
    };
    frame::dedup(&mut values, cols, frame::Same::Read)?;
    let conflicts = values
        .df
        .lazy()
        .with_columns([key_count.clone().alias("__k")])
        .filter(col("__k").gt(lit(1)))
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .collect()
        .map_err(|e| frame::polars_context("checking opportunity keys", e))?;
    let mut conflicting: BTreeSet<Vec<Option<String>>> = BTreeSet::new();
    if conflicts.height() > 0 {
        let files = u32_col(&conflicts, "__file")?;
        let rows = u32_col(&conflicts, "__row")?;
        // Rows of each key, in file and line order.
        let mut groups: BTreeMap<Vec<Option<String>>, Vec<(String, u64)>> = BTreeMap::new();
        let mut order = Vec::new();
        for (i, (key, what)) in keys_of(&conflicts)?.into_iter().enumerate() {
            let loc = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
            groups.entry(key.clone()).or_default().push(loc.clone());
            order.push((key, loc, what));
        }
        for (key, (file, line), what) in order {
            let group = &groups[&key];
            let other = group.iter().find(|(f, l)| !(f == &file && *l == line));
            let msg = match other {
                Some((f, l)) => format!(
                    "has the same {what} as {} with different values",
                    frame::refer(f, *l, &file)
                ),
                None => format!("has the same {what} as another line with different values"),
            };
            let id = key[0].clone().unwrap_or_default();
            problems.push(
                Problem::row(&file, line, "opportunity_id", &id, msg, "conflicting key")
                    .with_hint("two revenue lines with one key must be identical; fix the export or give each line a line_id ([columns.opportunities] line_id)"),
            );
            *frame
                .ledger
                .rejected
                .entry("conflicting key".to_string())
                .or_default() += 1;
        }
        conflicting = groups.into_keys().collect();
    }
    // What is left: lines of keys without a conflict. Those that still
    // share a key differ only in columns atu does not read: said.
    let files = u32_col(&sub.df, "__file")?;
    let rows = u32_col(&sub.df, "__row")?;
    let mut kept: Vec<bool> = Vec::with_capacity(sub.df.height());
    let mut twins: BTreeMap<Vec<Option<String>>, Vec<(String, u64)>> = BTreeMap::new();
    for (i, (key, _)) in keys_of(&sub.df)?.into_iter().enumerate() {
        let keep = !conflicting.contains(&key);
        if keep {
            let loc = frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0));
            twins.entry(key).or_default().push(loc);
        }
        kept.push(keep);
    }
    let twins: Vec<Vec<(String, u64)>> =
        twins.into_values().filter(|locs| locs.len() > 1).collect();
    if let Some(first) = twins.first() {
        let lines: usize = twins.iter().map(Vec::len).sum();
        let mut first = first.clone();
        first.sort();
        let ((f0, l0), (f1, l1)) = (&first[0], &first[1]);
        warnings.push(format!(
            "{}: {lines} opportunity lines share their key and every value atu reads with another line, and differ only in columns atu does not read or in how a value is written (e.g. {f1}:{l1} and {}): each counts as its own line; if the export repeats a line once per related record, leave those rows out ([[filters.opportunities]]) or map [columns.opportunities] line_id",
            frame.ledger.files.join(", "),
            frame::refer(f0, *l0, f1)
        ));
    }
    // The rows kept: every row of a key of its own, and the shared rows
    // that the checks above kept (by file and record).
    let sub_files = u32_col(&sub.df, "__file")?;
    let sub_rows = u32_col(&sub.df, "__row")?;
    let kept: PlHashSet<(u32, u32)> = kept
        .iter()
        .enumerate()
        .filter(|(_, k)| **k)
        .map(|(i, _)| (sub_files.get(i).unwrap_or(0), sub_rows.get(i).unwrap_or(0)))
        .collect();
    let all_files = u32_col(&frame.df, "__file")?;
    let all_rows = u32_col(&frame.df, "__row")?;
    let keep: BooleanChunked = maybe_shared
        .iter()
        .zip(all_files.iter().zip(all_rows.iter()))
        .map(|(shared, (f, r))| {
            !shared.unwrap_or(false) || kept.contains(&(f.unwrap_or(0), r.unwrap_or(0)))
        })
        .collect();
    drop(sub);
    columns::keep_rows(&mut frame.df, &keep)
        .map_err(|e| frame::polars_context("dropping duplicate and conflicting lines", e))
}

/// Per row, whether another row has the same 64-bit hash of its key
/// (`opportunity_id` + `line_id`, else + `product` + `category`, as in
/// [`lines_with_ids`]): true for every row of a shared key, and for the
/// rare rows whose distinct keys collide. One hash per row and a sort of
/// the hashes, instead of a window over four text columns.
fn shared_key_hashes(df: &DataFrame, has_line: bool) -> Result<BooleanChunked> {
    use std::hash::{BuildHasher, Hasher};
    // Each key part as a number a row (a code, or a text's hash).
    let ids = frame::key_parts(df, "opportunity_id")?;
    let line_ids = frame::key_parts(df, "line_id")?;
    let products = frame::key_parts(df, "product")?;
    let categories = frame::key_parts(df, "category")?;
    let state = PlFixedStateQuality::default();
    let hashes: Vec<u64> = ids
        .zip(line_ids)
        .zip(products.zip(categories))
        .map(|((id, line), (product, category))| {
            let mut h = state.build_hasher();
            h.write_u64(id);
            if has_line && line != u64::MAX {
                h.write_u64(line);
            } else {
                h.write_u8(2);
                h.write_u64(product);
                h.write_u64(category);
            }
            h.finish()
        })
        .collect();
    Ok(frame::shared_hashes(&hashes))
}

/// A blank amount on an open or lost line (the loader lets only those
/// through) is a pipeline of 0 (SPEC §1.2): read as 0, counted in the
/// ledger, and said with the first lines.
pub(super) fn blank_amounts_as_zero(frame: &mut Frame, warnings: &mut Vec<String>) -> Result<()> {
    let blank = frame
        .df
        .column("amount")
        .map_err(|e| frame::polars_context("reading amounts", e))?
        .null_count();
    if blank == 0 {
        return Ok(());
    }
    let first = rows_where(&frame.df, col("amount").is_null(), "reading amounts")?;
    let files = u32_col(&first, "__file")?;
    let rows = u32_col(&first, "__row")?;
    let mut lines: Vec<(String, u64)> = (0..first.height())
        .map(|i| frame.locate(files.get(i).unwrap_or(0), rows.get(i).unwrap_or(0)))
        .collect();
    lines.sort();
    let shown: Vec<String> = lines
        .iter()
        .take(3)
        .map(|(f, l)| format!("{f}:{l}"))
        .collect();
    warnings.push(format!(
        "{}: {blank} open or lost line(s) with a blank amount are read as 0 ({}{}); a won line needs its amount",
        frame.ledger.files.join(", "),
        shown.join(", "),
        if blank > 3 { ", …" } else { "" }
    ));
    *frame
        .ledger
        .defaulted
        .entry("blank amount on an open or lost line, read as 0".to_string())
        .or_default() += blank as u64;
    frame.df = frame
        .df
        .clone()
        .lazy()
        .with_column(col("amount").fill_null(lit(0i64)))
        .collect()
        .map_err(|e| frame::polars_context("filling blank amounts", e))?;
    Ok(())
}

pub(super) fn unknown_owners(frame: &Frame, roster: &BTreeSet<&str>) -> Result<Vec<String>> {
    Ok(distinct(&frame.df, "owner_id")?
        .into_iter()
        .filter(|o| !roster.contains(o.as_str()))
        .collect())
}

/// The lines' text columns of few distinct values that are not read as
/// codes (`OPPORTUNITIES.read_as_codes` are, when each is one header of its
/// own): the words typed from the export's, coded once typed.
pub(crate) const CODED_ONCE_TYPED: [&str; 3] = ["status", "currency", "forecast_category"];

/// Holds the text columns `names` (of few values) as categorical
/// codes once ingest is done with them: 4 bytes a line and a dictionary of
/// the distinct values instead of a 16-byte string view a line (on a large
/// export, 120 MB a column per 10 million lines). Values are unchanged (the
/// metrics read them back through `metrics::frames`); the opportunity id,
/// nearly one per line, stays text. Each column has its own dictionary;
/// two threads code the columns.
pub(crate) fn hold_as_codes(df: &mut DataFrame, names: &[&str]) -> Result<()> {
    let todo: Vec<Column> = names
        .iter()
        .filter_map(|n| df.column(n).ok())
        .filter(|c| c.dtype() == &DataType::String)
        .cloned()
        .collect();
    let code = |c: &Column| -> PolarsResult<Column> {
        let cats = Categories::random("atu".into(), CategoricalPhysical::U32);
        c.cast(&DataType::from_categories(cats))
    };
    let coded: Vec<PolarsResult<Column>> = std::thread::scope(|scope| {
        let (first, second) = todo.split_at(todo.len().div_ceil(2));
        let other = scope.spawn(move || second.iter().map(code).collect::<Vec<_>>());
        let mut out: Vec<_> = first.iter().map(code).collect();
        out.extend(
            other
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
        out
    });
    for c in coded {
        let c =
            c.map_err(|e| frame::polars_context("coding the lines' columns of few values", e))?;
        df.with_column(c)
            .map_err(|e| frame::polars_context("coding the lines' columns of few values", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::frame::texts;

    /// A text column's values as owned strings, as the metrics read them.
    fn strs(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
        Ok(texts(df, name)?.map(|v| v.map(String::from)).collect())
    }

    #[test]
    fn shared_keys_are_found_from_text_and_from_codes_alike() {
        // Keys: O1+1 twice (rows 0, 1); O1 with no line, by product and
        // category, twice (2, 3: Office/Sales); O1+2, O2+1, O1 without a
        // line but another product (4, 5, 6) are their own.
        let df = df!(
            "opportunity_id" => ["O1", "O1", "O1", "O1", "O1", "O2", "O1"],
            "line_id" => [Some("1"), Some("1"), None, None, Some("2"), Some("1"), None],
            "product" => [Some("A"), Some("B"), Some("Office"), Some("Office"), None, None, Some("SQL")],
            "category" => ["Sales", "Sales", "Sales", "Sales", "Sales", "Sales", "Sales"],
        )
        .unwrap();
        let want = vec![true, true, true, true, false, false, false];
        let flags = |df: &DataFrame, has_line: bool| -> Vec<bool> {
            shared_key_hashes(df, has_line)
                .unwrap()
                .iter()
                .map(|v| v.unwrap_or(false))
                .collect()
        };
        assert_eq!(flags(&df, true), want);
        let mut coded = df.clone();
        hold_as_codes(&mut coded, &["line_id", "product", "category"]).unwrap();
        assert!(matches!(
            coded.column("line_id").unwrap().dtype(),
            DataType::Categorical(_, _)
        ));
        assert_eq!(flags(&coded, true), want);
        // Without line numbers, by product and category: rows 2 and 3.
        let by_product = vec![false, false, true, true, false, false, false];
        assert_eq!(flags(&df, false), by_product);
        assert_eq!(flags(&coded, false), by_product);
    }

    #[test]
    fn columns_held_as_codes_read_back_unchanged() {
        let owners = [Some("M1"), None, Some("M2"), Some("M1"), Some("é ü")];
        let mut df = df!(
            "owner_id" => owners,
            "product" => [Some("Office"), Some("office"), None, Some("Office"), Some("")],
            "opportunity_id" => ["O1", "O2", "O3", "O4", "O5"],
            "amount" => [1i64, 2, 3, 4, 5],
        )
        .unwrap();
        // Asked for columns that are not there, or not text: left alone.
        hold_as_codes(&mut df, &["owner_id", "product", "amount", "status"]).unwrap();
        for c in ["owner_id", "product"] {
            assert!(
                matches!(df.column(c).unwrap().dtype(), DataType::Categorical(_, _)),
                "{c}"
            );
        }
        assert_eq!(df.column("amount").unwrap().dtype(), &DataType::Int64);
        assert_eq!(
            df.column("opportunity_id").unwrap().dtype(),
            &DataType::String
        );
        let owned = |v: &[Option<&str>]| v.iter().map(|o| o.map(String::from)).collect::<Vec<_>>();
        assert_eq!(strs(&df, "owner_id").unwrap(), owned(&owners));
        // Spellings stay apart, the empty text is not a null.
        assert_eq!(
            texts(&df, "product").unwrap().collect::<Vec<_>>(),
            [
                Some("Office"),
                Some("office"),
                None,
                Some("Office"),
                Some("")
            ]
        );
        assert_eq!(
            texts(&df, "opportunity_id").unwrap().collect::<Vec<_>>(),
            ["O1", "O2", "O3", "O4", "O5"].map(Some)
        );
        // The metrics' filters and groupings on codes: a word, a list.
        let won = df
            .clone()
            .lazy()
            .filter(col("owner_id").eq(lit("M1")))
            .group_by([col("product")])
            .agg([col("amount").sum()])
            .collect()
            .unwrap();
        assert_eq!(strs(&won, "product").unwrap(), owned(&[Some("Office")]));
        let listed = df
            .clone()
            .lazy()
            .filter(col("owner_id").is_in(
                lit(Series::new("l".into(), ["M2", "é ü"])).implode(false),
                false,
            ))
            .collect()
            .unwrap();
        assert_eq!(
            strs(&listed, "opportunity_id").unwrap(),
            owned(&[Some("O3"), Some("O5")])
        );
    }
}
