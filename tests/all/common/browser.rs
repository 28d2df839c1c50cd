//! Helpers for the browser tests: a private PulseAudio virtual microphone, the simulated Web edge
//! serving the demo page, and a Chromium set up to reach both. Everything stops on drop.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use agora_doctor::browser::{Chromium, LaunchOptions, Tab};
use agora_sim::web::{WebEdge, WebEdgeConfig};

/// The simulated project's App ID and certificate (test values, not real Agora credentials).
pub const APP_ID: &str = "0123456789abcdef0123456789abcdef";
pub const CERTIFICATE: &str = "fedcba9876543210fedcba9876543210";
/// A made-up host name mapped to loopback: an origin Chromium does not treat as secure.
pub const INSECURE_HOST: &str = "lan.example";
/// Generous deadline for one page call; joins against the loopback edge take well under a second.
pub const STEP: Duration = Duration::from_secs(20);

/// Both SDK generations the demo page carries: `?sdk=` value and the version string it reports.
pub const SDKS: &[(&str, &str)] = &[("4.3.0", "4.3.0"), ("4.24", "4.24.8")];

/// The demo page folder, after `npm ci` (the README's test command runs it).
pub fn page_root() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/web");
    assert!(
        root.join("node_modules/agora-rtc-sdk-ng-430/AgoraRTC_N-production.js")
            .is_file(),
        "the Agora Web SDK is not installed under {}: run scripts/test (it runs `npm ci` there)",
        root.display()
    );
    root
}

/// Start the simulated edge for the test project; `secure` = the project has a certificate.
pub async fn edge(secure: bool) -> WebEdge {
    WebEdge::start(WebEdgeConfig {
        app_id: APP_ID.into(),
        app_certificate: secure.then(|| CERTIFICATE.to_string()),
        page_root: Some(page_root()),
    })
    .await
    .expect("simulated edge starts on loopback")
}

/// The demo page on `host` (e.g. `localhost`) with SDK `sdk`, pointed at `edge`'s access point.
pub fn demo_url(edge: &WebEdge, host: &str, sdk: &str) -> String {
    format!(
        "http://{host}:{}/index.html?sdk={sdk}&ap={}",
        edge.http_addr().port(),
        edge.ap_host_port()
    )
}

/// A private PulseAudio daemon with a null sink and a "VirtualMic" source on a socket of its own;
/// killed on drop.
pub struct Pulse {
    child: Child,
    dir: tempfile::TempDir,
}

impl Pulse {
    pub fn start() -> Pulse {
        let dir = tempfile::tempdir().expect("temp dir");
        let socket = dir.path().join("native");
        let child = Command::new("pulseaudio")
            .args([
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--disallow-exit",
                "--log-target=stderr",
            ])
            .arg("-L")
            .arg(format!(
                "module-native-protocol-unix socket={} auth-anonymous=1",
                socket.display()
            ))
            .args([
                "-L",
                "module-null-sink sink_name=vspeaker sink_properties=device.description=VirtualSpeaker",
                "-L",
                "module-remap-source master=vspeaker.monitor source_name=vmic source_properties=device.description=VirtualMic",
            ])
            .env("HOME", dir.path())
            .env("XDG_RUNTIME_DIR", dir.path())
            .env("PULSE_RUNTIME_PATH", dir.path().join("runtime"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pulseaudio starts (scripts/apt/browser.txt installs it)");
        let pulse = Pulse { child, dir };
        // Ready when its socket answers.
        for _ in 0..100 {
            let ok = Command::new("pactl")
                .arg("info")
                .env("PULSE_SERVER", pulse.server())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if ok {
                return pulse;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("pulseaudio did not come up on {}", pulse.server());
    }

    /// The `PULSE_SERVER` value pointing at this daemon.
    pub fn server(&self) -> String {
        format!("unix:{}", self.dir.path().join("native").display())
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Chromium for the tests: trusts the edge's self-signed certificate, maps the insecure host to
/// loopback, hears the private PulseAudio microphone, and accepts the permission prompt.
pub async fn chromium(pulse: &Pulse) -> Chromium {
    Chromium::launch(&LaunchOptions {
        executable: None,
        host_rules: vec![(INSECURE_HOST.into(), "127.0.0.1".into())],
        ignore_certificate_errors: true,
        grant_media: true,
        env: vec![("PULSE_SERVER".into(), pulse.server())],
        extra_args: Vec::new(),
        start_url: None,
    })
    .await
    .expect("Chromium starts (scripts/apt/browser.txt installs it)")
}

/// Evaluate and return the JSON value, panicking with the page's error otherwise.
pub async fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    match tab.eval(js, STEP).await {
        Ok(v) => v,
        Err(e) => panic!("evaluating `{js}` failed: {e}"),
    }
}

/// The `message` of a `{error: {...}}` result from the demo page, or a panic saying what came back.
pub fn error_message(result: &serde_json::Value) -> String {
    match result["error"]["message"].as_str() {
        Some(m) => m.to_string(),
        None => panic!("expected the SDK to fail, got {result}"),
    }
}

/// Unix seconds now.
pub fn now() -> u32 {
    agora_clock::unix() as u32
}

/// Assert that `agora-doctor explain` resolves what the SDK printed to the catalog entry `key`.
pub fn assert_explained(printed: &str, key: &str) {
    match agora_doctor::explain::lookup(printed) {
        Some(entry) => assert_eq!(entry.key, key, "explain {printed:?}"),
        None => panic!("`agora-doctor explain` does not recognise {printed:?}"),
    }
}
