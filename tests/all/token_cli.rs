//! The `agora-doctor token` binary as a user runs it: exit codes, stdin, JSON, certificate sources
//! (never printed, not even in errors), the warning for a plain `--cert`, and `token build`.

use crate::common;

use common::{doctor, vectors};
use predicates::prelude::*;
use serde_json::Value;

const APP: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const CERT: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
/// `generated/007/rtc-uid-publisher`: channel test-channel, uid 12345, issued 2026-11-25T00:00:00Z for 1 h.
const GOOD: &str = "007eJxTYGhY9F3mX5ngWlsNtzPd77fsu/449NGTN5MFeFvOfpzw9cNmBYZEwySjZOMUk1TTNDMDc0MLI0vjRJMk02SzFPNUizRLAwZVtmwBPgYG40o2BkYoBPF5GEpSi0t0kzMS8/JSc1gZDI2MTUwB86EkCA==";
const IN_HOUR: &str = "2026-11-25T00:30:00Z";

fn json_of(out: &[u8]) -> Value {
    common::schema::parse_json_output(out)
}

#[test]
fn good_token_exits_0_and_expired_exits_1() {
    doctor()
        .args([
            "token",
            GOOD,
            "--channel",
            "test-channel",
            "--uid",
            "12345",
            "--now",
            IN_HOUR,
        ])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("signature valid"));
    doctor()
        .args([
            "token",
            GOOD,
            "--channel",
            "test-channel",
            "--uid",
            "12345",
            "--now",
            "2026-11-25T02:00:00Z",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "token expired 1 h ago, 2026-11-25T01:00:00Z",
        ));
}

#[test]
fn bad_arguments_exit_2_with_a_message_on_stderr() {
    doctor()
        .args(["token", GOOD, "--now", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--now"));
    doctor()
        .args(["token", GOOD, "--uid", "1", "--account", "x"])
        .assert()
        .code(2);
    doctor().args(["token"]).assert().code(2);
    doctor()
        .args(["token", GOOD, "--cert-file", "/nonexistent/cert.txt"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("/nonexistent/cert.txt")
                .and(predicate::str::contains("cannot read")),
        );
    doctor()
        .args(["token", "-", "--cert-stdin"])
        .write_stdin("x\n")
        .assert()
        .code(2);
}

#[test]
fn strict_turns_warnings_into_failures() {
    // 48 h lifetime: a warning only.
    let v = vectors()
        .into_iter()
        .find(|v| v["name"] == "generated/007/rtc-token-expire-48h")
        .unwrap();
    let t = v["token"].as_str().unwrap();
    let args = [
        "token",
        t,
        "--channel",
        "test-channel",
        "--uid",
        "42",
        "--now",
        IN_HOUR,
    ];
    doctor()
        .args(args)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("over Agora's documented 24 h"));
    doctor().args(args).arg("--strict").assert().code(1);
}

#[test]
fn stdin_dash_gives_one_report_per_line() {
    let input = format!("{GOOD}\nnull\n\n{APP}\n");
    let out = doctor()
        .args([
            "token",
            "-",
            "--json",
            "--now",
            IN_HOUR,
            "--channel",
            "test-channel",
        ])
        .write_stdin(input)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    let tokens = v["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 3, "blank lines are skipped");
    assert_eq!(tokens[0]["source"], "stdin line 1");
    assert_eq!(tokens[0]["diagnosis"]["code"], "ok");
    assert_eq!(tokens[1]["diagnosis"]["code"], "placeholder");
    assert_eq!(tokens[2]["source"], "stdin line 4");
    assert_eq!(tokens[2]["diagnosis"]["code"], "app_id_instead_of_token");
    assert_eq!(v["summary"]["tokens"], 3);
}

#[test]
fn json_has_every_field_even_when_nothing_decodes() {
    let out = doctor()
        .args(["token", "006invalid", "--json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["schema"], "agora-doctor/token/v2");
    for k in ["now", "expectation", "tokens", "summary", "exit_code"] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let t = &v["tokens"][0];
    for k in ["source", "diagnosis", "decoded", "findings", "verdict"] {
        assert!(t.get(k).is_some(), "missing tokens[0].{k}");
    }
    assert!(t["decoded"].is_null());
    assert_eq!(t["diagnosis"]["code"], "truncated");
    assert_eq!(t["findings"][0]["key"], "token.truncated");
    for k in [
        "channel",
        "uid",
        "account",
        "app_id",
        "role",
        "certificate",
        "strict",
    ] {
        assert!(v["expectation"].get(k).is_some(), "missing expectation.{k}");
    }
    assert_eq!(v["expectation"]["certificate"], "none");
}

#[test]
fn decoded_json_keeps_null_fields_of_the_other_format() {
    let out = doctor()
        .args(["token", GOOD, "--json", "--now", IN_HOUR])
        .assert()
        .get_output()
        .stdout
        .clone();
    let d = &json_of(&out)["tokens"][0]["decoded"];
    assert_eq!(d["version"], "007");
    assert!(d["crc_channel_name"].is_null() && d["crc_uid"].is_null());
    assert_eq!(d["privileges"], serde_json::json!([]));
    let s = &d["services"][0];
    for k in [
        "type",
        "name",
        "privileges",
        "channel",
        "uid",
        "account",
        "user_id",
        "room_uuid",
        "user_uuid",
        "role",
        "permissions",
    ] {
        assert!(s.get(k).is_some(), "service field {k} missing");
    }
    assert_eq!(s["uid"], "12345");
}

/// The certificate never appears in any output, from any source, in any mode, including errors.
#[test]
fn certificate_appears_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cert");
    std::fs::write(&file, format!("{CERT}\n")).unwrap();
    let runs: Vec<Vec<String>> = vec![
        vec![
            "token".into(),
            GOOD.into(),
            "--cert-file".into(),
            file.display().to_string(),
        ],
        vec![
            "token".into(),
            GOOD.into(),
            "--cert".into(),
            CERT.into(),
            "--json".into(),
        ],
        vec!["token".into(), CERT.into(), "--cert".into(), CERT.into()],
        vec![
            "token".into(),
            CERT.into(),
            "--cert-file".into(),
            file.display().to_string(),
            "--json".into(),
        ],
        vec!["token".into(), format!("\"{CERT}\""), "--json".into()],
        vec!["token".into(), CERT.into(), "-v".into()],
        vec![
            "token".into(),
            "build".into(),
            "--app-id".into(),
            APP.into(),
            "--channel".into(),
            "c".into(),
            "--uid".into(),
            "1".into(),
            "--cert".into(),
            CERT.into(),
            "--json".into(),
        ],
        // Errors: a bad time with the certificate set, and the certificate pasted as --app-id of build.
        vec![
            "token".into(),
            GOOD.into(),
            "--now".into(),
            CERT.into(),
            "--cert".into(),
            CERT.into(),
        ],
        vec![
            "token".into(),
            "build".into(),
            "--app-id".into(),
            CERT.into(),
            "--channel".into(),
            "c".into(),
            "--uid".into(),
            "1".into(),
            "--cert".into(),
            CERT.into(),
        ],
    ];
    for args in runs {
        for env in [false, true] {
            let mut cmd = doctor();
            cmd.args(&args);
            if env {
                cmd.env("AGORA_APP_CERTIFICATE", CERT);
            }
            let out = cmd.output().unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .to_lowercase();
            assert!(
                !all.contains(CERT),
                "certificate printed by {args:?}:\n{all}"
            );
        }
    }
    // A certificate read from stdin is not echoed either.
    let out = doctor()
        .args(["token", GOOD, "--cert-stdin", "--json"])
        .write_stdin(format!("{CERT}\n"))
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(CERT));
    let v = json_of(&out.stdout);
    assert_eq!(v["expectation"]["certificate"], "stdin");
}

#[test]
fn plain_cert_argument_warns_on_stderr_and_in_the_report() {
    doctor()
        .args([
            "token",
            GOOD,
            "--channel",
            "test-channel",
            "--uid",
            "12345",
            "--now",
            IN_HOUR,
            "--cert",
            CERT,
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "warning: --cert puts the App Certificate in shell history",
        ))
        .stdout(
            predicate::str::contains("token.certificate_on_command_line")
                .and(predicate::str::contains("signature valid")),
        );
    // From the environment: no warning.
    doctor()
        .args(["token", GOOD, "--now", IN_HOUR])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .assert()
        .stderr(predicate::str::is_empty());
}

#[test]
fn wrong_certificate_fails_and_malformed_certificate_cannot_run() {
    doctor()
        .args(["token", GOOD, "--now", IN_HOUR])
        .env("AGORA_APP_CERTIFICATE", CERT.to_uppercase())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("token.signature_invalid"));
    doctor()
        .args(["token", GOOD])
        .env("AGORA_APP_CERTIFICATE", "not-a-certificate")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("AGORA_APP_CERTIFICATE")
                .and(predicate::str::contains("32 hexadecimal")),
        );
}

/// Every malformed vector, tried as a new user would: a clear finding, exit 1 (or 2), no panic.
#[test]
fn every_malformed_vector_exits_1_with_its_finding() {
    for v in vectors().into_iter().filter(|v| v["kind"] == "malformed") {
        let name = v["name"].as_str().unwrap();
        let token = v["token"].as_str().unwrap();
        let mut cmd = doctor();
        cmd.args(["token", "--json", "--now", "2026-11-25T00:30:00Z"]);
        if let Some(i) = v.get("inputs") {
            if let Some(c) = i["channel"].as_str() {
                cmd.args(["--channel", c]);
            }
            if let Some(u) = i["uid"].as_u64() {
                cmd.args(["--uid", &u.to_string()]);
            }
            if let Some(c) = i["app_certificate"].as_str() {
                cmd.env("AGORA_APP_CERTIFICATE", c);
            }
        }
        // `--` so that a token is never read as an option.
        let out = cmd.arg("--").arg(token).output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        assert!(
            code == 1,
            "{name}: exit {code}, stderr {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let j = json_of(&out.stdout);
        let t = &j["tokens"][0];
        let expected = v["expected"]["error"].as_str().unwrap();
        assert_eq!(t["diagnosis"]["code"], expected, "{name}");
        let failing: Vec<&str> = t["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == "fail")
            .map(|f| f["key"].as_str().unwrap())
            .collect();
        assert!(!failing.is_empty(), "{name}: no failing finding");
        if expected != "ok" {
            assert_eq!(
                failing[0],
                format!("token.{expected}"),
                "{name}: first failing finding"
            );
        }
    }
}

#[test]
fn build_reproduces_official_builder_output() {
    // generated/007/rtc-uid-publisher, stock-zlib string.
    let v = vectors()
        .into_iter()
        .find(|v| v["name"] == "generated/007/rtc-uid-publisher")
        .unwrap();
    let want = v["token_zlib_c_default"].as_str().unwrap();
    doctor()
        .args([
            "token",
            "build",
            "--app-id",
            APP,
            "--channel",
            "test-channel",
            "--uid",
            "12345",
            "--expire",
            "1h",
        ])
        .args(["--salt", "424242", "--issued-at", "2026-11-25T00:00:00Z"])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .assert()
        .code(0)
        .stdout(format!("{want}\n"));
    // generated/006/rtc-uid-subscriber: privilegeExpiredTs = issue + 1 h, ts = issue + 24 h.
    let v = vectors()
        .into_iter()
        .find(|v| v["name"] == "generated/006/rtc-uid-subscriber")
        .unwrap();
    doctor()
        .args([
            "token",
            "build",
            "--format",
            "006",
            "--role",
            "subscriber",
            "--app-id",
            APP,
            "--channel",
            "demo",
        ])
        .args([
            "--uid",
            "2882341273",
            "--expire",
            "3600",
            "--salt",
            "12",
            "--issued-at",
            "1795564800",
        ])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .assert()
        .code(0)
        .stdout(format!("{}\n", v["token"].as_str().unwrap()));
    // generated/007/rtm-only.
    let v = vectors()
        .into_iter()
        .find(|v| v["name"] == "generated/007/rtm-only")
        .unwrap();
    doctor()
        .args([
            "token",
            "build",
            "--service",
            "rtm",
            "--account",
            "rtm-user-1",
            "--app-id",
            APP,
            "--expire",
            "60m",
        ])
        .args(["--salt", "4001", "--issued-at", "2026-11-25T00:00:00Z"])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .assert()
        .code(0)
        .stdout(format!("{}\n", v["token_zlib_c_default"].as_str().unwrap()));
}

#[test]
fn built_token_checks_clean_and_build_errors_exit_2() {
    let out = doctor()
        .args([
            "token",
            "build",
            "--app-id",
            APP,
            "--channel",
            "room 1",
            "--uid",
            "7",
            "--json",
        ])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let b = json_of(&out);
    assert_eq!(b["schema"], "agora-doctor/token-build/v1");
    let token = b["token"].as_str().unwrap().to_string();
    doctor()
        .args([
            "token",
            &token,
            "--channel",
            "room 1",
            "--uid",
            "7",
            "--app-id",
            APP,
            "--role",
            "publisher",
        ])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .assert()
        .code(0);
    doctor()
        .args([
            "token",
            "build",
            "--app-id",
            APP,
            "--channel",
            "c",
            "--uid",
            "1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs the App Certificate"));
    doctor()
        .args([
            "token",
            "build",
            "--app-id",
            APP,
            "--channel",
            "c",
            "--uid",
            "4294967296",
        ])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .assert()
        .code(2);
    doctor()
        .args([
            "token",
            "build",
            "--app-id",
            APP,
            "--channel",
            "c",
            "--uid",
            "1",
            "--expire",
            "soon",
        ])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--expire"));
}

#[test]
fn examples_run_without_an_account() {
    doctor()
        .args(["token", "--example", "expired"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("token expired"));
    doctor()
        .args(["token", "--example", "valid"])
        .assert()
        .code(0);
    for e in [
        "wrong-channel",
        "plus-became-space",
        "subscriber",
        "wrong-certificate",
        "app-id-pasted",
    ] {
        doctor().args(["token", "--example", e]).assert().code(1);
    }
}

/// Regression: `token --example valid` failed ("signature does not match") when
/// AGORA_APP_CERTIFICATE was exported, the README's own way to pass a certificate: a sample is
/// checked with its own certificate whatever the environment holds.
#[test]
fn examples_use_their_own_certificate_whatever_the_environment_holds() {
    let out = doctor()
        .args(["token", "--example", "valid", "--json"])
        .env("AGORA_APP_CERTIFICATE", "00112233445566778899aabbccddeeff")
        .output()
        .unwrap();
    let doc = json_of(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{doc:#}");
    assert_eq!(doc["expectation"]["certificate"], "example");
    let findings = doc["tokens"][0]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["key"] == "token.signature_valid" && f["status"] == "pass"),
        "{doc:#}"
    );
    // The environment's certificate is still never printed.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("00112233445566778899aabbccddeeff"));
}

#[test]
fn colour_only_when_asked() {
    let plain = doctor()
        .args(["token", "--example", "expired"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'),
        "no colour when piped"
    );
    let forced = doctor()
        .args(["--color", "always", "token", "--example", "expired"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains('\u{1b}'));
    let json = doctor()
        .args([
            "--color",
            "always",
            "token",
            "--example",
            "expired",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&json.stdout).contains('\u{1b}'),
        "never colour in JSON"
    );
}

#[test]
fn quiet_prints_only_the_summary_line() {
    let out = doctor()
        .args(["-q", "token", "--example", "expired"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("1 problem: 1 failure"));
}
