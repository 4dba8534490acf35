//! The fiscal calendar (SPEC §2): fiscal years named by their end (or start),
//! quarters and fiscal months, the as-of cut-off D, and day arithmetic with
//! both ends included. Everything date-shaped that a metric needs comes from
//! here, so the rules live in one place.

use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};

/// Whether a fiscal year is named by the calendar year it ends in (Microsoft,
/// the default) or starts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedBy {
    End,
    Start,
}

/// The settings that define fiscal years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// First month of the fiscal year, 1–12.
    pub start_month: u32,
    /// How a fiscal year is named.
    pub named_by: NamedBy,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            start_month: 7,
            named_by: NamedBy::End,
        }
    }
}

/// A reporting period of a fiscal year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// Fiscal month 1–12 (`M01` is the year's first month).
    Month(u32),
    /// Fiscal quarter 1–4.
    Quarter(u32),
    /// Year to date: first day of the year to D.
    Ytd,
    /// The full fiscal year.
    Year,
}

impl Period {
    /// The label written in outputs and read from quota files: `M01`, `Q3`,
    /// `YTD`, `FY`.
    pub fn label(&self) -> String {
        match self {
            Period::Month(m) => format!("M{m:02}"),
            Period::Quarter(q) => format!("Q{q}"),
            Period::Ytd => "YTD".to_string(),
            Period::Year => "FY".to_string(),
        }
    }

    /// Reads `FY`, `Q1`–`Q4`, `M01`–`M12` (also `M1`), case-insensitively.
    pub fn parse_quota_period(s: &str) -> Option<Period> {
        let u = s.trim().to_ascii_uppercase();
        if u == "FY" {
            return Some(Period::Year);
        }
        let mut chars = u.chars();
        let head = chars.next()?;
        let n: u32 = chars.as_str().parse().ok()?;
        match head {
            'Q' if (1..=4).contains(&n) => Some(Period::Quarter(n)),
            'M' if (1..=12).contains(&n) => Some(Period::Month(n)),
            _ => None,
        }
    }
}

/// One fiscal year with its bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FiscalYear {
    /// The year's name, e.g. 2013 for FY2013.
    pub year: i32,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    calendar: Calendar,
}

/// Where a period stands at the cut-off D.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Starts after D: its quota is shown, its actual is missing.
    NotStarted,
    /// Holds D: counts what happened up to D against the full quota.
    InProgress,
    /// Ended on or before D.
    Complete,
}

/// An inclusive date range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Range {
    /// Calendar days, both ends included.
    pub fn days(&self) -> i64 {
        days_inclusive(self.start, self.end)
    }

    /// Days of the range up to and including `d` (0 when it starts after d).
    pub fn days_to(&self, d: NaiveDate) -> i64 {
        if d < self.start {
            0
        } else {
            days_inclusive(self.start, d.min(self.end))
        }
    }

    /// Where the range stands at `d`.
    pub fn progress(&self, d: NaiveDate) -> Progress {
        if self.start > d {
            Progress::NotStarted
        } else if self.end > d {
            Progress::InProgress
        } else {
            Progress::Complete
        }
    }

    /// True when `d` lies inside.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

/// Calendar days from `a` to `b`, both included (0 when b < a).
pub fn days_inclusive(a: NaiveDate, b: NaiveDate) -> i64 {
    ((b - a).num_days() + 1).max(0)
}

/// The first day of the month `months` after (year, month).
fn first_of_month(year: i32, month: u32, months: i64) -> Option<NaiveDate> {
    let idx = year as i64 * 12 + (month as i64 - 1) + months;
    let y = idx.div_euclid(12);
    let m = idx.rem_euclid(12) as u32 + 1;
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, 1)
}

impl Calendar {
    /// Checks the settings.
    pub fn new(start_month: u32, named_by: NamedBy) -> Result<Calendar> {
        if !(1..=12).contains(&start_month) {
            bail!(
                "fiscal_year_start_month {start_month} is not a month (1–12)\nhelp: set fiscal_year_start_month in atu.toml, e.g. 7 for a year starting in July"
            );
        }
        Ok(Calendar {
            start_month,
            named_by,
        })
    }

    /// The fiscal year named `year`.
    pub fn year(&self, year: i32) -> Result<FiscalYear> {
        // The calendar year in which the fiscal year starts.
        let start_year = match (self.named_by, self.start_month) {
            (_, 1) => year,
            (NamedBy::End, _) => year - 1,
            (NamedBy::Start, _) => year,
        };
        let start = first_of_month(start_year, self.start_month, 0);
        let next = first_of_month(start_year, self.start_month, 12);
        match (start, next.and_then(|n| n.pred_opt())) {
            (Some(start), Some(end)) => Ok(FiscalYear {
                year,
                start,
                end,
                calendar: *self,
            }),
            _ => bail!("fiscal year {year} is out of range"),
        }
    }

    /// The fiscal year that holds `d`.
    pub fn year_of(&self, d: NaiveDate) -> Result<FiscalYear> {
        // Months since the start month of d's calendar year decide whether
        // the fiscal year started this calendar year or the last.
        let start_year = if d.month() >= self.start_month {
            d.year()
        } else {
            d.year() - 1
        };
        let name = match (self.named_by, self.start_month) {
            (_, 1) => start_year,
            (NamedBy::End, _) => start_year + 1,
            (NamedBy::Start, _) => start_year,
        };
        self.year(name)
    }

    /// The fiscal quarter (year, 1–4) that holds `d`.
    pub fn quarter_of(&self, d: NaiveDate) -> Result<(i32, u32)> {
        let fy = self.year_of(d)?;
        let months = (d.year() - fy.start.year()) * 12 + d.month() as i32 - fy.start.month() as i32;
        Ok((fy.year, months as u32 / 3 + 1))
    }
}

impl FiscalYear {
    /// `FY2013`.
    pub fn label(&self) -> String {
        format!("FY{}", self.year)
    }

    /// The whole year.
    pub fn range(&self) -> Range {
        Range {
            start: self.start,
            end: self.end,
        }
    }

    /// The cut-off D = min(as-of, last day of the year).
    pub fn cutoff(&self, as_of: NaiveDate) -> NaiveDate {
        as_of.min(self.end)
    }

    /// Fiscal month `m` (1–12).
    pub fn month(&self, m: u32) -> Range {
        let s = first_of_month(self.start.year(), self.start.month(), m as i64 - 1);
        let e = first_of_month(self.start.year(), self.start.month(), m as i64)
            .and_then(|n| n.pred_opt());
        match (s, e) {
            (Some(start), Some(end)) => Range { start, end },
            _ => self.range(),
        }
    }

    /// Fiscal quarter `q` (1–4).
    pub fn quarter(&self, q: u32) -> Range {
        Range {
            start: self.month(3 * q - 2).start,
            end: self.month(3 * q).end,
        }
    }

    /// The date range of a period; YTD needs the cut-off.
    pub fn period(&self, p: Period, cutoff: NaiveDate) -> Range {
        match p {
            Period::Month(m) => self.month(m),
            Period::Quarter(q) => self.quarter(q),
            Period::Year => self.range(),
            Period::Ytd => Range {
                start: self.start,
                end: cutoff.min(self.end),
            },
        }
    }

    /// The fiscal year before this one.
    pub fn previous(&self) -> Result<FiscalYear> {
        self.calendar.year(self.year - 1)
    }

    /// The calendar these bounds come from.
    pub fn calendar(&self) -> Calendar {
        self.calendar
    }
}

/// What a dated quota row covers: exactly one fiscal month, quarter or year.
pub fn classify_range(cal: &Calendar, start: NaiveDate, end: NaiveDate) -> Option<(i32, Period)> {
    let fy = cal.year_of(start).ok()?;
    if fy.start == start && fy.end == end {
        return Some((fy.year, Period::Year));
    }
    for q in 1..=4 {
        let r = fy.quarter(q);
        if r.start == start && r.end == end {
            return Some((fy.year, Period::Quarter(q)));
        }
    }
    for m in 1..=12 {
        let r = fy.month(m);
        if r.start == start && r.end == end {
            return Some((fy.year, Period::Month(m)));
        }
    }
    None
}

/// The length of a start-dated quota row (`[quotas] period` in atu.toml).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodLength {
    Month,
    Quarter,
    Year,
}

/// The period a start-dated quota row covers, if `start` is the first day of
/// a fiscal period of that length.
pub fn period_starting(
    cal: &Calendar,
    start: NaiveDate,
    len: PeriodLength,
) -> Option<(i32, Period)> {
    let months = match len {
        PeriodLength::Month => 1,
        PeriodLength::Quarter => 3,
        PeriodLength::Year => 12,
    };
    let end = first_of_month(start.year(), start.month(), months)?.pred_opt()?;
    if start.day() != 1 {
        return None;
    }
    classify_range(cal, start, end)
}

/// Parses `--fy`: `2013`, `FY13`, `FY2013`, `fy2013`.
pub fn parse_fy(s: &str) -> Result<i32> {
    let t = s.trim();
    let digits = t
        .strip_prefix("FY")
        .or_else(|| t.strip_prefix("fy"))
        .or_else(|| t.strip_prefix("Fy"))
        .unwrap_or(t);
    let ok = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
    match (ok, digits.len()) {
        (true, 2) => Ok(2000 + digits.parse::<i32>()?),
        (true, 4) => Ok(digits.parse::<i32>()?),
        _ => bail!(
            "--fy \"{s}\" is not a fiscal year\nhelp: write --fy 2013, --fy FY13 or --fy FY2013"
        ),
    }
}

/// Parses `--as-of` (ISO `YYYY-MM-DD`).
pub fn parse_as_of(s: &str) -> Result<NaiveDate> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Ok(d),
        Err(_) => bail!("--as-of \"{s}\" is not a date\nhelp: write the date as YYYY-MM-DD, e.g. --as-of 2013-01-30"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn microsoft_year_is_named_by_its_end() {
        let cal = Calendar::default();
        let fy = cal.year(2013).unwrap();
        assert_eq!((fy.start, fy.end), (d(2012, 7, 1), d(2013, 6, 30)));
        assert_eq!(
            fy.quarter(1),
            Range {
                start: d(2012, 7, 1),
                end: d(2012, 9, 30)
            }
        );
        assert_eq!(
            fy.quarter(2),
            Range {
                start: d(2012, 10, 1),
                end: d(2012, 12, 31)
            }
        );
        assert_eq!(
            fy.quarter(3),
            Range {
                start: d(2013, 1, 1),
                end: d(2013, 3, 31)
            }
        );
        assert_eq!(
            fy.quarter(4),
            Range {
                start: d(2013, 4, 1),
                end: d(2013, 6, 30)
            }
        );
        assert_eq!(
            fy.month(1),
            Range {
                start: d(2012, 7, 1),
                end: d(2012, 7, 31)
            }
        );
        assert_eq!(
            fy.month(8),
            Range {
                start: d(2013, 2, 1),
                end: d(2013, 2, 28)
            }
        );
        assert_eq!(fy.range().days(), 365);
    }

    #[test]
    fn boundaries_and_year_of() {
        let cal = Calendar::default();
        assert_eq!(cal.year_of(d(2012, 6, 30)).unwrap().year, 2012);
        assert_eq!(cal.year_of(d(2012, 7, 1)).unwrap().year, 2013);
        assert_eq!(cal.year_of(d(2013, 6, 30)).unwrap().year, 2013);
        assert_eq!(cal.quarter_of(d(2012, 9, 30)).unwrap(), (2013, 1));
        assert_eq!(cal.quarter_of(d(2012, 10, 1)).unwrap(), (2013, 2));
        assert_eq!(cal.quarter_of(d(2013, 3, 31)).unwrap(), (2013, 3));
        assert_eq!(cal.quarter_of(d(2013, 4, 1)).unwrap(), (2013, 4));
    }

    #[test]
    fn named_by_start_and_calendar_years() {
        let cal = Calendar::new(7, NamedBy::Start).unwrap();
        let fy = cal.year(2012).unwrap();
        assert_eq!((fy.start, fy.end), (d(2012, 7, 1), d(2013, 6, 30)));
        assert_eq!(cal.year_of(d(2013, 1, 30)).unwrap().year, 2012);
        let jan = Calendar::new(1, NamedBy::End).unwrap();
        let fy = jan.year(2013).unwrap();
        assert_eq!((fy.start, fy.end), (d(2013, 1, 1), d(2013, 12, 31)));
        assert_eq!(jan.year_of(d(2013, 12, 31)).unwrap().year, 2013);
        let jan_start = Calendar::new(1, NamedBy::Start).unwrap();
        assert_eq!(jan_start.year_of(d(2013, 5, 1)).unwrap().year, 2013);
        assert!(Calendar::new(13, NamedBy::End).is_err());
        assert!(Calendar::new(0, NamedBy::End).is_err());
    }

    #[test]
    fn leap_year_days() {
        // FY2012 (2011-07-01..2012-06-30) holds 29 February 2012.
        let fy = Calendar::default().year(2012).unwrap();
        assert_eq!(fy.range().days(), 366);
        assert_eq!(fy.month(8).days(), 29);
        assert_eq!(fy.quarter(3).days(), 91);
    }

    #[test]
    fn cutoff_and_progress() {
        let fy = Calendar::default().year(2013).unwrap();
        let cut = fy.cutoff(d(2013, 1, 30));
        assert_eq!(cut, d(2013, 1, 30));
        assert_eq!(fy.cutoff(d(2014, 3, 1)), d(2013, 6, 30));
        assert_eq!(fy.quarter(2).progress(cut), Progress::Complete);
        assert_eq!(fy.quarter(3).progress(cut), Progress::InProgress);
        assert_eq!(fy.quarter(4).progress(cut), Progress::NotStarted);
        // A quarter that ends on D is complete; one that starts on D is in progress.
        assert_eq!(fy.quarter(1).progress(d(2012, 9, 30)), Progress::Complete);
        assert_eq!(fy.quarter(2).progress(d(2012, 10, 1)), Progress::InProgress);
        // Days of Q3 up to 30 January: 30 of 90.
        assert_eq!(fy.quarter(3).days_to(cut), 30);
        assert_eq!(fy.quarter(3).days(), 90);
        assert_eq!(fy.quarter(4).days_to(cut), 0);
        assert_eq!(fy.period(Period::Ytd, cut).days(), 214);
    }

    #[test]
    fn dated_rows_must_cover_one_period() {
        let cal = Calendar::default();
        assert_eq!(
            classify_range(&cal, d(2012, 7, 1), d(2013, 6, 30)),
            Some((2013, Period::Year))
        );
        assert_eq!(
            classify_range(&cal, d(2013, 1, 1), d(2013, 3, 31)),
            Some((2013, Period::Quarter(3)))
        );
        assert_eq!(
            classify_range(&cal, d(2013, 2, 1), d(2013, 2, 28)),
            Some((2013, Period::Month(8)))
        );
        assert_eq!(classify_range(&cal, d(2013, 2, 1), d(2013, 3, 31)), None);
        assert_eq!(classify_range(&cal, d(2013, 2, 2), d(2013, 2, 28)), None);
        assert_eq!(
            period_starting(&cal, d(2012, 10, 1), PeriodLength::Quarter),
            Some((2013, Period::Quarter(2)))
        );
        assert_eq!(
            period_starting(&cal, d(2012, 11, 1), PeriodLength::Quarter),
            None
        );
        assert_eq!(
            period_starting(&cal, d(2012, 11, 1), PeriodLength::Month),
            Some((2013, Period::Month(5)))
        );
    }

    #[test]
    fn fy_and_period_labels() {
        assert_eq!(parse_fy("2013").unwrap(), 2013);
        assert_eq!(parse_fy("FY13").unwrap(), 2013);
        assert_eq!(parse_fy("fy2013").unwrap(), 2013);
        assert!(parse_fy("FY").is_err());
        assert!(parse_fy("13x").is_err());
        assert!(parse_fy("201").is_err());
        assert_eq!(Period::parse_quota_period("q3"), Some(Period::Quarter(3)));
        assert_eq!(Period::parse_quota_period("M01"), Some(Period::Month(1)));
        assert_eq!(Period::parse_quota_period("M1"), Some(Period::Month(1)));
        assert_eq!(Period::parse_quota_period("M13"), None);
        assert_eq!(Period::parse_quota_period("Q5"), None);
        assert_eq!(Period::parse_quota_period("fy"), Some(Period::Year));
        assert_eq!(Period::parse_quota_period("—"), None);
        assert_eq!(Period::parse_quota_period("Ü1"), None);
        assert_eq!(Period::parse_quota_period(""), None);
        assert_eq!(Period::Month(3).label(), "M03");
        assert!(parse_as_of("2013-02-30").is_err());
    }
}
