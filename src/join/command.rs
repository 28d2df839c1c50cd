//! Computes `agora-doctor join`: resolve the inputs into [`JoinOptions`] (building tokens from the
//! certificate, or the simulated world's for `--sim`), run the cycle, and say how it ended: 0 joined
//! (warnings allowed) or skipped (no SDK found), 1 a step failed, 2 could not run (bad input).

use std::sync::Arc;
use std::time::Duration;

use agora_sim::world::SimWorld;

use super::{run_cycle, JoinOptions, JoinReport};
use crate::cli::join::{JoinArgs, SimFault};
use crate::env::Env;
use crate::inputs::{given_secrets, Asked, Inputs};
use crate::vocabulary::{Computed, Failure, Redaction};

/// Compute the command's report (running the cycle), or say why it could not run.
pub fn compute(args: JoinArgs, env: &Env) -> Result<Computed<JoinReport>, Failure> {
    // Evidence may quote the SDK and the edge, which may quote the token: redacted like a report.
    let asked = Asked::join(&args);
    let redaction = Redaction::Public(given_secrets(&asked, env));
    let failed = |message: String| Failure {
        message,
        redaction: redaction.clone(),
    };
    let prepared = prepare(&args, &asked, env).map_err(failed)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(format!("could not start the async runtime: {e}")))?;
    let mut report = runtime.block_on(run_cycle(&prepared.options));
    // The simulated world (if any) stops only after the cycle has released everything.
    drop(prepared.world);
    report.notes = prepared.notes;
    let mut computed = Computed::new(report);
    computed.redaction = redaction;
    Ok(computed)
}

/// Options plus whatever must stay alive while they are used.
pub struct Prepared {
    /// The cycle's options.
    pub options: JoinOptions,
    /// The simulated world, for `--sim`.
    pub world: Option<Arc<SimWorld>>,
    /// What the input resolution decided that the user should know.
    pub notes: Vec<String>,
}

fn seconds(what: &str, v: f64, max: f64) -> Result<Duration, String> {
    if v.is_finite() && v > 0.0 && v <= max {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(format!(
            "--{what} {v} is out of range: give more than 0 and at most {max} seconds"
        ))
    }
}

fn parse_uid(uid: &str) -> Result<u32, String> {
    uid.parse::<u32>()
        .map_err(|_| format!("--uid {uid:?} is not a number from 0 to 4294967295"))
}

/// Turn arguments into options: the inputs are resolved once (under `--sim` that starts the
/// simulated world, whose project mints the tokens).
pub fn prepare(args: &JoinArgs, asked: &Asked<'_>, env: &Env) -> Result<Prepared, String> {
    let connect_timeout = seconds("timeout", args.timeout, 3600.0)?;
    let tone = seconds("tone-secs", args.tone_secs, 60.0)?;
    parse_uid(&args.uid)?;
    let inputs = Inputs::resolve(asked, env).map_err(|e| e.to_string())?;
    // The library and the relay the world names (under --sim the SDK double and the world's relay,
    // or an address nothing listens on for `--sim-fault down`).
    let (sdk, relay) = crate::world::join_native(
        &inputs.target,
        args.sdk.clone(),
        env,
        args.sim_fault == Some(SimFault::Down),
    )?;
    let app_id = inputs.app_id.clone().ok_or(
        "--app-id (or AGORA_APP_ID) is required; use --sim to try the cycle against the SDK double",
    )?;
    let channel = inputs
        .channel
        .clone()
        .ok_or("--channel is required: the channel to join")?;
    let built = |minted: &Option<Result<String, String>>| {
        minted
            .clone()
            .transpose()
            .map_err(|e| format!("could not build a token for App ID {app_id}: {e}"))
    };
    // A given token serves both connections; a minted one (expired for `--sim-fault expired`)
    // comes with one for the listener, for any uid.
    let (token, listen_token) = match &inputs.token {
        // (A token the world cannot build is joined with empty and refused like any bad one.)
        Some(t) if inputs.token_minted => (
            Some(t.clone()),
            inputs.minted.any_uid.clone().map(Result::unwrap_or_default),
        ),
        Some(t) => (Some(t.clone()), None),
        None => (
            built(&inputs.minted.numeric_uid)?,
            built(&inputs.minted.any_uid)?,
        ),
    };
    Ok(Prepared {
        options: JoinOptions {
            app_id,
            token,
            listen_token,
            channel,
            uid: args.uid.clone(),
            listen_uid: "0".into(),
            sdk,
            listen: args.listen,
            connect_timeout,
            tone,
            sim_relay: relay,
        },
        world: inputs.world().cloned(),
        notes: inputs.notes,
    })
}
