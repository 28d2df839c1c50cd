//! The `browser` probe check: load the user's page in headless Chromium and report what the Web SDK
//! sees there — secure context, `checkSystemRequirements()`, microphones, the SDK version, and every
//! console error or uncaught exception during load, each explained through the catalog.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::{find_chromium, BrowserError, Chromium, ConsoleEntry, LaunchOptions, INSTALL_HINT};
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::probe::ProbeContext;
use crate::report::{Finding, Status};

/// The registry entry (`src/probe/mod.rs` lists it).
pub const SPEC: CheckSpec = CheckSpec {
    id: "browser",
    title: "The page in headless Chromium",
    inputs: "--url URL --browser (Chromium installed)",
    budget: |_| BUDGET,
    run: |ctx| Box::pin(run(ctx)),
};

/// Whole check: Chromium start (~0.5 s), page load, SDK calls, and the settle time below.
const BUDGET: Duration = Duration::from_secs(40);
/// Page load deadline (the load event).
const LOAD_TIMEOUT: Duration = Duration::from_secs(20);
/// Console messages keep arriving after the load event (SDK start-up logs, late promise
/// rejections); wait this long before reading them.
const SETTLE: Duration = Duration::from_millis(1500);
/// Deadline for the in-page probe script (getMicrophones may wait on the permission layer).
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(10);

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

/// Run the check.
pub async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    let Some(url) = ctx.inputs.url.clone().filter(|_| ctx.inputs.browser) else {
        return CheckOutput::skip(
            "browser",
            "not asked to open the page in a browser",
            "pass --url URL --browser to load the page in headless Chromium",
        );
    };
    let executable = ctx.inputs.chromium.clone().or_else(find_chromium);
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
    let options = LaunchOptions {
        executable: Some(executable),
        // The user's own flags (e.g. --unsafely-treat-insecure-origin-as-secure) change the verdict.
        extra_args: ctx.inputs.chrome_flags.clone(),
        // As a user clicking "Allow" on the microphone prompt; the devices themselves stay real.
        grant_media: true,
        ..LaunchOptions::default()
    };
    match inspect(&options, &url).await {
        Ok(output) => output,
        Err(e) => CheckOutput::single(failure(&url, e)),
    }
}

fn failure(url: &str, e: BrowserError) -> Finding {
    match e {
        BrowserError::Navigation { reason, .. } => Finding::new(
            "probe.browser.load_failed",
            Status::Fail,
            format!("Chromium could not load {url}: {reason}"),
        )
        .with_fix("check that the page is served and reachable from this machine"),
        other => Finding::new(
            "probe.browser.launch_failed",
            Status::Error,
            format!("could not drive Chromium: {other}"),
        )
        .with_fix(INSTALL_HINT),
    }
}

async fn inspect(options: &LaunchOptions, url: &str) -> Result<CheckOutput, BrowserError> {
    let chromium = Chromium::launch(options).await?;
    let version = chromium.version().to_string();
    let tab = match chromium.open(url, LOAD_TIMEOUT).await {
        Ok(tab) => tab,
        Err(e) => {
            chromium.close().await;
            return Err(e);
        }
    };
    tokio::time::sleep(SETTLE).await;
    // Only what the page printed by itself counts as "during load"; the probe script's own calls
    // (getMicrophones on an insecure page logs errors) are reported through its result instead.
    let during_load = tab.console();
    let facts = tab.eval(PROBE_SCRIPT, SCRIPT_TIMEOUT).await;
    tab.close().await;
    chromium.close().await;
    let facts: PageFacts = match facts {
        Ok(value) => serde_json::from_value(value.clone())
            .map_err(|e| BrowserError::Script(format!("the probe script returned {value}: {e}")))?,
        Err(e) => return Err(e),
    };
    Ok(judge(&version, &facts, &during_load))
}

/// Turn what the page showed into findings (pure, so tests can feed it facts).
fn judge(chromium: &str, facts: &PageFacts, console: &[ConsoleEntry]) -> CheckOutput {
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
            let mut f = Finding::new(
                "probe.browser.ok",
                Status::Pass,
                format!("the page sees {} microphone(s)", mics.len()),
            );
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

/// Attach the catalog's explanation of `printed` (if any) to `finding`.
fn explained(finding: Finding, printed: &str) -> Finding {
    match crate::explain::lookup(printed) {
        Some(entry) => finding
            .with_evidence(format!(
                "agora-doctor explain {}: {}",
                entry.key, entry.title
            ))
            .with_fix(entry.fix.clone()),
        None => finding,
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 300;
    let first = text.lines().next().unwrap_or_default();
    if first.chars().count() > MAX {
        format!("{}…", first.chars().take(MAX).collect::<String>())
    } else {
        first.to_string()
    }
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
        let out = judge("Chrome/156", &facts, &console);
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
    fn good_page_passes() {
        let facts = PageFacts {
            href: "http://x/".into(),
            secure: true,
            sdk: Some("4.24.8".into()),
            requirements: Some(serde_json::Value::Bool(true)),
            mics: Some(vec!["VirtualMic".into()]),
            mic_error: None,
        };
        let out = judge("Chrome/156", &facts, &[]);
        assert_eq!(out.headline.status, Status::Pass, "{out:?}");
    }
}
