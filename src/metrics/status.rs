//! KPI status against a target (SPEC §3.7): green when value ≥ target ×
//! green_at, yellow when ≥ target × yellow_at, else red; no target or no
//! value means no status. Exact arithmetic, so a value exactly at a
//! threshold takes the better colour. The value is judged as it is written
//! (rounded half away from zero to 2 decimals), so a status never
//! contradicts the figure beside it.

use crate::config::Thresholds;
use crate::num::Rational;
use crate::report::Status;

/// The status of `value` against `target`.
pub fn status_of(
    value: Option<Rational>,
    target: Option<Rational>,
    th: &Thresholds,
) -> Option<Status> {
    let (v, t) = (value?, target?);
    // Judge the figure people read: the value as written, to 2 decimals.
    let v = Rational::new(v.round_units(2), 100)?;
    if v >= t * th.green_at {
        Some(Status::Green)
    } else if v >= t * th.yellow_at {
        Some(Status::Yellow)
    } else {
        Some(Status::Red)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Option<Rational> {
        Rational::new(n, d)
    }

    #[test]
    fn thresholds_are_inclusive() {
        let th = Thresholds::default(); // green_at 1.00, yellow_at 0.90
        let t = r(100, 1);
        assert_eq!(status_of(r(100, 1), t, &th), Some(Status::Green));
        assert_eq!(status_of(r(9999, 100), t, &th), Some(Status::Yellow));
        assert_eq!(status_of(r(90, 1), t, &th), Some(Status::Yellow));
        assert_eq!(status_of(r(8999, 100), t, &th), Some(Status::Red));
        assert_eq!(status_of(None, t, &th), None);
        assert_eq!(status_of(r(50, 1), None, &th), None);
        // 89.995 is written 90.00, and 90.00 is yellow
        assert_eq!(status_of(r(89995, 1000), t, &th), Some(Status::Yellow));
        assert_eq!(status_of(r(89994, 1000), t, &th), Some(Status::Red));
        // coverage target 2.5 with yellow at 0.9: 2.25 is yellow, 2.24 red
        assert_eq!(status_of(r(225, 100), r(5, 2), &th), Some(Status::Yellow));
        assert_eq!(status_of(r(224, 100), r(5, 2), &th), Some(Status::Red));
    }
}
