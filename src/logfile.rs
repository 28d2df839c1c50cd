//! Opening a log the user hands over (`explain --log`, `report --log`): a file or stdin, gzip or
//! not, UTF-8 (with or without a byte-order mark) or UTF-16 LE/BE with a byte-order mark — the way
//! Windows tools save text. What comes out is one UTF-8 byte stream for the scanner, read lazily so
//! a large log never sits whole in memory.
//!
//! UTF-16 saved without a byte-order mark is recognised by where its NUL bytes fall (every second
//! byte of mostly-ASCII text, the statistic Windows' `IsTextUnicode` uses:
//! <https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-istextunicode>) and decoded too.
//! What cannot be decoded is refused with an error naming the file and a next step, never scanned as
//! if it were clean: other compressions (zstd, xz, bzip2, zip) and UTF-32. Other bytes (binary
//! garbage around a pasted error, a sparse file) are scanned as they are: an error line inside them
//! is still found.

use std::fs::File;
use std::io::{self, Cursor, Read};

use flate2::read::MultiGzDecoder;
use thiserror::Error;

use crate::env::Env;

/// How many bytes are sniffed for compression magic, byte-order marks and NUL bytes.
const SNIFF: usize = 8000;

/// A log opened for scanning.
pub struct LogSource<'a> {
    /// What the user called it (`<stdin>` for `-`).
    pub name: String,
    /// How it was read, e.g. `gzip, UTF-16 LE` (empty for plain UTF-8).
    pub read_as: Vec<&'static str>,
    /// UTF-8 bytes of the log.
    pub reader: Box<dyn Read + 'a>,
}

impl std::fmt::Debug for LogSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogSource")
            .field("name", &self.name)
            .field("read_as", &self.read_as)
            .finish_non_exhaustive()
    }
}

/// Why a log cannot be read. Every message names the file and says what to do.
#[derive(Debug, Error)]
pub enum LogError {
    /// The file does not open.
    #[error("cannot open log file {name}: {source}; pass a readable file, or `-` to read stdin")]
    Open {
        /// The path as given.
        name: String,
        /// Why.
        source: io::Error,
    },
    /// A directory was given.
    #[error("the log {name} is a directory; check the file name and pass a log file")]
    Directory {
        /// The path as given.
        name: String,
    },
    /// Reading failed (also gzip data that does not inflate).
    #[error("cannot read the log {name}: {source}; check the file (for a .gz: `gzip -t {name}`) and try again")]
    Read {
        /// The path as given.
        name: String,
        /// Why.
        source: io::Error,
    },
    /// Compressed with something other than gzip.
    #[error("the log {name} is {format}-compressed; decompress it first (`{tool} {name}`), or pass it gzipped")]
    Compressed {
        /// The path as given.
        name: String,
        /// zstd, xz, bzip2, zip.
        format: &'static str,
        /// The command that decompresses it.
        tool: &'static str,
    },
    /// UTF-32 text.
    #[error("the log {name} is UTF-32 text, which is not read; convert it: `iconv -f UTF-32 -t UTF-8 {name} > log.txt`")]
    Utf32 {
        /// The path as given.
        name: String,
    },
}

/// Open `path` (`-` = the run's stdin, read through the [`Env`]) and hand the decoded log to
/// `read`, which reads it once (the scanner streams it in large chunks).
pub fn with_log<T>(
    path: &str,
    env: &Env,
    read: impl FnOnce(LogSource<'_>) -> T,
) -> Result<T, LogError> {
    if path == "-" {
        return env.with_stdin(|stdin| Ok(read(decode("<stdin>", Box::new(stdin))?)));
    }
    let file = File::open(path).map_err(|source| LogError::Open {
        name: path.to_owned(),
        source,
    })?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(LogError::Directory {
            name: path.to_owned(),
        });
    }
    Ok(read(decode(path, Box::new(file))?))
}

/// Decode raw log bytes (pure apart from reading `raw`): gzip, byte-order marks, UTF-16.
pub fn decode<'a>(name: &str, raw: Box<dyn Read + 'a>) -> Result<LogSource<'a>, LogError> {
    let mut read_as = Vec::new();
    let read_err = |source| LogError::Read {
        name: name.to_owned(),
        source,
    };
    let (head, rest) = sniff(raw).map_err(read_err)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        read_as.push("gzip");
        let inflated = GzipErrors(MultiGzDecoder::new(Cursor::new(head).chain(rest)));
        let (inner_head, inner_rest) = sniff(Box::new(inflated)).map_err(read_err)?;
        return text(name, inner_head, inner_rest, read_as);
    }
    for (magic, format, tool) in COMPRESSIONS {
        if head.starts_with(magic) {
            return Err(LogError::Compressed {
                name: name.to_owned(),
                format,
                tool,
            });
        }
    }
    text(name, head, rest, read_as)
}

/// Compression formats recognised by their magic bytes, and how to undo them.
const COMPRESSIONS: [(&[u8], &str, &str); 4] = [
    (&[0x28, 0xb5, 0x2f, 0xfd], "zstd", "unzstd"),
    (&[0xfd, b'7', b'z', b'X', b'Z', 0x00], "xz", "unxz"),
    (b"BZh", "bzip2", "bunzip2"),
    (b"PK\x03\x04", "zip", "unzip"),
];

fn text<'a>(
    name: &str,
    head: Vec<u8>,
    rest: Box<dyn Read + 'a>,
    mut read_as: Vec<&'static str>,
) -> Result<LogSource<'a>, LogError> {
    let utf32 = head.starts_with(&[0xff, 0xfe, 0, 0]) || head.starts_with(&[0, 0, 0xfe, 0xff]);
    if utf32 {
        return Err(LogError::Utf32 {
            name: name.to_owned(),
        });
    }
    let utf16 = if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        let big_endian = head[0] == 0xfe;
        read_as.push(if big_endian { "UTF-16 BE" } else { "UTF-16 LE" });
        Some((big_endian, 2))
    } else {
        let guess = utf16_without_bom(&head);
        if let Some(big_endian) = guess {
            read_as.push(if big_endian {
                "UTF-16 BE without BOM"
            } else {
                "UTF-16 LE without BOM"
            });
        }
        guess.map(|big_endian| (big_endian, 0))
    };
    let (head, reader): (Vec<u8>, Box<dyn Read + 'a>) =
        if let Some(body) = head.strip_prefix(&[0xef, 0xbb, 0xbf]) {
            read_as.push("UTF-8 with BOM");
            (body.to_vec(), rest)
        } else if let Some((big_endian, bom)) = utf16 {
            let utf16 = Utf16Reader::new(Cursor::new(head[bom..].to_vec()).chain(rest), big_endian);
            sniff(Box::new(utf16)).map_err(|source| LogError::Read {
                name: name.to_owned(),
                source,
            })?
        } else {
            (head, rest)
        };
    Ok(LogSource {
        name: name.to_owned(),
        read_as,
        reader: Box::new(Cursor::new(head).chain(reader)),
    })
}

/// UTF-16 without a byte-order mark: in mostly-ASCII text every second byte is NUL, on the odd
/// positions for little endian, the even ones for big endian, and almost never on the others.
/// Returns whether it is big endian.
fn utf16_without_bom(head: &[u8]) -> Option<bool> {
    let pairs = head.len() / 2;
    if pairs < 8 {
        return None;
    }
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .take(pairs)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| n * 10 >= pairs * 7;
    let hardly = |n: usize| n * 50 <= pairs;
    match (mostly(even) && hardly(odd), mostly(odd) && hardly(even)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Read up to [`SNIFF`] bytes (fewer only at the end of the input).
fn sniff<'a>(mut raw: Box<dyn Read + 'a>) -> io::Result<(Vec<u8>, Box<dyn Read + 'a>)> {
    let mut head = Vec::with_capacity(SNIFF);
    (&mut raw).take(SNIFF as u64).read_to_end(&mut head)?;
    Ok((head, raw))
}

/// Names gzip's own errors as such.
struct GzipErrors<R>(R);

impl<R: Read> Read for GzipErrors<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0
            .read(buf)
            .map_err(|e| io::Error::new(e.kind(), format!("the gzip data does not inflate ({e})")))
    }
}

/// UTF-16 (after its byte-order mark) → UTF-8, streaming. Unpaired surrogates become U+FFFD, as
/// invalid UTF-8 does in the scanner.
pub struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    /// Raw bytes read but not yet decoded (an odd byte, a high surrogate waiting for its pair).
    raw: Vec<u8>,
    /// UTF-8 decoded but not yet handed out.
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    /// Decode `inner`, which holds UTF-16 in the given byte order (no byte-order mark).
    pub fn new(inner: R, big_endian: bool) -> Self {
        Utf16Reader {
            inner,
            big_endian,
            raw: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            eof: false,
        }
    }

    fn unit(&self, i: usize) -> u16 {
        let pair = [self.raw[i], self.raw[i + 1]];
        if self.big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    }

    /// Decode what `raw` holds into `out`, keeping an incomplete tail unless at the end.
    fn decode_available(&mut self) {
        let mut units: Vec<u16> = (0..self.raw.len() / 2).map(|k| self.unit(2 * k)).collect();
        let mut consumed = units.len() * 2;
        if !self.eof && units.last().is_some_and(|u| (0xd800..0xdc00).contains(u)) {
            units.pop();
            consumed -= 2;
        }
        self.out.clear();
        self.out_pos = 0;
        let mut utf8 = [0u8; 4];
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            self.out
                .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
        self.raw.drain(..consumed);
        if self.eof && !self.raw.is_empty() {
            // An odd byte at the very end.
            self.raw.clear();
            self.out.extend_from_slice(
                char::REPLACEMENT_CHARACTER
                    .encode_utf8(&mut utf8)
                    .as_bytes(),
            );
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out.len() {
            if self.eof && self.raw.is_empty() {
                return Ok(0);
            }
            let mut chunk = [0u8; 16 * 1024];
            let n = loop {
                match self.inner.read(&mut chunk) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            if n == 0 {
                self.eof = true;
            }
            self.raw.extend_from_slice(&chunk[..n]);
            self.decode_available();
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: Vec<u8>) -> Result<(String, Vec<&'static str>), LogError> {
        let mut source = decode("x.log", Box::new(Cursor::new(bytes)))?;
        let mut text = String::new();
        source.reader.read_to_string(&mut text).unwrap();
        Ok((text, source.read_as))
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xfe, 0xff]
        } else {
            vec![0xff, 0xfe]
        };
        for u in text.encode_utf16() {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn every_supported_encoding_reads_back_the_same_text() {
        // Long enough to cross the sniff and the UTF-16 chunk, with a surrogate pair (🎤) on the way.
        let line = "AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired 🎤 ü\r\n";
        let text = line.repeat(2000);
        let mut bom = vec![0xef, 0xbb, 0xbf];
        bom.extend(text.as_bytes());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &utf16(&text, false)).unwrap();
        let gz = gz.finish().unwrap();
        for (bytes, how) in [
            (text.as_bytes().to_vec(), vec![]),
            (bom, vec!["UTF-8 with BOM"]),
            (utf16(&text, false), vec!["UTF-16 LE"]),
            (utf16(&text, true), vec!["UTF-16 BE"]),
            (gz, vec!["gzip", "UTF-16 LE"]),
        ] {
            let (got, read_as) = read(bytes).unwrap();
            assert_eq!(read_as, how);
            assert!(got == text, "{how:?} decoded differently");
        }
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_and_binary_is_left_alone() {
        let text = "Agora-SDK [ERROR]: dynamic key expired\r\n";
        for big_endian in [false, true] {
            let (got, read_as) = read(utf16(text, big_endian)[2..].to_vec()).unwrap();
            assert_eq!(got, text);
            assert_eq!(read_as.len(), 1);
            assert!(read_as[0].ends_with("without BOM"));
        }
        // Zeros (a sparse file) and garbage are scanned as bytes: an error inside is still found.
        let mut zeros = vec![0u8; 4096];
        zeros.extend_from_slice(text.as_bytes());
        assert_eq!(read(zeros.clone()).unwrap().0.as_bytes(), zeros.as_slice());
    }

    #[test]
    fn undecodable_input_is_refused_with_the_file_named() {
        for (bytes, words) in [
            (vec![0xff, 0xfe, 0, 0, b'a', 0, 0, 0], "UTF-32"),
            (vec![0x28, 0xb5, 0x2f, 0xfd, 1, 2], "zstd-compressed"),
            (vec![0x1f, 0x8b, 8, 0, 0, 0], "gzip -t x.log"),
        ] {
            let message = match read(bytes.clone()) {
                Err(e) => e.to_string(),
                Ok(_) => {
                    // A gzip stream broken after its header fails while reading.
                    let mut source = decode("x.log", Box::new(Cursor::new(bytes))).unwrap();
                    let e = source.reader.read_to_end(&mut Vec::new()).unwrap_err();
                    LogError::Read {
                        name: "x.log".into(),
                        source: e,
                    }
                    .to_string()
                }
            };
            assert!(
                message.contains("x.log") && message.contains(words),
                "{message}"
            );
        }
    }
}
