//! `agora-doctor report`: a Markdown document for a support ticket, run on the simulated edge, with
//! every secret (certificate, token, signature) redacted.

use agora_doctor::report::{redact, secrets_of, REDACTED};
use agora_token_core::{build::rtc_007, build::Role, decode};
use assert_cmd::Command;

const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const CERTIFICATE: &str = "5CFd2fd1755d40ecb72977518be15d3b";

fn fresh_token() -> String {
    let now = agora_clock::unix() as u32;
    rtc_007(
        APP_ID,
        CERTIFICATE,
        "demo",
        "42",
        Role::Publisher,
        now,
        3600,
        0,
        7,
    )
    .unwrap()
}

#[test]
fn report_on_the_sim_redacts_the_certificate_token_and_signature() {
    let token = fresh_token();
    let decoded = decode(&token).unwrap();
    let dir = std::env::temp_dir().join(format!("agora-doctor-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("console.log");
    std::fs::write(
        &log,
        format!(
            "join with token {token}\nAgora-SDK [WARNING]: [client-42fb7] Choose server https://webrtc2-ap-web-1.agora.io/api/v1 failed, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired, retry: false\ncert was {CERTIFICATE}\n"
        ),
    )
    .unwrap();
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .env("AGORA_APP_CERTIFICATE", CERTIFICATE)
        .args(["report", "--sim", "--only", "config,clock,network"])
        .args([
            "--app-id",
            APP_ID,
            "--token",
            &token,
            "--channel",
            "demo",
            "--uid",
            "42",
            "-v",
        ])
        .arg("--log")
        .arg(&log)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    std::fs::remove_dir_all(&dir).unwrap();

    // The log holds an Agora error, so the report ends with exit 1 and explains it.
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stdout.starts_with("# agora-doctor report"));
    assert!(
        stdout.contains("simulated Agora edge"),
        "the double is not labelled"
    );
    assert!(stdout.contains("## Versions") && stdout.contains("| agora-doctor | "));
    assert!(
        stdout.contains("ap.dynamic_key_expired"),
        "log error not explained:\n{stdout}"
    );
    assert!(stdout.contains("## Token (public fields; signature redacted)"));
    assert!(stdout.contains(APP_ID), "public fields may stay");
    assert!(stdout.contains("agora-doctor token \"$TOKEN\" --channel demo"));

    for secret in secrets_of(Some(&token), Some(&decoded), Some(CERTIFICATE)) {
        assert!(
            !stdout.contains(&secret),
            "secret survived in stdout: {secret}"
        );
        assert!(
            !stderr.contains(&secret),
            "secret survived in stderr: {secret}"
        );
    }
    assert!(
        stdout.contains(REDACTED),
        "the log lines holding secrets are redacted, not dropped"
    );
}

#[test]
fn report_writes_to_out_file_and_names_an_unreadable_log() {
    let dir = std::env::temp_dir().join(format!("agora-doctor-report-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("report.md");
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .args(["report", "--sim", "--only", "clock", "--out"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.contains("`clock`"));

    let missing = dir.join("no-such.log");
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .args(["report", "--sim", "--only", "clock", "--log"])
        .arg(&missing)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such.log"),
        "error does not name the file: {stderr}"
    );
}

#[test]
fn redact_replaces_longest_secrets_first_and_ignores_short_ones() {
    let secrets = vec![
        "abcdefgh".to_owned(),
        "abcdefghijkl".to_owned(),
        "abc".to_owned(),
    ];
    assert_eq!(
        redact("x abcdefghijkl y abcdefgh z abc", &secrets),
        format!("x {REDACTED} y {REDACTED} z abc")
    );
}
