//! Probe's `join` check: under `probe --sim` it runs the native join cycle against the SDK double and
//! the simulated relay (test doubles), says so, and reports per-step timings in human and JSON output.

use crate::common::native as native_common;
use crate::common::schema;

use assert_cmd::Command;
use serde_json::Value;

fn probe() -> Command {
    native_common::sdk_double();
    let mut cmd = Command::cargo_bin("agora-doctor").unwrap();
    cmd.env_remove("AGORA_APP_CERTIFICATE")
        .env_remove("AGORA_APP_ID")
        .env_remove("AGORA_SDK_LIB")
        .timeout(std::time::Duration::from_secs(90))
        .args(["probe", "--sim", "--only", "join"]);
    cmd
}

#[test]
fn probe_sim_join_passes_with_timed_steps_and_says_it_used_the_double() {
    let out = probe().arg("--json").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc: Value = schema::parse_json_output(&out.stdout);
    let join = &doc["checks"][0];
    assert_eq!(join["id"], "join");
    assert_eq!(join["status"], "pass", "{join}");
    assert_eq!(join["key"], "probe.join.ok");
    let evidence: Vec<&str> = join["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(evidence
        .iter()
        .any(|e| e.contains("SDK double") && e.contains("test doubles")));
    for step in [
        "load",
        "service",
        "connect",
        "listen",
        "publish",
        "tone",
        "hear",
        "unpublish",
        "disconnect",
        "release",
    ] {
        let prefix = format!("step {step}: ");
        let line = evidence
            .iter()
            .find(|e| e.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no {step} in {evidence:?}"));
        let ms: u64 = line[prefix.len()..]
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(line.contains(" ms, pass"), "{line}");
        if step == "tone" {
            assert!(ms >= 900, "{line}");
        }
    }
    assert!(
        evidence.iter().any(|e| e.contains("440.0 Hz")),
        "{evidence:?}"
    );
}

#[test]
fn probe_sim_join_human_output_shows_the_steps() {
    let out = probe().args(["--color", "never"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("join"), "{text}");
    assert!(text.contains("probe.join.ok"), "{text}");
    assert!(text.contains("step connect: "), "{text}");
    assert!(text.contains("SDK double"), "{text}");
}

#[test]
fn without_inputs_or_without_an_sdk_the_join_check_is_skipped_with_its_key() {
    let run = |args: &[&str]| -> Value {
        let out = Command::cargo_bin("agora-doctor")
            .unwrap()
            .env_remove("AGORA_APP_CERTIFICATE")
            .env_remove("AGORA_APP_ID")
            .env_remove("AGORA_SDK_LIB")
            .args(["probe", "--only", "join", "--json"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "a skip is not a failure");
        let doc: Value = schema::parse_json_output(&out.stdout);
        doc["checks"][0].clone()
    };
    let check = run(&[]);
    assert_eq!(check["status"], "skip");
    assert_eq!(check["key"], "probe.join.inputs_missing");
    let check = run(&[
        "--app-id",
        "00000000000000000000000000051a1d",
        "--channel",
        "demo",
        "--sdk",
        "/nonexistent/agora_sdk",
    ]);
    assert_eq!(check["status"], "skip");
    assert_eq!(check["key"], "probe.join.sdk_not_found");
    assert!(
        check["evidence"]
            .to_string()
            .contains("/nonexistent/agora_sdk"),
        "{check}"
    );
}
