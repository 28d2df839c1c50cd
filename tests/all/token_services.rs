//! RTM and Chat tokens made by Agora's official builders (every such vector of
//! fixtures/vectors/tokens.jsonl: 006 RtmTokenBuilder, 007 RtmTokenBuilder, ChatTokenBuilder, RTM2
//! and the multi-service builders) are verified through `agora-doctor token --service … --account …`,
//! and a wrong account, a wrong certificate and an RTC-only token for RTM are each named.

use crate::common;

use common::{doctor, vectors};
use serde_json::Value;

/// (vector name, token, service, user id, now, certificate)
type Case = (String, String, &'static str, String, u64, Option<String>);

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for v in vectors().into_iter().filter(|v| v["kind"] != "malformed") {
        let name = v["name"].as_str().unwrap().to_string();
        let token = v["token"].as_str().unwrap().to_string();
        let inputs = &v["inputs"];
        let cert = inputs["app_certificate"].as_str().map(str::to_string);
        let d = &v["decoded"];
        if inputs["service"] == "rtm" {
            let user = inputs["rtm_user_id"].as_str().unwrap().to_string();
            let now = d["ts"].as_u64().unwrap() - 60;
            out.push((name, token, "rtm", user, now, cert));
            continue;
        }
        let Some(services) = d["services"].as_array() else {
            continue;
        };
        let now = d["issue_ts"].as_u64().unwrap_or(0) + 1;
        for s in services {
            let service = match s["name"].as_str().unwrap() {
                "rtm" | "rtm2" => "rtm",
                "chat" => "chat",
                _ => continue,
            };
            let user = s["user_id"].as_str().unwrap().to_string();
            out.push((
                name.clone(),
                token.clone(),
                service,
                user,
                now,
                cert.clone(),
            ));
        }
    }
    out
}

fn run(token: &str, service: &str, user: &str, now: u64, cert: Option<&str>) -> (i32, Value) {
    let mut cmd = doctor();
    cmd.args([
        "token",
        "--json",
        "--service",
        service,
        "--now",
        &now.to_string(),
    ]);
    if !user.is_empty() {
        cmd.args(["--account", user]);
    }
    if let Some(c) = cert {
        cmd.env("AGORA_APP_CERTIFICATE", c);
    }
    let out = cmd.arg("--").arg(token).output().unwrap();
    let doc = common::schema::parse_json_output(&out.stdout);
    (out.status.code().unwrap_or(-1), doc)
}

fn status_of(doc: &Value, key: &str) -> Vec<String> {
    doc["tokens"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["key"] == key)
        .map(|f| f["status"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn official_rtm_and_chat_tokens_verify_for_their_service_and_account() {
    let cases = cases();
    let rtm = cases.iter().filter(|c| c.2 == "rtm").count();
    let chat = cases.iter().filter(|c| c.2 == "chat").count();
    assert!(rtm >= 20 && chat >= 15, "{rtm} RTM and {chat} Chat cases");
    let failures =
        common::errors_on_two_threads(&cases, |(name, token, service, user, now, cert)| {
            let what = format!("{name} --service {service} --account {user:?}");
            let (_, doc) = run(token, service, user, *now, cert.as_deref());
            if status_of(&doc, "token.uid_mismatch") != ["pass"] {
                return Err(format!("{what}: user id not matched: {doc:#}"));
            }
            for key in [
                "token.no_rtm_service",
                "token.service_missing",
                "token.no_rtc_service",
                "token.expired",
            ] {
                if status_of(&doc, key).iter().any(|s| s == "fail") {
                    return Err(format!("{what}: {key} failed"));
                }
            }
            if cert.is_some() && status_of(&doc, "token.signature_valid") != ["pass"] {
                return Err(format!("{what}: signature not verified: {doc:#}"));
            }
            if user.is_empty() {
                return Ok(());
            }
            // The same token for another user, and under the certificate in the other letter case.
            let (code, doc) = run(token, service, &format!("{user}x"), *now, cert.as_deref());
            if code != 1 || status_of(&doc, "token.uid_mismatch") != ["fail"] {
                return Err(format!("{what}: another account was not refused"));
            }
            if let Some(c) = cert {
                let other_case = if c.to_lowercase() == *c {
                    c.to_uppercase()
                } else {
                    c.to_lowercase()
                };
                let (code, doc) = run(token, service, user, *now, Some(&other_case));
                if code != 1
                    || !status_of(&doc, "token.signature_invalid").contains(&"fail".to_string())
                {
                    return Err(format!("{what}: a wrong certificate verified"));
                }
            }
            Ok(())
        });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_rtc_token_used_for_rtm_is_named_and_the_reverse() {
    for v in vectors() {
        let name = v["name"].as_str().unwrap();
        let token = v["token"].as_str().unwrap();
        if name == "official/007/rtc-join-uid2882341273/zlib-c-default"
            || name == "official/006/rtc-join-uid2882341273"
        {
            let (code, doc) = run(token, "rtm", "2882341273", 1_111_112, None);
            assert_eq!(code, 1, "{name}");
            assert_eq!(
                status_of(&doc, "token.no_rtm_service"),
                ["fail"],
                "{name}: {doc:#}"
            );
        }
        if name == "official/007/rtm-test_user/zlib-c-default"
            || name == "official/006/rtm-login-test_user"
        {
            let out = doctor()
                .args([
                    "token",
                    "--json",
                    "--channel",
                    "demo",
                    "--now",
                    "1111000",
                    "--",
                    token,
                ])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{name}");
            let doc = common::schema::parse_json_output(&out.stdout);
            let f = doc["tokens"][0]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["key"] == "token.no_rtc_service")
                .unwrap_or_else(|| panic!("{name}: {doc:#}"));
            assert_eq!(f["status"], "fail");
            assert!(
                f["summary"].as_str().unwrap().contains("RTM"),
                "{name}: {f}"
            );
        }
    }
}
