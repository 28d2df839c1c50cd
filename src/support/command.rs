//! Runs `agora-doctor report`: probe, token fields, log scan, versions; render, redact, write.

use agora_token_core::diagnose;

use super::{ScannedLog, SupportReport, TokenSummary, Versions};
use crate::cli::ReportArgs;
use crate::explain::scan::scan_log;
use crate::logfile;
use crate::probe::command::{execute, run_redactor};
use crate::redact::Redactions;
use crate::render::support::{render_json, render_markdown, render_redactions};
use crate::render::{print_error, write_stdout, OutputContext};
use crate::Outcome;

/// Run the command.
pub fn run(args: ReportArgs, ctx: &OutputContext) -> Outcome {
    let log = match &args.log {
        Some(path) => match read_log(&path.display().to_string()) {
            Ok(log) => Some(log),
            Err(message) => {
                print_error(&message);
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
    let redactor = run_redactor(args.probe.token.as_deref(), args.probe.cert_file.as_deref());
    // Everything rendered is redacted, then the count of what was removed is added.
    let mut redactions = Redactions::default();
    let text = if args.probe.json {
        let mut doc = render_json(&report);
        redactor.json_value(&mut doc, &mut redactions);
        doc["redactions"] = serde_json::to_value(redactions.rows()).unwrap_or_default();
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    } else {
        let mut text = redactor.text(&render_markdown(&report), &mut redactions);
        text.push_str(&render_redactions(&redactions));
        text
    };
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

/// Open (any encoding `logfile` reads) and scan the log; the error names the file and a next step.
fn read_log(path: &str) -> Result<ScannedLog, String> {
    let source = logfile::open(path).map_err(|e| e.to_string())?;
    let name = source.name.clone();
    match scan_log(source.reader) {
        Ok(report) => Ok(ScannedLog {
            name,
            read_as: source.read_as,
            report,
        }),
        Err(source) => Err(logfile::LogError::Read { name, source }.to_string()),
    }
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
