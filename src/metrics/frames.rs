//! The polars helpers the metric families share: line expressions (close
//! date as days, a date window, a status) and reading the small result
//! frames of an aggregation back into Rust values.

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use crate::ingest::frame::polars_context;
pub use crate::ingest::frame::texts;

/// Days since 1970-01-01, polars' Date representation.
pub fn epoch_days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (d - epoch).num_days() as i32
}

/// A line's close date as days.
pub fn day() -> Expr {
    col("close_date").cast(DataType::Int32)
}

/// Lines closing from `lo` to `hi`, both included.
pub fn between(lo: NaiveDate, hi: NaiveDate) -> Expr {
    day()
        .gt_eq(lit(epoch_days(lo)))
        .and(day().lt_eq(lit(epoch_days(hi))))
}

/// Lines of a status (`won`, `lost`, `open`).
pub fn is(status: &str) -> Expr {
    col("status").eq(lit(status))
}

/// A text column of a result frame (String, or categorical as ingest holds
/// the lines' columns of few values).
pub fn strs(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    Ok(texts(df, name)?.map(|v| v.map(str::to_string)).collect())
}

/// An integer column of a result frame.
pub fn ints(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>> {
    Ok(df
        .column(name)
        .and_then(|c| c.cast(&DataType::Int64))
        .map_err(|e| polars_context("reading results", e))?
        .i64()
        .map_err(|e| polars_context("reading results", e))?
        .iter()
        .collect())
}

/// [`Flat::parts`]: the values, and the validity bits as (bytes, offset in
/// bits) when some are null.
pub type FlatParts<'a, N> = (&'a [N], Option<(&'a [u8], usize)>);

/// A column of numbers held in one piece, read by row index (`get`)
/// without iterator adapters or a chunk lookup per row: for the passes over
/// every line that aggregate into plain vectors (penetration's facts).
pub struct Flat<T: PolarsNumericType> {
    ca: ChunkedArray<T>,
}

impl<T: PolarsNumericType> Flat<T> {
    /// The column in one chunk (a copy only when it is in several).
    pub fn new(ca: &ChunkedArray<T>) -> Flat<T> {
        Flat {
            ca: ca.rechunk().into_owned(),
        }
    }

    /// The values and, when some are null, the validity bits as (bytes,
    /// offset in bits); empty for an empty column.
    pub fn parts(&self) -> FlatParts<'_, T::Native> {
        match self.ca.downcast_iter().next() {
            Some(arr) => (
                arr.values().as_slice(),
                arr.validity()
                    .filter(|_| self.ca.null_count() > 0)
                    .map(|b| {
                        let (bytes, offset, _) = b.as_slice();
                        (bytes, offset)
                    }),
            ),
            None => (&[], None),
        }
    }
}

/// Row `i` of [`Flat::parts`]: None where the validity bit is off.
#[inline]
pub fn flat_get<N: Copy>(parts: &FlatParts<'_, N>, i: usize) -> Option<N> {
    let (values, valid) = parts;
    match valid {
        Some((bytes, offset)) if (bytes[(offset + i) / 8] >> ((offset + i) % 8)) & 1 == 0 => None,
        _ => Some(values[i]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_columns_read_as_their_iterators() {
        // One chunk without nulls, one with, two chunks appended, a slice
        // whose validity starts inside a byte, and an empty column.
        let plain = Int64Chunked::from_vec("a".into(), vec![5, -3, 0]);
        let nulls: Int64Chunked = [Some(1), None, Some(3), None, None, Some(6)]
            .into_iter()
            .collect();
        let mut two = nulls.clone();
        two.append(&plain).unwrap();
        let sliced = two.slice(3, 5);
        let empty = Int64Chunked::from_vec("e".into(), vec![]);
        for ca in [&plain, &nulls, &two, &sliced, &empty] {
            let flat = Flat::new(ca);
            let parts = flat.parts();
            let got: Vec<Option<i64>> = (0..ca.len()).map(|i| flat_get(&parts, i)).collect();
            let want: Vec<Option<i64>> = ca.iter().collect();
            assert_eq!(got, want);
        }
        assert_eq!(two.chunks().len(), 2, "two chunks read as one");
        assert_eq!(
            sliced.iter().collect::<Vec<_>>(),
            vec![None, None, Some(6), Some(5), Some(-3)]
        );
    }
}
