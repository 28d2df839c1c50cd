//! Runs `agora-doctor scan`: reads the clock (or `--now`), checks the folder, scans it, redacts every
//! certificate value found from the rendered text, and writes the report.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{scan, ScanOptions};
use crate::cli::scan::ScanArgs;
use crate::render::{self, print_error, OutputContext};
use crate::Outcome;

/// Threads for the walk: the machine's parallelism, at most 8 (reading small files stops scaling
/// well before that).
fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(8)
}

/// Replace every certificate value (in any letter case) with a marker. The renderers never print a
/// certificate; this is the last line of defence for text quoted from the project.
pub fn redact(text: &str, certificates: &[String]) -> String {
    let mut out = text.to_string();
    for cert in certificates.iter().filter(|c| !c.is_empty()) {
        let lower = out.to_ascii_lowercase();
        let needle = cert.to_ascii_lowercase();
        let mut result = String::with_capacity(out.len());
        let mut last = 0;
        for (i, _) in lower.match_indices(&needle) {
            result.push_str(&out[last..i]);
            result.push_str("<certificate>");
            last = i + needle.len();
        }
        result.push_str(&out[last..]);
        out = result;
    }
    out
}

/// Run the command.
pub fn run(args: ScanArgs, ctx: &OutputContext) -> Outcome {
    let now = match &args.now {
        Some(t) => match crate::token::parse_time("--now", t) {
            Ok(n) => n,
            Err(e) => {
                print_error(&e.to_string());
                return Outcome::CouldNotRun;
            }
        },
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    };
    match std::fs::metadata(&args.dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            print_error(&format!(
                "{} is not a folder; pass the app project's folder (default: the current directory)",
                args.dir.display()
            ));
            return Outcome::CouldNotRun;
        }
        Err(e) => {
            print_error(&format!(
                "cannot read {}: {e}; pass the app project's folder (default: the current directory)",
                args.dir.display()
            ));
            return Outcome::CouldNotRun;
        }
    }
    let options = ScanOptions {
        all: args.all,
        strict: args.strict,
        threads: threads(),
    };
    let (report, certificates) = scan(&args.dir, options, now);
    let text = if args.json {
        render::scan::json(&report)
    } else if ctx.quiet {
        format!("{}\n", render::scan::summary_line(&report))
    } else {
        render::scan::human(&report, ctx.verbose)
    };
    if let Err(e) = render::write_stdout(&redact(&text, &certificates)) {
        print_error(&format!("could not write to stdout: {e}"));
        return Outcome::CouldNotRun;
    }
    if report.exit_code == 0 {
        Outcome::Ok
    } else {
        Outcome::Findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_ignores_letter_case() {
        let certs = vec!["5CFd2fd1755d40ecb72977518be15d3b".to_string()];
        let text = "a 5cfd2fd1755d40ecb72977518be15d3b b 5CFD2FD1755D40ECB72977518BE15D3B";
        assert_eq!(redact(text, &certs), "a <certificate> b <certificate>");
    }
}
