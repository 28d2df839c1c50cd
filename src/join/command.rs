//! Runs `agora-doctor join`: turn the arguments into [`JoinOptions`] (building tokens from the
//! certificate, or setting up the simulated edge for `--sim`), run the cycle, render, map to an exit
//! code: 0 joined (warnings allowed), 1 a step failed, 2 could not run (bad input, no SDK found).

use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use agora_sim::native::RelayFault;
use agora_token_core::{rtc_007, uid_text, Role};

use super::sim::{self, SimEdge};
use super::{run_cycle, JoinOptions, JoinReport, SdkChoice};
use crate::cli::join::{JoinArgs, SimFault};
use crate::native::loader::ENV_VAR;
use crate::render::{self, print_error, write_stdout, OutputContext};
use crate::report::Status;
use crate::Outcome;

/// Lifetime of tokens built from the certificate for one run (seconds).
pub const BUILT_TOKEN_LIFETIME: u32 = 600;
/// Environment variable holding the App Certificate.
pub const CERT_ENV: &str = "AGORA_APP_CERTIFICATE";

/// Run the command.
pub fn run(args: JoinArgs, ctx: &OutputContext) -> Outcome {
    let json = args.json;
    let redactor =
        crate::probe::command::run_redactor(args.token.as_deref(), args.cert_file.as_deref());
    let prepared = match prepare(args) {
        Ok(p) => p,
        Err(message) => {
            print_error(&message);
            return Outcome::CouldNotRun;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            print_error(&format!("could not start the async runtime: {e}"));
            return Outcome::CouldNotRun;
        }
    };
    let report = runtime.block_on(run_cycle(&prepared.options));
    // The simulated edge (if any) stops only after the cycle has released everything.
    drop(prepared.edge);
    // Evidence may quote the SDK and the edge, which may quote the token: redacted like a report.
    let text = if json {
        redactor.json_text(&render::join::json(&report), &mut Default::default())
    } else {
        redactor.text_only(&render::join::human(&report, ctx))
    };
    if let Err(e) = write_stdout(&text) {
        print_error(&format!("could not write the report: {e}"));
        return Outcome::CouldNotRun;
    }
    outcome(&report)
}

/// The exit outcome of a report: skip (no SDK) = could not run, fail/error = findings.
pub fn outcome(report: &JoinReport) -> Outcome {
    match report.finding.status {
        Status::Pass | Status::Warn => Outcome::Ok,
        Status::Skip => Outcome::CouldNotRun,
        Status::Fail | Status::Error => Outcome::Findings,
    }
}

/// Options plus whatever must stay alive while they are used.
pub struct Prepared {
    /// The cycle's options.
    pub options: JoinOptions,
    /// The simulated edge, for `--sim`.
    pub edge: Option<SimEdge>,
}

fn now() -> u64 {
    agora_clock::unix()
}

fn seconds(what: &str, v: f64, max: f64) -> Result<Duration, String> {
    if v.is_finite() && v > 0.0 && v <= max {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(format!(
            "--{what} {v} is out of range: give seconds between 0 and {max}"
        ))
    }
}

fn read_certificate(args: &JoinArgs) -> Result<Option<String>, String> {
    let raw = match &args.cert_file {
        Some(p) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("could not read the App Certificate from standard input: {e}"))?;
            s
        }
        Some(p) => std::fs::read_to_string(p).map_err(|e| {
            format!("could not read --cert-file {}: {e}; pass a file holding the 32-character App Certificate", p.display())
        })?,
        None => match std::env::var(CERT_ENV) {
            Ok(v) => v,
            Err(_) => return Ok(None),
        },
    };
    let cert = raw.trim().to_string();
    if cert.len() != 32 || !cert.chars().all(|c| c.is_ascii_hexdigit()) {
        // Never echo the value: it is a secret even when malformed.
        return Err(format!(
            "the App Certificate ({} characters) is not 32 hex characters; copy it again from the Agora console",
            cert.len()
        ));
    }
    Ok(Some(cert))
}

fn parse_uid(uid: &str) -> Result<u32, String> {
    uid.parse::<u32>()
        .map_err(|_| format!("--uid {uid:?} is not a number from 0 to 4294967295"))
}

/// Turn arguments into options (pure apart from reading the certificate and starting the sim edge).
pub fn prepare(args: JoinArgs) -> Result<Prepared, String> {
    let connect_timeout = seconds("timeout", args.timeout, 3600.0)?;
    let tone = seconds("tone-secs", args.tone_secs, 60.0)?;
    let uid_num = parse_uid(&args.uid)?;
    let certificate = read_certificate(&args)?;
    let now = now();
    if args.sim {
        let app_id = args
            .app_id
            .clone()
            .unwrap_or_else(|| sim::SIM_APP_ID.to_string());
        let channel = args
            .channel
            .clone()
            .unwrap_or_else(|| sim::SIM_CHANNEL.to_string());
        let fault = match args.sim_fault {
            Some(SimFault::Stall) => RelayFault::Stall,
            _ => RelayFault::None,
        };
        let edge = SimEdge::start(&app_id, certificate, fault)
            .map_err(|e| format!("could not start the simulated edge on 127.0.0.1: {e}"))?;
        let relay = if args.sim_fault == Some(SimFault::Down) {
            unused_loopback_addr().map_err(|e| format!("could not reserve a loopback port: {e}"))?
        } else {
            edge.addr()
        };
        let (token, listen_token) = match (&args.token, args.sim_fault) {
            (Some(t), _) => (Some(t.clone()), None),
            (None, Some(SimFault::Expired)) => (
                Some(edge.token_with(&channel, uid_num, now - 7200, 3600)),
                Some(edge.token(&channel, 0, now)),
            ),
            (None, _) => (
                Some(edge.token(&channel, uid_num, now)),
                Some(edge.token(&channel, 0, now)),
            ),
        };
        let sdk = match args.sdk.clone() {
            Some(p) => Some(p),
            None => Some(sim::double_path().ok_or_else(|| {
                format!(
                    "the SDK double ({}) is not next to this executable; build it with `cargo build -p agora-sdk-double` or pass --sdk",
                    sim::DOUBLE_LIBRARY
                )
            })?),
        };
        let options = JoinOptions {
            app_id,
            token,
            listen_token,
            channel,
            uid: args.uid.clone(),
            listen_uid: "0".into(),
            sdk: SdkChoice {
                flag: sdk,
                env: None,
                ld_library_path: None,
            },
            listen: args.listen,
            connect_timeout,
            tone,
            sim_relay: Some(relay),
        };
        return Ok(Prepared {
            options,
            edge: Some(edge),
        });
    }
    let app_id = args.app_id.clone().ok_or(
        "--app-id (or AGORA_APP_ID) is required; use --sim to try the cycle against the SDK double",
    )?;
    let channel = args
        .channel
        .clone()
        .ok_or("--channel is required: the channel to join")?;
    let (token, listen_token) = match (&args.token, &certificate) {
        (Some(t), _) => (Some(t.clone()), None),
        (None, Some(cert)) => {
            let build = |uid: u32| {
                rtc_007(
                    &app_id,
                    cert,
                    &channel,
                    &uid_text(uid),
                    Role::Publisher,
                    now as u32,
                    BUILT_TOKEN_LIFETIME,
                    BUILT_TOKEN_LIFETIME,
                    (now as u32).wrapping_mul(2_654_435_761) | 1,
                )
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
                env: std::env::var_os(ENV_VAR),
                ld_library_path: std::env::var_os("LD_LIBRARY_PATH"),
            },
            listen: args.listen,
            connect_timeout,
            tone,
            sim_relay: None,
        },
        edge: None,
    })
}

/// A loopback address nothing listens on (bound, then released).
fn unused_loopback_addr() -> std::io::Result<SocketAddr> {
    let l = TcpListener::bind(("127.0.0.1", 0))?;
    l.local_addr()
}
