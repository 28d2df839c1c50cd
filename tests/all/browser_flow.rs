//! `probe --sim`'s browser check runs the seed's voice room (two participants: join, user-joined,
//! publish, user-published → subscribe → play → heard, unpublish, user-unpublished, leave, user-left)
//! in real Chromium with the real SDK, 4.24.8 (what `--sim` uses by default) and 4.3.0 (the seed's),
//! against the simulated Web edge (a test double): a good token passes every interaction and B hears
//! A's tone through the edge; an expired or wrong-channel token for B fails B's join with the SDK's
//! message, explained. Each of those scenarios is one function run once per SDK version. `--flow --url` drives the user's
//! page (not labelled simulated) with the real microphone, a PulseAudio virtual one playing a tone;
//! no Chromium or no SDK files skip.

use crate::common;
use crate::common::pulse;

use agora_token_core::{rtc_007, Role};
use common::{doctor, schema};
use pulse::Pulse;
use serde_json::Value;

/// A test project (not real Agora credentials) the simulated world takes from --app-id and
/// --cert-file (not from AGORA_APP_CERTIFICATE, which --sim ignores), so the test can sign tokens
/// for it.
const APP_ID: &str = "0123456789abcdef0123456789abcdef";
const CERTIFICATE: &str = "fedcba9876543210fedcba9876543210";
const CHANNEL: &str = "flow-room";

/// Run `probe --sim --only browser ARGS` with Chromium allowed, on a machine with no sound server
/// (PULSE_SERVER points nowhere): no real microphone at all; the default Web SDK (4.24.8).
fn probe(args: &[&str]) -> (i32, String) {
    probe_on(common::CURRENT_SDK, args)
}

/// [`probe`] with Web SDK `sdk` (fixtures/web's 4.3.0 or 4.24.8).
fn probe_on(sdk: &str, args: &[&str]) -> (i32, String) {
    let out = common::doctor_with_browser()
        .env("AGORA_DOCTOR_WEB_SDK", common::web_sdk_package(sdk))
        .args(["probe", "--sim", "--only", "browser", "--app-id", APP_ID])
        .args(["--channel", CHANNEL])
        .args(args)
        .args(["--cert-file", "-"])
        .write_stdin(format!("{CERTIFICATE}\n"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !stdout.contains(CERTIFICATE)
            && !String::from_utf8_lossy(&out.stderr).contains(CERTIFICATE),
        "the certificate reached the output"
    );
    (out.status.code().unwrap_or(-1), stdout)
}

fn browser_check(stdout: &str) -> Value {
    let report = schema::parse_json_output(stdout.as_bytes());
    assert_eq!(report["simulated"], true, "{report:#}");
    report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "browser"))
        .cloned()
        .expect("browser check in the report")
}

fn finding<'a>(check: &'a Value, key: &str) -> &'a Value {
    check["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["key"] == key))
        .unwrap_or_else(|| panic!("no {key} in {check:#}"))
}

fn now() -> u32 {
    agora_clock::unix() as u32
}

/// The number N in "forwarded N of A's audio packets".
fn audio_packets(evidence: &Value) -> u64 {
    let text = evidence.to_string();
    let after = text
        .split("forwarded ")
        .nth(1)
        .unwrap_or_else(|| panic!("no packet count in {text}"));
    after
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no packet count in {text}"))
}

/// The eight interactions of the room, in order.
const ROOM_KEYS: &[&str] = &[
    "probe.browser.room_join",
    "probe.browser.room_user_joined",
    "probe.browser.room_publish",
    "probe.browser.room_user_published",
    "probe.browser.room_unpublish",
    "probe.browser.room_user_unpublished",
    "probe.browser.room_leave",
    "probe.browser.room_user_left",
];

#[test]
fn on_4_24_8_a_good_token_runs_the_whole_room_and_b_hears_a_on_the_simulated_edge() {
    a_good_token_runs_the_whole_room_and_b_hears_a_on_the_simulated_edge("4.24.8");
}

#[test]
fn on_4_3_0_a_good_token_runs_the_whole_room_and_b_hears_a_on_the_simulated_edge() {
    a_good_token_runs_the_whole_room_and_b_hears_a_on_the_simulated_edge("4.3.0");
}

fn a_good_token_runs_the_whole_room_and_b_hears_a_on_the_simulated_edge(sdk: &str) {
    // No --token: the check builds one from the certificate, as the native join check does.
    let (code, stdout) = probe_on(sdk, &["--json"]);
    let check = browser_check(&stdout);
    assert_eq!(code, 0, "{check:#}");
    let join = finding(&check, "probe.browser.room_join");
    assert!(
        join["summary"]
            .as_str()
            .unwrap()
            .contains("simulated Web edge (a test double"),
        "{join:#}"
    );
    for key in ROOM_KEYS {
        let f = finding(&check, key);
        assert_eq!(f["status"], "pass", "{check:#}");
        assert!(f["evidence"].to_string().contains(" ms"), "its time: {f:#}");
    }
    let heard = finding(&check, "probe.browser.room_user_published");
    assert!(
        heard["summary"]
            .as_str()
            .unwrap()
            .contains("heard A's 440 Hz tone"),
        "{heard:#}"
    );
    assert!(
        audio_packets(&heard["evidence"]) > 0,
        "the simulated edge forwarded A's audio to B: {heard:#}"
    );
    let quality = finding(&check, "probe.browser.room_quality");
    assert_eq!(quality["status"], "pass", "{quality:#}");
    for figure in [
        "round trip",
        "jitter",
        "packet loss",
        "bitrate",
        "first audio heard",
    ] {
        assert!(
            quality["evidence"].to_string().contains(figure),
            "{quality:#}"
        );
    }
    assert!(
        !quality["evidence"].to_string().contains("not reported"),
        "every figure measured: {quality:#}"
    );
    // With no sound server, the page's microphone is Chromium's synthetic one, and the output says so.
    assert!(
        check.to_string().contains("Fake Default Audio Input"),
        "{check:#}"
    );
    assert!(check.to_string().contains("synthetic"), "{check:#}");
    assert!(
        check["evidence"].to_string().contains("simulated Web edge"),
        "the headline says where the flow ran: {check:#}"
    );
    // The built-in page (served from the binary) loaded the SDK given with AGORA_DOCTOR_WEB_SDK.
    let version = sdk;
    let found = finding(&check, "probe.browser.web_sdk");
    let evidence = found["evidence"].to_string();
    assert!(
        evidence.contains(&format!("version: {version}")),
        "{found:#}"
    );
    assert!(evidence.contains("source: flag"), "{found:#}");
    assert!(
        check["summary"]
            .as_str()
            .unwrap()
            .contains(&format!("Agora Web SDK {version} ")),
        "{check:#}"
    );

    // Humans see the same, labelled as the simulated edge.
    let (code, text) = probe_on(version, &["--color", "never"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("SIMULATED"), "{text}");
    assert!(
        text.contains("[probe.browser.room_user_published]"),
        "{text}"
    );
    assert!(text.contains("a test double, not Agora"), "{text}");
}

#[test]
fn the_flow_prefers_chromiums_headless_shell_and_passes_in_the_full_browser_too() {
    use agora_doctor::browser::{find_chromium, find_headless_shell};
    let shell = find_headless_shell()
        .expect("chromium-headless-shell (scripts/apt/browser.txt installs it)");
    let full = find_chromium().expect("chromium (scripts/apt/browser.txt installs it)");
    // The headline's evidence names the program that ran, after its product string.
    let program = |check: &Value| {
        check["evidence"]
            .as_array()
            .and_then(|e| {
                e.iter()
                    .filter_map(Value::as_str)
                    .find(|e| e.contains("Chrome/"))
            })
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no browser in the evidence: {check:#}"))
    };

    let (code, stdout) = probe(&["--json"]);
    let by_default = browser_check(&stdout);
    assert_eq!(code, 0, "{by_default:#}");
    assert!(
        program(&by_default).ends_with(&format!("({})", shell.display())),
        "the built-in page opens in the headless shell when it is installed: {by_default:#}"
    );

    let full_path = full.display().to_string();
    let (code, stdout) = probe(&["--json", "--chromium", &full_path]);
    let in_full = browser_check(&stdout);
    assert_eq!(code, 0, "{in_full:#}");
    assert!(
        program(&in_full).ends_with(&format!("({full_path})")),
        "{in_full:#}"
    );
    for key in ROOM_KEYS {
        assert_eq!(finding(&in_full, key)["status"], "pass", "{in_full:#}");
    }
}

/// B's join fails with `token` (the user's token is B's; A, the speaker, gets one from the
/// certificate): the SDK's message, explained, and the rest of the room not run.
fn assert_b_refused(sdk: &str, token: &str, sdk_says: &str) {
    let (code, stdout) = probe_on(sdk, &["--json", "--token", token]);
    let check = browser_check(&stdout);
    assert_eq!(code, 1, "{check:#}");
    assert_eq!(check["status"], "fail");
    let join = finding(&check, "probe.browser.room_join");
    assert_eq!(join["status"], "fail", "{join:#}");
    let summary = join["summary"].as_str().unwrap();
    assert!(
        summary.contains("participant B could not join"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("CAN_NOT_GET_GATEWAY_SERVER: {sdk_says}")),
        "the SDK's own message: {summary}"
    );
    if sdk == "4.24.8" {
        // 4.7+ wraps the access point's words in a second error of the same code.
        assert!(
            summary.contains(&format!(
                "CAN_NOT_GET_GATEWAY_SERVER: flag: 4096, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: {sdk_says}"
            )),
            "{summary}"
        );
    }
    let entry = agora_doctor::explain::lookup(sdk_says).expect("catalog entry");
    assert!(
        join["evidence"]
            .to_string()
            .contains(&format!("agora-doctor explain {}", entry.key)),
        "{join:#}"
    );
    assert!(join["fix"].is_string(), "{join:#}");
    for key in &ROOM_KEYS[1..] {
        assert_eq!(finding(&check, key)["status"], "skip", "{check:#}");
    }
}

#[test]
fn on_4_24_8_a_token_for_another_channel_fails_bs_join_with_invalid_token_explained() {
    a_token_for_another_channel_fails_bs_join_with_invalid_token_explained("4.24.8");
}

#[test]
fn on_4_3_0_a_token_for_another_channel_fails_bs_join_with_invalid_token_explained() {
    a_token_for_another_channel_fails_bs_join_with_invalid_token_explained("4.3.0");
}

fn a_token_for_another_channel_fails_bs_join_with_invalid_token_explained(sdk: &str) {
    let token = rtc_007(
        APP_ID,
        CERTIFICATE,
        "another-room",
        "",
        Role::Publisher,
        now(),
        3600,
        3600,
        12,
    )
    .unwrap();
    assert_b_refused(sdk, &token, "invalid token, authorized failed");
}

#[test]
fn on_4_24_8_an_expired_token_fails_bs_join_with_dynamic_key_expired_explained() {
    an_expired_token_fails_bs_join_with_dynamic_key_expired_explained("4.24.8");
}

#[test]
fn on_4_3_0_an_expired_token_fails_bs_join_with_dynamic_key_expired_explained() {
    an_expired_token_fails_bs_join_with_dynamic_key_expired_explained("4.3.0");
}

fn an_expired_token_fails_bs_join_with_dynamic_key_expired_explained(sdk: &str) {
    // Issued two hours ago for one hour: signed correctly, expired an hour ago.
    let issued = now() - 7200;
    let token = rtc_007(
        APP_ID,
        CERTIFICATE,
        CHANNEL,
        "",
        Role::Publisher,
        issued,
        3600,
        3600,
        11,
    )
    .unwrap();
    assert_b_refused(sdk, &token, "dynamic key expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flow_with_url_drives_that_page_and_skips_a_page_without_the_demo_api() {
    let mut pulse = Pulse::start();
    pulse.play_tone(pulse::TONE_AMPLITUDE);
    // Not --sim: the user's page (here the demo page pointed at a simulated Web edge this test runs,
    // whose self-signed certificate the user's Chromium flag accepts).
    let edge = agora_sim::web::WebEdge::start(agora_sim::web::WebEdgeConfig {
        app_id: APP_ID.into(),
        app_certificate: Some(CERTIFICATE.into()),
        page_root: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/web").into()),
    })
    .await
    .expect("simulated Web edge starts");
    let port = edge.http_addr().port();
    let demo = format!(
        "http://localhost:{port}/index.html?sdk=4.3.0&ap={}",
        edge.ap_host_port()
    );
    let run = |url: String| {
        let pulse = &pulse;
        tokio::task::block_in_place(move || {
            let out = doctor()
                .args([
                    "probe", "--only", "browser", "--flow", "--json", "--url", &url,
                ])
                .args(["--app-id", APP_ID, "--channel", CHANNEL, "--uid", "4242"])
                .arg("--chrome-flag=--ignore-certificate-errors")
                .env_remove("AGORA_DOCTOR_NO_BROWSER")
                .env("AGORA_APP_CERTIFICATE", CERTIFICATE)
                .envs(pulse.env())
                .timeout(std::time::Duration::from_secs(150))
                .output()
                .unwrap();
            let report = schema::parse_json_output(&out.stdout);
            assert_eq!(report["simulated"], false, "{report:#}");
            report["checks"][0].clone()
        })
    };
    let check = run(demo);
    let join = finding(&check, "probe.browser.flow_join");
    assert_eq!(join["status"], "pass", "{check:#}");
    assert!(
        join["summary"].as_str().unwrap().contains("uid 4242"),
        "{join:#}"
    );
    assert!(
        !join["summary"].as_str().unwrap().contains("simulated"),
        "{join:#}"
    );
    for key in [
        "probe.browser.flow_publish",
        "probe.browser.flow_unpublish",
        "probe.browser.flow_leave",
    ] {
        assert_eq!(finding(&check, key)["status"], "pass", "{check:#}");
    }
    // The token built from the certificate was for uid 4242, and the edge saw that uid publish.
    assert!(
        edge.received_audio(4242).is_some_and(|m| m.connected),
        "{:?}",
        edge.received_audio(4242)
    );

    let check = run(format!("http://localhost:{port}/broken.html"));
    assert_eq!(
        finding(&check, "probe.browser.flow_skipped")["status"],
        "skip",
        "{check:#}"
    );
}

#[test]
fn missing_chromium_or_sdk_files_skip_with_the_install_hint() {
    let empty = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], no_sdk: bool| {
        let mut cmd = doctor();
        cmd.args(["probe", "--sim", "--only", "browser", "--json"])
            .args(extra)
            .env_remove("AGORA_DOCTOR_NO_BROWSER");
        if no_sdk {
            // No SDK anywhere: none given, none in the (empty) working directory, an empty cache,
            // and no npm on PATH to download one.
            cmd.env_remove("AGORA_DOCTOR_WEB_SDK")
                .current_dir(empty.path())
                .env("AGORA_DOCTOR_CACHE", empty.path().join("cache"))
                .env("PATH", empty.path());
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "a skip is not a failure");
        browser_check(&String::from_utf8_lossy(&out.stdout))
    };
    let check = run(&["--chromium", "/nonexistent/chromium"], false);
    assert_eq!(check["status"], "skip", "{check:#}");
    assert_eq!(check["key"], "probe.browser.no_chromium");
    assert!(
        check["fix"]
            .as_str()
            .unwrap()
            .contains("apt-get install chromium"),
        "{check:#}"
    );

    let check = run(&[], true);
    assert_eq!(check["status"], "skip", "{check:#}");
    assert_eq!(check["key"], "probe.browser.flow_skipped");
    assert!(
        check["fix"]
            .as_str()
            .unwrap()
            .contains("sudo apt-get install npm"),
        "{check:#}"
    );
}
