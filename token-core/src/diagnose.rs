//! Copy-paste damage: classify a token string as pasted (`docs/tokens.md#diagnosis-codes`, first hit wins) and offer a
//! repair where it is certain.

use serde::Serialize;

use crate::decode::{decode, DecodeError};
use crate::keys;
use crate::model::Token;

/// Strings that mean "no token" (a null rendered as text); compared case-sensitively after trimming.
const PLACEHOLDERS: &[&str] = &[
    "null",
    "undefined",
    "None",
    "nil",
    "NaN",
    "[object Object]",
    "NULL",
    "Null",
    "none",
];

/// Opening and closing quote characters trimmed once from each end.
const OPEN_QUOTES: &[char] = &[
    '"', '\'', '`', '\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}', '\u{201E}', '\u{00AB}',
];
const CLOSE_QUOTES: &[char] = &[
    '"', '\'', '`', '\u{201D}', '\u{201C}', '\u{2019}', '\u{2018}', '\u{00BB}',
];

/// The classification of a pasted token (`docs/tokens.md#diagnosis-codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// Structurally sound as given.
    Ok,
    /// Empty or whitespace only.
    Empty,
    /// `null`, `undefined`, …
    Placeholder,
    /// 32 hex characters: an App ID or App Certificate.
    AppIdInsteadOfToken,
    /// Percent-encoded.
    UrlEncoded,
    /// `+` became a space.
    PlusBecameSpace,
    /// Line breaks or tabs inside.
    EmbeddedWhitespace,
    /// Ends early.
    Truncated,
    /// `001`–`005` or `1:`.
    LegacyDynamicKey,
    /// Any other prefix.
    UnknownVersion,
    /// URL-safe base64.
    Base64urlAlphabet,
    /// Padding stripped.
    MissingPadding,
    /// Foreign character or `=` in the middle.
    BadBase64,
    /// 006 App ID not hex.
    BadAppId,
    /// 007 body not zlib.
    BadZlib,
    /// Signature not 32 bytes.
    BadSignatureLength,
    /// Bytes after the stream / last field.
    TrailingBytes,
    /// A text field not UTF-8.
    BadUtf8,
    /// Wrapped in quotes.
    SurroundingQuotes,
    /// Leading/trailing whitespace.
    SurroundingWhitespace,
    /// JSON escapes (`\/`) left in the token ([`crate::examine`]).
    JsonEscaped,
    /// The token inside other text: a JSON body, a header, a URL, a config or log line.
    Wrapped,
    /// The same token (or two tokens) pasted back to back.
    PastedTwice,
    /// The middle was masked (`****`, `....`) before pasting.
    Masked,
    /// A JSON Web Token where the Agora token belongs.
    Jwt,
    /// Another vendor's RTC token.
    OtherVendor,
}

impl Code {
    /// The diagnosis code string (`"plus_became_space"`).
    pub fn as_str(self) -> &'static str {
        self.key().strip_prefix("token.").unwrap_or("ok")
    }

    /// The finding key (`"token.plus_became_space"`); `Ok` has none and returns `"token.ok"`.
    pub fn key(self) -> &'static str {
        match self {
            Code::Ok => "token.ok",
            Code::Empty => keys::EMPTY,
            Code::Placeholder => keys::PLACEHOLDER,
            Code::AppIdInsteadOfToken => keys::APP_ID_INSTEAD_OF_TOKEN,
            Code::UrlEncoded => keys::URL_ENCODED,
            Code::PlusBecameSpace => keys::PLUS_BECAME_SPACE,
            Code::EmbeddedWhitespace => keys::EMBEDDED_WHITESPACE,
            Code::Truncated => keys::TRUNCATED,
            Code::LegacyDynamicKey => keys::LEGACY_DYNAMIC_KEY,
            Code::UnknownVersion => keys::UNKNOWN_VERSION,
            Code::Base64urlAlphabet => keys::BASE64URL_ALPHABET,
            Code::MissingPadding => keys::MISSING_PADDING,
            Code::BadBase64 => keys::BAD_BASE64,
            Code::BadAppId => keys::BAD_APP_ID,
            Code::BadZlib => keys::BAD_ZLIB,
            Code::BadSignatureLength => keys::BAD_SIGNATURE_LENGTH,
            Code::TrailingBytes => keys::TRAILING_BYTES,
            Code::BadUtf8 => keys::BAD_UTF8,
            Code::SurroundingQuotes => keys::SURROUNDING_QUOTES,
            Code::SurroundingWhitespace => keys::SURROUNDING_WHITESPACE,
            Code::JsonEscaped => keys::JSON_ESCAPED,
            Code::Wrapped => keys::WRAPPED,
            Code::PastedTwice => keys::PASTED_TWICE,
            Code::Masked => keys::MASKED,
            Code::Jwt => keys::JWT,
            Code::OtherVendor => keys::OTHER_VENDOR,
        }
    }

    fn from_key(key: &str) -> Code {
        match key {
            keys::TRUNCATED => Code::Truncated,
            keys::LEGACY_DYNAMIC_KEY => Code::LegacyDynamicKey,
            keys::UNKNOWN_VERSION => Code::UnknownVersion,
            keys::BAD_APP_ID => Code::BadAppId,
            keys::BAD_ZLIB => Code::BadZlib,
            keys::BAD_SIGNATURE_LENGTH => Code::BadSignatureLength,
            keys::BAD_UTF8 => Code::BadUtf8,
            _ => Code::BadBase64,
        }
    }
}

/// What [`diagnose`] concluded about a pasted string.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// The classification.
    pub code: Code,
    /// One line saying what is wrong (empty for `Ok`). Never contains the input when the input may
    /// be a secret (32 hex characters).
    pub detail: String,
    /// The repaired token, when a repair is certain (quotes, whitespace, `+`, encodings).
    pub repaired: Option<String>,
    /// The decoded token: of the repaired text when repaired, of the input when sound or when only
    /// trailing bytes are wrong; `None` when nothing decodes.
    pub token: Option<Token>,
    /// The decode error behind the code, when there is one.
    pub error: Option<DecodeError>,
}

fn clean(s: &str) -> Option<Token> {
    decode(s).ok().filter(|t| t.trailing_bytes() == 0)
}

/// Trim whitespace, one pair of quotes, whitespace again. Returns (text, quotes removed, whitespace removed).
fn trim(raw: &str) -> (&str, bool, bool) {
    let t = raw.trim();
    let mut ws = t.len() != raw.len();
    let mut quoted = false;
    let mut chars = t.chars();
    if let (Some(first), Some(last)) = (chars.next(), chars.next_back()) {
        if OPEN_QUOTES.contains(&first) && CLOSE_QUOTES.contains(&last) {
            let inner = &t[first.len_utf8()..t.len() - last.len_utf8()];
            let trimmed = inner.trim();
            ws |= trimmed.len() != inner.len();
            quoted = true;
            return (trimmed, quoted, ws);
        }
    }
    (t, quoted, ws)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn repadded(s: &str) -> String {
    let body_len = if s.starts_with("006") {
        s.len().saturating_sub(35)
    } else {
        s.len().saturating_sub(3)
    };
    let pad = (4 - body_len % 4) % 4;
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n('=', pad));
    out
}

fn repaired(code: Code, detail: impl Into<String>, fixed: String, token: Token) -> Diagnosis {
    Diagnosis {
        code,
        detail: detail.into(),
        repaired: Some(fixed),
        token: Some(token),
        error: None,
    }
}

fn broken(code: Code, detail: impl Into<String>, error: Option<DecodeError>) -> Diagnosis {
    Diagnosis {
        code,
        detail: detail.into(),
        repaired: None,
        token: None,
        error,
    }
}

/// Classify a token exactly as pasted; the first matching rule of `docs/tokens.md#diagnosis-codes` wins.
///
/// ```
/// use agora_token_core::{diagnose, Code};
/// let d = diagnose("  \"null\" ");
/// assert_eq!(d.code, Code::Placeholder);
/// ```
pub fn diagnose(raw: &str) -> Diagnosis {
    let (t, quoted, ws) = trim(raw);
    if t.is_empty() {
        return broken(
            Code::Empty,
            "the token is empty (the Web SDK says `INVALID_PARAMS: Invalid token: `)",
            None,
        );
    }
    if PLACEHOLDERS.contains(&t) {
        return broken(
            Code::Placeholder,
            format!("the token is the text `{t}`: a missing value was turned into a string (the Web SDK then reports `CAN_NOT_GET_GATEWAY_SERVER: dynamic use static key`)"),
            None,
        );
    }
    if t.len() == 32 && t.bytes().all(|c| c.is_ascii_hexdigit()) {
        return broken(
            Code::AppIdInsteadOfToken,
            "the token is 32 hexadecimal characters: that is an App ID or an App Certificate, not a token (value not shown)",
            None,
        );
    }
    let upper = t.to_ascii_uppercase();
    if upper.contains("%2B") || upper.contains("%2F") || upper.contains("%3D") {
        if let Some(fixed) = percent_decode(t) {
            if let Some(tok) = clean(&fixed) {
                return repaired(
                    Code::UrlEncoded,
                    "the token is URL-encoded (`%2B`, `%2F`, `%3D`)",
                    fixed,
                    tok,
                );
            }
        }
    }
    if t.contains(' ') {
        let fixed = t.replace(' ', "+");
        if let Some(tok) = clean(&fixed) {
            let n = t.matches(' ').count();
            return repaired(
                Code::PlusBecameSpace,
                format!(
                    "{} turned into {} (a token put in a URL without encoding)",
                    crate::words::count(n as u64, "`+` character"),
                    if n == 1 { "a space" } else { "spaces" }
                ),
                fixed,
                tok,
            );
        }
    }
    if t.chars().any(char::is_whitespace) {
        let fixed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(tok) = clean(&fixed) {
            return repaired(
                Code::EmbeddedWhitespace,
                "the token contains line breaks or tabs",
                fixed,
                tok,
            );
        }
    }
    match decode(t) {
        Ok(tok) if tok.trailing_bytes() > 0 => Diagnosis {
            code: Code::TrailingBytes,
            detail: format!(
                "{} follow{} the end of the token data (it was altered or joined with something)",
                crate::words::count(tok.trailing_bytes() as u64, "byte"),
                if tok.trailing_bytes() == 1 { "s" } else { "" }
            ),
            repaired: None,
            token: Some(tok),
            error: None,
        },
        Ok(tok) if quoted => repaired(
            Code::SurroundingQuotes,
            "the token is wrapped in quotes",
            t.to_string(),
            tok,
        ),
        Ok(tok) if ws => repaired(
            Code::SurroundingWhitespace,
            "the token has spaces or a line break around it",
            t.to_string(),
            tok,
        ),
        Ok(tok) => Diagnosis {
            code: Code::Ok,
            detail: String::new(),
            repaired: None,
            token: Some(tok),
            error: None,
        },
        Err(e) => classify(t, e),
    }
}

fn classify(t: &str, e: DecodeError) -> Diagnosis {
    match &e {
        DecodeError::BadBase64Char { .. } | DecodeError::MisplacedPadding { .. } => {
            let body = if t.starts_with("006") {
                t.get(35..).unwrap_or("")
            } else {
                t.get(3..).unwrap_or("")
            };
            let url_safe = (body.contains('-') || body.contains('_'))
                && !body.contains('+')
                && !body.contains('/');
            if url_safe {
                let fixed = repadded(&t.replace('-', "+").replace('_', "/"));
                if let Some(tok) = clean(&fixed) {
                    return repaired(
                        Code::Base64urlAlphabet,
                        "the token uses URL-safe base64 (`-` and `_`) instead of the standard alphabet",
                        fixed,
                        tok,
                    );
                }
            }
            let detail = e.to_string();
            broken(Code::BadBase64, detail, Some(e))
        }
        DecodeError::BodyLength { .. } => {
            let fixed = repadded(t);
            if let Some(tok) = clean(&fixed) {
                return repaired(
                    Code::MissingPadding,
                    "the `=` padding at the end was stripped",
                    fixed,
                    tok,
                );
            }
            let detail = format!("{e}: the token was cut short");
            broken(Code::Truncated, detail, Some(e))
        }
        _ => {
            let code = Code::from_key(e.key());
            let detail = e.to_string();
            broken(code, detail, Some(e))
        }
    }
}
