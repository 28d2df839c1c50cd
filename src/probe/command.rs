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
use crate::render::{print_error, probe as render, write_stdout, OutputContext};
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
            let text = if args.json {
                render::json(&report)
            } else if ctx.quiet {
                let simulated = if report.simulated {
                    " [simulated edge, a test double]"
                } else {
                    ""
                };
                format!("{}{simulated}\n", render::summary_line(&report))
            } else {
                render::human(&report)
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

/// `--url` as the page address it means: a URL with a scheme as it is; without `://`
/// (`localhost:3000`, `demo.example.com/room`) as `http://…`, which `url` would otherwise read as a
/// made-up `localhost:` scheme. Returns the address and whether `http://` was assumed; `None` when
/// it is no URL even then.
pub fn read_url(typed: &str) -> Option<(String, bool)> {
    let typed = typed.trim();
    if typed.contains("://") {
        return url::Url::parse(typed).ok().map(|u| (u.to_string(), false));
    }
    let url = url::Url::parse(&format!("http://{typed}")).ok()?;
    // A host name alone reads as a page address only when it looks like one: localhost, an IP
    // address, a dotted name, or a port given (`notaurl` is more likely a typo than a host).
    let looks_like_host = match url.host()? {
        url::Host::Domain(name) => {
            name == "localhost" || name.contains('.') || url.port().is_some()
        }
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => true,
    };
    looks_like_host.then(|| (url.to_string(), true))
}

/// Build the context, run the checks and assemble the report.
pub fn execute(args: &ProbeArgs, output: &OutputContext) -> Result<ProbeReport, ProbeError> {
    let specs = select(&args.only)?;
    let (url, url_typed) = match &args.url {
        Some(typed) => {
            let (read, assumed) =
                read_url(typed).ok_or_else(|| ProbeError::BadUrl(typed.clone()))?;
            (Some(read), assumed.then(|| typed.trim().to_string()))
        }
        None => (None, None),
    };
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
        url,
        url_typed,
        app_certificate: read_certificate(args)?,
        chrome_flags: args.chrome_flags.clone(),
        sdk: args.sdk.clone(),
        web_sdk: args.web_sdk.clone(),
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

#[cfg(test)]
mod url_tests {
    use super::read_url;

    #[test]
    fn a_url_without_a_scheme_is_read_as_http() {
        assert_eq!(
            read_url("localhost:3000"),
            Some(("http://localhost:3000/".to_string(), true))
        );
        assert_eq!(
            read_url("demo.example.com/room?x=1"),
            Some(("http://demo.example.com/room?x=1".to_string(), true))
        );
        assert_eq!(
            read_url("https://demo.example.com"),
            Some(("https://demo.example.com/".to_string(), false))
        );
        assert_eq!(read_url("http://"), None);
        assert_eq!(read_url("notaurl"), None);
        assert_eq!(
            read_url("192.168.1.5:3000/room"),
            Some(("http://192.168.1.5:3000/room".to_string(), true))
        );
        assert_eq!(read_url(""), None);
    }
}
