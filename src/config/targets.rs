//! `[targets]` and `[status]` of atu.toml: the commitment of each KPI,
//! team-wide or per member (`[targets.members.<id>]`), and the thresholds
//! that turn a value and its target into green, yellow or red. Numbers are
//! kept as exact decimals so that a value exactly at a threshold is green.

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use crate::num::Rational;

/// Targets by KPI, team-wide and per member.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Targets {
    /// KPI → target for the team and every member without their own.
    pub team: BTreeMap<String, Rational>,
    /// Member id → KPI → target.
    pub members: BTreeMap<String, BTreeMap<String, Rational>>,
}

fn number(v: &toml::Value, what: &str, cfg: &str) -> Result<Rational> {
    let r = match v {
        toml::Value::Integer(i) => Some(Rational::from_int(*i as i128)),
        toml::Value::Float(f) => Rational::from_f64_decimal(*f),
        // "75%", as a spreadsheet writes it: 75.
        toml::Value::String(s) if s.trim().ends_with('%') => Rational::parse_percent(s),
        _ => None,
    };
    match r {
        Some(r) => Ok(r),
        None => bail!("{cfg}: target {what} = {v} is not a number\nhelp: write e.g. attainment = 100 (or \"100%\") under [targets]"),
    }
}

impl Targets {
    /// Reads the `[targets]` table.
    pub fn from_toml(t: Option<&toml::Table>, cfg: &str) -> Result<Targets> {
        let mut out = Targets::default();
        let Some(t) = t else { return Ok(out) };
        for (k, v) in t {
            if k == "members" {
                let Some(members) = v.as_table() else {
                    bail!("{cfg}: [targets.members] must be a table of member ids\nhelp: write [targets.members.M01] then attainment = 110");
                };
                for (id, kpis) in members {
                    let Some(kpis) = kpis.as_table() else {
                        bail!("{cfg}: [targets.members.{id}] must be a table of KPI targets\nhelp: write [targets.members.{id}] then attainment = 110");
                    };
                    let mut m = BTreeMap::new();
                    for (kpi, v) in kpis {
                        m.insert(kpi.clone(), number(v, &format!("members.{id}.{kpi}"), cfg)?);
                    }
                    out.members.insert(id.clone(), m);
                }
            } else if super::TOP_LEVEL_KEYS.contains(&k.as_str()) {
                bail!("{cfg}: {k} is under [targets], where it is not a KPI\nhelp: {k} is a top-level key: move it above the first [section] of the file");
            } else {
                out.team.insert(k.clone(), number(v, k, cfg)?);
            }
        }
        Ok(out)
    }

    /// The target of `kpi` for a member (their own, else the team-wide one),
    /// or for the team when `member` is `None`.
    pub fn get(&self, kpi: &str, member: Option<&str>) -> Option<Rational> {
        if let Some(id) = member {
            if let Some(v) = self.members.get(id).and_then(|m| m.get(kpi)) {
                return Some(*v);
            }
        }
        self.team.get(kpi).copied()
    }

    /// Target names that match no KPI atu computes ([`crate::kpis::KpiId`])
    /// and none of `extra` (kpis.csv's): likely typos, for a warning.
    pub fn unknown_names(&self, extra: &[String]) -> Vec<String> {
        let mut names: Vec<String> = self
            .team
            .keys()
            .chain(self.members.values().flat_map(|m| m.keys()))
            .filter(|k| crate::kpis::KpiId::parse(k).is_none() && !extra.contains(k))
            .cloned()
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// `green_at` and `yellow_at` (SPEC §3.7).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    pub green_at: Rational,
    pub yellow_at: Rational,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            green_at: Rational::from_int(1),
            yellow_at: Rational::new(9, 10).unwrap_or(Rational::ZERO),
        }
    }
}

impl Thresholds {
    /// Checks the configured values (yellow_at ≤ green_at, both ≥ 0).
    pub fn new(green: Option<f64>, yellow: Option<f64>, cfg: &str) -> Result<Thresholds> {
        let d = Thresholds::default();
        let conv = |v: Option<f64>, def: Rational, key: &str| -> Result<Rational> {
            match v {
                None => Ok(def),
                Some(f) => match Rational::from_f64_decimal(f) {
                    Some(r) if !r.is_negative() => Ok(r),
                    _ => bail!("{cfg}: [status] {key} = {f} is not a non-negative number\nhelp: e.g. green_at = 1.0, yellow_at = 0.9"),
                },
            }
        };
        let t = Thresholds {
            green_at: conv(green, d.green_at, "green_at")?,
            yellow_at: conv(yellow, d.yellow_at, "yellow_at")?,
        };
        if t.yellow_at > t.green_at {
            bail!("{cfg}: [status] yellow_at is above green_at\nhelp: yellow_at must not exceed green_at, e.g. green_at = 1.0, yellow_at = 0.9");
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_targets_override_team() {
        let t: toml::Table =
            toml::from_str("attainment = 100\nwin_rate = 40.5\n[members.M01]\nattainment = 110\n")
                .unwrap();
        let targets = Targets::from_toml(Some(&t), "atu.toml").unwrap();
        assert_eq!(
            targets.get("attainment", Some("M01")),
            Some(Rational::from_int(110))
        );
        assert_eq!(
            targets.get("attainment", Some("M02")),
            Some(Rational::from_int(100))
        );
        assert_eq!(
            targets.get("attainment", None),
            Some(Rational::from_int(100))
        );
        assert_eq!(targets.get("win_rate", None), Rational::new(81, 2));
        assert_eq!(targets.get("coverage", None), None);
    }

    #[test]
    fn a_top_level_key_under_targets_is_named() {
        let t: toml::Table = toml::from_str("encoding = \"windows-1252\"").unwrap();
        let e = Targets::from_toml(Some(&t), "atu.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "atu.toml: encoding is under [targets], where it is not a KPI\nhelp: encoding is a top-level key: move it above the first [section] of the file"
        );
    }

    #[test]
    fn percent_strings_are_targets() {
        let t: toml::Table =
            toml::from_str("members_at_quota = \"75%\"\n[members.M01]\nattainment = \"112.5 %\"\n")
                .unwrap();
        let targets = Targets::from_toml(Some(&t), "atu.toml").unwrap();
        assert_eq!(
            targets.get("members_at_quota", None),
            Some(Rational::from_int(75))
        );
        assert_eq!(
            targets.get("attainment", Some("M01")),
            Rational::new(225, 2)
        );
        // A string without % stays an error: "100" may be a typo for 100.
        let t: toml::Table = toml::from_str("attainment = \"100\"").unwrap();
        let e = Targets::from_toml(Some(&t), "atu.toml").unwrap_err();
        assert!(e.to_string().contains("(or \"100%\")"), "{e}");
    }

    #[test]
    fn bad_targets_and_thresholds() {
        let t: toml::Table = toml::from_str("attainment = \"high\"").unwrap();
        assert!(Targets::from_toml(Some(&t), "atu.toml").is_err());
        assert!(Thresholds::new(Some(0.8), Some(0.9), "atu.toml").is_err());
        assert!(Thresholds::new(Some(-1.0), None, "atu.toml").is_err());
        let th = Thresholds::new(None, Some(0.95), "atu.toml").unwrap();
        assert_eq!(th.yellow_at, Rational::new(19, 20).unwrap());
    }

    #[test]
    fn typos_are_found() {
        let t: toml::Table = toml::from_str("atainment = 100\nwhi = 3\n").unwrap();
        let targets = Targets::from_toml(Some(&t), "atu.toml").unwrap();
        assert_eq!(
            targets.unknown_names(&["whi".to_string()]),
            vec!["atainment".to_string()]
        );
    }
}
