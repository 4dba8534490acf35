//! Text ids as dense integer codes (0, 1, 2, … in order of first sight),
//! for passes over millions of lines that group by ids (penetration's
//! accounts and products). A code is found by one hashed lookup against the
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

    /// The ids in code order.
    pub fn ids(&self) -> Vec<&str> {
        let mut out = vec![""; self.map.len()];
        for (id, &c) in &self.map {
            out[c as usize] = id;
        }
        out
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
    }
}
