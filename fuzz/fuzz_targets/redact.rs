//! Fuzz the redactor: arbitrary text with a known token planted in one of the shapes the token
//! command repairs (whole, URL-encoded, spaced, JSON-escaped, split by a line break, a tab or a
//! JSON `\n`, HTML entities, without its prefix), the certificate planted in another letter case,
//! and one secret of another kind (credential labels, URL password, JWT, chat token, cloud keys,
//! PEM key). Beyond not crashing, no 16 characters of the planted token, no trace of the
//! certificate and no 12 characters of the other secret may come out, and the JSON path must keep
//! the document valid and agree with the text path.
#![no_main]

use std::sync::OnceLock;

use agora_doctor::redact::{Redactions, Redactor};
use aho_corasick::AhoCorasick;
use libfuzzer_sys::fuzz_target;

/// Official vectors (AgoraIO/Tools tests), holding `+` and `/`.
const TOKENS: [&str; 2] = [
    "006970CA35de60c44645bbae8a215061b33IABNRUO/126HmzFc+J8lQFfnkssUdUXqiePeE2WNZ7lyubdIfRAh39v0EAABAAAAR/QQAAEAAQCvKDdW",
    "007eJxTYJgT3rumdJdoWJpC3aNTb4o76swyLsrHvmznOn/x1cQM9gcKDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGBgYGUCYHYiZwXwQ+P8fAADUHTQ=",
];
const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
/// Secrets of other kinds, each with a piece that must not come out.
const OTHERS: [(&str, &str); 10] = [
    ("Customer Secret: b52e0cf3d8a94b1e9c1fd2e5a7c3b6d9", "b52e0cf3d8a94b1e"),
    ("Authorization: Basic NGY4YjJjOWUxZDdhNDNlNWI2YzhmMGEx", "NGY4YjJjOWUxZDdh"),
    ("\"secretKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq81Lk2Pq\"", "wJalrXUtnFEMI/K7"),
    ("\"accessKey\": \"AKIAQ3EGRZ5V7ODL2F4M\"", "AKIAQ3EGRZ5V7ODL"),
    ("YWMtFk3xQm0aEe6QpQn9CqP1AAAAAAAAAAAAAAAAAAAAAAGL4CTw7XPbB3Ci", "YWMtFk3xQm0aEe6Q"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0", "dozjgNryP4J3jVmN"),
    ("https://admin:pr0xyPassw0rd@tokens.example.com/", "pr0xyPassw0rd"),
    ("GET /rtc?apikey=K3yV4lu3xx9Qz&uid=1", "K3yV4lu3xx9Qz"),
    ("webhook_secret: Wh9s-4ecr3tV4lue_7", "Wh9s-4ecr3tV4lue"),
    ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", "MIIEvQIBADANBgkq"),
];
/// No run this long of the planted token may come out.
const WINDOW: usize = 16;

/// The shapes a token is planted in (`Split` is a substring of the whole one, so its windows are
/// among the whole token's).
fn shapes(token: &str) -> [String; 4] {
    [
        token.to_owned(),
        token.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"),
        token.replace('+', " "),
        token.replace('/', "\\/"),
    ]
}

/// Every 16-character window of every planted shape of both tokens (a 006 token's first 35
/// characters are its public App ID: only the body is secret), in one automaton built once.
fn windows() -> &'static AhoCorasick {
    static WINDOWS: OnceLock<AhoCorasick> = OnceLock::new();
    WINDOWS.get_or_init(|| {
        let mut all = Vec::new();
        for token in TOKENS {
            let skip = if token.starts_with("006") { 35 } else { 3 };
            for shape in shapes(token) {
                let bytes = shape.as_bytes();
                let start = shape.find(&token[skip..skip + 4]).unwrap_or(0);
                for i in start..bytes.len().saturating_sub(WINDOW - 1) {
                    all.push(shape[i..i + WINDOW].to_owned());
                }
            }
        }
        AhoCorasick::new(all).unwrap()
    })
}

fn redactor() -> &'static Redactor {
    static REDACTOR: OnceLock<Redactor> = OnceLock::new();
    REDACTOR.get_or_init(|| Redactor::new(&[CERT]))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let input = String::from_utf8_lossy(rest);
    let cut = input
        .char_indices()
        .nth(usize::from(selector) * 7 % 97)
        .map_or(input.len(), |(i, _)| i);
    let (before, after) = input.split_at(cut);
    let token = TOKENS[usize::from(selector & 1)];
    let [whole, url, spaced, json] = shapes(token);
    let at = 5 + usize::from(selector >> 4) * 7;
    let shaped = match (selector >> 1) % 9 {
        0 => whole,
        1 => url,
        2 => spaced,
        3 => json,
        4 => format!("{}\n{}", &token[..at], &token[at..]),
        5 => format!("{}\t{}", &token[..at], &token[at..]),
        6 => format!("{}\\n{}", &token[..at], &token[at..]),
        7 => token.replace('+', "&#43;").replace('/', "&#x2F;"),
        _ => token[3..].to_owned(),
    };
    let (other, other_secret) = OTHERS[usize::from(selector >> 2) % OTHERS.len()];
    let cert = if selector & 0x40 == 0 {
        CERT.to_ascii_uppercase()
    } else {
        CERT.to_ascii_lowercase()
    };
    let text = format!("{before} {shaped} cert {cert} {other} {after}");

    let redactor = redactor();
    let mut tally = Redactions::default();
    let out = redactor.text(&text, &mut tally);

    assert!(!out.to_ascii_lowercase().contains(&CERT.to_ascii_lowercase()));
    for found in windows().find_overlapping_iter(&out) {
        let window = &out[found.start()..found.end()];
        // Text the fuzzer wrote itself is not the planted token's leak.
        assert!(input.contains(window), "`{window}` survived in {out:?}");
    }
    assert!(tally.total() >= 2);
    if !input.contains(other_secret) {
        assert!(!out.contains(other_secret), "`{other_secret}` survived in {out:?}");
    }

    let json = serde_json::to_string(&text).unwrap();
    let redacted_json = redactor.json_text(&json, &mut Redactions::default());
    let back: String = serde_json::from_str(&redacted_json).expect("still one JSON string");
    assert_eq!(back, out);
});
