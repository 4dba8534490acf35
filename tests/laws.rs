//! Laws that hold for any dataset (ENGINEERING §5), checked on the demo:
//! the order of the input rows changes nothing, and a team row is the sum of
//! its members' rows.

use crate::common::{self, run_inside};

/// Laws that hold for any dataset, checked on the demo: the order of the
/// input rows changes nothing, and a team row's actual is the sum of its
/// members' actuals.
#[test]
fn row_order_changes_nothing_and_team_is_the_sum_of_members() {
    let demo = common::root().join("examples/demo");
    let d = tempfile::tempdir().expect("tempdir");
    for f in [
        "members.csv",
        "quotas.csv",
        "accounts.csv",
        "contacts.csv",
        "nsat.csv",
        "atu.toml",
    ] {
        std::fs::copy(demo.join(f), d.path().join(f)).expect("copy");
    }
    let text = std::fs::read_to_string(demo.join("opportunities.csv")).expect("read");
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    // A fixed permutation: reversed, then every other row moved to the end.
    lines.reverse();
    let (even, odd): (Vec<_>, Vec<_>) = lines.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let shuffled: Vec<&str> = even.into_iter().chain(odd).map(|(_, l)| *l).collect();
    std::fs::write(
        d.path().join("opportunities.csv"),
        format!("{header}\n{}\n", shuffled.join("\n")),
    )
    .expect("write");
    for cmd in [
        "scorecard",
        "attainment",
        "pipeline",
        "partners",
        "penetration",
        "whitespace",
        "contacts",
        "nsat",
    ] {
        let (_, original, _) = run_inside(&demo, &[cmd, "-q"]);
        let (code, permuted, err) = run_inside(d.path(), &[cmd, "-q"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(permuted, original, "{cmd} changed with the row order");
    }
    let (_, att, _) = run_inside(&demo, &["attainment", "-q"]);
    let rows: Vec<Vec<&str>> = att
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    for team in rows.iter().filter(|r| r[0] == "team") {
        let (cat, period) = (team[3], team[4]);
        let cents = |v: &str| -> i64 { v.replace('.', "").parse().unwrap_or(0) };
        let members: i64 = rows
            .iter()
            .filter(|r| r[0] == "member" && r[3] == cat && r[4] == period)
            .map(|r| cents(r[6]))
            .sum();
        assert_eq!(cents(team[6]), members, "team actual of {cat} {period}");
    }
}
