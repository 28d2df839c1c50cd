//! Markdown for `agora-doctor report`: headings, tables and fenced blocks that paste cleanly into a
//! GitHub issue or a support ticket, and the same report as JSON (`report --json`). Secrets are
//! removed afterwards by [`crate::redact`], whose counts [`render_redactions`] shows.

use std::fmt::Write;

use chrono::DateTime;
use serde_json::{json, Value};

use crate::redact::Redactions;
use crate::report::Status;
use crate::support::{SupportReport, SCHEMA};

/// Render the whole report.
pub fn render_markdown(report: &SupportReport) -> String {
    let mut md = String::new();
    let probe = &report.probe;
    let _ = writeln!(md, "# agora-doctor report\n");
    if probe.simulated {
        let _ = writeln!(
            md,
            "> This run talked to a **simulated Agora edge** on loopback (a test double), not to Agora.\n"
        );
    }
    let c = &probe.counts;
    let _ = writeln!(
        md,
        "**Result:** {} checks: {} passed, {} warnings, {} failed, {} errors, {} skipped (exit code {}).\n",
        probe.checks.len(),
        c.pass,
        c.warn,
        c.fail,
        c.error,
        c.skip,
        probe.exit_code
    );

    let v = &report.versions;
    let _ = writeln!(md, "## Versions\n\n| component | version |\n|---|---|");
    let _ = writeln!(md, "| agora-doctor | {} |", cell(&v.agora_doctor));
    let _ = writeln!(md, "| OS | {} |", cell(&v.os));
    let unknown = |o: &Option<String>, none: &str| o.clone().unwrap_or_else(|| none.to_owned());
    let _ = writeln!(
        md,
        "| Chromium | {} |",
        cell(&unknown(&v.chromium, "not installed"))
    );
    let _ = writeln!(
        md,
        "| Agora Web SDK (page) | {} |",
        cell(&unknown(&v.web_sdk, "not checked (pass --url)"))
    );
    let _ = writeln!(
        md,
        "| Agora native SDK | {} |",
        cell(&unknown(&v.native_sdk, "not loaded"))
    );
    let _ = writeln!(md, "| endpoints | {} |\n", cell(&probe.target));

    if let Some(token) = &report.token {
        let _ = writeln!(
            md,
            "## Token (public fields; signature redacted)\n\n| field | value |\n|---|---|"
        );
        let _ = writeln!(md, "| format | {} |", token.version);
        let _ = writeln!(md, "| App ID | {} |", cell(&token.app_id));
        if let Some(issued) = token.issued_at {
            let _ = writeln!(md, "| issued | {} |", time(issued));
        }
        let _ = writeln!(md, "| expires | {} |", time(token.expires_at));
        for service in &token.services {
            let _ = writeln!(md, "| service | {} |", cell(service));
        }
        let _ = writeln!(md, "| signature | [redacted] |\n");
    }

    let _ = writeln!(md, "## Checks\n");
    for check in &probe.checks {
        let _ = writeln!(
            md,
            "### {} `{}` — {}\n\n{}  \nexplain: `agora-doctor explain {}`\n",
            mark(check.status),
            check.id,
            check.title,
            check.summary,
            check.key
        );
        for line in &check.evidence {
            let _ = writeln!(md, "- {line}");
        }
        for f in check.findings.iter().filter(|f| f.status != Status::Pass) {
            let _ = writeln!(md, "- {} {} (`{}`)", mark(f.status), f.summary, f.key);
            if let Some(fix) = &f.fix {
                let _ = writeln!(md, "  - fix: {fix}");
            }
        }
        if let Some(fix) = &check.fix {
            let _ = writeln!(md, "\n**Fix:** {fix}");
        }
        let _ = writeln!(md);
    }

    if let Some(scanned) = &report.log {
        let log = &scanned.report;
        let read_as = if scanned.read_as.is_empty() {
            String::new()
        } else {
            format!(" (read as {})", scanned.read_as.join(", "))
        };
        let _ = writeln!(
            md,
            "## Log `{}`{read_as}\n\n{} lines scanned, {} distinct Agora errors.\n",
            scanned.name,
            log.lines,
            log.errors.len()
        );
        for e in &log.errors {
            let _ = writeln!(
                md,
                "### `{}` — {} time(s), lines {}–{}\n\n```text\n{}\n```\n\n{}\n\n**Fix:** {}\n",
                e.entry.key,
                e.count,
                e.first_line,
                e.last_line,
                e.line.replace("```", "'''"),
                e.entry.summary,
                e.entry.fix
            );
        }
    }

    let _ = writeln!(md, "## Reproduce\n\n```sh");
    for command in &report.reproduce {
        let _ = writeln!(md, "{command}");
    }
    let _ = writeln!(md, "```");
    md
}

/// The closing section: what redaction removed, and how many times.
pub fn render_redactions(redactions: &Redactions) -> String {
    let mut md = String::from("\n## Redacted\n\n");
    let rows = redactions.rows();
    if rows.is_empty() {
        md.push_str(
            "Nothing needed redacting: no token, no certificate and no given secret appeared.\n",
        );
        return md;
    }
    let _ = writeln!(md, "| what | times |\n|---|---|");
    for row in rows {
        let _ = writeln!(md, "| {} | {} |", cell(row.what), row.count);
    }
    let _ = writeln!(
        md,
        "\nEach is shown as `[redacted …]`; App IDs, channels, uids and times stay readable."
    );
    md
}

/// The report as one JSON document (schema [`SCHEMA`]), before redaction; the caller adds
/// `redactions` after redacting.
pub fn render_json(report: &SupportReport) -> Value {
    let log = report.log.as_ref().map(|scanned| {
        json!({
            "source": scanned.name,
            "read_as": scanned.read_as,
            "lines": scanned.report.lines,
            "bytes": scanned.report.bytes,
            "errors": scanned.report.errors.iter().map(|e| json!({
                "key": e.entry.key,
                "title": e.entry.title,
                "count": e.count,
                "first_line": e.first_line,
                "last_line": e.last_line,
                "line": e.line,
                "summary": e.entry.summary,
                "fix": e.entry.fix,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "schema": SCHEMA,
        "versions": report.versions,
        "probe": report.probe,
        "token": report.token,
        "log": log,
        "reproduce": report.reproduce,
        "redactions": [],
    })
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Skip => "⏭️",
        Status::Warn => "⚠️",
        Status::Fail => "❌",
        Status::Error => "💥",
    }
}

/// A table cell: pipes and line breaks would break the table.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn time(unix: u64) -> String {
    i64::try_from(unix)
        .ok()
        .and_then(|t| DateTime::from_timestamp(t, 0))
        .map(|t| format!("{} ({unix})", t.format("%Y-%m-%dT%H:%M:%SZ")))
        .unwrap_or_else(|| unix.to_string())
}
