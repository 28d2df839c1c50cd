//! The project walk of `agora-doctor scan` on projects made in the test: binary files, huge files,
//! symlink loops, dangling links, FIFOs and unreadable files are skipped with a note, never a crash
//! or a hang; node_modules, build output, VCS folders and what .gitignore names are only read with
//! --all.

use std::fs;
use std::path::Path;

use crate::common::{self, doctor};
use serde_json::Value;

const NOW: &str = "2026-11-25T00:00:00Z";
/// A line the join_empty_token pattern reports wherever it is read.
const EMPTY_TOKEN_JOIN: &str = "await client.join(APP_ID, \"demo\", \"\", null);\n";

fn scan(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let out = doctor()
        .args(["scan"])
        .arg(dir)
        .args(["--json", "--now", NOW])
        .args(extra)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        common::schema::parse_json_output(&out.stdout),
    )
}

fn skipped(doc: &Value) -> Vec<(String, String)> {
    doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every file a finding of `key` is at (one finding per fact, with all its places).
fn files_with(doc: &Value, key: &str) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["key"] == key)
        .flat_map(|f| f["places"].as_array().unwrap().iter())
        .map(|p| p["file"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn awkward_files_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("src")).unwrap();
    fs::write(root.join("src/app.js"), EMPTY_TOKEN_JOIN).unwrap();
    // Binary: a NUL byte near the start of a .js file.
    fs::write(
        root.join("src/blob.js"),
        b"\x00\x01\x02 client.join(a, b, \"\")",
    )
    .unwrap();
    // Huge: one byte over the limit (a script that large is a bundle, left out as not app code).
    fs::write(root.join("src/data.ts"), vec![b'a'; 1024 * 1024 + 1]).unwrap();
    // JSON beyond a config's size is data: passed over without a note.
    fs::write(root.join("src/dump.json"), vec![b'a'; 64 * 1024 + 1]).unwrap();
    fs::write(root.join("src/bundle.js"), vec![b'a'; 1024 * 1024 + 1]).unwrap();
    // A symlink loop, and a link to nothing.
    std::os::unix::fs::symlink(".", root.join("src/loop")).unwrap();
    std::os::unix::fs::symlink("missing.js", root.join("src/gone.js")).unwrap();
    // A FIFO: reading it would block forever.
    let fifo = root.join("src/pipe.js");
    let made_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    // Mode 000: unreadable for a normal user; root reads it anyway, so the test asks the system.
    let locked = root.join("src/locked.js");
    fs::write(&locked, EMPTY_TOKEN_JOIN).unwrap();
    fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let privileged = fs::File::open(&locked).is_ok();

    let (exit, doc) = scan(root, &[]);
    assert_eq!(exit, 1, "the empty-token join still fails: {doc:#}");
    let notes = skipped(&doc);
    let has = |path: &str, reason: &str| notes.iter().any(|(p, r)| p == path && r == reason);
    assert!(has("src/blob.js", "binary"), "{notes:?}");
    assert!(has("src/data.ts", "too large"), "{notes:?}");
    assert!(
        !notes.iter().any(|(p, _)| p == "src/dump.json"),
        "{notes:?}"
    );
    let bundles = doc["model"]["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["reason"] == "bundles")
        .expect("the big script is a bundle");
    assert_eq!(bundles["examples"][0], "src/bundle.js");
    assert!(has("src/loop", "symlink loop"), "{notes:?}");
    assert!(has("src/gone.js", "unreadable"), "{notes:?}");
    if made_fifo {
        assert!(has("src/pipe.js", "not a regular file"), "{notes:?}");
    }
    let reported = files_with(&doc, "scan.code.join_empty_token");
    if privileged {
        assert!(
            reported.contains(&"src/locked.js".to_string()),
            "root reads mode-000 files: {reported:?}"
        );
    } else {
        assert!(has("src/locked.js", "unreadable"), "{notes:?}");
    }
    assert!(reported.contains(&"src/app.js".to_string()), "{reported:?}");
    assert!(!reported.contains(&"src/blob.js".to_string()));
    // The human report counts the notes and -v lists them.
    let human = doctor()
        .arg("scan")
        .arg(root)
        .args(["--now", NOW])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("not read (") && text.contains("symlink loop"),
        "{text}"
    );
    let verbose = doctor()
        .arg("scan")
        .arg(root)
        .args(["--now", NOW, "-v"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&verbose.stdout);
    assert!(text.contains("src/data.ts: too large"), "{text}");
    fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
}

#[test]
fn dependency_build_and_vcs_folders_are_read_only_with_all() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for folder in [
        "src",
        "node_modules/some-lib",
        "dist",
        ".git",
        "android/build",
        "ios/Pods/x",
    ] {
        fs::create_dir_all(root.join(folder)).unwrap();
        fs::write(root.join(folder).join("index.js"), EMPTY_TOKEN_JOIN).unwrap();
    }
    let (_, doc) = scan(root, &[]);
    assert_eq!(
        files_with(&doc, "scan.code.join_empty_token"),
        vec!["src/index.js"]
    );
    assert_eq!(doc["all"], false);
    let (_, doc) = scan(root, &["--all"]);
    let mut all = files_with(&doc, "scan.code.join_empty_token");
    all.sort();
    assert_eq!(
        all,
        vec![
            ".git/index.js",
            "android/build/index.js",
            "dist/index.js",
            "ios/Pods/x/index.js",
            "node_modules/some-lib/index.js",
            "src/index.js"
        ]
    );
}

#[test]
fn gitignored_files_are_left_out_unread() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("src")).unwrap();
    fs::create_dir_all(root.join("generated-site")).unwrap();
    fs::write(root.join(".gitignore"), "generated-site/\nsrc/old.js\n").unwrap();
    fs::write(root.join("src/app.js"), EMPTY_TOKEN_JOIN).unwrap();
    fs::write(root.join("src/old.js"), EMPTY_TOKEN_JOIN).unwrap();
    fs::write(root.join("generated-site/index.js"), EMPTY_TOKEN_JOIN).unwrap();
    let (_, doc) = scan(root, &[]);
    assert_eq!(
        files_with(&doc, "scan.code.join_empty_token"),
        vec!["src/app.js"]
    );
    let ignored = doc["model"]["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["reason"] == "gitignored")
        .expect("a gitignored group");
    assert_eq!(
        (ignored["folders"].as_u64(), ignored["files"].as_u64()),
        (Some(1), Some(1))
    );
    let (_, doc) = scan(root, &["--include", "src/old.js"]);
    let mut got = files_with(&doc, "scan.code.join_empty_token");
    got.sort();
    assert_eq!(got, vec!["src/app.js", "src/old.js"]);
}

#[test]
fn an_env_file_is_read_although_it_is_hidden_and_gitignored() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join(".gitignore"), ".env\n").unwrap();
    fs::write(
        root.join(".env"),
        "REACT_APP_AGORA_APP_CERTIFICATE=0123456789abcdef0123456789ABCDEF\n",
    )
    .unwrap();
    let (exit, doc) = scan(root, &[]);
    assert_eq!(exit, 1);
    assert_eq!(
        files_with(&doc, "scan.config.certificate_in_client"),
        vec![".env"]
    );
}
