//! Log formats: how each kind of log a developer pastes lays out one line (its documented fields:
//! time, level, tag, process, then the message), and which format a whole log is, judged from its
//! first lines.
//!
//! Line layouts, with where each is documented:
//! - Android logcat `threadtime` (`MM-DD HH:MM:SS.mmm  PID  TID L TAG: msg`), `brief`
//!   (`L/TAG( PID): msg`) and `time` (`MM-DD HH:MM:SS.mmm L/TAG( PID): msg`); Android Studio's
//!   `YYYY-MM-DD HH:MM:SS.mmm PID-TID/package L/TAG: msg`
//!   (<https://developer.android.com/tools/logcat#outputFormat>). Levels V D I W E F A.
//! - The Agora Web SDK's console lines: `HH:MM:SS:ms Agora-SDK [LEVEL]: msg`, LEVEL one of DEBUG, INFO,
//!   WARNING, ERROR (the SDK's logger, `AgoraRTC.setLogLevel`), maybe after a DevTools source
//!   (`AgoraRTC_N.js:5 `) or a DevTools timestamp (`12:34:56.789 `) when the export has them.
//! - The native SDK's `agorasdk.log` up to 3.x: `LEVEL   (hh:mm:ss:ms | delta)   tid; [module] msg`,
//!   LEVEL one of DEBUG, INFO, WARN, ERROR, FATAL; from 4.x and in the wrappers' `agora-iris.log`
//!   the bracketed layout `[YYYY-MM-DD HH:MM:SS.mmm][tid][L][file:line] msg` (spdlog's), also spaced
//!   (`[…] [tid] [info] [file] msg`).
//! - Chromium's own log, which Electron's main process prints: `[pid:MMDD/HHMMSS.mmm:LEVEL:file(line)] msg`.
//! - Apple's unified log as Xcode's console shows it (`os_log`):
//!   `YYYY-MM-DD HH:MM:SS.ffffff+ZZZZ Process[pid:tid] msg`; `flutter: msg` from a Flutter app on iOS.
//! - Metro (React Native's bundler) forwarding the app's console: ` LOG  msg`, ` WARN  msg`, ` ERROR  msg`.
//! - MSBuild's canonical message format, which Visual Studio's build output uses:
//!   `[N>]origin : [subcategory] error|warning CODE: text`
//!   (<https://learn.microsoft.com/visualstudio/msbuild/msbuild-diagnostic-format-for-tasks>).
//! - Unity's `Player.log`/`Editor.log` and servers' stack traces have no per-line fields; their lines
//!   are told apart by content (exception headers, stack frames).

use serde::Serialize;

/// A line's severity, from its own level field (or, for formats without one, its words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Verbose and debug.
    Debug,
    /// Info (and Apple's `Default`).
    Info,
    /// Warning.
    Warning,
    /// Error.
    Error,
    /// Fatal, assert, critical.
    Fatal,
}

impl Level {
    /// Warning or worse.
    pub fn is_alarm(self) -> bool {
        self >= Level::Warning
    }

    fn from_letter(b: u8) -> Option<Level> {
        Some(match b {
            b'V' | b'D' | b'T' => Level::Debug,
            b'I' => Level::Info,
            b'W' => Level::Warning,
            b'E' => Level::Error,
            b'F' | b'A' | b'C' => Level::Fatal,
            _ => return None,
        })
    }

    fn from_word(w: &[u8]) -> Option<Level> {
        let w = w.to_ascii_lowercase();
        Some(match w.as_slice() {
            b"verbose" | b"debug" | b"trace" | b"d" | b"v" | b"t" => Level::Debug,
            // `a`: the native SDK 4.x's API-call lines (`[MM/DD/YY HH:MM:SS:mmm][tid][A]:…` in
            // agoraapi.log), a record of a call, not an assert.
            b"info" | b"log" | b"i" | b"notice" | b"default" | b"a" => Level::Info,
            b"warn" | b"warning" | b"w" => Level::Warning,
            b"error" | b"err" | b"e" => Level::Error,
            b"fatal" | b"critical" | b"crit" | b"f" | b"c" | b"assert" | b"fault" => Level::Fatal,
            _ => return None,
        })
    }
}

/// The layout of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// `HH:MM:SS:ms Agora-SDK [LEVEL]: msg`.
    WebSdk,
    /// Logcat `threadtime` (also Android Studio's layout).
    LogcatThreadtime,
    /// Logcat `brief` or `time`: `L/TAG( PID): msg`.
    LogcatBrief,
    /// `LEVEL   (hh:mm:ss:ms | delta)   tid; [module] msg`.
    AgoraNative,
    /// `[time][tid][L][file:line] msg`.
    Bracketed,
    /// `[pid:MMDD/HHMMSS.mmm:LEVEL:file(line)] msg`.
    Chromium,
    /// `YYYY-MM-DD HH:MM:SS.ffffff+ZZZZ Process[pid:tid] msg`.
    OsLog,
    /// ` LOG  msg`, ` WARN  msg`, ` ERROR  msg`.
    Metro,
    /// `origin : error CODE: text`.
    MsBuild,
    /// None of the above.
    Plain,
}

/// One line cut into its fields. Empty slices for fields the layout does not have.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    /// Which layout matched.
    pub shape: Shape,
    /// The level field, if the layout has one.
    pub level: Option<Level>,
    /// Logcat tag, native SDK module, Chromium source file, Xcode process name.
    pub tag: &'a [u8],
    /// Process id (and thread) as written.
    pub process: &'a [u8],
    /// The time as written.
    pub time: &'a [u8],
    /// The rest of the line.
    pub message: &'a [u8],
}

fn digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

fn spaces(b: &[u8]) -> usize {
    b.iter().take_while(|c| **c == b' ' || **c == b'\t').count()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// A searcher built once, for the needles looked for on every line the fast path lets through
/// (building one per call costs more than the search).
macro_rules! finder {
    ($name:ident, $needle:expr) => {
        pub(crate) fn $name() -> &'static memchr::memmem::Finder<'static> {
            static F: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
                std::sync::OnceLock::new();
            F.get_or_init(|| memchr::memmem::Finder::new($needle))
        }
    };
}
finder!(agora_sdk_finder, b" Agora-SDK [");
finder!(pub_state_change, b"state change: ");
finder!(pub_reason, b"reason");

/// `HH:MM:SS` then `[.:]fraction`; returns its length.
fn clock(b: &[u8]) -> Option<usize> {
    // Hours may be written with a space (`10: 6:54:569` in agorasdk.log): take what is there.
    let ok = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b' ');
    if b.len() < 8
        || !(ok(0) && ok(1) && b[2] == b':' && ok(3) && ok(4) && b[5] == b':' && ok(6) && ok(7))
    {
        return None;
    }
    let mut n = 8;
    if matches!(b.get(8), Some(b'.' | b':')) {
        // agorasdk.log pads milliseconds with spaces (`16:41:51: 78`).
        let pad = b[9..].iter().take_while(|c| **c == b' ').count();
        let f = digits(&b[9 + pad..]);
        n = 9 + pad + f;
    }
    Some(n)
}

/// `MM-DD ` or `YYYY-MM-DD ` then a clock; returns the length of date and time.
fn date_time(b: &[u8]) -> Option<usize> {
    let d = digits(b);
    let date = match d {
        2 if b.get(2) == Some(&b'-') && digits(&b[3..]) == 2 => 5,
        4 if b.get(4) == Some(&b'-')
            && digits(&b[5..]) == 2
            && b.get(7) == Some(&b'-')
            && digits(&b[8..]) == 2 =>
        {
            10
        }
        _ => return None,
    };
    if !matches!(b.get(date), Some(b' ' | b'T')) {
        return None;
    }
    clock(&b[date + 1..]).map(|c| date + 1 + c)
}

/// Cut `line` into fields, trying each layout (cheap checks of the first bytes first).
pub fn fields(line: &[u8]) -> Fields<'_> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let plain = Fields {
        shape: Shape::Plain,
        level: None,
        tag: &[],
        process: &[],
        time: &[],
        message: line,
    };
    let lead = spaces(line);
    let body = flutter_verbose(&line[lead..]);
    if let Some(f) = web_sdk(body) {
        return f;
    }
    if let Some(f) = logcat(body) {
        return f;
    }
    if let Some(f) = agora_native(body) {
        return f;
    }
    if body.first() == Some(&b'[') {
        if let Some(f) = chromium(body).or_else(|| bracketed(body)) {
            return f;
        }
    }
    if let Some(f) = os_log(body) {
        return f;
    }
    if let Some(f) = metro(line) {
        return f;
    }
    if let Some(f) = msbuild(body) {
        return f;
    }
    plain
}

/// `flutter run -v` puts its own elapsed-time column before each line (`[ +354 ms] `, `[        ] `):
/// the line proper follows it.
fn flutter_verbose(b: &[u8]) -> &[u8] {
    let Some(r) = b.strip_prefix(b"[") else {
        return b;
    };
    let Some(close) = memchr::memchr(b']', r) else {
        return b;
    };
    let inner = &r[..close];
    let ok = close <= 12
        && inner
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'+' | b'm' | b's'))
        && r.get(close + 1) == Some(&b' ');
    if ok {
        &r[close + 2..]
    } else {
        b
    }
}

/// The Web SDK's own prefix, maybe after a DevTools source (`file.js:5 `) or timestamp.
fn web_sdk(b: &[u8]) -> Option<Fields<'_>> {
    let at = if b.starts_with(b"Agora-SDK [") {
        0
    } else {
        agora_sdk_finder().find(b)? + 1
    };
    if at > 120 {
        return None;
    }
    let rest = &b[at + 11..];
    let close = memchr::memchr(b']', rest)?;
    let level = Level::from_word(&rest[..close]);
    let message = rest[close + 1..]
        .strip_prefix(b":")
        .unwrap_or(&rest[close + 1..]);
    let message = &message[spaces(message)..];
    // The SDK's time is the last word before "Agora-SDK".
    let head = b[..at].trim_ascii_end();
    let time_start = head.iter().rposition(|c| *c == b' ').map_or(0, |i| i + 1);
    let time = &head[time_start..];
    let time = if clock(time).is_some() { time } else { &[][..] };
    Some(Fields {
        shape: Shape::WebSdk,
        level,
        tag: b"Agora-SDK",
        process: &[],
        time,
        message,
    })
}

fn logcat(b: &[u8]) -> Option<Fields<'_>> {
    // brief: `L/TAG( PID): msg` (also after a `time` prefix `MM-DD HH:MM:SS.mmm: `).
    let (time, rest) = match date_time(b) {
        Some(n) => (&b[..n], &b[n..]),
        None => (&[][..], b),
    };
    let rest_trim = rest.strip_prefix(b":").unwrap_or(rest);
    let rest_trim = &rest_trim[spaces(rest_trim)..];
    if rest_trim.len() > 2 && rest_trim[1] == b'/' {
        if let Some(level) = Level::from_letter(rest_trim[0]) {
            let after = &rest_trim[2..];
            // TAG( PID): or TAG: (Android Studio's `pkg E/TAG: msg` is handled below)
            if let Some(colon) =
                find(after, b": ").or_else(|| after.strip_suffix(b":").map(|a| a.len()))
            {
                let head = &after[..colon];
                let (tag, process) = match memchr::memchr(b'(', head) {
                    Some(p) if head.ends_with(b")") => (&head[..p], &head[p + 1..head.len() - 1]),
                    _ => (head, &[][..]),
                };
                let tag = trim(tag);
                if !tag.is_empty() && tag.len() < 60 {
                    let message = after.get(colon + 2..).unwrap_or(&[]);
                    return Some(Fields {
                        shape: Shape::LogcatBrief,
                        level: Some(level),
                        tag,
                        process: trim(process),
                        time,
                        message,
                    });
                }
            }
        }
    }
    if time.is_empty() {
        return None;
    }
    // threadtime: `  PID  TID L TAG: msg`; Android Studio: ` PID-TID/package L/TAG: msg`.
    let r = &rest[spaces(rest)..];
    let pid = digits(r);
    if pid == 0 {
        return None;
    }
    let after_pid = &r[pid..];
    if after_pid.first() == Some(&b'-') {
        // Android Studio: `17429-17429/com.example E/art: msg`
        let sp = memchr::memchr(b' ', after_pid)?;
        let process = &r[..pid + sp];
        let t = &after_pid[sp + 1..];
        if t.len() > 2 && t[1] == b'/' {
            let level = Level::from_letter(t[0])?;
            let colon = find(t, b": ").or_else(|| t.strip_suffix(b":").map(|a| a.len()))?;
            return Some(Fields {
                shape: Shape::LogcatThreadtime,
                level: Some(level),
                tag: trim(&t[2..colon]),
                process,
                time,
                message: t.get(colon + 2..).unwrap_or(&[]),
            });
        }
        // Android Studio's Logcat window since Dolphin (2022.1), in columns:
        // `PID-TID TAG  package  L  msg`.
        let t = &t[spaces(t)..];
        let tag_end = memchr::memchr(b' ', t)?;
        let r2 = &t[tag_end..];
        let r2 = &r2[spaces(r2)..];
        let package_end = memchr::memchr(b' ', r2)?;
        let r3 = &r2[package_end..];
        let r3 = &r3[spaces(r3)..];
        if r3.len() >= 2 && r3[1] == b' ' {
            let level = Level::from_letter(r3[0])?;
            let message = &r3[1..];
            return Some(Fields {
                shape: Shape::LogcatThreadtime,
                level: Some(level),
                tag: &t[..tag_end],
                process,
                time,
                message: &message[spaces(message)..],
            });
        }
        return None;
    }
    let s = spaces(after_pid);
    let t = &after_pid[s..];
    let tid = digits(t);
    if tid == 0 || s == 0 {
        return None;
    }
    let t2 = &t[tid..];
    let s2 = spaces(t2);
    let t3 = &t2[s2..];
    if s2 == 0 || t3.len() < 2 || t3[1] != b' ' {
        return None;
    }
    let level = Level::from_letter(t3[0])?;
    let tagged = &t3[2..];
    let colon = find(tagged, b": ").or_else(|| tagged.strip_suffix(b":").map(|a| a.len()))?;
    Some(Fields {
        shape: Shape::LogcatThreadtime,
        level: Some(level),
        tag: trim(&tagged[..colon]),
        process: &r[..pid],
        time,
        message: tagged.get(colon + 2..).unwrap_or(&[]),
    })
}

fn trim(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |i| i + 1);
    &b[s..e.max(s)]
}

/// `LEVEL   (hh:mm:ss:ms | delta)   tid; [module] msg`.
pub(crate) fn agora_native(b: &[u8]) -> Option<Fields<'_>> {
    let word = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(4..=5).contains(&word) {
        return None;
    }
    let level = Level::from_word(&b[..word])?;
    let r = &b[word..];
    let r = &r[spaces(r)..];
    let r = r.strip_prefix(b"(")?;
    let close = memchr::memchr(b')', r)?;
    let inner = &r[..close];
    let time = match memchr::memchr(b'|', inner) {
        Some(p) => trim(&inner[..p]),
        None => trim(inner),
    };
    clock(time)?;
    let r = &r[close + 1..];
    let r = &r[spaces(r)..];
    let semi = memchr::memchr(b';', r);
    let (process, mut message) = match semi {
        Some(p) if p <= 12 => (&r[..p], &r[p + 1..]),
        _ => (&[][..], r),
    };
    message = &message[spaces(message)..];
    let mut tag: &[u8] = &[];
    if message.first() == Some(&b'[') {
        if let Some(c) = memchr::memchr(b']', message) {
            tag = &message[1..c];
            message = &message[c + 1..];
            message = message.strip_prefix(b":").unwrap_or(message);
            message = &message[spaces(message)..];
        }
    }
    Some(Fields {
        shape: Shape::AgoraNative,
        level: Some(level),
        tag,
        process,
        time,
        message,
    })
}

/// `[pid:MMDD/HHMMSS.mmm:LEVEL:file(line)] msg`.
fn chromium(b: &[u8]) -> Option<Fields<'_>> {
    let close = memchr::memchr(b']', b)?;
    let inner = &b[1..close];
    let mut parts = inner.split(|c| *c == b':');
    let pid = parts.next()?;
    if digits(pid) != pid.len() || pid.is_empty() {
        return None;
    }
    let mut rest: Vec<&[u8]> = parts.collect();
    // pid:tid:MMDD/HHMMSS.mmm:LEVEL:file(line) or pid:MMDD/…
    if rest.len() >= 4 && digits(rest[0]) == rest[0].len() {
        rest.remove(0);
    }
    if rest.len() < 3 {
        return None;
    }
    let time = rest[0];
    if !time.contains(&b'/') {
        return None;
    }
    let level = Level::from_word(rest[1]);
    level?;
    let message = &b[close + 1..];
    Some(Fields {
        shape: Shape::Chromium,
        level,
        tag: rest[2],
        process: pid,
        time,
        message: &message[spaces(message)..],
    })
}

/// `[time][tid][L][file:line] msg` and `[time] [tid] [level] [file] msg`.
fn bracketed(b: &[u8]) -> Option<Fields<'_>> {
    let mut groups: Vec<&[u8]> = Vec::with_capacity(4);
    let mut r = b;
    while groups.len() < 5 {
        let Some(rest) = r.strip_prefix(b"[") else {
            break;
        };
        let close = memchr::memchr(b']', rest)?;
        groups.push(&rest[..close]);
        r = &rest[close + 1..];
        r = &r[spaces(r)..];
    }
    if groups.len() < 2 {
        return None;
    }
    let time_at = groups
        .iter()
        .position(|g| date_time(g).is_some() || clock(g).is_some() || date_time_slashed(g))?;
    let level_at = groups
        .iter()
        .position(|g| g.len() <= 8 && Level::from_word(g).is_some())?;
    let level = Level::from_word(groups[level_at]);
    let process = groups
        .iter()
        .enumerate()
        .find(|(i, g)| *i != time_at && *i != level_at && !g.is_empty() && digits(g) == g.len())
        .map_or(&[][..], |(_, g)| *g);
    let tag = groups
        .iter()
        .enumerate()
        .rev()
        .find(|(i, g)| *i != time_at && *i != level_at && digits(g) != g.len())
        .map_or(&[][..], |(_, g)| *g);
    let message = r.strip_prefix(b":").unwrap_or(r);
    Some(Fields {
        shape: Shape::Bracketed,
        level,
        tag,
        process,
        time: groups[time_at],
        message: &message[spaces(message)..],
    })
}

/// `MM/DD/YY HH:MM:SS.mmm`.
fn date_time_slashed(g: &[u8]) -> bool {
    g.len() >= 17
        && digits(g) == 2
        && g[2] == b'/'
        && g[5] == b'/'
        && g[8] == b' '
        && clock(&g[9..]).is_some()
}

/// `YYYY-MM-DD HH:MM:SS.ffffff+ZZZZ Process[pid:tid] msg` (and `flutter: msg`).
fn os_log(b: &[u8]) -> Option<Fields<'_>> {
    if let Some(f) = console_app(b) {
        return Some(f);
    }
    if let Some(m) = b.strip_prefix(b"flutter: ") {
        return Some(Fields {
            shape: Shape::OsLog,
            level: None,
            tag: b"flutter",
            process: &[],
            time: &[],
            message: m,
        });
    }
    let n = date_time(b)?;
    if n < 19 {
        return None;
    }
    let mut r = &b[n..];
    // Time zone: +0800, -0700, Z
    if let Some(z) = r.strip_prefix(b"+").or_else(|| r.strip_prefix(b"-")) {
        r = &z[digits(z)..];
    }
    let r = &r[spaces(r)..];
    let open = memchr::memchr(b'[', r)?;
    let close = memchr::memchr(b']', r)?;
    if close < open || open == 0 || r[..open].contains(&b' ') {
        return None;
    }
    let process = &r[open + 1..close];
    if !process.contains(&b':') {
        return None;
    }
    let message = &r[close + 1..];
    let message = &message[spaces(message)..];
    Some(Fields {
        shape: Shape::OsLog,
        level: None,
        tag: &r[..open],
        process,
        time: &b[..n],
        message,
    })
}

/// macOS Console.app's copied rows, tab-separated: `[pid\t]type\tHH:MM:SS.ffffff+ZZZZ\tprocess\tmsg`,
/// the type one of default, info, debug, error, fault (the unified log's levels).
fn console_app(b: &[u8]) -> Option<Fields<'_>> {
    let mut cols = b.splitn(5, |c| *c == b'\t');
    let mut first = cols.next()?;
    let mut rest: Vec<&[u8]> = cols.collect();
    if !first.is_empty() && digits(first) == first.len() && !rest.is_empty() {
        first = rest.remove(0);
    } else if rest.len() == 4 {
        // No pid column: the fourth tab is inside the message.
        let msg_start = rest[2].as_ptr() as usize - b.as_ptr() as usize;
        rest = vec![rest[0], rest[1], &b[msg_start..]];
    }
    if rest.len() < 3 {
        return None;
    }
    let level = match first {
        b"default" | b"info" | b"debug" | b"error" | b"fault" | b"Default" | b"Info" | b"Debug"
        | b"Error" | b"Fault" => Level::from_word(first),
        _ => return None,
    };
    let time = rest[0];
    clock(time)?;
    Some(Fields {
        shape: Shape::OsLog,
        level,
        tag: rest[1],
        process: &[],
        time,
        message: rest[2],
    })
}

/// Metro's ` LOG  msg`, ` WARN  msg`, ` ERROR  msg`, ` INFO  msg`, ` DEBUG  msg`.
fn metro(line: &[u8]) -> Option<Fields<'_>> {
    let b = line.strip_prefix(b" ")?;
    let word = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(3..=5).contains(&word) || !b[word..].starts_with(b"  ") {
        return None;
    }
    let level = match &b[..word] {
        b"LOG" | b"INFO" => Level::Info,
        b"DEBUG" => Level::Debug,
        b"WARN" => Level::Warning,
        b"ERROR" => Level::Error,
        _ => return None,
    };
    let m = &b[word..];
    Some(Fields {
        shape: Shape::Metro,
        level: Some(level),
        tag: &[],
        process: &[],
        time: &[],
        message: &m[spaces(m)..],
    })
}

/// MSBuild's `origin : [subcategory ]error|warning CODE: text` (optionally after `N>`).
fn msbuild(b: &[u8]) -> Option<Fields<'_>> {
    let d = digits(b);
    let (process, b) = if d > 0 && b.get(d) == Some(&b'>') {
        (&b[..d], &b[d + 1..])
    } else {
        (&[][..], b)
    };
    for (word, level) in [
        (&b" error "[..], Level::Error),
        (b" warning ", Level::Warning),
    ] {
        let Some(at) = find(b, word) else { continue };
        let origin = &b[..at];
        if !origin.ends_with(b":") && !origin.ends_with(b": fatal") {
            continue;
        }
        let rest = &b[at + word.len()..];
        // CODE: an identifier (CS0246, C2065, LNK2019, MSB3270) then ':'
        let code = rest
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if code == 0 || rest.get(code) != Some(&b':') {
            continue;
        }
        let message = &rest[code + 1..];
        return Some(Fields {
            shape: Shape::MsBuild,
            level: Some(level),
            tag: &rest[..code],
            process,
            time: &[],
            message: &message[spaces(message)..],
        });
    }
    None
}

/// Which kind of log a whole file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A browser console export (DevTools "Save as…" or a copy), with DevTools timestamps.
    BrowserConsoleTimestamps,
    /// A browser console export without DevTools timestamps.
    BrowserConsole,
    /// The Web SDK's uploaded log: its own lines without the console's decoration.
    WebSdkLog,
    /// Android logcat, `threadtime` layout (or Android Studio's).
    LogcatThreadtime,
    /// Android logcat, `brief` or `time` layout.
    LogcatBrief,
    /// `flutter run` output.
    FlutterRun,
    /// Xcode's console / Apple's unified log (`os_log`).
    Xcode,
    /// Metro (React Native) output.
    Metro,
    /// Electron's main process output (Chromium's log lines).
    Electron,
    /// Unity's `Player.log` or `Editor.log`.
    Unity,
    /// Visual Studio / MSBuild build output.
    VisualStudio,
    /// The native SDK's `agorasdk.log` (also inside logcat as tag AGORA_SDK).
    AgoraSdkLog,
    /// The native SDK's `agoraapi.log` or a wrapper's `agora-iris.log`.
    AgoraApiLog,
    /// A Signaling (RTM) SDK log.
    RtmLog,
    /// A Node.js server's output or stack trace.
    NodeTrace,
    /// A Python traceback.
    PythonTrace,
    /// A Java (JVM) stack trace.
    JavaTrace,
    /// A Go panic.
    GoTrace,
    /// Several formats mixed in one paste.
    Mixed,
    /// Text with no recognisable log layout.
    Plain,
}

impl Format {
    /// Every format, for listings and tests.
    pub const ALL: [Format; 20] = [
        Format::BrowserConsoleTimestamps,
        Format::BrowserConsole,
        Format::WebSdkLog,
        Format::LogcatThreadtime,
        Format::LogcatBrief,
        Format::FlutterRun,
        Format::Xcode,
        Format::Metro,
        Format::Electron,
        Format::Unity,
        Format::VisualStudio,
        Format::AgoraSdkLog,
        Format::AgoraApiLog,
        Format::RtmLog,
        Format::NodeTrace,
        Format::PythonTrace,
        Format::JavaTrace,
        Format::GoTrace,
        Format::Mixed,
        Format::Plain,
    ];

    /// The words a user reads.
    pub fn label(self) -> &'static str {
        match self {
            Format::BrowserConsoleTimestamps => "browser console export (with timestamps)",
            Format::BrowserConsole => "browser console export (without timestamps)",
            Format::WebSdkLog => "Agora Web SDK log",
            Format::LogcatThreadtime => "Android logcat (threadtime)",
            Format::LogcatBrief => "Android logcat (brief)",
            Format::FlutterRun => "flutter run output",
            Format::Xcode => "Xcode console (os_log)",
            Format::Metro => "Metro / React Native output",
            Format::Electron => "Electron main process output",
            Format::Unity => "Unity Player.log / Editor.log",
            Format::VisualStudio => "Visual Studio build output (MSBuild)",
            Format::AgoraSdkLog => "Agora native SDK log (agorasdk.log)",
            Format::AgoraApiLog => "Agora native SDK API log (agoraapi.log / agora-iris.log)",
            Format::RtmLog => "Agora Signaling (RTM) SDK log",
            Format::NodeTrace => "Node.js server output / stack trace",
            Format::PythonTrace => "Python server output / traceback",
            Format::JavaTrace => "Java server output / stack trace",
            Format::GoTrace => "Go server output / panic",
            Format::Mixed => "mixed log (several formats)",
            Format::Plain => "plain text (no log layout recognised)",
        }
    }
}

/// How many lines of the log's start are looked at to name its format.
const SAMPLE_LINES: usize = 400;

/// Name the format of a log from its first bytes (and its file name, when it says).
pub fn detect(head: &[u8], name: &str) -> Format {
    let mut shapes: std::collections::HashMap<Shape, usize> = std::collections::HashMap::new();
    let mut marks = Marks::default();
    let mut lines = 0usize;
    for line in head.split(|b| *b == b'\n').take(SAMPLE_LINES) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        lines += 1;
        let f = fields(line);
        *shapes.entry(f.shape).or_default() += 1;
        marks.see(line, &f);
    }
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    if base.starts_with("agoraapi") || base.contains("iris") {
        return Format::AgoraApiLog;
    }
    if lines == 0 {
        return Format::Plain;
    }
    let count = |s: Shape| shapes.get(&s).copied().unwrap_or(0);
    let share = |n: usize| n * 100 / lines;
    // Whole-file markers first: each names a tool whose output wraps other layouts.
    // `flutter run` announces itself (Launching, Syncing, its engine's `[ERROR:flutter/…]`); on
    // iOS its app lines read `flutter: …`. Android logcat with the app's `I/flutter` tag is logcat.
    if marks.flutter > 0 || (marks.flutter_ios > 0 && marks.flutter_ios * 5 >= lines) {
        return Format::FlutterRun;
    }
    if marks.unity > 0 {
        return Format::Unity;
    }
    if count(Shape::MsBuild) > 0 || marks.msbuild > 0 {
        return Format::VisualStudio;
    }
    if count(Shape::Metro) > 0 || marks.metro > 0 {
        return Format::Metro;
    }
    if marks.rtm * 2 > lines {
        return Format::RtmLog;
    }
    if count(Shape::AgoraNative) > 0 && share(count(Shape::AgoraNative)) >= 50 {
        return Format::AgoraSdkLog;
    }
    if count(Shape::Bracketed) > 0 && share(count(Shape::Bracketed)) >= 50 && marks.python_log == 0
    {
        if marks.iris > 0 {
            return Format::AgoraApiLog;
        }
        if marks.agora > 0 {
            return Format::AgoraSdkLog;
        }
    }
    let logcat = count(Shape::LogcatThreadtime) + count(Shape::LogcatBrief);
    if share(logcat) >= 50 {
        return if count(Shape::LogcatThreadtime) >= count(Shape::LogcatBrief) {
            Format::LogcatThreadtime
        } else {
            Format::LogcatBrief
        };
    }
    if share(count(Shape::OsLog)) >= 30 {
        return Format::Xcode;
    }
    if count(Shape::Chromium) > 0 && (marks.electron > 0 || share(count(Shape::Chromium)) >= 30) {
        return Format::Electron;
    }
    if count(Shape::WebSdk) > 0 || marks.browser > 0 {
        if marks.devtools_timestamps * 2 >= lines {
            return Format::BrowserConsoleTimestamps;
        }
        if marks.browser == 0 && marks.devtools_source == 0 && share(count(Shape::WebSdk)) >= 90 {
            return Format::WebSdkLog;
        }
        return Format::BrowserConsole;
    }
    if marks.go > 0 || (marks.go_log > 0 && marks.go_log * 2 >= lines) {
        return Format::GoTrace;
    }
    if marks.python > 0 || marks.python_log > 0 {
        return Format::PythonTrace;
    }
    if marks.java > 0 || marks.java_log > 0 {
        return Format::JavaTrace;
    }
    if marks.node > 0 {
        return Format::NodeTrace;
    }
    let distinct = shapes
        .iter()
        .filter(|(s, n)| **s != Shape::Plain && **n > 0)
        .count();
    if distinct >= 2 {
        return Format::Mixed;
    }
    match shapes
        .iter()
        .filter(|(s, _)| **s != Shape::Plain)
        .max_by_key(|(_, n)| **n)
    {
        Some((Shape::LogcatThreadtime, _)) => Format::LogcatThreadtime,
        Some((Shape::LogcatBrief, _)) => Format::LogcatBrief,
        Some((Shape::AgoraNative | Shape::Bracketed, _)) => Format::AgoraSdkLog,
        Some((Shape::OsLog, _)) => Format::Xcode,
        Some((Shape::Chromium, _)) => Format::Electron,
        _ => Format::Plain,
    }
}

/// Words that name the tool which wrote a log, counted over the sample.
#[derive(Default)]
struct Marks {
    flutter: usize,
    flutter_ios: usize,
    agora: usize,
    go_log: usize,
    java_log: usize,
    python_log: usize,
    unity: usize,
    msbuild: usize,
    metro: usize,
    rtm: usize,
    iris: usize,
    electron: usize,
    browser: usize,
    devtools_timestamps: usize,
    devtools_source: usize,
    go: usize,
    python: usize,
    java: usize,
    node: usize,
}

impl Marks {
    fn see(&mut self, line: &[u8], f: &Fields<'_>) {
        let has = |n: &[u8]| find(line, n).is_some();
        // The marks a line counts for when it holds any of their words.
        let by_words: [(&mut usize, &[&str]); 11] = [
            (
                &mut self.flutter,
                &[
                    "[ERROR:flutter/",
                    "Launching lib/",
                    "Flutter run key commands",
                    "Syncing files to device",
                ],
            ),
            (
                &mut self.unity,
                &[
                    "UnityEngine.",
                    "(Filename: ",
                    "Initialize engine version",
                    "Unity Editor version",
                ],
            ),
            (
                &mut self.msbuild,
                &[
                    "------ Build started",
                    "========== Build:",
                    "Build succeeded.",
                    "Build FAILED.",
                ],
            ),
            (
                &mut self.metro,
                &["Welcome to Metro", " BUNDLE ", "React Native v"],
            ),
            (&mut self.rtm, &["RTM", "Rtm", "rtm_"]),
            (&mut self.iris, &["iris_", "api name "]),
            (&mut self.electron, &["electron", "Electron"]),
            (
                &mut self.browser,
                &[
                    "Uncaught ",
                    "chrome-extension://",
                    "DevTools",
                    "[Violation]",
                    "favicon.ico",
                ],
            ),
            (&mut self.agora, &["agora", "Agora", "AGORA"]),
            // Spring Boot / Logback: `… INFO 1 --- [main] logger : msg`.
            (&mut self.java_log, &[" --- ["]),
            (
                &mut self.python_log,
                &["gunicorn", "uvicorn", "werkzeug", "Django", "Flask"],
            ),
        ];
        for (count, words) in by_words {
            if words.iter().any(|w| has(w.as_bytes())) {
                *count += 1;
            }
        }
        if f.tag == b"flutter" && f.shape == Shape::OsLog {
            self.flutter_ios += 1;
        }
        // DevTools' own timestamp before the source: `12:34:56.789 file.js:1 …`
        if clock(line).is_some_and(|n| line.get(n) == Some(&b' ')) && line.get(8) == Some(&b'.') {
            self.devtools_timestamps += 1;
        }
        let first = line.split(|c| *c == b' ').next().unwrap_or(&[]);
        if (first.contains(&b'.') && first.contains(&b':'))
            && !first.starts_with(b"http")
            && first.iter().rposition(|c| *c == b':').is_some_and(|i| {
                digits(&first[i + 1..]) > 0 && i + 1 + digits(&first[i + 1..]) == first.len()
            })
        {
            self.devtools_source += 1;
        }
        // Go's `log` package: `2009/11/10 23:00:00 msg`.
        if line.len() > 20
            && digits(line) == 4
            && line[4] == b'/'
            && line[7] == b'/'
            && line[10] == b' '
            && clock(&line[11..]).is_some()
        {
            self.go_log += 1;
        }
        if has(b"goroutine ") || line.starts_with(b"panic: ") {
            self.go += 1;
        }
        if has(b"Traceback (most recent call last)") || line.starts_with(b"  File \"") {
            self.python += 1;
        }
        if has(b"Exception in thread ")
            || line.starts_with(b"\tat ")
            || line.starts_with(b"Caused by: ")
        {
            self.java += 1;
        }
        if has(b"node:internal") || has(b"(node:") || (line.starts_with(b"    at ") && has(b".js:"))
        {
            self.node += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(line: &str) -> (Shape, Option<Level>, String, String, String, String) {
        let x = fields(line.as_bytes());
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (
            x.shape,
            x.level,
            s(x.tag),
            s(x.process),
            s(x.time),
            s(x.message),
        )
    }

    #[test]
    fn each_layout_gives_its_documented_fields() {
        let cases = [
            ("15:54:58:287 Agora-SDK [ERROR]: [client-be997] join failed", Shape::WebSdk, Some(Level::Error), "Agora-SDK", "", "15:54:58:287", "[client-be997] join failed"),
            ("AgoraRTC_N.js:5 15:54:58:287 Agora-SDK [WARNING]: x", Shape::WebSdk, Some(Level::Warning), "Agora-SDK", "", "15:54:58:287", "x"),
            ("12-09 10:00:01.078  4803  4810 E AndroidRuntime: FATAL EXCEPTION: main", Shape::LogcatThreadtime, Some(Level::Error), "AndroidRuntime", "4803", "12-09 10:00:01.078", "FATAL EXCEPTION: main"),
            ("2020-03-19 12:49:19.874 17429-17429/com.example E/art: No implementation", Shape::LogcatThreadtime, Some(Level::Error), "art", "17429-17429/com.example", "2020-03-19 12:49:19.874", "No implementation"),
            ("2024-03-29 14:35:32.770 17144-17144 System.err              com.example.demo             W  java.io.IOException: x", Shape::LogcatThreadtime, Some(Level::Warning), "System.err", "17144-17144", "2024-03-29 14:35:32.770", "java.io.IOException: x"),
            ("error\t19:10:45.913237+1000\tUA_source\tAddInstanceForFactory: No factory registered", Shape::OsLog, Some(Level::Error), "UA_source", "", "19:10:45.913237+1000", "AddInstanceForFactory: No factory registered"),
            ("1418\tdefault\t21:23:38.080349+0800\tcoreaudiod\tStopIO finished", Shape::OsLog, Some(Level::Info), "coreaudiod", "", "21:23:38.080349+0800", "StopIO finished"),
            ("[ +354 ms] D/HostConnection( 6786): HostConnection::get() New Host Connection", Shape::LogcatBrief, Some(Level::Debug), "HostConnection", "6786", "", "HostConnection::get() New Host Connection"),
            ("E/flutter (16566): Unhandled Exception", Shape::LogcatBrief, Some(Level::Error), "flutter", "16566", "", "Unhandled Exception"),
            ("12-09 16:12:31.484: W/AGORA_SDK(23357): WARN    (16:12:31:484 |    0)  23556; [cm] x", Shape::LogcatBrief, Some(Level::Warning), "AGORA_SDK", "23357", "12-09 16:12:31.484", "WARN    (16:12:31:484 |    0)  23556; [cm] x"),
            ("ERROR   (16:41:51: 78 |    0)   3494; [cm] session was not terminated", Shape::AgoraNative, Some(Level::Error), "cm", "3494", "16:41:51: 78", "session was not terminated"),
            ("[2025-08-08 15:17:28.605][11996][I][iris_logger.cc:157] reset logger", Shape::Bracketed, Some(Level::Info), "iris_logger.cc:157", "11996", "2025-08-08 15:17:28.605", "reset logger"),
            ("[2023-11-23 16:38:04.500] [53490] [info] [iris_rtc_engine_impl.cc:52] IrisRtcEngineImpl", Shape::Bracketed, Some(Level::Info), "iris_rtc_engine_impl.cc:52", "53490", "2023-11-23 16:38:04.500", "IrisRtcEngineImpl"),
            ("[12345:1207/101010.123:ERROR:gpu_init.cc(523)] Passthrough is not supported", Shape::Chromium, Some(Level::Error), "gpu_init.cc(523)", "12345", "1207/101010.123", "Passthrough is not supported"),
            ("2021-03-04 10:00:00.123456+0800 Runner[1234:56789] [aurioc] failed: -10851", Shape::OsLog, None, "Runner", "1234:56789", "2021-03-04 10:00:00.123456", "[aurioc] failed: -10851"),
            (" ERROR  Error: Native module cannot be null.", Shape::Metro, Some(Level::Error), "", "", "", "Error: Native module cannot be null."),
            ("1>C:\\src\\App.cs(12,7): error CS0246: The type or namespace name 'Agora' could not be found", Shape::MsBuild, Some(Level::Error), "CS0246", "1", "", "The type or namespace name 'Agora' could not be found"),
        ];
        for (line, shape, level, tag, process, time, message) in cases {
            assert_eq!(
                f(line),
                (
                    shape,
                    level,
                    tag.into(),
                    process.into(),
                    time.into(),
                    message.into()
                ),
                "{line}"
            );
        }
        assert_eq!(f("just words").0, Shape::Plain);
    }

    #[test]
    fn the_format_is_named_from_the_first_lines() {
        let web = "15:54:57:101 Agora-SDK [INFO]: [client-be997] Initializing\n15:54:57:140 Agora-SDK [INFO]: [client-be997] start join channel demo, join number: 1\n";
        assert_eq!(detect(web.as_bytes(), "x.log"), Format::WebSdkLog);
        let console = "AgoraRTC_N.js:5 15:54:57:101 Agora-SDK [INFO]: x\nUncaught TypeError: y\n";
        assert_eq!(detect(console.as_bytes(), "x.log"), Format::BrowserConsole);
        let flutter = "Launching lib/main.dart on sdk gphone64 x86 64 in debug mode...\nI/flutter (16566): hi\n";
        assert_eq!(detect(flutter.as_bytes(), "x"), Format::FlutterRun);
        let native = "INFO    (16:41:51: 76 |    0)   3494; [tactics] config\nWARN    (16:41:51: 78 |    0)   3494; [cm] x\n";
        assert_eq!(detect(native.as_bytes(), "x"), Format::AgoraSdkLog);
        assert_eq!(detect(b"", "agoraapi.log"), Format::AgoraApiLog);
        let py = "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nValueError: x\n";
        assert_eq!(detect(py.as_bytes(), "x"), Format::PythonTrace);
    }
}
