//! The report rules of `common/consistency.rs`, which every `--json` document of the suite passes
//! through, catch what they are for: shown on documents shaped like the false verdicts they were
//! written against (a TLS pass with no answer, "valid until" beside an absolute expire, a passing
//! check with a failing finding, "problem(s)").

use crate::common::consistency::problems;
use serde_json::json;

#[test]
fn the_rules_catch_each_false_verdict() {
    let tls = json!({
        "schema": "agora-doctor/token-server/v1",
        "template": "https://nowhere.invalid/rtc/{channel}",
        "requests": [{"status": null, "findings": [
            {"key": "token_server.unreachable", "status": "fail", "summary": "no answer", "evidence": [], "fix": null}
        ]}],
        "browser": [
            {"key": "token_server.tls", "status": "pass", "summary": "https: TLS handshake and certificate accepted", "evidence": [], "fix": null}
        ]
    });
    assert_eq!(problems(&tls).len(), 1, "{:?}", problems(&tls));

    let token = json!({
        "schema": "agora-doctor/token/v2",
        "tokens": [{"findings": [
            {"key": "token.expired", "status": "pass", "summary": "token valid until 2075-05-12T00:00:00Z", "evidence": [], "fix": null},
            {"key": "token.expire_looks_absolute", "status": "fail", "summary": "expire is 1662489342 s", "evidence": [], "fix": null},
            {"key": "token.plus_became_space", "status": "fail", "summary": "1 `+` character(s) turned into spaces", "evidence": [], "fix": null}
        ]}]
    });
    let p = problems(&token);
    assert_eq!(p.len(), 2, "{p:?}");

    let probe = json!({
        "schema": "agora-doctor/probe/v2",
        "checks": [{"id": "network", "status": "pass", "summary": "2 problem(s)", "findings": [
            {"key": "probe.network.ok", "status": "pass", "summary": "UDP probe to x:3478 not sent", "evidence": [], "fix": null},
            {"key": "probe.network.ok", "status": "fail", "summary": "a:443: refused", "evidence": [], "fix": "pass --url http(s)://…"}
        ]}]
    });
    let p = problems(&probe);
    // a pass that was not done, a key both passing and failing, a passing check with a failing
    // finding, a parenthesised plural; `http(s)://` is not one.
    assert_eq!(p.len(), 4, "{p:?}");
}

#[test]
fn a_clean_document_keeps_every_rule() {
    let doc = json!({
        "schema": "agora-doctor/token/v2",
        "tokens": [{"findings": [
            {"key": "token.expired", "status": "pass", "summary": "token valid until 2026-11-25T01:00:00Z (in 30 min)", "evidence": [], "fix": null},
            {"key": "token.cannot_publish", "status": "skip", "summary": "no publish privileges (join only): publishing is refused only if co-host authentication is enabled for the project", "evidence": [], "fix": "pass --url http(s)://…"}
        ]}]
    });
    assert!(problems(&doc).is_empty(), "{:?}", problems(&doc));
}
