//! Tokens from the wild (fixtures/tokens-wild/corpus.jsonl): every genuine token decodes with its
//! version and App ID, every damaged paste and impostor is named, with the library and through
//! `agora-doctor token - --json`.

use crate::common;

use agora_token_core::{examine, Code, Expectation};
use serde_json::Value;

fn corpus() -> Vec<Value> {
    include_str!("../../fixtures/tokens-wild/corpus.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn kind(v: &Value) -> &str {
    v["kind"].as_str().unwrap()
}

#[test]
fn corpus_has_forty_linked_genuine_tokens_and_every_shape() {
    let c = corpus();
    let genuine = c.iter().filter(|v| kind(v) == "genuine").count();
    assert!(genuine >= 40, "{genuine} genuine tokens");
    for v in &c {
        let link = v["link"].as_str().unwrap();
        assert!(link.starts_with("https://"), "{}: {link}", v["name"]);
    }
    let codes: Vec<&str> = c
        .iter()
        .filter_map(|v| v["expect"]["code"].as_str())
        .collect();
    for want in [
        "json_escaped",
        "wrapped",
        "pasted_twice",
        "masked",
        "truncated",
        "jwt",
        "other_vendor",
        "app_id_instead_of_token",
    ] {
        assert!(codes.contains(&want), "no {want} item");
    }
}

#[test]
fn library_decodes_genuine_and_names_the_rest() {
    let mut failures = Vec::new();
    for v in corpus() {
        let name = v["name"].as_str().unwrap();
        let input = v["input"].as_str().unwrap();
        let e = &v["expect"];
        let d = examine(input);
        match kind(&v) {
            "genuine" => {
                let ok = d.code == Code::Ok
                    && d.token.as_ref().is_some_and(|t| {
                        t.version() == e["version"].as_str().unwrap()
                            && t.app_id() == e["app_id"].as_str().unwrap()
                    });
                if !ok {
                    failures.push(format!("{name}: {:?} {}", d.code, d.detail));
                }
            }
            "damaged" => {
                if d.code.as_str() != e["code"].as_str().unwrap()
                    || d.repaired.as_deref() != e["repaired"].as_str()
                {
                    failures.push(format!(
                        "{name}: got {} ({}) repaired {:?}",
                        d.code.as_str(),
                        d.detail,
                        d.repaired.as_deref().map(|r| &r[..r.len().min(20)])
                    ));
                }
            }
            _ => {
                let says = e["says"].as_str().unwrap();
                if d.code.as_str() != e["code"].as_str().unwrap() || !d.detail.contains(says) {
                    failures.push(format!("{name}: got {} ({})", d.code.as_str(), d.detail));
                }
            }
        }
        // Whatever it is, a paste that is not a clean token never passes as one.
        if kind(&v) != "genuine" {
            let c = agora_token_core::check(input, &Expectation::default(), 1_700_000_000);
            if !c.findings.iter().any(|f| f.status.fails(false)) {
                failures.push(format!("{name}: no failing finding"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_cli_reads_every_paste_from_stdin() {
    let c = corpus();
    let stdin: String = c
        .iter()
        .map(|v| format!("{}\n", v["input"].as_str().unwrap()))
        .collect();
    let out = common::doctor()
        .args(["token", "-", "--json", "--now", "2026-11-25T00:00:00Z"])
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "expired and damaged tokens fail"
    );
    let doc = common::schema::parse_json_output(&out.stdout);
    let tokens = doc["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), c.len());
    for (v, t) in c.iter().zip(tokens) {
        let name = v["name"].as_str().unwrap();
        let e = &v["expect"];
        match kind(v) {
            "genuine" => {
                assert_eq!(t["diagnosis"]["code"], "ok", "{name}");
                assert_eq!(t["decoded"]["version"], e["version"], "{name}");
                assert_eq!(t["decoded"]["app_id"], e["app_id"], "{name}");
            }
            _ => {
                assert_eq!(t["diagnosis"]["code"], e["code"], "{name}");
                assert_eq!(t["verdict"], "fail", "{name}");
            }
        }
    }
}

/// The genuine tokens through `token - --json` with `extra` arguments: each token's
/// `token.cannot_publish` status (`None` when the token has no such finding).
fn publish_verdicts(extra: &[&str]) -> Vec<(String, Option<String>)> {
    let genuine: Vec<Value> = corpus()
        .into_iter()
        .filter(|v| kind(v) == "genuine")
        .collect();
    let stdin: String = genuine
        .iter()
        .map(|v| format!("{}\n", v["input"].as_str().unwrap()))
        .collect();
    let out = common::doctor()
        .args(["token", "-", "--json", "--now", "2026-11-25T00:00:00Z"])
        .args(extra)
        .write_stdin(stdin)
        .output()
        .unwrap();
    let doc = common::schema::parse_json_output(&out.stdout);
    genuine
        .iter()
        .zip(doc["tokens"].as_array().unwrap())
        .map(|(v, t)| {
            let status = t["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["key"] == "token.cannot_publish")
                .map(|f| f["status"].as_str().unwrap().to_string());
            (v["name"].as_str().unwrap().to_string(), status)
        })
        .collect()
}

/// Regression: 36 of the 41 genuine tokens (Console temporary tokens among them) were warned
/// "cannot publish", although a join-only token publishes unless the project enables co-host
/// authentication (off by default). Only the user saying so (`--cohost-auth`, `--role publisher`)
/// makes it a failure.
#[test]
fn genuine_join_only_tokens_are_not_warned_unless_cohost_authentication_is_said() {
    let default = publish_verdicts(&[]);
    assert!(default.len() >= 40);
    let blamed: Vec<&String> = default
        .iter()
        .filter(|(_, s)| matches!(s.as_deref(), Some("warn" | "fail")))
        .map(|(n, _)| n)
        .collect();
    assert!(blamed.is_empty(), "blamed without reason: {blamed:?}");
    let join_only: Vec<&String> = default
        .iter()
        .filter(|(_, s)| s.as_deref() == Some("skip"))
        .map(|(n, _)| n)
        .collect();
    assert!(
        join_only.len() >= 30,
        "the corpus's join-only tokens are described: {default:?}"
    );
    for flag in [&["--cohost-auth"][..], &["--role", "publisher"]] {
        let strict = publish_verdicts(flag);
        for (name, status) in &strict {
            if join_only.contains(&name) {
                assert_eq!(status.as_deref(), Some("fail"), "{flag:?}: {name}");
            }
        }
    }
}
