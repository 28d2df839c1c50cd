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
