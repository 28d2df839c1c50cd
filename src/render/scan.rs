//! Renders a scan report: human text (the SDKs found, one line per finding with its file and line,
//! indented evidence, fix and explain key, the skipped files, a closing summary) or one JSON document.

use std::fmt::Write as _;

use colored::Colorize;

use super::style::{mark_word, plural};
use crate::scan::ScanReport;

/// The closing line: the counts behind the exit code (`-q` prints only this line).
pub fn summary_line(report: &ScanReport) -> String {
    let c = &report.counts;
    let problems = c.fail + c.warn + c.error;
    let files = format!(
        "{} file{} read",
        report.files_scanned,
        plural(report.files_scanned as u64)
    );
    if problems == 0 {
        return format!("no problems found ({files})");
    }
    let mut parts = Vec::new();
    if c.fail > 0 {
        parts.push(format!("{} failure{}", c.fail, plural(c.fail as u64)));
    }
    if c.error > 0 {
        parts.push(format!("{} error{}", c.error, plural(c.error as u64)));
    }
    if c.warn > 0 {
        parts.push(format!("{} warning{}", c.warn, plural(c.warn as u64)));
    }
    format!(
        "{problems} problem{}: {} ({files}); `agora-doctor explain <key>` says more",
        plural(problems as u64),
        parts.join(", ")
    )
}

/// The human report; `verbose` lists every skipped file instead of counting them.
pub fn human(report: &ScanReport, verbose: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "agora-doctor scan — {}", report.root);
    if !report.dependencies.is_empty() {
        let _ = writeln!(out, "{}", "SDKs:".bold());
        for d in &report.dependencies {
            let how = if d.locked { "locked" } else { "declared" };
            let _ = writeln!(out, "  {} {} ({how} in {})", d.package, d.version, d.file);
        }
    }
    for f in &report.findings {
        let place = match (&f.file, f.line) {
            (Some(file), Some(line)) => format!("{file}:{line}"),
            (Some(file), None) => file.clone(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{:<8} {}  {}",
            mark_word(f.finding.status),
            f.finding.summary,
            format!("[{}]", f.finding.key).dimmed()
        );
        let indent = "         ";
        if !place.is_empty() && verbose {
            let _ = writeln!(out, "{indent}{}", place.dimmed());
        }
        for line in &f.finding.evidence {
            let _ = writeln!(out, "{indent}{line}");
        }
        if let Some(fix) = &f.finding.fix {
            let _ = writeln!(out, "{indent}{} {fix}", "fix:".bold());
        }
    }
    if !report.skipped.is_empty() {
        if verbose {
            let _ = writeln!(out, "{}", "skipped:".bold());
            for s in &report.skipped {
                let detail = if s.detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", s.detail)
                };
                let _ = writeln!(out, "  {}: {}{detail}", s.path, s.reason);
            }
        } else {
            let mut reasons: Vec<(String, usize)> = Vec::new();
            for s in &report.skipped {
                match reasons.iter_mut().find(|(r, _)| *r == s.reason) {
                    Some((_, n)) => *n += 1,
                    None => reasons.push((s.reason.clone(), 1)),
                }
            }
            let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
            let _ = writeln!(
                out,
                "note: {} file{} not read ({}); -v lists them",
                report.skipped.len(),
                plural(report.skipped.len() as u64),
                list.join(", ")
            );
        }
    }
    if !report.all {
        let _ = writeln!(
            out,
            "{}",
            "node_modules, build output and VCS folders were not read (--all reads them)".dimmed()
        );
    }
    let _ = writeln!(out, "{}", summary_line(report));
    out
}

/// The JSON report.
pub fn json(report: &ScanReport) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        format!(
            "{{\"schema\":\"{}\",\"error\":\"{e}\"}}",
            crate::scan::SCHEMA
        )
    });
    text.push('\n');
    text
}
