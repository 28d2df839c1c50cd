//! One line of a log, classed: an Agora error the catalog explains, another kind of problem (an
//! exception in app code, a library that did not load, a build error naming Agora, a Signaling or
//! agent service error), a stack frame of the problem above, noise of a known family, or not
//! recognised. Lines below warning level are not classed (they are the log's ordinary talk), except
//! that any line may carry a catalog error or a timeline event.

use serde::Serialize;

use super::format::{fields, Fields, Level, Shape};
use super::noise::{self as noise_families, agora_internal, NoiseMatcher};
use super::timeline::{self, EventKind};
use crate::explain::entry::Kind;
use crate::explain::{catalog, log_matcher};

/// What kind of problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// An Agora SDK error or warning the catalog explains.
    AgoraError,
    /// A connection-state change whose reason is a failure.
    ConnectionReason,
    /// An exception raised in the app's code (maybe inside an SDK callback).
    AppException,
    /// A native library (or module) that failed to load.
    LibraryLoad,
    /// A build error naming Agora.
    BuildError,
    /// A Signaling (RTM) or agent service error.
    ServiceError,
    /// The app crashed on a native signal.
    NativeCrash,
}

impl ProblemKind {
    /// The words a user reads.
    pub fn label(self) -> &'static str {
        match self {
            ProblemKind::AgoraError => "Agora SDK error",
            ProblemKind::ConnectionReason => "connection state reason",
            ProblemKind::AppException => "exception in app code",
            ProblemKind::LibraryLoad => "library failed to load",
            ProblemKind::BuildError => "build error naming Agora",
            ProblemKind::ServiceError => "Signaling (RTM) or agent service error",
            ProblemKind::NativeCrash => "native crash",
        }
    }
}

/// A problem one line shows, before merging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// Its kind.
    pub kind: ProblemKind,
    /// The catalog entry's index, for catalog problems.
    pub entry: Option<usize>,
    /// A stable key (`exception.java.lang.NullPointerException`, `library.libagora-rtc-sdk.so`).
    pub key: String,
    /// What it is, in a few words.
    pub title: String,
    /// Whether the line opens a stack trace (its frames follow).
    pub opens_trace: bool,
}

/// The class of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// Not an error or warning line, and no catalog error in it.
    Quiet,
    /// One or more problems.
    Problems(Vec<LineProblem>),
    /// A stack frame (or continuation) of a trace; whether it is inside an Agora SDK.
    Frame {
        /// The frame is in Agora's code (SDK, wrapper, callbacks).
        agora: bool,
        /// The frame as written, trimmed.
        text: String,
    },
    /// Noise of the family with this index in [`super::noise::families`].
    Noise(usize),
    /// An error or warning line placed nowhere.
    Unrecognised,
}

/// A classed line.
#[derive(Debug, Clone)]
pub struct Classed {
    /// Its class.
    pub class: Class,
    /// The timeline event it reports, if any.
    pub event: Option<(EventKind, String)>,
    /// Where its time lies in the line (empty when it has none); cut out only for the lines a
    /// report keeps.
    pub time: std::ops::Range<usize>,
}

/// Catalog entries that describe a normal step, not a failure: a state, or a reason that says the
/// app or the SDK did what it should (joined, rejoined, left, renewed the token, is connecting).
pub const BENIGN_KEYS: &[&str] = &[
    "native.err_ok",
    "native.connection_changed_connecting",
    "native.connection_changed_join_success",
    "native.connection_changed_leave_channel",
    "native.connection_changed_rejoin_success",
    "native.connection_changed_renew_token",
    "native.connection_changed_setting_proxy_server",
    "native.connection_changed_echo_test",
    "native.connection_changed_client_ip_address_changed",
    "native.connection_changed_client_ip_address_changed_by_user",
    "native.connection_changed_interrupted",
    "native.connection_state_connected",
    "native.connection_state_connecting",
    "native.connection_state_disconnected",
    "native.connection_state_reconnecting",
    "web.disconnect.leave",
    "web.state.connected",
    "web.state.connecting",
    "web.state.disconnected",
    "web.state.disconnecting",
    "web.state.reconnecting",
];

/// Catalog entries whose own text says the line is harmless for the call, and the noise family
/// they belong to (by key in [`super::noise::families`]). The native warnings here are the ones
/// Agora's warning table describes as a step the SDK takes by itself (a request put off until a
/// module is ready, another media server tried, a changed network address or port; the catalog's
/// entries quote the table and cite it). Lookup and open-channel timeouts are not here: repeated,
/// they are how an unreachable network shows (<https://github.com/AgoraIO/API-Examples/issues/158>),
/// and audio-device warnings can be a voice app's cause.
pub const HARMLESS_KEYS: &[(&str, &str)] = &[
    ("msg.getstats_not_a_track", "web.sdk_stats_in_newer_browser"),
    ("native.warn_pending", "agora.sdk_internal"),
    (
        "native.warn_open_channel_try_next_vos",
        "agora.sdk_internal",
    ),
    (
        "native.warn_channel_connection_ip_changed",
        "agora.sdk_internal",
    ),
    (
        "native.warn_channel_connection_port_changed",
        "agora.sdk_internal",
    ),
    ("gateway.warn_request_deferred", "agora.sdk_internal"),
];

fn harmless(i: usize) -> Option<usize> {
    let key = &catalog()[i].key;
    let family = HARMLESS_KEYS.iter().find(|(k, _)| k == key)?.1;
    noise_families::index(family)
}

/// Whether catalog entry `i` is a normal step (see [`BENIGN_KEYS`]).
pub(super) fn benign(i: usize) -> bool {
    use std::sync::OnceLock;
    static SET: OnceLock<Vec<bool>> = OnceLock::new();
    SET.get_or_init(|| {
        catalog()
            .iter()
            .map(|e| {
                BENIGN_KEYS.contains(&e.key.as_ref())
                    || matches!(e.kind, Kind::WebConnectionState | Kind::ConnectionState)
                        && e.key != "native.connection_state_failed"
                    // Our own finding keys are not what an SDK logs.
                    || e.kind == Kind::Finding
                    || normal_row(e)
            })
            .collect()
    })[i]
}

/// A row of an official reason or state table that names a normal outcome, not a failure: the
/// tables list every value of their enum (`RTM_CONNECTION_CHANGED_LOGIN_SUCCESS`,
/// `LOCAL_AUDIO_STREAM_REASON_OK`, `CONNECTION_CHANGED_JOIN_SUCCESS`), and a log line naming one
/// says the step worked.
fn normal_row(e: &crate::explain::Entry) -> bool {
    let reason_table = matches!(
        e.kind,
        Kind::RtmReason | Kind::NativeReason | Kind::ConnectionReason | Kind::WebDisconnectReason
    );
    reason_table
        && e.names.iter().any(|n| {
            let n = n.to_ascii_uppercase();
            n.ends_with("_SUCCESS")
                || n.ends_with("_OK")
                || n.ends_with("_NORMAL")
                || n.ends_with("_LEAVE_CHANNEL")
                || n.ends_with("_LOGOUT")
                || n == "OK"
        })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn has_any(hay: &[u8], needles: &[&str]) -> bool {
    needles.iter().any(|n| find(hay, n.as_bytes()).is_some())
}

/// Words that say a line is about Agora's SDKs or services.
const AGORA_WORDS: &[&str] = &[
    "agora",
    "Agora",
    "AGORA",
    "iris_",
    "Iris",
    "RtcEngine",
    "rtc_engine",
    "AgoraRtm",
    "agora_rtm",
];

/// Words that name Agora's SDK itself (a library, a package, its log tag), not merely an app whose
/// package name says "agora": a system component's line naming one of them is not noise.
const SDK_WORDS: &[&str] = &[
    "libagora",
    "io.agora.rtc",
    "io.agora.base",
    "io.agora.rtm",
    "agora-rtc",
    "agora_rtc",
    "AgoraRtc",
    "AgoraRTC",
    "Agora.Rtc",
    "agora::",
    "iris_",
    "AGORA_SDK",
    "Agora-SDK",
    "AgoraRtm",
    "agora_rtm",
];

/// Log tags Agora's SDKs write under (the Web SDK's prefix, the Android SDK's logcat tags).
const SDK_TAGS: &[&[u8]] = &[
    b"Agora-SDK",
    b"AGORA_SDK",
    b"agora.io",
    b"AgoraRTC",
    b"AgoraRtcEngine",
    b"AgoraRTM",
    b"AgoraRtm",
];

/// Frames inside Agora's SDKs, wrappers and callback interfaces.
const AGORA_FRAMES: &[&str] = &[
    "io.agora",
    "agora_rtc_engine",
    "agora_rtm",
    "AgoraRtc",
    "AgoraRTC",
    "Agora.Rtc",
    "Agora.Rtm",
    "agora::",
    "libagora",
    "IRtcEngineEventHandler",
    "RtcEngineEventHandler",
    "agora-rtc-sdk",
    "react-native-agora",
    "agora-electron",
    "package:agora",
    "AgoraRtcEngineKit",
    "AgoraRtcKit",
    "Agora_Unity",
    "agora_rtc",
    "iris",
    "AgoraRtmKit",
];

/// Library-load failures, by the words each platform's loader uses.
const LIBRARY_LOAD: &[&str] = &[
    "UnsatisfiedLinkError",
    "dlopen failed",
    "Library not loaded",
    "DllNotFoundException",
    "cannot open shared object file",
    "Unable to load DLL",
    "could not load library",
    "Could not load library",
    "Failed to load library",
    "failed to load library",
    "image not found",
    "NODE_MODULE_VERSION",
    "was compiled against a different Node.js version",
    "The specified module could not be found",
    "is not a valid Win32 application",
    "EntryPointNotFoundException",
    "MissingPluginException",
    "Native module cannot be null",
    "could not be found within the project",
    "Error loading shared library",
    "undefined symbol",
];

/// Build failures, by the words each build tool uses.
const BUILD: &[&str] = &[
    "error CS",
    "error C",
    "error LNK",
    "error MSB",
    "error: ",
    "FAILURE: Build failed",
    "Could not resolve",
    "Could not find ",
    "could not find compatible versions",
    "No such module",
    "Undefined symbols for architecture",
    "linker command failed",
    "Duplicate class",
    "Execution failed for task",
    "Build FAILED",
    "cannot find symbol",
    "does not exist",
    "unresolved external symbol",
    "package io.agora",
    "framework not found",
    "library not found for",
    "Unresolved reference",
    "isn't defined for the",
    "Cannot resolve symbol",
];

/// Signaling (RTM) and agent (Conversational AI) service words.
const SERVICE: &[&str] = &[
    "RTM",
    "Rtm",
    "rtm_",
    "rtm2",
    "Signaling",
    "conversational-ai",
    "convoai",
    "ConvoAI",
    "/agents/",
    "agent_id",
    "agentId",
];

/// Words that make a line without a level field an error or warning line.
const ERROR_WORDS: &[&str] = &[
    "Error",
    "error",
    "ERROR",
    "xception",
    "Uncaught",
    "Traceback",
    "panic:",
    "FATAL",
    "Fatal",
    "fatal",
    "failed",
    "Failed",
    "FAILED",
    "Unhandled",
    "unhandled",
    "Cannot ",
    "cannot ",
    "Could not",
    "could not",
    "Unable to",
    "unable to",
    "denied",
    "not found",
    // Build tools state a failure without an error word: Gradle's duplicate-class check, Swift's
    // missing module, the Apple linker, CocoaPods' resolver.
    "Duplicate class ",
    "No such module",
    "Undefined symbols",
    "None of your spec sources contain a spec",
    "Unable to find a specification for",
    "Unresolved reference",
    "framework not found",
    // Native crashes, which Apple's and Android's reports state without an error word.
    "EXC_BAD_ACCESS",
    "Fatal signal ",
    "SIGSEGV",
    "SIGABRT",
];
const WARNING_WORDS: &[&str] = &["Warning", "warning", "WARN", "deprecated", "Deprecated"];

/// Counts of nothing (`0 failed`, `0 error(s)`, `0 warnings`): a build or test summary saying all
/// is well, not an error line.
const ZERO_COUNTS: &[&str] = &[
    " 0 failed",
    " 0 errors",
    " 0 error(s)",
    " 0 Error(s)",
    " 0 warnings",
    " 0 warning(s)",
    " 0 Warning(s)",
    " 0 error",
    " 0 warning",
];

/// The line's level: its own field, or for lines without one, what its words say.
fn level_of(f: &Fields<'_>, line: &[u8]) -> Option<Level> {
    if let Some(l) = f.level {
        return Some(l);
    }
    if has_any(line, ZERO_COUNTS) {
        let mut rest = String::from_utf8_lossy(line).into_owned();
        for z in ZERO_COUNTS {
            rest = rest.replace(z, " ");
        }
        if !has_any(rest.as_bytes(), ERROR_WORDS) && !has_any(rest.as_bytes(), WARNING_WORDS) {
            return None;
        }
    }
    if has_any(line, ERROR_WORDS) {
        Some(Level::Error)
    } else if has_any(line, WARNING_WORDS) {
        Some(Level::Warning)
    } else {
        None
    }
}

/// A stack-frame line of any platform: Java/Kotlin/JS `at …`, Python `File "…", line N`, Dart `#N`,
/// Go `\t/path/file.go:N`, Unity `Type:Method () (at Assets/…:N)`, Swift/ObjC numbered frames.
fn frame(m: &[u8]) -> bool {
    let t = m.trim_ascii_start();
    t.starts_with(b"at ")
        || t.starts_with(b"File \"")
        || (t.first() == Some(&b'#') && t.get(1).is_some_and(u8::is_ascii_digit))
        || t.starts_with(b"... ") && t.ends_with(b"more")
        || t.starts_with(b"Caused by: ")
        || t.starts_with(b"Process: ")
        || find(t, b") (at ").is_some()
        || (m.first() == Some(&b'\t') && (find(t, b".go:").is_some()))
        || t.starts_with(b"UnityEngine.")
        || (t.first().is_some_and(u8::is_ascii_digit) && find(t, b" 0x").is_some())
}

/// The words of a native crash report.
const NATIVE_CRASH: &[&str] = &[
    "Fatal signal ",
    "EXC_BAD_ACCESS",
    "EXC_CRASH",
    "Crashed Thread:",
    "Thread 0 Crashed",
    "Thread 1 Crashed",
    "Access violation",
    "SIGSEGV",
    "SIGABRT",
];

/// Logcat tags of Android's crash dumper, whose fatal lines are the tombstone of the crash above.
const CRASH_DUMP_TAGS: &[&[u8]] = &[b"DEBUG", b"crash_dump64", b"crash_dump32", b"libc"];

/// The error name an SDK error line carries (`AgoraRTCError NOT_READABLE`, `ERR_…`, `RTM_ERROR_…`),
/// for a line the catalog has no entry for.
fn sdk_error_name(m: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(m);
    let after = |p: &str| s.find(p).map(|i| &s[i + p.len()..]);
    let name: String = after("AgoraRTCError ")
        .or_else(|| after("AgoraRtcException("))
        .or_else(|| after("AgoraRTCException("))
        .map(|r| {
            r.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect()
        })
        .or_else(|| {
            s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .find(|w| {
                    (w.starts_with("ERR_") || w.starts_with("RTM_ERROR_"))
                        && w.len() > 5
                        && !w.chars().any(|c| c.is_ascii_lowercase())
                })
                .map(str::to_string)
        })?;
    (!name.is_empty()).then_some(name)
}

/// Lines that open a trace before naming its exception.
pub const TRACE_HEADERS: &[&str] = &[
    "FATAL EXCEPTION",
    "Exception in thread",
    "Traceback (most recent call last)",
    "*** Terminating app due to uncaught exception",
    "panic",
];

/// The exception type a line opens a trace with (`java.lang.IllegalStateException`,
/// `TypeError`, `AgoraRTCException`), or a fatal header's words.
fn exception(m: &[u8]) -> Option<String> {
    let t = m.trim_ascii_start();
    for header in TRACE_HEADERS
        .iter()
        .map(|h| h.as_bytes())
        .filter(|h| *h != b"panic")
    {
        if t.starts_with(header) {
            // The type comes on a later line; name the header until then.
            return Some(String::from_utf8_lossy(header).into_owned());
        }
    }
    if let Some(p) = t.strip_prefix(b"panic: ") {
        let _ = p;
        return Some("panic".into());
    }
    // `[prefix] Unhandled Exception: Type: message`, `Uncaught (in promise) Type: message`,
    // `Caused by: Type: message`, `Type: message`.
    let mut s = t;
    for prefix in [
        &b"Caused by: "[..],
        b"Uncaught (in promise) ",
        b"Uncaught ",
        b"Unhandled exception: ",
    ] {
        if let Some(r) = s.strip_prefix(prefix) {
            s = r;
        }
    }
    if let Some(at) = find(s, b"Unhandled Exception: ") {
        s = &s[at + 21..];
    }
    let n = s
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'$'))
        .count();
    let name = &s[..n];
    let last = name.rsplit(|c| *c == b'.').next().unwrap_or(name);
    let is_type = last.ends_with(b"Exception")
        || last.ends_with(b"Error") && last.first().is_some_and(u8::is_ascii_uppercase);
    if is_type && (s.get(n) == Some(&b':') || n == s.len() || s.get(n) == Some(&b'(')) {
        return Some(String::from_utf8_lossy(name).into_owned());
    }
    None
}

/// A Swift runtime trap (`Fatal error: Unexpectedly found nil while unwrapping an Optional value`,
/// `Fatal error: Index out of range`): the app (or a wrapper's Swift code) stopped itself.
fn swift_trap(m: &[u8]) -> bool {
    let t = m.trim_ascii_start();
    let t = t
        .strip_prefix(b"Thread 1: ")
        .or_else(|| find(t, b": Fatal error: ").map(|at| &t[at + 2..]))
        .unwrap_or(t);
    t.starts_with(b"Fatal error: ")
}

/// The SDKs' error callbacks, as apps and wrappers print them (`onError err: 1502`, the iOS delegate
/// `rtcEngine:didOccurError:`, Unity's `OnError`, Electron's `error` event as `onError`).
const ERROR_CALLBACKS: &[&str] = &["onError", "OnError", "didOccurError", "onErrorEvent"];

/// The error number an SDK error callback line reports (the first integer after the callback's
/// name), when the catalog has no entry for it: the SDK said "error", so the line is a problem even
/// when the number is not one the official tables list.
fn callback_code(m: &[u8]) -> Option<String> {
    let at = ERROR_CALLBACKS
        .iter()
        .find_map(|c| find(m, c.as_bytes()).map(|i| i + c.len()))?;
    let rest = &m[at..];
    // The number must come soon after the name (`onError err: 1502`, `onError(1003, …)`).
    let start = rest.iter().take(24).position(u8::is_ascii_digit)?;
    let neg = start > 0 && rest[start - 1] == b'-';
    let n = rest[start..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let digits = std::str::from_utf8(&rest[start..start + n]).ok()?;
    if digits.trim_start_matches('0').is_empty()
        || rest
            .get(start + n)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'.')
    {
        return None;
    }
    Some(format!("{}{digits}", if neg { "-" } else { "" }))
}

/// The length of a DevTools source prefix (`AgoraRTCSDK-3.3.1.js:2 `, `app.js:212 `) at the start of a
/// console line: the script the browser attributes the line to, not part of what it says.
fn devtools_source(line: &[u8]) -> usize {
    let Some(sp) = memchr::memchr(b' ', line) else {
        return 0;
    };
    let word = &line[..sp];
    let Some(colon) = memchr::memrchr(b':', word) else {
        return 0;
    };
    let file = &word[..colon];
    let line_no = &word[colon + 1..];
    if !line_no.is_empty()
        && line_no.iter().all(u8::is_ascii_digit)
        && (file.ends_with(b".js") || file.ends_with(b".mjs") || file.ends_with(b".ts"))
    {
        sp + 1
    } else {
        0
    }
}

/// The library a load failure names (`libagora-rtc-sdk.so`, `AgoraRtcKit.framework`, `agora_rtc_sdk.dll`).
fn library_name(m: &[u8]) -> String {
    let s = String::from_utf8_lossy(m);
    for w in s.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ',' | '(' | ')'))
    {
        let w = w.trim_end_matches(['.', ':', ';']);
        let base = w.rsplit(['/', '\\']).next().unwrap_or(w);
        if [".so", ".dll", ".dylib", ".framework", ".node", ".bundle"]
            .iter()
            .any(|x| base.ends_with(x) || base.contains(&format!("{x}.")))
        {
            return base.to_string();
        }
    }
    String::new()
}

/// Classes lines for one log format (the noise families and the catalog are shared).
pub struct Classifier {
    noise: NoiseMatcher,
}

impl Default for Classifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Classifier {
    /// Build the noise matcher (the catalog matchers are built once per process).
    pub fn new() -> Classifier {
        Classifier {
            noise: NoiseMatcher::new(),
        }
    }

    /// The line's fields; the native SDK's lines inside logcat (tag AGORA_SDK) carry their own layout.
    fn line_fields<'a>(&self, line: &'a [u8]) -> Fields<'a> {
        let f = fields(line);
        let logcat = matches!(f.shape, Shape::LogcatBrief | Shape::LogcatThreadtime);
        if logcat && f.message.first().is_some_and(u8::is_ascii_uppercase) {
            if let Some(inner) = super::format::agora_native(f.message) {
                return Fields {
                    time: if f.time.is_empty() {
                        inner.time
                    } else {
                        f.time
                    },
                    ..inner
                };
            }
        }
        f
    }

    /// Class one line. `catalog_words`: the line holds a catalog literal or paste-shape word, so the
    /// catalog is asked.
    pub fn classify(&self, line: &[u8], catalog_words: bool) -> Classed {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let f = self.line_fields(line);
        let time = time_range(line, &f);
        let event = timeline::event(f.message);
        let mut problems = Vec::new();
        // A system component's line (a logcat tag of a noise family) that does not name Agora is
        // not read for error numbers: `eglSurfaceAttrib: error 0x3009` is the emulator's GPU.
        let system_line = self.noise.by_tag(f.tag).is_some() && !has_any(line, SDK_WORDS);
        // Every entry the line names is a normal step or harmless: the line is that noise.
        let mut noise = None;
        // A state callback printed positionally (`onConnectionStateChanged(5, 8)`): asked of the
        // catalog as the named form it stands for.
        let named;
        let asked: &[u8] = match timeline::positional_pair(f.message) {
            Some((state, reason)) => {
                let at = find(f.message, b"StateChanged(").unwrap_or(0);
                named = format!(
                    "{}StateChanged(state: {state}, reason: {reason})",
                    String::from_utf8_lossy(&f.message[..at])
                );
                named.as_bytes()
            }
            None => line,
        };
        if (catalog_words || asked.len() != line.len()) && !system_line {
            let answer = log_matcher().classify_detailed(asked);
            // A number several products use, in a line that does not say which SDK wrote it: its
            // most common meaning, once.
            let keep = if answer.ambiguous { 1 } else { usize::MAX };
            for &i in answer.entries.iter().take(keep) {
                if benign(i) {
                    continue;
                }
                if let Some(family) = harmless(i) {
                    noise = noise.or(Some(family));
                    continue;
                }
                let e = &catalog()[i];
                let kind = match e.kind {
                    Kind::ConnectionReason | Kind::WebDisconnectReason | Kind::ConnectionState => {
                        ProblemKind::ConnectionReason
                    }
                    Kind::RtmLoginError | Kind::RtmError => ProblemKind::ServiceError,
                    _ => ProblemKind::AgoraError,
                };
                problems.push(LineProblem {
                    kind,
                    entry: Some(i),
                    key: e.key.to_string(),
                    title: e.title.to_string(),
                    opens_trace: exception(f.message).is_some(),
                });
            }
        }
        // The SDKs' own notices that need no action (`WS_ABORT` after a leave) hold an error name
        // the catalog knows: the notice's shape wins.
        if !problems.is_empty() {
            if let Some(family) = self.noise.agora_notice(f.message) {
                return Classed {
                    class: Class::Noise(family),
                    event,
                    time,
                };
            }
        }
        if problems.is_empty() {
            if let Some(family) = noise {
                return Classed {
                    class: Class::Noise(family),
                    event,
                    time,
                };
            }
        }
        // One spelling in several products' tables (`NETWORK_ERROR` is the Web SDK's and Chat's):
        // the first product the matcher ranks keeps the line, as the single-message reader does
        // when the paste names no other product.
        if let Some(first) = problems.iter().find_map(|p| p.entry) {
            let product = catalog()[first].product;
            problems.retain(|p| p.entry.is_none_or(|i| catalog()[i].product == product));
        }
        if problems.is_empty() && !system_line {
            if let Some(code) = callback_code(f.message) {
                problems.push(LineProblem {
                    kind: ProblemKind::AgoraError,
                    entry: None,
                    key: format!("agora.error.{code}"),
                    title: format!(
                        "the SDK's error callback reported error {code} (not in the official tables)"
                    ),
                    opens_trace: false,
                });
            }
        }
        if !problems.is_empty() {
            return Classed {
                class: Class::Problems(problems),
                event,
                time,
            };
        }
        let level = level_of(&f, line);
        let alarm = level.is_some_and(Level::is_alarm);
        if !alarm {
            return Classed {
                class: self.quiet_class(line),
                event,
                time,
            };
        }
        let class = self.alarm_class(&f, line, level.unwrap_or(Level::Error));
        Classed { class, event, time }
    }

    /// Class a line the fast path found to hold no catalog literal and no error or warning word:
    /// its timeline event, and whether it has a harmless family's shape.
    /// `noise_shape`: the line holds a harmless family's text.
    pub fn classify_quiet(&self, line: &[u8], noise_shape: bool) -> Classed {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let f = self.line_fields(line);
        let time = time_range(line, &f);
        Classed {
            class: if noise_shape {
                self.quiet_class(line)
            } else {
                Class::Quiet
            },
            event: timeline::event(f.message),
            time,
        }
    }

    /// A line below warning level is noise when it has a harmless family's shape (browsers print
    /// the autoplay and Permissions-Policy warnings without a level word in a saved console) and,
    /// past a console's source prefix, does not name Agora.
    fn quiet_class(&self, line: &[u8]) -> Class {
        let said = &line[devtools_source(line)..];
        match self.noise.any_text(said) {
            Some((family, true)) if has_any(said, AGORA_WORDS) => Class::Noise(family),
            // Another component's shape on a line naming Agora is Agora's line, not noise (a later
            // shape may still be an Agora notice); an Agora notice's shape on a line that does not
            // name Agora is another component's (a later shape may be its family's).
            Some((family, false)) if !has_any(said, AGORA_WORDS) => Class::Noise(family),
            Some(_) if has_any(said, AGORA_WORDS) => self
                .noise
                .agora_notice(said)
                .map_or(Class::Quiet, Class::Noise),
            Some(_) => self.noise.by_text(said).map_or(Class::Quiet, Class::Noise),
            None => Class::Quiet,
        }
    }

    /// The class of a warning or error line the catalog does not explain.
    fn alarm_class(&self, f: &Fields<'_>, line: &[u8], level: Level) -> Class {
        let m = f.message;
        let names_agora = has_any(line, AGORA_WORDS);
        // The SDKs' own notices that need no action (a string user ID, a render statistic), on
        // lines that are Agora's (another component's deprecation is its own family's).
        if names_agora || SDK_TAGS.contains(&f.tag) {
            if let Some(family) = self.noise.agora_notice(m) {
                return Class::Noise(family);
            }
        }
        if frame(m) {
            // A frame a system component printed (`W/System.err: at libcore.io…`, a warning's
            // trace) is that component's noise, unless it is in Agora's code.
            if let Some(family) = self.noise.by_tag(f.tag) {
                if level < Level::Fatal && !has_any(line, SDK_WORDS) {
                    return Class::Noise(family);
                }
            }
            return Class::Frame {
                agora: has_any(m, AGORA_FRAMES),
                text: String::from_utf8_lossy(m.trim_ascii()).into_owned(),
            };
        }
        let system_tag = self.noise.by_tag(f.tag);
        // A native crash: the kernel's signal as the runtime reports it (`Fatal signal 11 (SIGSEGV)`
        // from libc on Android, `Thread N Crashed`, `EXC_BAD_ACCESS` on Apple platforms). It is
        // the app's end whichever library crashed; its tombstone's frames name the library.
        if has_any(m, NATIVE_CRASH) {
            return problem(
                ProblemKind::NativeCrash,
                "crash.native_signal".into(),
                "the app crashed on a native signal".into(),
                true,
            );
        }
        if level >= Level::Fatal && CRASH_DUMP_TAGS.contains(&f.tag) {
            return Class::Frame {
                agora: has_any(m, AGORA_FRAMES),
                text: String::from_utf8_lossy(m.trim_ascii()).into_owned(),
            };
        }
        if has_any(m, LIBRARY_LOAD) && (names_agora || system_tag.is_none()) {
            let lib = library_name(m);
            return problem(
                ProblemKind::LibraryLoad,
                format!("library.{}", if lib.is_empty() { "unnamed" } else { &lib }),
                if lib.is_empty() {
                    "a native library or module failed to load".into()
                } else {
                    format!("{lib} failed to load")
                },
                exception(m).is_some(),
            );
        }
        if swift_trap(m) {
            return problem(
                ProblemKind::AppException,
                "exception.Swift.FatalError".into(),
                "Swift runtime trap (Fatal error) raised".into(),
                true,
            );
        }
        if (f.shape == Shape::MsBuild || has_any(m, BUILD)) && names_agora && level >= Level::Error
        {
            let code = if f.shape == Shape::MsBuild {
                String::from_utf8_lossy(f.tag).into_owned()
            } else {
                "build".into()
            };
            return problem(
                ProblemKind::BuildError,
                format!("build.{code}"),
                format!("the build failed on Agora ({code})"),
                false,
            );
        }
        if let Some(ty) = exception(m) {
            let fatal = level >= Level::Error
                || has_any(
                    line,
                    &["FATAL", "Uncaught", "Unhandled", "Traceback", "panic"],
                );
            if fatal && system_tag.is_none() {
                return problem(
                    ProblemKind::AppException,
                    format!("exception.{ty}"),
                    format!("{ty} raised"),
                    true,
                );
            }
        }
        if level >= Level::Error
            && has_any(line, SERVICE)
            && (names_agora || has_any(line, &["RTM", "agent", "Agent"]))
        {
            let which = if has_any(line, &["RTM", "Rtm", "rtm_", "rtm2", "Signaling"]) {
                "rtm"
            } else {
                "agent"
            };
            return problem(
                ProblemKind::ServiceError,
                format!("service.{which}"),
                if which == "rtm" {
                    "the Signaling (RTM) service reported an error".into()
                } else {
                    "the agent service reported an error".into()
                },
                false,
            );
        }
        if let Some(family) = system_tag {
            // `System.err` carries the app's own caught exceptions: one that names Agora (a host,
            // a class) is the app's line, not the system's.
            let app_words = f.tag == b"System.err" && has_any(m, AGORA_WORDS);
            if !has_any(line, SDK_WORDS) && !app_words {
                return Class::Noise(family);
            }
        }

        if !names_agora {
            if let Some(family) = self.noise.by_text(line) {
                return Class::Noise(family);
            }
        }
        // The Electron SDK prints its debug trace (each API call and its result) with
        // `console.warn` under the prefix `[Agora Debug]: `, so it reaches a console as warnings.
        let electron_sdk_trace = m
            .strip_prefix(b"\"")
            .unwrap_or(m)
            .starts_with(b"[Agora Debug]:");
        let agora_sdk_line = SDK_TAGS.contains(&f.tag)
            || f.shape == Shape::AgoraNative
            || (f.shape == Shape::Bracketed && names_agora)
            || electron_sdk_trace
            || find(m, b"[Iris warning]").is_some();
        if agora_sdk_line && level == Level::Warning {
            return Class::Noise(agora_internal());
        }
        if names_agora {
            // An Agora line of a known harmless shape is still noise (`Agora-SDK [WARNING]: … source map`).
            if let Some(family) = self.noise.by_text(m) {
                if !has_any(m, AGORA_WORDS) {
                    return Class::Noise(family);
                }
            }
        }
        // An error line the SDK wrote (or one naming its library or package) that the catalog does
        // not explain: recognised as Agora's, not explained. It is still a problem, shown with its
        // own words, so that it is never lost among the unrecognised lines.
        // An exception in Agora's own package (`io.agora.rtc2.…Exception`) at any level.
        let sdk_exception = exception(m).is_some_and(|t| has_any(t.as_bytes(), SDK_WORDS));
        if (level >= Level::Error || sdk_exception) && (agora_sdk_line || has_any(line, SDK_WORDS))
        {
            return match sdk_error_name(m) {
                Some(name) => problem(
                    ProblemKind::AgoraError,
                    format!("agora.error.{name}"),
                    format!("the Agora SDK reported {name} (recognised, not in the catalog)"),
                    exception(m).is_some(),
                ),
                None => problem(
                    ProblemKind::AgoraError,
                    "agora.error_line".into(),
                    "an error line of the Agora SDK (recognised, not explained by the catalog)"
                        .into(),
                    exception(m).is_some(),
                ),
            };
        }
        Class::Unrecognised
    }
}

/// Where the line's time lies in it.
fn time_range(line: &[u8], f: &Fields<'_>) -> std::ops::Range<usize> {
    if f.time.is_empty() {
        0..0
    } else {
        let at = f.time.as_ptr() as usize - line.as_ptr() as usize;
        at..at + f.time.len()
    }
}

fn problem(kind: ProblemKind, key: String, title: String, opens_trace: bool) -> Class {
    Class::Problems(vec![LineProblem {
        kind,
        entry: None,
        key,
        title,
        opens_trace,
    }])
}

/// Every trigger of the fast path beyond the catalog's own literals: level fields, problem words,
/// stack frames and timeline events. A line holding none of them and no catalog literal is neither
/// an error or warning line nor an event, and is never cut out of its chunk.
pub fn triggers() -> Vec<&'static str> {
    let mut t = alarm_triggers();
    t.extend(timeline::TRIGGERS);
    t.sort_unstable();
    t.dedup();
    t
}

/// The fast path's triggers that can make a line an error or warning line (level fields, problem
/// words, frames, library loads), without the timeline's.
pub fn alarm_triggers() -> Vec<&'static str> {
    let mut t: Vec<&'static str> = vec![
        // Level fields: logcat threadtime and brief, the Web SDK, agorasdk.log, spdlog, Chromium,
        // Metro, MSBuild.
        " E ",
        " W ",
        " F ",
        "E/",
        "W/",
        "F/",
        "[ERROR]",
        "[WARNING]",
        "[WARN]",
        "[error]",
        "[warn]",
        "[warning]",
        "[E]",
        "[W]",
        "[F]",
        "[critical]",
        "[fatal]",
        "ERROR",
        "WARN",
        "FATAL",
        // Frames.
        "\tat ",
        "    at ",
        "  File \"",
        "#0 ",
        ") (at ",
    ];
    t.extend(ERROR_WORDS);
    t.extend(WARNING_WORDS);
    t.extend(LIBRARY_LOAD);
    t.sort_unstable();
    t.dedup();
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(line: &str) -> Class {
        Classifier::new().classify(line.as_bytes(), true).class
    }

    fn key(line: &str) -> String {
        match class(line) {
            Class::Problems(p) => p[0].key.clone(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn every_benign_or_harmless_key_is_in_the_catalog() {
        for (k, family) in HARMLESS_KEYS {
            assert!(
                catalog().iter().any(|e| e.key == *k),
                "{k} is not a catalog key"
            );
            assert!(
                noise_families::index(family).is_some(),
                "{k}: no family {family}"
            );
        }
        for k in BENIGN_KEYS {
            assert!(
                catalog().iter().any(|e| e.key == *k),
                "{k} is not a catalog key"
            );
        }
    }

    #[test]
    fn lines_fall_in_their_class() {
        assert_eq!(
            key("12-09 10:00:01.078  4803  4803 E AndroidRuntime: java.lang.NullPointerException: Attempt to invoke virtual method"),
            "exception.java.lang.NullPointerException"
        );
        assert!(matches!(
            class("12-09 10:00:01.078  4803  4803 E AndroidRuntime: \tat io.agora.rtc2.internal.RtcEngineImpl.onJoinChannelSuccess(RtcEngineImpl.java:123)"),
            Class::Frame { agora: true, .. }
        ));
        let family = |k: &str| Class::Noise(noise_families::index(k).unwrap());
        assert_eq!(class("12-09 10:00:01.078  1234  1290 E EGL_emulation: tid 1290: eglSurfaceAttrib(1493): error 0x3009"), family("emulator.graphics_radio"));
        assert_eq!(
            class("E/libc    (25072): Access denied finding property \"net.dns1\""),
            family("android.system")
        );
        assert_eq!(
            class("DevTools failed to load source map: Could not load content for x.js.map"),
            family("browser.devtools")
        );
        assert_eq!(class("I/flutter (16566): everything fine"), Class::Quiet);
        assert_eq!(
            key("1>C:\\app\\Main.cs(3,7): error CS0246: The type or namespace name 'Agora' could not be found"),
            "build.CS0246"
        );
        assert_eq!(
            class("E/flutter (1): something odd happened to the widget tree"),
            Class::Unrecognised
        );
        assert_eq!(class("WARN    (16:41:51: 78 |    0)   3494; [cm] session 'X' was not joined successfully"), Class::Noise(agora_internal()));
        // A benign reason is a timeline event, not a problem.
        let c = Classifier::new().classify(
            b"I/flutter (1): onConnectionStateChanged(state: 3, reason: 1)",
            true,
        );
        assert_eq!(c.class, Class::Quiet);
        assert_eq!(c.event.map(|e| e.0), Some(EventKind::StateChange));
    }
}
