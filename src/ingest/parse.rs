//! Cell parsers for money and dates, as plain Rust functions over one string
//! (tested here on every form SPEC §1.2 lists) and as polars column kernels
//! (`money_column`, `date_column`) that the typing stage maps over a whole
//! column at once. Money becomes exact integer cents; a date becomes days
//! since 1970-01-01 (polars' Date). Anything not understood is `None`, which
//! the loader reports with its file, line and value.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::config::DateOrder;

/// How amounts are written: the decimal mark (`.` or `,`); the other one,
/// spaces, no-break spaces and `'` may group thousands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MoneyStyle {
    pub decimal: char,
}

impl Default for MoneyStyle {
    fn default() -> Self {
        MoneyStyle { decimal: '.' }
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{00A0}' || c == '\u{202F}'
}

const SYMBOLS: &[char] = &['$', '€', '£', '¥', '₹', '₩', '₽', '₺'];

/// Strips a currency symbol or ISO code (`USD`, `EUR`) at either end.
fn strip_currency(s: &str) -> &str {
    let s = s.trim_matches(is_space);
    let s = s.strip_prefix(SYMBOLS).unwrap_or(s);
    let s = s.strip_suffix(SYMBOLS).unwrap_or(s);
    let s = s.trim_matches(is_space);
    let code = |t: &str| t.len() == 3 && t.chars().all(|c| c.is_ascii_uppercase());
    let s = match s.get(..3) {
        Some(head)
            if code(head)
                && s[3..].starts_with(|c: char| {
                    is_space(c) || c.is_ascii_digit() || c == '-' || c == '('
                }) =>
        {
            &s[3..]
        }
        _ => s,
    };
    let s = match s
        .len()
        .checked_sub(3)
        .and_then(|i| s.get(i..).map(|t| (i, t)))
    {
        Some((i, tail))
            if code(tail)
                && s[..i].ends_with(|c: char| is_space(c) || c.is_ascii_digit() || c == ')') =>
        {
            &s[..i]
        }
        _ => s,
    };
    s.trim_matches(is_space)
}

/// The largest amount read, in cents: 10^12 currency units.
pub const MAX_CENTS: i64 = 100_000_000_000_000;

/// Parses an amount into cents, rounding a third decimal half away from zero.
pub fn parse_money(raw: &str, style: MoneyStyle) -> Option<i64> {
    let mut s = strip_currency(raw);
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        negative = true;
        s = strip_currency(inner);
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = strip_currency(rest);
    } else if let Some(rest) = s.strip_prefix('+') {
        s = strip_currency(rest);
    }
    if s.is_empty() {
        return None;
    }
    let (int_part, frac_part) = match s.rfind(style.decimal) {
        Some(i) => (&s[..i], &s[i + style.decimal.len_utf8()..]),
        None => (s, ""),
    };
    if !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // The integer part: plain digits, or groups of three after a group
    // separator (one kind of separator in a value).
    let mut digits = String::with_capacity(int_part.len());
    let mut sep: Option<char> = None;
    let mut group_len: Option<usize> = None; // digits since the last separator
    let mut first_group = 0usize;
    for c in int_part.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            match group_len.as_mut() {
                Some(n) => *n += 1,
                None => first_group += 1,
            }
        } else if c != style.decimal && (c == ',' || c == '.' || c == '\'' || is_space(c)) {
            let kind = if is_space(c) { ' ' } else { c };
            if sep.is_some_and(|k| k != kind) {
                return None;
            }
            sep = Some(kind);
            match group_len {
                Some(3) => {}
                Some(_) => return None,
                None if (1..=3).contains(&first_group) => {}
                None => return None,
            }
            group_len = Some(0);
        } else {
            return None;
        }
    }
    if group_len.is_some_and(|n| n != 3) {
        return None;
    }
    if digits.is_empty() && frac_part.is_empty() {
        return None;
    }
    let int: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let mut frac = frac_part.bytes().map(|b| (b - b'0') as i64);
    let d1 = frac.next().unwrap_or(0);
    let d2 = frac.next().unwrap_or(0);
    let d3 = frac.next().unwrap_or(0);
    let cents = int
        .checked_mul(100)?
        .checked_add(d1 * 10 + d2 + i64::from(d3 >= 5))?;
    // Sums of millions of lines must not overflow: no single amount above
    // a trillion (10^12) currency units.
    if cents > MAX_CENTS {
        return None;
    }
    Some(if negative { -cents } else { cents })
}

/// Parses a date: ISO `2013-01-30` (a time after it, `T16:14:25.000+0000`
/// or ` 7:42`, is ignored), `2013/01/30`, or day/month/year and
/// month/day/year with `/`, `.` or `-` in the configured order.
pub fn parse_date(raw: &str, order: Option<DateOrder>) -> Option<NaiveDate> {
    parse_date_with(raw, order, &[])
}

/// [`parse_date`] after the configured `formats` (chrono strftime, tried in
/// order; a format with a time reads the date of a date-time).
pub fn parse_date_with(
    raw: &str,
    order: Option<DateOrder>,
    formats: &[String],
) -> Option<NaiveDate> {
    let s = raw.trim_matches(is_space);
    for f in formats {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(dt.date());
        }
    }
    // Cut a time part: ISO's `T` after the date, or a space.
    let date = match s.find([' ', 'T']) {
        Some(i) => &s[..i],
        None => s,
    };
    let mut parts = date.split(['-', '/', '.']);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let num = |t: &str, max_len: usize| -> Option<u32> {
        (!t.is_empty() && t.len() <= max_len && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (y, m, d) = if a.len() == 4 {
        (num(a, 4)?, num(b, 2)?, num(c, 2)?)
    } else {
        if c.len() != 4 {
            return None;
        }
        match order? {
            DateOrder::Dmy => (num(c, 4)?, num(b, 2)?, num(a, 2)?),
            DateOrder::Mdy => (num(c, 4)?, num(a, 2)?, num(b, 2)?),
            DateOrder::Ymd => return None,
        }
    };
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// The currency an amount is written in, when it says (`$`, `€`, `USD`…),
/// as an ISO code (`$` is read as USD).
pub fn currency_of(raw: &str) -> Option<String> {
    // The usual plain amount (`19900.00`) has nothing else: the fast way
    // out, for millions of lines.
    if raw.bytes().all(|b| {
        b.is_ascii_digit() || matches!(b, b'.' | b',' | b'\'' | b'(' | b')' | b'+' | b'-' | b' ')
    }) {
        return None;
    }
    // Only an amount has a currency: `TBD` or `N/A` is not a code.
    if !raw.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let s = raw.trim_matches(is_space);
    let s = s.trim_start_matches(['(', '-', '+']).trim_matches(is_space);
    let symbol = |c: char| match c {
        '$' => Some("USD"),
        '€' => Some("EUR"),
        '£' => Some("GBP"),
        '¥' => Some("JPY"),
        '₹' => Some("INR"),
        '₩' => Some("KRW"),
        '₽' => Some("RUB"),
        '₺' => Some("TRY"),
        _ => None,
    };
    if let Some(code) = s.chars().next().and_then(symbol) {
        return Some(code.to_string());
    }
    let t = s.trim_end_matches([')']).trim_matches(is_space);
    if let Some(code) = t.chars().last().and_then(symbol) {
        return Some(code.to_string());
    }
    let code = |x: &str| x.len() == 3 && x.chars().all(|c| c.is_ascii_uppercase());
    if let Some(head) = s.get(..3).filter(|h| code(h)) {
        return Some(head.to_string());
    }
    t.len()
        .checked_sub(3)
        .and_then(|i| t.get(i..))
        .filter(|x| code(x))
        .map(str::to_string)
}

/// What a column's amounts say about their decimal mark: the first value
/// that proves `.`, the first that proves `,`, and the first that reads
/// either way (one mark followed by exactly three digits, `1,500`), each
/// as (row position, value).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecimalEvidence {
    pub dot: Option<(usize, String)>,
    pub comma: Option<(usize, String)>,
    /// The first value that reads both ways, with its mark.
    pub either: Option<(usize, String)>,
    /// The first such value with the other mark (`1.500` after `1,500`):
    /// the column then mixes marks whichever way it is read.
    pub either_other: Option<(usize, String)>,
}

/// Scans a column for [`DecimalEvidence`] (no allocation per value: a
/// column of millions of amounts is read once).
pub fn decimal_evidence<'a>(values: impl Iterator<Item = Option<&'a str>>) -> DecimalEvidence {
    let mut ev = DecimalEvidence::default();
    for (i, v) in values.enumerate() {
        let Some(v) = v else { continue };
        if ev.dot.is_some() && ev.comma.is_some() && ev.either_other.is_some() {
            break;
        }
        // Marks among the digits, the digits after the last mark, and
        // whether the digits before the first mark are all zero (`0,500`:
        // a thousands group never follows a lone 0).
        let (mut dots, mut commas, mut last, mut after) = (0usize, 0usize, 0u8, 0usize);
        let mut zero_lead = true;
        for b in v.bytes() {
            match b {
                b'.' | b',' => {
                    if b == b'.' {
                        dots += 1;
                    } else {
                        commas += 1;
                    }
                    last = b;
                    after = 0;
                }
                b'0'..=b'9' => {
                    if last == 0 && b != b'0' {
                        zero_lead = false;
                    }
                    after += 1;
                }
                _ => {}
            }
        }
        let proof = match (dots, commas) {
            (0, 0) => None,
            (n, 0) | (0, n) => {
                let mark = last as char;
                let other = if mark == '.' { ',' } else { '.' };
                if n > 1 {
                    // Several of one mark: they group thousands.
                    Some(other)
                } else if after == 3 && !zero_lead {
                    let mark_of = |x: &Option<(usize, String)>| {
                        x.as_ref().map(|(_, t)| t.contains('.') && !t.contains(','))
                    };
                    match mark_of(&ev.either) {
                        None => ev.either = Some((i, v.to_string())),
                        Some(was_dot) if was_dot != (mark == '.') && ev.either_other.is_none() => {
                            ev.either_other = Some((i, v.to_string()))
                        }
                        Some(_) => {}
                    }
                    None
                } else {
                    Some(mark)
                }
            }
            // Both marks: the last one is the decimal, if it is single.
            _ if last == b'.' && dots == 1 => Some('.'),
            _ if last == b',' && commas == 1 => Some(','),
            _ => None,
        };
        let slot = match proof {
            Some('.') => &mut ev.dot,
            Some(',') => &mut ev.comma,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some((i, v.to_string()));
        }
    }
    ev
}

/// What a column's slash dates (`03/04/2013`) say about their order when
/// none is configured: how many there are, and the first of them, the first
/// whose first part is above 12 (so it is the day) and the first whose
/// second part is, as (row position, value).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlashEvidence {
    pub count: u64,
    pub first: Option<(usize, String)>,
    pub day_first: Option<(usize, String)>,
    pub day_second: Option<(usize, String)>,
}

/// Scans a column for [`SlashEvidence`].
pub fn slash_date_evidence<'a>(values: impl Iterator<Item = Option<&'a str>>) -> SlashEvidence {
    let mut ev = SlashEvidence::default();
    for (i, v) in values.enumerate() {
        let Some(v) = v else { continue };
        let s = v.trim_matches(is_space);
        let date = s.split([' ', 'T']).next().unwrap_or("");
        // Three parts, the first of one or two digits, the last of four
        // (`2013-01-30` starts with four: not a slash date). No allocation.
        let mut parts = date.split(['/', '.', '-']);
        let (Some(p0), Some(p1), Some(p2), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if p0.len() > 2 || p2.len() != 4 {
            continue;
        }
        let (Ok(a), Ok(b)) = (p0.parse::<u32>(), p1.parse::<u32>()) else {
            continue;
        };
        ev.count += 1;
        let here = || Some((i, v.to_string()));
        if ev.first.is_none() {
            ev.first = here();
        }
        if a > 12 && ev.day_first.is_none() {
            ev.day_first = here();
        }
        if b > 12 && ev.day_second.is_none() {
            ev.day_second = here();
        }
    }
    ev
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// Polars kernel: trimmed text, blank as null. A column with nothing to trim
/// (the usual clean export) is returned as it is, without a copy.
pub fn text_column(c: Column) -> PolarsResult<Column> {
    let ca = c.str()?;
    let untidy = |s: &str| {
        s.is_empty() || s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace)
    };
    if !ca.iter().flatten().any(untidy) {
        return Ok(c);
    }
    let out: StringChunked = ca
        .iter()
        .map(|v| v.map(str::trim).filter(|t| !t.is_empty()))
        .collect();
    Ok(out.with_name(c.name().clone()).into_column())
}

/// Polars kernel: a String column to Int64 cents.
pub fn money_column(c: Column, style: MoneyStyle) -> PolarsResult<Column> {
    let ca = c.str()?;
    let out: Int64Chunked = ca
        .iter()
        .map(|v| v.and_then(|s| parse_money(s, style)))
        .collect();
    Ok(out.with_name(c.name().clone()).into_column())
}

/// Polars kernel: a String column to Date.
pub fn date_column(
    c: Column,
    order: Option<DateOrder>,
    formats: &[String],
) -> PolarsResult<Column> {
    let ca = c.str()?;
    let e = epoch();
    let out: Int32Chunked = ca
        .iter()
        .map(|v| {
            v.and_then(|s| parse_date_with(s, order, formats))
                .map(|d| (d - e).num_days() as i32)
        })
        .collect();
    out.with_name(c.name().clone())
        .into_column()
        .cast(&DataType::Date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Option<i64> {
        parse_money(s, MoneyStyle::default())
    }

    #[test]
    fn money_forms() {
        assert_eq!(m("1500000.00"), Some(150_000_000));
        assert_eq!(m("$1,500,000.00 "), Some(150_000_000));
        assert_eq!(m("(1,200.00)"), Some(-120_000));
        assert_eq!(m("USD 10,000.00"), Some(1_000_000));
        assert_eq!(m("10,000.00 EUR"), Some(1_000_000));
        assert_eq!(m("-12.5"), Some(-1250));
        assert_eq!(m("-$12.50"), Some(-1250));
        assert_eq!(m("$-12.50"), Some(-1250));
        assert_eq!(m("1\u{00A0}234.56"), Some(123_456));
        assert_eq!(m("1'234.56"), Some(123_456));
        assert_eq!(m(".5"), Some(50));
        assert_eq!(m("42"), Some(4200));
        assert_eq!(m("0.1"), Some(10));
        assert_eq!(m("1000000000000.00"), Some(MAX_CENTS));
        assert_eq!(m("1000000000000.01"), None);
    }

    #[test]
    fn money_rounds_the_third_decimal_half_away_from_zero() {
        assert_eq!(m("10.005"), Some(1001));
        assert_eq!(m("10.0049"), Some(1000));
        assert_eq!(m("-10.005"), Some(-1001));
        assert_eq!(m("0.995"), Some(100));
    }

    #[test]
    fn money_rejects_what_it_does_not_understand() {
        for bad in [
            "",
            "abc",
            "12abc",
            "1,2,3",
            "1,23.00",
            "1.234,56",
            "--5",
            "$",
            "1 234,567.00",
            "12.3.4",
            "99999999999999999999",
        ] {
            assert_eq!(m(bad), None, "{bad}");
        }
    }

    #[test]
    fn money_with_decimal_comma() {
        let it = MoneyStyle { decimal: ',' };
        assert_eq!(parse_money("€ 1.234,56", it), Some(123_456));
        assert_eq!(parse_money("1234,5", it), Some(123_450));
        assert_eq!(parse_money("-1 234,56", it), Some(-123_456));
        assert_eq!(parse_money("1,234.56", it), None);
    }

    fn d(y: i32, mo: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, mo, day)
    }

    #[test]
    fn date_forms() {
        assert_eq!(parse_date("2013-01-30", None), d(2013, 1, 30));
        assert_eq!(
            parse_date("2024-01-22T16:14:25.000+0000", None),
            d(2024, 1, 22)
        );
        assert_eq!(parse_date("2013/01/30", None), d(2013, 1, 30));
        assert_eq!(
            parse_date("30/01/2013", Some(DateOrder::Dmy)),
            d(2013, 1, 30)
        );
        assert_eq!(
            parse_date("1/30/2013", Some(DateOrder::Mdy)),
            d(2013, 1, 30)
        );
        assert_eq!(
            parse_date("5/20/2024 7:42", Some(DateOrder::Mdy)),
            d(2024, 5, 20)
        );
        assert_eq!(
            parse_date("30.01.2013", Some(DateOrder::Dmy)),
            d(2013, 1, 30)
        );
        assert_eq!(parse_date(" 2012-02-29 ", None), d(2012, 2, 29));
    }

    #[test]
    fn configured_date_formats_come_first() {
        let f = vec!["%d-%b-%Y".to_string(), "%Y%m%d %H:%M".to_string()];
        assert_eq!(parse_date_with("30-Jan-2013", None, &f), d(2013, 1, 30));
        assert_eq!(parse_date_with("20130130 16:14", None, &f), d(2013, 1, 30));
        // The built-in forms still apply after them.
        assert_eq!(parse_date_with("2013-01-30", None, &f), d(2013, 1, 30));
        assert_eq!(parse_date_with("30-Jnu-2013", None, &f), None);
        assert_eq!(parse_date_with("31-Feb-2013", None, &f), None);
    }

    #[test]
    fn dates_never_guessed() {
        assert_eq!(parse_date("30/01/2013", None), None);
        assert_eq!(parse_date("31/02/2013", Some(DateOrder::Dmy)), None);
        assert_eq!(parse_date("2013-13-01", None), None);
        assert_eq!(parse_date("2013-02-29", None), None);
        assert_eq!(parse_date("1/30/13", Some(DateOrder::Mdy)), None);
        assert_eq!(parse_date("x", None), None);
        assert_eq!(parse_date("2013-01-30-1", None), None);
    }

    #[test]
    fn text_is_trimmed_and_blank_is_null() {
        let c = Column::new(
            "t".into(),
            [Some(" a "), Some(""), Some("  "), None, Some("b\u{00A0}")],
        );
        let out = text_column(c).unwrap();
        let v: Vec<Option<&str>> = out.str().unwrap().iter().collect();
        assert_eq!(v, vec![Some("a"), None, None, None, Some("b")]);
        let clean = Column::new("t".into(), [Some("a"), None, Some("b c")]);
        let out = text_column(clean.clone()).unwrap();
        assert_eq!(out, clean);
    }

    #[test]
    fn decimal_mark_evidence() {
        let ev = |v: &[&str]| decimal_evidence(v.iter().map(|s| Some(*s)));
        let pos = |x: Option<(usize, String)>| x.map(|(i, _)| i);
        // 12.50 proves a point; 1.234,56 and 12,5 a comma; 1.234.567 (two
        // dots grouping) a comma; 1,500 and 1.500 read both ways.
        let e = ev(&["42", "1,500", "$12.50", "(1,200.00)"]);
        assert_eq!(
            (pos(e.dot), pos(e.comma), pos(e.either)),
            (Some(2), None, Some(1))
        );
        let e = ev(&["€ 1.234,56", "12,5", "1.234.567"]);
        assert_eq!(
            (pos(e.dot), pos(e.comma), pos(e.either)),
            (None, Some(0), None)
        );
        let e = ev(&["1.500"]);
        assert_eq!(
            (pos(e.dot), pos(e.comma), pos(e.either)),
            (None, None, Some(0))
        );
        let e = ev(&["1.234.567"]);
        assert_eq!(pos(e.comma), Some(0));
        let e = ev(&["1,234,567.5", "1.234,5"]);
        assert_eq!((pos(e.dot), pos(e.comma)), (Some(0), Some(1)));
        // No marks at all: no evidence.
        assert_eq!(ev(&["100", "", "USD 5"]), DecimalEvidence::default());
        // A lone 0 before the mark: never a thousands group.
        let e = ev(&["0,500", "0.250"]);
        assert_eq!(
            (pos(e.dot), pos(e.comma), pos(e.either)),
            (Some(1), Some(0), None)
        );
        // Values that read both ways, but with different marks.
        let e = ev(&["1,500", "2,500", "2.000"]);
        assert_eq!((pos(e.either), pos(e.either_other)), (Some(0), Some(2)));
    }

    #[test]
    fn currencies_of_amounts() {
        assert_eq!(currency_of("$1,500.00 ").as_deref(), Some("USD"));
        assert_eq!(currency_of("USD 10,000.00").as_deref(), Some("USD"));
        assert_eq!(currency_of("€ 1.234,56").as_deref(), Some("EUR"));
        assert_eq!(currency_of("1.234,56 €").as_deref(), Some("EUR"));
        assert_eq!(currency_of("(£1,200.00)").as_deref(), Some("GBP"));
        assert_eq!(currency_of("-CHF 5").as_deref(), Some("CHF"));
        assert_eq!(currency_of("10.00 EUR").as_deref(), Some("EUR"));
        assert_eq!(currency_of("1500.00"), None);
        assert_eq!(currency_of("(1,200.00)"), None);
        assert_eq!(currency_of("TBD"), None);
        assert_eq!(currency_of("N/A"), None);
    }

    #[test]
    fn slash_evidence() {
        let v = [
            Some("30/01/2013"),
            Some("2013-01-02"),
            None,
            Some("5/12/2013 7:42"),
            Some("1/13/2013"),
        ];
        let ev = slash_date_evidence(v.into_iter());
        assert_eq!(ev.count, 3);
        assert_eq!(ev.first, Some((0, "30/01/2013".to_string())));
        assert_eq!(ev.day_first, Some((0, "30/01/2013".to_string())));
        assert_eq!(ev.day_second, Some((4, "1/13/2013".to_string())));
    }
}
