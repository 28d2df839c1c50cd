//! Minting: the one way agora-doctor makes a token for a join it runs itself (the simulated world's
//! tokens, and tokens built from the user's App Certificate for `join` and probe's join and browser
//! checks). One lifetime and one salt scheme, so every minted token looks alike wherever it is made.

use crate::build::{rtc_007, BuildError, Role};

/// Lifetime of every minted token, in seconds (1 h: a typical token-server setting).
pub const MINTED_LIFETIME: u32 = 3600;

/// The salt of a token minted at `issued_at`: any nonzero 32-bit value works (Agora's builders draw
/// a random one); deriving it from the time keeps a run on a fixed clock reproducible.
pub fn salt(issued_at: u64) -> u32 {
    (issued_at as u32).wrapping_mul(2_654_435_761) | 1
}

/// A publisher RTC 007 token for `channel` and `uid` (text; "" = any uid), issued at `issued_at`
/// and valid [`MINTED_LIFETIME`] seconds.
pub fn publisher_token(
    app_id: &str,
    certificate: &str,
    channel: &str,
    uid: &str,
    issued_at: u64,
) -> Result<String, BuildError> {
    publisher_token_for(
        app_id,
        certificate,
        channel,
        uid,
        issued_at,
        MINTED_LIFETIME,
    )
}

/// [`publisher_token`] with another lifetime (to show what an expired token does).
pub fn publisher_token_for(
    app_id: &str,
    certificate: &str,
    channel: &str,
    uid: &str,
    issued_at: u64,
    lifetime: u32,
) -> Result<String, BuildError> {
    rtc_007(
        app_id,
        certificate,
        channel,
        uid,
        Role::Publisher,
        issued_at as u32,
        lifetime,
        lifetime,
        salt(issued_at),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_verify_and_last_the_one_lifetime() {
        let app = "970CA35de60c44645bbae8a215061b33";
        let cert = "5CFd2fd1755d40ecb72977518be15d3b";
        let token = publisher_token(app, cert, "room", "42", 1_700_000_000).unwrap();
        let decoded = crate::decode(&token).unwrap();
        assert_eq!(crate::verify(&decoded, cert, None, None), Some(true));
        assert_eq!(
            decoded.expires_at(),
            1_700_000_000 + u64::from(MINTED_LIFETIME)
        );
        assert_ne!(salt(0), 0);
    }
}
