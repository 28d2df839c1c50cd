//! Computes `agora-doctor report`: probe, token fields, log scan, versions, and the secrets to
//! redact; `lib::run` renders (Markdown or JSON), redacts and writes it.

use std::fs::File;
use std::io;
use std::path::Path;

use agora_token_core::diagnose;

use super::document::{secrets_of, LogSection, SupportReport, TokenSummary, SCHEMA};
use super::Versions;
use crate::cli::ReportArgs;
use crate::env::Env;
use crate::explain::scan::{scan_log, LogReport};
use crate::probe::command::execute;
use crate::report::{Computed, Destination, Redaction, Report};
use crate::Outcome;

/// Compute the command's document: the check list (`--list-checks`, nothing runs) or the report
/// (Markdown, or JSON with `--json`), with the secrets `lib::run` must take out of it.
pub fn compute(args: ReportArgs, env: &Env) -> Result<Computed, String> {
    if args.probe.list_checks {
        return Ok(Computed::new(Report::ProbeChecks, Outcome::Ok));
    }
    let log = match &args.log {
        Some(path) => match read_log(path, env) {
            Ok(report) => Some((path.display().to_string(), report)),
            Err(e) => {
                return Err(format!(
                    "could not read the log {}: {e}; pass a readable file or `-` for stdin",
                    path.display()
                ));
            }
        },
        None => None,
    };
    let probe = execute(&args.probe, env).map_err(|e| e.to_string())?;
    let diagnosis = args.probe.token.as_deref().map(diagnose);
    let decoded = diagnosis.as_ref().and_then(|d| d.token.as_ref());
    let report = SupportReport {
        schema: SCHEMA,
        versions: Versions::collect(&probe),
        token: decoded.map(TokenSummary::of),
        log: log.map(|(name, report)| LogSection { name, report }),
        reproduce: reproduce_commands(&args),
        probe,
    };
    let mut secrets = secrets_of(
        args.probe.token.as_deref(),
        decoded,
        env.var(crate::env::CERT_ENV),
    );
    if let Some(repaired) = diagnosis.as_ref().and_then(|d| d.repaired.clone()) {
        secrets.push(repaired);
    }
    if let Some(path) = &args.probe.cert_file {
        if let Ok(cert) = std::fs::read_to_string(path) {
            secrets.push(cert.trim().to_owned());
        }
    }
    let outcome = if report.probe.exit_code != 0
        || report
            .log
            .as_ref()
            .is_some_and(|l| !l.report.errors.is_empty())
    {
        Outcome::Findings
    } else {
        Outcome::Ok
    };
    let mut computed = Computed::new(Report::Support(report), outcome);
    computed.redaction = Redaction::Secrets(secrets);
    if let Some(path) = &args.out {
        computed.destination = Destination::File(path.clone());
    }
    Ok(computed)
}

fn read_log(path: &Path, env: &Env) -> io::Result<LogReport> {
    if path == Path::new("-") {
        return env.with_stdin(|stdin| scan_log(stdin));
    }
    let file = File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::other("it is a directory"));
    }
    scan_log(file)
}

/// The commands that reproduce each part, with the token and certificate as placeholders.
fn reproduce_commands(args: &ReportArgs) -> Vec<String> {
    let p = &args.probe;
    let mut probe = vec!["agora-doctor probe".to_owned()];
    if p.sim {
        probe.push("--sim".into());
    }
    if let Some(app_id) = &p.app_id {
        probe.push(format!("--app-id {app_id}"));
    }
    if p.token.is_some() {
        probe.push("--token \"$TOKEN\"".into());
    }
    if let Some(channel) = &p.channel {
        probe.push(format!("--channel {}", shell_quote(channel)));
    }
    if let Some(uid) = &p.uid {
        probe.push(format!("--uid {}", shell_quote(uid)));
    }
    if let Some(url) = &p.url {
        probe.push(format!("--url {}", shell_quote(url)));
    }
    let mut out = vec![probe.join(" ")];
    if p.token.is_some() {
        let mut token = vec!["agora-doctor token \"$TOKEN\"".to_owned()];
        if let Some(channel) = &p.channel {
            token.push(format!("--channel {}", shell_quote(channel)));
        }
        if let Some(uid) = &p.uid {
            token.push(format!("--uid {}", shell_quote(uid)));
        }
        if let Some(app_id) = &p.app_id {
            token.push(format!("--app-id {app_id}"));
        }
        out.push(token.join(" "));
    }
    if let Some(log) = &args.log {
        out.push(format!(
            "agora-doctor explain --log {}",
            shell_quote(&log.display().to_string())
        ));
    }
    out
}

/// Quote for a POSIX shell when needed.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
