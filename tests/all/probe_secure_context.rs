//! The pure secure-context verdict against every row verified in real Chromium 156
//! (`fixtures/secure_context/chromium-156.tsv`, from `docs/probe-facts.md#secure-context-verdicts`), plus the
//! findings and fixes the check shows.

use agora_doctor::probe::secure_context::{finding, judge, judge_frames, Flags, Verdict};
use agora_doctor::vocabulary::Status;

struct Row {
    line: usize,
    expected: String,
    kind: String,
    url: String,
    flags: Vec<String>,
}

fn rows() -> Vec<Row> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/secure_context/chromium-156.tsv"
    );
    let text = std::fs::read_to_string(path).expect("fixture readable");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 3, "line {}: {l:?}", i + 1);
            Row {
                line: i + 1,
                expected: cols[0].to_string(),
                kind: cols[1].to_string(),
                url: cols[2].to_string(),
                flags: cols
                    .get(3)
                    .map(|f| f.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn observed(verdict: Verdict) -> &'static str {
    match verdict.is_secure_context() {
        Some(true) => "true",
        Some(false) => "false",
        None => "blocked",
    }
}

#[test]
fn every_verified_chromium_verdict_is_reproduced() {
    let rows = rows();
    assert_eq!(rows.len(), 56, "the fixture lost or gained rows");
    let mut wrong = Vec::new();
    for row in &rows {
        let flags = Flags::parse(&row.flags);
        let judgement = match row.kind.as_str() {
            "top" => judge(&row.url, &flags),
            "frame" => {
                let chain: Vec<&str> = row.url.split(" => ").collect();
                judge_frames(&chain, &flags)
            }
            other => panic!("line {}: unknown kind {other}", row.line),
        }
        .unwrap_or_else(|e| panic!("line {}: {e}", row.line));
        if observed(judgement.verdict) != row.expected {
            wrong.push(format!(
                "line {}: {} {:?} expected {} got {:?} ({})",
                row.line, row.url, row.flags, row.expected, judgement.verdict, judgement.rule
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} rows differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn https_upgrade_is_a_conditional_verdict_not_a_plain_pass() {
    let j = judge("http://example.com/", &Flags::default()).unwrap();
    assert_eq!(j.verdict, Verdict::SecureIfUpgraded);
    let f = finding("http://example.com/", &Flags::default());
    assert_eq!(f.key, "probe.secure_context.https_upgrade");
    assert_eq!(f.status, Status::Warn);
    assert!(f.fix.unwrap().contains("https://example.com/"));
}

#[test]
fn lan_ip_fails_with_the_web_sdk_errors_and_the_fixes() {
    let f = finding("http://192.168.1.5:3000/", &Flags::default());
    assert_eq!(f.key, "probe.secure_context.insecure");
    assert_eq!(f.status, Status::Fail);
    let evidence = f.evidence.join("\n");
    assert!(evidence.contains("WEB_SECURITY_RESTRICT"), "{evidence}");
    assert!(
        evidence.contains("NOT_SUPPORTED: enumerateDevices() not supported"),
        "{evidence}"
    );
    let fix = f.fix.unwrap();
    assert!(
        fix.contains("https")
            && fix.contains("localhost")
            && fix.contains("--unsafely-treat-insecure-origin-as-secure")
    );
}

#[test]
fn the_rule_is_named() {
    let j = judge("http://[::ffff:127.0.0.1]/", &Flags::default()).unwrap();
    assert_eq!(j.verdict, Verdict::Insecure);
    assert!(j.rule.contains("::1"), "{}", j.rule);
    let j = judge("http://0x7f000001/", &Flags::default()).unwrap();
    assert!(j.rule.contains("127.0.0.0/8"), "{}", j.rule);
}

#[test]
fn localhost_passes_and_garbage_is_reported() {
    let f = finding("http://localhost:5173/", &Flags::default());
    assert_eq!(
        (f.key.as_str(), f.status),
        ("probe.secure_context.ok", Status::Pass)
    );
    let f = finding("::not a url::", &Flags::default());
    assert_eq!(f.key, "probe.secure_context.bad_url");
}
