//! CSV renderer (SPEC §6): one table per CSV, a header row of column names,
//! numbers in plain form (`.` decimal mark, or `,` with `--csv-locale`, no
//! grouping, 2 decimals rounded half away from zero), missing values empty,
//! and the formula-injection guard on text.
//!
//! This file also owns the *plain* number forms shared by every renderer
//! ([`plain_rational`], [`plain_float`]): JSON parses them into numbers and
//! the human renderers group their thousands.

use std::io::{self, Write};

use super::{Cell, CsvStyle, Table};
use crate::num::Rational;

/// A UTF-8 byte order mark, for Excel to recognise the encoding.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes `t` as CSV: the header row, then one record per row.
pub fn render_table(t: &Table, style: &CsvStyle, out: &mut dyn Write) -> io::Result<()> {
    if style.bom {
        out.write_all(BOM)?;
    }
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(style.delimiter)
        .from_writer(&mut *out);
    // Column names can come from data (whitespace: one column per product),
    // so they get the same guard as text cells.
    w.write_record(t.columns.iter().map(|c| guard_formula(c)))?;
    for row in &t.rows {
        w.write_record(row.iter().map(|c| cell_text(c, style)))?;
    }
    w.flush()?;
    Ok(())
}

/// The CSV text of one cell.
fn cell_text(cell: &Cell, style: &CsvStyle) -> String {
    let number = |s: String| {
        if style.decimal_comma {
            s.replace('.', ",")
        } else {
            s
        }
    };
    match cell {
        Cell::Text(s) => guard_formula(s),
        Cell::Money(r) | Cell::Percent(r) | Cell::Ratio(r) => number(plain_rational(r)),
        Cell::Float(v) => plain_float(*v).map(number).unwrap_or_default(),
        Cell::Count(n) => n.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Status(s) => s.as_str().to_string(),
        Cell::Missing => String::new(),
    }
}

/// `r` with 2 decimals, `.` as the mark, no grouping, rounded half away from
/// zero; a value that rounds to zero is `0.00`, never `-0.00`.
pub(crate) fn plain_rational(r: &Rational) -> String {
    if r.round_units(2) == 0 {
        "0.00".to_string()
    } else {
        r.to_fixed(2)
    }
}

/// `v` rounded half away from zero to 2 decimals, in the same form as
/// [`plain_rational`]; `None` for NaN and infinities (written as missing).
pub(crate) fn plain_float(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    let hundredths = (v * 100.0).round();
    if !hundredths.is_finite() {
        return None;
    }
    if hundredths == 0.0 {
        return Some("0.00".to_string());
    }
    Some(format!("{:.2}", hundredths / 100.0))
}

/// Prefixes `'` to text that a spreadsheet would run as a formula: text
/// beginning with `=`, `+`, `-`, `@`, tab, CR or LF that is not a number.
fn guard_formula(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']);
    if risky && !is_plain_number(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// True for a plain decimal number: an optional sign, digits with an
/// optional `.` fraction, and an optional exponent (`-12.5`, `+1`, `1e3`).
/// Stricter than `f64::from_str`, which also takes `inf` and `NaN`.
fn is_plain_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = !(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn rat(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    /// Every cell variant, rounding both ways, negatives, missing values and
    /// formula-looking text.
    fn sample() -> Table {
        let mut t = Table::new(
            "sample",
            "Sample",
            &[
                "name", "money", "pct", "ratio", "float", "count", "flag", "status",
            ],
        );
        t.push(vec![
            Cell::text("Ann"),
            Cell::Money(Rational::from_cents(123_456_789)),
            Cell::Percent(rat(1, 8)),
            Cell::Ratio(rat(5, 2)),
            Cell::Float(0.125),
            Cell::Count(1234),
            Cell::Bool(true),
            Cell::Status(Status::Green),
        ]);
        t.push(vec![
            Cell::text("=SUM(A1)"),
            Cell::Money(Rational::from_cents(-50)),
            Cell::Percent(rat(-1, 8)),
            Cell::Ratio(rat(-1, 300)),
            Cell::Float(-0.125),
            Cell::Count(-3),
            Cell::Bool(false),
            Cell::Status(Status::Yellow),
        ]);
        t.push(vec![
            Cell::text("-foo"),
            Cell::Missing,
            Cell::Missing,
            Cell::Missing,
            Cell::Float(-0.001),
            Cell::Missing,
            Cell::Missing,
            Cell::Status(Status::Red),
        ]);
        t.push(vec![
            Cell::text("-12.5"),
            Cell::Money(Rational::ZERO),
            Cell::Percent(rat(187, 2)),
            Cell::Ratio(Rational::from_int(2)),
            Cell::Float(f64::NAN),
            Cell::Count(0),
            Cell::Missing,
            Cell::Missing,
        ]);
        for s in ["+1", "@cmd", "\tx", "\rx", "\nx", "a,b \"q\"", "-inf", ""] {
            let mut row = vec![Cell::Missing; 8];
            row[0] = Cell::text(s);
            t.push(row);
        }
        t
    }

    fn render(t: &Table, style: &CsvStyle) -> String {
        let mut buf = Vec::new();
        render_table(t, style, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn default_style() {
        let expected = "\
name,money,pct,ratio,float,count,flag,status
Ann,1234567.89,0.13,2.50,0.13,1234,true,green
'=SUM(A1),-0.50,-0.13,0.00,-0.13,-3,false,yellow
'-foo,,,,0.00,,,red
-12.5,0.00,93.50,2.00,,0,,
+1,,,,,,,
'@cmd,,,,,,,
'\tx,,,,,,,
\"'\rx\",,,,,,,
\"'\nx\",,,,,,,
\"a,b \"\"q\"\"\",,,,,,,
'-inf,,,,,,,
,,,,,,,
";
        assert_eq!(render(&sample(), &CsvStyle::default()), expected);
    }

    #[test]
    fn decimal_comma_semicolon_and_bom() {
        let style = CsvStyle {
            delimiter: b';',
            decimal_comma: true,
            bom: true,
        };
        let expected = "\u{feff}\
name;money;pct;ratio;float;count;flag;status
Ann;1234567,89;0,13;2,50;0,13;1234;true;green
'=SUM(A1);-0,50;-0,13;0,00;-0,13;-3;false;yellow
'-foo;;;;0,00;;;red
-12.5;0,00;93,50;2,00;;0;;
+1;;;;;;;
'@cmd;;;;;;;
'\tx;;;;;;;
\"'\rx\";;;;;;;
\"'\nx\";;;;;;;
\"a,b \"\"q\"\"\";;;;;;;
'-inf;;;;;;;
;;;;;;;
";
        let out = render(&sample(), &style);
        assert!(out.as_bytes().starts_with(BOM));
        assert_eq!(out, expected);
    }

    #[test]
    fn header_is_guarded_and_empty_table_has_header_only() {
        let t = Table::new("w", "W", &["account_id", "=HYPERLINK(x)", "-5"]);
        assert_eq!(
            render(&t, &CsvStyle::default()),
            "account_id,'=HYPERLINK(x),-5\n"
        );
    }

    #[test]
    fn plain_forms() {
        assert_eq!(plain_rational(&rat(1, 8)), "0.13");
        assert_eq!(plain_rational(&rat(-1, 8)), "-0.13");
        assert_eq!(plain_rational(&rat(-1, 300)), "0.00");
        assert_eq!(plain_float(0.125), Some("0.13".to_string()));
        assert_eq!(plain_float(-2.5), Some("-2.50".to_string()));
        assert_eq!(plain_float(-0.004), Some("0.00".to_string()));
        assert_eq!(plain_float(1234567.891), Some("1234567.89".to_string()));
        assert_eq!(plain_float(f64::INFINITY), None);
        assert_eq!(plain_float(f64::MAX), None);
    }

    #[test]
    fn numbers_for_the_guard() {
        for s in ["-12.5", "+1", "-.5", "-1.", "1e3", "-2E-4", "+0"] {
            assert!(is_plain_number(s), "{s}");
        }
        for s in [
            "-", "+", "-.", "-foo", "-1e", "-inf", "-NaN", "- 1", "-1,5", "=1",
        ] {
            assert!(!is_plain_number(s), "{s}");
        }
    }
}
