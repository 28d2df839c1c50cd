//! The seed article's troubleshooting list (errors.md §3-§5, the `seed article` rows of errors.tsv):
//! each console message, pasted as a whole line, gives the entry and fix the article found.

use agora_doctor::explain::{lookup, resolve, MatchedBy};

/// (pasted line, expected entry, words the fix or causes must contain)
const SEED: &[(&str, &str, &[&str])] = &[
    (
        "AgoraRTCError NOT_SUPPORTED: enumerateDevices() not supported.",
        "msg.enumerate_devices_not_supported",
        &["https", "localhost"],
    ),
    (
        "AgoraRTCError WEB_SECURITY_RESTRICT: Your context is limited by web security, please try using https protocol or localhost.",
        "web.web_security_restrict",
        &["https", "localhost"],
    ),
    (
        "AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic use static key",
        "ap.dynamic_use_static_key",
        &["token", "third"],
    ),
    (
        "AgoraRTCError INVALID_PARAMS: Invalid token: . If you don not use token, set it to null",
        "msg.invalid_token_param",
        &["null"],
    ),
    (
        "Choose server https://webrtc2-ap-web-1.agora.io/api/v1 failed, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired, retry: false",
        "ap.dynamic_key_expired",
        &["new token", "renewToken"],
    ),
    (
        "AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: invalid token, authorized failed",
        "ap.no_authorized",
        &["same channel string", "uid"],
    ),
    (
        "AgoraRTCError INVALID_OPERATION: Can't publish stream, haven't joined yet!",
        "msg.publish_before_join",
        &["await client.join", "CONNECTED"],
    ),
    (
        "TypeError: Cannot read property 'remove' of null",
        "msg.remove_of_null",
        &["?.remove()", "user-published"],
    ),
];

#[test]
fn each_seed_message_gives_the_articles_entry_and_fix() {
    for (line, key, words) in SEED {
        let e = lookup(line).unwrap_or_else(|| panic!("no entry for {line:?}"));
        assert_eq!(e.key, *key, "{line}");
        for w in *words {
            assert!(e.fix.contains(w), "{key}: fix lacks {w:?}: {}", e.fix);
        }
    }
}

#[test]
fn seed_causes_name_the_articles_case_first() {
    // The article's own cause is the most likely one, so it is listed first.
    for (line, key, _) in SEED {
        let e = lookup(line).expect("entry");
        assert!(
            e.causes[0].contains("seed article"),
            "{key}: first cause is not the seed article's: {}",
            e.causes[0]
        );
    }
}

#[test]
fn seed_lines_pasted_with_their_console_prefix_still_resolve() {
    for (line, key, _) in SEED {
        let pasted = format!("14:55:14:88 Agora-SDK [ERROR]: [client-42fb7] {line}");
        assert_eq!(
            lookup(&pasted).map(|e| e.key.as_ref()),
            Some(*key),
            "{pasted}"
        );
    }
}

#[test]
fn the_gateway_reason_beats_the_generic_code_in_every_sdk_version() {
    let shapes = [
        // 4.0-4.6
        "Agora-SDK [WARNING]: [client-42fb7] Choose server https://webrtc2-ap-web-3.agora.io/api/v1 failed, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired, retry: false",
        // 4.7 and later, wrapped
        "15:54:58:287 Agora-SDK [ERROR]: [client-be997] join number: 1, Joining channel failed, rollback AgoraRTCException: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: flag: 4096, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired",
        // reconnect loop
        "[gateway-client-42fb7] reconnect failed AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired data: {\"retry\":false}",
        // 3.x
        "Agora-SDK [ERROR]: [4A5DB] Get server node failed [DYNAMIC_KEY_EXPIRED] https://webrtc2-ap-web-1.agora.io/api/v1 DYNAMIC_KEY_EXPIRED",
        // object dump
        "{name: \"AgoraRTCException\", code: \"CAN_NOT_GET_GATEWAY_SERVER\", message: \"AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired\", data: {retry: false}}",
    ];
    for line in shapes {
        let r = resolve(line).expect(line);
        assert_eq!(r.matched_by, MatchedBy::Line, "{line}");
        assert_eq!(r.entries[0].key, "ap.dynamic_key_expired", "{line}");
    }
    // Without a known reason, the generic code is the answer.
    assert_eq!(
        lookup("AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: flag: 4096, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: something new").map(|e| e.key.as_ref()),
        Some("web.can_not_get_gateway_server")
    );
}

#[test]
fn several_services_joined_with_a_bar_each_get_their_entry() {
    let line = "AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: flag: 4096, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic use static key | flag: 1048576, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: no active status";
    let keys: Vec<&str> = resolve(line)
        .expect("resolves")
        .entries
        .iter()
        .map(|e| e.key.as_ref())
        .collect();
    assert_eq!(keys, ["ap.dynamic_use_static_key", "ap.no_active_status"]);
}

#[test]
fn token_expire_from_the_gateway_is_not_the_access_point_reason() {
    // `TOKEN_EXPIRE: dynamic key expired` contains the AP text, but the longer, more specific match wins.
    assert_eq!(
        lookup("AgoraRTCException: AgoraRTCError TOKEN_EXPIRE: dynamic key expired")
            .map(|e| e.key.as_ref()),
        Some("web.token_expire")
    );
}

#[test]
fn other_spellings_from_the_issue_resolve() {
    let cases = [
        ("110", "native.err_invalid_token"),
        ("-110", "native.err_invalid_token"),
        ("ERR_INVALID_TOKEN", "native.err_invalid_token"),
        ("invalid_token", "native.err_invalid_token"),
        ("ErrInvalidToken", "native.err_invalid_token"),
        ("AgoraErrorCodeInvalidToken", "native.err_invalid_token"),
        ("can_not_get_gateway_server", "web.can_not_get_gateway_server"),
        ("dynamic key expired", "ap.dynamic_key_expired"),
        ("reason 8", "native.connection_changed_invalid_token"),
        ("connection reason 8", "native.connection_changed_invalid_token"),
        ("reason 4", "native.connection_changed_join_failed"),
        ("gateway 110", "gateway.err_no_authorized"),
        ("disconnect UID_BANNED", "web.disconnect.uid_banned"),
        ("token.expired", "token.expired"),
        ("PlatformException(17, request to join channel is rejected, null, null)", "native.err_join_channel_rejected"),
        ("AgoraRtcException(-17, null)", "native.err_join_channel_rejected"),
        ("ERR_DYNAMIC_USE_STATIC_KEY(120)", "gateway.err_dynamic_use_static_ke"),
        ("AgoraRTCError UNEXPECTED_ERROR: NotReadableError: Could not start video source", "web.not_readable"),
        ("[client-1] [conn-2] unexpected response from type join, error_code: 2003, message: ERR_REPEAT_JOIN_CHANNEL, action: quit", "gateway.err_repeat_join_channel"),
    ];
    for (q, key) in cases {
        assert_eq!(lookup(q).map(|e| e.key.as_ref()), Some(key), "{q}");
    }
}

/// Regression: the brief quotes two seed messages without the `AgoraRTCError ` prefix (and the second
/// without its final period); pasted that way they found nothing and exited 2.
#[test]
fn seed_messages_quoted_without_the_sdk_prefix_resolve() {
    for (query, key) in [
        ("INVALID_PARAMS: Invalid token: ", "msg.invalid_token_param"),
        (
            "NOT_SUPPORTED: enumerateDevices() not supported",
            "msg.enumerate_devices_not_supported",
        ),
        (
            "CAN_NOT_GET_GATEWAY_SERVER: dynamic use static key",
            "ap.dynamic_use_static_key",
        ),
        (
            "INVALID_OPERATION: Can't publish stream, haven't joined yet!",
            "msg.publish_before_join",
        ),
    ] {
        let found = resolve(query).unwrap_or_else(|| panic!("{query:?} found nothing"));
        assert_eq!(found.entries[0].key, key, "{query:?}");
    }
}
