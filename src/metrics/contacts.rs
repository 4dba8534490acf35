//! Customer contacts (SPEC §3.5): how many contacts were active on the
//! fiscal year's first day and at the cut-off D, their growth, and the same
//! for executive contacts; per member through the account's owner
//! (`accounts.owner_id`), per account, and for the team.
//!
//! A contact is active at a date X when it was created on or before X and
//! has no inactive date or one after X (`Contact::active_at`), so a contact
//! inactive ON the first day is not active at the start, and one created ON
//! D is active at D. Contacts on accounts outside accounts.csv, on accounts
//! without an owner, or owned by an id outside the members in scope count
//! for no member and not for the team; under `--territory`, `--vertical` or
//! `--segment` only the accounts in scope count. Counts are whole numbers
//! and growth is exact (a [`Rational`]); a zero start makes growth missing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::ingest::{Account, Contact};
use crate::num::Rational;
use crate::report::{Cell, Table};

use super::kpi::{Kpi, KpiId, Value};
use super::{holders, row_head, Context, Holder};

/// Active contacts of one account, member or the team.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Active on the fiscal year's first day.
    pub start: i64,
    /// Active at D.
    pub asof: i64,
    /// Executive contacts active on the first day.
    pub exec_start: i64,
    /// Executive contacts active at D.
    pub exec_asof: i64,
}

impl Counts {
    /// Counts one contact at the year's first day `start` and at `d`.
    fn add(&mut self, c: &Contact, start: NaiveDate, d: NaiveDate) {
        let (at_start, at_d) = (c.active_at(start) as i64, c.active_at(d) as i64);
        self.start += at_start;
        self.asof += at_d;
        if c.executive {
            self.exec_start += at_start;
            self.exec_asof += at_d;
        }
    }

    /// Adds another set of counts (an account's to its owner's).
    fn plus(&mut self, o: &Counts) {
        self.start += o.start;
        self.asof += o.asof;
        self.exec_start += o.exec_start;
        self.exec_asof += o.exec_asof;
    }

    /// growth_pct = 100 × (asof − start) / start; missing when start is 0.
    pub fn growth_pct(&self) -> Option<Rational> {
        growth_pct(self.start, self.asof)
    }

    /// exec_growth_pct: the same over executive contacts.
    pub fn exec_growth_pct(&self) -> Option<Rational> {
        growth_pct(self.exec_start, self.exec_asof)
    }

    /// The six figure cells of a row, in the tables' column order.
    fn cells(&self) -> [Cell; 6] {
        [
            Cell::Count(self.start),
            Cell::Count(self.asof),
            Cell::percent(self.growth_pct()),
            Cell::Count(self.exec_start),
            Cell::Count(self.exec_asof),
            Cell::percent(self.exec_growth_pct()),
        ]
    }
}

/// 100 × (asof − start) / start, exact; `None` when start is 0.
pub fn growth_pct(start: i64, asof: i64) -> Option<Rational> {
    Rational::from_int(asof as i128 - start as i128).percent_of(Rational::from_int(start as i128))
}

/// The contact counts of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactCounts {
    /// The team's accounts: in account scope and owned by a member in
    /// scope, by id (every one, with or without contacts).
    pub by_account: BTreeMap<String, Counts>,
    /// Every member in scope, by id.
    pub by_member: BTreeMap<String, Counts>,
    /// Σ over the team's accounts (= Σ over the members).
    pub team: Counts,
    /// Accounts in account scope without an owner that hold contacts
    /// (which then count for nobody), for a warning.
    pub unowned: BTreeSet<String>,
}

/// Counts the contacts of the accounts in scope at the year's first day and
/// at D.
pub fn compute(ctx: &Context, accounts: &[Account], contacts: &[Contact]) -> ContactCounts {
    let (start, d) = (ctx.fy.start, ctx.cutoff);
    let mut out = ContactCounts {
        by_member: ctx
            .members
            .iter()
            .map(|m| (m.id.clone(), Counts::default()))
            .collect(),
        ..ContactCounts::default()
    };
    // Each contact carries its account's position in `accounts`: counted
    // in that account's slot, no lookup by id (millions of contacts).
    let holders = holders(ctx, accounts);
    let mut slots = vec![Counts::default(); accounts.len()];
    let mut unowned_seen = vec![false; accounts.len()];
    for c in contacts {
        let Some(i) = c.account.map(|a| a as usize) else {
            continue;
        };
        match holders.get(i) {
            Some(Holder::Member(_)) => slots[i].add(c, start, d),
            Some(Holder::Unowned) => unowned_seen[i] = true,
            Some(Holder::Nobody) | None => {}
        }
    }
    for (i, a) in accounts.iter().enumerate() {
        match holders[i] {
            Holder::Member(o) => {
                if let Some(m) = out.by_member.get_mut(o) {
                    m.plus(&slots[i]);
                }
                out.team.plus(&slots[i]);
                out.by_account.insert(a.id.clone(), slots[i]);
            }
            Holder::Unowned if unowned_seen[i] => {
                out.unowned.insert(a.id.clone());
            }
            Holder::Unowned | Holder::Nobody => {}
        }
    }
    out
}

/// The scorecard's contact KPIs of each row (SPEC §3.5): `contact_growth`
/// and `exec_contacts` (active executives at D).
pub fn kpis(ctx: &Context, counts: &ContactCounts) -> Vec<Kpi> {
    let mut out = Vec::new();
    for who in ctx.rows() {
        let c = match who {
            Some(m) => counts.by_member.get(&m.id).copied().unwrap_or_default(),
            None => counts.team,
        };
        out.push(Kpi::of(
            ctx,
            who,
            KpiId::ContactGrowth,
            crate::calendar::Period::Ytd,
            Value::Percent(c.growth_pct()),
        ));
        out.push(Kpi::of(
            ctx,
            who,
            KpiId::ExecContacts,
            crate::calendar::Period::Ytd,
            Value::Count(c.exec_asof),
        ));
    }
    out
}

/// The `contacts` table (SPEC §6): one row per member in scope, then the
/// team, with the extra column `exec_growth_pct`.
pub fn table(ctx: &Context, counts: &ContactCounts) -> Table {
    let mut t = Table::new(
        "contacts",
        "Customer contacts",
        &[
            "scope",
            "member_id",
            "name",
            "contacts_start",
            "contacts_asof",
            "growth_pct",
            "exec_start",
            "exec_asof",
            "exec_growth_pct",
        ],
    );
    for m in ctx.rows() {
        let c = match m {
            Some(m) => counts.by_member.get(&m.id).copied().unwrap_or_default(),
            None => counts.team,
        };
        let mut row = row_head(m, &ctx.team_name);
        row.extend(c.cells());
        t.push(row);
    }
    t
}

/// The `contacts_by_account` table (`atu contacts --by account`): one row
/// per account of the team in scope, sorted by account_id, then the team
/// total (account_id and owner_id empty, account_name the team's name).
pub fn account_table(ctx: &Context, accounts: &[Account], counts: &ContactCounts) -> Table {
    let mut t = Table::new(
        "contacts_by_account",
        "Customer contacts by account",
        &[
            "account_id",
            "account_name",
            "owner_id",
            "contacts_start",
            "contacts_asof",
            "growth_pct",
            "exec_start",
            "exec_asof",
            "exec_growth_pct",
        ],
    );
    let by_id: BTreeMap<&str, &Account> = accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    let text = |v: Option<&String>| v.map_or(Cell::Missing, Cell::text);
    for (id, c) in &counts.by_account {
        let a = by_id.get(id.as_str());
        let mut row = vec![
            Cell::text(id),
            text(a.and_then(|a| a.name.as_ref())),
            text(a.and_then(|a| a.owner_id.as_ref())),
        ];
        row.extend(c.cells());
        t.push(row);
    }
    let mut row = vec![Cell::Missing, Cell::text(&ctx.team_name), Cell::Missing];
    row.extend(counts.team.cells());
    t.push(row);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Targets, Thresholds};
    use crate::ingest::Member;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
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

    /// A contact (the id is the label the docs of the cases use) on an
    /// account of [`accounts`], by its position there as ingest codes it
    /// (`None` for an account not in it).
    fn contact(_id: &str, account: &str, created: &str, inactive: &str, exec: bool) -> Contact {
        Contact {
            account: accounts()
                .iter()
                .position(|a| a.id == account)
                .map(|i| i as u32),
            created: date(created),
            inactive: (!inactive.is_empty()).then(|| date(inactive)),
            executive: exec,
        }
    }

    /// FY2013 (2012-07-01 – 2013-06-30), D = 2013-01-30, the given members
    /// of a roster M01, M02, M03, and the accounts in scope (`None`: all).
    fn ctx(members: &[&str], accounts: Option<&[&str]>) -> Context {
        let fy = crate::calendar::Calendar::new(7, crate::calendar::NamedBy::End)
            .and_then(|c| c.year(2013))
            .expect("FY2013");
        Context {
            fy,
            cutoff: date("2013-01-30"),
            as_of: date("2013-01-30"),
            members: members.iter().map(|m| member(m)).collect(),
            roster: ["M01", "M02", "M03"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            team_name: "Team".to_string(),
            targets: Targets::default(),
            thresholds: Thresholds::default(),
            scope_label: String::new(),
            accounts: accounts.map(|a| a.iter().map(|s| s.to_string()).collect()),
            accounts_said: None,
        }
    }

    /// Accounts: A1 (M01), A2 (M02), A3 (M03, outside the members in scope
    /// of most tests), A4 (no owner), A5 (X99, not in the roster).
    fn accounts() -> Vec<Account> {
        vec![
            account("A1", Some("M01")),
            account("A2", Some("M02")),
            account("A3", Some("M03")),
            account("A4", None),
            account("A5", Some("X99")),
        ]
    }

    /// The boundary days, on A1 (M01):
    /// C1 created ON the first day 2012-07-01, exec → start ✓, D ✓ (exec both)
    /// C2 created 2011-05-01, inactive ON the first day → start ✗, D ✗
    /// C3 created ON D 2013-01-30, exec → start ✗, D ✓ (exec D)
    /// C4 created 2012-01-10, inactive ON D → start ✓, D ✗
    /// C5 created after D 2013-01-31, exec → start ✗, D ✗
    /// C6 created 2012-06-30 (day before), inactive 2013-01-31 (day after D)
    ///    → start ✓, D ✓
    /// C7 created 2012-03-01, inactive 2012-07-02 (day after start), exec
    ///    → start ✓ (exec start), D ✗
    /// start = C1, C4, C6, C7 = 4; D = C1, C3, C6 = 3 → 100 × (3 − 4)/4 = −25
    /// exec start = C1, C7 = 2; exec D = C1, C3 = 2 → 0
    fn boundary() -> Vec<Contact> {
        vec![
            contact("C1", "A1", "2012-07-01", "", true),
            contact("C2", "A1", "2011-05-01", "2012-07-01", true),
            contact("C3", "A1", "2013-01-30", "", true),
            contact("C4", "A1", "2012-01-10", "2013-01-30", false),
            contact("C5", "A1", "2013-01-31", "", true),
            contact("C6", "A1", "2012-06-30", "2013-01-31", false),
            contact("C7", "A1", "2012-03-01", "2012-07-02", true),
        ]
    }

    #[test]
    fn boundary_days() {
        let ctx = ctx(&["M01", "M02"], None);
        let got = compute(&ctx, &accounts(), &boundary());
        let a1 = Counts {
            start: 4,
            asof: 3,
            exec_start: 2,
            exec_asof: 2,
        };
        assert_eq!(got.by_account.get("A1"), Some(&a1));
        assert_eq!(got.by_member.get("M01"), Some(&a1));
        assert_eq!(a1.growth_pct(), Rational::new(-25, 1));
        assert_eq!(a1.exec_growth_pct(), Some(Rational::ZERO));
        // M02's A2 has no contacts: listed with zeros, growth missing.
        assert_eq!(got.by_account.get("A2"), Some(&Counts::default()));
        assert_eq!(got.by_member.get("M02"), Some(&Counts::default()));
        assert_eq!(Counts::default().growth_pct(), None);
        assert_eq!(got.team, a1);
    }

    #[test]
    fn owners_outside_scope_and_roster_count_for_nobody() {
        // M01: A1 — C1 (start ✓ D ✓ exec); M02: A2 — C2 (start ✗, D ✓),
        // C3 (start ✓, D ✓); A3 (M03, not in scope), A4 (no owner), A5
        // (X99), A9 (not in accounts.csv): one contact each, nobody's.
        let contacts = vec![
            contact("C1", "A1", "2012-01-01", "", true),
            contact("C2", "A2", "2012-08-01", "", false),
            contact("C3", "A2", "2012-01-01", "", false),
            contact("C4", "A3", "2012-01-01", "", true),
            contact("C5", "A4", "2012-01-01", "", true),
            contact("C6", "A5", "2012-01-01", "", true),
            contact("C7", "A9", "2012-01-01", "", true),
        ];
        let got = compute(&ctx(&["M01", "M02"], None), &accounts(), &contacts);
        let m01 = Counts {
            start: 1,
            asof: 1,
            exec_start: 1,
            exec_asof: 1,
        };
        let m02 = Counts {
            start: 1,
            asof: 2,
            exec_start: 0,
            exec_asof: 0,
        };
        assert_eq!(got.by_member.get("M01"), Some(&m01));
        assert_eq!(got.by_member.get("M02"), Some(&m02));
        // M02: 100 × (2 − 1)/1 = 100; executives 0/0: missing.
        assert_eq!(m02.growth_pct(), Rational::new(100, 1));
        assert_eq!(m02.exec_growth_pct(), None);
        // team = M01 + M02: 2, 3, 1, 1 → 50, 0
        let team = Counts {
            start: 2,
            asof: 3,
            exec_start: 1,
            exec_asof: 1,
        };
        assert_eq!(got.team, team);
        assert_eq!(team.growth_pct(), Rational::new(50, 1));
        assert_eq!(
            got.by_account.keys().collect::<Vec<_>>(),
            vec!["A1", "A2"],
            "only the team's accounts"
        );
        assert_eq!(got.unowned.iter().collect::<Vec<_>>(), vec!["A4"]);

        // With M03 in scope, A3 counts for M03 and the team.
        let got = compute(&ctx(&["M01", "M02", "M03"], None), &accounts(), &contacts);
        assert_eq!(got.team.start, 3);
        assert_eq!(got.by_member.get("M03").map(|c| c.exec_asof), Some(1));
    }

    #[test]
    fn account_scope_keeps_only_its_accounts() {
        // Territory = {A2, A4}: M01's A1 is out, so M01 has zeros; A4 has no
        // owner (its contact is nobody's, and warned).
        let contacts = vec![
            contact("C1", "A1", "2012-01-01", "", true),
            contact("C2", "A2", "2012-01-01", "", true),
            contact("C3", "A2", "2012-12-01", "", false),
            contact("C4", "A4", "2012-01-01", "", false),
        ];
        let got = compute(
            &ctx(&["M01", "M02"], Some(&["A2", "A4"])),
            &accounts(),
            &contacts,
        );
        assert_eq!(got.by_member.get("M01"), Some(&Counts::default()));
        let a2 = Counts {
            start: 1,
            asof: 2,
            exec_start: 1,
            exec_asof: 1,
        };
        assert_eq!(got.by_member.get("M02"), Some(&a2));
        assert_eq!(got.team, a2);
        assert_eq!(got.by_account.keys().collect::<Vec<_>>(), vec!["A2"]);
        assert_eq!(got.unowned.iter().collect::<Vec<_>>(), vec!["A4"]);
    }

    /// Each account's holder by its position (the code contacts carry):
    /// a member in scope, no owner, or nobody (an owner out of scope or
    /// outside the roster, an account out of account scope).
    #[test]
    fn holders_by_position() {
        use Holder::{Member, Nobody, Unowned};
        let accounts = accounts();
        let all = holders(&ctx(&["M01", "M02"], None), &accounts);
        assert_eq!(
            all,
            vec![Member("M01"), Member("M02"), Nobody, Unowned, Nobody]
        );
        let scoped = holders(&ctx(&["M01", "M02"], Some(&["A2", "A4"])), &accounts);
        assert_eq!(scoped, vec![Nobody, Member("M02"), Nobody, Unowned, Nobody]);
    }

    #[test]
    fn executive_flag_spellings() {
        use crate::ingest::parse_flag;
        // SPEC §3.5: true/yes/y/1/x in any case (outer spaces aside) are
        // executives; blank (or no column) is not; other words are errors.
        for v in [
            "true", "TRUE", "True", "yes", "YES", "Yes", "y", "Y", "1", "x", "X", " yes ",
        ] {
            assert_eq!(parse_flag(Some(v)), Some(true), "{v:?}");
        }
        for v in ["", "  ", "false", "FALSE", "no", "No", "n", "N", "0"] {
            assert_eq!(parse_flag(Some(v)), Some(false), "{v:?}");
        }
        assert_eq!(parse_flag(None), Some(false));
        for v in ["maybe", "2", "yes!", "t"] {
            assert_eq!(parse_flag(Some(v)), None, "{v:?}");
        }
    }

    #[test]
    fn growth_is_exact() {
        // 100 × (4 − 3)/3 = 33.333…: exact until written.
        assert_eq!(growth_pct(3, 4), Rational::new(100, 3));
        assert_eq!(growth_pct(2, 1), Rational::new(-50, 1));
        assert_eq!(growth_pct(0, 5), None);
        assert_eq!(growth_pct(0, 0), None);
    }

    #[test]
    fn tables_rows_and_team_total() {
        let ctx = ctx(&["M01", "M02"], None);
        let got = compute(&ctx, &accounts(), &boundary());
        let t = table(&ctx, &got);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[2][0], Cell::text("team"));
        assert_eq!(t.rows[0][5], Cell::Percent(Rational::from_int(-25)));
        assert_eq!(t.rows[1][5], Cell::Missing);
        let a = account_table(&ctx, &accounts(), &got);
        assert_eq!(a.rows.len(), 3, "A1, A2, team");
        assert_eq!(
            a.rows[0][..3],
            [
                Cell::text("A1"),
                Cell::text("Account A1"),
                Cell::text("M01")
            ]
        );
        assert_eq!(
            a.rows[2][..4],
            [
                Cell::Missing,
                Cell::text("Team"),
                Cell::Missing,
                Cell::Count(4)
            ]
        );
    }
}
