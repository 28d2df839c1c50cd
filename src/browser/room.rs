//! The seed's voice room with two participants in headless Chromium: A and B, each in a browser
//! context of its own, join the same channel through the Web SDK on the demo page; A speaks a known
//! tone, B receives `user-joined` and `user-published`, subscribes, plays, and measures what it hears
//! (level and dominant frequency through Web Audio); A unpublishes (B gets `user-unpublished`) and
//! leaves (B gets `user-left`). Each of the eight interactions is its own finding
//! (`probe.browser.room_*`) with its time, then the connection figures with a verdict.
//!
//! The page side is `fixtures/web/demo.js` (`demo.join/publish/unpublish/leave`, `demo.waitFor`,
//! `demo.hear`, `demo.figures`); the judging of figures is pure ([`judge_figures`]).

use std::borrow::Borrow;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use agora_sim::web::WebEdge;
use serde_json::{json, Value};

use super::flow::{call_within, failed, hung, refused, Answer, FlowPlan};
use super::{BrowserError, Tab};
use crate::vocabulary::{Finding, Status};

/// The tone A speaks (Hz): concert A, clear of mains hum and of Opus's band edges.
pub const TONE_HZ: f64 = 440.0;
/// Chromium flags the room needs: Web Audio (the tone, B's analyser) and playback start without a
/// click, as they would after a user pressed "Join".
pub const ROOM_FLAGS: &[&str] = &["--autoplay-policy=no-user-gesture-required"];
/// Deadline of one step or remote event.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(15);
/// How long B listens to measure level and frequency.
const LISTEN: Duration = Duration::from_millis(250);
/// Everything the room may take: eight interactions, the listening, the figures.
pub const ROOM_BUDGET: Duration = Duration::from_secs(15 * 10 + 5);
/// Quieter than this (dBFS) is "heard nothing": the watcher's threshold is -50 dBFS; a tone at half
/// scale arrives near -9 dBFS.
const HEARD_DBFS: f64 = -40.0;
/// How far the heard frequency may be from [`TONE_HZ`]: two analyser bins at 48 kHz / 4096.
const FREQUENCY_TOLERANCE_HZ: f64 = 25.0;

/// Who joins: A (speaks) and B (listens), each with its own uid and token.
#[derive(Debug, Clone)]
pub struct RoomPlan {
    /// A's join (App ID, channel, token, uid, simulated).
    pub a: FlowPlan,
    /// B's join (same App ID and channel; its own uid and token).
    pub b: FlowPlan,
}

/// One page call, with a second more than the page's own step deadline so the page's answer wins.
async fn call(tab: &Tab, expression: &str) -> (Answer, Duration) {
    call_within(tab, expression, STEP_TIMEOUT + Duration::from_secs(1)).await
}

fn epoch_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn wait_for(event: &str, uid: &Value, since: u64) -> String {
    format!(
        "await demo.waitFor({}, {uid}, {since}, {})",
        json!(event),
        STEP_TIMEOUT.as_millis()
    )
}

/// What B measured from A's tone.
#[derive(Debug, Clone, PartialEq)]
pub struct Heard {
    /// Loudest RMS level while listening, dBFS.
    pub dbfs: Option<f64>,
    /// Dominant frequency at that moment, Hz.
    pub frequency: Option<f64>,
    /// Analyser resolution, Hz per bin.
    pub resolution: f64,
}

impl Heard {
    fn from_page(v: &Value) -> Heard {
        Heard {
            dbfs: v["dbfs"].as_f64(),
            frequency: v["frequency"].as_f64(),
            resolution: v["resolution"].as_f64().unwrap_or(0.0),
        }
    }

    /// B heard A's tone: loud enough, at the tone's frequency.
    pub fn is_the_tone(&self) -> bool {
        self.dbfs.is_some_and(|d| d > HEARD_DBFS)
            && self
                .frequency
                .is_some_and(|f| (f - TONE_HZ).abs() <= FREQUENCY_TOLERANCE_HZ)
    }
}

/// The connection figures users compare with Agora's and others' pre-call tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Round-trip time of the media connections (ICE candidate pair), ms.
    pub rtt_ms: Option<f64>,
    /// Inbound audio jitter at B, ms.
    pub jitter_ms: Option<f64>,
    /// Inbound audio packet loss at B, percent.
    pub loss_percent: Option<f64>,
    /// Inbound audio bitrate at B while listening, kbit/s.
    pub bitrate_kbps: Option<f64>,
    /// From B's `join()` call to B first hearing A, ms.
    pub join_to_heard_ms: Option<u64>,
    /// From A's `publish()` call to B first hearing A, ms.
    pub publish_to_heard_ms: Option<u64>,
}

/// Bands of the verdict, stated in the finding: good for a voice room below all of them.
const GOOD_LOSS_PERCENT: f64 = 5.0;
const GOOD_RTT_MS: f64 = 300.0;
const GOOD_JITTER_MS: f64 = 30.0;
/// Opus voice in the Web SDK runs at 24–48 kbit/s; below this the audio is not flowing properly.
const MIN_BITRATE_KBPS: f64 = 6.0;

/// The verdict on `figures`: pass when every measured figure is inside its band, warn naming each
/// one outside, warn when nothing could be measured.
pub fn judge_figures(figures: &Figures, on_loopback_double: bool) -> Finding {
    let mut problems = Vec::new();
    if let Some(loss) = figures.loss_percent.filter(|l| *l >= GOOD_LOSS_PERCENT) {
        problems.push(format!(
            "packet loss {loss:.1} % (good: under {GOOD_LOSS_PERCENT} %)"
        ));
    }
    if let Some(rtt) = figures.rtt_ms.filter(|r| *r >= GOOD_RTT_MS) {
        problems.push(format!(
            "round trip {rtt:.0} ms (good: under {GOOD_RTT_MS} ms)"
        ));
    }
    if let Some(jitter) = figures.jitter_ms.filter(|j| *j >= GOOD_JITTER_MS) {
        problems.push(format!(
            "jitter {jitter:.0} ms (good: under {GOOD_JITTER_MS} ms)"
        ));
    }
    if let Some(rate) = figures.bitrate_kbps.filter(|r| *r < MIN_BITRATE_KBPS) {
        problems.push(format!(
            "audio bitrate {rate:.1} kbit/s (a voice needs at least {MIN_BITRATE_KBPS} kbit/s)"
        ));
    }
    let measured = figures.loss_percent.is_some() || figures.rtt_ms.is_some();
    let mut finding = if !measured {
        Finding::new(
            "probe.browser.room_quality",
            Status::Warn,
            "no connection figures: the browser reported no statistics for the room's audio",
        )
    } else if problems.is_empty() {
        Finding::new(
            "probe.browser.room_quality",
            Status::Pass,
            format!(
                "good for a voice room: loss under {GOOD_LOSS_PERCENT} %, round trip under {GOOD_RTT_MS} ms, jitter under {GOOD_JITTER_MS} ms{}",
                if on_loopback_double { " (on loopback through the simulated edge, so this says nothing about the network to Agora)" } else { "" }
            ),
        )
    } else {
        Finding::new(
            "probe.browser.room_quality",
            Status::Warn,
            format!("not good for a voice room: {}", problems.join("; ")),
        )
        .with_fix("run `agora-doctor probe --only network` on the same network; Wi-Fi and VPNs are the usual causes of loss and jitter")
    };
    finding = finding.with_evidence(figures_line(figures));
    finding
}

fn figures_line(f: &Figures) -> String {
    let opt = |v: Option<f64>, unit: &str, digits: usize| match v {
        Some(v) => format!("{v:.digits$} {unit}"),
        None => "not reported".to_string(),
    };
    format!(
        "round trip {}, jitter {}, packet loss {}, bitrate {}, B's join → first audio heard {}, A's publish → heard {}",
        opt(f.rtt_ms, "ms", 1),
        opt(f.jitter_ms, "ms", 1),
        opt(f.loss_percent, "%", 1),
        opt(f.bitrate_kbps, "kbit/s", 1),
        f.join_to_heard_ms.map_or("not measured".into(), |m| format!("{m} ms")),
        f.publish_to_heard_ms.map_or("not measured".into(), |m| format!("{m} ms")),
    )
}

/// Figures from the pages' `demo.figures()` before (`b0`) and after (`b1`) B listened, A's (`a`),
/// and the times heard.
fn figures_from(b0: &Value, b1: &Value, a: &Value) -> Figures {
    let inbound = &b1["figures"]["inbound"];
    let received = inbound["packetsReceived"].as_f64();
    let lost = inbound["packetsLost"].as_f64();
    let loss_percent = match (received, lost) {
        (Some(r), Some(l)) if r + l > 0.0 => Some(100.0 * l.max(0.0) / (r + l.max(0.0))),
        _ => None,
    };
    let bytes = |v: &Value| v["figures"]["inbound"]["bytesReceived"].as_f64();
    let at = |v: &Value| v["figures"]["at"].as_f64();
    let bitrate_kbps = match (bytes(b0), bytes(b1), at(b0), at(b1)) {
        (Some(x0), Some(x1), Some(t0), Some(t1)) if t1 > t0 => Some((x1 - x0) * 8.0 / (t1 - t0)),
        _ => None,
    };
    let rtts = [b1, a]
        .iter()
        .flat_map(|v| {
            v["figures"]["rttMs"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|r| r.as_f64())
        .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
    Figures {
        rtt_ms: rtts,
        jitter_ms: inbound["jitterMs"].as_f64(),
        loss_percent,
        bitrate_kbps,
        join_to_heard_ms: None,
        publish_to_heard_ms: None,
    }
}

/// Run the room on two loaded tabs (`a`, `b`: the demo page, each in its own browser context).
/// `edge`: the simulated Web edge, whose media end says what it received and forwarded.
pub async fn run(a: &Tab, b: &Tab, plan: &RoomPlan, edge: Option<&WebEdge>) -> Vec<Finding> {
    run_opening(a, async { Ok::<_, BrowserError>(b) }, plan, edge).await
}

/// [`run`] with B's page still loading (`b_opening`): A joins meanwhile, which saves a page load.
pub async fn run_opening<T: Borrow<Tab>>(
    a: &Tab,
    b_opening: impl Future<Output = Result<T, BrowserError>>,
    plan: &RoomPlan,
    edge: Option<&WebEdge>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let a_console_from = a.console().len();
    let where_ = plan
        .a
        .double
        .map(|double| format!(" through {double}"))
        .unwrap_or_default();

    // 1. join: A (while B's page loads), then B.
    let a_join_call = format!("await demo.join({})", plan.a.join_options());
    let a_join = call(a, &a_join_call);
    // Meanwhile: can this browser make a media connection at all?
    let ice_call = format!(
        "typeof demo.iceCandidates === 'function' ? await demo.iceCandidates({}) : null",
        ICE_CHECK.as_millis()
    );
    let ice = a.eval(&ice_call, ICE_CHECK + Duration::from_secs(2));
    let (b_tab, (a_answer, a_took), ice) = tokio::join!(b_opening, a_join, ice);
    let ice = IceCheck::from_page(&ice.unwrap_or(Value::Null));
    let b_tab = match b_tab {
        Ok(t) => t,
        Err(e) => {
            findings.push(Finding::new(
                "probe.browser.room_join",
                Status::Error,
                format!("join: participant B's page could not open: {e}"),
            ));
            let _ = call(a, "await demo.leave()").await;
            return findings;
        }
    };
    let b = b_tab.borrow();
    let b_console_from = b.console().len();
    let b_join_at = epoch_ms();
    let (b_answer, b_took) = call(b, &format!("await demo.join({})", plan.b.join_options())).await;
    let mut uids = [Value::Null, Value::Null];
    let mut join_times = Vec::new();
    for (i, (who, answer, took)) in [("A", a_answer, a_took), ("B", b_answer, b_took)]
        .into_iter()
        .enumerate()
    {
        match answer {
            Answer::Ok(v) => {
                uids[i] = v["uid"].clone();
                join_times.push(format!(
                    "{who} joined as uid {} in {} ms",
                    v["uid"],
                    took.as_millis()
                ));
            }
            Answer::Failed(message) => {
                findings.push(refused(
                    "probe.browser.room_join",
                    format!("join: participant {who} could not join: {message}"),
                    &message,
                    took,
                ));
                return finish(findings, a, b, "join failed").await;
            }
            Answer::Hung(why) => {
                findings.push(hung(
                    "probe.browser.room_join",
                    &format!("join of participant {who}"),
                    &why,
                ));
                return finish(findings, a, b, "join did not finish").await;
            }
        }
    }
    let [a_uid, b_uid] = uids;
    let mut joined = Finding::new(
        "probe.browser.room_join",
        Status::Pass,
        format!(
            "join: A and B joined channel {:?} from separate browser contexts{where_}",
            plan.a.channel
        ),
    );
    for line in join_times {
        joined = joined.with_evidence(line);
    }
    findings.push(joined);

    // 2. user-joined at B.
    let (answer, took) = call(b, &wait_for("user-joined", &a_uid, 0)).await;
    findings.push(event_finding(
        "probe.browser.room_user_joined",
        "user-joined",
        answer,
        took,
        &format!("user-joined: B saw A (uid {a_uid}) arrive"),
    ));

    // 3. A publishes the tone: not even tried when the browser cannot gather a single ICE candidate.
    if let Some(IceCheck {
        candidates: 0, ms, ..
    }) = ice
    {
        findings.push(no_candidates_finding(ms));
        return finish(findings, a, b, "no media connection is possible here").await;
    }
    let publish_at = epoch_ms();
    let (answer, took) = call(a, &format!("await demo.publish({{tone: {TONE_HZ}}})")).await;
    match answer {
        Answer::Ok(_) => {
            let f = Finding::new(
                "probe.browser.room_publish",
                Status::Pass,
                format!("publish: A published a {TONE_HZ} Hz tone (Web Audio oscillator as a custom audio track)"),
            )
            .with_evidence(format!("{} ms", took.as_millis()));
            findings.push(f);
        }
        Answer::Failed(message) => {
            findings.push(failed(
                "probe.browser.room_publish",
                "publish",
                &message,
                took,
            ));
            return finish(findings, a, b, "publish failed").await;
        }
        Answer::Hung(why) => {
            findings.push(hung("probe.browser.room_publish", "publish", &why));
            return finish(findings, a, b, "publish did not finish").await;
        }
    }

    // 4. user-published at B → subscribe → play → heard.
    let (answer, took) = call(b, &wait_for("first-audio-heard", &a_uid, 0)).await;
    let mut figures = Figures::default();
    match answer {
        Answer::Ok(v) => {
            let heard_at = v["event"]["at"].as_u64();
            figures.join_to_heard_ms = heard_at.map(|t| t.saturating_sub(b_join_at));
            figures.publish_to_heard_ms = heard_at.map(|t| t.saturating_sub(publish_at));
            let before = b
                .eval("await demo.figures()", STEP_TIMEOUT)
                .await
                .unwrap_or(Value::Null);
            let (listened, _) = call(
                b,
                &format!("await demo.hear({a_uid}, {})", LISTEN.as_millis()),
            )
            .await;
            let after = b
                .eval("await demo.figures()", STEP_TIMEOUT)
                .await
                .unwrap_or(Value::Null);
            let a_side = a
                .eval("await demo.figures()", STEP_TIMEOUT)
                .await
                .unwrap_or(Value::Null);
            let computed = figures_from(&before, &after, &a_side);
            figures = Figures {
                join_to_heard_ms: figures.join_to_heard_ms,
                publish_to_heard_ms: figures.publish_to_heard_ms,
                ..computed
            };
            let heard = match listened {
                Answer::Ok(v) => Some(Heard::from_page(&v)),
                _ => None,
            };
            findings.push(heard_finding(heard.as_ref(), took, edge, &a_uid, &b_uid));
        }
        Answer::Failed(message) | Answer::Hung(message) => {
            // Say how far B got: the event, the subscription, or neither.
            let events = b
                .eval("demo.events.map((e) => e.event)", STEP_TIMEOUT)
                .await
                .unwrap_or(Value::Null);
            let got = |name: &str| {
                events
                    .as_array()
                    .is_some_and(|e| e.iter().any(|x| x == name))
            };
            let stage = if !got("user-published") {
                "B never got user-published for A"
            } else if !got("subscribed") {
                "B got user-published but subscribe did not succeed"
            } else {
                "B subscribed and played A's track but heard nothing"
            };
            let mut f = Finding::new(
                "probe.browser.room_user_published",
                Status::Fail,
                format!("user-published: {stage}"),
            )
            .with_evidence(message);
            for line in b.console()[b_console_from..]
                .iter()
                .filter(|l| l.kind.is_error())
            {
                f = super::explained(f.with_evidence(super::shorten(&line.text)), &line.text);
            }
            findings.push(f);
        }
    }
    findings.push(judge_figures(&figures, plan.a.double.is_some()));

    // 5. A unpublishes; B gets user-unpublished.
    let unpublish_at = epoch_ms();
    let (answer, took) = call(a, "await demo.unpublish()").await;
    findings.push(step_finding(
        "probe.browser.room_unpublish",
        "unpublish",
        answer,
        took,
        "unpublish: A stopped speaking",
    ));
    let (answer, took) = call(b, &wait_for("user-unpublished", &a_uid, unpublish_at)).await;
    findings.push(event_finding(
        "probe.browser.room_user_unpublished",
        "user-unpublished",
        answer,
        took,
        "user-unpublished: B saw A stop speaking",
    ));

    // 6. A leaves; B gets user-left.
    let leave_at = epoch_ms();
    let (answer, took) = call(a, "await demo.leave()").await;
    findings.push(step_finding(
        "probe.browser.room_leave",
        "leave",
        answer,
        took,
        "leave: A left the channel",
    ));
    let (answer, took) = call(b, &wait_for("user-left", &a_uid, leave_at)).await;
    findings.push(event_finding(
        "probe.browser.room_user_left",
        "user-left",
        answer,
        took,
        "user-left: B saw A leave",
    ));
    let _ = call(b, "await demo.leave()").await;
    let mut printed = a.console()[a_console_from..].to_vec();
    printed.extend_from_slice(&b.console()[b_console_from..]);
    findings.extend(super::flow::console_errors(
        &printed,
        plan.a.double.is_some(),
    ));
    findings
}

/// How long the page may gather ICE candidates before the room judges it (host candidates come in
/// a few ms; gathering normally completes well within this).
const ICE_CHECK: Duration = Duration::from_millis(1500);

/// What the page's ICE-candidate check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IceCheck {
    candidates: usize,
    complete: bool,
    ms: u64,
}

impl IceCheck {
    fn from_page(v: &Value) -> Option<IceCheck> {
        Some(IceCheck {
            candidates: v["candidates"].as_array()?.len(),
            complete: v["complete"].as_bool()?,
            ms: v["ms"].as_u64().unwrap_or(0),
        })
    }
}

/// Chromium gathered no ICE candidate: no media connection can be made from this machine.
fn no_candidates_finding(ms: u64) -> Finding {
    Finding::new(
        "probe.browser.room_publish",
        Status::Fail,
        "publish: Chromium gathered no ICE candidate, so no audio can flow from this machine (to Agora or to the simulated edge); the access point and gateway were reached, this is not Agora's side",
    )
    .with_evidence(format!(
        "an RTCPeerConnection had gathered 0 ICE candidates after {ms} ms (one host candidate takes a few ms where there is a network): Chromium's WebRTC offers no address from a loopback-only network (its interface list leaves loopback out), as in a network namespace holding just `lo`"
    ))
    .with_fix("run where the machine has a network interface besides loopback (in a container or CI sandbox: give it a network, e.g. a veth pair or a dummy interface with an address); `agora-doctor probe --only network` shows what the machine reaches")
}

/// After a failed step: the steps not run, and both participants out of the channel (stops the
/// SDK's retries before the tabs close).
async fn finish(mut findings: Vec<Finding>, a: &Tab, b: &Tab, because: &str) -> Vec<Finding> {
    let done: Vec<String> = findings.iter().map(|f| f.key.clone()).collect();
    for key in ROOM_KEYS {
        if !done.iter().any(|d| d == key) {
            let step = key.rsplit("room_").next().unwrap_or(key).replace('_', "-");
            findings.push(Finding::new(
                *key,
                Status::Skip,
                format!("{step}: not run, {because}"),
            ));
        }
    }
    let _ = call(a, "await demo.leave()").await;
    let _ = call(b, "await demo.leave()").await;
    findings
}

/// The eight interactions' keys, in order.
pub const ROOM_KEYS: &[&str] = &[
    "probe.browser.room_join",
    "probe.browser.room_user_joined",
    "probe.browser.room_publish",
    "probe.browser.room_user_published",
    "probe.browser.room_unpublish",
    "probe.browser.room_user_unpublished",
    "probe.browser.room_leave",
    "probe.browser.room_user_left",
];

fn heard_finding(
    heard: Option<&Heard>,
    took: Duration,
    edge: Option<&WebEdge>,
    a_uid: &Value,
    b_uid: &Value,
) -> Finding {
    let forwarded = match (edge, a_uid.as_u64(), b_uid.as_u64()) {
        (Some(edge), Some(a), Some(b)) => edge.forwarded_audio(b as u32, a as u32),
        _ => None,
    };
    let measured = heard.map(|h| {
        format!(
            "B measured {} at {} (analyser bins of {:.1} Hz)",
            h.dbfs.map_or("no level".into(), |d| format!("{d:.1} dBFS")),
            h.frequency
                .map_or("no frequency".into(), |f| format!("{f:.0} Hz")),
            h.resolution
        )
    });
    let mut f = match heard {
        Some(h) if h.is_the_tone() => Finding::new(
            "probe.browser.room_user_published",
            Status::Pass,
            format!("user-published: B subscribed to A, played the track, and heard A's {TONE_HZ} Hz tone"),
        ),
        _ => Finding::new(
            "probe.browser.room_user_published",
            Status::Fail,
            format!("user-published: B subscribed to A but did not hear A's {TONE_HZ} Hz tone"),
        )
        .with_fix("the audio did not arrive intact: run `agora-doctor probe --only network`, and check nothing on the page mutes remote tracks"),
    };
    f = f.with_evidence(format!(
        "first audio heard {} ms after B started waiting",
        took.as_millis()
    ));
    if let Some(m) = measured {
        f = f.with_evidence(m);
    }
    if let Some(m) = a_uid.as_u64().and_then(|a| edge?.received_audio(a as u32)) {
        f = f.with_evidence(format!(
            "the simulated media end received {} audio packets ({} bytes) from A",
            m.audio_packets, m.audio_bytes
        ));
    }
    if let Some(m) = forwarded {
        f = f.with_evidence(format!(
            "the simulated edge forwarded {} of A's audio packets ({} bytes) to B over its own ICE + DTLS-SRTP",
            m.audio_packets, m.audio_bytes
        ));
    }
    f
}

fn event_finding(key: &str, event: &str, answer: Answer, took: Duration, ok: &str) -> Finding {
    match answer {
        Answer::Ok(_) => Finding::new(key, Status::Pass, ok.to_string())
            .with_evidence(format!("{} ms after the action", took.as_millis())),
        Answer::Failed(message) | Answer::Hung(message) => Finding::new(
            key,
            Status::Fail,
            format!("{event}: the other participant never got it"),
        )
        .with_evidence(message)
        .with_fix("the gateway did not tell the channel; on Agora this points at the network between the two (run `agora-doctor probe --only network`)"),
    }
}

fn step_finding(key: &str, step: &str, answer: Answer, took: Duration, ok: &str) -> Finding {
    match answer {
        Answer::Ok(_) => Finding::new(key, Status::Pass, ok.to_string())
            .with_evidence(format!("{} ms", took.as_millis())),
        Answer::Failed(message) => failed(key, step, &message, took),
        Answer::Hung(why) => hung(key, step, &why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tone_is_heard_only_loud_enough_and_at_its_frequency() {
        let heard = |dbfs, frequency| Heard {
            dbfs: Some(dbfs),
            frequency: Some(frequency),
            resolution: 11.7,
        };
        assert!(heard(-9.0, 445.3).is_the_tone());
        assert!(!heard(-60.0, 445.3).is_the_tone(), "too quiet");
        assert!(!heard(-9.0, 1000.0).is_the_tone(), "another sound");
        assert!(!Heard {
            dbfs: None,
            frequency: None,
            resolution: 0.0
        }
        .is_the_tone());
    }

    #[test]
    fn figures_inside_the_bands_pass_and_each_one_outside_is_named() {
        let good = Figures {
            rtt_ms: Some(2.0),
            jitter_ms: Some(1.0),
            loss_percent: Some(0.0),
            bitrate_kbps: Some(40.0),
            join_to_heard_ms: Some(400),
            publish_to_heard_ms: Some(200),
        };
        assert_eq!(judge_figures(&good, true).status, Status::Pass);
        let bad = Figures {
            rtt_ms: Some(450.0),
            loss_percent: Some(7.5),
            ..good.clone()
        };
        let f = judge_figures(&bad, false);
        assert_eq!(f.status, Status::Warn);
        assert!(f.summary.contains("packet loss 7.5 %"), "{}", f.summary);
        assert!(f.summary.contains("round trip 450 ms"), "{}", f.summary);
        assert!(!f.summary.contains("jitter"), "{}", f.summary);
        assert_eq!(
            judge_figures(&Figures::default(), true).status,
            Status::Warn
        );
    }

    #[test]
    fn figures_come_from_the_browsers_statistics() {
        let b0 = json!({"figures": {"inbound": {"bytesReceived": 1000.0}, "at": 1000.0}});
        let b1 = json!({"figures": {"inbound": {"packetsReceived": 95.0, "packetsLost": 5.0, "bytesReceived": 6000.0, "jitterMs": 3.0}, "rttMs": [1.5], "at": 2000.0}});
        let a = json!({"figures": {"rttMs": [2.5]}});
        let f = figures_from(&b0, &b1, &a);
        assert_eq!(f.loss_percent, Some(5.0));
        assert_eq!(f.bitrate_kbps, Some(40.0));
        assert_eq!(f.rtt_ms, Some(2.5));
        assert_eq!(f.jitter_ms, Some(3.0));
    }
}
