//! Markdown for `agora-doctor report`: headings, tables and fenced blocks that paste cleanly into a
//! GitHub issue or a support ticket, and the same report as JSON (`report --json`). Secrets are
//! removed afterwards by `lib::run` with [`crate::redact`], whose counts the closing section shows.

use std::fmt::Write;

use super::style::{mark_emoji, rfc3339};

use crate::redact::RedactionCount;
use crate::report::SupportReport;
use crate::vocabulary::Status;

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
    for note in &probe.notes {
        let _ = writeln!(md, "> Note: {note}\n");
    }
    let c = &probe.counts;
    let _ = writeln!(
        md,
        "**Result:** {}: {} passed, {}, {} failed, {}, {} skipped (exit code {}).\n",
        super::style::count(probe.checks.len() as u64, "check"),
        c.pass,
        super::style::count(c.warn as u64, "warning"),
        c.fail,
        super::style::count(c.error as u64, "error"),
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
            mark_emoji(check.status),
            check.id,
            check.title,
            check.summary,
            check.key
        );
        for line in &check.evidence {
            let _ = writeln!(md, "- {line}");
        }
        for f in check.findings.iter().filter(|f| f.status != Status::Pass) {
            let _ = writeln!(md, "- {} {} (`{}`)", mark_emoji(f.status), f.summary, f.key);
            if let Some(fix) = &f.fix {
                let _ = writeln!(md, "  - fix: {fix}");
            }
        }
        if let Some(fix) = &check.fix {
            let _ = writeln!(md, "\n**Fix:** {fix}");
        }
        let _ = writeln!(md);
    }

    if let Some(section) = &report.log {
        let (name, log) = (&section.name, &section.reading);
        let read_as = if section.read_as.is_empty() {
            String::new()
        } else {
            format!(" (read as {})", section.read_as.join(", "))
        };
        let noise: u64 = log.noise.iter().map(|n| n.count).sum();
        let _ = writeln!(
            md,
            "## Log `{}`{read_as}\n\n{}: {} lines read, {} problems, {} noise lines, {} not recognised.\n",
            name,
            log.format.label(),
            log.lines,
            log.problems.len(),
            noise,
            log.unrecognised.count
        );
        for p in &log.problems {
            let (summary, fix, _) = super::explain_log::explanation(p);
            let _ = writeln!(
                md,
                "### `{}` — {}, {}\n\n```text\n{}\n```\n\n{}\n\n**Fix:** {}\n",
                p.key,
                p.kind.label(),
                super::style::occurrences(p.count, p.first_line, p.last_line),
                p.line.replace("```", "'''"),
                summary,
                fix
            );
        }
        if log.timeline_has_times() {
            let _ = writeln!(md, "### Timeline\n\n```text");
            if log.timeline.events.is_empty() {
                let _ = writeln!(
                    md,
                    "{} – {}: no session event in this log",
                    log.timeline.first_time, log.timeline.last_time
                );
            }
            for e in log.timeline.events.iter().take(40) {
                let _ = writeln!(
                    md,
                    "{} {} {} (line {}{})",
                    e.time,
                    e.kind.label(),
                    e.detail,
                    e.line,
                    if e.repeats > 1 {
                        format!(", ×{}", e.repeats)
                    } else {
                        String::new()
                    }
                );
            }
            let _ = writeln!(md, "```\n");
        }
        if !log.noise.is_empty() {
            let _ = writeln!(md, "### Noise (harmless)\n");
            for n in &log.noise {
                let _ = writeln!(md, "- {} lines — {}: {}", n.count, n.name, n.why);
            }
            let _ = writeln!(md);
        }
        if log.unrecognised.count > 0 {
            // Counted, not quoted: a line nothing placed may be half of a secret split over two
            // lines, which redaction cannot recognise alone. `explain --log` shows them.
            let _ = writeln!(
                md,
                "### Not recognised\n\n{} error or warning lines nothing placed; `agora-doctor explain --log` shows the first {}.\n",
                log.unrecognised.count,
                crate::explain::log::UNRECOGNISED_SHOWN
            );
        }
    }

    let _ = writeln!(md, "## Reproduce\n\n```sh");
    for command in &report.reproduce {
        let _ = writeln!(md, "{command}");
    }
    let _ = writeln!(md, "```");
    redactions(&mut md, &report.redactions);
    md
}

/// The closing section: what redaction removed, and how many times.
fn redactions(md: &mut String, rows: &[RedactionCount]) {
    md.push_str("\n## Redacted\n\n");
    if rows.is_empty() {
        md.push_str(
            "Nothing needed redacting: no token, no certificate and no given secret appeared.\n",
        );
        return;
    }
    let _ = writeln!(md, "| what | times |\n|---|---|");
    for row in rows {
        let _ = writeln!(md, "| {} | {} |", cell(row.what), row.count);
    }
    let _ = writeln!(
        md,
        "\nEach is shown as `[redacted …]`; App IDs, channels, uids and times stay readable."
    );
}

/// A table cell: pipes and line breaks would break the table.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn time(unix: u64) -> String {
    format!("{} ({unix})", rfc3339(unix))
}
