//! Renders a scan report: human text (the project model — apps, SDKs and where each was found, what
//! was left out — then one line per finding with its places, indented evidence, fix and explain
//! key, the skipped files, a closing summary) or one JSON document.

use std::fmt::Write as _;

use colored::Colorize;

use super::style::{mark_word, plural, problems, Problems};
use crate::scan::model::Generation;
use crate::scan::ScanReport;

/// The closing line: the counts behind the exit code (`-q` prints only this line).
pub fn summary_line(report: &ScanReport) -> String {
    let files = format!(
        "{} file{} read",
        report.files_scanned,
        plural(report.files_scanned as u64)
    );
    let how = Problems {
        errors_apart: true,
        ..Problems::default()
    };
    match problems(&report.counts, how) {
        None => format!("no problems found ({files})"),
        Some(head) => format!("{head} ({files}); `agora-doctor explain <key>` says more"),
    }
}

/// The project model: each app with its platform, products and SDKs (version, generation, where
/// found), then what was left out, with counts.
fn model(out: &mut String, report: &ScanReport, verbose: bool) {
    let m = &report.model;
    if m.apps.is_empty() {
        let _ = writeln!(out, "{} no Agora SDK found", "project:".bold());
    }
    for app in &m.apps {
        let products: Vec<&str> = app.products.iter().map(|p| p.label()).collect();
        let _ = writeln!(
            out,
            "{} {} — {}{} ({} file{} of app code)",
            "app".bold(),
            app.root,
            app.platform,
            if products.is_empty() {
                String::new()
            } else {
                format!(", {}", products.join(", "))
            },
            app.files,
            plural(app.files as u64)
        );
        for sdk in &app.sdks {
            let version = if sdk.version.is_empty() {
                String::new()
            } else {
                format!(" {}", sdk.version)
            };
            let generation = match (sdk.generation, sdk.version.is_empty()) {
                (Generation::Unknown, true) => " [version not found]".to_string(),
                (Generation::Unknown, false) => String::new(),
                (g, _) if sdk.retired => format!(" [{}, retired]", g.label()),
                (g, _) => format!(" [{}]", g.label()),
            };
            let mut wheres: Vec<String> = sdk
                .found
                .iter()
                .map(|f| {
                    let place = match f.line {
                        Some(l) => format!("{}:{l}", f.file),
                        None => f.file.clone(),
                    };
                    format!("{} in {place}", f.how)
                })
                .collect();
            let total = wheres.len();
            if !verbose && total > 3 {
                wheres.truncate(3);
                wheres.push(format!("{} more", total - 3));
            }
            let _ = writeln!(
                out,
                "  {}{version}{generation} ({})",
                sdk.package,
                wheres.join("; ")
            );
        }
    }
    if !m.left_out.is_empty() || m.lock_files > 0 {
        let mut parts: Vec<String> = m
            .left_out
            .iter()
            .map(|g| {
                let mut counts = Vec::new();
                if g.folders > 0 {
                    counts.push(format!("{} folder{}", g.folders, plural(g.folders as u64)));
                }
                if g.files > 0 {
                    counts.push(format!("{} file{}", g.files, plural(g.files as u64)));
                }
                let examples = if verbose {
                    format!(": {}", g.examples.join(", "))
                } else {
                    String::new()
                };
                format!("{} ({}){examples}", g.label, counts.join(", "))
            })
            .collect();
        if m.lock_files > 0 {
            parts.push(format!(
                "{} lock file{} read for versions only",
                m.lock_files,
                plural(m.lock_files as u64)
            ));
        }
        let _ = writeln!(out, "{} {}", "not app code:".bold(), parts.join("; "));
    }
    let mut by_app: Vec<(String, String, Vec<String>)> = Vec::new();
    for s in &m.skipped_rules {
        match by_app
            .iter_mut()
            .find(|(a, c, _)| *a == s.app && *c == s.code_is)
        {
            Some((_, _, keys)) => keys.push(s.key.clone()),
            None => by_app.push((s.app.clone(), s.code_is.clone(), vec![s.key.clone()])),
        }
    }
    for (app, code, mut keys) in by_app {
        keys.dedup();
        let _ = writeln!(
            out,
            "{}",
            format!(
                "{} Web SDK 4.x rule{} not applied to {app}: its code is written for {code}",
                keys.len(),
                plural(keys.len() as u64)
            )
            .dimmed()
        );
    }
}

/// The human report; `verbose` lists every skipped file instead of counting them.
pub fn human(report: &ScanReport, verbose: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "agora-doctor scan — {}", report.root);
    model(&mut out, report, verbose);
    if !report.dependencies.is_empty() && verbose {
        let _ = writeln!(out, "{}", "SDKs:".bold());
        for d in &report.dependencies {
            let how = if d.locked { "locked" } else { "declared" };
            let _ = writeln!(out, "  {} {} ({how} in {})", d.package, d.version, d.file);
        }
    }
    for f in &report.findings {
        let _ = writeln!(
            out,
            "{:<8} {}  {}",
            mark_word(f.finding.status),
            f.finding.summary,
            format!("[{}]", f.finding.key).dimmed()
        );
        let indent = "         ";
        if !f.places.is_empty() {
            let mut shown: Vec<String> = f.places.iter().map(|p| p.to_string()).collect();
            let total = shown.len();
            if !verbose && total > 5 {
                shown.truncate(5);
                shown.push(format!("and {} more (-v lists them)", total - 5));
            }
            let _ = writeln!(out, "{indent}at {}", shown.join(", "));
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
    if !report.all && !report.model.left_out.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            "what is not app code was not read (--include GLOB reads it, --all reads everything)"
                .dimmed()
        );
    }
    let _ = writeln!(out, "{}", summary_line(report));
    out
}
