//! Renders the `token-server` report (human text or JSON).

use std::fmt::Write as _;

use colored::Colorize;

use super::style::{count, finding_lines, problems_coloured, Problems};
use super::OutputContext;
use crate::token_server::report::{Summary, TokenServerReport};

/// The line that explains the exit code.
pub fn summary_line(s: &Summary, strict: bool) -> String {
    let how = Problems {
        zeros: true,
        ..Problems::default()
    };
    let head = problems_coloured(&s.counts.tally(), how, strict);
    format!(
        "{head} in {} ({} passed, {} skipped)",
        count(s.requests as u64, "request"),
        s.counts.passed,
        s.counts.skipped
    )
}

/// The report as text for a person.
pub fn human(r: &TokenServerReport, ctx: &OutputContext) -> String {
    let mut out = String::new();
    let strict = r.strict;
    if ctx.quiet {
        let _ = writeln!(out, "{}", summary_line(&r.summary, strict));
        return out;
    }
    let _ = writeln!(
        out,
        "{} {} ({} tokens, origin {}) at {}",
        "Token server".bold(),
        r.template,
        r.service.to_ascii_uppercase(),
        r.origin,
        agora_token_core::time::rfc3339(r.now.unix)
    );
    for q in &r.requests {
        out.push('\n');
        let who = match (&q.asked.account, q.asked.uid) {
            (Some(a), _) => format!("account {a:?}"),
            (None, Some(u)) => format!("uid {u}"),
            _ => String::new(),
        };
        let what = match (&q.asked.channel, q.asked.role) {
            (Some(c), Some(role)) => {
                format!("channel {c:?}, {who}, {role}, {} s", q.asked.expire_seconds)
            }
            _ => format!("{who}, {} s", q.asked.expire_seconds),
        };
        let _ = writeln!(out, "{} {what}", "Asked".bold());
        let _ = writeln!(out, "  GET {}", q.url);
        if let (Some(s), Some(ms)) = (q.status, q.latency_ms) {
            let _ = writeln!(
                out,
                "  HTTP {s} in {ms} ms{}{}",
                q.content_type
                    .as_deref()
                    .map(|c| format!(", {c}"))
                    .unwrap_or_default(),
                q.token_preview
                    .as_deref()
                    .map(|p| format!(", token {p}"))
                    .unwrap_or_default()
            );
        }
        for f in &q.findings {
            finding_lines(&mut out, f, ctx.verbose);
        }
    }
    out.push('\n');
    let _ = writeln!(out, "{}", "What a browser needs".bold());
    for f in &r.browser {
        finding_lines(&mut out, f, ctx.verbose);
    }
    out.push('\n');
    let _ = writeln!(out, "{}", summary_line(&r.summary, strict));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::Counts;

    /// Regression: the closing line said "2 problem(s): 1 failure(s), 1 warning(s)" beside the
    /// "1 problem" of the other commands.
    #[test]
    fn the_closing_line_counts_in_words() {
        colored::control::set_override(false);
        let s = Summary {
            requests: 2,
            counts: Counts {
                failures: 1,
                warnings: 0,
                passed: 5,
                skipped: 1,
            },
        };
        assert_eq!(
            summary_line(&s, false),
            "1 problem: 1 failure, 0 warnings in 2 requests (5 passed, 1 skipped)"
        );
        let one = Summary {
            requests: 1,
            counts: Counts {
                warnings: 1,
                ..s.counts
            },
        };
        assert!(
            summary_line(&one, false).starts_with("2 problems: 1 failure, 1 warning in 1 request ")
        );
    }
}
