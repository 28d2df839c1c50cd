//! The room where the only network is loopback: in a network namespace holding just `lo` (as some CI
//! sandboxes are), Chromium's WebRTC gathers no ICE candidate, so no audio can flow. `probe --sim`
//! must say exactly that at publish, after the joins passed, instead of waiting out the step and
//! blaming Agora's access point. The test makes the namespace and deletes it again.

use std::process::Command;

use crate::common::{doctor, schema};
use serde_json::Value;

/// A network namespace with only `lo`, up; deleted on drop.
struct LoopbackOnly {
    name: String,
}

impl LoopbackOnly {
    fn create() -> LoopbackOnly {
        let name = format!("agora-doctor-lo-{}", std::process::id());
        let ip = |args: &[&str]| {
            let out = Command::new("ip")
                .args(args)
                .output()
                .expect("`ip` runs (iproute2)");
            assert!(
                out.status.success(),
                "ip {args:?}: {} (making a network namespace needs root, or CAP_SYS_ADMIN)",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        ip(&["netns", "add", &name]);
        let ns = LoopbackOnly { name };
        ip(&["-n", &ns.name, "link", "set", "lo", "up"]);
        ns
    }

    /// The interfaces inside, as `ip -o link` names them.
    fn interfaces(&self) -> Vec<String> {
        let out = Command::new("ip")
            .args(["-n", &self.name, "-o", "link"])
            .output()
            .expect("ip runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split(':').nth(1).map(|n| n.trim().to_string()))
            .collect()
    }
}

impl Drop for LoopbackOnly {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

#[test]
fn with_only_loopback_the_room_says_no_ice_candidate_at_publish_and_blames_no_one_else() {
    let ns = LoopbackOnly::create();
    assert_eq!(ns.interfaces(), vec!["lo".to_string()]);
    let binary = assert_cmd::cargo::cargo_bin("agora-doctor");
    // `doctor()` for its environment; the program itself runs inside the namespace.
    let template = doctor();
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", &ns.name])
        .arg(&binary)
        .args(["probe", "--sim", "--only", "browser", "--json"])
        .env_clear()
        .envs(
            template
                .get_envs()
                .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))),
        )
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env_remove("AGORA_DOCTOR_NO_BROWSER");
    let out = assert_cmd::Command::from_std(cmd)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let report = schema::parse_json_output(&out.stdout);
    let check = report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "browser"))
        .cloned()
        .unwrap_or_else(|| panic!("no browser check: {report:#}"));
    assert_eq!(out.status.code(), Some(1), "{check:#}");
    let finding = |key: &str| -> Value {
        check["findings"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["key"] == key))
            .cloned()
            .unwrap_or_else(|| panic!("no {key} in {check:#}"))
    };
    // The access point and gateway work on loopback: both participants joined.
    assert_eq!(
        finding("probe.browser.room_join")["status"],
        "pass",
        "{check:#}"
    );
    let publish = finding("probe.browser.room_publish");
    assert_eq!(publish["status"], "fail", "{publish:#}");
    let summary = publish["summary"].as_str().unwrap();
    assert!(
        summary.contains("gathered no ICE candidate"),
        "says what is wrong: {summary}"
    );
    assert!(
        !summary.contains("did not settle"),
        "does not wait out the step: {publish:#}"
    );
    assert!(
        !publish["fix"]
            .as_str()
            .unwrap_or("")
            .contains("access point"),
        "does not blame Agora's access point: {publish:#}"
    );
    assert!(
        publish["evidence"].to_string().contains("0 ICE candidates"),
        "{publish:#}"
    );
    assert_eq!(
        finding("probe.browser.room_user_published")["status"],
        "skip",
        "{check:#}"
    );
    drop(ns);
}
