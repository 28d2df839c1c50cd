//! The `token-server` command: ask the user's token server for tokens the way their app will
//! (channel, uid or account, role, expiry, from the page's origin), judge every answer against the
//! request with the token core (App ID, channel, uid, privileges, lifetime, signature when the
//! certificate is given), and check what a browser needs (TLS, CORS and its preflight, latency).
//! Network work is in [`fetch`], judgement in [`judge`] (pure), rendering in `render::token_server`.

pub mod ask;
pub mod fetch;
pub mod judge;
pub mod report;
pub mod template;

use std::time::Duration;

use agora_token_core::{Expectation, Role, ServiceUse, User};

use crate::cli::token::RoleArg;
use crate::cli::token_server::{ServerServiceArg, TokenServerArgs};
use crate::env::Env;
use crate::token::certificate::{self, CertSource};
use crate::token::parse_time;
use crate::token::report::Instant;
use crate::vocabulary::{outcome_of, Computed, Failure, Finding, Redaction, Status};
use report::{Asked, RequestResult, Summary, TokenServerReport, SCHEMA};
use template::{fill, Fill};

/// Compute the command's report; `lib::run` renders, redacts the certificate and writes it.
pub fn compute(
    args: TokenServerArgs,
    env: &Env,
) -> Result<Computed<Box<TokenServerReport>>, Failure> {
    let env_cert = env.certificate().map(str::to_string);
    // Every value that may be the certificate is redacted from any output, errors included, even
    // before it has been validated.
    let early: Vec<String> = env_cert
        .iter()
        .chain(args.cert.cert.iter())
        .map(|s| s.trim().to_string())
        .collect();
    let mut secret: Option<String> = None;
    let result = compute_report(&args, env_cert, env, &mut secret);
    let secrets: Vec<String> = early.into_iter().chain(secret).collect();
    match result {
        Ok(report) => {
            let mut computed = Computed::new(Box::new(report));
            computed.redaction = Redaction::Certificates(secrets);
            Ok(computed)
        }
        Err(message) => Err(Failure {
            message,
            redaction: Redaction::Certificates(secrets),
        }),
    }
}

fn role_name(r: RoleArg) -> &'static str {
    match r {
        RoleArg::Publisher => "publisher",
        RoleArg::Subscriber => "subscriber",
    }
}

fn other(r: RoleArg) -> RoleArg {
    match r {
        RoleArg::Publisher => RoleArg::Subscriber,
        RoleArg::Subscriber => RoleArg::Publisher,
    }
}

/// Ask, judge and gather the report (errors are "could not run" messages).
fn compute_report(
    args: &TokenServerArgs,
    env_cert: Option<String>,
    env: &Env,
    secret: &mut Option<String>,
) -> Result<TokenServerReport, String> {
    let now = match &args.now {
        Some(v) => parse_time("--now", v).map_err(|e| e.to_string())?,
        None => env.now(),
    };
    if !(args.timeout > 0.0 && args.timeout <= 600.0) {
        return Err(format!(
            "--timeout {} is out of range: give more than 0 and at most 600 seconds, e.g. --timeout 5",
            args.timeout
        ));
    }
    // Every flag is judged before any work: the certificate may wait on stdin.
    crate::token_server::template::check(&args.template)
        .map_err(|e| format!("URL_TEMPLATE {:?}: {e}", args.template))?;
    let probe_url = fill(
        &args.template,
        &Fill {
            channel: &args.channel,
            user: "0",
            is_account: false,
            role: "publisher",
            expire: args.expire,
        },
    );
    let parsed = url::Url::parse(&probe_url).map_err(|e| {
        format!("URL_TEMPLATE {:?} is not a URL ({e}); pass e.g. 'https://tokens.example.com/rtc/{{channel}}/{{role}}/uid/{{uid}}?expiry={{expire}}'", args.template)
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "URL_TEMPLATE must be an http or https URL, not {}:; pass the token server's address",
            parsed.scheme()
        ));
    }
    let cert = env
        .with_stdin(|stdin| certificate::resolve(&args.cert, env_cert, stdin))
        .map_err(|e| e.to_string())?;
    if let Some(c) = &cert {
        *secret = Some(c.expose().to_string());
    }
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        None => false,
    };
    let service = match args.service {
        Some(ServerServiceArg::Rtm) => ServiceUse::Rtm,
        Some(ServerServiceArg::Rtc) => ServiceUse::Rtc,
        None if args.template.contains("/rtm") => ServiceUse::Rtm,
        None => ServiceUse::Rtc,
    };
    let user_text = args.account.clone().unwrap_or_else(|| args.uid.to_string());
    let roles: Vec<RoleArg> = match service {
        ServiceUse::Rtc => vec![args.role, other(args.role)],
        _ => vec![args.role],
    };
    let timeout = Duration::from_secs_f64(args.timeout);
    let client = fetch::client(timeout)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the network runtime: {e}"))?;

    let mut requests = Vec::new();
    let mut first_answer: Option<fetch::Answer> = None;
    let mut latencies = Vec::new();
    for role in roles {
        let url = fill(
            &args.template,
            &Fill {
                channel: &args.channel,
                user: &user_text,
                is_account: args.account.is_some(),
                role: role_name(role),
                expire: args.expire,
            },
        );
        let rtc = service == ServiceUse::Rtc;
        let asked = Asked {
            channel: rtc.then(|| args.channel.clone()),
            uid: args.account.is_none().then_some(args.uid),
            account: args.account.clone(),
            role: rtc.then(|| role_name(role)),
            expire_seconds: args.expire,
        };
        let exp = Expectation {
            channel: rtc.then(|| args.channel.clone()),
            user: Some(match &args.account {
                Some(a) => User::Account(a.clone()),
                None => User::Uid(args.uid),
            }),
            app_id: args.app_id.clone(),
            role: rtc.then_some(match role {
                RoleArg::Publisher => Role::Publisher,
                RoleArg::Subscriber => Role::Subscriber,
            }),
            certificate: cert.as_ref().map(|c| c.expose().to_string()),
        };
        let mut result = RequestResult {
            url: url.clone(),
            asked,
            status: None,
            latency_ms: None,
            content_type: None,
            token_field: None,
            token_preview: None,
            findings: Vec::new(),
        };
        match runtime.block_on(fetch::get(&client, &url, &args.origin)) {
            Err(e) => result.findings.push(
                Finding::new(
                    judge::keys::UNREACHABLE,
                    Status::Fail,
                    // A wait that ran out says how long it was.
                    if e.starts_with("timed out") {
                        format!(
                            "no answer from {url} within {} s (--timeout): {e}",
                            args.timeout
                        )
                    } else {
                        format!("no answer from {url}: {e}")
                    },
                )
                .with_evidence(format!(
                    "each network operation may take {} s (--timeout)",
                    args.timeout
                ))
                .with_fix("check that the server runs and the URL (host, port, scheme) is right"),
            ),
            Ok(a) => {
                let (findings, token) =
                    judge::judge_answer(a.status, &a.body, &exp, service, args.expire, now);
                result.status = Some(a.status);
                result.latency_ms = Some(a.latency_ms);
                result.content_type = a.content_type.clone();
                result.findings = findings;
                if let Some((field, t)) = token {
                    result.token_field = Some(field);
                    result.token_preview = Some(judge::preview(&t));
                }
                latencies.push(a.latency_ms);
                first_answer.get_or_insert(a);
            }
        }
        requests.push(result);
    }

    let mut browser = vec![judge::tls(
        parsed.scheme(),
        loopback,
        first_answer.is_some(),
    )];
    if let Some(a) = &first_answer {
        browser.push(judge::cors(a.allow_origin.as_deref(), &args.origin));
        let pre = runtime.block_on(fetch::preflight(&client, &requests[0].url, &args.origin));
        browser.push(match pre {
            Ok(p) => judge::preflight(Some(p.status), p.allow_origin.as_deref(), &args.origin),
            Err(_) => judge::preflight(None, None, &args.origin),
        });
    }
    browser.extend(judge::latency(&latencies));

    let summary = Summary::of(&requests, &browser);
    let statuses = requests.iter().flat_map(|r| &r.findings).chain(&browser);
    let outcome = outcome_of(statuses.map(|f| f.status), args.strict);
    Ok(TokenServerReport {
        schema: SCHEMA,
        now: Instant::at(now),
        template: args.template.clone(),
        service: service.name(),
        origin: args.origin.clone(),
        certificate: cert.as_ref().map_or(CertSource::None, |c| c.source),
        requests,
        browser,
        summary,
        strict: args.strict,
        exit_code: outcome.code(),
    })
}
