//! Paste shapes: the ways developers paste a code without its catalog spelling. A number with a label
//! (`onError: 110`, `Error code = 101`, `err 17`, `errorCode=-2`, `code: 110`, `"code":110`,
//! `onConnectionStateChanged(state: 5, reason: 3)`, `Warning 106`, `返回错误码-8`), an SDK enum member
//! (`ErrorCode.InvalidToken`, `ErrorCodeType.errInvalidToken`, `AgoraErrorCodeNoPermission`), and the
//! wrapper exceptions (`PlatformException(17, …)`, `AgoraRtcException(-17, …)`). Which family a number
//! belongs to depends on the product that printed it: RTC native, the Web SDK, or Signaling (RTM) use
//! the same small numbers for different errors, so the paste's own words pick the family, and a number
//! with no such words is answered with every meaning (the caller asks which SDK printed it).

use std::sync::OnceLock;

use regex::Regex;

use super::catalog;
use super::entry::{Kind, Product};
use super::query::{family_number, product_number, resolve_name};

/// Which SDK a paste comes from, judged from its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Signaling (RTM) 1.x or 2.x: `AgoraRtmClient`, `agora_rtm`, `RtmUnauthenticatedError`, `login`.
    Rtm,
    /// The Web SDK: `AgoraRTCError`, `Agora-SDK [`, `agora-rtc-sdk`.
    Web,
    /// A native RTC SDK or a wrapper: `onError`, `joinChannel`, `RtcEngine`, `E/flutter`, `AGORA_SDK`.
    Native,
    /// Another product the paste names (Chat, Whiteboard, Classroom, Cloud Recording, a RESTful API):
    /// its numbers are looked up in that product's tables ([`super::reader::products`]).
    Other(Product),
    /// Nothing says which.
    Unknown,
}

/// The product words of a paste. RTM is checked first: its pastes mention the client or `login`, words
/// RTC pastes do not use (RTC joins a channel; only Signaling logs in).
pub fn context(text: &str) -> Context {
    // Products with tables of their own and words no RTC or Signaling paste uses decide first; the
    // RESTful APIs and media services only when no RTC or Signaling words are there.
    let named = super::reader::products(text);
    let specific = |p: &Product| {
        matches!(
            p,
            Product::Chat
                | Product::Whiteboard
                | Product::Classroom
                | Product::CloudRecording
                | Product::Convoai
                | Product::Ncs
        )
    };
    if let Some(p) = named.iter().find(|p| specific(p)) {
        return Context::Other(*p);
    }
    match rtc_context(text) {
        Context::Unknown => named
            .into_iter()
            .find(|p| !matches!(p, Product::Rtc | Product::Rtm | Product::Token))
            .map_or(Context::Unknown, Context::Other),
        c => c,
    }
}

/// The RTC and Signaling contexts, from their own words.
fn rtc_context(text: &str) -> Context {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    let [rtm, web, native] = RE.get_or_init(|| {
        [
            // `rtmp` (Media Push) is not Signaling.
            Regex::new(r"(?i)(?:\b|_|agora)rtm(?:[^p]|$)|\bsignaling\b|\blog ?in\b|\blogout\b|\blogin(?:ed)?\b")
                .expect("regex"),
            Regex::new(r"(?i)agorartc(?:error|exception|_n|sdk)|agora-sdk|agora-rtc-sdk|\bclient\.join\b|\[client-")
                .expect("regex"),
            // The last two alternatives are the native SDK's own agorasdk.log layouts:
            // `ERROR   (16:41:51: 78 |    0)   3494; [cm] …` (3.x) and `…][12345][E][file.cpp:12] …`.
            Regex::new(
                r"(?i)\bon_?error\b|joinchannel|rtcengine|onconnectionstatechanged|e/flutter|agora_sdk|agorartckit|io\.agora\.rtc|agora_rtc_engine|react-native-agora|\bnative\b|^(?:info|warn|error|debug|fatal)\s+\(\d\d:\d\d:\d\d:\s*\d+\s*\||\]\[[ewidf]\]\[",
            )
            .expect("regex"),
        ]
    });
    if rtm.is_match(text) {
        Context::Rtm
    } else if web.is_match(text) {
        Context::Web
    } else if native.is_match(text) {
        Context::Native
    } else {
        Context::Unknown
    }
}

/// What a number's label says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Label {
    /// `onError`, `error code`, `err`, `code`, `failed`, `returns`, `错误码`: an error code.
    Error,
    /// `warning`, `onWarning`: a native warning (the gateway family's 1xx values).
    Warning,
    /// `error_code`: the Web SDK gateway's JSON field (`{"error_code":110,…}`).
    Gateway,
    /// `reason`: a connection-changed reason.
    Reason,
    /// `state`: a connection state.
    State,
}

/// How strongly a finding answers the paste: lower is better. Message texts (the matcher's patterns)
/// beat everything and never reach this module.
const RANK_ERROR_NUMBER: u8 = 1;
const RANK_CODE: u8 = 2;
/// A number or HTTP reason phrase with no label, read in the product the paste names
/// (`Cloud Recording 433`, `Media Push 409 Conflict`).
const RANK_PRODUCT_NUMBER: u8 = 3;
const RANK_REASON: u8 = 4;
const RANK_STATE: u8 = 5;

/// One candidate answer found in a paste.
struct Found {
    rank: u8,
    at: usize,
    entries: Vec<usize>,
    /// The number fits several products and nothing in the paste says which.
    ambiguous: bool,
}

/// The entries a pasted line or block is about, best first, with whether the first answer is a
/// number several products use (the caller says so instead of guessing silently).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ShapeAnswer {
    /// Catalog indices, best first, no repeats.
    pub entries: Vec<usize>,
    /// The first answer is one of several meanings of a bare number.
    pub ambiguous: bool,
}

/// Labelled numbers, enum members and the code literal the matcher found (`code`, its byte offset),
/// ranked: error numbers, then codes and enum members, then (for a pasted message, `paste`) numbers
/// and HTTP reason phrases with no label in the product the paste names, then reasons, then states
/// (dropped when anything else was found); earlier first. A log line is read by its labels only: a
/// log's unlabelled numbers are times, sizes and ids.
pub fn answer(text: &str, code: Option<(usize, usize)>, paste: bool) -> ShapeAnswer {
    let ctx = context(text);
    let mut found: Vec<Found> = Vec::new();
    if let (true, Context::Other(product)) = (paste, ctx) {
        for (at, n) in product_numbers(text, product) {
            let entries = product_number(n, product);
            if let Some(&first) = entries.first() {
                found.push(Found {
                    rank: RANK_PRODUCT_NUMBER,
                    at,
                    entries: vec![first],
                    ambiguous: false,
                });
            }
        }
    }
    for (at, label, n) in labelled_numbers(text) {
        let (entries, ambiguous) = number_entries(label, n, ctx);
        if entries.is_empty() {
            continue;
        }
        let rank = match label {
            Label::Error | Label::Warning | Label::Gateway => RANK_ERROR_NUMBER,
            Label::Reason => RANK_REASON,
            Label::State => RANK_STATE,
        };
        found.push(Found {
            rank,
            at,
            entries,
            ambiguous,
        });
    }
    if paste {
        if let Some(found_builder) =
            builder_api_changed(text).or_else(|| builder_given_nothing(text))
        {
            found.push(found_builder);
        }
    }
    for (at, entry) in enum_members(text) {
        found.push(Found {
            rank: RANK_CODE,
            at,
            entries: vec![entry],
            ambiguous: false,
        });
    }
    if let Some((at, entry)) = code {
        found.push(Found {
            rank: RANK_CODE,
            at,
            entries: vec![entry],
            ambiguous: false,
        });
    }
    found.sort_by_key(|f| (f.rank, f.at));
    // A state (`FAILED`) only says that something went wrong; the reason or error next to it says
    // what, so a state is the answer only when nothing else is.
    if found.iter().any(|f| f.rank < RANK_STATE) {
        found.retain(|f| f.rank < RANK_STATE);
    }
    let mut out = ShapeAnswer {
        ambiguous: found.first().is_some_and(|f| f.ambiguous),
        ..ShapeAnswer::default()
    };
    for f in &found {
        // An ambiguous number lists its other meanings right after its first one; other findings
        // follow.
        for &e in &f.entries {
            if !out.entries.contains(&e) {
                out.entries.push(e);
            }
        }
    }
    out
}

/// The entry for a token builder run without its App ID or certificate.
const BUILDER_CREDENTIALS_UNSET: &str = "platform.token.builder_credentials_unset";

/// A paste in which a token builder (its class, file or package) fails on a missing value: the
/// builders pass the App ID, certificate, channel and uid straight to the language's string and
/// crypto functions, so an unset variable surfaces as that language's own null error
/// (Node `ERR_INVALID_ARG_TYPE … Received undefined`, `Cannot read properties of undefined`,
/// Python `'NoneType'`, Java `NullPointerException`) with the builder in the stack.
fn builder_given_nothing(text: &str) -> Option<Found> {
    if !names_a_builder(text) {
        return None;
    }
    static RE: OnceLock<[Regex; 2]> = OnceLock::new();
    let [builder, nothing] = RE.get_or_init(|| {
        [
            Regex::new(r"(?i)(?:rtc|rtm|chat|education|apaas|fpa)tokenbuilder|agora-access-token|agora-token|accesstoken2?\.(?:js|ts|py|go|java|php|cs|rb)|\bbuild_?token_?with_?(?:uid|user_?account|account)\b").expect("regex"),
            Regex::new(r"(?i)\bundefined\b|\bnull\b|nonetype|ERR_INVALID_ARG_TYPE|NullPointerException|nil pointer|must be of type string").expect("regex"),
        ]
    });
    let m = nothing.find(text)?;
    builder.find(text)?;
    let entry = catalog()
        .iter()
        .position(|e| e.key == BUILDER_CREDENTIALS_UNSET)?;
    Some(Found {
        rank: RANK_CODE,
        at: m.start(),
        entries: vec![entry],
        ambiguous: false,
    })
}

/// Whether a paste could name a token builder at all (a substring test before any regex is compiled:
/// most pastes name none).
fn names_a_builder(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "tokenbuilder",
        "agora-token",
        "agora-access-token",
        "rtmrole",
        "accesstoken",
        "build_token",
        "buildtoken",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The entry for token-server code of one builder generation run on the other.
const BUILDER_API_CHANGED: &str = "platform.api_change.token_builder_006_to_007";

/// A paste in which a token builder's call fails by its shape (a missing function, member or import,
/// a wrong number of arguments): the 006 and 007 builders differ in names and arguments.
fn builder_api_changed(text: &str) -> Option<Found> {
    if !names_a_builder(text) {
        return None;
    }
    static RE: OnceLock<[Regex; 2]> = OnceLock::new();
    let [builder, shape] = RE.get_or_init(|| {
        [
            Regex::new(r"(?i)(?:rtc|rtm|chat)tokenbuilder2?|agora-access-token|agora-token|\brtmrole\b|\bbuild_?token_?with_?(?:uid|user_?account|account)\b").expect("regex"),
            Regex::new(r"(?i)is not a function|Expected \d+ arguments?, but got \d+|missing \d+ required positional argument|takes \d+ positional arguments? but \d+|has no attribute|cannot import name|no overload|cannot find symbol|not enough arguments in call|too many arguments in call|undefined: |is not exported|has no exported member").expect("regex"),
        ]
    });
    let m = shape.find(text)?;
    builder.find(text)?;
    let entry = catalog()
        .iter()
        .position(|e| e.key == BUILDER_API_CHANGED)?;
    Some(Found {
        rank: RANK_CODE,
        at: m.start(),
        entries: vec![entry],
        ambiguous: false,
    })
}

/// HTTP reason phrases as Agora's RESTful APIs send them, with their status (RFC 9110).
const REASON_PHRASES: [(&str, u64); 13] = [
    ("bad request", 400),
    ("unauthorized", 401),
    ("forbidden", 403),
    ("not found", 404),
    ("method not allowed", 405),
    ("conflict", 409),
    ("unprocessable entity", 422),
    ("too many requests", 429),
    ("internal server error", 500),
    ("not implemented", 501),
    ("bad gateway", 502),
    ("service unavailable", 503),
    ("gateway timeout", 504),
];

/// Byte ranges of the numbers of one to nine digits standing on their own: no letter, digit, `_`,
/// `/`, `-` or `#` on either side, and no `.` or `:` joining another part (`4.3.0`, `10:00:16`,
/// `/v1/apps`, `uid-1234`, `#1234` are not codes; `failed: 433.` and `433: expired` are). A scan, not
/// a regex: compiling one cost more than the rest of a pasted query.
fn standalone_numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let end = i;
        let before_ok = start == 0 || !(word(b[start - 1]) || b"./:#-".contains(&b[start - 1]));
        let joined = |at: usize| {
            at < b.len()
                && (word(b[at])
                    || b[at] == b'/'
                    || b[at] == b'-'
                    || (matches!(b[at], b'.' | b':')
                        && at + 1 < b.len()
                        && !b[at + 1].is_ascii_whitespace()))
        };
        if before_ok && !joined(end) && end - start <= 9 {
            out.push((start, end));
        }
    }
    out
}

/// `(byte offset, value)` of the numbers a paste naming `product` gives without a label: any number
/// right after the product's name (`Cloud Recording 433`, `Flexible Classroom: 30403100`), any other
/// standalone number of three digits or more (an HTTP status or a product code, not a version, time,
/// or part of an identifier), and an HTTP reason phrase with no number next to it (`Forbidden`).
fn product_numbers(text: &str, product: Product) -> Vec<(usize, u64)> {
    let after_name: Vec<usize> = super::reader::product_name_ends(text, product);
    let mut out = Vec::new();
    for (start, end) in standalone_numbers(text) {
        let Ok(n) = text[start..end].parse::<u64>() else {
            continue;
        };
        let named_before = after_name.iter().any(|&name_end| {
            name_end <= start
                && start - name_end <= 4
                && text[name_end..start]
                    .chars()
                    .all(|ch| matches!(ch, ' ' | ':' | '：' | '\t' | '(' | '"' | '\'' | '`' | ','))
        });
        if named_before || end - start >= 3 {
            out.push((start, n));
        }
    }
    let lower = text.to_ascii_lowercase();
    for (phrase, status) in REASON_PHRASES {
        if let Some(at) = lower.find(phrase) {
            // `401 Unauthorized` is read by its number; a phrase alone stands for its status.
            let before = lower[..at].trim_end();
            if !before.ends_with(|c: char| c.is_ascii_digit()) {
                out.push((at, status));
            }
        }
    }
    out
}

/// `(byte offset, label, value)` of every labelled number, in order.
fn labelled_numbers(text: &str) -> Vec<(usize, Label, i64)> {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    let [forward, backward, wrapper] = RE.get_or_init(|| {
        [
            // label, an optional quote and separator (`:`, `=`, `：`, `(`, spaces, `err `), optional
            // quotes or markdown, the number, then no further digit, and no `.` or `:` going on
            // (`4.3.0` is a version, `ERROR   (10:00:16` a native log line's time).
            Regex::new(
                r#"(?i)(?:\b(?P<label>on_?\s?error|error[\s_]?code|errcode|err(?:or)?|code|event_?type|on_?\s?warning|warning|warn|reason|state|fail(?:ed)?|returns?|returned|response\s+is|result)\b|(?P<zh>错误码|错误代码|错误|エラーコード|エラー))['"]?\s*(?:[:=：(]\s*|\s+)?(?:err(?:or)?\s+)?['"`*]*\s*(?P<num>[-+]?\d{1,8})(?:[^0-9.:]|[.:](?:\s|$)|$)"#,
            )
            .expect("regex"),
            // `got 110 error`, `110 error when …`
            Regex::new(r"(?i)(?:^|[^\w.:-])(?P<num>-?\d{1,8})['`*]*\s+err(?:or)?\b").expect("regex"),
            // Flutter 5.x `PlatformException(17, …)`, Flutter 6.x `AgoraRtcException(-17, …)`.
            Regex::new(r"(?:PlatformException|AgoraRtcException)\(\s*(?P<num>-?\d{1,8})").expect("regex"),
        ]
    });
    let mut out = Vec::new();
    for c in forward.captures_iter(text) {
        let label = match c.name("label").map(|m| m.as_str().to_ascii_lowercase()) {
            Some(l) if l.contains("warn") => Label::Warning,
            Some(l) if l == "error_code" => Label::Gateway,
            Some(l) if l == "reason" => Label::Reason,
            Some(l) if l == "state" => Label::State,
            _ => Label::Error,
        };
        let m = c.name("num").expect("group");
        if let Ok(n) = m.as_str().parse::<i64>() {
            out.push((m.start(), label, n));
        }
    }
    for re in [backward, wrapper] {
        for c in re.captures_iter(text) {
            let m = c.name("num").expect("group");
            if let Ok(n) = m.as_str().parse::<i64>() {
                out.push((m.start(), Label::Error, n));
            }
        }
    }
    out.sort_by_key(|x| x.0);
    out
}

/// Entries for one labelled number in a context; `true` when it is several products' meanings.
fn number_entries(label: Label, n: i64, ctx: Context) -> (Vec<usize>, bool) {
    let abs = n.unsigned_abs();
    if let Context::Other(product) = ctx {
        // That product's meaning of the number; a number its tables do not hold is not guessed
        // from RTC's.
        let mut entries = product_number(abs, product);
        entries.truncate(1);
        return (entries, false);
    }
    let families: &[Kind] = match label {
        Label::Reason => &[Kind::ConnectionReason],
        Label::State => &[Kind::ConnectionState],
        Label::Warning | Label::Gateway => &[Kind::GatewayJoinCode],
        // Signaling 2.x codes (-10001 …) and access-point codes (2010005 …) are unique to their
        // family, whatever the context.
        Label::Error if (10_000..20_000).contains(&abs) => &[Kind::RtmError],
        Label::Error if abs >= 1_000_000 => &[Kind::GatewayReason],
        Label::Error => match ctx {
            Context::Rtm => &[Kind::RtmLoginError, Kind::Rtm1Error],
            Context::Other(_) => &[],
            // Web SDK 3.x and the FAQ print gateway codes (`ERR_NO_AUTHORIZED(110)`).
            Context::Web => &[Kind::GatewayJoinCode, Kind::NativeError],
            Context::Native => &[Kind::NativeError],
            Context::Unknown => &[Kind::NativeError, Kind::RtmLoginError],
        },
    };
    let mut entries = Vec::new();
    for kind in families {
        if let Some(e) = family_number(abs, *kind) {
            entries.push(e);
        }
    }
    let cat = catalog();
    let products: std::collections::BTreeSet<_> = entries
        .iter()
        .map(|&i| format!("{:?}", cat[i].product()))
        .collect();
    let ambiguous = ctx == Context::Unknown && products.len() > 1;
    if !ambiguous && ctx != Context::Unknown {
        entries.truncate(1);
    }
    (entries, ambiguous)
}

/// SDK enum members written the wrapper's way (see below), and upper-case constants that are an
/// entry's exact name (`` `DEVICE_NOT_FOUND` ``, `UID_CONFLICT error occurred`).
fn enum_members(text: &str) -> Vec<(usize, usize)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b").expect("regex"));
    let mut out = wrapper_members(text);
    for m in re.find_iter(text) {
        // `android.permission.RECORD_AUDIO` is Android's permission, not the SDK's PermissionType
        // member of the same name: the platform families answer it.
        if text[..m.start()].ends_with("permission.") {
            continue;
        }
        if let Some(e) = super::query::exact_name(m.as_str()) {
            out.push((m.start(), e));
        }
    }
    out
}

/// SDK enum members written the wrapper's way: `ErrorCode.InvalidToken` (Flutter 3-5, React Native),
/// `ErrorCodeType.errInvalidToken`, `ConnectionChangedReasonType.connectionChangedInvalidToken`
/// (Flutter 6), and the iOS/macOS constants `AgoraErrorCodeNoPermission`, `AgoraRtmLoginErrorInvalidToken`.
fn wrapper_members(text: &str) -> Vec<(usize, usize)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"\b(?:(?:ErrorCode(?:Type)?|ConnectionChangedReason(?:Type)?|ConnectionState(?:Type)?|ConnectionChangeReason|LoginError(?:Code)?|RtmLoginErrorCode|RtmErrorCode)\.(?P<member>[A-Za-z][A-Za-z0-9_]*)|(?P<constant>Agora(?:Rtm)?(?:ErrorCode|LoginError|ConnectionChangedReason|ConnectionState)[A-Z][A-Za-z0-9]*|(?:err|conn(?:ection)?Changed)[A-Z][A-Za-z0-9]*))",
        )
        .expect("regex")
    });
    let mut out = Vec::new();
    for c in re.captures_iter(text) {
        let m = c
            .name("member")
            .or_else(|| c.name("constant"))
            .expect("one group matches");
        if let Some(e) = resolve_name(m.as_str()) {
            out.push((m.start(), e));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        answer(text, None, true)
            .entries
            .iter()
            .map(|&i| catalog()[i].key.to_string())
            .collect()
    }

    #[test]
    fn a_labelled_number_in_each_paste_shape_finds_its_entry() {
        for text in [
            "onError: 110",
            "onError：110",
            "Error code = 110",
            "error code: -110",
            "errorCode=-110",
            "err 110",
            "OnError err: 110, msg: ",
            "{\"code\":110}",
            "i got 110 error",
        ] {
            assert_eq!(
                keys(text).first().map(String::as_str),
                Some("native.err_invalid_token"),
                "{text}"
            );
        }
    }

    #[test]
    fn the_reason_explains_a_state_change_and_a_lone_state_is_still_explained() {
        assert_eq!(
            keys("onConnectionStateChanged(state: 5, reason: 3)"),
            ["native.connection_changed_banned_by_server"]
        );
        assert_eq!(
            keys("onConnectionStateChanged(state: 5)"),
            ["native.connection_state_failed"]
        );
    }

    #[test]
    fn rtm_words_pick_the_signaling_meaning_of_a_small_number() {
        assert_eq!(
            keys("Unhandled Exception: login failed errorCode:5"),
            ["rtm1.login_err_invalid_token"]
        );
        let bare = answer("Error Code 5", None, true);
        assert!(bare.ambiguous);
        assert!(bare.entries.len() >= 2);
    }

    #[test]
    fn enum_members_resolve_in_every_wrapper_spelling() {
        assert_eq!(
            keys("onError: ErrorCode.InvalidToken"),
            ["native.err_invalid_token"]
        );
        assert_eq!(
            keys("ErrorCodeType.errInvalidToken"),
            ["native.err_invalid_token"]
        );
        assert_eq!(
            keys("reason: ConnectionChangedReasonType.connectionChangedInvalidToken"),
            ["native.connection_changed_invalid_token"]
        );
    }

    /// Written from Agora's Media Push status-code table (media-push/develop/integration-best-practices):
    /// a number next to the product's name is that product's status, and `rtmp` is not Signaling.
    #[test]
    fn a_media_push_status_is_read_in_media_push_and_rtmp_is_not_signaling() {
        assert_eq!(
            keys("Media Push create converter failed, error code 409"),
            ["media_push.409_resource_with_the_same_name_already"]
        );
        assert_eq!(
            keys("rtmp converter update returned error 404"),
            ["media_push.404_resource_is_not_found_and_destroyed"]
        );
        assert_eq!(context("AgoraRtmClient login failed"), Context::Rtm);
        assert_ne!(context("rtmp push failed"), Context::Rtm);
    }

    /// A product named, then a number or an HTTP status with no label word: the number is read in
    /// that product (Agora's per-product status tables), and a log line's unlabelled numbers are not.
    #[test]
    fn a_number_after_a_products_name_is_read_in_that_product_and_only_in_a_paste() {
        let first = |text: &str| {
            answer(text, None, true)
                .entries
                .first()
                .map(|&i| catalog()[i].clone())
        };
        for (text, product, value) in [
            ("Interactive Whiteboard 401", Product::Whiteboard, "401"),
            ("Cloud Recording 433", Product::CloudRecording, "433"),
            ("Media Push 409 Conflict", Product::MediaPush, "409"),
            ("RESTful API 401 Unauthorized", Product::Rest, "401"),
            (
                "flexible classroom: 20404100",
                Product::Classroom,
                "20404100",
            ),
            ("云端录制 433", Product::CloudRecording, "433"),
        ] {
            let e = first(text).unwrap_or_else(|| panic!("{text}: nothing"));
            assert_eq!((e.product(), e.value.as_ref()), (product, value), "{text}");
        }
        // A reason phrase alone stands for its status.
        let e = first("the whiteboard API answers Forbidden").expect("an answer");
        assert_eq!(
            (e.product(), e.value.as_ref()),
            (Product::Whiteboard, "403")
        );
        // Versions, times and paths are not codes; neither is a number in a log line.
        assert!(first("Cloud Recording SDK 3.7.2 at 10:32:11 /v1/apps/123").is_none());
        assert!(answer("Cloud Recording 433", None, false)
            .entries
            .is_empty());
    }

    /// Written from AgoraIO/Tools' builders: they hand the App ID, certificate, channel and uid
    /// to the language's string functions, so an unset variable fails there, with the builder in
    /// the stack.
    #[test]
    fn a_token_builder_failing_on_a_missing_value_is_the_unset_credentials() {
        let key = |text: &str| {
            answer(text, None, true)
                .entries
                .first()
                .map(|&i| catalog()[i].key.to_string())
        };
        for text in [
            "TypeError [ERR_INVALID_ARG_TYPE]: The first argument must be of type string. Received undefined\n    at AccessToken.build (node_modules/agora-access-token/src/AccessToken.js:30:46)",
            "TypeError: object of type 'NoneType' has no len() (RtcTokenBuilder2.build_token_with_uid)",
        ] {
            assert_eq!(key(text).as_deref(), Some(BUILDER_CREDENTIALS_UNSET), "{text}");
        }
        assert!(key("TypeError: x is undefined").is_none());
        // A call of the other builder generation is the API change, not a missing value.
        for text in [
            "TypeError: RtcTokenBuilder.buildTokenWithAccount is not a function",
            "error TS2554: Expected 7 arguments, but got 6. RtcTokenBuilder.buildTokenWithUid",
            "TypeError: build_token_with_uid() missing 1 required positional argument: 'privilege_expire'",
        ] {
            assert_eq!(key(text).as_deref(), Some(BUILDER_API_CHANGED), "{text}");
        }
    }

    #[test]
    fn timestamps_and_ids_are_not_codes() {
        assert!(keys("14:55:14:88 Agora-SDK [INFO]: [client-f541a] join number: 1").is_empty());
        assert!(keys("ui_dart_state.cc(177)").is_empty());
    }
}
