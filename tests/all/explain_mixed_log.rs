//! `explain --log` on a mixed log built from the corpus: the output lines (not the developers' own
//! sentences) of Android, Flutter, React Native, iOS, Unity, Electron, Signaling and Web pastes, each
//! written the way its platform logs it —
//! Android logcat, `flutter run`, a browser console export, and the native SDK's own `agorasdk.log`
//! layout (`LEVEL   (hh:mm:ss:ms | delta)   thread; [module] text`, as in the log attached to
//! https://github.com/AgoraIO/API-Examples/issues/158) — between quiet lines of each format. Every
//! error line must be found, as its corpus entry, with its count and line numbers.

use std::collections::BTreeMap;
use std::path::Path;

use agora_doctor::explain::log::read_log;
use agora_doctor::explain::lookup;
use serde_json::Value;

/// How a platform prints one line of its log.
fn wrap(sdk: &str, n: usize, line: &str) -> String {
    let t = format!("{:02}:{:02}:{:02}", 10 + n / 3600 % 10, n / 60 % 60, n % 60);
    match sdk {
        "android" | "react-native" => format!("12-09 {t}.078  4803  4803 E AndroidRuntime: {line}"),
        "flutter" => format!("E/flutter (16566): {line}"),
        s if s.starts_with("web") || s == "browser" => {
            format!("AgoraRTC_N.js:5 {t}:287 Agora-SDK [ERROR]: {line}")
        }
        // Native SDKs and the wrappers built on them write agorasdk.log.
        _ => format!("ERROR   ({t}:998 |    0)   9735; [rtc] {line}"),
    }
}

/// Quiet lines of every format, none of which is an error.
fn noise(n: usize) -> String {
    let t = format!("{:02}:{:02}:{:02}", 10 + n / 3600 % 10, n / 60 % 60, n % 60);
    match n % 5 {
        0 => format!("12-09 {t}.076  3105  3494 I AGORA_SDK: INFO    ({t}: 76 |    0)   3494; [tactics] config json version:20150101-0000"),
        1 => format!("I/flutter (16566): joinChannel voice-room uid={n}"),
        2 => format!("AgoraRTC_N.js:5 {t}:12 Agora-SDK [INFO]: [client-be997] connection state change: CONNECTING -> CONNECTED"),
        3 => format!("INFO    ({t}:948 |    0)   9735; [ap] GenericUniLbsRequest, flag: 65536, uid: 0, sid: F31B96BE90824AF48BBC94BA03B4BE12"),
        _ => format!("DEBUG   ({t}:79 |    1)   3494; [asr] api call report, too frequently, cache item {n}"),
    }
}

#[test]
fn every_error_in_a_mixed_android_flutter_web_native_log_is_found() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/explain-corpus/messages.jsonl");
    let text = std::fs::read_to_string(path).expect("corpus");
    let mut log = String::new();
    let mut line_no = 0usize;
    // entry key → line numbers where it was written
    let mut expected: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut sdks: BTreeMap<String, usize> = BTreeMap::new();
    for (k, item) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(item).expect("json");
        let (sdk, key, message) = (
            v["sdk"].as_str().expect("sdk"),
            v["expect"].as_str().expect("expect"),
            v["message"].as_str().expect("message"),
        );
        // Only what a program printed goes into a log; a developer's own sentence does not.
        if v["form"] != "output" {
            continue;
        }
        // The line of the paste that carries the error by itself (a multi-line paste's other
        // lines are stack frames or context).
        let Some(line) = message
            .lines()
            .map(str::trim)
            .find(|l| lookup(l).is_some_and(|e| e.key == key))
        else {
            continue;
        };
        for _ in 0..3 {
            line_no += 1;
            log.push_str(&noise(line_no + k));
            log.push('\n');
        }
        line_no += 1;
        log.push_str(&wrap(sdk, line_no, line));
        log.push('\n');
        expected.entry(key.to_string()).or_default().push(line_no);
        *sdks.entry(sdk.to_string()).or_default() += 1;
    }
    for platform in [
        "android", "flutter", "web-4.x", "ios", "rtm-1.x", "electron", "unity",
    ] {
        assert!(
            sdks.get(platform).copied().unwrap_or(0) >= 2,
            "the mixed log has too few {platform} lines: {sdks:?}"
        );
    }
    let total: usize = expected.values().map(Vec::len).sum();
    assert!(
        total >= 90,
        "only {total} error lines built from the corpus"
    );

    // Left for reading when this test fails.
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("explain-mixed.log");
    std::fs::write(&kept, &log).expect("write the mixed log");
    let report = read_log(log.as_bytes(), "mixed.log").expect("read");
    assert_eq!(report.lines as usize, line_no);
    let found: BTreeMap<&str, (u64, u64, u64)> = report
        .problems
        .iter()
        .map(|e| (e.key.as_str(), (e.count, e.first_line, e.last_line)))
        .collect();
    let mut missing = Vec::new();
    for (key, lines) in &expected {
        let want = (
            lines.len() as u64,
            *lines.first().expect("line") as u64,
            *lines.last().expect("line") as u64,
        );
        if found.get(key.as_str()) != Some(&want) {
            missing.push(format!(
                "{key}: expected (count, first, last) {want:?}, found {:?}",
                found.get(key.as_str())
            ));
        }
    }
    let extra: Vec<&&str> = found
        .keys()
        .filter(|k| !expected.contains_key(**k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{total} error lines; not found as written:\n{}\nreported but not written: {extra:?}",
        missing.join("\n")
    );
}
