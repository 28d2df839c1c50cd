//! Certificates for the simulated edge, made fresh at start: a private CA, a leaf for loopback names
//! signed by it, and an unrelated self-signed leaf for the "bad certificate" fault.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;

use super::SimError;

/// The names the good leaf certificate covers (every way a test may spell loopback).
pub const LOOPBACK_NAMES: &[&str] = &["localhost", "127.0.0.1", "::1", "sim.localhost"];

/// A private CA and two server configurations: one trusted through that CA, one not.
#[derive(Clone)]
pub struct SimTls {
    ca_der: CertificateDer<'static>,
    ca_pem: String,
    good: Arc<ServerConfig>,
    bad: Arc<ServerConfig>,
    expired: Arc<ServerConfig>,
}

impl std::fmt::Debug for SimTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Keys stay out of debug output.
        f.debug_struct("SimTls").finish_non_exhaustive()
    }
}

/// The crypto provider every sim TLS config uses (ring: no C toolchain beyond cc needed).
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl SimTls {
    /// Make a fresh CA and leaf certificates (ECDSA P-256, a few milliseconds).
    pub fn generate() -> Result<Self, SimError> {
        let ca_key = KeyPair::generate()?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(
            DnType::CommonName,
            "agora-sim CA (simulated Agora edge, a test double)",
        );
        let ca = ca_params.self_signed(&ca_key)?;

        let leaf_key = KeyPair::generate()?;
        let names: Vec<String> = LOOPBACK_NAMES.iter().map(|s| s.to_string()).collect();
        let mut leaf_params = CertificateParams::new(names.clone())?;
        leaf_params
            .distinguished_name
            .push(DnType::CommonName, "agora-sim simulated edge");
        let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key)?;
        let good = server_config(
            vec![leaf.der().clone(), ca.der().clone()],
            leaf_key.serialize_der(),
        )?;

        // The "bad certificate" fault: same names, but self-signed by a key nobody trusts, the
        // way a TLS-intercepting proxy's certificate looks to a client without its root.
        let rogue_key = KeyPair::generate()?;
        let mut rogue_params = CertificateParams::new(names)?;
        rogue_params.distinguished_name.push(
            DnType::CommonName,
            "agora-sim untrusted certificate (bad-certificate fault)",
        );
        let rogue = rogue_params.self_signed(&rogue_key)?;
        let bad = server_config(vec![rogue.der().clone()], rogue_key.serialize_der())?;

        // The "expired certificate" fault: issued by the trusted CA, valid only in 2020, so a
        // client sees exactly what a clock years ahead would make it see.
        let old_key = KeyPair::generate()?;
        let mut old_params = CertificateParams::new(
            LOOPBACK_NAMES
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        )?;
        old_params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        old_params.not_after = rcgen::date_time_ymd(2020, 12, 31);
        let old = old_params.signed_by(&old_key, &ca, &ca_key)?;
        let expired = server_config(
            vec![old.der().clone(), ca.der().clone()],
            old_key.serialize_der(),
        )?;

        Ok(SimTls {
            ca_der: ca.der().clone(),
            ca_pem: ca.pem(),
            good,
            bad,
            expired,
        })
    }

    /// The CA certificate (DER) a client must trust to talk to the good server config.
    pub fn ca_der(&self) -> CertificateDer<'static> {
        self.ca_der.clone()
    }

    /// The CA certificate in PEM (for clients such as reqwest or Chromium's NSS db).
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The server config whose chain leads to [`SimTls::ca_der`].
    pub fn server_config(&self) -> Arc<ServerConfig> {
        self.good.clone()
    }

    /// The server config with a certificate from the trusted CA that expired in 2020.
    pub fn expired_server_config(&self) -> Arc<ServerConfig> {
        self.expired.clone()
    }

    /// The server config with an untrusted self-signed certificate.
    pub fn bad_server_config(&self) -> Arc<ServerConfig> {
        self.bad.clone()
    }
}

fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
) -> Result<Arc<ServerConfig>, SimError> {
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_der));
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
