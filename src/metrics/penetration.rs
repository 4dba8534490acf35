//! Penetration, "sell broader and deeper" (SPEC §3.3): which catalog
//! products each account owns (its installed base, by any seller, in any
//! year up to D), how broad the accounts of each member and of the team are,
//! which account–product pairs were first bought in the YTD window, and the
//! won revenue on those accounts against the same span a year earlier.
//!
//! One pass over the opportunity lines, by account and product ([`facts`]),
//! yields everything both `atu penetration` and `atu whitespace` need; the
//! rest is plain Rust over that small result and over accounts.csv.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use chrono::{Datelike, Months, NaiveDate};
use polars::prelude::*;

use super::frames::{epoch_days, flat_get, Flat};
use super::kpi::{Kpi, KpiId, Value};
use super::{row_head, Context};
use crate::ingest::codes::Codes;
use crate::ingest::frame::codes_of;
use crate::ingest::frame::polars_context;
use crate::ingest::{Account, Member};
use crate::num::Rational;
use crate::report::{Cell, Table};

/// Won revenue on one account (cents, every won line whatever its product
/// or owner, credits included).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Revenue {
    /// Close date in the YTD window [first day of the year, D].
    pub ytd: i64,
    /// Close date in the same span one year earlier ([`previous_window`]).
    pub prev: i64,
    /// Close date on or before D, any year (the order of the whitespace on
    /// screen).
    pub to_date: i64,
}

/// One account–product pair that has a line, by codes: the account is
/// coded in `Facts::accounts`, the product is `Facts::spellings[product]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub account: u32,
    pub product: u32,
    /// The first close date of a won line with a positive amount on or
    /// before D: the day the account came to own the product.
    pub first_owned: Option<NaiveDate>,
    /// An open line of the product on the account (whatever its date).
    pub open: bool,
}

/// The small result of the one aggregation over opportunity lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Pairs with a non-blank product, in no order.
    pub pairs: Vec<Pair>,
    /// The account ids of the pairs and of `revenue` as codes: the
    /// accounts of accounts.csv first, their code their position there,
    /// then the ids that only lines name.
    pub accounts: Codes,
    /// The products of the pairs as spelled on the lines, by code.
    pub spellings: Vec<String>,
    /// Won revenue by account code.
    pub revenue: Vec<Revenue>,
    /// Every non-blank product on a line that exists at D (open lines, and
    /// won or lost lines closing on or before D), sorted.
    pub products: Vec<String>,
}

/// The YTD window moved back one year: from the previous year's first day to
/// D's month and day a year earlier. 29 February becomes the 28th; when D is
/// the last day of February the window ends on the last day of the earlier
/// February (so 2013-02-28 compares with 2012-02-29).
pub fn previous_window(ctx: &Context) -> (NaiveDate, NaiveDate) {
    let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
    let d = ctx.cutoff;
    let end_of_february = d.month() == 2 && d.succ_opt().is_some_and(|n| n.month() == 3);
    let end = if end_of_february {
        NaiveDate::from_ymd_opt(d.year() - 1, 3, 1)
            .and_then(|m| m.pred_opt())
            .unwrap_or_else(|| back(d))
    } else {
        back(d)
    };
    (back(ctx.fy.start), end)
}

/// The one aggregation: per (account_id, product) over every line (the
/// account scope is applied later, by account, so that the catalog does not
/// shrink under `--territory`), the first date owned, whether a line is
/// open, whether any line exists at D, and won revenue in the YTD window,
/// the same span a year earlier and up to D.
///
/// Two passes over the columns, accounts and products as integer codes
/// ([`Codes`]; an account of `accounts`, the accounts of accounts.csv, has
/// its position there as its code: the lines' `__account` column when
/// ingest made it, else looked up): the first codes the accounts and
/// products in the order the lines name them, the second aggregates. A
/// pair is a cell of a dense accounts × products table when that table is
/// no larger than half the lines plus a million cells (12 bytes a cell:
/// at most ~70 MB at 10 million lines): no hashing, a read
/// and a write; otherwise one integer key in a hash map. A polars
/// group_by over two text keys encodes every row first, slower over
/// millions of lines and pairs. A null amount, date or status is no
/// revenue and owns nothing (as a null compares in polars); an open line
/// without a date still exists.
pub fn facts(lines: &DataFrame, ctx: &Context, accounts: &[Account]) -> Result<Facts> {
    facts_with(lines, ctx, accounts, lines.height() / 2 + (1 << 20))
}

/// What the aggregation knows of one account–product pair.
#[derive(Clone, Copy, Default)]
struct Agg {
    first_owned: Option<i32>,
    open: bool,
    exists: bool,
}

/// The pairs as they are aggregated: a dense table of `products` cells per
/// account (None: no line), or a map by `account << 32 | product`.
enum PairTable {
    Dense {
        cells: Vec<Option<Agg>>,
        products: usize,
    },
    Sparse(PlHashMap<u64, Agg>),
}

impl PairTable {
    /// A table for `accounts` × `products` codes: dense when it holds at
    /// most `dense_up_to` cells.
    fn new(accounts: usize, products: usize, dense_up_to: usize) -> PairTable {
        match accounts.checked_mul(products) {
            Some(cells) if cells <= dense_up_to => PairTable::Dense {
                cells: vec![None; cells],
                products,
            },
            _ => PairTable::Sparse(PlHashMap::new()),
        }
    }

    fn entry(&mut self, account: u32, product: u32) -> &mut Agg {
        match self {
            PairTable::Dense { cells, products } => cells
                [account as usize * *products + product as usize]
                .get_or_insert_with(Agg::default),
            PairTable::Sparse(map) => map
                .entry((account as u64) << 32 | product as u64)
                .or_default(),
        }
    }

    /// Every pair with a line, as (account, product, what is known).
    fn into_pairs(self) -> Vec<(u32, u32, Agg)> {
        match self {
            PairTable::Dense { cells, products } => cells
                .into_iter()
                .enumerate()
                .filter_map(|(i, a)| a.map(|a| ((i / products) as u32, (i % products) as u32, a)))
                .collect(),
            PairTable::Sparse(map) => map
                .into_iter()
                .map(|(key, a)| ((key >> 32) as u32, (key & u32::MAX as u64) as u32, a))
                .collect(),
        }
    }
}

/// [`facts`], with pairs in a dense table of at most `dense_up_to` cells.
fn facts_with(
    lines: &DataFrame,
    ctx: &Context,
    accounts: &[Account],
    dense_up_to: usize,
) -> Result<Facts> {
    let d = epoch_days(ctx.cutoff);
    let (start, prev) = (epoch_days(ctx.fy.start), previous_window(ctx));
    let (prev_lo, prev_hi) = (epoch_days(prev.0), epoch_days(prev.1));
    let err = |e| polars_context("finding the products each account owns", e);
    // Accounts, products and statuses as the lines' codes: a value is
    // looked at once, not once a line.
    let (on_lines, account_values) = codes_of(lines, "account_id")?;
    let (products, product_values) = codes_of(lines, "product")?;
    let (status, status_values) = codes_of(lines, "status")?;
    let value = |d: &CategoricalMapping, c: u32| d.cat_to_str(c).unwrap_or_default().to_string();
    let kind: Vec<(bool, bool)> = (0..status_values.num_cats_upper_bound() as u32)
        .map(|c| value(&status_values, c))
        .map(|s| (s == "won", s == "open"))
        .collect();
    let amounts = lines
        .column("amount")
        .and_then(|c| c.cast(&DataType::Int64))
        .and_then(|c| c.i64().cloned())
        .map_err(err)?;
    let days = lines
        .column("close_date")
        .and_then(|c| c.cast(&DataType::Int32))
        .and_then(|c| c.i32().cloned())
        .map_err(err)?;
    // Each line's account coded at ingest (position in `accounts`), when
    // it was; a null is looked up (all of them without the column).
    let coded = match lines.column("__account") {
        Ok(c) => c.u32().cloned().map_err(err)?,
        Err(_) => UInt32Chunked::full_null("__account".into(), lines.height()),
    };
    // Overlay split credit (SPEC §3.6c) is no revenue of its own.
    let overlay = lines
        .clone()
        .lazy()
        // `with_column`: a literal `false` (no splits) is one per line.
        .with_column(super::lines::overlay(lines).alias("__ov"))
        .select([col("__ov")])
        .collect()
        .and_then(|df| df.column("__ov").and_then(|c| c.bool().cloned()))
        .map_err(err)?;
    // First pass: accounts and products as codes, in the order the lines
    // (but overlay credit) name them; a line's product code (its value's,
    // on first sight; blank: none) and its account's when ingest did not
    // code it, by the lines' own codes.
    let mut account_codes = Codes::of(accounts.iter().map(|a| a.id.as_str()));
    let mut product_codes = Codes::default();
    let known = account_codes.len();
    const UNSEEN: u32 = u32::MAX;
    const BLANK: u32 = u32::MAX - 1;
    let mut product_of: Vec<u32> = vec![UNSEEN; product_values.num_cats_upper_bound()];
    let mut account_of: Vec<u32> = vec![UNSEEN; account_values.num_cats_upper_bound()];
    let mut no_account: Option<u32> = None;
    // Each column in one piece, read by row (see `Flat`); overlay as a
    // flag per line only when there is any.
    let (on_lines, products, status) = (
        Flat::new(&on_lines),
        Flat::new(&products),
        Flat::new(&status),
    );
    let (amounts, days, coded) = (Flat::new(&amounts), Flat::new(&days), Flat::new(&coded));
    let (on_lines, products, status) = (on_lines.parts(), products.parts(), status.parts());
    let (amounts, days, coded) = (amounts.parts(), days.parts(), coded.parts());
    let overlay: Option<Vec<bool>> = overlay
        .any()
        .then(|| overlay.iter().map(|o| o.unwrap_or(false)).collect());
    // Overlay credit is read by neither pass; a line's account and product
    // codes and its account's position.
    let is_overlay = |i: usize| overlay.as_ref().is_some_and(|o| o[i]);
    let keys = |i: usize| {
        (
            flat_get(&on_lines, i),
            flat_get(&products, i),
            flat_get(&coded, i),
        )
    };
    for i in 0..lines.height() {
        if is_overlay(i) {
            continue;
        }
        let (account, product, coded) = keys(i);
        match (coded, account) {
            (Some(c), _) if (c as usize) < known => {}
            (_, None) => {
                no_account.get_or_insert_with(|| account_codes.code(""));
            }
            (_, Some(a)) => {
                if account_of[a as usize] == UNSEEN {
                    account_of[a as usize] = account_codes.code(&value(&account_values, a));
                }
            }
        }
        if let Some(p) = product {
            if product_of[p as usize] == UNSEEN {
                let spelled = value(&product_values, p);
                product_of[p as usize] = if spelled.trim().is_empty() {
                    BLANK
                } else {
                    product_codes.code(&spelled)
                };
            }
        }
    }
    // Second pass: revenue by account, what is known by pair.
    let mut revenue: Vec<Revenue> = vec![Revenue::default(); account_codes.len()];
    let mut pairs = PairTable::new(account_codes.len(), product_codes.len(), dense_up_to);
    for i in 0..lines.height() {
        if is_overlay(i) {
            continue;
        }
        let (account, product, coded) = keys(i);
        let (status, amount, day) = (
            flat_get(&status, i),
            flat_get(&amounts, i),
            flat_get(&days, i),
        );
        let account = match (coded, account) {
            (Some(c), _) if (c as usize) < known => c,
            (_, None) => no_account.unwrap_or_default(),
            (_, Some(a)) => account_of[a as usize],
        };
        let (won, open) = status.map_or((false, false), |s| kind[s as usize]);
        if let (true, Some(cents), Some(day)) = (won, amount, day) {
            let r = &mut revenue[account as usize];
            if day >= start && day <= d {
                r.ytd += cents;
            }
            if day >= prev_lo && day <= prev_hi {
                r.prev += cents;
            }
            if day <= d {
                r.to_date += cents;
            }
        }
        let product = match product.map(|p| product_of[p as usize]) {
            Some(p) if p != BLANK => p,
            _ => continue,
        };
        let a = pairs.entry(account, product);
        let on_or_before = day.is_some_and(|day| day <= d);
        if won && amount.is_some_and(|c| c > 0) && on_or_before {
            let day = day.unwrap_or(d);
            a.first_owned = Some(a.first_owned.map_or(day, |f| f.min(day)));
        }
        a.open |= open;
        a.exists |= open || on_or_before;
    }
    let spellings: Vec<String> = product_codes.ids().into_iter().map(String::from).collect();
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut exists = vec![false; spellings.len()];
    let mut out = Facts {
        revenue,
        ..Facts::default()
    };
    let pairs = pairs.into_pairs();
    out.pairs.reserve(pairs.len());
    for (account, product, a) in pairs {
        exists[product as usize] |= a.exists;
        out.pairs.push(Pair {
            account,
            product,
            first_owned: a
                .first_owned
                .map(|d| epoch + chrono::Duration::days(d as i64)),
            open: a.open,
        });
    }
    out.products = spellings
        .iter()
        .zip(exists)
        .filter(|(_, e)| *e)
        .map(|(p, _)| p.clone())
        .collect();
    out.products.sort();
    out.accounts = account_codes;
    out.spellings = spellings;
    Ok(out)
}

impl Facts {
    /// Won revenue on the account `id` (`None`: no line names it and
    /// accounts.csv does not hold it).
    pub fn revenue_of(&self, id: &str) -> Option<&Revenue> {
        self.accounts
            .get(id)
            .and_then(|c| self.revenue.get(c as usize))
    }
}

/// The catalog: product names in alphabetical order (case aside), and how
/// a product spelled on the lines maps to one of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    /// Names as shown (the configured spelling when configured).
    pub products: Vec<String>,
    index: BTreeMap<String, usize>,
}

fn key(p: &str) -> String {
    p.trim().to_lowercase()
}

impl Catalog {
    /// `[penetration] products` when configured, else every product of the
    /// lines that exist at D. Also returns warnings: configured products
    /// that no line carries, and products on lines that the configured
    /// catalog leaves out.
    pub fn new(configured: Option<&[String]>, facts: &Facts) -> (Catalog, Vec<String>) {
        let mut warnings = Vec::new();
        let mut names: Vec<String> = match configured {
            Some(list) => list.iter().map(|p| p.trim().to_string()).collect(),
            None => facts.products.clone(),
        };
        names.sort_by(|a, b| (a.to_lowercase(), a).cmp(&(b.to_lowercase(), b)));
        names.dedup_by(|a, b| key(a) == key(b));
        let index = names
            .iter()
            .enumerate()
            .map(|(i, p)| (key(p), i))
            .collect::<BTreeMap<_, _>>();
        if configured.is_some() {
            let on_lines: BTreeSet<String> = facts.spellings.iter().map(|p| key(p)).collect();
            let unused: Vec<&str> = names
                .iter()
                .filter(|p| !on_lines.contains(&key(p)))
                .map(String::as_str)
                .collect();
            if !unused.is_empty() {
                warnings.push(format!(
                    "[penetration] products names products that no opportunity line carries (a typo?): {}",
                    unused.join(", ")
                ));
            }
            let mut outside: Vec<&str> = facts
                .spellings
                .iter()
                .map(String::as_str)
                .filter(|p| !index.contains_key(&key(p)))
                .collect();
            outside.sort();
            outside.dedup();
            if !outside.is_empty() {
                warnings.push(format!(
                    "products outside [penetration] products are not counted: {}",
                    outside.join(", ")
                ));
            }
        }
        (
            Catalog {
                products: names,
                index,
            },
            warnings,
        )
    }

    /// The catalog position of a product as spelled on the lines.
    pub fn position(&self, product: &str) -> Option<usize> {
        self.index.get(&key(product)).copied()
    }

    /// Number of products.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// True when the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }
}

/// What each account holds of the catalog, by account code (as in
/// [`Facts::accounts`]); read by account id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holdings {
    accounts: Codes,
    /// Catalog position → first date owned.
    owned: Vec<BTreeMap<usize, NaiveDate>>,
    /// Catalog positions with an open line.
    pipeline: Vec<BTreeSet<usize>>,
    /// Won revenue.
    revenue: Vec<Revenue>,
}

impl Holdings {
    /// Maps the pairs of `facts` onto `catalog` (pairs of other products
    /// are left out).
    pub fn new(facts: &Facts, catalog: &Catalog) -> Holdings {
        // A handful of spellings over millions of pairs: each one's catalog
        // position is looked up once; accounts stay codes.
        let positions: Vec<Option<usize>> = facts
            .spellings
            .iter()
            .map(|p| catalog.position(p))
            .collect();
        let n = facts.accounts.len();
        let mut owned: Vec<BTreeMap<usize, NaiveDate>> = vec![BTreeMap::new(); n];
        let mut pipeline: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for p in &facts.pairs {
            let Some(i) = positions.get(p.product as usize).copied().flatten() else {
                continue;
            };
            let a = p.account as usize;
            if let Some(d) = p.first_owned {
                let e = owned[a].entry(i).or_insert(d);
                *e = (*e).min(d);
            }
            if p.open {
                pipeline[a].insert(i);
            }
        }
        Holdings {
            accounts: facts.accounts.clone(),
            owned,
            pipeline,
            revenue: facts.revenue.clone(),
        }
    }

    fn code(&self, account: &str) -> Option<usize> {
        self.accounts.get(account).map(|c| c as usize)
    }

    /// Everything the account holds, found by one lookup of its id.
    pub fn of(&self, account: &str) -> Holding<'_> {
        let Some(c) = self.code(account) else {
            return Holding::default();
        };
        Holding {
            owned: self.owned.get(c).filter(|m| !m.is_empty()),
            pipeline: self.pipeline.get(c).filter(|m| !m.is_empty()),
            revenue: self.revenue.get(c),
        }
    }

    /// The catalog positions the account owns at D, with the day each was
    /// first owned; `None` when it owns none.
    pub fn owned(&self, account: &str) -> Option<&BTreeMap<usize, NaiveDate>> {
        self.code(account)
            .and_then(|c| self.owned.get(c))
            .filter(|m| !m.is_empty())
    }

    /// The catalog positions with an open line on the account; `None` when
    /// there is none.
    pub fn pipeline(&self, account: &str) -> Option<&BTreeSet<usize>> {
        self.code(account)
            .and_then(|c| self.pipeline.get(c))
            .filter(|m| !m.is_empty())
    }

    /// Won revenue on the account.
    pub fn revenue(&self, account: &str) -> Option<&Revenue> {
        self.code(account).and_then(|c| self.revenue.get(c))
    }

    /// Products the account owns at D.
    pub fn breadth(&self, account: &str) -> usize {
        self.owned(account).map_or(0, BTreeMap::len)
    }
}

/// What one account holds (see [`Holdings::of`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Holding<'a> {
    /// Catalog positions owned at D, with the day each was first owned;
    /// `None` when it owns none.
    pub owned: Option<&'a BTreeMap<usize, NaiveDate>>,
    /// Catalog positions with an open line; `None` when there is none.
    pub pipeline: Option<&'a BTreeSet<usize>>,
    pub revenue: Option<&'a Revenue>,
}

impl Holding<'_> {
    /// Products owned at D.
    pub fn breadth(&self) -> usize {
        self.owned.map_or(0, BTreeMap::len)
    }
}

/// The accounts of one member (or, with `None`, of every member in scope),
/// kept to the accounts in scope under `--territory`/`--vertical`/
/// `--segment`, sorted by id. Accounts owned by no member in scope are in
/// no list.
pub fn accounts_of<'a>(
    ctx: &Context,
    accounts: &'a [Account],
    member: Option<&Member>,
) -> Vec<&'a Account> {
    AccountLists::new(ctx, accounts).of(member).to_vec()
}

/// [`accounts_of`] for every row of a table at once: the accounts are
/// rolled up to their owners one time, not once per member.
pub struct AccountLists<'a> {
    team: Vec<&'a Account>,
    members: PlHashMap<&'a str, Vec<&'a Account>>,
}

impl<'a> AccountLists<'a> {
    pub fn new(ctx: &Context, accounts: &'a [Account]) -> AccountLists<'a> {
        let mut owned: Vec<(&Account, &str)> = accounts
            .iter()
            .zip(super::holders(ctx, accounts))
            .filter_map(|(a, h)| match h {
                super::Holder::Member(o) => Some((a, o)),
                super::Holder::Unowned | super::Holder::Nobody => None,
            })
            .collect();
        owned.sort_by(|x, y| x.0.id.cmp(&y.0.id));
        let mut members: PlHashMap<&str, Vec<&Account>> = PlHashMap::new();
        for (a, o) in &owned {
            members.entry(*o).or_default().push(a);
        }
        let team = owned.into_iter().map(|(a, _)| a).collect();
        AccountLists { team, members }
    }

    /// The accounts of a member (`Some`) or of the team (`None`), sorted
    /// by id.
    pub fn of(&self, member: Option<&Member>) -> &[&'a Account] {
        match member {
            None => &self.team,
            Some(m) => self.members.get(m.id.as_str()).map_or(&[], Vec::as_slice),
        }
    }
}

/// The figures of one row (a member's accounts, or the team's).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub accounts: i64,
    pub catalog_size: i64,
    /// Σ breadth.
    pub owned_pairs: i64,
    /// Pairs first owned in the YTD window.
    pub new_products: i64,
    /// Accounts owning at least `broad_min` products.
    pub broad: i64,
    /// Won revenue in the YTD window and a year earlier (cents).
    pub won_ytd: i64,
    pub won_prev: i64,
}

impl Figures {
    /// Sums the figures of `accounts`.
    pub fn of(
        accounts: &[&Account],
        h: &Holdings,
        catalog: &Catalog,
        ctx: &Context,
        broad_min: u32,
    ) -> Figures {
        let mut f = Figures {
            accounts: accounts.len() as i64,
            catalog_size: catalog.len() as i64,
            ..Figures::default()
        };
        for a in accounts {
            let held = h.of(&a.id);
            let breadth = held.breadth();
            f.owned_pairs += breadth as i64;
            if breadth >= broad_min as usize {
                f.broad += 1;
            }
            if let Some(owned) = held.owned {
                f.new_products += owned
                    .values()
                    .filter(|d| **d >= ctx.fy.start && **d <= ctx.cutoff)
                    .count() as i64;
            }
            if let Some(r) = held.revenue {
                f.won_ytd += r.ytd;
                f.won_prev += r.prev;
            }
        }
        f
    }

    /// penetration_pct = 100 × Σ breadth / (accounts × catalog size).
    pub fn penetration_pct(&self) -> Option<Rational> {
        Rational::from_int(self.owned_pairs as i128).percent_of(Rational::from_int(
            (self.accounts * self.catalog_size) as i128,
        ))
    }

    /// accounts_broad_pct = 100 × broad accounts / accounts; missing, like
    /// penetration, when the catalog is empty (nothing to own).
    pub fn broad_pct(&self) -> Option<Rational> {
        if self.catalog_size == 0 {
            return None;
        }
        Rational::from_int(self.broad as i128).percent_of(Rational::from_int(self.accounts as i128))
    }

    /// growth_pct = 100 × (won_ytd − won_ytd_prev) / won_ytd_prev; missing
    /// when the earlier figure is zero or negative (no base to grow from).
    pub fn growth_pct(&self) -> Option<Rational> {
        if self.won_prev <= 0 {
            return None;
        }
        Rational::from_cents(self.won_ytd - self.won_prev)
            .percent_of(Rational::from_cents(self.won_prev))
    }
}

/// A row's penetration figures (member, or `None` for the team).
pub type FiguresOf<'a> = dyn Fn(Option<&Member>) -> Figures + 'a;

/// The scorecard's breadth KPIs of each row (SPEC §3.3): `penetration` and,
/// with a catalog, `new_products` (YTD).
pub fn kpis(ctx: &Context, figures: &FiguresOf) -> Vec<Kpi> {
    let mut out = Vec::new();
    for who in ctx.rows() {
        let f = figures(who);
        out.push(Kpi::of(
            ctx,
            who,
            KpiId::Penetration,
            crate::calendar::Period::Ytd,
            Value::Percent(f.penetration_pct()),
        ));
        // Nothing to own without a catalog: no new-products figure.
        if f.catalog_size > 0 {
            out.push(Kpi::of(
                ctx,
                who,
                KpiId::NewProducts,
                crate::calendar::Period::Ytd,
                Value::Count(f.new_products),
            ));
        }
    }
    out
}

/// The `penetration` table (SPEC §6) with the extra columns `won_ytd`,
/// `won_ytd_prev` and `growth_pct`: one row per member in scope, then the
/// team (the accounts of every member in scope).
pub fn table(
    ctx: &Context,
    accounts: &[Account],
    h: &Holdings,
    catalog: &Catalog,
    broad_min: u32,
) -> Table {
    let mut t = Table::new(
        "penetration",
        "Penetration (installed base at D; new products and won revenue YTD)",
        &[
            "scope",
            "member_id",
            "name",
            "accounts",
            "catalog_size",
            "owned_pairs",
            "penetration_pct",
            "new_products",
            "accounts_broad_pct",
            "won_ytd",
            "won_ytd_prev",
            "growth_pct",
        ],
    );
    let lists = AccountLists::new(ctx, accounts);
    for m in ctx.rows() {
        let f = Figures::of(lists.of(m), h, catalog, ctx, broad_min);
        let mut row = row_head(m, &ctx.team_name);
        row.extend([
            Cell::Count(f.accounts),
            Cell::Count(f.catalog_size),
            Cell::Count(f.owned_pairs),
            Cell::percent(f.penetration_pct()),
            // Nothing to own without a catalog: not 0, missing.
            if f.catalog_size == 0 {
                Cell::Missing
            } else {
                Cell::Count(f.new_products)
            },
            Cell::percent(f.broad_pct()),
            Cell::Money(Rational::from_cents(f.won_ytd)),
            Cell::Money(Rational::from_cents(f.won_prev)),
            Cell::percent(f.growth_pct()),
        ]);
        t.push(row);
    }
    t
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::calendar::{Calendar, NamedBy};
    use crate::config::{Targets, Thresholds};

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
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

    /// FY2013 (2012-07-01..2013-06-30), D = `cutoff`, members M01 and M02.
    pub fn ctx(cutoff: NaiveDate) -> Context {
        let fy = Calendar::new(7, NamedBy::End).unwrap().year(2013).unwrap();
        Context {
            fy,
            cutoff,
            as_of: cutoff,
            members: vec![member("M01"), member("M02")],
            roster: vec!["M01".into(), "M02".into()],
            team_name: "Team".into(),
            targets: Targets::default(),
            thresholds: Thresholds::default(),
            scope_label: "test".into(),
            accounts: None,
            accounts_said: None,
        }
    }

    pub fn account(id: &str, owner: Option<&str>) -> Account {
        Account {
            id: id.to_string(),
            name: Some(format!("Account {id}")),
            owner_id: owner.map(str::to_string),
            territory: None,
            vertical: None,
            segment: None,
        }
    }

    /// A frame of lines: (account, product, close date, status, cents).
    pub fn lines(rows: &[(&str, Option<&str>, NaiveDate, &str, i64)]) -> DataFrame {
        let acc: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let prod: Vec<Option<&str>> = rows.iter().map(|r| r.1).collect();
        let date: Vec<i32> = rows.iter().map(|r| epoch_days(r.2)).collect();
        let status: Vec<&str> = rows.iter().map(|r| r.3).collect();
        let amount: Vec<i64> = rows.iter().map(|r| r.4).collect();
        DataFrame::new_infer_height(vec![
            Column::new("account_id".into(), acc),
            Column::new("product".into(), prod),
            Column::new("close_date".into(), date)
                .cast(&DataType::Date)
                .unwrap(),
            Column::new("status".into(), status),
            Column::new("amount".into(), amount),
        ])
        .unwrap()
    }

    /// The hand-checked lines of the tests below (D = 2013-01-30, FY2013
    /// from 2012-07-01; the previous window is 2011-07-01..2012-01-30).
    pub fn sample() -> DataFrame {
        lines(&[
            // A1: Office since FY2011 (installed base), bought again in the
            // window (not new); Azure first bought in the window (new);
            // CRM only lost; SQL open (pipeline).
            ("A1", Some("Office"), d(2010, 9, 15), "won", 500_000),
            ("A1", Some("Office"), d(2012, 8, 1), "won", 200_000),
            ("A1", Some("Azure"), d(2012, 10, 1), "won", 300_000),
            ("A1", Some("CRM"), d(2012, 11, 1), "lost", 400_000),
            ("A1", Some("SQL"), d(2013, 3, 1), "open", 100_000),
            // A1 revenue a year earlier, without a product.
            ("A1", None, d(2011, 12, 1), "won", 250_000),
            // A2: a credit (amount ≤ 0) does not own; a won line after D
            // does not exist yet.
            ("A2", Some("CRM"), d(2012, 9, 1), "won", -50_000),
            ("A2", Some("SQL"), d(2013, 2, 1), "won", 700_000),
            // A3 owns Office, Azure and CRM (broad), all before the year.
            ("A3", Some("Office"), d(2011, 1, 1), "won", 100_000),
            ("A3", Some("Azure"), d(2011, 2, 1), "won", 100_000),
            ("A3", Some("CRM"), d(2012, 1, 30), "won", 100_000),
            // A4 belongs to no member: its Azure counts for nobody.
            ("A4", Some("Azure"), d(2012, 12, 1), "won", 900_000),
            // Only after D and only won: a product that does not exist yet.
            ("A4", Some("Dynamics"), d(2013, 5, 1), "won", 100_000),
        ])
    }

    #[test]
    fn facts_from_one_aggregation() {
        let c = ctx(d(2013, 1, 30));
        let f = facts(&sample(), &c, &[]).unwrap();
        let ids = f.accounts.ids();
        // Dynamics exists only as a won line after D: not in the catalog.
        assert_eq!(f.products, vec!["Azure", "CRM", "Office", "SQL"]);
        let pair = |a: &str, p: &str| {
            f.pairs
                .iter()
                .find(|x| ids[x.account as usize] == a && f.spellings[x.product as usize] == p)
                .cloned()
                .unwrap()
        };
        // First ownership is the earliest qualifying won line.
        assert_eq!(pair("A1", "Office").first_owned, Some(d(2010, 9, 15)));
        assert_eq!(pair("A1", "Azure").first_owned, Some(d(2012, 10, 1)));
        assert_eq!(pair("A1", "CRM").first_owned, None);
        assert!(pair("A1", "SQL").open);
        assert_eq!(pair("A2", "CRM").first_owned, None);
        assert_eq!(pair("A2", "SQL").first_owned, None);
        assert_eq!(pair("A3", "CRM").first_owned, Some(d(2012, 1, 30)));
        // A1: YTD 2,000.00 + 3,000.00; a year earlier 2,500.00; to date
        // 5,000.00 + 2,000.00 + 3,000.00 + 2,500.00.
        assert_eq!(
            *f.revenue_of("A1").unwrap(),
            Revenue {
                ytd: 500_000,
                prev: 250_000,
                to_date: 1_250_000
            }
        );
        // A2: the credit is revenue (-500.00); the line after D is not.
        assert_eq!(
            *f.revenue_of("A2").unwrap(),
            Revenue {
                ytd: -50_000,
                prev: 0,
                to_date: -50_000
            }
        );
        // A3: CRM on 2012-01-30 is the last day of the previous window.
        assert_eq!(f.revenue_of("A3").unwrap().prev, 100_000);
        // With accounts.csv (A5 and A2, neither first on the lines), their
        // codes are their positions there; the lines' other accounts come
        // after; every pair and revenue by id is the same.
        let known = vec![account("A5", None), account("A2", None)];
        let g = facts(&sample(), &c, &known).unwrap();
        assert_eq!(
            (g.accounts.get("A5"), g.accounts.get("A2")),
            (Some(0), Some(1))
        );
        let by_id = |f: &Facts| {
            let ids = f.accounts.ids();
            let mut out: Vec<_> = f
                .pairs
                .iter()
                .map(|x| {
                    let (a, p) = (ids[x.account as usize], &f.spellings[x.product as usize]);
                    (a.to_string(), p.clone(), x.first_owned, x.open)
                })
                .collect();
            out.sort();
            out
        };
        assert_eq!(by_id(&g), by_id(&f));
        for a in ["A1", "A2", "A3", "A4"] {
            assert_eq!(g.revenue_of(a), f.revenue_of(a), "{a}");
        }
        assert_eq!(g.revenue_of("A5"), Some(&Revenue::default()), "no line");
        assert_eq!((g.revenue_of("A9"), f.revenue_of("A5")), (None, None));
        assert_eq!(g.products, f.products);
        // The same with the lines' accounts coded at ingest (`__account`:
        // A2's lines 1, the others null and looked up).
        let mut coded = sample();
        let positions: UInt32Chunked = coded
            .column("account_id")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|a| (a == Some("A2")).then_some(1u32))
            .collect();
        coded
            .with_column(positions.with_name("__account".into()).into_column())
            .unwrap();
        let h = facts(&coded, &c, &known).unwrap();
        assert_eq!(by_id(&h), by_id(&g));
        assert_eq!(h.revenue, g.revenue);
        assert_eq!(h.accounts, g.accounts);
        // The pairs in a hash map instead of the dense table: the same
        // facts, pairs in another order.
        for (lines, known) in [(&sample(), &vec![]), (&coded, &known)] {
            let dense = facts(lines, &c, known).unwrap();
            let sparse = facts_with(lines, &c, known, 0).unwrap();
            assert_eq!(by_id(&sparse), by_id(&dense));
            assert_eq!(dense.pairs.len(), 11);
            assert_eq!(
                (
                    &sparse.revenue,
                    &sparse.accounts,
                    &sparse.spellings,
                    &sparse.products
                ),
                (
                    &dense.revenue,
                    &dense.accounts,
                    &dense.spellings,
                    &dense.products
                )
            );
        }
    }

    #[test]
    fn member_and_team_figures() {
        let c = ctx(d(2013, 1, 30));
        let accounts = vec![
            account("A1", Some("M01")),
            account("A2", Some("M01")),
            account("A3", Some("M02")),
            account("A4", Some("M99")),
            account("A5", Some("M02")),
        ];
        let f = facts(&sample(), &c, &accounts).unwrap();
        let (cat, warnings) = Catalog::new(None, &f);
        assert!(warnings.is_empty());
        let h = Holdings::new(&f, &cat);
        let m01 = Figures::of(
            &accounts_of(&c, &accounts, Some(&c.members[0])),
            &h,
            &cat,
            &c,
            3,
        );
        // M01: A1 owns Office and Azure (2), A2 nothing → 2 pairs of
        // 2 × 4 = 8 → 25.00%; new: A1 Azure → 1; broad: none → 0.00%.
        assert_eq!(
            (m01.accounts, m01.owned_pairs, m01.new_products, m01.broad),
            (2, 2, 1, 0)
        );
        assert_eq!(m01.penetration_pct(), Rational::new(25, 1));
        assert_eq!(m01.broad_pct(), Some(Rational::ZERO));
        // won YTD 5,000.00 − 500.00 = 4,500.00; a year earlier 2,500.00 →
        // 100 × 2,000/2,500 = 80.00.
        assert_eq!((m01.won_ytd, m01.won_prev), (450_000, 250_000));
        assert_eq!(m01.growth_pct(), Rational::new(80, 1));
        // M02: A3 (3 products, broad) and A5 (none) → 3 of 8 = 37.50%;
        // broad 1 of 2 = 50.00%; won YTD 0.00 against 1,000.00 a year
        // earlier (A3's CRM on 2012-01-30) → 100 × (0 − 1,000)/1,000 = −100.00.
        let m02 = Figures::of(
            &accounts_of(&c, &accounts, Some(&c.members[1])),
            &h,
            &cat,
            &c,
            3,
        );
        assert_eq!(m02.penetration_pct(), Rational::new(75, 2));
        assert_eq!(m02.broad_pct(), Rational::new(50, 1));
        assert_eq!(m02.new_products, 0);
        assert_eq!((m02.won_ytd, m02.won_prev), (0, 100_000));
        assert_eq!(m02.growth_pct(), Rational::new(-100, 1));
        // Team: A1, A2, A3, A5 (not A4) → 5 of 16 = 31.25%.
        let team = Figures::of(&accounts_of(&c, &accounts, None), &h, &cat, &c, 3);
        assert_eq!((team.accounts, team.owned_pairs), (4, 5));
        assert_eq!(team.penetration_pct(), Rational::new(125, 4));
        // Account scope: only A1 and A3 → 2 + 3 = 5 of 8 = 62.50%.
        let mut scoped = c.clone();
        scoped.accounts = Some(vec!["A1".into(), "A3".into(), "A4".into()]);
        let team = Figures::of(&accounts_of(&scoped, &accounts, None), &h, &cat, &c, 3);
        assert_eq!(team.penetration_pct(), Rational::new(125, 2));
        // No accounts: every ratio missing, never 0.
        let none = Figures::of(&[], &h, &cat, &c, 3);
        assert_eq!(
            (none.penetration_pct(), none.broad_pct(), none.growth_pct()),
            (None, None, None)
        );
        // An empty catalog: nothing to own, breadth missing too.
        let empty = Catalog::new(None, &Facts::default()).0;
        let list = accounts_of(&c, &accounts, None);
        let f = Figures::of(&list, &Holdings::new(&f, &empty), &empty, &c, 3);
        assert_eq!((f.penetration_pct(), f.broad_pct()), (None, None));
    }

    #[test]
    fn configured_catalog() {
        let c = ctx(d(2013, 1, 30));
        let f = facts(&sample(), &c, &[]).unwrap();
        let list = vec![
            "office".to_string(),
            "Azure".to_string(),
            "Teams".to_string(),
        ];
        let (cat, warnings) = Catalog::new(Some(&list), &f);
        assert_eq!(cat.products, vec!["Azure", "office", "Teams"]);
        assert_eq!(cat.position("Office"), Some(1));
        assert_eq!(cat.position("SQL"), None);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].ends_with(": Teams"), "{warnings:?}");
        assert!(
            warnings[1].ends_with(": CRM, Dynamics, SQL"),
            "{warnings:?}"
        );
        // A3 owns Office and Azure of this catalog (CRM is not in it).
        let h = Holdings::new(&f, &cat);
        assert_eq!(h.breadth("A3"), 2);
    }

    #[test]
    fn previous_window_and_leap_days() {
        let w = |cutoff| previous_window(&ctx(cutoff));
        assert_eq!(w(d(2013, 1, 30)), (d(2011, 7, 1), d(2012, 1, 30)));
        // D at the end of February: the earlier window ends at the end of
        // the earlier February, leap day included…
        assert_eq!(w(d(2013, 2, 28)).1, d(2012, 2, 29));
        // …and a leap day maps to the 28th.
        let mut c = ctx(d(2012, 2, 29));
        c.fy = Calendar::new(7, NamedBy::End).unwrap().year(2012).unwrap();
        assert_eq!(previous_window(&c), (d(2010, 7, 1), d(2011, 2, 28)));
        assert_eq!(w(d(2013, 2, 27)).1, d(2012, 2, 27));
    }

    #[test]
    fn growth_needs_a_positive_base() {
        let f = |ytd, prev| Figures {
            won_ytd: ytd,
            won_prev: prev,
            ..Figures::default()
        };
        assert_eq!(f(150, 100).growth_pct(), Rational::new(50, 1));
        assert_eq!(f(0, 100).growth_pct(), Rational::new(-100, 1));
        assert_eq!(f(100, 0).growth_pct(), None);
        assert_eq!(f(100, -100).growth_pct(), None);
    }
}
