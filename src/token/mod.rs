//! The `token` command: check a pasted token (decode, diagnose, verify, validate) or build one.
//! The pure work is in `agora-token-core`; this module gathers inputs (arguments, stdin, the
//! certificate, the clock) and hands a report to `render::token`.

pub mod build;
pub mod certificate;
pub mod command;
pub mod examples;
pub mod report;

use std::path::PathBuf;

use thiserror::Error;

/// Why `token` could not run (exit 2). Messages name the bad input and the next step, and never
/// contain the certificate.
#[derive(Debug, Error)]
pub enum TokenError {
    /// `--now` / `--issued-at` is not a time.
    #[error("{flag} {value:?} is not a time; use RFC 3339 (2026-11-25T10:00:00Z) or unix seconds")]
    BadTime {
        /// Which flag.
        flag: &'static str,
        /// What was given.
        value: String,
    },
    /// `--expire` is not a duration.
    #[error("--expire {value:?} is not a duration; use seconds or 90s, 30m, 1h, 1d")]
    BadExpire {
        /// What was given.
        value: String,
    },
    /// `--expire` is an absolute unix time where a lifetime is expected.
    #[error("--expire {value} looks like an absolute unix time ({date}), but --expire takes a lifetime such as 3600 or 1h: AccessToken2 (007) builders take seconds from now, only the old 006 builders took an absolute privilegeExpiredTs; pass --expire 1h (or the seconds left until that date)")]
    ExpireAbsolute {
        /// What was given.
        value: String,
        /// That value read as a date.
        date: String,
    },
    /// The certificate file could not be read.
    #[error(
        "cannot read the certificate file {path:?}: {reason}; check the path and its permissions"
    )]
    CertFile {
        /// The path given.
        path: PathBuf,
        /// The OS error.
        reason: String,
    },
    /// Stdin could not be read for `--cert-stdin`.
    #[error("cannot read the certificate from stdin: {reason}; pipe the App Certificate as one line of text, or use AGORA_APP_CERTIFICATE")]
    CertStdin {
        /// The error kind.
        reason: String,
    },
    /// The certificate is not 32 hex characters.
    #[error("the certificate from {origin} is not 32 hexadecimal characters ({len} characters read); copy the App Certificate from the Agora Console")]
    CertShape {
        /// Where it was read from (never its value).
        origin: String,
        /// Its length.
        len: usize,
    },
    /// `-` and `--cert-stdin` both want stdin.
    #[error("TOKEN `-` and --cert-stdin both read stdin; pass the certificate with AGORA_APP_CERTIFICATE or --cert-file instead")]
    StdinTwice,
    /// Reading tokens from stdin failed.
    #[error("cannot read tokens from stdin: {reason}; pipe the tokens as text, one per line, or pass one as an argument")]
    Stdin {
        /// The error kind.
        reason: String,
    },
    /// `token build` needs a certificate.
    #[error("token build needs the App Certificate: set AGORA_APP_CERTIFICATE, or pass --cert-file PATH or --cert-stdin")]
    NoCertificate,
    /// `token build --service rtc` needs a channel.
    #[error("token build --service rtc needs --channel NAME")]
    NoChannel,
    /// `token build` needs a user.
    #[error("token build needs --uid N or --account NAME{extra}")]
    NoUser {
        /// Extra hint.
        extra: &'static str,
    },
    /// A uid above u32.
    #[error("--uid {uid} is above 4294967295; Agora uids are unsigned 32-bit (use --account for strings)")]
    UidRange {
        /// The uid.
        uid: u64,
    },
    /// The core refused to build.
    #[error("cannot build the token: {0}")]
    Build(#[from] agora_token_core::BuildError),
    /// Writing to stdout failed.
    #[error("cannot write the report: {0}")]
    Output(#[from] std::io::Error),
}

/// Parse `--now` / `--issued-at`: RFC 3339 or unix seconds.
pub fn parse_time(flag: &'static str, value: &str) -> Result<u64, TokenError> {
    let bad = || TokenError::BadTime {
        flag,
        value: value.to_string(),
    };
    if let Ok(n) = value.trim().parse::<u64>() {
        return Ok(n);
    }
    let t = chrono::DateTime::parse_from_rfc3339(value.trim()).map_err(|_| bad())?;
    u64::try_from(t.timestamp()).map_err(|_| bad())
}

/// Parse `--expire`: `3600`, `90s`, `30m`, `1h`, `2d`.
pub fn parse_duration(value: &str) -> Result<u32, TokenError> {
    let bad = || TokenError::BadExpire {
        value: value.to_string(),
    };
    let v = value.trim();
    let (num, mult) = match v.char_indices().last() {
        Some((i, 's')) => (&v[..i], 1),
        Some((i, 'm')) => (&v[..i], 60),
        Some((i, 'h')) => (&v[..i], 3600),
        Some((i, 'd')) => (&v[..i], 86_400),
        _ => (v, 1),
    };
    let n: u32 = num.trim().parse().map_err(|_| bad())?;
    let secs = n.checked_mul(mult).ok_or_else(bad)?;
    if mult == 1 && secs >= agora_token_core::validate::ABSOLUTE_LOOKING_SECS {
        return Err(TokenError::ExpireAbsolute {
            value: value.to_string(),
            date: agora_token_core::time::rfc3339(u64::from(secs)),
        });
    }
    Ok(secs)
}
