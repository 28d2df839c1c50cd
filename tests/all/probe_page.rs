//! The page check against real HTTP(S) servers on loopback (certificates made in the test) that send
//! the offending headers: a microphone-forbidding Permissions-Policy, a CSP without Agora's hosts, an
//! untrusted certificate, an old Web SDK, a redirect to https.

use std::net::TcpListener;
use std::sync::Arc;

use agora_doctor::inputs::Inputs;
use agora_doctor::probe::page::{csp_allows, redirect_finding, sdk_versions};
use agora_doctor::probe::{run_checks, spec, CheckReport, ProbeContext, Profile};
use agora_doctor::vocabulary::Status;
use agora_sim::edge::{serve_http, serve_https, Background, Fault, HttpHandler, SimTls};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Response, Uri};

/// One page server: `headers` on `/`, `body` as the page, `/app.js` as a script.
struct Site {
    _runtime: Background,
    tls: SimTls,
    https_port: u16,
    http_port: u16,
}

fn page_handler(
    headers: Vec<(&'static str, String)>,
    body: String,
    script: String,
) -> Arc<dyn HttpHandler> {
    Arc::new(move |_: &Method, uri: &Uri, _: &[u8]| {
        let text = if uri.path() == "/app.js" {
            script.clone()
        } else {
            body.clone()
        };
        let mut response = Response::new(Full::new(Bytes::from(text)));
        if uri.path() == "/" {
            for (name, value) in &headers {
                response.headers_mut().append(*name, value.parse().unwrap());
            }
        }
        response
    })
}

fn site(headers: Vec<(&'static str, String)>, body: &str, script: &str, bad_cert: bool) -> Site {
    let runtime = Background::start("page-test").unwrap();
    let tls = SimTls::generate().unwrap();
    let https = TcpListener::bind("127.0.0.1:0").unwrap();
    let https_port = https.local_addr().unwrap().port();
    let config = if bad_cert {
        tls.bad_server_config()
    } else {
        tls.server_config()
    };
    serve_https(
        &runtime,
        https,
        config,
        Fault::None,
        page_handler(headers, body.into(), script.into()),
    )
    .unwrap();
    // Plain http: answers every request with a redirect to the https port.
    let http = TcpListener::bind("127.0.0.1:0").unwrap();
    let http_port = http.local_addr().unwrap().port();
    let target = format!("https://localhost:{https_port}/");
    serve_http(
        &runtime,
        http,
        Fault::None,
        Arc::new(move |_: &Method, _: &Uri, _: &[u8]| {
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = hyper::StatusCode::MOVED_PERMANENTLY;
            r.headers_mut().insert("location", target.parse().unwrap());
            r
        }),
    )
    .unwrap();
    Site {
        _runtime: runtime,
        tls,
        https_port,
        http_port,
    }
}

fn check_page(site: &Site, url: String) -> CheckReport {
    let inputs = Inputs {
        url: Some(url),
        ..Inputs::default()
    };
    let ctx = ProbeContext::new(
        inputs,
        Profile::simulated("page test".into(), 1, 1),
        vec![site.tls.ca_der()],
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime
        .block_on(run_checks(Arc::new(ctx), &[*spec("page").unwrap()], None))
        .remove(0)
}

const PAGE: &str = "<!doctype html><title>demo</title><script src=\"/app.js\"></script>";

#[test]
fn permissions_policy_forbidding_the_microphone_fails() {
    let site = site(
        vec![("permissions-policy", "camera=(), microphone=()".into())],
        PAGE,
        "",
        false,
    );
    let report = check_page(&site, format!("https://localhost:{}/", site.https_port));
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert_eq!(report.key, "probe.page.microphone_blocked");
    assert!(report.evidence.iter().any(|e| e.contains("microphone=()")));
}

#[test]
fn csp_without_agora_hosts_fails_and_names_what_is_blocked() {
    let site = site(
        vec![(
            "content-security-policy",
            "default-src 'self'; connect-src 'self' https://api.example.com".into(),
        )],
        PAGE,
        "",
        false,
    );
    let report = check_page(&site, format!("https://localhost:{}/", site.https_port));
    assert_eq!(report.key, "probe.page.csp_blocks_agora", "{report:?}");
    let evidence = report.evidence.join("\n");
    assert!(
        evidence.contains("wss://1-2-3-4.edge.agora.io"),
        "{evidence}"
    );
    assert!(evidence.contains("webrtc2-ap-web-1.agora.io"), "{evidence}");
}

#[test]
fn csp_allowing_the_gateway_only_on_443_warns_about_the_fallback_delay() {
    let csp =
        "connect-src https://*.agora.io https://*.sd-rtn.com wss://*.agora.io wss://*.sd-rtn.com";
    let site = site(
        vec![("content-security-policy", csp.into())],
        PAGE,
        "",
        false,
    );
    let report = check_page(&site, format!("https://localhost:{}/", site.https_port));
    assert_eq!(report.status, Status::Warn, "{report:?}");
    assert_eq!(report.key, "probe.page.csp_gateway_port");
    assert!(report.fix.unwrap().contains(":*"));
}

#[test]
fn csp_in_a_meta_tag_counts_too() {
    let body = "<meta http-equiv=\"Content-Security-Policy\" content=\"connect-src 'self' https://*.agora.io\">";
    let site = site(vec![], body, "", false);
    let report = check_page(&site, format!("https://localhost:{}/", site.https_port));
    assert_eq!(report.key, "probe.page.csp_blocks_agora", "{report:?}");
    assert!(report.evidence.iter().any(|e| e.contains("<meta>")));
}

#[test]
fn csp_allowing_agora_and_a_current_sdk_pass() {
    let csp = "default-src 'self'; connect-src 'self' https://*.agora.io https://*.sd-rtn.com wss://*.agora.io:* wss://*.sd-rtn.com:*";
    let site = site(
        vec![
            ("content-security-policy", csp.into()),
            ("permissions-policy", "microphone=(self)".into()),
        ],
        PAGE,
        "/* bundle */ var v=\"AgoraRTC_N-4.24.8\";",
        false,
    );
    let report = check_page(&site, format!("https://localhost:{}/", site.https_port));
    assert_eq!(report.status, Status::Pass, "{report:?}");
    let summaries: Vec<&str> = report.findings.iter().map(|f| f.summary.as_str()).collect();
    assert!(
        summaries.iter().any(|s| s.contains("4.24.8")),
        "{summaries:?}"
    );
    assert!(
        summaries.iter().any(|s| s.contains("TLS certificate")),
        "{summaries:?}"
    );
}

#[test]
fn an_old_sdk_from_the_cdn_warns() {
    let body =
        "<script src=\"https://download.agora.io/sdk/release/AgoraRTC_N-4.18.2.js\"></script>";
    let site = site(vec![], body, "", false);
    let report = check_page(&site, format!("https://localhost:{}/", site.https_port));
    assert_eq!(report.status, Status::Warn, "{report:?}");
    assert_eq!(report.key, "probe.page.sdk_outdated");
    assert!(report.summary.contains("4.18.2"));
}

#[test]
fn untrusted_certificate_fails_with_the_tls_reason() {
    let site = site(vec![], PAGE, "", true);
    let report = check_page(&site, format!("https://localhost:{}/", site.https_port));
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert_eq!(report.key, "probe.page.tls_invalid");
    let evidence = report.evidence.join(" ");
    assert!(
        evidence.contains("UnknownIssuer") || evidence.contains("certificate"),
        "{evidence}"
    );
}

#[test]
fn http_redirecting_to_https_is_followed_and_reported() {
    let site = site(
        vec![("permissions-policy", "microphone=()".into())],
        PAGE,
        "",
        false,
    );
    let report = check_page(&site, format!("http://localhost:{}/", site.http_port));
    let first = &report.findings[0];
    assert_eq!(first.key, "probe.page.ok");
    assert!(
        first.summary.contains("redirects to https://localhost"),
        "{}",
        first.summary
    );
    // The headers of the https page it lands on are judged.
    assert_eq!(report.key, "probe.page.microphone_blocked");
}

#[test]
fn closed_port_is_unreachable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let site = site(vec![], PAGE, "", false);
    let report = check_page(&site, format!("https://localhost:{port}/"));
    assert_eq!(report.key, "probe.page.unreachable", "{report:?}");
}

#[test]
fn plain_http_off_loopback_without_redirect_warns() {
    let url = url::Url::parse("http://demo.example.com/").unwrap();
    let f = redirect_finding(&url, 200, None);
    assert_eq!(
        (f.key.as_str(), f.status),
        ("probe.page.no_https_redirect", Status::Warn)
    );
    let f = redirect_finding(&url, 301, Some("https://demo.example.com/"));
    assert_eq!(f.key, "probe.page.ok");
    let f = redirect_finding(&url, 301, Some("http://other.example.com/"));
    assert_eq!(f.key, "probe.page.no_https_redirect");
}

#[test]
fn csp_source_matching_follows_csp3() {
    let s = |list: &str| {
        list.split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(csp_allows(&s("*"), "wss://1-2-3-4.edge.agora.io:4701/"));
    assert!(csp_allows(&s("wss:"), "wss://1-2-3-4.edge.agora.io:4701/"));
    assert!(!csp_allows(&s("ws:"), "https://a.agora.io/"));
    assert!(csp_allows(
        &s("https://*.agora.io"),
        "wss://1-2-3-4.edge.agora.io/"
    ));
    // Without a port only the default port matches; `:*` opens them all.
    assert!(!csp_allows(
        &s("wss://*.agora.io"),
        "wss://1-2-3-4.edge.agora.io:4701/"
    ));
    assert!(csp_allows(
        &s("wss://*.agora.io:*"),
        "wss://1-2-3-4.edge.agora.io:4701/"
    ));
    assert!(csp_allows(
        &s("wss://*.agora.io:4701"),
        "wss://1-2-3-4.edge.agora.io:4701/"
    ));
    assert!(!csp_allows(
        &s("'self'"),
        "https://webrtc2-ap-web-1.agora.io/"
    ));
    assert!(!csp_allows(
        &s("*.agora.io"),
        "https://webrtc2-2.ap.sd-rtn.com/"
    ));
    assert!(csp_allows(
        &s("*.agora.io"),
        "https://webrtc2-ap-web-1.agora.io/"
    ));
}

#[test]
fn sdk_versions_are_read_from_urls_and_banners() {
    assert_eq!(
        sdk_versions("https://cdn.jsdelivr.net/npm/agora-rtc-sdk-ng@4.20.1/x.js"),
        vec![(4, 20, 1)]
    );
    assert_eq!(sdk_versions("AgoraRTC_N-4.24.8.js"), vec![(4, 24, 8)]);
    assert!(sdk_versions("no sdk here").is_empty());
}
