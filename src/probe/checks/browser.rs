//! The `browser` probe check: load the user's page in headless Chromium and report what the Web SDK
//! sees there — secure context, `checkSystemRequirements()`, microphones, the SDK version, and every
//! console error or uncaught exception during load, each explained through the catalog.
//!
//! Here: what the run asks for (Chromium, the built-in page and its Web SDK, the Web edge) and the
//! check's verdict; the page inspection is [`inspection`], the flow's and the room's pages, plans
//! and runs are [`drive`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::browser::{
    demo_page, find_chromium, find_headless_shell, flow, web_sdk, LaunchOptions, INSTALL_HINT,
};
use crate::probe::context::ProbeContext;
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::vocabulary::{Finding, Status};

mod drive;
mod inspection;

use drive::{failure, pages, runs_flow, runs_room};
use inspection::{inspect, inspect_only, SIM_FAKE_MICROPHONE_FLAG};

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

/// Whole check: Chromium start (~0.5 s), page load, SDK calls, and the settle time after the load.
const BUDGET: Duration = Duration::from_secs(40);
/// Evidence when the built-in page had to open in the full browser.
const HEADLESS_SHELL_HINT: &str = "Chromium's headless shell is not installed, so the built-in page opened in the full \
chromium, about 1 s slower to start and load; `sudo apt-get install chromium-headless-shell` for the quick one";

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
