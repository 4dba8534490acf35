//! Cell parsers for money and dates, as plain Rust functions over one string
//! (tested here on every form SPEC §1.2 lists) and as polars column kernels
//! (`money_column`, `date_column`) that the typing stage maps over a whole
//! column at once. Money becomes exact integer cents; a date becomes days
//! since 1970-01-01 (polars' Date). Anything not understood is `None`, which
//! the loader reports with its file, line and value. The common date
//! formats of real exports (`COMMON_DATE_FORMATS`) are here too: an
//! unreadable date's hint and `atu init` propose them.

use chrono::{Datelike, NaiveDate};
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
    match plain_cents(raw, style.decimal) {
        Some(cents) => Some(cents),
        None => parse_money_general(raw, style),
    }
}

/// The cents of an amount written the plain way — an optional minus, one to
/// twelve digits, and optionally the decimal mark (ASCII) with up to two
/// digits (`16150.00`, `-12.5`, `300`) — as [`parse_money_general`] reads it
/// (twelve digits stay under [`MAX_CENTS`]); None for any other cell. The
/// usual export's amounts cost a few byte reads.
fn plain_cents(s: &str, decimal: char) -> Option<i64> {
    if !decimal.is_ascii() {
        return None;
    }
    let mark = decimal as u8;
    let (negative, b) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        b => (false, b),
    };
    let int_len = b.iter().take_while(|d| d.is_ascii_digit()).count();
    if int_len == 0 || int_len > 12 {
        return None;
    }
    let frac = match &b[int_len..] {
        [] => &[][..],
        [m, f @ ..] if *m == mark && f.len() <= 2 && f.iter().all(u8::is_ascii_digit) => f,
        _ => return None,
    };
    let digit = |d: &u8| i64::from(d - b'0');
    let int = b[..int_len].iter().fold(0i64, |n, d| n * 10 + digit(d));
    let cents = int * 100 + frac.first().map_or(0, digit) * 10 + frac.get(1).map_or(0, digit);
    Some(if negative { -cents } else { cents })
}

/// [`parse_money`] of any cell: currency symbols and codes, parentheses,
/// signs, groups of thousands, a third decimal.
fn parse_money_general(raw: &str, style: MoneyStyle) -> Option<i64> {
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

/// Parses a date: ISO `2013-01-30`, `2013/01/30`, or day/month/year and
/// month/day/year with `/`, `.` or `-` in the configured order; a
/// two-digit year (`26/02/24`, `26.02.24`) with `/` or `.` only, read by
/// [`two_digit_year`]'s pivot (`-` with a two-digit year, as in
/// `24-02-26`, is never read: it may be year-month-day or day-month-year).
/// A time after the date (see [`is_time_part`]) is ignored; anything else
/// after it makes the value unreadable.
pub fn parse_date(raw: &str, order: Option<DateOrder>) -> Option<NaiveDate> {
    parse_date_with(raw, order, &[])
}

/// [`parse_date`] after the configured `formats` (chrono strftime, tried in
/// order). A format reads the whole value (a format with a time reads the
/// date of a date-time), or the value's date part when what follows it is
/// a time ([`is_time_part`]): `%d %b, %Y` reads `16 Apr, 2021 00:03:00`,
/// never `16 Apr, 2021 later`.
pub fn parse_date_with(
    raw: &str,
    order: Option<DateOrder>,
    formats: &[String],
) -> Option<NaiveDate> {
    let s = raw.trim_matches(is_space);
    if let Some(d) = formats.iter().find_map(|f| parse_with_format(s, f)) {
        return Some(d);
    }
    // Cut a time part: ISO's `T` after the date, or a space.
    let date = match s.find([' ', 'T']) {
        Some(i) if is_time_part(&s[i..]) => &s[..i],
        Some(_) => return None,
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
        (num(a, 4)? as i32, num(b, 2)?, num(c, 2)?)
    } else {
        let year = match c.len() {
            4 => num(c, 4)? as i32,
            // `26/02/24`, `26.02.24`: one kind of separator, never `-`.
            2 if one_separator_not_dash(date) => two_digit_year(num(c, 2)?),
            _ => return None,
        };
        match order? {
            DateOrder::Dmy => (year, num(b, 2)?, num(a, 2)?),
            DateOrder::Mdy => (year, num(a, 2)?, num(b, 2)?),
            DateOrder::Ymd => return None,
        }
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The year of a two-digit year: 00–69 are 2000–2069, 70–99 are
/// 1970–1999, as chrono's `%y` reads it in `date_formats` (so that one rule
/// holds everywhere; POSIX `strptime` differs only for 69, 1969 there).
pub fn two_digit_year(yy: u32) -> i32 {
    if yy <= 69 {
        2000 + yy as i32
    } else {
        1900 + yy as i32
    }
}

/// Whether a date's two separators are the same, `/` or `.` (`26/02/24`,
/// `26.02.24`; not `24-02-26`, nor `26/02.24`).
fn one_separator_not_dash(date: &str) -> bool {
    let mut seps = date.bytes().filter(|b| matches!(b, b'-' | b'/' | b'.'));
    matches!((seps.next(), seps.next(), seps.next()), (Some(x), Some(y), None) if x == y && x != b'-')
}

/// One configured format over a trimmed value: the whole value (as a date,
/// else as a date-time), else the part before a time ([`is_time_part`]).
/// A year before 1000 is never a date of an export: it is `%Y` reading
/// the `21` of `16-Apr-21`, and such a value is not read.
fn parse_with_format(s: &str, f: &str) -> Option<NaiveDate> {
    let whole = NaiveDate::parse_from_str(s, f).ok().or_else(|| {
        chrono::NaiveDateTime::parse_from_str(s, f)
            .ok()
            .map(|dt| dt.date())
    });
    let d = whole.or_else(|| {
        s.char_indices()
            .filter(|(i, c)| (*c == ' ' || *c == 'T') && *i > 0 && is_time_part(&s[*i..]))
            .find_map(|(i, _)| NaiveDate::parse_from_str(s[..i].trim_end_matches(is_space), f).ok())
    })?;
    (d.year() >= 1000).then_some(d)
}

/// Whether `rest` (what follows a date, from its separator on) is a time:
/// a space or `T`, then `H:MM` or `HH:MM`, optionally `:SS` and a fraction
/// (`.000`), optionally `AM` / `PM` (any case, after a space or not), then
/// optionally a zone: `Z`, an offset (`+0000`, `+01:00`, `-05`), `UTC` or
/// `GMT` (with or without an offset). Hours up to 23 (12 with `AM` /
/// `PM`), minutes and seconds up to 59 (60 for a leap second).
/// `7:42`, `00:03:00`, `T16:14:25.000+0000` and ` 10:00 AM` are times;
/// ` later`, ` 7`, ` 25:00` and `T12` are not.
pub fn is_time_part(rest: &str) -> bool {
    let t = match rest.strip_prefix('T') {
        Some(t) => t,
        None => match rest.strip_prefix(' ') {
            Some(t) => t.trim_start_matches(is_space),
            None => return false,
        },
    };
    let b = t.as_bytes();
    let mut i = 0;
    // Up to `max` digits (at least `min`) as a number.
    let digits = |i: &mut usize, min: usize, max: usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i - start < min {
            return None;
        }
        t[start..*i].parse().ok()
    };
    let Some(hour) = digits(&mut i, 1, 2) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    match digits(&mut i, 2, 2) {
        Some(m) if m <= 59 => {}
        _ => return false,
    }
    if b.get(i) == Some(&b':') {
        i += 1;
        match digits(&mut i, 2, 2) {
            Some(s) if s <= 60 => {}
            _ => return false,
        }
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            if digits(&mut i, 1, 9).is_none() {
                return false;
            }
        }
    }
    let mut r = &t[i..];
    // AM / PM.
    let trimmed = r.trim_start_matches(is_space);
    let meridiem = trimmed
        .get(..2)
        .filter(|m| m.eq_ignore_ascii_case("am") || m.eq_ignore_ascii_case("pm"));
    if meridiem.is_some() {
        if hour > 12 {
            return false;
        }
        r = &trimmed[2..];
    } else if hour > 23 {
        return false;
    }
    // A zone.
    let z = r.trim_start_matches(is_space);
    if z.is_empty() {
        return true;
    }
    if z == "Z" {
        return true;
    }
    let z = ["UTC", "GMT"]
        .iter()
        .find_map(|n| z.strip_prefix(n))
        .map_or(z, |after| if after.is_empty() { "+00" } else { after });
    let Some(off) = z.strip_prefix(['+', '-']) else {
        return false;
    };
    // `h`, `hh`, `hhmm` or `hh:mm`.
    let (h, m) = match off.split_once(':') {
        Some((h, m)) => (h, Some(m)),
        None if off.len() == 4 => (&off[..2], Some(&off[2..])),
        None => (off, None),
    };
    let digits = |x: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&x.len()) && x.bytes().all(|c| c.is_ascii_digit())
    };
    digits(h, 1..=2) && m.is_none_or(|m| digits(m, 2..=2))
}

/// Date formats real exports use that the built-in reader does not read
/// (chrono strftime), in order of preference: what `atu init` proposes
/// and what an unreadable date's hint suggests. Slash and dot dates are
/// not here: `date_order` reads them.
pub const COMMON_DATE_FORMATS: &[&str] = &[
    "%d %b, %Y",    // 16 Apr, 2021 (Zoho)
    "%d %b %Y",     // 16 Apr 2021
    "%d %B %Y",     // 16 April 2021
    "%d %B, %Y",    // 16 April, 2021
    "%b %d, %Y",    // Apr 16, 2021
    "%B %d, %Y",    // April 16, 2021
    "%b %d %Y",     // Apr 16 2021
    "%B %d %Y",     // April 16 2021
    "%d-%b-%Y",     // 16-Apr-2021
    "%d-%b-%y",     // 16-Apr-21
    "%d/%b/%Y",     // 16/Apr/2021
    "%a, %d %b %Y", // Fri, 16 Apr 2021 (e-mail dates)
    "%Y%m%d",       // 20210416
];

/// The first of [`COMMON_DATE_FORMATS`] that reads `value` (a time after
/// the date aside).
pub fn common_date_format(value: &str) -> Option<&'static str> {
    let s = value.trim_matches(is_space);
    COMMON_DATE_FORMATS
        .iter()
        .copied()
        .find(|f| parse_with_format(s, f).is_some())
}

/// The formats of [`COMMON_DATE_FORMATS`] that read `values` (values the
/// built-in reader cannot read), each with the first value it reads, and
/// the values none reads. Few formats: each is the one that reads the most
/// values still unread (the earlier in the list on a tie), so
/// `16 Apr 2021` and `16 April 2021` together give `%d %B %Y` alone.
pub fn common_formats_for<'a>(values: &[&'a str]) -> (Vec<(&'static str, &'a str)>, Vec<&'a str>) {
    // Formats are counted on the first values still unread (a survey may
    // bring a hundred thousand date-times), on all of them when none of
    // those reads; then every value is sorted.
    const COUNTED: usize = 2_000;
    let reads = |v: &str, f: &str| parse_with_format(v.trim_matches(is_space), f).is_some();
    let mut left: Vec<&'a str> = values.to_vec();
    let mut chosen: Vec<(&'static str, &'a str)> = Vec::new();
    while !left.is_empty() {
        let best_of = |n: usize| {
            let mut best: Option<(usize, &'static str)> = None;
            for f in COMMON_DATE_FORMATS.iter().copied() {
                if chosen.iter().any(|(c, _)| *c == f) {
                    continue;
                }
                let count = left.iter().take(n).filter(|v| reads(v, f)).count();
                if count > 0 && best.is_none_or(|(m, _)| count > m) {
                    best = Some((count, f));
                }
            }
            best
        };
        let Some((_, f)) = best_of(COUNTED).or_else(|| best_of(usize::MAX)) else {
            break;
        };
        let (read, unread): (Vec<&'a str>, Vec<&'a str>) =
            left.into_iter().partition(|v| reads(v, f));
        if let Some(first) = read.first() {
            chosen.push((f, first));
        }
        left = unread;
    }
    (chosen, left)
}

/// A date with a two-digit year and `-` (`24-02-26`, `26-02-24`): three
/// parts of one or two digits, which may be year-month-day or
/// day-month-year; atu never guesses which.
pub fn two_digit_dash_date(value: &str) -> bool {
    let s = value.trim_matches(is_space);
    let date = s.split([' ', 'T']).next().unwrap_or("");
    let mut n = 0;
    for p in date.split('-') {
        n += 1;
        if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    n == 3
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

/// What a column's slash dates (`03/04/2013`, `03/04/13`) say about their order when
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
        // Three digits first (`2013-01-30`, ISO, the common case of a large
        // export): the first part is longer than two, never a slash date;
        // said before any splitting (and, when the value starts with them,
        // before trimming it).
        let iso_like = |s: &str| {
            s.as_bytes()
                .get(..3)
                .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
        };
        if iso_like(v) {
            continue;
        }
        let s = v.trim_matches(is_space);
        if iso_like(s) {
            continue;
        }
        let date = s.split([' ', 'T']).next().unwrap_or("");
        // Three parts, the first of one or two digits, the last of four
        // (`2013-01-30` starts with four: not a slash date), or of two with
        // `/` or `.` (`02/26/24`; `24-02-26` is never a slash date). No
        // allocation.
        let mut parts = date.split(['/', '.', '-']);
        let (Some(p0), Some(p1), Some(p2), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let two_digit = p2.len() == 2 && one_separator_not_dash(date);
        if p0.len() > 2 || !(p2.len() == 4 || two_digit) {
            continue;
        }
        let (Ok(a), Ok(b)) = (p0.parse::<u32>(), p1.parse::<u32>()) else {
            continue;
        };
        // A two-digit year is shorter proof: the parts must be a day and a
        // month one way or the other (not `1.45.10`, a version number).
        if two_digit
            && (p1.len() > 2
                || !p2.bytes().all(|x| x.is_ascii_digit())
                || !(1..=31).contains(&a)
                || !(1..=31).contains(&b)
                || a.min(b) > 12)
        {
            continue;
        }
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
    // Empty, or white space at either end. The ends' bytes are looked at
    // first: an ASCII byte is a whole character (a multi-byte one is
    // decoded), so most values cost two byte reads.
    let untidy = |s: &str| {
        let white = |b: u8| (b as char).is_whitespace();
        match (s.as_bytes().first(), s.as_bytes().last()) {
            (Some(&f), Some(&l)) if f.is_ascii() && l.is_ascii() => white(f) || white(l),
            (Some(_), Some(_)) => {
                s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace)
            }
            _ => true,
        }
    };
    // A column held as codes (`source::scan`): its values are looked at
    // once each; trimmed, it stays codes.
    if let DataType::Categorical(_, mapping) = c.dtype() {
        let cat = c.cat32()?;
        // Each code's value looked at once (a flag per code, not a set).
        let mut seen = vec![false; mapping.num_cats_upper_bound()];
        let tidy = cat.physical().iter().flatten().all(|code| {
            let first = seen
                .get_mut(code as usize)
                .is_none_or(|s| !std::mem::replace(s, true));
            !first || mapping.cat_to_str(code).is_none_or(|s| !untidy(s))
        });
        if tidy {
            return Ok(c);
        }
        let out = Categorical32Chunked::from_str_iter(
            c.name().clone(),
            c.dtype().clone(),
            cat.iter_str()
                .map(|v| v.map(str::trim).filter(|t| !t.is_empty())),
        )?;
        return Ok(out.into_series().into_column());
    }
    let ca = c.str()?;
    // Without nulls, the values are read without their validity bits.
    let any_untidy = if ca.null_count() == 0 {
        ca.downcast_iter().any(|arr| arr.values_iter().any(untidy))
    } else {
        ca.iter().flatten().any(untidy)
    };
    if !any_untidy {
        return Ok(c);
    }
    let out: StringChunked = ca
        .iter()
        .map(|v| v.map(str::trim).filter(|t| !t.is_empty()))
        .collect();
    Ok(out.with_name(c.name().clone()).into_column())
}

/// Polars kernel: the status of each cell through `values` (lower-cased
/// words → status): the cell trimmed and lower-cased, `won`/`lost`/`open`,
/// or null when blank or not a known word. A status column holds a handful
/// of distinct words, so each is looked up once.
pub fn status_column(
    c: Column,
    values: &std::collections::BTreeMap<String, crate::config::LineStatus>,
) -> PolarsResult<Column> {
    let word = |v: &str| -> Option<&'static str> {
        let t = v.trim();
        if t.is_empty() {
            return None;
        }
        values.get(&t.to_lowercase()).map(|s| s.as_str())
    };
    // Read as codes (`source::scan`): each distinct word looked up once.
    if let DataType::Categorical(_, mapping) = c.dtype() {
        let words: Vec<Option<&'static str>> = (0..mapping.num_cats_upper_bound() as u32)
            .map(|code| mapping.cat_to_str(code).and_then(word))
            .collect();
        let out: StringChunked = c
            .cat32()?
            .physical()
            .iter()
            .map(|code| code.and_then(|code| words.get(code as usize).copied().flatten()))
            .collect();
        return Ok(out.with_name(c.name().clone()).into_column());
    }
    let ca = c.str()?;
    let mut seen: PlHashMap<&str, Option<&'static str>> = PlHashMap::new();
    let out: StringChunked = ca
        .iter()
        .map(|v| {
            let v = v?;
            *seen.entry(v).or_insert_with(|| word(v))
        })
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

/// Whether an amount has more than two decimals: the decimal mark, then
/// three digits or more at its end (before white space and a closing
/// parenthesis), the regular expression `\.\d{3,}\s*\)?\s*$` (`,` for a
/// comma mark). An ASCII cell is read by its bytes from the end; any other
/// by the expression itself (`\d` and `\s` are Unicode classes there).
pub fn has_subcent(s: &str, decimal: char, unicode: &regex::Regex) -> bool {
    if !s.is_ascii() {
        return unicode.is_match(s);
    }
    // `trim_end`: Unicode white space, as `\s` (in ASCII: tab to
    // carriage return and the space).
    let t = s.trim_end();
    let t = t.strip_suffix(')').unwrap_or(t).trim_end();
    let digits = t.bytes().rev().take_while(u8::is_ascii_digit).count();
    digits >= 3 && t[..t.len() - digits].ends_with(decimal)
}

/// The expression [`has_subcent`] stands for, for a decimal mark.
pub fn subcent_regex(decimal: char) -> Result<regex::Regex, regex::Error> {
    let mark = if decimal == ',' { "," } else { r"\." };
    regex::Regex::new(&format!(r"{mark}\d{{3,}}\s*\)?\s*$"))
}

/// Polars kernel: [`has_subcent`] of each cell, false for a blank one.
pub fn subcent_column(c: Column, decimal: char) -> PolarsResult<Column> {
    let unicode = subcent_regex(decimal).map_err(|e| polars_err!(ComputeError: "{e}"))?;
    let ca = c.str()?;
    let out: BooleanChunked = ca
        .iter()
        .map(|v| Some(v.is_some_and(|s| has_subcent(s, decimal, &unicode))))
        .collect();
    Ok(out.with_name(c.name().clone()).into_column())
}

/// Days since 1970-01-01 of a cell that is exactly an ISO date
/// (`2013-05-24`), which [`parse_date_with`] reads alike when no format is
/// configured: Some(None) for an impossible one (`2013-02-30`), None for
/// any other cell (read the long way). The usual export's dates cost a few
/// byte reads.
fn iso_days(s: &str) -> Option<Option<i32>> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    // 719,163: days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
    Some(NaiveDate::from_ymd_opt(y as i32, m, d).map(|date| date.num_days_from_ce() - 719_163))
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
            let s = v?;
            if formats.is_empty() {
                if let Some(days) = iso_days(s) {
                    return days;
                }
            }
            parse_date_with(s, order, formats).map(|d| (d - e).num_days() as i32)
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
    fn statuses_are_trimmed_lower_cased_and_mapped() {
        use crate::config::LineStatus;
        let values: std::collections::BTreeMap<String, LineStatus> = [
            ("won", LineStatus::Won),
            ("closed won", LineStatus::Won),
            ("lost", LineStatus::Lost),
            ("open", LineStatus::Open),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let c = Column::new(
            "s".into(),
            [
                Some(" Won "),
                Some("CLOSED WON"),
                Some("lost"),
                Some("  "),
                Some("maybe"),
                None,
                Some("Open"),
                Some(" Won "),
            ],
        );
        let out = status_column(c, &values).unwrap();
        let got: Vec<Option<&str>> = out.str().unwrap().iter().collect();
        assert_eq!(
            got,
            vec![
                Some("won"),
                Some("won"),
                Some("lost"),
                None,
                None,
                None,
                Some("open"),
                Some("won")
            ]
        );
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
        assert_eq!(parse_date("1/30/13", None), None);
        assert_eq!(parse_date("x", None), None);
        assert_eq!(parse_date("2013-01-30-1", None), None);
    }

    #[test]
    fn configured_formats_read_the_date_before_a_time() {
        let zoho = vec!["%d %b, %Y".to_string()];
        let r = |v: &str| parse_date_with(v, None, &zoho);
        for v in [
            "16 Apr, 2021",
            "16 Apr, 2021 00:03:00",
            "16 Apr, 2021 00:03",
            "16 Apr, 2021 7:42",
            "16 Apr, 2021  7:42",
            "16 Apr, 2021 10:00 AM",
            "16 Apr, 2021 10:00pm",
            "16 Apr, 2021 16:14:25.000+0000",
            "16 Apr, 2021T16:14:25Z",
            "16 Apr, 2021 16:14:25 UTC",
            "16 Apr, 2021 16:14 +01:00",
            " 16 apr, 2021 00:03:00 ",
        ] {
            assert_eq!(r(v), d(2021, 4, 16), "{v}");
        }
        // Only a time is left aside: anything else after the date, or a
        // date the format does not read whole, is not a date.
        for v in [
            "16 Apr, 2021 later",
            "16 Apr, 2021 7",
            "16 Apr, 2021 25:00",
            "16 Apr, 2021 13:00 PM",
            "16 Apr, 2021 7:4",
            "16 Apr, 2021 7:42 tomorrow",
            "16 Apr, 2021 7:42:61",
            "16 Apr, 20211 00:03:00",
            "16 Apr, 2021,00:03:00",
            "31 Apr, 2021 00:03:00",
            "Apr, 2021 00:03:00",
        ] {
            assert_eq!(r(v), None, "{v}");
        }
        // `%Y` never reads a two-digit year (as the year 21).
        let f = vec!["%d-%b-%Y".to_string()];
        assert_eq!(parse_date_with("16-Apr-21", None, &f), None);
        assert_eq!(
            parse_date_with("16-Apr-2021 7:42", None, &f),
            d(2021, 4, 16)
        );
        // A format with a time still reads a date-time whole.
        let f = vec!["%d/%m/%Y %H:%M".to_string()];
        assert_eq!(
            parse_date_with("30/01/2013 16:14", None, &f),
            d(2013, 1, 30)
        );
    }

    #[test]
    fn built_in_forms_leave_aside_only_a_time() {
        let mdy = Some(DateOrder::Mdy);
        assert_eq!(parse_date("5/20/2024 7:42 PM", mdy), d(2024, 5, 20));
        assert_eq!(parse_date("2013-01-30 00:00:00 UTC", None), d(2013, 1, 30));
        assert_eq!(parse_date("2013-01-30T00:00Z", None), d(2013, 1, 30));
        assert_eq!(parse_date("2013-01-30 garbage", None), None);
        assert_eq!(parse_date("2013-01-30T", None), None);
        assert_eq!(parse_date("5/20/2024 7", mdy), None);
    }

    #[test]
    fn time_parts() {
        for t in [
            " 7:42",
            " 00:03:00",
            "T16:14:25.000+0000",
            " 16:14:25.000+0000",
            " 10:00 AM",
            " 10:00am",
            " 12:30:15 PM",
            "T23:59:60Z",
            " 7:42 UTC",
            " 7:42 GMT+1",
            " 7:42 -05",
            " 7:42 +05:30",
            " 7:42:15,5",
        ] {
            assert!(is_time_part(t), "{t:?}");
        }
        for t in [
            "",
            "7:42",
            " later",
            " 7",
            " 742",
            " 24:00",
            " 7:60",
            " 13:00 PM",
            "T12",
            " 7:42 tomorrow",
            " 7:42 +",
            " 7:42 +123",
            " 7:42 PST",
            " 7:42:",
            " 7:42.5",
            " 7:42,5",
        ] {
            assert!(!is_time_part(t), "{t:?}");
        }
    }

    #[test]
    fn two_digit_years_in_the_configured_order() {
        let (dmy, mdy) = (Some(DateOrder::Dmy), Some(DateOrder::Mdy));
        assert_eq!(parse_date("02/26/24", mdy), d(2024, 2, 26));
        assert_eq!(parse_date("2/26/24 7:42", mdy), d(2024, 2, 26));
        assert_eq!(parse_date("1/30/13", mdy), d(2013, 1, 30));
        assert_eq!(parse_date("26/02/24", dmy), d(2024, 2, 26));
        assert_eq!(parse_date("26.02.24", dmy), d(2024, 2, 26));
        // The pivot: 00-69 are 20xx, 70-99 are 19xx (chrono's %y).
        assert_eq!(parse_date("26/02/00", dmy), d(2000, 2, 26));
        assert_eq!(parse_date("26/02/69", dmy), d(2069, 2, 26));
        assert_eq!(parse_date("26/02/70", dmy), d(1970, 2, 26));
        assert_eq!(parse_date("26/02/99", dmy), d(1999, 2, 26));
        assert_eq!(two_digit_year(68), 2068);
        assert_eq!(two_digit_year(71), 1971);
        let y70 = vec!["%d-%b-%y".to_string()];
        assert_eq!(parse_date_with("1-Jan-70", None, &y70), d(1970, 1, 1));
        assert_eq!(parse_date_with("1-Jan-69", None, &y70), d(2069, 1, 1));
        // Never without an order, never in the other order, never with `-`
        // (24-02-26 may be year-month-day), never with mixed separators.
        assert_eq!(parse_date("02/26/24", None), None);
        assert_eq!(parse_date("02/26/24", dmy), None);
        for v in ["24-02-26", "26-02-24", "26/02.24", "26/02/2", "26/02/024"] {
            assert_eq!(parse_date(v, dmy), None, "{v}");
            assert_eq!(parse_date(v, mdy), None, "{v}");
        }
        // Unless a format says so.
        let ymd = vec!["%y-%m-%d".to_string()];
        assert_eq!(parse_date_with("24-02-26", None, &ymd), d(2024, 2, 26));
        assert!(two_digit_dash_date("24-02-26"));
        assert!(two_digit_dash_date("1-2-24 7:42"));
        assert!(!two_digit_dash_date("2024-02-26"));
        assert!(!two_digit_dash_date("26/02/24"));
        assert!(!two_digit_dash_date("24-Feb-26"));
    }

    #[test]
    fn common_formats_read_what_the_built_in_forms_do_not() {
        assert_eq!(
            common_date_format("16 Apr, 2021 00:03:00"),
            Some("%d %b, %Y")
        );
        assert_eq!(common_date_format("16 Apr 2021"), Some("%d %b %Y"));
        assert_eq!(common_date_format("16 April 2021"), Some("%d %B %Y"));
        assert_eq!(
            common_date_format("Apr 16, 2021 10:00 AM"),
            Some("%b %d, %Y")
        );
        assert_eq!(common_date_format("April 16, 2021"), Some("%B %d, %Y"));
        assert_eq!(common_date_format("16-APR-2021"), Some("%d-%b-%Y"));
        assert_eq!(common_date_format("16-Apr-21"), Some("%d-%b-%y"));
        assert_eq!(
            common_date_format("Fri, 16 Apr 2021 10:00:00 +0000"),
            Some("%a, %d %b %Y")
        );
        assert_eq!(common_date_format("20210416"), Some("%Y%m%d"));
        for v in [
            "24-02-26",
            "31 Apr 2021",
            "someday",
            "2021",
            "16 Apr, 2021 later",
        ] {
            assert_eq!(common_date_format(v), None, "{v}");
        }
        // Every common format is one atu.toml accepts.
        for f in COMMON_DATE_FORMATS {
            assert!(crate::config::check_date_format(f), "{f}");
        }
        // Few formats: %d %B %Y reads both spellings of the month.
        let (found, unread) = common_formats_for(&["16 Apr 2021", "3 May 2021", "1 June 2021"]);
        assert_eq!(found, vec![("%d %B %Y", "16 Apr 2021")]);
        assert!(unread.is_empty());
        let (found, unread) = common_formats_for(&[
            "16 Apr, 2021 00:03:00",
            "20210416",
            "24-02-26",
            "17 Apr, 2021",
        ]);
        assert_eq!(
            found,
            vec![
                ("%d %b, %Y", "16 Apr, 2021 00:03:00"),
                ("%Y%m%d", "20210416")
            ]
        );
        assert_eq!(unread, vec!["24-02-26"]);
        assert_eq!(common_formats_for(&[]), (vec![], vec![]));
        // Values that need a format after thousands that nothing reads.
        let mut many = vec!["soon"; 2_500];
        many.push("Apr 16, 2021");
        let (found, unread) = common_formats_for(&many);
        assert_eq!(found, vec![("%b %d, %Y", "Apr 16, 2021")]);
        assert_eq!(unread.len(), 2_500);
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
        // Without nulls: white space at either end, ASCII (a tab, a
        // vertical tab) or not (a no-break space, an em space), is trimmed;
        // inside, kept; a clean column is returned as it is.
        for (raw, trimmed) in [
            ("b\t", "b"),
            ("\x0Bx", "x"),
            ("\u{00A0}b", "b"),
            ("c\u{2003}", "c"),
            ("Zürich", "Zürich"),
        ] {
            let c = Column::new("t".into(), [Some("a b"), Some(raw)]);
            let out = text_column(c).unwrap();
            let v: Vec<Option<&str>> = out.str().unwrap().iter().collect();
            assert_eq!(v, vec![Some("a b"), Some(trimmed)], "{raw:?}");
        }
        let clean = Column::new("t".into(), [Some("a"), Some("é"), Some("b c")]);
        assert_eq!(text_column(clean.clone()).unwrap(), clean);
        // The same, held as codes (as `source::scan` reads the lines'
        // columns of few values): trimmed, it stays codes.
        let coded = |v: &[Option<&str>]| {
            Column::new("t".into(), v)
                .cast(&DataType::from_categories(Categories::global()))
                .unwrap()
        };
        let out = text_column(coded(&[
            Some(" a "),
            Some("a"),
            Some("  "),
            None,
            Some("b\u{00A0}"),
        ]))
        .unwrap();
        assert!(matches!(out.dtype(), DataType::Categorical(_, _)));
        let v: Vec<Option<&str>> = out.cat32().unwrap().iter_str().collect();
        assert_eq!(v, vec![Some("a"), Some("a"), None, None, Some("b")]);
        let tidy = coded(&[Some("a"), None, Some("b c"), Some("a")]);
        let out = text_column(tidy.clone()).unwrap();
        assert_eq!(out, tidy);
    }

    #[test]
    fn plain_amounts_read_alike_the_short_and_the_long_way() {
        // Hand-checked first, then every cell of up to six characters
        // from the ones that matter, with either decimal mark.
        let dot = MoneyStyle { decimal: '.' };
        let comma = MoneyStyle { decimal: ',' };
        assert_eq!(plain_cents("16150.00", '.'), Some(1_615_000));
        assert_eq!(plain_cents("-12.5", '.'), Some(-1_250));
        assert_eq!(plain_cents("300", ','), Some(30_000));
        assert_eq!(plain_cents("7,", ','), Some(700));
        assert_eq!(
            plain_cents("999999999999.99", '.'),
            Some(99_999_999_999_999)
        );
        assert_eq!(
            plain_cents("1000000000000", '.'),
            None,
            "13 digits: the long way"
        );
        assert_eq!(parse_money("1000000000000", dot), Some(MAX_CENTS));
        assert_eq!(
            parse_money("1000000000001", dot),
            None,
            "over the largest amount"
        );
        for cell in ["12.345", "1,234.50", " 5", "+5", ".5", "-", "5.5.5", "$5"] {
            assert_eq!(plain_cents(cell, '.'), None, "{cell}");
        }
        let alphabet = ['1', '0', '9', '.', ',', '-', ' ', '5'];
        let mut cell = String::new();
        for n in 0..=6u32 {
            for k in 0..alphabet.len().pow(n) {
                cell.clear();
                let mut k = k;
                for _ in 0..n {
                    cell.push(alphabet[k % alphabet.len()]);
                    k /= alphabet.len();
                }
                for style in [dot, comma] {
                    assert_eq!(
                        parse_money(&cell, style),
                        parse_money_general(&cell, style),
                        "{cell:?} {style:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn subcent_amounts_read_by_bytes_as_by_the_expression() {
        // (cell, more than two decimals with a dot mark, with a comma mark)
        let cases = [
            ("10.005", true, false),
            ("10.00", false, false),
            ("1,234.5678", true, false),
            ("1.234,567", false, true),
            ("(1,200.125)", true, false),
            ("(1,200.125 ) ", true, false),
            ("12.345\t", true, false),
            ("12.345\u{0b}", true, false),
            ("12.345 USD", false, false),
            (".123", true, false),
            ("123", false, false),
            ("1.2.345", true, false),
            ("12.34)", false, false),
            ("12.345))", false, false),
            ("", false, false),
            ("1,2345", false, true),
            // Not ASCII: the expression decides (\d and \s are Unicode).
            ("12.3\u{0664}\u{0665}\u{0666}", true, false),
            ("12.345\u{a0}", true, false),
            ("€ 12.345", true, false),
            ("€ 12.34", false, false),
            ("12.34\u{b2}", false, false),
        ];
        for decimal in ['.', ','] {
            let re = subcent_regex(decimal).unwrap();
            for (cell, dot, comma) in cases {
                let want = if decimal == '.' { dot } else { comma };
                assert_eq!(has_subcent(cell, decimal, &re), want, "{cell:?} {decimal}");
                assert_eq!(re.is_match(cell), want, "{cell:?} {decimal} (expression)");
            }
        }
        // Every ASCII cell of up to six characters from the ones that
        // matter, by bytes and by the expression alike.
        let alphabet = ['1', '.', ',', ')', ' ', '\t', 'a', '('];
        for decimal in ['.', ','] {
            let re = subcent_regex(decimal).unwrap();
            let mut cell = String::new();
            for n in 0..=6u32 {
                for k in 0..alphabet.len().pow(n) {
                    cell.clear();
                    let mut k = k;
                    for _ in 0..n {
                        cell.push(alphabet[k % alphabet.len()]);
                        k /= alphabet.len();
                    }
                    assert_eq!(
                        has_subcent(&cell, decimal, &re),
                        re.is_match(&cell),
                        "{cell:?}"
                    );
                }
            }
        }
        // The kernel: blank is false.
        let c = Column::new("a".into(), [Some("1.005"), None, Some("2.5")]);
        let out = subcent_column(c, '.').unwrap();
        let got: Vec<Option<bool>> = out.bool().unwrap().iter().collect();
        assert_eq!(got, vec![Some(true), Some(false), Some(false)]);
    }

    #[test]
    fn iso_dates_read_alike_the_short_and_the_long_way() {
        let cells = [
            "2013-05-24",
            "2012-07-01",
            "2013-06-30",
            "2012-02-29",
            "2013-02-29",
            "2013-13-01",
            "2013-00-10",
            "1970-01-01",
            "1969-12-31",
            "0000-01-01",
            "2013-5-24",
            "2013/05/24",
            " 2013-05-24",
            "2013-05-24 ",
            "2013-05-2x",
            "20130-5-24",
            "24-05-2013",
            "2013-05-24T10:00:00",
            "",
        ];
        let e = epoch();
        let long = |s: &str| {
            parse_date_with(s, Some(DateOrder::Dmy), &[]).map(|d| (d - e).num_days() as i32)
        };
        for s in cells {
            match iso_days(s) {
                // The short way answers only for ten bytes of ISO shape.
                Some(days) => assert_eq!(days, long(s), "{s:?}"),
                None => assert!(
                    s.len() != 10 || s.as_bytes()[4] != b'-' || s.contains(['x', ' ', '/']),
                    "{s:?}"
                ),
            }
        }
        // By hand: 1970-01-01 is day 0, 2012-07-01 day 15,522 (42 years
        // of 365 days and 10 leap days, then 182 days into 2012).
        assert_eq!(iso_days("1970-01-01"), Some(Some(0)));
        assert_eq!(iso_days("1969-12-31"), Some(Some(-1)));
        assert_eq!(iso_days("2012-07-01"), Some(Some(15_522)));
        assert_eq!(iso_days("2013-02-29"), Some(None));
        // A column: ISO and other cells; with a configured format (day
        // before month here), the format decides, ISO shape or not.
        let c = Column::new(
            "d".into(),
            [
                Some("2013-05-04"),
                Some("04/05/2013"),
                Some("2013-02-30"),
                None,
            ],
        );
        let days = |c: Column| -> Vec<Option<i32>> {
            c.cast(&DataType::Int32)
                .unwrap()
                .i32()
                .unwrap()
                .iter()
                .collect()
        };
        let read = date_column(c.clone(), Some(DateOrder::Dmy), &[]).unwrap();
        assert_eq!(days(read), vec![Some(15_829), Some(15_829), None, None]);
        let read = date_column(c, Some(DateOrder::Dmy), &["%Y-%d-%m".to_string()]).unwrap();
        assert_eq!(days(read)[0], Some(15_829 - 29));
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
        // Two-digit years with `/` or `.`, when the parts are a day and a
        // month; `24-02-26` and `1.45.10` are not slash dates.
        let v = [
            Some("24-02-26"),
            Some("1.45.10"),
            Some("02/03/24"),
            Some("02/26/24 10:00 AM"),
            Some("26.02.24"),
        ];
        let ev = slash_date_evidence(v.into_iter());
        assert_eq!(ev.count, 3);
        assert_eq!(ev.first, Some((2, "02/03/24".to_string())));
        assert_eq!(ev.day_second, Some((3, "02/26/24 10:00 AM".to_string())));
        assert_eq!(ev.day_first, Some((4, "26.02.24".to_string())));
        // A first part of three digits or more is never a day or a month:
        // ISO dates with or without a time, year-first slashes, `123/1/2013`;
        // a day of one digit after spaces still counts.
        let v = [
            Some(" 2013-01-30T10:00:00"),
            Some("2013/01/30"),
            Some("123/01/2013"),
            Some("012/01/2013"),
            Some("  7/13/2013"),
        ];
        let ev = slash_date_evidence(v.into_iter());
        assert_eq!(ev.count, 1);
        assert_eq!(ev.day_second, Some((4, "  7/13/2013".to_string())));
    }
}
