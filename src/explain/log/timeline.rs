//! The session's timeline: join attempts and results, connection state changes with their reasons,
//! token expiry and renewal, publish and subscribe, leave — read from what the SDKs log for them
//! (the Web SDK's `start join channel`, `Joining channel success`, `connection state change: A -> B`;
//! the native callbacks' names `onJoinChannelSuccess`, `onConnectionStateChanged`,
//! `onTokenPrivilegeWillExpire`, which apps and wrappers print; the Web events
//! `token-privilege-will-expire`, `token-privilege-did-expire`).

use serde::Serialize;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The SDK (its engine or client) was created or initialised.
    SdkStarted,
    /// A join was started.
    JoinStart,
    /// The join succeeded (or a rejoin).
    Joined,
    /// The join failed.
    JoinFailed,
    /// The connection state changed.
    StateChange,
    /// The token will expire soon (the SDK's 30-second warning).
    TokenWillExpire,
    /// The token expired, or the SDK asked for a new one.
    TokenExpired,
    /// A new token was given to the SDK.
    TokenRenewed,
    /// Local audio (or other tracks) published.
    Published,
    /// A remote user's track subscribed.
    Subscribed,
    /// Left the channel.
    Left,
    /// A remote user joined the channel.
    RemoteJoined,
    /// A remote user left (or went offline).
    RemoteLeft,
    /// A problem (the first line of each distinct problem the report lists above).
    Problem,
    /// A family of harmless lines begins (shown only in a log with no session event).
    Noise,
    /// An error or warning line nothing placed (the first; shown only in a log with no session
    /// event).
    Unrecognised,
}

impl EventKind {
    /// The words a user reads.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::SdkStarted => "SDK started",
            EventKind::JoinStart => "join started",
            EventKind::Joined => "joined",
            EventKind::JoinFailed => "join failed",
            EventKind::StateChange => "connection",
            EventKind::TokenWillExpire => "token will expire",
            EventKind::TokenExpired => "token expired",
            EventKind::TokenRenewed => "token renewed",
            EventKind::Published => "published",
            EventKind::Subscribed => "subscribed",
            EventKind::Left => "left",
            EventKind::RemoteJoined => "remote user joined",
            EventKind::RemoteLeft => "remote user left",
            EventKind::Problem => "problem",
            EventKind::Noise => "harmless noise begins",
            EventKind::Unrecognised => "error line not recognised",
        }
    }
}

/// One event, as read from one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// The line's time as written (empty when the line has none).
    pub time: String,
    /// 1-based line number (the first of a run of repeats).
    pub line: u64,
    /// Details: the states and reason, the channel, the uid.
    pub detail: String,
    /// How many times in a row the same event was logged (1 = once).
    pub repeats: u64,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim().to_string()
}

/// The word (identifier characters) at the start of `b`.
fn word(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-' || **c == b'.')
        .count();
    &b[..n]
}

/// The value after `key` (`reason: 8`, `state=5`, `"curState":"CONNECTED"`).
fn value_after<'a>(m: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let at = find(m, key)?;
    let r = &m[at + key.len()..];
    let skip = r
        .iter()
        .take_while(|c| matches!(c, b':' | b'=' | b' ' | b'"' | b'\''))
        .count();
    let w = word(&r[skip..]);
    (!w.is_empty()).then_some(w)
}

/// The two integers a callback was printed with positionally (`onConnectionStateChanged(5, 8)`,
/// `onLocalAudioStateChanged(3, 2)`): the state and the reason.
pub fn positional_pair(m: &[u8]) -> Option<(u32, u32)> {
    let at = find(m, b"StateChanged(")? + 13;
    let r = &m[at..];
    let close = memchr::memchr(b')', r)?;
    let mut nums = r[..close].split(|c| *c == b',').map(|p| {
        std::str::from_utf8(p.trim_ascii())
            .ok()
            .and_then(|t| t.parse::<u32>().ok())
    });
    let (Some(Some(a)), Some(Some(b)), None) = (nums.next(), nums.next(), nums.next()) else {
        return None;
    };
    Some((a, b))
}

/// The event a message reports, if any: (kind, detail).
pub fn event(message: &[u8]) -> Option<(EventKind, String)> {
    let m = message;
    let has = |n: &[u8]| find(m, n).is_some();
    // Connection state changes first: they carry reasons.
    if let Some(at) = super::format::pub_state_change()
        .find(m)
        .or_else(|| find(m, b"state changed: "))
    {
        let r = &m[at..];
        let colon = memchr::memchr(b':', r).unwrap_or(0);
        let r = &r[colon + 1..];
        let arrow = find(r, b"->")?;
        let from = word(r[..arrow].trim_ascii());
        let to = word(r[arrow + 2..].trim_ascii_start());
        let reason = super::format::pub_reason()
            .find(r)
            .and_then(|at| value_after(&r[at..], b"reason"));
        let mut d = format!("{} -> {}", text(from), text(to));
        if let Some(reason) = reason {
            d.push_str(&format!(", reason {}", text(reason)));
        }
        return Some((EventKind::StateChange, d));
    }
    if has(b"connection state changed from ") {
        // agorasdk.log 3.x: `[cm] connection state changed from 1 to 2`
        let at = find(m, b"changed from ")? + 13;
        let from = word(&m[at..]);
        let to = value_after(&m[at..], b" to ").unwrap_or(b"?");
        return Some((
            EventKind::StateChange,
            format!("{} -> {}", text(from), text(to)),
        ));
    }
    if has(b"ConnectionStateChanged")
        || has(b"connection-state-change")
        || has(b"connectionStateChanged")
    {
        // Positional, as apps print the callback's arguments: `onConnectionStateChanged(5, 8)`.
        if let Some((state, reason)) = positional_pair(m) {
            return Some((
                EventKind::StateChange,
                format!("-> {state}, reason {reason}"),
            ));
        }
        let state = value_after(m, b"curState")
            .or_else(|| value_after(m, b"state"))
            .or_else(|| value_after(m, b"State"));
        let prev = value_after(m, b"prevState");
        let reason = value_after(m, b"reason").or_else(|| value_after(m, b"Reason"));
        let mut d = match (prev, state) {
            (Some(p), Some(s)) => format!("{} -> {}", text(p), text(s)),
            (None, Some(s)) => format!("-> {}", text(s)),
            _ => String::new(),
        };
        if let Some(reason) = reason {
            if !d.is_empty() {
                d.push_str(", ");
            }
            d.push_str(&format!("reason {}", text(reason)));
        }
        if d.is_empty() {
            return None;
        }
        return Some((EventKind::StateChange, d));
    }
    if let Some(at) = find(m, b"connectionChangedTo") {
        // The iOS/macOS delegate `rtcEngine(_:connectionChangedTo:reason:)`, as apps print it.
        let r = &m[at + 19..];
        let state = value_after(r, b"state").or_else(|| value_after(r, b""));
        let reason = value_after(r, b"reason");
        let mut d = state.map(|s| format!("-> {}", text(s))).unwrap_or_default();
        if let Some(reason) = reason {
            if !d.is_empty() {
                d.push_str(", ");
            }
            d.push_str(&format!("reason {}", text(reason)));
        }
        return Some((EventKind::StateChange, d));
    }
    if has(b"Initializing AgoraRTC client")
        || has(b"Creating client, MODE")
        || has(b"createAgoraRtcEngine")
        || has(b"RtcEngine.create(")
        || has(b"RtcEngine created")
        || has(b"sharedEngineWith")
        || has(b"EngineInitialize")
        || has(b"RtcEngine_initialize")
        || has(b"engine initialized")
    {
        // The Web SDK names its version (`Initializing AgoraRTC client v4.0.1 build: …`).
        let version = find(m, b"AgoraRTC client v")
            .map(|at| text(word(&m[at + 17..])))
            .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
            .map(|v| format!("version {}", v.trim_end_matches('.')))
            .unwrap_or_default();
        return Some((EventKind::SdkStarted, version));
    }
    if has(b"Joining channel failed") || has(b"joinChannel failed") || has(b"join failed") {
        return Some((EventKind::JoinFailed, String::new()));
    }
    if has(b"Joining channel success")
        || has(b"JoinChannelSuccess")
        || has(b"joinChannelSuccess")
        || has(b"RejoinChannelSuccess")
        || has(b"didJoinChannel")
        || has(b"didRejoinChannel")
        || has(b"joinedChannel")
    {
        let channel = value_after(m, b"channel: ").map(text).unwrap_or_default();
        let uid = value_after(m, b"uid").map(text);
        let mut d = if channel.is_empty() || channel == "success" {
            String::new()
        } else {
            format!("channel {channel}")
        };
        if let Some(uid) = uid {
            d.push_str(&format!(
                "{}uid {uid}",
                if d.is_empty() { "" } else { ", " }
            ));
        }
        return Some((EventKind::Joined, d));
    }
    if has(b"start join channel")
        || has(b"RtcEngine_joinChannel")
        || has(b"joinChannel(")
        || has(b"joinChannelEx(")
        || has(b"joinChannelByToken")
        || has(b"Joining channel: ")
    {
        // 4.x `start join channel NAME`; 3.x `Joining channel: NAME`.
        let channel = find(m, b"start join channel ")
            .map(|at| text(word(&m[at + 19..])))
            .or_else(|| find(m, b"Joining channel: ").map(|at| text(word(&m[at + 17..]))))
            .unwrap_or_default();
        return Some((
            EventKind::JoinStart,
            if channel.is_empty() {
                String::new()
            } else {
                format!("channel {channel}")
            },
        ));
    }
    if has(b"TokenPrivilegeWillExpire")
        || has(b"token-privilege-will-expire")
        || has(b"tokenPrivilegeWillExpire")
    {
        return Some((EventKind::TokenWillExpire, String::new()));
    }
    if has(b"TokenPrivilegeDidExpire")
        || has(b"token-privilege-did-expire")
        || has(b"onRequestToken")
        || has(b"RequestToken(")
    {
        return Some((EventKind::TokenExpired, String::new()));
    }
    if has(b"renewToken success") || has(b"RtcEngine_renewToken") || has(b"renewToken(") {
        return Some((EventKind::TokenRenewed, String::new()));
    }
    if has(b"Publish success") || has(b"publish success") {
        return Some((EventKind::Published, String::new()));
    }
    if has(b"subscribe success user") {
        let uid = find(m, b"subscribe success user ")
            .map(|at| text(word(&m[at + 23..])))
            .unwrap_or_default();
        let media = value_after(m, b"mediaType").map(text).unwrap_or_default();
        return Some((
            EventKind::Subscribed,
            format!(
                "uid {uid}{}",
                if media.is_empty() {
                    String::new()
                } else {
                    format!(", {media}")
                }
            ),
        ));
    }
    if has(b"Leaving channel success")
        || has(b"leave channel success")
        || has(b"LeaveChannel")
        || has(b"leaveChannel")
        || has(b"didLeaveChannel")
    {
        return Some((EventKind::Left, String::new()));
    }
    // Remote users: the native callbacks `onUserJoined`/`onUserOffline` (Unity `OnUserJoined`,
    // Electron `userJoined`), the iOS delegate's `didJoinedOfUid`/`didOfflineOfUid`, the Web SDK's
    // events `user-joined`/`user-left`.
    let uid = || {
        value_after(m, b"remoteUid")
            .or_else(|| value_after(m, b"uid"))
            .or_else(|| value_after(m, b"OfUid"))
            .map(|u| format!("uid {}", text(u)))
            .unwrap_or_default()
    };
    if has(b"UserJoined") || has(b"userJoined") || has(b"user-joined") || has(b"didJoinedOfUid") {
        return Some((EventKind::RemoteJoined, uid()));
    }
    if has(b"UserOffline") || has(b"userOffline") || has(b"user-left") || has(b"didOfflineOfUid") {
        return Some((EventKind::RemoteLeft, uid()));
    }
    None
}

/// The words whose presence makes a line worth reading for [`event`] (for the log's fast path).
pub const TRIGGERS: &[&str] = &[
    "Initializing AgoraRTC client",
    "Creating client, MODE",
    "createAgoraRtcEngine",
    "RtcEngine.create(",
    "RtcEngine created",
    "sharedEngineWith",
    "EngineInitialize",
    "RtcEngine_initialize",
    "engine initialized",
    "state change: ",
    "state changed",
    "ConnectionStateChanged",
    "connectionStateChanged",
    "connection-state-change",
    "Joining channel",
    "joinChannel",
    "JoinChannel",
    "join failed",
    "start join channel",
    "TokenPrivilege",
    "token-privilege",
    "tokenPrivilege",
    "RequestToken",
    "renewToken",
    "ublish success",
    "subscribe success",
    "Leaving channel success",
    "leave channel success",
    "LeaveChannel",
    "leaveChannel",
    "connectionChangedTo",
    "didJoinChannel",
    "didRejoinChannel",
    "didLeaveChannel",
    "joinedChannel",
    "UserJoined",
    "userJoined",
    "user-joined",
    "didJoinedOfUid",
    "UserOffline",
    "userOffline",
    "user-left",
    "didOfflineOfUid",
];

/// The most events kept in memory; past it, the earliest half and the latest half are kept and the
/// middle is counted, so memory stays flat on any log.
pub const MAX_KEPT: usize = 400;

/// Events in order, repeats folded, bounded.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timeline {
    /// Kept events, in order.
    pub events: Vec<Event>,
    /// Events not kept (the middle of a very long log).
    pub omitted: u64,
    /// The time of the log's first line that has one, as written (empty when no line has).
    pub first_time: String,
    /// The time of the log's last line that has one.
    pub last_time: String,
    #[serde(skip)]
    tail: std::collections::VecDeque<Event>,
}

impl Timeline {
    /// Add the next event.
    pub fn push(&mut self, e: Event) {
        let last = self.tail.back_mut().or(self.events.last_mut());
        if let Some(last) = last {
            if last.kind == e.kind && last.detail == e.detail {
                last.repeats += e.repeats;
                return;
            }
        }
        if self.events.len() < MAX_KEPT / 2 && self.tail.is_empty() {
            self.events.push(e);
            return;
        }
        self.tail.push_back(e);
        if self.tail.len() > MAX_KEPT / 2 {
            let dropped = self.tail.pop_front().expect("not empty");
            self.omitted += dropped.repeats;
        }
    }

    /// Whether no event was kept.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.tail.is_empty()
    }

    /// Close: the kept tail joins the events.
    pub fn finish(mut self) -> Timeline {
        let tail = std::mem::take(&mut self.tail);
        self.events.extend(tail);
        self
    }
}

/// The outline of a log with times but no session event and no problem: when each family of
/// harmless lines begins and the first line nothing placed, in order, so that the reader still sees
/// what the log's time span holds.
pub fn outline(t: &mut Timeline, noise: &[super::NoiseGroup], unrecognised: &super::Unrecognised) {
    let time_of = |line: &str| {
        String::from_utf8_lossy(super::format::fields(line.as_bytes()).time).into_owned()
    };
    let mut events: Vec<Event> = noise
        .iter()
        .map(|g| Event {
            kind: EventKind::Noise,
            time: time_of(&g.example),
            line: g.first_line,
            detail: format!(
                "{} ({} line{})",
                g.name,
                g.count,
                if g.count == 1 { "" } else { "s" }
            ),
            repeats: 1,
        })
        .collect();
    if let Some(first) = unrecognised.first.first() {
        events.push(Event {
            kind: EventKind::Unrecognised,
            time: time_of(&first.line),
            line: first.line_number,
            detail: String::new(),
            repeats: 1,
        });
    }
    events.sort_by_key(|e| e.line);
    for e in events {
        t.push(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sdk_spelling_gives_its_event() {
        let cases: &[(&str, EventKind, &str)] = &[
            ("[client-c03ea] Initializing AgoraRTC client v4.0.1 build: v4.0.1-0-g05d38ea", EventKind::SdkStarted, "version 4.0.1"),
            ("[time] process EngineInitialize takes 50", EventKind::SdkStarted, ""),
            ("[client-be997] start join channel demo, join number: 1", EventKind::JoinStart, "channel demo"),
            ("[client-be997] Joining channel success: channel: demo,uid: 2001", EventKind::Joined, "channel demo, uid 2001"),
            ("[client-be997] connection state change: CONNECTED -> DISCONNECTED, reason: NETWORK_ERROR", EventKind::StateChange, "CONNECTED -> DISCONNECTED, reason NETWORK_ERROR"),
            ("[client-1] signal connection state change: CONNECTING -> CONNECTED", EventKind::StateChange, "CONNECTING -> CONNECTED"),
            ("[cm] connection state changed from 1 to 2", EventKind::StateChange, "1 -> 2"),
            ("onConnectionStateChanged(state: 5, reason: 8)", EventKind::StateChange, "-> 5, reason 8"),
            ("I/flutter (1): onConnectionStateChanged(5, 8)", EventKind::StateChange, "-> 5, reason 8"),
            ("{\"type\":\"connection-state-change\",\"prevState\":\"CONNECTING\",\"curState\":\"CONNECTED\"}", EventKind::StateChange, "CONNECTING -> CONNECTED"),
            ("[client-1] received message onTokenPrivilegeWillExpire", EventKind::TokenWillExpire, ""),
            ("[client-1] received message onTokenPrivilegeDidExpire, please get new token and join again", EventKind::TokenExpired, ""),
            ("[client-1] renewToken success", EventKind::TokenRenewed, ""),
            ("[client-1] Publish success, id track-1", EventKind::Published, ""),
            ("[client-1] subscribe success user 2001, mediaType: audio", EventKind::Subscribed, "uid 2001, audio"),
            ("[client-1] Leaving channel success", EventKind::Left, ""),
            ("onLeaveChannel stats", EventKind::Left, ""),
        ];
        for (line, kind, detail) in cases {
            assert_eq!(
                event(line.as_bytes()),
                Some((*kind, detail.to_string())),
                "{line}"
            );
            assert!(
                TRIGGERS.iter().any(|t| line.contains(t)),
                "no trigger for {line}"
            );
        }
        assert_eq!(event(b"audio level 3"), None);
    }

    #[test]
    fn repeats_fold_and_memory_is_bounded() {
        let mut t = Timeline::default();
        let ev = |i: u64, d: &str| Event {
            kind: EventKind::StateChange,
            time: String::new(),
            line: i,
            detail: d.into(),
            repeats: 1,
        };
        for i in 0..10 {
            t.push(ev(i, "A -> B"));
        }
        for i in 0..10_000 {
            t.push(ev(100 + i, if i % 2 == 0 { "B -> C" } else { "C -> B" }));
        }
        let t = t.finish();
        assert_eq!(t.events[0].repeats, 10);
        assert!(t.events.len() <= MAX_KEPT);
        let kept: u64 = t.events.iter().map(|e| e.repeats).sum();
        assert_eq!(kept + t.omitted, 10_010);
    }
}
