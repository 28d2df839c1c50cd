//! `agora-doctor report`: a Markdown document for a support ticket, run on the simulated edge, with
//! every secret (certificate, token, signature) redacted and the redactions counted; `--log` in
//! every encoding Windows and log rotation produce.

use agora_doctor::redact::{secrets_of, Redactor};
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
            "join with token {token}\nAgora-SDK [WARNING]: [client-42fb7] Choose server https://webrtc2-ap-web-1.agora.io/api/v1 failed, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired, retry: false, token={token} cert was {CERTIFICATE}\n"
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

    for secret in secrets_of(Some(&token), Some(&decoded), None, &[CERTIFICATE]) {
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
        stdout.contains("retry: false, token=[redacted token] cert was [redacted certificate]"),
        "the log lines holding secrets are redacted, not dropped:\n{stdout}"
    );
    assert!(
        stdout.contains("## Redacted\n\n| what | times |"),
        "the report says what it redacted:\n{stdout}"
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
    // Regression: a successful --out said nothing at all; stderr now says where the report went.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("wrote the report") && stderr.contains(&target.display().to_string()),
        "{stderr}"
    );

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
fn given_secrets_longest_first_and_short_ones_ignored() {
    let redactor = Redactor::new(&["abcdefgh", "abcdefghijkl", "abc"]);
    assert_eq!(
        redactor.text_only("x abcdefghijkl y ABCDEFGH z abc"),
        "x [redacted secret] y [redacted secret] z abc"
    );
}

fn fixture(name: &str) -> String {
    format!("{}/fixtures/logs/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `report --log` and `explain --log` read the same console log saved as UTF-16 LE/BE with a BOM,
/// UTF-8 with a BOM, CRLF and gzip (fixtures/logs/encoded/) exactly as the plain file.
#[test]
fn every_log_encoding_reads_like_the_plain_file() {
    let json_of = |args: &[&str]| -> serde_json::Value {
        let out = Command::cargo_bin("agora-doctor")
            .unwrap()
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        crate::common::schema::parse_json_output(&out.stdout)
    };
    // `explain --log --json` lists problems with their key; `report --json` nests them as errors
    // (each with its whole entry) under `log.report`.
    let summary = |log: &serde_json::Value| -> Vec<(String, u64, u64, u64, String)> {
        let errors = if log["report"].is_object() {
            &log["report"]["errors"]
        } else {
            &log["problems"]
        };
        errors
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["key"]
                        .as_str()
                        .or(e["entry"]["key"].as_str())
                        .unwrap()
                        .to_owned(),
                    e["count"].as_u64().unwrap(),
                    e["first_line"].as_u64().unwrap(),
                    e["last_line"].as_u64().unwrap(),
                    e["line"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let plain = fixture("web-3.x-crlf.log");
    let expected = summary(&json_of(&["explain", "--log", &plain, "--json"]));
    assert!(!expected.is_empty() && !expected[0].4.ends_with('\r'));
    for (file, read_as) in [
        ("web-3.x-crlf.utf16le-bom.log", vec!["UTF-16 LE"]),
        ("web-3.x-crlf.utf16be-bom.log", vec!["UTF-16 BE"]),
        ("web-3.x-crlf.utf8-bom.log", vec!["UTF-8 with BOM"]),
        ("web-3.x-crlf.log.gz", vec!["gzip"]),
        ("web-3.x-crlf.utf16le-bom.log.gz", vec!["gzip", "UTF-16 LE"]),
        (
            "web-3.x-crlf.utf16le-no-bom.log",
            vec!["UTF-16 LE without BOM"],
        ),
    ] {
        let path = fixture(&format!("encoded/{file}"));
        let explained = json_of(&["explain", "--log", &path, "--json"]);
        assert_eq!(summary(&explained), expected, "explain --log {file}");
        let report = json_of(&[
            "report", "--sim", "--only", "clock", "--json", "--log", &path,
        ]);
        assert_eq!(summary(&report["log"]), expected, "report --log {file}");
        assert_eq!(
            report["log"]["read_as"],
            serde_json::json!(read_as),
            "{file}"
        );
        let markdown = Command::cargo_bin("agora-doctor")
            .unwrap()
            .args(["report", "--sim", "--only", "clock", "--log", &path])
            .output()
            .unwrap();
        let markdown = String::from_utf8_lossy(&markdown.stdout);
        assert!(
            markdown.contains(&format!("(read as {})", read_as.join(", "))),
            "{file}: {markdown}"
        );
    }
}

/// Text that cannot be decoded is refused (exit 2, the file named, a next step), never reported
/// as a clean log.
#[test]
fn an_undecodable_log_is_refused_not_reported_clean() {
    let path = fixture("encoded/web-3.x-crlf.utf32le-bom.log");
    for args in [
        vec!["explain", "--log", path.as_str()],
        vec!["report", "--sim", "--only", "clock", "--log", path.as_str()],
    ] {
        let out = Command::cargo_bin("agora-doctor")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed a report");
        assert!(
            stderr.contains("utf32le-bom.log") && stderr.contains("iconv -f UTF-32"),
            "{stderr}"
        );
    }
}

/// Regression: the report's log section said "1 time(s), lines 10–10"; it counts as `explain
/// --log` does ("once, line 10", "3 times, lines 4–6").
#[test]
fn the_log_section_counts_in_words() {
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/logs/web-4.24-console.log"
    );
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .args(["report", "--sim", "--only", "clock", "--log", log])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains(", once, line 10\n"), "{md}");
    assert!(md.contains(", 3 times, lines 4–6\n"), "{md}");
    assert!(!md.contains("(s)"), "{md}");
}
