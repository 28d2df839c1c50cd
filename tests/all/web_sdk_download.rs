//! The one-time Web SDK download of `probe --sim` when npm's registry cannot be reached: npm is
//! pointed at a closed loopback port (`npm_config_registry`), with an empty agora-doctor cache, an
//! empty npm cache and no project SDK, so the real npm really tries. The run goes on at once, says
//! in its summary line why the browser check did not run, and the next run does not wait for npm.
//! A download that works shows one progress line, not npm's log (an `npm` stand-in on `PATH`).

use crate::common;

use std::time::{Duration, Instant};

/// `probe --sim` (Chromium allowed, no Web SDK given) with npm's registry on `port`.
fn probe(dir: &std::path::Path, port: u16) -> (std::process::Output, Duration) {
    let started = Instant::now();
    let out = common::doctor_with_browser()
        .args(["probe", "--sim"])
        .env_remove("AGORA_DOCTOR_WEB_SDK")
        .env("AGORA_DOCTOR_CACHE", dir.join("cache"))
        .env("npm_config_registry", format!("http://127.0.0.1:{port}/"))
        .env("npm_config_cache", dir.join("npm-cache"))
        .env("npm_config_update_notifier", "false")
        .current_dir(dir)
        .output()
        .unwrap();
    (out, started.elapsed())
}

/// The closing line (the simulated run's notice follows it).
fn summary_line(stdout: &str) -> &str {
    stdout
        .lines()
        .find(|l| l.starts_with("8 checks: ") || l.contains(" problem"))
        .unwrap_or_default()
}

/// Regression: with the registry unreachable every `probe --sim` waited 71 s (npm's retries) and
/// printed 29 lines of npm errors, and its summary said "no problems" without a word about the
/// browser.
#[test]
fn with_npms_registry_unreachable_probe_sim_goes_on_says_why_and_does_not_wait_again() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (first, took) = probe(dir.path(), port);
    let stdout = String::from_utf8_lossy(&first.stdout);
    let stderr = String::from_utf8_lossy(&first.stderr);
    let summary = summary_line(&stdout);
    assert!(
        summary.contains("the browser check did not run")
            && summary.contains("npm could not reach its registry"),
        "{stdout}\n{stderr}"
    );
    assert!(
        stderr.lines().filter(|l| l.contains("npm")).count() <= 2,
        "npm's own output is not passed on: {stderr}"
    );
    // npm's retries alone took 71 s; starting npm and its one refused request take a few.
    assert!(took < Duration::from_secs(30), "{took:?}\n{stderr}");
    assert!(
        dir.path().join("cache/web-sdk/4.24.8.failed").is_file(),
        "the failure is remembered"
    );

    let (second, _) = probe(dir.path(), port);
    let stdout = String::from_utf8_lossy(&second.stdout);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        !stderr.contains("downloading"),
        "the second run called npm again: {stderr}"
    );
    let summary = summary_line(&stdout);
    assert!(
        summary.contains("the browser check did not run") && summary.contains("download failed"),
        "{stdout}"
    );
}

/// An `npm` standing in for a reachable registry: it logs 151 answered requests the way
/// `--loglevel=http` does and installs a stub `agora-rtc-sdk-ng` 4.24.8 under `--prefix`.
fn chatty_npm(dir: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let npm = bin.join("npm");
    std::fs::write(
        &npm,
        r#"#!/bin/sh
while [ "$1" != "--prefix" ]; do shift; done
pkg="$2/node_modules/agora-rtc-sdk-ng"
i=0
while [ $i -lt 151 ]; do
  echo "npm http fetch GET 200 https://registry.example/agora-rtc-sdk-ng/-/file-$i.tgz 3ms (cache miss)" >&2
  i=$((i + 1))
done
mkdir -p "$pkg"
echo '{"name": "agora-rtc-sdk-ng", "version": "4.24.8"}' > "$pkg/package.json"
echo 'window.AgoraRTC = undefined;' > "$pkg/AgoraRTC_N-production.js"
echo "added 151 packages in 1s"
"#,
    )
    .unwrap();
    std::fs::set_permissions(&npm, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// Regression: the first download printed npm's log, one `npm http fetch` line per request (151
/// for the SDK and its packages); now it is one progress line (its start and its end when stderr
/// is not a terminal), and the SDK is then found where it went.
#[test]
fn a_download_shows_one_progress_line_not_npms_log() {
    let dir = tempfile::tempdir().unwrap();
    let bin = chatty_npm(dir.path());
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = common::doctor_with_browser()
        .args(["probe", "--sim", "--only", "browser", "--json"])
        .env_remove("AGORA_DOCTOR_WEB_SDK")
        .env("AGORA_DOCTOR_CACHE", dir.path().join("cache"))
        .env("PATH", path)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("npm http fetch"), "{stderr}");
    let progress: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("downloading Agora Web SDK"))
        .collect();
    assert_eq!(progress.len(), 2, "{stderr}");
    assert!(progress[1].ends_with(": done"), "{stderr}");
    assert!(dir
        .path()
        .join("cache/web-sdk/4.24.8/node_modules/agora-rtc-sdk-ng/package.json")
        .is_file());
    assert!(!dir.path().join("cache/web-sdk/4.24.8.failed").exists());
}
