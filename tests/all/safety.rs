//! Safe under attack: what another local user can plant, and what the tool reads, writes and runs
//! because of it. Run as root in CI, so the other user is `nobody` (uid 65534).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::common;

/// The uid a second local user has in these tests.
const NOBODY: u32 = 65534;

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Hand `path` (and what is in it) to the second user, as if they had made it. Only root can; a
/// non-root run keeps its own files and says so.
fn give_to_nobody(path: &Path) {
    if !is_root() {
        eprintln!(
            "not root: {} stays ours (the second user is simulated by mode alone)",
            path.display()
        );
        return;
    }
    for entry in walk(path) {
        std::os::unix::fs::lchown(&entry, Some(NOBODY), Some(NOBODY)).unwrap();
    }
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if out[i].is_dir() && !out[i].is_symlink() {
            let mut children: Vec<PathBuf> = std::fs::read_dir(&out[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            children.sort();
            out.extend(children);
        }
        i += 1;
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Regression (critical): with no home cache, the SDK double was written to and loaded from a fixed
/// `/tmp/agora-doctor`, a folder another user could create first and swap the library in. The
/// double now runs from a sealed memory file: nothing is read from or written to that folder.
#[test]
fn join_sim_with_no_home_touches_nothing_in_the_shared_temporary_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    // The second user's folder at the old fixed path, open to everyone, with a library of theirs.
    let planted = tmp.path().join("agora-doctor");
    std::fs::create_dir_all(planted.join("sdk-double/any")).unwrap();
    std::fs::write(
        planted.join("sdk-double/any/libagora_sdk_double.so"),
        b"not ours",
    )
    .unwrap();
    for p in walk(&planted) {
        let mode = if p.is_dir() { 0o777 } else { 0o666 };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    give_to_nobody(&planted);
    let before = walk(&planted);
    // A copy of the binary with no SDK double beside it, as installed.
    let bin_dir = tempfile::tempdir().unwrap();
    let bin = bin_dir.path().join("agora-doctor");
    std::fs::copy(assert_cmd::cargo::cargo_bin("agora-doctor"), &bin).unwrap();
    let out = Command::new(&bin)
        .args(["join", "--sim", "--tone-secs", "0.2", "--color", "never"])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("TMPDIR", tmp.path())
        .env("TERM", "dumb")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("libagora_sdk_double.so (in memory)"),
        "{text}"
    );
    assert_eq!(
        walk(&planted),
        before,
        "the run wrote into the shared folder"
    );
    assert_eq!(
        std::fs::read(planted.join("sdk-double/any/libagora_sdk_double.so")).unwrap(),
        b"not ours"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "agora-doctor")
        .collect();
    assert!(
        leftovers.is_empty(),
        "left in the temporary folder: {leftovers:?}"
    );
}

/// Regression (critical): a cache folder another user made (here: with a Web SDK of theirs, which
/// the browser check would run) is refused with a reason, never read.
#[test]
fn a_cache_folder_owned_by_another_user_is_refused_and_never_read() {
    if !is_root() {
        eprintln!("skipped: only root can make a folder owned by another user");
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let planted = cache.path().join("agora-doctor");
    copy_tree(
        Path::new(common::WEB_SDK_424),
        &planted
            .join("web-sdk")
            .join(common::CURRENT_SDK)
            .join("node_modules/agora-rtc-sdk-ng"),
    );
    give_to_nobody(&planted);
    let cwd = tempfile::tempdir().unwrap();
    let no_npm = tempfile::tempdir().unwrap();
    let out = common::doctor_with_browser()
        .args(["probe", "--sim", "--only", "browser", "--json"])
        .env_remove("AGORA_DOCTOR_WEB_SDK")
        .env("AGORA_DOCTOR_CACHE", &planted)
        .env("PATH", no_npm.path())
        .current_dir(cwd.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("belongs to user id {NOBODY}, not to you")),
        "{text}"
    );
    assert!(!text.contains("\"source\": \"cache\""), "{text}");
    // Still the other user's, and still as they left it.
    assert_eq!(std::fs::metadata(&planted).unwrap().uid(), NOBODY);
}

// ---- every kind of secret, in every output ----

const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
/// Official vectors (AgoraIO/Tools), holding `+` and `/`.
const T006: &str = "006970CA35de60c44645bbae8a215061b33IABNRUO/126HmzFc+J8lQFfnkssUdUXqiePeE2WNZ7lyubdIfRAh39v0EAABAAAAR/QQAAEAAQCvKDdW";
const T007: &str = "007eJxTYJgT3rumdJdoWJpC3aNTb4o76swyLsrHvmznOn/x1cQM9gcKDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGBgYGUCYHYiZwXwQ+P8fAADUHTQ=";
/// A certificate never given to the tool.
const CERT: &str = "7d72365eb983485397e3e3f9d460bdda";

/// A log holding one of each secret kind an adversarial run found leaking, and for each a piece
/// that must not come out.
fn planted() -> (String, Vec<String>) {
    let body = &T006[35..];
    let html = T007.replace('+', "&#43;").replace('/', "&#x2F;");
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1aWQiOiI0MiIsImV4cCI6MTc2NTAwMDAwMH0.Qm9uZ1NpZ25hdHVyZVZhbHVlMTIzNDU2Nzg5MA";
    let chat = "YWMtFk3xQm0aEe6QpQn9CqP1AAAAAAAAAAAAAAAAAAAAAAGL4CTw7XPbB3CiQ2x9";
    let customer_secret = "b52e0cf3d8a94b1e9c1fd2e5a7c3b6d9";
    let basic = "NGY4YjJjOWUxZDdhNDNlNWI2YzhmMGExZDJlM2I0YzU6YjUyZTBjZjM=";
    let aws_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq81Lk2Pq";
    let lines = [
        format!("12:00:01 join token: 006{APP_ID}"),
        body.to_string(),
        format!("12:00:02 {{\"msg\":\"token=006{APP_ID}\\n{body}\"}}"),
        format!("12:00:03 spaced {} {}", &T007[..50], &T007[50..]),
        format!("12:00:04 tabbed {}\t{}", &T007[..70], &T007[70..]),
        format!("12:00:05 lost its prefix: {}", &T006[3..]),
        format!("12:00:06 from the page: {html}"),
        format!("12:00:07 Customer ID: 4f8b2c9e1d7a43e5b6c8f0a1d2e3b4c5 Customer Secret: {customer_secret}"),
        format!("12:00:08 Authorization: Basic {basic}"),
        format!("12:00:09 storageConfig {{\"accessKey\": \"AKIAQ3EGRZ5V7ODL2F4M\", \"secretKey\": \"{aws_secret}\"}}"),
        format!("12:00:10 chat login with {chat}"),
        format!("12:00:11 Authorization: Bearer {jwt}"),
        "12:00:12 ncs webhook secret: Wh9s-4ecr3tV4lue_7".to_string(),
        "12:00:13 GET https://admin:pr0xyPassw0rd@tokens.example.com/rtc?apikey=K3yV4lu3xx9&secret=S3cr3tQ9z&password=Pa55w0rdZ&signature=51gn4tur3Q".to_string(),
        "12:00:14 -----BEGIN PRIVATE KEY-----".to_string(),
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7".to_string(),
        "-----END PRIVATE KEY-----".to_string(),
        format!("12:00:15 appCertificate={CERT}"),
        format!("12:00:16 app_certificate = '{}'", CERT.to_uppercase()),
        format!("12:00:17 cert {CERT}"),
        format!("12:00:18 secret: {CERT}"),
        format!("12:00:19 RtcTokenBuilder.buildTokenWithUid(\"{APP_ID}\", \"{CERT}\", \"demo\", 0, 1, 3600)"),
        "12:00:20 AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: invalid token, authorized failed".to_string(),
    ];
    let mut text = lines.join("\n");
    text.push('\n');
    let pieces = vec![
        body[10..30].to_string(),
        T007[60..76].to_string(),
        T007[20..36].to_string(),
        T006[40..56].to_string(),
        html[20..40].to_string(),
        customer_secret.to_string(),
        "4f8b2c9e1d7a43e5b6c8f0a1d2e3b4c5".to_string(),
        basic[..20].to_string(),
        "AKIAQ3EGRZ5V7ODL2F4M".to_string(),
        aws_secret[..16].to_string(),
        chat[..20].to_string(),
        jwt[40..60].to_string(),
        "Wh9s-4ecr3tV4lue_7".to_string(),
        "pr0xyPassw0rd".to_string(),
        "K3yV4lu3xx9".to_string(),
        "S3cr3tQ9z".to_string(),
        "Pa55w0rdZ".to_string(),
        "51gn4tur3Q".to_string(),
        "MIIEvQIBADANBgkqhkiG9w0".to_string(),
        CERT.to_string(),
    ];
    (text, pieces)
}

fn assert_clean(what: &str, out: &std::process::Output, pieces: &[String]) {
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        let lower = text.to_lowercase();
        for piece in pieces {
            assert!(
                !lower.contains(&piece.to_lowercase()),
                "{what}: `{piece}` came out:\n{text}"
            );
        }
    }
}

/// Regression: tokens split, escaped, spaced, prefixless or HTML-encoded, customer credentials,
/// cloud keys, chat tokens, JWTs, webhook secrets, URL passwords, secret query parameters, PEM keys
/// and certificates under any label reached `explain --log` and `report` output.
#[test]
fn every_secret_kind_in_a_log_stays_out_of_explain_log_and_report() {
    let (text, pieces) = planted();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("console.log");
    std::fs::write(&log, &text).unwrap();
    let log = log.to_str().unwrap();
    for args in [
        vec!["explain", "--log", log],
        vec!["explain", "--log", log, "--json"],
        vec!["report", "--sim", "--only", "clock", "--log", log],
        vec!["report", "--sim", "--only", "clock", "--json", "--log", log],
    ] {
        let out = common::doctor().args(&args).output().unwrap();
        assert_clean(&args.join(" "), &out, &pieces);
    }
}

/// Regression: `explain --json` echoed the pasted query whole, and "nothing matches" its first
/// 60 bytes, secrets included.
#[test]
fn explain_never_echoes_a_secret_from_the_query() {
    let (text, pieces) = planted();
    for line in text.lines() {
        for json in [false, true] {
            let mut cmd = common::doctor();
            cmd.arg("explain");
            if json {
                cmd.arg("--json");
            }
            let out = cmd.arg("--").arg(line).output().unwrap();
            assert_clean(&format!("explain {line}"), &out, &pieces);
        }
    }
}

/// Regression: `--url`, `--token-server` and `HTTPS_PROXY` credentials were printed in the
/// report's summary, notes and "Reproduce" block.
#[test]
fn report_hides_credentials_in_urls_and_the_proxy() {
    let out = common::doctor()
        .args([
            "report",
            "--sim",
            "--only",
            "clock",
            "--url",
            "https://demo:urlPassw0rd9@127.0.0.1:9/app?key=Qk8s9dKf2mZx",
        ])
        .env("HTTPS_PROXY", "http://proxyuser:pr0xyS3cret@127.0.0.1:9")
        .output()
        .unwrap();
    let pieces = ["urlPassw0rd9", "Qk8s9dKf2mZx", "pr0xyS3cret"].map(String::from);
    assert_clean("report --url", &out, &pieces);
}

// ---- every read bounded ----

/// A hang check, not a speed goal.
const BOUND: std::time::Duration = std::time::Duration::from_secs(30);

/// Runs `cmd` (bounded by `BOUND`) and asserts it was refused: exit 2 with `says` on stderr.
fn assert_refused(cmd: &mut assert_cmd::Command, says: &str) {
    common::assert_refused(cmd, BOUND, &[says]);
}

/// Regression: `--cert-file /dev/zero` grew to gigabytes; an endless `--cert-stdin` too.
#[test]
fn an_endless_certificate_is_refused_after_its_first_kilobytes() {
    assert_refused(
        common::doctor().args(["token", T006, "--cert-file", "/dev/zero"]),
        "without a line break",
    );
    assert_refused(
        common::doctor()
            .args([
                "token",
                "build",
                "--app-id",
                APP_ID,
                "--channel",
                "c",
                "--uid",
                "1",
                "--cert-stdin",
            ])
            .write_stdin(vec![b'a'; 1 << 20]),
        "without a line break",
    );
}

/// Regression: a 120 KB `--token` cost 541 MB in the repairs; a line of `token -` as long, too.
#[test]
fn a_token_longer_than_any_agora_token_is_refused() {
    let long = format!("007{}", "eJ".repeat(60_000));
    assert_refused(
        common::doctor().args(["token", &long]),
        "no Agora token is longer than",
    );
    assert_refused(
        common::doctor()
            .args(["token", "-"])
            .write_stdin(format!("{T006}\n{long}\n")),
        "stdin line 2",
    );
}

/// Regression: `token -` kept every report until stdin ended (100k tokens: 527 MB, first byte after
/// 5 s). Each token's part is written as soon as its line is read: the first answer comes while
/// stdin is still open, in text and in JSON, and the JSON document is whole at the end.
#[test]
fn token_stdin_answers_each_line_while_stdin_is_still_open() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command as Std, Stdio};
    for json in [false, true] {
        let mut cmd = Std::new(assert_cmd::cargo::cargo_bin("agora-doctor"));
        cmd.args(["token", "-", "--color", "never"])
            .env_remove("AGORA_APP_CERTIFICATE")
            .env("AGORA_DOCTOR_NOW", "2026-11-25T00:00:00Z")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        if json {
            cmd.arg("--json");
        }
        let mut child = cmd.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{T006}").unwrap();
        stdin.flush().unwrap();
        // Read until the first token's part shows; stdin stays open meanwhile. A hang here (the
        // old behaviour) is caught by the watchdog below.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let mut seen = String::new();
            for line in lines.by_ref() {
                let line = line.unwrap();
                seen.push_str(&line);
                seen.push('\n');
                if line.contains("stdin line 1") {
                    tx.send(()).unwrap();
                    break;
                }
            }
            for line in lines {
                seen.push_str(&line.unwrap());
                seen.push('\n');
            }
            seen
        });
        let first = rx.recv_timeout(BOUND);
        writeln!(stdin, "{T007}").unwrap();
        drop(stdin);
        let status = child.wait().unwrap();
        let seen = reader.join().unwrap();
        assert!(first.is_ok(), "no answer while stdin was open:\n{seen}");
        // Both official vectors are long expired: a finding, not a could-not-run.
        assert_eq!(status.code(), Some(1), "{seen}");
        assert!(seen.contains("stdin line 2"), "{seen}");
        if json {
            let doc: serde_json::Value = serde_json::from_str(&seen).expect("one JSON document");
            assert_eq!(doc["tokens"].as_array().map(Vec::len), Some(2), "{seen}");
            assert_eq!(doc["summary"]["tokens"], 2, "{seen}");
        }
    }
}
