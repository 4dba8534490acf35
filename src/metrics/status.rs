//! KPI status against a target (SPEC §3.7): green when value ≥ target ×
//! green_at, yellow when ≥ target × yellow_at, else red; no target or no
//! value means no status. Exact arithmetic, so a value exactly at a
//! threshold takes the better colour.

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
        // coverage target 2.5 with yellow at 0.9: 2.25 is yellow, 2.24 red
        assert_eq!(status_of(r(225, 100), r(5, 2), &th), Some(Status::Yellow));
        assert_eq!(status_of(r(224, 100), r(5, 2), &th), Some(Status::Red));
    }
}
