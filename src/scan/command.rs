//! Computes `agora-doctor scan`: takes the time tokens are judged at from `--now` or the tool's
//! clock (`Env::now`, which `AGORA_DOCTOR_NOW` fixes), checks the folder, scans it (with a progress
//! line on stderr when stderr is a terminal and the scan takes over a second), and hands
//! `lib::run` the report with every certificate value found to redact from the rendered text.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::{scan, ScanOptions, ScanReport};
use crate::cli::scan::ScanArgs;
use crate::env::Env;
use crate::vocabulary::{Computed, Redaction};

/// A scan shows progress on a terminal once it has run this long.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// Threads for the walk: the machine's parallelism, at most 8 (reading small files stops scaling
/// well before that).
fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(8)
}

/// Scan the folder `args` names; an error (exit 2) names the bad input and the next step.
pub fn compute(args: ScanArgs, env: &Env) -> Result<Computed<ScanReport>, String> {
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
    // A folder that cannot be listed would read as "no problems found (0 files read)".
    if let Err(e) = std::fs::read_dir(&args.dir) {
        return Err(format!(
            "cannot read the folder {}: {e}; run as a user who may read it, or pass the app project's folder",
            args.dir.display()
        ));
    }
    let counter = Arc::new(AtomicUsize::new(0));
    let options = ScanOptions {
        all: args.all,
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        progress: Some(counter.clone()),
        strict: args.strict,
        threads: threads(),
    };
    // Progress on stderr, on a terminal only, and only once the scan has taken a second.
    let (done, finished) = mpsc::channel::<()>();
    let progress = env.stderr_is_terminal.then(|| {
        let dir = args.dir.display().to_string();
        let counter = counter.clone();
        std::thread::spawn(move || {
            if finished.recv_timeout(PROGRESS_AFTER).is_ok() {
                return;
            }
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            loop {
                bar.set_message(format!(
                    "scanning {dir}: {} files read…",
                    counter.load(Ordering::Relaxed)
                ));
                bar.tick();
                if finished.recv_timeout(Duration::from_millis(100)).is_ok() {
                    break;
                }
            }
            bar.finish_and_clear();
        })
    });
    let (report, certificates) = scan(&args.dir, options, now);
    let _ = done.send(());
    if let Some(p) = progress {
        let _ = p.join();
    }
    let mut computed = Computed::new(report);
    // The renderers never print a certificate; this is the last line of defence for text quoted
    // from the project.
    computed.redaction = Redaction::Certificates(certificates);
    Ok(computed)
}
