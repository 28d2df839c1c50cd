//! The README's sample outputs are real: each block marked `<!-- sample…: ARGS -->` must equal what
//! `agora-doctor ARGS` prints now. `sample:` compares the whole stdout, `sample-tail:` its end, and
//! `sample-numbers:` the whole stdout with every run of digits replaced (ports, timings, dates), the
//! checkout's path shown as `.`, a clock offset's direction ignored and runs of spaces as one
//! (and the `--sim` flow's SDK getStats error, which depends on timing, left out).
//!
//! Every sample runs on the tool's fixed clock (`AGORA_DOCTOR_NOW`, [`README_NOW`]), so the samples
//! never rot with the calendar; a second test moves this machine's clock years ahead with
//! libfaketime and proves the output does not change.

use crate::common;
use crate::common::native;

use common::doctor;

/// One marked sample: how to compare, the arguments, the text in the README, its line.
struct Sample {
    mode: String,
    args: Vec<String>,
    expected: String,
    line: usize,
}

fn samples() -> Vec<Sample> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(marker) = line
            .trim()
            .strip_prefix("<!-- sample")
            .and_then(|m| m.strip_suffix("-->"))
        else {
            continue;
        };
        let (mode, args) = marker
            .split_once(':')
            .expect("marker is `<!-- sample[-mode]: ARGS -->`");
        let fence = lines[i + 1..]
            .iter()
            .position(|l| l.starts_with("```"))
            .map(|p| i + 1 + p)
            .expect("a fenced block follows the marker");
        let end = lines[fence + 1..]
            .iter()
            .position(|l| l.starts_with("```"))
            .map(|p| fence + 1 + p)
            .expect("the fenced block ends");
        out.push(Sample {
            mode: mode.trim_start_matches('-').to_owned(),
            args: split_args(args.trim()),
            expected: lines[fence + 1..end].join("\n"),
            line: i + 1,
        });
    }
    out
}

/// Split like a POSIX shell for the simple cases the README uses: spaces, '…' and "…".
fn split_args(s: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    let mut started = false;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, ' ') => {
                if started || !current.is_empty() {
                    args.push(std::mem::take(&mut current));
                }
                started = false;
            }
            (None, c) => current.push(c),
        }
    }
    if started || !current.is_empty() {
        args.push(current);
    }
    args
}

/// Paths under this checkout are shown as `./…`; a clock offset may be either side of zero.
fn volatile_blurred(s: &str) -> String {
    let s = s
        .replace(env!("CARGO_MANIFEST_DIR"), ".")
        .replace(" behind ", " ahead of ");
    // Columns padded to the widest number shift with it: a run of spaces counts as one.
    s.lines()
        .filter(|line| !sdk_stats_timer_line(line))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Under `--sim`, SDK 4.3.0's stats timer throws its getStats TypeError on current Chromium only
/// if it fires during the short flow (most runs, not all): the finding that reports it (a pass,
/// the SDK's own error) comes and goes with timing, so it is not compared.
fn sdk_stats_timer_line(line: &str) -> bool {
    line.contains("getStats")
        || line.contains("getstats_not_a_track")
        || (line.contains("[probe.browser.flow_console]") && line.contains("SDK 4.3.0 itself"))
}

fn numbers_blurred(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_number = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('0');
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

/// The instant the README's samples were taken at: every sample runs on this clock.
const README_NOW: &str = "2026-11-25T12:00:00Z";

/// `probe --sim` runs the Web SDK flow in Chromium (the README shows it; its microphone is
/// Chromium's synthetic one under --sim), so it must not be opted out as other tests are.
fn probe_sim(args: &[String]) -> bool {
    args.first().is_some_and(|a| a == "probe") && args.iter().any(|a| a == "--sim")
}

#[test]
fn readme_samples_match_real_output() {
    check_samples(samples(), None);
}

/// This machine's clock five years ahead (libfaketime, ticking) changes nothing the README shows:
/// the tool reads the time from its own clock, which `AGORA_DOCTOR_NOW` fixes. Chromium is not
/// run under libfaketime, so the one sample that drives it is left to the test above.
#[test]
fn readme_samples_hold_with_this_machines_clock_years_ahead() {
    let faketime = std::process::Command::new("faketime")
        .args(["-f", "+5y", "date", "+%Y"])
        .output()
        .expect("faketime is installed (scripts/apt/clock.txt)");
    let year: i32 = String::from_utf8_lossy(&faketime.stdout)
        .trim()
        .parse()
        .unwrap();
    let real: i32 = chrono_year_now();
    assert!(
        year >= real + 4,
        "faketime moved the clock to {year}, not ~5 years ahead of {real}"
    );
    let samples: Vec<Sample> = samples()
        .into_iter()
        .filter(|s| !probe_sim(&s.args))
        .collect();
    assert!(samples.len() >= 4, "the README lost its tested samples");
    check_samples(samples, Some(&["-f", "+5y"]));
}

/// This year by this machine's clock (only to check that faketime moved it).
fn chrono_year_now() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    1970 + (secs / 31_556_952) as i32
}

/// Run each sample (under `faketime ARGS…` when given) and compare it with the README.
fn check_samples(samples: Vec<Sample>, faketime: Option<&[&str]>) {
    assert!(samples.len() >= 4, "the README lost its tested samples");
    if samples.iter().any(|s| s.args.iter().any(|a| a == "--sim")) {
        // `probe --sim` and `join --sim` load the SDK double next to the binary.
        native::sdk_double();
    }
    for sample in samples {
        let mut cmd = match faketime {
            None => doctor(),
            Some(args) => {
                let mut cmd = assert_cmd::Command::new("faketime");
                cmd.args(args)
                    .arg(assert_cmd::cargo::cargo_bin("agora-doctor"))
                    .env_remove("AGORA_APP_CERTIFICATE")
                    .env("AGORA_DOCTOR_NO_BROWSER", "1")
                    .env("TERM", "dumb")
                    // Timers and timeouts keep this machine's monotonic clock.
                    .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
                cmd
            }
        };
        if probe_sim(&sample.args) {
            cmd.env_remove("AGORA_DOCTOR_NO_BROWSER");
        }
        let out = cmd
            .args(&sample.args)
            .env("NO_COLOR", "1")
            .env("AGORA_DOCTOR_NOW", README_NOW)
            .output()
            .unwrap();
        let actual = String::from_utf8_lossy(&out.stdout).trim_end().to_owned();
        let expected = sample.expected.trim_end();
        let (actual, expected) = match sample.mode.as_str() {
            "" => (actual, expected.to_owned()),
            // Only the end of the output is shown in the README.
            "tail" => {
                let start = actual.len().saturating_sub(expected.len());
                (
                    actual.get(start..).unwrap_or(&actual).to_owned(),
                    expected.to_owned(),
                )
            }
            "numbers" => (
                numbers_blurred(&volatile_blurred(&actual)),
                numbers_blurred(&volatile_blurred(expected)),
            ),
            other => panic!("README line {}: unknown sample mode `{other}`", sample.line),
        };
        let ok = actual == expected;
        let first_difference = actual
            .lines()
            .zip(expected.lines())
            .find(|(a, e)| a != e)
            .map(|(a, e)| format!("README: {e}\nnow:    {a}"))
            .unwrap_or_else(|| "(one is longer)".to_owned());
        assert!(
            ok,
            "README line {}: `agora-doctor {}` now prints:\n{actual}\n\nfirst difference:\n{first_difference}\n(stderr: {})",
            sample.line,
            sample.args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_argument_splitter_handles_quotes() {
    assert_eq!(split_args("a 'b c' \"d\" ''"), vec!["a", "b c", "d", ""]);
    assert_eq!(numbers_blurred("port 8080 in 12.5 ms"), "port 0 in 0.0 ms");
}
