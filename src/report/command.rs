//! Computes `agora-doctor report`: probe, token fields, log scan, versions, and the secrets to
//! redact; `lib::run` renders (Markdown or JSON), redacts and writes it.

use agora_token_core::diagnose;

use super::document::{LogSection, SupportReport, TokenSummary, SCHEMA};
use super::Versions;
use crate::cli::ReportArgs;
use crate::env::Env;
use crate::explain::command::scan_log;
use crate::inputs::given_secrets;
use crate::inputs::Asked;
use crate::probe::command::{check_flags, execute_asked};
use crate::vocabulary::{Computed, Destination, Failure, Redaction};

/// Compute the command's document: the check list (`--list-checks`, nothing runs) or the report
/// (Markdown, or JSON with `--json`), with the secrets `lib::run` must take out of it.
pub fn compute(args: ReportArgs, env: &Env) -> Result<Computed<SupportReport>, Failure> {
    // Safe to paste in public: every token shape, certificate and given secret goes, from the
    // document and from an error alike.
    let asked = Asked::probe(&args.probe);
    let redaction = Redaction::Public(given_secrets(&asked, env));
    let failed = |message: String| Failure {
        message,
        redaction: redaction.clone(),
    };
    // Every flag is judged before the log is read.
    check_flags(&args.probe).map_err(|e| failed(e.to_string()))?;
    let log = match &args.log {
        Some(path) => Some(read_log(path, env).map_err(failed)?),
        None => None,
    };
    let mut probe = execute_asked(&args.probe, &asked, env).map_err(|e| failed(e.to_string()))?;
    // A report is pasted in public: the user's home folder (cache paths, the SDK double) is `~`.
    if let Some(home) = env.non_blank("HOME") {
        home_as_tilde(&mut probe, home);
    }
    let diagnosis = args.probe.token.as_deref().map(diagnose);
    let decoded = diagnosis.as_ref().and_then(|d| d.token.as_ref());
    let report = SupportReport {
        schema: SCHEMA,
        versions: Versions::collect(&probe),
        token: decoded.map(TokenSummary::of),
        log,
        reproduce: reproduce_commands(&args, &asked),
        probe,
        redactions: Vec::new(),
    };
    let mut computed = Computed::new(report);
    computed.redaction = redaction;
    if let Some(path) = &args.out {
        computed.destination = Destination::File(path.clone());
    }
    Ok(computed)
}

/// Open and scan the log (the one reader `explain --log` uses); the error names the file and a next
/// step.
fn read_log(path: &std::path::Path, env: &Env) -> Result<LogSection, String> {
    scan_log(path, env).map(|scanned| LogSection {
        name: scanned.name,
        read_as: scanned.read_as,
        reading: Box::new(scanned.reading),
    })
}

/// The commands that reproduce each part, with the token and certificate as placeholders.
fn reproduce_commands(args: &ReportArgs, asked: &Asked<'_>) -> Vec<String> {
    let p = &args.probe;
    let mut probe = vec!["agora-doctor probe".to_owned()];
    probe.extend(asked.target_flags().iter().map(|f| f.to_string()));
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

/// Every `HOME/…` path in the probe's text written `~/…`. Pure.
pub fn home_as_tilde(probe: &mut crate::probe::ProbeReport, home: &str) {
    let home = home.trim_end_matches('/');
    if home.is_empty() {
        return;
    }
    let prefix = format!("{home}/");
    let fix = |s: &mut String| {
        if s.contains(&prefix) {
            *s = s.replace(&prefix, "~/");
        }
    };
    let fix_finding = |f: &mut crate::vocabulary::Finding| {
        fix(&mut f.summary);
        f.evidence.iter_mut().for_each(fix);
        if let Some(x) = f.fix.as_mut() {
            fix(x);
        }
    };
    for c in &mut probe.checks {
        fix(&mut c.summary);
        c.evidence.iter_mut().for_each(fix);
        if let Some(x) = c.fix.as_mut() {
            fix(x);
        }
        c.findings.iter_mut().for_each(fix_finding);
    }
    probe.notes.iter_mut().for_each(fix);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::runner::CheckReport;
    use crate::vocabulary::{Finding, Status};

    /// Regression: the support report showed the user's home folder in cache paths.
    #[test]
    fn the_home_folder_is_shown_as_a_tilde() {
        let check = CheckReport {
            id: "join",
            title: "t",
            status: Status::Pass,
            key: "probe.join.ok".into(),
            summary: "ok".into(),
            evidence: vec!["library: /home/ana/.cache/agora-doctor/libagora_sdk_double.so".into()],
            fix: None,
            findings: vec![Finding::new(
                "k",
                Status::Pass,
                "path: /home/ana/.cache/agora-doctor/web-sdk/x.js",
            )],
            duration_ms: 0,
            budget_ms: 0,
        };
        let mut probe = crate::probe::ProbeReport {
            schema: crate::probe::SCHEMA,
            simulated: true,
            target: String::new(),
            strict: false,
            checks: vec![check],
            counts: Default::default(),
            wall_ms: 0,
            exit_code: 0,
            notes: vec!["/home/anabel/x stays".into()],
        };
        home_as_tilde(&mut probe, "/home/ana/");
        let c = &probe.checks[0];
        assert_eq!(
            c.evidence[0],
            "library: ~/.cache/agora-doctor/libagora_sdk_double.so"
        );
        assert_eq!(
            c.findings[0].summary,
            "path: ~/.cache/agora-doctor/web-sdk/x.js"
        );
        assert_eq!(probe.notes[0], "/home/anabel/x stays");
    }
}
