//! The HTTPS side of the simulated edge: TLS over loopback, HTTP/1.1 with keep-alive, a `Date` header
//! from a clock that may be wrong on purpose, and the access-point request.

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE, DATE, SERVER};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

use super::access_point::{ApAnswer, ApRequest};
use super::slow::TrickleIo;
use super::{Background, Fault, SimError, SimProject};

/// How long the server waits for a client's TLS handshake before dropping it.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the simulated edge serves a demo Web SDK page (a double of a well-configured app page).
pub const DEMO_PAGE_PATH: &str = "/demo/";
/// The demo page's CSP: what Agora's firewall page and the Web SDK 4.24.8 need.
const DEMO_PAGE_CSP: &str = "default-src 'self'; script-src 'self' https://download.agora.io; connect-src 'self' https://*.agora.io https://*.sd-rtn.com wss://*.agora.io:* wss://*.sd-rtn.com:*";
/// The demo page: loads the current Web SDK from Agora's CDN (never fetched by the probe, only read).
const DEMO_PAGE: &str = "<!doctype html>\n<meta charset=\"utf-8\">\n<title>agora-doctor demo page ({label})</title>\n<p>Demo Web SDK page served by the {label}.</p>\n<script src=\"https://download.agora.io/sdk/release/AgoraRTC_N-4.24.8.js\"></script>\n";

/// The `Server` header: every answer says it comes from a double.
pub const SERVER_HEADER: &str = "agora-sim (simulated Agora edge, a test double)";

/// Something that answers one HTTP request (body already read) synchronously.
pub trait HttpHandler: Send + Sync + 'static {
    /// Build the response for one request.
    fn handle(&self, method: &Method, uri: &hyper::Uri, body: &[u8]) -> Response<Full<Bytes>>;
}

impl<F> HttpHandler for F
where
    F: Fn(&Method, &hyper::Uri, &[u8]) -> Response<Full<Bytes>> + Send + Sync + 'static,
{
    fn handle(&self, method: &Method, uri: &hyper::Uri, body: &[u8]) -> Response<Full<Bytes>> {
        self(method, uri, body)
    }
}

/// Serve `handler` over plain HTTP/1.1 on `listener` (already bound) until `runtime` is dropped.
pub fn serve_http(
    runtime: &Background,
    listener: TcpListener,
    fault: Fault,
    handler: Arc<dyn HttpHandler>,
) -> Result<(), SimError> {
    listener.set_nonblocking(true)?;
    let _guard = runtime.handle().enter();
    let listener = tokio::net::TcpListener::from_std(listener)?;
    runtime.spawn(async move {
        loop {
            let Ok((stream, _peer)) = listener.accept().await else {
                continue;
            };
            let handler = handler.clone();
            tokio::spawn(async move {
                match fault {
                    Fault::Stall => {
                        let _held = stream;
                        std::future::pending::<()>().await
                    }
                    Fault::Trickle => {
                        serve_connection(TrickleIo::new(stream), handler, fault).await
                    }
                    _ => serve_connection(stream, handler, fault).await,
                }
            });
        }
    });
    Ok(())
}

/// Serve HTTP/1.1 on one accepted connection until the client closes it.
async fn serve_connection<I>(io: I, handler: Arc<dyn HttpHandler>, fault: Fault)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), service(handler, fault))
        .await;
}

/// The hyper service around a handler (reads the body, applies a delay fault, answers).
fn service(
    handler: Arc<dyn HttpHandler>,
    fault: Fault,
) -> impl hyper::service::Service<
    Request<Incoming>,
    Response = Response<Full<Bytes>>,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<Response<Full<Bytes>>, std::convert::Infallible>> + Send,
> + Clone {
    hyper::service::service_fn(move |req: Request<Incoming>| {
        let handler = handler.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = body
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            if let Fault::Delay(delay) = fault {
                tokio::time::sleep(delay).await;
            }
            Ok::<_, std::convert::Infallible>(handler.handle(&parts.method, &parts.uri, &body))
        }
    })
}

/// Serve `handler` over TLS on `listener` (already bound) until `runtime` is dropped.
pub fn serve_https(
    runtime: &Background,
    listener: TcpListener,
    config: Arc<ServerConfig>,
    fault: Fault,
    handler: Arc<dyn HttpHandler>,
) -> Result<(), SimError> {
    listener.set_nonblocking(true)?;
    let acceptor = TlsAcceptor::from(config);
    let _guard = runtime.handle().enter();
    let listener = tokio::net::TcpListener::from_std(listener)?;
    runtime.spawn(async move {
        loop {
            let Ok((stream, _peer)) = listener.accept().await else {
                continue;
            };
            let acceptor = acceptor.clone();
            let handler = handler.clone();
            tokio::spawn(async move {
                if fault == Fault::Stall {
                    // Hold the connection open and say nothing until the edge stops.
                    let _held = stream;
                    return std::future::pending::<()>().await;
                }
                if fault == Fault::Trickle {
                    // No handshake deadline: the client's own deadline is what is under test.
                    if let Ok(tls) = acceptor.accept(TrickleIo::new(stream)).await {
                        serve_connection(tls, handler, fault).await;
                    }
                    return;
                }
                let Ok(Ok(tls)) =
                    tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                else {
                    return;
                };
                serve_connection(tls, handler, fault).await;
            });
        }
    });
    Ok(())
}

/// The simulated edge's HTTP routes.
pub struct EdgeService {
    project: SimProject,
    clock_offset_ms: i64,
    udp_addr: SocketAddr,
}

impl EdgeService {
    /// Routes for `project`, with the clock offset a [`Fault::WrongClock`] asks for.
    pub fn new(project: SimProject, fault: Fault, udp_addr: SocketAddr) -> Self {
        let clock_offset_ms = match fault {
            Fault::WrongClock { offset_ms } => offset_ms,
            _ => 0,
        };
        EdgeService {
            project,
            clock_offset_ms,
            udp_addr,
        }
    }

    /// The simulated server's clock: this machine's, moved by the configured offset.
    fn now(&self) -> SystemTime {
        let real = agora_clock::now();
        let offset = Duration::from_millis(self.clock_offset_ms.unsigned_abs());
        if self.clock_offset_ms >= 0 {
            real + offset
        } else {
            real - offset
        }
    }
}

impl HttpHandler for EdgeService {
    fn handle(&self, method: &Method, uri: &hyper::Uri, body: &[u8]) -> Response<Full<Bytes>> {
        let now = self.now();
        let (status, content_type, text) = match (method, uri.path()) {
            (&Method::GET | &Method::POST, "/ap/v1/choose") => {
                let answer = match ApRequest::parse(uri.query().unwrap_or(""), body) {
                    Ok(request) => {
                        let unix = now
                            .duration_since(SystemTime::UNIX_EPOCH)
                            .map_or(0, |d| d.as_secs());
                        request.answer(&self.project, unix, self.udp_addr)
                    }
                    Err(missing) => ApAnswer::bad_request(missing),
                };
                (StatusCode::OK, "application/json", answer.to_json())
            }
            (&Method::GET | &Method::HEAD, DEMO_PAGE_PATH) => (
                StatusCode::OK,
                "text/html; charset=utf-8",
                DEMO_PAGE.replace("{label}", crate::SIMULATED_LABEL),
            ),
            (&Method::GET | &Method::HEAD, _) => (
                StatusCode::OK,
                "text/plain; charset=utf-8",
                format!("{}\n", crate::SIMULATED_LABEL),
            ),
            _ => (
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain; charset=utf-8",
                "method not allowed\n".to_string(),
            ),
        };
        let mut response = Response::new(Full::new(Bytes::from(text)));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(now)) {
            headers.insert(DATE, date);
        }
        headers.insert(SERVER, HeaderValue::from_static(SERVER_HEADER));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert("x-agora-sim", HeaderValue::from_static("simulated"));
        if uri.path() == DEMO_PAGE_PATH {
            headers.insert(
                "content-security-policy",
                HeaderValue::from_static(DEMO_PAGE_CSP),
            );
            headers.insert(
                "permissions-policy",
                HeaderValue::from_static("microphone=(self)"),
            );
        }
        response
    }
}
