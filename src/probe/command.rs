//! Runs `agora-doctor probe`: turn arguments into a context (starting the simulated edge for
//! `--sim`), run the checks with a spinner on a terminal, render, and map the result to an exit code.

use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::context::{ProbeContext, ProbeInputs, Secret, SimInfo};
use super::profile::{Endpoint, Profile};
use super::runner::{run_checks, CheckSpec, Progress};
use super::{ProbeReport, CHECKS};
use crate::cli::ProbeArgs;
use crate::redact::{Redactions, Redactor};
use crate::render::{print_error, probe as render, write_stdout, OutputContext};
use crate::token::certificate::CERT_ENV;
use crate::Outcome;

/// A bad input that stops the run before any check (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// `--only` named a check that does not exist.
    #[error("--only {0}: no such check; run `agora-doctor probe --list-checks` to see them")]
    UnknownCheck(String),
    /// `--edge` / `--stun` is not HOST:PORT.
    #[error("{flag} {reason}")]
    BadEndpoint {
        /// Which flag.
        flag: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// `--url` does not parse.
    #[error(
        "--url `{0}` is not a URL; pass it as the browser shows it, e.g. http://localhost:5173/"
    )]
    BadUrl(String),
    /// The certificate file cannot be read.
    #[error("--cert-file {path}: {reason}; pass a file holding the 32-hex-digit App Certificate, or set AGORA_APP_CERTIFICATE")]
    CertFile {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
    /// The simulated edge did not start.
    #[error("could not start the simulated edge: {0}; check that loopback (127.0.0.1) is usable")]
    Sim(String),
    /// The async runtime did not start.
    #[error("could not start the async runtime: {0}")]
    Runtime(String),
}

/// Run the command.
pub fn run(args: ProbeArgs, ctx: &OutputContext) -> Outcome {
    if args.list_checks {
        let text = render::list_checks(CHECKS, args.json);
        return finish(write_stdout(&text), Outcome::Ok);
    }
    match execute(&args, ctx) {
        Ok(report) => {
            let redactor = run_redactor(args.token.as_deref(), args.cert_file.as_deref());
            let text = if args.json {
                redactor.json_text(&render::json(&report), &mut Redactions::default())
            } else if ctx.quiet {
                let simulated = if report.simulated {
                    " [simulated edge, a test double]"
                } else {
                    ""
                };
                format!("{}{simulated}\n", render::summary_line(&report))
            } else {
                redactor.text_only(&render::human(&report))
            };
            let outcome = if report.exit_code == 0 {
                Outcome::Ok
            } else {
                Outcome::Findings
            };
            finish(write_stdout(&text), outcome)
        }
        Err(e) => {
            print_error(&e.to_string());
            Outcome::CouldNotRun
        }
    }
}

/// The redactor for a run's output: every token and certificate shape, plus the secrets this run
/// was given (the token, its repaired form and signature, AGORA_APP_CERTIFICATE, --cert-file).
pub fn run_redactor(token: Option<&str>, cert_file: Option<&std::path::Path>) -> Redactor {
    let mut certificates: Vec<String> = std::env::var(CERT_ENV).into_iter().collect();
    if let Some(cert) = cert_file.and_then(|p| std::fs::read_to_string(p).ok()) {
        certificates.push(cert);
    }
    let certificates: Vec<&str> = certificates.iter().map(String::as_str).collect();
    let diagnosis = token.map(agora_token_core::diagnose);
    Redactor::for_inputs(
        token,
        diagnosis.as_ref().and_then(|d| d.token.as_ref()),
        diagnosis.as_ref().and_then(|d| d.repaired.as_deref()),
        &certificates,
    )
}

fn finish(written: std::io::Result<()>, outcome: Outcome) -> Outcome {
    match written {
        Ok(()) => outcome,
        Err(e) => {
            print_error(&format!("could not write the report to stdout: {e}"));
            Outcome::CouldNotRun
        }
    }
}

/// Which checks `--only` selects (all when empty), in registry order.
pub fn select(only: &[String]) -> Result<Vec<CheckSpec>, ProbeError> {
    let wanted: Vec<String> = only
        .iter()
        .map(|s| s.trim().replace('-', "_"))
        .filter(|s| !s.is_empty())
        .collect();
    for id in &wanted {
        if !CHECKS.iter().any(|c| c.id == id) {
            return Err(ProbeError::UnknownCheck(id.clone()));
        }
    }
    Ok(CHECKS
        .iter()
        .filter(|c| wanted.is_empty() || wanted.iter().any(|w| w == c.id))
        .copied()
        .collect())
}

fn read_certificate(args: &ProbeArgs) -> Result<Option<Secret>, ProbeError> {
    if let Some(path) = &args.cert_file {
        let text = if path.as_os_str() == "-" {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map(|_| s)
        } else {
            std::fs::read_to_string(path)
        }
        .map_err(|e| ProbeError::CertFile {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        return Ok(Some(Secret::new(text.trim())));
    }
    Ok(std::env::var("AGORA_APP_CERTIFICATE")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Secret::new(s.trim())))
}

/// Build the context, run the checks and assemble the report.
pub fn execute(args: &ProbeArgs, output: &OutputContext) -> Result<ProbeReport, ProbeError> {
    let specs = select(&args.only)?;
    if let Some(url) = &args.url {
        url::Url::parse(url.trim()).map_err(|_| ProbeError::BadUrl(url.clone()))?;
    }
    let edges = args
        .edge
        .iter()
        .filter(|e| !e.trim().is_empty())
        .map(|e| Endpoint::parse(e))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|reason| ProbeError::BadEndpoint {
            flag: "--edge",
            reason,
        })?;
    let stun = args
        .stun
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(Endpoint::parse)
        .transpose()
        .map_err(|reason| ProbeError::BadEndpoint {
            flag: "--stun",
            reason,
        })?;
    let inputs = ProbeInputs {
        app_id: args.app_id.clone(),
        token: args.token.clone(),
        channel: args.channel.clone(),
        uid: args.uid.clone(),
        url: args.url.clone(),
        app_certificate: read_certificate(args)?,
        chrome_flags: args.chrome_flags.clone(),
        sdk: args.sdk.clone(),
        browser: args.browser,
        flow: args.flow,
        no_browser: args.no_browser,
        chromium: args.chromium.clone(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Runtime(e.to_string()))?;

    // The simulated edge lives as long as this function: dropping it stops its servers.
    let mut _edge = None;
    let mut ctx = if args.sim {
        let edge = agora_sim::edge::SimEdge::start().map_err(|e| ProbeError::Sim(e.to_string()))?;
        let ctx = sim_context(&edge, inputs, args);
        _edge = Some(edge);
        ctx
    } else {
        let mut profile = Profile::agora().with_edges(edges.clone());
        if let Some(stun) = stun.clone() {
            profile = profile.with_stun(stun);
        }
        ProbeContext::new(inputs, profile, Vec::new())
    };
    if args.sim {
        // Explicit endpoints still win over the sim's, so a test can aim one check elsewhere.
        ctx.profile = ctx.profile.clone().with_edges(edges);
        if let Some(stun) = stun {
            ctx.profile = ctx.profile.clone().with_stun(stun);
        }
    }
    ctx.devices.device = args.device.clone();
    let started = Instant::now();
    let spinner = (output.stderr_is_terminal && !args.json).then(|| Spinner::start(specs.len()));
    let checks = runtime.block_on(run_checks(
        Arc::new(ctx.clone()),
        &specs,
        spinner.as_ref().map(|s| s as &dyn Progress),
    ));
    if let Some(spinner) = spinner {
        spinner.bar.finish_and_clear();
    }
    let wall = started.elapsed();
    // Checks that overran were aborted; do not wait for stragglers on blocking threads.
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(ProbeReport::new(
        ctx.profile.label.clone(),
        ctx.profile.simulated,
        args.strict,
        checks,
        wall,
    ))
}

/// A context pointing every check at `edge` (the simulated edge, a double).
pub fn sim_context(
    edge: &agora_sim::edge::SimEdge,
    mut inputs: ProbeInputs,
    args: &ProbeArgs,
) -> ProbeContext {
    let profile = Profile::simulated(
        edge.describe(),
        edge.https_addr().port(),
        edge.udp_addr().port(),
    );
    if inputs.app_id.is_none() {
        inputs.app_id = Some(edge.project().app_id.clone());
    }
    if inputs.url.is_none() {
        // The page checks judge the simulated edge's demo page (a double of a well-set-up page).
        inputs.url = Some(edge.demo_page_url());
    }
    if inputs.app_certificate.is_none()
        && inputs.app_id.as_deref() == Some(edge.project().app_id.as_str())
    {
        inputs.app_certificate = Some(Secret::new(edge.project().app_certificate.clone()));
    }
    let profile = profile.with_clock_http(Endpoint::new("localhost", edge.http_addr().port()));
    let mut ctx = ProbeContext::new(inputs, profile, vec![edge.ca_der()]);
    ctx.sim = Some(SimInfo {
        https: edge.https_addr(),
        label: edge.describe(),
    });
    let devices_selected = args.only.iter().any(|o| o.trim() == "devices");
    if !devices_selected {
        ctx.devices.skip_hint = Some(
            "--sim simulates Agora's edge, not this machine's microphone; run `agora-doctor probe --only devices` (about 2 s)".to_string(),
        );
    }
    ctx
}

/// The spinner on stderr (only on a terminal).
struct Spinner {
    bar: ProgressBar,
}

impl Spinner {
    fn start(total: usize) -> Self {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("running {total} checks…"));
        bar.enable_steady_tick(Duration::from_millis(80));
        Spinner { bar }
    }
}

impl Progress for Spinner {
    fn finished(&self, id: &str, done: usize, total: usize) {
        self.bar
            .set_message(format!("{done}/{total} checks done (last: {id})…"));
    }
}
