//! Runs `agora-doctor token`: gathers the token(s), the expectation, the certificate and the clock,
//! asks the pure core for a check of each token, and hands the report to the renderer.

use std::io::BufRead;

use agora_token_core::{self as core, keys, Expectation, Role, User};

use super::certificate::{self, CertSource, Certificate, CERT_ENV};
use super::examples;
use super::report::{self, ExpectationView, Instant, Summary, TokenReport, SCHEMA};
use super::TokenError;
use crate::cli::token::{Example, RoleArg, TokenArgs, TokenCommand};
use crate::env::Env;
use crate::report::{Computed, Failure, Finding, Redaction, Report, Status};
use crate::Outcome;

/// The warning printed to stderr when the certificate is passed as a plain argument.
pub const CERT_ARGUMENT_WARNING: &str = "warning: --cert puts the App Certificate in shell history and process lists; prefer AGORA_APP_CERTIFICATE or --cert-file PATH";

/// Compute the command's document from the [`Env`] (variables, stdin, clock), or say why it could
/// not run; both carry the certificates `lib::run` must take out.
pub fn compute(args: Box<TokenArgs>, env: &Env) -> Result<Computed, Failure> {
    let env_cert = env.var(CERT_ENV).map(str::to_string);
    let clock = env.now();
    // Every value that may be the certificate is redacted from any output, errors included, even
    // before it has been validated.
    let cert_arg = match &args.command {
        Some(TokenCommand::Build(b)) => b.cert.cert.clone(),
        None => args.cert.cert.clone(),
    };
    let mut secret: Option<String> = None;
    let early: Vec<String> = env_cert
        .iter()
        .chain(cert_arg.iter())
        .map(|s| s.trim().to_string())
        .collect();
    let result = env.with_stdin(|input| match args.command {
        Some(TokenCommand::Build(ref b)) => {
            super::build::compute(b, env_cert, input, clock, &mut secret)
        }
        None => check(&args, env_cert, input, clock, &mut secret),
    });
    let secrets: Vec<String> = early.iter().cloned().chain(secret.clone()).collect();
    match result {
        Ok(mut computed) => {
            computed.redaction = Redaction::Certificates(secrets);
            Ok(computed)
        }
        Err(e) => Err(Failure {
            message: e.to_string(),
            redaction: Redaction::Certificates(secrets),
        }),
    }
}

fn role(r: RoleArg) -> Role {
    match r {
        RoleArg::Publisher => Role::Publisher,
        RoleArg::Subscriber => Role::Subscriber,
    }
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Subscriber => "subscriber",
        _ => "publisher",
    }
}

fn check(
    args: &TokenArgs,
    env_cert: Option<String>,
    stdin: &mut dyn BufRead,
    clock: u64,
    secret: &mut Option<String>,
) -> Result<Computed, TokenError> {
    let reads_tokens_from_stdin = args.token.as_deref() == Some("-");
    if reads_tokens_from_stdin && args.cert.cert_stdin {
        return Err(TokenError::StdinTwice);
    }
    let mut cert = certificate::resolve(&args.cert, env_cert, stdin)?;
    if let Some(c) = &cert {
        *secret = Some(c.expose().to_string());
    }
    let now = match (&args.at, &args.now) {
        (Some(v), _) => super::parse_at("--at", v, clock)?,
        (None, Some(v)) => super::parse_at("--now", v, clock)?,
        (None, None) => clock,
    };
    let on_command_line = cert
        .as_ref()
        .is_some_and(|c| c.source == CertSource::Argument);

    let mut exp = Expectation {
        channel: args.channel.clone(),
        user: args
            .uid
            .map(User::Uid)
            .or_else(|| args.account.clone().map(User::Account)),
        app_id: args.app_id.clone(),
        // Co-host authentication makes publish privileges matter: a user of such a project is
        // taken to publish unless --role says otherwise.
        role: args
            .role
            .map(role)
            .or(args.cohost_auth.then_some(Role::Publisher)),
        certificate: None,
    };
    let mut inputs: Vec<(String, String)> = Vec::new();
    if let Some(example) = args.example {
        let s = examples::sample(example, now);
        // The sample's expectation, unless the user asked for something else.
        exp.channel = exp.channel.or(s.expectation.channel);
        exp.user = exp.user.or(s.expectation.user);
        exp.app_id = exp.app_id.or(s.expectation.app_id);
        exp.role = exp.role.or(s.expectation.role);
        // A sample is checked with its own certificate: AGORA_APP_CERTIFICATE holds the user's
        // project's, which no sample was signed with (a certificate given by flag is the user's
        // explicit choice and stays).
        if cert.as_ref().is_none_or(|c| c.source == CertSource::Env) {
            cert = Some(Certificate::example(s.certificate));
            *secret = Some(s.certificate.to_string());
        }
        inputs.push((format!("example {}", example_name(example)), s.token));
    } else if reads_tokens_from_stdin {
        for (i, line) in stdin.lines().enumerate() {
            let line = line.map_err(|e| TokenError::Stdin {
                reason: format!("line {}: {e}", i + 1),
            })?;
            let line = line.strip_suffix('\r').unwrap_or(&line).to_string();
            if !line.is_empty() {
                inputs.push((format!("stdin line {}", i + 1), line));
            }
        }
        if inputs.is_empty() {
            inputs.push(("stdin (no lines)".into(), String::new()));
        }
    } else if let Some(t) = &args.token {
        inputs.push(("argument".into(), t.clone()));
    }
    exp.certificate = cert.as_ref().map(|c| c.expose().to_string());

    let tokens: Vec<report::TokenResult> = inputs
        .into_iter()
        .map(|(source, raw)| {
            let mut c = core::check_for(&raw, &exp, args.service.map(|s| s.service_use()), now);
            if on_command_line {
                c.findings.insert(
                    0,
                    Finding::new(
                        keys::CERTIFICATE_ON_COMMAND_LINE,
                        Status::Warn,
                        "the App Certificate was passed as a plain argument (--cert)",
                    )
                    .with_evidence("shell history and process lists can read command-line arguments")
                    .with_fix("use AGORA_APP_CERTIFICATE, --cert-file PATH or --cert-stdin, and rotate the certificate if it leaked"),
                );
            }
            report::token_result(source, c, args.strict)
        })
        .collect();
    let summary = Summary::of(&tokens);
    let failed = tokens
        .iter()
        .flat_map(|t| &t.findings)
        .any(|f| f.status.fails(args.strict));
    let outcome = if failed {
        Outcome::Findings
    } else {
        Outcome::Ok
    };
    let report = TokenReport {
        schema: SCHEMA,
        now: Instant::at(now),
        asked_at: args.at.as_ref().map(|_| clock),
        expectation: ExpectationView {
            channel: exp.channel.clone(),
            uid: match &exp.user {
                Some(User::Uid(n)) => Some(*n),
                _ => None,
            },
            account: match &exp.user {
                Some(User::Account(a)) => Some(a.clone()),
                _ => None,
            },
            app_id: exp.app_id.clone(),
            role: exp.role.map(role_name),
            service: args.service.map(|s| s.service_use().name()),
            certificate: cert.as_ref().map_or(CertSource::None, |c| c.source),
            strict: args.strict,
        },
        tokens,
        summary,
        exit_code: outcome.code(),
    };
    let mut computed = Computed::new(Report::Token(report), outcome);
    if on_command_line {
        computed.warnings.push(CERT_ARGUMENT_WARNING.to_string());
    }
    Ok(computed)
}

fn example_name(e: Example) -> String {
    use clap::ValueEnum;
    e.to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}
