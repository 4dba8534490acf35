//! NSAT (SPEC §3.4): net satisfaction of the survey responses on the
//! accounts of each member (through `accounts.owner_id`) and of the team,
//! per fiscal quarter, for the eight quarters up to the one that holds the
//! cut-off D, with the change from the previous quarter and from the same
//! quarter a year before (computed from the data even when that quarter is
//! not shown).
//!
//! NSAT = 100 + 100 × (VSAT − DSAT) / responses, exact (a [`Rational`]),
//! from 0 (all dissatisfied) to 200 (all very satisfied); responses count
//! the valid answers (VSAT, DSAT and neutral), excluded answers ("Don't
//! know", N/A, blank) are counted apart; no responses: missing. A figure
//! with fewer than `min_responses` responses (none included) is
//! low-sample. Responses dated after D do not exist for the report.
//!
//! Beside the exact figure, an approximate 95 % interval (adjusted Wald on
//! the difference of two proportions of one sample): n′ = n + 3,
//! pV = (V + 0.75)/n′, pD = (D + 0.75)/n′, d = pV − pD,
//! se = √((pV + pD − d²)/n′), bounds 100 + 100 × (d ± 1.96 se) clamped to
//! 0–200 and rounded to 2 decimals (f64: the interval is not exact by
//! nature). A change is significant when the two quarters' intervals, as
//! shown, do not overlap and neither quarter is low-sample; missing when
//! either quarter has no responses.
//!
//! Responses on accounts outside accounts.csv, on accounts without an
//! owner, or owned by an id outside the members in scope count for no
//! member and not for the team; under `--territory`, `--vertical` or
//! `--segment` only the accounts in scope count.

use std::collections::{BTreeMap, BTreeSet};

use crate::calendar::Range;
use crate::ingest::{Account, Answer, Response};
use crate::num::Rational;
use crate::report::{Cell, Table};

use super::kpi::{Kpi, KpiId, Value};
use super::{holders, row_head, Context, Holder};

/// Quarters shown.
pub const SHOWN: usize = 8;
/// Quarters computed: the shown ones and the four before (for change_yoy).
const COMPUTED: usize = SHOWN + 4;

/// The answers of one account, member or the team in one window. Counts
/// of rows held in memory, so never near `u32::MAX`; 16 bytes a tally
/// (hundreds of thousands of accounts × 13 windows).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub vsat: u32,
    pub dsat: u32,
    pub neutral: u32,
    /// Excluded answers ("Don't know", N/A, blank): not responses.
    pub excluded: u32,
}

impl Tally {
    /// Counts one answer.
    pub fn add(&mut self, a: Answer) {
        match a {
            Answer::Vsat => self.vsat += 1,
            Answer::Dsat => self.dsat += 1,
            Answer::Neutral => self.neutral += 1,
            Answer::Excluded => self.excluded += 1,
        }
    }

    /// Adds another tally (an account's to its owner's).
    fn plus(&mut self, o: &Tally) {
        self.vsat += o.vsat;
        self.dsat += o.dsat;
        self.neutral += o.neutral;
        self.excluded += o.excluded;
    }

    /// Valid answers: VSAT + DSAT + neutral.
    pub fn responses(&self) -> i64 {
        i64::from(self.vsat) + i64::from(self.dsat) + i64::from(self.neutral)
    }

    /// NSAT = 100 + 100 × (VSAT − DSAT) / responses; `None` without responses.
    pub fn nsat(&self) -> Option<Rational> {
        nsat(self.vsat.into(), self.dsat.into(), self.responses())
    }

    /// Fewer responses than `min` (no responses included).
    pub fn low_sample(&self, min: u32) -> bool {
        self.responses() < min as i64
    }

    /// The adjusted-Wald interval, rounded to 2 decimals; `None` without
    /// responses.
    pub fn interval(&self) -> Option<(f64, f64)> {
        interval(self.vsat.into(), self.dsat.into(), self.responses())
    }
}

/// NSAT = 100 + 100 × (vsat − dsat) / responses, exact; `None` when
/// responses is 0.
pub fn nsat(vsat: i64, dsat: i64, responses: i64) -> Option<Rational> {
    Rational::new(100 * (vsat as i128 - dsat as i128), responses as i128)
        .map(|r| r + Rational::from_int(100))
}

/// The adjusted-Wald 95 % interval of NSAT (see the module docs), each
/// bound clamped to 0–200 and rounded to 2 decimals half away from zero;
/// `None` when `n` is 0.
pub fn interval(vsat: i64, dsat: i64, n: i64) -> Option<(f64, f64)> {
    if n <= 0 {
        return None;
    }
    let n1 = n as f64 + 3.0;
    let pv = (vsat as f64 + 0.75) / n1;
    let pd = (dsat as f64 + 0.75) / n1;
    let d = pv - pd;
    let se = ((pv + pd - d * d) / n1).max(0.0).sqrt();
    let bound = |x: f64| {
        let v = (100.0 + 100.0 * x).clamp(0.0, 200.0);
        (v * 100.0).round() / 100.0
    };
    Some((bound(d - 1.96 * se), bound(d + 1.96 * se)))
}

/// Whether NSAT changed significantly from `before` to `now`: the shown
/// intervals do not overlap and neither side is low-sample. `None` when
/// either side has no responses.
pub fn significant(now: &Tally, before: &Tally, min: u32) -> Option<bool> {
    let (a, b) = (now.interval()?, before.interval()?);
    if now.low_sample(min) || before.low_sample(min) {
        return Some(false);
    }
    Some(a.1 < b.0 || b.1 < a.0)
}

/// The tallies of a run over some windows (one entry per window).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tallies {
    /// The team's accounts (in account scope, owned by a member in scope),
    /// by id, every one with or without responses.
    pub by_account: BTreeMap<String, Vec<Tally>>,
    /// Every member in scope, by id.
    pub by_member: BTreeMap<String, Vec<Tally>>,
    /// Σ over the team's accounts.
    pub team: Vec<Tally>,
    /// Accounts in account scope without an owner that hold responses
    /// (which then count for nobody), for a warning.
    pub unowned: BTreeSet<String>,
}

/// Counts the responses dated up to D in each window (a response counts in
/// every window that holds its date).
pub fn tally(
    ctx: &Context,
    accounts: &[Account],
    responses: &[Response],
    windows: &[Range],
) -> Tallies {
    let n = windows.len();
    let mut out = Tallies {
        by_member: ctx
            .members
            .iter()
            .map(|m| (m.id.clone(), vec![Tally::default(); n]))
            .collect(),
        team: vec![Tally::default(); n],
        ..Tallies::default()
    };
    // Each response carries its account's position in `accounts`: tallied
    // in that account's slots, no lookup by id (millions of responses).
    // The slots of the team's accounts become `by_account`'s values as
    // they are (not copied: 13 windows of hundreds of thousands of
    // accounts).
    let holders = holders(ctx, accounts);
    let mut slots: Vec<Vec<Tally>> = holders
        .iter()
        .map(|h| match h {
            Holder::Member(_) => vec![Tally::default(); n],
            Holder::Unowned | Holder::Nobody => Vec::new(),
        })
        .collect();
    let mut unowned_seen = vec![false; accounts.len()];
    for r in responses.iter().filter(|r| r.date <= ctx.cutoff) {
        let Some(i) = r.account.map(|a| a as usize) else {
            continue;
        };
        match holders.get(i) {
            Some(Holder::Member(_)) => {
                for (w, slot) in windows.iter().zip(slots[i].iter_mut()) {
                    if w.contains(r.date) {
                        slot.add(r.answer);
                    }
                }
            }
            Some(Holder::Unowned) => unowned_seen[i] = true,
            Some(Holder::Nobody) | None => {}
        }
    }
    for (i, a) in accounts.iter().enumerate() {
        let t = std::mem::take(&mut slots[i]);
        match holders[i] {
            Holder::Member(o) => {
                if let Some(m) = out.by_member.get_mut(o) {
                    m.iter_mut().zip(&t).for_each(|(m, a)| m.plus(a));
                }
                out.team.iter_mut().zip(&t).for_each(|(m, a)| m.plus(a));
                out.by_account.insert(a.id.clone(), t);
            }
            Holder::Unowned if unowned_seen[i] => {
                out.unowned.insert(a.id.clone());
            }
            Holder::Unowned | Holder::Nobody => {}
        }
    }
    out
}

/// A fiscal quarter: its label (`FY2013-Q1`) and dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarter {
    pub label: String,
    pub range: Range,
}

/// The `COMPUTED` quarters up to the one that holds D, oldest first (the
/// last `SHOWN` are shown; the four before give the first changes).
pub fn quarters(ctx: &Context) -> anyhow::Result<Vec<Quarter>> {
    let cal = ctx.fy.calendar();
    let (y, q) = cal.quarter_of(ctx.cutoff)?;
    let last = y as i64 * 4 + q as i64 - 1;
    let mut out = Vec::with_capacity(COMPUTED);
    for idx in last + 1 - COMPUTED as i64..=last {
        let (y, q) = (idx.div_euclid(4) as i32, idx.rem_euclid(4) as u32 + 1);
        out.push(Quarter {
            label: format!("FY{y}-Q{q}"),
            range: cal.year(y)?.quarter(q),
        });
    }
    Ok(out)
}

/// The NSAT trend of a run: the quarters and their tallies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trend {
    /// `COMPUTED` quarters, oldest first.
    pub quarters: Vec<Quarter>,
    pub tallies: Tallies,
    /// `[nsat] min_responses`.
    pub min_responses: u32,
}

/// Tallies the responses per quarter.
pub fn compute(
    ctx: &Context,
    accounts: &[Account],
    responses: &[Response],
    min_responses: u32,
) -> anyhow::Result<Trend> {
    Ok(trend_and_values(ctx, accounts, responses, min_responses)?.0)
}

/// The scorecard's NSAT values: `Some(member_id)` for each member in
/// scope, `None` for the team.
pub type NsatValues = BTreeMap<Option<String>, NsatKpi>;

/// The trend and the scorecard's values from one tally of the responses
/// (millions on a large export): the `COMPUTED` quarters, then the YTD
/// window; the quarter that holds D is the trend's last.
pub fn trend_and_values(
    ctx: &Context,
    accounts: &[Account],
    responses: &[Response],
    min_responses: u32,
) -> anyhow::Result<(Trend, NsatValues)> {
    let quarters = quarters(ctx)?;
    let (_, q) = ctx.fy.calendar().quarter_of(ctx.cutoff)?;
    let last = quarters.len() - 1;
    let mut windows: Vec<Range> = quarters.iter().map(|q| q.range).collect();
    windows.push(Range {
        start: ctx.fy.start,
        end: ctx.cutoff,
    });
    let mut t = tally(ctx, accounts, responses, &windows);
    let kpi = |v: &[Tally]| NsatKpi {
        quarter_label: quarters[last].label.clone(),
        period: crate::calendar::Period::Quarter(q),
        quarter: v[last],
        ytd: v[last + 1],
        min_responses,
    };
    let mut values: NsatValues = t
        .by_member
        .iter()
        .map(|(id, v)| (Some(id.clone()), kpi(v)))
        .collect();
    values.insert(None, kpi(&t.team));
    // The trend holds the quarters alone.
    for v in t.by_account.values_mut().chain(t.by_member.values_mut()) {
        v.truncate(last + 1);
    }
    t.team.truncate(last + 1);
    let trend = Trend {
        quarters,
        tallies: t,
        min_responses,
    };
    Ok((trend, values))
}

/// The figure columns after the row head and `period`, in order.
const FIGURES: [&str; 12] = [
    "responses",
    "vsat",
    "dsat",
    "nsat",
    "change_prev",
    "change_yoy",
    "low_sample",
    "excluded",
    "interval_low",
    "interval_high",
    "change_prev_significant",
    "change_yoy_significant",
];

/// The figure cells of shown quarter `i` (index into all `COMPUTED`).
fn cells(t: &[Tally], i: usize, min: u32) -> Vec<Cell> {
    let now = &t[i];
    let change = |before: &Tally| match (now.nsat(), before.nsat()) {
        (Some(a), Some(b)) => Cell::Ratio(a - b),
        _ => Cell::Missing,
    };
    let sig = |before: &Tally| significant(now, before, min).map_or(Cell::Missing, Cell::Bool);
    let (low, high) = match now.interval() {
        Some((l, h)) => (Cell::Float(l), Cell::Float(h)),
        None => (Cell::Missing, Cell::Missing),
    };
    vec![
        Cell::Count(now.responses()),
        Cell::Count(now.vsat.into()),
        Cell::Count(now.dsat.into()),
        Cell::ratio(now.nsat()),
        change(&t[i - 1]),
        change(&t[i - 4]),
        Cell::Bool(now.low_sample(min)),
        Cell::Count(now.excluded.into()),
        low,
        high,
        sig(&t[i - 1]),
        sig(&t[i - 4]),
    ]
}

/// The `nsat` table (SPEC §6): for each member in scope, then the team,
/// one row per shown quarter, oldest first.
pub fn table(ctx: &Context, trend: &Trend) -> Table {
    let mut cols = vec!["scope", "member_id", "name", "period"];
    cols.extend(FIGURES);
    let mut t = Table::new("nsat", "NSAT by quarter", &cols);
    let empty = vec![Tally::default(); COMPUTED];
    for m in ctx.rows() {
        let tallies = match m {
            Some(m) => trend.tallies.by_member.get(&m.id).unwrap_or(&empty),
            None => &trend.tallies.team,
        };
        for i in COMPUTED - SHOWN..COMPUTED {
            let mut row = row_head(m, &ctx.team_name);
            row.push(Cell::text(&trend.quarters[i].label));
            row.extend(cells(tallies, i, trend.min_responses));
            t.push(row);
        }
    }
    t
}

/// The `nsat_by_account` table (`atu nsat --by account`): one row per
/// account of the team in scope (sorted by account_id) and shown quarter,
/// then the team's rows (account_id and owner_id empty, account_name the
/// team's name).
pub fn account_table(ctx: &Context, accounts: &[Account], trend: &Trend) -> Table {
    let mut cols = vec!["account_id", "account_name", "owner_id", "period"];
    cols.extend(FIGURES);
    let mut t = Table::new("nsat_by_account", "NSAT by account and quarter", &cols);
    let by_id: BTreeMap<&str, &Account> = accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    let text = |v: Option<&String>| v.map_or(Cell::Missing, Cell::text);
    let mut push = |head: &[Cell], tallies: &[Tally]| {
        for i in COMPUTED - SHOWN..COMPUTED {
            let mut row = head.to_vec();
            row.push(Cell::text(&trend.quarters[i].label));
            row.extend(cells(tallies, i, trend.min_responses));
            t.push(row);
        }
    };
    for (id, tallies) in &trend.tallies.by_account {
        let a = by_id.get(id.as_str());
        let head = [
            Cell::text(id),
            text(a.and_then(|a| a.name.as_ref())),
            text(a.and_then(|a| a.owner_id.as_ref())),
        ];
        push(&head, tallies);
    }
    let head = [Cell::Missing, Cell::text(&ctx.team_name), Cell::Missing];
    push(&head, &trend.tallies.team);
    t
}

/// NSAT of one member or the team for the scorecard: the quarter that
/// holds D (up to D) and the YTD window (the year's first day to D).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsatKpi {
    /// The quarter's label, e.g. `FY2013-Q3`.
    pub quarter_label: String,
    /// The quarter that holds D, as a period of the reported year.
    pub period: crate::calendar::Period,
    pub quarter: Tally,
    pub ytd: Tally,
    /// `[nsat] min_responses`.
    pub min_responses: u32,
}

impl NsatKpi {
    /// NSAT of the quarter that holds D; `None` without responses.
    pub fn quarter_nsat(&self) -> Option<Rational> {
        self.quarter.nsat()
    }

    /// NSAT over the YTD window; `None` without responses.
    pub fn ytd_nsat(&self) -> Option<Rational> {
        self.ytd.nsat()
    }

    /// The quarter's figure is low-sample.
    pub fn quarter_low_sample(&self) -> bool {
        self.quarter.low_sample(self.min_responses)
    }

    /// The YTD figure is low-sample.
    pub fn ytd_low_sample(&self) -> bool {
        self.ytd.low_sample(self.min_responses)
    }
}

/// The scorecard's NSAT KPIs of each row (SPEC §3.4, §3.7): the quarter
/// that holds D and the year to date. A low-sample figure gets no status
/// (too few answers to judge a commitment by) and says why.
pub fn kpis(ctx: &Context, values: &BTreeMap<Option<String>, NsatKpi>) -> Vec<Kpi> {
    let mut out = Vec::new();
    for who in ctx.rows() {
        let Some(v) = values.get(&who.map(|m| m.id.clone())) else {
            continue;
        };
        for (period, nsat, tally) in [
            (v.period, v.quarter_nsat(), &v.quarter),
            (crate::calendar::Period::Ytd, v.ytd_nsat(), &v.ytd),
        ] {
            let mut k = Kpi::of(ctx, who, KpiId::Nsat, period, Value::Ratio(nsat));
            if tally.low_sample(v.min_responses) {
                k.status = None;
                k.note = Some(format!(
                    "low sample ({} < {} answers)",
                    tally.responses(),
                    v.min_responses
                ));
            }
            out.push(k);
        }
    }
    out
}

/// The scorecard's NSAT values (see [`trend_and_values`]).
pub fn kpi_values(
    ctx: &Context,
    accounts: &[Account],
    responses: &[Response],
    min_responses: u32,
) -> anyhow::Result<NsatValues> {
    Ok(trend_and_values(ctx, accounts, responses, min_responses)?.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::nsat::{NsatScale, NsatSection};
    use crate::config::{Targets, Thresholds};
    use crate::ingest::Member;
    use chrono::NaiveDate;
    use Answer::{Dsat, Excluded, Neutral, Vsat};

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// A response on an account of `accounts`, by its position there as
    /// ingest codes it (`None` for an account not in it).
    fn response(accounts: &[Account], account: &str, day: &str, answer: Answer) -> Response {
        Response {
            account: accounts
                .iter()
                .position(|a| a.id == account)
                .map(|i| i as u32),
            date: date(day),
            answer,
        }
    }

    fn member(id: &str) -> Member {
        Member {
            id: id.to_string(),
            name: format!("Name {id}"),
            role: None,
            team: None,
            manager_id: None,
        }
    }

    fn account(id: &str, owner: Option<&str>) -> Account {
        Account {
            id: id.to_string(),
            name: Some(format!("Account {id}")),
            owner_id: owner.map(str::to_string),
            territory: None,
            vertical: None,
            segment: None,
        }
    }

    /// FY2013 (2012-07-01 – 2013-06-30), D = 2013-01-30, members M01, M02.
    fn ctx(accounts: Option<&[&str]>) -> Context {
        let fy = crate::calendar::Calendar::new(7, crate::calendar::NamedBy::End)
            .and_then(|c| c.year(2013))
            .expect("FY2013");
        Context {
            fy,
            cutoff: date("2013-01-30"),
            as_of: date("2013-01-30"),
            members: vec![member("M01"), member("M02")],
            roster: vec!["M01".to_string(), "M02".to_string()],
            team_name: "Team".to_string(),
            targets: Targets::default(),
            thresholds: Thresholds::default(),
            scope_label: String::new(),
            accounts: accounts.map(|a| a.iter().map(|s| s.to_string()).collect()),
            accounts_said: None,
        }
    }

    fn tally_of(answers: &[Answer]) -> Tally {
        let mut t = Tally::default();
        answers.iter().for_each(|a| t.add(*a));
        t
    }

    #[test]
    fn all_very_satisfied_is_200_all_dissatisfied_is_0() {
        // 100 + 100 × (5 − 0)/5 = 200; 100 + 100 × (0 − 5)/5 = 0.
        assert_eq!(tally_of(&[Vsat; 5]).nsat(), Some(Rational::from_int(200)));
        assert_eq!(tally_of(&[Dsat; 5]).nsat(), Some(Rational::ZERO));
        assert_eq!(
            tally_of(&[Neutral; 3]).nsat(),
            Some(Rational::from_int(100))
        );
        assert_eq!(Tally::default().nsat(), None);
        assert_eq!(
            tally_of(&[Excluded; 4]).nsat(),
            None,
            "excluded only: no responses"
        );
    }

    #[test]
    fn excluded_answers_are_out_of_the_denominator() {
        // V 2, D 1, neutral 1, excluded 3: responses 4 →
        // 100 + 100 × (2 − 1)/4 = 125 (not 100 + 100/7).
        let t = tally_of(&[Vsat, Vsat, Dsat, Neutral, Excluded, Excluded, Excluded]);
        assert_eq!(t.responses(), 4);
        assert_eq!(t.excluded, 3);
        assert_eq!(t.nsat(), Some(Rational::from_int(125)));
        // 1 V, 2 D of 3: 100 − 100/3 = 200/3 = 66.666…, exact.
        assert_eq!(nsat(1, 2, 3), Rational::new(200, 3));
    }

    #[test]
    fn mixed_case_labels_on_the_default_scale() {
        let s = crate::config::nsat::NsatScale::resolve(&Default::default(), "atu.toml").unwrap();
        let answers: Vec<Answer> = [
            "VERY SATISFIED",
            "very satisfied",
            "Somewhat Satisfied",
            "very Dissatisfied",
            "don't KNOW",
            "",
            "4",
        ]
        .iter()
        .map(|x| s.answer(Some(x)).expect("on the scale"))
        .collect();
        // V 3 (two labels + "4"), neutral 1, D 1, excluded 2: n = 5 →
        // 100 + 100 × 2/5 = 140.
        let t = tally_of(&answers);
        assert_eq!((t.vsat, t.neutral, t.dsat, t.excluded), (3, 1, 1, 2));
        assert_eq!(t.nsat(), Some(Rational::from_int(140)));
    }

    #[test]
    fn somewhat_dissatisfied_is_dsat_on_the_default_scale() {
        // Microsoft's NSAT standard: %DSAT = somewhat + very dissatisfied.
        // Three very satisfied, one somewhat satisfied, two somewhat
        // dissatisfied: V 3, neutral 1, D 2, n 6 →
        // 100 + 100 × (3 − 2)/6 = 116.666… → 116.67 (not 150: 2 is DSAT).
        let s = crate::config::nsat::NsatScale::resolve(&Default::default(), "atu.toml").unwrap();
        let answers: Vec<Answer> = [
            "4",
            "Very satisfied",
            "4",
            "3",
            "2",
            "Somewhat dissatisfied",
        ]
        .iter()
        .map(|x| s.answer(Some(x)).expect("on the scale"))
        .collect();
        let t = tally_of(&answers);
        assert_eq!((t.vsat, t.neutral, t.dsat, t.excluded), (3, 1, 2, 0));
        assert_eq!(t.nsat(), Rational::new(700, 6));
        assert_eq!(t.nsat().map(|r| r.to_fixed(2)), Some("116.67".to_string()));
    }

    #[test]
    fn configured_five_point_scale() {
        let section: NsatSection = toml::from_str(
            "vsat = [\"5\"]\nneutral = [\"3\", \"4\"]\ndsat = [\"1\", \"2\"]\nexcluded = [\"Don't know\"]",
        )
        .expect("toml");
        let s = NsatScale::resolve(&section, "atu.toml").expect("scale");
        let answers: Vec<Answer> = ["5", "5", "4", "3", "2", "1", "1", "Don't know"]
            .iter()
            .map(|x| s.answer(Some(x)).expect("on the scale"))
            .collect();
        // V 2, neutral 2, D 3, excluded 1: n = 7 →
        // 100 + 100 × (2 − 3)/7 = 600/7 = 85.714…
        let t = tally_of(&answers);
        assert_eq!((t.vsat, t.neutral, t.dsat, t.excluded), (2, 2, 3, 1));
        assert_eq!(t.nsat(), Rational::new(600, 7));
        assert_eq!(
            Rational::new(600, 7).map(|r| r.to_fixed(2)),
            Some("85.71".to_string())
        );
        assert_eq!(s.answer(Some("6")), None, "out of scale");
    }

    #[test]
    fn interval_small_case() {
        // V 3, D 1, n 5: n′ = 8, pV = 3.75/8 = 0.46875, pD = 1.75/8 =
        // 0.21875, d = 0.25, se = √((0.6875 − 0.0625)/8) = √0.078125 =
        // 0.2795085, 1.96 se = 0.5478367 → 100 + 100 × (0.25 ∓ 0.5478367)
        // = 70.21633 … 179.78367 → 70.22, 179.78.
        assert_eq!(interval(3, 1, 5), Some((70.22, 179.78)));
        // V 10 of 10: n′ = 13, pV = 10.75/13, pD = 0.75/13, d = 10/13 =
        // 0.7692308, se = √((11.5/13 − (10/13)²)/13) = 0.1501031,
        // 1.96 se = 0.2942021 → 147.50 … 206.34 clamped to 200.
        assert_eq!(interval(10, 0, 10), Some((147.5, 200.0)));
        // All dissatisfied, mirrored: 0 … 52.50.
        assert_eq!(interval(0, 10, 10), Some((0.0, 52.5)));
        assert_eq!(interval(0, 0, 0), None);
    }

    #[test]
    fn significance() {
        let good = Tally {
            vsat: 20,
            ..Tally::default()
        };
        let bad = Tally {
            dsat: 20,
            ..Tally::default()
        };
        // 20 V of 20: n′ = 23, pV = 20.75/23, pD = 0.75/23, d = 20/23 =
        // 0.8695652, se = √((21.5/23 − 0.7561437)/23) = √0.0077669 =
        // 0.0881301, 1.96 se = 0.1727350 → 169.68 … 204.23 → 200;
        // 20 D of 20, mirrored: −4.23 → 0 … 30.32.
        assert_eq!(good.interval(), Some((169.68, 200.0)));
        assert_eq!(bad.interval(), Some((0.0, 30.32)));
        assert_eq!(significant(&good, &bad, 10), Some(true));
        assert_eq!(significant(&bad, &good, 10), Some(true));
        // Low-sample on either side (20 < 30): never significant.
        assert_eq!(significant(&good, &bad, 30), Some(false));
        // Overlapping intervals: not significant.
        assert_eq!(significant(&good, &good, 10), Some(false));
        // 16 V, 2 D of 20 (the 2 others neutral): n′ = 23, d = 14/23 =
        // 0.6086957, se = √((19.5/23 − 0.3705104)/23) = 0.1440585 →
        // 132.63 … 189.11, which overlaps 169.68 … 200: not significant.
        let near = Tally {
            vsat: 16,
            dsat: 2,
            neutral: 2,
            ..Tally::default()
        };
        assert_eq!(near.interval(), Some((132.63, 189.11)));
        assert_eq!(significant(&good, &near, 10), Some(false));
        // 12 V, 8 D of 20: d = 4/23, se = 0.1983121 → 78.52 … 156.26,
        // below 169.68: significant.
        let mixed = Tally {
            vsat: 12,
            dsat: 8,
            ..Tally::default()
        };
        assert_eq!(mixed.interval(), Some((78.52, 156.26)));
        assert_eq!(significant(&good, &mixed, 10), Some(true));
        // A side without responses: missing.
        assert_eq!(significant(&good, &Tally::default(), 10), None);
        assert_eq!(significant(&Tally::default(), &good, 10), None);
    }

    #[test]
    fn quarters_and_cutoff() {
        let ctx = ctx(None);
        let q = quarters(&ctx).expect("quarters");
        assert_eq!(q.len(), 12);
        assert_eq!(q[0].label, "FY2010-Q4");
        assert_eq!(q[0].range.start, date("2010-04-01"));
        assert_eq!(q[4].label, "FY2011-Q4", "the first shown");
        assert_eq!(q[11].label, "FY2013-Q3");
        assert_eq!(q[11].range.start, date("2013-01-01"));
        assert_eq!(q[11].range.end, date("2013-03-31"));
        // A1 (M01), A2 (M02), A3 (no owner). Responses ON D count, after D
        // do not; ON a quarter's first day count for that quarter.
        let accounts = vec![
            account("A1", Some("M01")),
            account("A2", Some("M02")),
            account("A3", None),
        ];
        let rs = vec![
            response(&accounts, "A1", "2013-01-30", Vsat),
            response(&accounts, "A1", "2013-01-31", Dsat),
            response(&accounts, "A1", "2013-01-01", Neutral),
            response(&accounts, "A1", "2012-12-31", Dsat),
            response(&accounts, "A2", "2012-01-01", Vsat),
            response(&accounts, "A3", "2013-01-02", Vsat),
            response(&accounts, "A9", "2013-01-02", Vsat),
        ];
        let trend = compute(&ctx, &accounts, &rs, 10).expect("trend");
        let m01 = &trend.tallies.by_member["M01"];
        assert_eq!(m01[11], tally_of(&[Vsat, Neutral]));
        assert_eq!(m01[10], tally_of(&[Dsat]));
        let m02 = &trend.tallies.by_member["M02"];
        assert_eq!(m02[7], tally_of(&[Vsat]), "FY2012-Q3: the yoy base");
        assert_eq!(trend.tallies.team[11], tally_of(&[Vsat, Neutral]));
        assert_eq!(trend.tallies.unowned.iter().collect::<Vec<_>>(), vec!["A3"]);
        let t = table(&ctx, &trend);
        assert_eq!(t.rows.len(), 3 * 8);
        // M01 FY2013-Q3: 150, prev 0 → +150; yoy base missing.
        let row = &t.rows[7];
        assert_eq!(row[3], Cell::text("FY2013-Q3"));
        assert_eq!(row[7], Cell::Ratio(Rational::from_int(150)));
        assert_eq!(row[8], Cell::Ratio(Rational::from_int(150)));
        assert_eq!(row[9], Cell::Missing);
        assert_eq!(row[10], Cell::Bool(true), "2 < 10: low sample");
        assert_eq!(row[14], Cell::Bool(false), "low sample: not significant");
        assert_eq!(row[15], Cell::Missing);
        // Territory scope {A2}: M01 has nothing.
        let scoped = ctx_scoped();
        let trend = compute(&scoped, &accounts, &rs, 10).expect("trend");
        assert_eq!(trend.tallies.by_member["M01"], vec![Tally::default(); 12]);
        assert_eq!(trend.tallies.team[7], tally_of(&[Vsat]));
    }

    fn ctx_scoped() -> Context {
        ctx(Some(&["A2"]))
    }

    #[test]
    fn kpi_values_quarter_and_ytd() {
        let ctx = ctx(None);
        let accounts = vec![account("A1", Some("M01")), account("A2", Some("M02"))];
        // M01: Q3 {V, D} ; earlier in FY2013 {V, V}; FY2012 {D} (not YTD);
        // after D {D} (ignored). Quarter: 100 + 100 × 0/2 = 100; YTD
        // {V, D, V, V}: 100 + 100 × 2/4 = 150.
        let rs = vec![
            response(&accounts, "A1", "2013-01-05", Vsat),
            response(&accounts, "A1", "2013-01-30", Dsat),
            response(&accounts, "A1", "2012-07-01", Vsat),
            response(&accounts, "A1", "2012-12-31", Vsat),
            response(&accounts, "A1", "2012-06-30", Dsat),
            response(&accounts, "A1", "2013-01-31", Dsat),
        ];
        let k = kpi_values(&ctx, &accounts, &rs, 10).expect("kpis");
        let m01 = &k[&Some("M01".to_string())];
        assert_eq!(m01.quarter_label, "FY2013-Q3");
        assert_eq!(m01.quarter_nsat(), Some(Rational::from_int(100)));
        assert_eq!(m01.ytd_nsat(), Some(Rational::from_int(150)));
        assert!(m01.ytd_low_sample());
        let m02 = &k[&Some("M02".to_string())];
        assert_eq!((m02.quarter_nsat(), m02.ytd_nsat()), (None, None));
        assert_eq!(k[&None].ytd, m01.ytd);
        assert_eq!(k.len(), 3);
    }
}
