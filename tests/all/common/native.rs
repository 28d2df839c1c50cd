//! Helpers for the native join tests: build the SDK double cdylibs (TEST DOUBLES) once per test binary
//! and find them in the cargo target directory, so tests exercise the binding's real `dlopen` path.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long building the doubles may take before the tests give up.
const BUILD_TIMEOUT: Duration = Duration::from_secs(600);

/// The profile directory holding this test binary (`target/debug` for `target/debug/deps/x`).
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("test binaries live in target/<profile>/deps")
        .to_path_buf()
}

fn build_doubles() -> Result<(), String> {
    let profile = profile_dir();
    let target = profile.parent().ok_or("no target directory")?.to_path_buf();
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args([
        "build",
        "--quiet",
        "-p",
        "agora-sdk-double",
        "-p",
        "agora-sdk-double-incomplete",
    ])
    .arg("--target-dir")
    .arg(&target)
    .current_dir(env!("CARGO_MANIFEST_DIR"))
    .stdin(Stdio::null());
    if profile.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    if std::env::var_os("CARGO_LOCKED").is_some() || std::env::var_os("CI").is_some() {
        cmd.arg("--locked");
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                return Err(format!("cargo build of the SDK doubles failed: {status}"))
            }
            Ok(None) if started.elapsed() > BUILD_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("cargo build of the SDK doubles timed out".into());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(format!("waiting for cargo: {e}")),
        }
    }
}

fn built() -> &'static Result<(), String> {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT.get_or_init(build_doubles)
}

fn library(name: &str) -> PathBuf {
    if let Err(e) = built() {
        panic!("{e}");
    }
    let path = profile_dir().join(name);
    assert!(path.is_file(), "{} was not built", path.display());
    path
}

/// The SDK double (`libagora_sdk_double.so`).
pub fn sdk_double() -> PathBuf {
    library("libagora_sdk_double.so")
}

/// The incomplete double (exports only two symbols).
pub fn incomplete_double() -> PathBuf {
    library("libagora_sdk_double_incomplete.so")
}

/// A fresh, empty directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("agora-doctor-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
