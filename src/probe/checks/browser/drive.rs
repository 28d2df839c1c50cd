//! The `browser` check's drive of the Web SDK: which pages it uses, the plans of the one-participant
//! flow and of the two-participant room (from the run's inputs and the world's Web edge), and
//! running them on Chromium's tabs ([`crate::browser::flow`], [`crate::browser::room`]).

use std::time::Duration;

use crate::browser::{flow, web_sdk, BrowserError, Chromium, INSTALL_HINT};
use crate::probe::context::ProbeContext;
use crate::vocabulary::{Finding, Status};

/// Page load deadline (the load event).
pub(super) const LOAD_TIMEOUT: Duration = Duration::from_secs(20);

/// Whether this run drives the Web SDK on a page: `--flow`, `--room`, or `--sim` (unless opted out).
pub(super) fn runs_flow(ctx: &ProbeContext) -> bool {
    !ctx.inputs.no_browser && (ctx.inputs.flow || ctx.inputs.room || ctx.browser.room_by_default)
}

/// Whether that drive is the two-participant room (`--room`, and by default under `--sim`) rather
/// than the one-participant flow.
pub(super) fn runs_room(ctx: &ProbeContext) -> bool {
    !ctx.inputs.no_browser && (ctx.inputs.room || ctx.browser.room_by_default)
}

/// Where the check looks and what it drives.
pub(super) struct Pages {
    /// The page whose load is judged.
    pub(super) inspect: String,
    /// The flow's page and plan, or why the flow does not run. In the room this plan is B's, the
    /// participant whose token and uid the user gave.
    pub(super) flow: Option<Result<(String, flow::FlowPlan), Finding>>,
    /// In the room: A's plan (the speaker, with a token of its own when the certificate is known).
    pub(super) speaker: Option<flow::FlowPlan>,
    /// Evidence saying which pages these are.
    pub(super) notes: Vec<String>,
    /// The inspected page is the built-in demo page under --sim: ours, quiet and secure, so it
    /// may load while DevTools attaches, needs no settle wait, and its probe script may run
    /// beside the flow. A user's page (`--url`, even under --sim) gets none of that.
    pub(super) own_page: bool,
    /// Under --sim, the version of the Web SDK the built-in page loads (said in the headline).
    pub(super) sim_sdk: Option<String>,
}

/// Decide the pages and the flow's plan.
pub(super) fn pages(
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

/// The flow's findings: on `tab` when the flow's page is the inspected one, else on a tab of its own.
/// `console_from` as for [`flow::run`], on the inspected tab.
pub(super) async fn run_flow(
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

/// A page Chromium could not load or open, as the check's finding.
pub(super) fn failure(url: &str, e: BrowserError) -> Finding {
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
