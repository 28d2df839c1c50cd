//! `probe --token-server`: the run's tokens come from the user's own token server (the real Node
//! server on Agora's `agora-token` package, tests/all/common/token_server.rs), asked the way an app
//! asks. Under `--sim` with the server's App ID and certificate, the simulated project accepts what
//! a good server builds and the whole voice room runs on those tokens in real Chromium; a server
//! that builds for another channel fails the room's join with the SDK's message, explained; a
//! server that cannot be reached stops the run (exit 2) naming the URL and the next step.

use crate::common;

use common::token_server::{NodeServer, APP_ID, CERT, RTC};
use common::{doctor, schema};
use serde_json::Value;

/// `probe --sim --only config,browser` with the server's project as the simulated one, Chromium
/// allowed, no sound server (the room uses Chromium's synthetic devices).
fn probe(template: &str, extra: &[&str]) -> (i32, Value, String) {
    let out = common::doctor_with_browser()
        .args(["probe", "--sim", "--json", "--only", "config,browser"])
        .args([
            "--app-id",
            APP_ID,
            "--cert-file",
            "-",
            "--token-server",
            template,
        ])
        .args(extra)
        .write_stdin(format!("{CERT}\n"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stdout.contains(CERT) && !stderr.contains(CERT),
        "the certificate reached the output"
    );
    let report = if stdout.trim().is_empty() {
        Value::Null
    } else {
        schema::parse_json_output(stdout.as_bytes())
    };
    (out.status.code().unwrap_or(-1), report, stderr)
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no {id} check: {report:#}"))
}

fn finding<'a>(check: &'a Value, key: &str) -> &'a Value {
    check["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["key"] == key))
        .unwrap_or_else(|| panic!("no {key} in {check:#}"))
}

/// Every token the server built is a 007 token; none may be printed whole.
fn assert_no_token_printed(report: &Value) {
    let text = report.to_string();
    assert!(
        !text.contains("007eJ"),
        "a token reached the output: {text}"
    );
}

#[test]
fn the_room_runs_on_the_tokens_a_good_token_server_builds() {
    let server = NodeServer::start("good");
    let (code, report, stderr) = probe(&server.url(RTC), &["--uid", "42"]);
    assert_eq!(code, 0, "{report:#}\n{stderr}");
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("the tokens came from your token server")
            && notes.contains("uid 42, and uid 0 for the room's other participant"),
        "{notes}"
    );
    // The config check judged the server's token for B: its uid is the one asked for.
    let config = check(&report, "config");
    assert_eq!(config["status"], "pass", "{config:#}");
    assert!(config.to_string().contains("uid 42 matches"), "{config:#}");
    let browser = check(&report, "browser");
    assert_eq!(browser["status"], "pass", "{browser:#}");
    let join = finding(browser, "probe.browser.room_join");
    assert!(
        join["evidence"].to_string().contains("B joined as uid 42"),
        "{join:#}"
    );
    assert_eq!(
        finding(browser, "probe.browser.room_user_published")["status"],
        "pass",
        "{browser:#}"
    );
    assert_no_token_printed(&report);
}

#[test]
fn a_token_server_building_for_another_channel_fails_the_rooms_join_explained() {
    let server = NodeServer::start("wrong-channel");
    let (code, report, stderr) = probe(&server.url(RTC), &[]);
    assert_eq!(code, 1, "{report:#}\n{stderr}");
    let config = check(&report, "config");
    assert_eq!(config["status"], "fail", "{config:#}");
    assert!(
        config.to_string().contains("token.channel_mismatch"),
        "{config:#}"
    );
    let browser = check(&report, "browser");
    let join = finding(browser, "probe.browser.room_join");
    assert_eq!(join["status"], "fail", "{join:#}");
    let summary = join["summary"].as_str().unwrap();
    assert!(summary.contains("could not join"), "{summary}");
    assert!(
        summary.contains("CAN_NOT_GET_GATEWAY_SERVER: invalid token, authorized failed"),
        "the SDK's own message: {summary}"
    );
    let entry = agora_doctor::explain::lookup("invalid token, authorized failed").unwrap();
    assert!(
        join["evidence"]
            .to_string()
            .contains(&format!("agora-doctor explain {}", entry.key)),
        "{join:#}"
    );
    assert_no_token_printed(&report);
}

#[test]
fn an_unreachable_token_server_stops_the_run_naming_the_url_and_the_next_step() {
    let (_refusing, port) = common::closed_port();
    let template = format!("http://127.0.0.1:{port}{RTC}");
    let (code, _, stderr) = probe(&template, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "asking http://127.0.0.1:{port}/rtc/agora-doctor-sim/publisher/uid/0?expiry=3600 for a token"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("agora-doctor token-server '{template}'")),
        "{stderr}"
    );
}

#[test]
fn token_and_token_server_together_are_refused() {
    let out = doctor()
        .args(["probe", "--sim", "--token", "007abc", "--token-server"])
        .arg(format!("http://127.0.0.1:9{RTC}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--token-server"), "{stderr}");
}
