//! The streaming log reader: results do not depend on how the input is chunked or read (lines across
//! chunk boundaries, reads of a few bytes, a line longer than the buffer, no final newline).

use std::io::{self, Read};

use agora_doctor::explain::log::timeline::EventKind;
use agora_doctor::explain::log::{read_log, LogReading};

/// A reader that hands out at most `step` bytes per call, to split lines everywhere.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

const EXPIRED: &str = "Agora-SDK [WARNING]: [client-1] Choose server https://webrtc2-ap-web-1.agora.io/api/v1 failed, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired, retry: false";
const NOISE: &str =
    "Agora-SDK [INFO]: [client-1] connection state change: CONNECTING -> CONNECTED, nothing to see";

/// 3 MiB of noise with the error on lines 1, 20_000 and the last line (which has no newline).
fn big_log() -> (Vec<u8>, u64) {
    let mut s = String::new();
    let mut n = 0u64;
    while s.len() < 3 << 20 {
        n += 1;
        s.push_str(if n == 1 || n == 20_000 {
            EXPIRED
        } else {
            NOISE
        });
        s.push('\n');
    }
    n += 1;
    s.push_str(EXPIRED);
    (s.into_bytes(), n)
}

fn summary(r: &LogReading) -> Vec<(String, u64, u64, u64)> {
    r.problems
        .iter()
        .map(|e| (e.key.clone(), e.count, e.first_line, e.last_line))
        .collect()
}

#[test]
fn big_input_counts_lines_across_chunks() {
    let (data, last) = big_log();
    let r = read_log(&data[..], "big.log").expect("read");
    assert_eq!(r.lines, last);
    assert_eq!(r.bytes, data.len() as u64);
    assert_eq!(summary(&r), [("ap.dynamic_key_expired".into(), 3, 1, last)]);
    assert_eq!(r.problems[0].line, EXPIRED);
    // The problem's first line, then every one of the other lines is the same state change: one
    // timeline event, repeated.
    let kinds: Vec<EventKind> = r.timeline.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EventKind::Problem, EventKind::StateChange],
        "{:?}",
        r.timeline.events
    );
    assert_eq!(r.timeline.events[1].repeats, last - 3);
    assert_eq!(r.timeline.events[1].line, 2);
}

#[test]
fn tiny_reads_give_the_same_report() {
    let (data, _) = big_log();
    let whole = summary(&read_log(&data[..], "x").expect("read"));
    for step in [1usize << 16, 4093] {
        let r = read_log(Trickle { data: &data, step }, "x").expect("read");
        assert_eq!(summary(&r), whole, "reads of {step} bytes");
    }
    let small = format!("{NOISE}\n{EXPIRED}\n{NOISE}\n");
    let r = read_log(
        Trickle {
            data: small.as_bytes(),
            step: 3,
        },
        "x",
    )
    .expect("read");
    assert_eq!(summary(&r), [("ap.dynamic_key_expired".into(), 1, 2, 2)]);
}

#[test]
fn a_line_longer_than_the_buffer_is_scanned_whole() {
    // 3 MiB of one line, with the error text at its very end.
    let mut line = "x".repeat(3 << 20);
    line.push_str(" AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic use static key");
    let data = format!("{NOISE}\n{line}\n{NOISE}\n");
    let r = read_log(data.as_bytes(), "x").expect("read");
    assert_eq!(r.lines, 3);
    assert_eq!(summary(&r), [("ap.dynamic_use_static_key".into(), 1, 2, 2)]);
    // The reported line is capped, not the whole 3 MiB.
    assert!(r.problems[0].line.len() <= 2000);
}

#[test]
fn empty_input_has_no_lines() {
    let r = read_log(&b""[..], "x").expect("read");
    assert_eq!((r.lines, r.bytes, r.problems.len()), (0, 0, 0));
}

#[test]
fn a_code_inside_a_longer_identifier_is_not_a_match() {
    // `UID_BANNED` must not fire inside `K_UID_BANNED`'s neighbour words or other identifiers.
    let data = "status XUID_BANNED_Y fine\nIP_BANNEDX\n";
    let r = read_log(data.as_bytes(), "x").expect("read");
    assert!(r.problems.is_empty(), "{:?}", summary(&r));
}
