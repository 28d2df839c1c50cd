//! The `browser` check's page inspection: load a page in headless Chromium, read what the Web SDK
//! sees there (secure context, `checkSystemRequirements()`, microphones, the SDK version) and every
//! console error during load, and judge it; the flow or the room of the same run follows on the
//! page ([`super::drive`]).

use std::time::Duration;

use serde::Deserialize;

use super::drive::{failure, run_flow, Pages, LOAD_TIMEOUT};
use crate::browser::{
    explained, shorten, web_sdk, BrowserError, Chromium, ConsoleEntry, LaunchOptions,
};
use crate::probe::context::ProbeContext;
use crate::probe::runner::CheckOutput;
use crate::vocabulary::{Finding, Status};
use crate::world::BrowserWorld;
use agora_token_core::words::count;

/// Console messages keep arriving after the load event (SDK start-up logs, late promise
/// rejections); wait this long before reading them.
const SETTLE: Duration = Duration::from_millis(1500);
/// Deadline for the in-page probe script (getMicrophones may wait on the permission layer).
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(10);
/// Under --sim, Chromium captures from its own synthetic audio source instead of a real device.
pub(super) const SIM_FAKE_MICROPHONE_FLAG: &str = "--use-fake-device-for-media-stream";

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

/// The plain check (no flow) on the user's page, with `note` added (why the flow did not run).
pub(super) async fn inspect_only(
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

pub(super) async fn inspect(
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
