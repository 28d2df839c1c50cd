//! `agora-doctor probe` through the binary: JSON shape, --list-checks, --only, --strict, exit codes
//! 0/1/2, the simulated-edge labelling, and that no secret reaches the output.

use crate::common::native as native_common;
use crate::common::schema;

use assert_cmd::Command;
use serde_json::Value;

fn probe(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .arg("probe")
        .args(args)
        .env_remove("AGORA_DOCTOR_EDGE")
        .env_remove("AGORA_DOCTOR_STUN")
        .env_remove("AGORA_APP_ID")
        .env_remove("AGORA_APP_CERTIFICATE")
        // --sim would run the web flow in Chromium in each test; tests/browser_flow.rs covers it.
        .env("AGORA_DOCTOR_NO_BROWSER", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CHECK_FIELDS: &[&str] = &[
    "id",
    "title",
    "status",
    "key",
    "summary",
    "evidence",
    "fix",
    "findings",
    "duration_ms",
    "budget_ms",
];

#[test]
fn sim_json_matches_the_documented_schema_and_passes() {
    // The join check runs the SDK double (a test double) found next to the binary.
    native_common::sdk_double();
    let (code, stdout, stderr) = probe(&["--sim", "--json"]);
    assert_eq!(code, 0, "stderr: {stderr}\n{stdout}");
    let json: Value = schema::parse_json_output(stdout.as_bytes());
    assert_eq!(json["schema"], "agora-doctor/probe/v2");
    assert_eq!(json["simulated"], true);
    assert!(json["target"].as_str().unwrap().contains("test double"));
    for field in ["strict", "checks", "counts", "wall_ms", "exit_code"] {
        assert!(json.get(field).is_some(), "missing {field}");
    }
    let checks = json["checks"].as_array().unwrap();
    let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "config",
            "clock",
            "network",
            "secure_context",
            "page",
            "devices",
            "join",
            "browser"
        ]
    );
    for check in checks {
        for field in CHECK_FIELDS {
            assert!(
                check.get(*field).is_some(),
                "{}: missing {field}",
                check["id"]
            );
        }
        let status = check["status"].as_str().unwrap();
        assert!(
            matches!(status, "pass" | "skip"),
            "{}: {status}",
            check["id"]
        );
        assert!(check["key"].as_str().unwrap().starts_with("probe."));
        for f in check["findings"].as_array().unwrap() {
            for field in ["key", "status", "summary", "evidence", "fix"] {
                assert!(f.get(field).is_some(), "finding missing {field}");
            }
        }
    }
    // config, clock, network, secure_context and page (on the simulated demo page), join; devices
    // is skipped under --sim, browser with AGORA_DOCTOR_NO_BROWSER (the opt-out).
    assert_eq!(json["counts"]["pass"], 6, "{stdout}");
    assert_eq!(json["counts"]["skip"], 2);
    assert_eq!(json["exit_code"], 0);
    assert!(!stdout.contains('\u{1b}'), "no colour codes in JSON");
}

#[test]
fn sim_human_output_is_labelled_simulated() {
    let (code, stdout, _) = probe(&["--sim", "--color", "never"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("SIMULATED"), "{stdout}");
    assert!(stdout.contains("a test double"));
    assert!(stdout.contains("[probe.clock.ok]"));
    assert!(stdout.contains("no problems"));
}

#[test]
fn list_checks_names_every_check_and_its_inputs() {
    let (code, stdout, _) = probe(&["--list-checks", "--json"]);
    assert_eq!(code, 0);
    let json: Value = schema::parse_json_output(stdout.as_bytes());
    let ids: Vec<&str> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "config",
            "clock",
            "network",
            "secure_context",
            "page",
            "devices",
            "join",
            "browser"
        ]
    );
    let (code, text, _) = probe(&["--list-checks"]);
    assert_eq!(code, 0);
    assert!(text.contains("--url"), "{text}");
}

#[test]
fn only_runs_the_selected_checks_in_declared_order() {
    let (code, stdout, _) = probe(&["--sim", "--json", "--only", "network,config"]);
    assert_eq!(code, 0, "{stdout}");
    let json: Value = schema::parse_json_output(stdout.as_bytes());
    let ids: Vec<&str> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["config", "network"]);
}

#[test]
fn unknown_check_is_exit_2_with_a_next_step() {
    let (code, stdout, stderr) = probe(&["--sim", "--only", "bogus"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("bogus") && stderr.contains("--list-checks"),
        "{stderr}"
    );
}

#[test]
fn bad_edge_and_bad_url_are_exit_2() {
    let (code, _, stderr) = probe(&["--edge", "no-port-here", "--only", "config"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--edge"), "{stderr}");
    let (code, _, stderr) = probe(&["--url", "not a url", "--only", "config"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--url"), "{stderr}");
}

#[test]
fn a_failing_check_exits_1_and_a_warning_only_with_strict() {
    let (code, stdout, _) = probe(&[
        "--sim",
        "--only",
        "secure_context",
        "--url",
        "http://192.168.1.5:3000/",
        "--json",
    ]);
    assert_eq!(code, 1, "{stdout}");
    let json: Value = schema::parse_json_output(stdout.as_bytes());
    assert_eq!(json["checks"][0]["key"], "probe.secure_context.insecure");
    // HTTPS-Upgrades make this a warning: exit 0, or 1 under --strict.
    let url = "http://example.com/";
    let (code, _, _) = probe(&["--sim", "--only", "secure_context", "--url", url]);
    assert_eq!(code, 0);
    let (code, _, _) = probe(&[
        "--sim",
        "--only",
        "secure_context",
        "--url",
        url,
        "--strict",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn missing_inputs_skip_with_a_hint() {
    let (code, stdout, _) = probe(&["--only", "config,secure_context,page", "--json"]);
    assert_eq!(code, 0, "{stdout}");
    let json: Value = schema::parse_json_output(stdout.as_bytes());
    for check in json["checks"].as_array().unwrap() {
        assert_eq!(check["status"], "skip", "{check}");
        assert!(check["fix"].as_str().unwrap().contains("--"), "{check}");
    }
}

#[test]
fn the_app_certificate_never_reaches_the_output() {
    let secret = "0123456789abcdef0123456789abcdef";
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .args([
            "probe",
            "--sim",
            "--json",
            "--only",
            "config",
            "--app-id",
            "5150aa0c51de4d0cb0b1d0ab1e0ed9e0",
        ])
        .env("AGORA_APP_CERTIFICATE", secret)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains(secret), "certificate leaked");
    // --sim ignores the exported certificate (the simulated project has its own) and says so.
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("--sim ignored AGORA_APP_CERTIFICATE"), "{all}");
}

#[test]
fn quiet_prints_only_the_closing_line_and_says_it_was_simulated() {
    let (code, stdout, _) = probe(&["-q", "--sim", "--only", "clock"]);
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("1 passed") && stdout.contains("simulated"),
        "{stdout}"
    );
}

/// Regression: with AGORA_APP_ID and AGORA_APP_CERTIFICATE exported (as the tool recommends for
/// real runs), `probe --sim` failed the config check ("invalid token, authorized failed") or
/// skipped it ("no token given"). --sim ignores both, says so, and every check passes.
#[test]
fn sim_ignores_exported_credentials_says_so_and_passes() {
    native_common::sdk_double();
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .args(["probe", "--sim", "--json"])
        .env_remove("AGORA_DOCTOR_EDGE")
        .env_remove("AGORA_DOCTOR_STUN")
        .env("AGORA_APP_ID", "0123456789abcdef0123456789abcdef")
        .env("AGORA_APP_CERTIFICATE", "fedcba9876543210fedcba9876543210")
        .env("AGORA_DOCTOR_NO_BROWSER", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let json: Value = schema::parse_json_output(stdout.as_bytes());
    for check in json["checks"].as_array().unwrap() {
        assert!(
            check["status"] == "pass" || check["status"] == "skip",
            "{check:#}"
        );
    }
    let config = &json["checks"][0];
    assert_eq!(config["id"], "config");
    assert_eq!(config["status"], "pass", "{config:#}");
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("--sim ignored AGORA_APP_ID and AGORA_APP_CERTIFICATE"),
        "{notes}"
    );
    assert!(!stdout.contains("fedcba9876543210fedcba9876543210"));
}

/// `--sim --app-id OWN --token T` (T signed by another certificate): every check that judges the
/// token gives the same reason, and a note says why; `--list-checks` runs nothing.
#[test]
fn a_foreign_token_under_sim_fails_the_same_way_everywhere_and_is_explained() {
    native_common::sdk_double();
    let app = "11112222333344445555666677778888";
    let foreign = agora_token_core::mint::publisher_token(
        app,
        "00001111222233334444555566667777",
        "agora-doctor-sim",
        "",
        agora_clock::unix(),
    )
    .unwrap();
    let (code, stdout, _) = probe(&[
        "--sim",
        "--json",
        "--only",
        "config,join",
        "--app-id",
        app,
        "--token",
        &foreign,
    ]);
    assert_eq!(code, 1, "{stdout}");
    let json: Value = schema::parse_json_output(stdout.as_bytes());
    let all = json["checks"].to_string();
    assert!(all.contains("token.signature_invalid"), "{all}");
    assert!(all.contains("invalid token, authorized failed"), "{all}");
    assert!(all.contains("probe.join.token_invalid"), "{all}");
    assert!(
        json["notes"].to_string().contains("its own certificate"),
        "{json:#}"
    );
    let (code, listed, _) = probe(&["--sim", "--list-checks"]);
    assert_eq!(code, 0);
    assert!(
        listed.contains("config") && !listed.contains("SIMULATED"),
        "{listed}"
    );
}

/// Regression: `probe` took the certificate from --cert-file only, while `token` also takes
/// --cert-stdin. A token signed with a certificate read from stdin passes the simulated project
/// that certificate names, and the certificate is printed nowhere.
#[test]
fn cert_stdin_gives_probe_the_certificate_as_token_does() {
    let app = "5150aa0c51de4d0cb0b1d0ab1e0ed9e0";
    let cert = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let token = agora_token_core::rtc_007(
        app,
        cert,
        "demo",
        "42",
        agora_token_core::Role::Publisher,
        u32::try_from(agora_clock::unix()).unwrap(),
        3600,
        3600,
        7,
    )
    .unwrap();
    let run = |stdin: &str| {
        Command::cargo_bin("agora-doctor")
            .unwrap()
            .args([
                "probe", "--sim", "--json", "--only", "config", "--app-id", app,
            ])
            .args([
                "--token",
                &token,
                "--channel",
                "demo",
                "--uid",
                "42",
                "--cert-stdin",
            ])
            .env_remove("AGORA_APP_CERTIFICATE")
            .write_stdin(stdin)
            .output()
            .unwrap()
    };
    let out = run(&format!("{cert}\n"));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains(cert), "certificate leaked");
    assert_eq!(out.status.code(), Some(0), "{all}");
    let json: Value = schema::parse_json_output(&out.stdout);
    assert_eq!(json["checks"][0]["status"], "pass", "{json:#}");
    // Another certificate on stdin: the same token now fails its signature.
    let out = run("00112233445566778899aabbccddeeff\n");
    assert_eq!(out.status.code(), Some(1));
}

/// A join-only token (as the Console's temporary tokens are) passes the config check: its missing
/// publish privileges are described as a finding of their own, neither warned about nor turning
/// the check into a skip.
#[test]
fn a_join_only_token_passes_config_with_its_publish_privileges_described() {
    let app = "5150aa0c51de4d0cb0b1d0ab1e0ed9e0";
    let cert = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let token = agora_token_core::rtc_007(
        app,
        cert,
        "demo",
        "42",
        agora_token_core::Role::Subscriber,
        u32::try_from(agora_clock::unix()).unwrap(),
        3600,
        3600,
        7,
    )
    .unwrap();
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .args([
            "probe", "--sim", "--json", "--only", "config", "--app-id", app,
        ])
        .args(["--token", &token, "--channel", "demo", "--uid", "42"])
        .args(["--cert-stdin"])
        .env_remove("AGORA_APP_CERTIFICATE")
        .write_stdin(format!("{cert}\n"))
        .output()
        .unwrap();
    let json: Value = schema::parse_json_output(&out.stdout);
    let config = &json["checks"][0];
    assert_eq!(config["status"], "pass", "{json:#}");
    let publish = config["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "token.cannot_publish")
        .expect("described");
    assert_eq!(publish["status"], "skip", "{publish}");
}
