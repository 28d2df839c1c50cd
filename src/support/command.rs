//! Runs `agora-doctor report`: probe, token fields, log scan, versions; render, redact, write.

use std::fs::File;
use std::io;
use std::path::Path;

use agora_token_core::diagnose;

use super::{redact, secrets_of, SupportReport, TokenSummary, Versions};
use crate::cli::ReportArgs;
use crate::explain::scan::{scan_log, LogReport};
use crate::probe::command::execute;
use crate::render::{print_error, support::render_markdown, write_stdout, OutputContext};
use crate::Outcome;

/// Run the command.
pub fn run(args: ReportArgs, ctx: &OutputContext) -> Outcome {
    let log = match &args.log {
        Some(path) => match read_log(path) {
            Ok(report) => Some((path.display().to_string(), report)),
            Err(e) => {
                print_error(&format!(
                    "could not read the log {}: {e}; pass a readable file or `-` for stdin",
                    path.display()
                ));
                return Outcome::CouldNotRun;
            }
        },
        None => None,
    };
    // The probe's own output goes nowhere: the report renders it.
    let quiet = OutputContext {
        stderr_is_terminal: ctx.stderr_is_terminal,
        ..OutputContext::plain()
    };
    let probe = match execute(&args.probe, &quiet) {
        Ok(report) => report,
        Err(e) => {
            print_error(&e.to_string());
            return Outcome::CouldNotRun;
        }
    };
    let diagnosis = args.probe.token.as_deref().map(diagnose);
    let decoded = diagnosis.as_ref().and_then(|d| d.token.as_ref());
    let report = SupportReport {
        versions: Versions::collect(&probe),
        token: decoded.map(TokenSummary::of),
        log,
        reproduce: reproduce_commands(&args),
        probe,
    };
    let mut secrets = secrets_of(
        args.probe.token.as_deref(),
        decoded,
        std::env::var("AGORA_APP_CERTIFICATE").ok().as_deref(),
    );
    if let Some(repaired) = diagnosis.as_ref().and_then(|d| d.repaired.clone()) {
        secrets.push(repaired);
    }
    if let Some(path) = &args.probe.cert_file {
        if let Ok(cert) = std::fs::read_to_string(path) {
            secrets.push(cert.trim().to_owned());
        }
    }
    let text = redact(&render_markdown(&report), &secrets);
    let outcome = if report.probe.exit_code != 0
        || report
            .log
            .as_ref()
            .is_some_and(|(_, l)| !l.errors.is_empty())
    {
        Outcome::Findings
    } else {
        Outcome::Ok
    };
    let written = match &args.out {
        Some(path) => std::fs::write(path, text).map_err(|e| (path.display().to_string(), e)),
        None => write_stdout(&text).map_err(|e| ("stdout".to_owned(), e)),
    };
    match written {
        Ok(()) => outcome,
        Err((target, e)) => {
            print_error(&format!(
                "could not write the report to {target}: {e}; pass --out with a writable path"
            ));
            Outcome::CouldNotRun
        }
    }
}

fn read_log(path: &Path) -> io::Result<LogReport> {
    if path == Path::new("-") {
        return scan_log(io::stdin().lock());
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
