//! The `browser` probe check: load the user's page in headless Chromium and report what the Web SDK
//! sees there — secure context, `checkSystemRequirements()`, microphones, the SDK version, and every
//! console error or uncaught exception during load, each explained through the catalog.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use crate::browser::{
    demo_page, find_chromium, find_headless_shell, flow, web_sdk, BrowserError, Chromium,
    ConsoleEntry, LaunchOptions, INSTALL_HINT,
};
use crate::browser::{explained, shorten};
use crate::probe::context::ProbeContext;
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::vocabulary::{Finding, Status};
use crate::world::BrowserWorld;
use agora_token_core::words::count;

/// The registry entry (`src/probe/mod.rs` lists it).
pub const SPEC: CheckSpec = CheckSpec {
    id: "browser",
    title: "The page in headless Chromium",
    inputs: "--url URL --browser (Chromium installed); --flow adds join → publish → unpublish → leave (--app-id, --channel, token or App Certificate); --room runs the two-participant voice room instead; under --sim the room runs by default (--no-browser skips it)",
    budget: |ctx| {
        if runs_room(ctx) {
            BUDGET + crate::browser::room::ROOM_BUDGET
        } else if runs_flow(ctx) {
            BUDGET + flow::FLOW_BUDGET
        } else {
            BUDGET
        }
    },
    run: |ctx| Box::pin(run(ctx)),
};

/// Keys of a skip that means "asked for, but a prerequisite was missing" (not "not asked for"):
/// the summary line names them.
pub const NOT_RUN_KEYS: &[&str] = &["probe.browser.flow_skipped", "probe.browser.no_chromium"];

/// Whole check: Chromium start (~0.5 s), page load, SDK calls, and the settle time below.
const BUDGET: Duration = Duration::from_secs(40);
/// Page load deadline (the load event).
const LOAD_TIMEOUT: Duration = Duration::from_secs(20);
/// Console messages keep arriving after the load event (SDK start-up logs, late promise
/// rejections); wait this long before reading them.
const SETTLE: Duration = Duration::from_millis(1500);
/// Deadline for the in-page probe script (getMicrophones may wait on the permission layer).
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(10);
/// Evidence when the built-in page had to open in the full browser.
const HEADLESS_SHELL_HINT: &str = "Chromium's headless shell is not installed, so the built-in page opened in the full \
chromium, about 1 s slower to start and load; `sudo apt-get install chromium-headless-shell` for the quick one";
/// Under --sim, Chromium captures from its own synthetic audio source instead of a real device.
const SIM_FAKE_MICROPHONE_FLAG: &str = "--use-fake-device-for-media-stream";

/// What the in-page script reports (see [`PROBE_SCRIPT`]).
#[derive(Debug, Default, Deserialize, PartialEq)]
struct PageFacts {
    href: String,
    secure: bool,
    sdk: Option<String>,
    requirements: Option<serde_json::Value>,
    #[serde(default)]
    mics: Option<Vec<String>>,
    mic_error: Option<String>,
}

/// Runs in the page after load. Reads `window.AgoraRTC` when the page exposes it (a `<script>` tag
/// does; a bundler may keep it private, then only the browser-level facts are reported).
const PROBE_SCRIPT: &str = r#"await (async () => {
  const r = { href: location.href, secure: window.isSecureContext, sdk: null, requirements: null, mics: null, mic_error: null };
  const A = window.AgoraRTC;
  const text = (e) => String(e && e.message !== undefined ? e.message : e);
  if (A && typeof A === "object") {
    r.sdk = A.VERSION || null;
    try { r.requirements = A.checkSystemRequirements(); if (r.requirements === undefined) r.requirements = null; }
    catch (e) { r.requirements = null; }
    try { r.mics = (await A.getMicrophones()).map((m) => m.label || "(unnamed)"); }
    catch (e) { r.mic_error = text(e); }
  } else if (navigator.mediaDevices) {
    try {
      const s = await navigator.mediaDevices.getUserMedia({ audio: true });
      s.getTracks().forEach((t) => t.stop());
    } catch (e) { r.mic_error = text(e); }
    try {
      const d = await navigator.mediaDevices.enumerateDevices();
      r.mics = d.filter((x) => x.kind === "audioinput").map((x) => x.label || "(unnamed)");
    } catch (e) { r.mic_error = text(e); }
  } else {
    r.mic_error = "navigator.mediaDevices is undefined";
  }
  return r;
})()"#;

/// Whether this run drives the Web SDK on a page: `--flow`, `--room`, or `--sim` (unless opted out).
fn runs_flow(ctx: &ProbeContext) -> bool {
    !ctx.inputs.no_browser && (ctx.inputs.flow || ctx.inputs.room || ctx.browser.room_by_default)
}

/// Whether that drive is the two-participant room (`--room`, and by default under `--sim`) rather
/// than the one-participant flow.
fn runs_room(ctx: &ProbeContext) -> bool {
    !ctx.inputs.no_browser && (ctx.inputs.room || ctx.browser.room_by_default)
}

/// Where the check looks and what it drives.
struct Pages {
    /// The page whose load is judged.
    inspect: String,
    /// The flow's page and plan, or why the flow does not run. In the room this plan is B's, the
    /// participant whose token and uid the user gave.
    flow: Option<Result<(String, flow::FlowPlan), Finding>>,
    /// In the room: A's plan (the speaker, with a token of its own when the certificate is known).
    speaker: Option<flow::FlowPlan>,
    /// Evidence saying which pages these are.
    notes: Vec<String>,
    /// The inspected page is the built-in demo page under --sim: ours, quiet and secure, so it
    /// may load while DevTools attaches, needs no settle wait, and its probe script may run
    /// beside the flow. A user's page (`--url`, even under --sim) gets none of that.
    own_page: bool,
    /// Under --sim, the version of the Web SDK the built-in page loads (said in the headline).
    sim_sdk: Option<String>,
}

/// Run the check.
pub async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    if ctx.inputs.no_browser {
        return CheckOutput::skip(
            "browser",
            "Chromium not started (--no-browser or AGORA_DOCTOR_NO_BROWSER)",
            "drop --no-browser and unset AGORA_DOCTOR_NO_BROWSER to load the page in headless Chromium",
        );
    }
    let flow_wanted = runs_flow(&ctx);
    // Under --sim, a --url filled in by --sim itself is not the user's page.
    let user_url = ctx.inputs.url.clone().filter(|_| ctx.url_note().is_none());
    // The plain check needs --browser and a page; the flow brings its own page when needed.
    let plain_check = ctx.inputs.browser && user_url.is_some();
    if !(flow_wanted || plain_check) {
        return CheckOutput::skip(
            "browser",
            "not asked to open the page in a browser",
            "pass --url URL --browser to load the page in headless Chromium (add --flow to join, publish, unpublish and leave)",
        );
    }
    let (executable, shell_missing) = choose_program(
        ctx.inputs.chromium.clone(),
        user_url.is_none(),
        find_headless_shell,
        find_chromium,
    );
    let Some(executable) = executable else {
        return CheckOutput::single(
            Finding::new(
                "probe.browser.no_chromium",
                Status::Skip,
                "no Chromium on this machine, so the page was not opened",
            )
            .with_fix(INSTALL_HINT),
        );
    };
    if !executable.is_file() {
        return CheckOutput::single(
            Finding::new(
                "probe.browser.no_chromium",
                Status::Skip,
                format!(
                    "no Chromium at {}, so the page was not opened",
                    executable.display()
                ),
            )
            .with_fix(INSTALL_HINT),
        );
    }
    // The built-in demo page: the flow's page under --sim, and the page at all without --url.
    let needs_builtin = flow_wanted && (ctx.browser.flow_on_builtin_page || user_url.is_none());
    let mut edge = None;
    let mut sdk_finding = None;
    let mut sdk_version = None;
    if needs_builtin {
        let search = ctx.inputs.web_sdk.clone();
        let resolved = tokio::task::spawn_blocking(move || {
            web_sdk::resolve(&search, &crate::render::progress::download_line())
        })
        .await
        .unwrap_or_else(|e| {
            Err(web_sdk::Missing {
                why: format!("the Web SDK search stopped: {e}"),
                fix: flow::SDK_HINT.into(),
                short: "the Web SDK search stopped".into(),
            })
        });
        let sdk = match resolved {
            Ok(sdk) => sdk,
            Err(missing) => {
                let missing = Finding::new(
                    "probe.browser.flow_skipped",
                    Status::Skip,
                    format!(
                        "no Agora Web SDK for the built-in demo page ({}), so the flow did not run",
                        missing.short
                    ),
                )
                .with_evidence(missing.why)
                .with_fix(missing.fix);
                match &user_url {
                    None => return CheckOutput::single(missing),
                    Some(_) => {
                        return inspect_only(&ctx, executable, user_url, Some(missing)).await;
                    }
                }
            }
        };
        // The Web edge the world names (the simulated world's project); otherwise only the page
        // server is used and the page talks to Agora.
        let config = ctx.browser.web_edge.clone().unwrap_or_else(|| {
            agora_sim::web::WebEdgeConfig {
                app_id: ctx.inputs.app_id.clone().unwrap_or_default(),
                app_certificate: None,
                // The page itself is built into the binary (demo_page), served from memory.
                page_root: None,
            }
        });
        sdk_finding = Some(web_sdk_finding(&sdk));
        sdk_version = Some(sdk.version.clone());
        let pages = demo_page::files(&sdk);
        match agora_sim::web::WebEdge::start_with_pages(config, pages).await {
            Ok(e) => edge = Some(e),
            Err(e) => {
                return CheckOutput::single(
                    Finding::new(
                        "probe.browser.launch_failed",
                        Status::Error,
                        format!("could not serve the built-in demo page on loopback: {e}"),
                    )
                    .with_fix("check that 127.0.0.1 is usable"),
                )
            }
        }
    }
    let mut pages = pages(&ctx, user_url, edge.as_ref(), sdk_version);
    if shell_missing {
        pages.notes.push(HEADLESS_SHELL_HINT.to_string());
    }
    let mut extra_args = ctx.inputs.chrome_flags.clone();
    if ctx.browser.synthetic_microphone {
        // --sim tests Agora's side, not this machine's microphone (the devices check does that):
        // Chromium's synthetic capture device lets the flow publish on any machine, the same way
        // the native join publishes a generated tone.
        extra_args.push(SIM_FAKE_MICROPHONE_FLAG.into());
    }
    if runs_room(&ctx) {
        extra_args.extend(
            crate::browser::room::ROOM_FLAGS
                .iter()
                .map(|f| f.to_string()),
        );
    }
    let options = LaunchOptions {
        executable: Some(executable),
        // The user's own flags (e.g. --unsafely-treat-insecure-origin-as-secure) change the verdict.
        extra_args,
        // As a user clicking "Allow" on the microphone prompt; the devices themselves stay real.
        grant_media: true,
        // The simulated Web edge's certificate is made at start and self-signed.
        ignore_certificate_errors: ctx.browser.ignore_certificate_errors,
        ..LaunchOptions::default()
    };
    let url = pages.inspect.clone();
    let mut output = match inspect(&options, &pages, &ctx.browser, edge.as_ref()).await {
        Ok(output) => output,
        Err(e) => CheckOutput::single(failure(&url, e)),
    };
    if let Some(finding) = sdk_finding {
        output.details.insert(0, finding);
    }
    output
}

/// Which Web SDK the built-in page loaded and where it came from (`--json` carries it as the
/// `version:`, `source:` and `path:` evidence lines).
fn web_sdk_finding(sdk: &web_sdk::WebSdk) -> Finding {
    let mut finding = Finding::new(
        "probe.browser.web_sdk",
        Status::Pass,
        format!(
            "the built-in demo page loads Agora Web SDK {} from {}",
            sdk.version,
            sdk.source.describe()
        ),
    )
    .with_evidence(format!("version: {}", sdk.version))
    .with_evidence(format!("source: {}", sdk.source.as_str()))
    .with_evidence(format!("path: {}", sdk.bundle.display()));
    for note in &sdk.passed_over {
        finding = finding.with_evidence(format!("passed over: {note}"));
    }
    finding
}

/// Which Chromium opens the pages, and whether the headless shell was wanted but missing (said in
/// the evidence: the flow works in the full browser, only slower). `--chromium` wins. When only our
/// own demo page opens (`builtin_only`): the headless shell, same engine, far quicker start. A
/// user's page: the full browser, the one closest to theirs.
fn choose_program(
    explicit: Option<PathBuf>,
    builtin_only: bool,
    headless_shell: impl FnOnce() -> Option<PathBuf>,
    full: impl FnOnce() -> Option<PathBuf>,
) -> (Option<PathBuf>, bool) {
    if explicit.is_some() {
        return (explicit, false);
    }
    let shell = builtin_only.then(headless_shell).flatten();
    let missing = builtin_only && shell.is_none();
    (shell.or_else(full), missing)
}

/// The plain check (no flow) on the user's page, with `note` added (why the flow did not run).
async fn inspect_only(
    ctx: &ProbeContext,
    executable: std::path::PathBuf,
    url: Option<String>,
    note: Option<Finding>,
) -> CheckOutput {
    let Some(url) = url else {
        return CheckOutput::skip("browser", "no page to open", "pass --url URL");
    };
    let options = LaunchOptions {
        executable: Some(executable),
        extra_args: ctx.inputs.chrome_flags.clone(),
        grant_media: true,
        ..LaunchOptions::default()
    };
    let pages = Pages {
        inspect: url.clone(),
        flow: note.map(Err),
        speaker: None,
        notes: Vec::new(),
        own_page: false,
        sim_sdk: None,
    };
    match inspect(&options, &pages, &BrowserWorld::default(), None).await {
        Ok(output) => output,
        Err(e) => CheckOutput::single(failure(&url, e)),
    }
}

/// Decide the pages and the flow's plan.
fn pages(
    ctx: &ProbeContext,
    user_url: Option<String>,
    edge: Option<&agora_sim::web::WebEdge>,
    sim_sdk_found: Option<String>,
) -> Pages {
    let simulated = ctx.browser.double.is_some();
    let mut notes = Vec::new();
    // The page's `?sdk=` only picks the path it loads the bundle from; both paths serve the SDK
    // found (demo_page), and the page itself adapts to the version it loaded.
    let sim_sdk = sim_sdk_found
        .clone()
        .unwrap_or_else(|| web_sdk::CURRENT_VERSION.to_string());
    let builtin = edge.map(|edge| {
        // A page of the world's Web edge is told where its access point is.
        if ctx.browser.web_edge.is_some() {
            format!(
                "http://localhost:{}/index.html?sdk={}&ap={}",
                edge.http_addr().port(),
                sim_sdk,
                edge.ap_host_port()
            )
        } else {
            format!("http://localhost:{}/index.html", edge.http_addr().port())
        }
    });
    if simulated {
        notes.push(format!(
            "simulated: Agora Web SDK {sim_sdk} on the built-in demo page, against the simulated Web edge (access point, WSS gateway and a media end on loopback: a test double, not Agora)"
        ));
    } else if builtin.is_some() {
        notes.push(
            "page: the built-in demo page (fixtures/web), served from loopback; it talks to Agora"
                .into(),
        );
    }
    let own_page = ctx.browser.flow_on_builtin_page && user_url.is_none();
    let inspect = user_url
        .clone()
        .or_else(|| builtin.clone())
        .unwrap_or_default();
    let flow_url = if ctx.browser.flow_on_builtin_page {
        builtin
    } else {
        user_url.or(builtin)
    };
    let flow = runs_flow(ctx).then(|| match flow_url {
        Some(url) => plan(ctx).map(|p| (url, p)),
        None => Err(Finding::new(
            "probe.browser.flow_skipped",
            Status::Skip,
            "no page to run the flow on",
        )
        .with_fix(flow::SDK_HINT)),
    });
    let speaker = match &flow {
        Some(Ok((_, listener))) if runs_room(ctx) => Some(speaker_plan(ctx, listener)),
        _ => None,
    };
    Pages {
        inspect,
        flow,
        speaker,
        notes,
        own_page,
        sim_sdk: simulated.then_some(sim_sdk),
    }
}

/// A's plan in the room: same project and channel as B (`listener`), a uid the edge assigns, and a
/// token of its own for any uid: the user's token server's (`--token-server`), else minted by the
/// simulated world under `--sim`, else from the certificate when it is known (else B's token, which
/// then must admit any uid).
fn speaker_plan(ctx: &ProbeContext, listener: &flow::FlowPlan) -> flow::FlowPlan {
    let token = ctx
        .inputs
        .speaker_token
        .clone()
        .or_else(|| ctx.inputs.minted.any())
        .or_else(|| listener.token.clone());
    flow::FlowPlan {
        uid: None,
        token,
        ..listener.clone()
    }
}

/// App ID, channel, uid and token for the flow: the same inputs (and certificate) as the native join.
fn plan(ctx: &ProbeContext) -> Result<flow::FlowPlan, Finding> {
    let inputs = &ctx.inputs;
    let simulated = ctx.browser.double.is_some();
    let (Some(app_id), Some(channel)) = (inputs.app_id.clone(), inputs.channel.clone()) else {
        return Err(Finding::new(
            "probe.browser.flow_skipped",
            Status::Skip,
            "the flow needs --app-id and --channel, so it did not run",
        )
        .with_fix(if simulated {
            "pass --app-id ID --channel NAME and --token T (or the App Certificate through AGORA_APP_CERTIFICATE or --cert-file)"
        } else {
            "pass --app-id ID --channel NAME and --token T (or the App Certificate through AGORA_APP_CERTIFICATE or --cert-file), or run with --sim"
        }));
    };
    let uid = inputs.uid.clone().filter(|u| !u.trim().is_empty());
    // The resolved token (under --sim: minted by the simulated project for uid 0, which admits
    // whichever uid the edge assigns), or one minted from the certificate for the uid as typed.
    let token = inputs.token.clone().or_else(|| inputs.minted.typed());
    Ok(flow::FlowPlan {
        app_id,
        channel,
        token,
        uid,
        double: ctx.browser.double,
        synthetic_microphone: ctx.browser.synthetic_microphone,
    })
}

fn failure(url: &str, e: BrowserError) -> Finding {
    match e {
        BrowserError::Navigation { reason, .. } => Finding::new(
            "probe.browser.load_failed",
            Status::Fail,
            format!("Chromium could not load {url}: {reason}"),
        )
        .with_fix("check that the page is served and reachable from this machine"),
        BrowserError::LoadTimeout { after, .. } => Finding::new(
            "probe.browser.page_timeout",
            Status::Fail,
            format!(
                "Chromium started, but {url} did not finish loading within {} s (no load event)",
                after.as_secs()
            ),
        )
        .with_fix("check that the page's server ends the page and every script and style it waits for: a response that stalls keeps the page loading, and the app's code that runs on load never starts"),
        other => Finding::new(
            "probe.browser.launch_failed",
            Status::Error,
            format!("could not drive Chromium: {other}"),
        )
        .with_fix(INSTALL_HINT),
    }
}

async fn inspect(
    options: &LaunchOptions,
    pages: &Pages,
    browser: &BrowserWorld,
    edge: Option<&agora_sim::web::WebEdge>,
) -> Result<CheckOutput, BrowserError> {
    let mut options = options.clone();
    if pages.own_page {
        // Our page on loopback: let it load while DevTools attaches. A user's page keeps the
        // plain path, whose navigation errors carry Chromium's own reason.
        options.start_url = Some(pages.inspect.clone());
    }
    let chromium = Chromium::launch(&options).await?;
    // Which program ran matters: the headless shell and the full browser differ outside the engine.
    let version = match &options.executable {
        Some(path) => format!("{} ({})", chromium.version(), path.display()),
        None => chromium.version().to_string(),
    };
    let tab = match chromium.open(&pages.inspect, LOAD_TIMEOUT).await {
        Ok(tab) => tab,
        Err(e) => {
            chromium.close().await;
            // Chromium itself runs: a page that never finishes loading is the page's doing.
            return Err(match e {
                BrowserError::Timeout(after) => BrowserError::LoadTimeout {
                    url: pages.inspect.clone(),
                    after,
                },
                other => other,
            });
        }
    };
    // On our page the flow follows on this tab and reads every console line from the load event
    // on, so nothing printed late is lost without waiting here.
    if !pages.own_page {
        tokio::time::sleep(SETTLE).await;
    }
    // Only what the page printed by itself counts as "during load"; the probe script's own calls
    // (getMicrophones on an insecure page logs errors) are reported through its result instead.
    let during_load = tab.console();
    let (facts, flow_findings) = {
        let read_facts = async {
            let value = tab.eval(PROBE_SCRIPT, SCRIPT_TIMEOUT).await?;
            serde_json::from_value::<PageFacts>(value.clone()).map_err(|e| {
                BrowserError::Script(format!("the probe script returned {value}: {e}"))
            })
        };
        // On our page, the flow answers for everything printed after the load snapshot; on a
        // user's page, for what it causes itself (it starts after the probe script, whose calls
        // may log on an insecure page).
        let run_flow = run_flow(
            &chromium,
            &tab,
            pages,
            edge,
            pages.own_page.then_some(during_load.len()),
        );
        // On our page (a secure context) the probe script and the flow run side by side: one
        // lists devices while the other joins. On a user's page the flow waits for the script.
        if pages.own_page {
            tokio::join!(read_facts, run_flow)
        } else {
            let facts = read_facts.await;
            let flow_findings = if facts.is_ok() {
                run_flow.await
            } else {
                Vec::new()
            };
            (facts, flow_findings)
        }
    };
    let facts = match facts {
        Ok(facts) => facts,
        Err(e) => {
            tab.close().await;
            chromium.close().await;
            return Err(e);
        }
    };
    let mut output = judge(&version, &facts, &during_load, browser.synthetic_microphone);
    tab.close().await;
    chromium.close().await;
    if pages.flow.is_some() {
        let mut details = output.details;
        details.extend(flow_findings);
        let ran = matches!(pages.flow, Some(Ok(_)));
        let summary = match (ran, browser.double.is_some()) {
            (true, true) if pages.speaker.is_some() => format!(
                "Agora Web SDK {} in headless Chromium: two participants joined, A spoke, B heard it, A unpublished and left, on the simulated Web edge (a test double)",
                pages.sim_sdk.as_deref().unwrap_or(web_sdk::CURRENT_VERSION)
            ),
            (true, false) if pages.speaker.is_some() => "the page works in headless Chromium, and the voice room passed: two participants joined, A spoke, B heard it, A unpublished and left".to_string(),
            (true, true) => format!(
                "Agora Web SDK {} in headless Chromium joined, published, unpublished and left on the simulated Web edge (a test double)",
                pages.sim_sdk.as_deref().unwrap_or(web_sdk::CURRENT_VERSION)
            ),
            (true, false) => "the page works in headless Chromium, and join → publish → unpublish → leave passed".to_string(),
            (false, _) => "the page works in headless Chromium: secure, SDK loaded, microphone visible, no console errors".to_string(),
        };
        output = CheckOutput::from_details(
            details,
            Finding::new("probe.browser.ok", Status::Pass, summary).with_evidence(version.clone()),
        );
    }
    for note in pages.notes.iter().rev() {
        output.headline.evidence.insert(0, note.clone());
    }
    Ok(output)
}

/// The flow's findings: on `tab` when the flow's page is the inspected one, else on a tab of its own.
/// `console_from` as for [`flow::run`], on the inspected tab.
async fn run_flow(
    chromium: &Chromium,
    tab: &crate::browser::Tab,
    pages: &Pages,
    edge: Option<&agora_sim::web::WebEdge>,
    console_from: Option<usize>,
) -> Vec<Finding> {
    let (url, plan) = match &pages.flow {
        None => return Vec::new(),
        Some(Err(why)) => return vec![why.clone()],
        Some(Ok(pair)) => pair,
    };
    if let Some(speaker) = &pages.speaker {
        return run_room(chromium, tab, pages, url, speaker, plan, edge).await;
    }
    if *url == pages.inspect {
        return flow::run(tab, plan, edge, console_from).await;
    }
    match chromium.open(url, LOAD_TIMEOUT).await {
        Ok(flow_tab) => {
            let findings = flow::run(&flow_tab, plan, edge, None).await;
            flow_tab.close().await;
            findings
        }
        Err(e) => vec![failure(url, e)],
    }
}

/// The room: A on the inspected tab when it shows the room's page, B (and A otherwise) in browser
/// contexts of their own.
async fn run_room(
    chromium: &Chromium,
    tab: &crate::browser::Tab,
    pages: &Pages,
    url: &str,
    speaker: &flow::FlowPlan,
    listener: &flow::FlowPlan,
    edge: Option<&agora_sim::web::WebEdge>,
) -> Vec<Finding> {
    let room = crate::browser::room::RoomPlan {
        a: speaker.clone(),
        b: listener.clone(),
    };
    let own_a = if url == pages.inspect {
        None
    } else {
        match chromium.open_isolated(url, LOAD_TIMEOUT).await {
            Ok(t) => Some(t),
            Err(e) => return vec![failure(url, e)],
        }
    };
    let b = chromium.open_isolated(url, LOAD_TIMEOUT);
    // B's tab is not closed here: Chromium goes right after the check, and takes it along.
    let findings =
        crate::browser::room::run_opening(own_a.as_ref().unwrap_or(tab), b, &room, edge).await;
    if let Some(a) = own_a {
        a.close().await;
    }
    findings
}

/// Turn what the page showed into findings (pure, so tests can feed it facts).
/// `sim`: a missing microphone is "not tested here" (`--sim` does not test this machine's
/// microphone) rather than a failure.
fn judge(
    chromium: &str,
    facts: &PageFacts,
    console: &[ConsoleEntry],
    synthetic_microphone: bool,
) -> CheckOutput {
    let mut details = Vec::new();
    details.push(if facts.secure {
        Finding::new(
            "probe.browser.ok",
            Status::Pass,
            "the page is a secure context (window.isSecureContext is true)",
        )
    } else {
        Finding::new(
            "probe.browser.insecure_context",
            Status::Fail,
            "the page is not a secure context: the browser hides the microphone from it",
        )
        .with_evidence(format!("window.isSecureContext = false at {}", facts.href))
        .with_fix("serve the page over https, or open it as http://localhost:PORT/")
    });
    details.push(match &facts.sdk {
        Some(version) => Finding::new(
            "probe.browser.ok",
            Status::Pass,
            format!("the page loaded Agora Web SDK {version}"),
        ),
        None => Finding::new(
            "probe.browser.sdk_not_found",
            Status::Warn,
            "window.AgoraRTC is not defined after load, so the SDK's own checks were not run",
        )
        .with_fix(
            "if the page bundles the SDK this is expected; otherwise check the <script> tag that loads AgoraRTC",
        ),
    });
    if facts.sdk.is_some() {
        details.push(match &facts.requirements {
            Some(serde_json::Value::Bool(true)) => Finding::new(
                "probe.browser.ok",
                Status::Pass,
                "AgoraRTC.checkSystemRequirements() is true",
            ),
            other => Finding::new(
                "probe.browser.requirements_failed",
                Status::Fail,
                format!(
                    "AgoraRTC.checkSystemRequirements() returned {}",
                    other
                        .as_ref()
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| "undefined".into())
                ),
            )
            .with_evidence(chromium.to_string())
            .with_fix("the SDK refuses this browser or page; a secure context is the usual cause"),
        });
    }
    details.push(match (&facts.mics, &facts.mic_error) {
        (Some(mics), _) if !mics.is_empty() => {
            let summary = if synthetic_microphone {
                format!(
                    "the page sees {}: Chromium's synthetic one ({SIM_FAKE_MICROPHONE_FLAG}), since --sim does not test this machine's microphone",
                    count(mics.len() as u64, "microphone")
                )
            } else {
                format!("the page sees {}", count(mics.len() as u64, "microphone"))
            };
            let mut f = Finding::new("probe.browser.ok", Status::Pass, summary);
            for m in mics {
                f = f.with_evidence(m.clone());
            }
            f
        }
        (_, Some(error)) => explained(
            Finding::new(
                "probe.browser.no_microphone",
                Status::Fail,
                format!("the page cannot list microphones: {error}"),
            )
            .with_evidence(error.clone()),
            error,
        ),
        _ if synthetic_microphone => Finding::new(
            "probe.browser.no_microphone",
            Status::Skip,
            "the page sees no microphone (not tested here)",
        )
        .with_fix("--sim simulates Agora's edge, not this machine's microphone; run `agora-doctor probe --only devices`"),
        _ => Finding::new(
            "probe.browser.no_microphone",
            Status::Fail,
            "the page sees no microphone",
        )
        .with_fix(
            "plug in or enable a microphone (on a server: start PulseAudio with a virtual source)",
        ),
    });
    for line in console.iter().filter(|l| l.kind.is_error()) {
        details.push(explained(
            Finding::new(
                "probe.browser.console_error",
                Status::Fail,
                format!("console: {}", shorten(&line.text)),
            ),
            &line.text,
        ));
    }
    let all_good = Finding::new(
        "probe.browser.ok",
        Status::Pass,
        "the page works in headless Chromium: secure, SDK loaded, microphone visible, no console errors",
    )
    .with_evidence(chromium.to_string());
    CheckOutput::from_details(details, all_good)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser::ConsoleKind;

    #[test]
    fn insecure_page_fails_and_explains_what_the_sdk_printed() {
        let facts = PageFacts {
            href: "http://x/".into(),
            secure: false,
            sdk: Some("4.24.8".into()),
            requirements: Some(serde_json::Value::Bool(false)),
            mics: None,
            mic_error: Some(
                "AgoraRTCError NOT_SUPPORTED: enumerateDevices() not supported.".into(),
            ),
        };
        let console = [ConsoleEntry {
            kind: ConsoleKind::Error,
            text: "AgoraRTCError WEB_SECURITY_RESTRICT: Your context is limited by web security, please try using https protocol or localhost.".into(),
        }];
        let out = judge("Chrome/156", &facts, &console, false);
        assert_eq!(out.headline.key, "probe.browser.insecure_context");
        assert_eq!(out.headline.status, Status::Fail);
        let console_finding = out
            .details
            .iter()
            .find(|f| f.key == "probe.browser.console_error")
            .expect("console error reported");
        assert!(console_finding
            .evidence
            .iter()
            .any(|e| e.contains("web.web_security_restrict")));
    }

    #[test]
    fn the_built_in_page_prefers_the_headless_shell_and_says_when_it_is_missing() {
        let shell = || Some(PathBuf::from("/shell"));
        let full = || Some(PathBuf::from("/full"));
        let none = || None;
        let explicit = Some(PathBuf::from("/mine"));
        assert_eq!(
            choose_program(None, true, shell, full),
            (Some("/shell".into()), false)
        );
        assert_eq!(
            choose_program(None, true, none, full),
            (Some("/full".into()), true)
        );
        assert_eq!(choose_program(None, true, none, none), (None, true));
        // A user's page opens in the full browser; --chromium always wins.
        assert_eq!(
            choose_program(None, false, shell, full),
            (Some("/full".into()), false)
        );
        assert_eq!(
            choose_program(explicit.clone(), true, shell, full),
            (explicit, false)
        );
    }

    #[test]
    fn good_page_passes() {
        let facts = PageFacts {
            href: "http://x/".into(),
            secure: true,
            sdk: Some("4.24.8".into()),
            requirements: Some(serde_json::Value::Bool(true)),
            mics: Some(vec!["VirtualMic".into()]),
            mic_error: None,
        };
        let out = judge("Chrome/156", &facts, &[], false);
        assert_eq!(out.headline.status, Status::Pass, "{out:?}");
    }
}
