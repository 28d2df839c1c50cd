//! Helpers shared by the integration tests: the binary under test with a clean environment, and
//! the token fixtures.

#![allow(dead_code)]

pub mod browser;
pub mod consistency;
pub mod native;
pub mod probe;
pub mod pulse;
pub mod schema;
pub mod token_server;

use assert_cmd::Command;
use serde_json::Value;

/// `agora-doctor` with no inherited certificate, colour or terminal influence, and without
/// Chromium: `probe --sim` would otherwise run the web flow in every test that uses it
/// (tests/browser_flow.rs and the README sample run it, with `env_remove("AGORA_DOCTOR_NO_BROWSER")`).
/// The Web SDK is the current one `npm ci` put under fixtures/web ([`WEB_SDK_424`], what `--sim`
/// downloads when nothing else is found), so no test ever downloads it (tests/web_sdk_sources.rs
/// covers the other sources; a test wanting the seed's 4.3.0 sets [`WEB_SDK_430`]).
pub fn doctor() -> Command {
    let mut cmd = Command::cargo_bin("agora-doctor").expect("binary built");
    cmd.env_remove("AGORA_APP_CERTIFICATE")
        .env_remove("NO_COLOR")
        .env_remove("AGORA_DOCTOR_PACKAGED_WEB_SDK")
        .env("AGORA_DOCTOR_NO_BROWSER", "1")
        .env("AGORA_DOCTOR_WEB_SDK", WEB_SDK_424)
        .env("TERM", "dumb");
    cmd
}

/// Run `cmd` within `limit` and assert that it was refused: exit 2 with each of `says` on stderr.
/// Hands back stderr for what else a test holds of it.
pub fn assert_refused(cmd: &mut Command, limit: std::time::Duration, says: &[&str]) -> String {
    let out = cmd.timeout(limit).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for words in says {
        assert!(stderr.contains(words), "{words:?} not in:\n{stderr}");
    }
    stderr
}

/// [`doctor`] for `probe` runs that start Chromium (the web flow, the room) on a machine with no
/// sound server (`PULSE_SERVER` points nowhere, so Chromium's synthetic devices are all there is),
/// bounded against a hang.
pub fn doctor_with_browser() -> Command {
    let mut cmd = doctor();
    cmd.env_remove("AGORA_DOCTOR_NO_BROWSER")
        .env("PULSE_SERVER", "unix:/nonexistent/agora-doctor-test/native")
        .timeout(std::time::Duration::from_secs(150));
    cmd
}

/// The Agora Web SDK 4.3.0 package `npm ci` installs under fixtures/web (scripts/setup.d/40-web.sh).
pub const WEB_SDK_430: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/web/node_modules/agora-rtc-sdk-ng-430"
);

/// The Agora Web SDK 4.24.8 package `npm ci` installs under fixtures/web.
pub const WEB_SDK_424: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/web/node_modules/agora-rtc-sdk-ng-424"
);

/// The Web SDK `probe --sim` uses when nothing else is found (`web_sdk::CURRENT_VERSION`).
pub const CURRENT_SDK: &str = "4.24.8";

/// The fixtures/web package of Web SDK `version` (`4.3.0` or `4.24.8`).
pub fn web_sdk_package(version: &str) -> &'static str {
    match version {
        "4.3.0" => WEB_SDK_430,
        "4.24.8" => WEB_SDK_424,
        other => panic!("fixtures/web carries no Web SDK {other}"),
    }
}

/// One `fixtures/tokens/*.json` file.
pub struct Fixture {
    /// File stem.
    pub name: String,
    /// The token exactly as pasted.
    pub token: String,
    /// Extra arguments (channel, uid, …).
    pub args: Vec<String>,
    /// `--now`.
    pub now: String,
    /// Certificate given through AGORA_APP_CERTIFICATE, if any.
    pub certificate: Option<String>,
}

/// Every token fixture, sorted by name.
pub fn fixtures() -> Vec<Fixture> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tokens");
    let mut out: Vec<Fixture> = std::fs::read_dir(dir)
        .expect("fixtures/tokens exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            Fixture {
                name: p.file_stem().unwrap().to_string_lossy().into_owned(),
                token: v["token"].as_str().unwrap().to_string(),
                args: v["args"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string())
                    .collect(),
                now: v["now"].as_str().unwrap().to_string(),
                certificate: v["certificate"].as_str().map(str::to_string),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Every test vector line, parsed.
pub fn vectors() -> Vec<Value> {
    include_str!("../../../fixtures/vectors/tokens.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Run `check` on every item, split over two threads (the items are independent processes), and
/// return every error message.
pub fn errors_on_two_threads<T: Sync>(
    items: &[T],
    check: impl Fn(&T) -> Result<(), String> + Sync,
) -> Vec<String> {
    let check = &check;
    std::thread::scope(|s| {
        let (left, right) = items.split_at(items.len() / 2);
        let handles: Vec<_> = [left, right]
            .into_iter()
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .filter_map(|i| check(i).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

/// A port that refuses connections for as long as the returned socket lives: bound but never
/// listening, so the kernel answers a SYN with a reset, and no other test's server can be given the
/// same port meanwhile (a port merely closed again could be, and then it would answer).
pub fn closed_port() -> (socket2::Socket, u16) {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a TCP socket");
    let loopback: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    socket.bind(&loopback.into()).expect("bind loopback");
    let port = socket
        .local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .expect("a bound IPv4 address")
        .port();
    (socket, port)
}
