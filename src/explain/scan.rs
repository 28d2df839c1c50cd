//! The log scanner: one streaming pass over a console export or SDK log, reporting each distinct
//! error with its count, first and last line number, the first line itself and its entry.
//!
//! Speed comes from never looking at quiet lines one by one: the automaton runs over whole chunks,
//! and only a line holding a candidate match is cut out and classified. Newlines are counted with a
//! SIMD byte count. Memory is one chunk plus the longest line (at most 16 MiB), whatever the file size.

use std::collections::HashMap;
use std::io::{self, Read};

use serde::Serialize;

use super::entry::Entry;
use super::matcher::Matcher;
use super::{catalog, log_matcher};

/// Bytes read per chunk; big enough that per-chunk overhead vanishes, small enough to stay in L2/L3.
const CHUNK: usize = 1 << 20;
/// The longest line held whole in memory (the buffer grows to it, never beyond); longer lines are
/// scanned in pieces of this size.
const MAX_LINE_BUFFERED: usize = 16 << 20;
/// The longest line kept in a report, in bytes (a minified-JSON line can be megabytes).
const MAX_LINE_SHOWN: usize = 2000;

/// One distinct error found in a log.
#[derive(Debug, Clone, Serialize)]
pub struct LogError {
    /// The catalog entry explaining it.
    pub entry: &'static Entry,
    /// How many lines mention it.
    pub count: u64,
    /// 1-based number of the first such line.
    pub first_line: u64,
    /// 1-based number of the last such line.
    pub last_line: u64,
    /// The first such line (trailing `\r` removed, cut at 2000 bytes, invalid UTF-8 replaced).
    pub line: String,
}

/// Everything one scan found.
#[derive(Debug, Clone, Serialize)]
pub struct LogReport {
    /// Lines read.
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Distinct errors, in order of first appearance.
    pub errors: Vec<LogError>,
}

/// Scan `reader` to its end with the catalog's log matcher.
pub fn scan_log<R: Read>(reader: R) -> io::Result<LogReport> {
    scan_with(log_matcher(), catalog(), reader)
}

struct Tally {
    // entry index → position in `errors`
    seen: HashMap<usize, usize>,
    errors: Vec<(usize, u64, u64, u64, String)>,
}

impl Tally {
    fn record(&mut self, entry: usize, line_no: u64, line: &[u8]) {
        match self.seen.get(&entry) {
            Some(&pos) => {
                let e = &mut self.errors[pos];
                e.1 += 1;
                e.3 = line_no;
            }
            None => {
                let mut shown = line.strip_suffix(b"\r").unwrap_or(line);
                if shown.len() > MAX_LINE_SHOWN {
                    shown = &shown[..MAX_LINE_SHOWN];
                }
                self.seen.insert(entry, self.errors.len());
                self.errors.push((
                    entry,
                    1,
                    line_no,
                    line_no,
                    String::from_utf8_lossy(shown).into_owned(),
                ));
            }
        }
    }
}

/// Scan with an explicit matcher and catalog (tests use small ones).
pub fn scan_with<R: Read>(
    matcher: &Matcher,
    entries: &'static [Entry],
    mut reader: R,
) -> io::Result<LogReport> {
    let mut buf: Vec<u8> = vec![0; CHUNK];
    let mut filled = 0usize; // bytes in buf (a carried partial line, then new data)
    let mut newlines_before = 0u64; // newlines in everything before buf[0]
    let mut bytes = 0u64;
    let mut last_byte: Option<u8> = None;
    let mut tally = Tally {
        seen: HashMap::new(),
        errors: Vec::new(),
    };
    let mut eof = false;
    while !eof || filled > 0 {
        // Fill the buffer; a read of 0 is the end.
        while !eof && filled < buf.len() {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => eof = true,
                Ok(n) => {
                    bytes += n as u64;
                    last_byte = Some(buf[filled + n - 1]);
                    filled += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        // Process whole lines only; carry the tail. A line longer than the buffer grows it.
        let end = if eof {
            filled
        } else {
            match memchr::memrchr(b'\n', &buf[..filled]) {
                Some(i) => i + 1,
                None if buf.len() < MAX_LINE_BUFFERED => {
                    buf.resize(buf.len() * 2, 0);
                    continue;
                }
                // A line longer than MAX_LINE_BUFFERED (a sparse or binary file has gigabytes
                // without a newline) is scanned in pieces: memory stays bounded; a match cut
                // in two at a piece boundary is the price, and no real log line is this long.
                None => filled,
            }
        };
        newlines_before += scan_chunk(matcher, &buf[..end], newlines_before, &mut tally);
        buf.copy_within(end..filled, 0);
        filled -= end;
    }
    let lines = newlines_before + u64::from(last_byte.is_some_and(|b| b != b'\n'));
    let errors = tally
        .errors
        .into_iter()
        .map(|(i, count, first_line, last_line, line)| LogError {
            entry: &entries[i],
            count,
            first_line,
            last_line,
            line,
        })
        .collect();
    Ok(LogReport {
        lines,
        bytes,
        errors,
    })
}

/// Classify every matching line of `data` (whole lines); returns the number of newlines in it.
fn scan_chunk(matcher: &Matcher, data: &[u8], newlines_before: u64, tally: &mut Tally) -> u64 {
    let mut counted_to = 0usize; // newlines in data[..counted_to] are in `newlines`
    let mut newlines = 0u64;
    let mut pos = 0usize;
    while pos < data.len() {
        let Some(hit) = matcher.find_from(data, pos) else {
            break;
        };
        let start = memchr::memrchr(b'\n', &data[..hit]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &data[hit..]).map_or(data.len(), |i| hit + i);
        newlines += bytecount::count(&data[counted_to..start], b'\n') as u64;
        counted_to = start;
        let line_no = newlines_before + newlines + 1;
        let line = &data[start..end];
        let answer = matcher.classify_detailed(line);
        // A number several products use, in a line that does not say which SDK wrote it: the log
        // counts its most common meaning once rather than every meaning.
        let keep = if answer.ambiguous { 1 } else { usize::MAX };
        for &entry in answer.entries.iter().take(keep) {
            tally.record(entry, line_no, line);
        }
        pos = end + 1;
    }
    newlines + bytecount::count(&data[counted_to..], b'\n') as u64
}
