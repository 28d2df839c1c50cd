//! The native join cycle through the binding's real `dlopen` path against the SDK double and the
//! simulated relay (both TEST DOUBLES): success (joins, publishes, is heard, leaves) and every failure
//! the issue lists, each with its status and explain key.

use crate::common::native as native_common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use agora_doctor::join::{run_cycle, JoinOptions, JoinReport, SdkChoice};
use agora_doctor::native::{Sdk, SdkSource};
use agora_doctor::vocabulary::Status;
use agora_sim::edge::SIM_APP_ID;
use agora_sim::native::RelayFault;
use agora_sim::world::{SimWorld as SimEdge, WorldConfig};
use agora_token_core::uid_text;
use native_common::{incomplete_double, sdk_double, TempDir};

const CHANNEL: &str = "native-test";

fn now() -> u64 {
    agora_clock::unix()
}

fn options(edge: &SimEdge, lib: PathBuf, token: Option<String>) -> JoinOptions {
    JoinOptions {
        app_id: SIM_APP_ID.to_string(),
        token,
        listen_token: Some(edge.mint(CHANNEL, &uid_text(0), now())),
        channel: CHANNEL.to_string(),
        uid: "42".to_string(),
        listen_uid: "0".to_string(),
        sdk: SdkChoice {
            flag: Some(lib),
            env: None,
            ld_library_path: None,
            sim_double: false,
        },
        listen: false,
        connect_timeout: Duration::from_secs(5),
        tone: Duration::from_millis(200),
        sim_relay: Some(edge.relay_addr()),
    }
}

fn run(opts: &JoinOptions) -> JoinReport {
    let report = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run_cycle(opts));
    assert_released_in_order();
    report
}

/// The double counts every release out of the documented order (service before its objects, a
/// published track destroyed, a sender before its track); the binding's `Drop`s must never cause one,
/// on success or on any error path.
fn assert_released_in_order() {
    let sdk = Sdk::load_file(&sdk_double(), SdkSource::Flag).unwrap();
    assert_eq!(sdk.double_order_violations(), Some(0));
}

fn edge(fault: RelayFault) -> SimEdge {
    SimEdge::start(WorldConfig {
        relay_fault: fault,
        ..WorldConfig::default()
    })
    .unwrap()
}

fn step_names(r: &JoinReport) -> Vec<&str> {
    r.steps.iter().map(|s| s.name).collect()
}

#[test]
fn a_good_token_joins_publishes_is_heard_and_leaves_cleanly() {
    let edge = edge(RelayFault::None);
    let mut opts = options(
        &edge,
        sdk_double(),
        Some(edge.mint(CHANNEL, &uid_text(42), now())),
    );
    opts.listen = true;
    opts.tone = Duration::from_secs(1);
    let r = run(&opts);
    assert_eq!(r.finding.status, Status::Pass, "{r:#?}");
    assert_eq!(r.finding.key, "probe.join.ok");
    assert!(r.simulated);
    assert_eq!(
        step_names(&r),
        [
            "load",
            "service",
            "connect",
            "listen",
            "publish",
            "tone",
            "hear",
            "unpublish",
            "disconnect",
            "release"
        ]
    );
    assert!(r.steps.iter().all(|s| s.status == Status::Pass), "{r:#?}");
    assert_eq!(r.assigned_uid, Some(42));
    let h = r.hearing.expect("the listener measured something");
    assert!(h.heard(), "{h:?}");
    assert!((h.frequency_hz - 440.0).abs() < 2.0, "{h:?}");
    assert!(h.level_dbfs > -12.0 && h.level_dbfs < -6.0, "{h:?}");
    assert!(h.seconds >= 0.9, "{h:?}");
    // The audio really went through the relay: ~100 frames of 10 ms.
    assert!(
        edge.relay().frames_relayed() >= 90,
        "{}",
        edge.relay().frames_relayed()
    );
    assert_eq!(edge.relay().joins(), 2);
    // Callback order as `docs/native-c-api.md#callback-order` says: connecting before connected; leave = reason 5.
    let pos = |e: &str| {
        r.events
            .iter()
            .position(|x| x == e)
            .unwrap_or_else(|| panic!("{e} in {:?}", r.events))
    };
    assert!(pos("publisher: on_connecting(0)") < pos("publisher: on_connected(1)"));
    assert!(pos("listener: on_connected(1)") < pos("publisher: on_disconnected(5)"));
    assert!(r
        .events
        .contains(&"listener: on_disconnected(5)".to_string()));
}

#[test]
fn an_expired_token_is_refused_with_reason_9() {
    let edge = edge(RelayFault::None);
    let token = edge.mint_for(CHANNEL, &uid_text(42), now() - 7200, 3600);
    let r = run(&options(&edge, sdk_double(), Some(token)));
    assert_eq!(r.finding.status, Status::Fail);
    assert_eq!(r.finding.key, "probe.join.token_expired");
    assert!(
        r.finding
            .evidence
            .iter()
            .any(|e| e.contains("reason 9 (TOKEN_EXPIRED)")),
        "{r:#?}"
    );
    assert!(
        r.finding
            .evidence
            .iter()
            .any(|e| e.contains("token.expired")),
        "{r:#?}"
    );
    assert_eq!(step_names(&r), ["load", "service", "connect"]);
}

#[test]
fn a_token_for_another_channel_is_refused_with_reason_8() {
    let edge = edge(RelayFault::None);
    let token = edge.mint("some-other-channel", &uid_text(42), now());
    let r = run(&options(&edge, sdk_double(), Some(token)));
    assert_eq!(r.finding.status, Status::Fail);
    assert_eq!(r.finding.key, "probe.join.token_invalid");
    assert!(r
        .finding
        .evidence
        .iter()
        .any(|e| e.contains("reason 8 (INVALID_TOKEN)")));
    assert!(
        r.finding
            .evidence
            .iter()
            .any(|e| e.contains("token.channel_mismatch")),
        "{r:#?}"
    );
}

#[test]
fn a_wrong_app_id_is_refused_with_reason_6() {
    let edge = edge(RelayFault::None);
    let mut opts = options(
        &edge,
        sdk_double(),
        Some(edge.mint(CHANNEL, &uid_text(42), now())),
    );
    opts.app_id = "0123456789abcdef0123456789abcdef".to_string();
    let r = run(&opts);
    assert_eq!(r.finding.status, Status::Fail);
    assert_eq!(r.finding.key, "probe.join.app_id_invalid");
    assert!(r
        .finding
        .evidence
        .iter()
        .any(|e| e.contains("reason 6 (INVALID_APP_ID)")));
}

#[test]
fn a_null_or_empty_token_on_a_secure_project_is_refused_with_reason_8() {
    let edge = edge(RelayFault::None);
    for token in [None, Some(String::new())] {
        let r = run(&options(&edge, sdk_double(), token.clone()));
        assert_eq!(r.finding.status, Status::Fail, "{token:?}");
        assert_eq!(r.finding.key, "probe.join.token_invalid", "{token:?}");
        assert!(
            r.finding
                .evidence
                .iter()
                .any(|e| e.contains("no token was passed")),
            "{token:?}: {r:#?}"
        );
    }
    assert_eq!(edge.relay().refusals(), 2);
}

#[test]
fn an_edge_that_is_down_hits_the_deadline_and_ends_in_budget() {
    let edge = edge(RelayFault::None);
    let mut opts = options(
        &edge,
        sdk_double(),
        Some(edge.mint(CHANNEL, &uid_text(42), now())),
    );
    // A loopback port nothing listens on.
    let dead = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    opts.sim_relay = Some(dead);
    opts.connect_timeout = Duration::from_millis(800);
    let r = run(&opts);
    assert_eq!(r.finding.status, Status::Fail);
    assert_eq!(r.finding.key, "probe.join.timeout");
    assert_eq!(r.events, ["publisher: on_connecting(0)"]);
    // Budget: the deadline plus release; the SDK's own 20-minute retry must not leak into it.
    assert!(r.total_ms < 5_000, "took {} ms", r.total_ms);
    let connect = r.steps.iter().find(|s| s.name == "connect").unwrap();
    assert!(connect.ms >= 800, "{connect:?}");
}

#[test]
fn a_stalled_edge_hits_the_deadline() {
    let edge = edge(RelayFault::Stall);
    let mut opts = options(
        &edge,
        sdk_double(),
        Some(edge.mint(CHANNEL, &uid_text(42), now())),
    );
    opts.connect_timeout = Duration::from_millis(800);
    let r = run(&opts);
    assert_eq!(r.finding.status, Status::Fail);
    assert_eq!(r.finding.key, "probe.join.timeout");
    assert!(r.total_ms < 5_000, "took {} ms", r.total_ms);
    assert_eq!(edge.relay().joins(), 0);
}

#[test]
fn a_library_missing_a_symbol_is_an_error_naming_it() {
    let edge = edge(RelayFault::None);
    let r = run(&options(&edge, incomplete_double(), None));
    assert_eq!(r.finding.status, Status::Error);
    assert_eq!(r.finding.key, "probe.join.sdk_symbol_missing");
    assert!(
        r.finding.summary.contains("agora_service_initialize"),
        "{r:#?}"
    );
    assert_eq!(step_names(&r), ["load"]);
}

#[test]
fn no_library_at_all_is_a_skip_listing_where_it_looked() {
    let edge = edge(RelayFault::None);
    let empty = TempDir::new("no-sdk");
    let mut opts = options(&edge, sdk_double(), None);
    opts.sdk = SdkChoice {
        flag: None,
        env: None,
        ld_library_path: Some(empty.0.clone().into_os_string()),
        sim_double: false,
    };
    let r = run(&opts);
    assert_eq!(r.finding.status, Status::Skip);
    assert_eq!(r.finding.key, "probe.join.sdk_not_found");
    let looked = empty.0.join("libagora_rtc_sdk.so").display().to_string();
    assert!(
        r.finding.evidence.iter().any(|e| e.contains(&looked)),
        "{r:#?}"
    );
    assert!(
        r.finding
            .evidence
            .iter()
            .any(|e| e.contains("system library search")),
        "{r:#?}"
    );
    // An explicit directory without the library is not found either, and names that directory.
    opts.sdk = SdkChoice {
        flag: Some(empty.0.clone()),
        env: None,
        ld_library_path: None,
        sim_double: false,
    };
    let r = run(&opts);
    assert_eq!(r.finding.key, "probe.join.sdk_not_found");
    assert!(
        r.finding.evidence.iter().any(|e| e.contains(&looked)),
        "{r:#?}"
    );
}

#[test]
fn a_version_file_outside_the_4_4_32_family_is_refused_and_one_inside_is_reported() {
    let edge = edge(RelayFault::None);
    let old = TempDir::new("sdk-4430");
    std::os::unix::fs::symlink(sdk_double(), old.0.join("libagora_rtc_sdk.so")).unwrap();
    std::fs::write(old.0.join("version.txt"), "v4.4.30.120\n").unwrap();
    let mut opts = options(
        &edge,
        old.0.clone(),
        Some(edge.mint(CHANNEL, &uid_text(42), now())),
    );
    let r = run(&opts);
    assert_eq!(r.finding.status, Status::Error);
    assert_eq!(r.finding.key, "probe.join.sdk_version_unsupported");
    assert!(r.finding.summary.contains("4.4.30.120"), "{r:#?}");

    let good = TempDir::new("sdk-4432");
    std::os::unix::fs::symlink(sdk_double(), good.0.join("libagora_rtc_sdk.so")).unwrap();
    std::fs::write(
        good.0.join("sdk_version"),
        "agora_rtc_sdk_x86_64-linux-gnu-v4.4.32.174_28020_SERVER_20260601_1240.zip\n",
    )
    .unwrap();
    opts.sdk.flag = Some(good.0.clone());
    let r = run(&opts);
    assert_eq!(r.finding.status, Status::Pass, "{r:#?}");
    assert_eq!(r.library.unwrap().version.as_deref(), Some("4.4.32.174"));
}
