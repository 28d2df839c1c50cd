//! Validation: a decoded token + what the user asked + `now` → findings. Pure; never reads a clock.

use crate::build::Role;
use crate::diagnose::{Code, Diagnosis};
use crate::examine::examine;
use crate::finding::{Finding, Status};
use crate::keys;
use crate::model::*;
use crate::time::{both, duration, rfc3339};
use crate::verify::{crc32, uid_text, verify_006, verify_007};

/// Agora documents 24 h as the maximum token lifetime (docs.agora.io "Secure authentication with
/// tokens"; AgoraIO/Tools#117: valid expiries are "0 to 24 hours").
pub const MAX_LIFETIME_SECS: u32 = 86_400;
/// The Console's temporary tokens last exactly 24 h.
pub const CONSOLE_TEMPORARY_SECS: u32 = 86_400;
/// A 007 `expire` (relative seconds) this large is an absolute timestamp passed by mistake
/// (10⁹ s is 31 years; `docs/tokens.md#007-time-fields`).
pub const ABSOLUTE_LOOKING_SECS: u32 = 1_000_000_000;
/// A 006 privilege value (absolute) below this is a duration passed by mistake: as a date it lies in
/// 1970–1979, before any Agora token existed (`docs/tokens.md#006-time-fields`).
pub const DURATION_LIKE_MAX: u32 = 315_360_000;
/// Clock difference tolerated before an issue time in the future is a failure rather than a warning
/// (token servers and clients are rarely in perfect sync).
pub const CLOCK_TOLERANCE_SECS: u64 = 300;
/// Channel names longer than this are rejected by the SDKs (`docs/tokens.md#validity-rules`: 65+ is an error, exactly
/// 64 a warning because the docs disagree on "less than" versus "within").
pub const MAX_CHANNEL_BYTES: usize = 64;
/// Characters the SDK references allow in a channel name, besides ASCII letters and digits.
pub const CHANNEL_SYMBOLS: &str = " !#$%&()+-:;<=.>?@[]^_{}|~,";

/// Who the user says will join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum User {
    /// A numeric uid (0 = "let the server assign"). `u64` so that out-of-range input can be reported.
    Uid(u64),
    /// A string user account.
    Account(String),
}

impl User {
    /// The text Agora signs for this user (uid 0 → `""`).
    pub fn signed_text(&self) -> String {
        match self {
            User::Uid(n) => u32::try_from(*n)
                .map(uid_text)
                .unwrap_or_else(|_| n.to_string()),
            User::Account(s) => s.clone(),
        }
    }

    fn describe(&self) -> String {
        match self {
            User::Uid(n) => format!("uid {n}"),
            User::Account(s) => format!("user account {s:?}"),
        }
    }
}

/// What the token is expected to be good for. Every field is optional: what is missing is reported
/// as a skipped check, never guessed.
#[derive(Debug, Clone, Default)]
pub struct Expectation {
    /// The channel the app joins.
    pub channel: Option<String>,
    /// The uid or account the app joins with.
    pub user: Option<User>,
    /// The App ID the app uses.
    pub app_id: Option<String>,
    /// The role the app joins as.
    pub role: Option<Role>,
    /// The App Certificate, to verify the signature. Never copied into any finding.
    pub certificate: Option<String>,
}

/// A pasted token checked end to end: what is damaged, what it decodes to, and every finding.
#[derive(Debug, Clone)]
pub struct Check {
    /// Copy-paste classification and repair.
    pub diagnosis: Diagnosis,
    /// The diagnosis finding (if damaged) followed by [`validate`]'s findings on the decoded token.
    pub findings: Vec<Finding>,
}

/// Diagnose `raw`, then validate whatever decodes (the repaired token where a repair is certain).
pub fn check(raw: &str, exp: &Expectation, now: u64) -> Check {
    check_for(raw, exp, None, now)
}

/// [`check`] for a stated use (`--service`): the services the token must hold for it. `None` infers
/// the use from the token (RTC when it has an RTC service and whenever a channel is asked).
pub fn check_for(raw: &str, exp: &Expectation, service: Option<ServiceUse>, now: u64) -> Check {
    let diagnosis = examine(raw);
    let mut findings = Vec::new();
    if let Some(f) = diagnosis_finding(&diagnosis) {
        findings.push(f);
    }
    if let Some(token) = &diagnosis.token {
        findings.extend(validate_for(token, exp, service, now));
    }
    Check {
        diagnosis,
        findings,
    }
}

/// The finding for a damaged token (`None` when the diagnosis is `Ok`).
pub fn diagnosis_finding(d: &Diagnosis) -> Option<Finding> {
    let fix = match d.code {
        Code::Ok => return None,
        Code::Empty | Code::Placeholder => {
            "fetch the token from your token server before joining, and pass `null` (not a string) only when the project has no App Certificate"
        }
        Code::AppIdInsteadOfToken => {
            "pass a token built with the App ID and App Certificate (from your token server or the Console), not the App ID or the certificate itself"
        }
        Code::UrlEncoded => "decode the URL parameter (decodeURIComponent) before passing the token to join",
        Code::PlusBecameSpace => "encode the token when putting it in a URL (encodeURIComponent), or send it in a request body",
        Code::EmbeddedWhitespace => "remove the line breaks: copy the token as one line",
        Code::Truncated => "copy the whole token again (a complete 006 token is 115+ characters, a 007 token usually 150+)",
        Code::LegacyDynamicKey => "build an AccessToken2 (007) with the current token builders (npm agora-token, AgoraIO/Tools)",
        Code::UnknownVersion => "pass an Agora token: it starts with `006` or `007` (this text is something else, or lost its first characters)",
        Code::Base64urlAlphabet => "send the token as issued (standard base64); do not convert it to URL-safe base64",
        Code::MissingPadding => "keep the `=` at the end of the token",
        Code::BadBase64 => "copy the token again exactly as the token server returned it",
        Code::BadAppId => "copy the token again; the 32 characters after `006` must be the App ID",
        Code::BadZlib => "copy the token again exactly as the token server returned it",
        Code::BadSignatureLength => "the token was altered: build a new one",
        Code::TrailingBytes => "use the token exactly as issued: something was appended to it",
        Code::BadUtf8 => "build the token again from UTF-8 text",
        Code::SurroundingQuotes => "remove the quotes: pass the token string itself",
        Code::SurroundingWhitespace => "trim the token (e.g. `token.trim()`) before joining",
        Code::JsonEscaped => "parse the JSON (JSON.parse / response.json()) and pass the string value: it has plain `/`",
        Code::Wrapped => "pass only the token string to join/login (read the field, header value or parameter first)",
        Code::PastedTwice => "pass the token once",
        Code::Masked => "paste the whole token privately (never in public), or check it here: agora-doctor reads it locally",
        Code::Jwt => "fetch an Agora token (006/007) from your token server and pass that to join; your app's own JWT only authenticates the request to that server",
        Code::OtherVendor => "build an Agora token with Agora's builders (npm agora-token, AgoraIO/Tools) for an Agora App ID",
    };
    let mut f = Finding::new(d.code.key(), Status::Fail, d.detail.clone()).with_fix(fix);
    if d.repaired.is_some() {
        f = f.with_evidence("the repair is certain: the repaired token is shown and checked below");
    }
    Some(f)
}

/// What the app does with the token (`--service`): the service the token must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceUse {
    /// Join an RTC channel (voice/video).
    Rtc,
    /// Log in to RTM (Signaling); 007 service 2 or 8 (RTM2), 006 privilege 1000.
    Rtm,
    /// Log in to Chat (007 service 5).
    Chat,
    /// Media streaming (007 service 3).
    Streaming,
    /// FPA (007 service 4).
    Fpa,
    /// FCDN (007 service 6).
    Fcdn,
    /// Flexible Classroom / APaaS (007 service 7).
    Apaas,
}

impl ServiceUse {
    /// The lowercase name (`rtc`, `rtm`, …), as `--service` takes it.
    pub fn name(self) -> &'static str {
        match self {
            ServiceUse::Rtc => "rtc",
            ServiceUse::Rtm => "rtm",
            ServiceUse::Chat => "chat",
            ServiceUse::Streaming => "streaming",
            ServiceUse::Fpa => "fpa",
            ServiceUse::Fcdn => "fcdn",
            ServiceUse::Apaas => "apaas",
        }
    }

    /// The 007 service types that serve this use.
    fn types(self) -> &'static [u16] {
        match self {
            ServiceUse::Rtc => &[SERVICE_RTC],
            ServiceUse::Rtm => &[SERVICE_RTM, SERVICE_RTM2],
            ServiceUse::Chat => &[SERVICE_CHAT],
            ServiceUse::Streaming => &[SERVICE_STREAMING],
            ServiceUse::Fpa => &[SERVICE_FPA],
            ServiceUse::Fcdn => &[SERVICE_FCDN],
            ServiceUse::Apaas => &[SERVICE_APAAS],
        }
    }
}

/// The use a token is checked for when the user does not say: RTC whenever a channel is asked or
/// the token can join one, else the first service the token carries.
pub fn inferred_use(token: &Token, exp: &Expectation) -> ServiceUse {
    if exp.channel.is_some() {
        return ServiceUse::Rtc;
    }
    match token {
        Token::V006(t) if t.is_rtm() => ServiceUse::Rtm,
        Token::V006(_) => ServiceUse::Rtc,
        Token::V007(t) => {
            let has = |u: ServiceUse| {
                t.services
                    .iter()
                    .any(|s| u.types().contains(&s.service_type))
            };
            [
                ServiceUse::Rtc,
                ServiceUse::Rtm,
                ServiceUse::Chat,
                ServiceUse::Streaming,
                ServiceUse::Fcdn,
                ServiceUse::Apaas,
                ServiceUse::Fpa,
            ]
            .into_iter()
            .find(|u| has(*u))
            .unwrap_or(ServiceUse::Rtc)
        }
    }
}

/// Check a decoded token against the expectation at `now` (unix seconds).
pub fn validate(token: &Token, exp: &Expectation, now: u64) -> Vec<Finding> {
    validate_for(token, exp, None, now)
}

/// [`validate`] for a stated use (`None`: [`inferred_use`]).
pub fn validate_for(
    token: &Token,
    exp: &Expectation,
    service: Option<ServiceUse>,
    now: u64,
) -> Vec<Finding> {
    let mut out = Vec::new();
    check_app_id(token, exp, &mut out);
    let use_ = service.unwrap_or_else(|| inferred_use(token, exp));
    if service.is_none() && use_ != ServiceUse::Rtc {
        out.push(
            Finding::new(
                keys::NO_RTC_SERVICE,
                Status::Skip,
                format!(
                    "this is {} token, not an RTC token: checked for {} (it cannot join a channel)",
                    article(use_),
                    use_.name().to_ascii_uppercase()
                ),
            )
            .with_fix("pass --service to say what the app does with the token (and --channel to check joining)"),
        );
    }
    match token {
        Token::V006(t) => validate_006(t, exp, use_, now, &mut out),
        Token::V007(t) => validate_007(t, exp, use_, now, &mut out),
    }
    out
}

fn article(u: ServiceUse) -> String {
    match u {
        ServiceUse::Rtm => "an RTM (Signaling)".into(),
        ServiceUse::Apaas => "an APaaS".into(),
        ServiceUse::Fpa => "an FPA".into(),
        ServiceUse::Fcdn => "an FCDN".into(),
        other => format!("a {}", other.name()),
    }
}

/// The most common service confusion, named (`docs/tokens.md#rtm-in-006`, AgoraIO/RTM#128, #186).
fn rtc_for_rtm() -> Finding {
    Finding::new(
        keys::NO_RTM_SERVICE,
        Status::Fail,
        "this is an RTC token: it joins channels but cannot log in to RTM (Signaling)",
    )
    .with_evidence("RTM login needs an RTM service (007 type 2) or the 006 rtmLogin privilege (1000); the Console's temporary tokens are RTC tokens")
    .with_fix("build an RTM token with RtmTokenBuilder.buildToken(appId, certificate, userId, expire) for the RTM user id, or buildTokenWithRtm for one token that does both")
}

fn check_app_id(token: &Token, exp: &Expectation, out: &mut Vec<Finding>) {
    let inside = token.app_id();
    match &exp.app_id {
        None => out.push(Finding::new(
            keys::APP_ID_MISMATCH,
            Status::Skip,
            format!("App ID in the token is {inside}; pass --app-id to compare it with the app's"),
        )),
        Some(want) if want == inside => out.push(Finding::new(
            keys::APP_ID_MISMATCH,
            Status::Pass,
            format!("App ID matches ({inside})"),
        )),
        Some(want) => {
            let mut f = Finding::new(
                keys::APP_ID_MISMATCH,
                Status::Fail,
                format!("the token is for App ID {inside}, the app uses {want}"),
            )
            .with_fix("build the token with the same App ID the app passes to join (same project in the Console)");
            if want.eq_ignore_ascii_case(inside) {
                f = f.with_evidence("they differ only in letter case, which still matters: the App ID is signed as text");
            }
            out.push(f);
        }
    }
}

fn channel_name_findings(name: &str, out: &mut Vec<Finding>) {
    let len = name.len();
    let bad: Vec<char> = name
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || CHANNEL_SYMBOLS.contains(*c)))
        .collect();
    if name.is_empty() {
        out.push(
            Finding::new(
                keys::CHANNEL_NAME_INVALID,
                Status::Fail,
                "the channel name is empty",
            )
            .with_fix("use a channel name of 1 to 64 bytes"),
        );
    } else if len > MAX_CHANNEL_BYTES {
        out.push(
            Finding::new(
                keys::CHANNEL_NAME_INVALID,
                Status::Fail,
                format!("channel name {name:?} is {len} bytes; Agora accepts at most {MAX_CHANNEL_BYTES}"),
            )
            .with_fix("shorten the channel name to 63 bytes or fewer"),
        );
    } else if !bad.is_empty() {
        let shown: String = bad.iter().take(8).collect();
        out.push(
            Finding::new(
                keys::CHANNEL_NAME_INVALID,
                Status::Fail,
                format!("channel name {name:?} has characters Agora does not allow: {shown:?}"),
            )
            .with_evidence(format!("allowed: a-z A-Z 0-9 and {CHANNEL_SYMBOLS:?}"))
            .with_fix("use only the allowed characters (e.g. map names to an ASCII id)"),
        );
    } else if name.trim() != name {
        out.push(
            Finding::new(
                keys::CHANNEL_NAME_INVALID,
                Status::Warn,
                format!("channel name {name:?} starts or ends with a space: allowed, but usually a copy mistake, and \"demo \" and \"demo\" are different channels"),
            )
            .with_fix("trim the channel name in the app and on the token server"),
        );
    } else if len == MAX_CHANNEL_BYTES {
        out.push(
            Finding::new(
                keys::CHANNEL_NAME_INVALID,
                Status::Warn,
                format!("channel name is exactly {MAX_CHANNEL_BYTES} bytes: some SDK docs say \"less than 64 bytes\""),
            )
            .with_fix("use 63 bytes or fewer to be safe"),
        );
    }
}

fn missing_cert_finding() -> Finding {
    Finding::new(
        keys::SIGNATURE_UNCHECKED,
        Status::Skip,
        "signature not checked: no App Certificate given",
    )
    .with_fix("pass the certificate with AGORA_APP_CERTIFICATE, --cert-file PATH or --cert-stdin")
}

fn signature_finding(valid: bool, how: &str) -> Finding {
    if valid {
        Finding::new(
            keys::SIGNATURE_VALID,
            Status::Pass,
            format!("signature valid for this App Certificate{how}"),
        )
    } else {
        Finding::new(
            keys::SIGNATURE_INVALID,
            Status::Fail,
            format!("signature does not match this App Certificate{how}: the token was built with another certificate or altered"),
        )
        .with_evidence("the certificate is used as typed: letter case matters")
        .with_fix("check that the token server uses this project's primary certificate, then build a new token")
    }
}

fn validate_006(
    t: &Token006,
    exp: &Expectation,
    use_: ServiceUse,
    now: u64,
    out: &mut Vec<Finding>,
) {
    let rtm = t.is_rtm();
    match use_ {
        ServiceUse::Rtc => {}
        ServiceUse::Rtm if rtm => return validate_006_rtm(t, exp, now, out),
        ServiceUse::Rtm => out.push(rtc_for_rtm()),
        other => out.push(
            Finding::new(
                keys::SERVICE_MISSING,
                Status::Fail,
                format!(
                    "006 tokens carry RTC or RTM privileges only: this one cannot be used for {}",
                    other.name()
                ),
            )
            .with_fix(
                "build an AccessToken2 (007) with the builder for that service (npm agora-token)",
            ),
        ),
    }
    let join = t.privileges.iter().find(|p| p.id == PRIVILEGE_JOIN_CHANNEL);
    // Channel (006 stores only its CRC-32).
    match &exp.channel {
        None => out.push(Finding::new(
            keys::CHANNEL_MISMATCH,
            Status::Skip,
            format!(
                "006 tokens hold only a CRC-32 of the channel ({}); pass --channel to compare",
                t.crc_channel_name
            ),
        )),
        Some(ch) => {
            channel_name_findings(ch, out);
            let crc = crc32(ch);
            if crc == t.crc_channel_name {
                out.push(
                    Finding::new(
                        keys::CHANNEL_MISMATCH,
                        Status::Pass,
                        format!("channel {ch:?} matches"),
                    )
                    .with_evidence(format!(
                        "006 stores only a CRC-32: crc32({ch:?}) = {crc} = the token's"
                    )),
                );
            } else {
                let mut f =
                    Finding::new(keys::CHANNEL_MISMATCH, Status::Fail, format!("the token is not for channel {ch:?}"))
                        .with_evidence(format!(
                            "006 stores only a CRC-32: crc32({ch:?}) = {crc}, the token holds {}",
                            t.crc_channel_name
                        ))
                        .with_fix("build the token for exactly the channel name the app joins (case and spaces matter)");
                if let Some(v) = near_miss(ch)
                    .into_iter()
                    .find(|v| crc32(v) == t.crc_channel_name)
                {
                    let how = channel_difference(ch, &v).unwrap_or("case or spaces differ");
                    f.summary =
                        format!("the token is for channel {v:?}, the app joins {ch:?}: {how}");
                    f = f.with_evidence(format!("the token's CRC-32 matches {v:?}"));
                }
                out.push(f);
            }
        }
    }
    // Uid.
    if rtm {
        out.push(
            Finding::new(
                keys::NO_RTC_SERVICE,
                Status::Fail,
                "this is an RTM (Signaling) token: it logs in to RTM but cannot join an RTC channel",
            )
            .with_evidence("privilege 1000 (rtmLogin) only; the channel slot holds the RTM user id")
            .with_fix("build an RTC token (RtcTokenBuilder) for joining channels; pass --service rtm if this token is for RTM login"),
        );
    } else if join.is_none() {
        out.push(
            Finding::new(
                keys::NO_RTC_SERVICE,
                Status::Fail,
                "the token has no joinChannel privilege (id 1)",
            )
            .with_fix("build an RTC token with RtcTokenBuilder"),
        );
    }
    // A wildcard token (uid 0) was signed with the empty uid text whatever uid later joins with it
    // (`docs/tokens.md#006-layout`): verify with "" so the most common token is verified too.
    let signed_uid: Option<String> = match &exp.user {
        _ if t.crc_uid == 0 || rtm => Some(String::new()),
        Some(u) => Some(u.signed_text()),
        None => None,
    };
    if !rtm {
        uid_findings_006(t, exp, out);
    }
    // Time.
    let ts = u64::from(t.ts);
    let expired = ts < now;
    if expired {
        out.push(
            Finding::new(
                keys::EXPIRED,
                Status::Fail,
                format!("token expired {}", both(ts, now)),
            )
            .with_fix(
                "build a new token; renew it before it expires (token-privilege-will-expire)",
            ),
        );
    } else {
        let key = join
            .filter(|p| p.value > DURATION_LIKE_MAX && !rtm)
            .map(|p| ("joinChannel".to_string(), u64::from(p.value)));
        out.push(headline(key, ts, now));
    }
    let mut durations: Vec<(String, u32)> = Vec::new();
    let mut ended: Vec<(String, u64, bool)> = Vec::new();
    for p in &t.privileges {
        if p.value == 0 || rtm {
            // 0 = no deadline of its own; RTM 006 privilege times are ignored by Agora (`docs/tokens.md#rtm-in-006`).
            continue;
        }
        let pname = p
            .name
            .map_or_else(|| format!("privilege {}", p.id), str::to_string);
        if p.value <= DURATION_LIKE_MAX {
            durations.push((pname, p.value));
        } else if !expired && u64::from(p.value) < now {
            ended.push((pname, u64::from(p.value), p.id <= PRIVILEGE_PUBLISH_DATA));
        }
    }
    for (value, names) in group(durations.iter().map(|(n, v)| (*v, n.clone()))) {
        out.push(
            Finding::new(
                keys::PRIVILEGE_BEFORE_TOKEN_ISSUE,
                Status::Fail,
                format!(
                    "{} ended at {} (1970s): a duration ({value} s) was passed where 006 wants an absolute time",
                    names.join(", "),
                    rfc3339(u64::from(value))
                ),
            )
            .with_fix("pass now + duration (e.g. Math.floor(Date.now()/1000) + 3600) as privilegeExpiredTs, or 0"),
        );
    }
    push_ended(
        &ended,
        now,
        out,
        "build a new token; privilegeExpiredTs should be at least the session length",
    );
    if !rtm {
        publish_findings(
            t.privileges.iter().any(|p| p.id == PRIVILEGE_PUBLISH_AUDIO),
            exp,
            true,
            out,
        );
    }
    // Signature.
    match (&exp.certificate, &exp.channel, signed_uid) {
        (None, _, _) => out.push(missing_cert_finding()),
        (Some(_), None, _) => out.push(
            Finding::new(keys::SIGNATURE_UNCHECKED, Status::Skip, "006 signature not checked: it covers the channel name, which the token does not contain")
                .with_fix("pass --channel (and --uid or --account)"),
        ),
        (Some(_), Some(_), None) => out.push(
            Finding::new(keys::SIGNATURE_UNCHECKED, Status::Skip, "006 signature not checked: it covers the uid, which the token does not contain")
                .with_fix("pass --uid or --account"),
        ),
        (Some(cert), Some(ch), Some(uid)) => {
            let valid = verify_006(t, cert, ch, &uid);
            let identity_matches = crc32(ch) == t.crc_channel_name && crc32(&uid) == t.crc_uid;
            if valid || identity_matches {
                out.push(signature_finding(valid, &format!(" (signed for channel {ch:?} and uid text {uid:?})")));
            } else {
                // The HMAC covers the channel and uid: with the wrong ones it cannot match, whatever
                // the certificate. Blaming the certificate here would send the user the wrong way.
                out.push(
                    Finding::new(
                        keys::SIGNATURE_UNCHECKED,
                        Status::Skip,
                        "006 signature not checked: it covers the channel and uid, and the ones given do not match the token",
                    )
                    .with_fix("fix the channel/uid mismatch first, then check again with the same certificate"),
                );
            }
        }
    }
}

/// The validity headline: when the token stops working for its use, which is the end of the key
/// privilege (join, login) when that comes before the token's own end (Agora FAQ "token usage":
/// privilege period versus token validity).
fn headline(key_privilege: Option<(String, u64)>, end: u64, now: u64) -> Finding {
    let rel = |at| crate::time::relative(at, now);
    match key_privilege {
        Some((name, pend)) if pend < end && pend >= now => Finding::new(
            keys::EXPIRED,
            Status::Pass,
            format!(
                "valid until {} ({}), when its {name} privilege ends; the token itself lasts until {} ({})",
                rfc3339(pend),
                rel(pend),
                rfc3339(end),
                rel(end)
            ),
        ),
        Some((name, pend)) if pend < end => Finding::new(
            keys::EXPIRED,
            Status::Warn,
            format!(
                "the token itself lasts until {} ({}), but its {name} privilege ended {}",
                rfc3339(end),
                rel(end),
                both(pend, now)
            ),
        ),
        _ => Finding::new(
            keys::EXPIRED,
            Status::Pass,
            format!("token valid until {} ({})", rfc3339(end), rel(end)),
        ),
    }
}

/// Group names by a value, keeping first-seen order.
fn group<V: PartialEq + Copy>(items: impl Iterator<Item = (V, String)>) -> Vec<(V, Vec<String>)> {
    let mut out: Vec<(V, Vec<String>)> = Vec::new();
    for (v, name) in items {
        match out.iter_mut().find(|(k, _)| *k == v) {
            Some((_, names)) => names.push(name),
            None => out.push((v, vec![name])),
        }
    }
    out
}

/// One finding per end time and importance for privileges that ended while the token did not.
fn push_ended(ended: &[(String, u64, bool)], now: u64, out: &mut Vec<Finding>, fix: &str) {
    for important in [true, false] {
        let items = ended
            .iter()
            .filter(|e| e.2 == important)
            .map(|(n, end, _)| (*end, n.clone()));
        for (end, names) in group(items) {
            out.push(
                Finding::new(
                    keys::PRIVILEGE_EXPIRED,
                    if important {
                        Status::Fail
                    } else {
                        Status::Warn
                    },
                    format!(
                        "{} expired {}; the token itself is still valid",
                        names.join(", "),
                        both(end, now)
                    ),
                )
                .with_fix(fix),
            );
        }
    }
}

/// How two channel names that do not match are nearly the same, in words.
fn channel_difference(asked: &str, actual: &str) -> Option<&'static str> {
    if asked == actual {
        None
    } else if asked.trim() == actual.trim() || asked.replace(' ', "") == actual.replace(' ', "") {
        Some("they differ only by a space")
    } else if asked.eq_ignore_ascii_case(actual) {
        Some("they differ only in letter case")
    } else {
        None
    }
}

/// Spellings a channel name is often confused with (case, surrounding spaces).
fn near_miss(name: &str) -> Vec<String> {
    let mut first_upper = name.to_string();
    if let Some(c) = first_upper.get(..1) {
        let up = c.to_ascii_uppercase();
        first_upper.replace_range(..1, &up);
    }
    vec![
        name.to_ascii_lowercase(),
        name.to_ascii_uppercase(),
        name.trim().to_string(),
        format!("{name} "),
        format!(" {name}"),
        name.replace(' ', ""),
        first_upper,
    ]
    .into_iter()
    .filter(|v| v != name)
    .collect()
}

fn uid_findings_006(t: &Token006, exp: &Expectation, out: &mut Vec<Finding>) {
    let wildcard = t.crc_uid == 0;
    if wildcard {
        out.push(
            Finding::new(
                keys::UID_WILDCARD,
                Status::Pass,
                "the token is for uid 0: any uid may join with it",
            )
            .with_evidence("006 uid CRC is 0 = crc32(\"\")"),
        );
    }
    let Some(user) = &exp.user else {
        if !wildcard {
            out.push(Finding::new(
                keys::UID_MISMATCH,
                Status::Skip,
                format!("006 tokens hold only a CRC-32 of the uid ({}); pass --uid or --account to compare", t.crc_uid),
            ));
        }
        return;
    };
    if let User::Uid(n) = user {
        if *n > u64::from(u32::MAX) {
            out.push(uid_out_of_range(*n));
        }
    }
    let text = user.signed_text();
    let crc = crc32(&text);
    if crc == t.crc_uid {
        if !wildcard {
            out.push(
                Finding::new(
                    keys::UID_MISMATCH,
                    Status::Pass,
                    format!("{} matches", user.describe()),
                )
                .with_evidence(format!("006 stores only a CRC-32: crc32({text:?}) = {crc}")),
            );
        }
        numeric_account_warning(user, out);
    } else if wildcard {
        // Any uid may join.
    } else if matches!(user, User::Uid(0)) && t.crc_uid == crc32("0") {
        out.push(zero_confusion());
    } else {
        out.push(
            Finding::new(keys::UID_MISMATCH, Status::Fail, format!("the token is not for {}", user.describe()))
                .with_evidence(format!("006 stores only a CRC-32: crc32({text:?}) = {crc}, the token holds {}", t.crc_uid))
                .with_fix("build the token for the same uid/account the app passes to join (number vs string matters)"),
        );
    }
}

/// The RTM user id the user said they log in with (`--account`, or `--uid` as text).
fn rtm_user(exp: &Expectation) -> Option<String> {
    match &exp.user {
        Some(User::Account(a)) => Some(a.clone()),
        Some(User::Uid(n)) => Some(n.to_string()),
        None => None,
    }
}

/// A 006 RTM token: the user id sits in the channel slot, the uid slot is empty, the only privilege
/// is rtmLogin (1000) whose time Agora ignores; it lasts until `ts` (`docs/tokens.md#rtm-in-006`).
fn validate_006_rtm(t: &Token006, exp: &Expectation, now: u64, out: &mut Vec<Finding>) {
    let user = rtm_user(exp);
    match &user {
        None => out.push(Finding::new(
            keys::UID_MISMATCH,
            Status::Skip,
            format!(
                "006 RTM tokens hold only a CRC-32 of the RTM user id ({}); pass --account to compare",
                t.crc_channel_name
            ),
        )),
        Some(u) if crc32(u) == t.crc_channel_name => out.push(
            Finding::new(keys::UID_MISMATCH, Status::Pass, format!("RTM user id {u:?} matches"))
                .with_evidence(format!("006 RTM stores a CRC-32 of the user id in the channel slot: crc32({u:?}) = {}", t.crc_channel_name)),
        ),
        Some(u) => out.push(
            Finding::new(keys::UID_MISMATCH, Status::Fail, format!("the RTM token is not for user id {u:?}"))
                .with_evidence(format!("crc32({u:?}) = {}, the token holds {}", crc32(u), t.crc_channel_name))
                .with_fix("build the RTM token for exactly the user id the app passes to login"),
        ),
    }
    if exp.channel.is_some() {
        out.push(Finding::new(
            keys::CHANNEL_MISMATCH,
            Status::Skip,
            "RTM login tokens are not tied to a channel: --channel is not compared",
        ));
    }
    let ts = u64::from(t.ts);
    if ts < now {
        out.push(
            Finding::new(
                keys::EXPIRED,
                Status::Fail,
                format!("token expired {}", both(ts, now)),
            )
            .with_fix(
                "build a new RTM token; renew it before it expires (onTokenPrivilegeWillExpire)",
            ),
        );
    } else {
        out.push(headline(None, ts, now));
    }
    match (&exp.certificate, &user) {
        (None, _) => out.push(missing_cert_finding()),
        (Some(_), None) => out.push(
            Finding::new(keys::SIGNATURE_UNCHECKED, Status::Skip, "006 RTM signature not checked: it covers the user id, which the token does not contain")
                .with_fix("pass --account USER_ID"),
        ),
        (Some(cert), Some(u)) => {
            let valid = verify_006(t, cert, u, "");
            if valid || crc32(u) == t.crc_channel_name {
                out.push(signature_finding(valid, &format!(" (signed for RTM user id {u:?})")));
            } else {
                out.push(
                    Finding::new(keys::SIGNATURE_UNCHECKED, Status::Skip, "006 RTM signature not checked: it covers the user id, and the one given does not match the token")
                        .with_fix("fix the user id mismatch first, then check again with the same certificate"),
                );
            }
        }
    }
}

fn uid_out_of_range(n: u64) -> Finding {
    Finding::new(
        keys::ACCOUNT_TYPE_CONFUSION,
        Status::Fail,
        format!("uid {n} is above 4294967295: Agora uids are unsigned 32-bit"),
    )
    .with_fix("use a uid from 1 to 4294967295, or a string user account")
}

fn zero_confusion() -> Finding {
    Finding::new(
        keys::ACCOUNT_TYPE_CONFUSION,
        Status::Fail,
        "the token was built for the string account \"0\", not for uid 0 (the any-uid wildcard)",
    )
    .with_fix("build with the number 0 (buildTokenWithUid) or join with the string \"0\" as a user account")
}

fn numeric_account_warning(user: &User, out: &mut Vec<Finding>) {
    if let User::Account(s) = user {
        if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) {
            out.push(
                Finding::new(
                    keys::ACCOUNT_TYPE_CONFUSION,
                    Status::Warn,
                    format!("account {s:?} is all digits: the token cannot tell it from uid {s}"),
                )
                .with_fix("make the app pass the same type (number or string) to join as the token server used"),
            );
        }
    }
}

fn publish_findings(can_publish: bool, exp: &Expectation, has_rtc: bool, out: &mut Vec<Finding>) {
    if !has_rtc {
        return;
    }
    // Publish privileges bite only when the project enables co-host authentication, which is off
    // by default (the builders' own comments in AgoraIO/Tools; an Agora maintainer in
    // AgoraIO/API-Examples-Web#84): the Console's temporary tokens carry
    // the join privilege alone and publish fine on a default project. Without the user saying
    // they publish (--role publisher, or --cohost-auth), a join-only token is described, not
    // blamed.
    let caveat = "Agora refuses publishing without these privileges only when co-host authentication is enabled for the project (it is off by default)";
    match (exp.role, can_publish) {
        (Some(r), false) if r.publishes() => out.push(
            Finding::new(keys::CANNOT_PUBLISH, Status::Fail, "you join as a publisher, but the token carries no publish privileges: publishing is refused where co-host authentication is enabled")
                .with_evidence("no publishAudioStream privilege (id 2)")
                .with_evidence(caveat)
                .with_fix("build the token with role publisher"),
        ),
        (None, false) => out.push(
            Finding::new(keys::CANNOT_PUBLISH, Status::Skip, "no publish privileges (join only): publishing is refused only if co-host authentication is enabled for the project")
                .with_evidence(caveat)
                .with_fix("if the project enforces co-host authentication and this user speaks, check with --cohost-auth (or --role publisher)"),
        ),
        (Some(r), true) if r.publishes() => {
            out.push(Finding::new(keys::CANNOT_PUBLISH, Status::Pass, "the token may publish"))
        }
        _ => {}
    }
}

fn validate_007(
    t: &Token007,
    exp: &Expectation,
    use_: ServiceUse,
    now: u64,
    out: &mut Vec<Finding>,
) {
    let rtcs: Vec<(&str, &str, &Service)> = t.rtc_services().collect();
    if let Some(u) = &t.unknown_service {
        out.push(
            Finding::new(
                keys::UNKNOWN_SERVICE,
                Status::Warn,
                format!(
                    "unknown service type {}, {} bytes not decoded",
                    u.service_type, u.undecoded_bytes
                ),
            )
            .with_evidence(
                "official parsers stop there too; the signature still covers those bytes",
            ),
        );
    }
    // Pick the RTC service for the asked channel, else the first.
    let chosen = match &exp.channel {
        Some(ch) => rtcs.iter().find(|(c, _, _)| c == ch).or(rtcs.first()),
        None => rtcs.first(),
    };
    let used: Option<&Service> = if use_ == ServiceUse::Rtc {
        chosen.map(|c| c.2)
    } else {
        t.services
            .iter()
            .find(|s| use_.types().contains(&s.service_type))
    };
    if use_ != ServiceUse::Rtc {
        service_identity_007(t, used, exp, use_, out);
    } else if rtcs.is_empty() {
        let names: Vec<String> = t
            .services
            .iter()
            .map(|s| s.name.to_string())
            .chain(
                t.unknown_service
                    .iter()
                    .map(|u| format!("type {}", u.service_type)),
            )
            .collect();
        let mut f = Finding::new(
            keys::NO_RTC_SERVICE,
            Status::Fail,
            "the token has no RTC service: it cannot join a channel",
        )
        .with_evidence(format!(
            "services: {}",
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            }
        ))
        .with_fix("build an RTC token (RtcTokenBuilder.buildTokenWithUid / buildTokenWithRtm)");
        if t.services
            .iter()
            .any(|s| ServiceUse::Rtm.types().contains(&s.service_type))
        {
            f.summary = "this is an RTM (Signaling) token: it logs in to RTM but has no RTC service, so it cannot join a channel".into();
            f = f.with_evidence("pass --service rtm if this token is for RTM login");
        }
        if t.unknown_service.is_some() {
            f = f.with_evidence("services after an unknown type cannot be decoded");
        }
        out.push(f);
        if let Some(ch) = &exp.channel {
            channel_name_findings(ch, out);
        }
    } else {
        // Channel.
        match &exp.channel {
            None => {
                out.push(Finding::new(
                    keys::CHANNEL_MISMATCH,
                    Status::Skip,
                    format!(
                        "the token is for channel {:?}; pass --channel to compare",
                        chosen.map_or("", |c| c.0)
                    ),
                ));
            }
            Some(ch) => {
                if rtcs.iter().any(|(c, _, _)| c == ch) {
                    out.push(Finding::new(
                        keys::CHANNEL_MISMATCH,
                        Status::Pass,
                        format!("channel {ch:?} matches"),
                    ));
                } else {
                    let inside: Vec<String> =
                        rtcs.iter().map(|(c, _, _)| format!("{c:?}")).collect();
                    let mut f = Finding::new(
                        keys::CHANNEL_MISMATCH,
                        Status::Fail,
                        format!("the token is for channel {}, the app joins {ch:?}", inside.join(", ")),
                    )
                    .with_fix("build the token for exactly the channel name the app joins (case and spaces matter)");
                    if let Some(how) = rtcs.iter().find_map(|(c, _, _)| channel_difference(ch, c)) {
                        f.summary = format!("{}: {how}", f.summary);
                        f = f.with_evidence(
                            "Agora compares channel names byte for byte: case and spaces matter",
                        );
                    }
                    out.push(f);
                }
            }
        }
        let mut names_checked: Vec<&str> = Vec::new();
        if let Some(ch) = &exp.channel {
            channel_name_findings(ch, out);
            names_checked.push(ch);
        }
        for (c, _, _) in &rtcs {
            if !names_checked.contains(c) {
                channel_name_findings(c, out);
                names_checked.push(c);
            }
        }
        // Uid.
        if let Some((_, uid, _)) = chosen {
            uid_findings_007(uid, exp, out);
        }
    }
    // Time.
    let issue = u64::from(t.issue_ts);
    let end = t.expires_at();
    if issue > now + CLOCK_TOLERANCE_SECS {
        out.push(
            Finding::new(keys::NOT_YET_VALID, Status::Fail, format!("the token is issued {}: not valid yet", both(issue, now)))
                .with_evidence("the token server's clock (or this machine's) is wrong")
                .with_fix("sync the token server's clock (NTP) and build a new token; check this machine's clock too"),
        );
    } else if issue > now {
        out.push(Finding::new(
            keys::NOT_YET_VALID,
            Status::Warn,
            format!(
                "the token is issued {} (clocks differ slightly)",
                both(issue, now)
            ),
        ));
    }
    if t.expire >= ABSOLUTE_LOOKING_SECS {
        out.push(
            Finding::new(
                keys::EXPIRE_LOOKS_ABSOLUTE,
                Status::Fail,
                format!(
                    "expire is {} s ({}): an absolute time ({}) was passed where 007 wants seconds",
                    t.expire,
                    duration(u64::from(t.expire)),
                    rfc3339(u64::from(t.expire))
                ),
            )
            // What Agora does with it, said here once instead of a "valid until" line of its own.
            .with_evidence(format!(
                "Agora adds expire to the issue time: read that way the token lasts until {} ({}), far beyond the documented 24 h",
                rfc3339(end),
                crate::time::relative(end, now)
            ))
            .with_evidence("the 006 builders (agora-access-token) took privilegeExpiredTs as an absolute unix time; the 007 builders (agora-token) take tokenExpire and privilegeExpire in seconds from now: code ported between them keeps the old value")
            .with_fix("pass a lifetime in seconds (e.g. 3600), not Math.floor(Date.now()/1000) + 3600"),
        );
    } else if t.expire > MAX_LIFETIME_SECS {
        out.push(
            Finding::new(
                keys::EXPIRE_TOO_LONG,
                Status::Warn,
                format!(
                    "lifetime {} is over Agora's documented 24 h maximum",
                    duration(u64::from(t.expire))
                ),
            )
            .with_fix("build tokens for 24 h or less and renew them"),
        );
    } else if t.expire == CONSOLE_TEMPORARY_SECS {
        out.push(
            Finding::new(
                keys::CONSOLE_TEMPORARY,
                Status::Warn,
                "lifetime is exactly 24 h, like the Console's temporary tokens: it stops working at the end of the day",
            )
            .with_fix("for anything beyond a quick test, build tokens on your server and renew them"),
        );
    }
    if t.expire == 0 {
        out.push(
            Finding::new(
                keys::EXPIRE_ZERO,
                Status::Warn,
                "expire is 0: undocumented; Agora's own parser treats it as expired at issue",
            )
            .with_fix("pass a lifetime in seconds (e.g. 3600)"),
        );
    }
    let expired = end < now;
    if expired {
        out.push(
            Finding::new(
                keys::EXPIRED,
                Status::Fail,
                format!("token expired {}", both(end, now)),
            )
            .with_evidence(format!(
                "issued {}, lifetime {}",
                rfc3339(issue),
                duration(u64::from(t.expire))
            ))
            .with_fix(
                "build a new token; renew it before it expires (token-privilege-will-expire)",
            ),
        );
    } else if t.expire < ABSOLUTE_LOOKING_SECS {
        let key = used.and_then(|s| {
            let p = s.privilege(1)?;
            let pend = t.privilege_ends_at(p)?;
            (p.value < ABSOLUTE_LOOKING_SECS).then(|| {
                (
                    format!("{} {}", s.name, p.name.unwrap_or("privilege 1")),
                    pend,
                )
            })
        });
        out.push(headline(key, end, now));
    }
    let mut absolute: Vec<(String, u32)> = Vec::new();
    let mut ended: Vec<(String, u64, bool)> = Vec::new();
    for s in &t.services {
        for p in &s.privileges {
            if p.value == 0 {
                continue;
            }
            let pname = format!(
                "{} {}",
                s.name,
                p.name
                    .map_or_else(|| format!("privilege {}", p.id), str::to_string)
            );
            if p.value >= ABSOLUTE_LOOKING_SECS {
                absolute.push((pname, p.value));
                continue;
            }
            let pend = u64::from(t.issue_ts) + u64::from(p.value);
            if !expired && pend < now {
                let important = match use_ {
                    ServiceUse::Rtc => {
                        s.service_type == SERVICE_RTC && p.id <= PRIVILEGE_PUBLISH_DATA
                    }
                    other => other.types().contains(&s.service_type),
                };
                ended.push((pname, pend, important));
            }
        }
    }
    for (value, names) in group(absolute.iter().map(|(n, v)| (*v, n.clone()))) {
        out.push(
            Finding::new(
                keys::EXPIRE_LOOKS_ABSOLUTE,
                Status::Fail,
                format!(
                    "{} last {value} s: an absolute timestamp was passed where 007 wants seconds",
                    names.join(", ")
                ),
            )
            .with_fix("pass privilege lifetimes in seconds (e.g. 3600)"),
        );
    }
    push_ended(
        &ended,
        now,
        out,
        "renew the token when the SDK fires token-privilege-will-expire, or build it with longer privileges",
    );
    if let (ServiceUse::Rtc, Some((_, _, s))) = (use_, chosen) {
        publish_findings(
            s.privilege(PRIVILEGE_PUBLISH_AUDIO).is_some(),
            exp,
            true,
            out,
        );
    }
    // Signature.
    match &exp.certificate {
        None => out.push(missing_cert_finding()),
        Some(cert) => out.push(signature_finding(verify_007(t, cert), "")),
    }
}

/// Identity checks of a 007 token used for something other than joining a channel.
fn service_identity_007(
    t: &Token007,
    used: Option<&Service>,
    exp: &Expectation,
    use_: ServiceUse,
    out: &mut Vec<Finding>,
) {
    let Some(s) = used else {
        let names: Vec<&str> = t.services.iter().map(|s| s.name).collect();
        let has_rtc = t.services.iter().any(|s| s.service_type == SERVICE_RTC);
        let f = if use_ == ServiceUse::Rtm && has_rtc {
            rtc_for_rtm()
        } else {
            Finding::new(
                if use_ == ServiceUse::Rtm {
                    keys::NO_RTM_SERVICE
                } else {
                    keys::SERVICE_MISSING
                },
                Status::Fail,
                format!(
                    "the token has no {} service: it cannot be used for {}",
                    use_.name(),
                    use_.name()
                ),
            )
            .with_fix(format!(
                "build the token with the {} builder (npm agora-token, AgoraIO/Tools)",
                use_.name()
            ))
        };
        out.push(f.with_evidence(format!(
            "services in the token: {}",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
        return;
    };
    let inside: Option<&str> = match &s.fields {
        ServiceFields::Rtm { user_id } | ServiceFields::Chat { user_id } => Some(user_id),
        ServiceFields::Rtm2 { user_id, .. } => Some(user_id),
        ServiceFields::Streaming { account, .. } | ServiceFields::Fcdn { account, .. } => {
            Some(account)
        }
        ServiceFields::Apaas { user_uuid, .. } => Some(user_uuid),
        _ => None,
    };
    let Some(inside) = inside else { return };
    if s.service_type == SERVICE_CHAT && inside.is_empty() {
        out.push(Finding::new(
            keys::UID_MISMATCH,
            Status::Pass,
            "Chat app token (privilege app): not tied to a user",
        ));
        return;
    }
    match rtm_user(exp) {
        None => out.push(Finding::new(
            keys::UID_MISMATCH,
            Status::Skip,
            format!(
                "the {} service is for user id {inside:?}; pass --account to compare",
                s.name
            ),
        )),
        Some(u) if u == inside => out.push(Finding::new(
            keys::UID_MISMATCH,
            Status::Pass,
            format!("{} user id {u:?} matches", s.name),
        )),
        Some(u) => out.push(
            Finding::new(
                keys::UID_MISMATCH,
                Status::Fail,
                format!(
                    "the token's {} service is for user id {inside:?}, the app logs in as {u:?}",
                    s.name
                ),
            )
            .with_fix("build the token for exactly the user id the app logs in with"),
        ),
    }
}

fn uid_findings_007(uid: &str, exp: &Expectation, out: &mut Vec<Finding>) {
    let wildcard = uid.is_empty();
    if wildcard {
        out.push(Finding::new(
            keys::UID_WILDCARD,
            Status::Pass,
            "the token is for uid 0: any uid may join with it",
        ));
    }
    if !wildcard {
        if let Ok(n) = uid.parse::<u64>() {
            if n > u64::from(u32::MAX) {
                out.push(uid_out_of_range(n));
            }
        }
    }
    let Some(user) = &exp.user else {
        if !wildcard {
            out.push(Finding::new(
                keys::UID_MISMATCH,
                Status::Skip,
                format!("the token is for uid/account {uid:?}; pass --uid or --account to compare"),
            ));
        }
        return;
    };
    if let User::Uid(n) = user {
        if *n > u64::from(u32::MAX) && uid != n.to_string() {
            out.push(uid_out_of_range(*n));
        }
    }
    let text = user.signed_text();
    if text == uid {
        if !wildcard {
            out.push(Finding::new(
                keys::UID_MISMATCH,
                Status::Pass,
                format!("{} matches", user.describe()),
            ));
        }
        numeric_account_warning(user, out);
    } else if wildcard {
        // Any uid may join.
    } else if matches!(user, User::Uid(0)) && uid == "0" {
        out.push(zero_confusion());
    } else {
        let mut f = Finding::new(
            keys::UID_MISMATCH,
            Status::Fail,
            format!(
                "the token is for uid/account {uid:?}, the app joins with {}",
                user.describe()
            ),
        )
        .with_fix("build the token for the same uid/account the app passes to join");
        if matches!(user, User::Uid(_)) && !uid.bytes().all(|c| c.is_ascii_digit()) {
            f = f.with_evidence(
                "the token was built for a string user account: join with that account string",
            );
        }
        if matches!(user, User::Uid(0)) {
            f = f.with_evidence(
                "uid 0 lets the server assign a uid; the token must then be built for uid 0 too",
            );
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::rtc_007;

    const APP: &str = "970CA35de60c44645bbae8a215061b33";
    const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
    const ISSUED: u32 = 1_800_000_000;

    fn findings(token: &str, exp: &Expectation) -> Vec<Finding> {
        check(token, exp, u64::from(ISSUED) + 60).findings
    }

    /// Regression: a join-only token (the Console's temporary tokens) was warned "cannot publish"
    /// although publishing works unless the project enables co-host authentication.
    #[test]
    fn a_join_only_token_is_described_not_blamed_unless_the_user_publishes() {
        let t = rtc_007(
            APP,
            CERT,
            "demo",
            "42",
            Role::Subscriber,
            ISSUED,
            3600,
            3600,
            1,
        )
        .unwrap();
        let exp = Expectation {
            channel: Some("demo".into()),
            ..Default::default()
        };
        let f = findings(&t, &exp);
        let publish = f.iter().find(|f| f.key == keys::CANNOT_PUBLISH).unwrap();
        assert_eq!(publish.status, Status::Skip, "{publish:?}");
        assert!(
            publish.summary.contains("co-host authentication"),
            "{publish:?}"
        );
        assert!(!f.iter().any(|f| f.status == Status::Warn), "{f:?}");
        let publisher = Expectation {
            role: Some(Role::Publisher),
            ..exp
        };
        let f = findings(&t, &publisher);
        let publish = f.iter().find(|f| f.key == keys::CANNOT_PUBLISH).unwrap();
        assert_eq!(publish.status, Status::Fail, "{publish:?}");
    }

    /// Regression: an absolute time in `expire` gave both "✓ token valid until 2075" and "✗ an
    /// absolute time was passed"; now one finding says what Agora makes of it.
    #[test]
    fn an_absolute_expire_is_judged_once_with_what_agora_reads() {
        let expire = 1_662_489_342;
        let t = rtc_007(
            APP,
            CERT,
            "demo",
            "42",
            Role::Publisher,
            ISSUED,
            expire,
            3600,
            1,
        )
        .unwrap();
        let f = findings(&t, &Expectation::default());
        assert!(
            !f.iter().any(|f| f.key == keys::EXPIRED),
            "no validity line of its own: {f:?}"
        );
        let abs: Vec<&Finding> = f
            .iter()
            .filter(|f| f.key == keys::EXPIRE_LOOKS_ABSOLUTE)
            .collect();
        assert_eq!(abs.len(), 1, "{f:?}");
        assert_eq!(abs[0].status, Status::Fail);
        let end = rfc3339(u64::from(ISSUED) + u64::from(expire));
        assert!(
            abs[0].evidence.iter().any(|e| e.contains(&end)),
            "{:?}",
            abs[0]
        );
    }
}
