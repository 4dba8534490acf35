//! Text ids as dense integer codes (0, 1, 2, … in order of first sight):
//! the one interner that the passes over millions of lines share (the
//! accounts and products of penetration, the accounts of contacts and
//! survey responses). A code is found by one hashed lookup against the
//! distinct ids, each copied once into its own small allocation: far fewer
//! cache misses than a map whose keys point back into millions of rows, and
//! exact (ids are compared as text, never by hash alone).

use polars::prelude::PlHashMap;

/// Distinct ids and their codes.
#[derive(Clone, Debug, Default)]
pub struct Codes {
    map: PlHashMap<Box<str>, u32>,
}

impl Codes {
    /// The code of `id`, given the next free one when it is new.
    pub fn code(&mut self, id: &str) -> u32 {
        if let Some(&c) = self.map.get(id) {
            return c;
        }
        let c = self.map.len() as u32;
        self.map.insert(id.into(), c);
        c
    }

    /// The code of `id` when it has one.
    pub fn get(&self, id: &str) -> Option<u32> {
        self.map.get(id).copied()
    }

    /// True when `id` has a code.
    pub fn contains(&self, id: &str) -> bool {
        self.map.contains_key(id)
    }

    /// Number of distinct ids.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no id has a code.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The ids in code order.
    pub fn ids(&self) -> Vec<&str> {
        let mut out = vec![""; self.map.len()];
        for (id, &c) in &self.map {
            out[c as usize] = id;
        }
        out
    }
}

impl<'a> FromIterator<&'a str> for Codes {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Codes {
        let mut c = Codes::default();
        for id in iter {
            c.code(id);
        }
        c
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
        assert_eq!(c.get("A1"), Some(1));
        assert_eq!(c.get("a1"), None, "ids are exact text");
        assert!(c.contains("A2") && !c.contains("A3"));
        assert_eq!(c.len(), 2);
        assert_eq!(c.ids(), vec!["A2", "A1"]);
        let d: Codes = ["x", "y", "x"].into_iter().collect();
        assert_eq!(d.ids(), vec!["x", "y"]);
    }
}
