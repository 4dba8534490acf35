//! The stage before polars: read a file's bytes once, decode them to clean
//! UTF-8 (a byte-order mark is dropped; invalid UTF-8 is reported with line
//! and column), and check the structure with the `csv` crate, which knows the
//! line of every record: ragged rows are reported by line, blank lines are
//! dropped, and records that span lines are mapped back to the line where
//! they start. Polars then parses bytes that are known to be regular.

use std::path::Path;

use super::problems::Problem;

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

/// One input file, decoded and checked, ready for polars.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file as shown in messages.
    pub display: String,
    /// Clean UTF-8 CSV bytes: header then regular records.
    pub bytes: Vec<u8>,
    /// The header's fields, trimmed.
    pub headers: Vec<String>,
    /// Field separator.
    pub delimiter: u8,
    /// Data records handed on.
    pub records: u64,
    /// Record index → line.
    pub lines: LineMap,
}

/// What reading one file gave: the source (when it has a header) and the
/// problems of its rows, which `--skip-invalid` may leave out.
pub struct Loaded {
    pub source: Source,
    /// Rows left out of `bytes` because they are malformed.
    pub problems: Vec<Problem>,
}

/// The first position of invalid UTF-8, as (line, column in bytes), 1-based.
fn utf8_error_position(bytes: &[u8], valid_up_to: usize) -> (u64, u64) {
    let before = &bytes[..valid_up_to];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col =
        std::str::from_utf8(&before[line_start..]).map_or(0, |s| s.chars().count()) as u64 + 1;
    (line, col)
}

/// Decodes bytes to UTF-8 without BOM.
pub fn decode(display: &str, mut bytes: Vec<u8>) -> Result<Vec<u8>, Box<Problem>> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Box::new(
            Problem::file(
                display,
                None,
                "is UTF-16 text (Excel's \"Unicode text\"), which this version of atu does not read yet",
                "encoding",
            )
            .with_hint("save the export as \"CSV UTF-8 (comma delimited)\""),
        ));
    }
    if let Err(e) = std::str::from_utf8(&bytes) {
        let (line, col) = utf8_error_position(&bytes, e.valid_up_to());
        let bad = bytes[e.valid_up_to()];
        return Err(Box::new(
            Problem::file(display, Some(line), format!(
                "column {col}: byte 0x{bad:02X} is not UTF-8 (the file may be Windows-1252, Excel's plain \"CSV\")"
            ), "encoding")
                .with_hint("save the export as \"CSV UTF-8 (comma delimited)\""),
        ));
    }
    Ok(bytes)
}

/// Turns increasing byte offsets into 1-based line numbers.
#[derive(Default)]
struct LineCounter {
    byte: u64,
    line: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], byte: u64) -> u64 {
        // The csv crate places a record at the end of the previous one's
        // terminator; the record starts after the line ends.
        let mut byte = byte.min(bytes.len() as u64);
        while (byte as usize) < bytes.len() && matches!(bytes[byte as usize], b'\r' | b'\n') {
            byte += 1;
        }
        if byte >= self.byte {
            let seen = &bytes[self.byte as usize..byte as usize];
            self.line += seen.iter().filter(|&&b| b == b'\n').count() as u64;
            self.byte = byte;
        }
        self.line + 1
    }
}

fn is_blank(rec: &csv::ByteRecord) -> bool {
    rec.iter()
        .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
}

/// Reads, decodes and checks one file.
pub fn load(path: &Path, display: &str) -> Result<Loaded, Box<Problem>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(Problem::file(
            display,
            None,
            format!("cannot be read: {e}"),
            "unreadable",
        ))
    })?;
    let bytes = decode(display, bytes)?;
    check_structure(display, bytes, b',')
}

/// Checks the records of decoded bytes; rebuilds the bytes when some rows
/// must be left out or records span lines, so polars sees one record a line.
pub fn check_structure(
    display: &str,
    bytes: Vec<u8>,
    delimiter: u8,
) -> Result<Loaded, Box<Problem>> {
    let file_problem =
        |message: String| Box::new(Problem::file(display, None, message, "structure"));
    let reader = || {
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes.as_slice())
    };
    // Reads the header (the first non-blank record) into `header`.
    let read_header = |rdr: &mut csv::Reader<&[u8]>, header: &mut csv::ByteRecord| loop {
        match rdr.read_byte_record(header) {
            Ok(false) => return Err(file_problem("is empty: no header row".to_string())),
            Err(e) => return Err(file_problem(format!("cannot be parsed as CSV: {e}"))),
            Ok(true) if is_blank(header) => continue,
            Ok(true) => return Ok(()),
        }
    };
    let mut rdr = reader();
    let mut header = csv::ByteRecord::new();
    read_header(&mut rdr, &mut header)?;
    // Lines from byte offsets: count the newlines between records.
    let mut counter = LineCounter::default();
    let header_line = counter.line_at(&bytes, header.position().map_or(0, |p| p.byte()));
    let headers: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect();
    let width = headers.len();

    // First pass: check every record, keeping only its line and, for the
    // few that are left out, its ordinal; one record buffer is reused.
    let mut problems = Vec::new();
    let mut starts: Vec<u64> = Vec::new();
    let mut left_out: Vec<u64> = Vec::new();
    let mut regular = header_line == 1;
    let mut rec = csv::ByteRecord::new();
    let mut i: u64 = 0;
    loop {
        let ordinal = i;
        i += 1;
        match rdr.read_byte_record(&mut rec) {
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
                left_out.push(ordinal);
                continue;
            }
        }
        let line = counter.line_at(&bytes, rec.position().map_or(0, |p| p.byte()));
        if is_blank(&rec) {
            left_out.push(ordinal);
            continue;
        }
        if rec.len() != width {
            let text: Vec<String> = rec
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            problems.push(Problem {
                file: display.to_string(),
                line: Some(line),
                column: None,
                value: Some(text.join(",")),
                message: format!("has {} fields where the header has {width}", rec.len()),
                reason: "wrong number of fields".to_string(),
                hint: Some(
                    "check the row's quoting (a field with a comma must be in double quotes)"
                        .to_string(),
                ),
                file_level: false,
            });
            left_out.push(ordinal);
            continue;
        }
        if line != starts.len() as u64 + 2 {
            regular = false;
        }
        starts.push(line);
    }
    let records = starts.len() as u64;
    let bytes = if !left_out.is_empty() || !regular {
        // Second pass, rare: header then the kept records, one per line,
        // re-quoted, so that polars sees one record a line.
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::with_capacity(bytes.len()));
        let written = (|| -> Result<Vec<u8>, Box<dyn std::error::Error>> {
            let mut rdr = reader();
            let mut header = csv::ByteRecord::new();
            read_header(&mut rdr, &mut header).map_err(|p| p.message)?;
            w.write_byte_record(&header)?;
            let mut skip = left_out.iter().peekable();
            let mut ordinal: u64 = 0;
            loop {
                let this = ordinal;
                ordinal += 1;
                let more = rdr.read_byte_record(&mut rec);
                if skip.peek() == Some(&&this) {
                    skip.next();
                    if matches!(more, Ok(false)) {
                        break;
                    }
                    continue;
                }
                if !more? {
                    break;
                }
                w.write_byte_record(&rec)?;
            }
            Ok(w.into_inner()?)
        })();
        written.map_err(|e| file_problem(format!("cannot be rewritten: {e}")))?
    } else {
        bytes
    };
    let lines = if regular {
        LineMap::Regular
    } else {
        LineMap::Lines(starts)
    };
    Ok(Loaded {
        source: Source {
            display: display.to_string(),
            bytes,
            headers,
            delimiter,
            records,
            lines,
        },
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped_and_utf16_refused() {
        let b = decode("a.csv", b"\xEF\xBB\xBFid\n1\n".to_vec()).unwrap();
        assert_eq!(b, b"id\n1\n");
        assert!(decode("a.csv", b"\xFF\xFEi\0d\0".to_vec()).is_err());
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let p = decode("a.csv", b"id,name\n1,Jos\xE9\n".to_vec()).unwrap_err();
        assert_eq!(p.line, Some(2));
        assert!(
            p.message.starts_with("column 6: byte 0xE9"),
            "{}",
            p.message
        );
    }

    #[test]
    fn regular_file_is_untouched() {
        let l = check_structure("a.csv", b"id,v\r\n1,2\r\n3,4\r\n".to_vec(), b',').unwrap();
        assert_eq!(l.source.lines, LineMap::Regular);
        assert_eq!(l.source.records, 2);
        assert_eq!(l.source.bytes, b"id,v\r\n1,2\r\n3,4\r\n");
        assert_eq!(l.source.headers, vec!["id", "v"]);
    }

    #[test]
    fn ragged_rows_blank_lines_and_multiline_records() {
        let text = b"id,v\n1,\"a\nb\"\n\n2,x,y\n3,z\n\n".to_vec();
        let l = check_structure("a.csv", text, b',').unwrap();
        assert_eq!(l.problems.len(), 1);
        assert_eq!(l.problems[0].line, Some(5));
        assert_eq!(l.problems[0].message, "has 3 fields where the header has 2");
        assert_eq!(l.source.records, 2);
        assert_eq!(l.source.lines.line(0), 2);
        assert_eq!(l.source.lines.line(1), 6);
        assert_eq!(l.source.bytes, b"id,v\n1,\"a\nb\"\n3,z\n");
    }

    #[test]
    fn empty_file_is_a_problem() {
        assert!(check_structure("a.csv", b"\n\n".to_vec(), b',').is_err());
    }
}
