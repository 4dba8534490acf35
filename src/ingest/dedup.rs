//! Duplicates: rows identical in every column of the export as written
//! (revenue lines, survey responses) or in every column atu reads (records
//! known by an id), used once and counted.

use anyhow::Result;
use polars::prelude::*;

use super::frame::*;

/// A duplicate row in words: `opportunities.csv:1201 repeats line 401`.
pub type DuplicateExample = String;

/// `file:line`, or `line N` when `file` is `same_as`: how one row points at
/// another in messages.
pub fn refer(file: &str, line: u64, same_as: &str) -> String {
    if file == same_as {
        format!("line {line}")
    } else {
        format!("{file}:{line}")
    }
}

/// What makes two rows one in [`dedup`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Same {
    /// Identical in every column of the export as written, read or not
    /// (`__hash`) and in every canonical column: revenue lines and survey
    /// responses, which count one by one (SPEC §1.3).
    WholeRow,
    /// Identical in every canonical column: records known by an id
    /// (members, accounts, contacts, quotas, KPI values), where a row that
    /// repeats another's id and every value atu reads says the same thing
    /// twice, whatever columns atu does not read hold.
    Read,
}

/// Drops duplicates (see [`Same`]), keeping the first, and returns how many
/// were dropped with up to 3 examples such as `b.csv:3 repeats a.csv:4`.
///
/// Rows identical in every column as written have the same record hash
/// (`__hash`): with [`Same::WholeRow`] only the rows whose hash another row
/// has can be duplicates, found by sorting the hashes; those few are
/// compared exactly, the others are left as they are (a clean file of
/// millions of rows is not grouped at all).
pub fn dedup(
    frame: &mut Frame,
    columns: &[&str],
    same: Same,
) -> Result<(u64, Vec<DuplicateExample>)> {
    if frame.df.height() == 0 {
        return Ok((0, Vec::new()));
    }
    let err = |e| polars_context("finding duplicate rows", e);
    let hashes = match frame.df.column("__hash") {
        Ok(c) if same == Same::WholeRow => Some(
            c.u64()
                .map_err(err)?
                .iter()
                .map(|h| h.unwrap_or(0))
                .collect::<Vec<u64>>(),
        ),
        _ => None,
    };
    let (dups, examples, kept) = match hashes {
        None => group(frame, frame.df.clone(), columns, same)?,
        Some(hashes) => {
            let shared = shared_hashes(&hashes);
            drop(hashes);
            let n_shared = shared.sum().unwrap_or(0) as usize;
            if n_shared == 0 {
                return Ok((0, Vec::new()));
            }
            let sub = frame.df.filter(&shared).map_err(err)?;
            let (dups, examples, kept) = group(frame, sub, columns, same)?;
            // The rows of a hash of their own join the first of each
            // group, in reading order.
            let rest = frame.df.filter(&!&shared).map_err(err)?;
            let kept = match kept {
                Some(kept) if rest.height() > 0 => Some(
                    concat(
                        [rest.lazy().select(kept_columns(&kept)), kept.lazy()],
                        UnionArgs::default(),
                    )
                    .and_then(|lf| {
                        lf.sort(["__file", "__row"], SortMultipleOptions::default())
                            .collect()
                    })
                    .map_err(err)?,
                ),
                kept => kept,
            };
            (dups, examples, kept)
        }
    };
    if let Some(kept) = kept {
        frame.df = kept;
        frame.ledger.duplicates += dups;
    }
    Ok((dups, examples))
}

/// The columns of `df` as expressions, in its order.
fn kept_columns(df: &DataFrame) -> Vec<Expr> {
    df.get_column_names()
        .iter()
        .map(|n| col(n.as_str()))
        .collect()
}

/// Feeds one text value of a key to a row's hash: a filled value and its
/// end, or a null, so that ("ab", "c") and ("a", "bc") hash apart.
pub fn hash_text(h: &mut dyn std::hash::Hasher, v: Option<&str>) {
    match v {
        Some(v) => {
            h.write_u8(1);
            h.write(v.as_bytes());
            h.write_u8(0xff);
        }
        None => h.write_u8(0),
    }
}

/// A column's values as one number a row, for hashing keys: equal values
/// give equal numbers. A column held as codes gives its codes (one
/// dictionary per column: equal text, equal code), a text column a hash
/// of each value ([`hash_text`]); a null is `u64::MAX` and nothing else
/// is (no code is; a text whose hash is `u64::MAX` gives `u64::MAX - 1`),
/// so a caller may test a part for null.
pub fn key_parts<'a>(df: &'a DataFrame, name: &str) -> Result<Box<dyn Iterator<Item = u64> + 'a>> {
    use std::hash::{BuildHasher, Hasher};
    let c = df
        .column(name)
        .map_err(|e| polars_context(&format!("reading column {name}"), e))?;
    Ok(match c.dtype() {
        DataType::Categorical(_, _) => Box::new(
            c.cat32()
                .map_err(|e| polars_context(&format!("reading column {name}"), e))?
                .physical()
                .iter()
                .map(|code| code.map_or(u64::MAX, u64::from)),
        ),
        _ => {
            let state = PlFixedStateQuality::default();
            Box::new(
                c.str()
                    .map_err(|e| polars_context(&format!("reading column {name}"), e))?
                    .iter()
                    .map(move |v| match v {
                        None => u64::MAX,
                        Some(_) => {
                            let mut h = state.build_hasher();
                            hash_text(&mut h, v);
                            h.finish().min(u64::MAX - 1)
                        }
                    }),
            )
        }
    })
}

/// Per row, whether another row has the same 64-bit hash: found in a
/// sorted copy (no grouping of millions of rows, which costs a gigabyte at
/// 10 million), then each row checked against the few repeated ones. True
/// for every row of a repeated value and for the rare rows whose different
/// values collide; a caller compares those exactly.
pub fn shared_hashes(hashes: &[u64]) -> BooleanChunked {
    let mut sorted = hashes.to_vec();
    sorted.sort_unstable();
    let repeated: PlHashSet<u64> = sorted
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    drop(sorted);
    // The repeated hashes are few: a row outside their range is not one of
    // them, without a lookup (none repeated: no row is).
    let (lo, hi) = (
        repeated.iter().min().copied().unwrap_or(u64::MAX),
        repeated.iter().max().copied().unwrap_or(0),
    );
    hashes
        .iter()
        .map(|h| (lo..=hi).contains(h) && repeated.contains(h))
        .collect::<BooleanChunked>()
        .with_name("__shared".into())
}

/// [`dedup`] by grouping the rows `df` of `frame` on every key column:
/// how many rows repeat another, up to 3 examples, and when any does, the
/// first row of each group, sorted by file and row, in the loader's column
/// order (`None`: nothing repeats, `df` stands as it is).
fn group(
    frame: &Frame,
    df: DataFrame,
    columns: &[&str],
    same: Same,
) -> Result<(u64, Vec<DuplicateExample>, Option<DataFrame>)> {
    let before = df.height() as u64;
    if before == 0 {
        return Ok((0, Vec::new(), None));
    }
    // Other columns (raw copies) follow the first row of each group, and so
    // does the row hash where it is not a key.
    let has_hash = df.get_column_names().iter().any(|n| n.as_str() == "__hash");
    let extra: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .filter(|n| n.starts_with("__raw_"))
        .collect();
    let mut keys: Vec<Expr> = columns.iter().map(|c| col(*c)).collect();
    if same == Same::WholeRow && has_hash {
        keys.push(col("__hash"));
    }
    let mut aggs = vec![
        col("__file").first().alias("__file"),
        col("__row").first().alias("__row"),
        col("__file").last().alias("__file_last"),
        col("__row").last().alias("__row_last"),
        len().alias("__n"),
    ];
    aggs.extend(
        extra
            .iter()
            .map(|n| col(n.as_str()).first().alias(n.as_str())),
    );
    if has_hash && same == Same::Read {
        aggs.push(col("__hash").first().alias("__hash"));
    }
    let grouped = df
        .lazy()
        .group_by(keys)
        .agg(aggs)
        .sort(["__file", "__row"], SortMultipleOptions::default())
        .collect()
        .map_err(|e| polars_context("finding duplicate rows", e))?;
    let after = grouped.height() as u64;
    if after == before {
        return Ok((0, Vec::new(), None));
    }
    let examples_df = grouped
        .clone()
        .lazy()
        .filter(col("__n").gt(lit(1)))
        .limit(3)
        .collect()
        .map_err(|e| polars_context("finding duplicate rows", e))?;
    let mut examples = Vec::new();
    let get_u32 = |df: &DataFrame, name: &str, i: usize| -> u32 {
        df.column(name)
            .ok()
            .and_then(|c| c.cast(&DataType::UInt32).ok())
            .and_then(|c| c.u32().ok().and_then(|ca| ca.get(i)))
            .unwrap_or(0)
    };
    for i in 0..examples_df.height() {
        let (first_file, first) = frame.locate(
            get_u32(&examples_df, "__file", i),
            get_u32(&examples_df, "__row", i),
        );
        let (copy_file, copy) = frame.locate(
            get_u32(&examples_df, "__file_last", i),
            get_u32(&examples_df, "__row_last", i),
        );
        examples.push(format!(
            "{copy_file}:{copy} repeats {}",
            refer(&first_file, first, &copy_file)
        ));
    }
    // Columns in the loader's order: `__file`, `__row`, `__hash`, the
    // canonical ones, the raw copies.
    let mut keep = vec![col("__file"), col("__row")];
    if has_hash {
        keep.push(col("__hash"));
    }
    keep.extend(columns.iter().map(|c| col(*c)));
    keep.extend(extra.iter().map(|n| col(n.as_str())));
    let kept = grouped
        .lazy()
        .select(keep)
        .collect()
        .map_err(|e| polars_context("dropping duplicate rows", e))?;
    Ok((before - after, examples, Some(kept)))
}

/// [`dedup`], and a warning naming up to three examples when it dropped
/// any: `2 duplicate account row(s) used once (e.g. …)` (`what` names the
/// rows: "account row", "opportunity line").
pub fn dedup_said(
    frame: &mut Frame,
    columns: &[&str],
    same: Same,
    what: &str,
    warnings: &mut Vec<String>,
) -> Result<u64> {
    let (dups, examples) = dedup(frame, columns, same)?;
    if dups > 0 {
        warnings.push(format!(
            "{dups} duplicate {what}(s) used once (e.g. {})",
            examples.join("; ")
        ));
    }
    Ok(dups)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of rows (record index, record hash, a, b) of one file that
    /// `locate` does not know (rows are then `?:<index + 2>`).
    fn frame(rows: &[(u32, u64, &str, &str)]) -> Frame {
        let df = DataFrame::new_infer_height(vec![
            Column::new("__file".into(), vec![0u32; rows.len()]),
            Column::new(
                "__row".into(),
                rows.iter().map(|r| r.0).collect::<Vec<u32>>(),
            ),
            Column::new(
                "__hash".into(),
                rows.iter().map(|r| r.1).collect::<Vec<u64>>(),
            ),
            Column::new("a".into(), rows.iter().map(|r| r.2).collect::<Vec<&str>>()),
            Column::new("b".into(), rows.iter().map(|r| r.3).collect::<Vec<&str>>()),
        ])
        .expect("frame");
        Frame {
            df,
            files: Vec::new(),
            ledger: Ledger::default(),
            present: Vec::new(),
            labels: Default::default(),
        }
    }

    fn rows_and_a(f: &Frame) -> Vec<(u32, String)> {
        let rows = f.df.column("__row").unwrap().u32().unwrap().clone();
        let a = f.df.column("a").unwrap().str().unwrap().clone();
        rows.iter()
            .zip(a.iter())
            .map(|(r, a)| (r.unwrap(), a.unwrap().to_string()))
            .collect()
    }

    #[test]
    fn whole_rows_compared_only_where_hashes_repeat_and_then_exactly() {
        // Row 2 repeats row 0 (hash 7, same values); rows 1 and 4 share
        // hash 9 with other values (a collision): both stay; 3 and 5 have
        // hashes of their own.
        let mut f = frame(&[
            (0, 7, "A", "1"),
            (1, 9, "B", "2"),
            (2, 7, "A", "1"),
            (3, 1, "C", "3"),
            (4, 9, "D", "4"),
            (5, 2, "E", "5"),
        ]);
        let (dups, examples) = dedup(&mut f, &["a", "b"], Same::WholeRow).unwrap();
        assert_eq!(dups, 1);
        assert_eq!(examples, vec!["?:4 repeats line 2"]);
        assert_eq!(f.ledger.duplicates, 1);
        assert_eq!(
            rows_and_a(&f),
            vec![
                (0, "A".to_string()),
                (1, "B".to_string()),
                (3, "C".to_string()),
                (4, "D".to_string()),
                (5, "E".to_string())
            ],
            "reading order, the first of the repeated kept"
        );
        let names: Vec<&str> = f.df.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, vec!["__file", "__row", "__hash", "a", "b"]);

        // Hashes all different: nothing repeats, the frame stands.
        let mut f = frame(&[(0, 1, "A", "1"), (1, 2, "A", "1")]);
        assert_eq!(
            dedup(&mut f, &["a", "b"], Same::WholeRow).unwrap(),
            (0, vec![])
        );
        assert_eq!(f.df.height(), 2);
        // Every row shares its hash: all are compared.
        let mut f = frame(&[(0, 5, "A", "1"), (1, 5, "A", "1"), (2, 5, "A", "2")]);
        assert_eq!(dedup(&mut f, &["a", "b"], Same::WholeRow).unwrap().0, 1);
        assert_eq!(f.df.height(), 2);
        // Same::Read ignores the hash: rows that read the same are one.
        let mut f = frame(&[(0, 1, "A", "1"), (1, 2, "A", "1"), (2, 3, "B", "1")]);
        let (dups, examples) = dedup(&mut f, &["a", "b"], Same::Read).unwrap();
        assert_eq!(
            (dups, examples),
            (1, vec!["?:3 repeats line 2".to_string()])
        );
        assert_eq!(
            rows_and_a(&f),
            vec![(0, "A".to_string()), (2, "B".to_string())]
        );
    }
}
