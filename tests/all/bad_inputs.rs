//! The bad-input matrix: the worst inputs people give a troubleshooting tool, run through the real
//! binary. Every case must end (no hang), exit 1 or 2, name the bad input with a next step, and
//! never show panic text or a backtrace.

use crate::common;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::doctor;

/// A hang check, not a speed goal: the slowest case (a 10 MB query in a debug build on a busy
/// machine) takes seconds; a hang takes forever.
const HANG_TIMEOUT: Duration = Duration::from_secs(120);
/// Size of the sparse log: beyond the scanner's 16 MiB line buffer, so the long-line path runs.
/// (A multi-GB file is measured in BENCHMARKS.md with the release build; the unoptimised debug build
/// the tests use scans about 8 MB/s of zero bytes, too slow for CI.)
const SPARSE_LOG_BYTES: u64 = 40 << 20;
/// The "10 MB token": far beyond execve's 128 KiB per-argument limit, so it goes through stdin.
const HUGE_INPUT_BYTES: usize = 10 << 20;
const NOW: &str = "2026-11-25T00:00:00Z";
const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
const GOOD_007: &str = "007eJxTYDj0ULOL6fF6t8A5nJnarL7XvFcdWJTnuHzmnFUeIjwbGRMVGBINk4ySjVNMUk3TzAzMDS2MLI0TTZJMk81SzFMt0iwNGFTZsgX4GBiMKtkYGBkYGVgYGBlAfCYwyQwmWcAkD0NJanGJbnJGYl5eag4rg6GRsYkpALXkHrE=";
const GOOD_006: &str = "006a1b2c3d4e5f60718293a4b5c6d7e8f90IAC1Puyf7qkqbJXU+0xvSz4lTjDI8w7Pr9yQe4fnYITTM6DfQtZXoFHlIgALAAAAgHYHawQAAQAQMwZrAgAQMwZrAwAQMwZrBAAQMwZr";
const ERROR_LINE: &str = "AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired";

/// Where the expected text must appear.
#[derive(Clone, Copy, Debug)]
enum On {
    Stdout,
    Stderr,
}

/// One row of the matrix.
struct Case {
    name: &'static str,
    /// Expected exit code (1 = a finding failed, 2 = could not run).
    code: i32,
    on: On,
    /// Every one of these must appear (case-insensitively) on `on`.
    expect: &'static [&'static str],
    args: fn(&Ctx) -> Vec<OsString>,
    stdin: Option<fn(&Ctx) -> Vec<u8>>,
    env_cert: bool,
}

const fn case(
    name: &'static str,
    code: i32,
    on: On,
    expect: &'static [&'static str],
    args: fn(&Ctx) -> Vec<OsString>,
) -> Case {
    Case {
        name,
        code,
        on,
        expect,
        args,
        stdin: None,
        env_cert: false,
    }
}

impl Case {
    const fn stdin(mut self, f: fn(&Ctx) -> Vec<u8>) -> Case {
        self.stdin = Some(f);
        self
    }
    const fn cert_env(mut self) -> Case {
        self.env_cert = true;
        self
    }
}

/// Files, ports and servers the cases point at; all torn down when the test ends.
struct Ctx {
    dir: tempfile::TempDir,
    /// Keeps `closed_port` bound (and refusing) until the matrix is done.
    _closed: socket2::Socket,
    closed_port: u16,
    stalled: String,
    garbage: Vec<u8>,
}

impl Ctx {
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }
}

fn a(items: &[&str]) -> Vec<OsString> {
    items.iter().map(OsString::from).collect()
}

/// `token <t> --now NOW` as arguments.
fn tok(t: &str) -> Vec<OsString> {
    a(&["token", t, "--now", NOW])
}

/// `token <t> --now NOW --strict` (warning-level findings then exit 1).
fn tok_strict(t: &str) -> Vec<OsString> {
    a(&["token", t, "--now", NOW, "--strict"])
}

fn invalid_utf8() -> OsString {
    OsString::from_vec(b"chan\xff\xfenel".to_vec())
}

fn probe_network(edge: &str) -> Vec<OsString> {
    // --stun on loopback too: tests never leave 127.0.0.0/8.
    a(&[
        "probe",
        "--only",
        "network",
        "--edge",
        edge,
        "--stun",
        "127.0.0.1:9",
    ])
}

fn garbage_around_error(x: &Ctx) -> Vec<u8> {
    let mut v = x.garbage.clone();
    v.extend_from_slice(format!("\n{ERROR_LINE}\n").as_bytes());
    v.extend_from_slice(&x.garbage);
    v
}

fn cases() -> Vec<Case> {
    use On::{Stderr, Stdout};
    vec![
        // Malformed tokens: one per diagnosis code of `docs/tokens.md#diagnosis-codes` (bad_utf8 has no vector).
        case("token empty", 1, Stdout, &["token.empty", "fix:"], |_| {
            tok("")
        }),
        case(
            "token whitespace only",
            1,
            Stdout,
            &["token.empty", "fix:"],
            |_| tok("  \t "),
        ),
        case(
            "token null",
            1,
            Stdout,
            &["token.placeholder", "fix:"],
            |_| tok("null"),
        ),
        case(
            "token [object Object]",
            1,
            Stdout,
            &["token.placeholder", "fix:"],
            |_| tok("[object Object]"),
        ),
        case(
            "token is an App ID",
            1,
            Stdout,
            &["token.app_id_instead_of_token", "fix:"],
            |_| tok(APP_ID),
        ),
        case(
            "token url-encoded",
            1,
            Stdout,
            &["token.url_encoded", "fix:"],
            |_| tok(&GOOD_007.replace('=', "%3D")),
        ),
        case(
            "token plus became space",
            1,
            Stdout,
            &["token.plus_became_space", "fix:"],
            |_| tok(&GOOD_006.replace('+', " ")),
        ),
        case(
            "token embedded newline",
            1,
            Stdout,
            &["token.embedded_whitespace", "fix:"],
            |_| tok(&format!("{}\n{}", &GOOD_007[..60], &GOOD_007[60..])),
        ),
        case(
            "token truncated",
            1,
            Stdout,
            &["token.truncated", "fix:"],
            |_| tok(&GOOD_007[..90]),
        ),
        case(
            "token two characters",
            1,
            Stdout,
            &["token.truncated", "fix:"],
            |_| tok("00"),
        ),
        case(
            "token legacy 005",
            1,
            Stdout,
            &["token.legacy_dynamic_key", "fix:"],
            |_| tok(&GOOD_007.replacen("007", "005", 1)),
        ),
        case(
            "token version 008",
            1,
            Stdout,
            &["token.unknown_version", "fix:"],
            |_| tok(&GOOD_007.replacen("007", "008", 1)),
        ),
        case(
            "token base64url",
            1,
            Stdout,
            &["token.base64url_alphabet", "fix:"],
            |_| {
                tok("007eJxTYGhY9F3mX5ngWlsNtzPd77fsu_449NGTN5MFeFvOfpzw9cNmBYZEwySjZOMUk1TTNDMDc0MLI0vjRJMk02SzFPNUizRLAwZVtmwBPgYG40o2BkYoBPF5GEpSi0t0kzMS8_JSc1gZDI2MTUwB86EkCA")
            },
        ),
        case(
            "token missing padding",
            1,
            Stdout,
            &["token.missing_padding", "fix:"],
            |_| tok(GOOD_007.trim_end_matches('=')),
        ),
        case(
            "token bad base64",
            1,
            Stdout,
            &["token.bad_base64", "fix:"],
            |_| tok(&GOOD_007.replacen('H', "!", 1)),
        ),
        case(
            "token bad app id",
            1,
            Stdout,
            &["token.bad_app_id", "fix:"],
            |_| tok(&format!("006{}{}", "Z".repeat(32), &GOOD_006[35..])),
        ),
        case(
            "token bad zlib",
            1,
            Stdout,
            &["token.bad_zlib", "fix:"],
            |_| tok("007aW52YWxpZA=="),
        ),
        case(
            "token bad signature length",
            1,
            Stdout,
            &["token.bad_signature_length", "fix:"],
            |_| tok(&GOOD_006.replacen("IAC1", "HwC1", 1)),
        ),
        case(
            "token trailing bytes",
            1,
            Stdout,
            &["token.trailing_bytes"],
            |_| tok_strict(&GOOD_007.replace("HrE=", "HrEAAAA=")),
        ),
        case(
            "token in quotes",
            1,
            Stdout,
            &["token.surrounding_quotes"],
            |_| tok_strict(&format!("\"{GOOD_007}\"")),
        ),
        case(
            "token with trailing newline",
            1,
            Stdout,
            &["token.surrounding_whitespace"],
            |_| tok_strict(&format!("{GOOD_006}\n")),
        ),
        // Pastes with something around the token, and things that are not Agora tokens.
        case(
            "token inside a JSON body",
            1,
            Stdout,
            &["token.wrapped", "JSON body", "fix:"],
            |_| tok(&format!("{{\"token\":\"{GOOD_007}\"}}")),
        ),
        case(
            "token with a Bearer prefix",
            1,
            Stdout,
            &["token.wrapped", "Bearer", "fix:"],
            |_| tok(&format!("Bearer {GOOD_006}")),
        ),
        case(
            "token pasted twice",
            1,
            Stdout,
            &["token.pasted_twice", "fix:"],
            |_| tok(&format!("{GOOD_007}{GOOD_007}")),
        ),
        case(
            "token masked in the middle",
            1,
            Stdout,
            &["token.masked", "fix:"],
            |_| tok(&format!("{}****{}", &GOOD_007[..30], &GOOD_007[60..])),
        ),
        case(
            "a JWT as the token",
            1,
            Stdout,
            &["token.jwt", "fix:"],
            |_| tok("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2ln"),
        ),
        case(
            "token --service unknown",
            2,
            Stderr,
            &["--service", "possible values"],
            |_| a(&["token", GOOD_007, "--service", "video"]),
        ),
        case(
            "token build --expire absolute time",
            2,
            Stderr,
            &["--expire 1796402040", "absolute unix time", "1h"],
            |_| {
                a(&[
                    "token",
                    "build",
                    "--app-id",
                    APP_ID,
                    "--channel",
                    "c",
                    "--uid",
                    "1",
                    "--expire",
                    "1796402040",
                ])
            },
        )
        .cert_env(),
        // token-server: bad templates, servers that are down or stall.
        case(
            "token-server template not a URL",
            2,
            Stderr,
            &["URL_TEMPLATE", "not a URL", "pass e.g."],
            |_| a(&["token-server", "tokens/{channel}"]),
        ),
        case(
            "token-server template not http",
            2,
            Stderr,
            &["URL_TEMPLATE", "http or https"],
            |_| a(&["token-server", "ftp://127.0.0.1/{channel}"]),
        ),
        case(
            "token-server --timeout 0",
            2,
            Stderr,
            &["--timeout", "more than 0 and at most 600"],
            |_| a(&["token-server", "http://127.0.0.1:9/", "--timeout", "0"]),
        ),
        case(
            "token-server refused",
            1,
            Stdout,
            &["token_server.unreachable", "fix:"],
            |x| {
                a(&[
                    "token-server",
                    &format!("http://127.0.0.1:{}/rtc/{{channel}}", x.closed_port),
                ])
            },
        ),
        case(
            "token-server accepts and never answers",
            1,
            Stdout,
            &["token_server.unreachable", "timed out", "fix:"],
            |x| {
                a(&[
                    "token-server",
                    &format!("http://{}/rtc/{{channel}}", x.stalled),
                    "--timeout",
                    "1",
                ])
            },
        )
        .cert_env(),
        // Huge and binary inputs.
        case(
            "10 MB token on stdin",
            2,
            Stderr,
            &["stdin line 1", "no Agora token is longer than"],
            |_| a(&["token", "-", "--now", NOW]),
        )
        .stdin(|_| format!("007{}\n", "A".repeat(HUGE_INPUT_BYTES)).into_bytes()),
        case(
            "binary garbage as tokens on stdin",
            2,
            Stderr,
            &["stdin", "valid UTF-8", "pipe the tokens as text"],
            |_| a(&["token", "-"]),
        )
        .stdin(|x| x.garbage.clone()),
        case(
            "binary garbage as explain query",
            2,
            Stderr,
            &["stdin", "valid UTF-8", "pass it as an argument"],
            |_| a(&["explain", "-"]),
        )
        .stdin(|x| x.garbage.clone()),
        case(
            "binary garbage around an error in a log",
            1,
            Stdout,
            &["ap.dynamic_key_expired", "<stdin>", "fix:"],
            |_| a(&["explain", "--log", "-"]),
        )
        .stdin(garbage_around_error),
        case(
            "10 MB explain query",
            2,
            Stderr,
            &[
                "nothing in the catalog matches",
                "10485760 bytes",
                "explain --list",
            ],
            |_| a(&["explain", "-"]),
        )
        .stdin(|_| "A".repeat(HUGE_INPUT_BYTES).into_bytes()),
        case(
            "sparse log beyond the line buffer",
            1,
            Stdout,
            &["ap.dynamic_key_expired", "line 2"],
            |x| a(&["explain", "--log", &x.path("sparse.log")]),
        ),
        // Invalid UTF-8 arguments.
        case(
            "token channel not UTF-8",
            2,
            Stderr,
            &["invalid UTF-8", "--help"],
            |_| {
                vec![
                    "token".into(),
                    GOOD_007.into(),
                    "--channel".into(),
                    invalid_utf8(),
                ]
            },
        ),
        case(
            "probe channel not UTF-8",
            2,
            Stderr,
            &["invalid UTF-8", "--help"],
            |_| vec!["probe".into(), "--channel".into(), invalid_utf8()],
        ),
        case(
            "explain query not UTF-8",
            2,
            Stderr,
            &["invalid UTF-8", "--help"],
            |_| vec!["explain".into(), invalid_utf8()],
        ),
        // Unknown flags, subcommands and values.
        case(
            "unknown global flag",
            2,
            Stderr,
            &["--frobnicate", "--help"],
            |_| a(&["--frobnicate"]),
        ),
        case(
            "unknown token flag",
            2,
            Stderr,
            &["--frobnicate", "--help"],
            |_| a(&["token", "--frobnicate", GOOD_007]),
        ),
        case(
            "unknown explain flag",
            2,
            Stderr,
            &["--frobnicate", "--help"],
            |_| a(&["explain", "--frobnicate", "110"]),
        ),
        case(
            "unknown probe flag",
            2,
            Stderr,
            &["--frobnicate", "--help"],
            |_| a(&["probe", "--frobnicate"]),
        ),
        case("unknown subcommand", 2, Stderr, &["frob", "--help"], |_| {
            a(&["frob"])
        }),
        case(
            "uid not a number",
            2,
            Stderr,
            &["abc", "--uid", "--help"],
            |_| a(&["token", GOOD_007, "--uid", "abc"]),
        ),
        // Certificate files.
        case(
            "cert file missing",
            2,
            Stderr,
            &["missing.pem", "no such file", "check the path"],
            |x| a(&["token", GOOD_007, "--cert-file", &x.path("missing.pem")]),
        ),
        case(
            "cert file empty",
            2,
            Stderr,
            &["empty.pem", "not 32 hexadecimal", "Agora Console"],
            |x| a(&["token", GOOD_007, "--cert-file", &x.path("empty.pem")]),
        ),
        case(
            "cert file is a directory",
            2,
            Stderr,
            &["a-directory", "is a directory", "check the path"],
            |x| a(&["token", GOOD_007, "--cert-file", &x.path("a-directory")]),
        ),
        case(
            "cert file unreadable",
            2,
            Stderr,
            &["/proc/self/mem", "input/output error", "check the path"],
            |_| a(&["token", GOOD_007, "--cert-file", "/proc/self/mem"]),
        ),
        case(
            "cert file under a file",
            2,
            Stderr,
            &["empty.pem/cert", "not a directory", "check the path"],
            |x| a(&["token", GOOD_007, "--cert-file", &x.path("empty.pem/cert")]),
        ),
        case(
            "cert file binary",
            2,
            Stderr,
            &["garbage.bin", "check the path"],
            |x| a(&["token", GOOD_007, "--cert-file", &x.path("garbage.bin")]),
        ),
        // Log files.
        case(
            "log missing",
            2,
            Stderr,
            &["missing.log", "no such file", "pass a readable file"],
            |x| a(&["explain", "--log", &x.path("missing.log")]),
        ),
        case(
            "log is a directory",
            2,
            Stderr,
            &["a-directory", "is a directory", "check the file"],
            |x| a(&["explain", "--log", &x.path("a-directory")]),
        ),
        case(
            "log unreadable",
            2,
            Stderr,
            &["/proc/self/mem", "input/output error", "check the file"],
            |_| a(&["explain", "--log", "/proc/self/mem"]),
        ),
        // Values that are not what they claim.
        case(
            "--url not a URL",
            2,
            Stderr,
            &["--url", "notaurl", "http://localhost"],
            |_| a(&["probe", "--only", "secure_context", "--url", "notaurl"]),
        ),
        case(
            "--url scheme only",
            2,
            Stderr,
            &["--url", "http://", "http://localhost"],
            |_| a(&["probe", "--only", "secure_context", "--url", "http://"]),
        ),
        case(
            "--url with spaces",
            2,
            Stderr,
            &["--url", "http://exa mple.com", "http://localhost"],
            |_| {
                a(&[
                    "probe",
                    "--only",
                    "secure_context",
                    "--url",
                    "http://exa mple.com/",
                ])
            },
        ),
        case(
            "--now not a time",
            2,
            Stderr,
            &["--now", "yesterday", "RFC 3339"],
            |_| a(&["token", GOOD_007, "--now", "yesterday"]),
        ),
        case(
            "--now impossible date",
            2,
            Stderr,
            &["--now", "2026-13-45", "RFC 3339"],
            |_| a(&["token", GOOD_007, "--now", "2026-13-45T00:00:00Z"]),
        ),
        case(
            "--expire garbage",
            2,
            Stderr,
            &["--expire", "garbage", "90s, 30m, 1h, 1d"],
            |_| {
                a(&[
                    "token",
                    "build",
                    "--app-id",
                    APP_ID,
                    "--channel",
                    "c",
                    "--uid",
                    "1",
                    "--expire",
                    "garbage",
                ])
            },
        )
        .cert_env(),
        case(
            "--expire negative",
            2,
            Stderr,
            &["--expire", "-5", "90s, 30m, 1h, 1d"],
            |_| {
                a(&[
                    "token",
                    "build",
                    "--app-id",
                    APP_ID,
                    "--channel",
                    "c",
                    "--uid",
                    "1",
                    "--expire=-5",
                ])
            },
        )
        .cert_env(),
        case(
            "--edge not HOST:PORT",
            2,
            Stderr,
            &["--edge", "nohostport", "HOST:PORT"],
            |_| probe_network("nohostport"),
        ),
        // Edges that are down or stall.
        case(
            "edge refuses",
            1,
            Stdout,
            &["refused", "probe.network.tcp_refused", "fix:"],
            |x| probe_network(&format!("127.0.0.1:{}", x.closed_port)),
        ),
        case(
            "edge accepts and never answers",
            1,
            Stdout,
            &["probe.network", "fix:"],
            |x| probe_network(&x.stalled),
        ),
    ]
}

/// A server that accepts every connection and never writes a byte; connections are kept open
/// until the test process ends (the listener thread is detached, the test binary exits after).
fn stalled_server() -> String {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = l.local_addr().unwrap().to_string();
    let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            held.lock().unwrap().push(s);
        }
    });
    addr
}

fn context() -> Ctx {
    let dir = tempfile::tempdir().expect("temp dir");
    let garbage: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(dir.path().join("empty.pem"), b"").unwrap();
    std::fs::write(dir.path().join("garbage.bin"), &garbage).unwrap();
    std::fs::create_dir(dir.path().join("a-directory")).unwrap();
    // Sparse: set_len allocates nothing; the error line after it is on line 2.
    let mut f = std::fs::File::create(dir.path().join("sparse.log")).unwrap();
    f.set_len(SPARSE_LOG_BYTES).unwrap();
    std::io::Seek::seek(&mut f, std::io::SeekFrom::End(0)).unwrap();
    f.write_all(format!("\n{ERROR_LINE}\n").as_bytes()).unwrap();
    let (closed, closed_port) = common::closed_port();
    Ctx {
        dir,
        _closed: closed,
        closed_port,
        stalled: stalled_server(),
        garbage,
    }
}

fn run(case: &Case, x: &Ctx) -> Result<(), String> {
    let mut cmd = doctor();
    cmd.args((case.args)(x)).timeout(HANG_TIMEOUT);
    if case.env_cert {
        cmd.env("AGORA_APP_CERTIFICATE", CERT);
    }
    match case.stdin {
        Some(f) => cmd.write_stdin(f(x)),
        None => cmd.write_stdin(Vec::new()),
    };
    let out = cmd.output().map_err(|e| format!("could not run: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let show = || {
        let cut = |s: &str| s.chars().take(2000).collect::<String>();
        format!("stdout:\n{}\nstderr:\n{}", cut(&stdout), cut(&stderr))
    };
    let Some(code) = out.status.code() else {
        return Err(format!(
            "no exit code (killed by the hang timeout?)\n{}",
            show()
        ));
    };
    if code != case.code {
        return Err(format!("exit {code}, want {}\n{}", case.code, show()));
    }
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        if stdout.contains(bad) || stderr.contains(bad) {
            return Err(format!("panic text `{bad}`\n{}", show()));
        }
    }
    let text = match case.on {
        On::Stdout => &stdout,
        On::Stderr => &stderr,
    }
    .to_lowercase();
    for want in case.expect {
        if !text.contains(&want.to_lowercase()) {
            return Err(format!("{:?} lacks {want:?}\n{}", case.on, show()));
        }
    }
    // Errors are one short message, not an echo of a 10 MB input.
    if stderr.len() > 4096 || stdout.len() > 64 * 1024 {
        return Err(format!(
            "output too long: {} bytes of stdout, {} of stderr",
            stdout.len(),
            stderr.len()
        ));
    }
    Ok(())
}

#[test]
fn matrix_has_at_least_40_cases() {
    let names: Vec<&str> = cases().iter().map(|c| c.name).collect();
    assert!(names.len() >= 40, "only {} cases", names.len());
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "duplicate case names");
}

#[test]
fn every_bad_input_gets_a_clear_message_and_no_panic() {
    let x = context();
    let cases = cases();
    let failures = common::errors_on_two_threads(&cases, |c| {
        run(c, &x).map_err(|e| format!("[{}] {e}", c.name))
    });
    let sparse = PathBuf::from(x.path("sparse.log"));
    drop(x);
    assert!(!sparse.exists(), "the sparse log is deleted with its dir");
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Regression: `explain` with a 10 MB query spent minutes computing "did you mean" distances
/// against every alias, and echoed all 10 MB back in the error.
#[test]
fn huge_explain_query_is_not_echoed_or_fuzzy_matched() {
    let stderr = common::assert_refused(
        doctor()
            .args(["explain", "-"])
            .write_stdin(format!("zz{}", "q".repeat(1 << 20))),
        HANG_TIMEOUT,
        &["1048578 bytes"],
    );
    assert!(stderr.len() < 1000, "{} bytes of stderr", stderr.len());
}

/// Regression: a log line without a newline (a sparse or binary file) grew the scan buffer to the
/// whole file (2 GB of RAM for a 1 GB sparse file). Reading a line longer than the cap must keep
/// the counts right and still find the error after it.
#[test]
fn log_line_longer_than_the_buffer_is_scanned_in_pieces() {
    let mut log = vec![b'x'; 40 << 20];
    log.extend_from_slice(format!("\n{ERROR_LINE}\n").as_bytes());
    let out = doctor()
        .args(["explain", "--log", "-", "--json"])
        .write_stdin(log)
        .timeout(HANG_TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = common::schema::parse_json_output(&out.stdout);
    let text = doc.to_string();
    assert!(text.contains("ap.dynamic_key_expired"), "{text}");
    let mut buf = String::new();
    std::io::Cursor::new(&out.stdout)
        .read_to_string(&mut buf)
        .unwrap();
    assert!(
        buf.contains("\"first_line\":2") || buf.contains("\"first_line\": 2"),
        "{buf}"
    );
}
