//! The whitespace view (SPEC §3.3, §6): every account in scope against
//! every catalog product, each cell `owned` (owned at D), else `pipeline`
//! (an open line of the product on the account), else empty — the gap a
//! seller can fill. Built from the same [`Holdings`] as penetration.
//!
//! Two layouts: the contract's (rows by account_id, for CSV, JSON and
//! markdown) and the terminal's, where the accounts with the most won
//! revenue up to D come first and a last row counts the owners of each
//! product.

use std::cmp::Reverse;

use super::penetration::{accounts_of, Catalog, Holdings};
use super::Context;
use crate::ingest::Account;
use crate::report::{Cell, Table};

/// The columns: `account_id`, `account_name`, `owner_id`, then the catalog
/// in alphabetical order.
fn empty(catalog: &Catalog, title: &str) -> Table {
    const FIXED: [&str; 3] = ["account_id", "account_name", "owner_id"];
    // A product named like a fixed column (`owner_id`) must not overwrite
    // it in JSON: its column is `product: owner_id`.
    let products: Vec<String> = catalog
        .products
        .iter()
        .map(|p| {
            if FIXED.iter().any(|f| f.eq_ignore_ascii_case(p.trim())) {
                format!("product: {p}")
            } else {
                p.clone()
            }
        })
        .collect();
    let mut columns: Vec<&str> = FIXED.to_vec();
    columns.extend(products.iter().map(String::as_str));
    Table::new("whitespace", title, &columns)
}

fn row(a: &Account, h: &Holdings, catalog: &Catalog) -> Vec<Cell> {
    let held = h.of(&a.id);
    let (owned, open) = (held.owned, held.pipeline);
    let mut row = vec![
        Cell::text(&a.id),
        a.name.as_ref().map_or(Cell::Missing, Cell::text),
        a.owner_id.as_ref().map_or(Cell::Missing, Cell::text),
    ];
    row.extend((0..catalog.len()).map(|i| {
        if owned.is_some_and(|o| o.contains_key(&i)) {
            Cell::text("owned")
        } else if open.is_some_and(|o| o.contains(&i)) {
            Cell::text("pipeline")
        } else {
            Cell::text("")
        }
    }));
    row
}

/// The `whitespace` table: the accounts of the members in scope (in the
/// account scope), sorted by account_id.
pub fn table(ctx: &Context, accounts: &[Account], h: &Holdings, catalog: &Catalog) -> Table {
    let mut t = empty(
        catalog,
        "Whitespace (owned at D; pipeline: an open line; empty: a gap)",
    );
    for a in accounts_of(ctx, accounts, None) {
        t.push(row(a, h, catalog));
    }
    t
}

/// The terminal's view of the same cells: accounts by won revenue up to D
/// (every year, any owner), largest first, ties by account_id; then a row
/// with the number of accounts that own each product.
pub fn screen(ctx: &Context, accounts: &[Account], h: &Holdings, catalog: &Catalog) -> Table {
    let mut t = empty(
        catalog,
        "Whitespace, largest accounts first (won revenue to D); empty: a gap",
    );
    let mut list = accounts_of(ctx, accounts, None);
    list.sort_by_key(|a| {
        (
            Reverse(h.revenue(&a.id).map_or(0, |r| r.to_date)),
            a.id.clone(),
        )
    });
    let mut owners = vec![0i64; catalog.len()];
    for a in &list {
        if let Some(o) = h.owned(&a.id) {
            for i in o.keys() {
                owners[*i] += 1;
            }
        }
        t.push(row(a, h, catalog));
    }
    let mut total = vec![
        Cell::text("Total owned"),
        Cell::text(format!("{} accounts", list.len())),
        Cell::text(""),
    ];
    total.extend(owners.into_iter().map(Cell::Count));
    t.push(total);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::penetration::tests::{account, ctx, d, sample};
    use crate::metrics::penetration::{facts, Catalog, Holdings};

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Cell::Text(s) => s.clone(),
                        Cell::Count(n) => n.to_string(),
                        Cell::Missing => "∅".to_string(),
                        other => format!("{other:?}"),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn cells_and_orders() {
        let c = ctx(d(2013, 1, 30));
        let accounts = vec![
            account("A1", Some("M01")),
            account("A2", Some("M01")),
            account("A3", Some("M02")),
            account("A4", Some("M99")),
            account("A5", Some("M02")),
        ];
        let f = facts(&sample(), &c, &accounts).unwrap();
        let (cat, _) = Catalog::new(None, &f);
        let h = Holdings::new(&f, &cat);
        let t = table(&c, &accounts, &h, &cat);
        assert_eq!(
            t.columns,
            vec![
                "account_id",
                "account_name",
                "owner_id",
                "Azure",
                "CRM",
                "Office",
                "SQL"
            ]
        );
        let row = |id: &str, owner: &str, cells: [&str; 4]| {
            let mut r = vec![id.to_string(), format!("Account {id}"), owner.to_string()];
            r.extend(cells.iter().map(|s| s.to_string()));
            r
        };
        // A1: Azure and Office owned, CRM only lost (gap), SQL open.
        // A2: a credit on CRM and a won SQL line after D: nothing.
        // A3: Azure, CRM, Office owned. A4 (not a member's) is left out.
        // A5: no lines.
        let a1 = row("A1", "M01", ["owned", "", "owned", "pipeline"]);
        let a2 = row("A2", "M01", ["", "", "", ""]);
        let a3 = row("A3", "M02", ["owned", "owned", "owned", ""]);
        let a5 = row("A5", "M02", ["", "", "", ""]);
        assert_eq!(
            texts(&t),
            vec![a1.clone(), a2.clone(), a3.clone(), a5.clone()]
        );
        // On screen, by won revenue to D: A1 12,500.00, A3 3,000.00, A5
        // 0.00, A2 -500.00; then how many accounts own each product.
        let s = screen(&c, &accounts, &h, &cat);
        let total: Vec<String> = ["Total owned", "4 accounts", "", "2", "1", "2", "0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(texts(&s), vec![a1, a3, a5, a2, total]);
    }
}
