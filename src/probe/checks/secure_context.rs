//! The secure-context check: the verdict Chromium reaches for a page URL (can the page use the
//! microphone at all?), from a PURE function of the URL and the browser flags — the rules of
//! `docs/probe-facts.md#secure-context-rules`, tested on the table verified in Chromium 156 (`docs/probe-facts.md#secure-context-verdicts`).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use url::{Host, Url};

use crate::probe::context::ProbeContext;
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::vocabulary::{Finding, Status};

/// Registry entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "secure_context",
    title: "Secure context of the page",
    inputs: "--url URL (and --chrome-flag FLAG for flags such as --unsafely-treat-insecure-origin-as-secure)",
    budget: |_| Duration::from_millis(500),
    run: |ctx| Box::pin(run(ctx)),
};

/// Names that never get a public certificate or HTTPS upgrade (RFC 6761/6762 and common LAN
/// suffixes): Chrome's HTTPS-Upgrades skip non-unique names (`docs/probe-facts.md#secure-context-rules`).
const NON_UNIQUE_TLDS: &[&str] = &[
    "test",
    "example",
    "invalid",
    "local",
    "localdomain",
    "internal",
    "lan",
    "home",
    "corp",
    "intranet",
    "private",
    "localhost",
];

/// What the browser decides for a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// `isSecureContext` is true: `navigator.mediaDevices` exists.
    Secure,
    /// Not secure: no `navigator.mediaDevices`, the SDK cannot open the microphone.
    Insecure,
    /// Insecure as typed, but Chrome's HTTPS-Upgrades retries it over https; secure if that loads.
    SecureIfUpgraded,
    /// A framed http page inside an https page: Chromium blocks it as mixed content.
    Blocked,
}

impl Verdict {
    /// The `isSecureContext` a page observes (`None` when the frame never loads).
    pub fn is_secure_context(self) -> Option<bool> {
        match self {
            Verdict::Secure | Verdict::SecureIfUpgraded => Some(true),
            Verdict::Insecure => Some(false),
            Verdict::Blocked => None,
        }
    }
}

/// A verdict with the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The decision.
    pub verdict: Verdict,
    /// The rule, in words ("host is in 127.0.0.0/8").
    pub rule: String,
}

fn judged(verdict: Verdict, rule: impl Into<String>) -> Judgement {
    Judgement {
        verdict,
        rule: rule.into(),
    }
}

/// Browser flags that change the verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    /// `--unsafely-treat-insecure-origin-as-secure=` entries (origins or `*.host` patterns).
    pub allowlist: Vec<String>,
    /// `--disable-features=HttpsUpgrades`.
    pub https_upgrades_disabled: bool,
    /// `--allow-running-insecure-content`.
    pub allow_insecure_content: bool,
}

impl Flags {
    /// Parse Chrome command-line flags (unknown ones are ignored).
    pub fn parse<S: AsRef<str>>(flags: &[S]) -> Self {
        let mut out = Flags::default();
        for flag in flags {
            let flag = flag.as_ref().trim();
            if let Some(list) = flag.strip_prefix("--unsafely-treat-insecure-origin-as-secure=") {
                out.allowlist.extend(
                    list.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty()),
                );
            } else if let Some(list) = flag.strip_prefix("--disable-features=") {
                out.https_upgrades_disabled |= list.split(',').any(|f| f.trim() == "HttpsUpgrades");
            } else if flag == "--allow-running-insecure-content" {
                out.allow_insecure_content = true;
            }
        }
        out
    }
}

/// Is this URL potentially trustworthy (W3C) as Chromium implements it? `Err` names why the URL
/// cannot be judged.
pub fn trustworthy(url: &Url, flags: &Flags) -> Judgement {
    match url.scheme() {
        "https" | "wss" => return judged(Verdict::Secure, "https is always trustworthy"),
        "file" => return judged(Verdict::Secure, "file: pages are trustworthy"),
        "about" => {
            return judged(
                Verdict::Secure,
                "about:blank/about:srcdoc inherit their embedder's verdict",
            )
        }
        "data" => {
            return judged(
                Verdict::Insecure,
                "data: URLs have an opaque origin, which Chromium never trusts",
            )
        }
        "blob" => {
            if let Ok(inner) = Url::parse(url.path()) {
                return trustworthy(&inner, flags);
            }
            return judged(Verdict::Insecure, "blob: URL without a parseable origin");
        }
        "http" | "ws" => {}
        other => {
            return judged(
                Verdict::Insecure,
                format!("the {other}: scheme is not trustworthy"),
            )
        }
    }
    if let Some(rule) = allowlisted(url, &flags.allowlist) {
        return judged(Verdict::Secure, rule);
    }
    match url.host() {
        Some(Host::Ipv4(ip)) => {
            if ip.is_loopback() {
                judged(
                    Verdict::Secure,
                    format!("{ip} is in 127.0.0.0/8 (loopback)"),
                )
            } else {
                judged(
                    Verdict::Insecure,
                    format!("{ip} is not a loopback address and the page is plain http"),
                )
            }
        }
        Some(Host::Ipv6(ip)) => {
            if IpAddr::V6(ip).is_loopback() {
                judged(Verdict::Secure, "[::1] is the IPv6 loopback address")
            } else {
                judged(
                    Verdict::Insecure,
                    format!("[{ip}] is not ::1 (only exactly ::1 counts; mapped IPv4 does not) and the page is plain http"),
                )
            }
        }
        Some(Host::Domain(name)) => {
            let name = name.to_ascii_lowercase();
            let name = name.strip_suffix('.').unwrap_or(&name);
            if name == "localhost" || name.ends_with(".localhost") {
                return judged(
                    Verdict::Secure,
                    format!("{name} is localhost, which browsers resolve only to loopback"),
                );
            }
            let tld = name.rsplit('.').next().unwrap_or(name);
            if !flags.https_upgrades_disabled
                && name.contains('.')
                && !NON_UNIQUE_TLDS.contains(&tld)
            {
                return judged(
                    Verdict::SecureIfUpgraded,
                    format!("{name} is plain http; Chrome's HTTPS-Upgrades retries https://{name}/ and keeps it only if it loads"),
                );
            }
            judged(
                Verdict::Insecure,
                format!("{name} is neither localhost nor loopback and the page is plain http"),
            )
        }
        None => judged(Verdict::Insecure, "the URL has no host"),
    }
}

/// Whether an `--unsafely-treat-insecure-origin-as-secure` entry covers `url`.
fn allowlisted(url: &Url, allowlist: &[String]) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    for entry in allowlist {
        if let Some(suffix) = entry.strip_prefix("*.") {
            // Chromium accepts a wildcard only beyond a registrable part (`*.com` is rejected).
            let suffix = suffix.to_ascii_lowercase();
            if suffix.contains('.') && host.ends_with(&format!(".{suffix}")) {
                return Some(format!(
                    "{host} matches --unsafely-treat-insecure-origin-as-secure={entry}"
                ));
            }
        } else if let Ok(origin) = Url::parse(entry) {
            if origin.origin() == url.origin() {
                return Some(format!(
                    "{} is listed in --unsafely-treat-insecure-origin-as-secure",
                    url.origin().ascii_serialization()
                ));
            }
        }
    }
    None
}

/// The verdict for a top-level page.
pub fn judge(url: &str, flags: &Flags) -> Result<Judgement, String> {
    let parsed = Url::parse(url.trim()).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    Ok(trustworthy(&parsed, flags))
}

/// The verdict for the innermost of nested frames (`chain[0]` is the top page): each frame must be
/// trustworthy AND have a secure parent (Chromium's `ComputeIsWebSecureContext`).
pub fn judge_frames(chain: &[&str], flags: &Flags) -> Result<Judgement, String> {
    let mut parent: Option<(Url, Judgement)> = None;
    for url in chain {
        let parsed = Url::parse(url.trim()).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
        let own = trustworthy(&parsed, flags);
        let judgement = match &parent {
            None => own,
            Some((parent_url, parent_judgement)) => {
                let parent_secure = parent_judgement.verdict == Verdict::Secure;
                let mixed = parent_url.scheme() == "https"
                    && parsed.scheme() == "http"
                    && own.verdict != Verdict::Secure;
                if mixed && !flags.allow_insecure_content {
                    judged(
                        Verdict::Blocked,
                        "an http frame inside an https page is blocked as mixed content",
                    )
                } else if own.verdict != Verdict::Secure {
                    judged(Verdict::Insecure, own.rule)
                } else if !parent_secure {
                    judged(
                        Verdict::Insecure,
                        "its embedding page is not a secure context (a frame is secure only if every ancestor is)",
                    )
                } else {
                    own
                }
            }
        };
        parent = Some((parsed, judgement));
    }
    parent
        .map(|(_, j)| j)
        .ok_or_else(|| "no URL given".to_string())
}

/// The finding for a page URL.
pub fn finding(url: &str, flags: &Flags) -> Finding {
    let judgement = match judge(url, flags) {
        Ok(j) => j,
        Err(reason) => {
            return Finding::new("probe.secure_context.bad_url", Status::Fail, reason).with_fix(
                "pass the page address as the browser shows it, e.g. --url http://localhost:5173/",
            )
        }
    };
    match judgement.verdict {
        Verdict::Secure => Finding::new(
            "probe.secure_context.ok",
            Status::Pass,
            format!("{url} is a secure context: the microphone APIs exist there"),
        )
        .with_evidence(judgement.rule),
        Verdict::SecureIfUpgraded => Finding::new(
            "probe.secure_context.https_upgrade",
            Status::Warn,
            format!("{url} is secure only if Chrome's automatic upgrade to https succeeds"),
        )
        .with_evidence(judgement.rule)
        .with_evidence("Firefox, Safari and Chrome with HttpsUpgrades disabled keep it insecure")
        .with_fix(format!("link to https:// directly: {}", url.replacen("http://", "https://", 1))),
        Verdict::Insecure | Verdict::Blocked => Finding::new(
            "probe.secure_context.insecure",
            Status::Fail,
            format!("{url} is not a secure context: the browser hides navigator.mediaDevices, so no microphone"),
        )
        .with_evidence(judgement.rule)
        .with_evidence("the Web SDK then fails with `NOT_SUPPORTED: enumerateDevices() not supported` / `can not find getUserMedia`, or `WEB_SECURITY_RESTRICT`")
        .with_fix("serve the page over https (a certificate, or a tunnel such as an https dev proxy), open it as http://localhost:PORT/ on the same machine, or during development start Chrome with --unsafely-treat-insecure-origin-as-secure=http://HOST:PORT"),
    }
}

async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    let Some(url) = ctx.inputs.url.as_deref() else {
        return CheckOutput::skip(
            "secure_context",
            "no page URL given",
            "pass --url URL (the address your Web SDK page is opened at)",
        );
    };
    let flags = Flags::parse(&ctx.inputs.chrome_flags);
    let mut headline = finding(url, &flags);
    if let Some(note) = ctx.url_note().or_else(|| ctx.url_scheme_note()) {
        headline.evidence.insert(0, note);
    }
    CheckOutput::single(headline)
}
