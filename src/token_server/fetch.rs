//! The network side of `token-server`: a GET as the app's page sends it and the CORS preflight,
//! each bounded by the timeout (connect, TLS and the whole answer).

use std::time::{Duration, Instant};

use reqwest::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_TYPE, ORIGIN};

/// Answer bodies larger than this are cut: a token answer is a few hundred bytes.
const MAX_BODY: usize = 64 * 1024;

/// What came back from one request.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// `Access-Control-Allow-Origin`.
    pub allow_origin: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// The body (at most [`MAX_BODY`] bytes, lossily UTF-8).
    pub body: String,
    /// Time to the whole answer.
    pub latency_ms: u64,
}

/// A client with every network operation bounded by `timeout`; no proxy from the environment.
pub fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(timeout)
        .timeout(timeout)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("agora-doctor/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())
}

fn header(r: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `GET url` with the page's `Origin`, as `fetch()` in the app sends it.
pub async fn get(client: &reqwest::Client, url: &str, origin: &str) -> Result<Answer, String> {
    let start = Instant::now();
    let r = client
        .get(url)
        .header(ORIGIN, origin)
        .send()
        .await
        .map_err(describe)?;
    let status = r.status().as_u16();
    let allow_origin = header(&r, ACCESS_CONTROL_ALLOW_ORIGIN);
    let content_type = header(&r, CONTENT_TYPE);
    let bytes = r.bytes().await.map_err(describe)?;
    let body = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_BODY)]).into_owned();
    Ok(Answer {
        status,
        allow_origin,
        content_type,
        body,
        latency_ms: start.elapsed().as_millis() as u64,
    })
}

/// The preflight a browser sends before a GET with an `Authorization` header.
pub async fn preflight(
    client: &reqwest::Client,
    url: &str,
    origin: &str,
) -> Result<Answer, String> {
    let start = Instant::now();
    let r = client
        .request(reqwest::Method::OPTIONS, url)
        .header(ORIGIN, origin)
        .header("Access-Control-Request-Method", "GET")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type",
        )
        .send()
        .await
        .map_err(describe)?;
    Ok(Answer {
        status: r.status().as_u16(),
        allow_origin: header(&r, ACCESS_CONTROL_ALLOW_ORIGIN),
        content_type: header(&r, CONTENT_TYPE),
        body: String::new(),
        latency_ms: start.elapsed().as_millis() as u64,
    })
}

/// reqwest's error with its causes, in one line.
fn describe(e: reqwest::Error) -> String {
    let mut s = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(c) = source {
        s.push_str(&format!(": {c}"));
        source = c.source();
    }
    // webpki's certificate errors arrive as bare names (`Other(OtherError(CaUsedAsEndEntity))`).
    if let Some(plain) = crate::probe::http_steps::plain_certificate_reason(&s) {
        s.push_str(&format!(" — {plain}"));
    }
    s
}
