//! Pass 4 of the redactor: secrets that are not Agora RTC tokens, found by their label or their
//! shape, whether or not the user gave them to the tool.
//!
//! - **By shape**: PEM private-key blocks; JWTs (`eyJ…` header, `.`, payload, `.`, signature, RFC
//!   7519 §3); Agora Chat (Easemob) tokens, base64 of the `amt-`/`amt` marker, so they start with
//!   `YWMt` (<https://docs.agora.io/en/agora-chat/develop/authentication>); AWS access key ids
//!   (`AKIA`/`ASIA`… and 16 upper-case characters, as in a Cloud Recording `storageConfig`); a user's
//!   password in a URL (`scheme://user:password@host`, RFC 3986 §3.2.1); and any long
//!   random-looking run of the base64 alphabet with both letter cases and digits (a token body
//!   that lost its `006`/`007` prefix or its first line, a secret key, a Customer Secret).
//! - **By label**: the value after a key that names a secret (`password`, `secret`, `apikey`,
//!   `signature`, `customerSecret`, `secretKey`, `Authorization: Basic …`, a `?key=` query
//!   parameter, …) in the assignment and query shapes code, logs and URLs use: `key=v`, `key: v`,
//!   `key = 'v'`, `"key": "v"`, `key v` for certificate and secret keys.
//!
//! Everything here is linear in the text: one left-to-right scan that copies unchanged stretches.

use super::{Redaction, Redactions};

/// A random-looking run must be at least this long (an App ID, 32 hex digits, has one letter case
/// and is never caught; ICE passwords, 22–24 characters, are shorter).
const MIN_OPAQUE: usize = 32;
/// Values shorter than this are never redacted by label: `token: null`, `key: 7`.
const MIN_LABELLED: usize = 6;

/// Keys whose value is a secret whatever it looks like (lower case, `_`, `-` and spaces removed).
const STRONG_KEYS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "secretkey",
    "secretaccesskey",
    "awssecretaccesskey",
    "clientsecret",
    "customersecret",
    "restfulsecret",
    "apisecret",
    "appsecret",
    "webhooksecret",
    "ncssecret",
    "signingsecret",
    "privatekey",
    "apikey",
    "signature",
    "sig",
    "customerid",
    "customerkey",
    "plaincredential",
    "credential",
    "credentials",
    "appcertificate",
    "certificate",
    "cert",
    "primarycertificate",
    "secondarycertificate",
];

/// Keys that label a secret with a space alone (`cert 5a4f…`, `Customer Secret b52e…`): only
/// these, since after most words a space begins prose (`✓ pass localhost:443: reachable`).
const SPACED_KEYS: &[&str] = &[
    "cert",
    "certificate",
    "appcertificate",
    "secret",
    "password",
    "passwd",
    "customerid",
    "customersecret",
];

/// Keys whose value is redacted only when it looks like a secret (has a digit or both letter cases
/// and is long enough): these words also label ordinary values.
const WEAK_KEYS: &[&str] = &[
    "key",
    "token",
    "accesstoken",
    "authtoken",
    "rtctoken",
    "rtmtoken",
    "chattoken",
    "usertoken",
    "apptoken",
    "accesskey",
    "accesskeyid",
    "awsaccesskeyid",
    "auth",
    "authorization",
    "bearer",
];

/// Redact every secret of pass 4 in `text`.
pub(super) fn redact_kinds(text: &str, tally: &mut Redactions) -> String {
    let text = redact_pem(text, tally);
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Only at the start of a word: the rules below look at whole runs.
        let word_start = i == 0 || !is_run_byte(bytes[i - 1]);
        let found = if b == b':' && bytes[i..].starts_with(b"://") {
            url_password(bytes, i)
        } else if word_start && is_run_byte(b) {
            shaped(bytes, i).or_else(|| labelled(bytes, i))
        } else {
            None
        };
        match found {
            Some((start, end, kind)) if start >= copied => {
                out.push_str(&text[copied..start]);
                out.push_str(kind.placeholder());
                tally.add(kind);
                copied = end;
                i = end;
            }
            _ => {
                // Skip the rest of this run: no rule starts inside a word.
                i += 1;
                if word_start && is_run_byte(b) {
                    while i < bytes.len() && is_run_byte(bytes[i]) && bytes[i] != b':' {
                        i += 1;
                    }
                }
            }
        }
    }
    if copied == 0 {
        return text;
    }
    out.push_str(&text[copied..]);
    out
}

/// The base64 alphabets (standard and URL-safe) and `=` padding.
fn is_run_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
}

fn run_end(bytes: &[u8], start: usize, allowed: impl Fn(u8) -> bool) -> usize {
    let mut end = start;
    while end < bytes.len() && allowed(bytes[end]) {
        end += 1;
    }
    end
}

/// A secret recognised by its own shape at `start`: (start, end, kind).
fn shaped(bytes: &[u8], start: usize) -> Option<(usize, usize, Redaction)> {
    let rest = &bytes[start..];
    if rest.starts_with(b"eyJ") {
        if let Some(end) = jwt_end(bytes, start) {
            return Some((start, end, Redaction::Jwt));
        }
    }
    if rest.starts_with(b"YWMt") {
        let end = run_end(bytes, start, is_run_byte);
        if end - start >= 24 {
            return Some((start, end, Redaction::ChatToken));
        }
    }
    if let Some(end) = aws_key_id_end(bytes, start) {
        return Some((start, end, Redaction::CloudKey));
    }
    let end = run_end(bytes, start, is_run_byte);
    // A `key=value` pair is one run of this alphabet (`=` is base64 padding): leave it to the
    // labelled rule, which keeps the key.
    let run = &bytes[start..end];
    if let Some(eq) = run.iter().position(|&b| b == b'=') {
        let key = &run[..eq];
        let padding = eq == run.len() - 1;
        if !padding
            && !key.is_empty()
            && key.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            return None;
        }
    }
    random_looking(run).then_some((start, end, Redaction::Opaque))
}

/// Whether a run looks random rather than like words, paths or hex: long, both letter cases and
/// digits, and its letters and digits change class (upper, lower, digit) often. Random base64
/// changes class between about three in five neighbours, the DER inside a PEM key about one in
/// three; `camelCase` words and paths about one in six; so one in four divides them. Hex (an App
/// ID, a hash) has a single letter case.
pub(super) fn random_looking(run: &[u8]) -> bool {
    // Hex in any letter case (an App ID, a hash, a session id) is an identifier, not a secret; a
    // certificate is found by its position (pass 2).
    if run.len() < MIN_OPAQUE || run.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    let class = |b: u8| match b {
        b'A'..=b'Z' => 0u8,
        b'a'..=b'z' => 1,
        b'0'..=b'9' => 2,
        _ => 3,
    };
    let (mut seen, mut changes) = ([false; 4], 0usize);
    for (i, &b) in run.iter().enumerate() {
        seen[usize::from(class(b))] = true;
        // Between letters and digits only: the `/`, `_` and `-` of paths and names count nothing.
        if i > 0 && class(b) != 3 && class(run[i - 1]) != 3 && class(b) != class(run[i - 1]) {
            changes += 1;
        }
    }
    seen[0] && seen[1] && seen[2] && changes * 4 >= run.len()
}

/// The end of a JWT (`header.payload.signature`, each base64url) starting at `start`.
fn jwt_end(bytes: &[u8], start: usize) -> Option<usize> {
    let url = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let header_end = run_end(bytes, start, url);
    if header_end - start < 10 || bytes.get(header_end) != Some(&b'.') {
        return None;
    }
    let payload_end = run_end(bytes, header_end + 1, url);
    if payload_end - header_end < 10 || bytes.get(payload_end) != Some(&b'.') {
        return None;
    }
    Some(run_end(bytes, payload_end + 1, url))
}

/// The end of an AWS access key id (`AKIA` and kin, then 16 upper-case letters and digits).
fn aws_key_id_end(bytes: &[u8], start: usize) -> Option<usize> {
    const PREFIXES: [&[u8]; 8] = [
        b"AKIA", b"ASIA", b"AGPA", b"AIDA", b"AROA", b"ANPA", b"ANVA", b"AIPA",
    ];
    let rest = &bytes[start..];
    if !PREFIXES.iter().any(|p| rest.starts_with(p)) {
        return None;
    }
    let end = run_end(bytes, start, |b| {
        b.is_ascii_uppercase() || b.is_ascii_digit()
    });
    let after = bytes.get(end).copied();
    (end - start == 20 && !after.is_some_and(|b| b.is_ascii_alphanumeric())).then_some(end)
}

/// `scheme://user:password@`: the password (from `://` at `at`).
fn url_password(bytes: &[u8], at: usize) -> Option<(usize, usize, Redaction)> {
    let start = at + 3;
    let authority_end = run_end(bytes, start, |b| {
        !matches!(
            b,
            b'/' | b'?' | b'#' | b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'<' | b'>'
        )
    });
    let authority = &bytes[start..authority_end];
    let at_sign = authority.iter().rposition(|&b| b == b'@')?;
    let colon = authority[..at_sign].iter().position(|&b| b == b':')?;
    let (from, to) = (start + colon + 1, start + at_sign);
    (to > from).then_some((from, to, Redaction::Credential))
}

/// A value after a key naming a secret: (start, end, kind) of the value alone.
fn labelled(bytes: &[u8], start: usize) -> Option<(usize, usize, Redaction)> {
    // The key: letters, digits, `_`, `-`, `.` (`aws.secretKey`), as one word.
    let key_end = run_end(bytes, start, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')
    });
    if key_end == start || key_end - start > 40 {
        return None;
    }
    let normal = |range: std::ops::Range<usize>| -> String {
        bytes[range]
            .iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect()
    };
    let known = |key: &str| {
        let strong = STRONG_KEYS.contains(&key) || ends_with_secret_word(key);
        (strong, WEAK_KEYS.contains(&key))
    };
    let mut key_end = key_end;
    let mut key = normal(start..key_end);
    let (mut strong, mut weak) = known(&key);
    // Two-word labels: `Customer ID:`, `Customer Secret:`, `App Certificate:`, `API key:`.
    if !strong && !weak && bytes.get(key_end) == Some(&b' ') {
        let second_end = run_end(bytes, key_end + 1, |b| b.is_ascii_alphanumeric());
        if second_end > key_end + 1 {
            let two_words = normal(start..second_end);
            let (s, w) = known(&two_words);
            if s || w {
                (strong, weak, key_end, key) = (s, w, second_end, two_words);
            }
        }
    }
    if !strong && !weak {
        return None;
    }
    // A query parameter named like a secret (`?key=`, `&token=`) holds one, whatever its length.
    if start > 0 && matches!(bytes[start - 1], b'?' | b'&') {
        strong = true;
    }
    // Separator: an optional closing quote of the key, spaces, `=` or `:` (or spaces alone for a
    // certificate, secret or password), spaces, an optional opening quote.
    let mut i = key_end;
    if matches!(bytes.get(i), Some(b'"' | b'\'')) {
        i += 1;
    }
    let spaces = |i: usize| run_end(bytes, i, |b| b == b' ' || b == b'\t');
    i = spaces(i);
    let explicit = matches!(bytes.get(i), Some(b'=' | b':'));
    if explicit {
        i += 1;
        // `==` (a comparison) or `::` (a path) is no assignment.
        if matches!(bytes.get(i), Some(b'=' | b':')) {
            return None;
        }
        i = spaces(i);
    } else if !(i > key_end && SPACED_KEYS.contains(&key.as_str())) {
        return None;
    }
    let quote = match bytes.get(i) {
        Some(&q @ (b'"' | b'\'' | b'`')) => {
            i += 1;
            Some(q)
        }
        _ => None,
    };
    // `Authorization: Basic …`, `Bearer …`: the scheme stays, its credentials go.
    for scheme in [&b"Basic "[..], b"Bearer ", b"Digest ", b"Token "] {
        if bytes[i..].len() >= scheme.len()
            && bytes[i..i + scheme.len()].eq_ignore_ascii_case(scheme)
        {
            i += scheme.len();
            i = spaces(i);
        }
    }
    let value_end = match quote {
        Some(q) => run_end(bytes, i, |b| b != q && b != b'\n' && b != b'\r'),
        None => run_end(bytes, i, |b| {
            !matches!(
                b,
                b' ' | b'\t'
                    | b'\r'
                    | b'\n'
                    | b','
                    | b';'
                    | b'&'
                    | b')'
                    | b'}'
                    | b']'
                    | b'"'
                    | b'\''
                    | b'<'
                    | b'>'
            )
        }),
    };
    let value = &bytes[i..value_end];
    let secret = if strong {
        strong_value(value, explicit || quote.is_some())
    } else {
        weak_value(value)
    };
    if !secret {
        return None;
    }
    // A value with a shape of its own (a JWT, a chat token, a key id) is named by it.
    let kind = match shaped(bytes, i) {
        Some((_, end, kind)) if end == value_end && kind != Redaction::Opaque => kind,
        _ => Redaction::Credential,
    };
    Some((i, value_end, kind))
}

/// `mySecret`, `ncs_secret`, `customer_secret`: any key ending in `secret` or `password`.
fn ends_with_secret_word(key: &str) -> bool {
    key.len() > 6 && (key.ends_with("secret") || key.ends_with("password"))
}

/// Values that are code, placeholders or already redacted, never secrets.
fn placeholder(value: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(value).to_ascii_lowercase();
    let words = [
        "null",
        "nil",
        "none",
        "undefined",
        "true",
        "false",
        "empty",
        "required",
        "optional",
        "string",
        "redacted",
        "hidden",
        "masked",
    ];
    words.contains(&lower.as_str())
        || lower.starts_with("[redacted")
        || lower.starts_with("your")
        || lower.starts_with("<")
        || lower.starts_with("${")
        || lower.starts_with('{')
        || lower.starts_with('$')
        || lower.starts_with('%')
        || lower.starts_with("process.env")
        || lower.starts_with("os.environ")
        || lower.starts_with("env.")
        || lower.starts_with("import.meta")
        || value
            .iter()
            .all(|&b| b == b'*' || b == b'x' || b == b'X' || b == b'.')
        || value.contains(&b'(')
}

/// A value under a strong key: anything long enough that is not a placeholder, a variable name or
/// a sentence's next word.
fn strong_value(value: &[u8], explicit: bool) -> bool {
    if value.len() < MIN_LABELLED || placeholder(value) {
        return false;
    }
    let identifier = value
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'));
    let has_digit = value.iter().any(u8::is_ascii_digit);
    if !explicit {
        // `cert 5a4f…`, `secret abc123…`: only what cannot be prose.
        return has_digit && value.iter().all(|b| !b.is_ascii_whitespace()) && value.len() >= 8;
    }
    // `secret: CONFIG_SECRET` or `password = config.password` name where it comes from.
    let env_name = value
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
        && !has_digit;
    let code_path = identifier && value.contains(&b'.') && !has_digit;
    !(env_name || code_path)
}

/// A value under a weak key: long and secret-looking.
fn weak_value(value: &[u8]) -> bool {
    if value.len() < 16 || placeholder(value) {
        return false;
    }
    let upper = value.iter().any(u8::is_ascii_uppercase);
    let lower = value.iter().any(u8::is_ascii_lowercase);
    let digit = value.iter().any(u8::is_ascii_digit);
    // 32 hex digits under `key`/`token` is an App ID (or the static key that is one): public.
    let hex32 = value.len() == 32 && value.iter().all(u8::is_ascii_hexdigit);
    !hex32 && digit && (upper || lower) && value.iter().all(|b| b.is_ascii_graphic())
}

/// PEM private-key blocks (RFC 7468), whole, up to their END line or the end of the text.
fn redact_pem(text: &str, tally: &mut Redactions) -> String {
    const BEGIN: &str = "-----BEGIN ";
    if !text.contains(BEGIN) {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(offset) = text[from..].find(BEGIN) {
        let start = from + offset;
        let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        let label = &text[start..line_end];
        if !label.contains("PRIVATE KEY-----") {
            from = start + BEGIN.len();
            continue;
        }
        let end = text[line_end..]
            .find("-----END ")
            .map(|n| line_end + n)
            .and_then(|e| text[e..].find("KEY-----").map(|k| e + k + "KEY-----".len()))
            .unwrap_or(text.len());
        out.push_str(&text[copied..start]);
        out.push_str(Redaction::PrivateKey.placeholder());
        tally.add(Redaction::PrivateKey);
        copied = end;
        from = end;
    }
    if copied == 0 {
        return text.to_owned();
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(text: &str) -> String {
        redact_kinds(text, &mut Redactions::default())
    }

    #[test]
    fn every_kind_is_removed_and_its_label_kept() {
        let cases = [
            (
                "Authorization: Basic ZjFhMmIzYzQ6c2VjcmV0Nzc3",
                "Authorization: Basic [redacted credential]",
            ),
            (
                "customerSecret = \"c0ffee7a1b2c3d4e5f60718293a4b5c6\"",
                "customerSecret = \"[redacted credential]\"",
            ),
            (
                "\"customer_id\": \"a1b2c3d4e5f60718293a4b5c6d7e8f90\"",
                "\"customer_id\": \"[redacted credential]\"",
            ),
            (
                "\"accessKey\": \"AKIAIOSFODNN7EXAMPLE\",",
                "\"accessKey\": \"[redacted cloud key]\",",
            ),
            (
                "\"secretKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"",
                "\"secretKey\": \"[redacted credential]\"",
            ),
            (
                "proxy http://bob:hunter22@10.0.0.1:3128",
                "proxy http://bob:[redacted credential]@10.0.0.1:3128",
            ),
            (
                "GET /token?channel=a&apikey=Zx81kq0PzzA2&uid=3",
                "GET /token?channel=a&apikey=[redacted credential]&uid=3",
            ),
            (
                "webhook_secret: s3cr3t-Value",
                "webhook_secret: [redacted credential]",
            ),
            (
                "app_certificate = 'notHex99AndLong'",
                "app_certificate = '[redacted credential]'",
            ),
            (
                "secret: 0f0e0d0c0b0a09080706050403020100",
                "secret: [redacted credential]",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(redact(text), want, "{text}");
        }
    }

    #[test]
    fn shapes_go_without_a_label() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let chat = "YWMtFk3xQm0aEe6QpQn9CqP1AAAAAAAAAAAAAAAAAAAAAAGL4CTw7XPbB3Ci";
        let body = "IABNRUO/126HmzFc+J8lQFfnkssUdUXqiePeE2WNZ7lyubdIfRAh39v0EAABAAAAR";
        for (text, want) in [
            (format!("login with {jwt} now"), "login with [redacted JWT] now"),
            (format!("chat token {chat}"), "chat token [redacted chat token]"),
            (format!("...then\n{body}\n"), "...then\n[redacted secret-looking string]\n"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\nok".to_owned(),
                "[redacted private key]\nok",
            ),
        ] {
            assert_eq!(redact(&text), want, "{text}");
        }
    }

    #[test]
    fn ordinary_text_stays() {
        for text in [
            "appId: 970CA35de60c44645bbae8a215061b33",
            "the token expired 3 h ago; pass --cert-file PATH",
            "secret: CONFIG_SECRET",
            "password = config.password",
            "token: null",
            "at io.agora.rtc2.internal.RtcEngineImpl.joinChannel(RtcEngineImpl.java:1234)",
            "✓ pass localhost:36179: reachable in 68 ms (HTTP 200)",
            "step key 12 of 30: done",
            "/home/User1/Projects/MyVoiceApp2/node_modules/agora-rtc-sdk-ng/AgoraRTC_N.js",
            "commit 4f8c1d2e3b4a59687f6e5d4c3b2a19081726354a",
            "https://docs.agora.io/en/video-calling/reference/error-codes?platform=web",
            "key: 7",
            "if (password == other) {}",
            "const secret = process.env.AGORA_SECRET;",
        ] {
            assert_eq!(redact(text), text);
        }
    }
}
