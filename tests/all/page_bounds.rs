//! Pages that never end, fetched by the page check and opened in Chromium: the body read is
//! bounded in size and time and the cut is said; a page Chromium cannot finish loading is a page
//! timeout naming the URL and the bound, not "could not drive Chromium". Served from a loopback
//! HTTP server made here.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use serde_json::Value;

/// How a test page misbehaves after its headers.
#[derive(Clone, Copy)]
enum Body {
    /// Sends HTML forever, as fast as it is read.
    Endless,
    /// Sends the start of a page, then nothing, holding the connection open.
    Stall,
}

/// Serve every request with a 200, HTML headers without a length, then `body`. Serves until the
/// test process ends.
fn serve(body: Body) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/",
        listener.local_addr().unwrap().port()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let mut out = stream;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<!doctype html><html><head><title>t</title></head><body>";
                if out.write_all(head.as_bytes()).is_err() {
                    return;
                }
                match body {
                    Body::Endless => {
                        let chunk = "<p>more</p>\n".repeat(1000);
                        while out.write_all(chunk.as_bytes()).is_ok() {}
                    }
                    Body::Stall => std::thread::sleep(Duration::from_secs(300)),
                }
            });
        }
    });
    url
}

/// The one check's JSON entry of `probe --json` with `args`, and the exit code.
fn check(mut cmd: assert_cmd::Command, args: &[&str]) -> (Value, Option<i32>) {
    let out = cmd
        .args(["probe", "--json"])
        .args(args)
        .timeout(Duration::from_secs(150))
        .output()
        .unwrap();
    let doc = common::schema::parse_json_output(&out.stdout);
    (doc["checks"][0].clone(), out.status.code())
}

/// Regression: a page with an endless body passed the page check; the body read stopped silently.
#[test]
fn a_page_body_that_never_ends_is_cut_and_said() {
    for (body, words) in [
        (Body::Endless, "longer than 8 MiB"),
        (Body::Stall, "did not end within 8 s"),
    ] {
        let url = serve(body);
        let (page, code) = check(common::doctor(), &["--only", "page", "--url", &url]);
        assert_eq!(code, Some(0), "{page}");
        assert_eq!(page["status"], "warn", "{page}");
        let text = page.to_string();
        assert!(
            text.contains("probe.page.body_cut") && text.contains(words) && text.contains(&url),
            "{text}"
        );
    }
}

/// Regression: a page that stalls in Chromium was "could not drive Chromium"
/// (`probe.browser.launch_failed`) although Chromium had started.
#[test]
fn a_page_that_stalls_in_chromium_is_a_page_timeout_naming_the_url() {
    let url = serve(Body::Stall);
    let (browser, code) = check(
        common::doctor_with_browser(),
        &["--only", "browser", "--browser", "--url", &url],
    );
    let text = browser.to_string();
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("probe.browser.page_timeout")
            && !text.contains("probe.browser.launch_failed")
            && text.contains(&url)
            && text.contains("within 20 s"),
        "{text}"
    );
}

/// The Chromium profile folders under `tmp`.
fn profiles(tmp: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(tmp)
        .map(|dir| {
            dir.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("agora-doctor-chromium-"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Processes whose command line names `needle` (Chromium's carry its profile folder).
fn processes_naming(needle: &str) -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(needle))
        })
        .count()
}

/// Regression: an interrupted `probe` left its Chromium profile in the temporary folder (mode 0755,
/// DevToolsActivePort 0644). The profile is 0700 and, on SIGINT, SIGTERM and SIGHUP alike, gone
/// with Chromium when the run ends with 128 + the signal's number.
#[test]
fn an_interrupted_run_leaves_no_chromium_profile() {
    use nix::sys::signal::Signal;
    use std::os::unix::fs::PermissionsExt;
    for signal in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
        let tmp = tempfile::tempdir().unwrap();
        let url = serve(Body::Stall);
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("agora-doctor"));
        cmd.args(["probe", "--only", "browser", "--browser", "--url", &url])
            .env("TMPDIR", tmp.path())
            .env_remove("AGORA_DOCTOR_NO_BROWSER")
            .env("PULSE_SERVER", "unix:/nonexistent/agora-doctor-test/native")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        // Wait until Chromium runs in its profile (it writes DevToolsActivePort when it listens).
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let profile = loop {
            let found = profiles(tmp.path())
                .into_iter()
                .find(|p| p.join("DevToolsActivePort").exists());
            if let Some(p) = found {
                break p;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "Chromium did not start"
            );
            assert!(child.try_wait().unwrap().is_none(), "the run ended early");
            std::thread::sleep(Duration::from_millis(50));
        };
        let mode = std::fs::metadata(&profile).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{signal}: profile mode {mode:o}");
        let name = profile.file_name().unwrap().to_string_lossy().into_owned();
        assert!(processes_naming(&name) > 0, "Chromium runs in {name}");
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal).unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(128 + signal as i32), "{signal}");
        assert!(profiles(tmp.path()).is_empty(), "{signal}: profile left");
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
        assert!(
            left.is_empty(),
            "{signal}: left in the temporary folder: {left:?}"
        );
        // Chromium goes with it (killed by group; let the kernel reap it).
        let gone = (0..100).any(|_| {
            std::thread::sleep(Duration::from_millis(50));
            processes_naming(&name) == 0
        });
        assert!(gone, "{signal}: Chromium still runs");
    }
}
