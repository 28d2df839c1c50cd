//! `explain` on what developers paste, through the real binary: a number the paste gives no product
//! for is answered with every meaning and a question back; product words pick Signaling (RTM) or RTC;
//! a fix is shown in the language of the app that printed the paste.

use assert_cmd::Command;
use serde_json::Value;

fn explain() -> Command {
    let mut c = Command::cargo_bin("agora-doctor").expect("binary");
    c.arg("--color").arg("never").arg("explain");
    c
}

fn first_key(query: &str) -> String {
    let out = explain().args([query, "--json"]).assert().success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    v["entries"][0]["key"].as_str().expect("key").to_string()
}

#[test]
fn a_bare_number_two_products_use_is_answered_with_a_question_back() {
    let out = explain().arg("Error Code 5").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("Which SDK printed it?"), "{text}");
    assert!(
        text.contains("agora-doctor explain native-error 5"),
        "{text}"
    );
    assert!(
        text.contains("agora-doctor explain rtm-login-error 5"),
        "{text}"
    );
    // Each suggested question resolves to its family.
    assert_eq!(
        first_key("rtm-login-error 5"),
        "rtm1.login_err_invalid_token"
    );
    assert_eq!(first_key("native-error 5"), "native.err_refused");
}

#[test]
fn product_words_pick_the_family_without_asking() {
    assert_eq!(
        first_key("Unhandled Exception: login failed errorCode:5"),
        "rtm1.login_err_invalid_token"
    );
    assert_eq!(first_key("rtm 5"), "rtm1.login_err_invalid_token");
    assert_eq!(
        first_key("error : RTM service was rejected due to server error., error code: -10012"),
        "rtm2.login_rejected"
    );
    assert_eq!(first_key("onError: 110"), "native.err_invalid_token");
    assert_eq!(
        first_key("onConnectionStateChanged(state: 5, reason: 3)"),
        "native.connection_changed_banned_by_server"
    );
    assert_eq!(
        first_key("I/flutter: connectionChangedInvalidToken"),
        "native.connection_changed_invalid_token"
    );
}

#[test]
fn the_fix_is_spelled_for_the_language_of_the_paste() {
    let out = explain()
        .arg("E/flutter (16566): Unhandled Exception: AgoraRtcException(-17, null)")
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("Dart: `await engine.leaveChannel();`"),
        "{text}"
    );
    assert!(
        !text.contains("Kotlin:") && !text.contains("Swift:"),
        "{text}"
    );
    // With no language in the query, every spelling is shown.
    let out = explain()
        .arg("ERR_JOIN_CHANNEL_REJECTED")
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for lang in ["Kotlin:", "Swift:", "Dart:", "JS:"] {
        assert!(text.contains(lang), "{lang} missing: {text}");
    }
}
