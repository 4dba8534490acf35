//! JSON renderer (SPEC §6): `{"fiscal_year", "as_of", "scope", "tables":
//! {name: [rows as objects, keys in column order]}, "notes"}`, pretty-printed.
//! Numbers are the CSV's plain forms parsed as JSON numbers (2 decimals,
//! half away from zero), counts are integers, missing values are null.

use std::io::{self, Write};
use std::str::FromStr;

use serde_json::{Map, Number, Value};

use super::csv::{plain_float, plain_rational};
use super::{Cell, Report, Table};

/// Writes `report` as one pretty-printed JSON object and a final newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut tables = Map::new();
    for t in &report.tables {
        tables.insert(t.name.clone(), table_rows(t)?);
    }
    let mut doc = Map::new();
    doc.insert(
        "fiscal_year".into(),
        Value::from(report.fiscal_year.as_str()),
    );
    doc.insert("as_of".into(), Value::from(report.as_of.as_str()));
    doc.insert("scope".into(), Value::from(report.scope.as_str()));
    doc.insert("tables".into(), Value::Object(tables));
    doc.insert("notes".into(), Value::from(report.notes.clone()));
    serde_json::to_writer_pretty(&mut *out, &Value::Object(doc))?;
    writeln!(out)
}

/// The rows of `t` as an array of objects.
fn table_rows(t: &Table) -> io::Result<Value> {
    let mut rows = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let mut obj = Map::new();
        for (name, cell) in t.columns.iter().zip(row) {
            obj.insert(name.clone(), cell_value(cell)?);
        }
        rows.push(Value::Object(obj));
    }
    Ok(Value::Array(rows))
}

/// The JSON value of one cell.
fn cell_value(cell: &Cell) -> io::Result<Value> {
    Ok(match cell {
        Cell::Text(s) => Value::from(s.as_str()),
        Cell::Money(r) | Cell::Percent(r) | Cell::Ratio(r) => number(&plain_rational(r))?,
        Cell::Float(v) => match plain_float(*v) {
            Some(s) => number(&s)?,
            None => Value::Null,
        },
        Cell::Count(n) => Value::from(*n),
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Status(s) => Value::from(s.as_str()),
        Cell::Missing => Value::Null,
    })
}

/// A JSON number parsed from decimal text, so that `0.10` is written `0.1`
/// and `1234567.89` exactly so, not the float nearest to a computed value.
fn number(text: &str) -> io::Result<Value> {
    Number::from_str(text)
        .map(Value::Number)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("number {text:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::Rational;
    use crate::report::Status;

    fn rat(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    fn sample() -> Report {
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
            Cell::Ratio(Rational::from_cents(10)),
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
            Cell::Status(Status::Red),
        ]);
        t.push(vec![
            Cell::text("-foo \"q\"\n"),
            Cell::Missing,
            Cell::Missing,
            Cell::Missing,
            Cell::Float(f64::NAN),
            Cell::Missing,
            Cell::Missing,
            Cell::Missing,
        ]);
        Report {
            fiscal_year: "FY2013".to_string(),
            as_of: "2013-01-30".to_string(),
            scope: "team ATU West".to_string(),
            tables: vec![t, Table::new("empty", "Empty", &["a"])],
            notes: vec!["2 lines skipped".to_string()],
            warnings: vec![],
        }
    }

    #[test]
    fn whole_document() {
        let expected = r#"{
  "fiscal_year": "FY2013",
  "as_of": "2013-01-30",
  "scope": "team ATU West",
  "tables": {
    "sample": [
      {
        "name": "Ann",
        "money": 1234567.89,
        "pct": 0.13,
        "ratio": 0.1,
        "float": 0.13,
        "count": 1234,
        "flag": true,
        "status": "green"
      },
      {
        "name": "=SUM(A1)",
        "money": -0.5,
        "pct": -0.13,
        "ratio": 0.0,
        "float": -0.13,
        "count": -3,
        "flag": false,
        "status": "red"
      },
      {
        "name": "-foo \"q\"\n",
        "money": null,
        "pct": null,
        "ratio": null,
        "float": null,
        "count": null,
        "flag": null,
        "status": null
      }
    ],
    "empty": []
  },
  "notes": [
    "2 lines skipped"
  ]
}
"#;
        let mut buf = Vec::new();
        render(&sample(), &mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), expected);
    }
}
