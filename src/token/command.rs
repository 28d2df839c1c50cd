//! Runs `agora-doctor token`: gathers the token(s), the expectation, the certificate and the clock,
//! asks the pure core for a check of each token, and hands the report to the renderer.

use std::io::BufRead;

use agora_token_core::{self as core, keys, Expectation, Role, User};

use super::certificate::{self, CertSource, Certificate, CERT_ARGUMENT_WARNING};
use super::examples;
use super::report::{self, ExpectationView, Instant, Summary, TokenReport, TokenResult, SCHEMA};
use super::TokenDocument;
use super::TokenError;
use crate::cli::token::{Example, RoleArg, TokenArgs, TokenCommand};
use crate::env::Env;
use crate::vocabulary::{Computed, Failure, Finding, Outcome, Redaction, Status};

/// The longest token text checked. An Agora token is a few hundred bytes: a 007 token with every
/// service and privilege, a long channel name and user account stays under 2 KB (the layout in
/// docs/ and token-core's `build`); 16 KiB leaves room for every pasted shape (URL-encoded, JSON-
/// escaped, split over lines) and keeps a pasted file from costing memory in the repairs.
pub const MAX_TOKEN_INPUT: usize = 16 * 1024;

/// Compute the command's document from the [`Env`] (variables, stdin, clock), or say why it could
/// not run; both carry the certificates `lib::run` must take out.
pub fn compute(args: Box<TokenArgs>, env: &Env) -> Result<Computed<TokenDocument>, Failure> {
    let env_cert = env.certificate().map(str::to_string);
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

/// Where `token`'s results go as they are made: kept for one document ([`check`]), or handed on
/// one by one (`token -`, [`stream`]), so that memory stays flat however many lines stdin holds.
pub trait TokenSink {
    /// Before the first token: the report as far as it is known (no tokens, an empty summary) and
    /// the secrets found so far (the certificate read), which no output may show.
    fn start(&mut self, head: &TokenReport, secrets: &[String]) -> Result<(), TokenError>;
    /// One token's result, in input order.
    fn token(&mut self, head: &TokenReport, result: TokenResult) -> Result<(), TokenError>;
}

/// Keeps every result for one document.
#[derive(Default)]
struct Collect(Vec<TokenResult>);

impl TokenSink for Collect {
    fn start(&mut self, _: &TokenReport, _: &[String]) -> Result<(), TokenError> {
        Ok(())
    }
    fn token(&mut self, _: &TokenReport, result: TokenResult) -> Result<(), TokenError> {
        self.0.push(result);
        Ok(())
    }
}

fn check(
    args: &TokenArgs,
    env_cert: Option<String>,
    stdin: &mut dyn BufRead,
    clock: u64,
    secret: &mut Option<String>,
) -> Result<Computed<TokenDocument>, TokenError> {
    let mut collected = Collect::default();
    let (mut report, on_command_line) =
        check_into(args, env_cert, stdin, clock, secret, &mut collected)?;
    report.tokens = collected.0;
    let mut computed = Computed::new(TokenDocument::Check(report));
    if on_command_line {
        computed.warnings.push(CERT_ARGUMENT_WARNING.to_string());
    }
    Ok(computed)
}

/// `token -`: every line of stdin checked and handed to `sink` as it is read; the returned report
/// carries the summary and exit code but no tokens (the sink had them).
pub fn stream(
    args: &TokenArgs,
    env: &Env,
    sink: &mut dyn TokenSink,
) -> Result<TokenReport, Failure> {
    let env_cert = env.certificate().map(str::to_string);
    let clock = env.now();
    let mut secret = None;
    let early: Vec<String> = env_cert
        .iter()
        .chain(args.cert.cert.iter())
        .map(|s| s.trim().to_string())
        .collect();
    env.with_stdin(|input| check_into(args, env_cert.clone(), input, clock, &mut secret, sink))
        .map(|(report, _)| report)
        .map_err(|e| Failure {
            message: e.to_string(),
            redaction: Redaction::Certificates(early.into_iter().chain(secret).collect()),
        })
}

/// Whether `token`'s arguments read the tokens from stdin (`token -`), the streamed form.
pub fn reads_stdin(args: &TokenArgs) -> bool {
    args.command.is_none() && args.example.is_none() && args.token.as_deref() == Some("-")
}

/// Check every input, handing each result to `sink`; the report returned has the summary and exit
/// code and no tokens. Also says whether the certificate came as a plain argument.
fn check_into(
    args: &TokenArgs,
    env_cert: Option<String>,
    stdin: &mut dyn BufRead,
    clock: u64,
    secret: &mut Option<String>,
    sink: &mut dyn TokenSink,
) -> Result<(TokenReport, bool), TokenError> {
    let reads_tokens_from_stdin = args.token.as_deref() == Some("-");
    if reads_tokens_from_stdin && args.cert.cert_stdin {
        return Err(TokenError::StdinTwice);
    }
    // Flags first: a bad --at must not wait for a certificate on stdin.
    let now = match (&args.at, &args.now) {
        (Some(v), _) => super::parse_at("--at", v, clock)?,
        (None, Some(v)) => super::parse_at("--now", v, clock)?,
        (None, None) => clock,
    };
    let mut cert = certificate::resolve(&args.cert, env_cert, stdin)?;
    if let Some(c) = &cert {
        *secret = Some(c.expose().to_string());
    }
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
    let mut single: Option<(String, String)> = None;
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
        single = Some((format!("example {}", example_name(example)), s.token));
    } else if !reads_tokens_from_stdin {
        if let Some(t) = &args.token {
            if t.len() > MAX_TOKEN_INPUT {
                return Err(TokenError::TooLong {
                    origin: "the argument".into(),
                    len: t.len(),
                    max: MAX_TOKEN_INPUT,
                });
            }
            single = Some(("argument".into(), t.clone()));
        }
    }
    exp.certificate = cert.as_ref().map(|c| c.expose().to_string());

    let mut head = TokenReport {
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
        tokens: Vec::new(),
        summary: Summary::default(),
        exit_code: 0,
    };
    let secrets: Vec<String> = secret.iter().cloned().collect();
    sink.start(&head, &secrets)?;

    let service = args.service.map(|s| s.service_use());
    let mut summary = Summary::default();
    let mut failed = false;
    let mut one = |source: String, raw: String| -> Result<(), TokenError> {
        let mut c = core::check_for(&raw, &exp, service, now);
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
        let result = report::token_result(source, c, args.strict);
        summary.add(&result);
        failed |= result.findings.iter().any(|f| f.status.fails(args.strict));
        sink.token(&head, result)
    };
    if let Some((source, raw)) = single {
        one(source, raw)?;
    } else if reads_tokens_from_stdin {
        let mut number = 0;
        let mut any = false;
        loop {
            number += 1;
            let mut bytes = Vec::new();
            // One byte past the limit (and the line break) tells a long line from a full one.
            let read = std::io::Read::take(&mut *stdin, MAX_TOKEN_INPUT as u64 + 2)
                .read_until(b'\n', &mut bytes)
                .map_err(|e| TokenError::Stdin {
                    reason: format!("line {number}: {e}"),
                })?;
            if read == 0 {
                break;
            }
            while matches!(bytes.last(), Some(b'\n' | b'\r')) {
                bytes.pop();
            }
            let origin = format!("stdin line {number}");
            if bytes.len() > MAX_TOKEN_INPUT {
                return Err(TokenError::TooLong {
                    origin,
                    len: bytes.len(),
                    max: MAX_TOKEN_INPUT,
                });
            }
            let line = String::from_utf8(bytes).map_err(|_| TokenError::Stdin {
                reason: format!("line {number} is not valid UTF-8 text"),
            })?;
            if !line.is_empty() {
                any = true;
                one(origin, line)?;
            }
        }
        if !any {
            one("stdin (no lines)".into(), String::new())?;
        }
    }
    head.summary = summary;
    head.exit_code = Outcome::findings_if(failed).code();
    Ok((head, on_command_line))
}

fn example_name(e: Example) -> String {
    use clap::ValueEnum;
    e.to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}
