//! Computes `agora-doctor report`: probe, token fields, log scan, versions, and the secrets to
//! redact; `lib::run` renders (Markdown or JSON), redacts and writes it.

use agora_token_core::diagnose;

use super::document::{LogSection, SupportReport, TokenSummary, SCHEMA};
use super::Versions;
use crate::cli::ReportArgs;
use crate::env::Env;
use crate::explain::log::read_log as read_reading;
use crate::inputs::given_secrets;
use crate::logfile::{self, LogError};
use crate::probe::command::{asked, execute};
use crate::report::{Computed, Destination, Failure, Redaction, Report};
use crate::Outcome;

/// Compute the command's document: the check list (`--list-checks`, nothing runs) or the report
/// (Markdown, or JSON with `--json`), with the secrets `lib::run` must take out of it.
pub fn compute(args: ReportArgs, env: &Env) -> Result<Computed, Failure> {
    if args.probe.list_checks {
        return Ok(Computed::new(Report::ProbeChecks, Outcome::Ok));
    }
    // Safe to paste in public: every token shape, certificate and given secret goes, from the
    // document and from an error alike.
    let redaction = Redaction::Public(given_secrets(&asked(&args.probe), env));
    let failed = |message: String| Failure {
        message,
        redaction: redaction.clone(),
    };
    let log = match &args.log {
        Some(path) => Some(read_log(&path.display().to_string(), env).map_err(failed)?),
        None => None,
    };
    let probe = execute(&args.probe, env).map_err(|e| failed(e.to_string()))?;
    let diagnosis = args.probe.token.as_deref().map(diagnose);
    let decoded = diagnosis.as_ref().and_then(|d| d.token.as_ref());
    let report = SupportReport {
        schema: SCHEMA,
        versions: Versions::collect(&probe),
        token: decoded.map(TokenSummary::of),
        log,
        reproduce: reproduce_commands(&args),
        probe,
        redactions: Vec::new(),
    };
    let outcome = if report.probe.exit_code != 0
        || report
            .log
            .as_ref()
            .is_some_and(|l| l.reading.has_problems())
    {
        Outcome::Findings
    } else {
        Outcome::Ok
    };
    let mut computed = Computed::new(Report::Support(report), outcome);
    computed.redaction = redaction;
    if let Some(path) = &args.out {
        computed.destination = Destination::File(path.clone());
    }
    Ok(computed)
}

/// Open (any encoding `logfile` reads) and scan the log; the error names the file and a next step.
fn read_log(path: &str, env: &Env) -> Result<LogSection, String> {
    logfile::with_log(path, env, |log| match read_reading(log.reader, &log.name) {
        Ok(reading) => Ok(LogSection {
            name: log.name,
            read_as: log.read_as,
            reading: Box::new(reading),
        }),
        Err(source) => Err(LogError::Read {
            name: log.name,
            source,
        }),
    })
    .and_then(|scanned| scanned)
    .map_err(|e| e.to_string())
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
