//! `explain --log` on the harmless lines of a log: each family groups its lines and lists their
//! numbers, the Agora SDKs' own notices are noise while their unexplained errors stay problems, and
//! a log of only harmless lines with times still shows, in order, when each family began.

use agora_doctor::explain::log::classify::ProblemKind;
use agora_doctor::explain::log::read_log;
use agora_doctor::explain::log::timeline::EventKind;

fn read(log: &str) -> agora_doctor::explain::log::LogReading {
    read_log(log.as_bytes(), "pasted.log").expect("read")
}

#[test]
fn a_noise_group_lists_every_line_it_holds() {
    let log = "\
12-05 10:14:03.980  4803  4810 E libc    : Access denied finding property \"net.dns1\"
12-05 10:14:03.981  4803  4803 I MainActivity: RtcEngine created, SDK 4.3.1
12-05 10:14:03.982  4803  4810 E libc    : Access denied finding property \"net.dns2\"
12-05 10:14:04.100  4803  4803 W System  : A resource failed to call close.
";
    let r = read(log);
    let group = r
        .noise
        .iter()
        .find(|g| g.key == "android.system")
        .expect("the Android system's lines are one group");
    assert_eq!(group.lines, [1, 3, 4]);
    assert_eq!(group.count, 3);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn the_sdks_own_notices_are_noise_and_its_unexplained_errors_are_problems() {
    let log = "\
E/agora_vrp(12050): Frames replaced by swap=0, stream=0
15:54:58:280 Agora-SDK [WARNING]: [client-1] AgoraRTCError WS_ABORT: type: leave
15:54:58:281 Agora-SDK [ERROR]: [client-1] something the catalog has never seen
";
    let r = read(log);
    let noise: Vec<(&str, &[u64])> = r.noise.iter().map(|g| (g.key, &g.lines[..])).collect();
    assert_eq!(noise, [("agora.sdk_notices", &[1u64, 2][..])], "{noise:?}");
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert_eq!(r.problems[0].kind, ProblemKind::AgoraError);
    assert_eq!(r.problems[0].lines, [3]);
}

#[test]
fn a_native_crash_is_a_problem_with_the_sdks_frame() {
    let log = "\
12-09 10:00:01.078  4803  4803 F libc    : Fatal signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0 in tid 4900 (RtcEngine)
12-09 10:00:01.300  4900  4900 F DEBUG   :       #00 pc 00000000004a1b2c  /data/app/io.agora.demo/lib/arm64/libagora-rtc-sdk.so
";
    let r = read(log);
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert_eq!(r.problems[0].kind, ProblemKind::NativeCrash);
    assert!(r.problems[0].frames[0].contains("libagora-rtc-sdk.so"));
}

#[test]
fn a_log_of_only_harmless_lines_with_times_outlines_when_each_family_began() {
    let log = "\
2020-11-04 13:25:55.164 6908-7671/io.agora.openvcall E/libc: Access denied finding property \"net.dns1\"
2020-11-04 13:25:55.165 6908-7671/io.agora.openvcall E/libc: Access denied finding property \"net.dns2\"
2020-11-04 13:25:56.001 6908-6908/io.agora.openvcall E/EGL_emulation: tid 6908: eglSurfaceAttrib(1493): error 0x3009
";
    let r = read(log);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let got: Vec<(EventKind, &str, u64)> = r
        .timeline
        .events
        .iter()
        .map(|e| (e.kind, e.time.as_str(), e.line))
        .collect();
    assert_eq!(
        got,
        [
            (EventKind::Noise, "2020-11-04 13:25:55.164", 1),
            (EventKind::Noise, "2020-11-04 13:25:56.001", 3)
        ]
    );
    // A log with a session event gets no outline: the session's events are the timeline.
    let with_join = format!("{log}2020-11-04 13:25:57.000 6908-6908/io.agora.openvcall I/App: onJoinChannelSuccess channel: demo uid 7\n");
    let r = read(&with_join);
    assert!(r.timeline.events.iter().all(|e| e.kind != EventKind::Noise));
}
