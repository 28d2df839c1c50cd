//! No secret survives `report`: property tests that put tokens (006 and 007; whole, URL-encoded,
//! `+` as spaces, JSON-escaped, split across lines), certificates in assignments of every language
//! and letter case, and the run's own secrets into generated log lines — error lines, which the
//! report quotes — and prove that none of them reaches the Markdown or the JSON, while App IDs,
//! channels and uids stay readable.

use crate::common::schema;

use agora_doctor::redact::{Redactions, Redactor};
use agora_token_core::build::{rtc_006, rtc_007, Role};
use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::Value;

/// A public App ID: it must stay readable wherever it is.
const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
/// Characters of a secret that must not appear anywhere in the output, in any window.
const WINDOW: usize = 16;

/// Error lines the catalog explains, one distinct entry each, so the report quotes every one.
const ERROR_NAMES: [&str; 13] = [
    "DYNAMIC_KEY_EXPIRED",
    "DYNAMIC_USE_STATIC_KEY",
    "INVALID_VENDOR_KEY",
    "NO_AUTHORIZED",
    "CANNOT_MEET_AREA_DEMAND",
    "STATIC_USE_DYNAMIC_KEY",
    "INVALID_CHANNEL_NAME",
    "DYNAMIC_KEY_TIMEOUT",
    "NO_ACTIVE_STATUS",
    "USER_OVERLOAD",
    "FORBIDDEN_REGION",
    "NO_SERVICE_AVAILABLE_VOICE",
    "VOID_GATEWAY_ADDRESS",
];

fn error_line(name: &str) -> String {
    format!("Agora-SDK [ERROR]: [client-42fb7] Get server node failed [{name}] https://webrtc2-ap-web-1.agora.io/api/v1 {name}")
}

/// Where a certificate stands: assignments in the languages Agora apps are written in.
const CERT_TEMPLATES: [&str; 11] = [
    "AGORA_APP_CERTIFICATE={} npm start",
    "export AGORA_APP_CERTIFICATE='{}'",
    "const appCertificate = \"{}\";",
    "app_certificate: {}",
    "{\"appId\":\"APPID\",\"appCertificate\":\"{}\"}",
    "APP_CERTIFICATE={}",
    "val appCertificate = \"{}\" // Kotlin",
    "let appCertificate: String = \"{}\" // Swift",
    "static const String appCertificate = '{}'; // Dart",
    "APP_CERTIFICATE = \"{}\"  # Python",
    "RtcTokenBuilder2.buildTokenWithUid(\"APPID\", \"{}\", channel, uid, role, 3600, 3600)",
];

/// The shapes a token takes in logs (the token command repairs each).
#[derive(Debug, Clone, Copy)]
enum Shape {
    Whole,
    UrlEncoded,
    Spaced,
    JsonEscaped,
    /// Broken over two lines after this many characters.
    Split(usize),
}

/// One secret put into the log: the text placed there, and the pieces that must never come out.
#[derive(Debug, Clone)]
struct Planted {
    /// What goes after the error message (may hold a line break).
    text: String,
    /// Text that must not appear in the output (tokens: compared as is).
    forbidden: Vec<String>,
    /// Hex text that must not appear in any letter case.
    forbidden_hex: Vec<String>,
}

fn windows(text: &str, skip: usize) -> Vec<String> {
    text.split('\n')
        .flat_map(|piece| {
            let chars: Vec<char> = piece.chars().collect();
            chars
                .windows(WINDOW)
                .enumerate()
                .filter(|(i, _)| *i >= skip)
                .map(|(_, w)| w.iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn url_encode(token: &str) -> String {
    token
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

fn shaped(token: &str, shape: Shape) -> String {
    match shape {
        Shape::Whole => token.to_owned(),
        Shape::UrlEncoded => url_encode(token),
        Shape::Spaced => token.replace('+', " "),
        Shape::JsonEscaped => token.replace('/', "\\/"),
        Shape::Split(at) => {
            let at = at.clamp(5, token.len() - 5);
            format!("{}\n{}", &token[..at], &token[at..])
        }
    }
}

fn hex32() -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..16, 32).prop_map(|digits| {
        digits
            .iter()
            .map(|d| char::from_digit(u32::from(*d), 16).unwrap())
            .collect()
    })
}

/// Any letter case: lower, upper, or mixed.
fn cased(hex: String, case: u8) -> String {
    match case % 3 {
        0 => hex.to_lowercase(),
        1 => hex.to_uppercase(),
        _ => hex
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect(),
    }
}

fn token_strategy() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        hex32(),
        "[a-zA-Z0-9_]{1,20}",
        0u32..4_000_000_000,
        1_600_000_000u32..1_900_000_000,
        60u32..86_400,
        any::<u32>(),
    )
        .prop_map(|(v006, cert, channel, uid, issued, expire, salt)| {
            let uid = uid.to_string();
            if v006 {
                rtc_006(
                    APP_ID,
                    &cert,
                    &channel,
                    &uid,
                    Role::Publisher,
                    issued,
                    issued + expire,
                    salt,
                )
            } else {
                rtc_007(
                    APP_ID,
                    &cert,
                    &channel,
                    &uid,
                    Role::Publisher,
                    issued,
                    expire,
                    expire,
                    salt,
                )
            }
            .unwrap()
        })
}

fn shape_strategy() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Whole),
        Just(Shape::UrlEncoded),
        Just(Shape::Spaced),
        Just(Shape::JsonEscaped),
        (5usize..200).prop_map(Shape::Split),
    ]
}

/// What may stand around a token on its line.
const TOKEN_CONTEXTS: [&str; 5] = [
    "join with token {} failed",
    "GET /rtc?appid=APPID&channel=demo&token={}&uid=7",
    "{\"code\":110,\"token\":\"{}\",\"uid\":7}",
    "token={}",
    "Bearer {}",
];

fn planted_token() -> impl Strategy<Value = Planted> {
    (token_strategy(), shape_strategy(), 0..TOKEN_CONTEXTS.len()).prop_map(
        |(token, shape, context)| {
            let text = shaped(&token, shape);
            // A 006 token begins with its (public) App ID: only its body is secret.
            let skip = if token.starts_with("006") { 35 } else { 0 };
            let mut forbidden = windows(&text, skip);
            forbidden.extend(windows(&token, skip));
            Planted {
                text: TOKEN_CONTEXTS[context]
                    .replace("{}", &text)
                    .replace("APPID", APP_ID),
                forbidden,
                forbidden_hex: vec![],
            }
        },
    )
}

fn planted_certificate() -> impl Strategy<Value = Planted> {
    (hex32(), any::<u8>(), 0..CERT_TEMPLATES.len()).prop_map(|(hex, case, template)| {
        let cert = cased(hex.clone(), case);
        Planted {
            text: CERT_TEMPLATES[template]
                .replace("{}", &cert)
                .replace("APPID", APP_ID),
            forbidden: vec![],
            forbidden_hex: vec![hex],
        }
    })
}

fn planted() -> impl Strategy<Value = Planted> {
    prop_oneof![planted_token(), planted_certificate()]
}

/// A log: each planted secret on its own error line, public lines and filler between them.
fn log_of(planted: &[Planted], channel: &str, uid: u32) -> String {
    let mut log = format!("Agora-SDK [INFO]: [client-42fb7] Initializing AgoraRTC v4.3.0\nAgora-SDK [INFO]: [client-42fb7] appId={APP_ID} channel={channel} uid={uid}\n");
    for (i, p) in planted.iter().enumerate() {
        log.push_str(&format!("{} {}\n", error_line(ERROR_NAMES[i]), p.text));
        log.push_str("Agora-SDK [INFO]: [client-42fb7] retrying\n");
    }
    log
}

fn leaks(output: &str, planted: &[Planted]) -> Vec<String> {
    let lower = output.to_lowercase();
    let mut found = Vec::new();
    for p in planted {
        found.extend(
            p.forbidden
                .iter()
                .filter(|w| output.contains(w.as_str()))
                .cloned(),
        );
        found.extend(
            p.forbidden_hex
                .iter()
                .filter(|h| lower.contains(&h.to_lowercase()))
                .cloned(),
        );
    }
    found
}

/// Every string in a JSON document, one per line.
fn strings_of(doc: &Value, out: &mut String) {
    match doc {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|v| strings_of(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings_of(v, out)),
        _ => {}
    }
}

fn report(log: &std::path::Path, json: bool, token: &str, cert: &str) -> (i32, String) {
    let mut cmd = Command::cargo_bin("agora-doctor").unwrap();
    cmd.env_remove("AGORA_APP_ID")
        .env_remove("AGORA_DOCTOR_EDGE")
        .env_remove("AGORA_DOCTOR_STUN")
        .env("AGORA_APP_CERTIFICATE", cert)
        .args(["--color", "never", "report", "--sim", "--only", "config"])
        .args(["--token", token, "--log"])
        .arg(log);
    if json {
        cmd.arg("--json");
    }
    let out = cmd
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Each case runs the binary twice; PROPTEST_CASES raises it for a longer hunt.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12),
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_secret_in_a_log_survives_report_in_markdown_or_json(
        planted in proptest::collection::vec(planted(), ERROR_NAMES.len()),
        given_token in token_strategy(),
        given_cert in hex32(),
        given_case in any::<u8>(),
        channel in "[a-z]{3,12}",
        uid in 1u32..1_000_000,
    ) {
        let mut planted = planted;
        // The run's own secrets, bare on error lines: the certificate in another letter case, the
        // token URL-encoded in place of the last planted secret.
        planted[0] = Planted {
            text: format!("cert {}", cased(given_cert.clone(), given_case)),
            forbidden: vec![],
            forbidden_hex: vec![given_cert.clone()],
        };
        planted[1] = Planted {
            text: format!("token={}", url_encode(&given_token)),
            forbidden: windows(&given_token, if given_token.starts_with("006") { 35 } else { 0 }),
            forbidden_hex: vec![],
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("console.log");
        std::fs::write(&path, log_of(&planted, &channel, uid)).unwrap();

        let (code, markdown) = report(&path, false, &given_token, &given_cert);
        prop_assert!(code == 0 || code == 1, "exit {code}:\n{markdown}");
        let leaked = leaks(&markdown, &planted);
        prop_assert!(leaked.is_empty(), "leaked {leaked:?} into the Markdown:\n{markdown}");
        // Every planted line was quoted (so the check above looked at it), and the public fields
        // on them stay readable.
        for name in ERROR_NAMES {
            prop_assert!(markdown.contains(&format!("{name}] https://")), "{name} not quoted:\n{markdown}");
        }
        prop_assert!(markdown.contains("## Redacted") && markdown.contains("| what | times |"));
        for p in &planted {
            if p.text.contains(APP_ID) {
                prop_assert!(markdown.contains(APP_ID), "the App ID was redacted:\n{markdown}");
            }
        }

        let (code, json) = report(&path, true, &given_token, &given_cert);
        prop_assert!(code == 0 || code == 1, "exit {code}:\n{json}");
        let doc = schema::parse_json_output(json.as_bytes());
        let mut strings = String::new();
        strings_of(&doc, &mut strings);
        let leaked = leaks(&strings, &planted);
        prop_assert!(leaked.is_empty(), "leaked {leaked:?} into the JSON:\n{json}");
        prop_assert_eq!(doc["log"]["report"]["errors"].as_array().map(Vec::len), Some(ERROR_NAMES.len()));
        let counted: u64 = doc["redactions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["count"].as_u64().unwrap())
            .sum();
        // A token split across lines leaves only its first piece on the quoted line; a piece
        // shorter than a window may stay (it holds too little of the token to count).
        let whole_on_one_line = planted.iter().filter(|p| !p.text.contains('\n')).count();
        prop_assert!(counted >= whole_on_one_line as u64, "only {counted} redactions: {json}");
    }

    /// The redactor alone, on many more lines: every shape goes, the public fields stay.
    #[test]
    fn the_redactor_removes_every_shape_and_keeps_public_fields(
        planted in proptest::collection::vec(planted(), 1..6),
        channel in "[a-z]{3,12}",
        uid in 1u32..1_000_000,
    ) {
        let text = log_of(&planted, &channel, uid);
        let mut tally = Redactions::default();
        let out = Redactor::default().text(&text, &mut tally);
        let leaked = leaks(&out, &planted);
        prop_assert!(leaked.is_empty(), "leaked {leaked:?}:\n{out}");
        prop_assert!(tally.total() >= planted.iter().filter(|p| !p.text.contains('\n')).count() as u64, "{tally:?}\n{out}");
        let public = format!("appId={APP_ID} channel={channel} uid={uid}");
        prop_assert!(out.contains(&public), "public fields lost:\n{out}");
    }
}
