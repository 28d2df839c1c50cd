//! Where the App Certificate comes from (environment, file, stdin or, discouraged, an argument).
//! The value never leaves this module except as the verification key; only its source is shown.

use std::io::BufRead;
use std::path::PathBuf;

use serde::Serialize;

use super::TokenError;
use crate::cli::token::CertArgs;

/// The environment variable the certificate is read from when no flag names another source.
pub const CERT_ENV: &str = "AGORA_APP_CERTIFICATE";

/// Where the certificate came from (shown in reports; the value never is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertSource {
    /// No certificate: the signature is not checked.
    None,
    /// `AGORA_APP_CERTIFICATE`.
    Env,
    /// `--cert-file`.
    File,
    /// `--cert-stdin`.
    Stdin,
    /// `--cert` (a plain argument: visible to shell history and process lists).
    Argument,
    /// The built-in sample certificate of `--example`.
    Example,
}

/// A certificate and its source. `Debug` is redacted.
#[derive(Clone)]
pub struct Certificate {
    value: String,
    /// Where it came from.
    pub source: CertSource,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("value", &"[redacted]")
            .field("source", &self.source)
            .finish()
    }
}

impl Certificate {
    /// A certificate that is not read from the user (the `--example` samples).
    pub fn example(value: &str) -> Self {
        Certificate {
            value: value.to_string(),
            source: CertSource::Example,
        }
    }

    /// The certificate text (the HMAC key). Only for verification and building.
    pub fn expose(&self) -> &str {
        &self.value
    }
}

/// Resolve the certificate from the flags, then the environment value given (`env_value`).
/// `stdin` is used only for `--cert-stdin`.
pub fn resolve(
    args: &CertArgs,
    env_value: Option<String>,
    stdin: &mut dyn BufRead,
) -> Result<Option<Certificate>, TokenError> {
    let (raw, source, origin) = if let Some(path) = &args.cert_file {
        let text = std::fs::read_to_string(path).map_err(|e| TokenError::CertFile {
            path: path.clone(),
            reason: e.kind().to_string(),
        })?;
        (first_line(&text), CertSource::File, describe_file(path))
    } else if args.cert_stdin {
        let mut line = String::new();
        stdin
            .read_line(&mut line)
            .map_err(|e| TokenError::CertStdin {
                reason: e.kind().to_string(),
            })?;
        (first_line(&line), CertSource::Stdin, "stdin".to_string())
    } else if let Some(value) = &args.cert {
        (
            value.trim().to_string(),
            CertSource::Argument,
            "--cert".to_string(),
        )
    } else if let Some(value) = env_value.filter(|v| !v.trim().is_empty()) {
        (
            value.trim().to_string(),
            CertSource::Env,
            CERT_ENV.to_string(),
        )
    } else {
        return Ok(None);
    };
    if raw.len() != 32 || !raw.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(TokenError::CertShape {
            origin,
            len: raw.chars().count(),
        });
    }
    Ok(Some(Certificate { value: raw, source }))
}

fn first_line(text: &str) -> String {
    text.trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

fn describe_file(path: &std::path::Path) -> String {
    format!("--cert-file {}", PathBuf::from(path).display())
}
