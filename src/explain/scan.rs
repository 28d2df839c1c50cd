//! The log scanner: one streaming pass over a console export or SDK log, reporting each distinct
//! error with its count, first and last line number, the first line itself and its entry.
//!
//! Speed comes from never looking at quiet lines one by one: the automaton runs over whole chunks,
//! and only a line holding a candidate match is cut out and classified. Newlines are counted with a
//! SIMD byte count. Each read fills one chunk per core; the chunk is cut at line ends into one piece
//! per core, the pieces are scanned at once, and their findings are merged in order, so the report
//! is the one a single pass would give. Memory is one chunk per core plus the longest line (at most
//! 16 MiB), whatever the file size.

use std::collections::HashMap;
use std::io::{self, Read};

use serde::Serialize;

use super::entry::Entry;
use super::matcher::Matcher;
use super::{catalog, log_matcher};

/// Bytes scanned per core per read; big enough that per-chunk overhead (and a thread start) vanishes,
/// small enough to stay in L2/L3.
const CHUNK: usize = 1 << 20;
/// The most cores one scan uses: past a few, reading the log (one thread) is the limit.
const MAX_WORKERS: usize = 4;
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

/// Scan with an explicit matcher and catalog (tests use small ones), on this machine's cores.
pub fn scan_with<R: Read>(
    matcher: &Matcher,
    entries: &'static [Entry],
    reader: R,
) -> io::Result<LogReport> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_WORKERS);
    scan_on(matcher, entries, reader, workers)
}

/// Scan on `workers` threads: the report does not depend on how many.
fn scan_on<R: Read>(
    matcher: &Matcher,
    entries: &'static [Entry],
    mut reader: R,
    workers: usize,
) -> io::Result<LogReport> {
    let mut buf: Vec<u8> = vec![0; CHUNK * workers];
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
        newlines_before += scan_pieces(matcher, &buf[..end], workers, newlines_before, &mut tally);
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

/// A line of a piece that holds a catalog match: its entries, its 1-based number within the piece,
/// and where it lies in the piece.
struct Hit {
    entries: Vec<usize>,
    line_in_piece: u64,
    start: usize,
    end: usize,
}

/// Scan `data` (whole lines) as up to `workers` pieces cut at line ends, at once, and record their
/// hits in order; returns the number of newlines in `data`.
fn scan_pieces(
    matcher: &Matcher,
    data: &[u8],
    workers: usize,
    newlines_before: u64,
    tally: &mut Tally,
) -> u64 {
    let pieces = cut_at_line_ends(data, workers);
    let results: Vec<(u64, Vec<Hit>)> = if pieces.len() == 1 {
        vec![scan_piece(matcher, pieces[0])]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = pieces[1..]
                .iter()
                .map(|&piece| scope.spawn(move || scan_piece(matcher, piece)))
                .collect();
            let mut results = vec![scan_piece(matcher, pieces[0])];
            // A scan does not panic on any input (the fuzzed matcher); if one did, say so here.
            results.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().expect("log scan thread")),
            );
            results
        })
    };
    let mut newlines = 0u64;
    for (piece, (piece_newlines, hits)) in pieces.iter().zip(results) {
        for hit in hits {
            let line_no = newlines_before + newlines + hit.line_in_piece;
            let line = &piece[hit.start..hit.end];
            for entry in hit.entries {
                tally.record(entry, line_no, line);
            }
        }
        newlines += piece_newlines;
    }
    newlines
}

/// `data` cut into at most `n` pieces of about equal size, each ending at a line end (the last at
/// the end of `data`). Small data stays one piece: a thread is not worth less than a chunk.
fn cut_at_line_ends(data: &[u8], n: usize) -> Vec<&[u8]> {
    let n = n.min(data.len() / (CHUNK / 4) + 1).max(1);
    let mut pieces = Vec::with_capacity(n);
    let mut start = 0usize;
    for k in 1..n {
        let target = (data.len() * k / n).max(start);
        let Some(i) = memchr::memchr(b'\n', &data[target..]) else {
            break;
        };
        let end = target + i + 1;
        if end >= data.len() {
            break;
        }
        pieces.push(&data[start..end]);
        start = end;
    }
    pieces.push(&data[start..]);
    pieces
}

/// Classify every matching line of `data` (whole lines); returns the number of newlines in it and
/// the matching lines, numbered from 1 within `data`.
fn scan_piece(matcher: &Matcher, data: &[u8]) -> (u64, Vec<Hit>) {
    let mut hits = Vec::new();
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
        let answer = matcher.classify_detailed(&data[start..end]);
        // A number several products use, in a line that does not say which SDK wrote it: the log
        // counts its most common meaning once rather than every meaning.
        let keep = if answer.ambiguous { 1 } else { usize::MAX };
        let entries: Vec<usize> = answer.entries.iter().take(keep).copied().collect();
        if !entries.is_empty() {
            hits.push(Hit {
                entries,
                line_in_piece: newlines + 1,
                start,
                end,
            });
        }
        pos = end + 1;
    }
    (
        newlines + bytecount::count(&data[counted_to..], b'\n') as u64,
        hits,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log several chunks long whose error lines sit everywhere, including at the first and last
    /// line and around every piece boundary a cut could pick.
    fn long_log() -> Vec<u8> {
        let errors = [
            "AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic use static key",
            "I/flutter (16566): onError: ErrorCodeType.errInvalidToken",
            "ERROR   (12:00:00:998 |    0)   9735; [cm] onError: 110",
            "Uncaught TypeError: Cannot read property 'remove' of null",
        ];
        let mut log = Vec::new();
        let mut i = 0usize;
        while log.len() < 3 * CHUNK * MAX_WORKERS + 12345 {
            let line = if i % 97 == 0 || i % 1031 == 1 {
                format!("{} line {i}\r\n", errors[i % errors.len()])
            } else {
                format!(
                    "Agora-SDK [INFO]: [client-{i}] connection state change, nothing wrong {i}\n"
                )
            };
            log.extend_from_slice(line.as_bytes());
            i += 1;
        }
        log.extend_from_slice(errors[0].as_bytes()); // a last line without a newline
        log
    }

    #[test]
    fn the_report_is_the_same_on_any_number_of_threads() {
        let log = long_log();
        let one = scan_on(
            crate::explain::log_matcher(),
            crate::explain::catalog(),
            &log[..],
            1,
        )
        .unwrap();
        assert!(one.errors.len() >= 3, "{:?}", one.errors.len());
        for workers in [2, 3, MAX_WORKERS] {
            let many = scan_on(
                crate::explain::log_matcher(),
                crate::explain::catalog(),
                &log[..],
                workers,
            )
            .unwrap();
            assert_eq!(many.lines, one.lines);
            assert_eq!(many.bytes, one.bytes);
            let key = |r: &LogReport| {
                r.errors
                    .iter()
                    .map(|e| {
                        (
                            e.entry.key.clone(),
                            e.count,
                            e.first_line,
                            e.last_line,
                            e.line.clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(key(&many), key(&one), "{workers} threads");
        }
    }

    #[test]
    fn pieces_end_at_line_ends_and_cover_everything() {
        let log = long_log();
        for n in 1..=MAX_WORKERS {
            let pieces = cut_at_line_ends(&log, n);
            assert!(pieces.len() <= n);
            assert_eq!(pieces.iter().map(|p| p.len()).sum::<usize>(), log.len());
            for p in &pieces[..pieces.len() - 1] {
                assert_eq!(p.last(), Some(&b'\n'));
            }
        }
        assert_eq!(cut_at_line_ends(b"short\nlog\n", 4).len(), 1);
    }
}
