//! Computes `agora-doctor scan`: takes the time tokens are judged at from `--now` or the tool's
//! clock (`Env::now`, which `AGORA_DOCTOR_NOW` fixes), checks the folder, scans it, and hands
//! `lib::run` the report with every certificate value found to redact from the rendered text.

use super::{scan, ScanOptions};
use crate::cli::scan::ScanArgs;
use crate::env::Env;
use crate::report::{Computed, Redaction, Report};
use crate::Outcome;

/// Threads for the walk: the machine's parallelism, at most 8 (reading small files stops scaling
/// well before that).
fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(8)
}

/// Scan the folder `args` names; an error (exit 2) names the bad input and the next step.
pub fn compute(args: ScanArgs, env: &Env) -> Result<Computed, String> {
    let now = match &args.now {
        Some(t) => crate::token::parse_time("--now", t).map_err(|e| e.to_string())?,
        None => env.now(),
    };
    match std::fs::metadata(&args.dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(format!(
            "{} is not a folder; pass the app project's folder (default: the current directory)",
            args.dir.display()
        ))
        }
        Err(e) => {
            return Err(format!(
            "cannot read {}: {e}; pass the app project's folder (default: the current directory)",
            args.dir.display()
        ))
        }
    }
    let options = ScanOptions {
        all: args.all,
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        strict: args.strict,
        threads: threads(),
    };
    let (report, certificates) = scan(&args.dir, options, now);
    let outcome = if report.exit_code == 0 {
        Outcome::Ok
    } else {
        Outcome::Findings
    };
    let mut computed = Computed::new(Report::Scan(report), outcome);
    // The renderers never print a certificate; this is the last line of defence for text quoted
    // from the project.
    computed.redaction = Redaction::Certificates(certificates);
    Ok(computed)
}
