//! The `token` report: what each checked token decodes to and every finding, ready to render.
//! Every field is always present (JSON consumers can rely on the shape, `schema` names it).

use agora_token_core::{self as core, time, Token};
use serde::Serialize;

use super::certificate::CertSource;
use crate::vocabulary::{Counts, Finding};

/// The JSON schema name of [`TokenReport`].
pub const SCHEMA: &str = "agora-doctor/token/v2";

/// The whole result of one `agora-doctor token` run.
#[derive(Debug, Clone, Serialize)]
pub struct TokenReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The instant times were evaluated at.
    pub now: Instant,
    /// The tool's clock when `--at` moved the instant above (`None`: judged now). Not in the JSON,
    /// whose `now` is already that instant.
    #[serde(skip)]
    pub asked_at: Option<u64>,
    /// What the user asked.
    pub expectation: ExpectationView,
    /// One entry per token checked (stdin gives one per line).
    pub tokens: Vec<TokenResult>,
    /// Counts over every token.
    pub summary: Summary,
    /// The exit code this report leads to (0 or 1; 2 never has a report).
    pub exit_code: u8,
}

/// A unix time with its UTC text.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Instant {
    /// Seconds since 1970.
    pub unix: u64,
    /// RFC 3339, UTC.
    pub utc: Utc,
}

/// RFC 3339 text of an [`Instant`] (serialised as a string).
#[derive(Debug, Clone, Copy)]
pub struct Utc(pub u64);

impl Serialize for Utc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&time::rfc3339(self.0))
    }
}

impl Instant {
    /// The instant at `unix`.
    pub fn at(unix: u64) -> Self {
        Instant {
            unix,
            utc: Utc(unix),
        }
    }
}

/// What the user asked, as shown back (the certificate only by its source).
#[derive(Debug, Clone, Serialize)]
pub struct ExpectationView {
    /// `--channel`.
    pub channel: Option<String>,
    /// `--uid`.
    pub uid: Option<u64>,
    /// `--account`.
    pub account: Option<String>,
    /// `--app-id`.
    pub app_id: Option<String>,
    /// `--role`.
    pub role: Option<&'static str>,
    /// `--service`, or `null` when the use was inferred from the token (see the findings).
    pub service: Option<&'static str>,
    /// Where the certificate came from (`none` when absent). Its value is never included.
    pub certificate: CertSource,
    /// `--strict`.
    pub strict: bool,
}

/// The result for one token.
#[derive(Debug, Clone, Serialize)]
pub struct TokenResult {
    /// Where it came from: `argument`, `stdin line N`, `example NAME`.
    pub source: String,
    /// The copy-paste diagnosis.
    pub diagnosis: DiagnosisView,
    /// Every decoded field (of the repaired token when a repair is certain); `null` if nothing decodes.
    pub decoded: Option<Decoded>,
    /// Findings, in the order checked.
    pub findings: Vec<Finding>,
    /// `ok` or `fail` for this token.
    pub verdict: &'static str,
}

/// The diagnosis (`docs/tokens.md#diagnosis-codes`).
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosisView {
    /// `ok` or a damage code (`plus_became_space`, `truncated`, …).
    pub code: &'static str,
    /// The finding key (`token.<code>`), or `null` when `ok`.
    pub key: Option<&'static str>,
    /// What is damaged (empty when `ok`).
    pub detail: String,
    /// The repaired token when a repair is certain.
    pub repaired_token: Option<String>,
}

/// Every field a token holds, flattened over both formats (`null` where a format lacks a field).
#[derive(Debug, Clone, Serialize)]
pub struct Decoded {
    /// `006` or `007`.
    pub version: &'static str,
    /// `AccessToken` or `AccessToken2`.
    pub format: &'static str,
    /// App ID inside the token.
    pub app_id: String,
    /// Signature, hex.
    pub signature_hex: String,
    /// Salt.
    pub salt: u32,
    /// 007 issue time; `null` for 006 (it does not record one).
    pub issued_at: Option<Instant>,
    /// 007 lifetime in seconds after issue; `null` for 006.
    pub expire_seconds: Option<u32>,
    /// When the whole token ends (006 `ts`, 007 `issue_ts + expire`).
    pub expires_at: Instant,
    /// 006 CRC-32 of the channel name; `null` for 007.
    pub crc_channel_name: Option<u32>,
    /// 006 CRC-32 of the uid text; `null` for 007.
    pub crc_uid: Option<u32>,
    /// 006 privileges (absolute times); empty for 007.
    pub privileges: Vec<PrivilegeView>,
    /// 007 service count as packed; `null` for 006.
    pub service_count: Option<u16>,
    /// 007 services; empty for 006.
    pub services: Vec<ServiceView>,
    /// 007 service type where decoding stopped, with the undecoded byte count.
    pub unknown_service: Option<UnknownServiceView>,
    /// 007 zlib header, hex (`789c` for default-level encoders); `null` for 006.
    pub zlib_header_hex: Option<String>,
    /// Bytes after the last field or the zlib stream (0 in a sound token).
    pub trailing_bytes: usize,
}

/// One privilege.
#[derive(Debug, Clone, Serialize)]
pub struct PrivilegeView {
    /// Id as packed.
    pub id: u16,
    /// Agora's name, `null` for an undocumented id.
    pub name: Option<&'static str>,
    /// Raw value (006: absolute time; 007: seconds after issue; 0 = no limit of its own).
    pub value: u32,
    /// When it ends; `null` for 0.
    pub expires_at: Option<Instant>,
}

/// One 007 service with all its possible fields (`null` where the type has none).
#[derive(Debug, Clone, Serialize)]
pub struct ServiceView {
    /// Type number.
    #[serde(rename = "type")]
    pub service_type: u16,
    /// Name.
    pub name: &'static str,
    /// Privileges.
    pub privileges: Vec<PrivilegeView>,
    /// RTC, Streaming, FCDN channel.
    pub channel: Option<String>,
    /// RTC uid text (`""` = uid 0, any uid).
    pub uid: Option<String>,
    /// Streaming/FCDN account.
    pub account: Option<String>,
    /// RTM, RTM2, Chat user id.
    pub user_id: Option<String>,
    /// APaaS room.
    pub room_uuid: Option<String>,
    /// APaaS user.
    pub user_uuid: Option<String>,
    /// APaaS role (−1 = none).
    pub role: Option<i16>,
    /// RTM2 permissions.
    pub permissions: Option<Vec<core::Rtm2Resource>>,
}

/// Where 007 decoding stopped.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownServiceView {
    /// Type number.
    #[serde(rename = "type")]
    pub service_type: u16,
    /// Bytes after the type field that were not decoded.
    pub undecoded_bytes: usize,
}

/// Counts over all findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Tokens checked.
    pub tokens: usize,
    /// The findings' statuses.
    #[serde(flatten)]
    pub counts: Counts,
}

impl Summary {
    /// Count the findings of every token.
    pub fn of(tokens: &[TokenResult]) -> Self {
        let mut s = Summary::default();
        for t in tokens {
            s.add(t);
        }
        s
    }

    /// Count one more token's findings.
    pub fn add(&mut self, token: &TokenResult) {
        self.tokens += 1;
        let mut tally = self.counts.tally();
        for f in &token.findings {
            tally.add(f.status);
        }
        self.counts = tally.into();
    }
}

fn privileges(
    ps: &[core::Privilege],
    end: impl Fn(&core::Privilege) -> Option<u64>,
) -> Vec<PrivilegeView> {
    ps.iter()
        .map(|p| PrivilegeView {
            id: p.id,
            name: p.name,
            value: p.value,
            expires_at: end(p).map(Instant::at),
        })
        .collect()
}

impl Decoded {
    /// Flatten a decoded token.
    pub fn of(token: &Token) -> Self {
        match token {
            Token::V006(t) => Decoded {
                version: "006",
                format: "AccessToken",
                app_id: t.app_id.clone(),
                signature_hex: hex::encode(&t.signature),
                salt: t.salt,
                issued_at: None,
                expire_seconds: None,
                expires_at: Instant::at(u64::from(t.ts)),
                crc_channel_name: Some(t.crc_channel_name),
                crc_uid: Some(t.crc_uid),
                privileges: privileges(&t.privileges, |p| t.privilege_ends_at(p)),
                service_count: None,
                services: Vec::new(),
                unknown_service: None,
                zlib_header_hex: None,
                trailing_bytes: t.trailing_bytes,
            },
            Token::V007(t) => Decoded {
                version: "007",
                format: "AccessToken2",
                app_id: t.app_id.clone(),
                signature_hex: hex::encode(&t.signature),
                salt: t.salt,
                issued_at: Some(Instant::at(u64::from(t.issue_ts))),
                expire_seconds: Some(t.expire),
                expires_at: Instant::at(t.expires_at()),
                crc_channel_name: None,
                crc_uid: None,
                privileges: Vec::new(),
                service_count: Some(t.service_count),
                services: t.services.iter().map(|s| service_view(t, s)).collect(),
                unknown_service: t.unknown_service.as_ref().map(|u| UnknownServiceView {
                    service_type: u.service_type,
                    undecoded_bytes: u.undecoded_bytes,
                }),
                zlib_header_hex: Some(hex::encode(&t.zlib_header)),
                trailing_bytes: token.trailing_bytes(),
            },
        }
    }
}

fn service_view(t: &core::Token007, s: &core::Service) -> ServiceView {
    use core::ServiceFields as F;
    let mut v = ServiceView {
        service_type: s.service_type,
        name: s.name,
        privileges: privileges(&s.privileges, |p| t.privilege_ends_at(p)),
        channel: None,
        uid: None,
        account: None,
        user_id: None,
        room_uuid: None,
        user_uuid: None,
        role: None,
        permissions: None,
    };
    match &s.fields {
        F::Rtc { channel, uid } => {
            v.channel = Some(channel.clone());
            v.uid = Some(uid.clone());
        }
        F::Rtm { user_id } | F::Chat { user_id } => v.user_id = Some(user_id.clone()),
        F::Streaming { channel, account } | F::Fcdn { channel, account } => {
            v.channel = Some(channel.clone());
            v.account = Some(account.clone());
        }
        F::Apaas {
            room_uuid,
            user_uuid,
            role,
        } => {
            v.room_uuid = Some(room_uuid.clone());
            v.user_uuid = Some(user_uuid.clone());
            v.role = Some(*role);
        }
        F::Rtm2 {
            user_id,
            permissions,
        } => {
            v.user_id = Some(user_id.clone());
            v.permissions = Some(permissions.clone());
        }
        F::Fpa | F::ConvoAi | F::Stt => {}
    }
    v
}

/// Build the result for one token from the core's check.
pub fn token_result(source: String, check: core::Check, strict: bool) -> TokenResult {
    let d = &check.diagnosis;
    let diagnosis = DiagnosisView {
        code: d.code.as_str(),
        key: (d.code != core::Code::Ok).then(|| d.code.key()),
        detail: d.detail.clone(),
        repaired_token: d.repaired.clone(),
    };
    let fails = check.findings.iter().any(|f| f.status.fails(strict));
    TokenResult {
        source,
        diagnosis,
        decoded: d.token.as_ref().map(Decoded::of),
        findings: check.findings,
        verdict: if fails { "fail" } else { "ok" },
    }
}
