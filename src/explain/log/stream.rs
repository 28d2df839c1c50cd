//! The streaming engine under `explain --log`: one pass over the log in large chunks, each chunk cut
//! at line ends into one piece per core, the pieces scanned at once, and their results handed on in
//! order, so the outcome is the one a single pass would give. While the pieces are scanned, the next
//! chunk is read into a second buffer. Memory is two chunks per core plus the longest line (at most
//! 16 MiB, twice), whatever the file size. What a piece yields is the scanner's
//! business ([`PieceScanner`]); the engine only cuts, counts lines and keeps the order.

use std::io::{self, Read};

/// Bytes scanned per core per read; big enough that per-chunk overhead (and a thread start) vanishes,
/// small enough to stay in L2/L3.
pub const CHUNK: usize = 1 << 20;
/// The most cores one scan uses: past a few, reading the log (one thread) is the limit.
pub const MAX_WORKERS: usize = 4;
/// The longest line held whole in memory (the buffer grows to it, never beyond); longer lines are
/// scanned in pieces of this size.
const MAX_LINE_BUFFERED: usize = 16 << 20;

/// Scans one piece of whole lines. Lines are numbered from 1 within the piece; the engine adds the
/// lines before it.
pub trait PieceScanner: Sync {
    /// What one piece yields.
    type Out: Send;
    /// Scan `data` (whole lines, the last one maybe without its newline); return the number of
    /// newlines in it and the piece's result.
    fn scan_piece(&self, data: &[u8]) -> (u64, Self::Out);
}

/// Lines and bytes read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    /// Lines (a last line without a newline counts).
    pub lines: u64,
    /// Bytes.
    pub bytes: u64,
}

/// The number of cores a scan uses on this machine.
pub fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_WORKERS)
}

/// Read `reader` to its end. `make` builds the scanner from the first bytes of the log (up to one
/// chunk per core, fewer only for a shorter log), before any piece is scanned; `sink` receives each
/// piece's result in order with the number of lines before the piece and the piece itself.
pub fn stream<R, S, M, F>(
    mut reader: R,
    workers: usize,
    make: M,
    mut sink: F,
) -> io::Result<(S, Totals)>
where
    R: Read,
    S: PieceScanner,
    M: FnOnce(&[u8]) -> S,
    F: FnMut(u64, &[u8], S::Out),
{
    let workers = workers.max(1);
    let mut buf: Vec<u8> = vec![0; CHUNK * workers];
    // The buffer read into while `buf`'s pieces are scanned.
    let mut spare: Vec<u8> = vec![0; CHUNK * workers];
    let mut input = Input {
        reader: &mut reader,
        bytes: 0,
        last_byte: None,
        eof: false,
    };
    let mut filled = input.fill(&mut buf, 0)?; // bytes in buf (a carried partial line, then new data)
    let mut newlines_before = 0u64; // newlines in everything before buf[0]
    let scanner = make(&buf[..filled]);
    while !input.eof || filled > 0 {
        // Process whole lines only; carry the tail. A line longer than the buffer grows it.
        let end = if input.eof {
            filled
        } else {
            match memchr::memrchr(b'\n', &buf[..filled]) {
                Some(i) => i + 1,
                None if buf.len() < MAX_LINE_BUFFERED => {
                    buf.resize(buf.len() * 2, 0);
                    filled = input.fill(&mut buf, filled)?;
                    continue;
                }
                // A line longer than MAX_LINE_BUFFERED (a sparse or binary file has gigabytes
                // without a newline) is scanned in pieces: memory stays bounded; a match cut
                // in two at a piece boundary is the price, and no real log line is this long.
                None => filled,
            }
        };
        if input.eof {
            newlines_before +=
                scan_pieces(&scanner, &buf[..end], workers, newlines_before, &mut sink);
            break;
        }
        if spare.len() < buf.len() {
            spare.resize(buf.len(), 0);
        }
        let tail = filled - end;
        spare[..tail].copy_from_slice(&buf[end..filled]);
        let pieces = cut_at_line_ends(&buf[..end], workers);
        let scanner = &scanner;
        let (results, read) = std::thread::scope(|scope| {
            let handles: Vec<_> = pieces
                .iter()
                .map(|&piece| scope.spawn(move || scanner.scan_piece(piece)))
                .collect();
            let read = input.fill(&mut spare, tail);
            // A scan does not panic on any input (the fuzzed reader); if one did, say so here.
            let results: Vec<(u64, S::Out)> = handles
                .into_iter()
                .map(|h| h.join().expect("log scan thread"))
                .collect();
            (results, read)
        });
        for (piece, (piece_newlines, out)) in pieces.iter().zip(results) {
            sink(newlines_before, piece, out);
            newlines_before += piece_newlines;
        }
        filled = read?;
        std::mem::swap(&mut buf, &mut spare);
    }
    let lines = newlines_before + u64::from(input.last_byte.is_some_and(|b| b != b'\n'));
    Ok((
        scanner,
        Totals {
            lines,
            bytes: input.bytes,
        },
    ))
}

/// The reader, with what has been read so far.
struct Input<'r, R> {
    reader: &'r mut R,
    bytes: u64,
    last_byte: Option<u8>,
    eof: bool,
}

impl<R: Read> Input<'_, R> {
    /// Fill `buf` from `filled` on, or until the end; returns how much of `buf` is filled.
    fn fill(&mut self, buf: &mut [u8], mut filled: usize) -> io::Result<usize> {
        while !self.eof && filled < buf.len() {
            match self.reader.read(&mut buf[filled..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.bytes += n as u64;
                    self.last_byte = Some(buf[filled + n - 1]);
                    filled += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(filled)
    }
}

/// Scan `data` (whole lines) as up to `workers` pieces cut at line ends, at once, and hand their
/// results on in order; returns the number of newlines in `data`.
fn scan_pieces<S: PieceScanner, F: FnMut(u64, &[u8], S::Out)>(
    scanner: &S,
    data: &[u8],
    workers: usize,
    newlines_before: u64,
    sink: &mut F,
) -> u64 {
    let pieces = cut_at_line_ends(data, workers);
    let results: Vec<(u64, S::Out)> = if pieces.len() == 1 {
        vec![scanner.scan_piece(pieces[0])]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = pieces[1..]
                .iter()
                .map(|&piece| scope.spawn(move || scanner.scan_piece(piece)))
                .collect();
            let mut results = vec![scanner.scan_piece(pieces[0])];
            // A scan does not panic on any input (the fuzzed reader); if one did, say so here.
            results.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().expect("log scan thread")),
            );
            results
        })
    };
    let mut newlines = 0u64;
    for (piece, (piece_newlines, out)) in pieces.iter().zip(results) {
        sink(newlines_before + newlines, piece, out);
        newlines += piece_newlines;
    }
    newlines
}

/// `data` cut into at most `n` pieces of about equal size, each ending at a line end (the last at
/// the end of `data`). Small data stays one piece: a thread is not worth less than a chunk.
pub fn cut_at_line_ends(data: &[u8], n: usize) -> Vec<&[u8]> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts lines holding `needle`, numbered in the whole input.
    struct Needle(&'static [u8]);

    impl PieceScanner for Needle {
        type Out = (u64, Vec<u64>);
        fn scan_piece(&self, data: &[u8]) -> (u64, Self::Out) {
            let mut found = Vec::new();
            let mut n = 0u64;
            for line in data.split(|b| *b == b'\n') {
                n += 1;
                if line.windows(self.0.len()).any(|w| w == self.0) {
                    found.push(n);
                }
            }
            let newlines = bytecount::count(data, b'\n') as u64;
            (newlines, (newlines, found))
        }
    }

    fn long_log() -> Vec<u8> {
        let mut log = Vec::new();
        let mut i = 0usize;
        while log.len() < 3 * CHUNK * MAX_WORKERS + 12345 {
            let line = if i % 97 == 0 {
                format!("needle line {i}\r\n")
            } else {
                format!("quiet line {i}\n")
            };
            log.extend_from_slice(line.as_bytes());
            i += 1;
        }
        log.extend_from_slice(b"needle at the end");
        log
    }

    #[test]
    fn the_results_are_the_same_on_any_number_of_threads() {
        let log = long_log();
        let run = |workers: usize| {
            let mut all = Vec::new();
            let (_, totals) = stream(
                &log[..],
                workers,
                |_| Needle(b"needle"),
                |before, _, (_, found): (u64, Vec<u64>)| {
                    all.extend(found.into_iter().map(|n| n + before))
                },
            )
            .unwrap();
            (all, totals.lines, totals.bytes)
        };
        let one = run(1);
        assert!(one.0.len() > 100);
        assert_eq!(one.2, log.len() as u64);
        for workers in [2, 3, MAX_WORKERS] {
            assert_eq!(run(workers), one, "{workers} threads");
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
