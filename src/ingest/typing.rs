//! Typing raw String columns with polars expressions: text (trimmed, blank
//! is null), money as exact integer cents and dates in the configured or
//! proven day/month order (both through the column kernels of `parse`),
//! statuses through the value mapping. A typed value that is
//! null where the raw one is not marks exactly the bad cells, which the
//! loader turns into problems with their lines.

use polars::prelude::*;

use super::parse::{self, MoneyStyle};
use crate::config::{DateOrder, LineStatus};
pub use crate::schema::Kind;

/// Trimmed text with blank as null (see [`parse::text_column`]: a column
/// that needs no trimming is passed on without a copy).
pub fn text(c: &str) -> Expr {
    text_of(col(c))
}

/// [`text`] of any String expression.
pub fn text_of(e: Expr) -> Expr {
    // A column held as codes stays codes.
    e.map(parse::text_column, |_, f| {
        Ok(match f.dtype() {
            DataType::Categorical(_, _) => f.clone(),
            _ => Field::new(f.name().clone(), DataType::String),
        })
    })
}

/// The words a CRM writes for a true / false flag (Salesforce's `IsWon`:
/// `1`/`0` in a Data Loader file, `true`/`false` in an API export).
pub const TRUE_WORDS: [&str; 6] = ["1", "true", "yes", "y", "t", "x"];
pub const FALSE_WORDS: [&str; 5] = ["0", "false", "no", "n", "f"];

/// A flag column as Boolean: true, false, or null when it says neither.
pub fn flag_of(e: Expr) -> Expr {
    let s = text_of(e).str().to_lowercase();
    let words = |w: &[&str]| lit(Series::new("w".into(), w.to_vec())).implode(false);
    when(s.clone().is_in(words(&TRUE_WORDS), false))
        .then(lit(true))
        .when(s.is_in(words(&FALSE_WORDS), false))
        .then(lit(false))
        .otherwise(lit(NULL).cast(DataType::Boolean))
}

/// Money as Int64 cents, exact (see [`parse::parse_money`]).
pub fn money(c: &str, style: MoneyStyle) -> Expr {
    col(c).map(
        move |col| parse::money_column(col, style),
        |_, f| Ok(Field::new(f.name().clone(), DataType::Int64)),
    )
}

/// True where an amount has more than two decimals (see
/// [`parse::has_subcent`]), false where it has not or is blank.
pub fn subcent(c: &str, decimal: char) -> Expr {
    col(c).map(
        move |v| parse::subcent_column(v, decimal),
        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
    )
}

/// A Date (see [`parse::parse_date_with`]): the configured formats, ISO
/// always, other orders as configured.
pub fn date(c: &str, order: Option<DateOrder>, formats: &[String]) -> Expr {
    let formats: std::sync::Arc<[String]> = formats.into();
    col(c).map(
        move |col| parse::date_column(col, order, &formats),
        |_, f| Ok(Field::new(f.name().clone(), DataType::Date)),
    )
}

/// The status mapped through `[values.status]` (lower-cased keys).
pub fn status(c: &str, values: &std::collections::BTreeMap<String, LineStatus>) -> Expr {
    status_of(col(c), values)
}

/// [`status`] of any String expression (see [`parse::status_column`]).
pub fn status_of(e: Expr, values: &std::collections::BTreeMap<String, LineStatus>) -> Expr {
    let values = std::sync::Arc::new(values.clone());
    e.map(
        move |c| parse::status_column(c, &values),
        |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
    )
}

/// How a table's cells are read: decimal mark, date order and formats.
#[derive(Clone, Debug, Default)]
pub struct CellStyle {
    pub money: MoneyStyle,
    pub date_order: Option<DateOrder>,
    pub date_formats: Vec<String>,
}

/// The typed expression of a column of `kind`.
pub fn typed(
    c: &str,
    kind: Kind,
    style: &CellStyle,
    statuses: &std::collections::BTreeMap<String, LineStatus>,
) -> Expr {
    match kind {
        Kind::Text => text(c),
        Kind::Money => money(c, style.money),
        Kind::Date => date(c, style.date_order, &style.date_formats),
        Kind::Status => status(c, statuses),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(values: &[Option<&str>], e: Expr) -> Vec<Option<i64>> {
        let df =
            DataFrame::new_infer_height(vec![Column::new("v".into(), values.to_vec())]).unwrap();
        let out = df.lazy().select([e.alias("o")]).collect().unwrap();
        out.column("o")
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect()
    }

    #[test]
    fn money_to_exact_cents() {
        let v = [
            Some("1500000.00"),
            Some("$1,500,000.00 "),
            Some("(1,200.00)"),
            Some("-12.5"),
            Some("USD 10,000.00"),
            Some("10.005"),
            Some("-10.005"),
            Some("0.1"),
            Some(".5"),
            Some("12abc"),
            Some("1,2,3"),
            Some(""),
            None,
            Some("42"),
            Some("99999999999.99"),
        ];
        assert_eq!(
            run(&v, money("v", MoneyStyle::default())),
            vec![
                Some(150_000_000),
                Some(150_000_000),
                Some(-120_000),
                Some(-1250),
                Some(1_000_000),
                Some(1001),
                Some(-1001),
                Some(10),
                Some(50),
                None,
                None,
                None,
                None,
                Some(4200),
                Some(9_999_999_999_999),
            ]
        );
    }

    #[test]
    fn dates_in_each_order() {
        // Days since 1970-01-01: 2013-01-30 is 15735.
        let v = [
            Some("2013-01-30"),
            Some("2024-01-22T16:14:25.000+0000"),
            Some("30/01/2013"),
            Some("1/30/2013"),
            Some("2013-02-30"),
            Some("x"),
        ];
        assert_eq!(
            run(&v, date("v", Some(DateOrder::Dmy), &[])),
            vec![Some(15735), Some(19744), Some(15735), None, None, None]
        );
        assert_eq!(
            run(&v, date("v", Some(DateOrder::Mdy), &[])),
            vec![Some(15735), Some(19744), None, Some(15735), None, None]
        );
        assert_eq!(
            run(
                &[Some("5/20/2024 7:42")],
                date("v", Some(DateOrder::Mdy), &[])
            ),
            vec![Some(19863)]
        );
        assert_eq!(run(&[Some("30/01/2013")], date("v", None, &[])), vec![None]);
    }
}
