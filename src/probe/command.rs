//! Computes `agora-doctor probe`: resolve the inputs (starting the simulated world for `--sim`),
//! build the checks' context, run the checks with a spinner on a terminal, and assemble the report;
//! `lib::run` renders it and maps it to an exit code.

use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use agora_sim::world::SimWorld;

use super::context::ProbeContext;
use super::profile::Endpoint;
use super::runner::{run_checks, CheckSpec, Progress};
use super::{ProbeReport, CHECKS};
use crate::browser::web_sdk;
use crate::cli::ProbeArgs;
use crate::env::Env;
use crate::inputs::{given_secrets, Asked, InputError, Inputs};
use crate::vocabulary::{Computed, Failure, Redaction};
use crate::world::ProbeWorld;

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
    /// The certificate cannot be read, or the simulated world did not start.
    #[error(transparent)]
    Inputs(#[from] InputError),
    /// The async runtime did not start.
    #[error("could not start the async runtime: {0}")]
    Runtime(String),
}

/// Compute the command's document: the check list (`--list-checks`, nothing runs) or a probe run.
pub fn compute(args: ProbeArgs, env: &Env) -> Result<Computed<ProbeReport>, Failure> {
    // Evidence may quote the SDK, the edge and the page, which may quote the token: the output is
    // redacted like a report, and so is an error.
    let asked = Asked::probe(&args);
    let redaction = Redaction::Public(given_secrets(&asked, env));
    let report = execute_asked(&args, &asked, env).map_err(|e| Failure {
        message: e.to_string(),
        redaction: redaction.clone(),
    })?;
    let mut computed = Computed::new(report);
    computed.redaction = redaction;
    Ok(computed)
}

/// Which checks `--only` selects (all when empty), in registry order.
pub fn select(only: &[String]) -> Result<Vec<CheckSpec>, ProbeError> {
    let wanted: Vec<String> = only.iter().map(|s| s.trim().replace('-', "_")).collect();
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

/// Judge every flag value that needs no work (`--only`, `--url`, `--edge`, `--stun`) so that a
/// command can refuse them before it reads, resolves or starts anything (`report` reads its log
/// after this).
pub fn check_flags(args: &ProbeArgs) -> Result<(), ProbeError> {
    select(&args.only)?;
    if let Some(typed) = &args.url {
        read_url(typed).ok_or_else(|| ProbeError::BadUrl(typed.clone()))?;
    }
    for (flag, value) in args
        .edge
        .iter()
        .map(|e| ("--edge", e))
        .chain(args.stun.iter().map(|s| ("--stun", s)))
    {
        Endpoint::parse(value).map_err(|reason| ProbeError::BadEndpoint { flag, reason })?;
    }
    Ok(())
}

/// Resolve the inputs, build the context, run the checks and assemble the report.
pub fn execute(args: &ProbeArgs, env: &Env) -> Result<ProbeReport, ProbeError> {
    execute_asked(args, &Asked::probe(args), env)
}

/// [`execute`] with the arguments' [`Asked`] part already read.
pub fn execute_asked(
    args: &ProbeArgs,
    asked: &Asked<'_>,
    env: &Env,
) -> Result<ProbeReport, ProbeError> {
    check_flags(args)?;
    let specs = select(&args.only)?;
    let (url, url_typed) = match &args.url {
        Some(typed) => {
            let (read, assumed) =
                read_url(typed).ok_or_else(|| ProbeError::BadUrl(typed.clone()))?;
            (Some(read), assumed.then(|| typed.trim().to_string()))
        }
        None => (None, None),
    };
    // Empty values are refused too (clap refuses them first): an empty `--edge` would mean
    // Agora's own endpoints, an empty `--only` every check.
    let edges = args
        .edge
        .iter()
        .map(|e| Endpoint::parse(e))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|reason| ProbeError::BadEndpoint {
            flag: "--edge",
            reason,
        })?;
    let stun = args
        .stun
        .as_deref()
        .map(Endpoint::parse)
        .transpose()
        .map_err(|reason| ProbeError::BadEndpoint {
            flag: "--stun",
            reason,
        })?;
    // Under --sim this starts the simulated world; the context's inputs hold it for the run.
    let mut inputs = Inputs::resolve(asked, env)?;
    inputs.url = url;
    inputs.url_typed = url_typed;
    inputs.chrome_flags = args.chrome_flags.clone();
    inputs.sdk = args.sdk.clone();
    inputs.web_sdk = crate::world::web_sdk_search(&inputs.target, args.web_sdk.clone(), env);
    inputs.cache_dir = web_sdk::env_cache_dir(env);
    inputs.sdk_env = env.var(crate::native::loader::ENV_VAR).map(Into::into);
    inputs.ld_library_path = env.var("LD_LIBRARY_PATH").map(Into::into);
    inputs.proxies = super::network::PROXY_VARS
        .iter()
        .filter_map(|var| Some((var.to_string(), env.var(var)?.to_string())))
        .collect();
    inputs.browser = args.browser;
    inputs.flow = args.flow;
    inputs.room = args.room;
    inputs.no_browser = args.no_browser;
    inputs.chromium = args.chromium.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Runtime(e.to_string()))?;

    let world = ProbeWorld::of(&inputs.target, edges, stun, &args.only);
    let mut ctx = context(inputs, world);
    ctx.devices.device = args.device.clone();
    let started = Instant::now();
    let spinner = (env.stderr_is_terminal && !args.json).then(|| Spinner::start(specs.len()));
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
    let mut report = ProbeReport::new(
        ctx.profile.label.clone(),
        ctx.profile.double.is_some(),
        args.strict,
        checks,
        wall,
    );
    report.notes = ctx.inputs.notes.clone();
    Ok(report)
}

/// A context pointing every check at `world`'s simulated edge (a double), for tests that start a
/// world with a fault themselves: what the inputs leave open is filled from the world's project
/// (App ID, certificate, channel, the tokens it mints) by [`Inputs::adopt_world`], as
/// [`Inputs::resolve`] does.
pub fn sim_context(world: &Arc<SimWorld>, mut inputs: Inputs, args: &ProbeArgs) -> ProbeContext {
    inputs.adopt_world(world, crate::env::unix(crate::env::clock()), false);
    context(inputs, ProbeWorld::simulated(world, &args.only))
}

/// The checks' context: `inputs` pointed at `world` (its page judged when no `--url` was given).
fn context(mut inputs: Inputs, world: ProbeWorld) -> ProbeContext {
    if inputs.url.is_none() {
        inputs.url = world.demo_page.clone();
    }
    let mut ctx = ProbeContext::new(inputs, world.profile, world.extra_roots);
    ctx.devices.skip_hint = world.device_skip_hint;
    ctx.browser = world.browser;
    ctx.demo_page = world.demo_page;
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
