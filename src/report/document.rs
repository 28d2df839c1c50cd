//! The `report` command's document: one paste-ready Markdown (or JSON) document for a support ticket
//! or a GitHub issue. It holds the probe run (whose config check carries every token finding), the
//! token's public fields, a log scan, the versions involved and the commands to reproduce. `lib::run`
//! removes every secret with [`crate::redact`] (the certificate, every token shape, the signature)
//! and the document says what was removed and how many times.

use agora_token_core::{Token, Token007};
use serde::Serialize;

use crate::explain::log::LogReading;
use crate::probe::ProbeReport;
use crate::redact::RedactionCount;

pub use super::versions::Versions;

/// The JSON schema id of `report --json` (documented in the README).
pub const SCHEMA: &str = "agora-doctor/report/v3";

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
    /// What redaction removed from the document, by kind (filled in by `lib::run`, which redacts).
    pub redactions: Vec<RedactionCount>,
}

/// A read log: its name, how it was decoded and what was found.
#[derive(Debug, Clone)]
pub struct LogSection {
    /// The file as given (`<stdin>` for `-`).
    pub name: String,
    /// How it was read (`gzip`, `UTF-16 LE`, …); empty for plain UTF-8.
    pub read_as: Vec<&'static str>,
    /// The reading (`explain --log`'s).
    pub reading: Box<LogReading>,
}

// The report's JSON keeps its `agora-doctor/report/v2` shape for the log: the problems as `errors`,
// each with its catalog entry (or, for a problem the catalog does not hold, its key, kind and title).
// The timeline, noise and unrecognised lines are in the Markdown report and in `explain --log --json`.
impl Serialize for LogSection {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = &self.reading;
        let errors: Vec<serde_json::Value> = r
            .problems
            .iter()
            .map(|p| {
                let entry = match p.entry {
                    Some(e) => serde_json::to_value(e).unwrap_or(serde_json::Value::Null),
                    None => serde_json::json!({"key": p.key, "kind": p.kind, "title": p.title}),
                };
                serde_json::json!({
                    "entry": entry,
                    "count": p.count,
                    "first_line": p.first_line,
                    "last_line": p.last_line,
                    "line": p.line,
                })
            })
            .collect();
        serde_json::json!({
            "name": self.name,
            "read_as": self.read_as,
            "report": {"lines": r.lines, "bytes": r.bytes, "errors": errors},
        })
        .serialize(s)
    }
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
