//! The App Certificate never leaves the process: every command, given a known certificate through
//! AGORA_APP_CERTIFICATE, --cert-file or --cert, including -v, --json and error paths, must not
//! print it (in any letter case) on stdout or stderr.

use crate::common;
use crate::common::native as native_common;

use std::time::Duration;

use common::doctor;

/// Mixed case on purpose, so an upper- or lower-cased leak is caught too.
const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const NOW: &str = "2026-11-25T00:00:00Z";
const GOOD_007: &str = "007eJxTYDj0ULOL6fF6t8A5nJnarL7XvFcdWJTnuHzmnFUeIjwbGRMVGBINk4ySjVNMUk3TzAzMDS2MLI0TTZJMk81SzFMt0iwNGFTZsgX4GBiMKtkYGBkYGVgYGBlAfCYwyQwmWcAkD0NJanGJbnJGYl5eag4rg6GRsYkpALXkHrE=";
/// Fixture projects whose files hold CERT (fixtures/scan/).
const SCAN_WEB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/scan/web-react");
const SCAN_IOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/scan/ios");
const SCAN_FLUTTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/scan/flutter");
const SCAN_CLEAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/scan/clean");
/// A hang check, not a speed goal.
const HANG_TIMEOUT: Duration = Duration::from_secs(120);

/// How the certificate is handed over.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Via {
    Env,
    File,
    Arg,
}

/// One command line; `vias` says which ways of passing the certificate it accepts.
struct Run {
    args: Vec<String>,
    vias: &'static [Via],
}

const ALL: &[Via] = &[Via::Env, Via::File, Via::Arg];
const ENV_FILE: &[Via] = &[Via::Env, Via::File];
const ENV: &[Via] = &[Via::Env];

fn run(args: &[&str], vias: &'static [Via]) -> Run {
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        vias,
    }
}

/// A token signed with CERT, built by the tool itself (so the signature check really runs).
fn signed_token() -> String {
    let out = doctor()
        .args([
            "token",
            "build",
            "--app-id",
            APP_ID,
            "--channel",
            "demo",
            "--uid",
            "7",
        ])
        .args(["--salt", "1", "--issued-at", NOW, "--expire", "1d"])
        .env("AGORA_APP_CERTIFICATE", CERT)
        .timeout(HANG_TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn runs(signed: &str, log: &str) -> Vec<Run> {
    let s = signed;
    vec![
        run(
            &["token", s, "--now", NOW, "--channel", "demo", "--uid", "7"],
            ALL,
        ),
        run(
            &[
                "token",
                s,
                "--now",
                NOW,
                "--channel",
                "demo",
                "--uid",
                "7",
                "-v",
            ],
            ALL,
        ),
        run(
            &[
                "token",
                s,
                "--now",
                NOW,
                "--channel",
                "demo",
                "--uid",
                "7",
                "--json",
            ],
            ALL,
        ),
        run(
            &[
                "token",
                s,
                "--now",
                NOW,
                "--channel",
                "other",
                "--uid",
                "8",
                "--json",
                "-v",
            ],
            ALL,
        ),
        run(&["token", GOOD_007, "--now", NOW, "-v"], ALL),
        run(&["token", GOOD_007, "--now", NOW, "--json"], ALL),
        run(&["token", "", "--now", NOW, "-v"], ALL),
        run(&["token", CERT, "--now", NOW, "-v"], ENV),
        run(&["token", s, "--now", "garbage"], ALL),
        run(
            &[
                "token",
                "build",
                "--app-id",
                APP_ID,
                "--channel",
                "demo",
                "--uid",
                "7",
            ],
            ALL,
        ),
        run(
            &[
                "token",
                "build",
                "--app-id",
                APP_ID,
                "--channel",
                "demo",
                "--uid",
                "7",
                "--json",
            ],
            ALL,
        ),
        run(
            &[
                "token",
                "build",
                "--app-id",
                APP_ID,
                "--channel",
                "demo",
                "--expire",
                "junk",
            ],
            ALL,
        ),
        run(
            &[
                "token",
                "build",
                "--app-id",
                "not-hex",
                "--channel",
                "demo",
                "--uid",
                "7",
                "-v",
            ],
            ALL,
        ),
        run(
            &[
                "token",
                s,
                "--now",
                NOW,
                "--service",
                "rtm",
                "--account",
                "7",
                "-v",
            ],
            ALL,
        ),
        run(
            &[
                "token",
                &format!("{{\"token\":\"{s}\"}}"),
                "--now",
                NOW,
                "--channel",
                "demo",
                "--uid",
                "7",
                "--json",
                "-v",
            ],
            ALL,
        ),
        run(&["token", &format!("Bearer {s}"), "--now", NOW, "-v"], ALL),
        run(
            &[
                "token",
                "build",
                "--app-id",
                APP_ID,
                "--channel",
                "demo",
                "--uid",
                "7",
                "--expire",
                "1796402040",
            ],
            ALL,
        ),
        run(
            &[
                "token-server",
                "http://127.0.0.1:9/rtc/{channel}/{role}/uid/{uid}",
                "--timeout",
                "2",
                "-v",
            ],
            ALL,
        ),
        run(
            &[
                "token-server",
                "http://127.0.0.1:9/rtc/{channel}/{role}/uid/{uid}",
                "--timeout",
                "2",
                "--json",
            ],
            ALL,
        ),
        run(&["token-server", "not a url", "-v"], ALL),
        run(&["probe", "--sim", "-v"], ENV_FILE),
        run(&["probe", "--sim", "--json"], ENV_FILE),
        run(
            &[
                "probe",
                "--sim",
                "--json",
                "--token",
                s,
                "--channel",
                "demo",
                "--uid",
                "7",
            ],
            ENV_FILE,
        ),
        run(
            &[
                "probe",
                "--sim",
                "-v",
                "--token",
                s,
                "--channel",
                "wrong",
                "--uid",
                "7",
            ],
            ENV_FILE,
        ),
        run(&["probe", "--sim", "--url", "not a url"], ENV_FILE),
        run(&["join", "--sim", "--tone-secs", "0.1", "-v"], ENV_FILE),
        run(&["join", "--sim", "--tone-secs", "0.1", "--json"], ENV_FILE),
        run(
            &[
                "join",
                "--sim",
                "--tone-secs",
                "0.1",
                "--timeout",
                "0.5",
                "--sim-fault",
                "expired",
                "--json",
            ],
            ENV_FILE,
        ),
        run(&["report", "--sim"], ENV_FILE),
        // A log that holds the certificate and the token the way real logs do: the report quotes
        // its error lines, so every one of them must come out redacted, in Markdown and in JSON.
        run(
            &["report", "--sim", "--only", "config", "--log", log],
            ENV_FILE,
        ),
        run(
            &[
                "report", "--sim", "--only", "config", "--json", "--token", s, "--log", log,
            ],
            ENV_FILE,
        ),
        run(&["explain", "--log", log], ENV),
        run(&["explain", "--log", log, "--json"], ENV),
        run(&["explain", "110", "-v"], ENV),
        run(
            &["explain", "token.certificate_on_command_line", "--json"],
            ENV,
        ),
        run(&["explain", "--list"], ENV),
        // scan reads the certificate from the project itself (these fixtures hold CERT in client
        // code, and the clean one on its token server); it must never print it.
        run(&["scan", SCAN_WEB, "-v"], ENV),
        run(&["scan", SCAN_WEB, "--json"], ENV),
        run(&["scan", SCAN_IOS, "--json", "-v"], ENV),
        run(&["scan", SCAN_FLUTTER, "-v", "--all"], ENV),
        run(&["scan", SCAN_CLEAN, "--json"], ENV),
    ]
}

fn check(r: &Run, via: Via, cert_file: &str, token: &str) -> Result<(), String> {
    let mut cmd = doctor();
    cmd.env_remove("AGORA_APP_ID")
        .env_remove("AGORA_SDK_LIB")
        .env_remove("AGORA_DOCTOR_EDGE")
        .env_remove("AGORA_DOCTOR_STUN")
        .args(&r.args)
        .timeout(HANG_TIMEOUT)
        .write_stdin(Vec::new());
    match via {
        Via::Env => {
            cmd.env("AGORA_APP_CERTIFICATE", CERT);
        }
        Via::File => {
            cmd.args(["--cert-file", cert_file]);
        }
        Via::Arg => {
            cmd.args(["--cert", CERT]);
        }
    }
    let out = cmd.output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let what = format!("`{}` via {via:?}", r.args.join(" "));
    match out.status.code() {
        Some(0..=2) => {}
        other => return Err(format!("{what}: exit {other:?}\n{stderr}")),
    }
    if stderr.contains("panicked") {
        return Err(format!("{what}: panicked\n{stderr}"));
    }
    for variant in [CERT.to_string(), CERT.to_lowercase(), CERT.to_uppercase()] {
        for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            if text.contains(&variant) {
                return Err(format!("{what}: the certificate is on {name}:\n{text}"));
            }
        }
    }
    if r.args.iter().any(|a| a == "--log") {
        // The log's token, in any of its shapes there, must be gone too: no 20 characters of it.
        let body = &token[3..];
        let shapes = [
            body.to_owned(),
            body.replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D"),
            body.replace('+', " "),
        ];
        for shape in &shapes {
            let chars: Vec<char> = shape.chars().collect();
            for window in chars.windows(20) {
                let window: String = window.iter().collect();
                if stdout.contains(&window) {
                    return Err(format!(
                        "{what}: the token's `{window}` is on stdout:\n{stdout}"
                    ));
                }
            }
        }
        if !stdout.contains("[redacted") {
            return Err(format!("{what}: nothing was redacted:\n{stdout}"));
        }
    }
    if r.args.iter().any(|a| a == "--json") && !out.stdout.is_empty() {
        // Parsed (and schema-checked); then every string in it is checked too.
        let doc = common::schema::parse_json_output(&out.stdout);
        let flat = doc.to_string().to_lowercase();
        if flat.contains(&CERT.to_lowercase()) {
            return Err(format!("{what}: the certificate is in the JSON"));
        }
    }
    Ok(())
}

#[test]
fn no_command_ever_prints_the_certificate() {
    // join --sim and probe --sim run the SDK double (a test double) found next to the binary.
    native_common::sdk_double();
    let dir = tempfile::tempdir().unwrap();
    let cert_file = dir.path().join("cert.txt");
    std::fs::write(&cert_file, format!("{CERT}\n")).unwrap();
    let cert_file = cert_file.to_string_lossy().into_owned();
    let signed = signed_token();
    let log = dir.path().join("console.log");
    std::fs::write(&log, leaky_log(&signed)).unwrap();
    let runs = runs(&signed, &log.to_string_lossy());
    let jobs: Vec<(&Run, Via)> = runs
        .iter()
        .flat_map(|r| r.vias.iter().map(move |v| (r, *v)))
        .collect();
    assert!(jobs.len() >= 50, "{} runs", jobs.len());
    let failures = common::errors_on_two_threads(&jobs, |(r, v)| check(r, *v, &cert_file, &signed));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A console log holding the certificate and a token on error lines, as real logs do: bare, in an
/// assignment in another letter case, URL-encoded, with `+` as spaces.
fn leaky_log(token: &str) -> String {
    let error = |name: &str| {
        format!("Agora-SDK [ERROR]: [client-1] Get server node failed [{name}] https://webrtc2-ap-web-1.agora.io/api/v1 {name}")
    };
    let url: String = token
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    [
        format!("{} cert was {CERT}", error("DYNAMIC_KEY_EXPIRED")),
        format!(
            "{} AGORA_APP_CERTIFICATE={} node server.js",
            error("INVALID_VENDOR_KEY"),
            CERT.to_lowercase()
        ),
        format!(
            "{} const appCertificate = \"{}\";",
            error("NO_AUTHORIZED"),
            CERT.to_uppercase()
        ),
        format!("{} token {token}", error("DYNAMIC_USE_STATIC_KEY")),
        format!(
            "{} GET /rtc?token={url}&uid=7",
            error("INVALID_CHANNEL_NAME")
        ),
        format!(
            "{} token={}",
            error("DYNAMIC_KEY_TIMEOUT"),
            token.replace('+', " ")
        ),
    ]
    .join("\n")
        + "\n"
}

/// The check above can fail: text that really is printed is found. (A log line is echoed as it is,
/// so a certificate-shaped string inside a log shows up on stdout.)
#[test]
fn the_leak_check_sees_printed_text() {
    let out = doctor()
        .args(["explain", "--log", "-"])
        .write_stdin(format!(
            "AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired {CERT}\n"
        ))
        .timeout(HANG_TIMEOUT)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(CERT), "{stdout}");
}
