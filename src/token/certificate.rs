//! Where the App Certificate comes from (environment, file, stdin or, discouraged, an argument):
//! the one reader and the one validation every command uses (`token`, `probe`, `join`, `report`),
//! and the one secret type, [`Certificate`]. The value never leaves this module except as the
//! signing or verification key; only its source is shown.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::TokenError;
use crate::cli::token::CertArgs;

/// The warning printed to stderr when the certificate is passed as a plain argument.
pub const CERT_ARGUMENT_WARNING: &str = "warning: --cert puts the App Certificate in shell history and process lists; prefer AGORA_APP_CERTIFICATE or --cert-file PATH";

/// The environment variable the certificate is read from when no flag names another source.
pub use crate::env::CERT_ENV;

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
    /// The simulated project's certificate (`--sim`; a test double's, made for the run).
    Simulated,
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

    /// The simulated project's certificate (`--sim`).
    pub fn simulated(value: &str) -> Self {
        Certificate {
            value: value.to_string(),
            source: CertSource::Simulated,
        }
    }

    /// The certificate text (the HMAC key). Only for verification and building.
    pub fn expose(&self) -> &str {
        &self.value
    }
}

/// Every place a certificate may come from, strongest first: a file (`-` = stdin), stdin, a plain
/// argument, then the environment variable's value.
#[derive(Debug, Clone, Copy, Default)]
pub struct CertSources<'a> {
    /// `--cert-file PATH` (`-` reads stdin).
    pub file: Option<&'a Path>,
    /// `file`'s first line (or why it could not be read) when the run already read it
    /// ([`file_first_line`]): the file is then not opened again.
    pub file_line: Option<&'a Result<String, String>>,
    /// `--cert-stdin`.
    pub stdin: bool,
    /// `--cert VALUE`.
    pub argument: Option<&'a str>,
    /// `AGORA_APP_CERTIFICATE`'s value.
    pub env: Option<&'a str>,
}

/// Resolve the certificate from the flags, then the environment value given (`env_value`).
/// `stdin` is used only for `--cert-stdin`.
pub fn resolve(
    args: &CertArgs,
    env_value: Option<String>,
    stdin: &mut dyn BufRead,
) -> Result<Option<Certificate>, TokenError> {
    read(
        CertSources {
            file: args.cert_file.as_deref(),
            file_line: None,
            stdin: args.cert_stdin,
            argument: args.cert.as_deref(),
            env: env_value.as_deref(),
        },
        stdin,
    )
}

/// Read and validate the certificate (the first line, trimmed: 32 hexadecimal digits).
pub fn read(
    sources: CertSources<'_>,
    stdin: &mut dyn BufRead,
) -> Result<Option<Certificate>, TokenError> {
    let read_stdin = |stdin: &mut dyn BufRead| {
        let line = bounded_first_line(stdin).map_err(|e| TokenError::CertStdin {
            reason: e.to_string(),
        })?;
        Ok::<_, TokenError>((first_line(&line), CertSource::Stdin, "stdin".to_string()))
    };
    let (raw, source, origin) = if let Some(path) = sources.file {
        if path.as_os_str() == "-" {
            read_stdin(stdin)?
        } else {
            let text = match sources.file_line {
                Some(line) => line.clone(),
                None => file_first_line(path),
            }
            .map_err(|reason| TokenError::CertFile {
                path: path.to_path_buf(),
                reason,
            })?;
            (first_line(&text), CertSource::File, describe_file(path))
        }
    } else if sources.stdin {
        read_stdin(stdin)?
    } else if let Some(value) = sources.argument {
        (
            value.trim().to_string(),
            CertSource::Argument,
            "--cert".to_string(),
        )
    } else if let Some(value) = sources.env.filter(|v| !v.trim().is_empty()) {
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

/// The most a certificate's first line may hold: the certificate is 32 characters, so anything
/// near this is another file (or an endless device such as `/dev/zero`), refused after this many
/// bytes instead of read whole.
pub const MAX_CERT_LINE: usize = 4096;

/// The first line of `reader`, reading at most [`MAX_CERT_LINE`] bytes.
pub fn bounded_first_line(reader: &mut dyn BufRead) -> std::io::Result<String> {
    let mut line = Vec::new();
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let room = MAX_CERT_LINE + 1 - line.len();
        let take = buf.len().min(room);
        match buf[..take].iter().position(|&b| b == b'\n') {
            Some(n) => {
                line.extend_from_slice(&buf[..n]);
                break;
            }
            None => {
                line.extend_from_slice(&buf[..take]);
                reader.consume(take);
            }
        }
        if line.len() > MAX_CERT_LINE {
            return Err(std::io::Error::other(format!(
                "more than {MAX_CERT_LINE} bytes without a line break; an App Certificate is one line of 32 hexadecimal characters"
            )));
        }
    }
    String::from_utf8(line).map_err(|_| {
        std::io::Error::other(
            "the first line is not text; an App Certificate is 32 hexadecimal characters",
        )
    })
}

/// The first line of the file at `path`, bounded as [`bounded_first_line`], or why it could not
/// be read (the full OS error, not its kind: "uncategorized error" helps nobody). The one place a
/// certificate file is opened.
pub fn file_first_line(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    bounded_first_line(&mut std::io::BufReader::new(file)).map_err(|e| e.to_string())
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
