//! Redaction: the one place that removes secrets from text a user may paste in public (the report,
//! `explain --log`'s quoted lines, probe and join evidence, every JSON document).
//!
//! Three passes, each pure and linear in the text:
//! 1. **Token shapes.** A run starting with `006`/`007` and made of the token alphabet is a token,
//!    in every shape `agora-doctor token` repairs: whole, URL-encoded (`%2B`), JSON-escaped (`\/`,
//!    `\u002B`), `+` turned into spaces, split across lines. Pieces after a space or a line break
//!    join the token only when the joined text decodes (token-core's own `diagnose`), so a word
//!    after a token is never eaten; a run that decodes in no way is still redacted as a damaged
//!    token. A bare App ID (32 hex digits, even one starting with `006`) is never a token.
//! 2. **Certificates by position.** A 32-hex string is redacted when the text before it on its line
//!    names a certificate (`AGORA_APP_CERTIFICATE=`, `appCertificate = "`, `app_certificate:`,
//!    `"appCertificate":"`, `--cert`, …, in any language and letter case) with no App ID key in
//!    between, or when it is the second 32-hex argument of a token builder call, whose documented
//!    signature is `buildTokenWithUid(appId, appCertificate, channelName, uid, …)`
//!    (<https://github.com/AgoraIO/Tools/tree/master/DynamicKey/AgoraDynamicKey>). A 32-hex string
//!    anywhere else (an App ID, a session id) stays readable.
//! 3. **Given secrets.** The certificate, token and signature this run was given, in either letter
//!    case, URL-encoded, with `+` as spaces or `/` escaped.
//!
//! Every replacement is counted by kind ([`Redactions`]) so a report can say what it removed.

mod kinds;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use agora_token_core::{diagnose, Token};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Serialize;

/// Given secrets shorter than this are ignored: they cannot be told apart from ordinary words.
pub const MIN_GIVEN_SECRET_LEN: usize = 8;
/// Given secrets at least this long are also found broken by whitespace or escapes: shorter ones
/// would match across ordinary words.
const MIN_BROKEN_SECRET_LEN: usize = 16;
/// A `007` run needs this many characters after the prefix to count as a (damaged) token when it
/// does not decode: `007` followed by a short word is not a secret.
const MIN_007_BODY: usize = 12;
/// A `006` run needs this many characters after its 32-hex App ID to count as a damaged token.
const MIN_006_BODY: usize = 4;
/// Length of `006` + the App ID.
const V006_HEADER: usize = 35;
/// At most this many pieces (after spaces or line breaks) are tried as the rest of a token.
const MAX_PIECES: usize = 32;
/// At most this many bytes of whitespace separate two pieces of one token.
const MAX_GAP: usize = 16;
/// How far before a 32-hex string a certificate key may stand (`static let appCertificate: String = "`).
const KEY_WINDOW: usize = 64;

/// What a redaction removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Redaction {
    /// A whole token, as issued (or with the padding or alphabet damage the token command repairs).
    Token,
    /// A token with `%2B`, `%2F`, `%3D`: put in a URL.
    TokenUrlEncoded,
    /// A token whose `+` became spaces.
    TokenSpaced,
    /// A token with `\/` or `\u002B`: inside a JSON string.
    TokenJsonEscaped,
    /// A token broken over lines.
    TokenSplit,
    /// Token-shaped text that decodes in no way (cut short, masked or damaged).
    TokenDamaged,
    /// A 32-hex value in a certificate position.
    Certificate,
    /// A secret given to this run (the certificate, the token, its signature).
    GivenSecret,
    /// A token written with HTML entities (`&#43;`, `&#x2F;`): pasted from a web page.
    TokenHtmlEscaped,
    /// A value under a key that names a secret (password, secret, API key, Customer ID or
    /// Secret, `Authorization`, a secret query parameter) or a password in a URL.
    Credential,
    /// A PEM private-key block.
    PrivateKey,
    /// A JSON Web Token (a login or API token, never an Agora RTC token).
    Jwt,
    /// An Agora Chat (Easemob) token (`YWMt…`).
    ChatToken,
    /// A cloud storage access key id (AWS `AKIA…`, as in Cloud Recording's `storageConfig`).
    CloudKey,
    /// A long random-looking string: a token body without its prefix or first line, a key.
    Opaque,
}

impl Redaction {
    /// Every kind, in report order.
    pub const ALL: [Redaction; 15] = [
        Redaction::Token,
        Redaction::TokenUrlEncoded,
        Redaction::TokenSpaced,
        Redaction::TokenJsonEscaped,
        Redaction::TokenHtmlEscaped,
        Redaction::TokenSplit,
        Redaction::TokenDamaged,
        Redaction::Certificate,
        Redaction::GivenSecret,
        Redaction::Credential,
        Redaction::PrivateKey,
        Redaction::Jwt,
        Redaction::ChatToken,
        Redaction::CloudKey,
        Redaction::Opaque,
    ];

    /// The text that replaces it.
    pub fn placeholder(self) -> &'static str {
        match self {
            Redaction::Certificate => "[redacted certificate]",
            Redaction::GivenSecret => "[redacted secret]",
            Redaction::Credential => "[redacted credential]",
            Redaction::PrivateKey => "[redacted private key]",
            Redaction::Jwt => "[redacted JWT]",
            Redaction::ChatToken => "[redacted chat token]",
            Redaction::CloudKey => "[redacted cloud key]",
            Redaction::Opaque => "[redacted secret-looking string]",
            _ => "[redacted token]",
        }
    }

    /// What it is, for a reader of the report.
    pub fn describe(self) -> &'static str {
        match self {
            Redaction::Token => "token (006/007)",
            Redaction::TokenUrlEncoded => "token, URL-encoded",
            Redaction::TokenSpaced => "token with `+` turned into spaces",
            Redaction::TokenJsonEscaped => "token, JSON-escaped",
            Redaction::TokenSplit => "token split across lines",
            Redaction::TokenDamaged => "token-shaped text that does not decode (cut or damaged)",
            Redaction::Certificate => "32-hex value in a certificate position",
            Redaction::GivenSecret => "certificate, token or signature given to this run",
            Redaction::TokenHtmlEscaped => "token written with HTML entities",
            Redaction::Credential => {
                "value of a password, secret, key, Customer ID/Secret or Authorization label, or a password in a URL"
            }
            Redaction::PrivateKey => "PEM private key",
            Redaction::Jwt => "JSON Web Token",
            Redaction::ChatToken => "Agora Chat token (YWMt…)",
            Redaction::CloudKey => "cloud storage access key id",
            Redaction::Opaque => "long random-looking string (a token body, a key or a secret)",
        }
    }
}

/// How many times each kind was redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redactions {
    counts: BTreeMap<Redaction, u64>,
}

/// One row of [`Redactions::rows`] (and of the report's JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedactionCount {
    /// The kind.
    pub kind: Redaction,
    /// What it is, in words.
    pub what: &'static str,
    /// How many times.
    pub count: u64,
}

impl Redactions {
    fn add(&mut self, kind: Redaction) {
        *self.counts.entry(kind).or_default() += 1;
    }

    /// How many times `kind` was redacted.
    pub fn count(&self, kind: Redaction) -> u64 {
        self.counts.get(&kind).copied().unwrap_or(0)
    }

    /// All redactions.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// The kinds redacted at least once, in report order.
    pub fn rows(&self) -> Vec<RedactionCount> {
        Redaction::ALL
            .iter()
            .filter_map(|&kind| {
                let count = self.count(kind);
                (count > 0).then_some(RedactionCount {
                    kind,
                    what: kind.describe(),
                    count,
                })
            })
            .collect()
    }
}

/// Removes secrets from text. Built once per run from the secrets the run was given.
#[derive(Debug, Clone)]
pub struct Redactor {
    given: Option<AhoCorasick>,
    /// The given secrets of at least [`MIN_BROKEN_SECRET_LEN`] characters, for
    /// [`Redactor::redact_given_broken`].
    given_long: Option<AhoCorasick>,
    /// Whether token shapes and certificate positions go too (passes 1 and 2), not only the given
    /// secrets (pass 3).
    shapes: bool,
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new::<&str>(&[])
    }
}

impl Redactor {
    /// A redactor that also removes these secrets (and their URL-encoded, spaced and JSON-escaped
    /// forms, in either letter case). Secrets shorter than [`MIN_GIVEN_SECRET_LEN`] are ignored.
    pub fn new<S: AsRef<str>>(secrets: &[S]) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        for secret in secrets {
            let s = secret.as_ref().trim();
            if s.len() < MIN_GIVEN_SECRET_LEN {
                continue;
            }
            for form in [
                s.to_owned(),
                percent_encode(s, false),
                percent_encode(s, true),
                s.replace('+', " "),
                s.replace('/', "\\/"),
            ] {
                if !patterns.contains(&form) {
                    patterns.push(form);
                }
            }
        }
        let given = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("literal patterns of bounded size always build")
        });
        let long: Vec<&str> = secrets
            .iter()
            .map(|s| s.as_ref().trim())
            .filter(|s| s.len() >= MIN_BROKEN_SECRET_LEN)
            .collect();
        let given_long = (!long.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&long)
                .expect("literal patterns of bounded size always build")
        });
        Redactor {
            given,
            given_long,
            shapes: true,
        }
    }

    /// The same redactor removing only the given secrets (for output whose subject is a token,
    /// such as `token`'s own: the token stays, the certificate goes).
    pub fn given_only(mut self) -> Self {
        self.shapes = false;
        self
    }

    /// Redact `text`, counting what was removed into `tally`.
    pub fn text(&self, text: &str, tally: &mut Redactions) -> String {
        if !self.shapes {
            let out = self.redact_given_broken(text, tally);
            return self.redact_given(out, tally);
        }
        let out = self.redact_given_broken(text, tally);
        let out = redact_tokens(&out, tally);
        let out = redact_certificates(&out, tally);
        let out = self.redact_given(out, tally);
        kinds::redact_kinds(&out, tally)
    }

    /// Redact `text` when nobody needs the counts.
    pub fn text_only(&self, text: &str) -> String {
        self.text(text, &mut Redactions::default())
    }

    /// Redact every string literal of a JSON document (keys included), leaving everything else —
    /// order, spacing, escapes of untouched strings — byte for byte as it was. Text that is not
    /// JSON is still handled: every `"…"` that parses as a JSON string is redacted.
    pub fn json_text(&self, json: &str, tally: &mut Redactions) -> String {
        let bytes = json.as_bytes();
        let mut out = String::with_capacity(json.len());
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b'"' {
                i += 1;
                continue;
            }
            // The closing quote: the first `"` not escaped by a backslash.
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            if j >= bytes.len() {
                break;
            }
            let literal = &json[i..=j];
            if let Ok(value) = serde_json::from_str::<String>(literal) {
                let redacted = self.text(&value, tally);
                if redacted != value {
                    out.push_str(&json[copied..i]);
                    out.push_str(&serde_json::to_string(&redacted).unwrap_or_default());
                    copied = j + 1;
                }
            }
            i = j + 1;
        }
        out.push_str(&json[copied..]);
        out
    }

    /// Redact every string inside a JSON value, in place.
    pub fn json_value(&self, value: &mut serde_json::Value, tally: &mut Redactions) {
        match value {
            serde_json::Value::String(s) => {
                let redacted = self.text(s, tally);
                if redacted != *s {
                    *s = redacted;
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    self.json_value(item, tally);
                }
            }
            serde_json::Value::Object(map) => {
                for item in map.values_mut() {
                    self.json_value(item, tally);
                }
            }
            _ => {}
        }
    }

    /// Given secrets broken by whitespace, line breaks or their JSON escapes (`\n`, `\t`): the
    /// text is searched with those removed and each match is redacted over its whole original
    /// span. Unbroken occurrences are left to the other passes, which name their shape.
    fn redact_given_broken(&self, text: &str, tally: &mut Redactions) -> String {
        let Some(ac) = &self.given_long else {
            return text.to_owned();
        };
        let bytes = text.as_bytes();
        // The squeezed text and, for each of its bytes, where it was in `text`.
        let mut squeezed = Vec::with_capacity(bytes.len());
        let mut origin = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let escape = bytes[i] == b'\\' && matches!(bytes.get(i + 1), Some(b'n' | b'r' | b't'));
            if escape {
                i += 2;
                continue;
            }
            if !bytes[i].is_ascii_whitespace() {
                squeezed.push(bytes[i]);
                origin.push(i);
            }
            i += 1;
        }
        let mut spans = Vec::new();
        for m in ac.find_iter(&squeezed) {
            let (start, end) = (origin[m.start()], origin[m.end() - 1] + 1);
            if end - start != m.len() {
                spans.push((start, end));
            }
        }
        if spans.is_empty() {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for (start, end) in spans {
            out.push_str(&text[copied..start]);
            out.push_str(Redaction::GivenSecret.placeholder());
            tally.add(Redaction::GivenSecret);
            copied = end;
        }
        out.push_str(&text[copied..]);
        out
    }

    fn redact_given(&self, text: String, tally: &mut Redactions) -> String {
        let Some(ac) = &self.given else {
            return text;
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in ac.find_iter(&text) {
            out.push_str(&text[last..m.start()]);
            out.push_str(Redaction::GivenSecret.placeholder());
            tally.add(Redaction::GivenSecret);
            last = m.end();
        }
        if last == 0 {
            return text;
        }
        out.push_str(&text[last..]);
        out
    }
}

/// The strings that must never appear in output for this token and certificate: the token as given
/// and as repaired (and its body without the version prefix), the signature in hex and base64,
/// and each certificate.
pub fn secrets_of(
    raw_token: Option<&str>,
    token: Option<&Token>,
    repaired: Option<&str>,
    certificates: &[&str],
) -> Vec<String> {
    use base64::Engine;
    let mut out = Vec::new();
    for t in raw_token.into_iter().chain(repaired) {
        let t = t.trim();
        out.push(t.to_owned());
        // The base64 body carries the signature too; a long run of it is as good as the token.
        if let Some(body) = t.get(3..) {
            out.push(body.to_owned());
        }
    }
    if let Some(token) = token {
        let signature = token.signature();
        out.push(hex::encode(signature));
        out.push(base64::engine::general_purpose::STANDARD.encode(signature));
    }
    out.extend(certificates.iter().map(|c| c.trim().to_owned()));
    out
}

// ---- pass 1: token shapes ----

fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
}

/// The encoding of one token character found at `bytes[i..]`: its length, and whether it was
/// URL-encoded or JSON-escaped. `None` at the end of a run.
fn token_unit(bytes: &[u8], i: usize) -> Option<(usize, Encoding)> {
    let b = *bytes.get(i)?;
    if is_token_char(b) {
        return Some((1, Encoding::Plain));
    }
    let rest = &bytes[i..];
    if b == b'%' && rest.len() >= 3 && rest[1].is_ascii_hexdigit() && rest[2].is_ascii_hexdigit() {
        return Some((3, Encoding::Url));
    }
    if rest.starts_with(b"\\/") {
        return Some((2, Encoding::Json));
    }
    if b == b'&' {
        if let Some((len, _)) = html_entity(rest) {
            return Some((len, Encoding::Html));
        }
    }
    if rest.len() >= 6 && rest[..4].eq_ignore_ascii_case(b"\\u00") {
        let code = [rest[4], rest[5]];
        let known: [&[u8; 2]; 3] = [b"2b", b"2f", b"3d"];
        if known.iter().any(|k| code.eq_ignore_ascii_case(*k)) {
            return Some((6, Encoding::Json));
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Plain,
    Url,
    Json,
    Html,
}

/// An HTML character reference for one of the token alphabet's symbols (`&#43;`, `&#x2B;`,
/// `&plus;`, and the same for `/` and `=`) at the start of `rest`: its length and character.
fn html_entity(rest: &[u8]) -> Option<(usize, char)> {
    const ENTITIES: [(&[u8], char); 9] = [
        (b"&#43;", '+'),
        (b"&#x2b;", '+'),
        (b"&plus;", '+'),
        (b"&#47;", '/'),
        (b"&#x2f;", '/'),
        (b"&sol;", '/'),
        (b"&#61;", '='),
        (b"&#x3d;", '='),
        (b"&equals;", '='),
    ];
    ENTITIES.iter().find_map(|(entity, c)| {
        (rest.len() >= entity.len() && rest[..entity.len()].eq_ignore_ascii_case(entity))
            .then_some((entity.len(), *c))
    })
}

/// A run of token characters from `start`: its end and which encodings it holds.
fn token_run(bytes: &[u8], start: usize) -> (usize, bool, bool) {
    let (mut i, mut url, mut json) = (start, false, false);
    while let Some((len, enc)) = token_unit(bytes, i) {
        url |= enc == Encoding::Url;
        // HTML entities are counted with the JSON escapes here and told apart by the caller.
        json |= matches!(enc, Encoding::Json | Encoding::Html);
        i += len;
    }
    (i, url, json)
}

/// The token text a run stands for: `%XX` and JSON escapes decoded.
fn normalize(raw: &str, into: &mut String) {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while let Some((len, enc)) = token_unit(bytes, i) {
        match enc {
            Encoding::Plain => into.push(char::from(bytes[i])),
            Encoding::Url => {
                let value = u8::from_str_radix(&raw[i + 1..i + 3], 16).unwrap_or(b'?');
                into.push(if value.is_ascii() {
                    char::from(value)
                } else {
                    '?'
                });
            }
            Encoding::Html => into.push(html_entity(&bytes[i..]).map_or('?', |(_, c)| c)),
            Encoding::Json if len == 2 => into.push('/'),
            Encoding::Json => {
                let value = u8::from_str_radix(&raw[i + 4..i + 6], 16).unwrap_or(b'?');
                into.push(char::from(value));
            }
        }
        i += len;
    }
}

/// Whether `candidate` is a token the token command decodes (as given or repaired), with nothing
/// after its last field.
fn decodes(candidate: &str) -> bool {
    !hopeless(candidate)
        && diagnose(candidate)
            .token
            .is_some_and(|t| t.trailing_bytes() == 0)
}

/// Whether no text starting with `prefix` can be a token that [`decodes`], whatever follows it.
///
/// Every way `diagnose` reaches a token ends in `decode` of the text or of a repair of it: `%XX`
/// decoded, spaces as `+`, whitespace removed, the URL-safe alphabet mapped back (`-` → `+`,
/// `_` → `/`), `=` padding appended. Up to the first `%`, whitespace or other non-graphic byte,
/// the prefix comes through each repair as it is or with the alphabet mapped, so what `decode`
/// demands of those characters can be checked on the prefix alone:
/// - `007`: the body is base64 of a zlib stream (token-core `decode_007`, RFC 1950 §2.2), so its
///   first three characters carry a zlib header: compression method 8, window at most 32 KiB,
///   `(CMF * 256 + FLG) % 31 == 0`;
/// - `006`: 32 hex digits of App ID, then a base64 body opening with the signature length, a
///   little-endian 32 (token-core `decode_006`).
///
/// A `false` only means "decode and see"; `true` is never wrong, so skipping the decoding of every
/// join of such a prefix changes no result (the fuzz target `redact` runs both ways' checks).
fn hopeless(prefix: &str) -> bool {
    let b = prefix.as_bytes();
    let fixed = b
        .iter()
        .position(|&c| c == b'%' || !c.is_ascii_graphic())
        .unwrap_or(b.len());
    let b = &b[..fixed];
    let url_safe = |c: u8| match c {
        b'-' => b'+',
        b'_' => b'/',
        c => c,
    };
    // The 16 leading bits of the base64 text `chars` (three characters), in either alphabet.
    let leading_16 = |chars: &[u8]| -> [Option<u16>; 2] {
        [false, true].map(|mapped| {
            let mut bits = 0u32;
            for &c in chars {
                let c = if mapped { url_safe(c) } else { c };
                bits = bits << 6 | u32::from(base64_value(c)?);
            }
            u16::try_from(bits >> 2).ok()
        })
    };
    match b.get(..3) {
        Some(b"007") if b.len() >= 6 => !leading_16(&b[3..6]).into_iter().flatten().any(|h| {
            let [cmf, flg] = h.to_be_bytes();
            cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(cmf) * 256 + u16::from(flg)) % 31 == 0
        }),
        Some(b"006") if b.len() >= V006_HEADER + 3 => {
            !b[3..V006_HEADER].iter().all(u8::is_ascii_hexdigit)
                || !leading_16(&b[V006_HEADER..V006_HEADER + 3])
                    .into_iter()
                    .flatten()
                    .any(|h| u16::from_le_bytes(h.to_be_bytes()) == 32)
        }
        _ => false,
    }
}

/// The value of one character of the standard base64 alphabet.
fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Whether a token may start at `i`: `006`/`007` not glued to a word before it (a `%XX` escape
/// before it counts as a separator: `%22007…` is a quoted token in a URL).
fn token_starts_at(bytes: &[u8], i: usize) -> bool {
    let prefix = bytes.get(i..i + 3);
    if prefix != Some(b"006") && prefix != Some(b"007") {
        return false;
    }
    if i == 0 || !bytes[i - 1].is_ascii_alphanumeric() {
        return true;
    }
    i >= 3
        && bytes[i - 3] == b'%'
        && bytes[i - 2].is_ascii_hexdigit()
        && bytes[i - 1].is_ascii_hexdigit()
}

/// Whether a run that does not decode is still token-shaped enough to redact.
fn looks_like_token(normalized: &str) -> bool {
    let b = normalized.as_bytes();
    // A bare hex string (an App ID or a hash that starts with 006/007) is no token.
    if b.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    if b.starts_with(b"006") {
        b.len() >= V006_HEADER + MIN_006_BODY && b[3..V006_HEADER].iter().all(u8::is_ascii_hexdigit)
    } else {
        b.len() >= 3 + MIN_007_BODY && b[3..].iter().any(u8::is_ascii_alphabetic)
    }
}

/// A token found in text: its byte range and shape.
struct Found {
    end: usize,
    kind: Redaction,
}

fn find_token(text: &str, start: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    let (end, url, json) = token_run(bytes, start);
    let mut whole = String::new();
    normalize(&text[start..end], &mut whole);
    if hopeless(&whole) {
        // Nothing that starts like this decodes, whatever pieces follow: the same answer the
        // joins below would reach, without decoding each of them.
        return looks_like_token(&whole).then_some(Found {
            end,
            kind: Redaction::TokenDamaged,
        });
    }
    let encoded = |split: bool, spaced: bool, url: bool, json: bool| {
        if split {
            Redaction::TokenSplit
        } else if spaced {
            Redaction::TokenSpaced
        } else if url {
            Redaction::TokenUrlEncoded
        } else if json {
            Redaction::TokenJsonEscaped
        } else {
            Redaction::Token
        }
    };
    if decodes(&whole) {
        return Some(Found {
            end,
            kind: encoded(false, false, url, json),
        });
    }
    // Pieces after spaces or line breaks: joined as the token command would repair them, `' '` →
    // `+` (a URL decoder's work) or removed (a line break); the shortest join that decodes wins.
    let (mut spaced, mut joined) = (whole.clone(), whole.clone());
    let (mut any_url, mut any_json, mut any_space, mut any_break) = (url, json, false, false);
    let mut at = end;
    for _ in 0..MAX_PIECES {
        // Every join tried from here on extends `spaced` or `joined`.
        if hopeless(&spaced) && hopeless(&joined) {
            break;
        }
        let gap_len = gap_length(&bytes[at..]);
        if gap_len == 0 || gap_len > MAX_GAP {
            break;
        }
        let gap_end = at + gap_len;
        let gap = &text[at..gap_end];
        // A token ending in `+` ends in spaces: the gap's first spaces may be its last characters.
        if gap.starts_with(' ') {
            let mut trailing = spaced.clone();
            for n in 1..=gap.bytes().take_while(|b| *b == b' ').count() {
                trailing.push('+');
                if decodes(&trailing) {
                    return Some(Found {
                        end: at + n,
                        kind: Redaction::TokenSpaced,
                    });
                }
            }
        }
        let (piece_end, url, json) = token_run(bytes, gap_end);
        if piece_end == gap_end {
            break;
        }
        // Spaces only: each was a `+` (`++` became two spaces); anything else is a line break.
        let spaces = gap.bytes().all(|b| b == b' ');
        any_break |= !spaces;
        any_space |= spaces;
        any_url |= url;
        any_json |= json;
        if spaces {
            spaced.extend(std::iter::repeat_n('+', gap.len()));
        }
        normalize(&text[gap_end..piece_end], &mut spaced);
        normalize(&text[gap_end..piece_end], &mut joined);
        at = piece_end;
        if decodes(&spaced) {
            return Some(Found {
                end: at,
                kind: encoded(any_break && !any_space, any_space, any_url, any_json),
            });
        }
        if joined != spaced && decodes(&joined) {
            return Some(Found {
                end: at,
                kind: encoded(true, false, any_url, any_json),
            });
        }
    }
    looks_like_token(&whole).then_some(Found {
        end,
        kind: Redaction::TokenDamaged,
    })
}

/// The length of the whitespace between two pieces of one token at the start of `rest`: spaces,
/// tabs and line breaks, and line breaks written as JSON escapes (`\n`, `\r`, `\t`, as a log
/// line quoted in a JSON string holds them); past [`MAX_GAP`] it is no gap.
fn gap_length(rest: &[u8]) -> usize {
    let mut i = 0;
    while i <= MAX_GAP {
        match rest.get(i) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => i += 1,
            Some(b'\\') if matches!(rest.get(i + 1), Some(b'n' | b'r' | b't')) => i += 2,
            _ => break,
        }
    }
    i
}

fn redact_tokens(text: &str, tally: &mut Redactions) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(offset) = memchr::memmem::find(&bytes[from..], b"00") {
        let i = from + offset;
        if token_starts_at(bytes, i) {
            if let Some(mut found) = find_token(text, i) {
                if found.kind == Redaction::TokenJsonEscaped && text[i..found.end].contains('&') {
                    found.kind = Redaction::TokenHtmlEscaped;
                }
                out.push_str(&text[copied..i]);
                out.push_str(found.kind.placeholder());
                tally.add(found.kind);
                copied = found.end;
                from = found.end;
                continue;
            }
        }
        from = i + 1;
    }
    if copied == 0 {
        return text.to_owned();
    }
    out.push_str(&text[copied..]);
    out
}

// ---- pass 2: certificates by position ----

/// Keys that name an App ID: a 32-hex value after one of these is public.
const APP_ID_KEYS: &[&str] = &[
    "appid",
    "app_id",
    "app-id",
    "app id",
    "vendorkey",
    "vendor_key",
];

/// Whether the 32-hex string at `bytes[start..start + 32]` stands in a certificate position.
fn certificate_position(text: &str, start: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut window_start = start.saturating_sub(KEY_WINDOW).max(line_start);
    while !text.is_char_boundary(window_start) {
        window_start += 1;
    }
    let before = text[window_start..start].to_ascii_lowercase();
    if let Some(key) = before.rfind("cert") {
        let between = &before[key..];
        if !APP_ID_KEYS.iter().any(|k| between.contains(k)) {
            return true;
        }
    }
    // The second 32-hex argument of a token builder call (appId, appCertificate, …).
    // No lower-cased copy of the line: a long line with many 32-hex values would copy it once per
    // value. Only the callee's name is compared without letter case.
    let line_before = &text[line_start..start];
    if let Some(open) = line_before.rfind('(') {
        let callee = &line_before[..open];
        let args = &line_before[open + 1..];
        let builder = callee
            .trim_end()
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .is_some_and(|name| {
                name.as_bytes()
                    .windows(5)
                    .any(|w| w.eq_ignore_ascii_case(b"token"))
            });
        if builder && hex32_runs(args).count() == 1 {
            return true;
        }
    }
    false
}

/// Start offsets of every 32-hex string standing alone (not part of a longer word).
fn hex32_runs(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !bytes[i].is_ascii_hexdigit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
                i += 1;
                continue;
            }
            let run = bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let start = i;
            i += run;
            if run == 32 && bytes[start..start + 32].iter().all(u8::is_ascii_hexdigit) {
                return Some(start);
            }
        }
        None
    })
}

fn redact_certificates(text: &str, tally: &mut Redactions) -> String {
    let mut out = String::new();
    let mut copied = 0;
    for start in hex32_runs(text) {
        if certificate_position(text, start) {
            out.push_str(&text[copied..start]);
            out.push_str(Redaction::Certificate.placeholder());
            tally.add(Redaction::Certificate);
            copied = start + 32;
        }
    }
    if copied == 0 {
        return text.to_owned();
    }
    out.push_str(&text[copied..]);
    out
}

// ---- pass 3 helpers ----

/// Percent-encode everything but RFC 3986's unreserved characters.
fn percent_encode(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else if lower {
            let _ = write!(out, "%{b:02x}");
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
    const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
    const T006: &str = "006970CA35de60c44645bbae8a215061b33IABNRUO/126HmzFc+J8lQFfnkssUdUXqiePeE2WNZ7lyubdIfRAh39v0EAABAAAAR/QQAAEAAQCvKDdW";
    /// An official vector (AgoraIO/Tools, apaas-app): it holds both `+` and `/`.
    const T007: &str = "007eJxTYJgT3rumdJdoWJpC3aNTb4o76swyLsrHvmznOn/x1cQM9gcKDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGBgYGUCYHYiZwXwQ+P8fAADUHTQ=";

    fn redact(text: &str) -> (String, Redactions) {
        let mut tally = Redactions::default();
        let out = Redactor::default().text(text, &mut tally);
        (out, tally)
    }

    #[test]
    fn every_token_shape_is_removed_and_named() {
        for token in [T006, T007] {
            let url = percent_encode(token, false);
            let cases = [
                (format!("join with token {token} failed"), Redaction::Token),
                (
                    format!("GET /join?token={url}&uid=7"),
                    Redaction::TokenUrlEncoded,
                ),
                (
                    format!("token={} uid=7", token.replace('+', " ")),
                    Redaction::TokenSpaced,
                ),
                (
                    format!("{{\"token\":\"{}\"}}", token.replace('/', "\\/")),
                    Redaction::TokenJsonEscaped,
                ),
                (
                    format!("token:\n{}\n{}\nnext", &token[..40], &token[40..]),
                    Redaction::TokenSplit,
                ),
            ];
            for (text, kind) in cases {
                let (out, tally) = redact(&text);
                assert!(!out.contains(&token[10..30]), "{text:?} → {out:?}");
                assert_eq!(tally.count(kind), 1, "{text:?} → {out:?} {tally:?}");
            }
        }
    }

    #[test]
    fn the_word_after_a_token_stays() {
        let (out, _) = redact(&format!("token {T007} expired at 12:00"));
        assert_eq!(out, "token [redacted token] expired at 12:00");
        let spaced = T006.replace('+', " ");
        let (out, _) = redact(&format!("t={spaced} channel demo"));
        assert_eq!(out, "t=[redacted token] channel demo");
    }

    #[test]
    fn a_spaced_token_ending_in_plus_loses_its_trailing_spaces_too() {
        // Regression (found by the property test): `…Si+` became `…Si ` and the join stopped early.
        let token = (0..100_000)
            .map(|salt| {
                agora_token_core::build::rtc_007(
                    APP_ID,
                    CERT,
                    "demo",
                    "7",
                    agora_token_core::build::Role::Publisher,
                    1_700_000_000,
                    600,
                    600,
                    salt,
                )
                .unwrap()
            })
            .find(|t| t.ends_with('+') && t.contains("++"))
            .expect("some salt gives a token ending in `+` and holding `++`");
        let spaced = token.replace('+', " ");
        for (text, rest) in [
            (format!("t={spaced}"), ""),
            (format!("t={spaced} failed"), " failed"),
            (format!("t={spaced}\nnext"), "\nnext"),
        ] {
            let (out, tally) = redact(&text);
            assert_eq!(out, format!("t=[redacted token]{rest}"), "{text:?}");
            assert_eq!(tally.count(Redaction::TokenSpaced), 1);
        }
    }

    #[test]
    fn a_cut_token_is_still_redacted_but_an_app_id_is_not() {
        let (out, tally) = redact(&format!("token {} (cut)", &T007[..60]));
        assert_eq!(out, "token [redacted token] (cut)");
        assert_eq!(tally.count(Redaction::TokenDamaged), 1);
        for public in [
            format!("appId: {APP_ID}"),
            "appId 006a1b2c3d4e5f60718293a4b5c6d7e8".to_owned(),
            "James 007 and build 0070".to_owned(),
        ] {
            assert_eq!(redact(&public).0, public);
        }
    }

    #[test]
    fn certificates_in_every_language_are_redacted_and_app_ids_kept() {
        let upper = CERT.to_uppercase();
        for line in [
            format!("AGORA_APP_CERTIFICATE={CERT} cargo run"),
            format!("const appCertificate = \"{upper}\";"),
            format!("app_certificate: {CERT}"),
            format!("{{\"appId\":\"{APP_ID}\",\"appCertificate\":\"{CERT}\"}}"),
            format!("APP_CERTIFICATE={CERT}"),
            format!("val appCertificate: String = \"{CERT}\""),
            format!("static let AppCertificate = \"{CERT}\""),
            format!("static const String appCertificate = '{CERT}';"),
            format!("APP_CERTIFICATE = os.getenv(\"X\", \"{CERT}\")"),
            format!("RtcTokenBuilder.buildTokenWithUid(\"{APP_ID}\", \"{CERT}\", \"demo\", 0)"),
        ] {
            let (out, tally) = redact(&line);
            assert!(
                !out.to_lowercase().contains(&CERT.to_lowercase()),
                "{line} → {out}"
            );
            assert_eq!(tally.count(Redaction::Certificate), 1, "{line} → {out}");
            if line.contains(APP_ID) {
                assert!(out.contains(APP_ID), "the App ID must stay: {out}");
            }
        }
        let public = format!("certificate ok for appId {APP_ID}, sid {CERT}");
        assert_eq!(redact(&public).0, public);
    }

    #[test]
    fn given_secrets_go_in_any_case_and_encoding() {
        let r = Redactor::new(&["Secret/Value+1234", "short"]);
        let mut tally = Redactions::default();
        let out = r.text(
            "a secret/value+1234 b Secret%2FValue%2B1234 c Secret\\/Value 1234 short",
            &mut tally,
        );
        assert_eq!(
            out,
            "a [redacted secret] b [redacted secret] c Secret\\/Value 1234 short"
        );
        assert_eq!(tally.count(Redaction::GivenSecret), 2);
    }

    /// `hopeless` skips decoding; it must never call a real token's prefix hopeless, in any shape
    /// the redactor normalizes (whole, URL-safe alphabet, `+` as spaces joined back, cut short).
    #[test]
    fn no_prefix_of_a_real_token_is_hopeless() {
        use agora_token_core::build::{rtc_006, rtc_007, Role};
        let mut tokens = vec![T006.to_owned(), T007.to_owned()];
        for salt in 0..200 {
            tokens.push(
                rtc_007(
                    APP_ID,
                    CERT,
                    "demo",
                    &salt.to_string(),
                    Role::Publisher,
                    1_700_000_000,
                    600,
                    600,
                    salt,
                )
                .unwrap(),
            );
            tokens.push(
                rtc_006(
                    APP_ID,
                    CERT,
                    &format!("channel-{salt}"),
                    &salt.to_string(),
                    Role::Publisher,
                    1_700_000_000,
                    1_700_000_000 + salt,
                    salt,
                )
                .unwrap(),
            );
        }
        for token in &tokens {
            assert!(decodes(token), "{token}");
            let url_safe = token.replace('+', "-").replace('/', "_");
            for shape in [token.as_str(), url_safe.as_str()] {
                for end in 0..=shape.len() {
                    assert!(!hopeless(&shape[..end]), "{shape} cut at {end}");
                }
            }
        }
    }

    #[test]
    fn garbage_after_a_version_prefix_is_hopeless_and_skipped() {
        for text in [
            "007abcdefghijklmnop",
            "007eJAxyz",
            "006970CA35de60c44645bbae8a215061b33ZZZZZZ",
            "006970CA35de60c44645bbae8a215061bXXIABxyz",
        ] {
            assert!(hopeless(text), "{text}");
        }
        // Too short to judge, or a `%` or space a repair may change: decode and see.
        for text in ["007eJ", "007%65Jx", "007 eJx", "006970CA35de60c"] {
            assert!(!hopeless(text), "{text}");
        }
    }

    #[test]
    fn json_text_keeps_the_document_valid_and_its_layout() {
        let doc = serde_json::json!({"b": format!("line\n{T007}"), "a": [format!("x {CERT}"), "appCertificate=".to_owned() + CERT]});
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let mut tally = Redactions::default();
        let out = Redactor::default().json_text(&text, &mut tally);
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed["b"], "line\n[redacted token]");
        assert_eq!(parsed["a"][0], format!("x {CERT}"));
        assert_eq!(parsed["a"][1], "appCertificate=[redacted certificate]");
        assert_eq!(tally.total(), 2);
        assert_eq!(out.lines().count(), text.lines().count());
    }
}
