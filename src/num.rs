//! Exact numbers for money, ratios and percentages.
//!
//! Every amount atu reads is held as whole cents (`i64`), and every figure it
//! derives (a quota pro-rated by days, an attainment percentage, a coverage
//! ratio) is an exact fraction of two `i128` integers. Rounding happens once,
//! when a figure is written, half away from zero, so that `--format csv`
//! shows exactly the number a person computes by hand.

use std::cmp::Ordering;
use std::fmt;

/// An exact fraction `num / den` with `den > 0`, kept in lowest terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational { num: 0, den: 1 };

    /// `num / den`; `None` when `den` is zero (a missing ratio, never infinite).
    pub fn new(num: i128, den: i128) -> Option<Rational> {
        if den == 0 {
            return None;
        }
        let (mut num, mut den) = (num, den);
        if den < 0 {
            num = -num;
            den = -den;
        }
        let g = gcd(num, den).max(1);
        Some(Rational {
            num: num / g,
            den: den / g,
        })
    }

    /// A whole number.
    pub fn from_int(v: i128) -> Rational {
        Rational { num: v, den: 1 }
    }

    /// An amount of money given in cents, as a number of currency units.
    pub fn from_cents(cents: i64) -> Rational {
        Rational::new(cents as i128, 100).unwrap_or(Rational::ZERO)
    }

    /// Reads plain decimal text such as `-12.345` or `100` exactly.
    pub fn parse_decimal(s: &str) -> Option<Rational> {
        let t = s.trim();
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
            || frac.len() > 18
            || int.len() > 20
        {
            return None;
        }
        let int_v: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let frac_v: i128 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        let den = 10i128.pow(frac.len() as u32);
        let num = int_v * den + frac_v;
        Rational::new(if neg { -num } else { num }, den)
    }

    /// Reads a percentage as written in a spreadsheet or a config: `75%`,
    /// `75 %`, `12.5%` (the number of percent), or a plain number. A decimal
    /// comma (`12,5%`) is read when it is the only mark.
    pub fn parse_percent(s: &str) -> Option<Rational> {
        let t = s.trim();
        let t = t.strip_suffix('%').unwrap_or(t).trim_end();
        let t = t.trim_end_matches(['\u{00A0}', '\u{202F}']);
        if t.contains(',') && !t.contains('.') && t.matches(',').count() == 1 {
            return Rational::parse_decimal(&t.replace(',', "."));
        }
        Rational::parse_decimal(t)
    }

    /// A finite float as the decimal it prints as (`0.9` is exactly 9/10):
    /// how a number typed in atu.toml is meant.
    pub fn from_f64_decimal(v: f64) -> Option<Rational> {
        if !v.is_finite() {
            return None;
        }
        Rational::parse_decimal(&format!("{v}"))
    }

    /// Numerator (lowest terms).
    pub fn numer(&self) -> i128 {
        self.num
    }

    /// Denominator (lowest terms, always positive).
    pub fn denom(&self) -> i128 {
        self.den
    }

    /// `self / other`; `None` when `other` is zero.
    pub fn checked_div(self, other: Rational) -> Option<Rational> {
        Rational::new(self.num * other.den, self.den * other.num)
    }

    /// `100 × self / other`: a percentage; `None` when `other` is zero.
    pub fn percent_of(self, other: Rational) -> Option<Rational> {
        self.checked_div(other).map(|r| r * Rational::from_int(100))
    }

    /// `self × n / d` with `d > 0` (used to pro-rate a quota by days).
    pub fn scale(self, n: i128, d: i128) -> Option<Rational> {
        Rational::new(self.num * n, self.den * d)
    }

    /// True when the value is exactly zero.
    pub fn is_zero(&self) -> bool {
        self.num == 0
    }

    /// True when the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.num < 0
    }

    /// The value rounded to `decimals` places, half away from zero, as an
    /// integer count of `10^-decimals` units (e.g. cents for 2).
    pub fn round_units(&self, decimals: u32) -> i128 {
        let scaled = self.num * 10i128.pow(decimals);
        let q = scaled / self.den;
        let r = scaled % self.den;
        // |r| * 2 >= den means the remainder is at least one half.
        if r.abs() * 2 >= self.den {
            if scaled < 0 {
                q - 1
            } else {
                q + 1
            }
        } else {
            q
        }
    }

    /// Plain decimal text with exactly `decimals` places, `.` as the mark,
    /// no grouping, rounded half away from zero: `1234567.89`, `-0.50`.
    pub fn to_fixed(&self, decimals: u32) -> String {
        let units = self.round_units(decimals);
        let neg = units < 0;
        let abs = units.unsigned_abs();
        let p = 10u128.pow(decimals);
        let int = abs / p;
        let frac = abs % p;
        let sign = if neg { "-" } else { "" };
        if decimals == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac:0width$}", width = decimals as usize)
        }
    }

    /// An approximate float, for comparisons against configured thresholds
    /// that are themselves floats and for JSON consumers.
    pub fn to_f64(&self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl std::ops::Add for Rational {
    type Output = Rational;
    fn add(self, o: Rational) -> Rational {
        let g = gcd(self.den, o.den).max(1);
        let den = self.den / g * o.den;
        let num = self.num * (den / self.den) + o.num * (den / o.den);
        Rational::new(num, den).unwrap_or(Rational::ZERO)
    }
}

impl std::ops::Sub for Rational {
    type Output = Rational;
    fn sub(self, o: Rational) -> Rational {
        self + Rational {
            num: -o.num,
            den: o.den,
        }
    }
}

impl std::ops::Mul for Rational {
    type Output = Rational;
    fn mul(self, o: Rational) -> Rational {
        Rational::new(self.num * o.num, self.den * o.den).unwrap_or(Rational::ZERO)
    }
}

impl std::iter::Sum for Rational {
    fn sum<I: Iterator<Item = Rational>>(iter: I) -> Rational {
        iter.fold(Rational::ZERO, |a, b| a + b)
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rational {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl fmt::Display for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_fixed(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_as_written() {
        let p = |s: &str| Rational::parse_percent(s);
        assert_eq!(p("75%"), Some(Rational::from_int(75)));
        assert_eq!(p(" 75 % "), Some(Rational::from_int(75)));
        assert_eq!(p("12.5%"), Rational::new(25, 2));
        assert_eq!(p("12,5%"), Rational::new(25, 2));
        assert_eq!(p("75\u{00A0}%"), Some(Rational::from_int(75)));
        assert_eq!(p("100"), Some(Rational::from_int(100)));
        assert_eq!(p("-5%"), Some(Rational::from_int(-5)));
        assert_eq!(p("1,234.5%"), None);
        assert_eq!(p("%"), None);
        assert_eq!(p("abc%"), None);
    }

    #[test]
    fn rounds_half_away_from_zero() {
        // 1/8 = 0.125 -> 0.13 ; -1/8 -> -0.13 ; 1/3 -> 0.33 ; 2/3 -> 0.67
        assert_eq!(Rational::new(1, 8).unwrap().to_fixed(2), "0.13");
        assert_eq!(Rational::new(-1, 8).unwrap().to_fixed(2), "-0.13");
        assert_eq!(Rational::new(1, 3).unwrap().to_fixed(2), "0.33");
        assert_eq!(Rational::new(2, 3).unwrap().to_fixed(2), "0.67");
        assert_eq!(Rational::new(-1, 300).unwrap().to_fixed(2), "0.00");
        assert_eq!(Rational::from_cents(-50).to_fixed(2), "-0.50");
        assert_eq!(Rational::from_int(7).to_fixed(0), "7");
    }

    #[test]
    fn percent_and_zero_denominator() {
        let a = Rational::from_cents(15_000_000);
        let q = Rational::from_cents(20_000_000);
        assert_eq!(a.percent_of(q).unwrap().to_fixed(2), "75.00");
        assert_eq!(a.percent_of(Rational::ZERO), None);
    }

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(Rational::parse_decimal("0.9"), Rational::new(9, 10));
        assert_eq!(
            Rational::parse_decimal("-12.345"),
            Rational::new(-12345, 1000)
        );
        assert_eq!(
            Rational::parse_decimal("100"),
            Some(Rational::from_int(100))
        );
        assert_eq!(Rational::parse_decimal("1e3"), None);
        assert_eq!(Rational::parse_decimal(""), None);
        assert_eq!(Rational::from_f64_decimal(2.5), Rational::new(5, 2));
        assert_eq!(Rational::from_f64_decimal(f64::NAN), None);
    }

    #[test]
    fn arithmetic_is_exact() {
        // 0.1 + 0.2 == 0.3 exactly, unlike f64.
        let s = Rational::from_cents(10) + Rational::from_cents(20);
        assert_eq!(s, Rational::from_cents(30));
        // a quota of 100 pro-rated over 31 days, 30 elapsed: 96.774193... -> 96.77
        let p = Rational::from_int(100).scale(30, 31).unwrap();
        assert_eq!(p.to_fixed(2), "96.77");
        assert_eq!(
            Rational::from_int(3) - Rational::from_int(5),
            Rational::from_int(-2)
        );
        assert!(Rational::new(1, 3).unwrap() < Rational::new(1, 2).unwrap());
    }
}
