//! The `agora-doctor explain` binary: exit codes, `-` for stdin, did-you-mean, `--list`, `--json` and
//! `--log` on the fixture logs under `fixtures/logs/`.

use crate::common::schema;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn explain() -> Command {
    let mut c = Command::cargo_bin("agora-doctor").expect("binary");
    c.arg("--color").arg("never").arg("explain");
    c
}

/// What `explain ARGS` printed, asserting its exit code.
fn stdout_of(args: &[&str], code: i32) -> Vec<u8> {
    explain()
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone()
}

fn json_of(out: &[u8]) -> Value {
    schema::parse_json_output(out)
}

fn log(name: &str) -> String {
    format!("{}/fixtures/logs/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_known_number_exits_0_and_lists_its_other_meanings() {
    explain()
        .arg("110")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("native.err_invalid_token"))
        .stdout(predicate::str::contains("gateway.err_no_authorized"));
}

#[test]
fn negative_numbers_are_queries_not_flags() {
    explain()
        .arg("-17")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "native.err_join_channel_rejected",
        ));
}

#[test]
fn dash_reads_a_pasted_line_from_stdin() {
    explain()
        .arg("-")
        .write_stdin("Choose server https://webrtc2-ap-web-1.agora.io/api/v1 failed, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired, retry: false\n")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ap.dynamic_key_expired"));
}

#[test]
fn several_words_are_one_query() {
    explain()
        .args(["dynamic", "key", "expired"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ap.dynamic_key_expired"));
}

#[test]
fn unknown_input_exits_2_with_did_you_mean() {
    explain()
        .arg("dynamik key expird")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("did you mean"))
        .stderr(predicate::str::contains("DYNAMIC_KEY_EXPIRED"))
        .stderr(predicate::str::contains("--list"));
}

#[test]
fn a_recognised_paste_no_entry_fits_exits_1_with_what_was_read_and_the_nearest_entries() {
    let out = stdout_of(
        &[
            "io.agora.chat.ChatException: errorCode: 777, description: the login went wrong",
            "--json",
        ],
        1,
    );
    let v = json_of(&out);
    assert_eq!(v["explained"], false);
    assert_eq!(v["recognised"]["products"][0], "chat");
    assert!(v["recognised"]["codes"]
        .as_array()
        .is_some_and(|c| c.iter().any(|x| x == "777")));
    let nearest = v["nearest"].as_array().expect("nearest");
    assert!(!nearest.is_empty(), "{v}");
    assert!(nearest.iter().all(|n| n["product"] == "chat"), "{v}");
    assert!(nearest
        .iter()
        .all(|n| n["why"].as_str().is_some_and(|w| !w.is_empty())));
}

/// Regression: a paste naming a product, platform or code was answered "nothing matches" (exit 2)
/// when no entry held it; it is now answered with what was recognised and the nearest entries.
#[test]
fn a_recognised_product_or_code_is_never_answered_nothing_matches() {
    for query in [
        "98765",
        "Flexible Classroom 30403100",
        "Cloud Recording 409 Conflict",
        "Interactive Whiteboard 2010299",
    ] {
        let out = stdout_of(&[query, "--json"], 1);
        let v = json_of(&out);
        assert_eq!(v["explained"], false, "{query}: {v}");
        assert!(
            v["recognised"]["codes"]
                .as_array()
                .is_some_and(|c| !c.is_empty()),
            "{query}: {v}"
        );
    }
    let out = stdout_of(&["Flexible Classroom 30403100", "--json"], 1);
    let v = json_of(&out);
    assert_eq!(v["recognised"]["products"][0], "classroom", "{v}");
    let nearest = v["nearest"].as_array().expect("nearest");
    assert!(
        nearest.first().is_some_and(|n| n["product"] == "classroom"),
        "{v}"
    );
}

/// A product's name, then a number or HTTP status with no label word, is that product's code.
#[test]
fn a_product_then_a_bare_number_is_that_products_code() {
    for (query, product, value) in [
        ("Cloud Recording 433", "cloud-recording", "433"),
        ("Media Push 409 Conflict", "media-push", "409"),
        ("Interactive Whiteboard 401", "whiteboard", "401"),
    ] {
        let out = stdout_of(&[query, "--json"], 0);
        let v = json_of(&out);
        assert_eq!(v["entries"][0]["product"], product, "{query}: {v}");
        assert_eq!(v["entries"][0]["value"], value, "{query}: {v}");
    }
}

#[test]
fn a_number_is_looked_up_in_the_product_its_paste_names() {
    let out = stdout_of(
        &[
            "ChatClient login failed: ChatException errorCode: 202",
            "--json",
        ],
        0,
    );
    let v = json_of(&out);
    assert_eq!(
        v["entries"][0]["key"], "chat.user_authentication_failed",
        "{v}"
    );
    // The same number in an RTC paste is RTC's (native 202 is no error; the gateway's is).
    let out = stdout_of(&["onError: 110", "--json"], 0);
    assert_eq!(
        json_of(&out)["entries"][0]["key"],
        "native.err_invalid_token"
    );
}

#[test]
fn chinese_and_japanese_pastes_are_read_and_answered_in_english() {
    explain()
        .arg("加入频道失败，错误码 110")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("native.err_invalid_token"));
    let out = stdout_of(&["マイクの権限がありません", "--json"], 1);
    let v = json_of(&out);
    assert_eq!(v["recognised"]["language"], "Japanese");
    assert!(v["recognised"]["terms"]
        .as_array()
        .is_some_and(|t| t.iter().any(|x| x == "microphone")));
    assert!(!v["nearest"].as_array().expect("nearest").is_empty());
}

#[test]
fn empty_stdin_query_exits_2() {
    explain()
        .arg("-")
        .write_stdin("  \n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty"));
}

#[test]
fn no_query_exits_2() {
    explain().assert().code(2);
}

#[test]
fn json_entry_has_every_field() {
    let out = stdout_of(&["token.expired", "--json"], 0);
    let v = json_of(&out);
    assert_eq!(v["schema"], "agora-doctor/explain/v3");
    assert_eq!(v["explained"], true);
    assert!(v["recognised"].is_object() && v["nearest"].is_array());
    assert_eq!(v["matched_by"], "key");
    let e = &v["entries"][0];
    for field in [
        "key",
        "title",
        "sdk",
        "kind",
        "value",
        "names",
        "aliases",
        "codes",
        "patterns",
        "legacy",
        "retired",
        "product",
        "table",
        "source",
        "summary",
        "causes",
        "fix",
        "check_with",
    ] {
        assert!(e.get(field).is_some(), "missing field {field}");
    }
    assert_eq!(e["key"], "token.expired");
    assert_eq!(e["kind"], "finding");
    assert!(e["causes"].as_array().is_some_and(|c| !c.is_empty()));
}

#[test]
fn list_has_one_line_per_entry() {
    let n = agora_doctor::explain::catalog().len();
    let out = explain()
        .arg("--list")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(
        text.lines().count(),
        n + 1,
        "one line per entry plus the total"
    );
    assert!(text.lines().any(|l| l.starts_with("token.expired ")));
}

#[test]
fn list_json_parses_and_counts() {
    let out = stdout_of(&["--list", "--json"], 0);
    let v = json_of(&out);
    assert_eq!(v["schema"], "agora-doctor/explain-list/v1");
    let entries = v["entries"].as_array().expect("entries");
    assert_eq!(v["count"].as_u64(), Some(entries.len() as u64));
    assert_eq!(entries.len(), agora_doctor::explain::catalog().len());
}

#[test]
fn log_with_errors_exits_1_and_reports_counts_and_lines() {
    let out = stdout_of(&["--log", &log("web-4.3-console.log"), "--json"], 1);
    let v = json_of(&out);
    assert_eq!(v["schema"], "agora-doctor/explain-log/v4");
    assert_eq!(v["lines"], 15);
    let got: Vec<(String, u64, u64, u64)> = v["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|e| {
            (
                e["key"].as_str().expect("key").to_string(),
                e["count"].as_u64().expect("count"),
                e["first_line"].as_u64().expect("first"),
                e["last_line"].as_u64().expect("last"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ap.dynamic_key_expired".to_string(), 4, 5, 8),
            ("msg.publish_before_join".to_string(), 1, 10, 10),
            ("msg.remove_of_null".to_string(), 1, 13, 13),
        ]
    );
    assert!(v["problems"][0]["line"]
        .as_str()
        .expect("line")
        .contains("webrtc2-ap-web-1.agora.io"));
}

#[test]
fn log_in_the_4_7_format_finds_the_reason_not_just_the_code() {
    let out = stdout_of(&["--log", &log("web-4.24-console.log"), "--json"], 1);
    let v = json_of(&out);
    let keys: Vec<&str> = v["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|e| e["key"].as_str().expect("key"))
        .collect();
    assert_eq!(
        keys,
        [
            "ap.dynamic_use_static_key",
            "web.not_readable",
            "gateway.err_no_authorized"
        ]
    );
    assert_eq!(v["problems"][0]["count"], 3);
}

#[test]
fn log_with_crlf_line_ends_from_web_3x() {
    let out = stdout_of(&["--log", &log("web-3.x-crlf.log"), "--json"], 1);
    let v = json_of(&out);
    assert_eq!(v["problems"][0]["key"], "ap.dynamic_use_static_key");
    assert_eq!(v["problems"][0]["first_line"], 3);
    assert_eq!(v["problems"][0]["last_line"], 4);
    assert!(!v["problems"][0]["line"]
        .as_str()
        .expect("line")
        .ends_with('\r'));
}

#[test]
fn log_of_native_and_flutter_lines() {
    let out = stdout_of(&["--log", &log("native-flutter.log"), "--json"], 1);
    let keys: Vec<String> = json_of(&out)["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|e| e["key"].as_str().expect("key").to_string())
        .collect();
    assert_eq!(
        keys,
        [
            "native.err_join_channel_rejected",
            "native.connection_changed_invalid_token",
            "native.err_invalid_token"
        ]
    );
}

#[test]
fn clean_log_exits_0() {
    explain()
        .args(["--log", &log("clean.log")])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no problems in 5 lines"));
}

#[test]
fn log_from_stdin() {
    let text = std::fs::read(log("web-4.3-console.log")).expect("fixture");
    explain()
        .args(["--log", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<stdin>:5:"))
        .stdout(predicate::str::contains(
            "3 problems in 15 lines of <stdin>",
        ));
}

#[test]
fn unreadable_log_exits_2_naming_the_file() {
    explain()
        .args(["--log", "/nonexistent/console.log"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("/nonexistent/console.log"));
}

#[test]
fn quiet_prints_only_the_line_behind_the_exit_code() {
    let out = explain().args(["110"]).arg("-q").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("native.err_invalid_token — "), "{text}");

    let out = explain()
        .args(["--log", &log("web-4.24-console.log"), "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("3 problems in 12 lines"), "{text}");
}
