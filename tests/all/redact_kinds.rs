//! Property: every secret kind the redactor knows — tokens in every damaged or encoded shape
//! (split by a line break, a tab or a JSON `\n`, spaced, URL-encoded, JSON-escaped, HTML entities,
//! without their prefix), certificates under any label, credentials, URL passwords, JWTs, chat
//! tokens, cloud keys and PEM keys — is taken out of any text around it, given to the tool or not.

use agora_doctor::redact::{Redactions, Redactor};
use proptest::prelude::*;

const TOKENS: [&str; 2] = [
    "006970CA35de60c44645bbae8a215061b33IABNRUO/126HmzFc+J8lQFfnkssUdUXqiePeE2WNZ7lyubdIfRAh39v0EAABAAAAR/QQAAEAAQCvKDdW",
    "007eJxTYJgT3rumdJdoWJpC3aNTb4o76swyLsrHvmznOn/x1cQM9gcKDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGBgYGUCYHYiZwXwQ+P8fAADUHTQ=",
];
const CERT: &str = "7d72365eb983485397e3e3f9d460bdda";

/// Secrets of other kinds, each with a piece that must not come out.
const OTHERS: [(&str, &str); 14] = [
    ("Customer ID: 4f8b2c9e1d7a43e5b6c8f0a1d2e3b4c5", "4f8b2c9e1d7a43e5"),
    ("customer_secret = \"b52e0cf3d8a94b1e9c1fd2e5a7c3b6d9\"", "b52e0cf3d8a94b1e"),
    ("Authorization: Basic NGY4YjJjOWUxZDdhNDNlNWI2YzhmMGEx", "NGY4YjJjOWUxZDdh"),
    ("\"secretKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq81Lk2Pq\"", "wJalrXUtnFEMI/K7"),
    ("\"accessKey\": \"AKIAQ3EGRZ5V7ODL2F4M\"", "AKIAQ3EGRZ5V7ODL"),
    ("YWMtFk3xQm0aEe6QpQn9CqP1AAAAAAAAAAAAAAAAAAAAAAGL4CTw7XPbB3Ci", "YWMtFk3xQm0aEe6Q"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0", "dozjgNryP4J3jVmN"),
    ("https://admin:pr0xyPassw0rd@tokens.example.com/", "pr0xyPassw0rd"),
    ("GET /rtc?apikey=K3yV4lu3xx9Qz&uid=1", "K3yV4lu3xx9Qz"),
    ("GET /rtc?signature=51gn4tur3Q&password=Pa55w0rdZ", "51gn4tur3Q"),
    ("webhook_secret: Wh9s-4ecr3tV4lue_7", "Wh9s-4ecr3tV4lue"),
    ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", "MIIEvQIBADANBgkq"),
    ("secret: 7d72365eb983485397e3e3f9d460bdda", "7d72365eb983485397e3"),
    ("RtcTokenBuilder.buildTokenWithUid(\"970CA35de60c44645bbae8a215061b33\", \"7d72365eb983485397e3e3f9d460bdda\", \"c\", 0)", "7d72365eb983485397e3"),
];

/// A token in one of the shapes a paste gives it, cut at `at` where a shape splits it.
fn shaped(token: &str, shape: u8, at: usize) -> String {
    let at = at.clamp(36, token.len() - 10);
    match shape % 9 {
        0 => token.to_owned(),
        1 => token
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D"),
        2 => token.replace('+', " "),
        3 => token.replace('/', "\\/"),
        4 => format!("{}\n{}", &token[..at], &token[at..]),
        5 => format!("{}\t{}", &token[..at], &token[at..]),
        6 => format!("{}\\n{}", &token[..at], &token[at..]),
        7 => token.replace('+', "&#43;").replace('/', "&#x2F;"),
        _ => token[3..].to_owned(),
    }
}

/// Every 16-character window of the token's secret part (a 006 token's first 35 characters are
/// `006` and its public App ID).
fn windows(token: &str) -> Vec<&str> {
    let skip = if token.starts_with("006") { 35 } else { 3 };
    (skip..token.len() - 15)
        .map(|i| &token[i..i + 16])
        .collect()
}

fn filler() -> impl Strategy<Value = String> {
    // Words, punctuation and line breaks a log has; no base64 runs of its own that could be
    // mistaken for a leak (the leak checks look for the planted pieces only).
    proptest::string::string_regex("[a-z :;,.=()\\[\\]\"'\n-]{0,40}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn no_planted_secret_survives(
        before in filler(),
        after in filler(),
        which in 0usize..2,
        shape in any::<u8>(),
        at in 36usize..140,
        other in 0..OTHERS.len(),
        given in any::<bool>(),
    ) {
        let token = TOKENS[which];
        let (secret_text, secret_piece) = OTHERS[other];
        let text = format!("{before} {} {after} {secret_text} {after}", shaped(token, shape, at));
        let redactor = if given { Redactor::new(&[token, CERT]) } else { Redactor::default() };
        let out = redactor.text(&text, &mut Redactions::default());
        for window in windows(token) {
            prop_assert!(!out.contains(window), "token window `{window}` survived:\n{out}");
        }
        prop_assert!(!out.to_lowercase().contains(&secret_piece.to_lowercase()), "`{secret_piece}` survived:\n{out}");
        prop_assert!(!out.to_lowercase().contains(&CERT[..20].to_lowercase()), "certificate survived:\n{out}");
    }
}
