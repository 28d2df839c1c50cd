//! A second look at pastes the diagnosis classifier cannot read: a token inside something (a JSON body, an
//! `Authorization` header, a URL, a config or log line), a JSON-escaped `\/`, a token pasted twice,
//! a masked middle, an ellipsis, and things that are not Agora tokens at all (a JWT, another
//! vendor's RTC token, a hash).
//!
//! [`crate::diagnose`] stays the exact classifier of `docs/tokens.md#diagnosis-codes` (the vectors pin its codes); this
//! module runs only when that classifier found damage it cannot repair, and says in one sentence
//! what was wrapped around the token or done to it.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;

use crate::diagnose::{diagnose, Code, Diagnosis};

/// Runs of these characters hide the middle of a secret before it is pasted in public.
const MASKS: &[&str] = &[
    "****",
    "....",
    "…",
    "xxxx",
    "XXXX",
    "####",
    "<redacted>",
    "[redacted]",
];

/// Diagnose `raw` (`docs/tokens.md#diagnosis-codes`), then take a second look when the damage has no certain repair.
///
/// ```
/// use agora_token_core::{examine, Code};
/// let t = "006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW";
/// let d = examine(&format!("Authorization: Bearer {t}"));
/// assert_eq!(d.code, Code::Wrapped);
/// assert_eq!(d.repaired.as_deref(), Some(t));
/// ```
pub fn examine(raw: &str) -> Diagnosis {
    let first = diagnose(raw);
    // `001` is also the version of another vendor's tokens: their shape says which.
    if first.code == Code::LegacyDynamicKey {
        if let Some(d) = volcengine(raw.trim()) {
            return d;
        }
    }
    // Only damage the classifier could not place gets a second look; its own specific verdicts
    // (legacy keys, placeholders, an App ID, a bad App ID…) stand.
    let unplaced = matches!(
        first.code,
        Code::UnknownVersion
            | Code::BadBase64
            | Code::Truncated
            | Code::TrailingBytes
            | Code::BadZlib
    );
    if first.repaired.is_some() || !unplaced {
        return first;
    }
    second_look(raw.trim(), first)
}

fn second_look(t: &str, first: Diagnosis) -> Diagnosis {
    if let Some(d) = pasted_twice(t) {
        return d;
    }
    // Two different tokens joined keep the diagnosis code (vector `two-tokens-concatenated`),
    // with a detail that says what happened instead of "`=` at position N".
    if let Some(detail) = two_tokens(t) {
        return Diagnosis { detail, ..first };
    }
    json_escaped(t)
        .or_else(|| masked_or_ellipsis(t))
        .or_else(|| missing_prefix(t))
        .or_else(|| wrapped(t))
        .or_else(|| impostor(t))
        .unwrap_or(first)
}

fn sound(s: &str) -> Option<Diagnosis> {
    let d = diagnose(s);
    d.token.as_ref()?;
    (d.code == Code::Ok || d.repaired.is_some()).then_some(d)
}

fn found(code: Code, detail: String, inner: Diagnosis, token_text: String) -> Diagnosis {
    Diagnosis {
        code,
        detail,
        repaired: Some(inner.repaired.unwrap_or(token_text)),
        token: inner.token,
        error: None,
    }
}

fn not_token(code: Code, detail: String) -> Diagnosis {
    Diagnosis {
        code,
        detail,
        repaired: None,
        token: None,
        error: None,
    }
}

/// Where a token may start: `006`/`007` not glued to a word character before it.
fn starts(t: &str) -> Vec<usize> {
    let b = t.as_bytes();
    (0..b.len().saturating_sub(2))
        .filter(|&i| {
            (&b[i..i + 3] == b"006" || &b[i..i + 3] == b"007")
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
        })
        .collect()
}

/// The same token twice (or two tokens) back to back: the first one is complete.
fn pasted_twice(t: &str) -> Option<Diagnosis> {
    if !(t.starts_with("006") || t.starts_with("007")) {
        return None;
    }
    let b = t.as_bytes();
    for p in 3..b.len().saturating_sub(2) {
        if &b[p..p + 3] != b"006" && &b[p..p + 3] != b"007" {
            continue;
        }
        let (a, rest) = t.split_at(p);
        let Some(first) = sound(a) else { continue };
        if rest != a {
            continue;
        }
        let detail = format!("the token was pasted twice: the same {}-character token appears two times back to back", a.len());
        return Some(found(Code::PastedTwice, detail, first, a.to_string()));
    }
    None
}

/// Two different complete tokens back to back (the official parsers silently read the first).
fn two_tokens(t: &str) -> Option<String> {
    let b = t.as_bytes();
    (3..b.len().saturating_sub(2)).find_map(|p| {
        // `0` is ASCII, so a prefix match is also a char boundary to split at.
        if &b[p..p + 3] != b"006" && &b[p..p + 3] != b"007" {
            return None;
        }
        let (a, rest) = t.split_at(p);
        (sound(a).is_some()
            && sound(rest).is_some())
        .then(|| format!("two different tokens are joined back to back ({} + {} characters): pass one of them", a.len(), rest.len()))
    })
}

fn json_escaped(t: &str) -> Option<Diagnosis> {
    if !(t.contains("\\/")
        || t.contains("\\u002F")
        || t.contains("\\u002f")
        || t.contains("\\u002B")
        || t.contains("\\u002b"))
    {
        return None;
    }
    let fixed = json_unescape(t);
    if let Some(d) = sound(&fixed) {
        let n = t.matches("\\/").count() + t.matches("\\u00").count();
        return Some(found(
            Code::JsonEscaped,
            format!("the token was copied out of a JSON text with its escapes: {n} `\\/` (or `\\u002F`) stand for `/`"),
            d,
            fixed.trim().to_string(),
        ));
    }
    // A JSON body whose token is escaped: the wrapper rule unescapes candidates too.
    None
}

fn json_unescape(s: &str) -> String {
    s.replace("\\/", "/")
        .replace("\\u002F", "/")
        .replace("\\u002f", "/")
        .replace("\\u002B", "+")
        .replace("\\u002b", "+")
        .replace("\\u003D", "=")
        .replace("\\u003d", "=")
}

fn masked_or_ellipsis(t: &str) -> Option<Diagnosis> {
    let body = t.trim_matches(|c: char| "\"'`".contains(c));
    if !(body.starts_with("006") || body.starts_with("007")) {
        return None;
    }
    let trimmed_end = body.trim_end_matches(['.', '…', '*', ' ']);
    for m in MASKS {
        if let Some(i) = body.find(m) {
            let tail =
                body[i..].trim_start_matches(|c: char| m.contains(c) || c == '.' || c == '*');
            if tail.len() >= 4 {
                return Some(not_token(
                    Code::Masked,
                    format!("the middle of the token was masked with `{m}` before it was pasted (at character {i}): the hidden part cannot be recovered"),
                ));
            }
        }
    }
    // Masked to its end (`007eJx…********`): the rest was hidden, not cut for display.
    let hidden = ['*', '#', 'x', 'X']
        .iter()
        .map(|&c| body.len() - body.trim_end_matches(c).len())
        .max()
        .unwrap_or(0);
    let shown = body[..body.len() - hidden].trim_end_matches(|c: char| "\"'`".contains(c));
    // A complete token followed by stars was not masked (the wrapper rule reads it).
    if hidden >= 4 && sound(shown).is_none() {
        let kept = body.len() - hidden;
        return Some(not_token(
            Code::Masked,
            format!("the token was masked before pasting: only its first {kept} characters are shown, the rest is hidden: ask for the whole token"),
        ));
    }
    if trimmed_end.len() < body.len() && (body.ends_with("...") || body.ends_with('…')) {
        return Some(not_token(
            Code::Truncated,
            format!("the token ends with an ellipsis after {} characters: it was shortened for display (a log, a UI or a chat preview)", trimmed_end.len()),
        ));
    }
    None
}

/// A 007 token whose `007` was lost: the body alone (`eJx…`) is a valid AccessToken2.
fn missing_prefix(t: &str) -> Option<Diagnosis> {
    if !t.starts_with("eJ") {
        return None;
    }
    let with = format!("007{t}");
    let d = sound(&with)?;
    Some(found(
        Code::UnknownVersion,
        "the `007` at the start was lost: with it the text is a complete AccessToken2".into(),
        d,
        with,
    ))
}

/// Characters a token candidate inside other text may hold (its own damage included).
fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+/=%-_\\".contains(c)
}

fn wrapped(t: &str) -> Option<Diagnosis> {
    for start in starts(t) {
        if start == 0 && !t.contains(|c: char| c.is_whitespace() || "\"'{}[]&?;,".contains(c)) {
            // The whole text is the token: not wrapped (the diagnosis stands).
            continue;
        }
        let end = t[start..]
            .char_indices()
            .find(|&(_, c)| !token_char(c))
            .map_or(t.len(), |(i, _)| start + i);
        let mut candidate = t[start..end].to_string();
        // A trailing backslash of a JSON escape or a closing `\"` is not part of the token.
        while candidate.ends_with('\\') {
            candidate.pop();
        }
        let unescaped = json_unescape(&candidate);
        let (inner, escaped) = match sound(&candidate) {
            Some(d) => (d, false),
            None => match sound(&unescaped) {
                Some(d) => (d, unescaped != candidate),
                None => continue,
            },
        };
        let before = &t[..start];
        let after = &t[end..];
        let mut detail = describe_wrapper(t, before, after);
        if escaped {
            detail.push_str("; its `/` were JSON-escaped as `\\/`");
        }
        if inner.code != Code::Ok {
            detail.push_str(&format!("; the token itself: {}", inner.detail));
        }
        let others = starts(&t[end..])
            .into_iter()
            .filter(|&s| sound(&t[end + s..]).is_some() || t[end + s..].len() > 100)
            .count();
        if others > 0 {
            detail.push_str(&format!(
                " ({} more token-like text{} follow{}; the first is checked)",
                others,
                crate::words::plural(others as u64),
                if others == 1 { "s" } else { "" }
            ));
        }
        let text = if escaped { unescaped } else { candidate };
        return Some(found(Code::Wrapped, detail, inner, text));
    }
    None
}

/// One sentence naming what was around the token.
fn describe_wrapper(all: &str, before: &str, after: &str) -> String {
    let b = before.trim_end();
    let lower = b.to_ascii_lowercase();
    let key = field_name(b);
    let trimmed = all.trim_start();
    if lower.ends_with("bearer") || lower.contains("authorization") {
        return "the token was pasted with its HTTP header (`Authorization: Bearer …`): the SDK takes the token alone, without `Bearer `".into();
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return match key {
            Some(k) => format!("the token was pasted inside a JSON body (field `{k}`): pass the field's value, not the whole response"),
            None => "the token was pasted inside a JSON body: pass the token's value, not the whole response".into(),
        };
    }
    if b.contains("://") || b.ends_with('=') && (b.contains('?') || b.contains('&')) {
        let k = key.unwrap_or_else(|| "token".into());
        return format!("the token was pasted as part of a URL (query parameter `{k}`): read the parameter's decoded value");
    }
    let line_start = b.rsplit('\n').next().unwrap_or(b).trim_start();
    let looks_config =
        line_start.contains('=') || line_start.ends_with(':') || line_start.starts_with("export ");
    let short_key = line_start.split(['=', ':']).next().unwrap_or("").trim();
    if looks_config && !short_key.is_empty() && !short_key.contains(' ')
        || line_start.starts_with("export ")
    {
        let k = key.unwrap_or_else(|| short_key.trim_start_matches("export ").to_string());
        return format!("the token was pasted with its configuration line (`{k}`): the value alone is the token");
    }
    if line_start.contains("const ")
        || line_start.contains("let ")
        || line_start.contains("var ")
        || line_start.contains("String ")
    {
        return "the token was pasted with the source line that holds it: the string literal alone is the token".into();
    }
    let _ = after;
    format!(
        "the token was found inside a line of text (a log line?) at character {}: the text around it is not part of the token",
        before.chars().count() + 1
    )
}

/// The name of the field or parameter right before a value (`"token":"`, `token=`, `rtcToken: '`).
fn field_name(before: &str) -> Option<String> {
    let b = before.trim_end_matches(['"', '\'', '`', ' ', '\t']);
    let b = b.strip_suffix(':').or_else(|| b.strip_suffix('='))?;
    let b = b.trim_end().trim_end_matches(['"', '\'']);
    let name: String = b
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!name.is_empty()).then_some(name)
}

fn b64url_text(part: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    String::from_utf8(bytes).ok()
}

/// Things that are not Agora tokens at all.
fn impostor(t: &str) -> Option<Diagnosis> {
    let t = t.trim_matches(|c: char| "\"'`".contains(c) || c.is_whitespace());
    let t = t.strip_prefix("Bearer ").unwrap_or(t);
    if let Some(d) = jwt(t) {
        return Some(d);
    }
    if let Some(d) = zego(t) {
        return Some(d);
    }
    if let Some(d) = tencent_usersig(t) {
        return Some(d);
    }
    if t.starts_with("YWMt") || t.starts_with("YWMt") {
        return Some(not_token(
            Code::OtherVendor,
            "this is an Agora Chat (Easemob) user token (`YWMt…`), not an RTC access token: Chat tokens log in to Chat only".into(),
        ));
    }
    let hex = |s: &str| s.len() == 32 && s.bytes().all(|c| c.is_ascii_hexdigit());
    if let Some((a, b)) = t.split_once(':') {
        if hex(a) && hex(b) {
            return Some(not_token(
                Code::AppIdInsteadOfToken,
                "the text is two 32-hex values joined by `:`: that is a RESTful API Customer ID and Customer Secret (for HTTP Basic auth), not a token (values not shown)".into(),
            ));
        }
    }
    // `006` + 32 hex is a 006 token cut right after its App ID (`docs/tokens.md#diagnosis-codes`: truncated).
    let cut_006 = t.len() == 35 && t.starts_with("006");
    if t.len() >= 16 && t.len() != 32 && !cut_006 && t.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Some(not_token(
            Code::UnknownVersion,
            format!("the text is {} hexadecimal characters: a hash or a key, not a token (tokens are base64 after `006`/`007`)", t.len()),
        ));
    }
    None
}

fn jwt(t: &str) -> Option<Diagnosis> {
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() != 3 || !t.starts_with("eyJ") {
        return None;
    }
    let header = b64url_text(parts[0])?;
    if !header.contains("\"alg\"") {
        return None;
    }
    let payload = b64url_text(parts[1]).unwrap_or_default();
    let vendor = if header.contains("twilio-fpa")
        || payload.contains("\"grants\"") && payload.contains("\"identity\"")
    {
        Some("Twilio (Programmable Video/Voice access token)")
    } else if payload.contains("\"video\"")
        && (payload.contains("\"room\"") || payload.contains("\"roomJoin\""))
    {
        Some("LiveKit (access token with a `video` grant)")
    } else if payload.contains("\"room_id\"") && payload.contains("\"access_key\"") {
        Some("100ms (auth token)")
    } else if payload.contains("\"r\"") && payload.contains("\"d\"") && payload.contains("\"o\"") {
        Some("Daily (meeting token)")
    } else {
        None
    };
    Some(match vendor {
        Some(v) => not_token(
            Code::OtherVendor,
            format!("this is a JSON Web Token from another vendor, {v}: Agora SDKs take only Agora `006`/`007` tokens"),
        ),
        None => not_token(
            Code::Jwt,
            "this is a JSON Web Token (`eyJ…`, three dot-separated parts), most likely your own login/session token: Agora SDKs take an Agora `006`/`007` token from your token server".into(),
        ),
    })
}

/// Volcano Engine (BytePlus) RTC token: `001`, the 24-character App ID, then base64 of a
/// length-prefixed message (nonce, issue time, expiry, room, user, privileges) and a length-prefixed
/// 32-byte HMAC-SHA256 signature, lengths little-endian u16 (the AccessToken builders of
/// volcengine's RTC demos, e.g. volcengine/RTC_VoiceChat_Demo). Agora's legacy `001`–`005` keys
/// carry a 32-hex App ID instead.
fn volcengine(t: &str) -> Option<Diagnosis> {
    let body = t.strip_prefix("001")?;
    let app_id = body.get(..24)?;
    if !app_id.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let bytes = STANDARD.decode(body.get(24..)?).ok()?;
    let u16_at = |i: usize| {
        Some(usize::from(u16::from_le_bytes([
            *bytes.get(i)?,
            *bytes.get(i + 1)?,
        ])))
    };
    let msg = u16_at(0)?;
    // nonce, issued, expiry (3 × u32) and two length-prefixed strings at least.
    if msg < 16 || u16_at(2 + msg)? != 32 || bytes.len() != 2 + msg + 2 + 32 {
        return None;
    }
    Some(not_token(
        Code::OtherVendor,
        "this is a Volcano Engine (BytePlus) RTC token (`001` followed by a 24-character App ID), not an Agora token: Agora's legacy `001` keys carry a 32-character App ID".into(),
    ))
}

/// ZEGOCLOUD token04: `04` followed by base64 of an expiry, IV and AES ciphertext.
fn zego(t: &str) -> Option<Diagnosis> {
    let body = t.strip_prefix("04")?;
    if body.len() < 40
        || !body
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=')
    {
        return None;
    }
    let bytes = STANDARD.decode(body).ok()?;
    // token04 starts with an 8-byte big-endian expiry, then a 2-byte IV length of 16.
    if bytes.len() < 12 || bytes[8..10] != [0, 16] {
        return None;
    }
    Some(not_token(
        Code::OtherVendor,
        "this is a ZEGOCLOUD token (`04…`, token04 format), not an Agora token".into(),
    ))
}

/// Tencent Cloud TRTC UserSig: base64 (`*`/`-`/`_` for `+`/`/`/`=`) of a zlib-compressed JSON with
/// `TLS.sig`.
fn tencent_usersig(t: &str) -> Option<Diagnosis> {
    if !t.starts_with("eJ") {
        return None;
    }
    let std: String = t
        .chars()
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            c => c,
        })
        .collect();
    let compressed = STANDARD.decode(&std).ok()?;
    let mut out = Vec::new();
    let mut z = flate2::read::ZlibDecoder::new(&compressed[..]);
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut z, 1 << 16), &mut out).ok()?;
    let text = String::from_utf8_lossy(&out);
    if !text.contains("TLS.sig") && !text.contains("TLS.ver") {
        return None;
    }
    Some(not_token(
        Code::OtherVendor,
        "this is a Tencent Cloud TRTC UserSig (zlib-compressed JSON with `TLS.sig`), not an Agora token".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode;

    fn decodes(s: &str) -> bool {
        decode(s).is_ok()
    }

    const T006: &str = "006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW";

    #[test]
    fn wrappers_are_named() {
        assert!(decodes(T006));
        for (paste, word) in [
            (
                format!("{{\"token\":\"{T006}\",\"uid\":0}}"),
                "JSON body (field `token`)",
            ),
            (format!("Bearer {T006}"), "Bearer"),
            (
                format!(
                    "https://x.test/join?channel=a&token={}",
                    T006.replace('+', "%2B").replace('/', "%2F")
                ),
                "URL (query parameter `token`)",
            ),
            (
                format!("AGORA_TOKEN={T006}"),
                "configuration line (`AGORA_TOKEN`)",
            ),
            (
                format!("12:00:01 INFO joining with {T006} uid=0"),
                "line of text",
            ),
        ] {
            let d = examine(&paste);
            assert_eq!(d.code, Code::Wrapped, "{paste}: {}", d.detail);
            assert_eq!(d.repaired.as_deref(), Some(T006), "{paste}");
            assert!(d.detail.contains(word), "{paste}: {}", d.detail);
        }
    }

    /// A Volcano Engine token as its builders write it: `001`, App ID, base64 of the message and
    /// the signature, each prefixed by its length (u16 little-endian).
    fn volcengine_token(app_id: &str) -> String {
        let mut msg = Vec::new();
        for v in [7u32, 1_800_000_000, 1_800_003_600] {
            msg.extend(v.to_le_bytes());
        }
        for s in ["room1", "user1"] {
            msg.extend((s.len() as u16).to_le_bytes());
            msg.extend(s.as_bytes());
        }
        msg.extend(1u16.to_le_bytes());
        msg.extend(0u16.to_le_bytes());
        msg.extend(1_800_003_600u32.to_le_bytes());
        let mut content = (msg.len() as u16).to_le_bytes().to_vec();
        content.extend(&msg);
        content.extend(32u16.to_le_bytes());
        content.extend([0xab; 32]);
        format!("001{app_id}{}", STANDARD.encode(content))
    }

    /// Regression: another vendor's `001` token was called a legacy Agora Dynamic Key.
    #[test]
    fn a_volcengine_token_is_named_not_called_a_legacy_key() {
        let d = examine(&volcengine_token("5f8a1b2c3d4e5f6a7b8c9d0e"));
        assert_eq!(d.code, Code::OtherVendor, "{}", d.detail);
        assert!(d.detail.contains("Volcano Engine"), "{}", d.detail);
        // Agora's own legacy keys keep their verdict.
        assert_eq!(
            examine("004a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d41446455471").code,
            Code::LegacyDynamicKey
        );
    }

    /// Regression: a token masked with asterisks to its end was "bad base64 at position N".
    #[test]
    fn a_token_masked_to_its_end_asks_for_the_whole_token() {
        for tail in ["****************", "########", "xxxxxxxxxx"] {
            let d = examine(&format!("{}{tail}", &T006[..12]));
            assert_eq!(d.code, Code::Masked, "{tail}: {}", d.detail);
            assert!(d.detail.contains("ask for the whole token"), "{}", d.detail);
            assert!(d.detail.contains("first 12 characters"), "{}", d.detail);
        }
    }

    #[test]
    fn damage_is_named() {
        assert_eq!(examine(&format!("{T006}{T006}")).code, Code::PastedTwice);
        assert_eq!(examine(&T006.replace('/', "\\/")).code, Code::JsonEscaped);
        assert_eq!(
            examine(&format!("{}****{}", &T006[..40], &T006[60..])).code,
            Code::Masked
        );
        assert_eq!(
            examine(&format!("{}...", &T006[..60])).code,
            Code::Truncated
        );
    }
}
