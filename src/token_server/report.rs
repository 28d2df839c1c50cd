//! The `token-server` report: every request asked, what came back and every finding, ready to
//! render. Every field is always present (`schema` names the shape).

use serde::Serialize;

use crate::token::certificate::CertSource;
use crate::token::report::Instant;
use crate::vocabulary::{Counts, Finding, Tally};

/// The JSON schema name of [`TokenServerReport`].
pub const SCHEMA: &str = "agora-doctor/token-server/v1";

/// The whole result of one `agora-doctor token-server` run.
#[derive(Debug, Clone, Serialize)]
pub struct TokenServerReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The instant token times were evaluated at.
    pub now: Instant,
    /// The URL template as given.
    pub template: String,
    /// `rtc` or `rtm`.
    pub service: &'static str,
    /// The `Origin` sent, as a browser on that page would.
    pub origin: String,
    /// Where the certificate came from (`none`: signatures not checked). Never its value.
    pub certificate: CertSource,
    /// One entry per request, in the order sent.
    pub requests: Vec<RequestResult>,
    /// What a browser needs from the server: TLS, CORS, preflight, latency.
    pub browser: Vec<Finding>,
    /// Counts over every finding.
    pub summary: Summary,
    /// `--strict`: warnings fail (said by the exit code; not a field of the JSON document).
    #[serde(skip)]
    pub strict: bool,
    /// The exit code this report leads to (0 or 1).
    pub exit_code: u8,
}

/// What one request asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Asked {
    /// Channel (RTC), `null` for RTM.
    pub channel: Option<String>,
    /// Numeric uid, when asked by uid.
    pub uid: Option<u64>,
    /// String account / RTM user id, when asked by account.
    pub account: Option<String>,
    /// `publisher` or `subscriber` (RTC), `null` for RTM.
    pub role: Option<&'static str>,
    /// The lifetime asked for, seconds.
    pub expire_seconds: u32,
}

/// One request and its judgement.
#[derive(Debug, Clone, Serialize)]
pub struct RequestResult {
    /// The URL requested (the template filled in).
    pub url: String,
    /// What was asked.
    pub asked: Asked,
    /// HTTP status, `null` when no answer came.
    pub status: Option<u16>,
    /// Time to the whole answer, milliseconds; `null` when no answer came.
    pub latency_ms: Option<u64>,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// Where the token was in the answer (`rtcToken`, `data.token`, `(body)`).
    pub token_field: Option<String>,
    /// The token's first characters and length (the token itself is a credential).
    pub token_preview: Option<String>,
    /// Findings about this answer, token checks included.
    pub findings: Vec<Finding>,
}

/// Counts over all findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Requests sent.
    pub requests: usize,
    /// The findings' statuses.
    #[serde(flatten)]
    pub counts: Counts,
}

impl Summary {
    /// Count every finding of the requests and the browser checks.
    pub fn of(requests: &[RequestResult], browser: &[Finding]) -> Self {
        let findings = requests.iter().flat_map(|r| &r.findings).chain(browser);
        Summary {
            requests: requests.len(),
            counts: Tally::of(findings.map(|f| f.status)).into(),
        }
    }
}
