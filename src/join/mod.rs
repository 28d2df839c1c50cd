//! The native join cycle behind `agora-doctor join` and probe's `join` check: load the SDK, create the
//! service, connect, (optionally) have a second connection listen, publish a 440 Hz tone, check it was
//! heard, unpublish, disconnect, release — each step timed. Every failure maps to a `probe.join.*` key.

pub mod command;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::native::events::reason;
use crate::native::session::LISTEN_SAMPLE_RATE;
use crate::native::tone::{self, Hearing, ToneGenerator};
use crate::native::{
    AudioTrack, ConnEvent, Connection, ConnectionRole, LoadError, PcmSender, Sdk, SdkSource,
    Service, SessionError,
};
use crate::vocabulary::{Finding, Status};

/// Version of the `--json` document.
pub const SCHEMA: &str = "agora-doctor/join/v2";
/// Extra time the listener gets after the last frame was sent (relay and SDK buffering).
pub const HEAR_GRACE: Duration = Duration::from_millis(600);
/// Wait for `on_disconnected` after `disconnect`.
pub const DISCONNECT_WAIT: Duration = Duration::from_secs(3);

pub use crate::native::loader::SdkChoice;

/// Everything one join cycle needs.
#[derive(Clone)]
pub struct JoinOptions {
    /// The App ID.
    pub app_id: String,
    /// The publisher's token (`None` = NULL: App ID as static key).
    pub token: Option<String>,
    /// The listener's token (`None` = same as the publisher's).
    pub listen_token: Option<String>,
    /// Channel name.
    pub channel: String,
    /// Publisher uid (decimal; `0` = server assigns).
    pub uid: String,
    /// Listener uid (decimal; `0` = server assigns).
    pub listen_uid: String,
    /// The library to load.
    pub sdk: SdkChoice,
    /// Whether a second connection listens for the tone.
    pub listen: bool,
    /// Deadline for each connection to be accepted or refused.
    pub connect_timeout: Duration,
    /// How long to publish the tone.
    pub tone: Duration,
    /// Set when running against the SDK double: the simulated relay it must use.
    pub sim_relay: Option<SocketAddr>,
}

impl std::fmt::Debug for JoinOptions {
    // Tokens are credentials: not printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinOptions")
            .field("app_id", &self.app_id)
            .field("channel", &self.channel)
            .field("uid", &self.uid)
            .field("listen", &self.listen)
            .field("sim_relay", &self.sim_relay)
            .finish_non_exhaustive()
    }
}

/// One timed step of the cycle.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `load`, `service`, `connect`, `listen`, `publish`, `tone`, `hear`, `unpublish`,
    /// `disconnect`, `release`.
    pub name: &'static str,
    /// How it went.
    pub status: Status,
    /// Wall time in milliseconds.
    pub ms: u64,
    /// What happened, in a few words.
    pub detail: String,
}

/// The library the cycle ran against.
#[derive(Debug, Clone, Serialize)]
pub struct LibraryInfo {
    /// The file (or bare name, when the system loader found it).
    pub path: String,
    /// SDK build from the version file, if any.
    pub version: Option<String>,
    /// `flag` (--sdk), `env`, `search`, or `sim` (the SDK double --sim chose).
    pub source: &'static str,
}

/// The whole result of one cycle; its serde form is the `--json` document.
#[derive(Debug, Clone, Serialize)]
pub struct JoinReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Whether this ran against the SDK double and simulated relay (a test double, not Agora).
    pub simulated: bool,
    /// The library loaded, when one was.
    pub library: Option<LibraryInfo>,
    /// Channel name.
    pub channel: String,
    /// Requested publisher uid.
    pub uid: String,
    /// Uid the server assigned to the publisher, once connected.
    pub assigned_uid: Option<u32>,
    /// Steps in the order run.
    pub steps: Vec<Step>,
    /// Connection events in the order the SDK reported them, e.g. `on_connecting(0)`.
    pub events: Vec<String>,
    /// What the listener measured, when it listened.
    pub hearing: Option<Hearing>,
    /// The verdict (its key, status, summary, evidence and fix are top-level fields in JSON).
    #[serde(flatten)]
    pub finding: Finding,
    /// Total wall time in milliseconds.
    pub total_ms: u64,
    /// What the input resolution decided that the user should know (e.g. `--sim` ignored
    /// `AGORA_APP_ID`).
    pub notes: Vec<String>,
}

struct Recorder {
    steps: Vec<Step>,
    events: Vec<String>,
    library: Option<LibraryInfo>,
    assigned_uid: Option<u32>,
    hearing: Option<Hearing>,
    warnings: Vec<Finding>,
}

impl Recorder {
    fn step(
        &mut self,
        name: &'static str,
        started: Instant,
        status: Status,
        detail: impl Into<String>,
    ) {
        self.steps.push(Step {
            name,
            status,
            ms: started.elapsed().as_millis() as u64,
            detail: detail.into(),
        });
    }

    fn event(&mut self, who: &str, ev: &ConnEvent) {
        let text = match ev {
            ConnEvent::Connecting { reason } => format!("on_connecting({reason})"),
            ConnEvent::Connected { reason, .. } => format!("on_connected({reason})"),
            ConnEvent::Reconnecting { reason } => format!("on_reconnecting({reason})"),
            ConnEvent::Reconnected { reason } => format!("on_reconnected({reason})"),
            ConnEvent::Disconnected { reason } => format!("on_disconnected({reason})"),
            ConnEvent::ConnectionLost => "on_connection_lost".to_string(),
            ConnEvent::ConnectionFailure { reason } => {
                format!("on_connection_failure({reason} {})", reason::name(*reason))
            }
            ConnEvent::TokenWillExpire => "on_token_privilege_will_expire".to_string(),
            ConnEvent::TokenDidExpire => "on_token_privilege_did_expire".to_string(),
            ConnEvent::UserJoined { uid } => format!("on_user_joined({uid})"),
            ConnEvent::UserLeft { uid, reason } => format!("on_user_left({uid}, {reason})"),
            ConnEvent::Error { code, message } => format!("on_error({code}, {message})"),
            ConnEvent::Audio(_) => return,
        };
        self.events.push(format!("{who}: {text}"));
    }
}

/// Run one join cycle and report it. Never panics on SDK behaviour; every outcome is a finding.
pub async fn run_cycle(opts: &JoinOptions) -> JoinReport {
    let started = Instant::now();
    let mut rec = Recorder {
        steps: Vec::new(),
        events: Vec::new(),
        library: None,
        assigned_uid: None,
        hearing: None,
        warnings: Vec::new(),
    };
    let finding = match cycle(opts, &mut rec).await {
        Ok(done) => done,
        Err(finding) => finding,
    };
    let finding = match (finding.status, rec.warnings.first()) {
        (Status::Pass, Some(w)) => w.clone(),
        _ => finding,
    };
    JoinReport {
        schema: SCHEMA,
        simulated: opts.sim_relay.is_some(),
        library: rec.library,
        channel: opts.channel.clone(),
        uid: opts.uid.clone(),
        assigned_uid: rec.assigned_uid,
        steps: rec.steps,
        events: rec.events,
        hearing: rec.hearing,
        finding,
        total_ms: started.elapsed().as_millis() as u64,
        notes: Vec::new(),
    }
}

fn load_finding(err: &LoadError) -> Finding {
    match err {
        LoadError::NotFound { looked } => {
            let mut f = Finding::new(
                "probe.join.sdk_not_found",
                Status::Skip,
                "Agora's native SDK (libagora_rtc_sdk.so) was not found, so the join was not tried",
            );
            for place in looked {
                f = f.with_evidence(format!("looked at {place}"));
            }
            f.with_fix(
                "Download Agora's Linux server SDK (4.4.32) and pass --sdk /path/to/agora_sdk, or set \
                 AGORA_SDK_LIB; or run `agora-doctor join --sim` to try the cycle against the SDK double",
            )
        }
        LoadError::Open { path, message } => Finding::new(
            "probe.join.sdk_load_failed",
            Status::Error,
            format!("{} could not be loaded", path.display()),
        )
        .with_evidence(message.clone())
        .with_fix("Point --sdk at the agora_sdk directory of the unpacked SDK zip (its companion libraries must sit beside it)"),
        LoadError::MissingSymbol { path, symbol } => Finding::new(
            "probe.join.sdk_symbol_missing",
            Status::Error,
            format!("{} lacks `{symbol}`: it is not a 4.4.32-compatible Agora SDK", path.display()),
        )
        .with_evidence(format!("missing symbol: {symbol}"))
        .with_fix("Use Agora's Linux server SDK 4.4.32 (the build the Python 2.4.x and Go 2.4.x server SDKs use)"),
        LoadError::UnsupportedVersion {
            path,
            version,
            version_file,
        } => Finding::new(
            "probe.join.sdk_version_unsupported",
            Status::Error,
            format!("{} is SDK {version}; the binding targets the 4.4.32 family", path.display()),
        )
        .with_evidence(format!("version read from {}", version_file.display()))
        .with_fix("Use a 4.4.32 build of Agora's Linux server SDK; struct layouts differ between families"),
    }
}

fn session_finding(key: &str, what: &str, err: &SessionError) -> Finding {
    Finding::new(key, Status::Error, format!("{what} failed: {err}")).with_fix(
        "Check the SDK's log in ~/.agora/ for the cause; make sure the library is a 4.4.32 build",
    )
}

/// The finding for a refused join (`on_connection_failure(reason)`).
pub fn refusal_finding(
    who: &str,
    reason_code: i32,
    opts: &JoinOptions,
    token: Option<&str>,
) -> Finding {
    let name = reason::name(reason_code);
    let evidence = format!("on_connection_failure reason {reason_code} ({name})");
    let f = match reason_code {
        reason::INVALID_TOKEN => {
            let mut f = Finding::new(
                "probe.join.token_invalid",
                Status::Fail,
                format!(
                    "{who} was refused: the token is not valid for this App ID, channel and uid"
                ),
            );
            if token.is_none_or(str::is_empty) {
                f = f.with_evidence(
                    "no token was passed; a project with an app certificate needs one".to_string(),
                );
            }
            f.with_fix(format!(
                "Build a token for App ID {}, channel \"{}\" and uid {} with the project's certificate \
                 (`agora-doctor token build`), or run `agora-doctor token YOUR_TOKEN` on yours",
                opts.app_id, opts.channel, opts.uid
            ))
        }
        reason::TOKEN_EXPIRED => Finding::new(
            "probe.join.token_expired",
            Status::Fail,
            format!("{who} was refused: the token has expired"),
        )
        .with_fix("Build a fresh token; `agora-doctor token YOUR_TOKEN` shows when yours expired"),
        reason::INVALID_APP_ID => Finding::new(
            "probe.join.app_id_invalid",
            Status::Fail,
            format!(
                "{who} was refused: the App ID \"{}\" is not valid",
                opts.app_id
            ),
        )
        .with_fix("Copy the App ID (32 hex characters) from the Agora console project you use"),
        reason::INVALID_CHANNEL_NAME => Finding::new(
            "probe.join.channel_invalid",
            Status::Fail,
            format!(
                "{who} was refused: the channel name \"{}\" is not valid",
                opts.channel
            ),
        )
        .with_fix("Use at most 64 bytes of a-z A-Z 0-9 space and !#$%&()+-:;<=.>?@[]^_{}|~,"),
        _ => Finding::new(
            "probe.join.connection_failed",
            Status::Fail,
            format!("{who} was refused by the server ({name})"),
        )
        .with_fix(format!(
            "`agora-doctor explain {name}` says what this reason means"
        )),
    };
    let mut f = f.with_evidence(evidence);
    if let Some(t) = token.filter(|t| !t.is_empty()) {
        if matches!(reason_code, reason::INVALID_TOKEN | reason::TOKEN_EXPIRED) {
            for line in token_evidence(t, opts) {
                f = f.with_evidence(line);
            }
        }
    }
    f
}

/// What the token check says about the token that was refused (its own findings say which part is
/// wrong). The certificate is not needed: channel, uid, App ID and expiry are read from the token.
fn token_evidence(token: &str, opts: &JoinOptions) -> Vec<String> {
    use agora_token_core::{check, Expectation, User};
    let now = crate::env::unix(crate::env::clock());
    let expectation = Expectation {
        channel: Some(opts.channel.clone()),
        user: opts.uid.parse().ok().map(User::Uid),
        app_id: Some(opts.app_id.clone()),
        role: None,
        certificate: None,
    };
    check(token, &expectation, now)
        .findings
        .into_iter()
        .filter(|f| f.status.fails(false))
        .map(|f| format!("token check: {} ({})", f.summary, f.key))
        .collect()
}

/// Wait until `conn` is connected, refused, or the deadline passes.
async fn await_connected(
    conn: &mut Connection<'_>,
    who: &'static str,
    opts: &JoinOptions,
    token: Option<&str>,
    rec: &mut Recorder,
) -> Result<u32, Finding> {
    let deadline = tokio::time::Instant::now() + opts.connect_timeout;
    loop {
        match tokio::time::timeout_at(deadline, conn.next_event()).await {
            Ok(Some(ev)) => {
                rec.event(who, &ev);
                match ev {
                    ConnEvent::Connected { uid, .. } => return Ok(uid),
                    ConnEvent::ConnectionFailure { reason } => {
                        return Err(refusal_finding(who, reason, opts, token))
                    }
                    _ => {}
                }
            }
            Ok(None) => {
                return Err(Finding::new(
                    "probe.join.connection_failed",
                    Status::Error,
                    format!("{who}: the SDK's event channel closed before an answer"),
                ))
            }
            Err(_) => {
                let seen = rec
                    .events
                    .iter()
                    .filter(|e| e.starts_with(who))
                    .cloned()
                    .collect::<Vec<_>>();
                let mut f = Finding::new(
                    "probe.join.timeout",
                    Status::Fail,
                    format!(
                        "{who} got no answer within {} s: Agora's edge is unreachable or not answering",
                        opts.connect_timeout.as_secs_f64()
                    ),
                )
                .with_evidence(format!(
                    "events before the deadline: {}",
                    if seen.is_empty() {
                        "none".to_string()
                    } else {
                        seen.join(", ")
                    }
                ));
                f = f.with_evidence(
                    "the SDK keeps retrying on its own (JOIN_FAILED comes only after 20 minutes); this deadline is agora-doctor's"
                        .to_string(),
                );
                return Err(f.with_fix(
                    "Check that UDP and TCP to Agora are allowed (`agora-doctor probe` network checks) and that no proxy or firewall blocks them",
                ));
            }
        }
    }
}

async fn cycle(opts: &JoinOptions, rec: &mut Recorder) -> Result<Finding, Finding> {
    // 1. load
    let t = Instant::now();
    let sdk = match Sdk::locate(
        opts.sdk.flag.as_deref(),
        opts.sdk.env.as_deref(),
        opts.sdk.ld_library_path.as_deref(),
    ) {
        Ok(sdk) => sdk,
        Err(e) => {
            let f = load_finding(&e);
            rec.step("load", t, f.status, e.to_string());
            return Err(f);
        }
    };
    rec.library = Some(LibraryInfo {
        path: sdk.path.display().to_string(),
        version: sdk.version.clone(),
        source: match sdk.source {
            SdkSource::Flag if opts.sdk.sim_double => "sim",
            SdkSource::Flag => "flag",
            SdkSource::Env => "env",
            SdkSource::Search => "search",
        },
    });
    rec.step(
        "load",
        t,
        Status::Pass,
        format!(
            "{} ({})",
            sdk.path.display(),
            sdk.version
                .as_deref()
                .unwrap_or("version unknown: no version file beside it")
        ),
    );

    // 2. service
    let t = Instant::now();
    let service = Service::new(sdk, &opts.app_id, opts.sim_relay).map_err(|e| {
        let f = session_finding("probe.join.service_failed", "creating the SDK service", &e);
        rec.step("service", t, Status::Error, e.to_string());
        f
    })?;
    rec.step(
        "service",
        t,
        Status::Pass,
        "service created and initialised",
    );

    // Declared before the connections so they are released after them (documented order).
    let sender: PcmSender<'_>;
    let track: AudioTrack<'_>;

    // 3. connect
    let t = Instant::now();
    let mut conn = Connection::new(&service, ConnectionRole::Publisher).map_err(|e| {
        rec.step("connect", t, Status::Error, e.to_string());
        session_finding("probe.join.connect_rejected", "creating the connection", &e)
    })?;
    if let Err(e) = conn.connect(opts.token.as_deref(), &opts.channel, &opts.uid) {
        rec.step("connect", t, Status::Fail, e.to_string());
        let f = Finding::new(
            "probe.join.connect_rejected",
            Status::Fail,
            format!("the SDK refused to start the join: {e}"),
        )
        .with_evidence("-2 = invalid argument (channel name or uid), -8 = invalid state".to_string())
        .with_fix("Check the channel name (≤ 64 bytes of the allowed characters) and that the uid is a decimal number");
        return Err(f);
    }
    let uid = await_connected(&mut conn, "publisher", opts, opts.token.as_deref(), rec)
        .await
        .inspect_err(|f| rec.step("connect", t, f.status, f.summary.clone()))?;
    rec.assigned_uid = Some(uid);
    rec.step(
        "connect",
        t,
        Status::Pass,
        format!("on_connected as uid {uid}"),
    );

    // 4. listen
    let mut listener = None;
    if opts.listen {
        let t = Instant::now();
        let token = opts.listen_token.as_deref().or(opts.token.as_deref());
        let mut l = Connection::new(&service, ConnectionRole::Listener).map_err(|e| {
            rec.step("listen", t, Status::Error, e.to_string());
            session_finding(
                "probe.join.connect_rejected",
                "creating the listening connection",
                &e,
            )
        })?;
        l.connect(token, &opts.channel, &opts.listen_uid)
            .map_err(|e| {
                rec.step("listen", t, Status::Fail, e.to_string());
                Finding::new(
                    "probe.join.connect_rejected",
                    Status::Fail,
                    format!("the SDK refused to start the listener's join: {e}"),
                )
            })?;
        let luid = await_connected(&mut l, "listener", opts, token, rec)
            .await
            .inspect_err(|f| rec.step("listen", t, f.status, f.summary.clone()))?;
        rec.step(
            "listen",
            t,
            Status::Pass,
            format!("listener on_connected as uid {luid}"),
        );
        listener = Some(l);
    }

    // 5. publish
    let t = Instant::now();
    let publish_err = |rec: &mut Recorder, e: SessionError| {
        rec.step("publish", t, Status::Error, e.to_string());
        session_finding(
            "probe.join.publish_failed",
            "publishing the audio track",
            &e,
        )
    };
    sender = PcmSender::new(&service).map_err(|e| publish_err(rec, e))?;
    track = AudioTrack::new(&service, &sender).map_err(|e| publish_err(rec, e))?;
    conn.publish(&track).map_err(|e| publish_err(rec, e))?;
    rec.step("publish", t, Status::Pass, "custom PCM track published");

    // 6. tone (the listener's audio is collected while it plays)
    let t = Instant::now();
    let frames = (opts.tone.as_millis() / 10).max(1) as usize;
    let mut generator = ToneGenerator::default();
    let mut heard: Vec<i16> = Vec::new();
    let mut interval = tokio::time::interval(Duration::from_millis(10));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut send_errors = 0usize;
    for _ in 0..frames {
        interval.tick().await;
        if sender
            .send(&generator.next_frame(), tone::SAMPLE_RATE, 1)
            .is_err()
        {
            send_errors += 1;
        }
        if let Some(l) = listener.as_mut() {
            drain_audio(l, rec, &mut heard);
        }
    }
    if send_errors > 0 {
        rec.step(
            "tone",
            t,
            Status::Error,
            format!("{send_errors} of {frames} frames refused"),
        );
        return Err(Finding::new(
            "probe.join.publish_failed",
            Status::Error,
            format!("the SDK refused {send_errors} of {frames} PCM frames"),
        ));
    }
    rec.step(
        "tone",
        t,
        Status::Pass,
        format!(
            "{} ms of {} Hz sent in 10 ms frames",
            frames * 10,
            tone::TONE_HZ
        ),
    );

    // 7. hear
    let mut hearing_evidence = None;
    if let Some(l) = listener.as_mut() {
        let t = Instant::now();
        let want =
            frames * tone::FRAME_SAMPLES * LISTEN_SAMPLE_RATE as usize / tone::SAMPLE_RATE as usize;
        let grace = tokio::time::Instant::now() + HEAR_GRACE;
        while heard.len() < want {
            match tokio::time::timeout_at(grace, l.next_event()).await {
                Ok(Some(ConnEvent::Audio(chunk))) => {
                    heard.extend(mono(&chunk.samples, chunk.channels))
                }
                Ok(Some(ev)) => rec.event("listener", &ev),
                Ok(None) | Err(_) => break,
            }
        }
        let h = tone::measure(&heard, LISTEN_SAMPLE_RATE);
        rec.hearing = Some(h);
        let detail = format!(
            "{:.2} s received, {:.1} dBFS, {:.1} Hz, {:.0}% at 440 Hz",
            h.seconds,
            h.level_dbfs,
            h.frequency_hz,
            h.tone_share * 100.0
        );
        if !h.heard() {
            rec.step("hear", t, Status::Fail, detail.clone());
            return Err(Finding::new(
                "probe.join.not_heard",
                Status::Fail,
                "the second connection did not hear the 440 Hz tone the first one published",
            )
            .with_evidence(detail)
            .with_evidence(format!(
                "needs ≥ {} s, ≥ {} dBFS, {} ± {} Hz, ≥ {:.0}% of the energy at 440 Hz",
                tone::MIN_HEARD_SECONDS,
                tone::MIN_LEVEL_DBFS,
                tone::TONE_HZ,
                tone::FREQUENCY_TOLERANCE_HZ,
                tone::MIN_TONE_SHARE * 100.0
            ))
            .with_fix("Check that both connections use the same channel and that audio is not blocked by the network (UDP)"));
        }
        rec.step("hear", t, Status::Pass, detail.clone());
        hearing_evidence = Some(detail);
    }

    // 8. unpublish
    let t = Instant::now();
    match conn.unpublish(&track) {
        Ok(()) => rec.step("unpublish", t, Status::Pass, "track unpublished"),
        Err(e) => {
            rec.step("unpublish", t, Status::Warn, e.to_string());
            rec.warnings.push(Finding::new(
                "probe.join.leave_unclean",
                Status::Warn,
                format!("unpublishing failed: {e}"),
            ));
        }
    }

    // 9. disconnect
    let t = Instant::now();
    let mut clean = true;
    for (who, c) in
        std::iter::once(("publisher", &mut conn)).chain(listener.as_mut().map(|l| ("listener", l)))
    {
        if c.disconnect().is_err() {
            clean = false;
            continue;
        }
        let deadline = tokio::time::Instant::now() + DISCONNECT_WAIT;
        let mut left = false;
        while let Ok(Some(ev)) = tokio::time::timeout_at(deadline, c.next_event()).await {
            rec.event(who, &ev);
            if let ConnEvent::Disconnected { reason } = ev {
                left = reason == reason::LEAVE_CHANNEL;
                break;
            }
        }
        clean &= left;
    }
    if clean {
        rec.step(
            "disconnect",
            t,
            Status::Pass,
            "on_disconnected(5 LEAVE_CHANNEL)",
        );
    } else {
        rec.step(
            "disconnect",
            t,
            Status::Warn,
            "no on_disconnected(LEAVE_CHANNEL) in time",
        );
        rec.warnings.push(
            Finding::new(
                "probe.join.leave_unclean",
                Status::Warn,
                "the join worked, but leaving was not confirmed by on_disconnected(LEAVE_CHANNEL)",
            )
            .with_fix("Harmless for a probe; in an app, wait for on_disconnected before releasing"),
        );
    }

    // 10. release, in the documented order: connections, track, sender, factory + service.
    let t = Instant::now();
    drop(listener);
    drop(conn);
    drop(track);
    drop(sender);
    drop(service);
    rec.step(
        "release",
        t,
        Status::Pass,
        "connection, track, sender, factory and service released",
    );

    let mut summary = format!(
        "joined \"{}\" as uid {uid}, published {} ms of 440 Hz",
        opts.channel,
        frames * 10
    );
    if hearing_evidence.is_some() {
        summary.push_str(", a second connection heard it");
    }
    summary.push_str(", and left");
    let mut f = Finding::new("probe.join.ok", Status::Pass, summary);
    if let Some(h) = hearing_evidence {
        f = f.with_evidence(format!("heard: {h}"));
    }
    Ok(f)
}

/// Move queued audio from the listener into `heard` (other events go to the record).
fn drain_audio(l: &mut Connection<'_>, rec: &mut Recorder, heard: &mut Vec<i16>) {
    while let Some(ev) = l.try_event() {
        match ev {
            ConnEvent::Audio(chunk) => heard.extend(mono(&chunk.samples, chunk.channels)),
            other => rec.event("listener", &other),
        }
    }
}

fn mono(samples: &[i16], channels: u16) -> Vec<i16> {
    let ch = usize::from(channels.max(1));
    samples
        .chunks_exact(ch)
        .map(|f| (f.iter().map(|&s| i32::from(s)).sum::<i32>() / ch as i32) as i16)
        .collect()
}
