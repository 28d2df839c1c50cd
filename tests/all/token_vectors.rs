//! Every vector of fixtures/vectors/tokens.jsonl (a copy of the research vectors): decoded fields,
//! signature verdicts, CRC matches, wrong certificates, expiry at each instant, byte-identical
//! rebuilds, and the malformed cases' diagnosis codes and repairs.

use agora_token_core::*;
use serde_json::{json, Map, Value};

fn vectors() -> Vec<Value> {
    let text = include_str!("../../fixtures/vectors/tokens.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn privs(ps: &[Privilege]) -> Value {
    let mut m = Map::new();
    for p in ps {
        m.insert(p.id.to_string(), json!(p.value));
    }
    Value::Object(m)
}

/// Our decoded token in the vector file's `decoded` shape.
fn as_vector_json(t: &Token) -> Value {
    match t {
        Token::V006(t) => json!({
            "version": "006",
            "app_id": t.app_id,
            "signature_hex": hex::encode(&t.signature),
            "crc_channel_name": t.crc_channel_name,
            "crc_uid": t.crc_uid,
            "salt": t.salt,
            "ts": t.ts,
            "privileges": privs(&t.privileges),
        }),
        Token::V007(t) => {
            let services: Vec<Value> = t
                .services
                .iter()
                .map(|s| {
                    let mut v = json!({"type": s.service_type, "name": s.name, "privileges": privs(&s.privileges)});
                    let o = v.as_object_mut().unwrap();
                    match &s.fields {
                        ServiceFields::Rtc { channel, uid } => {
                            o.insert("channel".into(), json!(channel));
                            o.insert("uid".into(), json!(uid));
                        }
                        ServiceFields::Rtm { user_id } | ServiceFields::Chat { user_id } => {
                            o.insert("user_id".into(), json!(user_id));
                        }
                        ServiceFields::Streaming { channel, account } | ServiceFields::Fcdn { channel, account } => {
                            o.insert("channel".into(), json!(channel));
                            o.insert("account".into(), json!(account));
                        }
                        ServiceFields::Apaas { room_uuid, user_uuid, role } => {
                            o.insert("room_uuid".into(), json!(room_uuid));
                            o.insert("user_uuid".into(), json!(user_uuid));
                            o.insert("role".into(), json!(role));
                        }
                        ServiceFields::Rtm2 { user_id, permissions } => {
                            o.insert("user_id".into(), json!(user_id));
                            let mut pm = Map::new();
                            for r in permissions {
                                let mut inner = Map::new();
                                for p in &r.permissions {
                                    inner.insert(p.permission_type.to_string(), json!(p.names));
                                }
                                pm.insert(r.resource_type.to_string(), Value::Object(inner));
                            }
                            o.insert("permissions".into(), Value::Object(pm));
                        }
                        ServiceFields::Fpa | ServiceFields::ConvoAi | ServiceFields::Stt => {}
                    }
                    v
                })
                .collect();
            let mut v = json!({
                "version": "007",
                "app_id": t.app_id,
                "signature_hex": hex::encode(&t.signature),
                "issue_ts": t.issue_ts,
                "expire": t.expire,
                "salt": t.salt,
                "service_count": t.service_count,
                "services": services,
                "zlib_header_hex": hex::encode(&t.zlib_header),
            });
            if let Some(u) = &t.unknown_service {
                v.as_object_mut().unwrap().insert(
                    "unknown_service".into(),
                    json!({"type": u.service_type, "unparsed_bytes": u.undecoded_bytes}),
                );
            }
            v
        }
    }
}

/// The uid text of a vector's inputs: numeric uid (0 → ""), or the account verbatim.
fn input_uid_text(inputs: &Value) -> Option<String> {
    if let Some(a) = inputs.get("account").and_then(Value::as_str) {
        return Some(a.to_string());
    }
    let n = inputs.get("uid")?.as_u64()?;
    Some(if n == 0 { String::new() } else { n.to_string() })
}

fn verify_with(t: &Token, cert: &str, inputs: &Value) -> bool {
    match t {
        Token::V006(t) => {
            let ch = inputs["channel"]
                .as_str()
                .expect("006 vector has a channel");
            let uid = input_uid_text(inputs).unwrap_or_default();
            verify_006(t, cert, ch, &uid)
        }
        Token::V007(t) => verify_007(t, cert),
    }
}

fn check_expiry(name: &str, t: &Token, expected: &Value) {
    for e in expected["expiry"].as_array().unwrap() {
        let at = e["at"].as_u64().unwrap();
        assert_eq!(
            t.is_expired(at),
            e["token_expired"].as_bool().unwrap(),
            "{name}: token expiry at {at}"
        );
        match t {
            Token::V006(t6) => {
                for (id, want) in e["privileges_expired"].as_object().unwrap() {
                    let p = t6
                        .privileges
                        .iter()
                        .find(|p| p.id.to_string() == *id)
                        .unwrap();
                    assert_eq!(
                        t6.privilege_expired(p, at),
                        want.as_bool().unwrap(),
                        "{name}: privilege {id} at {at}"
                    );
                }
            }
            Token::V007(t7) => {
                let svcs = e["services"].as_array().unwrap();
                assert_eq!(
                    svcs.len(),
                    t7.services.len(),
                    "{name}: services in expiry at {at}"
                );
                for (sv, s) in svcs.iter().zip(&t7.services) {
                    assert_eq!(sv["type"].as_u64().unwrap(), u64::from(s.service_type));
                    let m = sv["privileges_expired"].as_object().unwrap();
                    assert_eq!(m.len(), s.privileges.len(), "{name}: privilege count");
                    for (id, want) in m {
                        let p = s
                            .privileges
                            .iter()
                            .find(|p| p.id.to_string() == *id)
                            .unwrap();
                        assert_eq!(
                            t7.privilege_expired(p, at),
                            want.as_bool().unwrap(),
                            "{name}: {} privilege {id} at {at}",
                            s.name
                        );
                    }
                }
            }
        }
    }
}

/// The stock-zlib string a byte-identical builder must produce.
fn c_zlib_token(v: &Value) -> Option<&str> {
    match v["deflate_encoder"].as_str() {
        Some("zlib-c-default") => v["token"].as_str(),
        _ => v.get("token_zlib_c_default").and_then(Value::as_str),
    }
}

#[test]
fn vector_file_has_every_kind() {
    let vs = vectors();
    assert_eq!(vs.len(), 142);
    let count = |k: &str| vs.iter().filter(|v| v["kind"] == k).count();
    assert_eq!(
        (count("official"), count("generated"), count("malformed")),
        (40, 53, 49)
    );
}

#[test]
fn official_and_generated_vectors_decode_verify_and_expire_as_recorded() {
    let mut checked = 0;
    for v in vectors().iter().filter(|v| v["kind"] != "malformed") {
        let name = v["name"].as_str().unwrap();
        let token = v["token"].as_str().unwrap();
        let t = decode(token).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(as_vector_json(&t), v["decoded"], "{name}: decoded fields");
        let d = diagnose(token);
        assert_eq!(d.code, Code::Ok, "{name}: diagnosis");
        let inputs = &v["inputs"];
        let expected = &v["expected"];
        if let Some(cert) = inputs.get("app_certificate").and_then(Value::as_str) {
            assert_eq!(
                verify_with(&t, cert, inputs),
                expected["signature_valid"].as_bool().unwrap(),
                "{name}: signature"
            );
            for wrong in expected["wrong_certificates"].as_array().unwrap() {
                assert!(
                    !verify_with(&t, wrong.as_str().unwrap(), inputs),
                    "{name}: wrong certificate {wrong} verified"
                );
            }
        } else {
            assert!(
                expected["signature_valid"].is_null(),
                "{name}: no certificate but a verdict"
            );
        }
        if let Token::V006(t6) = &t {
            let ch = inputs["channel"].as_str().unwrap();
            assert_eq!(
                crc32(ch) == t6.crc_channel_name,
                expected["channel_crc_match"].as_bool().unwrap(),
                "{name}"
            );
            let uid = input_uid_text(inputs).unwrap_or_default();
            assert_eq!(
                crc32(&uid) == t6.crc_uid,
                expected["uid_crc_match"].as_bool().unwrap(),
                "{name}"
            );
        }
        check_expiry(name, &t, expected);
        checked += 1;
    }
    assert_eq!(checked, 93);
}

#[test]
fn rebuilding_every_vector_with_a_certificate_is_byte_identical() {
    let mut rebuilt = 0;
    for v in vectors().iter().filter(|v| v["kind"] != "malformed") {
        let name = v["name"].as_str().unwrap();
        let inputs = &v["inputs"];
        let Some(cert) = inputs.get("app_certificate").and_then(Value::as_str) else {
            continue;
        };
        let t = decode(v["token"].as_str().unwrap()).unwrap();
        match &t {
            Token::V006(t6) => {
                let uid = input_uid_text(inputs).unwrap_or_default();
                let got = build_006(&Build006 {
                    app_id: inputs["app_id"].as_str().unwrap(),
                    certificate: cert,
                    channel: inputs["channel"].as_str().unwrap(),
                    uid_text: &uid,
                    salt: inputs["salt"].as_u64().unwrap() as u32,
                    ts: inputs["ts"].as_u64().unwrap() as u32,
                    privileges: t6.privileges.iter().map(|p| (p.id, p.value)).collect(),
                })
                .unwrap();
                assert_eq!(got, v["token"].as_str().unwrap(), "{name}: 006 rebuild");
            }
            Token::V007(t7) => {
                assert_eq!(u64::from(t7.salt), inputs["salt"].as_u64().unwrap());
                assert_eq!(u64::from(t7.issue_ts), inputs["issue_ts"].as_u64().unwrap());
                let want =
                    c_zlib_token(v).unwrap_or_else(|| panic!("{name}: no stock-zlib string"));
                assert_eq!(rebuild_007(t7, cert).unwrap(), want, "{name}: 007 rebuild");
            }
        }
        rebuilt += 1;
    }
    assert_eq!(rebuilt, 92, "every vector with a recorded certificate");
}

fn role(s: &str) -> Role {
    match s {
        "publisher" => Role::Publisher,
        "subscriber" => Role::Subscriber,
        "attendee" => Role::Attendee,
        "admin" => Role::Admin,
        other => panic!("role {other}"),
    }
}

/// The official builder APIs (RtcTokenBuilder / RtmTokenBuilder), fed the recorded arguments, clock
/// and salt, reproduce the recorded tokens.
#[test]
fn builder_apis_reproduce_generated_vectors() {
    let mut matched = 0;
    for v in vectors().iter().filter(|v| v["kind"] == "generated") {
        let name = v["name"].as_str().unwrap();
        let src = &v["source"];
        if src["reproducible"] != true {
            continue;
        }
        let api = src["api"].as_str().unwrap();
        let args = &src["args"];
        let inputs = &v["inputs"];
        let app = inputs["app_id"].as_str().unwrap();
        let cert = inputs["app_certificate"].as_str().unwrap();
        let clock = src["fixed_clock"].as_u64().unwrap() as u32;
        let salt = src["fixed_salt"].as_u64().unwrap() as u32;
        let uid = || match args.get("uid") {
            Some(n) => {
                let n = n.as_u64().unwrap();
                if n == 0 {
                    String::new()
                } else {
                    n.to_string()
                }
            }
            None => args["account"].as_str().unwrap().to_string(),
        };
        let got = match (v["version"].as_str().unwrap(), api) {
            (
                "007",
                "RtcTokenBuilder.buildTokenWithUid" | "RtcTokenBuilder.buildTokenWithUserAccount",
            ) => rtc_007(
                app,
                cert,
                args["channel"].as_str().unwrap(),
                &uid(),
                role(args["role"].as_str().unwrap()),
                clock,
                args["tokenExpire"].as_u64().unwrap() as u32,
                args["privilegeExpire"].as_u64().unwrap() as u32,
                salt,
            ),
            ("007", "RtmTokenBuilder.buildToken") => rtm_007(
                app,
                cert,
                args["userId"].as_str().unwrap(),
                clock,
                args["expire"].as_u64().unwrap() as u32,
                salt,
            ),
            (
                "006",
                "RtcTokenBuilder.buildTokenWithUid" | "RtcTokenBuilder.buildTokenWithAccount",
            ) => rtc_006(
                app,
                cert,
                args["channel"].as_str().unwrap(),
                &uid(),
                role(args["role"].as_str().unwrap()),
                clock,
                args["privilegeExpiredTs"].as_u64().unwrap() as u32,
                salt,
            ),
            ("006", "RtmTokenBuilder.buildToken") => rtm_006(
                app,
                cert,
                args["account"].as_str().unwrap(),
                clock,
                args["privilegeExpiredTs"].as_u64().unwrap() as u32,
                salt,
            ),
            _ => continue,
        }
        .unwrap();
        let want = if v["version"] == "006" {
            v["token"].as_str()
        } else {
            c_zlib_token(v)
        };
        assert_eq!(Some(got.as_str()), want, "{name}: {api}");
        matched += 1;
    }
    assert_eq!(matched, 38, "builder calls reproduced");
}

#[test]
fn malformed_vectors_get_their_code_and_repair() {
    for v in vectors().iter().filter(|v| v["kind"] == "malformed") {
        let name = v["name"].as_str().unwrap();
        let e = &v["expected"];
        let d = diagnose(v["token"].as_str().unwrap());
        assert_eq!(
            d.code.as_str(),
            e["error"].as_str().unwrap(),
            "{name}: code ({})",
            d.detail
        );
        assert_eq!(
            d.repaired.as_deref(),
            e["repaired_token"].as_str(),
            "{name}: repair"
        );
        if d.repaired.is_some() {
            assert!(
                d.token.is_some(),
                "{name}: a repaired token is decoded and shown"
            );
        }
        let Some(inputs) = v.get("inputs") else {
            continue;
        };
        let t = d
            .token
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: verdicts need a decoded token"));
        if let Some(want) = e.get("signature_valid").and_then(Value::as_bool) {
            let cert = inputs["app_certificate"].as_str().unwrap();
            assert_eq!(verify_with(t, cert, inputs), want, "{name}: signature");
        }
        if let Token::V006(t6) = t {
            if let Some(want) = e.get("channel_crc_match").and_then(Value::as_bool) {
                assert_eq!(
                    crc32(inputs["channel"].as_str().unwrap()) == t6.crc_channel_name,
                    want,
                    "{name}"
                );
            }
            if let Some(want) = e.get("uid_crc_match").and_then(Value::as_bool) {
                assert_eq!(
                    crc32(&input_uid_text(inputs).unwrap()) == t6.crc_uid,
                    want,
                    "{name}"
                );
            }
        }
    }
}

/// Every malformed vector, checked as a new user would (with the recorded channel, uid and
/// certificate where there are any), ends with at least one failing finding keyed from the contract.
#[test]
fn malformed_vectors_always_fail_with_contract_keys() {
    for v in vectors().iter().filter(|v| v["kind"] == "malformed") {
        let name = v["name"].as_str().unwrap();
        let mut exp = Expectation::default();
        if let Some(inputs) = v.get("inputs") {
            exp.channel = inputs["channel"].as_str().map(str::to_string);
            exp.certificate = inputs["app_certificate"].as_str().map(str::to_string);
            exp.user = match (inputs.get("uid"), inputs.get("account")) {
                (Some(n), _) => Some(User::Uid(n.as_u64().unwrap())),
                (_, Some(a)) => Some(User::Account(a.as_str().unwrap().into())),
                _ => None,
            };
        }
        let c = check(v["token"].as_str().unwrap(), &exp, 1_795_564_900);
        assert!(
            c.findings.iter().any(|f| f.status.fails(false)),
            "{name}: nothing failed: {:#?}",
            c.findings
        );
        for f in &c.findings {
            assert!(
                FINDING_KEYS.contains(&f.key.as_str()),
                "{name}: key {} not in the contract",
                f.key
            );
        }
    }
}
