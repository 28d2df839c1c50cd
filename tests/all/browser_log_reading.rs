//! A clean Web SDK console, made by running the real thing: the voice room (two participants join,
//! A publishes a tone, B subscribes and hears it, A unpublishes and leaves) in Chromium on Web SDK
//! 4.3.0 and 4.24.8 against the simulated edge. Each page's console, saved the way DevTools exports
//! it, must read as a working session: no problem, no line left unrecognised, and a timeline with
//! the join, its success, the publish or subscribe, and the leave.

use crate::common::browser as common;

use agora_doctor::browser::flow::FlowPlan;
use agora_doctor::browser::room::{RoomPlan, ROOM_FLAGS};
use agora_doctor::browser::ConsoleKind;
use agora_doctor::explain::log::format::Format;
use agora_doctor::explain::log::read_log;
use agora_doctor::explain::log::timeline::EventKind;
use agora_token_core::{rtc_007, Role};
use common::*;

fn plan(uid: u32) -> FlowPlan {
    let token = rtc_007(
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
    .expect("token builds");
    FlowPlan {
        app_id: APP_ID.into(),
        channel: "room".into(),
        token: Some(token),
        uid: Some(uid.to_string()),
        double: Some(agora_doctor::browser::flow::WEB_DOUBLE),
        synthetic_microphone: true,
    }
}

/// A page's console as DevTools' "Save as…" writes it without timestamps: one line per entry,
/// an uncaught exception prefixed `Uncaught`.
fn export(console: &[agora_doctor::browser::ConsoleEntry]) -> String {
    let mut s = String::new();
    for c in console {
        if c.kind == ConsoleKind::Exception && !c.text.starts_with("Uncaught") {
            s.push_str("Uncaught ");
        }
        s.push_str(&c.text);
        s.push('\n');
    }
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_working_room_on_both_sdks_reads_as_clean() {
    let pulse = Pulse::start();
    let edge = edge(true).await;
    let chromium = agora_doctor::browser::Chromium::launch(&agora_doctor::browser::LaunchOptions {
        ignore_certificate_errors: true,
        grant_media: true,
        env: vec![("PULSE_SERVER".into(), pulse.server())],
        extra_args: ROOM_FLAGS.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    })
    .await
    .expect("Chromium starts (scripts/apt/browser.txt installs it)");
    for sdk in ["4.3.0", "4.24.8"] {
        let url = demo_url(&edge, "localhost", sdk);
        let alice = chromium
            .open_isolated(&url, STEP)
            .await
            .expect("page A loads");
        let bob = chromium
            .open_isolated(&url, STEP)
            .await
            .expect("page B loads");
        let room = RoomPlan {
            a: plan(3001),
            b: plan(3002),
        };
        let findings = agora_doctor::browser::room::run(&alice, &bob, &room, Some(&edge)).await;
        assert!(
            findings
                .iter()
                .all(|f| f.status == agora_doctor::vocabulary::Status::Pass),
            "{sdk}: the room did not work, so its console is not a clean one: {findings:#?}"
        );
        // B's page is still in the channel; its leave comes when the page closes, after reading.
        for (who, tab, own) in [
            ("A", &alice, EventKind::Published),
            ("B", &bob, EventKind::Subscribed),
        ] {
            let text = export(&tab.console());
            let kept = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("web-{sdk}-{who}-console.log"));
            std::fs::write(&kept, &text).expect("keep the console for reading");
            let r = read_log(text.as_bytes(), "console.log").expect("read");
            assert!(
                matches!(r.format, Format::BrowserConsole | Format::WebSdkLog),
                "{sdk} {who}: read as {:?}",
                r.format
            );
            assert!(
                r.problems.is_empty(),
                "{sdk} {who}: {:#?}\n{text}",
                r.problems
            );
            assert_eq!(
                r.unrecognised.count, 0,
                "{sdk} {who}: {:#?}\n{text}",
                r.unrecognised
            );
            let kinds: Vec<EventKind> = r.timeline.events.iter().map(|e| e.kind).collect();
            for want in [EventKind::JoinStart, EventKind::Joined, own] {
                assert!(
                    kinds.contains(&want),
                    "{sdk} {who}: no {want:?} in {:#?}",
                    r.timeline
                );
            }
            if who == "A" {
                assert!(
                    kinds.contains(&EventKind::Left),
                    "{sdk}: A left: {:#?}",
                    r.timeline
                );
            }
            assert!(
                r.timeline_has_times(),
                "{sdk} {who}: the SDK's lines carry times"
            );
        }
        alice.close().await;
        bob.close().await;
    }
    chromium.close().await;
}
