//! The simulated Agora edge for `probe` (a TEST DOUBLE): an HTTPS server with a `Date` header (optionally
//! wrong), the access-point request answered with Agora's gateway reasons, a UDP echo that also answers
//! STUN Binding Requests, and per-test faults. All of it on loopback, started in-process.
//!
//! ```no_run
//! use agora_sim::edge::{Fault, SimEdge};
//! let edge = SimEdge::builder().fault(Fault::Stall).start().unwrap();
//! println!("https on {}, udp on {}", edge.https_addr(), edge.udp_addr());
//! // dropping `edge` stops every server it started
//! ```
//!
//! Other sim modules (`native`, `web`) reuse the parts: [`Background`] (a runtime thread that closes
//! everything on drop), [`SimTls`] (fresh CA + loopback certificate), [`serve_https`] / [`serve_http`]
//! (HTTP/1.1 with TLS or plain, around any [`HttpHandler`], closures included) and [`serve_udp`].

mod access_point;
mod background;
mod http;
mod slow;
mod tls;
mod udp;

use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

pub use access_point::{ApAnswer, ApRequest, GatewayReason};
pub use background::Background;
pub use http::{serve_http, serve_https, EdgeService, HttpHandler, DEMO_PAGE_PATH, SERVER_HEADER};
pub use slow::{Blackhole, TrickleIo, TRICKLE_INTERVAL};
pub use tls::{provider, SimTls, LOOPBACK_NAMES};
pub use udp::serve_udp;

/// The App ID the simulated edge accepts unless told otherwise (32 hex digits, like a real one).
pub const SIM_APP_ID: &str = "5150aa0c51de4d0cb0b1d0ab1e0ed9e0";

/// Something wrong the simulated edge does on purpose, chosen per test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// Behave.
    #[default]
    None,
    /// Answer every HTTP request and datagram only after this long.
    Delay(Duration),
    /// Accept TCP connections and receive datagrams, then never answer (no TLS, no echo).
    Stall,
    /// Nothing listens: the reported ports are closed, so connections are refused.
    Refuse,
    /// Accept and answer, but send one byte a second ([`TRICKLE_INTERVAL`]): the TLS handshake
    /// and every response crawl.
    Trickle,
    /// TCP connections never complete (the accept queue is full, SYNs are dropped) and datagrams
    /// vanish: a firewall that drops rather than refuses.
    Blackhole,
    /// Stamp `Date` headers this many milliseconds away from the real time (positive = ahead).
    WrongClock {
        /// Offset of the simulated server clock from this machine's, in milliseconds.
        offset_ms: i64,
    },
    /// Serve a self-signed certificate no client trusts (like a TLS-intercepting proxy).
    BadCertificate,
    /// Serve a certificate from the trusted CA that expired in 2020 (what a client whose clock is
    /// years ahead sees); the plain-HTTP port still answers.
    ExpiredCertificate,
}

/// Errors starting the simulated edge.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A socket or thread could not be created.
    #[error("simulated edge: could not open a loopback socket or thread: {0}")]
    Io(#[from] std::io::Error),
    /// Certificate generation failed.
    #[error("simulated edge: could not make a certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    /// The TLS configuration was rejected.
    #[error("simulated edge: TLS configuration rejected: {0}")]
    Tls(#[from] rustls::Error),
}

/// How to start a [`SimEdge`].
#[derive(Debug, Clone)]
pub struct SimEdgeBuilder {
    app_id: String,
    app_certificate: String,
    fault: Fault,
}

/// The credentials the simulated edge judges tokens with (its own project, not a real one).
#[derive(Clone, PartialEq, Eq)]
pub struct SimProject {
    /// The App ID it serves.
    pub app_id: String,
    /// The App Certificate tokens must be signed with (a secret: never printed).
    pub app_certificate: String,
}

impl std::fmt::Debug for SimProject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimProject")
            .field("app_id", &self.app_id)
            .field("app_certificate", &"<hidden>")
            .finish()
    }
}

impl Default for SimEdgeBuilder {
    fn default() -> Self {
        SimEdgeBuilder {
            app_id: SIM_APP_ID.to_string(),
            app_certificate: random_certificate(),
            fault: Fault::None,
        }
    }
}

impl SimEdgeBuilder {
    /// Serve this App ID (default [`SIM_APP_ID`]).
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = app_id.into();
        self
    }

    /// Judge tokens with this App Certificate (default: 32 random hex digits).
    pub fn app_certificate(mut self, certificate: impl Into<String>) -> Self {
        self.app_certificate = certificate.into();
        self
    }

    /// Inject a fault.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.fault = fault;
        self
    }

    /// Bind loopback ports and start serving on a background runtime thread.
    pub fn start(self) -> Result<SimEdge, SimError> {
        let tls = SimTls::generate()?;
        let runtime = Background::start("agora-sim-edge")?;
        let project = SimProject {
            app_id: self.app_id,
            app_certificate: self.app_certificate,
        };
        let mut blackholes = Vec::new();
        let (https_addr, http_addr, udp_addr) = if self.fault == Fault::Refuse {
            (closed_tcp_port()?, closed_tcp_port()?, closed_udp_port()?)
        } else if self.fault == Fault::Blackhole {
            blackholes.push(Blackhole::open()?);
            blackholes.push(Blackhole::open()?);
            let udp = UdpSocket::bind("127.0.0.1:0")?;
            let udp_addr = udp.local_addr()?;
            serve_udp(&runtime, udp, self.fault)?;
            (blackholes[0].addr(), blackholes[1].addr(), udp_addr)
        } else {
            let tcp = TcpListener::bind("127.0.0.1:0")?;
            let plain = TcpListener::bind("127.0.0.1:0")?;
            let udp = UdpSocket::bind("127.0.0.1:0")?;
            let addrs = (tcp.local_addr()?, plain.local_addr()?, udp.local_addr()?);
            let config = match self.fault {
                Fault::BadCertificate => tls.bad_server_config(),
                Fault::ExpiredCertificate => tls.expired_server_config(),
                _ => tls.server_config(),
            };
            let service: Arc<dyn HttpHandler> =
                Arc::new(EdgeService::new(project.clone(), self.fault, addrs.2));
            serve_https(&runtime, tcp, config, self.fault, service.clone())?;
            serve_http(&runtime, plain, self.fault, service)?;
            serve_udp(&runtime, udp, self.fault)?;
            addrs
        };
        Ok(SimEdge {
            https_addr,
            http_addr,
            udp_addr,
            tls,
            project,
            fault: self.fault,
            _blackholes: blackholes,
            _runtime: runtime,
        })
    }
}

/// A running simulated edge. Everything it started stops when it is dropped.
#[derive(Debug)]
pub struct SimEdge {
    https_addr: SocketAddr,
    http_addr: SocketAddr,
    udp_addr: SocketAddr,
    tls: SimTls,
    project: SimProject,
    fault: Fault,
    _blackholes: Vec<Blackhole>,
    _runtime: Background,
}

impl SimEdge {
    /// Start configuring one.
    pub fn builder() -> SimEdgeBuilder {
        SimEdgeBuilder::default()
    }

    /// Start one with defaults and no fault.
    pub fn start() -> Result<SimEdge, SimError> {
        SimEdgeBuilder::default().start()
    }

    /// Where the HTTPS server listens (closed when the fault is [`Fault::Refuse`]).
    pub fn https_addr(&self) -> SocketAddr {
        self.https_addr
    }

    /// Where the same routes answer over plain HTTP (Agora's TCP 80; the clock check's fallback).
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    /// Where the UDP echo listens (closed when the fault is [`Fault::Refuse`]).
    pub fn udp_addr(&self) -> SocketAddr {
        self.udp_addr
    }

    /// The URL of the demo Web SDK page the edge serves (a double of a well-configured app page).
    pub fn demo_page_url(&self) -> String {
        format!(
            "https://localhost:{}{}",
            self.https_addr.port(),
            DEMO_PAGE_PATH
        )
    }

    /// The CA certificate (DER) clients must trust.
    pub fn ca_der(&self) -> rustls::pki_types::CertificateDer<'static> {
        self.tls.ca_der()
    }

    /// The CA certificate (PEM) clients must trust.
    pub fn ca_pem(&self) -> &str {
        self.tls.ca_pem()
    }

    /// The project this edge serves (its App ID and App Certificate).
    pub fn project(&self) -> &SimProject {
        &self.project
    }

    /// The fault it was started with.
    pub fn fault(&self) -> Fault {
        self.fault
    }

    /// A one-line description for reports; always says it is simulated.
    pub fn describe(&self) -> String {
        format!(
            "{} — https {} udp {}",
            crate::SIMULATED_LABEL,
            self.https_addr,
            self.udp_addr
        )
    }
}

/// A loopback TCP port nobody listens on (bound, then closed again).
fn closed_tcp_port() -> std::io::Result<SocketAddr> {
    TcpListener::bind("127.0.0.1:0")?.local_addr()
}

/// A loopback UDP port nobody listens on.
fn closed_udp_port() -> std::io::Result<SocketAddr> {
    UdpSocket::bind("127.0.0.1:0")?.local_addr()
}

/// 32 hex digits from the OS's randomness (via the TLS stack's RNG).
fn random_certificate() -> String {
    let mut bytes = [0u8; 16];
    // ring's SystemRandom reads the OS RNG; it only fails when the OS has none.
    if rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut bytes)
        .is_err()
    {
        bytes = *b"agora-sim-static";
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
