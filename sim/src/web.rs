//! The Web SDK's side of the simulated edge (a TEST DOUBLE): the access points of both SDK
//! generations, the WSS gateway 4.3.0 joins through, and a plain page server for the demo page.
//!
//! One [`WebEdge`] listens on two loopback ports: `http_addr` serves files (the demo page and the SDK
//! bundles from `node_modules`) over plain HTTP, so `http://localhost` pages are secure contexts and a
//! made-up host mapped to loopback is not; `tls_addr` serves the same routes over HTTPS with a
//! certificate made at start, which the SDK needs because it builds `https://`/`wss://` URLs itself.
//! Browsers reach it with `--ignore-certificate-errors` (the certificate is self-signed).
//!
//! Besides a folder (`page_root`), the page server can serve [`PageFiles`]: URL paths mapped to bytes
//! held in memory (an installed tool carries its demo page inside its binary) or to one file each
//! (the Web SDK bundle found on this machine, whatever folder it is in).

mod ap;
mod gateway;
mod media;
mod tls;
mod token;

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use ap::{ApCode, ApRequest, SdkGeneration};
pub use media::MediaReceived;

/// What the simulated edge is: the project it pretends to host.
#[derive(Clone)]
pub struct WebEdgeConfig {
    /// The one App ID the edge knows; any other gets `invalid vendor key, can not find appid`.
    pub app_id: String,
    /// The project's app certificate. `Some` = secure mode (a token is required and checked with the
    /// token core); `None` = App-ID-only project (a token is refused with `static use dynamic key`).
    pub app_certificate: Option<String>,
    /// Folder served over plain HTTP (and HTTPS) at `/`: normally `fixtures/web`. `None` serves nothing.
    pub page_root: Option<PathBuf>,
}

impl std::fmt::Debug for WebEdgeConfig {
    // The certificate is a secret even in a double: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebEdgeConfig")
            .field("app_id", &self.app_id)
            .field("secure_mode", &self.app_certificate.is_some())
            .field("page_root", &self.page_root)
            .finish()
    }
}

/// One file the page server serves at a fixed URL path.
#[derive(Debug, Clone)]
pub enum PageFile {
    /// Bytes held in memory (e.g. built into the binary with `include_bytes!`).
    Memory(&'static [u8]),
    /// A file on disk, read on each request.
    Disk(PathBuf),
}

/// URL paths (without the leading `/`, e.g. `index.html`) and what is served there; looked up
/// before `page_root`.
pub type PageFiles = std::collections::HashMap<String, PageFile>;

/// Failures starting the simulated edge.
#[derive(Debug, thiserror::Error)]
pub enum WebEdgeError {
    /// A loopback port could not be bound.
    #[error("could not listen on loopback: {0}; check that 127.0.0.1 is up")]
    Bind(#[source] std::io::Error),
    /// The self-signed certificate could not be made.
    #[error("could not make the simulated edge's TLS certificate: {0}")]
    Certificate(String),
}

/// One access-point request the edge answered, kept so tests can see what the real SDK sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApExchange {
    /// The request as parsed.
    pub request: ApRequest,
    /// The code the edge answered with.
    pub code: ApCode,
}

/// State shared by every connection.
pub(crate) struct Shared {
    pub(crate) config: WebEdgeConfig,
    /// Files served at fixed paths before `config.page_root` is looked at.
    pages: PageFiles,
    /// Port of the TLS listener: the gateway address handed out by the access point.
    pub(crate) tls_port: u16,
    pub(crate) ap_log: Mutex<Vec<ApExchange>>,
    pub(crate) rooms: gateway::Rooms,
    /// What each publisher's media end received, kept after unpublish so callers can read it.
    pub(crate) media: MediaLog,
    /// Next uid to grant a join that asked for uid 0.
    next_uid: AtomicU32,
    /// Flipped on drop; every connection task watches it so nothing outlives the edge.
    pub(crate) shutdown: tokio::sync::watch::Sender<bool>,
}

/// A running simulated Web edge on loopback. Dropping it stops every listener and connection.
pub struct WebEdge {
    http_addr: SocketAddr,
    tls_addr: SocketAddr,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl WebEdge {
    /// Bind two loopback ports and start serving. Must be called inside a tokio runtime; the
    /// servers run on it until the `WebEdge` is dropped.
    pub async fn start(config: WebEdgeConfig) -> Result<WebEdge, WebEdgeError> {
        WebEdge::start_with_pages(config, PageFiles::new()).await
    }

    /// [`WebEdge::start`], also serving `pages` (looked up before `config.page_root`).
    pub async fn start_with_pages(
        config: WebEdgeConfig,
        pages: PageFiles,
    ) -> Result<WebEdge, WebEdgeError> {
        let http = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(WebEdgeError::Bind)?;
        let tls = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(WebEdgeError::Bind)?;
        let http_addr = http.local_addr().map_err(WebEdgeError::Bind)?;
        let tls_addr = tls.local_addr().map_err(WebEdgeError::Bind)?;
        let acceptor = tls::acceptor()?;
        let shared = Arc::new(Shared {
            config,
            pages,
            tls_port: tls_addr.port(),
            ap_log: Mutex::new(Vec::new()),
            rooms: gateway::Rooms::default(),
            media: MediaLog::default(),
            next_uid: AtomicU32::new(FIRST_GRANTED_UID),
            shutdown: tokio::sync::watch::channel(false).0,
        });
        let app = router(shared.clone());
        let plain_app = app.clone();
        let shared_http = shared.clone();
        let shared_tls = shared.clone();
        let plain = tokio::spawn(async move {
            while let Ok((stream, _)) = http.accept().await {
                serve_connection(TokioIo::new(stream), plain_app.clone(), &shared_http);
            }
        });
        let secure = tokio::spawn(async move {
            while let Ok((stream, _)) = tls.accept().await {
                let acceptor = acceptor.clone();
                let app = app.clone();
                let shared = shared_tls.clone();
                tokio::spawn(async move {
                    // A browser that gives up on the handshake is not our problem: drop it.
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                    {
                        serve_connection(TokioIo::new(stream), app, &shared);
                    }
                });
            }
        });
        Ok(WebEdge {
            http_addr,
            tls_addr,
            shared,
            tasks: vec![plain, secure],
        })
    }

    /// The plain-HTTP address serving the page root.
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    /// The HTTPS/WSS address of the access points and the gateway.
    pub fn tls_addr(&self) -> SocketAddr {
        self.tls_addr
    }

    /// `localhost:PORT` of the access point, the form the demo page's `?ap=` and the SDK's
    /// `WEBCS_DOMAIN` take.
    pub fn ap_host_port(&self) -> String {
        format!("localhost:{}", self.tls_addr.port())
    }

    /// Every access-point request answered so far, oldest first.
    pub fn ap_exchanges(&self) -> Vec<ApExchange> {
        self.shared
            .ap_log
            .lock()
            .map(|log| log.clone())
            .unwrap_or_default()
    }

    /// What the gateway's media end received from `uid`'s latest published track (`None`: that uid
    /// never published here). Audio is counted after SRTP decryption, so a count proves DTLS worked.
    pub fn received_audio(&self, uid: u32) -> Option<MediaReceived> {
        self.shared.media.get(uid)
    }

    /// The uids currently joined to `channel` through the gateway.
    pub fn members(&self, channel: &str) -> Vec<u32> {
        self.shared.rooms.members(channel)
    }
}

impl Drop for WebEdge {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        self.shared.shutdown.send_replace(true);
        self.shared.rooms.close_all();
    }
}

/// Counters of every publication, by publisher uid (latest wins).
#[derive(Default)]
pub(crate) struct MediaLog {
    by_uid: Mutex<std::collections::HashMap<u32, Arc<media::Counters>>>,
}

impl MediaLog {
    pub(crate) fn record(&self, uid: u32, counters: Arc<media::Counters>) {
        if let Ok(mut map) = self.by_uid.lock() {
            map.insert(uid, counters);
        }
    }

    fn get(&self, uid: u32) -> Option<MediaReceived> {
        let map = self.by_uid.lock().ok()?;
        map.get(&uid).map(|c| c.snapshot())
    }
}

/// How long a TLS handshake may take before the connection is dropped.
const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// First uid granted to joins that let the edge choose (uid 0); real Agora picks large numbers too.
const FIRST_GRANTED_UID: u32 = 100_001;

fn serve_connection<I>(io: TokioIo<I>, app: Router, shared: &Shared)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut shutdown = shared.shutdown.subscribe();
    tokio::spawn(async move {
        let service = TowerToHyperService::new(app);
        let connection = hyper::server::conn::http1::Builder::new()
            .serve_connection(io, service)
            .with_upgrades();
        // Errors here are a browser closing its socket; nothing to report.
        tokio::select! {
            _ = connection => {}
            _ = shutdown.changed() => {}
        }
    });
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        // 4.3.0 (and 4.0–4.6): JSON body, custom headers, so a cross-origin page sends a preflight.
        .route("/api/v1", post(ap_v1).options(preflight))
        // 4.7+ (4.24.x): multipart form with one `request` field.
        .route("/api/v2/transpond/webrtc", post(ap_v2).options(preflight))
        .fallback(fallback)
        .layer(axum::middleware::map_response(cors))
        .with_state(shared)
}

async fn cors(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST, GET, OPTIONS"),
    );
    response
}

async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
}

async fn ap_v1(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    match ap::ApRequest::parse_v1(&body) {
        Ok(request) => answer(&shared, request),
        Err(why) => (StatusCode::BAD_REQUEST, why).into_response(),
    }
}

async fn ap_v2(State(shared): State<Arc<Shared>>, mut form: Multipart) -> Response {
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("request") {
            let Ok(text) = field.bytes().await else {
                break;
            };
            return match ap::ApRequest::parse_v2(&text) {
                Ok(request) => answer(&shared, request),
                Err(why) => (StatusCode::BAD_REQUEST, why).into_response(),
            };
        }
    }
    (StatusCode::BAD_REQUEST, "no `request` field").into_response()
}

fn answer(shared: &Shared, request: ApRequest) -> Response {
    let now = agora_clock::unix();
    let code = ap::judge(&shared.config, &request, now);
    let uid = if request.uid != 0 {
        request.uid
    } else {
        shared.next_uid.fetch_add(1, Ordering::Relaxed)
    };
    let body = ap::response_body(&request, code, uid, shared.tls_port, now);
    if let Ok(mut log) = shared.ap_log.lock() {
        log.push(ApExchange { request, code });
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}

async fn fallback(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    if let Ok(upgrade) = upgrade {
        return upgrade.on_upgrade(move |socket| gateway::session(shared, socket));
    }
    if method == Method::OPTIONS {
        return StatusCode::NO_CONTENT.into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let relative = page_path(uri.path());
    let path = match shared.pages.get(&relative) {
        Some(PageFile::Memory(bytes)) => {
            return file_response(Path::new(&relative), bytes.to_vec());
        }
        Some(PageFile::Disk(path)) => path.clone(),
        None => {
            let Some(root) = shared.config.page_root.as_deref() else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let Some(path) = file_under(root, uri.path()) else {
                return StatusCode::NOT_FOUND.into_response();
            };
            path
        }
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => file_response(&path, bytes),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn file_response(path: &Path, bytes: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(path)),
        )],
        bytes,
    )
        .into_response()
}

/// A URL path as a relative file path, `index.html` for a folder.
fn page_path(url_path: &str) -> String {
    let relative = url_path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    }
}

/// Map a URL path onto a file under `root`, refusing anything that climbs out of it.
fn file_under(root: &Path, url_path: &str) -> Option<PathBuf> {
    let relative = page_path(url_path);
    let relative = Path::new(&relative);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    Some(root.join(relative))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") | Some("map") => "application/json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_under_refuses_paths_that_climb_out() {
        let root = Path::new("/srv/page");
        assert_eq!(file_under(root, "/"), Some(root.join("index.html")));
        assert_eq!(file_under(root, "/demo.js"), Some(root.join("demo.js")));
        assert_eq!(file_under(root, "/../etc/passwd"), None);
        assert_eq!(file_under(root, "/a/../../b"), None);
    }
}
