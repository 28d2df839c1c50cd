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
