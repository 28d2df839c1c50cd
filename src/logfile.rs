//! Opening a log the user hands over (`explain --log`, `report --log`): a file or stdin, gzip or
//! not, UTF-8 (with or without a byte-order mark) or UTF-16 LE/BE with a byte-order mark — the way
//! Windows tools save text. What comes out is one UTF-8 byte stream for the scanner, read lazily so
//! a large log never sits whole in memory.
//!
//! UTF-16 saved without a byte-order mark is recognised by where its NUL bytes fall (every second
//! byte of mostly-ASCII text, the statistic Windows' `IsTextUnicode` uses:
//! <https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-istextunicode>) and decoded too.
//! What cannot be decoded is refused with an error naming the file and a next step, never scanned as
//! if it were clean: other compressions (zstd, xz, lzma, bzip2, lz4, zip, 7z), UTF-32, files that
//! are something else by their magic bytes (a PNG, a PDF, a program), and input that is NUL bytes
//! only. Other bytes (binary garbage around a pasted error, a sparse file's zeros before its text)
//! are scanned as they are: an error line inside them is still found; when nothing is, a caller
//! refuses what [`LogSource::looks_binary`] describes instead of calling it a clean log.
//!
//! Every read is bounded ([`Limits`]): stdin by a size, gzip by what it may inflate to (a
//! decompression bomb), a FIFO by how long it may stay silent; devices (`/dev/zero`,
//! `/dev/urandom`) and sockets are refused. A limit that is hit is said, with its size.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::os::fd::AsFd;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;
use std::time::Duration;

use flate2::read::MultiGzDecoder;
use thiserror::Error;

use crate::env::Env;

/// How many bytes are sniffed for compression magic, byte-order marks and NUL bytes.
const SNIFF: usize = 8000;

/// How much any one log may cost to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes read from stdin (`-`) at most: a pipe has no size to judge beforehand.
    pub stdin_bytes: u64,
    /// Bytes a gzip stream may inflate to (a decompression bomb inflates 1,000 times over).
    pub inflated_bytes: u64,
    /// Leading NUL bytes skipped while looking for the text of a sparse file; input that is
    /// NUL bytes this far (or to its end) is refused.
    pub leading_nul_bytes: u64,
    /// How long a FIFO may stay without a writer before it is given up.
    pub fifo_wait: Duration,
}

impl Limits {
    /// The limits of `explain --log` and `report --log`: far above any console export or SDK log
    /// (Agora's SDKs rotate their logs at a few MB; a browser export is smaller still).
    pub const DEFAULT: Limits = Limits {
        stdin_bytes: 1 << 30,
        inflated_bytes: 4 << 30,
        leading_nul_bytes: 64 << 20,
        fifo_wait: Duration::from_secs(10),
    };
}

/// A log opened for scanning.
pub struct LogSource<'a> {
    /// What the user called it (`<stdin>` for `-`).
    pub name: String,
    /// How it was read, e.g. `gzip, UTF-16 LE` (empty for plain UTF-8).
    pub read_as: Vec<&'static str>,
    /// UTF-8 bytes of the log.
    pub reader: Box<dyn Read + 'a>,
    /// What the start of the log looked like when it was mostly not text (e.g. `binary data (62%
    /// of the first 8000 bytes are not text)`): a scan that finds nothing in it has read no log.
    pub looks_binary: Option<String>,
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
    /// Reading failed (also gzip data that does not inflate, or a [`Limits`] bound was hit).
    #[error("{}", read_message(.name, .source))]
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
    /// A device, socket or other special file: endless (`/dev/zero`) or not a log at all.
    #[error("the log {name} is {kind}, not a file; save the log to a file and pass its path (or `-` with the log on stdin)")]
    Special {
        /// The path as given.
        name: String,
        /// `a character device`, `a block device`, `a socket`.
        kind: &'static str,
    },
    /// A FIFO nothing writes to.
    #[error("nothing wrote to the pipe {name} within {} s; start the program that writes it first, or save the log to a file and pass its path", .waited.as_secs())]
    SilentFifo {
        /// The path as given.
        name: String,
        /// How long it was given.
        waited: Duration,
    },
    /// Not text: an image, a program, NUL bytes only, or mostly binary bytes with no error in them.
    #[error("the log {name} looks like {what}, not a log; pass the browser console export or SDK log itself (text, or gzipped text)")]
    Binary {
        /// The path as given.
        name: String,
        /// What it looked like, e.g. `a PNG image`, `all NUL bytes`.
        what: String,
    },
    /// UTF-32 text.
    #[error("the log {name} is UTF-32 text, which is not read; convert it: `iconv -f UTF-32 -t UTF-8 {name} > log.txt`")]
    Utf32 {
        /// The path as given.
        name: String,
    },
}

/// Open `path` (`-` = the run's stdin, read through the [`Env`]) and hand the decoded log to
/// `read`, which reads it once (the scanner streams it in large chunks). Any file name opens,
/// UTF-8 or not.
pub fn with_log<T>(
    path: impl AsRef<Path>,
    env: &Env,
    read: impl FnOnce(LogSource<'_>) -> T,
) -> Result<T, LogError> {
    with_log_limited(path.as_ref(), env, &Limits::DEFAULT, read)
}

/// [`with_log`] under other [`Limits`].
pub fn with_log_limited<T>(
    path: &Path,
    env: &Env,
    limits: &Limits,
    read: impl FnOnce(LogSource<'_>) -> T,
) -> Result<T, LogError> {
    if path == Path::new("-") {
        return env.with_stdin(|stdin| {
            let bounded = Bounded::new(
                stdin,
                limits.stdin_bytes,
                "stdin (`-`) gave",
                STDIN_NEXT_STEP,
            );
            Ok(read(decode_limited("<stdin>", Box::new(bounded), limits)?))
        });
    }
    let name = path.display().to_string();
    let file = open(path, &name, limits.fifo_wait)?;
    Ok(read(decode_limited(&name, Box::new(file), limits)?))
}

/// What to do when stdin gave more than its limit.
const STDIN_NEXT_STEP: &str =
    "save the log to a file and pass its path, or pipe only the part that matters (`tail -c 100M`)";

/// Open a log file without ever blocking on it: a FIFO is opened non-blocking and given
/// `fifo_wait` to have a writer; devices, sockets and directories are refused.
fn open(path: &Path, name: &str, fifo_wait: Duration) -> Result<File, LogError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
        .map_err(|source| LogError::Open {
            name: name.to_owned(),
            source,
        })?;
    let read_err = |source| LogError::Read {
        name: name.to_owned(),
        source,
    };
    let kind = file.metadata().map_err(read_err)?.file_type();
    if kind.is_dir() {
        return Err(LogError::Directory {
            name: name.to_owned(),
        });
    }
    let special = if kind.is_char_device() {
        Some("a character device")
    } else if kind.is_block_device() {
        Some("a block device")
    } else if kind.is_socket() {
        Some("a socket")
    } else {
        None
    };
    if let Some(kind) = special {
        return Err(LogError::Special {
            name: name.to_owned(),
            kind,
        });
    }
    if kind.is_fifo() {
        use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
        let ms = u16::try_from(fifo_wait.as_millis()).unwrap_or(u16::MAX);
        let mut fds = [PollFd::new(file.as_fd(), PollFlags::POLLIN)];
        // Until a writer opens the FIFO, poll reports nothing (not even a hang-up).
        let ready = loop {
            match poll(&mut fds, PollTimeout::from(ms)) {
                Err(nix::errno::Errno::EINTR) => {}
                other => break other.map_err(|e| read_err(e.into()))?,
            }
        };
        if ready == 0 {
            return Err(LogError::SilentFifo {
                name: name.to_owned(),
                waited: fifo_wait,
            });
        }
    }
    // From here on reads block as for any file (a writer that stalls later is like stdin's).
    nix::fcntl::fcntl(
        &file,
        nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::empty()),
    )
    .map_err(|e| read_err(e.into()))?;
    Ok(file)
}

/// Decode raw log bytes (pure apart from reading `raw`): gzip, byte-order marks, UTF-16.
pub fn decode<'a>(name: &str, raw: Box<dyn Read + 'a>) -> Result<LogSource<'a>, LogError> {
    decode_limited(name, raw, &Limits::DEFAULT)
}

/// [`decode`] under other [`Limits`].
pub fn decode_limited<'a>(
    name: &str,
    raw: Box<dyn Read + 'a>,
    limits: &Limits,
) -> Result<LogSource<'a>, LogError> {
    let mut read_as = Vec::new();
    let read_err = |source| LogError::Read {
        name: name.to_owned(),
        source,
    };
    let (head, rest) = sniff(raw).map_err(read_err)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        read_as.push("gzip");
        let inflated = GzipErrors(MultiGzDecoder::new(Cursor::new(head).chain(rest)));
        let bounded = Bounded::new(
            inflated,
            limits.inflated_bytes,
            "the gzip data inflated to",
            "it looks like a decompression bomb; if it is a real log, decompress it yourself (`gunzip -c FILE | tail -c 100M > part.log`) and pass the part that matters",
        );
        let (inner_head, inner_rest) = sniff(Box::new(bounded)).map_err(read_err)?;
        return text(name, inner_head, inner_rest, read_as, limits);
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
    text(name, head, rest, read_as, limits)
}

/// Compression formats recognised by their magic bytes, and how to undo them.
const COMPRESSIONS: [(&[u8], &str, &str); 7] = [
    (&[0x28, 0xb5, 0x2f, 0xfd], "zstd", "unzstd"),
    (&[0xfd, b'7', b'z', b'X', b'Z', 0x00], "xz", "unxz"),
    // .lzma (LZMA-alone): the usual properties byte 0x5d, then a little-endian dictionary size
    // whose low bytes are zero for every preset (xz-utils' `lzma_alone` header).
    (&[0x5d, 0x00, 0x00], "lzma", "unlzma"),
    (b"BZh", "bzip2", "bunzip2"),
    (&[0x04, 0x22, 0x4d, 0x18], "lz4", "unlz4"),
    (b"PK\x03\x04", "zip", "unzip"),
    (&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c], "7z", "7z x"),
];

/// Files that are something other than text, by their magic bytes.
const NOT_TEXT: [(&[u8], &str); 9] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (&[0xff, 0xd8, 0xff], "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x7fELF", "a program (ELF)"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00asm", "a WebAssembly module"),
    (b"RIFF", "a RIFF file (WAV, WebP, AVI)"),
];

fn text<'a>(
    name: &str,
    head: Vec<u8>,
    rest: Box<dyn Read + 'a>,
    mut read_as: Vec<&'static str>,
    limits: &Limits,
) -> Result<LogSource<'a>, LogError> {
    for (magic, what) in NOT_TEXT {
        if head.starts_with(magic) {
            return Err(LogError::Binary {
                name: name.to_owned(),
                what: what.to_owned(),
            });
        }
    }
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
    let (head, reader) = skip_leading_nuls(name, head, reader, limits.leading_nul_bytes)?;
    Ok(LogSource {
        name: name.to_owned(),
        read_as,
        looks_binary: binary_share(&head),
        reader: Box::new(Cursor::new(head).chain(reader)),
    })
}

/// A head of NUL bytes only (a sparse file, a zeroed disk image): read on past the NUL bytes, up
/// to `limit`, for the text after them; refused when there is none. NUL bytes hold no line, so
/// skipping them changes no line number.
fn skip_leading_nuls<'a>(
    name: &str,
    mut head: Vec<u8>,
    mut rest: Box<dyn Read + 'a>,
    limit: u64,
) -> Result<(Vec<u8>, Box<dyn Read + 'a>), LogError> {
    let mut skipped = 0u64;
    while !head.is_empty() && head.iter().all(|b| *b == 0) {
        skipped += head.len() as u64;
        if skipped >= limit {
            return Err(LogError::Binary {
                name: name.to_owned(),
                what: format!("all NUL bytes (its first {} MiB)", limit >> 20),
            });
        }
        (head, rest) = sniff_more(rest).map_err(|source| LogError::Read {
            name: name.to_owned(),
            source,
        })?;
        if head.is_empty() {
            return Err(LogError::Binary {
                name: name.to_owned(),
                what: "all NUL bytes".to_owned(),
            });
        }
    }
    if let Some(first) = head.iter().position(|b| *b != 0).filter(|_| skipped > 0) {
        head.drain(..first);
    }
    Ok((head, rest))
}

/// How the start of a log looks when most of it is not text: bytes that no text file holds (C0
/// controls other than tab, line feed, form feed, carriage return, backspace and ESC; invalid
/// UTF-8), counted among the bytes that are not NUL (a sparse file's zeros are no verdict).
fn binary_share(head: &[u8]) -> Option<String> {
    let mut counted = 0usize;
    let mut odd = 0usize;
    let mut rest = head;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                tally(valid, &mut counted, &mut odd);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                tally(
                    std::str::from_utf8(valid).unwrap_or_default(),
                    &mut counted,
                    &mut odd,
                );
                // A sequence cut by the end of the head is not invalid.
                let Some(bad) = e.error_len() else { break };
                counted += bad;
                odd += bad;
                rest = &after[bad..];
            }
        }
    }
    // Under 30% is text with some damage (a Latin-1 name, a stray byte); above is not a log.
    (counted >= 64 && odd * 10 > counted * 3).then(|| {
        format!(
            "binary data ({}% of its first {} bytes are not text)",
            odd * 100 / counted,
            head.len()
        )
    })
}

fn tally(text: &str, counted: &mut usize, odd: &mut usize) {
    for b in text.bytes() {
        if b == 0 {
            continue;
        }
        *counted += 1;
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x08 | 0x1b) || b == 0x7f {
            *odd += 1;
        }
    }
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

/// The next piece while skipping NUL bytes: larger than a sniff, so a sparse prefix goes fast.
fn sniff_more<'a>(mut raw: Box<dyn Read + 'a>) -> io::Result<(Vec<u8>, Box<dyn Read + 'a>)> {
    let mut head = Vec::with_capacity(1 << 20);
    (&mut raw).take(1 << 20).read_to_end(&mut head)?;
    Ok((head, raw))
}

/// A bound on what a reader may give, said when hit: an error naming the bound and a next step,
/// never a silent cut.
struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
    what: &'static str,
    next_step: &'static str,
}

impl<R> Bounded<R> {
    fn new(inner: R, limit: u64, what: &'static str, next_step: &'static str) -> Self {
        Bounded {
            inner,
            left: limit,
            limit,
            what,
            next_step,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // At the limit: one more byte means past it.
            let n = self.inner.read(&mut [0u8; 1])?;
            if n == 0 {
                return Ok(0);
            }
            return Err(io::Error::other(LimitHit {
                what: self.what,
                limit: self.limit,
                next_step: self.next_step,
            }));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// A [`Limits`] bound that was hit.
#[derive(Debug)]
pub struct LimitHit {
    what: &'static str,
    limit: u64,
    next_step: &'static str,
}

impl std::fmt::Display for LimitHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let limit = if self.limit >= 1 << 20 {
            format!("{} MiB", self.limit >> 20)
        } else {
            format!("{} bytes", self.limit)
        };
        write!(
            f,
            "{} more than {limit}, the limit; {}",
            self.what, self.next_step
        )
    }
}

impl std::error::Error for LimitHit {}

/// [`LogError::Read`]'s message: a limit is said as such, any other failure as a read error.
fn read_message(name: &str, source: &io::Error) -> String {
    match source.get_ref().and_then(|e| e.downcast_ref::<LimitHit>()) {
        Some(hit) => format!("stopped reading the log {name}: {hit}"),
        None => format!(
            "cannot read the log {name}: {source}; check the file (for a .gz: `gzip -t {name}`) and try again"
        ),
    }
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

    fn refusal(bytes: Vec<u8>, limits: &Limits) -> String {
        match decode_limited("x.log", Box::new(Cursor::new(bytes)), limits) {
            Err(e) => e.to_string(),
            Ok(mut source) => match source.reader.read_to_end(&mut Vec::new()) {
                Err(e) => LogError::Read {
                    name: "x.log".into(),
                    source: e,
                }
                .to_string(),
                Ok(_) => match source.looks_binary {
                    Some(what) => what,
                    None => "read as text".to_owned(),
                },
            },
        }
    }

    /// Regression: a PNG, an .lzma file and NUL bytes were scanned as a log ("no Agora errors").
    #[test]
    fn input_that_is_not_text_is_refused_saying_what_it_is() {
        let limits = Limits::DEFAULT;
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
        png.extend(vec![7u8; 100]);
        let lzma = vec![
            0x5d, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
        ];
        let random: Vec<u8> = (0..20_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &vec![0u8; 3 << 20]).unwrap();
        let gz_zeros = gz.finish().unwrap();
        for (bytes, words) in [
            (png, "a PNG image"),
            (lzma, "lzma-compressed"),
            (vec![0u8; 3 << 20], "all NUL bytes"),
            (gz_zeros, "all NUL bytes"),
            (random, "binary data"),
        ] {
            let message = refusal(bytes, &limits);
            assert!(message.contains(words), "{words}: {message}");
        }
        // NUL bytes past the limit are refused without reading on to the end.
        let small = Limits {
            leading_nul_bytes: 2 << 20,
            ..limits
        };
        let endless = Box::new(io::repeat(0));
        let e = decode_limited("x.log", endless, &small).unwrap_err();
        assert!(
            e.to_string().contains("all NUL bytes (its first 2 MiB)"),
            "{e}"
        );
        // Text after a sparse prefix is still read, and ordinary text is not "binary".
        let mut sparse = vec![0u8; 5 << 20];
        sparse.extend_from_slice(b"\nAgora-SDK [ERROR]: dynamic key expired\n");
        let (got, _) = read(sparse).unwrap();
        assert_eq!(got, "\nAgora-SDK [ERROR]: dynamic key expired\n");
        let latin1 = b"caf\xe9 \x1b[31mred\x1b[0m line\n".repeat(200);
        assert_eq!(refusal(latin1, &limits), "read as text");
    }

    /// Regression: gzip inflated without bound (a decompression bomb).
    #[test]
    fn gzip_that_inflates_past_the_limit_is_stopped_and_said() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &b"a\n".repeat(1 << 20)).unwrap();
        let limits = Limits {
            inflated_bytes: 1 << 20,
            ..Limits::DEFAULT
        };
        let message = refusal(gz.finish().unwrap(), &limits);
        assert!(
            message.contains("x.log")
                && message.contains("inflated to more than 1 MiB, the limit")
                && message.contains("decompression bomb"),
            "{message}"
        );
    }

    /// Regression: `--log -` read stdin without bound.
    #[test]
    fn stdin_past_its_limit_is_stopped_and_said() {
        let env = Env::fixed(&[], &"a line of a log\n".repeat(10_000));
        let limits = Limits {
            stdin_bytes: 50_000,
            ..Limits::DEFAULT
        };
        let got = with_log_limited(Path::new("-"), &env, &limits, |mut log| {
            log.reader.read_to_end(&mut Vec::new())
        })
        .unwrap();
        let message = LogError::Read {
            name: "<stdin>".into(),
            source: got.unwrap_err(),
        }
        .to_string();
        assert!(
            message.contains("<stdin>") && message.contains("more than 50000 bytes, the limit"),
            "{message}"
        );
        // Exactly the limit is no error.
        let env = Env::fixed(&[], &"x".repeat(50_000));
        let n = with_log_limited(Path::new("-"), &env, &limits, |mut log| {
            log.reader.read_to_end(&mut Vec::new()).unwrap()
        })
        .unwrap();
        assert_eq!(n, 50_000);
    }

    /// Regression: `/dev/zero` was read forever and a FIFO without a writer hung the run.
    #[test]
    fn devices_are_refused_and_a_silent_fifo_is_given_up() {
        let env = Env::fixed(&[], "");
        for device in ["/dev/zero", "/dev/urandom"] {
            let e = with_log(device, &env, |_| ()).unwrap_err();
            assert!(e.to_string().contains("a character device"), "{e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        let limits = Limits {
            fifo_wait: Duration::from_millis(300),
            ..Limits::DEFAULT
        };
        let started = std::time::Instant::now();
        let e = with_log_limited(&fifo, &env, &limits, |_| ()).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(e.to_string().contains("nothing wrote to the pipe"), "{e}");
        // With a writer the FIFO is read as a log.
        let writer_path = fifo.clone();
        let writer = std::thread::spawn(move || {
            std::fs::write(writer_path, "Agora-SDK [ERROR]: dynamic key expired\n").unwrap()
        });
        let text = with_log_limited(&fifo, &env, &Limits::DEFAULT, |mut log| {
            let mut s = String::new();
            log.reader.read_to_string(&mut s).unwrap();
            s
        })
        .unwrap();
        writer.join().unwrap();
        assert!(text.contains("dynamic key expired"), "{text}");
    }
}
