//! Runs `agora-doctor token build`: a 006 or 007 token for a test setup, byte-identical to Agora's
//! builders given the same salt and issue time.

use std::hash::{BuildHasher, Hasher};
use std::io::BufRead;

use agora_token_core::{self as core, uid_text, Role};
use serde::Serialize;

use super::certificate::{self, CertSource, CERT_ARGUMENT_WARNING};
use super::report::Instant;
use super::TokenDocument;
use super::{parse_duration, parse_time, TokenError};
use crate::cli::token::{BuildArgs, FormatArg, RoleArg, ServiceArg};
use crate::vocabulary::Computed;

/// The JSON schema name of [`Built`].
pub const SCHEMA: &str = "agora-doctor/token-build/v1";

/// A built token and what went into it (never the certificate).
#[derive(Debug, Clone, Serialize)]
pub struct Built {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The token.
    pub token: String,
    /// `006` or `007`.
    pub format: &'static str,
    /// `rtc` or `rtm`.
    pub service: &'static str,
    /// App ID.
    pub app_id: String,
    /// Channel (RTC), `null` for RTM.
    pub channel: Option<String>,
    /// Numeric uid, if given.
    pub uid: Option<u64>,
    /// Account / RTM user id, if given.
    pub account: Option<String>,
    /// `publisher` or `subscriber` (RTC), `null` for RTM.
    pub role: Option<&'static str>,
    /// Build time.
    pub issued_at: Instant,
    /// Lifetime in seconds.
    pub expire_seconds: u32,
    /// When the join/login privileges end.
    pub expires_at: Instant,
    /// Salt.
    pub salt: u32,
    /// Where the certificate came from.
    pub certificate: CertSource,
}

/// A random salt in 1..=99 999 999, the range the Python, Go and Node 007 builders draw from.
fn random_salt() -> u32 {
    // RandomState is seeded from the OS per process: enough for a non-secret uniqueness salt.
    let h = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    (h % 99_999_999) as u32 + 1
}

/// Build the token.
pub fn compute(
    args: &BuildArgs,
    env_cert: Option<String>,
    stdin: &mut dyn BufRead,
    clock: u64,
    secret: &mut Option<String>,
) -> Result<Computed<TokenDocument>, TokenError> {
    let cert =
        certificate::resolve(&args.cert, env_cert, stdin)?.ok_or(TokenError::NoCertificate)?;
    *secret = Some(cert.expose().to_string());
    let expire = parse_duration(&args.expire)?;
    let issued = match &args.issued_at {
        Some(v) => parse_time("--issued-at", v)?,
        None => clock,
    };
    let issued32 = u32::try_from(issued).map_err(|_| TokenError::BadTime {
        flag: "--issued-at",
        value: issued.to_string(),
    })?;
    let salt = args.salt.unwrap_or_else(random_salt);
    if let Some(uid) = args.uid {
        if uid > u64::from(u32::MAX) {
            return Err(TokenError::UidRange { uid });
        }
    }
    let role = match args.role {
        RoleArg::Publisher => Role::Publisher,
        RoleArg::Subscriber => Role::Subscriber,
    };
    let cert_text = cert.expose();
    let app = args.app_id.as_str();
    let (token, channel, role_shown) = match args.service {
        ServiceArg::Rtc => {
            let channel = args.channel.clone().ok_or(TokenError::NoChannel)?;
            let user = match (&args.uid, &args.account) {
                (Some(n), _) => uid_text(*n as u32),
                (None, Some(a)) => a.clone(),
                (None, None) => {
                    return Err(TokenError::NoUser {
                        extra: " (--uid 0 lets any uid join)",
                    })
                }
            };
            let token = match args.format {
                FormatArg::V007 => core::rtc_007(
                    app, cert_text, &channel, &user, role, issued32, expire, expire, salt,
                )?,
                FormatArg::V006 => core::rtc_006(
                    app,
                    cert_text,
                    &channel,
                    &user,
                    role,
                    issued32,
                    issued32.saturating_add(expire),
                    salt,
                )?,
            };
            let shown = if role == Role::Subscriber {
                "subscriber"
            } else {
                "publisher"
            };
            (token, Some(channel), Some(shown))
        }
        ServiceArg::Rtm => {
            let user = match (&args.uid, &args.account) {
                (Some(n), _) => n.to_string(),
                (None, Some(a)) => a.clone(),
                (None, None) => {
                    return Err(TokenError::NoUser {
                        extra: " (the RTM user id)",
                    })
                }
            };
            let token = match args.format {
                FormatArg::V007 => core::rtm_007(app, cert_text, &user, issued32, expire, salt)?,
                FormatArg::V006 => core::rtm_006(
                    app,
                    cert_text,
                    &user,
                    issued32,
                    issued32.saturating_add(expire),
                    salt,
                )?,
            };
            (token, None, None)
        }
    };
    let built = Built {
        schema: SCHEMA,
        token,
        format: match args.format {
            FormatArg::V006 => "006",
            FormatArg::V007 => "007",
        },
        service: match args.service {
            ServiceArg::Rtc => "rtc",
            ServiceArg::Rtm => "rtm",
        },
        app_id: args.app_id.clone(),
        channel,
        uid: args.uid,
        account: args.account.clone(),
        role: role_shown,
        issued_at: Instant::at(issued),
        expire_seconds: expire,
        expires_at: Instant::at(issued + u64::from(expire)),
        salt,
        certificate: cert.source,
    };
    let mut computed = Computed::new(TokenDocument::Build(built));
    if cert.source == CertSource::Argument {
        computed.warnings.push(CERT_ARGUMENT_WARNING.to_string());
    }
    Ok(computed)
}
