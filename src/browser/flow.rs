//! The seed's Web SDK flow in headless Chromium: join → publish → unpublish → leave through a page's
//! `window.demo` API (the built-in demo page's, `fixtures/web/demo.js`), each step its own finding
//! (`probe.browser.flow_*`), a failing step explained from what the SDK said.
//!
//! `demo.<step>()` resolves to `{ok: true, …}` or `{error: {name, code, message}}`; it never throws,
//! so a thrown error or a timeout here means the page or the SDK hung, and says so.

use std::time::{Duration, Instant};

use agora_sim::web::{MediaReceived, WebEdge};
use serde_json::{json, Value};

use super::{ConsoleEntry, Tab};
use crate::vocabulary::{Finding, Status};
use agora_token_core::words::count;

/// Deadline of one step. The SDK retries an unreachable access point forever (`docs/probe-facts.md#web-sdk-join-sequence`), so
/// a join that has not settled by then never will on its own.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(15);
/// How long the track stays published before `unpublish`, so media really flows meanwhile.
pub const PUBLISH_HOLD: Duration = Duration::from_millis(1000);
/// Audio packets the simulated edge must receive before publish counts as proven (Opus sends one
/// per 20 ms, so about 100 ms of audio): several in a row show a stream, not a stray packet.
const ENOUGH_AUDIO_PACKETS: u64 = 5;
/// On the simulated edge, how long to wait for the first audio packet: Opus with DTX sends one
/// packet every 400 ms on a silent microphone, and the first may come late.
const FIRST_AUDIO_WAIT: Duration = Duration::from_millis(3000);
/// Everything the flow may take: four steps, the microphone look-up, the hold.
pub const FLOW_BUDGET: Duration = Duration::from_secs(15 * 5 + 2);

/// What a user runs when no Web SDK was found for the built-in demo page.
pub const SDK_HINT: &str =
    "`npm install agora-rtc-sdk-ng` in your project, or pass --web-sdk PATH \
(the agora-rtc-sdk-ng folder); with npm installed agora-doctor downloads it by itself";

/// Who joins where, and how the result is labelled.
#[derive(Debug, Clone)]
pub struct FlowPlan {
    /// The App ID.
    pub app_id: String,
    /// The channel.
    pub channel: String,
    /// The token (`None` = join with `null`, an App-ID-only project).
    pub token: Option<String>,
    /// The uid as typed (a number or a user account); `None` = let Agora choose.
    pub uid: Option<String>,
    /// The test double the page talks to, as the findings name it ([`WEB_DOUBLE`]); `None`:
    /// Agora. On it the built-in page carries the run's own Web SDK, whose known noise
    /// ([`SIM_SDK_OWN_ERRORS`]) is not the user's.
    pub double: Option<&'static str>,
    /// Chromium captures from its synthetic device: a missing microphone is "not tested here"
    /// (`--sim` does not test this machine's microphone).
    pub synthetic_microphone: bool,
}

/// The simulated Web edge, as a flow that ran against it says.
pub const WEB_DOUBLE: &str = "the simulated Web edge (a test double, not Agora)";

impl FlowPlan {
    /// The `demo.join(…)` argument.
    pub(crate) fn join_options(&self) -> Value {
        let uid = match self.uid.as_deref().map(str::trim) {
            None | Some("") => Value::Null,
            Some(text) => text
                .parse::<u64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(text)),
        };
        json!({ "appid": self.app_id, "channel": self.channel, "token": self.token, "uid": uid })
    }
}

/// One page call's result: the demo API's answer, or why there was none.
pub(super) enum Answer {
    Ok(Value),
    Failed(String),
    Hung(String),
}

async fn call(tab: &Tab, expression: &str) -> (Answer, Duration) {
    call_within(tab, expression, STEP_TIMEOUT).await
}

/// Evaluate one call of the demo API, waiting at most `deadline` for it to settle.
pub(super) async fn call_within(
    tab: &Tab,
    expression: &str,
    deadline: Duration,
) -> (Answer, Duration) {
    let started = Instant::now();
    let answer = match tab.eval(expression, deadline).await {
        Ok(v) if v["ok"] == true => Answer::Ok(v),
        Ok(v) => match v["error"]["message"].as_str() {
            Some(message) => Answer::Failed(message.to_string()),
            None => Answer::Hung(format!("the page answered {v}")),
        },
        Err(super::BrowserError::Timeout(d)) => {
            Answer::Hung(format!("did not settle within {} s", d.as_secs()))
        }
        Err(e) => Answer::Hung(e.to_string()),
    };
    (answer, started.elapsed())
}

/// Whether the page exposes the demo API the flow drives.
const HAS_DEMO_API: &str = "typeof window.demo === 'object' && window.demo !== null && \
['join', 'publish', 'unpublish', 'leave'].every((k) => typeof window.demo[k] === 'function')";

/// Run the flow on `tab` (already loaded). `edge`: the simulated Web edge serving it, whose media
/// end can say what it received. `console_from`: the first console entry the flow answers for
/// (`None`: whatever the page prints from now on).
pub async fn run(
    tab: &Tab,
    plan: &FlowPlan,
    edge: Option<&WebEdge>,
    console_from: Option<usize>,
) -> Vec<Finding> {
    if !matches!(
        tab.eval(HAS_DEMO_API, STEP_TIMEOUT).await,
        Ok(Value::Bool(true))
    ) {
        return vec![Finding::new(
            "probe.browser.flow_skipped",
            Status::Skip,
            "the page has no `window.demo` API (join, publish, unpublish, leave), so the flow did not run",
        )
        .with_fix(
            "drop --url to run the flow on the built-in demo page, or expose the same API as fixtures/web/demo.js",
        )];
    }
    let console_before = console_from.unwrap_or_else(|| tab.console().len());
    let mut findings = Vec::new();
    let where_ = plan
        .double
        .map(|double| format!(" through {double}"))
        .unwrap_or_default();

    let join = format!("await demo.join({})", plan.join_options());
    let (answer, took) = call(tab, &join).await;
    let uid = match answer {
        Answer::Ok(v) => {
            findings.push(
                Finding::new(
                    "probe.browser.flow_join",
                    Status::Pass,
                    format!(
                        "join: joined channel {:?} as uid {}{where_}",
                        plan.channel, v["uid"]
                    ),
                )
                .with_evidence(format!(
                    "{} ms; connection state {}",
                    took.as_millis(),
                    v["state"].as_str().unwrap_or("?")
                )),
            );
            v["uid"].as_u64()
        }
        Answer::Failed(message) => {
            findings.push(failed("probe.browser.flow_join", "join", &message, took));
            findings.extend(not_run(&["publish", "unpublish", "leave"], "join failed"));
            findings.extend(console_errors(
                &tab.console()[console_before..],
                plan.double.is_some(),
            ));
            return findings;
        }
        Answer::Hung(why) => {
            findings.push(hung("probe.browser.flow_join", "join", &why));
            findings.extend(not_run(&["publish", "unpublish"], "join did not finish"));
            // Stop the SDK's retries before the tab closes.
            let _ = call(tab, "await demo.leave()").await;
            findings.extend(not_run(&["leave"], "join did not finish"));
            findings.extend(console_errors(
                &tab.console()[console_before..],
                plan.double.is_some(),
            ));
            return findings;
        }
    };

    let microphone = if plan.synthetic_microphone {
        microphone_missing(tab).await
    } else {
        None
    };
    let published = match &microphone {
        Some(why) => {
            findings.push(
                Finding::new(
                    "probe.browser.flow_publish",
                    Status::Skip,
                    format!("publish: not run, the page sees no microphone ({why})"),
                )
                .with_fix("--sim simulates Agora's edge, not this machine's microphone; run `agora-doctor probe --only devices`"),
            );
            findings.extend(not_run(&["unpublish"], "nothing was published"));
            false
        }
        None => {
            let (answer, took) = call(tab, "await demo.publish()").await;
            match answer {
                Answer::Ok(_) => {
                    let held = hold(edge, uid).await;
                    findings.push(published_finding(
                        took,
                        held,
                        uid.and_then(|u| received(edge, u)),
                    ));
                    true
                }
                Answer::Failed(message) => {
                    findings.push(failed(
                        "probe.browser.flow_publish",
                        "publish",
                        &message,
                        took,
                    ));
                    false
                }
                Answer::Hung(why) => {
                    findings.push(hung("probe.browser.flow_publish", "publish", &why));
                    false
                }
            }
        }
    };
    if published {
        let (answer, took) = call(tab, "await demo.unpublish()").await;
        findings.push(step_finding(
            "probe.browser.flow_unpublish",
            "unpublish",
            answer,
            took,
            "unpublish: the microphone track was unpublished",
        ));
    } else if microphone.is_none() {
        findings.extend(not_run(&["unpublish"], "publish failed"));
    }

    let (answer, took) = call(tab, "await demo.leave()").await;
    findings.push(step_finding(
        "probe.browser.flow_leave",
        "leave",
        answer,
        took,
        "leave: left the channel",
    ));
    let all_passed = findings.iter().all(|f| f.status == Status::Pass);
    findings.extend(console_errors(
        &tab.console()[console_before..],
        plan.double.is_some(),
    ));
    if all_passed {
        if let Some(console) = findings
            .last_mut()
            .filter(|f| f.key == "probe.browser.flow_console" && f.status == Status::Warn)
        {
            console.summary = format!("every step passed, but {}", console.summary);
        }
    }
    findings
}

/// `Some(reason)` when the page cannot list a microphone.
async fn microphone_missing(tab: &Tab) -> Option<String> {
    let probe = "typeof demo.microphones === 'function' ? await demo.microphones() : {ok: true, labels: ['?']}";
    match tab.eval(probe, STEP_TIMEOUT).await {
        Ok(v) if v["ok"] == true => match v["labels"].as_array() {
            Some(labels) if !labels.is_empty() => None,
            _ => Some("no audio input device".into()),
        },
        Ok(v) => Some(
            v["error"]["message"]
                .as_str()
                .unwrap_or("getMicrophones failed")
                .to_string(),
        ),
        Err(e) => Some(e.to_string()),
    }
}

/// Keep the track published. On the simulated edge, until its media end has counted
/// [`ENOUGH_AUDIO_PACKETS`], or any after [`PUBLISH_HOLD`] (at most [`FIRST_AUDIO_WAIT`]): proof enough that audio flows, and the
/// flow stays short. On a user's page nothing counts packets, so hold [`PUBLISH_HOLD`] for the SDK
/// to report trouble. Returns how long it was held.
async fn hold(edge: Option<&WebEdge>, uid: Option<u64>) -> Duration {
    let started = Instant::now();
    let Some(uid) = uid.filter(|_| edge.is_some()) else {
        tokio::time::sleep(PUBLISH_HOLD).await;
        return started.elapsed();
    };
    while started.elapsed() < FIRST_AUDIO_WAIT {
        let packets = received(edge, uid).map_or(0, |m| m.audio_packets);
        // A silent microphone with DTX sends a packet only every 400 ms: after the usual hold,
        // any audio at all is proof enough.
        if packets >= ENOUGH_AUDIO_PACKETS || (packets > 0 && started.elapsed() >= PUBLISH_HOLD) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    started.elapsed()
}

fn received(edge: Option<&WebEdge>, uid: u64) -> Option<MediaReceived> {
    edge?.received_audio(u32::try_from(uid).ok()?)
}

fn published_finding(took: Duration, held: Duration, media: Option<MediaReceived>) -> Finding {
    let base = "publish: the microphone track was published";
    match media {
        None => Finding::new("probe.browser.flow_publish", Status::Pass, base)
            .with_evidence(format!("{} ms", took.as_millis())),
        Some(m) if m.connected && m.audio_packets > 0 => Finding::new(
            "probe.browser.flow_publish",
            Status::Pass,
            format!("{base}; the simulated edge (a double) received its audio"),
        )
        .with_evidence(format!(
            "{} ms; the simulated media end got {} audio packets ({} bytes) over ICE + DTLS-SRTP in {} ms",
            took.as_millis(),
            m.audio_packets,
            m.audio_bytes,
            held.as_millis()
        )),
        Some(m) => Finding::new(
            "probe.browser.flow_publish",
            Status::Warn,
            format!("{base}, but the simulated edge (a double) received no audio from it"),
        )
        .with_evidence(format!(
            "ICE + DTLS {}; {} audio packets in {} ms",
            if m.connected { "completed" } else { "did not complete" },
            m.audio_packets,
            held.as_millis()
        ))
        .with_fix("check the microphone is not muted or suspended: `agora-doctor probe --only devices`"),
    }
}

fn step_finding(key: &str, step: &str, answer: Answer, took: Duration, ok: &str) -> Finding {
    match answer {
        Answer::Ok(v) => Finding::new(key, Status::Pass, ok.to_string()).with_evidence(
            match v["state"].as_str() {
                Some(state) => format!("{} ms; connection state {state}", took.as_millis()),
                None => format!("{} ms", took.as_millis()),
            },
        ),
        Answer::Failed(message) => failed(key, step, &message, took),
        Answer::Hung(why) => hung(key, step, &why),
    }
}

/// A step the SDK refused with `message`: `{step} failed: {message}`.
pub(crate) fn failed(key: &str, step: &str, message: &str, took: Duration) -> Finding {
    refused(key, format!("{step} failed: {message}"), message, took)
}

/// A call the SDK answered with an error `message` after `took`: `summary`, how long the answer
/// took, and the catalog's explanation of the message when it has one.
pub(crate) fn refused(key: &str, summary: String, message: &str, took: Duration) -> Finding {
    super::explained(
        Finding::new(key, Status::Fail, summary)
            .with_evidence(format!("the SDK answered after {} ms", took.as_millis())),
        message,
    )
}

/// A call the SDK never answered (it keeps retrying while Agora is unreachable).
pub(crate) fn hung(key: &str, step: &str, why: &str) -> Finding {
    Finding::new(key, Status::Fail, format!("{step}: {why}")).with_fix(
        "the SDK keeps retrying when it cannot reach Agora's access point or gateway: run `agora-doctor probe --only network`",
    )
}

fn not_run(steps: &[&str], because: &str) -> Vec<Finding> {
    steps
        .iter()
        .map(|step| {
            Finding::new(
                format!("probe.browser.flow_{step}"),
                Status::Skip,
                format!("{step}: not run, {because}"),
            )
        })
        .collect()
}

/// Catalog entries for errors the Web SDK the simulated run uses (4.3.0) prints by itself on a
/// current Chromium, whatever the app does. On the built-in page under --sim they are ours, not the
/// user's, so they are shown but do not count as a problem.
const SIM_SDK_OWN_ERRORS: &[&str] = &["msg.getstats_not_a_track"];

/// Errors the page printed while the flow ran, each distinct line once, explained when known.
/// `own_sdk`: the page is the built-in one with the simulated run's SDK (see
/// [`SIM_SDK_OWN_ERRORS`]).
pub(crate) fn console_errors(lines: &[ConsoleEntry], own_sdk: bool) -> Vec<Finding> {
    let mut seen: Vec<&str> = Vec::new();
    for line in lines.iter().filter(|l| l.kind.is_error()) {
        if !seen.contains(&line.text.as_str()) {
            seen.push(&line.text);
        }
    }
    let total = lines.iter().filter(|l| l.kind.is_error()).count();
    if seen.is_empty() {
        return Vec::new();
    }
    let only_sdk_noise = own_sdk
        && seen.iter().all(|text| {
            crate::explain::lookup(text)
                .is_some_and(|e| SIM_SDK_OWN_ERRORS.contains(&e.key.as_ref()))
        });
    let mut finding = if only_sdk_noise {
        Finding::new(
            "probe.browser.flow_console",
            Status::Pass,
            format!(
                "the page printed {} during the flow, all the simulated run's SDK 4.3.0 itself (a known incompatibility with current Chromium, not a problem of yours)",
                count(total as u64, "error line")
            ),
        )
    } else {
        Finding::new(
            "probe.browser.flow_console",
            Status::Warn,
            format!(
                "the page printed {} during the flow ({} distinct)",
                count(total as u64, "error line"),
                seen.len()
            ),
        )
    };
    for text in &seen {
        finding = finding.with_evidence(super::shorten(text));
        if let Some(entry) = crate::explain::lookup(text) {
            finding = finding.with_evidence(format!(
                "  agora-doctor explain {}: {}",
                entry.key, entry.title
            ));
        }
    }
    if only_sdk_noise {
        return vec![finding];
    }
    vec![finding.with_fix(
        "read the lines above: errors after a passing step are often the SDK's own (e.g. an old SDK on a newer browser)",
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_options_pass_numbers_as_numbers_and_accounts_as_strings() {
        let mut plan = FlowPlan {
            app_id: "a".into(),
            channel: "c".into(),
            token: None,
            uid: Some("42".into()),
            double: None,
            synthetic_microphone: false,
        };
        assert_eq!(plan.join_options()["uid"], 42);
        assert_eq!(plan.join_options()["token"], Value::Null);
        plan.uid = Some("alice".into());
        assert_eq!(plan.join_options()["uid"], "alice");
        plan.uid = None;
        assert_eq!(plan.join_options()["uid"], Value::Null);
    }

    #[test]
    fn repeated_console_errors_are_counted_once_each() {
        let line = |kind, text: &str| ConsoleEntry {
            kind,
            text: text.into(),
        };
        let lines = [
            line(super::super::ConsoleKind::Exception, "TypeError: x"),
            line(super::super::ConsoleKind::Exception, "TypeError: x"),
            line(super::super::ConsoleKind::Log, "fine"),
        ];
        let found = console_errors(&lines, false);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].status, Status::Warn);
        assert!(found[0].summary.contains("2 error lines"), "{:?}", found[0]);
        assert_eq!(found[0].evidence, vec!["TypeError: x".to_string()]);
        assert!(console_errors(&lines[2..], false).is_empty());
        // Under --sim an unknown error still counts.
        assert_eq!(console_errors(&lines, true)[0].status, Status::Warn);
    }

    #[test]
    fn the_simulated_sdks_own_errors_do_not_count_under_sim_only() {
        let getstats = ConsoleEntry {
            kind: super::super::ConsoleKind::Exception,
            text: "Uncaught (in promise) TypeError: Failed to execute 'getStats' on 'RTCPeerConnection': parameter 1 is not of type 'MediaStreamTrack'.".into(),
        };
        let sim = console_errors(std::slice::from_ref(&getstats), true);
        assert_eq!(sim[0].status, Status::Pass, "{:?}", sim[0]);
        assert!(sim[0]
            .evidence
            .iter()
            .any(|e| e.contains("msg.getstats_not_a_track")));
        let user_page = console_errors(std::slice::from_ref(&getstats), false);
        assert_eq!(user_page[0].status, Status::Warn);
    }
}
