//! How statuses, counts and times look, in one place for every renderer: the status marks (a
//! symbol for text, a symbol and word for probe's columns, an emoji for Markdown), plurals, and
//! times (RFC 3339 from the token core, so every document writes a time the same way).

use colored::Colorize;

use std::fmt::Write as _;

use crate::report::{Finding, Status};

/// The status as one coloured symbol: ✓ - ! ✗.
pub fn mark(status: Status) -> String {
    match status {
        Status::Pass => "✓".green().to_string(),
        Status::Skip => "-".dimmed().to_string(),
        Status::Warn => "!".yellow().bold().to_string(),
        Status::Fail => "✗".red().bold().to_string(),
        Status::Error => "✗".red().bold().to_string(),
    }
}

/// The status as a symbol and its word, for aligned columns: `✓ pass`, `E error`.
pub fn mark_word(status: Status) -> String {
    match status {
        Status::Pass => "✓ pass".green().to_string(),
        Status::Skip => "- skip".dimmed().to_string(),
        Status::Warn => "! warn".yellow().to_string(),
        Status::Fail => "✗ fail".red().to_string(),
        Status::Error => "E error".red().bold().to_string(),
    }
}

/// The status as an emoji, for Markdown (no ANSI colour there).
pub fn mark_emoji(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Skip => "⏭️",
        Status::Warn => "⚠️",
        Status::Fail => "❌",
        Status::Error => "💥",
    }
}

/// The status word in capitals, coloured: `PASS`, `FAIL`.
pub fn label(status: Status) -> String {
    let text = status.as_str().to_uppercase();
    match status {
        Status::Pass => text.green().bold().to_string(),
        Status::Skip => text.dimmed().to_string(),
        Status::Warn => text.yellow().bold().to_string(),
        Status::Fail | Status::Error => text.red().bold().to_string(),
    }
}

/// The plural ending for a count, and a count with its noun: the token core's one rule, so that
/// every document counts the same way.
pub use agora_token_core::words::{count, plural};

/// How often and where something was seen in a file: `once, line 10`, `3 times, lines 4–6`.
pub fn occurrences(times: u64, first_line: u64, last_line: u64) -> String {
    let times = match times {
        1 => "once".to_string(),
        n => count(n, "time"),
    };
    if first_line == last_line {
        format!("{times}, line {first_line}")
    } else {
        format!("{times}, lines {first_line}–{last_line}")
    }
}

/// A unix time as RFC 3339 UTC (`2026-11-23T09:12:00Z`).
pub fn rfc3339(unix: u64) -> String {
    agora_token_core::time::rfc3339(unix)
}

/// One finding as `token` and `token-server` list them: mark, summary and key; then, unless it passed
/// or was skipped (or `verbose`), its evidence and fix. A skip's fix is shown too: it says what would
/// let the check run.
pub fn finding_lines(out: &mut String, f: &Finding, verbose: bool) {
    let _ = writeln!(
        out,
        "  {} {}  {}",
        mark(f.status),
        f.summary,
        format!("[{}]", f.key).dimmed()
    );
    let detail = verbose || !matches!(f.status, Status::Pass | Status::Skip);
    if detail {
        for e in &f.evidence {
            let _ = writeln!(out, "      {e}");
        }
    }
    if let Some(fix) = &f.fix {
        if detail || f.status == Status::Skip {
            let _ = writeln!(out, "      {} {fix}", "fix:".bold());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: the support report said "1 time(s), lines 3–3".
    #[test]
    fn occurrences_read_as_words() {
        assert_eq!(occurrences(1, 3, 3), "once, line 3");
        assert_eq!(occurrences(3, 4, 6), "3 times, lines 4–6");
        assert_eq!(occurrences(2, 7, 7), "2 times, line 7");
    }
}
