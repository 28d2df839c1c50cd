//! Renders a probe report: human text (one line per check, indented evidence, fix and explain key,
//! a closing summary) or one JSON document with a `schema` field and every field always present.

use std::fmt::Write as _;

use colored::Colorize;
use serde::Serialize;

use super::style::{finding_head, mark_word, plural, problems, Problems};
use super::OutputContext;
use crate::probe::checks::browser::NOT_RUN_KEYS;
use crate::probe::runner::CheckSpec;
use crate::probe::ProbeReport;
use crate::vocabulary::{Finding, Status};

fn write_finding_body(out: &mut String, f: &Finding, indent: &str) {
    for line in &f.evidence {
        let _ = writeln!(out, "{indent}{line}");
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "{indent}{} {fix}", "fix:".bold());
    }
}

/// The closing line: the counts behind the exit code. `-q` prints only this line (marked when the
/// run used the simulated edge, a test double).
pub fn summary_line(report: &ProbeReport) -> String {
    let c = &report.counts;
    let time = format!("{:.2} s", report.wall_ms as f64 / 1000.0);
    let how = Problems {
        errors_apart: true,
        ..Problems::default()
    };
    let summary = match problems(c, how) {
        None => format!(
            "{} check{}: {} passed, {} skipped — no problems ({time})",
            report.checks.len(),
            plural(report.checks.len() as u64),
            c.pass,
            c.skip
        ),
        Some(head) => format!("{head} ({time}); `agora-doctor explain <key>` says more"),
    };
    // A check the run asked for that could not start is said here too: a "no problems" line
    // must not hide that the browser never opened.
    let not_run: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Skip && NOT_RUN_KEYS.contains(&c.key.as_str()))
        .map(|c| format!("; the {} check did not run: {}", c.id, c.summary))
        .collect();
    summary + &not_run.concat()
}

/// `-q`: the summary line alone, marked when the run used the simulated edge (a test double).
pub fn quiet(report: &ProbeReport) -> String {
    let simulated = if report.simulated {
        " [simulated edge, a test double]"
    } else {
        ""
    };
    format!("{}{simulated}\n", summary_line(report))
}

/// The human report (`-v` adds the evidence of findings that passed).
pub fn human(report: &ProbeReport, ctx: &OutputContext) -> String {
    let mut out = String::new();
    let target = if report.simulated {
        format!("{} {}", "SIMULATED:".yellow().bold(), report.target)
    } else {
        report.target.clone()
    };
    let _ = writeln!(out, "agora-doctor probe — {target}");
    for note in &report.notes {
        let _ = writeln!(out, "{} {note}", "note:".bold());
    }
    for check in &report.checks {
        let _ = writeln!(
            out,
            "{:<8} {:<15} {}  {}",
            mark_word(check.status),
            check.id,
            check.summary,
            format!("[{}]", check.key).dimmed()
        );
        let indent = "                         ";
        let headline = Finding {
            key: check.key.clone(),
            status: check.status,
            summary: check.summary.clone(),
            evidence: check.evidence.clone(),
            fix: check.fix.clone(),
        };
        write_finding_body(&mut out, &headline, indent);
        // Show the individual findings when there is more than the headline to see.
        let extra: Vec<&Finding> = check
            .findings
            .iter()
            .filter(|f| check.findings.len() > 1 || **f != headline)
            .collect();
        for f in extra {
            finding_head(&mut out, indent, &mark_word(f.status), f);
            if f.status != Status::Pass || f.key != check.key || ctx.verbose {
                write_finding_body(&mut out, f, &format!("{indent}    "));
            }
        }
    }
    let _ = writeln!(out, "{}", summary_line(report));
    if report.simulated {
        let _ = writeln!(
            out,
            "This run talked to a simulated Agora edge on loopback (a test double), not to Agora."
        );
    }
    out
}

#[derive(Serialize)]
struct ListedCheck {
    id: &'static str,
    title: &'static str,
    inputs: &'static str,
}

#[derive(Serialize)]
struct CheckList {
    schema: &'static str,
    checks: Vec<ListedCheck>,
}

/// `--list-checks` output.
pub fn list_checks(specs: &[CheckSpec], as_json: bool) -> String {
    if as_json {
        let list = CheckList {
            schema: crate::probe::CHECKS_SCHEMA,
            checks: specs
                .iter()
                .map(|s| ListedCheck {
                    id: s.id,
                    title: s.title,
                    inputs: s.inputs,
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let mut out = String::new();
    for s in specs {
        let _ = writeln!(out, "{:<15} {}", s.id.bold(), s.title);
        let _ = writeln!(out, "{:<15} needs: {}", "", s.inputs);
    }
    out
}
