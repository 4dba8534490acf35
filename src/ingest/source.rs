//! The stage before the typing: read a file's bytes once, decode them to
//! clean UTF-8 (a byte-order mark is dropped; invalid UTF-8 is reported
//! with line and column), and read the records with the `csv` crate, which
//! knows the line of every record: ragged rows are reported by line, blank
//! lines are dropped, and records that span lines are mapped back to the
//! line where they start. The same single pass builds the text columns atu
//! reads (and no other) as polars String columns, or categorical ones for
//! the columns of few values a table reads as codes, an empty field as null:
//! the file is parsed once, and the columns it does not read cost nothing.
//! A large file that is clean UTF-8 as it stands is mapped rather than
//! read, and its pages are given back as they are checked and as the
//! records are read, so that it is never whole in memory (`Bytes`).
//!
//! The pass also hashes every record as written (every column, read by atu
//! or not), so that only rows identical in the whole export are duplicates,
//! and finds NUL bytes inside fields (Salesforce rich-text fields hold
//! them): they are taken out of the text and reported by field, so the
//! loader can ignore them in columns it does not read. A file whose header
//! holds a NUL, or that is more than 1% NUL, is binary and refused.

use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::problems::Problem;
use crate::config::TableFormat;

/// Maps a record index (0-based, after the header) to its 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineMap {
    /// Record i starts at line i + 2 (one header line, one line per record).
    Regular,
    /// The start line of each record.
    Lines(Vec<u64>),
}

impl LineMap {
    /// The line of record `i`.
    pub fn line(&self, i: u64) -> u64 {
        match self {
            LineMap::Regular => i + 2,
            LineMap::Lines(v) => v.get(i as usize).copied().unwrap_or(i + 2),
        }
    }
}

/// One input file, decoded, checked and read into the columns atu reads.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file as shown in messages.
    pub display: String,
    /// The text of each column read, by its header's position: one value
    /// per data record, an empty field as null, NUL bytes taken out; a
    /// String column, or a categorical one for the positions read as codes
    /// (see [`scan`]).
    pub columns: Vec<(usize, polars::prelude::Column)>,
    /// The header's fields, trimmed.
    pub headers: Vec<String>,
    /// Field separator.
    pub delimiter: u8,
    /// Data records handed on.
    pub records: u64,
    /// Record index → line.
    pub lines: LineMap,
    /// Per record, a hash of every field as written, tied to its header
    /// (columns in another order hash alike): rows with equal hashes are
    /// identical in the whole export.
    pub hashes: Vec<u64>,
    /// Fields that held NUL bytes (removed from `bytes`), as (record
    /// index, field index); few.
    pub nuls: Vec<(u64, usize)>,
}

/// What reading one file gave: the source (when it has a header) and the
/// problems of its rows, which `--skip-invalid` may leave out.
pub struct Loaded {
    pub source: Source,
    /// Rows left out of `bytes` because they are malformed.
    pub problems: Vec<Problem>,
    /// Report footer and total rows left out, as (reason, count).
    pub ignored: Vec<(String, u64)>,
    /// What was left out and why, for stderr.
    pub notes: Vec<String>,
    /// The encoding the file was read in.
    pub encoding: &'static str,
    /// True when the delimiter was detected rather than configured.
    pub delimiter_detected: bool,
}

/// A report's total row: its first filled field is `Total`, `Totals`,
/// `Grand Total(s)` (maybe followed by `(N records)` or `:`).
fn is_total_row(rec: &csv::ByteRecord) -> bool {
    let filled = |f: &&[u8]| !f.iter().all(u8::is_ascii_whitespace);
    // A total row is mostly blank: its label and a few sums. A data row
    // whose first field reads `Total …` (an account name) is data.
    let n = rec.iter().filter(filled).count();
    if n > 2.max(rec.len() / 2) {
        return false;
    }
    let Some(first) = rec.iter().find(filled) else {
        return false;
    };
    let t = String::from_utf8_lossy(first).trim().to_lowercase();
    let t = t.strip_prefix("grand ").unwrap_or(&t).trim_start();
    let Some(rest) = t.strip_prefix("total") else {
        return false;
    };
    let rest = rest.strip_prefix('s').unwrap_or(rest).trim_start();
    rest.is_empty() || rest.starts_with('(') || rest.starts_with(':')
}

/// `N` in a Salesforce footer's `Grand Totals (N records)`.
fn footer_count(text: &str) -> Option<u64> {
    let lower = text.to_lowercase();
    let open = lower.find('(')?;
    let inner = &lower[open + 1..];
    let close = inner.find(')')?;
    let inner = inner[..close].trim();
    let digits = inner
        .strip_suffix("records")
        .or(inner.strip_suffix("record"))?;
    let digits: String = digits
        .trim()
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// A record's fields joined by `delimiter`, for messages.
fn record_text(rec: &csv::ByteRecord, delimiter: u8) -> String {
    rec.iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect::<Vec<_>>()
        .join(&(delimiter as char).to_string())
}

/// The first position of invalid UTF-8, as (line, column in bytes), 1-based.
fn utf8_error_position(bytes: &[u8], valid_up_to: usize) -> (u64, u64) {
    let before = &bytes[..valid_up_to];
    let line = count_line_ends(before) as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col =
        std::str::from_utf8(&before[line_start..]).map_or(0, |s| s.chars().count()) as u64 + 1;
    (line, col)
}

/// Decodes bytes to UTF-8 without BOM: a byte-order mark decides (UTF-8,
/// UTF-16LE, UTF-16BE), else the configured encoding, else UTF-8, checked.
/// Clean UTF-8 is passed on without a copy.
pub fn decode(
    display: &str,
    bytes: Vec<u8>,
    configured: Option<&'static Encoding>,
) -> Result<(Vec<u8>, &'static Encoding), Box<Problem>> {
    let (text, encoding) = decode_text(display, bytes, configured)?;
    nul_check(display, &text, encoding)?;
    Ok((text, encoding))
}

/// Text does not hold NUL characters; a file that does in its first line,
/// or more than 1% of the first 64 KiB, is not a CSV export (a spreadsheet
/// or archive saved under a .csv name). A few NULs inside fields (a
/// Salesforce rich-text field) are the fields' business, see `scan`.
fn nul_check(display: &str, text: &[u8], encoding: &'static Encoding) -> Result<(), Box<Problem>> {
    let head = &text[..text.len().min(65536)];
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if first_line.contains(&0) || nuls * 100 > head.len() {
        return Err(Box::new(
            Problem::file(
                display,
                None,
                format!("is not a text file (read as {} it holds NUL characters)", encoding.name()),
                "encoding",
            )
            .with_hint("export the table as CSV (Excel: \"CSV UTF-8\"), or point [files] in atu.toml at the CSV export"),
        ));
    }
    Ok(())
}

fn decode_text(
    display: &str,
    mut bytes: Vec<u8>,
    configured: Option<&'static Encoding>,
) -> Result<(Vec<u8>, &'static Encoding), Box<Problem>> {
    let hint = "set encoding = \"windows-1252\" (or the export's encoding) in atu.toml, or pass --encoding windows-1252; or save the export as \"CSV UTF-8\"";
    let (mut encoding, skip) = match Encoding::for_bom(&bytes) {
        Some((e, n)) => (e, n),
        None => (configured.unwrap_or(UTF_8), 0),
    };
    if skip == 0 && (encoding == UTF_16LE || encoding == UTF_16BE) {
        // No BOM: the NULs say the byte order (`\0i` is big-endian).
        encoding = if bytes.first() == Some(&0) {
            UTF_16BE
        } else {
            UTF_16LE
        };
    }
    if skip == 0
        && encoding != UTF_8
        && encoding != UTF_16LE
        && encoding != UTF_16BE
        && !bytes.is_ascii()
        && is_utf8(&bytes).is_ok()
    {
        // Set to a one-byte encoding but valid UTF-8 with accented letters:
        // it is UTF-8 (text in Windows-1252 is practically never valid
        // UTF-8); reading it as set would garble every accent.
        return Ok((bytes, UTF_8));
    }
    if encoding == UTF_8 {
        bytes.drain(..skip);
        if let Err(e) = is_utf8(&bytes) {
            let (line, col) = utf8_error_position(&bytes, e.valid_up_to());
            let bad = bytes[e.valid_up_to()];
            // Many NUL bytes: UTF-16 without a byte-order mark.
            let (what, hint) = if looks_utf16(&bytes) {
                (
                    "the file looks like UTF-16 without a byte-order mark".to_string(),
                    "set encoding = \"utf-16\" in atu.toml, or pass --encoding utf-16",
                )
            } else {
                (
                    format!("byte 0x{bad:02X} is not UTF-8 (the file may be Windows-1252, Excel's plain \"CSV\")"),
                    hint,
                )
            };
            return Err(Box::new(
                Problem::file(
                    display,
                    Some(line),
                    format!("character {col} of the line: {what}"),
                    "encoding",
                )
                .with_hint(hint),
            ));
        }
        // Valid UTF-8 full of NUL bytes: UTF-16 text without a BOM.
        if looks_utf16(&bytes) {
            return Err(Box::new(
                Problem::file(
                    display,
                    None,
                    "looks like UTF-16 text without a byte-order mark (every other byte is 0)",
                    "encoding",
                )
                .with_hint("set encoding = \"utf-16\" in atu.toml ([tables.<table>] encoding for this table alone), or pass --encoding utf-16"),
            ));
        }
        return Ok((bytes, UTF_8));
    }
    let body = &bytes[skip..];
    if (encoding == UTF_16LE || encoding == UTF_16BE) && skip == 0 && !looks_utf16(body) {
        // Configured as UTF-16, but no NUL byte where UTF-16 text has them.
        return Err(Box::new(
            Problem::file(
                display,
                None,
                format!("is set to be {} but is not: it has no byte-order mark and no NUL bytes", encoding.name()),
                "encoding",
            )
            .with_hint("set the encoding of the UTF-16 files alone: [tables.<table>] encoding = \"utf-16\" in atu.toml, instead of encoding or --encoding for every file"),
        ));
    }
    if encoding == UTF_16LE || encoding == UTF_16BE {
        if !body.len().is_multiple_of(2) {
            return Err(Box::new(
                Problem::file(
                    display,
                    None,
                    format!(
                        "is not valid {} text (an odd number of bytes)",
                        encoding.name()
                    ),
                    "encoding",
                )
                .with_hint("the file may be cut short or damaged: export it again"),
            ));
        }
        return match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) => Ok((text.into_owned().into_bytes(), encoding)),
            None => Err(Box::new(
                Problem::file(
                    display,
                    None,
                    format!("is not valid {} text", encoding.name()),
                    "encoding",
                )
                .with_hint(hint),
            )),
        };
    }
    let (text, _) = encoding.decode_without_bom_handling(body);
    match text {
        std::borrow::Cow::Borrowed(_) => {
            bytes.drain(..skip);
            Ok((bytes, encoding))
        }
        std::borrow::Cow::Owned(t) => Ok((t.into_bytes(), encoding)),
    }
}

/// True when a quarter or more of the first 4 KiB are NUL bytes, as in
/// UTF-16 text of Latin letters.
pub fn looks_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    !head.is_empty() && head.iter().filter(|&&b| b == 0).count() * 4 >= head.len()
}

/// Guesses the delimiter among `,` `;` tab `|` from the first records: the
/// one that splits the header into several fields and every sampled record
/// into as many; else the one that splits the header most; else `,`.
pub fn detect_delimiter(bytes: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let cut = bytes.len().min(256 * 1024);
    let sample = &bytes[..cut];
    let mut best: Option<(bool, usize, u8)> = None;
    for d in CANDIDATES {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample);
        let mut widths: Vec<usize> = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while widths.len() < 30 {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) if is_blank(&rec) => continue,
                Ok(true) => widths.push(rec.len()),
                _ => break,
            }
        }
        // The last record of a cut sample may be incomplete.
        if cut < bytes.len() && widths.len() > 1 {
            widths.pop();
        }
        let Some(&header) = widths.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        // Footers and ragged rows are rare: most records must match.
        let same = widths.iter().filter(|&&w| w == header).count();
        let consistent = same * 10 >= widths.len() * 9;
        let score = (consistent, header, d);
        let better = match best {
            None => true,
            Some((c, h, _)) => (consistent, header) > (c, h),
        };
        if better {
            best = Some(score);
        }
    }
    best.map_or(b',', |(_, _, d)| d)
}

/// How a delimiter is named in messages.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "commas",
        b';' => "semicolons",
        b'\t' => "tabs",
        b'|' => "pipes",
        _ => "another character",
    }
}

/// How many line ends (`\n`) `bytes` holds (memchr's vector search: a
/// byte-by-byte count is several times slower over a large export).
fn count_line_ends(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// Whether `bytes` are UTF-8: plain ASCII is seen first (the common
/// export), the rest is checked by simdutf8's vector check; on an error,
/// std's check says where (as `std::str::from_utf8` would).
fn is_utf8(bytes: &[u8]) -> Result<(), std::str::Utf8Error> {
    if bytes.is_ascii() || simdutf8::basic::from_utf8(bytes).is_ok() {
        return Ok(());
    }
    std::str::from_utf8(bytes).map(|_| ())
}

/// Turns increasing byte offsets into 1-based line numbers.
#[derive(Default)]
struct LineCounter {
    byte: u64,
    line: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], byte: u64) -> u64 {
        self.line_and_blanks(bytes, byte).0
    }

    /// The line of a record at `byte`, and how many blank lines come just
    /// before it (the csv crate skips them; a record's position is where
    /// they start, or for CRLF the `\n` of the previous line's end).
    fn line_and_blanks(&mut self, bytes: &[u8], byte: u64) -> (u64, u64) {
        let start = byte.min(bytes.len() as u64);
        let mut byte = start;
        while (byte as usize) < bytes.len() && matches!(bytes[byte as usize], b'\r' | b'\n') {
            byte += 1;
        }
        let skipped = count_line_ends(&bytes[start as usize..byte as usize]) as u64;
        let split_crlf = start > 0
            && bytes.get(start as usize) == Some(&b'\n')
            && bytes.get(start as usize - 1) == Some(&b'\r');
        let blanks = skipped.saturating_sub(u64::from(split_crlf));
        if byte >= self.byte {
            let seen = &bytes[self.byte as usize..byte as usize];
            self.line += count_line_ends(seen) as u64;
            self.byte = byte;
        }
        (self.line + 1, blanks)
    }
}

impl LineCounter {
    /// [`LineCounter::line_and_blanks`] of a record the csv crate read at
    /// `byte`, its position's line being `csv_line` (1 + the `\n`s it has
    /// read before the record, quoted ones too). When the record starts
    /// right there (no blank line before it), that is the line, or the next
    /// one when the record's position is the `\n` of a CRLF line end; the
    /// `\n`s are counted only otherwise.
    fn record_line(&mut self, bytes: &[u8], byte: u64, csv_line: u64) -> (u64, u64) {
        let at = byte as usize;
        let starts = |i: usize| bytes.get(i).is_some_and(|b| !matches!(b, b'\r' | b'\n'));
        // The count kept up (the `\n`s before `byte`), for the next
        // record counted.
        match bytes.get(at) {
            Some(_) if starts(at) && byte >= self.byte => {
                (self.byte, self.line) = (byte, csv_line - 1);
                (csv_line, 0)
            }
            Some(b'\n')
                if at > 0 && bytes[at - 1] == b'\r' && starts(at + 1) && byte >= self.byte =>
            {
                (self.byte, self.line) = (byte + 1, csv_line);
                (csv_line + 1, 0)
            }
            _ => self.line_and_blanks(bytes, byte),
        }
    }
}

/// Hashes records as written: every field with its header, the headers in
/// name order so that the same columns in another order hash alike.
struct RecordHasher {
    /// Field indexes in header-name order.
    order: Vec<usize>,
    /// A hash of the sorted headers, mixed into every record's.
    headers: u64,
}

impl RecordHasher {
    fn new(header: &csv::ByteRecord) -> RecordHasher {
        use std::hash::{BuildHasher, Hasher};
        let mut order: Vec<usize> = (0..header.len()).collect();
        order.sort_by(|&a, &b| header[a].cmp(&header[b]).then(a.cmp(&b)));
        let mut h = polars::prelude::PlFixedStateQuality::default().build_hasher();
        for &i in &order {
            h.write(&header[i]);
            h.write_u8(0xff);
        }
        RecordHasher {
            order,
            headers: h.finish(),
        }
    }

    /// foldhash (polars' own hasher, quality variant, fixed seed: the same
    /// record hashes alike in every file of a run, and several times
    /// faster than std's SipHash over a large export) of the fields in
    /// header order, each ended by a byte that UTF-8 text never holds.
    fn hash(&self, rec: &csv::ByteRecord) -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let mut h = polars::prelude::PlFixedStateQuality::default().build_hasher();
        h.write_u64(self.headers);
        for &i in &self.order {
            h.write(rec.get(i).unwrap_or_default());
            h.write_u8(0xff);
        }
        h.finish()
    }
}

fn is_blank(rec: &csv::ByteRecord) -> bool {
    rec.iter()
        .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
}

/// A file decoded, its delimiter known and its header read: what mapping
/// the headers needs before the records are read ([`scan`]).
pub struct Opened {
    pub display: String,
    /// Clean UTF-8 bytes of the whole file.
    bytes: Bytes,
    /// The file's count of line ends, when already known (a mapped file's
    /// check counts them).
    line_ends: Option<usize>,
    pub delimiter: u8,
    /// The header's fields, trimmed.
    pub headers: Vec<String>,
    /// The encoding the file was read in.
    pub encoding: &'static str,
    /// True when the delimiter was detected rather than configured.
    pub delimiter_detected: bool,
    notes: Vec<String>,
}

/// A file's clean UTF-8 bytes: read into memory, or, for a large file that
/// is UTF-8 as it stands, mapped from the file and given back page by page
/// as the records are read (see [`map_clean_utf8`]).
enum Bytes {
    Owned(Vec<u8>),
    /// The mapped file and where its text starts (after a UTF-8 byte-order
    /// mark).
    Mapped {
        map: memmap2::Mmap,
        start: usize,
    },
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped { map, start } => &map[*start..],
        }
    }
}

/// Files from this size on are mapped when they are clean UTF-8.
const MAP_FROM: u64 = 32 << 20;

/// The pieces a mapped file is checked and given back in.
const BLOCK: usize = 8 << 20;

impl Bytes {
    /// Gives back the memory of the text from byte `from` to byte `to`,
    /// which the caller is done with: the mapped pages leave this process
    /// (the operating system keeps them in its file cache; touched again,
    /// they are read again from it). Held bytes are kept.
    fn release(&self, from: usize, to: usize) {
        if let Bytes::Mapped { map, start } = self {
            let page = 4096;
            let from = (start + from) / page * page;
            let to = (start + to).min(map.len()) / page * page;
            if to > from {
                // SAFETY: the map is read-only and shared with the file: a
                // page given back is read again from the file if touched
                // (DONTNEED only loses private changes, and there are none).
                let _ = unsafe {
                    map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, from, to - from)
                };
            }
        }
    }
}

/// What the check of a mapped file found: whether it is all ASCII, and its
/// count of line ends.
struct Checked {
    ascii: bool,
    line_ends: usize,
}

/// Checks that `text` is UTF-8, piece by piece, counting line ends and
/// giving back each piece once checked (`release(from, to)`). None when it
/// is not UTF-8.
fn check_utf8_in_pieces(
    text: &[u8],
    block: usize,
    release: impl Fn(usize, usize),
) -> Option<Checked> {
    let mut checked = Checked {
        ascii: true,
        line_ends: 0,
    };
    let mut pos = 0;
    while pos < text.len() {
        let end = (pos + block).min(text.len());
        let whole = &text[pos..end];
        // A character cut by the piece's end is checked with the next one.
        let (valid_end, ascii) = if whole.is_ascii() {
            (end, true)
        } else {
            match is_utf8(whole) {
                Ok(()) => (end, false),
                Err(e) if e.error_len().is_none() && end < text.len() && e.valid_up_to() > 0 => {
                    let valid_end = pos + e.valid_up_to();
                    (valid_end, text[pos..valid_end].is_ascii())
                }
                Err(_) => return None,
            }
        };
        let piece = &text[pos..valid_end];
        checked.ascii &= ascii;
        checked.line_ends += count_line_ends(piece);
        release(pos, valid_end);
        pos = valid_end;
    }
    Some(checked)
}

/// [`check_utf8_in_pieces`] of the two halves of `text` side by side, on
/// two threads, when it is at least two pieces long. The second half starts
/// at the first byte of a character (a byte that does not continue one),
/// so the text is UTF-8 exactly when both halves are.
fn check_utf8_in_halves(
    text: &[u8],
    block: usize,
    release: impl Fn(usize, usize) + Sync,
) -> Option<Checked> {
    if text.len() < 2 * block {
        return check_utf8_in_pieces(text, block, &release);
    }
    let mut mid = text.len() / 2;
    while mid < text.len() && text[mid] & 0xC0 == 0x80 {
        mid += 1;
    }
    let (first, second) = std::thread::scope(|scope| {
        let release = &release;
        let second = scope.spawn(move || {
            check_utf8_in_pieces(&text[mid..], block, |from, to| {
                release(mid + from, mid + to)
            })
        });
        let first = check_utf8_in_pieces(&text[..mid], block, release);
        let second = second
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (first, second)
    });
    let (first, second) = (first?, second?);
    Some(Checked {
        ascii: first.ascii && second.ascii,
        line_ends: first.line_ends + second.line_ends,
    })
}

/// Maps a file of `map_from` bytes or more that needs no decoding: UTF-8
/// (with or without its byte-order mark), or text in the one-byte encoding
/// set that is valid UTF-8 as it stands, which [`decode`] passes on
/// unchanged too. Returns the bytes, the encoding [`decode`] would name and
/// what the check found; None when the file is smaller, cannot be mapped,
/// or needs decoding (another byte-order mark, UTF-16 or a multi-byte
/// encoding set, invalid UTF-8, UTF-16 without a mark): it is then read
/// into memory and decoded, with the same messages as ever. The pages are
/// given back as they are checked and, later, as the records are read, so
/// that the file is never whole in this process's memory.
///
/// A mapped file that another program cuts short while atu reads it stops
/// atu (the system's SIGBUS); saving a new export over it as a new file
/// does not touch the one atu has open.
fn map_clean_utf8(
    path: &Path,
    configured: Option<&'static Encoding>,
    map_from: u64,
) -> Option<(Bytes, &'static Encoding, Checked)> {
    if configured.is_some_and(|e| e != UTF_8 && !e.is_single_byte()) {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    if len == 0 || len < map_from {
        return None;
    }
    // SAFETY: the map is only read; a file changed meanwhile: see above.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let _ = map.advise(memmap2::Advice::Sequential);
    let start = match Encoding::for_bom(&map) {
        Some((e, n)) if e == UTF_8 => n,
        Some(_) => return None,
        None => 0,
    };
    let bytes = Bytes::Mapped { map, start };
    if looks_utf16(&bytes) {
        return None;
    }
    let checked = check_utf8_in_halves(&bytes, BLOCK, |from, to| bytes.release(from, to))?;
    // Plain ASCII in the one-byte encoding set is read as that encoding.
    let encoding = match configured {
        Some(set) if start == 0 && checked.ascii => set,
        _ => UTF_8,
    };
    Some((bytes, encoding, checked))
}

/// Reads and decodes one file and reads its header.
pub fn open(path: &Path, display: &str, format: &TableFormat) -> Result<Opened, Box<Problem>> {
    open_mapping_from(path, display, format, MAP_FROM)
}

/// [`open`], mapping clean UTF-8 files of `map_from` bytes or more.
fn open_mapping_from(
    path: &Path,
    display: &str,
    format: &TableFormat,
    map_from: u64,
) -> Result<Opened, Box<Problem>> {
    let (bytes, encoding, line_ends, ascii_or_bom) =
        match map_clean_utf8(path, format.encoding, map_from) {
            Some((bytes, encoding, checked)) => {
                nul_check(display, &bytes, encoding)?;
                let bom = matches!(&bytes, Bytes::Mapped { start, .. } if *start > 0);
                (
                    bytes,
                    encoding,
                    Some(checked.line_ends),
                    checked.ascii || bom,
                )
            }
            None => {
                let bytes = std::fs::read(path).map_err(|e| {
                    Box::new(Problem::file(
                        display,
                        None,
                        format!("cannot be read: {e}"),
                        "unreadable",
                    ))
                })?;
                let ascii_or_bom = bytes.is_ascii() || Encoding::for_bom(&bytes).is_some();
                let (bytes, encoding) = decode(display, bytes, format.encoding)?;
                (Bytes::Owned(bytes), encoding, None, ascii_or_bom)
            }
        };
    let switched = match format.encoding {
        Some(set) if set != encoding && encoding == UTF_8 && !ascii_or_bom => Some(set.name()),
        _ => None,
    };
    let (delimiter, detected) = match format.delimiter {
        Some(d) => (d, false),
        None => (detect_delimiter(&bytes), true),
    };
    let mut opened = opened(display, bytes, delimiter)?;
    opened.line_ends = line_ends;
    if let Some(set) = switched {
        opened.notes.push(format!(
            "{display}: read as UTF-8, not {set} as set: it is valid UTF-8 with accented letters, which {set} would garble; set the encoding per table ([tables.<table>] encoding) to say so"
        ));
    }
    opened.encoding = encoding.name();
    opened.delimiter_detected = detected;
    Ok(opened)
}

/// Decoded bytes with their header read (an empty file is a problem).
fn opened(display: &str, bytes: Bytes, delimiter: u8) -> Result<Opened, Box<Problem>> {
    let mut rdr = reader(&bytes, delimiter);
    let mut header = csv::ByteRecord::new();
    read_header(display, &mut rdr, &mut header)?;
    let headers = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect();
    Ok(Opened {
        display: display.to_string(),
        bytes,
        line_ends: None,
        delimiter,
        headers,
        encoding: "UTF-8",
        delimiter_detected: false,
        notes: Vec::new(),
    })
}

fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
}

/// Reads the first record that is not blank into `header`.
fn read_header(
    display: &str,
    rdr: &mut csv::Reader<&[u8]>,
    header: &mut csv::ByteRecord,
) -> Result<(), Box<Problem>> {
    let file_problem =
        |message: String| Box::new(Problem::file(display, None, message, "structure"));
    loop {
        match rdr.read_byte_record(header) {
            Ok(false) => return Err(file_problem("is empty: no header row".to_string())),
            Err(e) => return Err(file_problem(format!("cannot be parsed as CSV: {e}"))),
            Ok(true) if is_blank(header) => continue,
            Ok(true) => return Ok(()),
        }
    }
}

/// The rows after the last data row (`tail`: line, kind — `b` blank, `t`
/// total, `s` short, `l` long — and text): a report footer when they start
/// with a blank line or a total row, or hold a footer's words (Salesforce's
/// "Grand Totals", "Confidential Information", …), and hold no long row.
/// Its lines leave `problems` and `totals`; a footer's record count that
/// disagrees with the data rows is said. Returns the rows ignored, by
/// reason, and the notes for stderr.
fn leave_out_footer(
    display: &str,
    delimiter: u8,
    tail: &[(u64, char, String)],
    totals: &mut Vec<(u64, String)>,
    problems: &mut Vec<Problem>,
    data_records: u64,
) -> (Vec<(String, u64)>, Vec<String>) {
    let mut ignored = Vec::new();
    let mut notes = Vec::new();
    // A report footer: the short rows after a blank line or a total row at
    // the end are not data; they are left out and said.
    let footer_start = tail.iter().position(|(_, k, _)| *k != 'b');
    // Words of report footers (Salesforce's): a short block at the end that
    // holds one is a footer even without a blank line before it.
    let footer_words = tail.iter().any(|(_, _, t)| {
        let t = t.to_lowercase();
        [
            "grand total",
            "confidential information",
            "copyright",
            "generated by",
        ]
        .iter()
        .any(|w| t.contains(w))
    });
    let is_footer = match footer_start {
        Some(first) => {
            (first > 0 || tail[first].1 == 't' || footer_words)
                && tail.iter().all(|(_, k, _)| *k != 'l')
        }
        None => false,
    };
    if is_footer {
        let footer: Vec<&(u64, char, String)> = tail.iter().filter(|(_, k, _)| *k != 'b').collect();
        let lines: std::collections::BTreeSet<u64> = footer.iter().map(|(l, _, _)| *l).collect();
        problems.retain(|p| !p.line.is_some_and(|l| lines.contains(&l)));
        totals.retain(|(l, _)| !lines.contains(l));
        let first_text: String = footer
            .first()
            .map(|(_, _, t)| {
                t.trim_matches(|c: char| c == delimiter as char || c.is_whitespace())
                    .to_string()
            })
            .unwrap_or_default();
        let (lo, hi) = (
            footer.first().map_or(0, |f| f.0),
            footer.last().map_or(0, |f| f.0),
        );
        notes.push(format!(
            "{display}: lines {lo}–{hi} are a report footer (\"{}\"…) and are left out",
            super::problems::show_value(&first_text)
        ));
        // "Grand Totals (N records)" says how many data rows there are.
        let data_rows = data_records + problems.iter().filter(|p| !p.file_level).count() as u64;
        if let Some(n) = footer.iter().find_map(|(_, _, t)| footer_count(t)) {
            if n != data_rows {
                notes.push(format!(
                    "{display}: the footer says {n} records but the file holds {data_rows} data rows: the export may be cut short or edited"
                ));
            }
        }
        ignored.push(("report footer".to_string(), footer.len() as u64));
    }
    if !totals.is_empty() {
        notes.push(format!(
            "{display}: {} total row(s) left out (line {}: \"{}\")",
            totals.len(),
            totals[0].0,
            super::problems::show_value(&totals[0].1)
        ));
        ignored.push(("total row".to_string(), totals.len() as u64));
    }
    (ignored, notes)
}

/// Builds the text column of one header position: an empty field as
/// null, NUL bytes taken out.
struct ColumnBuilder {
    at: usize,
    values: Values,
}

/// A column's values as they are read.
enum Values {
    Text(polars::prelude::StringChunkedBuilder),
    /// A column of few distinct values, coded as it is read: each row's code
    /// (`NO_VALUE` for an empty field) and the distinct values.
    Codes {
        codes: super::codes::Codes,
        rows: Vec<u32>,
    },
}

/// The code of an empty field while a column is read as codes.
const NO_VALUE: u32 = u32::MAX;

impl ColumnBuilder {
    /// Adds the next row's field; `nuls`: whether it may hold NUL bytes.
    fn push(&mut self, field: &[u8], nuls: bool) {
        if field.is_empty() {
            match &mut self.values {
                Values::Text(b) => b.append_null(),
                Values::Codes { rows, .. } => rows.push(NO_VALUE),
            }
            return;
        }
        let clean: std::borrow::Cow<[u8]> = if nuls && field.contains(&0) {
            std::borrow::Cow::Owned(field.iter().copied().filter(|&b| b != 0).collect())
        } else {
            std::borrow::Cow::Borrowed(field)
        };
        // Decoded bytes are UTF-8 and fields are cut at ASCII bytes
        // (delimiter, quote, line end), so a field is UTF-8 too; a code
        // checks a value the first time it sees it (`code_bytes`).
        match &mut self.values {
            Values::Text(b) => match std::str::from_utf8(&clean) {
                Ok(text) => b.append_value(text),
                Err(_) => b.append_value(String::from_utf8_lossy(&clean)),
            },
            Values::Codes { codes, rows } => rows.push(codes.code_bytes(&clean)),
        }
    }

    /// The finished column, named `__c<position>`. A coded column is
    /// categorical over polars' global categories, so that the columns of
    /// several files of a table stack.
    fn finish(self) -> polars::prelude::PolarsResult<(usize, polars::prelude::Column)> {
        use polars::prelude::*;
        let name: PlSmallStr = format!("__c{}", self.at).into();
        let column = match self.values {
            Values::Text(b) => b.finish().into_column(),
            Values::Codes { codes, rows, .. } => {
                codes.categorical(&name, &rows, NO_VALUE, Categories::global())?
            }
        };
        Ok((self.at, column))
    }
}

/// Records handed to the column builders: the first `n` of the vector, and
/// whether any of them holds a NUL byte (when none does, the fields are
/// not searched for one).
type Batch = std::sync::Arc<(Vec<csv::ByteRecord>, usize, bool)>;

/// One column-building thread: pushes every batch it receives to its
/// columns and gives the batch back (`empty`). The first thread (`first`)
/// starts with every column (`mine`): it builds the first batch into all of
/// them, timing each, then keeps about half of the work and hands the
/// other columns to the second thread (`hand`), which gets them (`mine`)
/// once that is done and builds from the second batch on. Each column is
/// built by one thread at a time, batch after batch in order.
fn build_columns(
    first: bool,
    mine: Vec<ColumnBuilder>,
    hand: std::sync::mpsc::Sender<Vec<ColumnBuilder>>,
    batches: std::sync::mpsc::Receiver<Batch>,
    empty: std::sync::mpsc::Sender<Batch>,
) -> Vec<ColumnBuilder> {
    // Column by column: one column's lookups back to back overlap in the
    // processor (an account's code is a random read in a large table), and
    // its loop stays predictable.
    let build = |b: &mut ColumnBuilder, batch: &Batch| {
        let (records, n, nuls) = &**batch;
        for rec in &records[..*n] {
            b.push(rec.get(b.at).unwrap_or_default(), *nuls);
        }
    };
    let mut mine = mine;
    let mut batches = batches.into_iter();
    if first {
        if let Some(batch) = batches.next() {
            let mut costs = Vec::with_capacity(mine.len());
            for b in &mut mine {
                let t0 = std::time::Instant::now();
                build(b, &batch);
                costs.push(t0.elapsed());
            }
            let (kept, handed) = split_work(std::mem::take(&mut mine), &costs);
            mine = kept;
            let _ = hand.send(handed);
            let _ = empty.send(batch);
        }
    } else {
        // The first batch is in the columns already.
        batches.next();
    }
    for batch in batches {
        for b in &mut mine {
            build(b, &batch);
        }
        let _ = empty.send(batch);
    }
    mine
}

/// Splits the columns in two of about equal cost (the costliest first,
/// each to the lighter side).
fn split_work(
    builders: Vec<ColumnBuilder>,
    costs: &[std::time::Duration],
) -> (Vec<ColumnBuilder>, Vec<ColumnBuilder>) {
    let mut order: Vec<(std::time::Duration, ColumnBuilder)> =
        costs.iter().copied().zip(builders).collect();
    order.sort_by_key(|b| std::cmp::Reverse(b.0));
    let (mut kept, mut handed) = (Vec::new(), Vec::new());
    let (mut kept_cost, mut handed_cost) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for (cost, b) in order {
        if kept_cost <= handed_cost {
            kept_cost += cost;
            kept.push(b);
        } else {
            handed_cost += cost;
            handed.push(b);
        }
    }
    (kept, handed)
}

/// Reads the records of an opened file: checks their structure, hashes
/// them, and builds the text columns of the header positions in `wanted`
/// (see [`Source::columns`]); those also in `as_codes` are held as codes
/// as they are read (a categorical column: 4 bytes a row and the distinct
/// values, instead of a 16-byte text view a row).
pub fn scan(opened: Opened, wanted: &[usize], as_codes: &[usize]) -> Result<Loaded, Box<Problem>> {
    let Opened {
        display,
        bytes,
        line_ends,
        delimiter,
        headers,
        encoding,
        delimiter_detected,
        notes: opened_notes,
    } = opened;
    let display = display.as_str();
    let mut rdr = reader(&bytes, delimiter);
    let mut header = csv::ByteRecord::new();
    read_header(display, &mut rdr, &mut header)?;
    // Lines from byte offsets: count the newlines between records.
    let mut counter = LineCounter::default();
    let header_line = counter.line_at(&bytes, header.position().map_or(0, |p| p.byte()));
    let width = headers.len();
    // Each line ends a record at most once: the count of line ends bounds
    // the records, so the columns are allocated once.
    let capacity = line_ends.unwrap_or_else(|| count_line_ends(&bytes)) + 1;
    let mut wanted: Vec<usize> = wanted.iter().copied().filter(|&i| i < width).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let builders: Vec<ColumnBuilder> = wanted
        .iter()
        .map(|&at| ColumnBuilder {
            at,
            values: if as_codes.contains(&at) {
                Values::Codes {
                    codes: super::codes::Codes::default(),
                    rows: Vec::with_capacity(capacity),
                }
            } else {
                Values::Text(polars::prelude::StringChunkedBuilder::new(
                    format!("__c{at}").into(),
                    capacity,
                ))
            },
        })
        .collect();

    // Check every record, keeping its line and hash and the fields read;
    // one record buffer is reused.
    let mut problems: Vec<Problem> = Vec::new();
    let mut starts: Vec<u64> = Vec::new();
    let hasher = RecordHasher::new(&header);
    let mut hashes: Vec<u64> = Vec::new();
    let mut nuls: Vec<(u64, usize)> = Vec::new();
    let mut regular = header_line == 1;
    // Rows after the last data row: (line, kind, text), where kind is
    // 'b' blank, 't' total, 's' short, 'l' long; a report footer if it
    // starts with a blank line or a total row and holds no long row.
    let mut tail: Vec<(u64, char, String)> = Vec::new();
    let mut totals: Vec<(u64, String)> = Vec::new();
    // Three threads share the work: this one reads, checks and hashes the
    // records and hands them on in batches to two that build the columns,
    // each its own columns (see `build_columns`).
    const BATCH: usize = 4096;
    let mut given_back = 0;
    let builders = std::thread::scope(|scope| {
        let (first_tx, first_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (second_tx, second_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        let (hand_tx, hand_rx) = std::sync::mpsc::channel::<Vec<ColumnBuilder>>();
        let first = {
            let empty_tx = empty_tx.clone();
            scope.spawn(move || build_columns(true, builders, hand_tx, first_rx, empty_tx))
        };
        let second = scope.spawn(move || {
            // Its columns come once the first batch is built; none when
            // there was no batch.
            let theirs = hand_rx.recv().unwrap_or_default();
            build_columns(
                false,
                theirs,
                std::sync::mpsc::channel().0,
                second_rx,
                empty_tx,
            )
        });
        let mut batch = vec![csv::ByteRecord::new(); BATCH];
        let mut batch_nuls = false;
        let mut n = 0;
        let mut i: u64 = 0;
        loop {
            let ordinal = i;
            i += 1;
            let rec = &mut batch[n];
            match rdr.read_byte_record(rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = match e.position() {
                        Some(p) => counter.line_at(&bytes, p.byte()),
                        None => header_line + ordinal + 1,
                    };
                    problems.push(Problem {
                        file: display.to_string(),
                        line: Some(line),
                        column: None,
                        value: None,
                        message: format!("is not valid CSV: {e}"),
                        reason: "malformed row".to_string(),
                        hint: None,
                        file_level: false,
                    });
                    tail.push((line, 'l', String::new()));
                    continue;
                }
            }
            // Where the record starts: the text before it is done with.
            let at = rec.position().map_or(0, |p| p.byte());
            let (line, blanks) = match rec.position() {
                Some(p) => counter.record_line(&bytes, at, p.line()),
                None => counter.line_and_blanks(&bytes, at),
            };
            if blanks > 0 {
                // Empty lines the csv crate skipped: a footer may start here.
                tail.push((line - 1, 'b', String::new()));
            }
            // A row whose first field starts with an ASCII character that
            // is neither white space nor the `t`/`g` of `Total`/`Grand
            // Total` is neither blank nor a total row: the usual data row,
            // told apart without looking at its other fields.
            let plain = rec.get(0).and_then(|f| f.first()).is_some_and(|&b| {
                b.is_ascii() && !(b as char).is_whitespace() && !matches!(b | 0x20, b't' | b'g')
            });
            if !plain && is_blank(rec) {
                tail.push((line, 'b', String::new()));
                continue;
            }
            if !plain && is_total_row(rec) {
                let text = record_text(rec, delimiter);
                tail.push((line, 't', text.clone()));
                totals.push((line, text));
                continue;
            }
            if rec.len() != width {
                let text = record_text(rec, delimiter);
                let sep = delimiter as char;
                problems.push(Problem {
                    file: display.to_string(),
                    line: Some(line),
                    column: None,
                    value: Some(text.clone()),
                    message: format!("has {} fields where the header has {width}", rec.len()),
                    reason: "wrong number of fields".to_string(),
                    hint: Some(format!(
                    "check the row's quoting (a field with a \"{sep}\" must be in double quotes)"
                )),
                    file_level: false,
                });
                tail.push((line, if rec.len() < width { 's' } else { 'l' }, text));
                continue;
            }
            tail.clear();
            if line != starts.len() as u64 + 2 {
                regular = false;
            }
            if rec.as_slice().contains(&0) {
                batch_nuls = true;
                let kept = starts.len() as u64;
                nuls.extend(
                    rec.iter()
                        .enumerate()
                        .filter(|(_, f)| f.contains(&0))
                        .map(|(i, _)| (kept, i)),
                );
            }
            hashes.push(hasher.hash(rec));
            starts.push(line);
            n += 1;
            if n == BATCH {
                // The text before this record is done with (a mapped
                // file's pages go back; see `Bytes::release`), in pieces
                // of BLOCK: each giving back interrupts the other threads'
                // processors (their address translations are flushed).
                let done = (at as usize).min(bytes.len());
                if done >= given_back + BLOCK {
                    bytes.release(given_back, done);
                    given_back = done;
                }
                // A batch both builders are done with is used again.
                let fresh = std::iter::from_fn(|| empty_rx.try_recv().ok())
                    .find_map(|b| std::sync::Arc::try_unwrap(b).ok())
                    .map(|(records, _, _)| records)
                    .unwrap_or_else(|| vec![csv::ByteRecord::new(); BATCH]);
                let full =
                    std::sync::Arc::new((std::mem::replace(&mut batch, fresh), n, batch_nuls));
                batch_nuls = false;
                n = 0;
                if first_tx.send(full.clone()).is_err() || second_tx.send(full).is_err() {
                    // A column thread stopped (it panicked: `join` says
                    // so); `batch` is a fresh one, nothing more to send.
                    break;
                }
            }
        }
        if n > 0 {
            let full = std::sync::Arc::new((batch, n, batch_nuls));
            let _ = first_tx.send(full.clone());
            let _ = second_tx.send(full);
        }
        drop((first_tx, second_tx));
        let mut builders = Vec::new();
        for worker in [first, second] {
            builders.extend(
                worker
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        builders.sort_by_key(|b| b.at);
        builders
    });
    let (ignored, mut notes) = leave_out_footer(
        display,
        delimiter,
        &tail,
        &mut totals,
        &mut problems,
        starts.len() as u64,
    );
    drop(bytes);
    notes.extend(opened_notes);
    // Each column finished on a thread of its own (a coded column maps its
    // rows through its dictionary: 10 million values each).
    let columns = std::thread::scope(|scope| {
        let finishing: Vec<_> = builders
            .into_iter()
            .map(|b| scope.spawn(move || b.finish()))
            .collect();
        finishing
            .into_iter()
            .map(|f| f.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect::<polars::prelude::PolarsResult<Vec<_>>>()
    })
    .map_err(|e| {
        Box::new(Problem::file(
            display,
            None,
            format!("cannot be held in memory: {e}"),
            "unreadable",
        ))
    })?;
    let records = starts.len() as u64;
    let lines = if regular {
        LineMap::Regular
    } else {
        LineMap::Lines(starts)
    };
    Ok(Loaded {
        source: Source {
            display: display.to_string(),
            columns,
            headers,
            delimiter,
            records,
            lines,
            hashes,
            nuls,
        },
        problems,
        ignored,
        notes,
        encoding,
        delimiter_detected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Opens decoded bytes and reads every column.
    fn check_structure(
        display: &str,
        bytes: Vec<u8>,
        delimiter: u8,
    ) -> Result<Loaded, Box<Problem>> {
        let o = opened(display, Bytes::Owned(bytes), delimiter)?;
        let all: Vec<usize> = (0..o.headers.len()).collect();
        scan(o, &all, &[])
    }

    /// The values of the column read at header position `at`.
    fn column(l: &Loaded, at: usize) -> Vec<Option<String>> {
        let (_, c) = l.source.columns.iter().find(|(i, _)| *i == at).unwrap();
        super::super::frame::column_texts(c)
            .unwrap()
            .map(|v| v.map(str::to_string))
            .collect()
    }

    fn some(values: &[&str]) -> Vec<Option<String>> {
        values.iter().map(|v| Some(v.to_string())).collect()
    }

    fn utf16(text: &str, le: bool) -> Vec<u8> {
        let mut v = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            let b = if le { u.to_le_bytes() } else { u.to_be_bytes() };
            v.extend_from_slice(&b);
        }
        v
    }

    #[test]
    fn byte_order_marks_decide() {
        let (b, e) = decode("a.csv", b"\xEF\xBB\xBFid\n1\n".to_vec(), None).unwrap();
        assert_eq!((b.as_slice(), e.name()), (&b"id\n1\n"[..], "UTF-8"));
        let (b, e) = decode("a.csv", utf16("id\tnom\n1\tJosé\n", true), None).unwrap();
        assert_eq!(String::from_utf8(b).unwrap(), "id\tnom\n1\tJosé\n");
        assert_eq!(e.name(), "UTF-16LE");
        // A BOM wins over the configured encoding.
        let win = crate::config::encoding_from_label("windows-1252");
        let (b, e) = decode("a.csv", utf16("id\n€\n", false), win).unwrap();
        assert_eq!(String::from_utf8(b).unwrap(), "id\n€\n");
        assert_eq!(e.name(), "UTF-16BE");
        // Odd length is not UTF-16.
        let mut odd = utf16("id\n", true);
        odd.push(b'x');
        assert!(decode("a.csv", odd, None).is_err());
    }

    #[test]
    fn configured_single_byte_encoding() {
        let win = crate::config::encoding_from_label("windows-1252");
        let (b, _) = decode("a.csv", b"id;nome\n1;Jos\xE9 \x80 1.234,56\n".to_vec(), win).unwrap();
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "id;nome\n1;José € 1.234,56\n"
        );
        let latin1 = crate::config::encoding_from_label("latin1");
        assert_eq!(latin1.map(|e| e.name()), Some("windows-1252"));
        // ASCII needs no copy and no change.
        let (b, _) = decode("a.csv", b"id\n1\n".to_vec(), win).unwrap();
        assert_eq!(b, b"id\n1\n");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let p = decode("a.csv", b"id,name\n1,Jos\xE9\n".to_vec(), None).unwrap_err();
        assert_eq!(p.line, Some(2));
        assert!(
            p.message.starts_with("character 6 of the line: byte 0xE9"),
            "{}",
            p.message
        );
        assert!(p
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("--encoding windows-1252"));
        // UTF-16 without a BOM is recognised by its NUL bytes.
        let mut no_bom = utf16("id,name\n1,a\n", true);
        no_bom.drain(..2);
        no_bom.push(0xD8);
        no_bom.push(0xFF);
        let p = decode("a.csv", no_bom, None).unwrap_err();
        assert!(
            p.message.contains("UTF-16 without a byte-order mark"),
            "{}",
            p.message
        );
    }

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter(b"a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\n1,5;2;3\n4;5,25;6\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\n1\t2\n"), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c\n1|2|3\n"), b'|');
        // Commas inside quotes do not count.
        assert_eq!(
            detect_delimiter(b"id;name\n1;\"Contoso, Ltd.\"\n2;\"A, B, C\"\n"),
            b';'
        );
        assert_eq!(detect_delimiter(b"id\n1\n"), b',');
        assert_eq!(detect_delimiter(b""), b',');
    }

    #[test]
    fn salesforce_footer_is_left_out_and_counted() {
        let text = b"\"Owner\",\"Amount\"\n\"Ann\",\"10.00\"\n\"Bob\",\"5.00\"\n\n\"Grand Totals (2 records)\"\n\n\"Confidential Information - Do Not Distribute\"\n\"Copyright (c) 2000-2013 salesforce.com, inc. All rights reserved.\"\n".to_vec();
        let l = check_structure("r.csv", text, b',').unwrap();
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.source.records, 2);
        assert_eq!(l.ignored, vec![("report footer".to_string(), 3)]);
        assert_eq!(l.notes.len(), 1, "{:?}", l.notes);
        assert!(
            l.notes[0].starts_with("r.csv: lines 5–8 are a report footer"),
            "{}",
            l.notes[0]
        );
        assert_eq!(column(&l, 0), some(&["Ann", "Bob"]));
        assert_eq!(column(&l, 1), some(&["10.00", "5.00"]));
    }

    #[test]
    fn footer_count_must_match() {
        let text = b"a,b\n1,2\n\nGrand Totals (3 records)\n".to_vec();
        let l = check_structure("r.csv", text, b',').unwrap();
        assert_eq!(l.notes.len(), 2);
        assert!(
            l.notes[1].contains("the footer says 3 records but the file holds 1 data rows"),
            "{}",
            l.notes[1]
        );
    }

    #[test]
    fn short_rows_before_more_data_are_problems_not_footers() {
        let text = b"a,b\n1,2\n\nGrand Totals\n3\n4,5\n".to_vec();
        let l = check_structure("r.csv", text, b',').unwrap();
        assert_eq!(l.problems.len(), 1);
        assert_eq!(l.problems[0].line, Some(5));
        assert_eq!(l.ignored, vec![("total row".to_string(), 1)]);
        // A long row at the end is never a footer.
        let l = check_structure("r.csv", b"a,b\n1,2\n\nx\n1,2,3\n".to_vec(), b',').unwrap();
        assert_eq!(l.problems.len(), 2);
    }

    #[test]
    fn a_footer_after_an_empty_line_needs_no_grand_totals() {
        // Truly empty lines (which the csv crate skips) start a footer too,
        // with LF or CRLF line ends.
        for text in [
            "a,b\n1,2\n\n\"Generated By: Jane  1/30/2013\"\n\"Contoso\"\n",
            "a,b\r\n1,2\r\n\r\n\"Generated By: Jane\"\r\n\"Contoso\"\r\n",
        ] {
            let l = check_structure("r.csv", text.as_bytes().to_vec(), b',').unwrap();
            assert!(l.problems.is_empty(), "{text:?}: {:?}", l.problems);
            assert_eq!(l.source.records, 1);
            assert_eq!(
                l.ignored,
                vec![("report footer".to_string(), 2)],
                "{text:?}"
            );
        }
        // Without the empty line, a short last row is a problem...
        let l = check_structure("r.csv", b"a,b\n1,2\nContoso\n".to_vec(), b',').unwrap();
        assert_eq!(l.problems.len(), 1);
        // ...unless it reads like a footer.
        let l = check_structure(
            "r.csv",
            b"a,b\n1,2\nConfidential Information - Do Not Distribute\n".to_vec(),
            b',',
        )
        .unwrap();
        assert!(l.problems.is_empty());
        // An empty line between data rows changes nothing but line numbers.
        let l = check_structure("r.csv", b"a,b\n1,2\n\n3,4\n".to_vec(), b',').unwrap();
        assert!(l.problems.is_empty() && l.ignored.is_empty());
        assert_eq!(l.source.lines.line(1), 4);
    }

    #[test]
    fn a_data_row_named_total_is_data() {
        let text =
            b"account,id,amount\nContoso,O1,100\nTotal (Holdings),O2,900\nTOTAL: Energies,O3,500\n"
                .to_vec();
        let l = check_structure("o.csv", text, b',').unwrap();
        assert_eq!(l.source.records, 3);
        assert!(l.ignored.is_empty() && l.notes.is_empty(), "{:?}", l.notes);
    }

    #[test]
    fn data_rows_are_told_from_total_rows_by_their_first_byte() {
        // Rows starting with a digit or a letter other than t/g are data at
        // a glance; `tea`, `Gadget` (t, g) and a no-break space are looked
        // at whole: data, data, and a total row after a blank line (the
        // footer), as `Grand Total`.
        for footer in ["Grand Total,,10", "\u{a0}Total,,10", "TOTAL,,10"] {
            let text = format!("id,name,amount\nA1,x,1\n1,y,2\ntea,z,3\nGadget,w,4\n\n{footer}\n");
            let l = check_structure("o.csv", text.into_bytes(), b',').unwrap();
            assert_eq!(l.source.records, 4, "{footer}");
            assert!(l.problems.is_empty(), "{footer}");
            assert_eq!(
                column(&l, 0),
                some(&["A1", "1", "tea", "Gadget"]),
                "{footer}"
            );
            assert!(!l.ignored.is_empty(), "{footer}: the footer is left out");
        }
    }

    #[test]
    fn total_rows_are_recognised() {
        let row = |t: &[&str]| csv::ByteRecord::from(t.to_vec());
        assert!(is_total_row(&row(&["Total", "", "1,000.00"])));
        assert!(is_total_row(&row(&["Total", "", "", "", "", "5,000.00"])));
        assert!(!is_total_row(&row(&[
            "Total (Holdings)",
            "O2",
            "M1",
            "900"
        ])));
        assert!(is_total_row(&row(&["", "Grand Totals (12 records)"])));
        assert!(is_total_row(&row(&["TOTAL:", "5"])));
        assert!(!is_total_row(&row(&["TotalEnergies", "5"])));
        assert!(!is_total_row(&row(&["Total Energies SE", "5"])));
        assert_eq!(footer_count("Grand Totals (1,201 records)"), Some(1201));
        assert_eq!(footer_count("Grand Totals"), None);
    }

    #[test]
    fn records_hash_as_written_whatever_the_column_order() {
        let a =
            check_structure("a.csv", b"id,topic,v\n1,x,2\n1,y,2\n1,x,2\n".to_vec(), b',').unwrap();
        let h = &a.source.hashes;
        assert_eq!(h.len(), 3);
        // Lines 2 and 4 are the same record; line 3 differs in `topic` only.
        assert_eq!(h[0], h[2]);
        assert_ne!(h[0], h[1]);
        // The same columns in another order: the same hashes.
        let b = check_structure("b.csv", b"v,id,topic\n2,1,x\n".to_vec(), b',').unwrap();
        assert_eq!(b.source.hashes[0], h[0]);
        // Other headers, same values: another record.
        let c = check_structure("c.csv", b"id,note,v\n1,x,2\n".to_vec(), b',').unwrap();
        assert_ne!(c.source.hashes[0], h[0]);
    }

    #[test]
    fn nul_bytes_in_fields_are_taken_out_and_named() {
        // A Salesforce rich-text field with NULs on the second record.
        let text = b"id,desc,v\n1,ok,2\n2,\"a\x00b\x00\",3\n3,c,4\n".to_vec();
        let l = check_structure("o.csv", text, b',').unwrap();
        assert_eq!(l.source.nuls, vec![(1, 1)]);
        assert_eq!(l.source.records, 3);
        assert_eq!(column(&l, 1), some(&["ok", "ab", "c"]));
        assert_eq!(l.source.lines.line(1), 3);
        // A file with a NUL in its header, or mostly NUL, is binary.
        assert!(decode("x.csv", b"i\x00d,v\n1,2\n".to_vec(), None).is_err());
        assert!(decode(
            "x.csv",
            b"PK\x03\x04\x00\x00\x00\x00\n\x00\x00".to_vec(),
            None
        )
        .is_err());
        assert!(decode("x.csv", b"id,v\n1,a\x00b\n".to_vec(), None).is_err());
        let mut ok = b"id,desc\n".to_vec();
        for _ in 0..200 {
            ok.extend_from_slice(b"1,some text of a description\n");
        }
        ok.extend_from_slice(b"2,a\x00b\n");
        assert!(decode("x.csv", ok, None).is_ok(), "one NUL in 6 KB of text");
    }

    #[test]
    fn regular_file_is_untouched() {
        let l = check_structure("a.csv", b"id,v\r\n1,2\r\n3,4\r\n".to_vec(), b',').unwrap();
        assert_eq!(l.source.lines, LineMap::Regular);
        assert_eq!(l.source.records, 2);
        assert_eq!(column(&l, 0), some(&["1", "3"]));
        assert_eq!(column(&l, 1), some(&["2", "4"]));
        assert_eq!(l.source.headers, vec!["id", "v"]);
    }

    #[test]
    fn ragged_rows_blank_lines_and_multiline_records() {
        let text = b"id,v\n1,\"a\nb\"\n\n2,x,y\n3,z\n\n".to_vec();
        let l = check_structure("a.csv", text, b',').unwrap();
        assert_eq!(l.problems.len(), 1);
        assert_eq!(l.problems[0].line, Some(5));
        assert!(l.ignored.is_empty());
        assert_eq!(l.problems[0].message, "has 3 fields where the header has 2");
        assert_eq!(l.source.records, 2);
        assert_eq!(l.source.lines.line(0), 2);
        assert_eq!(l.source.lines.line(1), 6);
        assert_eq!(column(&l, 0), some(&["1", "3"]));
        assert_eq!(column(&l, 1), some(&["a\nb", "z"]));
    }

    #[test]
    fn only_the_columns_asked_for_are_built_blank_as_null() {
        let text = b"id,note,v\n1,\"a, b\",2\n2,,\"\"\n3, ,\"x\"\"y\"\n".to_vec();
        let l = scan(
            opened("a.csv", Bytes::Owned(text.clone()), b',').unwrap(),
            &[2, 0, 2, 7],
            &[],
        )
        .unwrap();
        // The same columns read as codes: the same values.
        let coded = scan(
            opened("a.csv", Bytes::Owned(text), b',').unwrap(),
            &[2, 0, 2, 7],
            &[0, 2],
        )
        .unwrap();
        for (at, c) in &coded.source.columns {
            assert!(
                matches!(c.dtype(), polars::prelude::DataType::Categorical(_, _)),
                "{at}"
            );
            assert_eq!(column(&coded, *at), column(&l, *at));
        }
        let at: Vec<usize> = l.source.columns.iter().map(|(i, _)| *i).collect();
        assert_eq!(
            at,
            vec![0, 2],
            "each column once, in header order, none past the header"
        );
        assert_eq!(column(&l, 0), some(&["1", "2", "3"]));
        // An empty field, quoted or not, is null; a blank one is kept as
        // written (the typing trims it).
        assert_eq!(
            column(&l, 2),
            vec![Some("2".to_string()), None, Some("x\"y".to_string())]
        );
        assert_eq!(l.source.hashes.len(), 3);
    }

    #[test]
    fn columns_built_by_two_threads_keep_every_row_in_order() {
        // Three batches and a part: the first batch is built into every
        // column by one thread, the later ones by two, each column by one.
        // Text and codes, a column of many values (an id per row) and of
        // few, blanks every eleventh row, a record over two lines.
        let rows = 3 * 4096 + 5;
        let mut text = String::from("id,owner,account,note\n");
        let mut want: Vec<[Option<String>; 4]> = Vec::new();
        for i in 0..rows {
            let owner = (i % 11 != 0).then(|| format!("M{}", i % 7));
            let note = if i == 5000 {
                "two\nlines".to_string()
            } else {
                format!("n{i}")
            };
            text.push_str(&format!(
                "{i},{},A{:06},\"{note}\"\n",
                owner.clone().unwrap_or_default(),
                i * 7919 % 100_003
            ));
            want.push([
                Some(i.to_string()),
                owner,
                Some(format!("A{:06}", i * 7919 % 100_003)),
                Some(note),
            ]);
        }
        let l = scan(
            opened("a.csv", Bytes::Owned(text.into_bytes()), b',').unwrap(),
            &[0, 1, 2, 3],
            &[1, 2],
        )
        .unwrap();
        assert_eq!(l.source.records, rows as u64);
        assert!(l.problems.is_empty());
        let at: Vec<usize> = l.source.columns.iter().map(|(i, _)| *i).collect();
        assert_eq!(at, vec![0, 1, 2, 3]);
        for (c, name) in ["id", "owner", "account", "note"].iter().enumerate() {
            let got = column(&l, c);
            let expected: Vec<Option<String>> = want.iter().map(|w| w[c].clone()).collect();
            assert_eq!(got.len(), rows, "{name}");
            if let Some(i) = (0..rows).find(|&i| got[i] != expected[i]) {
                panic!("{name}, row {i}: {:?}, expected {:?}", got[i], expected[i]);
            }
        }
        // The line of the record after the one over two lines.
        assert_eq!(l.source.lines.line(5001), 5001 + 3);
    }

    /// A file read both ways, mapped when it can be (from 1 byte on) and
    /// into memory: the same source, notes, encoding and problems, or the
    /// same error. `mapped`: whether the first way maps it.
    fn both_ways(
        content: &[u8],
        encoding: Option<&'static Encoding>,
        mapped: bool,
    ) -> Result<String, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, content).unwrap();
        let format = TableFormat {
            encoding,
            ..TableFormat::default()
        };
        let read = |map_from: u64| -> Result<(Option<usize>, Loaded), String> {
            let opened =
                open_mapping_from(&path, "t.csv", &format, map_from).map_err(|p| p.to_string())?;
            let line_ends = opened.line_ends;
            let width = opened.headers.len();
            let all: Vec<usize> = (0..width).collect();
            Ok((
                line_ends,
                scan(opened, &all, &[]).map_err(|p| p.to_string())?,
            ))
        };
        match (read(1), read(u64::MAX)) {
            (Ok((mapped_ends, m)), Ok((read_ends, r))) => {
                assert_eq!(read_ends, None);
                let ends = content.iter().filter(|&&b| b == b'\n').count();
                assert_eq!(mapped_ends, Some(ends).filter(|_| mapped));
                let texts = |l: &Loaded| -> Vec<Vec<Option<String>>> {
                    (0..l.source.headers.len()).map(|i| column(l, i)).collect()
                };
                assert_eq!(texts(&m), texts(&r));
                assert_eq!(m.source.headers, r.source.headers);
                assert_eq!(m.source.lines, r.source.lines);
                assert_eq!(m.source.hashes, r.source.hashes);
                assert_eq!(m.source.nuls, r.source.nuls);
                assert_eq!(m.notes, r.notes);
                assert_eq!(m.ignored, r.ignored);
                let shown =
                    |l: &Loaded| l.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>();
                assert_eq!(shown(&m), shown(&r));
                assert_eq!(m.encoding, r.encoding);
                Ok(format!("{} {}", m.encoding, m.source.records))
            }
            (Err(a), Err(b)) => {
                assert_eq!(a, b);
                Err(a)
            }
            (a, b) => panic!("mapped and read differ: {:?} / {:?}", a.err(), b.err()),
        }
    }

    #[test]
    fn a_mapped_file_reads_as_a_file_read_into_memory() {
        let win = Encoding::for_label(b"windows-1252");
        // Plain, with a UTF-8 byte-order mark, CRLF with blank lines, a
        // record over two lines, a ragged row, NULs in a field, a footer.
        assert_eq!(
            both_ways(b"id,name\n1,a\n2,b\n", None, true).unwrap(),
            "UTF-8 2"
        );
        assert_eq!(
            both_ways(b"\xEF\xBB\xBFid,name\n1,Jos\xC3\xA9\n", None, true).unwrap(),
            "UTF-8 1"
        );
        assert_eq!(
            both_ways(
                b"id,name\r\n1,a\r\n\r\n2,\"b\r\nc\"\r\n3\r\n4,x\r\n",
                None,
                true
            )
            .unwrap(),
            "UTF-8 3"
        );
        let mut nul = b"id,name\n1,x\0y\n".to_vec();
        nul.extend((2..40).flat_map(|i| format!("{i},some text\n").into_bytes()));
        assert_eq!(both_ways(&nul, None, true).unwrap(), "UTF-8 39");
        assert_eq!(
            both_ways(b"id,n\n1,2\n\nGrand Totals (1 records),\n", None, true).unwrap(),
            "UTF-8 1"
        );
        // Set to Windows-1252: ASCII reads as set; UTF-8 accents as UTF-8,
        // with the note (both ways alike).
        assert_eq!(
            both_ways(b"id,name\n1,a\n", win, true).unwrap(),
            "windows-1252 1"
        );
        assert_eq!(
            both_ways(b"id,name\n1,Jos\xC3\xA9\n", win, true).unwrap(),
            "UTF-8 1"
        );
        // Needs decoding: read into memory (same result, same errors).
        assert_eq!(
            both_ways(b"id,name\n1,Jos\xE9\n", win, false).unwrap(),
            "windows-1252 1"
        );
        let bad = both_ways(b"id,name\n1,Jos\xE9\n", None, true).unwrap_err();
        assert!(bad.contains("t.csv:2"), "{bad}");
        let mut utf16 = vec![0xFF, 0xFE];
        for c in "id\n1\n".encode_utf16() {
            utf16.extend(c.to_le_bytes());
        }
        assert_eq!(both_ways(&utf16, None, false).unwrap(), "UTF-16LE 1");
        assert!(both_ways(b"\0\0\0\0id\n", None, true).is_err());
        assert!(both_ways(b"id,name\n1,\xC3", None, true).is_err());
    }

    #[test]
    fn utf8_is_checked_in_pieces_across_their_ends() {
        let released = std::cell::RefCell::new(Vec::new());
        // "é" (2 bytes) and "€" (3 bytes) cut by pieces of 3 bytes.
        let text = "a\né€\nb".as_bytes();
        let checked =
            check_utf8_in_pieces(text, 3, |from, to| released.borrow_mut().push((from, to)))
                .unwrap();
        assert!(!checked.ascii);
        assert_eq!(checked.line_ends, 2);
        let released = released.into_inner();
        // Pieces one after the other, to the end, never inside a character.
        assert_eq!(released.first().map(|r| r.0), Some(0));
        assert_eq!(released.last().map(|r| r.1), Some(text.len()));
        assert!(released.windows(2).all(|w| w[0].1 == w[1].0));
        for (from, to) in &released {
            assert!(from < to);
            assert!(
                std::str::from_utf8(&text[..*to]).is_ok(),
                "cut inside a character at {to}"
            );
        }
        let ascii = check_utf8_in_pieces(b"ab\ncd", 2, |_, _| {}).unwrap();
        assert!(ascii.ascii);
        assert_eq!(ascii.line_ends, 1);
        assert!(check_utf8_in_pieces(b"ab\xFFcd", 2, |_, _| {}).is_none());
        assert!(check_utf8_in_pieces(b"abc\xC3", 2, |_, _| {}).is_none());
    }

    #[test]
    fn utf8_is_checked_in_halves_side_by_side() {
        // Pieces of 3 bytes, texts of 6 or more: two halves. The middle
        // falls on an ASCII byte, inside "é" or "€" (moved to the next
        // character), or inside a bad sequence (found by either half).
        // (text, whether it is UTF-8: (all ASCII, line ends)).
        type Case<'a> = (&'a [u8], Option<(bool, usize)>);
        let cases: [Case; 8] = [
            (b"ab\ncd\nef", Some((true, 2))),
            ("aa\n\u{e9}\u{20ac}\nbb".as_bytes(), Some((false, 2))),
            ("a\u{20ac}\u{20ac}\u{20ac}\n".as_bytes(), Some((false, 1))),
            ("\u{e9}\u{e9}\u{e9}\u{e9}".as_bytes(), Some((false, 0))),
            (b"abc\xE2\x82def", None),
            (b"abc\x82\x82\x82\x82def", None),
            (b"abcdef\xFF", None),
            (b"\xC3abcdef", None),
        ];
        for (text, want) in cases {
            let released = std::sync::Mutex::new(Vec::new());
            let got = check_utf8_in_halves(text, 3, |from, to| {
                released.lock().unwrap().push((from, to))
            });
            let alone = check_utf8_in_pieces(text, 3, |_, _| {});
            let shown = String::from_utf8_lossy(text);
            assert_eq!(
                got.as_ref().map(|c| (c.ascii, c.line_ends)),
                want,
                "{shown}"
            );
            assert_eq!(
                alone.map(|c| (c.ascii, c.line_ends)),
                want,
                "{shown}: in one run"
            );
            if got.is_some() {
                // Every byte given back once, never inside a character.
                let mut released = released.into_inner().unwrap();
                released.sort();
                assert_eq!(released.first().map(|r| r.0), Some(0), "{shown}");
                assert_eq!(released.last().map(|r| r.1), Some(text.len()), "{shown}");
                assert!(released.windows(2).all(|w| w[0].1 == w[1].0), "{shown}");
                for (_, to) in &released {
                    assert!(std::str::from_utf8(&text[..*to]).is_ok(), "{shown}: {to}");
                }
            }
        }
    }

    #[test]
    fn record_lines_from_the_csv_crate_are_the_counted_lines() {
        // LF, CRLF and CR line ends, blank lines (with spaces too) before
        // records, quoted line ends inside a field, a BOM, no line end at
        // the end: each record's line as counted and as the csv crate
        // says, alike.
        let texts = [
            "a,b\n1,2\n3,4\n",
            "a,b\r\n1,2\r\n3,4\r\n",
            "a,b\r1,2\r3,4",
            "a,b\n\n1,2\n\n\n3,4\n",
            "a,b\r\n\r\n1,2\r\n\r\n\r\n3,4\r\n\r\n",
            "a,b\n1,\"x\ny\"\n3,\"p\r\nq\r\n\"\r\n5,6",
            "\u{feff}a,b\n1,2\n \n3,4",
            "a,b\n1,2\r\n\n3,4\n\r5,6\n",
        ];
        for (k, text) in texts.into_iter().enumerate() {
            let bytes = text.as_bytes();
            let mut rdr = reader(bytes, b',');
            let (mut counted, mut told) = (LineCounter::default(), LineCounter::default());
            let mut rec = csv::ByteRecord::new();
            let mut n = 0;
            while rdr.read_byte_record(&mut rec).unwrap() {
                let p = rec.position().unwrap();
                // LF and CRLF files without blank lines: the csv crate's
                // line is taken, not counted.
                if k < 2 {
                    let mut fresh = LineCounter::default();
                    let (line, _) = fresh.record_line(bytes, p.byte(), p.line() + 100);
                    assert!(line > 100, "{text:?} record {n}");
                }
                assert_eq!(
                    told.record_line(bytes, p.byte(), p.line()),
                    counted.line_and_blanks(bytes, p.byte()),
                    "{text:?} record {n}"
                );
                n += 1;
            }
            assert!(n >= 3, "{text:?}");
            assert_eq!((told.byte, told.line), (counted.byte, counted.line));
        }
    }

    #[test]
    fn empty_file_is_a_problem() {
        assert!(check_structure("a.csv", b"\n\n".to_vec(), b',').is_err());
    }
}
