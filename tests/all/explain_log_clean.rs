//! `explain --log` on clean logs of working sessions, one per format (fixtures/logs/clean/, sources in
//! its README): the format is named, no problem is reported and no line is left unrecognised. The
//! timeline is checked on a Web SDK console and on an `agorasdk.log`; a crash through an SDK callback
//! and a session that lost its token are read as a support engineer would.

use std::path::Path;

use agora_doctor::explain::log::classify::ProblemKind;
use agora_doctor::explain::log::format::Format;
use agora_doctor::explain::log::read_log;
use agora_doctor::explain::log::timeline::EventKind;
use agora_doctor::explain::log::LogReading;

fn read(name: &str) -> LogReading {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/logs/clean")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_log(&bytes[..], name).expect("read")
}

const CLEAN: &[(&str, Format)] = &[
    ("web-4.24.8-room-a.console.log", Format::WebSdkLog),
    ("web-4.24.8-room-b.console.log", Format::WebSdkLog),
    ("web-4.3.0-room-a.console.log", Format::BrowserConsole),
    (
        "web-4.24.8-room-a.timestamps.console.log",
        Format::BrowserConsoleTimestamps,
    ),
    ("android-logcat-threadtime.log", Format::LogcatThreadtime),
    ("android-logcat-brief.log", Format::LogcatBrief),
    ("flutter-run.log", Format::FlutterRun),
    ("xcode-oslog.log", Format::Xcode),
    ("metro.log", Format::Metro),
    ("electron-main.log", Format::Electron),
    ("electron-renderer.log", Format::Electron),
    ("unity-player.log", Format::Unity),
    ("unity-editor.log", Format::Unity),
    ("visual-studio-build.log", Format::VisualStudio),
    ("agorasdk-3x.log", Format::AgoraSdkLog),
    ("agora-iris.log", Format::AgoraApiLog),
    ("agoraapi-4x.log", Format::AgoraApiLog),
    ("rtm-console.log", Format::RtmLog),
    ("node-token-server.log", Format::NodeTrace),
    ("python-token-server.log", Format::PythonTrace),
    ("java-token-server.log", Format::JavaTrace),
    ("go-token-server.log", Format::GoTrace),
];

#[test]
fn every_format_has_a_clean_log_that_reads_with_no_false_alarm() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/logs/clean");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".log"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = CLEAN.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "every clean log is in the table, and only those"
    );
    for (file, format) in CLEAN {
        let r = read(file);
        assert_eq!(r.format, *format, "{file}");
        assert!(r.problems.is_empty(), "{file}: {:#?}", r.problems);
        assert_eq!(r.unrecognised.count, 0, "{file}: {:#?}", r.unrecognised);
    }
    // Every format the reader names (but the two for no layout) has a clean log.
    for f in Format::ALL {
        if !matches!(f, Format::Mixed | Format::Plain) {
            assert!(CLEAN.iter().any(|(_, g)| *g == f), "no clean log for {f:?}");
        }
    }
}

#[test]
fn the_web_sdk_console_gives_the_session_in_order() {
    let r = read("web-4.24.8-room-a.console.log");
    let kinds: Vec<EventKind> = r.timeline.events.iter().map(|e| e.kind).collect();
    let at = |k: EventKind| {
        kinds
            .iter()
            .position(|x| *x == k)
            .unwrap_or_else(|| panic!("no {k:?} in {:#?}", r.timeline))
    };
    assert!(at(EventKind::JoinStart) < at(EventKind::Joined));
    assert!(at(EventKind::Joined) < at(EventKind::Published));
    assert!(at(EventKind::Published) < at(EventKind::Left));
    assert!(r.timeline.events.iter().all(|e| !e.time.is_empty()));
    assert!(r.timeline.events.windows(2).all(|w| w[0].line < w[1].line));
    let joined = &r.timeline.events[at(EventKind::Joined)];
    assert_eq!(joined.detail, "channel room, uid 3001");
    // B subscribed to A's audio.
    let b = read("web-4.24.8-room-b.console.log");
    assert!(b
        .timeline
        .events
        .iter()
        .any(|e| e.kind == EventKind::Subscribed && e.detail == "uid 3001, audio"));
}

#[test]
fn the_native_sdk_log_gives_the_session_in_order() {
    let r = read("agorasdk-3x.log");
    let got: Vec<(EventKind, &str, &str)> = r
        .timeline
        .events
        .iter()
        .map(|e| (e.kind, e.time.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (EventKind::SdkStarted, "10:06:54:569", ""),
            (EventKind::StateChange, "10:06:54:570", "1 -> 2"),
            (EventKind::StateChange, "10:06:55:102", "2 -> 3"),
            (EventKind::Joined, "10:06:55:103", "uid 51763"),
            (EventKind::Left, "10:07:31:220", ""),
            (EventKind::StateChange, "10:07:31:240", "3 -> 1"),
        ]
    );
}

/// An exception thrown by the app's own handler, which the SDK called, among emulator noise: the
/// crash is the problem, raised through Agora's callback; the emulator lines are noise.
#[test]
fn an_exception_in_an_sdk_callback_is_the_problem_and_the_emulator_is_noise() {
    let log = "\
12-05 10:14:03.416  4803  4830 W EGL_emulation: eglSurfaceAttrib not implemented
12-05 10:14:03.420  4803  4830 E eglCodecCommon: glUtilsParamSize: unknow param 0x000082da
12-05 10:14:04.902  4803  4861 E AndroidRuntime: FATAL EXCEPTION: AgoraEventThread
12-05 10:14:04.902  4803  4861 E AndroidRuntime: Process: com.example.voice, PID: 4803
12-05 10:14:04.902  4803  4861 E AndroidRuntime: java.lang.IllegalStateException: Not on the main thread
12-05 10:14:04.902  4803  4861 E AndroidRuntime: \tat com.example.voice.CallActivity$1.onJoinChannelSuccess(CallActivity.kt:88)
12-05 10:14:04.902  4803  4861 E AndroidRuntime: \tat io.agora.rtc2.internal.RtcEngineImpl.onJoinChannelSuccess(RtcEngineImpl.java:1204)
12-05 10:14:04.902  4803  4861 E AndroidRuntime: \tat io.agora.rtc2.internal.RtcEngineMessage.dispatch(RtcEngineMessage.java:77)
12-05 10:14:05.001  1211  1290 W ActivityManager:   Force finishing activity com.example.voice/.CallActivity
";
    let r = read_log(log.as_bytes(), "logcat.txt").unwrap();
    assert_eq!(r.format, Format::LogcatThreadtime);
    assert_eq!(r.problems.len(), 1, "{:#?}", r.problems);
    let p = &r.problems[0];
    assert_eq!(p.kind, ProblemKind::AppException);
    assert!(p.through_agora, "{p:#?}");
    assert!(
        p.frames.iter().any(|f| f.contains("CallActivity")),
        "{p:#?}"
    );
    let noise: u64 = r.noise.iter().map(|n| n.count).sum();
    assert_eq!(noise, 3, "{:#?}", r.noise);
    assert_eq!(r.unrecognised.count, 0, "{:#?}", r.unrecognised);
}

/// Joined, lost the connection, and the token expired while away: the problem is the expired
/// token, and the timeline tells the order.
#[test]
fn a_session_that_lost_its_token_reads_in_order() {
    let log = "\
10:00:00:100 Agora-SDK [INFO]: [client-1] start join channel demo, join number: 1
10:00:00:400 Agora-SDK [INFO]: [client-1] connection state change: DISCONNECTED -> CONNECTING
10:00:00:800 Agora-SDK [INFO]: [client-1] connection state change: CONNECTING -> CONNECTED
10:00:00:801 Agora-SDK [INFO]: [client-1] Joining channel success: channel: demo,uid: 7
10:59:30:000 Agora-SDK [DEBUG]: [client-1] received message onTokenPrivilegeWillExpire
10:59:40:000 Agora-SDK [INFO]: [client-1] connection state change: CONNECTED -> RECONNECTING, reason: NETWORK_ERROR
11:00:10:000 Agora-SDK [WARNING]: [client-1] received message onTokenPrivilegeDidExpire, please get new token and join again
11:00:10:100 Agora-SDK [INFO]: [client-1] connection state change: RECONNECTING -> DISCONNECTED, reason: TOKEN_EXPIRE
";
    let r = read_log(log.as_bytes(), "console.log").unwrap();
    let kinds: Vec<EventKind> = r.timeline.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::JoinStart,
            EventKind::StateChange,
            EventKind::StateChange,
            EventKind::Joined,
            EventKind::TokenWillExpire,
            EventKind::StateChange,
            EventKind::Problem,
            EventKind::TokenExpired,
            EventKind::StateChange,
            EventKind::Problem,
        ]
    );
    assert_eq!(
        r.timeline.events[8].detail,
        "RECONNECTING -> DISCONNECTED, reason TOKEN_EXPIRE"
    );
    // First cause first: the network dropped, then the token ran out while reconnecting.
    let keys: Vec<&str> = r.problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["web.network_error", "web.token_expire"]);
}

/// Every clean log whose lines carry times shows a timeline: its session events, or at least the
/// span its times cover (which says the SDK's own events are missing from it).
#[test]
fn every_clean_log_with_times_shows_a_timeline() {
    for (file, _) in CLEAN {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/logs/clean")
            .join(file);
        let text = std::fs::read(&path).unwrap();
        let has_times = text.split(|b| *b == b'\n').any(|l| {
            !agora_doctor::explain::log::format::fields(l)
                .time
                .is_empty()
        });
        let r = read(file);
        if has_times {
            assert!(r.timeline_has_times(), "{file}: {:#?}", r.timeline);
            assert!(
                !r.timeline.first_time.is_empty() && !r.timeline.last_time.is_empty(),
                "{file}"
            );
        }
    }
    // The native SDK 4.x API log: the join and the leave, with their times.
    let r = read("agoraapi-4x.log");
    let kinds: Vec<EventKind> = r.timeline.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EventKind::JoinStart, EventKind::Left],
        "{:#?}",
        r.timeline
    );
    assert_eq!(r.timeline.events[0].time, "08/24/23 09:45:35:602");
    assert_eq!(r.timeline.first_time, "08/24/23 09:45:35:452");
}

/// A problem's first line joins the timeline in its place: a Web SDK console that failed to join
/// reads "join started, problem" in order, with times.
#[test]
fn a_problem_takes_its_place_in_the_timeline() {
    let log = "\
10:22:20:100 Agora-SDK [INFO]: [client-4a5db] start join channel demo, join number: 1
10:22:21:680 Agora-SDK [ERROR]: [4A5DB] Get server node failed [DYNAMIC_USE_STATIC_KEY] https://webrtc2-ap-web-1.agora.io/api/v1 DYNAMIC_USE_STATIC_KEY
";
    let r = read_log(log.as_bytes(), "console.log").unwrap();
    let got: Vec<(EventKind, &str)> = r
        .timeline
        .events
        .iter()
        .map(|e| (e.kind, e.time.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (EventKind::JoinStart, "10:22:20:100"),
            (EventKind::Problem, "10:22:21:680")
        ]
    );
    assert_eq!(r.timeline.events[1].detail, r.problems[0].title);
}
