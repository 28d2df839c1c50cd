//! The seed's troubleshooting list reproduced in real Chromium with the real Agora Web SDK (4.3.0 and
//! 4.24.x) against the simulated edge: what the SDK printed, byte for byte.
//!
//! One Chromium and one edge per SDK scenario group keep this file fast (a few seconds).

use crate::common::browser as common;

use agora_token_core::{rtc_007, Role};
use common::*;

/// What `join()` rejects with when the access point answers `desc`, per SDK generation.
fn gateway_error(sdk: &str, desc: &str) -> String {
    if sdk.starts_with("4.3") {
        format!("AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: {desc}")
    } else {
        format!(
            "AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: flag: 4096, message: \
             AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: {desc}"
        )
    }
}

fn token(channel: &str, uid: u32, issued: u32, lasts: u32) -> String {
    rtc_007(
        APP_ID,
        CERTIFICATE,
        channel,
        &uid.to_string(),
        Role::Publisher,
        issued,
        lasts,
        lasts,
        7,
    )
    .expect("token builds")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secure_app_join_errors_match_the_real_sdk_in_both_versions() {
    let pulse = Pulse::start();
    let edge = edge(true).await;
    let chromium = chromium(&pulse).await;
    let now = now();
    let expired = token("demo", 1234, now - 7200, 3600);
    let other_channel = token("other", 1234, now, 3600);

    for &(sdk, version) in SDKS {
        let tab = chromium
            .open(&demo_url(&edge, "localhost", sdk), STEP)
            .await
            .expect("demo page loads");
        assert_eq!(eval(&tab, "AgoraRTC.VERSION").await, version);
        assert_eq!(eval(&tab, "window.isSecureContext").await, true);

        let join = |token: serde_json::Value| {
            format!("await demo.join({{appid: '{APP_ID}', channel: 'demo', token: {token}, uid: 1234}})")
        };
        // (what, token, what the SDK rejects join() with, the catalog entry that explains it)
        let cases: Vec<(&str, serde_json::Value, String, &str)> = vec![
            (
                "null token on a secure app",
                serde_json::Value::Null,
                gateway_error(sdk, "dynamic use static key"),
                "ap.dynamic_use_static_key",
            ),
            (
                "empty token",
                "".into(),
                "AgoraRTCError INVALID_PARAMS: Invalid token: . If you don not use token, set it to null"
                    .into(),
                "msg.invalid_token_param",
            ),
            (
                "expired token",
                expired.clone().into(),
                gateway_error(sdk, "dynamic key expired"),
                "ap.dynamic_key_expired",
            ),
            (
                "token for another channel",
                other_channel.clone().into(),
                gateway_error(sdk, "invalid token, authorized failed"),
                "ap.no_authorized",
            ),
        ];
        for (what, token, expected, key) in cases {
            let result = eval(&tab, &join(token)).await;
            let message = error_message(&result);
            assert_eq!(message, expected, "{sdk}: {what}");
            assert_explained(&message, key);
        }

        // The AP really judged the tokens (and the valid one would pass it).
        let codes: Vec<u32> = edge.ap_exchanges().iter().map(|x| x.code.0).collect();
        assert!(
            codes.contains(&2010013) && codes.contains(&2010009),
            "{codes:?}"
        );

        let result = eval(&tab, "await demo.publish()").await;
        let message = error_message(&result);
        assert_eq!(
            message, "AgoraRTCError INVALID_OPERATION: Can't publish stream, haven't joined yet!",
            "{sdk}: publish before join"
        );
        assert_explained(&message, "msg.publish_before_join");
        tab.close().await;
    }
    chromium.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insecure_origin_hides_devices_from_the_sdk_in_both_versions() {
    let pulse = Pulse::start();
    let edge = edge(false).await;
    let chromium = chromium(&pulse).await;
    for &(sdk, _) in SDKS {
        let tab = chromium
            .open(&demo_url(&edge, INSECURE_HOST, sdk), STEP)
            .await
            .expect("demo page loads from the made-up host");
        assert_eq!(eval(&tab, "window.isSecureContext").await, false);
        let result = eval(&tab, "await demo.microphones()").await;
        let message = error_message(&result);
        assert_eq!(
            message, "AgoraRTCError NOT_SUPPORTED: enumerateDevices() not supported.",
            "{sdk}"
        );
        assert_explained(&message, "msg.enumerate_devices_not_supported");
        let restrict =
            "AgoraRTCError WEB_SECURITY_RESTRICT: Your context is limited by web security, \
                        please try using https protocol or localhost.";
        let logged = tab
            .wait_console(STEP, |lines| {
                lines
                    .iter()
                    .any(|l| l.kind.is_error() && l.text.contains(restrict))
            })
            .await;
        assert!(
            logged,
            "{sdk}: no WEB_SECURITY_RESTRICT in {:#?}",
            tab.console()
        );
        assert_explained(restrict, "web.web_security_restrict");
        tab.close().await;
    }
    chromium.close().await;
}
