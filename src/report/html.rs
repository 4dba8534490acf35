//! HTML renderer (`--format html`): one self-contained page (inline CSS and
//! SVG written here, no script, no network) that prints on A4 landscape.
//!
//! The page: a title and the scope line; the charts the tables allow
//! (attainment and pace per member as horizontal bars against the 100 %
//! quota line, the team's NSAT per quarter with its 95 % intervals); the
//! tables of the screen (the scorecard's team KPIs, summaries and
//! reconciliation) when a command has one; then every table of the report,
//! each as a `<table data-table="name">` with status cells coloured, the
//! penetration table and the whitespace matrix as heat maps; then the notes
//! and the run's warnings. Cells read as on the terminal (the human forms of
//! `terminal.rs`). Every text is escaped, and the page is well-formed XML
//! as well as HTML, so that a strict parser reads it back.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::terminal::{context_line, escape_control, human_text, is_numeric_column};
use super::{Cell, Report, Status, Table};
use crate::num::Rational;

/// Writes the page of `report`. `screen` is the command's one-screen view
/// (the scorecard's summary), shown first when given.
pub fn render(report: &Report, screen: Option<&Report>, out: &mut dyn Write) -> io::Result<()> {
    let mut h = String::with_capacity(64 * 1024);
    let context = context_line(report);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    let _ = writeln!(h, "<title>atu — {}</title>", esc(&context));
    let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>");
    let first = report
        .tables
        .first()
        .map_or("Report".to_string(), |t| t.title.clone());
    let _ = writeln!(h, "<header><h1>{}</h1>", esc(&escape_control(&first)));
    let _ = writeln!(h, "<p class=\"scope\">{}</p></header>", esc(&context));

    let all: Vec<&Table> = screen
        .into_iter()
        .flat_map(|s| s.tables.iter())
        .chain(report.tables.iter())
        .collect();
    let shown = screen.unwrap_or(report);
    // The screen's first table (the scorecard's team KPIs) leads, beside
    // the bars, when it is short; the NSAT trend beside the penetration heat
    // map.
    let mut rest = shown.tables.iter().peekable();
    h.push_str("<div class=\"row\">\n");
    if screen.is_some() && rest.peek().is_some_and(|t| t.rows.len() <= 30) {
        if let Some(t) = rest.next() {
            section(&mut h, t);
        }
    }
    if let Some(t) = all
        .iter()
        .find(|t| col(t, "fy_attainment_pct").is_some() && col(t, "pace_pct").is_some())
    {
        attainment_bars(&mut h, t);
    } else if let Some(t) = all.iter().find(|t| t.name == "attainment") {
        if let Some(summary) = attainment_summary(t) {
            attainment_bars(&mut h, &summary);
        }
    }
    h.push_str("</div>\n<div class=\"row\">\n");
    if let Some(t) = all.iter().find(|t| {
        col(t, "nsat").is_some() && col(t, "interval_low").is_some() && col(t, "period").is_some()
    }) {
        nsat_trend(&mut h, t);
    }
    if screen.is_some() {
        if let Some(t) = all.iter().find(|t| t.name == "penetration") {
            heat_map(&mut h, t);
        }
    }
    h.push_str("</div>\n");
    for t in rest {
        section(&mut h, t);
    }
    notes(&mut h, shown, report);
    if screen.is_some() {
        h.push_str("<h2 class=\"appendix\">Every table</h2>\n");
        for t in &report.tables {
            section(&mut h, t);
        }
    }
    let _ = writeln!(
        h,
        "<footer>atu {} — {}</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        esc(&context)
    );
    out.write_all(h.as_bytes())
}

const CSS: &str = "
@page { size: A4 landscape; margin: 10mm; }
body { font: 13px/1.35 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
  color: #1f2328; margin: 16px 24px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 16px; margin: 18px 0 6px; }
h2.appendix { border-top: 2px solid #d0d7de; padding-top: 12px; margin-top: 28px; }
.scope { color: #57606a; margin: 0 0 8px; }
section { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; margin: 4px 0 8px; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
th, td { border: 1px solid #d0d7de; padding: 2px 7px; }
th { background: #f6f8fa; text-align: left; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
td.na { color: #8c959f; }
tr.team td { font-weight: 600; background: #f6f8fa; }
td.st { font-weight: 600; text-align: center; }
td.green, .leg .green { background: #d1f4d9; color: #116329; }
td.yellow, .leg .yellow { background: #fff1b8; color: #7a5200; }
td.red, .leg .red { background: #ffd8d3; color: #a40e26; }
td.ws-owned { background: #2f6fb5; color: #fff; }
td.ws-pipeline { background: #b6d4f2; color: #0b3d73; }
td.ws-gap { background: #fff; }
.row { display: flex; flex-wrap: wrap; gap: 0 36px; align-items: flex-start; }
td { white-space: nowrap; }
.chart { margin: 6px 0 10px; }
.chart svg { max-width: 100%; height: auto; }
.leg span { display: inline-block; padding: 0 6px; margin-right: 6px; border-radius: 3px; }
ul.notes li { margin: 2px 0; }
ul.warnings li { color: #7a5200; }
footer { color: #8c959f; margin-top: 20px; font-size: 11px; }
@media print {
  body { margin: 0; font-size: 10px; }
  th, td { padding: 1px 4px; }
  h2 { font-size: 13px; }
  .row { flex-wrap: nowrap; gap: 0 18px; }
  .row > section { flex: 0 1 auto; min-width: 0; }
  .row > section.chart { flex: 1 1 0; }
  .chart svg { width: 100%; height: auto; }
  td.green, td.yellow, td.red, td.ws-owned, td.ws-pipeline, tr.team td {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

/// Escapes text for HTML (element content and attribute values).
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One table under its title.
fn section(h: &mut String, t: &Table) {
    let _ = writeln!(h, "<section>\n<h2>{}</h2>", esc(&escape_control(&t.title)));
    if t.rows.is_empty() {
        h.push_str("<p class=\"na\">(no rows)</p>\n</section>\n");
        return;
    }
    table(h, t);
    h.push_str("</section>\n");
}

/// The `<table>` of `t`: numbers right-aligned, statuses coloured, team
/// rows marked, heat maps for penetration and whitespace.
fn table(h: &mut String, t: &Table) {
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| is_numeric_column(t, i))
        .collect();
    let scope_col = t.columns.iter().position(|c| c == "scope");
    let heat = t.name == "penetration" || t.name == "penetration_heat";
    let whitespace = t.name == "whitespace";
    let _ = writeln!(h, "<table data-table=\"{}\">", esc(&t.name));
    h.push_str("<thead><tr>");
    for c in &t.columns {
        let _ = write!(
            h,
            "<th>{}</th>",
            esc(&escape_control(c)).replace('_', "_<wbr/>")
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        let team =
            scope_col.is_some_and(|i| matches!(row.get(i), Some(Cell::Text(s)) if s == "team"));
        h.push_str(if team { "<tr class=\"team\">" } else { "<tr>" });
        for (i, cell) in row.iter().enumerate() {
            let text = esc(&human_text(cell));
            let class = match cell {
                Cell::Status(s) => format!("st {}", s.as_str()),
                Cell::Missing => "na".to_string(),
                Cell::Text(s) if whitespace && i >= 3 => match s.as_str() {
                    "owned" => "ws-owned".to_string(),
                    "pipeline" => "ws-pipeline".to_string(),
                    _ => "ws-gap".to_string(),
                },
                _ if numeric.get(i).copied().unwrap_or(false) => "num".to_string(),
                _ => String::new(),
            };
            let style = match cell {
                Cell::Percent(p) if heat => heat_style(p),
                _ => String::new(),
            };
            match (class.is_empty(), style.is_empty()) {
                (true, true) => {
                    let _ = write!(h, "<td>{text}</td>");
                }
                (false, true) => {
                    let _ = write!(h, "<td class=\"{class}\">{text}</td>");
                }
                (_, false) => {
                    let _ = write!(h, "<td class=\"{class}\" style=\"{style}\">{text}</td>");
                }
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

/// A blue from white (0 %) to deep (100 % and more) for a heat-map cell.
fn heat_style(p: &Rational) -> String {
    let v = p.to_f64().clamp(0.0, 100.0);
    let light = 97.0 - v * 0.55;
    let ink = if light < 62.0 { "#fff" } else { "#0b3d73" };
    format!("background: hsl(212, 62%, {light:.0}%); color: {ink}")
}

/// The notes (the reconciliation's words, KPIs without data, the trend)
/// and the run's warnings.
fn notes(h: &mut String, shown: &Report, report: &Report) {
    let mut notes: Vec<&String> = shown.notes.iter().collect();
    for n in &report.notes {
        if !notes.contains(&n) {
            notes.push(n);
        }
    }
    if !notes.is_empty() {
        h.push_str("<section>\n<h2>Notes</h2>\n<ul class=\"notes\">\n");
        for n in notes {
            let _ = writeln!(h, "<li>{}</li>", esc(&escape_control(n)));
        }
        h.push_str("</ul>\n</section>\n");
    }
    if !report.warnings.is_empty() {
        h.push_str("<section>\n<h2>Warnings</h2>\n<ul class=\"warnings\">\n");
        for w in &report.warnings {
            let _ = writeln!(h, "<li>{}</li>", esc(&escape_control(w)));
        }
        h.push_str("</ul>\n</section>\n");
    }
}

// ------------------------------------------------------------------ charts

/// The penetration table's percentages per member as a heat map (name and
/// every percentage column).
fn heat_map(h: &mut String, t: &Table) {
    let Some(name) = col(t, "name") else {
        return;
    };
    let pct: Vec<usize> = (0..t.columns.len())
        .filter(|&i| {
            t.rows
                .iter()
                .any(|r| matches!(r.get(i), Some(Cell::Percent(_))))
        })
        .collect();
    if pct.is_empty() || t.rows.is_empty() {
        return;
    }
    let cols: Vec<usize> = col(t, "scope")
        .into_iter()
        .chain(std::iter::once(name))
        .chain(pct)
        .collect();
    let mut view = Table::new("penetration_heat", "Penetration heat map", &[]);
    view.columns = cols
        .iter()
        .filter_map(|&i| t.columns.get(i).cloned())
        .collect();
    view.rows = t
        .rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|&i| r.get(i).cloned().unwrap_or(Cell::Missing))
                .collect()
        })
        .collect();
    h.push_str("<section class=\"chart\">\n<h2>Penetration heat map</h2>\n");
    table(h, &view);
    h.push_str("<p class=\"leg\">darker: a higher share</p>\n</section>\n");
}

fn col(t: &Table, name: &str) -> Option<usize> {
    t.columns.iter().position(|c| c == name)
}

fn number(c: Option<&Cell>) -> Option<f64> {
    match c? {
        Cell::Percent(r) | Cell::Money(r) | Cell::Ratio(r) => Some(r.to_f64()),
        Cell::Float(v) if v.is_finite() => Some(*v),
        Cell::Count(n) => Some(*n as f64),
        _ => None,
    }
}

fn status(c: Option<&Cell>) -> Option<Status> {
    match c? {
        Cell::Status(s) => Some(*s),
        _ => None,
    }
}

fn text(c: Option<&Cell>) -> String {
    match c {
        Some(Cell::Text(s)) => escape_control(s),
        _ => String::new(),
    }
}

fn fill(s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Green) => "#2da44e",
        Some(Status::Yellow) => "#d4a72c",
        Some(Status::Red) => "#cf222e",
        None => "#8c959f",
    }
}

/// From the attainment table (member × category × period): per member and
/// team, FY attainment and pace (YTD) with their statuses, of the one
/// category or of `All`; none when the categories say nothing of a total.
fn attainment_summary(t: &Table) -> Option<Table> {
    let (scope, id, name, category, period, pct, status) = (
        col(t, "scope")?,
        col(t, "member_id")?,
        col(t, "name")?,
        col(t, "category")?,
        col(t, "period")?,
        col(t, "attainment_pct")?,
        col(t, "status")?,
    );
    let mut categories: Vec<String> = t.rows.iter().map(|r| text(r.get(category))).collect();
    categories.sort();
    categories.dedup();
    let total = match categories.as_slice() {
        [one] => one.clone(),
        _ if categories.iter().any(|c| c == "All") => "All".to_string(),
        _ => return None,
    };
    let mut out = Table::new(
        "attainment_summary",
        "Attainment",
        &[
            "scope",
            "name",
            "fy_attainment_pct",
            "fy_status",
            "pace_pct",
            "pace_status",
        ],
    );
    let mut keys: Vec<(String, String, String)> = Vec::new();
    for r in t.rows.iter().filter(|r| text(r.get(category)) == total) {
        let key = (text(r.get(scope)), text(r.get(id)), text(r.get(name)));
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    for (s, i, n) in keys {
        let find = |p: &str| {
            t.rows.iter().find(|r| {
                text(r.get(category)) == total
                    && text(r.get(scope)) == s
                    && text(r.get(id)) == i
                    && text(r.get(period)) == p
            })
        };
        let figure = |p: &str, c: usize| {
            find(p)
                .and_then(|r| r.get(c).cloned())
                .unwrap_or(Cell::Missing)
        };
        out.push(vec![
            Cell::Text(s.clone()),
            Cell::Text(n),
            figure("FY", pct),
            figure("FY", status),
            figure("YTD", pct),
            figure("YTD", status),
        ]);
    }
    Some(out)
}

/// Attainment (FY) and pace (YTD) per member and the team as horizontal
/// bars coloured by status, against a dashed 100 % quota line.
fn attainment_bars(h: &mut String, t: &Table) {
    let (Some(name), Some(fy), Some(pace)) = (
        col(t, "name"),
        col(t, "fy_attainment_pct"),
        col(t, "pace_pct"),
    ) else {
        return;
    };
    let (fy_st, pace_st) = (col(t, "fy_status"), col(t, "pace_status"));
    let scope = col(t, "scope");
    let rows: Vec<&Vec<Cell>> = t.rows.iter().collect();
    if rows.is_empty() {
        return;
    }
    let max = rows
        .iter()
        .flat_map(|r| [number(r.get(fy)), number(r.get(pace))])
        .flatten()
        .fold(100.0_f64, f64::max);
    let top = ((max / 25.0).ceil() * 25.0).max(125.0);
    let (left, width, row_h) = (170.0, 520.0, 40.0);
    let x = |v: f64| left + v.clamp(0.0, top) / top * width;
    let height = 30.0 + rows.len() as f64 * row_h + 24.0;
    h.push_str(
        "<section class=\"chart\">\n<h2>Attainment (FY) and pace (YTD) against quota</h2>\n",
    );
    let _ = writeln!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {w:.0} {height:.0}\" role=\"img\" aria-label=\"attainment and pace per member\" font-family=\"system-ui, sans-serif\" font-size=\"12\">",
        w = left + width + 80.0
    );
    // Grid every 25 %.
    let mut g = 0.0;
    while g <= top + 0.1 {
        let gx = x(g);
        let _ = writeln!(
            h,
            "<line x1=\"{gx:.1}\" y1=\"22\" x2=\"{gx:.1}\" y2=\"{:.1}\" stroke=\"#eaeef2\"/><text x=\"{gx:.1}\" y=\"16\" text-anchor=\"middle\" fill=\"#57606a\">{g:.0}%</text>",
            height - 24.0
        );
        g += 25.0;
    }
    for (i, r) in rows.iter().enumerate() {
        let y = 28.0 + i as f64 * row_h;
        let team = scope.is_some_and(|s| text(r.get(s)) == "team");
        let weight = if team { " font-weight=\"700\"" } else { "" };
        let _ = writeln!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"{weight}>{}</text>",
            left - 44.0,
            y + 17.0,
            esc(&text(r.get(name)))
        );
        for (j, (c, st, label)) in [(fy, fy_st, "FY"), (pace, pace_st, "pace")]
            .into_iter()
            .enumerate()
        {
            let by = y + j as f64 * 16.0;
            let _ = writeln!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#57606a\" font-size=\"10\">{label}</text>",
                left - 4.0,
                by + 11.0
            );
            match number(r.get(c)) {
                Some(v) => {
                    let colour = fill(st.and_then(|s| status(r.get(s))));
                    let _ = writeln!(
                        h,
                        "<rect x=\"{left:.1}\" y=\"{by:.1}\" width=\"{:.1}\" height=\"13\" rx=\"2\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}%</text>",
                        (x(v) - left).max(0.5),
                        x(v) + 4.0,
                        by + 11.0,
                        esc(&human_text(r.get(c).unwrap_or(&Cell::Missing)).replace('%', ""))
                    );
                }
                None => {
                    let _ = writeln!(
                        h,
                        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#8c959f\">n/a</text>",
                        left + 4.0,
                        by + 11.0
                    );
                }
            }
        }
    }
    let q = x(100.0);
    let _ = writeln!(
        h,
        "<line x1=\"{q:.1}\" y1=\"22\" x2=\"{q:.1}\" y2=\"{:.1}\" stroke=\"#1f2328\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/><text x=\"{q:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"600\">quota 100%</text>",
        height - 24.0,
        height - 8.0
    );
    h.push_str("</svg>\n<p class=\"leg\"><span class=\"green\">green</span><span class=\"yellow\">yellow</span><span class=\"red\">red</span>bars coloured by status against the targets; grey: no status</p>\n</section>\n");
}

/// The team's NSAT per quarter: points joined by a line, each with its
/// 95 % interval as a whisker; a hollow point is a low sample.
fn nsat_trend(h: &mut String, t: &Table) {
    let (Some(period), Some(nsat), Some(lo), Some(hi)) = (
        col(t, "period"),
        col(t, "nsat"),
        col(t, "interval_low"),
        col(t, "interval_high"),
    ) else {
        return;
    };
    let scope = col(t, "scope");
    let low_sample = col(t, "low_sample");
    let rows: Vec<&Vec<Cell>> = t
        .rows
        .iter()
        .filter(|r| scope.is_none_or(|s| text(r.get(s)) == "team"))
        .collect();
    if rows.is_empty() || rows.iter().all(|r| number(r.get(nsat)).is_none()) {
        return;
    }
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| [number(r.get(nsat)), number(r.get(lo)), number(r.get(hi))])
        .flatten()
        .collect();
    let vmin = values.iter().copied().fold(f64::INFINITY, f64::min);
    let vmax = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let bottom = ((vmin / 20.0).floor() * 20.0).max(0.0);
    let top = ((vmax / 20.0).ceil() * 20.0).min(200.0).max(bottom + 20.0);
    let (left, plot_w, plot_h, top_pad) = (50.0, 640.0, 200.0, 14.0);
    let step = plot_w / rows.len() as f64;
    let x = |i: usize| left + step * (i as f64 + 0.5);
    let y = |v: f64| top_pad + (top - v.clamp(bottom, top)) / (top - bottom) * plot_h;
    h.push_str("<section class=\"chart\">\n<h2>NSAT per quarter, team, with 95% intervals</h2>\n");
    let (w, height) = (left + plot_w + 20.0, top_pad + plot_h + 40.0);
    let _ = writeln!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {w:.0} {height:.0}\" role=\"img\" aria-label=\"NSAT per quarter\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
    );
    let mut g = bottom;
    while g <= top + 0.1 {
        let gy = y(g);
        let _ = writeln!(
            h,
            "<line x1=\"{left:.1}\" y1=\"{gy:.1}\" x2=\"{:.1}\" y2=\"{gy:.1}\" stroke=\"#eaeef2\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#57606a\">{g:.0}</text>",
            left + plot_w,
            left - 6.0,
            gy + 4.0
        );
        g += 20.0;
    }
    let mut path = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let cx = x(i);
        let _ = writeln!(
            h,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#57606a\">{}</text>",
            top_pad + plot_h + 18.0,
            esc(&text(r.get(period)))
        );
        if let (Some(l), Some(u)) = (number(r.get(lo)), number(r.get(hi))) {
            let _ = writeln!(
                h,
                "<line x1=\"{cx:.1}\" y1=\"{:.1}\" x2=\"{cx:.1}\" y2=\"{:.1}\" stroke=\"#6e7781\" stroke-width=\"1.5\"/><line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#6e7781\"/><line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#6e7781\"/>",
                y(l),
                y(u),
                cx - 6.0,
                y(l),
                cx + 6.0,
                y(l),
                cx - 6.0,
                y(u),
                cx + 6.0,
                y(u)
            );
        }
        if let Some(v) = number(r.get(nsat)) {
            path.push(format!("{cx:.1},{:.1}", y(v)));
            let hollow = low_sample.is_some_and(|c| matches!(r.get(c), Some(Cell::Bool(true))));
            let fill = if hollow { "#fff" } else { "#0969da" };
            let _ = writeln!(
                h,
                "<circle cx=\"{cx:.1}\" cy=\"{:.1}\" r=\"4.5\" fill=\"{fill}\" stroke=\"#0969da\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" font-weight=\"600\">{}</text>",
                y(v),
                cx + 8.0,
                y(v) - 6.0,
                esc(&human_text(r.get(nsat).unwrap_or(&Cell::Missing)))
            );
        }
    }
    if path.len() > 1 {
        let _ = writeln!(
            h,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" opacity=\"0.6\"/>",
            path.join(" ")
        );
    }
    h.push_str("</svg>\n<p class=\"leg\">bars: the 95% interval of each quarter's NSAT; a hollow point has fewer responses than the minimum</p>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rat(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    fn sample() -> Report {
        let mut t = Table::new(
            "scorecard_summary",
            "Summary",
            &[
                "scope",
                "member_id",
                "name",
                "fy_attainment_pct",
                "fy_status",
                "pace_pct",
                "pace_status",
            ],
        );
        t.push(vec![
            Cell::text("member"),
            Cell::text("M1"),
            Cell::text("<script>alert(1)</script>"),
            Cell::Percent(rat(643, 10)),
            Cell::Status(Status::Red),
            Cell::Percent(rat(11687, 100)),
            Cell::Status(Status::Green),
        ]);
        t.push(vec![
            Cell::text("team"),
            Cell::Missing,
            Cell::text("A & B \"West\""),
            Cell::Missing,
            Cell::Missing,
            Cell::Percent(rat(9743, 100)),
            Cell::Status(Status::Yellow),
        ]);
        Report {
            fiscal_year: "FY2013".to_string(),
            as_of: "2013-01-30".to_string(),
            scope: "team <West>".to_string(),
            tables: vec![t],
            notes: vec!["a note".to_string()],
            warnings: vec!["a <warning>".to_string()],
        }
    }

    #[test]
    fn page_escapes_and_colours() {
        let mut buf = Vec::new();
        render(&sample(), None, &mut buf).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert!(!s.contains("<script"), "{s}");
        assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(s.contains("A &amp; B &quot;West&quot;"));
        assert!(s.contains("FY2013 as of 2013-01-30 — team &lt;West&gt;"));
        assert!(s.contains("<td class=\"st red\">red</td>"));
        assert!(s.contains("<td class=\"num\">116.87%</td>"));
        assert!(s.contains("<tr class=\"team\">"));
        assert!(s.contains("<li>a &lt;warning&gt;</li>"));
        // The bars: one per figure, n/a for the team's missing FY.
        assert_eq!(s.matches("<rect ").count(), 3, "{s}");
        assert!(s.contains(">116.87%</text>"));
        assert!(s.contains("quota 100%"));
        assert!(!s.contains("<script"));
        assert!(s.ends_with("</html>\n"));
    }

    #[test]
    fn heat_is_darker_for_more() {
        let a = heat_style(&rat(10, 1));
        let b = heat_style(&rat(90, 1));
        assert_eq!(a, "background: hsl(212, 62%, 92%); color: #0b3d73");
        assert_eq!(b, "background: hsl(212, 62%, 47%); color: #fff");
    }
}
