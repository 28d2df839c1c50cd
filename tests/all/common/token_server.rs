//! The real token server the tests ask: a few lines of Node around Agora's official `agora-token`
//! package (fixtures/token-server/server.js, installed from its lock file by
//! scripts/setup.d/45-token-server.sh) on 127.0.0.1 with a free port, in one of its modes (`good`
//! or a deliberate fault).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The test project the server signs for (not real Agora credentials).
pub const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
/// Its App Certificate.
pub const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
/// The server's RTC route as a `token-server` URL template.
pub const RTC: &str = "/rtc/{channel}/{role}/{tokentype}/{uid}?expiry={expire}";
/// A hang check for the server's start, not a speed goal.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A Node token server; killed and reaped when dropped, so it never outlives the test.
pub struct NodeServer {
    child: Child,
    /// Held open: the server also exits when its stdin closes.
    _stdin: Option<ChildStdin>,
    pub port: u16,
}

impl NodeServer {
    pub fn start(mode: &str) -> NodeServer {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/token-server");
        assert!(
            dir.join("node_modules/agora-token").is_dir(),
            "agora-token is not installed: run scripts/setup.d/45-token-server.sh (scripts/test does)"
        );
        let mut child = Command::new("node")
            .arg("server.js")
            .current_dir(&dir)
            .env("MODE", mode)
            .env("APP_ID", APP_ID)
            .env("APP_CERTIFICATE", CERT)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs (scripts/apt/token-server.txt)");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut server = NodeServer {
            child,
            _stdin: stdin,
            port: 0,
        };
        let line = rx
            .recv_timeout(START_TIMEOUT)
            .expect("the server says where it listens");
        server.port = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for NodeServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
