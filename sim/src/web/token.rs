//! How the simulated access point judges a token: decoded and verified with the real algorithm
//! (`agora-token-core`), then mapped onto the AP code Agora answers with.

use agora_token_core::{crc32, decode, uid_text, verify, Token};

use super::ap::ApCode;

/// Privilege id of "join channel" (both formats).
const PRIVILEGE_JOIN: u16 = 1;

/// The App ID a token carries, when `key` decodes as a token at all.
pub(crate) fn app_id_of(key: &str) -> Option<String> {
    decode(key).ok().map(|t| t.app_id().to_string())
}

/// Judge `key` for a join of `channel` as `uid` (or `account`) on the project `app_id` whose
/// certificate is `certificate`; `now` is Unix seconds.
pub(crate) fn judge(
    certificate: &str,
    app_id: &str,
    key: &str,
    channel: &str,
    uid: u32,
    account: Option<&str>,
    now: u64,
) -> ApCode {
    let Ok(token) = decode(key) else {
        return ApCode::INVALID_TOKEN;
    };
    if token.app_id() != app_id {
        return ApCode::INVALID_TOKEN;
    }
    let mut uid_text = account.map(str::to_string).unwrap_or_else(|| uid_text(uid));
    if let Token::V006(t) = &token {
        // A 006 token signed for uid 0 (text "") admits any uid.
        if t.crc_uid == crc32("") {
            uid_text.clear();
        }
    }
    // 006 signs channel and uid, so a token for another channel or uid fails here.
    if verify(&token, certificate, Some(channel), Some(&uid_text)) != Some(true) {
        return ApCode::INVALID_TOKEN;
    }
    if token.is_expired(now) {
        return ApCode::TOKEN_EXPIRED;
    }
    match &token {
        Token::V006(t) => {
            let join = t.privileges.iter().find(|p| p.id == PRIVILEGE_JOIN);
            match join {
                Some(p) if t.privilege_expired(p, now) => ApCode::TOKEN_EXPIRED,
                Some(_) => ApCode::OK,
                None => ApCode::INVALID_TOKEN,
            }
        }
        Token::V007(t) => {
            // 007 names its channel and uid in the clear: find the RTC service for this join.
            // An empty uid (or "0") in the token is the "any uid" wildcard.
            let service = t
                .rtc_services()
                .find(|(c, u, _)| *c == channel && (u.is_empty() || *u == "0" || *u == uid_text));
            let Some((_, _, service)) = service else {
                return ApCode::INVALID_TOKEN;
            };
            match service.privilege(PRIVILEGE_JOIN) {
                Some(p) if t.privilege_expired(p, now) => ApCode::TOKEN_EXPIRED,
                Some(_) => ApCode::OK,
                None => ApCode::INVALID_TOKEN,
            }
        }
    }
}
