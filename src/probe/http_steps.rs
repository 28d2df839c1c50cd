//! Network steps shared by the network and clock checks: resolve, connect, TLS, one HTTP request,
//! each under its own timeout and each failing with a typed reason a finding can name.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::Empty;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use rustls::{CertificateError, ClientConfig, RootCertStore};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use super::profile::Endpoint;

/// Why one step failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// The resolver said the name does not exist or failed.
    #[error("DNS lookup of {host} failed: {reason}")]
    Dns {
        /// The name.
        host: String,
        /// The resolver's words.
        reason: String,
    },
    /// The resolver answered with unroutable addresses (an ad-blocking DNS "sinkhole").
    #[error("DNS for {host} answered {addrs} (a DNS filter blocks it)")]
    DnsSinkhole {
        /// The name.
        host: String,
        /// The answer.
        addrs: String,
    },
    /// No answer in time.
    #[error("DNS lookup of {host} got no answer within {ms} ms")]
    DnsTimeout {
        /// The name.
        host: String,
        /// The limit.
        ms: u128,
    },
    /// Connection refused (nothing listens, or a firewall rejects).
    #[error("TCP connection to {addr} refused")]
    TcpRefused {
        /// Where.
        addr: String,
    },
    /// No SYN-ACK in time (a firewall drops the packets).
    #[error("TCP connection to {addr} got no answer within {ms} ms")]
    TcpTimeout {
        /// Where.
        addr: String,
        /// The limit.
        ms: u128,
    },
    /// Another connect error.
    #[error("TCP connection to {addr} failed: {reason}")]
    Tcp {
        /// Where.
        addr: String,
        /// The OS's words.
        reason: String,
    },
    /// The TLS handshake failed (certificate problems included).
    #[error("TLS handshake with {host} failed: {reason}")]
    Tls {
        /// SNI name.
        host: String,
        /// A readable reason (e.g. "certificate issuer not trusted (UnknownIssuer)").
        reason: String,
        /// True when the failure is only about time (expired / not yet valid): a wrong clock.
        time_related: bool,
        /// True when the issuer is not trusted (a TLS-intercepting proxy or a wrong server).
        untrusted: bool,
    },
    /// The TLS handshake did not finish in time.
    #[error("TLS handshake with {host} did not finish within {ms} ms")]
    TlsTimeout {
        /// SNI name.
        host: String,
        /// The limit.
        ms: u128,
    },
    /// No HTTP response in time.
    #[error("no HTTP response from {host} within {ms} ms")]
    HttpTimeout {
        /// Host.
        host: String,
        /// The limit.
        ms: u128,
    },
    /// HTTP failed.
    #[error("HTTP request to {host} failed: {reason}")]
    Http {
        /// Host.
        host: String,
        /// hyper's words.
        reason: String,
    },
}

/// A client TLS config trusting `roots` (ring provider, HTTP/1.1 ALPN).
pub fn client_config(roots: &Arc<RootCertStore>) -> Arc<ClientConfig> {
    let builder =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions();
    let mut config = match builder {
        Ok(b) => b
            .with_root_certificates(roots.clone())
            .with_no_client_auth(),
        // The ring provider supports the default versions; this branch cannot be taken.
        Err(_) => ClientConfig::builder()
            .with_root_certificates(roots.clone())
            .with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

/// Resolve `endpoint` within `limit`; unroutable answers (0.0.0.0, ::) are a sinkhole.
pub async fn resolve(endpoint: &Endpoint, limit: Duration) -> Result<Vec<SocketAddr>, StepError> {
    let host = endpoint.host.clone();
    let lookup = tokio::net::lookup_host((endpoint.host.as_str(), endpoint.port));
    let addrs: Vec<SocketAddr> = match tokio::time::timeout(limit, lookup).await {
        Err(_) => {
            return Err(StepError::DnsTimeout {
                host,
                ms: limit.as_millis(),
            })
        }
        Ok(Err(e)) => {
            return Err(StepError::Dns {
                host,
                reason: e.to_string(),
            })
        }
        Ok(Ok(addrs)) => addrs.collect(),
    };
    if addrs.is_empty() {
        return Err(StepError::Dns {
            host,
            reason: "no addresses".to_string(),
        });
    }
    if addrs.iter().all(|a| a.ip().is_unspecified()) {
        let list: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
        return Err(StepError::DnsSinkhole {
            host,
            addrs: list.join(", "),
        });
    }
    Ok(addrs)
}

/// Connect to the first address that answers, each attempt within `limit`.
pub async fn connect(
    addrs: &[SocketAddr],
    limit: Duration,
) -> Result<(TcpStream, SocketAddr), StepError> {
    let mut last = None;
    for addr in addrs {
        match tokio::time::timeout(limit, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                return Ok((stream, *addr));
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = Some(StepError::TcpRefused {
                    addr: addr.to_string(),
                })
            }
            Ok(Err(e)) => {
                last = Some(StepError::Tcp {
                    addr: addr.to_string(),
                    reason: e.to_string(),
                })
            }
            Err(_) => {
                last = Some(StepError::TcpTimeout {
                    addr: addr.to_string(),
                    ms: limit.as_millis(),
                })
            }
        }
    }
    Err(last.unwrap_or(StepError::Tcp {
        addr: "(none)".to_string(),
        reason: "no address to connect to".to_string(),
    }))
}

/// TLS handshake over `stream` with SNI `host`, within `limit`.
pub async fn tls(
    stream: TcpStream,
    host: &str,
    config: Arc<ClientConfig>,
    limit: Duration,
) -> Result<TlsStream<TcpStream>, StepError> {
    let name = match host.parse::<IpAddr>() {
        Ok(ip) => ServerName::IpAddress(ip.into()),
        Err(_) => ServerName::try_from(host.to_string()).map_err(|e| StepError::Tls {
            host: host.to_string(),
            reason: format!("not a valid server name: {e}"),
            time_related: false,
            untrusted: false,
        })?,
    };
    let connector = TlsConnector::from(config);
    match tokio::time::timeout(limit, connector.connect(name, stream)).await {
        Err(_) => Err(StepError::TlsTimeout {
            host: host.to_string(),
            ms: limit.as_millis(),
        }),
        Ok(Ok(tls)) => Ok(tls),
        Ok(Err(e)) => Err(describe_tls_error(host, &e)),
    }
}

/// Certificate errors of webpki that rustls passes on only by name (as `Other(…)`), in plain
/// words, each with its name kept at the end for a search.
const CERTIFICATE_REASONS: &[(&str, &str)] = &[
    (
        "CaUsedAsEndEntity",
        "the server presented a CA certificate (one made to sign other certificates) as its own; a server needs a certificate of its own, for its name, signed by that CA (CaUsedAsEndEntity)",
    ),
    (
        "EndEntityUsedAsCa",
        "the certificate chain has a server certificate where a CA belongs: the server's certificate was signed by another server's certificate, not by a CA (EndEntityUsedAsCa)",
    ),
    (
        "RequiredEkuNotFound",
        "the server's certificate is not made for TLS servers: its extended key usage lacks serverAuth (RequiredEkuNotFound)",
    ),
    (
        "PathLenConstraintViolated",
        "the certificate chain is longer than one of its CAs allows (PathLenConstraintViolated)",
    ),
    (
        "NameConstraintViolation",
        "a CA in the chain may not sign certificates for this name (NameConstraintViolation)",
    ),
    (
        "UnsupportedCertVersion",
        "the server's certificate is not an X.509 v3 certificate (UnsupportedCertVersion)",
    ),
];

/// A certificate error's plain-language reason, when `raw` (a rustls or reqwest message, or a
/// debug rendering) names one of [`CERTIFICATE_REASONS`].
pub fn plain_certificate_reason(raw: &str) -> Option<&'static str> {
    CERTIFICATE_REASONS
        .iter()
        .find(|(name, _)| raw.contains(name))
        .map(|(_, plain)| *plain)
}

/// Turn a handshake error into a reason a developer can act on.
fn describe_tls_error(host: &str, e: &std::io::Error) -> StepError {
    let rustls_error = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let (reason, time_related, untrusted) = match rustls_error {
        Some(rustls::Error::InvalidCertificate(cert)) => match cert {
            CertificateError::UnknownIssuer => (
                "certificate issuer not trusted (UnknownIssuer): the server, or a proxy between, presented a certificate no public CA signed".to_string(),
                false,
                true,
            ),
            CertificateError::BadSignature => (
                "certificate signature invalid (BadSignature)".to_string(),
                false,
                true,
            ),
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => (
                "certificate expired for this machine's clock (Expired)".to_string(),
                true,
                false,
            ),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => (
                "certificate not yet valid for this machine's clock (NotValidYet)".to_string(),
                true,
                false,
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => (
                format!("certificate is not valid for {host} (NotValidForName)"),
                false,
                true,
            ),
            other => {
                let raw = format!("{other:?}");
                let reason = match plain_certificate_reason(&raw) {
                    Some(plain) => plain.to_string(),
                    None => format!("certificate rejected ({raw})"),
                };
                (reason, false, true)
            }
        },
        Some(other) => (other.to_string(), false, false),
        None => (e.to_string(), false, false),
    };
    StepError::Tls {
        host: host.to_string(),
        reason,
        time_related,
        untrusted,
    }
}

/// An HTTP/1.1 connection over TLS.
pub struct HttpConn {
    sender: SendRequest<Empty<Bytes>>,
    host: String,
}

impl HttpConn {
    /// Start HTTP/1.1 on an established TLS stream.
    pub async fn start(
        tls: TlsStream<TcpStream>,
        host: &str,
        limit: Duration,
    ) -> Result<Self, StepError> {
        let handshake = hyper::client::conn::http1::handshake(TokioIo::new(tls));
        let (sender, connection) = match tokio::time::timeout(limit, handshake).await {
            Err(_) => {
                return Err(StepError::HttpTimeout {
                    host: host.to_string(),
                    ms: limit.as_millis(),
                })
            }
            Ok(Err(e)) => {
                return Err(StepError::Http {
                    host: host.to_string(),
                    reason: e.to_string(),
                })
            }
            Ok(Ok(pair)) => pair,
        };
        // The connection task ends when the sender is dropped or the peer closes.
        tokio::spawn(connection);
        Ok(HttpConn {
            sender,
            host: host.to_string(),
        })
    }

    /// Start HTTP/1.1 on a plain TCP connection (only to read the time when TLS cannot work).
    pub async fn start_plain(
        tcp: TcpStream,
        host: &str,
        limit: Duration,
    ) -> Result<Self, StepError> {
        let handshake = hyper::client::conn::http1::handshake(TokioIo::new(tcp));
        match tokio::time::timeout(limit, handshake).await {
            Err(_) => Err(StepError::HttpTimeout {
                host: host.to_string(),
                ms: limit.as_millis(),
            }),
            Ok(Err(e)) => Err(StepError::Http {
                host: host.to_string(),
                reason: e.to_string(),
            }),
            Ok(Ok((sender, connection))) => {
                tokio::spawn(connection);
                Ok(HttpConn {
                    sender,
                    host: host.to_string(),
                })
            }
        }
    }

    /// Send `HEAD path` and return the status and the `Date` header (if any), within `limit`.
    pub async fn head(
        &mut self,
        path: &str,
        limit: Duration,
    ) -> Result<(u16, Option<SystemTime>), StepError> {
        let request = hyper::Request::head(path)
            .header(hyper::header::HOST, self.host.as_str())
            .header(hyper::header::CACHE_CONTROL, "no-cache")
            .header(
                hyper::header::USER_AGENT,
                concat!("agora-doctor/", env!("CARGO_PKG_VERSION")),
            )
            .body(Empty::<Bytes>::new())
            .map_err(|e| StepError::Http {
                host: self.host.clone(),
                reason: e.to_string(),
            })?;
        let sent = async {
            self.sender.ready().await?;
            self.sender.send_request(request).await
        };
        match tokio::time::timeout(limit, sent).await {
            Err(_) => Err(StepError::HttpTimeout {
                host: self.host.clone(),
                ms: limit.as_millis(),
            }),
            Ok(Err(e)) => Err(StepError::Http {
                host: self.host.clone(),
                reason: e.to_string(),
            }),
            Ok(Ok(response)) => {
                // A cached answer (with `Age`) carries an old Date; treat it as having none.
                let date = if response.headers().contains_key(hyper::header::AGE) {
                    None
                } else {
                    response
                        .headers()
                        .get(hyper::header::DATE)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| httpdate::parse_http_date(v).ok())
                };
                Ok((response.status().as_u16(), date))
            }
        }
    }
}

/// Resolve, connect and shake hands: the whole path to an HTTP/1.1 connection, with step timings.
pub async fn open(
    endpoint: &Endpoint,
    config: Arc<ClientConfig>,
    timeouts: &super::profile::Timeouts,
) -> Result<(HttpConn, StepTimes), StepError> {
    let mut times = StepTimes::default();
    let t = std::time::Instant::now();
    let addrs = resolve(endpoint, timeouts.dns).await?;
    times.dns = t.elapsed();
    let t = std::time::Instant::now();
    let (stream, addr) = connect(&addrs, timeouts.connect).await?;
    times.tcp = t.elapsed();
    times.addr = Some(addr);
    let t = std::time::Instant::now();
    let tls = tls(stream, &endpoint.host, config, timeouts.tls).await?;
    times.tls = t.elapsed();
    let conn = HttpConn::start(tls, &endpoint.host, timeouts.http).await?;
    Ok((conn, times))
}

/// Resolve and connect, then plain HTTP/1.1 (no TLS).
pub async fn open_plain(
    endpoint: &Endpoint,
    timeouts: &super::profile::Timeouts,
) -> Result<HttpConn, StepError> {
    let addrs = resolve(endpoint, timeouts.dns).await?;
    let (stream, _) = connect(&addrs, timeouts.connect).await?;
    HttpConn::start_plain(stream, &endpoint.host, timeouts.http).await
}

/// How long each step took.
#[derive(Debug, Clone, Copy, Default)]
pub struct StepTimes {
    /// Resolution.
    pub dns: Duration,
    /// TCP connect.
    pub tcp: Duration,
    /// TLS handshake.
    pub tls: Duration,
    /// First HTTP round trip.
    pub http: Duration,
    /// The address connected to.
    pub addr: Option<SocketAddr>,
}
