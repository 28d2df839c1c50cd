//! Judging what the token server answered, and what a browser needs from it (pure: answers and
//! measurements in, findings out).

use agora_token_core::{self as core, Expectation, ServiceUse, Token};
use serde_json::Value;

use crate::vocabulary::{Finding, Status};

/// Finding keys of `token-server` (`agora-doctor explain <key>` documents each).
pub mod keys {
    /// No answer: connection refused, DNS, TLS or timeout.
    pub const UNREACHABLE: &str = "token_server.unreachable";
    /// The HTTP status of the answer.
    pub const HTTP_STATUS: &str = "token_server.http_status";
    /// Whether the answer holds a token.
    pub const NO_TOKEN: &str = "token_server.no_token";
    /// The token's lifetime against the one asked for.
    pub const LIFETIME: &str = "token_server.lifetime";
    /// TLS: https, or http where a browser allows it.
    pub const TLS: &str = "token_server.tls";
    /// CORS headers on the answer.
    pub const CORS: &str = "token_server.cors";
    /// The CORS preflight (OPTIONS) answer.
    pub const PREFLIGHT: &str = "token_server.preflight";
    /// How long the answers took.
    pub const LATENCY: &str = "token_server.latency";
    /// Every key above.
    pub const ALL: &[&str] = &[
        UNREACHABLE,
        HTTP_STATUS,
        NO_TOKEN,
        LIFETIME,
        TLS,
        CORS,
        PREFLIGHT,
        LATENCY,
    ];
}

/// An answer slower than this delays every join noticeably (the SDK waits for the token).
pub const SLOW_MS: u64 = 1000;
/// Lifetimes that differ by more than this from the one asked are reported (clock rounding and
/// the time the request took stay below it).
pub const LIFETIME_SLACK_SECS: u64 = 120;

/// Field names token servers use for the token, best first (agora-token-service: `rtcToken`,
/// `rtmToken`; Agora's docs samples: `token`, `key`).
const TOKEN_FIELDS: &[&str] = &[
    "rtcToken",
    "rtmToken",
    "token",
    "accessToken",
    "access_token",
    "key",
];

/// Find the token in an answer body: a JSON field holding a clean token, or the whole body.
pub fn find_token(body: &str) -> Option<(String, String)> {
    let clean = |s: &str| core::diagnose(s).code == core::Code::Ok;
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        let mut found: Vec<(String, String)> = Vec::new();
        walk(&v, "", &mut found, &clean);
        found.sort_by_key(|(path, _)| {
            let last = path.rsplit('.').next().unwrap_or(path);
            TOKEN_FIELDS
                .iter()
                .position(|f| *f == last)
                .unwrap_or(TOKEN_FIELDS.len())
        });
        return found.into_iter().next();
    }
    let t = body.trim();
    clean(t).then(|| ("(body)".to_string(), t.to_string()))
}

fn walk(v: &Value, path: &str, out: &mut Vec<(String, String)>, clean: &dyn Fn(&str) -> bool) {
    match v {
        Value::String(s) if clean(s) => out.push((
            if path.is_empty() {
                "(body)".into()
            } else {
                path.to_string()
            },
            s.clone(),
        )),
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(x, &p, out, clean);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, &format!("{path}[{i}]"), out, clean);
            }
        }
        _ => {}
    }
}

/// A short, non-secret view of a token: its public prefix and length. Public is what every token
/// of the kind shares or what names the project: `006` and the App ID (32 hex digits), `007` and
/// the zlib header's `eJ` (RFC 1950 §2.2: always `x\x9c`-like, base64 `eJ`); nothing after it.
pub fn preview(token: &str) -> String {
    let app_id = token
        .get(3..35)
        .is_some_and(|id| id.bytes().all(|b| b.is_ascii_hexdigit()));
    let public = if token.starts_with("006") && app_id {
        35
    } else if token.starts_with("007eJ") {
        5
    } else {
        3
    };
    format!(
        "{}… ({} characters)",
        token.get(..public.min(token.len())).unwrap_or(""),
        token.len()
    )
}

/// Everything about one answer: status, token found, the token's own checks, its lifetime.
#[allow(clippy::too_many_arguments)]
pub fn judge_answer(
    status: u16,
    body: &str,
    exp: &Expectation,
    service: ServiceUse,
    expire_asked: u32,
    now: u64,
) -> (Vec<Finding>, Option<(String, String)>) {
    let mut out = Vec::new();
    if !(200..300).contains(&status) {
        let shown: String = body.chars().take(200).collect();
        out.push(
            Finding::new(keys::HTTP_STATUS, Status::Fail, format!("the server answered HTTP {status}"))
                .with_evidence(format!("body: {shown}"))
                .with_fix("check the route and the parameters the server expects (compare its code with the URL template)"),
        );
        return (out, None);
    }
    out.push(Finding::new(
        keys::HTTP_STATUS,
        Status::Pass,
        format!("HTTP {status}"),
    ));
    let Some((field, token)) = find_token(body) else {
        let d = core::examine(body);
        let mut f = Finding::new(
            keys::NO_TOKEN,
            Status::Fail,
            "the answer holds no usable Agora token",
        )
        .with_fix(
            "return the token as a JSON field (e.g. {\"rtcToken\": \"007…\"}) or as the whole body",
        );
        if d.code != core::Code::Ok {
            f = f.with_evidence(format!("what the answer holds: {}", d.detail));
        }
        out.push(f);
        return (out, None);
    };
    out.push(Finding::new(
        keys::NO_TOKEN,
        Status::Pass,
        format!("token found in `{field}`"),
    ));
    let check = core::check_for(&token, exp, Some(service), now);
    out.extend(check.findings);
    if let Some(t) = &check.diagnosis.token {
        out.extend(lifetime(t, service, expire_asked, now));
    }
    (out, Some((field, token)))
}

/// The lifetime the server gave against the one asked.
fn lifetime(t: &Token, service: ServiceUse, asked: u32, now: u64) -> Option<Finding> {
    let (what, secs) = match t {
        Token::V007(t) => {
            let key = t
                .services
                .iter()
                .find(|s| match service {
                    ServiceUse::Rtc => s.service_type == core::SERVICE_RTC,
                    _ => {
                        s.service_type == core::SERVICE_RTM || s.service_type == core::SERVICE_RTM2
                    }
                })
                .and_then(|s| s.privilege(1))
                .filter(|p| p.value != 0);
            match key {
                Some(p) => ("privilege", u64::from(p.value.min(t.expire))),
                None => ("token", u64::from(t.expire)),
            }
        }
        Token::V006(t) => {
            let p = t
                .privileges
                .iter()
                .find(|p| p.value != 0)
                .map(|p| u64::from(p.value));
            let end = p.unwrap_or(u64::from(t.ts)).min(u64::from(t.ts));
            if end < now {
                // Already reported by the token checks (expired, or a duration passed as a time).
                return None;
            }
            ("privilege", end - now)
        }
    };
    let asked = u64::from(asked);
    let f = if secs.abs_diff(asked) <= LIFETIME_SLACK_SECS {
        Finding::new(
            keys::LIFETIME,
            Status::Pass,
            format!("lifetime {} as asked", core::time::duration(secs)),
        )
    } else {
        Finding::new(
            keys::LIFETIME,
            Status::Warn,
            format!(
                "asked for {}, the {what} lasts {}",
                core::time::duration(asked),
                core::time::duration(secs)
            ),
        )
        .with_fix("make the server use the expiry the app asks for (and cap it at 24 h)")
    };
    Some(f)
}

/// TLS as a browser sees it: https, or http on loopback during development. `answered`: whether any
/// request got an answer, i.e. whether a TLS handshake was completed at all.
pub fn tls(scheme: &str, host_is_loopback: bool, answered: bool) -> Finding {
    match (scheme, host_is_loopback) {
        ("https", _) if answered => Finding::new(keys::TLS, Status::Pass, "https: TLS handshake and certificate accepted"),
        ("https", _) => Finding::new(
            keys::TLS,
            Status::Skip,
            "https: TLS not judged here: no request got an answer (the requests above say why)",
        )
        .with_fix("make the server reachable first (see the requests above), then check again"),
        (_, true) => Finding::new(
            keys::TLS,
            Status::Pass,
            "http on loopback: browsers allow it during development",
        )
        .with_evidence("a deployed page served over https cannot fetch an http token server"),
        _ => Finding::new(
            keys::TLS,
            Status::Fail,
            "the token server is plain http: a page served over https cannot fetch it (mixed content), and tokens travel in clear",
        )
        .with_fix("serve the token server over https"),
    }
}

/// CORS on a GET answer for `origin`.
pub fn cors(allow_origin: Option<&str>, origin: &str) -> Finding {
    match allow_origin {
        Some(a) if a == "*" || a == origin => Finding::new(
            keys::CORS,
            Status::Pass,
            format!("Access-Control-Allow-Origin: {a} (a page on {origin} may read the answer)"),
        ),
        Some(a) => Finding::new(
            keys::CORS,
            Status::Fail,
            format!("Access-Control-Allow-Origin is {a:?}, not the page's origin {origin}: the browser blocks the answer"),
        )
        .with_fix(format!("allow the page's origin ({origin}) on the token server")),
        None => Finding::new(
            keys::CORS,
            Status::Fail,
            "no Access-Control-Allow-Origin header: a browser blocks the answer (the fetch fails with a CORS error)",
        )
        .with_fix("send Access-Control-Allow-Origin for the app's origin (e.g. the `cors` middleware in Express)"),
    }
}

/// The CORS preflight a browser sends before a request with `Authorization` or a JSON body.
pub fn preflight(status: Option<u16>, allow_origin: Option<&str>, origin: &str) -> Finding {
    let ok_origin = allow_origin.is_some_and(|a| a == "*" || a == origin);
    match status {
        Some(s) if (200..300).contains(&s) && ok_origin => Finding::new(
            keys::PREFLIGHT,
            Status::Pass,
            format!("preflight (OPTIONS) answered {s} with CORS headers"),
        ),
        Some(s) => Finding::new(
            keys::PREFLIGHT,
            Status::Warn,
            format!(
                "preflight (OPTIONS) answered {s}{}: requests with an Authorization header or a JSON body will fail in a browser",
                if ok_origin { "" } else { " without Access-Control-Allow-Origin" }
            ),
        )
        .with_fix("answer OPTIONS with 204 and the Access-Control-Allow-* headers"),
        None => Finding::new(
            keys::PREFLIGHT,
            Status::Warn,
            "preflight (OPTIONS) got no answer",
        ),
    }
}

/// How long the answers took.
pub fn latency(ms: &[u64]) -> Option<Finding> {
    let max = *ms.iter().max()?;
    let shown: Vec<String> = ms.iter().map(|m| format!("{m} ms")).collect();
    Some(if max > SLOW_MS {
        Finding::new(
            keys::LATENCY,
            Status::Warn,
            format!("the slowest answer took {max} ms: every join waits for it"),
        )
        .with_evidence(shown.join(", "))
        .with_fix(
            "keep token building fast (it is a few HMACs); look for cold starts or slow middleware",
        )
    } else {
        Finding::new(
            keys::LATENCY,
            Status::Pass,
            format!("answers in {}", shown.join(", ")),
        )
    })
}
