//! The stable finding keys of the token core: the contract with the `explain` catalog.

/// Every key a token finding may carry (`agora-doctor explain <key>` documents each one).
///
/// The list is the contract of `docs/finding-keys.md#key-families`; a test checks that every
/// finding the core emits uses one of these.
pub const FINDING_KEYS: &[&str] = &[
    EMPTY,
    PLACEHOLDER,
    APP_ID_INSTEAD_OF_TOKEN,
    URL_ENCODED,
    PLUS_BECAME_SPACE,
    EMBEDDED_WHITESPACE,
    TRUNCATED,
    LEGACY_DYNAMIC_KEY,
    UNKNOWN_VERSION,
    BASE64URL_ALPHABET,
    MISSING_PADDING,
    BAD_BASE64,
    BAD_APP_ID,
    BAD_ZLIB,
    BAD_SIGNATURE_LENGTH,
    TRAILING_BYTES,
    BAD_UTF8,
    SURROUNDING_QUOTES,
    SURROUNDING_WHITESPACE,
    UNKNOWN_SERVICE,
    CHANNEL_MISMATCH,
    CHANNEL_NAME_INVALID,
    UID_MISMATCH,
    UID_WILDCARD,
    ACCOUNT_TYPE_CONFUSION,
    APP_ID_MISMATCH,
    EXPIRED,
    PRIVILEGE_EXPIRED,
    NOT_YET_VALID,
    CONSOLE_TEMPORARY,
    EXPIRE_ZERO,
    EXPIRE_TOO_LONG,
    EXPIRE_LOOKS_ABSOLUTE,
    PRIVILEGE_BEFORE_TOKEN_ISSUE,
    CANNOT_PUBLISH,
    NO_RTC_SERVICE,
    SIGNATURE_INVALID,
    SIGNATURE_VALID,
    SIGNATURE_UNCHECKED,
    CERTIFICATE_ON_COMMAND_LINE,
    JSON_ESCAPED,
    WRAPPED,
    PASTED_TWICE,
    MASKED,
    JWT,
    OTHER_VENDOR,
    NO_RTM_SERVICE,
    SERVICE_MISSING,
];

/// Empty or whitespace-only token.
pub const EMPTY: &str = "token.empty";
/// `null`, `undefined` and friends.
pub const PLACEHOLDER: &str = "token.placeholder";
/// 32 hex characters: an App ID or App Certificate where the token belongs.
pub const APP_ID_INSTEAD_OF_TOKEN: &str = "token.app_id_instead_of_token";
/// `%2B`/`%2F`/`%3D` from URL encoding.
pub const URL_ENCODED: &str = "token.url_encoded";
/// `+` read back as a space from a URL query.
pub const PLUS_BECAME_SPACE: &str = "token.plus_became_space";
/// Line breaks or tabs inside the token.
pub const EMBEDDED_WHITESPACE: &str = "token.embedded_whitespace";
/// The token ends early.
pub const TRUNCATED: &str = "token.truncated";
/// A pre-006 Dynamic Key (`001`–`005`, `1:` signaling).
pub const LEGACY_DYNAMIC_KEY: &str = "token.legacy_dynamic_key";
/// Any other version prefix.
pub const UNKNOWN_VERSION: &str = "token.unknown_version";
/// URL-safe base64 (`-`, `_`).
pub const BASE64URL_ALPHABET: &str = "token.base64url_alphabet";
/// `=` padding stripped.
pub const MISSING_PADDING: &str = "token.missing_padding";
/// A character outside standard base64, or `=` in the middle.
pub const BAD_BASE64: &str = "token.bad_base64";
/// 006 App ID characters are not hexadecimal.
pub const BAD_APP_ID: &str = "token.bad_app_id";
/// 007 body is not a valid zlib stream.
pub const BAD_ZLIB: &str = "token.bad_zlib";
/// Signature field is not 32 bytes.
pub const BAD_SIGNATURE_LENGTH: &str = "token.bad_signature_length";
/// Bytes after the zlib stream or the last field.
pub const TRAILING_BYTES: &str = "token.trailing_bytes";
/// A text field is not UTF-8.
pub const BAD_UTF8: &str = "token.bad_utf8";
/// Wrapped in quotes.
pub const SURROUNDING_QUOTES: &str = "token.surrounding_quotes";
/// Leading or trailing whitespace.
pub const SURROUNDING_WHITESPACE: &str = "token.surrounding_whitespace";
/// A 007 service type this decoder does not know.
pub const UNKNOWN_SERVICE: &str = "token.unknown_service";
/// The token is for another channel.
pub const CHANNEL_MISMATCH: &str = "token.channel_mismatch";
/// A channel name Agora would reject.
pub const CHANNEL_NAME_INVALID: &str = "token.channel_name_invalid";
/// The token is for another uid or account.
pub const UID_MISMATCH: &str = "token.uid_mismatch";
/// The token is for uid 0: any uid may join.
pub const UID_WILDCARD: &str = "token.uid_wildcard";
/// Numeric uid versus string account confusion.
pub const ACCOUNT_TYPE_CONFUSION: &str = "token.account_type_confusion";
/// The token is for another App ID.
pub const APP_ID_MISMATCH: &str = "token.app_id_mismatch";
/// The token has expired.
pub const EXPIRED: &str = "token.expired";
/// A privilege has expired while the token has not.
pub const PRIVILEGE_EXPIRED: &str = "token.privilege_expired";
/// Issued in the future (a clock problem).
pub const NOT_YET_VALID: &str = "token.not_yet_valid";
/// A 24 h lifetime: looks like a Console temporary token.
pub const CONSOLE_TEMPORARY: &str = "token.console_temporary";
/// 007 token expire of 0.
pub const EXPIRE_ZERO: &str = "token.expire_zero";
/// Lifetime over Agora's documented 24 h maximum.
pub const EXPIRE_TOO_LONG: &str = "token.expire_too_long";
/// An absolute timestamp passed where seconds were expected.
pub const EXPIRE_LOOKS_ABSOLUTE: &str = "token.expire_looks_absolute";
/// 006 privilege given as a duration, so it ended in 1970.
pub const PRIVILEGE_BEFORE_TOKEN_ISSUE: &str = "token.privilege_before_token_issue";
/// A subscriber/audience token cannot publish.
pub const CANNOT_PUBLISH: &str = "token.cannot_publish";
/// No RTC service: the token cannot join a channel.
pub const NO_RTC_SERVICE: &str = "token.no_rtc_service";
/// The signature does not match the certificate.
pub const SIGNATURE_INVALID: &str = "token.signature_invalid";
/// The signature matches the certificate.
pub const SIGNATURE_VALID: &str = "token.signature_valid";
/// The signature could not be checked (no certificate, or 006 without channel/uid).
pub const SIGNATURE_UNCHECKED: &str = "token.signature_unchecked";
/// The certificate was passed as a plain command-line argument.
pub const CERTIFICATE_ON_COMMAND_LINE: &str = "token.certificate_on_command_line";
/// JSON escapes (`\/`) left in a token copied out of a JSON text.
pub const JSON_ESCAPED: &str = "token.json_escaped";
/// The token was pasted with what surrounded it (JSON body, header, URL, config or log line).
pub const WRAPPED: &str = "token.wrapped";
/// The same token, or two tokens, pasted back to back.
pub const PASTED_TWICE: &str = "token.pasted_twice";
/// The middle of the token was masked before it was pasted.
pub const MASKED: &str = "token.masked";
/// A JSON Web Token where the Agora token belongs.
pub const JWT: &str = "token.jwt";
/// Another vendor's RTC token (Twilio, LiveKit, ZEGOCLOUD, Tencent TRTC, …).
pub const OTHER_VENDOR: &str = "token.other_vendor";
/// The token has no RTM service, but it is used to log in to RTM (Signaling).
pub const NO_RTM_SERVICE: &str = "token.no_rtm_service";
/// The token lacks the service the app uses it for (Chat, FPA, …).
pub const SERVICE_MISSING: &str = "token.service_missing";
