//! Probe's `join` check: the native join cycle ([`super::run_cycle`]) as one entry of the probe
//! runner. Under `probe --sim` it runs against the SDK double and the simulated relay (test doubles)
//! with a listening second connection, and says so; otherwise against the user's SDK and project.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use agora_sim::native::RelayFault;
use agora_token_core::{rtc_007, uid_text, Role};

use super::sim::{self, SimEdge};
use super::{run_cycle, JoinOptions, JoinReport, SdkChoice, DISCONNECT_WAIT, HEAR_GRACE};
use crate::native::loader::ENV_VAR;
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::probe::{ProbeContext, ProbeInputs};
use crate::report::{Finding, Status};

/// Registry entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "join",
    title: "Join, publish and leave through the native SDK",
    inputs: "--app-id, --channel, --token or the App Certificate, --sdk/AGORA_SDK_LIB (under --sim: the SDK double)",
    budget,
    run: |ctx| Box::pin(run(ctx)),
};

/// Wait for each connection to be accepted or refused (the SDK itself retries for 20 minutes).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);
/// Tone published by the check (long enough to measure, short enough for a probe).
pub const TONE: Duration = Duration::from_secs(1);
/// Lifetime of tokens the check builds from the certificate (seconds).
pub const TOKEN_LIFETIME: u32 = 600;

fn budget(_ctx: &ProbeContext) -> Duration {
    // Two connections may each wait their full deadline, then the tone, the grace, two leaves.
    CONNECT_TIMEOUT * 2 + TONE + HEAR_GRACE + DISCONNECT_WAIT * 2 + Duration::from_secs(2)
}

fn unix(now: SystemTime) -> u64 {
    now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Run the check.
pub async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    let inputs = &ctx.inputs;
    let now = unix((ctx.now)());
    let uid_text_in = inputs.uid.clone().unwrap_or_else(|| "0".to_string());
    let Ok(uid) = uid_text_in.parse::<u32>() else {
        return missing(
            format!("the native SDK joins with a numeric uid; --uid {uid_text_in:?} is not one"),
            ctx.sim.is_some(),
        );
    };
    if ctx.sim.is_some() {
        let app_id = inputs
            .app_id
            .clone()
            .unwrap_or_else(|| sim::SIM_APP_ID.to_string());
        let channel = inputs
            .channel
            .clone()
            .unwrap_or_else(|| sim::SIM_CHANNEL.to_string());
        let cert = inputs
            .app_certificate
            .as_ref()
            .map(|s| s.expose().to_string());
        let edge = match SimEdge::start(&app_id, cert, RelayFault::None) {
            Ok(e) => e,
            Err(e) => {
                return CheckOutput::single(Finding::new(
                    "probe.join.service_failed",
                    Status::Error,
                    format!("could not start the simulated native relay on 127.0.0.1: {e}"),
                ))
            }
        };
        let Some(double) = inputs.sdk.clone().or_else(sim::double_path) else {
            return missing(format!(
                "the SDK double ({}) is not next to this executable and the copy this binary carries could not be written to the cache or the temporary folder; set AGORA_DOCTOR_CACHE to a writable folder",
                sim::DOUBLE_LIBRARY
            ), true);
        };
        let token = inputs
            .token
            .clone()
            .or_else(|| Some(edge.token(&channel, uid, now)));
        let options = JoinOptions {
            app_id,
            token,
            listen_token: Some(edge.token(&channel, 0, now)),
            channel,
            uid: uid.to_string(),
            listen_uid: "0".into(),
            sdk: SdkChoice {
                flag: Some(double),
                env: None,
                ld_library_path: None,
            },
            listen: true,
            connect_timeout: CONNECT_TIMEOUT,
            tone: TONE,
            sim_relay: Some(edge.addr()),
        };
        let report = run_cycle(&options).await;
        drop(edge);
        return output(&report);
    }
    let (Some(app_id), Some(channel)) = (inputs.app_id.clone(), inputs.channel.clone()) else {
        return missing(
            "the join check needs --app-id and --channel".to_string(),
            false,
        );
    };
    let built =
        |for_uid: u32| token_from_certificate(inputs, &app_id, &channel, &uid_text(for_uid), now);
    let token = inputs.token.clone().or_else(|| built(uid));
    // A second connection needs its own token: uid 0 built from the certificate, or the user's token
    // when no certificate was given (works when that token is for uid 0).
    let listen_token = built(0).or_else(|| token.clone());
    let options = JoinOptions {
        app_id,
        token,
        listen_token,
        channel,
        uid: uid.to_string(),
        listen_uid: "0".into(),
        sdk: SdkChoice {
            flag: inputs.sdk.clone(),
            env: std::env::var_os(ENV_VAR),
            ld_library_path: std::env::var_os("LD_LIBRARY_PATH"),
        },
        listen: true,
        connect_timeout: CONNECT_TIMEOUT,
        tone: TONE,
        sim_relay: None,
    };
    output(&run_cycle(&options).await)
}

/// A publisher token for `channel` and `uid` (text; "" = any uid) built from the App Certificate the
/// user gave (`AGORA_APP_CERTIFICATE`, `--cert-file`), valid [`TOKEN_LIFETIME`] seconds from `now`;
/// `None` without a certificate. The native join and the browser flow both use it.
pub fn token_from_certificate(
    inputs: &ProbeInputs,
    app_id: &str,
    channel: &str,
    uid: &str,
    now: u64,
) -> Option<String> {
    let cert = inputs.app_certificate.as_ref()?;
    rtc_007(
        app_id,
        cert.expose(),
        channel,
        uid,
        Role::Publisher,
        now as u32,
        TOKEN_LIFETIME,
        TOKEN_LIFETIME,
        (now as u32).wrapping_mul(2_654_435_761) | 1,
    )
    .ok()
}

fn missing(summary: String, sim: bool) -> CheckOutput {
    CheckOutput::single(
        Finding::new("probe.join.inputs_missing", Status::Skip, summary).with_fix(missing_fix(sim)),
    )
}

/// What to do about a missing input; `--sim` is suggested only to a run that is not using it.
fn missing_fix(sim: bool) -> &'static str {
    if sim {
        "pass a numeric --uid (the native SDK joins with numbers), or drop --uid"
    } else {
        "pass --app-id, --channel and a token or the App Certificate (or run with --sim)"
    }
}

/// The check's output: the cycle's verdict, with the simulation label and per-step timings as evidence.
pub fn output(report: &JoinReport) -> CheckOutput {
    let mut headline = report.finding.clone();
    let mut evidence = Vec::new();
    if report.simulated {
        evidence.push(
            "simulated: SDK double + simulated relay on loopback (test doubles, not Agora's SDK or service)"
                .to_string(),
        );
    }
    if let Some(lib) = &report.library {
        evidence.push(format!(
            "library: {} ({})",
            lib.path,
            lib.version.as_deref().unwrap_or("version unknown")
        ));
    }
    for s in &report.steps {
        evidence.push(format!(
            "step {}: {} ms, {} — {}",
            s.name,
            s.ms,
            s.status.as_str(),
            s.detail
        ));
    }
    evidence.append(&mut headline.evidence);
    headline.evidence = evidence;
    CheckOutput::single(headline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sim_run_is_never_told_to_run_with_sim() {
        assert!(!missing_fix(true).contains("--sim"));
        assert!(missing_fix(false).contains("--sim"));
    }
}
