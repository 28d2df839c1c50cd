//! The `report` command's document: one paste-ready Markdown (or JSON) document for a support ticket
//! or a GitHub issue. It holds the probe run (whose config check carries every token finding), the
//! token's public fields, a log scan, the versions involved and the commands to reproduce; the
//! secrets to remove are listed here too: the certificate, the token string and its signature never
//! reach the document.

use agora_token_core::{Token, Token007};
use serde::Serialize;

use crate::explain::scan::LogReport;
use crate::probe::ProbeReport;

pub use super::versions::Versions;

/// What replaces a secret in the report.
pub const REDACTED: &str = "[redacted]";

/// The JSON schema id of `report --json` (documented in the README).
pub const SCHEMA: &str = "agora-doctor/report/v1";

/// Everything the report shows, before rendering; its serde form is the `--json` document.
#[derive(Debug, Clone, Serialize)]
pub struct SupportReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// agora-doctor, OS, Chromium, SDK versions.
    pub versions: Versions,
    /// The probe run (all checks).
    pub probe: ProbeReport,
    /// The token's public fields, when a token was given and decodes.
    pub token: Option<TokenSummary>,
    /// The log scan, when a log was given.
    pub log: Option<LogSection>,
    /// Commands that reproduce this report, with secrets as placeholders.
    pub reproduce: Vec<String>,
}

/// A scanned log: its name and what was found.
#[derive(Debug, Clone, Serialize)]
pub struct LogSection {
    /// The file as given (`-` = stdin).
    pub name: String,
    /// The scan.
    pub report: LogReport,
}

/// The public fields of a token: what it grants, to whom, until when. Never the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenSummary {
    /// `006` or `007`.
    pub version: &'static str,
    /// The App ID inside.
    pub app_id: String,
    /// Unix time it was issued (007 only; 006 does not record it).
    pub issued_at: Option<u64>,
    /// Unix time the token as a whole expires.
    pub expires_at: u64,
    /// One line per service: name, channel/user, privileges.
    pub services: Vec<String>,
}

impl TokenSummary {
    /// The public fields of a decoded token.
    pub fn of(token: &Token) -> Self {
        match token {
            Token::V006(t) => TokenSummary {
                version: "006",
                app_id: t.app_id.clone(),
                issued_at: None,
                expires_at: u64::from(t.ts),
                services: vec![format!(
                    "RTC or RTM (006 stores only CRC32s: channel crc {:#010x}, uid crc {:#010x}); privileges {}",
                    t.crc_channel_name,
                    t.crc_uid,
                    privileges(t.privileges.iter().map(|p| (p.id, p.name, p.value)))
                )],
            },
            Token::V007(t) => TokenSummary {
                version: "007",
                app_id: t.app_id.clone(),
                issued_at: Some(u64::from(t.issue_ts)),
                expires_at: token.expires_at(),
                services: services_007(t),
            },
        }
    }
}

fn services_007(t: &Token007) -> Vec<String> {
    let mut lines: Vec<String> = t
        .services
        .iter()
        .map(|s| {
            format!(
                "{} (type {}): {:?}; privileges {}",
                s.name,
                s.service_type,
                s.fields,
                privileges(s.privileges.iter().map(|p| (p.id, p.name, p.value)))
            )
        })
        .collect();
    if let Some(u) = &t.unknown_service {
        lines.push(format!(
            "unknown service type {} ({} bytes not decoded)",
            u.service_type, u.undecoded_bytes
        ));
    }
    lines
}

fn privileges(list: impl Iterator<Item = (u16, Option<&'static str>, u32)>) -> String {
    let items: Vec<String> = list
        .map(|(id, name, value)| format!("{}={value}", name.map_or(id.to_string(), str::to_owned)))
        .collect();
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// Replace every occurrence of each secret in `text` with [`REDACTED`]. Secrets shorter than 8
/// characters are ignored: they cannot be told apart from ordinary words.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut secrets: Vec<&String> = secrets.iter().filter(|s| s.len() >= 8).collect();
    // Longest first, so a secret that contains another is replaced whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_owned();
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    out
}

/// The strings that must never appear in a report for this token and certificate: the token as
/// given and as repaired, the signature in hex and base64, and the certificate.
pub fn secrets_of(
    raw_token: Option<&str>,
    token: Option<&Token>,
    certificate: Option<&str>,
) -> Vec<String> {
    use base64::Engine;
    let mut out = Vec::new();
    if let Some(raw) = raw_token {
        out.push(raw.trim().to_owned());
        // The base64 body carries the signature too; a long run of it is as good as the token.
        if raw.trim().len() > 3 {
            out.push(raw.trim()[3..].to_owned());
        }
    }
    if let Some(token) = token {
        let signature = token.signature();
        out.push(hex::encode(signature));
        out.push(hex::encode_upper(signature));
        out.push(base64::engine::general_purpose::STANDARD.encode(signature));
    }
    if let Some(certificate) = certificate {
        out.push(certificate.trim().to_owned());
    }
    out
}
