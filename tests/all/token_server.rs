//! `token-server` against a real token server: a few lines of Node around Agora's official
//! `agora-token` package (fixtures/token-server/server.js, installed from its lock file by
//! scripts/setup.d/45-token-server.sh) on 127.0.0.1 with a free port, plus deliberately broken
//! variants. The good server passes; each broken one is named by its fault.

use crate::common;

use std::time::Duration;

use common::doctor;
use serde_json::Value;

use common::token_server::{NodeServer, APP_ID, CERT, RTC};

/// Run `token-server --json` with the certificate in the environment; exit code and document.
fn run(template: &str, extra: &[&str]) -> (i32, Value) {
    let out = doctor()
        .args(["token-server", template, "--json", "--app-id", APP_ID])
        .args(extra)
        .env("AGORA_APP_CERTIFICATE", CERT)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for variant in [CERT.to_string(), CERT.to_lowercase(), CERT.to_uppercase()] {
        assert!(
            !stdout.contains(&variant) && !stderr.contains(&variant),
            "the certificate is printed"
        );
    }
    (
        out.status.code().unwrap_or(-1),
        common::schema::parse_json_output(&out.stdout),
    )
}

fn findings(doc: &Value) -> Vec<(String, String)> {
    doc["requests"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap().iter())
        .chain(doc["browser"].as_array().unwrap())
        .map(|f| {
            (
                f["key"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(doc: &Value, key: &str, status: &str) -> bool {
    findings(doc).iter().any(|(k, s)| k == key && s == status)
}

#[test]
fn the_good_server_passes_and_every_token_is_verified() {
    let server = NodeServer::start("good");
    let (code, doc) = run(&server.url(RTC), &["--channel", "demo", "--uid", "42"]);
    assert_eq!(code, 0, "{doc:#}");
    let requests = doc["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "both roles are asked");
    for r in requests {
        assert_eq!(r["status"], 200);
        assert_eq!(r["token_field"], "rtcToken");
        let keys: Vec<&str> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["key"].as_str().unwrap())
            .collect();
        for want in [
            "token.signature_valid",
            "token.channel_mismatch",
            "token.uid_mismatch",
            "token_server.lifetime",
        ] {
            assert!(keys.contains(&want), "{want} missing: {keys:?}");
        }
    }
    for key in [
        "token_server.cors",
        "token_server.preflight",
        "token_server.tls",
        "token_server.latency",
    ] {
        assert!(has(&doc, key, "pass"), "{key}: {doc:#}");
    }
    assert!(!findings(&doc).iter().any(|(_, s)| s == "fail"), "{doc:#}");
}

#[test]
fn the_good_server_passes_for_user_accounts_and_rtm() {
    let server = NodeServer::start("good");
    let (code, doc) = run(
        &server.url(RTC),
        &["--channel", "demo", "--account", "alice@example.com"],
    );
    assert_eq!(code, 0, "{doc:#}");
    assert!(has(&doc, "token.uid_mismatch", "pass"), "{doc:#}");
    // RTM: the official RtmTokenBuilder, verified for the account asked.
    let (code, doc) = run(
        &server.url("/rtm/{uid}?expiry={expire}"),
        &["--account", "alice"],
    );
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["service"], "rtm");
    assert!(has(&doc, "token.signature_valid", "pass"), "{doc:#}");
    assert!(has(&doc, "token.uid_mismatch", "pass"), "{doc:#}");
    // The RTC route asked as if it served RTM: the most common confusion is named.
    let (code, doc) = run(
        &server.url(RTC),
        &["--service", "rtm", "--account", "alice"],
    );
    assert_eq!(code, 1);
    assert!(has(&doc, "token.no_rtm_service", "fail"), "{doc:#}");
}

#[test]
fn each_broken_server_is_named_by_its_fault() {
    for (mode, key) in [
        ("wrong-channel", "token.channel_mismatch"),
        ("wrong-role", "token.cannot_publish"),
        ("expired", "token.privilege_before_token_issue"),
        ("no-cors", "token_server.cors"),
    ] {
        let server = NodeServer::start(mode);
        let (code, doc) = run(&server.url(RTC), &["--channel", "demo", "--uid", "42"]);
        assert_eq!(code, 1, "{mode}: {doc:#}");
        assert!(
            has(&doc, key, "fail"),
            "{mode}: {key} not failed: {:?}",
            findings(&doc)
        );
        // Only that fault: every other failing key is the same one (or a consequence in the token).
        let failing: Vec<String> = findings(&doc)
            .into_iter()
            .filter(|(_, s)| s == "fail")
            .map(|(k, _)| k)
            .collect();
        assert!(failing.iter().all(|k| k == key), "{mode}: {failing:?}");
    }
    // The preflight of the server without CORS is reported too.
    let server = NodeServer::start("no-cors");
    let (_, doc) = run(&server.url(RTC), &[]);
    assert!(has(&doc, "token_server.preflight", "warn"), "{doc:#}");
}

#[test]
fn a_server_that_is_not_there_is_unreachable_not_a_hang() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, doc) = run(
        &format!("http://127.0.0.1:{port}{RTC}"),
        &["--timeout", "2"],
    );
    assert_eq!(code, 1);
    assert!(has(&doc, "token_server.unreachable", "fail"), "{doc:#}");
}

/// Regression: with no answer at all, `https: TLS handshake and certificate accepted` still passed;
/// a check that was not performed is a skip.
#[test]
fn tls_is_not_passed_when_no_request_got_an_answer() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, doc) = run(
        &format!("https://127.0.0.1:{port}{RTC}"),
        &["--timeout", "2"],
    );
    assert_eq!(code, 1);
    assert!(has(&doc, "token_server.unreachable", "fail"), "{doc:#}");
    assert!(has(&doc, "token_server.tls", "skip"), "{doc:#}");
    assert!(!has(&doc, "token_server.tls", "pass"), "{doc:#}");
}

/// A server that accepts and never answers: the wait is bounded by --timeout and the finding says
/// how long it waited.
#[test]
fn a_server_that_never_answers_is_named_with_the_wait_that_ran_out() {
    // Bound and listening, never accepted: the kernel completes the connection, nobody answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let started = std::time::Instant::now();
    let (code, doc) = run(
        &format!("http://127.0.0.1:{port}{RTC}"),
        &["--timeout", "1"],
    );
    assert_eq!(code, 1);
    assert!(started.elapsed() < Duration::from_secs(30));
    let summary = doc["requests"][0]["findings"][0]["summary"]
        .as_str()
        .unwrap();
    assert!(summary.contains("within 1 s (--timeout)"), "{summary}");
    drop(silent);
}
