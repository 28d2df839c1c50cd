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
