//! `agora-doctor join` through the binary: `--sim` (SDK double + simulated relay, TEST DOUBLES) with
//! per-step timings in human and `--json` output, failure exit codes, and the certificate never shown.

use crate::common::native as native_common;
use crate::common::schema;

use assert_cmd::Command;
use serde_json::Value;

fn join() -> Command {
    // The binary finds the double next to itself; make sure it is built.
    native_common::sdk_double();
    let mut cmd = Command::cargo_bin("agora-doctor").unwrap();
    cmd.env_remove("AGORA_APP_CERTIFICATE")
        .env_remove("AGORA_APP_ID")
        .env_remove("AGORA_SDK_LIB")
        .timeout(std::time::Duration::from_secs(60))
        .arg("join");
    cmd
}

#[test]
fn sim_join_json_has_every_step_with_timings_and_says_simulated() {
    let out = join()
        .args(["--sim", "--listen", "--json", "--tone-secs", "0.6"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = schema::parse_json_output(&out.stdout);
    assert_eq!(doc["schema"], "agora-doctor/join/v2");
    assert_eq!(doc["simulated"], true);
    assert_eq!(doc["status"], "pass");
    assert_eq!(doc["key"], "probe.join.ok");
    let steps = doc["steps"].as_array().unwrap();
    let names: Vec<&str> = steps.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "load",
            "service",
            "connect",
            "listen",
            "publish",
            "tone",
            "hear",
            "unpublish",
            "disconnect",
            "release"
        ]
    );
    for s in steps {
        assert!(s["ms"].is_u64(), "{s}");
        assert_eq!(s["status"], "pass", "{s}");
    }
    assert!(
        doc["steps"][5]["ms"].as_u64().unwrap() >= 500,
        "the tone step plays 0.6 s"
    );
    assert!(doc["hearing"]["frequency_hz"].as_f64().unwrap() > 430.0);
    for field in [
        "evidence",
        "fix",
        "library",
        "channel",
        "uid",
        "assigned_uid",
        "events",
        "total_ms",
    ] {
        assert!(doc.get(field).is_some(), "missing {field}");
    }
}

#[test]
fn sim_join_human_output_lists_timed_steps_and_the_double() {
    let out = join()
        .args(["--sim", "--tone-secs", "0.2", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("join  PASS  joined \"agora-doctor-sim\""),
        "{text}"
    );
    assert!(text.contains("test doubles, not Agora"), "{text}");
    assert!(text.contains("libagora_sdk_double.so"), "{text}");
    for step in [
        "load",
        "service",
        "connect",
        "publish",
        "tone",
        "unpublish",
        "disconnect",
        "release",
    ] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with('✓') && l.contains(step) && l.contains(" ms")),
            "{step} in {text}"
        );
    }
}

#[test]
fn sim_failures_exit_1_with_their_keys() {
    for (fault, key) in [
        ("expired", "probe.join.token_expired"),
        ("stall", "probe.join.timeout"),
    ] {
        let out = join()
            .args(["--sim", "--json", "--timeout", "0.5", "--sim-fault", fault])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{fault}");
        let doc: Value = schema::parse_json_output(&out.stdout);
        assert_eq!(doc["key"], key, "{fault}");
        assert_eq!(doc["status"], "fail", "{fault}");
    }
}

#[test]
fn no_sdk_found_exits_2_and_bad_input_exits_2_naming_it() {
    let out = join()
        .args([
            "--app-id",
            "00000000000000000000000000051a1d",
            "--channel",
            "c",
            "--json",
        ])
        .args(["--sdk", "/nonexistent/agora_sdk"])
        .output()
        .unwrap();
    // A skip exits 0 in `join` as in `probe` (README, exit codes): nothing failed, nothing was tried.
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = schema::parse_json_output(&out.stdout);
    assert_eq!(doc["status"], "skip");
    assert_eq!(doc["key"], "probe.join.sdk_not_found");

    let out = join().args(["--channel", "c"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--app-id"));
    let out = join().args(["--sim", "--uid", "abc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--uid \"abc\""));
}

#[test]
fn the_certificate_is_never_printed() {
    let cert = "0123456789abcdef0123456789abcdef";
    for extra in [&["--json"][..], &["-v"][..]] {
        let out = join()
            .env("AGORA_APP_CERTIFICATE", cert)
            .args(["--sim", "--tone-secs", "0.1"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(!String::from_utf8_lossy(&out.stdout).contains(cert));
        assert!(!String::from_utf8_lossy(&out.stderr).contains(cert));
    }
}

/// Regression: `join --sim` said the library came "from flag" when no flag was given (the SDK
/// double is --sim's own choice); --sdk is still named when it is the user's.
#[test]
fn sim_join_names_the_sdk_double_as_its_own_choice_not_a_flag() {
    let out = join()
        .args(["--sim", "--tone-secs", "0.2"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let library = text.lines().find(|l| l.contains("library:")).unwrap();
    assert!(!library.contains("flag"), "{library}");
    assert!(library.contains("the SDK double --sim uses"), "{library}");
    let out = join()
        .args(["--sim", "--tone-secs", "0.2", "--json"])
        .output()
        .unwrap();
    let doc: Value = schema::parse_json_output(&out.stdout);
    assert_eq!(doc["library"]["source"], "sim", "{doc:#}");
}
