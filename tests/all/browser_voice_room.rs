//! The seed's voice room in real Chromium, on Web SDK 4.3.0 (the seed's) and 4.24.8 (the current
//! one): two participants, each in a browser context of its own, join the same channel through the
//! simulated edge (access point, WSS gateway, and a media end forwarding audio like an SFU); A speaks
//! a 440 Hz tone, B subscribes and hears it (level and frequency measured on B's page); A unpublishes
//! and leaves, B sees both. The seed's `user-left` handler bug is reproduced and explained. Each
//! scenario is one function run once per SDK version.

use crate::common::browser as common;

use agora_doctor::browser::flow::FlowPlan;
use agora_doctor::browser::room::{RoomPlan, ROOM_FLAGS};
use agora_doctor::vocabulary::{Finding, Status};
use agora_token_core::{rtc_007, Role};
use common::*;
use serde_json::Value;

fn token(uid: u32) -> String {
    rtc_007(
        APP_ID,
        CERTIFICATE,
        "room",
        &uid.to_string(),
        Role::Publisher,
        now(),
        3600,
        3600,
        uid,
    )
    .expect("token builds")
}

/// The handler calls the page recorded for `event`.
async fn events(tab: &agora_doctor::browser::Tab, event: &str) -> Vec<Value> {
    let all = eval(tab, "demo.events").await;
    all.as_array()
        .map(|a| a.iter().filter(|e| e["event"] == event).cloned().collect())
        .unwrap_or_default()
}

async fn wait_event(tab: &agora_doctor::browser::Tab, event: &str) -> Vec<Value> {
    let start = std::time::Instant::now();
    loop {
        let found = events(tab, event).await;
        if !found.is_empty() || start.elapsed() > STEP {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Chromium with the room's flags (Web Audio and playback without a click).
async fn room_chromium(pulse: &Pulse) -> agora_doctor::browser::Chromium {
    agora_doctor::browser::Chromium::launch(&agora_doctor::browser::LaunchOptions {
        ignore_certificate_errors: true,
        grant_media: true,
        env: vec![("PULSE_SERVER".into(), pulse.server())],
        extra_args: ROOM_FLAGS.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    })
    .await
    .expect("Chromium starts (scripts/apt/browser.txt installs it)")
}

fn plan(uid: u32) -> FlowPlan {
    FlowPlan {
        app_id: APP_ID.into(),
        channel: "room".into(),
        token: Some(token(uid)),
        uid: Some(uid.to_string()),
        double: Some(agora_doctor::browser::flow::WEB_DOUBLE),
        synthetic_microphone: true,
    }
}

fn find<'a>(findings: &'a [Finding], key: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("no {key} in {findings:#?}"))
}

/// The number after `word ` in `text` (e.g. "measured -9.3 dBFS").
fn number_before(text: &str, unit: &str) -> f64 {
    let at = text
        .find(unit)
        .unwrap_or_else(|| panic!("no {unit} in {text}"));
    text[..at]
        .trim_end()
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number before {unit} in {text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_4_3_0_b_hears_a_through_all_eight_interactions() {
    b_hears_a_through_all_eight_interactions("4.3.0").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_4_24_8_b_hears_a_through_all_eight_interactions() {
    b_hears_a_through_all_eight_interactions("4.24.8").await;
}

async fn b_hears_a_through_all_eight_interactions(sdk: &str) {
    let pulse = Pulse::start();
    let edge = edge(true).await;
    let chromium = room_chromium(&pulse).await;
    let url = demo_url(&edge, "localhost", sdk);
    let alice = chromium
        .open_isolated(&url, STEP)
        .await
        .expect("page A loads");
    let bob = chromium
        .open_isolated(&url, STEP)
        .await
        .expect("page B loads");
    assert_eq!(eval(&alice, "AgoraRTC.VERSION").await, Value::from(sdk));
    // Separate browser contexts: what one page stores, the other does not see.
    eval(&alice, "localStorage.setItem('who', 'A'), 1").await;
    assert_eq!(eval(&bob, "localStorage.getItem('who')").await, Value::Null);

    let room = RoomPlan {
        a: plan(2001),
        b: plan(2002),
    };
    let findings = agora_doctor::browser::room::run(&alice, &bob, &room, Some(&edge)).await;
    for key in agora_doctor::browser::room::ROOM_KEYS {
        let f = find(&findings, key);
        assert_eq!(f.status, Status::Pass, "{f:#?}\n{findings:#?}");
        assert!(
            f.evidence.iter().any(|e| e.contains(" ms")),
            "each interaction has its time: {f:#?}"
        );
    }
    // B heard the tone: its level and frequency, measured on B's page.
    let heard = find(&findings, "probe.browser.room_user_published");
    let measured = heard
        .evidence
        .iter()
        .find(|e| e.starts_with("B measured"))
        .unwrap_or_else(|| panic!("{heard:#?}"));
    let dbfs = number_before(measured, "dBFS");
    let hz = number_before(measured, "Hz (");
    assert!(dbfs > -30.0, "B heard the tone loud: {measured}");
    assert!((hz - 440.0).abs() <= 25.0, "B heard 440 Hz: {measured}");
    // ...and it came through the edge's forwarding, not some other path.
    let forwarded = edge
        .forwarded_audio(2002, 2001)
        .expect("B subscribed to A at the edge");
    assert!(
        forwarded.connected && forwarded.audio_packets > 10,
        "{forwarded:?}"
    );
    let sent = edge.received_audio(2001).expect("A published");
    assert!(
        sent.audio_packets >= forwarded.audio_packets,
        "{sent:?} vs {forwarded:?}"
    );
    let quality = find(&findings, "probe.browser.room_quality");
    assert_eq!(quality.status, Status::Pass, "{quality:#?}");
    assert!(quality.evidence[0].contains("round trip"), "{quality:#?}");
    // B's user-left handler removed A's bubble, which existed: no TypeError on B.
    assert!(
        !bob.console()
            .iter()
            .any(|l| l.kind.is_error() && l.text.contains("remove")),
        "{:#?}",
        bob.console()
    );
    assert!(edge.members("room").is_empty());
    assert_the_wire(sdk, &edge.gateway_requests());
    alice.close().await;
    bob.close().await;
    chromium.close().await;
}

/// What each SDK sent the gateway through the room, as docs/web-sdk-wire.md describes it.
fn assert_the_wire(sdk: &str, requests: &[agora_sim::web::GatewayRequest]) {
    let all = |kind: &str| -> Vec<&Value> {
        requests
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| &r.message)
            .collect()
    };
    let one = |kind: &str| -> &Value {
        all(kind)
            .first()
            .copied()
            .unwrap_or_else(|| panic!("no {kind} in {requests:#?}"))
    };
    assert_eq!(all("leave").len(), 2, "{requests:#?}");
    assert_eq!(one("subscribe")["stream_id"], 2001);
    if sdk == "4.3.0" {
        assert_eq!(all("join_v2").len(), 2, "{requests:#?}");
        assert!(one("publish")["sdp"]
            .as_str()
            .is_some_and(|s| s.contains("OFFER")));
        assert!(one("subscribe")["sdp"].is_string());
        return;
    }
    // 4.24: each join carries the browser's half of the ORTC exchange.
    let joins = all("join_v3");
    assert_eq!(joins.len(), 2, "{requests:#?}");
    for join in joins {
        let ortc = &join["ortc"];
        assert!(ortc["iceParameters"]["iceUfrag"].is_string(), "{ortc:#}");
        assert!(ortc["iceParameters"]["icePwd"].is_string(), "{ortc:#}");
        assert_eq!(
            ortc["dtlsParameters"]["fingerprints"][0]["hashFunction"],
            "sha-256"
        );
        let opus = ortc["rtpCapabilities"]["sendrecv"]["audioCodecs"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["rtpMap"]["encodingName"] == "opus"));
        assert!(opus.is_some(), "{ortc:#}");
    }
    // publish names the track's SSRC; subscribe and unpublish come back to the same one.
    let published = &one("publish")["ortc"][0];
    assert_eq!(published["stream_type"], "audio", "{published:#}");
    let ssrc = &published["ssrcs"][0]["ssrcId"];
    assert!(ssrc.is_u64(), "{published:#}");
    assert_eq!(&one("subscribe")["ssrcId"], ssrc);
    assert_eq!(&one("unpublish")["ortc"][0]["ssrcs"][0]["ssrcId"], ssrc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pages_on_4_3_0_see_each_other_join_and_leave() {
    two_pages_see_each_other_join_and_leave("4.3.0").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pages_on_4_24_8_see_each_other_join_and_leave() {
    two_pages_see_each_other_join_and_leave("4.24.8").await;
}

async fn two_pages_see_each_other_join_and_leave(sdk: &str) {
    let pulse = Pulse::start();
    let edge = edge(true).await;
    let chromium = chromium(&pulse).await;
    let url = demo_url(&edge, "localhost", sdk);
    let alice = chromium.open(&url, STEP).await.expect("page A loads");
    let bob = chromium.open(&url, STEP).await.expect("page B loads");
    assert_eq!(eval(&bob, "AgoraRTC.VERSION").await, Value::from(sdk));

    let join = |uid: u32| {
        format!(
            "await demo.join({{appid: '{APP_ID}', channel: 'room', token: '{}', uid: {uid}}})",
            token(uid)
        )
    };
    let a = eval(&alice, &join(1001)).await;
    assert_eq!(a["ok"], true, "A joins: {a}");
    assert_eq!(a["uid"], 1001);
    assert_eq!(a["state"], "CONNECTED");
    let b = eval(&bob, &join(1002)).await;
    assert_eq!(b["ok"], true, "B joins: {b}");
    assert_eq!(b["uid"], 1002);
    assert_eq!(edge.members("room"), vec![1001, 1002]);

    // A hears about B from an on_user_online push; B about A from the join answer's peer list.
    let joined = wait_event(&alice, "user-joined").await;
    assert_eq!(
        joined.first().map(|e| &e["uid"]),
        Some(&Value::from(1002)),
        "A: {joined:?}"
    );
    let joined = wait_event(&bob, "user-joined").await;
    assert_eq!(
        joined.first().map(|e| &e["uid"]),
        Some(&Value::from(1001)),
        "B: {joined:?}"
    );

    let left = eval(&bob, "await demo.leave()").await;
    assert_eq!(left["ok"], true, "B leaves: {left}");
    assert_eq!(left["state"], "DISCONNECTED");
    let gone = wait_event(&alice, "user-left").await;
    assert_eq!(gone.len(), 1, "A: {gone:?}");
    assert_eq!(gone[0]["uid"], 1002);
    assert_eq!(gone[0]["reason"], "Quit");

    // B never published, so the article's user-left handler removes a bubble that was never made.
    let thrown = alice
        .wait_console(STEP, |lines| {
            lines
                .iter()
                .any(|l| l.kind.is_error() && l.text.contains("TypeError"))
        })
        .await;
    let console = alice.console();
    let line = console
        .iter()
        .find(|l| l.kind.is_error() && l.text.contains("TypeError"))
        .map(|l| l.text.clone());
    assert!(thrown, "no TypeError on page A: {console:#?}");
    let line = line.unwrap_or_default();
    assert!(
        line.contains("Cannot read properties of null (reading 'remove')"),
        "{line}"
    );
    assert_explained(&line, "msg.remove_of_null");

    let left = eval(&alice, "await demo.leave()").await;
    assert_eq!(left["ok"], true, "A leaves: {left}");
    assert!(edge.members("room").is_empty());
    alice.close().await;
    bob.close().await;
    chromium.close().await;
}
