//! Computes `agora-doctor join`: resolve the inputs into [`JoinOptions`] (building tokens from the
//! certificate, or the simulated world's for `--sim`), run the cycle, and say how it ended: 0 joined
//! (warnings allowed) or skipped (no SDK found), 1 a step failed, 2 could not run (bad input).

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use agora_sim::native::RelayFault;
use agora_sim::world::SimWorld;
use agora_token_core::mint::publisher_token;
use agora_token_core::uid_text;

use super::sim;
use super::{run_cycle, JoinOptions, JoinReport, SdkChoice};
use crate::cli::join::{JoinArgs, SimFault};
use crate::env::Env;
use crate::inputs::{given_secrets, Asked, Inputs};
use crate::native::loader::ENV_VAR;
use crate::vocabulary::{outcome_of, Computed, Failure, Outcome, Redaction};

/// Compute the command's report (running the cycle), or say why it could not run.
pub fn compute(args: JoinArgs, env: &Env) -> Result<Computed<JoinReport>, Failure> {
    // Evidence may quote the SDK and the edge, which may quote the token: redacted like a report.
    let asked = asked(&args);
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
    let outcome = outcome(&report);
    let mut computed = Computed::new(report, outcome);
    computed.redaction = redaction;
    Ok(computed)
}

/// The exit outcome of a report: as in `probe`, a skip (nothing tried, e.g. no SDK found) is not a
/// failure; fail/error = findings.
pub fn outcome(report: &JoinReport) -> Outcome {
    outcome_of([report.finding.status], false)
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

/// What the user asked for, with `--cert-file` read (once: the redactor and the certificate's
/// resolution share the read).
pub fn asked(args: &JoinArgs) -> Asked<'_> {
    Asked {
        sim: args.sim,
        app_id: args.app_id.as_deref(),
        token: args.token.as_deref(),
        channel: args.channel.as_deref(),
        uid: Some(args.uid.as_str()),
        cert_file: args.cert_file.as_deref(),
        relay_fault: match args.sim_fault {
            Some(SimFault::Stall) => RelayFault::Stall,
            _ => RelayFault::None,
        },
        ..Asked::default()
    }
    .read_cert_file()
}

/// Turn arguments into options: the inputs are resolved once (under `--sim` that starts the
/// simulated world, whose project mints the tokens).
pub fn prepare(args: &JoinArgs, asked: &Asked<'_>, env: &Env) -> Result<Prepared, String> {
    let connect_timeout = seconds("timeout", args.timeout, 3600.0)?;
    let tone = seconds("tone-secs", args.tone_secs, 60.0)?;
    let uid_num = parse_uid(&args.uid)?;
    let inputs = Inputs::resolve(asked, env).map_err(|e| e.to_string())?;
    let now = env.now();
    if let Some(world) = inputs.world().cloned() {
        let channel = inputs.channel.clone().unwrap_or_default();
        let relay = if args.sim_fault == Some(SimFault::Down) {
            unused_loopback_addr().map_err(|e| format!("could not reserve a loopback port: {e}"))?
        } else {
            world.relay_addr()
        };
        let uid = uid_text(uid_num);
        let (token, listen_token) = match (inputs.token_minted, args.sim_fault) {
            (false, _) => (inputs.token.clone(), None),
            (true, Some(SimFault::Expired)) => (
                Some(world.mint_for(&channel, &uid, now - 7200, 3600)),
                Some(world.mint(&channel, "", now)),
            ),
            (true, _) => (inputs.token.clone(), Some(world.mint(&channel, "", now))),
        };
        let sim_double = args.sdk.is_none();
        let sdk = match args.sdk.clone() {
            Some(p) => p,
            None => sim::double_path().ok_or_else(|| {
                format!(
                    "the SDK double ({}) is not next to this executable and the system refused the in-memory copy this binary carries (memfd_create); pass --sdk PATH to a build of the double",
                    sim::DOUBLE_LIBRARY
                )
            })?,
        };
        let options = JoinOptions {
            app_id: inputs.app_id.clone().unwrap_or_default(),
            token,
            listen_token,
            channel,
            uid: args.uid.clone(),
            listen_uid: "0".into(),
            sdk: SdkChoice {
                flag: Some(sdk),
                env: None,
                ld_library_path: None,
                sim_double,
            },
            listen: args.listen,
            connect_timeout,
            tone,
            sim_relay: Some(relay),
        };
        return Ok(Prepared {
            options,
            world: Some(world),
            notes: inputs.notes,
        });
    }
    let app_id = inputs.app_id.clone().ok_or(
        "--app-id (or AGORA_APP_ID) is required; use --sim to try the cycle against the SDK double",
    )?;
    let channel = inputs
        .channel
        .clone()
        .ok_or("--channel is required: the channel to join")?;
    let (token, listen_token) = match (&inputs.token, &inputs.certificate) {
        (Some(t), _) => (Some(t.clone()), None),
        (None, Some(cert)) => {
            let build = |uid: u32| {
                publisher_token(&app_id, cert.expose(), &channel, &uid_text(uid), now)
                    .map_err(|e| format!("could not build a token for App ID {app_id}: {e}"))
            };
            (Some(build(uid_num)?), Some(build(0)?))
        }
        (None, None) => (None, None),
    };
    Ok(Prepared {
        options: JoinOptions {
            app_id,
            token,
            listen_token,
            channel,
            uid: args.uid.clone(),
            listen_uid: "0".into(),
            sdk: SdkChoice {
                flag: args.sdk.clone(),
                env: env.var(ENV_VAR).map(Into::into),
                ld_library_path: env.var("LD_LIBRARY_PATH").map(Into::into),
                sim_double: false,
            },
            listen: args.listen,
            connect_timeout,
            tone,
            sim_relay: None,
        },
        world: None,
        notes: inputs.notes,
    })
}

/// A loopback address nothing listens on (bound, then released).
fn unused_loopback_addr() -> std::io::Result<SocketAddr> {
    let l = TcpListener::bind(("127.0.0.1", 0))?;
    l.local_addr()
}
