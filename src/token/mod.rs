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

/// What `token` computed: the check of one or more tokens, or a built token.
#[derive(Debug)]
pub enum TokenDocument {
    /// `token`.
    Check(report::TokenReport),
    /// `token build`.
    Build(build::Built),
}

/// Why `token` could not run (exit 2). Messages name the bad input and the next step, and never
/// contain the certificate.
#[derive(Debug, Error)]
pub enum TokenError {
    /// `--at` / `--issued-at` is not a time.
    #[error("{flag} {value:?} is not a time; use RFC 3339 (2026-11-25T10:00:00Z), unix seconds{}", if *flag == "--at" || *flag == "--now" { ", 2026-11-25T10:00 (local time) or +18h / +2d / -30m from now" } else { "" })]
    BadTime {
        /// Which flag.
        flag: &'static str,
        /// What was given.
        value: String,
    },
    /// A time before 1970 or after 9999 (`--at 9223372036854775807`).
    #[error("{flag} {value:?} is outside the years 1970 to 9999, which no token, certificate or clock uses; give a time in that range, e.g. 2026-11-25T10:00:00Z")]
    TimeOutOfRange {
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
    /// A token text longer than any Agora token.
    #[error("the token from {origin} is {len} bytes long, and no Agora token is longer than {max} bytes; check what was pasted (a whole file or log?) and pass the token alone")]
    TooLong {
        /// Where it came from (`argument`, `stdin line N`).
        origin: String,
        /// Its length in bytes (at least this many: reading stops past the limit).
        len: usize,
        /// The limit.
        max: usize,
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

/// `unix` when within 1970-9999, else [`TokenError::TimeOutOfRange`].
fn in_range(flag: &'static str, value: &str, unix: u64) -> Result<u64, TokenError> {
    crate::time::in_range(unix).map_err(|e| time_error(flag, value, e))
}

/// Parse `--now` / `--issued-at`: RFC 3339 or unix seconds, within the years 1970-9999.
pub fn parse_time(flag: &'static str, value: &str) -> Result<u64, TokenError> {
    crate::time::parse(value).map_err(|e| time_error(flag, value, e))
}

fn time_error(flag: &'static str, value: &str, e: crate::time::TimeError) -> TokenError {
    let value = value.to_string();
    match e {
        crate::time::TimeError::NotATime => TokenError::BadTime { flag, value },
        crate::time::TimeError::OutOfRange => TokenError::TimeOutOfRange { flag, value },
    }
}

/// Parse `--at`: [`parse_time`]'s forms, a local time without seconds or zone
/// (`2026-12-05T10:00`, `2026-12-05 10:00:00`: this machine's time zone), or a time relative to
/// `clock` (`+18h`, `-30m`, `+1d6h`).
pub fn parse_at(flag: &'static str, value: &str, clock: u64) -> Result<u64, TokenError> {
    let bad = || TokenError::BadTime {
        flag,
        value: value.to_string(),
    };
    let v = value.trim();
    if let Some(sign) = v.chars().next().filter(|c| *c == '+' || *c == '-') {
        let seconds = parse_span(&v[1..]).ok_or_else(bad)?;
        let out_of_range = || TokenError::TimeOutOfRange {
            flag,
            value: value.to_string(),
        };
        let unix = if sign == '+' {
            clock.checked_add(seconds).ok_or_else(out_of_range)?
        } else {
            clock.checked_sub(seconds).ok_or_else(out_of_range)?
        };
        return in_range(flag, value, unix);
    }
    match parse_time(flag, v) {
        Ok(t) => return Ok(t),
        Err(e @ TokenError::TimeOutOfRange { .. }) => return Err(e),
        Err(_) => {}
    }
    let local = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(v, f).ok())
    .ok_or_else(bad)?;
    let t = local
        .and_local_timezone(chrono::Local)
        .earliest()
        .ok_or_else(bad)?;
    let unix = u64::try_from(t.timestamp()).map_err(|_| TokenError::TimeOutOfRange {
        flag,
        value: value.to_string(),
    })?;
    in_range(flag, value, unix)
}

/// `18h`, `90m`, `1d6h`, `45s`: a sum of numbers each with a unit (s, m, h, d, w).
fn parse_span(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        let n: u64 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        number.clear();
    }
    // A trailing number without a unit, or nothing at all, is not a span.
    (number.is_empty() && !text.is_empty()).then_some(total)
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

#[cfg(test)]
mod at_tests {
    use super::*;

    const CLOCK: u64 = 1_764_921_600; // 2025-12-05T08:00:00Z

    #[test]
    fn relative_times_count_from_the_clock() {
        assert_eq!(parse_at("--at", "+18h", CLOCK).unwrap(), CLOCK + 18 * 3600);
        assert_eq!(parse_at("--at", "+1d6h", CLOCK).unwrap(), CLOCK + 30 * 3600);
        assert_eq!(parse_at("--at", "-30m", CLOCK).unwrap(), CLOCK - 1800);
        assert_eq!(parse_at("--at", "+2w", CLOCK).unwrap(), CLOCK + 14 * 86_400);
        for bad in ["+", "+18", "+18x", "18h", "+h", "tomorrow"] {
            assert!(parse_at("--at", bad, CLOCK).is_err(), "{bad}");
        }
    }

    #[test]
    fn absolute_times_keep_their_forms() {
        assert_eq!(
            parse_at("--at", "2026-12-05T10:00:00Z", CLOCK).unwrap(),
            1_796_464_800
        );
        assert_eq!(
            parse_at("--at", "1796464800", CLOCK).unwrap(),
            1_796_464_800
        );
        // Without a zone: this machine's local time, whatever zone the test runs in.
        let local = chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
            .and_local_timezone(chrono::Local)
            .earliest()
            .unwrap()
            .timestamp() as u64;
        assert_eq!(parse_at("--at", "2026-12-05T10:00", CLOCK).unwrap(), local);
        assert_eq!(
            parse_at("--at", "2026-12-05 10:00:00", CLOCK).unwrap(),
            local
        );
        let err = parse_at("--at", "next tuesday", CLOCK)
            .unwrap_err()
            .to_string();
        assert!(err.contains("+18h"), "{err}");
    }
}
