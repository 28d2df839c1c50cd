//! Rules every report the suite produces must keep, checked on each `--json` document that goes
//! through [`super::schema::parse_json_output`]: no `pass` for something that was not checked, no
//! two findings that contradict each other about one fact, and counted nouns from the one plural
//! helper (never "problem(s)").

use serde_json::Value;

/// Words a `pass` must never say: a pass is earned by a check that ran.
const NOT_DONE: &[&str] = &[
    "not checked",
    "not judged",
    "did not run",
    "not run",
    "no answer",
    "not reached",
    "not sent",
];

/// Each finding list of the document (with where it is), as a JSON array.
fn finding_lists<'a>(doc: &'a Value) -> Vec<(String, &'a Vec<Value>)> {
    let mut out = Vec::new();
    let mut push = |at: String, v: &'a Value| {
        if let Some(a) = v.as_array() {
            out.push((at, a));
        }
    };
    match doc["schema"].as_str().unwrap_or("") {
        s if s.starts_with("agora-doctor/token/") => {
            for (i, t) in doc["tokens"].as_array().into_iter().flatten().enumerate() {
                push(format!("tokens[{i}]"), &t["findings"]);
            }
        }
        s if s.starts_with("agora-doctor/token-server/") => {
            for (i, r) in doc["requests"].as_array().into_iter().flatten().enumerate() {
                push(format!("requests[{i}]"), &r["findings"]);
            }
            push("browser".into(), &doc["browser"]);
        }
        s if s.starts_with("agora-doctor/probe/") => {
            for c in doc["checks"].as_array().into_iter().flatten() {
                push(format!("checks.{}", c["id"]), &c["findings"]);
            }
        }
        s if s.starts_with("agora-doctor/report/") => {
            for c in doc["probe"]["checks"].as_array().into_iter().flatten() {
                push(format!("probe.checks.{}", c["id"]), &c["findings"]);
            }
        }
        _ => {}
    }
    out
}

/// A plural written with `(s)` after a word ("problem(s)"); `http(s)://` is a scheme, not a count.
fn parenthesised_plural(text: &str) -> bool {
    text.match_indices("(s)").any(|(at, _)| {
        let before = &text[..at];
        before.chars().last().is_some_and(char::is_alphabetic) && !before.ends_with("http")
    })
}

/// Every rule this document breaks, one line each.
pub fn problems(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (at, list) in finding_lists(doc) {
        for f in list {
            let status = f["status"].as_str().unwrap_or("");
            let summary = f["summary"].as_str().unwrap_or("");
            if status == "pass" {
                if let Some(w) = NOT_DONE.iter().find(|w| summary.contains(*w)) {
                    out.push(format!("{at}: a pass says {w:?}: {summary}"));
                }
            }
            let texts = std::iter::once(summary)
                .chain(
                    f["evidence"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str),
                )
                .chain(f["fix"].as_str());
            for t in texts {
                if parenthesised_plural(t) {
                    out.push(format!("{at}: a plural written with (s): {t}"));
                }
            }
        }
        // One fact, one verdict: a key may not both pass and fail in one list.
        for f in list.iter().filter(|f| f["status"] == "pass") {
            let key = &f["key"];
            if list
                .iter()
                .any(|g| g["key"] == *key && matches!(g["status"].as_str(), Some("fail" | "error")))
            {
                out.push(format!("{at}: {key} both passes and fails"));
            }
        }
        // A token whose lifetime field holds an absolute time has no "valid until" pass beside it.
        let absolute = list
            .iter()
            .any(|f| f["key"] == "token.expire_looks_absolute" && f["status"] == "fail");
        if absolute
            && list
                .iter()
                .any(|f| f["key"] == "token.expired" && f["status"] == "pass")
        {
            out.push(format!(
                "{at}: \"valid until\" passes beside an absolute expire"
            ));
        }
    }
    // token-server: TLS passes only when some request got an answer over it.
    if doc["schema"]
        .as_str()
        .is_some_and(|s| s.starts_with("agora-doctor/token-server/"))
    {
        let answered = doc["requests"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|r| !r["status"].is_null());
        let tls_pass = doc["browser"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["key"] == "token_server.tls" && f["status"] == "pass");
        let https = doc["template"]
            .as_str()
            .is_some_and(|t| t.starts_with("https:"));
        if https && tls_pass && !answered {
            out.push("token-server: TLS passes although no request got an answer".into());
        }
    }
    // probe: a check that passes holds no failing finding.
    let checks = doc["checks"]
        .as_array()
        .or_else(|| doc["probe"]["checks"].as_array());
    for c in checks.into_iter().flatten() {
        if c["status"] == "pass" {
            for f in c["findings"].as_array().into_iter().flatten() {
                if matches!(f["status"].as_str(), Some("fail" | "error")) {
                    out.push(format!(
                        "check {} passes with a failing finding: {}",
                        c["id"], f["summary"]
                    ));
                }
            }
        }
        if let Some(s) = c["summary"].as_str() {
            if parenthesised_plural(s) {
                out.push(format!("check {}: a plural written with (s): {s}", c["id"]));
            }
        }
    }
    out
}
