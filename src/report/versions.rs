//! The versions a support engineer asks for first: agora-doctor, the OS, Chromium, the Web SDK the
//! page loads and the native SDK, read from this machine and from the probe's own findings.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;

use crate::probe::ProbeReport;

/// How long `chromium --version` may take before it is reported as unknown.
const BROWSER_VERSION_TIMEOUT: Duration = Duration::from_secs(5);

/// Versions of everything involved in a run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Versions {
    /// This tool.
    pub agora_doctor: String,
    /// Operating system and architecture.
    pub os: String,
    /// `chromium --version`, if a Chromium is installed.
    pub chromium: Option<String>,
    /// The Agora Web SDK the page loads, as the probe found it.
    pub web_sdk: Option<String>,
    /// The native SDK the join check loaded, as the probe found it.
    pub native_sdk: Option<String>,
}

impl Versions {
    /// Read the versions from this machine and from `probe`'s findings.
    pub fn collect(probe: &ProbeReport) -> Self {
        Versions {
            agora_doctor: env!("CARGO_PKG_VERSION").to_owned(),
            os: os_description(),
            chromium: crate::browser::find_chromium().and_then(|b| browser_version(&b)),
            web_sdk: version_in(probe, &["page", "browser"], r"(?i)web sdk (\d+\.\d+\.\d+)"),
            native_sdk: version_in(
                probe,
                &["join"],
                r"(?i)(?:native )?sdk (?:version )?(\d+\.\d+\.\d+)",
            ),
        }
    }
}

/// `PRETTY_NAME` from os-release, the kernel release and the architecture.
fn os_description() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|k| format!(", kernel {}", k.trim()))
        .unwrap_or_default();
    format!("{pretty}{kernel}, {}", std::env::consts::ARCH)
}

/// `<binary> --version`, or `None` when it is missing, fails or takes too long.
fn browser_version(binary: &std::path::Path) -> Option<String> {
    let mut child = Command::new(binary)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(_)) | Err(_) => return None,
            Ok(None) if started.elapsed() > BROWSER_VERSION_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    let output = child.wait_with_output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The first version number `pattern` captures in the named checks' summaries and evidence.
fn version_in(probe: &ProbeReport, checks: &[&str], pattern: &str) -> Option<String> {
    let re = Regex::new(pattern).expect("version patterns are constants");
    probe
        .checks
        .iter()
        .filter(|c| checks.contains(&c.id))
        .flat_map(|c| {
            std::iter::once(&c.summary)
                .chain(c.evidence.iter())
                .chain(c.findings.iter().map(|f| &f.summary))
        })
        .find_map(|line| re.captures(line).map(|m| m[1].to_owned()))
}
