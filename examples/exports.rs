//! Rewrites the canonical demo dataset as three realistic CRM exports.
//!
//! Reads `members.csv`, `quotas.csv`, `opportunities.csv` and `atu.toml` of
//! the demo dataset (`examples/demo`, written by `cargo run --example
//! generate`) and writes the same members, quotas and revenue lines, in the
//! forms that SPEC.md §1.2 says `atu` reads without hand-editing, each in its
//! own folder with an `atu.toml` that maps it back:
//!
//! - `dynamics/`: Dynamics 365 "Export to Excel" saved as "CSV UTF-8":
//!   `Users.csv`, `Opportunities.csv` and `Goals.csv`; UTF-8 with a BOM, CRLF,
//!   every field quoted, the hidden `(Do Not Modify) …` leading columns,
//!   display names instead of ids for owners and managers, money as
//!   `$1,500,000.00 `, dates as `5/20/2012 7:42`, no opportunity id mapped
//!   (each row is its own line; the demo's exact duplicate row stays one),
//!   amounts and dates by status as the real export writes them: a won
//!   deal's revenue in `Actual Revenue` with a decoy estimate in `Est.
//!   revenue`, `$0.00` in `Actual Revenue` of open and lost deals (whose
//!   revenue is the estimate), a closed deal's `Actual Close Date` with a
//!   decoy `Est. close date`, and goals dated
//!   `From`/`To` that mix the team's parent goals (left out by a row filter)
//!   with the members' goals, plus one member goal with a blank target.
//! - `salesforce/`: Salesforce reports exported "Details only": a Users
//!   report, an Opportunities with Products report and forecast quotas, with
//!   owners by full name, `Closed Won`/`Closed Lost` and open stages, money
//!   as `USD 1,500.00`, `M/D/YYYY` dates and the report footer ("Grand
//!   Totals (N records)", confidentiality and copyright lines).
//! - `excel-it/`: the canonical files opened in an Italian Excel and saved as
//!   plain "CSV": Windows-1252, `;`, CRLF, Italian headers (`ID opportunità`
//!   needs the right decoding), `€ 1.234,56`, `dd/mm/yyyy`, and the status
//!   words `Vinta`, `Persa`, `Aperta`.
//!
//! Every export keeps every member id and name, category, quota and revenue
//! line of the demo, so `atu attainment --data examples/<x> --fy 2013
//! --as-of 2013-01-30 --format csv` prints exactly what it prints for
//! `--data examples/demo`. Each `atu.toml` copies the demo's fiscal settings,
//! targets and status thresholds (the attainment table's `status` column
//! depends on them). The owner outside the roster (`M99`) becomes
//! "Former Employee" where owners are names; its lines stay unassigned.
//!
//! The output depends only on the demo files: values that the demo lacks
//! (GUIDs, checksums, modification times, estimates, open stages) are derived
//! from a hash (FNV-1a) of the row's own content, so a row that repeats
//! another exactly is repeated exactly. Only `csv` and `encoding_rs` are used
//! besides `std`.
//!
//! ```text
//! cargo run --example exports [-- [--demo DIR] [--out DIR]]
//! ```
//!
//! `--demo` defaults to `examples/demo` and `--out` to `examples` (both
//! relative to the crate), so the committed folders `examples/dynamics`,
//! `examples/salesforce` and `examples/excel-it` are
//! `cargo run --example exports`. Exit status: 0 success, 1 a bad input or an
//! I/O error, 2 a bad command line.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const USAGE: &str = "\
usage: exports [--demo DIR] [--out DIR]

Writes the demo dataset as three CRM exports, into OUT/dynamics,
OUT/salesforce and OUT/excel-it (each with an atu.toml).

options:
  --demo DIR   the canonical dataset to read (default: examples/demo)
  --out DIR    where the three folders go (default: examples)
  -h, --help   print this help
";

/// Owner name of lines whose owner is not in the roster.
const FORMER_EMPLOYEE: &str = "Former Employee";

/// The demo's snapshot: hidden `Modified On` values lie before it.
const SNAPSHOT: Date = Date {
    y: 2013,
    m: 1,
    d: 30,
};

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut demo = root.join("demo");
    let mut out = root;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let target = match arg.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--demo" => &mut demo,
            "--out" => &mut out,
            _ => {
                eprintln!("exports: unknown argument '{arg}'\n\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        match args.next() {
            Some(v) if !v.is_empty() => *target = PathBuf::from(v),
            _ => {
                eprintln!("exports: {arg} needs a folder\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match run(&demo, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("exports: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(demo_dir: &Path, out: &Path) -> Result<()> {
    let demo = Demo::read(demo_dir)?;
    for (name, files) in [
        ("dynamics", dynamics(&demo)?),
        ("salesforce", salesforce(&demo)?),
        ("excel-it", excel_it(&demo)?),
    ] {
        let dir = out.join(name);
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for (file, bytes) in files {
            let path = dir.join(file);
            fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        eprintln!("wrote {}", dir.display());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The demo dataset

struct Member {
    id: String,
    name: String,
    role: String,
    team: String,
    manager_id: String,
}

struct Quota {
    member_id: String,
    fiscal_year: i32,
    period: Period,
    category: String,
    /// In cents.
    quota: i64,
}

struct Line {
    opportunity_id: String,
    line_id: String,
    owner_id: String,
    account_id: String,
    close_date: Date,
    status: Status,
    /// In cents.
    amount: i64,
    category: String,
    product: String,
    partner_id: String,
    /// The demo row's fields joined: the seed of every derived value.
    key: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Won,
    Lost,
    Open,
}

/// A fiscal period of a quota row.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Period {
    Year,
    Quarter(u32),
    Month(u32),
}

impl Period {
    fn parse(s: &str) -> Option<Period> {
        let s = s.trim().to_ascii_uppercase();
        if s == "FY" {
            return Some(Period::Year);
        }
        let n = |t: &str, max: u32| t.parse::<u32>().ok().filter(|n| (1..=max).contains(n));
        if let Some(q) = s.strip_prefix('Q') {
            return n(q, 4).map(Period::Quarter);
        }
        s.strip_prefix('M')
            .and_then(|m| n(m, 12))
            .map(Period::Month)
    }

    fn label(&self) -> String {
        match self {
            Period::Year => "FY".to_string(),
            Period::Quarter(q) => format!("Q{q}"),
            Period::Month(m) => format!("M{m:02}"),
        }
    }

    /// Fiscal months covered, 0-based from the year's first month.
    fn months(&self) -> (u32, u32) {
        match *self {
            Period::Year => (0, 12),
            Period::Quarter(q) => (3 * (q - 1), 3 * q),
            Period::Month(m) => (m - 1, m),
        }
    }

    /// The quarter that holds the period (none for the year).
    fn quarter(&self) -> Option<u32> {
        match *self {
            Period::Year => None,
            Period::Quarter(q) => Some(q),
            Period::Month(m) => Some((m - 1) / 3 + 1),
        }
    }
}

struct Demo {
    members: Vec<Member>,
    quotas: Vec<Quota>,
    lines: Vec<Line>,
    /// First calendar month of the fiscal year.
    fy_start_month: u32,
    /// The demo's top-level settings (fiscal calendar, team name), verbatim.
    toml_settings: String,
    /// The demo's tables (`[targets]`, `[status]`, …), verbatim.
    toml_tables: String,
}

/// Reads a CSV file into records (header → value), checking its headers.
fn read_csv(path: &Path, required: &[&str]) -> Result<Vec<BTreeMap<String, String>>> {
    let mut rdr =
        csv::Reader::from_path(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let headers = rdr.headers()?.clone();
    for h in required {
        if !headers.iter().any(|x| x == *h) {
            return Err(format!("{}: no column {h}", path.display()).into());
        }
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        rows.push(
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(rows)
}

impl Demo {
    fn read(dir: &Path) -> Result<Demo> {
        let toml_path = dir.join("atu.toml");
        let toml = fs::read_to_string(&toml_path)
            .map_err(|e| format!("cannot read {}: {e}", toml_path.display()))?;
        let (mut settings, mut tables) = (String::new(), String::new());
        let mut in_tables = false;
        let mut fy_start_month = 7;
        for line in toml.lines() {
            let t = line.trim();
            in_tables |= t.starts_with('[');
            if in_tables {
                tables.push_str(line);
                tables.push('\n');
                continue;
            }
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let (key, value) = t.split_once('=').unwrap_or((t, ""));
            let value = value.trim().trim_matches('"');
            match key.trim() {
                "fiscal_year_start_month" => {
                    fy_start_month = value
                        .parse()
                        .ok()
                        .filter(|m| (1..=12).contains(m))
                        .ok_or_else(|| format!("{}: bad {t}", toml_path.display()))?;
                }
                "fiscal_year_named_by" if value != "end" => {
                    return Err(format!(
                        "{}: only years named by their end are supported",
                        toml_path.display()
                    )
                    .into());
                }
                _ => {}
            }
            settings.push_str(line);
            settings.push('\n');
        }

        let path = dir.join("members.csv");
        let members = read_csv(&path, &["member_id", "name", "role", "team", "manager_id"])?
            .into_iter()
            .map(|r| Member {
                id: r["member_id"].clone(),
                name: r["name"].clone(),
                role: r["role"].clone(),
                team: r["team"].clone(),
                manager_id: r["manager_id"].clone(),
            })
            .collect();

        let path = dir.join("quotas.csv");
        let mut quotas = Vec::new();
        for (i, r) in read_csv(
            &path,
            &["member_id", "fiscal_year", "period", "category", "quota"],
        )?
        .into_iter()
        .enumerate()
        {
            let bad = |what: &str| format!("{}:{}: bad {what}", path.display(), i + 2);
            quotas.push(Quota {
                member_id: r["member_id"].clone(),
                fiscal_year: r["fiscal_year"]
                    .trim()
                    .parse()
                    .map_err(|_| bad("fiscal_year"))?,
                period: Period::parse(&r["period"]).ok_or_else(|| bad("period"))?,
                category: r["category"].clone(),
                quota: parse_cents(&r["quota"]).ok_or_else(|| bad("quota"))?,
            });
        }

        let path = dir.join("opportunities.csv");
        let cols = [
            "opportunity_id",
            "line_id",
            "owner_id",
            "account_id",
            "close_date",
            "status",
            "amount",
            "category",
            "product",
            "partner_id",
        ];
        let mut lines = Vec::new();
        for (i, r) in read_csv(&path, &cols)?.into_iter().enumerate() {
            let bad = |what: &str| format!("{}:{}: bad {what}", path.display(), i + 2);
            lines.push(Line {
                opportunity_id: r["opportunity_id"].clone(),
                line_id: r["line_id"].clone(),
                owner_id: r["owner_id"].clone(),
                account_id: r["account_id"].clone(),
                close_date: Date::parse_iso(&r["close_date"]).ok_or_else(|| bad("close_date"))?,
                status: match r["status"].trim() {
                    "won" => Status::Won,
                    "lost" => Status::Lost,
                    "open" => Status::Open,
                    _ => return Err(bad("status").into()),
                },
                amount: parse_cents(&r["amount"]).ok_or_else(|| bad("amount"))?,
                category: r["category"].clone(),
                product: r["product"].clone(),
                partner_id: r["partner_id"].clone(),
                key: cols
                    .iter()
                    .map(|c| r[*c].as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
            });
        }

        let demo = Demo {
            members,
            quotas,
            lines,
            fy_start_month,
            toml_settings: settings,
            toml_tables: tables,
        };
        if demo
            .members
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(FORMER_EMPLOYEE))
        {
            return Err(format!("a member is called {FORMER_EMPLOYEE}").into());
        }
        Ok(demo)
    }

    /// A member's name; an id outside the roster becomes [`FORMER_EMPLOYEE`].
    fn name(&self, id: &str) -> &str {
        self.members
            .iter()
            .find(|m| m.id == id)
            .map_or(FORMER_EMPLOYEE, |m| m.name.as_str())
    }

    /// The team's manager: the first member without a manager.
    fn manager(&self) -> Result<&Member> {
        self.members
            .iter()
            .find(|m| m.manager_id.trim().is_empty())
            .ok_or_else(|| "members.csv has no manager (a member without manager_id)".into())
    }

    /// First and last day of a fiscal period (years named by their end).
    fn period_dates(&self, fiscal_year: i32, period: Period) -> (Date, Date) {
        let (from, to) = period.months();
        let first_year = if self.fy_start_month == 1 {
            fiscal_year
        } else {
            fiscal_year - 1
        };
        let month_start = |k: u32| {
            let m0 = self.fy_start_month - 1 + k;
            Date {
                y: first_year + (m0 / 12) as i32,
                m: m0 % 12 + 1,
                d: 1,
            }
        };
        (month_start(from), month_start(to).add_days(-1))
    }

    /// The atu.toml of an export: a heading, the demo's settings, the
    /// export's own top-level `keys`, its `tables`, then the demo's tables.
    fn atu_toml(&self, heading: &str, keys: &str, tables: &str) -> Vec<u8> {
        let mut text = format!(
            "{heading}\n\n\
             # Fiscal calendar and team name, as in examples/demo/atu.toml.\n\
             {}\n\n{keys}\n{tables}\n\
             # Commitments and status thresholds, as in examples/demo/atu.toml\n\
             # (the attainment table's status column depends on them).\n\
             {}",
            self.toml_settings.trim_end(),
            self.toml_tables.trim(),
        );
        text.push('\n');
        text.into_bytes()
    }
}

// ---------------------------------------------------------------------------
// Values: money, dates, hashes

/// `"19900.00"` → 1_990_000 cents.
fn parse_cents(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !(whole.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let cents = whole.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?;
    Some(if neg { -cents } else { cents })
}

/// `1234567` cents → `12,345.67` with the given separators (no sign).
fn group(cents: i64, thousands: char, decimal: char) -> String {
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(thousands);
        }
        out.push(c);
    }
    format!("{out}{decimal}{:02}", cents % 100)
}

/// Dynamics' Excel currency format: `$1,500,000.00 `, `($1,200.00)`.
fn money_dynamics(cents: i64) -> String {
    let g = group(cents, ',', '.');
    if cents < 0 {
        format!("(${g})")
    } else {
        format!("${g} ")
    }
}

/// A Salesforce report's currency field: `USD 1,500.00`.
fn money_salesforce(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("USD {sign}{}", group(cents, ',', '.'))
}

/// Salesforce's plain number: `1,500.00`.
fn number_salesforce(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}", group(cents, ',', '.'))
}

/// Italian Excel's euro format: `€ 1.234,56`, `-€ 1.234,56`.
fn money_it(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}€ {}", group(cents, '.', ','))
}

/// A calendar date.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    y: i32,
    m: u32,
    d: u32,
}

impl Date {
    fn parse_iso(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        let date = Date { y, m, d };
        (date.m >= 1 && date.m <= 12 && d >= 1 && Date::from_days(date.days()) == date)
            .then_some(date)
    }

    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    fn days(&self) -> i64 {
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        Date { y, m, d }
    }

    fn add_days(&self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// `5/20/2012`
    fn mdy(&self) -> String {
        format!("{}/{}/{}", self.m, self.d, self.y)
    }

    /// `20/05/2012`
    fn dmy(&self) -> String {
        format!("{:02}/{:02}/{}", self.d, self.m, self.y)
    }

    /// `5/20/2012 7:42`, the time drawn from `h`.
    fn mdy_time(&self, h: u64) -> String {
        format!("{} {}:{:02}", self.mdy(), 7 + h % 11, (h >> 8) % 60)
    }
}

/// FNV-1a of `salt` and `s`: a stable hash (std's hasher may change).
fn hash(salt: &str, s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in salt.bytes().chain([0]).chain(s.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A Dynamics record id, e.g. `3f2504e0-4f89-11d3-9a0c-0305e82c3301`.
fn guid(entity: &str, key: &str) -> String {
    let a = hash(entity, key);
    let b = hash(&format!("{entity}/2"), key);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        0x4000 | (a & 0x0fff),
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// A Dynamics row checksum: 16 bytes in base64, as the export writes it.
fn checksum(entity: &str, key: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bits = [
        hash(&format!("{entity}/sum/1"), key),
        hash(&format!("{entity}/sum/2"), key),
    ];
    // 22 digits of 6 bits hold 132 bits: the 128 of the hashes, then 4 zero
    // bits, as base64 pads 16 bytes.
    let mut out: String = (0..22)
        .map(|i| {
            let bit = 6 * i;
            let word = |n: usize| bits.get(n).copied().unwrap_or(0);
            let v = if bit % 64 <= 58 {
                word(bit / 64) >> (58 - bit % 64)
            } else {
                (word(bit / 64) << (bit % 64 - 58)) | (word(bit / 64 + 1) >> (122 - bit % 64))
            };
            ALPHABET[(v & 63) as usize] as char
        })
        .collect();
    out.push_str("==");
    out
}

/// The three hidden leading columns of a Dynamics export row: the record id,
/// the checksum and the last modification, a few days after `closed` (a
/// closed deal's close date) or within the four months before the snapshot.
fn hidden(entity: &str, key: &str, closed: Option<Date>) -> [String; 3] {
    let h = hash(&format!("{entity}/modified"), key);
    let modified = match closed {
        Some(d) => d.add_days((h % 10) as i64).min(SNAPSHOT),
        None => SNAPSHOT.add_days(-((h % 120) as i64)),
    };
    [
        guid(entity, key),
        checksum(entity, key),
        modified.mdy_time(h >> 16),
    ]
}

// ---------------------------------------------------------------------------
// Writing CSV

/// A CSV writer into memory.
fn writer(delimiter: u8, crlf: bool, always_quote: bool) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .quote_style(if always_quote {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    w.into_inner().map_err(|e| e.to_string().into())
}

/// Files of one export: name → bytes.
type Files = Vec<(&'static str, Vec<u8>)>;

// ---------------------------------------------------------------------------
// Dynamics 365

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn dynamics(demo: &Demo) -> Result<Files> {
    let dynamics_file = |w: csv::Writer<Vec<u8>>| -> Result<Vec<u8>> {
        Ok(BOM.iter().copied().chain(finish(w)?).collect())
    };
    let new_writer = || writer(b',', true, true);

    // Users
    let mut w = new_writer();
    w.write_record([
        "(Do Not Modify) User",
        "(Do Not Modify) Row Checksum",
        "(Do Not Modify) Modified On",
        "Full Name",
        "Employee ID",
        "Title",
        "Business Unit",
        "Manager",
    ])?;
    for m in &demo.members {
        let manager = if m.manager_id.trim().is_empty() {
            ""
        } else {
            demo.name(&m.manager_id)
        };
        let key = format!("{}|{}", m.id, m.name);
        let [id, sum, modified] = hidden("systemuser", &key, None);
        w.write_record([
            id.as_str(),
            &sum,
            &modified,
            &m.name,
            &m.id,
            &m.role,
            &m.team,
            manager,
        ])?;
    }
    let users = dynamics_file(w)?;

    // Opportunities: no id mapped; `Topic` carries the demo's id for readers.
    let mut w = new_writer();
    w.write_record([
        "(Do Not Modify) Opportunity",
        "(Do Not Modify) Row Checksum",
        "(Do Not Modify) Modified On",
        "Topic",
        "Owner",
        "Potential Customer",
        "Status",
        "Actual Revenue",
        "Est. revenue",
        "Actual Close Date",
        "Est. close date",
        "Product",
        "Revenue Type",
        "Partner",
    ])?;
    for l in &demo.lines {
        let h = hash("opportunity", &l.key);
        let amount = money_dynamics(l.amount);
        // A closed deal's estimates, kept by Dynamics but superseded: the
        // amount rounded up past the next thousand, a date 1–8 weeks earlier.
        let estimate = money_dynamics((l.amount.div_euclid(100_000) + 1) * 100_000);
        let early = l.close_date.add_days(-7 - (h % 50) as i64);
        let close = l.close_date.mdy_time(h >> 8);
        let early = early.mdy_time(h >> 24);
        // Dynamics writes 0, not blank, in Actual Revenue of open and lost
        // deals; their revenue is the estimate.
        let zero = money_dynamics(0);
        let (status, actual_rev, est_rev, actual_close, est_close) = match l.status {
            Status::Won => (
                "Won",
                amount.as_str(),
                estimate.as_str(),
                close.as_str(),
                early.as_str(),
            ),
            Status::Lost => (
                "Lost",
                zero.as_str(),
                amount.as_str(),
                close.as_str(),
                early.as_str(),
            ),
            Status::Open => ("Open", zero.as_str(), amount.as_str(), "", close.as_str()),
        };
        let closed = (l.status != Status::Open).then_some(l.close_date);
        let [id, sum, modified] = hidden("opportunity", &l.key, closed);
        w.write_record([
            id.as_str(),
            &sum,
            &modified,
            &l.opportunity_id,
            demo.name(&l.owner_id),
            &l.account_id,
            status,
            actual_rev,
            est_rev,
            actual_close,
            est_close,
            &l.product,
            &l.category,
            &l.partner_id,
        ])?;
    }
    let opportunities = dynamics_file(w)?;

    // Goals: the team's parent goals (per fiscal year and quarter and
    // category, owned by the manager), then the members' goals under them.
    let manager = demo.manager()?;
    let team = &manager.team;
    let goal_name = |fy: i32, period: Option<Period>, cat: &str, who: &str| match period {
        Some(Period::Year) | None => format!("FY{fy} {cat} - {who}"),
        Some(p) => format!("FY{fy} {} {cat} - {who}", p.label()),
    };
    // (fiscal year, category, quarter or 0 for the year) → team target
    let mut parents: BTreeMap<(i32, String, u32), i64> = BTreeMap::new();
    let mut categories: Vec<&str> = Vec::new();
    for q in &demo.quotas {
        if !categories.contains(&q.category.as_str()) {
            categories.push(&q.category);
        }
        let per_quarter: Vec<(u32, i64)> = match q.period.quarter() {
            Some(n) => vec![(n, q.quota)],
            None => (1..=4).map(|n| (n, q.quota / 4)).collect(),
        };
        for (n, cents) in per_quarter {
            *parents
                .entry((q.fiscal_year, q.category.clone(), n))
                .or_default() += cents;
            *parents
                .entry((q.fiscal_year, q.category.clone(), 0))
                .or_default() += cents;
        }
    }
    let mut w = new_writer();
    w.write_record([
        "(Do Not Modify) Goal",
        "(Do Not Modify) Row Checksum",
        "(Do Not Modify) Modified On",
        "Name",
        "Goal Owner",
        "Parent Goal",
        "From",
        "To",
        "Target",
        "Revenue Type",
    ])?;
    let mut goal = |name: &str,
                    owner: &str,
                    parent: &str,
                    fy: i32,
                    period: Period,
                    target: &str,
                    cat: &str|
     -> Result<()> {
        let (from, to) = demo.period_dates(fy, period);
        let [id, sum, modified] = hidden("goal", name, None);
        w.write_record([
            id.as_str(),
            &sum,
            &modified,
            name,
            owner,
            parent,
            &from.mdy(),
            &to.mdy(),
            target,
            cat,
        ])?;
        Ok(())
    };
    for ((fy, cat, n), cents) in &parents {
        let period = if *n == 0 {
            Period::Year
        } else {
            Period::Quarter(*n)
        };
        let name = goal_name(*fy, Some(period), cat, team);
        goal(
            &name,
            &manager.name,
            "",
            *fy,
            period,
            &money_dynamics(*cents),
            cat,
        )?;
    }
    for q in &demo.quotas {
        let owner = demo.name(&q.member_id);
        let name = goal_name(q.fiscal_year, Some(q.period), &q.category, owner);
        let parent = goal_name(
            q.fiscal_year,
            q.period.quarter().map(Period::Quarter),
            &q.category,
            team,
        );
        goal(
            &name,
            owner,
            &parent,
            q.fiscal_year,
            q.period,
            &money_dynamics(q.quota),
            &q.category,
        )?;
    }
    // A member goal without a target (no quota): the manager's own goal in
    // the last year's Q3, where the demo gives the manager no quota.
    if let (Some(fy), Some(cat)) = (
        demo.quotas.iter().map(|q| q.fiscal_year).max(),
        categories.last(),
    ) {
        if demo.quotas.iter().any(|q| q.member_id == manager.id) {
            return Err("the manager has quotas: no room for a blank goal".into());
        }
        let period = Period::Quarter(3);
        let name = goal_name(fy, Some(period), cat, &manager.name);
        let parent = goal_name(fy, Some(period), cat, team);
        goal(&name, &manager.name, &parent, fy, period, "", cat)?;
    }
    let goals = dynamics_file(w)?;

    let toml = demo.atu_toml(
        "# atu.toml for examples/dynamics: the demo dataset as Dynamics 365 \"Export to\n\
         # Excel\" files saved as \"CSV UTF-8\" (written by `cargo run --example exports`).\n\
         # The byte-order mark, the CRLF line ends and the hidden \"(Do Not Modify) ...\"\n\
         # columns need no setting.",
        r#"# Built-in header names and status words of Dynamics exports: Users' Full Name,
# Title, Business Unit and Manager; Opportunities' Owner, Potential Customer,
# Status, Product and Partner; Goals' Goal Owner, From, To and Target. Owners
# and managers are full names, matched to the members' names.
preset = "dynamics"
# Dates are US style, month first: 5/20/2012 7:42 (the time is ignored).
date_order = "mdy"
"#,
        r#"# The export files, named after their views.
[files]
members = "Users.csv"
quotas = "Goals.csv"
opportunities = "Opportunities.csv"

# The member id is the Employee ID (the preset would take a User Name column
# first); name, role, team and manager come from the preset.
[columns.members]
member_id = "Employee ID"

# No opportunity id: each row is its own revenue line. The preset reads the
# amount and the close date by status, as if written here:
#   amount = { won = ["Actual Revenue", "Est. revenue"], lost = "Est. revenue", open = "Est. revenue" }
#   close_date = { won = ["Actual Close Date", "Est. close date"], lost = ["Actual Close Date", "Est. close date"], open = "Est. close date" }
# (a list takes, on each row, the first header that is filled): Dynamics
# writes $0.00 in Actual Revenue of open and lost deals, whose revenue is the
# estimate, so "the first filled" alone would read every open deal as 0.
[columns.opportunities]
category = "Revenue Type"

# A goal's From and To (from the preset) give its fiscal month, quarter or
# year; its revenue type is the quota's category.
[columns.quotas]
category = "Revenue Type"

# The goal export mixes the team's parent goals with the members' goals:
# keep only the rows that have a parent goal, the members' own.
[[filters.quotas]]
# The export's header the filter looks at.
column = "Parent Goal"
# Keep the rows where it is filled (other conditions: equals = "x",
# one_of = [...], not_one_of = [...]).
filled = true
"#,
    );

    Ok(vec![
        ("Users.csv", users),
        ("Opportunities.csv", opportunities),
        ("Goals.csv", goals),
        ("atu.toml", toml),
    ])
}

// ---------------------------------------------------------------------------
// Salesforce

/// A Salesforce "Details only" report: quoted fields, then the footer.
fn salesforce_report(w: csv::Writer<Vec<u8>>, rows: usize) -> Result<Vec<u8>> {
    let mut bytes = finish(w)?;
    bytes.extend_from_slice(
        format!(
            "\n\"Grand Totals ({rows} records)\"\n\n\
             \"Confidential Information - Do Not Distribute\"\n\
             \"Copyright (c) 2000-2013 salesforce.com, inc. All rights reserved.\"\n"
        )
        .as_bytes(),
    );
    Ok(bytes)
}

fn salesforce(demo: &Demo) -> Result<Files> {
    let new_writer = || writer(b',', false, true);

    let mut w = new_writer();
    w.write_record(["User ID", "Full Name", "Role", "Division", "Manager ID"])?;
    for m in &demo.members {
        w.write_record([&m.id, &m.name, &m.role, &m.team, &m.manager_id])?;
    }
    let members = salesforce_report(w, demo.members.len())?;

    const OPEN_STAGES: [&str; 5] = [
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ];
    let mut w = new_writer();
    w.write_record([
        "Opportunity Owner",
        "Account ID",
        "Opportunity ID",
        "Line Item ID",
        "Close Date",
        "Stage",
        "Amount Currency",
        "Amount",
        "Product Name",
        "Product Family",
        "Partner Account",
    ])?;
    for l in &demo.lines {
        let stage = match l.status {
            Status::Won => "Closed Won",
            Status::Lost => "Closed Lost",
            // One stage per opportunity, all its lines alike.
            Status::Open => OPEN_STAGES[(hash("stage", &l.opportunity_id) % 5) as usize],
        };
        w.write_record([
            demo.name(&l.owner_id),
            &l.account_id,
            &l.opportunity_id,
            &l.line_id,
            &l.close_date.mdy(),
            stage,
            "USD",
            &money_salesforce(l.amount),
            &l.product,
            &l.category,
            &l.partner_id,
        ])?;
    }
    let opportunities = salesforce_report(w, demo.lines.len())?;

    let mut w = new_writer();
    w.write_record([
        "Quota Owner",
        "Start Date",
        "End Date",
        "Quota Amount",
        "Product Family",
    ])?;
    for q in &demo.quotas {
        let (start, end) = demo.period_dates(q.fiscal_year, q.period);
        w.write_record([
            demo.name(&q.member_id),
            &start.mdy(),
            &end.mdy(),
            &number_salesforce(q.quota),
            &q.category,
        ])?;
    }
    let quotas = salesforce_report(w, demo.quotas.len())?;

    let toml = demo.atu_toml(
        "# atu.toml for examples/salesforce: the demo dataset as Salesforce reports\n\
         # exported \"Details only\" as CSV (written by `cargo run --example exports`).\n\
         # The report footer (Grand Totals, confidentiality, copyright) is not data\n\
         # and needs no setting.",
        r#"# Built-in header names and stage words of Salesforce reports: User ID, Full
# Name, Role, Division, Manager ID; Opportunity Owner, Account ID, Opportunity
# ID, Line Item ID, Close Date, Stage, Amount, Product Name, Partner Account;
# Quota Owner, Start Date, End Date, Quota Amount, Product Family. Owners are
# full names, matched to the members' names; "Closed Won" is won, "Closed
# Lost" lost, and the open stages (Prospecting ... Negotiation/Review) open.
preset = "salesforce"
# Dates are US style, month first: 1/30/2013.
date_order = "mdy"
"#,
        r#"# The revenue category of a line is its product family (the preset knows that
# header for quotas only). Members' teams are the users' Division (preset).
[columns.opportunities]
category = "Product Family"
"#,
    );

    Ok(vec![
        ("members.csv", members),
        ("opportunities.csv", opportunities),
        ("quotas.csv", quotas),
        ("atu.toml", toml),
    ])
}

// ---------------------------------------------------------------------------
// Italian Excel

/// Encodes an Excel "CSV" file as Windows-1252.
fn cp1252(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    let text = String::from_utf8(finish(w)?)?;
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    if unmappable {
        return Err("a value has no Windows-1252 form".into());
    }
    Ok(bytes.into_owned())
}

fn excel_it(demo: &Demo) -> Result<Files> {
    let new_writer = || writer(b';', true, false);

    let mut w = new_writer();
    w.write_record(["ID membro", "Nome", "Ruolo", "Team", "ID responsabile"])?;
    for m in &demo.members {
        w.write_record([&m.id, &m.name, &m.role, &m.team, &m.manager_id])?;
    }
    let members = cp1252(w)?;

    let mut w = new_writer();
    w.write_record(["ID membro", "Anno fiscale", "Periodo", "Categoria", "Quota"])?;
    for q in &demo.quotas {
        w.write_record([
            q.member_id.as_str(),
            &q.fiscal_year.to_string(),
            &q.period.label(),
            &q.category,
            &money_it(q.quota),
        ])?;
    }
    let quotas = cp1252(w)?;

    let mut w = new_writer();
    w.write_record([
        "ID opportunità",
        "ID riga",
        "Proprietario",
        "Cliente",
        "Data chiusura",
        "Stato",
        "Importo",
        "Categoria",
        "Prodotto",
        "Partner",
    ])?;
    for l in &demo.lines {
        let status = match l.status {
            Status::Won => "Vinta",
            Status::Lost => "Persa",
            Status::Open => "Aperta",
        };
        w.write_record([
            l.opportunity_id.as_str(),
            &l.line_id,
            &l.owner_id,
            &l.account_id,
            &l.close_date.dmy(),
            status,
            &money_it(l.amount),
            &l.category,
            &l.product,
            &l.partner_id,
        ])?;
    }
    let opportunities = cp1252(w)?;

    let toml = demo.atu_toml(
        "# atu.toml for examples/excel-it: the demo dataset opened in an Italian Excel\n\
         # and saved as plain \"CSV\" (written by `cargo run --example exports`).",
        r#"# Excel's plain "CSV" is Windows-1252 text, not UTF-8 ("ID opportunità").
encoding = "windows-1252"
# Italian Excel separates fields with a semicolon ...
delimiter = ";"
# ... and writes amounts with a decimal comma: € 1.234,56.
decimal_mark = ","
# Dates are day first: 30/01/2013.
date_order = "dmy"
"#,
        r#"# The Italian headers of each table, by canonical column.
[columns.members]
member_id = "ID membro"
name = "Nome"
role = "Ruolo"
team = "Team"
# The manager's member id.
manager_id = "ID responsabile"

[columns.quotas]
member_id = "ID membro"
fiscal_year = "Anno fiscale"
# FY, Q1-Q4 or M01-M12, fiscal.
period = "Periodo"
category = "Categoria"
quota = "Quota"

[columns.opportunities]
opportunity_id = "ID opportunità"
# The revenue line's number within the opportunity.
line_id = "ID riga"
# The owner's member id.
owner_id = "Proprietario"
# The customer's account id.
account_id = "Cliente"
close_date = "Data chiusura"
status = "Stato"
amount = "Importo"
category = "Categoria"
product = "Prodotto"
partner_id = "Partner"

# Stato holds Italian words: Vinta (won), Persa (lost), Aperta (open).
[values.status]
"Vinta" = "won"
"Persa" = "lost"
"Aperta" = "open"
"#,
    );

    Ok(vec![
        ("members.csv", members),
        ("quotas.csv", quotas),
        ("opportunities.csv", opportunities),
        ("atu.toml", toml),
    ])
}
