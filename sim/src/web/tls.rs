//! The simulated Web edge's TLS: a self-signed certificate made at start for the loopback names.

use std::sync::Arc;

use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

use super::WebEdgeError;

/// Names the certificate covers: the loopback names a browser may use for the edge.
const NAMES: &[&str] = &["localhost", "127.0.0.1", "edge.localhost"];

/// A TLS acceptor with a fresh self-signed certificate (never written to disk).
pub(crate) fn acceptor() -> Result<TlsAcceptor, WebEdgeError> {
    let certified =
        rcgen::generate_simple_self_signed(NAMES.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .map_err(|e| WebEdgeError::Certificate(e.to_string()))?;
    let cert = CertificateDer::from(certified.cert.der().to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| WebEdgeError::Certificate(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| WebEdgeError::Certificate(e.to_string()))?;
    // Only HTTP/1.1: the WebSocket upgrade the gateway needs lives there.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
