//! The devices check against a real capture device the test starts for itself: a private PulseAudio
//! with a null sink and a remap source fed a known sox tone (no kernel sound modules needed). Covers
//! the measured level (±1 dB of the tone's), every expected sample kept, a source that starts slowly
//! (PulseAudio's own sine source), silence (muted source), busy (suspended source) and no device (no
//! sound server).

use crate::common::pulse;
use crate::common::schema;

use assert_cmd::Command;
use pulse::{sine_dbfs, Pulse, TONE_AMPLITUDE};
use serde_json::Value;

/// Run `probe --only devices --json` as a client of `pulse` (or of nothing) and return the check.
fn devices_check(env: &[(String, String)]) -> (i32, Value) {
    let out = Command::cargo_bin("agora-doctor")
        .unwrap()
        .args(["probe", "--only", "devices", "--json"])
        .env_remove("PULSE_SERVER")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.is_empty(),
        "no JSON; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = schema::parse_json_output(stdout.as_bytes());
    (out.status.code().unwrap_or(-1), json["checks"][0].clone())
}

/// The RMS level the check reported ("… RMS -9.03 dBFS …").
fn rms_dbfs(check: &Value) -> f64 {
    let evidence: Vec<&str> = check["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    let line = evidence
        .iter()
        .find(|e| e.contains("RMS"))
        .unwrap_or_else(|| panic!("no level in {evidence:?}"));
    let after = line.split("RMS ").nth(1).unwrap();
    after.split(' ').next().unwrap().parse().unwrap()
}

/// Samples kept and expected, from "… 72000 samples kept (0.75 s of audio of 1.50 s expected; …".
fn kept_and_expected(check: &Value) -> (f64, f64) {
    let line = check["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .find(|e| e.contains("samples kept"))
        .unwrap_or_else(|| panic!("no sample count in {check:#}"))
        .to_owned();
    let seconds = |after: &str| -> f64 {
        let rest = line.split(after).nth(1).unwrap();
        rest.trim_start()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    (seconds("kept ("), seconds("audio of"))
}

#[test]
fn known_tone_is_measured_within_one_db() {
    let mut pulse = Pulse::start();
    pulse.play_tone(TONE_AMPLITUDE);
    let (code, check) = devices_check(&pulse.env());
    assert_eq!(check["key"], "probe.devices.ok", "{check:#}");
    assert_eq!(code, 0);
    let measured = rms_dbfs(&check);
    let expected = sine_dbfs(TONE_AMPLITUDE);
    assert!(
        (measured - expected).abs() <= 1.0,
        "measured {measured:.2} dBFS, tone is {expected:.2} dBFS"
    );
    // Regression: a working source kept only about a third of the expected samples.
    let (kept, wanted) = kept_and_expected(&check);
    assert!(
        kept >= wanted && wanted >= 1.0,
        "{kept} s kept of {wanted} s: {check:#}"
    );
}

/// Regression: PulseAudio's `module-sine-source` was called "held by another program" although
/// `arecord` reads it: it delivers a burst, then nothing for longer than the old capture window.
#[test]
fn a_slow_starting_source_is_measured_not_called_busy() {
    let pulse = Pulse::start();
    pulse.sine_source();
    let (code, check) = devices_check(&pulse.env());
    assert_eq!(check["key"], "probe.devices.ok", "{check:#}");
    assert_eq!(code, 0);
    let measured = rms_dbfs(&check);
    let expected = sine_dbfs(0.5);
    assert!(
        (measured - expected).abs() <= 1.0,
        "measured {measured:.2} dBFS, the sine source is {expected:.2} dBFS"
    );
    let (kept, wanted) = kept_and_expected(&check);
    assert!(
        kept >= wanted && wanted >= 1.0,
        "{kept} s kept of {wanted} s: {check:#}"
    );
}

#[test]
fn muted_source_is_silent() {
    let mut pulse = Pulse::start();
    pulse.play_tone(TONE_AMPLITUDE);
    assert!(pulse.pactl(&["set-source-mute", "vmic", "1"]));
    let (code, check) = devices_check(&pulse.env());
    assert_eq!(check["key"], "probe.devices.silent", "{check:#}");
    assert_eq!(check["status"], "fail");
    assert_eq!(code, 1);
}

#[test]
fn suspended_source_is_busy() {
    let mut pulse = Pulse::start();
    pulse.play_tone(TONE_AMPLITUDE);
    assert!(pulse.pactl(&["suspend-source", "vmic", "1"]));
    let (code, check) = devices_check(&pulse.env());
    assert_eq!(check["key"], "probe.devices.busy", "{check:#}");
    assert_eq!(code, 1);
}

#[test]
fn no_sound_server_means_no_device() {
    let dir = std::env::temp_dir().join(format!("agora-doctor-nopulse-{}", std::process::id()));
    let env = vec![
        (
            "PULSE_SERVER".to_string(),
            format!("unix:{}/absent", dir.display()),
        ),
        ("PULSE_RUNTIME_PATH".to_string(), dir.display().to_string()),
        ("XDG_RUNTIME_DIR".to_string(), dir.display().to_string()),
    ];
    let (code, check) = devices_check(&env);
    assert_eq!(check["key"], "probe.devices.no_device", "{check:#}");
    assert_eq!(check["status"], "fail");
    assert_eq!(code, 1);
}
