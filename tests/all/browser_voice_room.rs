//! The seed's voice room on Web SDK 4.3.0 in real Chromium: two pages join the same channel through
//! the simulated edge's access point and WSS gateway, see each other arrive, and see one leave.

use crate::common::browser as common;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pages_on_4_3_0_see_each_other_join_and_leave() {
    let pulse = Pulse::start();
    let edge = edge(true).await;
    let chromium = chromium(&pulse).await;
    let url = demo_url(&edge, "localhost", "4.3.0");
    let alice = chromium.open(&url, STEP).await.expect("page A loads");
    let bob = chromium.open(&url, STEP).await.expect("page B loads");

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
