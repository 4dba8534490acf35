//! Deterministic generator of a synthetic CRM dataset for `atu`.
//!
//! Writes into `--out DIR` the canonical CSV files that `atu` reads (SPEC.md,
//! section 1.1: UTF-8 without BOM, `\n` line ends, a header row, fields
//! quoted only when needed) and a matching `atu.toml`:
//!
//! - `members.csv`: the Account Team Unit "ATU West": the manager `M00`
//!   (role `ATU Manager`, no quota) and eight members `M01`–`M08`.
//! - `quotas.csv`: `Sales` and `Services` quotas of every fiscal year
//!   generated, bigger in Q4. Most members have quarterly rows; `M05` has
//!   monthly `Sales` rows (`M01`–`M12`), `M07` one `FY` row per category.
//! - `accounts.csv`: one account per 30 opportunity lines, at least 40
//!   (`A001`…), dealt evenly to `M01`–`M08`.
//! - `opportunities.csv`: exactly `--lines` rows, revenue lines of 1–4 per
//!   opportunity over the fiscal years generated. About 1% of the
//!   opportunities belong to `M99`, an owner outside the roster (the first of
//!   them is won before the snapshot, so that unassigned revenue shows); some
//!   open lines are past due; the last row repeats an earlier row exactly (a
//!   duplicate, as when two overlapping exports are concatenated).
//! - `nsat.csv`: 7.5 survey responses per account over the eight fiscal
//!   quarters up to the snapshot, ratings 1–4 plus a few blank and
//!   `Don't know` answers.
//! - `contacts.csv`: ten contacts per account, 30% of them created in the
//!   three years before the first fiscal year, the rest up to the snapshot;
//!   15% inactive since a later date, 20% executives.
//! - `atu.toml`: fiscal year starting in July, named by its end, and targets.
//!
//! The fiscal year starts on 1 July and is named by the calendar year in
//! which it ends (FY2013 = 2012-07-01..2013-06-30). The data is a CRM export
//! taken on the snapshot date, 30 January of the last fiscal year
//! (2013-01-30 by default, the demo's `--as-of`): deals closing later are
//! mostly open. The opportunities are drawn twice from the same stream: the
//! first pass sums each member's won revenue, from which the quotas are set
//! (in proportion to the member's book); the second pass writes the lines,
//! scaling each member's won lines so that, whatever the seed and `--lines`,
//! their Sales pace at the snapshot lands between about 65% and 125%
//! (`MEMBERS`) and earlier years end at 85–115% of quota.
//!
//! The output depends only on the flags: the same flags give byte-identical
//! files (integer and basic IEEE floating-point arithmetic only). The opportunity lines are
//! streamed through a `BufWriter`, so `--lines 10000000` runs in a few
//! seconds and constant memory apart from the accounts. Only `std` is used,
//! so the file also compiles on its own:
//!
//! ```text
//! cargo run --release --example generate -- --out DIR [--lines N] [--seed S]
//!     [--fy-from 2012] [--fy-to 2013]
//! rustc --edition 2021 -O examples/generate.rs -o /tmp/generate
//! ```
//!
//! The committed demo dataset in `examples/demo` is
//! `cargo run --example generate -- --out examples/demo --seed 2013`.
//! Exit status: 0 success, 1 an I/O error, 2 a bad command line.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: generate --out DIR [--lines N] [--seed S] [--fy-from YEAR] [--fy-to YEAR]

Writes a deterministic synthetic CRM dataset for `atu` into DIR:
members.csv, quotas.csv, accounts.csv, opportunities.csv, nsat.csv,
contacts.csv and atu.toml.

options:
  --out DIR        folder to write (created if missing; files are overwritten)
  --lines N        opportunity lines to write (default 1200)
  --seed S         seed of the pseudo-random generator (default 2013)
  --fy-from YEAR   first fiscal year, named by its end (default 2012)
  --fy-to YEAR     last fiscal year; the snapshot is 30 January of it (default 2013)
  -h, --help       print this help
";

const DEFAULT_LINES: u64 = 1200;
const DEFAULT_SEED: u64 = 2013;
const MAX_LINES: u64 = 1_000_000_000;
const TEAM: &str = "ATU West";

const ATU_TOML: &str = r#"# atu.toml for the demo dataset written by `cargo run --example generate`
fiscal_year_start_month = 7
fiscal_year_named_by = "end"
team_name = "ATU West"

[targets]
attainment = 100
pace = 100
members_at_quota = 75
win_rate = 40
coverage = 2.5
partner_attach = 35
penetration = 55
contact_growth = 15
nsat = 140

[status]
green_at = 1.0
yellow_at = 0.9
"#;

// ---------------------------------------------------------------------------
// Command line

#[derive(Debug)]
struct Args {
    out: PathBuf,
    lines: u64,
    seed: u64,
    fy_from: i64,
    fy_to: i64,
}

enum CliError {
    Help,
    Usage(String),
}

fn parse_args(mut it: impl Iterator<Item = OsString>) -> Result<Args, CliError> {
    let mut out: Option<PathBuf> = None;
    let mut lines = DEFAULT_LINES;
    let mut seed = DEFAULT_SEED;
    let mut fy_from = 2012;
    let mut fy_to = 2013;
    while let Some(arg) = it.next() {
        let Some(arg) = arg.to_str().map(str::to_owned) else {
            return Err(CliError::Usage(format!(
                "unexpected argument {:?}",
                arg.to_string_lossy()
            )));
        };
        if arg == "-h" || arg == "--help" {
            return Err(CliError::Help);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(OsString::from(v))),
            _ => (arg.clone(), None),
        };
        if !matches!(
            flag.as_str(),
            "--out" | "--lines" | "--seed" | "--fy-from" | "--fy-to"
        ) {
            return Err(CliError::Usage(format!("unknown argument '{arg}'")));
        }
        let value = match inline.or_else(|| it.next()) {
            Some(v) if !v.to_string_lossy().starts_with("--") => v,
            _ => return Err(CliError::Usage(format!("{flag} needs a value"))),
        };
        if flag == "--out" {
            if value.is_empty() {
                return Err(CliError::Usage("--out needs a folder".into()));
            }
            out = Some(PathBuf::from(value));
            continue;
        }
        let text = value.to_string_lossy();
        match flag.as_str() {
            "--lines" => lines = parse_number(&flag, &text, 0, MAX_LINES)?,
            "--seed" => seed = parse_number(&flag, &text, 0, u64::MAX)?,
            "--fy-from" => fy_from = parse_number(&flag, &text, 1900, 9999)? as i64,
            _ => fy_to = parse_number(&flag, &text, 1900, 9999)? as i64,
        }
    }
    let Some(out) = out else {
        return Err(CliError::Usage("--out DIR is required".into()));
    };
    if fy_from > fy_to {
        return Err(CliError::Usage(format!(
            "--fy-from {fy_from} is after --fy-to {fy_to}"
        )));
    }
    Ok(Args {
        out,
        lines,
        seed,
        fy_from,
        fy_to,
    })
}

/// Parses a non-negative integer (`_` allowed as a digit separator) in `min..=max`.
fn parse_number(flag: &str, text: &str, min: u64, max: u64) -> Result<u64, CliError> {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    match digits.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(CliError::Usage(format!(
            "{flag} {text}: must be between {min} and {max}"
        ))),
        Err(_) => Err(CliError::Usage(format!(
            "{flag} {text:?}: not a whole number"
        ))),
    }
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(CliError::Help) => {
            let _ = io::stdout().write_all(USAGE.as_bytes());
            return ExitCode::SUCCESS;
        }
        Err(CliError::Usage(msg)) => {
            eprintln!("generate: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match generate(&args) {
        Ok(n) => {
            eprintln!("wrote {n} opportunity lines to {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------
// Pseudo-random numbers (splitmix64) and dates

struct Rng(u64);

impl Rng {
    /// An independent stream per purpose, so that one file's draws do not
    /// shift another's.
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Calendar year and month of fiscal month `k` (0 = July) of fiscal year `fy`.
fn fiscal_month(fy: i64, k: usize) -> (i64, u32) {
    let m = ((6 + k) % 12) as u32 + 1;
    (if k < 6 { fy - 1 } else { fy }, m)
}

/// First and last day of fiscal month `k` of `fy`.
fn fiscal_month_span(fy: i64, k: usize) -> (i64, i64) {
    let (y, m) = fiscal_month(fy, k);
    let first = days_from_civil(y, m, 1);
    (first, first + days_in_month(y, m) as i64 - 1)
}

fn fy_span(fy: i64) -> (i64, i64) {
    (days_from_civil(fy - 1, 7, 1), days_from_civil(fy, 6, 30))
}

fn push_date(s: &mut String, day: i64) {
    let (y, m, d) = civil_from_days(day);
    let _ = write!(s, "{y:04}-{m:02}-{d:02}");
}

fn push_money(s: &mut String, cents: u64) {
    let _ = write!(s, "{}.{:02}", cents / 100, cents % 100);
}

/// Appends a CSV field, quoted only when it holds a comma, a quote or a line end.
fn push_field(s: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        s.push('"');
        s.push_str(&field.replace('"', "\"\""));
        s.push('"');
    } else {
        s.push_str(field);
    }
}

// ---------------------------------------------------------------------------
// The team, the catalog and the accounts

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Quarterly,
    MonthlySales,
    AnnualOnly,
}

struct Member {
    id: &'static str,
    name: &'static str,
    role: &'static str,
    territory: usize,
    /// Attainment of the last year's pace at the snapshot, Sales and Services,
    /// per mille.
    pace: [u64; 2],
    /// Probability that a closed opportunity is won, per mille.
    win: u64,
    /// Probability that an opportunity has a partner, per mille.
    partner: u64,
    /// Probability that a line is a Services line, per mille.
    services: u64,
    shape: Shape,
}

impl Member {
    #[allow(clippy::too_many_arguments)]
    const fn new(
        id: &'static str,
        name: &'static str,
        role: &'static str,
        territory: usize,
        pace: [u64; 2],
        win: u64,
        partner: u64,
        services: u64,
        shape: Shape,
    ) -> Member {
        Member {
            id,
            name,
            role,
            territory,
            pace,
            win,
            partner,
            services,
            shape,
        }
    }
}

const MANAGER: (&str, &str, &str) = ("M00", "Karen Whitfield", "ATU Manager");
/// Owner of about 1% of the opportunities, not in the roster.
const UNASSIGNED: &str = "M99";

#[rustfmt::skip]
const MEMBERS: [Member; 8] = [
    //          id     name               role                       territory pace (per mille) win  partner services
    Member::new("M01", "Daniel Ortega",   "Account Executive",       0, [1240, 980],  560, 480, 220, Shape::Quarterly),
    Member::new("M02", "Priya Raman",     "Account Executive",       1, [1080, 1150], 520, 440, 240, Shape::Quarterly),
    Member::new("M03", "Thomas Becker",   "Account Executive",       2, [970, 860],   480, 360, 220, Shape::Quarterly),
    Member::new("M04", "Aisha Johnson",   "Account Executive",       0, [880, 760],   380, 400, 230, Shape::Quarterly),
    Member::new("M05", "Michael O'Brien", "Technology Specialist",   1, [1120, 1020], 540, 510, 200, Shape::MonthlySales),
    Member::new("M06", "Laura Chen",      "Technology Specialist",   2, [940, 1280],  460, 420, 200, Shape::Quarterly),
    Member::new("M07", "Robert Nakamura", "Services Executive",      0, [660, 900],   420, 340, 450, Shape::AnnualOnly),
    Member::new("M08", "Sofia Alvarez",   "Partner Account Manager", 1, [1160, 700],  500, 760, 200, Shape::Quarterly),
];

const TERRITORIES: [&str; 3] = ["West", "Northwest", "Southwest"];
const VERTICALS: [&str; 5] = [
    "Retail",
    "Healthcare",
    "Manufacturing",
    "Public Sector",
    "Financial Services",
];
const CATEGORIES: [&str; 2] = ["Sales", "Services"];

struct Product {
    name: &'static str,
    /// Typical line amount in dollars.
    base: u64,
    /// List price per seat in cents (seat-based Sales lines).
    seat_price: u64,
}

const SALES_PRODUCTS: [Product; 6] = [
    product("Windows", 18_000, 14_399),
    product("Office", 32_000, 21_950),
    product("SQL Server", 45_000, 89_900),
    product("Azure", 28_000, 12_475),
    product("Dynamics CRM", 55_000, 64_999),
    product("SharePoint", 36_000, 7_480),
];
const SERVICES_PRODUCTS: [Product; 2] = [
    product("Consulting", 40_000, 0),
    product("Premier Support", 26_000, 0),
];

const fn product(name: &'static str, base: u64, seat_price: u64) -> Product {
    Product {
        name,
        base,
        seat_price,
    }
}

/// Curated account names with their vertical (index into VERTICALS).
const ACCOUNT_NAMES: [(&str, usize); 40] = [
    ("Contoso, Ltd.", 2),
    ("Fabrikam, Inc.", 2),
    ("Northwind Traders", 0),
    ("Adventure Works Cycles", 0),
    ("Woodgrove Bank", 4),
    ("Tailspin Toys", 0),
    ("Wide World Importers", 0),
    ("Litware, Inc.", 2),
    ("Proseware, Inc.", 2),
    ("Humongous Insurance", 4),
    ("Lamna Healthcare Company", 1),
    ("Fourth Coffee", 0),
    ("Alpine Ski House", 0),
    ("Coho Winery", 2),
    ("Trey Research", 1),
    ("City Power & Light", 3),
    ("Bellows College", 3),
    ("Margie's Travel", 0),
    ("Lucerne Publishing", 2),
    ("Graphic Design Institute", 3),
    ("Consolidated Messenger", 2),
    ("Southridge Video", 0),
    ("A. Datum Corporation", 4),
    ("Relecloud", 2),
    ("VanArsdel, Ltd.", 2),
    ("Wingtip Toys", 0),
    ("Fincher Savings & Loan", 4),
    ("Lakeshore Regional Hospital", 1),
    ("Northridge Medical Group", 1),
    ("City of Lakeview", 3),
    ("Cascadia Transit Authority", 3),
    ("Sierra Pacific Credit Union", 4),
    ("Redwood Valley School District", 3),
    ("Desert Bloom Health", 1),
    ("Mesa Verde Foods", 2),
    ("Olympic Timber Products", 2),
    ("Pioneer Outdoor Outfitters", 0),
    ("Evergreen Mutual", 4),
    ("St. Helena Clinics, P.C.", 1),
    ("Department of Revenue, State of Columbia", 3),
];

const NAME_PREFIXES: [&str; 15] = [
    "Pacific",
    "Summit",
    "Cascade",
    "Harbor",
    "Granite",
    "Silver Lake",
    "Canyon",
    "Golden Gate",
    "Sierra",
    "Coastal",
    "Ridgeline",
    "Willow Creek",
    "Bayview",
    "High Desert",
    "Columbia",
];
const NAME_NOUNS: [(&str, usize); 15] = [
    ("Health Partners", 1),
    ("Foods", 2),
    ("Logistics", 2),
    ("Financial Group", 4),
    ("Medical Center", 1),
    ("Outfitters", 0),
    ("Manufacturing Co.", 2),
    ("County Services", 3),
    ("Savings Bank", 4),
    ("Markets", 0),
    ("Industries", 2),
    ("Clinics", 1),
    ("Utility District", 3),
    ("Insurance", 4),
    ("Retail Group", 0),
];

/// Name and vertical of account number `i` (0-based).
fn account_name(i: usize) -> (String, usize) {
    if let Some(&(name, vertical)) = ACCOUNT_NAMES.get(i) {
        return (name.to_owned(), vertical);
    }
    let j = i - ACCOUNT_NAMES.len();
    let combos = NAME_PREFIXES.len() * NAME_NOUNS.len();
    let (noun, vertical) = NAME_NOUNS[(j / NAME_PREFIXES.len()) % NAME_NOUNS.len()];
    let mut name = format!("{} {}", NAME_PREFIXES[j % NAME_PREFIXES.len()], noun);
    if j >= combos {
        let _ = write!(name, " {}", j / combos + 1);
    }
    (name, vertical)
}

struct Account {
    owner: u8,
    enterprise: bool,
    territory: u8,
    /// Sales products the account mostly buys (bit `i`: `SALES_PRODUCTS[i]`).
    affinity: u8,
    /// Satisfaction bias of its survey answers, per mille.
    mood: i16,
}

fn make_accounts(count: usize, rng: &mut Rng) -> Vec<Account> {
    // Balanced territories: Enterprise and Corporate accounts are each dealt
    // round robin over a shuffled member order, so every member owns about
    // as many accounts of each segment.
    let mut shuffled = || {
        let mut order: Vec<u8> = (0..MEMBERS.len() as u8).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        order
    };
    let orders = [shuffled(), shuffled()];
    let mut dealt = [0usize; 2];
    (0..count)
        .map(|_| {
            let enterprise = rng.chance(400);
            let segment = usize::from(enterprise);
            let owner = orders[segment][dealt[segment] % MEMBERS.len()];
            dealt[segment] += 1;
            let territory = if rng.chance(900) {
                MEMBERS[owner as usize].territory
            } else {
                rng.below(TERRITORIES.len() as u64) as usize
            } as u8;
            let mut affinity = 0u8;
            let wanted = rng.between(2, 4);
            while (affinity.count_ones() as u64) < wanted {
                affinity |= 1 << rng.below(SALES_PRODUCTS.len() as u64);
            }
            Account {
                owner,
                enterprise,
                territory,
                affinity,
                mood: [-80, 0, 0, 60][rng.below(4) as usize],
            }
        })
        .collect()
}

/// An account, Enterprise accounts drawn about twice as often as Corporate ones.
fn pick_account(accounts: &[Account], rng: &mut Rng) -> usize {
    loop {
        let a = rng.below(accounts.len() as u64) as usize;
        if accounts[a].enterprise || rng.chance(450) {
            return a;
        }
    }
}

// ---------------------------------------------------------------------------
// The dataset

/// Closing weight of each fiscal month (July first): quarter ends and the
/// fourth quarter are busier.
const MONTH_WEIGHTS: [u64; 12] = [6, 7, 10, 7, 8, 11, 6, 8, 10, 8, 9, 12];
/// Quota split over the fiscal quarters, per cent, and of a quarter over its
/// months, per cent.
const QUARTER_SPLIT: [u64; 4] = [22, 25, 24, 29];
const MONTH_SPLIT: [u64; 3] = [30, 30, 40];

struct Plan {
    dir: PathBuf,
    lines: u64,
    seed: u64,
    fy_from: i64,
    fy_to: i64,
    /// The snapshot date: 30 January of the last fiscal year.
    as_of: i64,
}

impl Plan {
    fn years(&self) -> usize {
        (self.fy_to - self.fy_from + 1) as usize
    }
}

fn generate(args: &Args) -> Result<u64, String> {
    let plan = Plan {
        dir: args.out.clone(),
        lines: args.lines,
        seed: args.seed,
        fy_from: args.fy_from,
        fy_to: args.fy_to,
        as_of: days_from_civil(args.fy_to, 1, 30),
    };
    fs::create_dir_all(&plan.dir)
        .map_err(|e| format!("cannot create {}: {e}", plan.dir.display()))?;

    let account_count = ((plan.lines / 30) as usize).max(ACCOUNT_NAMES.len());
    let accounts = make_accounts(account_count, &mut Rng::new(plan.seed, 1));
    // Two passes over the same stream of opportunities: the first one only
    // sums the won revenue, from which the quotas are set; the second writes.
    let quotas = set_quotas(&plan, &survey_opportunities(&plan, &accounts));

    write_file(&plan.dir, "members.csv", write_members)?;
    write_file(&plan.dir, "accounts.csv", |w| write_accounts(w, &accounts))?;
    write_file(&plan.dir, "quotas.csv", |w| write_quotas(w, &plan, &quotas))?;
    write_file(&plan.dir, "opportunities.csv", |w| {
        write_opportunities(w, &plan, &accounts, &quotas.scale)
    })?;
    write_file(&plan.dir, "nsat.csv", |w| write_nsat(w, &plan, &accounts))?;
    write_file(&plan.dir, "contacts.csv", |w| {
        write_contacts(w, &plan, &accounts)
    })?;
    write_file(&plan.dir, "atu.toml", |w| w.write_all(ATU_TOML.as_bytes()))?;
    Ok(plan.lines)
}

fn write_file(
    dir: &Path,
    name: &str,
    body: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<(), String> {
    let path = dir.join(name);
    let run = || -> io::Result<()> {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        body(&mut w)?;
        w.flush()
    };
    run().map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn write_members(w: &mut impl Write) -> io::Result<()> {
    let mut s = String::from("member_id,name,role,team,manager_id\n");
    let (id, name, role) = MANAGER;
    for (id, name, role, manager) in std::iter::once((id, name, role, ""))
        .chain(MEMBERS.iter().map(|m| (m.id, m.name, m.role, MANAGER.0)))
    {
        for (i, field) in [id, name, role, TEAM, manager].iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            push_field(&mut s, field);
        }
        s.push('\n');
    }
    w.write_all(s.as_bytes())
}

fn write_accounts(w: &mut impl Write, accounts: &[Account]) -> io::Result<()> {
    w.write_all(b"account_id,name,owner_id,territory,vertical,segment\n")?;
    let mut s = String::new();
    for (i, a) in accounts.iter().enumerate() {
        s.clear();
        let (name, vertical) = account_name(i);
        let _ = write!(s, "A{:03},", i + 1);
        push_field(&mut s, &name);
        let segment = if a.enterprise {
            "Enterprise"
        } else {
            "Corporate"
        };
        let _ = writeln!(
            s,
            ",{},{},{},{}",
            MEMBERS[a.owner as usize].id,
            TERRITORIES[a.territory as usize],
            VERTICALS[vertical],
            segment
        );
        w.write_all(s.as_bytes())?;
    }
    Ok(())
}

#[derive(PartialEq, Clone, Copy)]
enum Status {
    Won,
    Lost,
    Open,
}

#[derive(Clone, Copy, Default)]
struct Line {
    /// 0 Sales, 1 Services.
    category: usize,
    product: usize,
    /// Size of the line before scaling, in dollars.
    dollars: u64,
    /// Priced per seat (odd cents) rather than a round figure.
    seats: bool,
    partner: bool,
}

impl Line {
    fn product(&self) -> &'static Product {
        if self.category == 0 {
            &SALES_PRODUCTS[self.product]
        } else {
            &SERVICES_PRODUCTS[self.product]
        }
    }

    /// The amount in cents once scaled by `factor`.
    fn cents(&self, factor: f64) -> u64 {
        let dollars = self.dollars as f64 * factor;
        let product = self.product();
        if self.seats {
            let seats = (dollars * 100.0 / product.seat_price as f64).round() as u64;
            seats.max(5) * product.seat_price
        } else {
            ((dollars / 50.0).round() as u64 * 50).max(500) * 100
        }
    }
}

struct Opportunity {
    number: u64,
    /// Index of its fiscal year from `fy_from`.
    year: usize,
    account: usize,
    /// None: owned by UNASSIGNED.
    owner: Option<usize>,
    date: i64,
    status: Status,
    partner: u64,
    lines: [Line; 4],
    count: usize,
}

impl Opportunity {
    /// The member whose quota its lines count against: won, by a member, on
    /// or before the snapshot date.
    fn credited(&self, as_of: i64) -> Option<usize> {
        self.owner
            .filter(|_| self.status == Status::Won && self.date <= as_of)
    }
}

/// The opportunities of the dataset, in order, until the unique lines are
/// drawn: the same sequence every time for the same plan.
struct Opportunities<'a> {
    rng: Rng,
    plan: &'a Plan,
    accounts: &'a [Account],
    year_weights: Vec<u64>,
    unique: u64,
    drawn: u64,
    number: u64,
    unassigned_shown: bool,
}

impl<'a> Opportunities<'a> {
    fn new(plan: &'a Plan, accounts: &'a [Account]) -> Self {
        Opportunities {
            rng: Rng::new(plan.seed, 2),
            plan,
            accounts,
            // Later years carry a little more business.
            year_weights: (0..plan.years() as u64).map(|i| 100 + 15 * i).collect(),
            unique: unique_lines(plan.lines),
            drawn: 0,
            number: 0,
            unassigned_shown: false,
        }
    }
}

/// One row is written twice (see `write_opportunities`), the others once.
fn unique_lines(lines: u64) -> u64 {
    if lines >= 2 {
        lines - 1
    } else {
        lines
    }
}

impl Iterator for Opportunities<'_> {
    type Item = Opportunity;

    fn next(&mut self) -> Option<Opportunity> {
        if self.drawn >= self.unique {
            return None;
        }
        let (rng, plan) = (&mut self.rng, self.plan);
        self.number += 1;
        let mut year = rng.weighted(&self.year_weights);
        let account = pick_account(self.accounts, rng);
        let acc = &self.accounts[account];
        let owner = if rng.chance(10) {
            None
        } else {
            Some(acc.owner as usize)
        };
        // The first unassigned opportunity is won in the last year before the
        // snapshot, so that the reconciliation shows unassigned revenue.
        let showcase = owner.is_none() && !self.unassigned_shown;
        if showcase {
            self.unassigned_shown = true;
            year = plan.years() - 1;
        }
        let fy = plan.fy_from + year as i64;
        let (first, last) = if showcase {
            (fy_span(fy).0, plan.as_of)
        } else {
            fiscal_month_span(fy, rng.weighted(&MONTH_WEIGHTS))
        };
        let date = first + rng.below((last - first + 1) as u64) as i64;
        let win = owner.map_or(500, |m| MEMBERS[m].win);
        let status = if showcase {
            Status::Won
        } else if date <= plan.as_of {
            if date > plan.as_of - 150 && rng.chance(100) {
                Status::Open // past due
            } else if rng.chance(win) {
                Status::Won
            } else {
                Status::Lost
            }
        } else {
            // The future is mostly open; a few deals are already marked won
            // or lost with a later close date.
            match rng.below(1000) {
                0..=19 => Status::Won,
                20..=29 => Status::Lost,
                _ => Status::Open,
            }
        };
        let partner_chance = owner.map_or(300, |m| MEMBERS[m].partner);
        let partner = if rng.chance(partner_chance) {
            rng.between(1, 6)
        } else {
            0
        };
        let services = owner.map_or(250, |m| MEMBERS[m].services);
        let count = (rng.weighted(&[40, 30, 20, 10]) as u64 + 1).min(self.unique - self.drawn);
        self.drawn += count;

        let mut lines = [Line::default(); 4];
        let mut used = 0u16; // bits 0..6 Sales products, 6..8 Services products
        for line in lines.iter_mut().take(count as usize) {
            let (category, product) = pick_product(acc, services, used, rng);
            used |= 1 << (category * 6 + product);
            *line = Line {
                category,
                product,
                dollars: 0,
                seats: false,
                partner: partner > 0 && rng.chance(900),
            };
            // Enterprise deals are bigger; a few licence deals are very big,
            // services engagements vary less.
            let segment = if acc.enterprise { 1500 } else { 600 };
            let size = match rng.below(100) {
                _ if category == 1 => rng.between(500, 1600),
                0..=54 => rng.between(300, 1000),
                55..=87 => rng.between(1000, 2000),
                88..=97 => rng.between(2000, 4000),
                _ => rng.between(4000, 8000),
            };
            line.dollars = line.product().base * segment / 1000 * size / 1000;
            line.seats = category == 0 && line.product().seat_price > 0 && rng.chance(300);
        }
        Some(Opportunity {
            number: self.number,
            year,
            account,
            owner,
            date,
            status,
            partner,
            lines,
            count: count as usize,
        })
    }
}

/// A category (0 Sales, 1 Services) and product not yet on the opportunity
/// when possible; Sales lines mostly from the account's usual products.
fn pick_product(acc: &Account, services: u64, used: u16, rng: &mut Rng) -> (usize, usize) {
    let mut choice = (0, 0);
    for _ in 0..12 {
        choice = if rng.chance(services) {
            (1, usize::from(!rng.chance(600)))
        } else {
            let n = SALES_PRODUCTS.len();
            let mut p = rng.below(n as u64) as usize;
            if rng.chance(850) {
                while acc.affinity & (1 << p) == 0 {
                    p = (p + 1) % n;
                }
            }
            (0, p)
        };
        if used & (1 << (choice.0 * 6 + choice.1)) == 0 {
            break;
        }
    }
    choice
}

/// Per fiscal year (index from `fy_from`), member and category.
type Cells<T> = Vec<[[T; 2]; 8]>;

/// What the first pass learns: the cents won by each member on or before
/// the snapshot date per year and category, and each member's book (every
/// line of every year and status) per category.
struct Survey {
    won: Cells<u64>,
    book: [[u64; 2]; 8],
}

fn survey_opportunities(plan: &Plan, accounts: &[Account]) -> Survey {
    let mut survey = Survey {
        won: vec![[[0; 2]; 8]; plan.years()],
        book: [[0; 2]; 8],
    };
    for opp in Opportunities::new(plan, accounts) {
        let Some(owner) = opp.owner else { continue };
        let credited = opp.credited(plan.as_of).is_some();
        for line in &opp.lines[..opp.count] {
            let cents = line.cents(1.0);
            survey.book[owner][line.category] += cents;
            if credited {
                survey.won[opp.year][owner][line.category] += cents;
            }
        }
    }
    survey
}

struct Quotas {
    /// Full-year quota in cents.
    fy: Cells<u64>,
    /// Factor applied to the credited won lines so that each member reaches
    /// the intended attainment.
    scale: Cells<f64>,
}

/// Sets every member's quota in proportion to their book (with a little
/// noise), at a level such that the team's won revenue needs no scaling on
/// the whole; each member's credited won lines are then scaled so that the
/// member lands on the intended attainment whatever `--lines` and the seed:
/// in the last year a pace of `Member::pace` at the snapshot, in earlier
/// (closed) years 85–115% of the year's quota.
fn set_quotas(plan: &Plan, survey: &Survey) -> Quotas {
    let mut rng = Rng::new(plan.seed, 5);
    let years = plan.years();
    let mut quotas = Quotas {
        fy: vec![[[0; 2]; 8]; years],
        scale: vec![[[1.0; 2]; 8]; years],
    };
    for category in 0..2 {
        // The intended won / full-year quota of every member and year, and
        // the relative size of their quotas: the book, +/-5%, growing 8% a
        // year.
        let mut ratio = vec![[0.0; 8]; years];
        let mut weight = vec![[0.0; 8]; years];
        let mut growth = 1.0;
        for year in 0..years {
            let fy = plan.fy_from + year as i64;
            for (m, member) in MEMBERS.iter().enumerate() {
                ratio[year][m] = if fy == plan.fy_to {
                    let jitter = rng.below(61) as f64 - 30.0;
                    pace_share(fy, plan.as_of, member.shape, category)
                        * (member.pace[category] as f64 + jitter)
                        / 1000.0
                } else {
                    (850 + rng.below(301)) as f64 / 1000.0
                };
                let noise = (950 + rng.below(101)) as f64 / 1000.0;
                weight[year][m] = survey.book[m][category] as f64 * noise * growth;
            }
            growth *= 1.08;
        }
        let mut won = 0.0;
        let mut expected = 0.0;
        for year in 0..years {
            for m in 0..8 {
                won += survey.won[year][m][category] as f64;
                expected += weight[year][m] * ratio[year][m];
            }
        }
        let level = if expected > 0.0 { won / expected } else { 0.0 };
        // Sales to the nearest $5,000, Services to the nearest $1,000.
        let (step, floor) = if category == 0 {
            (500_000.0, 5_000_000)
        } else {
            (100_000.0, 2_000_000)
        };
        for year in 0..years {
            for m in 0..8 {
                let quota = ((level * weight[year][m] / step).round() * step) as u64;
                let quota = quota.max(floor);
                quotas.fy[year][m][category] = quota;
                let actual = survey.won[year][m][category];
                if actual > 0 {
                    let target = quota as f64 * ratio[year][m];
                    quotas.scale[year][m][category] = (target / actual as f64).clamp(0.33, 3.0);
                }
            }
        }
    }
    quotas
}

/// Share of a fiscal year's quota expected by the snapshot date for a member
/// whose quota rows have the given shape.
fn pace_share(fy: i64, as_of: i64, shape: Shape, category: usize) -> f64 {
    let (fy_first, fy_last) = fy_span(fy);
    let elapsed = |first: i64, last: i64| -> f64 {
        let done = (as_of.min(last) - first + 1).max(0);
        done as f64 / (last - first + 1) as f64
    };
    match (shape, category) {
        (Shape::AnnualOnly, _) => elapsed(fy_first, fy_last),
        (Shape::MonthlySales, 0) => (0..12)
            .map(|k| {
                let (first, last) = fiscal_month_span(fy, k);
                let w = QUARTER_SPLIT[k / 3] * MONTH_SPLIT[k % 3];
                w as f64 / 10_000.0 * elapsed(first, last)
            })
            .sum(),
        _ => (0..4)
            .map(|q| {
                let first = fiscal_month_span(fy, 3 * q).0;
                let last = fiscal_month_span(fy, 3 * q + 2).1;
                QUARTER_SPLIT[q] as f64 / 100.0 * elapsed(first, last)
            })
            .sum(),
    }
}

/// Splits `total` cents by `weights` (per cent), each part but the last
/// rounded to whole thousands of dollars, the last taking the rest.
fn split(total: u64, weights: &[u64]) -> Vec<u64> {
    let mut parts = Vec::with_capacity(weights.len());
    let mut rest = total;
    for &w in &weights[..weights.len() - 1] {
        let part = ((total * w / 100 + 50_000) / 100_000 * 100_000).min(rest);
        parts.push(part);
        rest -= part;
    }
    parts.push(rest);
    parts
}

fn write_quotas(w: &mut impl Write, plan: &Plan, quotas: &Quotas) -> io::Result<()> {
    let mut s = String::from("member_id,fiscal_year,period,category,quota\n");
    for (m, member) in MEMBERS.iter().enumerate() {
        for (year, fy_quotas) in quotas.fy.iter().enumerate() {
            let fy = plan.fy_from + year as i64;
            for (category, &name) in CATEGORIES.iter().enumerate() {
                let fy_quota = fy_quotas[m][category];
                let mut row = |period: &str, cents: u64| {
                    let _ = write!(s, "{},{fy},{period},{name},", member.id);
                    push_money(&mut s, cents);
                    s.push('\n');
                };
                match (member.shape, category) {
                    (Shape::AnnualOnly, _) => row("FY", fy_quota),
                    (Shape::MonthlySales, 0) => {
                        let quarters = split(fy_quota, &QUARTER_SPLIT);
                        for (q, quarter) in quarters.into_iter().enumerate() {
                            let months = split(quarter, &MONTH_SPLIT);
                            for (k, month) in months.into_iter().enumerate() {
                                row(&format!("M{:02}", 3 * q + k + 1), month);
                            }
                        }
                    }
                    _ => {
                        let quarters = split(fy_quota, &QUARTER_SPLIT);
                        for (q, quarter) in quarters.into_iter().enumerate() {
                            row(&format!("Q{}", q + 1), quarter);
                        }
                    }
                }
            }
        }
    }
    w.write_all(s.as_bytes())
}

/// Streams the opportunity lines. One row, a third of the way in, is written
/// again as the last row (as when two overlapping exports are concatenated).
fn write_opportunities(
    w: &mut impl Write,
    plan: &Plan,
    accounts: &[Account],
    scale: &Cells<f64>,
) -> io::Result<()> {
    w.write_all(
        b"opportunity_id,line_id,owner_id,account_id,close_date,status,amount,category,product,partner_id\n",
    )?;
    let duplicate_of = unique_lines(plan.lines) / 3;
    let mut duplicate: Option<String> = None;
    let mut written = 0u64;
    let mut head = String::with_capacity(32);
    let mut tail = String::with_capacity(64);
    let mut line = String::with_capacity(128);
    for opp in Opportunities::new(plan, accounts) {
        head.clear();
        let _ = write!(head, "OPP-{:06}", opp.number);
        tail.clear();
        let owner = opp.owner.map_or(UNASSIGNED, |m| MEMBERS[m].id);
        let _ = write!(tail, ",{owner},A{:03},", opp.account + 1);
        push_date(&mut tail, opp.date);
        tail.push_str(match opp.status {
            Status::Won => ",won,",
            Status::Lost => ",lost,",
            Status::Open => ",open,",
        });
        let credited = opp.credited(plan.as_of);
        for (i, l) in opp.lines[..opp.count].iter().enumerate() {
            let factor = credited.map_or(1.0, |m| scale[opp.year][m][l.category]);
            line.clear();
            line.push_str(&head);
            let _ = write!(line, ",{}", i + 1);
            line.push_str(&tail);
            push_money(&mut line, l.cents(factor));
            line.push(',');
            line.push_str(CATEGORIES[l.category]);
            line.push(',');
            push_field(&mut line, l.product().name);
            line.push(',');
            if l.partner {
                let _ = write!(line, "P{:02}", opp.partner);
            }
            line.push('\n');
            w.write_all(line.as_bytes())?;
            if written == duplicate_of && plan.lines >= 2 {
                duplicate = Some(line.clone());
            }
            written += 1;
        }
    }
    if let Some(d) = duplicate {
        w.write_all(d.as_bytes())?;
    }
    Ok(())
}

/// Survey responses over the eight fiscal quarters up to the one holding the
/// snapshot date (responses of that quarter up to the snapshot), 7.5 per
/// account, sorted by date within each quarter.
fn write_nsat(w: &mut impl Write, plan: &Plan, accounts: &[Account]) -> io::Result<()> {
    let mut rng = Rng::new(plan.seed, 3);
    w.write_all(b"account_id,response_date,rating,respondent_id\n")?;
    let total = accounts.len() as u64 * 15 / 2;
    // Quarter holding the snapshot: Q3 (fiscal months 6..8) of the last year.
    let quarters: Vec<(i64, usize)> = (0..8)
        .map(|back| {
            let index = plan.fy_to * 4 + 2 - (7 - back);
            (index.div_euclid(4), index.rem_euclid(4) as usize)
        })
        .collect();
    let mut respondent = 0u64;
    let mut s = String::with_capacity(64);
    let mut rows: Vec<(i64, u32, u8)> = Vec::new();
    for (qi, &(fy, q)) in quarters.iter().enumerate() {
        let first = fiscal_month_span(fy, 3 * q).0;
        let last = fiscal_month_span(fy, 3 * q + 2).1.min(plan.as_of);
        let n = total / 8 + u64::from((qi as u64) < total % 8);
        rows.clear();
        for _ in 0..n {
            let a = pick_account(accounts, &mut rng);
            let date = first + rng.below((last - first + 1) as u64) as i64;
            // 0 blank, 5 Don't know, else the rating; satisfaction improves a
            // little quarter after quarter and depends on the account.
            let rating = match rng.below(1000) {
                0..=19 => 0,
                20..=44 => 5,
                _ => {
                    let r = rng.below(1000) as i64;
                    let vsat = 380 + 12 * qi as i64 + accounts[a].mood as i64;
                    if r < vsat {
                        4
                    } else if r < vsat + 340 {
                        3
                    } else if r < vsat + 340 + 180 {
                        2
                    } else {
                        1
                    }
                }
            };
            rows.push((date, a as u32, rating));
        }
        rows.sort_unstable();
        for &(date, a, rating) in &rows {
            respondent += 1;
            s.clear();
            let _ = write!(s, "A{:03},", a + 1);
            push_date(&mut s, date);
            match rating {
                0 => s.push(','),
                5 => s.push_str(",Don't know"),
                r => {
                    let _ = write!(s, ",{r}");
                }
            }
            let _ = writeln!(s, ",R{respondent:05}");
            w.write_all(s.as_bytes())?;
        }
    }
    Ok(())
}

/// Ten contacts per account: 30% created in the three years before the first
/// fiscal year (the installed base), the rest up to the snapshot date; 15%
/// inactive since a later date, 20% executives.
fn write_contacts(w: &mut impl Write, plan: &Plan, accounts: &[Account]) -> io::Result<()> {
    let mut rng = Rng::new(plan.seed, 4);
    w.write_all(b"contact_id,account_id,created_date,inactive_date,is_executive\n")?;
    let start = fy_span(plan.fy_from).0;
    let base_start = days_from_civil(plan.fy_from - 4, 7, 1);
    let total = accounts.len() as u64 * 10;
    let mut s = String::with_capacity(64);
    for id in 1..=total {
        let a = pick_account(accounts, &mut rng);
        let created = if rng.chance(300) {
            base_start + rng.below((start - base_start) as u64) as i64
        } else {
            start + rng.below((plan.as_of - start + 1) as u64) as i64
        };
        let inactive = (rng.chance(150) && created + 30 <= plan.as_of)
            .then(|| created + 30 + rng.below((plan.as_of - created - 29) as u64) as i64);
        s.clear();
        let _ = write!(s, "C{id:05},A{:03},", a + 1);
        push_date(&mut s, created);
        s.push(',');
        if let Some(d) = inactive {
            push_date(&mut s, d);
        }
        s.push_str(if rng.chance(200) { ",yes\n" } else { ",\n" });
        w.write_all(s.as_bytes())?;
    }
    Ok(())
}
