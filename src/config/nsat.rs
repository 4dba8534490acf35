//! `[nsat]` in atu.toml (SPEC §3.4): which survey answers are VSAT, DSAT,
//! neutral or excluded, and the sample size below which a figure is
//! low-sample.
//!
//! Without `vsat` and `dsat` the scale is Microsoft's 4-point one, as its
//! NSAT standard defines %VSAT and %DSAT: `4` / "Very satisfied" (VSAT),
//! `3` / "Somewhat satisfied" (neutral: counts only in the responses),
//! `2` / "Somewhat dissatisfied" and `1` / "Very dissatisfied" (both DSAT).
//! With them the scale is exactly `vsat` + `neutral` + `dsat` + `excluded`. `excluded`
//! (default "Don't know", "N/A", "NA") replaces the default list when
//! given; a blank answer is always excluded. Labels match case and outer
//! spaces aside; anything else is an out-of-scale (invalid) answer.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use serde::Deserialize;

/// `[nsat]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NsatSection {
    /// Answers that are "very satisfied".
    pub vsat: Option<Vec<String>>,
    /// Answers that are "very dissatisfied" (or dissatisfied at all).
    pub dsat: Option<Vec<String>>,
    /// Valid answers that are neither.
    pub neutral: Option<Vec<String>>,
    /// Answers left out of the count ("Don't know", N/A).
    pub excluded: Option<Vec<String>>,
    /// Fewer responses than this flag a figure as low-sample (default 10).
    pub min_responses: Option<i64>,
}

/// What one survey answer counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Answer {
    /// Very satisfied: counts in responses and adds to NSAT.
    Vsat,
    /// Dissatisfied: counts in responses and takes from NSAT.
    Dsat,
    /// A valid answer that is neither: counts in responses only.
    Neutral,
    /// "Don't know", N/A, blank: not a response (counted apart).
    Excluded,
}

/// The resolved scale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsatScale {
    /// Lower-cased, trimmed label → what it counts as.
    labels: BTreeMap<String, Answer>,
    /// The labels as configured, per group, for messages.
    shown: [(Answer, Vec<String>); 4],
    /// `min_responses` (≥ 1, default 10).
    pub min_responses: u32,
}

const DEFAULT_VSAT: [&str; 2] = ["4", "Very satisfied"];
const DEFAULT_NEUTRAL: [&str; 2] = ["3", "Somewhat satisfied"];
/// Microsoft's NSAT standard: %DSAT = somewhat + very dissatisfied.
const DEFAULT_DSAT: [&str; 4] = ["2", "Somewhat dissatisfied", "1", "Very dissatisfied"];
const DEFAULT_EXCLUDED: [&str; 4] = ["Don't know", "Don\u{2019}t know", "N/A", "NA"];

impl NsatScale {
    /// Checks `[nsat]`: `vsat` and `dsat` together or neither, no blank
    /// label, no label in two groups, `min_responses` ≥ 1.
    pub fn resolve(s: &NsatSection, cfg_name: &str) -> Result<NsatScale> {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (vsat, neutral, dsat) = match (&s.vsat, &s.dsat) {
            (Some(v), Some(d)) => (v.clone(), s.neutral.clone().unwrap_or_default(), d.clone()),
            (None, None) => {
                if s.neutral.is_some() {
                    bail!("{cfg_name}: [nsat] neutral is set without vsat and dsat\nhelp: a configured scale lists every answer: [nsat] vsat = [\"5\"], neutral = [\"3\", \"4\"], dsat = [\"1\", \"2\"]");
                }
                (
                    own(&DEFAULT_VSAT),
                    own(&DEFAULT_NEUTRAL),
                    own(&DEFAULT_DSAT),
                )
            }
            (Some(_), None) | (None, Some(_)) => {
                let (has, lacks) = if s.vsat.is_some() {
                    ("vsat", "dsat")
                } else {
                    ("dsat", "vsat")
                };
                bail!("{cfg_name}: [nsat] sets {has} without {lacks}\nhelp: set both, e.g. [nsat] vsat = [\"5\"], neutral = [\"3\", \"4\"], dsat = [\"1\", \"2\"]");
            }
        };
        if vsat.is_empty() || dsat.is_empty() {
            bail!("{cfg_name}: [nsat] vsat and dsat each need at least one answer\nhelp: e.g. [nsat] vsat = [\"5\"], dsat = [\"1\", \"2\"]");
        }
        let excluded = s.excluded.clone().unwrap_or_else(|| own(&DEFAULT_EXCLUDED));
        let min = match s.min_responses {
            None => 10,
            Some(n) if n >= 1 => n.min(u32::MAX as i64) as u32,
            Some(n) => bail!("{cfg_name}: [nsat] min_responses = {n} is not at least 1\nhelp: set the number of responses below which NSAT is low-sample (default 10)"),
        };
        NsatScale::build(vsat, neutral, dsat, excluded, min, cfg_name)
    }

    fn build(
        vsat: Vec<String>,
        neutral: Vec<String>,
        dsat: Vec<String>,
        excluded: Vec<String>,
        min_responses: u32,
        cfg_name: &str,
    ) -> Result<NsatScale> {
        let shown = [
            (Answer::Vsat, vsat),
            (Answer::Neutral, neutral),
            (Answer::Dsat, dsat),
            (Answer::Excluded, excluded),
        ];
        let mut labels = BTreeMap::new();
        for (answer, list) in &shown {
            for label in list {
                let key = label.trim().to_lowercase();
                if key.is_empty() {
                    bail!("{cfg_name}: [nsat] {} has a blank answer\nhelp: remove the \"\" entry (a blank answer is always excluded)", key_name(*answer));
                }
                if let Some(other) = labels.insert(key, *answer) {
                    if other != *answer {
                        bail!("{cfg_name}: [nsat] \"{}\" is in both {} and {}\nhelp: keep each answer in one list", label.trim(), key_name(other), key_name(*answer));
                    }
                }
            }
        }
        Ok(NsatScale {
            labels,
            shown,
            min_responses,
        })
    }

    /// What an answer counts as: blank is excluded; `None` when it is not
    /// on the scale (an invalid row).
    pub fn answer(&self, raw: Option<&str>) -> Option<Answer> {
        let t = raw.map(str::trim).unwrap_or("");
        if t.is_empty() {
            return Some(Answer::Excluded);
        }
        self.labels.get(&t.to_lowercase()).copied()
    }

    /// The scale in words, for the out-of-scale message:
    /// `vsat: 4, Very satisfied; neutral: …; dsat: …; excluded: …, blank`.
    pub fn describe(&self) -> String {
        self.shown
            .iter()
            .map(|(a, list)| {
                let mut words: Vec<&str> = list.iter().map(|s| s.trim()).collect();
                if *a == Answer::Excluded {
                    words.push("blank");
                }
                format!("{}: {}", key_name(*a), words.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The `[nsat]` key of a group.
fn key_name(a: Answer) -> &'static str {
    match a {
        Answer::Vsat => "vsat",
        Answer::Dsat => "dsat",
        Answer::Neutral => "neutral",
        Answer::Excluded => "excluded",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(toml_text: &str) -> NsatSection {
        toml::from_str(toml_text).expect("toml")
    }

    #[test]
    fn default_scale_any_case() {
        let s = NsatScale::resolve(&NsatSection::default(), "atu.toml").unwrap();
        assert_eq!(s.answer(Some("4")), Some(Answer::Vsat));
        assert_eq!(s.answer(Some(" very SATISFIED ")), Some(Answer::Vsat));
        // Microsoft's NSAT standard: %DSAT is somewhat + very dissatisfied;
        // somewhat satisfied counts only in the responses.
        assert_eq!(s.answer(Some("Somewhat Satisfied")), Some(Answer::Neutral));
        assert_eq!(s.answer(Some("3")), Some(Answer::Neutral));
        assert_eq!(s.answer(Some("Somewhat Dissatisfied")), Some(Answer::Dsat));
        assert_eq!(s.answer(Some("2")), Some(Answer::Dsat));
        assert_eq!(s.answer(Some("VERY DISSATISFIED")), Some(Answer::Dsat));
        assert_eq!(s.answer(Some("1")), Some(Answer::Dsat));
        for x in ["don't know", "DON’T KNOW", "n/a", "Na", "", "  "] {
            assert_eq!(s.answer(Some(x)), Some(Answer::Excluded), "{x:?}");
        }
        assert_eq!(s.answer(None), Some(Answer::Excluded));
        assert_eq!(s.answer(Some("5")), None);
        assert_eq!(s.min_responses, 10);
    }

    #[test]
    fn configured_scale_is_exactly_the_lists() {
        let s = NsatScale::resolve(
            &section(
                "vsat = [\"5\", \"Very satisfied\"]\ndsat = [\"1\", \"2\"]\nneutral = [\"3\", \"4\"]\nexcluded = [\"Don't know\"]\nmin_responses = 5",
            ),
            "atu.toml",
        )
        .expect("scale");
        assert_eq!(s.answer(Some("5")), Some(Answer::Vsat));
        assert_eq!(s.answer(Some("4")), Some(Answer::Neutral));
        assert_eq!(s.answer(Some("2")), Some(Answer::Dsat));
        assert_eq!(s.answer(Some("don't KNOW")), Some(Answer::Excluded));
        assert_eq!(
            s.answer(Some("N/A")),
            None,
            "excluded replaces the default list"
        );
        assert_eq!(s.answer(Some("Very dissatisfied")), None);
        assert_eq!(s.min_responses, 5);
    }

    #[test]
    fn bad_sections() {
        let err = |t: &str| {
            NsatScale::resolve(&section(t), "atu.toml")
                .expect_err(t)
                .to_string()
        };
        assert!(err("vsat = [\"5\"]").contains("[nsat] sets vsat without dsat"));
        assert!(err("neutral = [\"3\"]").contains("neutral is set without vsat and dsat"));
        assert!(err("vsat = [\"5\"]\ndsat = [\"5\"]").contains("\"5\" is in both vsat and dsat"));
        assert!(err("vsat = [\" \"]\ndsat = [\"1\"]").contains("vsat has a blank answer"));
        assert!(err("min_responses = 0").contains("min_responses = 0 is not at least 1"));
        assert!(err("vsat = []\ndsat = [\"1\"]").contains("at least one answer"));
    }
}
