//! Signature verification: HMAC-SHA256 over the exact signed bytes (006 needs channel and uid, 007
//! only the certificate).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::model::{Token, Token006, Token007};

type HmacSha256 = Hmac<Sha256>;

/// The uid text Agora signs: the decimal uid, except uid 0 which is `""` (the "any uid" wildcard).
pub fn uid_text(uid: u32) -> String {
    if uid == 0 {
        String::new()
    } else {
        uid.to_string()
    }
}

/// The uid text Agora signs for a uid or user account as typed (`--uid`): none, blank or `0` is
/// uid 0 (`""`), anything else is signed as typed, trimmed.
pub fn typed_uid_text(typed: Option<&str>) -> String {
    match typed.map(str::trim) {
        None | Some("") | Some("0") => uid_text(0),
        Some(u) => u.to_string(),
    }
}

/// CRC-32 (zlib/IEEE) of some text, as 006 stores channel names and uids.
pub fn crc32(text: &str) -> u32 {
    crc32fast::hash(text.as_bytes())
}

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    HmacSha256::new_from_slice(key).expect("HMAC takes any key length")
}

/// The 006 signature: `HMAC(certificate text, app_id ‖ channel ‖ uid_text ‖ message)`.
pub fn sign_006(
    certificate: &str,
    app_id: &str,
    channel: &str,
    uid_text: &str,
    message: &[u8],
) -> [u8; 32] {
    let mut m = mac(certificate.as_bytes());
    m.update(app_id.as_bytes());
    m.update(channel.as_bytes());
    m.update(uid_text.as_bytes());
    m.update(message);
    m.finalize().into_bytes().into()
}

/// The 007 signing key chain: `HMAC(u32le(salt), HMAC(u32le(issue_ts), certificate))`.
fn key_007(certificate: &str, issue_ts: u32, salt: u32) -> [u8; 32] {
    let mut k1 = mac(&issue_ts.to_le_bytes());
    k1.update(certificate.as_bytes());
    let k1 = k1.finalize().into_bytes();
    let mut k2 = mac(&salt.to_le_bytes());
    k2.update(&k1);
    k2.finalize().into_bytes().into()
}

/// The 007 signature over `signing_info` (every payload byte after the signature).
pub fn sign_007(certificate: &str, issue_ts: u32, salt: u32, signing_info: &[u8]) -> [u8; 32] {
    let mut m = mac(&key_007(certificate, issue_ts, salt));
    m.update(signing_info);
    m.finalize().into_bytes().into()
}

/// Whether a 006 token was signed with this certificate for this channel and uid text
/// (use [`uid_text`] for numeric uids; a user account is used verbatim). Constant-time compare.
pub fn verify_006(token: &Token006, certificate: &str, channel: &str, uid_text: &str) -> bool {
    let mut m = mac(certificate.as_bytes());
    m.update(token.app_id.as_bytes());
    m.update(channel.as_bytes());
    m.update(uid_text.as_bytes());
    m.update(&token.message);
    m.verify_slice(&token.signature).is_ok()
}

/// Whether a 007 token was signed with this certificate (covers every byte after the signature,
/// including services this decoder does not understand). Constant-time compare.
pub fn verify_007(token: &Token007, certificate: &str) -> bool {
    let mut m = mac(&key_007(certificate, token.issue_ts, token.salt));
    m.update(&token.signing_info);
    m.verify_slice(&token.signature).is_ok()
}

/// Verify either format. For 006, `channel` and `uid_text` are required; `None` when they are
/// missing (the signature cannot be checked without them).
pub fn verify(
    token: &Token,
    certificate: &str,
    channel: Option<&str>,
    uid_text: Option<&str>,
) -> Option<bool> {
    match token {
        Token::V006(t) => Some(verify_006(t, certificate, channel?, uid_text?)),
        Token::V007(t) => Some(verify_007(t, certificate)),
    }
}
