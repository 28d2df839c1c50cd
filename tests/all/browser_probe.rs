//! `agora-doctor probe --url URL --browser` in real Chromium on an insecure, a secure and a broken
//! page; the microphones come from a private PulseAudio virtual microphone, not from fake-device flags.

use crate::common::browser as common;
use crate::common::schema;

use assert_cmd::Command;
use common::*;
use serde_json::Value;

/// Run the browser check alone on `url` and return its JSON report entry. Blocks this worker only
/// (`block_in_place`), so the simulated edge keeps serving on the runtime's other threads.
fn browser_check(pulse: &Pulse, url: &str, extra: &[&str]) -> (Value, i32) {
    tokio::task::block_in_place(|| run_cli(pulse, url, extra))
}

fn run_cli(pulse: &Pulse, url: &str, extra: &[&str]) -> (Value, i32) {
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .args([
            "probe",
            "--only",
            "browser",
            "--browser",
            "--json",
            "--url",
            url,
        ])
        .args(extra)
        .env("PULSE_SERVER", pulse.server())
        .timeout(std::time::Duration::from_secs(90))
        .output()
        .unwrap();
    let report: Value = schema::parse_json_output(&out.stdout);
    let check = report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "browser"))
        .cloned()
        .expect("browser check in the report");
    (check, out.status.code().unwrap_or(-1))
}

fn keys(check: &Value) -> Vec<String> {
    check["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["key"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_browser_judges_secure_insecure_and_broken_pages() {
    let pulse = Pulse::start();
    let edge = edge(false).await;
    let port = edge.http_addr().port();

    let (secure, code) = browser_check(
        &pulse,
        &format!("http://localhost:{port}/index.html?sdk=4.24"),
        &[],
    );
    assert_eq!(secure["status"], "pass", "{secure:#}");
    assert_eq!(code, 0);
    let text = secure.to_string();
    assert!(text.contains("4.24.8"), "{text}");
    assert!(
        text.contains("VirtualMic"),
        "the PulseAudio microphone is listed: {text}"
    );

    let rule = format!("--chrome-flag=--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1");
    let (insecure, code) = browser_check(
        &pulse,
        &format!("http://{INSECURE_HOST}:{port}/index.html?sdk=4.3.0"),
        &[&rule],
    );
    assert_eq!(insecure["status"], "fail", "{insecure:#}");
    assert_eq!(insecure["key"], "probe.browser.insecure_context");
    assert_eq!(code, 1);
    let k = keys(&insecure);
    assert!(
        k.contains(&"probe.browser.no_microphone".to_string()),
        "{k:?}"
    );
    assert!(
        insecure.to_string().contains("web.web_security_restrict"),
        "{insecure:#}"
    );

    let (broken, code) =
        browser_check(&pulse, &format!("http://localhost:{port}/broken.html"), &[]);
    assert_eq!(broken["status"], "fail", "{broken:#}");
    assert_eq!(code, 1);
    assert!(keys(&broken).contains(&"probe.browser.console_error".to_string()));
    assert!(
        broken.to_string().contains("AgoraRTC is not defined"),
        "{broken:#}"
    );
}

/// Everything `url` printed while loading, as (kind, text) pairs in a stable order, read the plain
/// way (a new tab, listening before navigation) or by adopting the tab Chromium loaded at start.
async fn load_console(executable: &std::path::Path, url: &str, adopt: bool) -> Vec<String> {
    use agora_doctor::browser::{Chromium, LaunchOptions};
    let chromium = Chromium::launch(&LaunchOptions {
        executable: Some(executable.to_path_buf()),
        start_url: adopt.then(|| url.to_string()),
        ..LaunchOptions::default()
    })
    .await
    .expect("Chromium starts");
    let tab = chromium.open(url, STEP).await.expect("the page loads");
    // Late arrivals (the missing script's log entry) come within moments of the load event.
    tab.wait_console(std::time::Duration::from_secs(5), |c| c.len() >= 3)
        .await;
    let mut lines: Vec<String> = tab
        .console()
        .iter()
        .map(|e| format!("{:?}: {}", e.kind, e.text))
        .collect();
    lines.sort();
    tab.close().await;
    chromium.close().await;
    lines
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tab_adopted_after_load_still_reports_what_it_printed_before() {
    use agora_doctor::browser::{find_chromium, find_headless_shell};
    let edge = edge(false).await;
    let url = format!(
        "http://localhost:{}/load-console.html",
        edge.http_addr().port()
    );
    let programs = [
        find_chromium().expect("chromium (scripts/apt/browser.txt installs it)"),
        find_headless_shell()
            .expect("chromium-headless-shell (scripts/apt/browser.txt installs it)"),
    ];
    for program in &programs {
        let plain = load_console(program, &url, false).await;
        for wanted in ["printed during load", "thrown during load", "status of 404"] {
            assert!(
                plain.iter().any(|l| l.contains(wanted)),
                "{}: {wanted:?} missing from {plain:#?}",
                program.display()
            );
        }
        let adopted = load_console(program, &url, true).await;
        assert_eq!(
            adopted,
            plain,
            "{}: the adopted tab lost or repeated console lines",
            program.display()
        );
    }
}
