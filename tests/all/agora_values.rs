//! Every value Agora accepts goes through the command line as typed: channel names beginning with
//! `-` (for `token`, `token build`, `probe` and `join`), every character of Agora's channel-name set
//! ("a-z A-Z 0-9 space ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,", at most 64 bytes:
//! https://api-ref.agora.io/en/voice-sdk/web/4.x/interfaces/iagorartcclient.html#join), uids up to
//! 2^32-1 and user accounts with spaces. Also `token --at` ("will it still work at the demo?") on a
//! fixed clock, and `probe --url` without a scheme.

use crate::common;

use common::doctor;
use serde_json::Value;

/// A test project (not real Agora credentials).
const APP_ID: &str = "0123456789abcdef0123456789abcdef";
const CERTIFICATE: &str = "fedcba9876543210fedcba9876543210";
/// The tool's clock in these tests.
const NOW: &str = "2026-12-04T16:00:00Z";

/// Agora's channel-name characters, in pieces of at most 64 bytes (the length limit).
// A space inside a name is allowed; one at either end is allowed too but draws a copy-mistake
// warning (token.channel_name_invalid), so the sets keep it inside.
const CHANNEL_SETS: &[&str] = &[
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "! #$%&()+-:;<=.>?@[]^_{}|~,",
    "-!#$%&()+-:;<=.>?@[]^_{}|~, a",
];

fn build(args: &[&str]) -> String {
    let out = doctor()
        .args(["token", "build", "--app-id", APP_ID, "--issued-at", NOW])
        .args(args)
        .env("AGORA_APP_CERTIFICATE", CERTIFICATE)
        .env("AGORA_DOCTOR_NOW", NOW)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "token build {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// `token TOKEN ARGS --json` with the certificate: exit code and the report.
fn check(token: &str, args: &[&str]) -> (i32, Value) {
    let out = doctor()
        .args(["token", token, "--json"])
        .args(args)
        .env("AGORA_APP_CERTIFICATE", CERTIFICATE)
        .env("AGORA_DOCTOR_NOW", NOW)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), report)
}

#[test]
fn a_channel_beginning_with_a_hyphen_builds_and_checks() {
    for channel in ["-room", "--", "-", "-x y"] {
        let token = build(&["--channel", channel, "--uid", "42"]);
        let (code, report) = check(&token, &["--channel", channel, "--uid", "42"]);
        assert_eq!(code, 0, "{channel:?}: {report:#}");
        assert_eq!(report["expectation"]["channel"], channel);
        // Another channel is still told apart.
        let (code, _) = check(&token, &["--channel", "-other", "--uid", "42"]);
        assert_eq!(code, 1, "{channel:?} against -other");
    }
}

#[test]
fn every_character_agora_allows_in_a_channel_name_round_trips() {
    let all: String = CHANNEL_SETS.concat();
    for c in [
        'a', 'z', 'A', 'Z', '0', '9', ' ', '!', '#', '$', '%', '&', '(', ')', '+', '-', ':', ';',
        '<', '=', '.', '>', '?', '@', '[', ']', '^', '_', '{', '}', '|', '~', ',',
    ] {
        assert!(all.contains(c), "{c:?} is not covered");
    }
    for channel in CHANNEL_SETS {
        assert!(channel.len() <= 64);
        for format in ["007", "006"] {
            let token = build(&["--channel", channel, "--uid", "7", "--format", format]);
            let (code, report) = check(&token, &["--channel", channel, "--uid", "7"]);
            assert_eq!(code, 0, "{format} {channel:?}: {report:#}");
            let findings = report["tokens"][0]["findings"].to_string();
            assert!(
                !findings.contains("\"warn\""),
                "{format} {channel:?}: {findings}"
            );
        }
    }
}

#[test]
fn the_largest_uid_and_an_account_with_spaces_go_through_as_typed() {
    let token = build(&["--channel", "demo", "--uid", "4294967295"]);
    let (code, report) = check(&token, &["--channel", "demo", "--uid", "4294967295"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["expectation"]["uid"], 4_294_967_295u64);

    let token = build(&["--channel", "demo", "--account", "Ada Lovelace"]);
    let (code, report) = check(&token, &["--channel", "demo", "--account", "Ada Lovelace"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["expectation"]["account"], "Ada Lovelace");
    let (code, _) = check(&token, &["--channel", "demo", "--account", "Ada"]);
    assert_eq!(code, 1, "another account fails");

    let token = build(&["--channel", "demo", "--account", "-dash first"]);
    let (code, _) = check(&token, &["--channel", "demo", "--account", "-dash first"]);
    assert_eq!(code, 0);
}

#[test]
fn probe_and_join_take_a_channel_beginning_with_a_hyphen() {
    let out = doctor()
        .args(["probe", "--sim", "--only", "config,join", "--json"])
        .args(["--channel", "-room"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    for check in report["checks"].as_array().unwrap() {
        assert_eq!(check["status"], "pass", "{check:#}");
    }
    assert!(report.to_string().contains("\\\"-room\\\""), "{report:#}");

    let out = doctor()
        .args(["join", "--sim", "--channel", "-room", "--json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert!(report.to_string().contains("-room"), "{report:#}");
}

/// `token … --at`: the verdict at that time, relative forms counted from the tool's clock.
#[test]
fn token_at_answers_will_it_still_work_at_the_demo() {
    // Issued at NOW, valid 24 h: until 2026-12-05T16:00:00Z.
    let token = build(&["--channel", "demo", "--uid", "1", "--expire", "1d"]);
    let text = |at: &str| {
        let out = doctor()
            .args([
                "token",
                &token,
                "--channel",
                "demo",
                "--uid",
                "1",
                "--at",
                at,
            ])
            .args(["--color", "never"])
            .env("AGORA_APP_CERTIFICATE", CERTIFICATE)
            .env("AGORA_DOCTOR_NOW", NOW)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, out) = text("+18h");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Checked at 2026-12-05T10:00:00Z (in 18 h from now, --at)"),
        "{out}"
    );
    assert!(
        out.contains("At 2026-12-05T10:00:00Z: this token will still work (valid until 2026-12-05T16:00:00Z, 6 h later)"),
        "{out}"
    );
    let (code, out) = text("2026-12-05T17:00:00Z");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "this token will no longer work (it expires at 2026-12-05T16:00:00Z, 1 h before)"
        ),
        "{out}"
    );
    // `--now` is the same option; JSON's `now` is the instant judged.
    let (_, report) = check(
        &token,
        &["--channel", "demo", "--uid", "1", "--now", "+1d1h"],
    );
    assert_eq!(report["now"]["utc"], "2026-12-05T17:00:00Z", "{report:#}");
    let out = doctor()
        .args(["token", &token, "--at", "next week"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("+18h"));
}

#[test]
fn probe_url_without_a_scheme_is_read_as_http_and_says_so() {
    let out = doctor()
        .args([
            "probe",
            "--url",
            "localhost:3000",
            "--only",
            "secure_context",
        ])
        .args(["--json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let check = &report["checks"][0];
    assert_eq!(check["status"], "pass", "{check:#}");
    let text = check.to_string();
    assert!(
        text.contains("--url localhost:3000 has no scheme: read as http://localhost:3000/"),
        "{check:#}"
    );
    assert!(text.contains("http://localhost:3000/"), "{check:#}");
}
