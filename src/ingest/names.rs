//! Who a row belongs to when exports name people rather than ids. A CRM
//! report often writes the owner's display name (`Daniel Ortega`) where atu
//! wants the roster's `member_id`, and a roster may have no id column at
//! all (then the id is the trimmed name). This module resolves such values:
//! an exact roster id first; else a roster name equal but for case and
//! spacing, when exactly one member has it. Ids themselves are matched
//! exactly (CRM ids such as Salesforce's are case-sensitive).

use std::collections::{BTreeMap, BTreeSet};

use super::Member;

/// A name folded for matching: lower case, runs of spaces (no-break ones
/// too) as one space, trimmed.
pub fn fold(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{00A0}' || c == '\u{202F}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How one owner value was resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A roster id as written.
    Id,
    /// A roster member's name: the member's id, and whether the value is
    /// spelled exactly as the roster's name.
    Name { id: String, exact: bool },
    /// A name that several members share: their ids.
    Ambiguous(Vec<String>),
    /// Neither an id nor a name of the roster.
    Unknown,
}

/// The roster's ids and names, for resolving owner values.
pub struct NameIndex {
    ids: BTreeSet<String>,
    /// Folded name → (id, name as the roster writes it) of each member.
    names: BTreeMap<String, Vec<(String, String)>>,
}

impl NameIndex {
    pub fn new(members: &[Member]) -> NameIndex {
        let mut names: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for m in members {
            names
                .entry(fold(&m.name))
                .or_default()
                .push((m.id.clone(), m.name.clone()));
        }
        NameIndex {
            ids: members.iter().map(|m| m.id.clone()).collect(),
            names,
        }
    }

    /// Resolves one value.
    pub fn resolve(&self, value: &str) -> Resolved {
        if self.ids.contains(value) {
            return Resolved::Id;
        }
        match self.names.get(&fold(value)).map(Vec::as_slice) {
            Some([(id, name)]) => Resolved::Name {
                id: id.clone(),
                exact: name == value,
            },
            Some(many) if many.len() > 1 => {
                Resolved::Ambiguous(many.iter().map(|(id, _)| id.clone()).collect())
            }
            _ => Resolved::Unknown,
        }
    }

    /// Roster names that differ only in case or spacing (`Julie`, `julie`):
    /// each group's spellings, for a warning.
    pub fn near_duplicates(&self) -> Vec<Vec<String>> {
        self.names
            .values()
            .filter(|v| v.len() > 1)
            .map(|v| v.iter().map(|(_, n)| n.clone()).collect())
            .collect()
    }
}

/// Resolves a set of distinct values: the rewrites (value → id) and the
/// warnings they call for (`what` names the column, e.g. `owner_id`).
pub fn resolve_all<'a>(
    index: &NameIndex,
    values: impl Iterator<Item = &'a str>,
    what: &str,
    files: &str,
) -> (BTreeMap<String, String>, Vec<String>) {
    let mut rewrites = BTreeMap::new();
    let mut respelled = Vec::new();
    let mut ambiguous = Vec::new();
    for v in values {
        match index.resolve(v) {
            Resolved::Id | Resolved::Unknown => {}
            Resolved::Name { id, exact } => {
                if !exact {
                    respelled.push(format!("\"{v}\""));
                }
                rewrites.insert(v.to_string(), id);
            }
            Resolved::Ambiguous(ids) => {
                ambiguous.push(format!("\"{v}\" ({})", ids.join(", ")));
            }
        }
    }
    let mut warnings = Vec::new();
    if !respelled.is_empty() {
        warnings.push(format!(
            "{files}: {what} spelled unlike the roster's name (case or spaces) is read as that member: {}",
            respelled.join(", ")
        ));
    }
    if !ambiguous.is_empty() {
        warnings.push(format!(
            "{files}: {what} names that several members share stay unassigned: {}; use member ids, or give the members distinct names",
            ambiguous.join(", ")
        ));
    }
    (rewrites, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str, name: &str) -> Member {
        Member {
            id: id.to_string(),
            name: name.to_string(),
            role: None,
            team: None,
            manager_id: None,
        }
    }

    #[test]
    fn folding() {
        assert_eq!(fold("  Julie\u{00A0} SMITH "), "julie smith");
        assert_eq!(fold("julie smith"), "julie smith");
    }

    #[test]
    fn ids_first_then_unique_names() {
        let idx = NameIndex::new(&[
            m("M1", "Daniel Ortega"),
            m("M2", "Ann Lee"),
            m("M3", "ann  lee"),
            m("005A0000001abcD", "Bo Li"),
        ]);
        assert_eq!(idx.resolve("M1"), Resolved::Id);
        assert_eq!(
            idx.resolve("Daniel Ortega"),
            Resolved::Name {
                id: "M1".into(),
                exact: true
            }
        );
        assert_eq!(
            idx.resolve("daniel  ORTEGA"),
            Resolved::Name {
                id: "M1".into(),
                exact: false
            }
        );
        assert_eq!(
            idx.resolve("Ann Lee"),
            Resolved::Ambiguous(vec!["M2".into(), "M3".into()])
        );
        // Ids are exact: case matters.
        assert_eq!(idx.resolve("005a0000001abcd"), Resolved::Unknown);
        assert_eq!(idx.resolve("m1"), Resolved::Unknown);
        assert_eq!(idx.near_duplicates(), vec![vec!["Ann Lee", "ann  lee"]]);
    }

    #[test]
    fn resolving_a_column_says_what_it_did() {
        let idx = NameIndex::new(&[m("M1", "Julie"), m("M2", "Ann Lee"), m("M3", "Ann Lee")]);
        let (rw, w) = resolve_all(
            &idx,
            ["M1", "Julie", "julie", "Ann Lee", "Nobody"].into_iter(),
            "owner_id",
            "o.csv",
        );
        assert_eq!(rw.len(), 2);
        assert_eq!(rw["Julie"], "M1");
        assert_eq!(rw["julie"], "M1");
        assert_eq!(w.len(), 2);
        assert!(w[0].contains("\"julie\""), "{}", w[0]);
        assert!(w[1].contains("\"Ann Lee\" (M2, M3)"), "{}", w[1]);
    }
}
