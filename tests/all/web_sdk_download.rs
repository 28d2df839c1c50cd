//! The one-time Web SDK download of `probe --sim` when npm's registry cannot be reached: npm is
//! pointed at a closed loopback port (`npm_config_registry`), with an empty agora-doctor cache, an
//! empty npm cache and no project SDK, so the real npm really tries. The run goes on at once, says
//! in its summary line why the browser check did not run, and the next run does not wait for npm.

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
