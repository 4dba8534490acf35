//! Typing raw String columns with polars expressions: text (trimmed, blank
//! is null), money as exact integer cents, dates in the configured or proven
//! day/month order, statuses through the value mapping. A typed value that is
//! null where the raw one is not marks exactly the bad cells, which the
//! loader turns into problems with their lines.

use polars::prelude::*;

use crate::config::{DateOrder, LineStatus};

/// The kinds of typed column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Trimmed text; blank is null.
    Text,
    /// Money as `Int64` cents.
    Money,
    /// A `Date`.
    Date,
    /// `won` / `lost` / `open` through `[values.status]`.
    Status,
}

/// Trimmed text with blank as null.
pub fn text(c: &str) -> Expr {
    let s = col(c).str().strip_chars(lit(NULL));
    when(s.clone().eq(lit(""))).then(lit(NULL)).otherwise(s)
}

/// Money as Int64 cents, exact: `1500000.00`, `$1,500,000.00 `, `(1,200.00)`,
/// `-12.5`, `USD 10,000.00`. More than two decimals round half away from zero
/// on the third. Anything else is null.
pub fn money(c: &str) -> Expr {
    // Spaces (also no-break ones), currency symbols and ISO codes go first.
    let s = text(c)
        .str()
        .replace_all(lit(r"[\s\u{00A0}\u{202F}]"), lit(""), false)
        .str()
        .replace_all(
            lit(r"^([A-Z]{3}|[$€£¥])|([A-Z]{3}|[$€£¥])$"),
            lit(""),
            false,
        );
    let paren = s.clone().str().contains(lit(r"^\(.*\)$"), false);
    let s = s.str().replace_all(lit(r"^\((.*)\)$"), lit("$1"), false);
    let s = s
        .clone()
        .str()
        .replace_all(lit(r"^([$€£¥]|[A-Z]{3})"), lit(""), false);
    let minus = s.clone().str().starts_with(lit("-"));
    let s = s.str().replace_all(lit(r"^[-+]"), lit(""), false);
    // Thousands separators: commas between groups of three digits.
    let valid = s
        .clone()
        .str()
        .contains(lit(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d*)?$|^\.\d+$"), false);
    let digits = s.str().replace_all(lit(","), lit(""), true);
    let int_part = digits
        .clone()
        .str()
        .extract(lit(r"^(\d*)"), 1)
        .str()
        .pad_start(lit(1), '0')
        .cast(DataType::Int64);
    let frac3 = concat_str(
        [
            digits.str().extract(lit(r"\.(\d*)$"), 1).fill_null(lit("")),
            lit("000"),
        ],
        "",
        false,
    )
    .str()
    .slice(lit(0), lit(3))
    .cast(DataType::Int64);
    let cents = int_part * lit(100i64) + (frac3 + lit(5i64)) / lit(10i64);
    let negative = paren.or(minus);
    when(valid.not())
        .then(lit(NULL).cast(DataType::Int64))
        .when(negative)
        .then(lit(0i64) - cents.clone())
        .otherwise(cents)
}

fn strptime(s: Expr, fmt: &str) -> Expr {
    s.str().to_date(StrptimeOptions {
        format: Some(fmt.into()),
        strict: false,
        exact: true,
        cache: true,
    })
}

/// The date part of a cell: `2013-01-30`, `2024-01-22T16:14:25.000+0000` and
/// `5/20/2024 7:42` keep what comes before the time.
pub fn date_part(c: &str) -> Expr {
    text(c)
        .str()
        .replace(lit(r"[T ]\d{1,2}:\d{2}.*$"), lit(""), false)
}

/// A Date; ISO dates always, slash, dot and dash dates in `order`.
pub fn date(c: &str, order: Option<DateOrder>) -> Expr {
    let s = date_part(c)
        .str()
        .replace_all(lit(r"[./]"), lit("-"), false);
    // Zero-pad one-digit parts so fixed-width formats read them.
    let s = s
        .str()
        .replace_all(lit(r"(^|-)(\d)(-|$)"), lit("${1}0${2}${3}"), false)
        .str()
        .replace_all(lit(r"(^|-)(\d)(-|$)"), lit("${1}0${2}${3}"), false);
    let iso = strptime(s.clone(), "%Y-%m-%d");
    match order {
        None | Some(DateOrder::Ymd) => iso,
        Some(DateOrder::Dmy) => coalesce(&[iso, strptime(s, "%d-%m-%Y")]),
        Some(DateOrder::Mdy) => coalesce(&[iso, strptime(s, "%m-%d-%Y")]),
    }
}

/// The status mapped through `[values.status]` (lower-cased keys).
pub fn status(c: &str, values: &std::collections::BTreeMap<String, LineStatus>) -> Expr {
    let s = text(c).str().to_lowercase();
    let mut e: Option<Expr> = None;
    for st in [LineStatus::Won, LineStatus::Lost, LineStatus::Open] {
        let words: Vec<&str> = values
            .iter()
            .filter(|(_, v)| **v == st)
            .map(|(k, _)| k.as_str())
            .collect();
        if words.is_empty() {
            continue;
        }
        let list = Series::new("w".into(), words);
        let cond = s.clone().is_in(lit(list).implode(false), false);
        e = Some(match e {
            None => when(cond)
                .then(lit(st.as_str()))
                .otherwise(lit(NULL).cast(DataType::String)),
            Some(prev) => when(cond).then(lit(st.as_str())).otherwise(prev),
        });
    }
    e.unwrap_or_else(|| lit(NULL).cast(DataType::String))
}

/// The typed expression of a column of `kind`.
pub fn typed(
    c: &str,
    kind: Kind,
    order: Option<DateOrder>,
    statuses: &std::collections::BTreeMap<String, LineStatus>,
) -> Expr {
    match kind {
        Kind::Text => text(c),
        Kind::Money => money(c),
        Kind::Date => date(c, order),
        Kind::Status => status(c, statuses),
    }
}

/// For a column of slash dates with no configured order: the largest first
/// and second parts, which prove the order when one exceeds 12.
pub fn slash_date_parts(c: &str) -> [Expr; 3] {
    let s = date_part(c);
    let m = s
        .clone()
        .str()
        .contains(lit(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$"), false);
    let first = s
        .clone()
        .str()
        .extract(lit(r"^(\d{1,2})[/.-]"), 1)
        .cast(DataType::Int32);
    let second = s
        .str()
        .extract(lit(r"^\d{1,2}[/.-](\d{1,2})[/.-]"), 1)
        .cast(DataType::Int32);
    [
        m.clone().sum().alias("n"),
        when(m.clone())
            .then(first)
            .otherwise(lit(NULL).cast(DataType::Int32))
            .max()
            .alias("first"),
        when(m)
            .then(second)
            .otherwise(lit(NULL).cast(DataType::Int32))
            .max()
            .alias("second"),
    ]
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
            run(&v, money("v")),
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
            run(&v, date("v", Some(DateOrder::Dmy))),
            vec![Some(15735), Some(19744), Some(15735), None, None, None]
        );
        assert_eq!(
            run(&v, date("v", Some(DateOrder::Mdy))),
            vec![Some(15735), Some(19744), None, Some(15735), None, None]
        );
        assert_eq!(
            run(&[Some("5/20/2024 7:42")], date("v", Some(DateOrder::Mdy))),
            vec![Some(19863)]
        );
        assert_eq!(run(&[Some("30/01/2013")], date("v", None)), vec![None]);
    }
}
