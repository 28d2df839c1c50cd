//! Query resolution: a key, a name in any spelling, a number, a kind-qualified name, or a whole pasted
//! console line, to catalog entries; plus "did you mean …?" for input that matches nothing.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use super::entry::{Entry, Kind};
use super::{catalog, entries_matcher_ci};

/// How a query was matched, from most to least exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchedBy {
    /// The entry key itself (`token.expired`).
    Key,
    /// A name or alias in any case or spelling style (`invalid_token`, `ErrInvalidToken`).
    Name,
    /// A number (`110`, `-17`), optionally qualified (`reason 8`).
    Number,
    /// Codes and message texts found inside a pasted line.
    Line,
}

/// The entries a query resolved to: the first is the answer, the rest are other meanings of the
/// same spelling (a number shared by several families) or further errors on the same line.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    /// How the query matched.
    pub matched_by: MatchedBy,
    /// The answer first.
    pub entries: Vec<&'static Entry>,
    /// The language of the app that printed a pasted line (`Dart`, `Kotlin`, `Swift`, `JS`), when
    /// its words say; a fix written differently per language is then shown in that language only.
    #[serde(skip)]
    pub language: Option<&'static str>,
}

/// Words a query may start with to pick one family (`reason 8`, `gateway 110`, `disconnect UID_BANNED`).
const QUALIFIERS: [(&str, &[Kind]); 44] = [
    (
        "chat",
        &[Kind::ChatError, Kind::ChatWebError, Kind::RestStatus],
    ),
    ("chat-error", &[Kind::ChatError]),
    ("chat-web", &[Kind::ChatWebError]),
    ("chat-web-error", &[Kind::ChatWebError]),
    ("whiteboard", &[Kind::WhiteboardError, Kind::RestStatus]),
    ("whiteboard-error", &[Kind::WhiteboardError]),
    ("classroom", &[Kind::ClassroomError]),
    ("classroom-error", &[Kind::ClassroomError]),
    ("rest-status", &[Kind::RestStatus]),
    ("ncs", &[Kind::NcsEvent]),
    ("ncs-event", &[Kind::NcsEvent]),
    ("webhook", &[Kind::NcsEvent]),
    ("http", &[Kind::RestStatus]),
    ("native-warning", &[Kind::NativeWarning]),
    ("warning", &[Kind::NativeWarning, Kind::GatewayJoinCode]),
    ("native-reason", &[Kind::NativeReason]),
    ("rtm-reason", &[Kind::RtmReason]),
    ("rtm1-error", &[Kind::Rtm1Error, Kind::RtmLoginError]),
    (
        "rtm",
        &[
            Kind::RtmLoginError,
            Kind::RtmError,
            Kind::Rtm1Error,
            Kind::RtmReason,
        ],
    ),
    (
        "signaling",
        &[
            Kind::RtmLoginError,
            Kind::RtmError,
            Kind::Rtm1Error,
            Kind::RtmReason,
        ],
    ),
    ("rtm-login-error", &[Kind::RtmLoginError]),
    ("rtm-error", &[Kind::RtmError]),
    ("connection-changed-reason", &[Kind::ConnectionReason]),
    ("disconnect-reason", &[Kind::WebDisconnectReason]),
    ("native-connection-state", &[Kind::ConnectionState]),
    ("access-point", &[Kind::GatewayReason]),
    ("web-code", &[Kind::WebCode]),
    ("web", &[Kind::WebCode, Kind::Message]),
    ("gateway-reason", &[Kind::GatewayReason]),
    ("ap", &[Kind::GatewayReason]),
    ("gateway-join-code", &[Kind::GatewayJoinCode]),
    ("gateway", &[Kind::GatewayJoinCode]),
    ("native-error", &[Kind::NativeError]),
    (
        "native",
        &[
            Kind::NativeError,
            Kind::ConnectionReason,
            Kind::ConnectionState,
        ],
    ),
    ("error", &[Kind::NativeError]),
    ("connection-reason", &[Kind::ConnectionReason]),
    (
        "reason",
        &[Kind::ConnectionReason, Kind::WebDisconnectReason],
    ),
    ("connection-state", &[Kind::ConnectionState]),
    ("state", &[Kind::ConnectionState, Kind::WebConnectionState]),
    ("web-disconnect-reason", &[Kind::WebDisconnectReason]),
    ("disconnect", &[Kind::WebDisconnectReason]),
    ("web-connection-state", &[Kind::WebConnectionState]),
    ("web-state", &[Kind::WebConnectionState]),
    (
        "message-pattern",
        &[
            Kind::Message,
            Kind::WebCode,
            Kind::GatewayReason,
            Kind::GatewayJoinCode,
            Kind::NativeError,
        ],
    ),
];

pub use super::spelling::normalise;
use super::spelling::strip_prefixes;

/// Who owns a bare number: the issue's `110` is the native error first (the gateway's 110 and the
/// connection-changed reasons follow as "also").
const NUMBER_PRIORITY: [Kind; 19] = [
    Kind::NativeError,
    Kind::GatewayReason,
    Kind::GatewayJoinCode,
    Kind::ConnectionReason,
    Kind::ConnectionState,
    Kind::Message,
    Kind::RtmLoginError,
    Kind::RtmError,
    Kind::NativeWarning,
    Kind::Rtm1Error,
    Kind::RtmReason,
    Kind::ChatError,
    Kind::ChatWebError,
    Kind::NativeReason,
    Kind::WhiteboardError,
    Kind::ClassroomError,
    Kind::RestStatus,
    Kind::NcsEvent,
    Kind::Platform,
];

fn priority(e: &Entry) -> usize {
    Kind::ALL
        .iter()
        .position(|k| *k == e.kind)
        .unwrap_or(usize::MAX)
}

fn number_priority(e: &Entry) -> usize {
    NUMBER_PRIORITY
        .iter()
        .position(|k| *k == e.kind)
        .unwrap_or(usize::MAX)
}

/// The index build.rs writes from the catalog (`catalog_index.rs`): entry keys in lower case, names
/// and aliases normalised (Web codes' values double as names, `CROSS_CHANNEL_FAILED_JOIN_SEC`), the
/// same with their family prefix stripped (`INVALID_TOKEN`, a weaker match), and numeric values
/// without their sign (APIs return native codes negated, `-17`, while Signaling 2.x codes are
/// negative by definition, `-10012`; no two families' values collide once the sign is dropped,
/// within a family). Each table is sorted for binary search; lists hold entries in registry order.
mod built {
    include!(concat!(env!("OUT_DIR"), "/catalog_index.rs"));
}

/// The list of `probe` in a sorted table of the index.
fn find(table: &'static [(&'static str, &'static [u16])], probe: &str) -> Option<&'static [u16]> {
    table
        .binary_search_by(|(k, _)| (*k).cmp(probe))
        .ok()
        .map(|i| table[i].1)
}

/// The entry whose key is `key` in lower case.
fn key_entry(key: &str) -> Option<usize> {
    built::KEYS
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| usize::from(built::KEYS[i].1))
}

/// Entries of one index list, in priority order (ties by registry order), no repeats.
fn by_priority(list: &[u16]) -> Vec<usize> {
    let cat = catalog();
    let mut v: Vec<usize> = list.iter().map(|&i| usize::from(i)).collect();
    v.sort_by_key(|&i| (priority(&cat[i]), i));
    v.dedup();
    v
}

/// Entries named `n` (normalised), by priority.
fn names_of(n: &str) -> Option<Vec<usize>> {
    find(built::NAMES, n).map(by_priority)
}

/// Entries whose name without its family prefix is `n`, by priority.
fn derived_of(n: &str) -> Option<Vec<usize>> {
    find(built::DERIVED, n).map(by_priority)
}

/// Entries whose value is `n` (sign dropped), owners of a bare number first.
fn numbers_of(n: u64) -> Option<Vec<usize>> {
    let list = built::NUMBERS
        .binary_search_by_key(&n, |(k, _)| *k)
        .ok()
        .map(|i| built::NUMBERS[i].1)?;
    let cat = catalog();
    let mut v: Vec<usize> = list.iter().map(|&i| usize::from(i)).collect();
    v.sort_by_key(|&i| (number_priority(&cat[i]), i));
    Some(v)
}

fn pick(list: &[usize], kinds: Option<&[Kind]>) -> Vec<&'static Entry> {
    let cat = catalog();
    let mut v: Vec<&'static Entry> = list
        .iter()
        .map(|&i| &cat[i])
        .filter(|e| kinds.is_none_or(|k| k.contains(&e.kind)))
        .collect();
    if let Some(kinds) = kinds {
        // A qualifier lists its families in priority order (`reason` = native first, then Web).
        v.sort_by_key(|e| kinds.iter().position(|k| *k == e.kind));
    }
    v
}

/// Split `connection reason 8` / `reason: 8` / `gateway-join-code ERR_X` into the rest and the families
/// its qualifier picks; spaces and hyphens are interchangeable and the longest qualifier wins.
fn split_qualifier(q: &str) -> Option<(&str, &'static [Kind])> {
    let lower = q.to_ascii_lowercase().replace('-', " ");
    let mut best: Option<(usize, &'static [Kind])> = None;
    for (word, kinds) in QUALIFIERS {
        let w = word.replace('-', " ");
        let Some(after) = lower.strip_prefix(w.as_str()) else {
            continue;
        };
        if !after.starts_with([' ', ':']) {
            continue;
        }
        if best.is_none_or(|(len, _)| w.len() > len) {
            best = Some((w.len(), kinds));
        }
    }
    let (len, kinds) = best?;
    let rest = q[len..].trim_start_matches([' ', ':']);
    (!rest.is_empty()).then_some((rest, kinds))
}

fn resolve_exact(q: &str, kinds: Option<&[Kind]>) -> Option<Resolution> {
    let num = q.trim().trim_start_matches(['-', '+']);
    if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
        let n: u64 = num.parse().ok()?;
        let mut found = pick(&numbers_of(n)?, kinds);
        if kinds.is_none() {
            // A bare number: every meaning in the RTC and Signaling families, and the first of each
            // later family (the answer's question back names `explain <kind> <n>` for the rest).
            let mut seen: Vec<Kind> = Vec::new();
            found.retain(|e| {
                if !is_later_family(e.kind) {
                    return true;
                }
                let first = !seen.contains(&e.kind);
                seen.push(e.kind);
                first
            });
        }
        return (!found.is_empty()).then_some(Resolution {
            language: None,
            matched_by: MatchedBy::Number,
            entries: found,
        });
    }
    let n = normalise(q);
    if n.is_empty() {
        return None;
    }
    // The RTC and Signaling families the catalog began with answer a bare spelling first, exact
    // names before prefix-stripped ones (`invalid_token` is ERR_INVALID_TOKEN); the other products'
    // tables (Chat's INVALID_TOKEN) follow as other meanings of the same spelling.
    let cat = catalog();
    let mut hits: Vec<(bool, usize, usize)> = Vec::new();
    for (tier, map) in [names_of, derived_of].into_iter().enumerate() {
        for probe in [Some(n.as_str()), strip_prefixes(&n)].into_iter().flatten() {
            for i in map(probe).into_iter().flatten() {
                hits.push((is_later_family(cat[i].kind), tier, i));
            }
        }
    }
    hits.sort_by_key(|&(later, tier, i)| (later, tier, priority(&cat[i]), i));
    let mut list: Vec<usize> = Vec::new();
    for (_, _, i) in hits {
        if !list.contains(&i) {
            list.push(i);
        }
    }
    let found = pick(&list, kinds);
    (!found.is_empty()).then_some(Resolution {
        language: None,
        matched_by: MatchedBy::Name,
        entries: found,
    })
}

/// Families added from the other products' tables and the platform layers: they never take a bare
/// spelling or number from the RTC and Signaling families.
fn is_later_family(kind: Kind) -> bool {
    Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .is_some_and(|p| p >= FIRST_LATER_FAMILY)
}

/// Position in [`Kind::ALL`] of the first family added after RTC and Signaling 1.x login / 2.x errors.
const FIRST_LATER_FAMILY: usize = 12;

/// Resolve a query to catalog entries, or `None` when nothing matches (see [`suggest`]).
///
/// Order: the entry key; a kind-qualified query (`reason 8`); a name, alias or number (shared
/// spellings go to the family in [`Kind::ALL`] order, the others follow as "also"); then, for a
/// pasted line or block, the message texts inside it, then the shapes of [`super::shape`] (labelled
/// numbers such as `onError: 110` read in the paste's product context, code literals, SDK enum
/// members), most specific first.
pub fn resolve(query: &str) -> Option<Resolution> {
    let q = query
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .trim();
    if q.is_empty() {
        return None;
    }
    let cat = catalog();
    if let Some(i) = key_entry(&q.to_ascii_lowercase()) {
        return Some(Resolution {
            language: None,
            matched_by: MatchedBy::Key,
            entries: vec![&cat[i]],
        });
    }
    if let Some((rest, kinds)) = split_qualifier(q) {
        if let Some(r) = resolve_exact(rest, Some(kinds)) {
            return Some(r);
        }
    }
    if let Some(r) = resolve_exact(q, None) {
        return Some(r);
    }
    let answer = entries_matcher_ci().classify_detailed(q.as_bytes());
    if !answer.entries.is_empty() {
        let mut answer = answer;
        playback_over_capture(q, &mut answer.entries);
        return Some(Resolution {
            // A number several products use, with nothing in the paste saying which SDK printed it:
            // answered like a bare number, every meaning listed, so the renderer asks which.
            matched_by: if answer.ambiguous {
                MatchedBy::Number
            } else {
                MatchedBy::Line
            },
            entries: answer.entries.into_iter().map(|i| &cat[i]).collect(),
            language: language(q),
        });
    }
    None
}

/// Words of a paste about playing media (`video.play()`, an autoplay policy, Web Audio) and about
/// capturing it (`getUserMedia`, a camera): Safari words both refusals the same way (`NotAllowedError:
/// The request is not allowed by the user agent or the platform in the current context, possibly
/// because the user denied permission`), so the call named next to it decides.
const PLAYBACK_WORDS: [&str; 9] = [
    "play()",
    ".play(",
    "\tplay",
    "autoplay",
    "auto start playing",
    "audiocontext",
    "<audio",
    "<video",
    "player",
];
const CAPTURE_WORDS: [&str; 8] = [
    "getusermedia",
    "camera",
    "microphone",
    "createmicrophone",
    "createcamera",
    "mediadevices",
    "webcam",
    "permission prompt",
];

/// A permission refusal answered first for a paste that plays media and captures none: the autoplay
/// entry goes first (the refusal stays as another meaning).
fn playback_over_capture(q: &str, entries: &mut Vec<usize>) {
    let cat = catalog();
    let declares = |i: usize, f: &str| cat[i].families.iter().any(|x| x == f);
    let Some(&first) = entries.first() else {
        return;
    };
    if !declares(first, "media-permission-denied") {
        return;
    }
    let lower = q.to_lowercase();
    if !PLAYBACK_WORDS.iter().any(|w| lower.contains(w))
        || CAPTURE_WORDS.iter().any(|w| lower.contains(w))
    {
        return;
    }
    if let Some(autoplay) = (0..cat.len())
        .find(|&i| declares(i, "autoplay-blocked") && cat[i].kind == super::entry::Kind::Message)
    {
        entries.retain(|&e| e != autoplay);
        entries.insert(0, autoplay);
    }
}

/// The entry of `family` whose value is `n` (sign dropped), if any.
pub(crate) fn family_number(n: u64, family: Kind) -> Option<usize> {
    let cat = catalog();
    numbers_of(n)?.into_iter().find(|&i| cat[i].kind == family)
}

/// Every entry of `product` whose value is `n` (sign dropped), in registry order.
pub(crate) fn product_number(n: u64, product: super::entry::Product) -> Vec<usize> {
    let cat = catalog();
    let mut v: Vec<usize> = numbers_of(n)
        .into_iter()
        .flatten()
        .filter(|&i| cat[i].product() == product)
        .collect();
    v.sort_unstable();
    v
}

/// The entry whose official name is exactly `constant` (`DEVICE_NOT_FOUND`), if any.
pub(crate) fn exact_name(constant: &str) -> Option<usize> {
    names_of(&normalise(constant)).and_then(|list| list.first().copied())
}

/// The entry one identifier names (`InvalidToken`, `errInvalidToken`, `AgoraErrorCodeNoPermission`),
/// by name or alias, then with its family prefix stripped; `None` if it names nothing.
pub(crate) fn resolve_name(identifier: &str) -> Option<usize> {
    let n = normalise(identifier);
    if n.is_empty() {
        return None;
    }
    // RTC and Signaling first (exact, then prefix-stripped), then the later families, as in
    // `resolve_exact`: `ErrorCode.InvalidToken` is ERR_INVALID_TOKEN, not Chat's INVALID_TOKEN.
    let cat = catalog();
    let mut best: Option<(bool, usize, usize)> = None;
    for (tier, map) in [names_of, derived_of].into_iter().enumerate() {
        for probe in [Some(n.as_str()), strip_prefixes(&n)].into_iter().flatten() {
            for i in map(probe).into_iter().flatten() {
                let rank = (is_later_family(cat[i].kind), tier, i);
                if best.is_none_or(|b| (rank.0, rank.1) < (b.0, b.1)) {
                    best = Some(rank);
                }
            }
        }
    }
    best.map(|b| b.2)
}

/// The entry a key or any alias, name, number or pasted line resolves to.
pub fn lookup(query: &str) -> Option<&'static Entry> {
    resolve(query).and_then(|r| r.entries.first().copied())
}

/// Longest query (in bytes) [`suggest`] compares against the catalog. Each comparison is
/// O(query × alias) and there are hundreds of aliases, so a pasted 10 MB "query" took minutes;
/// no real code or console line is this long, and nothing that long is a near-miss spelling.
pub const MAX_SUGGEST_QUERY_BYTES: usize = 256;

/// Up to three spellings close to `query`, best first, for "did you mean …?" (none for queries
/// over [`MAX_SUGGEST_QUERY_BYTES`]).
pub fn suggest(query: &str) -> Vec<String> {
    if query.len() > MAX_SUGGEST_QUERY_BYTES {
        return Vec::new();
    }
    let q = normalise(query);
    if q.is_empty() {
        return Vec::new();
    }
    let q_chars = q.chars().count();
    let q_counts = CharCounts::dense(&q);
    let mut scored: Vec<(f64, &str)> = Vec::new();
    for spellings in suggestion_index() {
        let best = spellings
            .iter()
            .filter(|s| could_reach_threshold(q_chars, s.chars))
            .filter(|s| could_match_enough(q_chars, s.chars, q_counts.common_with(&s.counts)))
            .map(|s| (strsim::jaro_winkler(&q, &s.normalised), s.original))
            .fold(None, |best: Option<(f64, &str)>, (score, s)| match best {
                Some((b, _)) if b >= score => best,
                _ => Some((score, s)),
            });
        if let Some((score, s)) = best {
            if score >= SUGGEST_THRESHOLD {
                scored.push((score, s));
            }
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, s)| s.to_string())
        .collect()
}

/// Lowest Jaro-Winkler similarity offered as "did you mean".
const SUGGEST_THRESHOLD: f64 = 0.85;

/// Whether strings of `a` and `b` characters can score [`SUGGEST_THRESHOLD`] at all. Jaro is at
/// most (r + 2) / 3 where r = shorter / longer (matches cannot outnumber the shorter string), and
/// Winkler's prefix bonus lifts it to at most 0.6 × jaro + 0.4; reaching 0.85 needs jaro ≥ 0.75,
/// so r ≥ 0.25. Skipping hopeless pairs keeps a long pasted line from costing a full comparison
/// against every spelling.
fn could_reach_threshold(a: usize, b: usize) -> bool {
    let (short, long) = if a <= b { (a, b) } else { (b, a) };
    short * 4 >= long
}

/// Whether strings of `a` and `b` characters sharing at most `common` characters (counted with
/// multiplicity) can score [`SUGGEST_THRESHOLD`]. Jaro's matches pair equal characters, so there
/// are at most `common` of them, m; with no transpositions Jaro is (m/a + m/b + 1) / 3, and reaching
/// 0.75 (see [`could_reach_threshold`]) needs m/a + m/b ≥ 1.25, i.e. 4m(a + b) ≥ 5ab. A pasted line
/// that shares few characters with a spelling is skipped without the O(a × b) comparison.
fn could_match_enough(a: usize, b: usize, common: usize) -> bool {
    let m = common.min(a).min(b);
    4 * m * (a + b) >= 5 * a * b
}

/// How often each character occurs; every non-ASCII character shares one bin, which can only
/// overcount what two strings have in common (so the bound above stays an upper bound).
struct CharCounts([u16; 129]);

impl CharCounts {
    fn bin(c: char) -> usize {
        if c.is_ascii() {
            c as usize
        } else {
            128
        }
    }

    fn dense(s: &str) -> CharCounts {
        let mut counts = [0u16; 129];
        for c in s.chars() {
            let bin = &mut counts[Self::bin(c)];
            *bin = bin.saturating_add(1);
        }
        CharCounts(counts)
    }

    /// Characters this string and the one counted in `other` have in common.
    fn common_with(&self, other: &[(u8, u16)]) -> usize {
        other
            .iter()
            .map(|&(bin, n)| usize::from(n.min(self.0[usize::from(bin)])))
            .sum()
    }

    /// The non-zero bins, for a spelling compared many times.
    fn sparse(s: &str) -> Vec<(u8, u16)> {
        Self::dense(s)
            .0
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(bin, &n)| (bin as u8, n))
            .collect()
    }
}

/// One spelling of a catalog entry, normalised once.
struct Spelling {
    normalised: String,
    chars: usize,
    counts: Vec<(u8, u16)>,
    original: &'static str,
}

impl Spelling {
    fn new(normalised: String, original: &'static str) -> Spelling {
        Spelling {
            chars: normalised.chars().count(),
            counts: CharCounts::sparse(&normalised),
            normalised,
            original,
        }
    }
}

/// Per catalog entry, every spelling (key, names, aliases) with its normalised form, computed once:
/// normalising the whole catalog on every query made suggestions the slow part of `explain`.
fn suggestion_index() -> &'static [Vec<Spelling>] {
    static INDEX: OnceLock<Vec<Vec<Spelling>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        catalog()
            .iter()
            .map(|e| {
                std::iter::once(&e.key)
                    .chain(e.names.iter())
                    .chain(e.aliases.iter())
                    .flat_map(|s| {
                        let normalised = normalise(s);
                        // `explain INVALID_TOKEN` finds ERR_INVALID_TOKEN with its family prefix
                        // stripped; a typo of that short form should find it too.
                        let stripped = strip_prefixes(&normalised)
                            .map(|rest| Spelling::new(rest.to_string(), s.as_ref()));
                        std::iter::once(Spelling::new(normalised, s.as_ref())).chain(stripped)
                    })
                    .collect()
            })
            .collect()
    })
}

/// The programming language of the app that printed a paste, for the platform's own spelling of a
/// fix: catalog fixes hold paragraphs starting `Kotlin: `, `Swift: `, `Dart: ` or `JS: `.
pub fn language(text: &str) -> Option<&'static str> {
    static RE: OnceLock<[(Regex, &'static str); 4]> = OnceLock::new();
    let langs = RE.get_or_init(|| {
        [
            (
                Regex::new(r"(?i)e/flutter|\.dart\b|platformexception|agorartcexception\(|errorcodetype\.|agora_rtc_engine|agora_rtm|package:").expect("regex"),
                "Dart",
            ),
            (
                Regex::new(r"java\.lang\.|E/AndroidRuntime|\bio\.agora\.|\.kt:\d|\.java:\d").expect("regex"),
                "Kotlin",
            ),
            (
                Regex::new(r"AgoraRtcEngineKit|AgoraErrorCode|AgoraRtcKit|\bdyld\b|\.swift:\d|didOccurError").expect("regex"),
                "Swift",
            ),
            (
                Regex::new(r"(?i)agora-sdk|agorartcerror|agorartc_n|react-native|uncaught|\.js:\d|\.tsx?:\d|node_modules").expect("regex"),
                "JS",
            ),
        ]
    });
    langs
        .iter()
        .find(|(re, _)| re.is_match(text))
        .map(|(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::{
        could_match_enough, could_reach_threshold, normalise, suggest, CharCounts,
        SUGGEST_THRESHOLD,
    };
    use proptest::prelude::*;

    proptest! {
        /// Every pair the shared-character bound skips scores below the threshold. The second
        /// string is the first with a few characters replaced and its end cut: near-misses of
        /// every degree, the pairs the bound must not lose.
        #[test]
        fn the_shared_character_bound_never_skips_a_pair_that_could_be_suggested(
            a in "[A-E_é]{4,24}",
            replaced in proptest::collection::vec((0usize..24, "[A-Eé_]"), 0..6),
            cut in 0usize..6,
        ) {
            let mut chars: Vec<char> = a.chars().collect();
            for (at, with) in &replaced {
                let len = chars.len();
                chars[at % len] = with.chars().next().unwrap();
            }
            chars.truncate(chars.len().saturating_sub(cut).max(1));
            let b: String = chars.into_iter().collect();
            let (na, nb) = (a.chars().count(), b.chars().count());
            let common = CharCounts::dense(&a).common_with(&CharCounts::sparse(&b));
            if !could_match_enough(na, nb, common) {
                prop_assert!(strsim::jaro_winkler(&a, &b) < SUGGEST_THRESHOLD, "{a} {b}");
            }
        }
    }

    #[test]
    fn the_shared_character_bound_skips_what_has_little_in_common() {
        let count = |a: &str, b: &str| CharCounts::dense(a).common_with(&CharCounts::sparse(b));
        assert_eq!(count("AABC", "ABBD"), 2);
        assert!(!could_match_enough(
            16,
            17,
            count("#$%&'()*+,-./:;<", "INVALID_TOKEN_XY")
        ));
        assert!(could_match_enough(
            13,
            13,
            count("INVALID_TOKNE", "INVALID_TOKEN")
        ));
    }

    #[test]
    fn a_typo_of_a_code_without_its_family_prefix_is_suggested() {
        // `explain INVALID_TOKEN` resolves ERR_INVALID_TOKEN by its stripped prefix; a typo of the
        // short form is offered the full name.
        assert!(
            suggest("INVALID_TOKNE")
                .iter()
                .any(|s| s == "ERR_INVALID_TOKEN"),
            "{:?}",
            suggest("INVALID_TOKNE")
        );
    }

    #[test]
    fn the_length_bound_never_skips_a_pair_that_could_be_suggested() {
        // Every pair the bound skips scores below the threshold, for strings sharing everything
        // they can (the best case for similarity).
        let long = "A".repeat(40);
        for short_len in 1..=40 {
            let short = "A".repeat(short_len);
            let score = strsim::jaro_winkler(&short, &long);
            if !could_reach_threshold(short_len, 40) {
                assert!(score < SUGGEST_THRESHOLD, "{short_len}: {score}");
            }
        }
        assert!(could_reach_threshold(10, 40));
        assert!(!could_reach_threshold(9, 40));
    }

    #[test]
    fn safaris_shared_refusal_text_is_read_by_the_call_next_to_it() {
        let safari = "NotAllowedError: The request is not allowed by the user agent or the platform in the current context, possibly because the user denied permission.";
        let first = |q: &str| {
            super::lookup(q)
                .map(|e| e.families.clone())
                .unwrap_or_default()
        };
        assert!(first(&format!("{safari} when calling video.play()"))
            .contains(&"autoplay-blocked".into()));
        assert!(first(&format!("getUserMedia failed: {safari}"))
            .contains(&"media-permission-denied".into()));
    }

    #[test]
    fn a_japanese_error_code_label_is_read_like_the_chinese_one() {
        let key = |q: &str| super::lookup(q).map(|e| e.key.clone());
        assert_eq!(
            key("エラーコード 17 が出ます"),
            key("错误码 17"),
            "the same labelled number"
        );
        assert!(key("エラーコード 17 が出ます").is_some());
    }

    #[test]
    fn normalise_unifies_spelling_styles() {
        assert_eq!(normalise("ErrInvalidToken"), "ERR_INVALID_TOKEN");
        assert_eq!(normalise("errInvalidToken"), "ERR_INVALID_TOKEN");
        assert_eq!(normalise("invalid_token"), "INVALID_TOKEN");
        assert_eq!(normalise(" dynamic key expired "), "DYNAMIC_KEY_EXPIRED");
        assert_eq!(normalise("AgoraRTCError"), "AGORA_RTC_ERROR");
        assert_eq!(normalise("token.expired"), "TOKEN_EXPIRED");
    }
}
