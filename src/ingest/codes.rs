//! Text ids as dense integer codes (0, 1, 2, … in order of first sight),
//! for passes over millions of rows that group by ids or look them up:
//! penetration's accounts and products, and the accounts of accounts.csv
//! that contacts, survey responses and opportunity lines name (the code of
//! an account there is its position in the dataset's sorted accounts).
//!
//! Codes and ids become a polars categorical column (`categorical`) for
//! the lines' columns of few values.
//!
//! A code is found by one hashed lookup against the distinct ids. An id of
//! up to 22 bytes (a Salesforce id, `A000123`) is held inside the table's
//! own entry, so a lookup reads one place in memory instead of following a
//! pointer to the id's text; a longer one (a GUID) is boxed. Exact: ids are
//! compared as bytes, never by hash alone.
//!
//! While a column has had at most [`FEW`] distinct ids, all short (an
//! owner, a category, a status: most of the columns read as codes), they
//! are also held packed in three machine words each and a code is found by
//! comparing those words in turn, which costs less than hashing the id.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

use polars::prelude::PlHashMap;

/// Longest id held inside a table entry.
const INLINE: usize = 22;

/// An id as a table key: inline when short, boxed when long. Built only by
/// [`Key::new`], so one id has one form and the derived equality is the
/// equality of the ids' bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    Short { len: u8, bytes: [u8; INLINE] },
    Long(Box<[u8]>),
}

impl Key {
    fn new(id: &str) -> Key {
        let b = id.as_bytes();
        if b.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..b.len()].copy_from_slice(b);
            Key::Short {
                len: b.len() as u8,
                bytes,
            }
        } else {
            Key::Long(b.into())
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Short { len, bytes } => &bytes[..*len as usize],
            Key::Long(b) => b,
        }
    }
}

// Hashed as its bytes, so that a lookup by `&[u8]` finds it.
impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_bytes().hash(h)
    }
}

impl Borrow<[u8]> for Key {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// Up to this many distinct short ids are found by comparison alone.
const FEW: usize = 16;

/// A short id packed into three words: its bytes, zero-padded, and its
/// length in the last byte (so `A` and `A\0` differ). None when longer
/// than [`INLINE`].
fn packed(id: &[u8]) -> Option<[u64; 3]> {
    if id.len() > INLINE {
        return None;
    }
    let mut bytes = [0u8; 24];
    bytes[..id.len()].copy_from_slice(id);
    bytes[23] = id.len() as u8;
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
        u64::from_ne_bytes(w)
    };
    Some([word(0), word(1), word(2)])
}

/// Distinct ids and their codes (equal when they code the same ids alike).
#[derive(Clone, Debug, Default)]
pub struct Codes {
    map: PlHashMap<Key, u32>,
    /// Every id packed, in code order, while there are at most [`FEW`] and
    /// all are short; empty and unused (`many`) from the first id past
    /// that.
    few: Vec<[u64; 3]>,
    many: bool,
}

impl PartialEq for Codes {
    fn eq(&self, other: &Codes) -> bool {
        self.map == other.map
    }
}

impl Eq for Codes {}

impl Codes {
    /// The ids, coded in the order given (a repeated id keeps its first
    /// code).
    pub fn of<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> Codes {
        let mut out = Codes::default();
        out.map.reserve(ids.len());
        for id in ids {
            out.code(id);
        }
        out
    }

    /// The code of `id`, given the next free one when it is new.
    pub fn code(&mut self, id: &str) -> u32 {
        match self.known(id.as_bytes()) {
            Some(c) => c,
            None => self.add(id),
        }
    }

    /// [`Codes::code`] of text read as bytes (a field of a decoded file):
    /// bytes that are not UTF-8 are coded as their lossy text (U+FFFD for
    /// each bad sequence), so that every id is text.
    pub fn code_bytes(&mut self, id: &[u8]) -> u32 {
        if let Some(c) = self.known(id) {
            return c;
        }
        match std::str::from_utf8(id) {
            Ok(text) => self.add(text),
            Err(_) => self.code(&String::from_utf8_lossy(id)),
        }
    }

    /// The code of an id already seen.
    fn known(&self, id: &[u8]) -> Option<u32> {
        if self.many {
            return self.map.get(id).copied();
        }
        // Every id is in `few`: not there, not seen.
        let p = packed(id)?;
        self.few.iter().position(|w| *w == p).map(|i| i as u32)
    }

    /// Codes a new id.
    fn add(&mut self, id: &str) -> u32 {
        let c = self.map.len() as u32;
        self.map.insert(Key::new(id), c);
        if !self.many {
            match packed(id.as_bytes()) {
                Some(p) if self.few.len() < FEW => self.few.push(p),
                _ => {
                    self.many = true;
                    self.few = Vec::new();
                }
            }
        }
        c
    }

    /// The code of `id`, if it has one.
    pub fn get(&self, id: &str) -> Option<u32> {
        self.known(id.as_bytes())
    }

    /// How many distinct ids.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// No ids.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The ids in code order.
    pub fn ids(&self) -> Vec<&str> {
        let mut out = vec![""; self.map.len()];
        for (id, &c) in &self.map {
            // Keys are made from `&str`s, whole: always UTF-8.
            out[c as usize] = std::str::from_utf8(id.as_bytes()).unwrap_or_default();
        }
        out
    }

    /// A polars categorical column named `name` of `rows` (these codes;
    /// `none` for a null) over the dictionary of `cats` (the ids are added
    /// to it; polars' global one lets the columns of several files stack).
    pub fn categorical(
        &self,
        name: &str,
        rows: &[u32],
        none: u32,
        cats: std::sync::Arc<polars::prelude::Categories>,
    ) -> polars::prelude::PolarsResult<polars::prelude::Column> {
        use polars::prelude::*;
        let mapping = cats.mapping();
        let dictionary: Vec<u32> = self
            .ids()
            .iter()
            .map(|id| mapping.insert_cat(id))
            .collect::<PolarsResult<_>>()?;
        let values: Vec<u32> = rows
            .iter()
            .map(|&c| if c == none { 0 } else { dictionary[c as usize] })
            .collect();
        // Nulls where `none`: a mask's bits, the one chunk it is built in.
        let validity = match rows.contains(&none) {
            true => BooleanChunked::from_iter_values("".into(), rows.iter().map(|&c| c != none))
                .downcast_iter()
                .next()
                .map(|mask| mask.values().clone()),
            false => None,
        };
        let physical = UInt32Chunked::from_vec_validity(name.into(), values, validity);
        let dtype = DataType::Categorical(cats, mapping);
        // SAFETY: every value is one `insert_cat` gave for this mapping
        // (a null's value is never read), and the dtype is the 32-bit
        // categorical of that mapping: what the checked constructor would
        // verify row by row, one dictionary lookup each.
        let column =
            unsafe { Categorical32Chunked::from_cats_and_dtype_unchecked(physical, dtype) };
        Ok(column.into_series().into_column())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_first_sight_and_ids_come_back_in_code_order() {
        let mut c = Codes::default();
        assert_eq!(c.code("A2"), 0);
        assert_eq!(c.code("A1"), 1);
        assert_eq!(c.code("A2"), 0);
        assert_eq!(c.code("a1"), 2, "ids are exact text");
        assert_eq!(c.ids(), vec!["A2", "A1", "a1"]);
        assert_eq!((c.get("A1"), c.get("A3"), c.len()), (Some(1), None, 3));
    }

    #[test]
    fn short_and_long_ids_are_exact() {
        // 22 bytes (inline), 23 and a GUID (boxed), a prefix of one, an
        // id with a multi-byte character, and the empty id.
        let ids = [
            "0065g00000AbCdEfGhIjKl",
            "0065g00000AbCdEfGhIjKlM",
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "0065g00000AbCdEfGhIjK",
            "Zürich-7",
            "",
        ];
        let c = Codes::of(ids.iter().copied());
        assert_eq!(c.ids(), ids.to_vec());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(c.get(id), Some(i as u32), "{id}");
        }
        assert_eq!(c.get("0065g00000AbCdEfGhIjKlMN"), None);
        assert_eq!(c.get("3F2504E0-4F89-11D3-9A0C-0305E82C3301"), None);
        assert_eq!(c.get("Zurich-7"), None);
        assert_eq!(Codes::of(["A1", "A1", "B"].into_iter()).len(), 2);
    }

    #[test]
    fn few_ids_and_many_code_alike() {
        // The same ids coded one by one past FEW (compared packed, then
        // hashed), and with a long id early (hashed from the start).
        let ids: Vec<String> = (0..40).map(|i| format!("M{i:02}")).collect();
        let mut few_first = Codes::default();
        let mut long_first = Codes::default();
        let long = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
        assert_eq!(long_first.code(long), 0);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(few_first.code(id), i as u32, "{id}");
            assert_eq!(long_first.code(id), i as u32 + 1, "{id}");
            // Every id seen so far keeps its code, the next one is unseen.
            assert_eq!(few_first.get(&ids[0]), Some(0));
            assert_eq!(few_first.get(id), Some(i as u32));
            if let Some(next) = ids.get(i + 1) {
                assert_eq!(few_first.get(next), None);
            }
        }
        assert_eq!(few_first.len(), 40);
        assert_eq!(few_first.code(&ids[3]), 3, "past FEW, still found");
        assert_eq!(few_first.get(long), None);
        assert_eq!(long_first.get(long), Some(0));
        // A long id while few: not seen, then coded and found.
        let mut c = Codes::of(["A", "B"].into_iter());
        assert_eq!(c.get(long), None);
        assert_eq!(c.code(long), 2);
        assert_eq!(
            (c.get("A"), c.get("B"), c.get(long)),
            (Some(0), Some(1), Some(2))
        );
        // Packed with the length: a prefix, an id with a NUL at its end,
        // 22 bytes (packed) and 23 (not) are four ids.
        let mut c = Codes::default();
        let ids = [
            "AB",
            "AB\0",
            "0065g00000AbCdEfGhIjKl",
            "0065g00000AbCdEfGhIjKlM",
        ];
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(c.code(id), i as u32, "{id:?}");
        }
        assert_eq!(c.ids(), ids.to_vec());
        assert_eq!(c.get("A"), None);
        assert_eq!(Codes::of(ids.into_iter()), c, "equal whatever the path");
    }

    #[test]
    fn bytes_are_coded_as_their_text() {
        let mut c = Codes::default();
        assert_eq!(c.code_bytes(b"Z\xc3\xbcrich"), 0);
        assert_eq!(c.code("Zürich"), 0);
        assert_eq!(c.code_bytes(b""), 1);
        // Not UTF-8 (Windows-1252's ü): coded as its lossy text, the same
        // code each time.
        assert_eq!(c.code_bytes(b"Z\xfcrich"), 2);
        assert_eq!(c.code_bytes(b"Z\xfcrich"), 2);
        assert_eq!(c.ids(), vec!["Zürich", "", "Z\u{FFFD}rich"]);
    }
}
