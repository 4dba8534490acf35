//! The KPI rows of the scorecard as typed values (SPEC §3.7): a [`Kpi`]
//! stays typed — which KPI ([`KpiName`]: one of [`KpiId`], declared in
//! `crate::kpis`, or a kpis.csv name), its [`Period`], its [`Value`] — with
//! its target and status until report/ renders it; `--fail-on` reads these
//! values, never rendered text.

use crate::calendar::Period;
use crate::ingest::Member;
pub use crate::kpis::{Headline, KpiId, Screen, Unit};
use crate::num::Rational;
use crate::report::{Cell, Status};

use super::status::status_of;
use super::Context;

/// What a scorecard row measures: a KPI atu computes, or one reported in
/// kpis.csv (WHI, manager feedback, …) by its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KpiName {
    Atu(KpiId),
    Reported(String),
}

impl KpiName {
    /// The name in outputs and in `[targets]`.
    pub fn as_str(&self) -> &str {
        match self {
            KpiName::Atu(id) => id.name(),
            KpiName::Reported(name) => name,
        }
    }

    /// True when this is `id`.
    pub fn is(&self, id: KpiId) -> bool {
        *self == KpiName::Atu(id)
    }
}

/// A KPI's value, typed by its unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Percent(Option<Rational>),
    Ratio(Option<Rational>),
    Money(Option<Rational>),
    Count(i64),
}

impl Value {
    /// The unit the value is written in.
    pub fn unit(&self) -> Unit {
        match self {
            Value::Percent(_) => Unit::Percent,
            Value::Ratio(_) => Unit::Ratio,
            Value::Money(_) => Unit::Money,
            Value::Count(_) => Unit::Count,
        }
    }

    /// The number, for status and comparisons.
    pub fn number(&self) -> Option<Rational> {
        match self {
            Value::Percent(v) | Value::Ratio(v) | Value::Money(v) => *v,
            Value::Count(c) => Some(Rational::from_int(*c as i128)),
        }
    }

    /// The value as a typed cell.
    pub fn cell(&self) -> Cell {
        match self {
            Value::Percent(v) => Cell::percent(*v),
            Value::Ratio(v) => Cell::ratio(*v),
            Value::Money(v) => Cell::money(*v),
            Value::Count(c) => Cell::Count(*c),
        }
    }
}

/// One KPI row of the scorecard.
#[derive(Clone, Debug, PartialEq)]
pub struct Kpi {
    /// The member, or `None` for the team.
    pub member: Option<Member>,
    pub name: KpiName,
    pub period: Period,
    pub value: Value,
    pub target: Option<Rational>,
    pub status: Option<Status>,
    pub category: Option<String>,
    /// Why a figure has no status although it has a target, e.g.
    /// `low sample (3 < 10 answers)`.
    pub note: Option<String>,
}

impl Kpi {
    /// A KPI row with its target and status (no status when `no_status`,
    /// e.g. a period not started).
    pub fn new(
        ctx: &Context,
        member: Option<&Member>,
        name: KpiName,
        period: Period,
        value: Value,
        category: Option<&str>,
        no_status: bool,
    ) -> Kpi {
        let target = ctx
            .targets
            .get(name.as_str(), member.map(|m| m.id.as_str()));
        let status = if no_status {
            None
        } else {
            status_of(value.number(), target, &ctx.thresholds)
        };
        Kpi {
            member: member.cloned(),
            name,
            period,
            value,
            target,
            status,
            category: category.map(str::to_string),
            note: None,
        }
    }

    /// A KPI atu computes (of no category). Its value must be of the
    /// KPI's unit.
    pub fn of(
        ctx: &Context,
        member: Option<&Member>,
        id: KpiId,
        period: Period,
        value: Value,
    ) -> Kpi {
        debug_assert_eq!(
            value.unit(),
            id.unit(),
            "{} is written as {:?}",
            id.name(),
            id.unit()
        );
        Kpi::new(ctx, member, KpiName::Atu(id), period, value, None, false)
    }

    /// With a note saying why it has no status.
    pub fn with_note(mut self, note: impl Into<String>) -> Kpi {
        self.note = Some(note.into());
        self
    }

    /// The row's subject in messages: the member's id, or the team's name.
    pub fn who<'a>(&'a self, team_name: &'a str) -> &'a str {
        self.member.as_ref().map_or(team_name, |m| m.id.as_str())
    }
}

/// The KPIs worse than `worst_ok`, as `--fail-on` names them:
/// `scorecard: M03 attainment Q1 is red` (`table` names where they are
/// shown; team rows by the team's name).
pub fn tripped(table: &str, team_name: &str, kpis: &[Kpi], worst_ok: Status) -> Vec<String> {
    kpis.iter()
        .filter_map(|k| {
            let s = k.status?;
            (s > worst_ok).then(|| {
                format!(
                    "{table}: {} {} {} is {}",
                    k.who(team_name),
                    k.name.as_str(),
                    k.period.label(),
                    s.as_str()
                )
            })
        })
        .collect()
}
