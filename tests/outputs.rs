//! Outputs people look at (issue 13): shell completions and the man page,
//! the HTML scorecard, the xlsx workbook and the terminal scorecard that fits
//! 120 columns.

use crate::common::{root, run};

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _atu"),
        ("zsh", "#compdef atu"),
        ("fish", "complete -c atu"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[atu]"),
    ] {
        let (code, out, err) = run(&root(), &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(out.contains("scorecard"), "{shell}");
        assert!(out.contains("out-dir"), "{shell}");
    }
    let (code, _, err) = run(&root(), &["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("possible values: bash, elvish, fish, powershell, zsh"),
        "{err}"
    );
}

#[test]
fn man_page_is_roff() {
    let (code, out, err) = run(&root(), &["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(".TH atu 1"), "{out}");
    assert!(out.contains(".SH NAME"));
    assert!(out.contains("scorecard"));
    assert!(out.contains("Exit status: 0 success"));
}

// ------------------------------------------------------------------ html

use std::collections::BTreeMap;

use quick_xml::events::Event;

use crate::common::{dataset, run_inside};

const DEMO: &[&str] = &[
    "--data",
    "examples/demo",
    "--fy",
    "2013",
    "--as-of",
    "2013-01-30",
];

fn demo<'a>(cmd: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![cmd];
    v.extend_from_slice(DEMO);
    v.extend_from_slice(extra);
    v
}

/// A page read back with a strict XML parser (the page is well-formed XML
/// as well as HTML): every `<table data-table>`'s body rows as cell texts,
/// in page order (a table shown twice is listed twice), and all its text.
struct Page {
    tables: Vec<(String, Vec<Vec<String>>)>,
    text: String,
}

fn parse_page(html: &str) -> Page {
    let mut reader = quick_xml::Reader::from_str(html);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<String> = Vec::new();
    let mut page = Page {
        tables: Vec::new(),
        text: String::new(),
    };
    let mut in_body_cell = false;
    loop {
        let ev = reader
            .read_event()
            .unwrap_or_else(|e| panic!("the page is not well-formed: {e}"));
        let piece: Option<String> = match &ev {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                match name.as_str() {
                    "table" => {
                        let id = e
                            .try_get_attribute("data-table")
                            .ok()
                            .flatten()
                            .map(|a| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .unwrap()
                                    .to_string()
                            })
                            .unwrap_or_default();
                        page.tables.push((id, Vec::new()));
                    }
                    "tr" if stack.iter().any(|s| s == "tbody") => {
                        if let Some(t) = page.tables.last_mut() {
                            t.1.push(Vec::new());
                        }
                    }
                    "td" => {
                        in_body_cell = true;
                        if let Some(row) = page.tables.last_mut().and_then(|t| t.1.last_mut()) {
                            row.push(String::new());
                        }
                    }
                    _ => {}
                }
                stack.push(name);
                None
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                if name == "td" {
                    in_body_cell = false;
                }
                None
            }
            Event::Text(t) => Some(t.html_content().to_string()),
            Event::GeneralRef(r) => Some(match r.resolve_char_ref().unwrap() {
                Some(c) => c.to_string(),
                None => match AsRef::<str>::as_ref(r) {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    other => panic!("unknown entity &{other};"),
                },
            }),
            Event::Eof => break,
            _ => None,
        };
        if let Some(p) = piece {
            page.text.push_str(&p);
            if in_body_cell {
                if let Some(cell) = page
                    .tables
                    .last_mut()
                    .and_then(|t| t.1.last_mut())
                    .and_then(|r| r.last_mut())
                {
                    cell.push_str(&p);
                }
            }
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    page
}

/// The last table of the page named `name` (the appendix's copy).
fn table<'a>(page: &'a Page, name: &str) -> &'a Vec<Vec<String>> {
    &page
        .tables
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no table {name}"))
        .1
}

/// The CSV text of a cell as the page shows it: the page groups thousands
/// and writes `%` and `n/a`; the CSV writes plain numbers and empty cells.
fn as_csv(shown: &str) -> String {
    if shown == "n/a" {
        return String::new();
    }
    let plain = shown.trim_end_matches('%').replace(',', "");
    if plain.parse::<f64>().is_ok() {
        plain
    } else {
        shown.to_string()
    }
}

/// Every cell of `csv` (with its header) equals the page's table `name`.
fn assert_holds_csv(page: &Page, name: &str, csv: &str) {
    let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let rows = table(page, name);
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(records.len(), rows.len(), "{name}: rows");
    assert!(!rows.is_empty(), "{name}: empty");
    for (i, (rec, row)) in records.iter().zip(rows).enumerate() {
        let got: Vec<String> = row.iter().map(|c| as_csv(c)).collect();
        let want: Vec<&str> = rec.iter().collect();
        assert_eq!(got, want, "{name} row {i}");
    }
}

#[test]
fn html_scorecard_holds_every_figure_of_every_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, _, err) = run(&root(), &demo("scorecard", &["--out-dir", d]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("scorecard.json, scorecard.html and scorecard.xlsx to"),
        "{err}"
    );
    let (code, html, err) = run(&root(), &demo("scorecard", &["--format", "html"]));
    assert_eq!(code, 0, "{err}");
    let from_dir = std::fs::read_to_string(dir.path().join("scorecard.html")).unwrap();
    assert_eq!(html, from_dir);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // Self-contained: no script, no network.
    assert!(!html.contains("<script"));
    // The only address is the SVG namespace, which is never fetched.
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(!html.contains("https://"));
    assert!(!html.contains(" src="));
    assert!(!html.contains("<link"));
    let page = parse_page(&html);
    // Every table of --out-dir, cell by cell.
    let mut names = Vec::new();
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let name = p.file_stem().unwrap().to_str().unwrap().to_string();
            assert_holds_csv(&page, &name, &std::fs::read_to_string(&p).unwrap());
            names.push(name);
        }
    }
    names.sort();
    assert_eq!(
        names,
        [
            "attainment",
            "contacts",
            "nsat",
            "partners",
            "penetration",
            "pipeline",
            "reconciliation",
            "scorecard",
            "scorecard_summary"
        ]
    );
    // The scope line, the team's KPIs with their status colours, the
    // charts, the notes and the warnings.
    assert!(page
        .text
        .contains("FY2013 as of 2013-01-30 — team ATU West (9 members), all accounts"));
    let team = table(&page, "scorecard_team");
    assert!(team.contains(&vec![
        "pace".to_string(),
        "YTD".to_string(),
        "97.43%".to_string(),
        "100.00".to_string(),
        "yellow".to_string()
    ]));
    assert!(html.contains("<td class=\"st yellow\">yellow</td>"));
    assert!(html.contains("<td class=\"st red\">red</td>"));
    assert!(html.contains("<td class=\"st green\">green</td>"));
    assert!(page
        .text
        .contains("Attainment (FY) and pace (YTD) against quota"));
    assert!(page.text.contains("quota 100%"));
    // Two bars per member with figures, one each for the team: 8 sellers and the team.
    assert_eq!(html.matches("<rect ").count(), 18, "bars");
    assert!(page
        .text
        .contains("NSAT per quarter, team, with 95% intervals"));
    assert!(page.text.contains("FY2013-Q3"));
    assert!(page.text.contains("Penetration heat map"));
    assert!(html.contains("style=\"background: hsl(212"));
    assert!(page
        .text
        .contains("won revenue 7645872.61 = members 7135511.61 + unassigned 510361.00"));
    assert!(page.text.contains("owners not in the roster (M99)"));
}

#[test]
fn html_escapes_hostile_names() {
    let d = dataset(&[
        (
            "members.csv",
            "member_id,name\nM1,<script>alert(1)</script>\nM2,\"Bo & \"\"Co\"\" <b>\"\n",
        ),
        ("quotas.csv", "member_id,fiscal_year,period,category,quota\nM1,2013,Q1,Sales,1000\nM2,2013,Q1,Sales,1000\n"),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount\nO1,M1,A1,2012-08-15,won,1200\nO2,M2,A1,2012-08-15,won,500\n",
        ),
    ]);
    let (code, html, err) = run_inside(d.path(), &["scorecard", "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Bo &amp; &quot;Co&quot; &lt;b&gt;"));
    let page = parse_page(&html);
    let summary = table(&page, "scorecard_summary");
    assert_eq!(summary[0][2], "<script>alert(1)</script>");
    assert_eq!(summary[1][2], "Bo & \"Co\" <b>");
    // The bar chart's label is escaped text too.
    assert!(html.contains("\">&lt;script&gt;alert(1)&lt;/script&gt;</text>"));
}

#[test]
fn html_for_every_command() {
    let mut seen = BTreeMap::new();
    for cmd in [
        "attainment",
        "pipeline",
        "partners",
        "penetration",
        "whitespace",
        "contacts",
        "nsat",
        "validate",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.html");
        let f = file.to_str().unwrap();
        let (code, _, err) = run(&root(), &demo(cmd, &["--output", f]));
        assert_eq!(code, 0, "{cmd}: {err}");
        let html = std::fs::read_to_string(&file).unwrap();
        let page = parse_page(&html);
        let (_, csv, _) = run(&root(), &demo(cmd, &["--format", "csv"]));
        let first = page
            .tables
            .iter()
            .map(|(n, _)| n.clone())
            .find(|n| !n.is_empty() && n != "scorecard_team")
            .unwrap();
        assert_holds_csv(&page, &first, &csv);
        seen.insert(cmd, page.tables.len());
    }
    // Attainment's bars: FY and pace of the category All, as on the scorecard.
    let (_, html, _) = run(&root(), &demo("attainment", &["--format", "html"]));
    assert_eq!(html.matches("<rect ").count(), 18);
    assert!(html.contains(">116.87%</text>"));
    // The whitespace matrix as a heat map, NSAT with its chart.
    let (_, html, _) = run(&root(), &demo("whitespace", &["--format", "html"]));
    assert!(html.contains("<td class=\"ws-owned\">owned</td>"));
    assert!(html.contains("<td class=\"ws-pipeline\">pipeline</td>"));
    let (_, html, _) = run(&root(), &demo("nsat", &["--format", "html"]));
    assert!(html.contains("NSAT per quarter, team, with 95% intervals"));
    assert!(seen.values().all(|&n| n >= 1), "{seen:?}");
}

// ------------------------------------------------------------------ xlsx

use calamine::{Data, Reader, Xlsx};

fn open_xlsx(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx workbook")
}

/// The text of a file inside the workbook's zip.
fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut f = z.by_name(name).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut f, &mut s).unwrap();
    s
}

/// Every cell of `csv` equals the sheet `name`: numbers as numbers (a
/// percentage as its fraction, 93.50 → 0.935), text as text (the CSV's
/// formula guard `'` aside), empty as empty.
fn assert_sheet_is_csv(wb: &mut Xlsx<std::io::Cursor<Vec<u8>>>, name: &str, csv: &str) {
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    let formulas = wb.worksheet_formula(name).unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "{name}: a formula"
    );
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(range.height(), records.len(), "{name}: rows");
    let header: Vec<String> = records[0].iter().map(String::from).collect();
    let mut numbers = 0;
    for (i, rec) in records.iter().enumerate() {
        for (j, want) in rec.iter().enumerate() {
            let got = range.get((i, j)).unwrap_or(&Data::Empty);
            let ok = match got {
                Data::Empty => want.is_empty(),
                Data::String(s) => s == want || format!("'{s}") == want,
                Data::Bool(b) => b.to_string() == want,
                Data::Float(f) => {
                    numbers += 1;
                    let v: f64 = want.parse().unwrap_or(f64::NAN);
                    let pct = (f * 100.0 - v).abs() < 1e-6;
                    if header[j].ends_with("_pct") {
                        pct
                    } else {
                        (f - v).abs() < 1e-9 || pct
                    }
                }
                Data::Int(n) => n.to_string() == want,
                other => panic!("{name} ({i}, {j}): {other:?}"),
            };
            assert!(
                ok,
                "{name} row {i} column {}: {got:?} against {want:?}",
                header[j]
            );
        }
    }
    assert!(numbers > 0 || records.len() == 1, "{name}: no numbers");
}

#[test]
fn xlsx_scorecard_reads_back_as_every_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, _, err) = run(&root(), &demo("scorecard", &["--out-dir", d]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("scorecard.html and scorecard.xlsx to"),
        "{err}"
    );
    // --output x.xlsx picks the format; piped stdout gets the same bytes.
    let file = dir.path().join("x.xlsx");
    let (code, _, err) = run(
        &root(),
        &demo("scorecard", &["-q", "--output", file.to_str().unwrap()]),
    );
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&file).unwrap();
    let piped = crate::common::atu()
        .args(demo("scorecard", &["-q", "--format", "xlsx"]))
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert!(piped.stdout.starts_with(b"PK\x03\x04"));
    assert_eq!(
        open_xlsx(piped.stdout).sheet_names(),
        open_xlsx(bytes.clone()).sheet_names()
    );
    let mut wb = open_xlsx(std::fs::read(dir.path().join("scorecard.xlsx")).unwrap());
    let sheets = wb.sheet_names();
    assert_eq!(
        sheets,
        [
            "About",
            "scorecard_team",
            "scorecard_summary",
            "scorecard_breadth",
            "reconciliation",
            "scorecard",
            "attainment",
            "pipeline",
            "partners",
            "penetration",
            "contacts",
            "nsat"
        ]
    );
    // Every table of --out-dir, cell by cell.
    let mut compared = 0;
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let name = p.file_stem().unwrap().to_str().unwrap().to_string();
            assert_sheet_is_csv(&mut wb, &name, &std::fs::read_to_string(&p).unwrap());
            compared += 1;
        }
    }
    assert_eq!(compared, 9);
    // The About sheet: scope, fiscal year, the as-of as a date, notes,
    // warnings and the sheets.
    let about = wb.worksheet_range("About").unwrap();
    let cell = |r: usize, c: usize| about.get((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String("atu: Scorecard".to_string()));
    assert_eq!(
        cell(1, 1),
        Data::String("team ATU West (9 members), all accounts".to_string())
    );
    assert_eq!(cell(2, 1), Data::String("FY2013".to_string()));
    match cell(3, 1) {
        // 2013-01-30 is Excel's day 41304.
        Data::DateTime(d) => assert_eq!(d.as_f64(), 41304.0),
        other => panic!("as-of: {other:?}"),
    }
    let texts: Vec<String> = about
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(texts.contains(&"Warnings".to_string()));
    assert!(texts
        .iter()
        .any(|t| t.contains("owners not in the roster (M99)")));
    assert!(texts.contains(
        &"won revenue 7645872.61 = members 7135511.61 + unassigned 510361.00".to_string()
    ));
    // The team's pace: a number shown as a percentage, its status coloured.
    let team = wb.worksheet_range("scorecard_team").unwrap();
    let pace = (0..team.height())
        .find(|&r| team.get((r, 0)) == Some(&Data::String("pace".to_string())))
        .unwrap();
    assert!(matches!(team.get((pace, 2)), Some(Data::Float(f)) if (f - 0.9743).abs() < 1e-9));
    assert_eq!(
        team.get((pace, 4)),
        Some(&Data::String("yellow".to_string()))
    );
    // Formats, colours, frozen header, autofilter, widths: in the file's XML.
    let styles = part(&bytes, "xl/styles.xml");
    for want in [
        "#,##0.00",
        "0.00%",
        "yyyy-mm-dd",
        "FFC6EFCE",
        "FFFFEB9C",
        "FFFFC7CE",
    ] {
        assert!(styles.contains(want), "styles: {want}");
    }
    let first = part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(
        first.contains(
            "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        ),
        "{first}"
    );
    assert!(first.contains("<autoFilter ref=\"A1:E"), "{first}");
    assert!(
        first.contains("<cols><col min=\"1\" max=\"1\" width=\""),
        "{first}"
    );
}

#[test]
fn xlsx_cells_never_run_formulas() {
    let d = dataset(&[
        (
            "members.csv",
            "member_id,name\nM1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\nM2,+1+2\nM3,@SUM(A1)\nM4,<script>alert(1)</script>\n",
        ),
        ("quotas.csv", "member_id,fiscal_year,period,category,quota\nM1,2013,Q1,Sales,1000\n"),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount\nO1,M1,A1,2012-08-15,won,1200\n",
        ),
    ]);
    let file = d.path().join("x.xlsx");
    let (code, _, err) = run_inside(
        d.path(),
        &[
            "scorecard",
            "--format",
            "xlsx",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mut wb = open_xlsx(std::fs::read(&file).unwrap());
    let formulas = wb.worksheet_formula("scorecard_summary").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    let summary = wb.worksheet_range("scorecard_summary").unwrap();
    let names: Vec<&Data> = (1..5).filter_map(|r| summary.get((r, 2))).collect();
    assert_eq!(
        names,
        [
            &Data::String("=HYPERLINK(\"http://x\",\"y\")".to_string()),
            &Data::String("+1+2".to_string()),
            &Data::String("@SUM(A1)".to_string()),
            &Data::String("<script>alert(1)</script>".to_string()),
        ]
    );
}

// ------------------------------------------------------- screen that fits

#[test]
fn terminal_scorecard_fits_120_columns() {
    let (code, out, err) = run(
        &root(),
        &demo(
            "scorecard",
            &["-q", "--format", "table", "--color", "never"],
        ),
    );
    assert_eq!(code, 0, "{err}");
    let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 120, "{widest} columns:\n{out}");
    // Short headers, a value and its status in one column, a marker for
    // the status, the team row's id reads team.
    assert!(
        out.contains(
            "│ id   ┆ name            ┆     FY % ┆    pace % ┆    win % ┆  cover ┆ partner % │"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "│ team ┆ ATU West        ┆ 53.92% R ┆  97.43% Y ┆ 48.77% G ┆ 2.23 R ┆  40.51% G │"
        ),
        "{out}"
    );
    // A figure without a status keeps the figures aligned.
    assert!(
        out.contains("│ M03  ┆ Thomas Becker   ┆  55.00% G ┆   25.71% G ┆ 112.50   │"),
        "{out}"
    );
    assert!(out.contains("G green, Y yellow, R red; --wide shows every column"));
    assert!(!out.contains("fy_attainment_pct"));
    // With colour the status is the colour: no marker.
    let (_, coloured, _) = run(
        &root(),
        &demo(
            "scorecard",
            &["-q", "--format", "table", "--color", "always"],
        ),
    );
    assert!(
        coloured.contains("\x1b[38;5;9m53.92%\x1b[39m"),
        "{coloured}"
    );
    assert!(!coloured.contains("53.92% R"));
    // --wide: every column under its full name, statuses as words.
    let (_, wide, _) = run(
        &root(),
        &demo(
            "scorecard",
            &["-q", "--format", "table", "--color", "never", "--wide"],
        ),
    );
    assert!(
        wide.contains("┆ fy_attainment_pct ┆ fy_status ┆ pace_pct ┆ pace_status ┆"),
        "{wide}"
    );
    assert!(
        wide.contains("┆            53.92% ┆ red       ┆   97.43% ┆ yellow      ┆"),
        "{wide}"
    );
    assert!(wide.lines().map(|l| l.chars().count()).max().unwrap() > 120);
}

#[test]
fn long_names_are_cut_on_screen() {
    let d = dataset(&[
        (
            "members.csv",
            "member_id,name\nM1,Maximiliane Augusta von Hohenzollern-Sigmaringen\n",
        ),
        ("quotas.csv", "member_id,fiscal_year,period,category,quota\nM1,2013,Q1,Sales,1000\n"),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount\nO1,M1,A1,2012-08-15,won,1200\n",
        ),
    ]);
    let (code, out, err) = run_inside(
        d.path(),
        &["scorecard", "--format", "table", "--color", "never"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("┆ Maximiliane Augusta v… ┆"), "{out}");
    let (_, wide, _) = run_inside(
        d.path(),
        &[
            "scorecard",
            "--format",
            "table",
            "--color",
            "never",
            "--wide",
        ],
    );
    assert!(wide.contains("Maximiliane Augusta von Hohenzollern-Sigmaringen"));
}

// -------------------------------------------------------------- progress

#[test]
fn no_progress_when_stderr_is_not_a_terminal() {
    // Large exports (a 51 MB file beside the demo's): a spinner on a
    // terminal, nothing at all in a pipe.
    let d = crate::common::copy_csv_files(&root().join("examples/demo"));
    std::fs::copy(
        root().join("examples/demo/atu.toml"),
        d.path().join("atu.toml"),
    )
    .unwrap();
    std::fs::write(d.path().join("notes.txt"), vec![b'x'; 51_000_000]).unwrap();
    let data = d.path().to_str().unwrap();
    let (code, csv, err) = run(
        &root(),
        &[
            "scorecard",
            "--data",
            data,
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, demo_csv, demo_err) = run(&root(), &demo("scorecard", &["--format", "csv"]));
    assert_eq!(csv, demo_csv);
    assert_eq!(err, demo_err);
    assert!(!err.contains("reading"), "{err}");
    assert!(!err.contains('\r') && !err.contains('\x1b'), "{err:?}");
}
