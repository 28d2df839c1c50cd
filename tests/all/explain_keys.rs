//! Every finding key another area cites has a catalog entry, so `agora-doctor explain <key>` works.

use agora_doctor::explain::{lookup, Kind};

/// The token finding keys of the shared contract (TEAM.md "Explain keys").
const CONTRACT_TOKEN_KEYS: &[&str] = &[
    "token.empty",
    "token.placeholder",
    "token.app_id_instead_of_token",
    "token.url_encoded",
    "token.plus_became_space",
    "token.embedded_whitespace",
    "token.truncated",
    "token.legacy_dynamic_key",
    "token.unknown_version",
    "token.base64url_alphabet",
    "token.missing_padding",
    "token.bad_base64",
    "token.bad_app_id",
    "token.bad_zlib",
    "token.bad_signature_length",
    "token.trailing_bytes",
    "token.bad_utf8",
    "token.surrounding_quotes",
    "token.surrounding_whitespace",
    "token.unknown_service",
    "token.channel_mismatch",
    "token.channel_name_invalid",
    "token.uid_mismatch",
    "token.uid_wildcard",
    "token.account_type_confusion",
    "token.app_id_mismatch",
    "token.expired",
    "token.privilege_expired",
    "token.not_yet_valid",
    "token.console_temporary",
    "token.expire_zero",
    "token.expire_too_long",
    "token.expire_looks_absolute",
    "token.privilege_before_token_issue",
    "token.cannot_publish",
    "token.no_rtc_service",
    "token.signature_invalid",
    "token.signature_valid",
    "token.signature_unchecked",
    "token.certificate_on_command_line",
    "token.json_escaped",
    "token.wrapped",
    "token.pasted_twice",
    "token.masked",
    "token.jwt",
    "token.other_vendor",
    "token.no_rtm_service",
    "token.service_missing",
];

fn assert_documented(keys: &[&str]) {
    let missing: Vec<&&str> = keys
        .iter()
        .filter(|k| lookup(k).is_none_or(|e| e.key != **k))
        .collect();
    assert!(
        missing.is_empty(),
        "keys without a catalog entry: {missing:?}"
    );
}

#[test]
fn every_contract_token_key_has_an_entry() {
    assert_documented(CONTRACT_TOKEN_KEYS);
    for k in CONTRACT_TOKEN_KEYS {
        assert_eq!(lookup(k).map(|e| e.kind), Some(Kind::Finding), "{k}");
    }
}

#[test]
fn every_key_the_token_core_can_emit_has_an_entry() {
    assert!(!agora_token_core::FINDING_KEYS.is_empty());
    assert_documented(agora_token_core::FINDING_KEYS);
}

#[test]
fn the_contract_list_and_the_token_core_agree() {
    let mut a: Vec<&str> = CONTRACT_TOKEN_KEYS.to_vec();
    let mut b: Vec<&str> = agora_token_core::FINDING_KEYS.to_vec();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(
        a, b,
        "TEAM.md's token keys and agora_token_core::FINDING_KEYS differ"
    );
}

/// Every `"token.…"` or `"probe.<check>.<what>"` string literal in the sources of the tool.
fn cited_keys() -> Vec<(String, String)> {
    let re = regex::Regex::new(r#""((?:token\.[a-z0-9_]+)|(?:probe\.[a-z0-9_]+\.[a-z0-9_]+))""#)
        .expect("regex");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("src"), root.join("token-core/src")];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for f in rd.flatten() {
            let p = f.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).expect("source file");
                for c in re.captures_iter(&text) {
                    let key = c[1].to_string();
                    // file names such as "token.rs" are not keys
                    let last = key.rsplit('.').next().unwrap_or_default();
                    if ["rs", "md", "json", "jsonl", "txt", "tsv"].contains(&last) {
                        continue;
                    }
                    out.push((key, p.display().to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn every_key_cited_in_the_sources_has_an_entry() {
    let missing: Vec<String> = cited_keys()
        .into_iter()
        .filter(|(k, _)| lookup(k).is_none_or(|e| &e.key != k))
        .map(|(k, file)| format!("{k} (cited in {file})"))
        .collect();
    assert!(
        missing.is_empty(),
        "cited keys without a catalog entry (add src/explain/catalog/<key>.md and register it): {missing:#?}"
    );
}
