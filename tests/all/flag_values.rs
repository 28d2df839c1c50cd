//! Flag values are judged before any work starts: a value that cannot be meant is refused with
//! exit 2, the value named and a next step, and nothing runs (no check, no request, no DNS).

use crate::common;

use std::time::{Duration, Instant};

use common::doctor;

/// Refusals come from argument parsing: well under this even in a debug build.
const QUICK: Duration = Duration::from_secs(20);

/// Run `args`, expect exit 2 with every word of `words` on stderr and nothing on stdout.
fn refused(args: &[&str], envs: &[(&str, &str)], words: &[&str]) {
    let started = Instant::now();
    let mut cmd = doctor();
    cmd.args(args).timeout(QUICK * 3);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stdout}{stderr}");
    for w in words {
        assert!(stderr.contains(w), "{args:?} lacks {w:?}: {stderr}");
    }
    assert!(stdout.is_empty(), "{args:?} ran: {stdout}");
    assert!(
        started.elapsed() < QUICK,
        "{args:?} took {:?}",
        started.elapsed()
    );
}

/// Regression: `--edge` with a space, a scheme, user info, `999.1.1.1` or a trailing comma was run
/// (exit 1 on a DNS failure); `--edge ''` silently used Agora's real endpoints; `--only ''` ran
/// every check; `--stun` took the same values.
#[test]
fn bad_edge_stun_and_only_values_are_refused_before_anything_runs() {
    let loopback_stun = ["--stun", "127.0.0.1:9"];
    for (edge, words) in [
        ("exa mple.com:443", &["exa mple.com:443", "HOST:PORT"][..]),
        (
            "https://ap.example.com:443",
            &["https://ap.example.com:443", "scheme", "ap.example.com:443"],
        ),
        ("user:pw@127.0.0.1:443", &["user info", "HOST:PORT"]),
        ("999.1.1.1:443", &["999.1.1.1", "not an IPv4 address"]),
        ("127.0.0.1:9,", &["--edge", "empty", "HOST:PORT"]),
        ("", &["--edge", "empty", "HOST:PORT"]),
    ] {
        let mut args = vec!["probe", "--only", "network", "--edge", edge];
        args.extend(loopback_stun);
        refused(&args, &[], words);
    }
    // The same values from the environment.
    refused(
        &["probe", "--only", "network", "--stun", "127.0.0.1:9"],
        &[("AGORA_DOCTOR_EDGE", "https://ap.example.com:443")],
        &["scheme"],
    );
    for stun in ["999.1.1.1:3478", "", "stun:stun.l.google.com:19302"] {
        refused(
            &[
                "probe",
                "--only",
                "network",
                "--edge",
                "127.0.0.1:9",
                "--stun",
                stun,
            ],
            &[],
            &["--stun"],
        );
    }
    refused(
        &["probe", "--only", "", "--edge", "127.0.0.1:9"],
        &[],
        &["--only", "empty", "--list-checks"],
    );
    refused(
        &["probe", "--only", "network,", "--edge", "127.0.0.1:9"],
        &[],
        &["--only", "empty"],
    );
    // report takes probe's flags and judges them the same way.
    refused(
        &["report", "--sim", "--edge", "999.1.1.1:443"],
        &[],
        &["999.1.1.1"],
    );
}

/// Regression: a non-UTF-8 AGORA_APP_CERTIFICATE or AGORA_DOCTOR_NOW was silently ignored (the
/// token then judged without its certificate, or at the real time).
#[test]
fn a_non_utf8_certificate_or_clock_variable_is_an_error() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    const TOKEN: &str = "007eJxTYDj0ULOL6fF6t8A5nJnarL7XvFcdWJTnuHzmnFUeIjwbGRMVGBINk4ySjVNMUk3TzAzMDS2MLI0TTZJMk81SzFMt0iwNGFTZsgX4GBiMKtkYGBkYGVgYGBlAfCYwyQwmWcAkD0NJanGJbnJGYl5eag4rg6GRsYkpALXkHrE=";
    for name in ["AGORA_APP_CERTIFICATE", "AGORA_DOCTOR_NOW"] {
        let out = doctor()
            .args(["token", TOKEN])
            .env(
                name,
                OsString::from_vec(b"5CFd2fd1755d40ec\xffb72977518be15d3b".to_vec()),
            )
            .timeout(QUICK)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains("not valid UTF-8"),
            "{stderr}"
        );
        assert!(!stderr.contains("5CFd2fd"), "the value is quoted: {stderr}");
    }
}

/// Regression: `--at 9223372036854775807` was accepted; "`--timeout 0` is not … between 0 and 600"
/// contradicted itself; an unknown `{nope}` placeholder was sent to the token server literally.
#[test]
fn times_timeouts_and_placeholders_out_of_their_range_are_refused() {
    const TOKEN: &str = "007eJxTYDj0ULOL6fF6t8A5nJnarL7XvFcdWJTnuHzmnFUeIjwbGRMVGBINk4ySjVNMUk3TzAzMDS2MLI0TTZJMk81SzFMt0iwNGFTZsgX4GBiMKtkYGBkYGVgYGBlAfCYwyQwmWcAkD0NJanGJbnJGYl5eag4rg6GRsYkpALXkHrE=";
    for at in [
        "9223372036854775807",
        "10000-01-01T00:00:00Z",
        "+300000y",
        "-1",
    ] {
        let out = doctor()
            .args(["token", TOKEN, &format!("--at={at}")])
            .timeout(QUICK)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--at {at}: {stderr}");
        assert!(stderr.contains("--at"), "{stderr}");
    }
    refused(
        &["token", TOKEN, "--at", "9223372036854775807"],
        &[],
        &["9223372036854775807", "1970 to 9999"],
    );
    refused(
        &["token", TOKEN],
        &[("AGORA_DOCTOR_NOW", "9223372036854775807")],
        &["AGORA_DOCTOR_NOW"],
    );
    // The edges of the range are times.
    for at in ["0", "253402300799", "9999-12-31T23:59:59Z"] {
        let out = doctor()
            .args(["token", TOKEN, "--at", at])
            .timeout(QUICK)
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(2), "--at {at}");
    }
    for timeout in ["0", "-1", "601", "NaN"] {
        let out = doctor()
            .args([
                "token-server",
                "http://127.0.0.1:9/{channel}",
                &format!("--timeout={timeout}"),
            ])
            .timeout(QUICK)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("--timeout") && !stderr.contains("between 0"),
            "{stderr}"
        );
    }
    refused(
        &["token-server", "http://127.0.0.1:9/", "--timeout", "0"],
        &[],
        &["more than 0 and at most 600 seconds"],
    );
    refused(
        &["join", "--sim", "--timeout", "0"],
        &[],
        &["more than 0 and at most"],
    );
    for args in [
        &["token-server", "http://127.0.0.1:9/rtc/{nope}/{uid}"][..],
        &[
            "probe",
            "--sim",
            "--only",
            "config",
            "--token-server",
            "http://127.0.0.1:9/rtc/{nope}/{uid}",
        ],
    ] {
        refused(
            args,
            &[],
            &["{nope}", "{channel}", "{tokentype}", "{expire}"],
        );
    }
}

/// Regression: `report` read its whole log (a FIFO here: it waits for a writer) before it judged
/// `--url`.
#[test]
fn report_judges_its_flags_before_it_reads_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("console.log");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let fifo = fifo.to_string_lossy().into_owned();
    refused(
        &["report", "--sim", "--url", "notaurl", "--log", &fifo],
        &[],
        &["--url", "notaurl"],
    );
}
