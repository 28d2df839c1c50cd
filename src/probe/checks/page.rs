//! The page check: fetch the `--url` page with reqwest and read what decides whether the Web SDK can
//! work there: valid TLS, a redirect from http to https, a `Permissions-Policy` that forbids the
//! microphone, a CSP that blocks Agora's hosts or `wss:`, and which Web SDK version it loads.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, LOCATION};
use url::Url;

use crate::probe::context::ProbeContext;
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::vocabulary::{Finding, Status};
use agora_token_core::words::count;

/// Registry entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "page",
    title: "The page that loads the Web SDK",
    inputs: "--url http(s)://… (the page your Web SDK app runs on)",
    budget: |_| PAGE_BUDGET,
    run: |ctx| Box::pin(run(ctx)),
};

/// The newest `agora-rtc-sdk-ng` on npm when this was written (`latest`, 4.24.8, read 2026-11-25 from
/// npm).
pub const CURRENT_WEB_SDK: (u32, u32, u32) = (4, 24, 8);
/// Whole check budget; the request itself gets [`REQUEST_TIMEOUT`].
const PAGE_BUDGET: Duration = Duration::from_secs(12);
/// One HTTP request (the Web SDK's own access-point request allows 5 s; a page may be slower).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(8);
/// Largest body read (pages and same-origin scripts scanned for the SDK banner).
const MAX_BODY: usize = 8 * 1024 * 1024;
/// Same-origin scripts fetched at most, to find a bundled SDK's version.
const MAX_SCRIPTS: usize = 6;

/// Connections the Web SDK 4.24.8 opens that a CSP `connect-src` must allow (`docs/probe-facts.md#what-web-sdk-4248-contacts`): the
/// access points, the event reporter, and gateway sockets `wss://<ip-dashed>.edge.agora.io:<port>`
/// on a port from the firewall page's 4700-5000 range.
pub const AGORA_CONNECT_TARGETS: &[&str] = &[
    "https://webrtc2-ap-web-1.agora.io/api/v2/transpond/webrtc",
    "https://webrtc2-2.ap.sd-rtn.com/api/v2/transpond/webrtc",
    "wss://1-2-3-4.edge.agora.io:4701/",
    "wss://1-2-3-4.edge.sd-rtn.com:4701/",
    "https://statscollector-1.agora.io/events/messages",
];
/// The gateway's fallback socket on 443, tried after `JOIN_GATEWAY_TRY_443PORT_DURATION` (2 s) when
/// the gateway's own port fails (`docs/probe-facts.md#what-web-sdk-4248-contacts`).
pub const AGORA_GATEWAY_FALLBACK: &str = "wss://1-2-3-4.edge.agora.io/";

async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    let Some(raw) = ctx.inputs.url.as_deref() else {
        return CheckOutput::skip(
            "page",
            "no page URL given",
            "pass --url http(s)://… to check the page's TLS, headers and Web SDK version",
        );
    };
    let url = match Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url,
        _ => {
            return CheckOutput::skip(
                "page",
                format!("{raw} is not an http(s) page, nothing to fetch"),
                "pass an http:// or https:// --url to check the page itself",
            )
        }
    };
    let mut output = match inspect(&ctx, &url).await {
        Ok(output) => output,
        Err(finding) => CheckOutput::single(finding),
    };
    if let Some(note) = ctx.url_note().or_else(|| ctx.url_scheme_note()) {
        output.headline.evidence.insert(0, note);
    }
    output
}

fn client(ctx: &ProbeContext, url: &Url, follow: bool) -> Result<reqwest::Client, Finding> {
    let mut builder = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT / 2)
        .user_agent(concat!("agora-doctor/", env!("CARGO_PKG_VERSION")))
        .redirect(if follow {
            reqwest::redirect::Policy::limited(10)
        } else {
            reqwest::redirect::Policy::none()
        });
    for root in &ctx.extra_roots {
        if let Ok(cert) = reqwest::Certificate::from_der(root) {
            builder = builder.add_root_certificate(cert);
        }
    }
    if is_loopback(url) {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| {
        Finding::new(
            "probe.page.unreachable",
            Status::Error,
            format!("could not set up an HTTP client: {e}"),
        )
    })
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Every reason in an error's source chain, joined (reqwest hides the TLS cause two levels deep).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    let chain = parts.join(": ");
    // webpki's certificate errors arrive as bare names (`Other(OtherError(CaUsedAsEndEntity))`).
    match crate::probe::http_steps::plain_certificate_reason(&chain) {
        Some(plain) => format!("{chain} — {plain}"),
        None => chain,
    }
}

async fn inspect(ctx: &ProbeContext, url: &Url) -> Result<CheckOutput, Finding> {
    let mut details = Vec::new();
    // Plain http: does the server send the visitor to https?
    if url.scheme() == "http" {
        let response = client(ctx, url, false)?
            .get(url.clone())
            .send()
            .await
            .map_err(|e| unreachable(url, &e))?;
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        details.push(redirect_finding(
            url,
            response.status().as_u16(),
            location.as_deref(),
        ));
    }
    let response = client(ctx, url, true)?
        .get(url.clone())
        .send()
        .await
        .map_err(|e| unreachable(url, &e))?;
    let final_url = response.url().clone();
    if final_url.scheme() == "https" {
        details.push(Finding::new(
            "probe.page.ok",
            Status::Pass,
            format!(
                "TLS certificate of {} is valid",
                final_url.host_str().unwrap_or("?")
            ),
        ));
    }
    let status = response.status();
    let headers = response.headers().clone();
    let (body, cut) = read_bounded(response).await;
    if let Some(why) = cut {
        details.push(body_cut_finding(&final_url, &why));
    }
    if !status.is_success() {
        details.push(
            Finding::new(
                "probe.page.http_error",
                Status::Warn,
                format!("{final_url} answered HTTP {}", status.as_u16()),
            )
            .with_fix("check the URL: the page itself did not load"),
        );
    }
    details.extend(permissions_findings(&headers));
    let meta_csp = meta_csp(&body);
    details.extend(csp_findings(&headers, meta_csp.as_deref()));
    details.push(sdk_finding(ctx, &final_url, &body).await);
    let good = Finding::new(
        "probe.page.ok",
        Status::Pass,
        format!("{final_url} allows the microphone and Agora's connections"),
    );
    Ok(CheckOutput::from_details(details, good))
}

fn unreachable(url: &Url, e: &reqwest::Error) -> Finding {
    let chain = error_chain(e);
    let lower = chain.to_ascii_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("unknownissuer") {
        Finding::new(
            "probe.page.tls_invalid",
            Status::Fail,
            format!("{url}: the TLS certificate is not valid"),
        )
        .with_evidence(chain)
        .with_fix("serve a certificate a browser trusts (e.g. from Let's Encrypt); browsers stop at an interstitial and the page never loads")
    } else {
        Finding::new(
            "probe.page.unreachable",
            Status::Fail,
            format!("{url} could not be fetched"),
        )
        .with_evidence(chain)
        .with_fix("check that the page's server runs and the URL is the one the browser opens")
    }
}

/// Read a body up to [`MAX_BODY`] and within the request's [`REQUEST_TIMEOUT`]; what is read is
/// judged either way, and why it was cut, if it was, comes back too (a body that never ends).
async fn read_bounded(mut response: reqwest::Response) -> (String, Option<String>) {
    let mut body = Vec::new();
    let cut = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                if body.len() >= MAX_BODY {
                    body.truncate(MAX_BODY);
                    break Some(format!(
                        "it is longer than {} MiB, the most read",
                        MAX_BODY >> 20
                    ));
                }
            }
            Ok(None) => break None,
            Err(e) if e.is_timeout() => {
                break Some(format!(
                    "it did not end within {} s ({} KiB read)",
                    REQUEST_TIMEOUT.as_secs(),
                    body.len() >> 10
                ))
            }
            Err(e) => {
                break Some(format!(
                    "reading it failed after {} KiB: {}",
                    body.len() >> 10,
                    error_chain(&e)
                ))
            }
        }
    };
    (String::from_utf8_lossy(&body).into_owned(), cut)
}

/// The finding for a page body that was cut (pure).
pub fn body_cut_finding(url: &Url, why: &str) -> Finding {
    Finding::new(
        "probe.page.body_cut",
        Status::Warn,
        format!("{url}: the page's body was cut: {why}"),
    )
    .with_fix("make the server end the page (a Content-Length or a last chunk): a browser waits for the end, the load event never fires, and what the page starts from it (the app's join) may never run")
}

/// The finding for how a plain-http page answers (pure): a redirect to https, a loopback
/// development page, or a page that stays on http.
pub fn redirect_finding(url: &Url, status: u16, location: Option<&str>) -> Finding {
    let target = location.and_then(|l| url.join(l).ok());
    match target {
        Some(target) if (300..400).contains(&status) && target.scheme() == "https" => Finding::new(
            "probe.page.ok",
            Status::Pass,
            format!("{url} redirects to {target}"),
        )
        .with_evidence(format!("HTTP {status}")),
        _ if is_loopback(url) => Finding::new(
            "probe.page.ok",
            Status::Pass,
            format!("{url} is plain http on loopback (fine for development)"),
        ),
        _ => Finding::new(
            "probe.page.no_https_redirect",
            Status::Warn,
            format!("{url} is served over plain http and does not redirect to https"),
        )
        .with_evidence(format!("HTTP {status}"))
        .with_fix(
            "redirect http:// to https:// on the server (301) so visitors land on a secure context",
        ),
    }
}

/// Findings from `Permissions-Policy` / `Feature-Policy` (pure).
pub fn permissions_findings(headers: &HeaderMap) -> Vec<Finding> {
    let mut out = Vec::new();
    for value in headers.get_all("permissions-policy") {
        let Ok(text) = value.to_str() else { continue };
        for directive in text.split(',') {
            let directive = directive.trim();
            let Some(allow) = directive.strip_prefix("microphone=") else {
                continue;
            };
            let allow = allow.trim();
            if allow == "()" || allow == "none" || allow == "\"none\"" {
                out.push(
                    Finding::new(
                        "probe.page.microphone_blocked",
                        Status::Fail,
                        "Permissions-Policy forbids the microphone on this page",
                    )
                    .with_evidence(format!("Permissions-Policy: {directive}"))
                    .with_fix("allow it: `Permissions-Policy: microphone=(self)` (or drop the microphone directive); getUserMedia otherwise fails with NotAllowedError"),
                );
            } else if !allow.contains("self") && !allow.contains('*') {
                out.push(
                    Finding::new(
                        "probe.page.microphone_blocked",
                        Status::Fail,
                        "Permissions-Policy allows the microphone only to other origins, not to this page",
                    )
                    .with_evidence(format!("Permissions-Policy: {directive}"))
                    .with_fix("add self: `Permissions-Policy: microphone=(self)`"),
                );
            }
        }
    }
    for value in headers.get_all("feature-policy") {
        let Ok(text) = value.to_str() else { continue };
        for directive in text.split(';') {
            let directive = directive.trim();
            if directive.starts_with("microphone") && directive.contains("'none'") {
                out.push(
                    Finding::new(
                        "probe.page.microphone_blocked",
                        Status::Fail,
                        "Feature-Policy forbids the microphone on this page",
                    )
                    .with_evidence(format!("Feature-Policy: {directive}"))
                    .with_fix("remove `microphone 'none'` from Feature-Policy"),
                );
            }
        }
    }
    out
}

/// The `content` of a `<meta http-equiv="Content-Security-Policy">`, if the page has one.
fn meta_csp(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let at = lower.find("http-equiv=\"content-security-policy\"")?;
    let tag_start = lower[..at].rfind('<')?;
    let tag_end = at + lower[at..].find('>')?;
    let tag = &body[tag_start..tag_end];
    let content_at = tag.to_ascii_lowercase().find("content=\"")? + "content=\"".len();
    let rest = &tag[content_at..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Findings from the CSP header(s) and meta tag (pure).
pub fn csp_findings(headers: &HeaderMap, meta: Option<&str>) -> Vec<Finding> {
    let mut policies: Vec<(String, String)> = headers
        .get_all("content-security-policy")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| ("Content-Security-Policy header".to_string(), v.to_string()))
        .collect();
    if let Some(meta) = meta {
        policies.push((
            "<meta> Content-Security-Policy".to_string(),
            meta.to_string(),
        ));
    }
    let mut out = Vec::new();
    for (source, policy) in policies {
        let Some((directive, sources)) = connect_sources(&policy) else {
            continue;
        };
        let blocked: Vec<&str> = AGORA_CONNECT_TARGETS
            .iter()
            .copied()
            .filter(|target| !csp_allows(&sources, target))
            .collect();
        let only_gateway_ports = !blocked.is_empty()
            && blocked
                .iter()
                .all(|t| t.starts_with("wss://") && t.contains(":4701"))
            && csp_allows(&sources, AGORA_GATEWAY_FALLBACK);
        if only_gateway_ports {
            out.push(
                Finding::new(
                    "probe.page.csp_gateway_port",
                    Status::Warn,
                    format!("the page's CSP {directive} allows Agora's gateway only on port 443: every join waits 2 s for the fallback"),
                )
                .with_evidence(format!("{source}: {directive} {}", sources.join(" ")))
                .with_evidence(format!("blocked: {}", blocked.join(", ")))
                .with_fix(format!("allow any port for the gateway in {directive}: wss://*.agora.io:* wss://*.sd-rtn.com:*")),
            );
        } else if !blocked.is_empty() {
            out.push(
                Finding::new(
                    "probe.page.csp_blocks_agora",
                    Status::Fail,
                    format!("the page's CSP {directive} blocks connections the Web SDK makes"),
                )
                .with_evidence(format!("{source}: {directive} {}", sources.join(" ")))
                .with_evidence(format!("blocked: {}", blocked.join(", ")))
                .with_fix(format!(
                    "add to {directive}: https://*.agora.io https://*.sd-rtn.com wss://*.agora.io:* wss://*.sd-rtn.com:* (and the other domains of Agora's firewall page)"
                )),
            );
        }
    }
    out
}

/// The directive that governs fetch/WebSocket (`connect-src`, else `default-src`) and its sources.
fn connect_sources(policy: &str) -> Option<(&'static str, Vec<String>)> {
    let mut default = None;
    for directive in policy.split(';') {
        let mut words = directive.split_whitespace();
        let Some(name) = words.next() else { continue };
        let sources: Vec<String> = words.map(|w| w.to_string()).collect();
        match name.to_ascii_lowercase().as_str() {
            "connect-src" => return Some(("connect-src", sources)),
            "default-src" => default = Some(("default-src", sources)),
            _ => {}
        }
    }
    default
}

/// Does a CSP source list allow a connection to `target` from an https page? CSP3 §6.7.2 with
/// Chromium's scheme upgrades (`http:` sources allow https/ws/wss, `https:` sources allow wss) and
/// its `*`, which covers ws/wss too.
pub fn csp_allows(sources: &[String], target: &str) -> bool {
    let Ok(url) = Url::parse(target) else {
        return false;
    };
    let scheme = url.scheme();
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let port = url.port_or_known_default().unwrap_or(0);
    sources.iter().any(|source| {
        let s = source.trim().to_ascii_lowercase();
        if s == "*" {
            return matches!(scheme, "http" | "https" | "ws" | "wss");
        }
        if s.starts_with('\'') {
            return false;
        }
        if let Some(scheme_only) = s.strip_suffix(':') {
            if !scheme_only.contains('/') {
                return scheme_matches(scheme_only, scheme);
            }
        }
        let (src_scheme, rest) = match s.split_once("://") {
            Some((sc, rest)) => (sc, rest),
            // A scheme-less source takes the page's scheme (https here).
            None => ("https", s.as_str()),
        };
        if !scheme_matches(src_scheme, scheme) {
            return false;
        }
        let authority = rest.split('/').next().unwrap_or("");
        let (host_part, port_part) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let host_ok = if let Some(suffix) = host_part.strip_prefix("*.") {
            host.ends_with(&format!(".{suffix}"))
        } else {
            host_part == "*" || host == host_part
        };
        // No port in the source: only the URL scheme's default port (443 for https/wss) matches.
        let port_ok = match port_part {
            None => port == 443 || (port == 80 && matches!(scheme, "http" | "ws")),
            Some("*") => true,
            Some(p) => p.parse::<u16>().is_ok_and(|p| p == port),
        };
        host_ok && port_ok
    })
}

fn scheme_matches(source: &str, url: &str) -> bool {
    source == url
        || (source == "http" && matches!(url, "https" | "ws" | "wss"))
        || (source == "https" && url == "wss")
        || (source == "ws" && url == "wss")
}

/// Version strings found in a page or script, in order (`AgoraRTC_N-4.24.8`, `agora-rtc-sdk-ng@4.24.8`).
pub fn sdk_versions(text: &str) -> Vec<(u32, u32, u32)> {
    let mut out = Vec::new();
    for marker in [
        "AgoraRTC_N-",
        "agora-rtc-sdk-ng@",
        "agora-rtc-sdk-ng/",
        "AgoraRTCSDK-",
    ] {
        let mut rest = text;
        while let Some(at) = rest.find(marker) {
            rest = &rest[at + marker.len()..];
            if let Some(v) = parse_version(rest) {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
    }
    out
}

fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let mut parts = text[..end].split('.').map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// Same-origin `<script src>` URLs of a page.
fn script_urls(page: &Url, body: &str) -> Vec<Url> {
    let mut out = Vec::new();
    let lower = body.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let start = at + found;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &body[start..end];
        if let Some(src_at) = tag.to_ascii_lowercase().find("src=") {
            let value = tag[src_at + 4..].trim_start();
            let quote = value.chars().next();
            let src = match quote {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next(),
                _ => value.split_whitespace().next(),
            };
            if let Some(url) = src.and_then(|s| page.join(s).ok()) {
                if url.origin() == page.origin() && out.len() < MAX_SCRIPTS {
                    out.push(url);
                }
            }
        }
        at = end;
    }
    out
}

async fn sdk_finding(ctx: &ProbeContext, page: &Url, body: &str) -> Finding {
    let mut versions = sdk_versions(body);
    let mut looked_in = 1;
    if versions.is_empty() {
        if let Ok(client) = client(ctx, page, true) {
            for script in script_urls(page, body) {
                looked_in += 1;
                if let Ok(response) = client.get(script).send().await {
                    versions.extend(sdk_versions(&read_bounded(response).await.0));
                }
                if !versions.is_empty() {
                    break;
                }
            }
        }
    }
    let (cm, cn, cp) = CURRENT_WEB_SDK;
    match versions.first() {
        None => Finding::new(
            "probe.page.ok",
            Status::Pass,
            "no Agora Web SDK version found in the page or its same-origin scripts",
        )
        .with_evidence(format!("looked in {}; a bundler may have renamed the SDK", count(looked_in as u64, "document"))),
        Some(&(major, minor, patch)) if (major, minor) < (cm, cn) => Finding::new(
            "probe.page.sdk_outdated",
            Status::Warn,
            format!("the page loads Agora Web SDK {major}.{minor}.{patch}; the current one is {cm}.{cn}.{cp}"),
        )
        .with_fix(format!("update agora-rtc-sdk-ng to {cm}.{cn}.{cp} (`npm install agora-rtc-sdk-ng@latest`); old versions miss fixes and use older endpoints")),
        Some(&(major, minor, patch)) => Finding::new(
            "probe.page.ok",
            Status::Pass,
            format!("the page loads Agora Web SDK {major}.{minor}.{patch} (current: {cm}.{cn}.{cp})"),
        ),
    }
}
