//! Probe's `join` check: the native join cycle ([`crate::join::run_cycle`]) as one entry of the probe
//! runner, with a listening second connection. When the profile names a relay (`probe --sim`: the
//! simulated world's) it runs through the SDK double (test doubles), and says so; otherwise against
//! the user's SDK and project.

use std::sync::Arc;
use std::time::Duration;

use crate::join::{run_cycle, JoinOptions, JoinReport, DISCONNECT_WAIT, HEAR_GRACE};
use crate::probe::context::ProbeContext;
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::vocabulary::{Finding, Status};

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

fn budget(_ctx: &ProbeContext) -> Duration {
    // Two connections may each wait their full deadline, then the tone, the grace, two leaves.
    CONNECT_TIMEOUT * 2 + TONE + HEAR_GRACE + DISCONNECT_WAIT * 2 + Duration::from_secs(2)
}

/// Run the check: against the relay the profile names (the simulated world's, through the SDK
/// double) or Agora's edge (through the user's SDK).
pub async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    let inputs = &ctx.inputs;
    let uid_text_in = inputs.uid.clone().unwrap_or_else(|| "0".to_string());
    let relay = ctx.profile.native_relay;
    let Ok(uid) = uid_text_in.parse::<u32>() else {
        return missing(
            format!("the native SDK joins with a numeric uid; --uid {uid_text_in:?} is not one"),
            relay.is_some(),
        );
    };
    let sdk = match crate::world::native_sdk(
        relay,
        inputs.sdk.clone(),
        inputs.sdk_env.clone(),
        inputs.ld_library_path.clone(),
    ) {
        Ok(sdk) => sdk,
        Err(why) => return missing(why, true),
    };
    let (Some(app_id), Some(channel)) = (inputs.app_id.clone(), inputs.channel.clone()) else {
        return missing(
            "the join check needs --app-id and --channel".to_string(),
            relay.is_some(),
        );
    };
    let token = inputs.token.clone().or_else(|| inputs.minted.numeric());
    // A second connection needs its own token: uid 0 minted from the certificate, or the user's
    // token when no certificate was given (works when that token is for uid 0).
    let listen_token = inputs.minted.any().or_else(|| token.clone());
    let options = JoinOptions {
        app_id,
        token,
        listen_token,
        channel,
        uid: uid.to_string(),
        listen_uid: "0".into(),
        sdk,
        listen: true,
        connect_timeout: CONNECT_TIMEOUT,
        tone: TONE,
        sim_relay: relay,
    };
    output(&run_cycle(&options).await, ctx.profile.native_double)
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

/// The check's output: the cycle's verdict, with what the join went through when that was a test
/// double (`double`, the profile's words) and per-step timings as evidence.
pub fn output(report: &JoinReport, double: Option<&str>) -> CheckOutput {
    let mut headline = report.finding.clone();
    let mut evidence: Vec<String> = double
        .map(|d| format!("simulated: {d}"))
        .into_iter()
        .collect();
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
