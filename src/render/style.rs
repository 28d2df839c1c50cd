//! How statuses, counts and times look, in one place for every renderer: the status marks (a
//! symbol for text, a symbol and word for probe's columns, an emoji for Markdown), plurals, and
//! times (RFC 3339 from the token core, so every document writes a time the same way); and how
//! text from outside (a log line, a page's console, a server's answer) is kept from driving the
//! terminal: control characters escaped visibly by the one writer.

use std::borrow::Cow;

use colored::Colorize;

use std::fmt::Write as _;

use crate::vocabulary::{Finding, Status, Tally};

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

/// How a closing line names its problems.
#[derive(Debug, Clone, Copy, Default)]
pub struct Problems {
    /// Errors named apart from failures (`1 failure, 1 error`) rather than counted among them.
    pub errors_apart: bool,
    /// Every kind named, zeros too (`0 failures, 2 warnings`).
    pub zeros: bool,
    /// Under `--strict`, the warnings marked as failing (`2 warnings (strict)`).
    pub mark_strict: bool,
}

/// `3 problems: 1 failure, 2 warnings`: the head of every closing line, from the one [`Tally`];
/// `None` without a problem (each line says "no problems" its own way).
pub fn problems(t: &Tally, how: Problems) -> Option<String> {
    let n = t.problems();
    if n == 0 {
        return None;
    }
    let strict = if how.mark_strict { " (strict)" } else { "" };
    let kinds: &[(usize, &str, &str)] = if how.errors_apart {
        &[
            (t.fail, "failure", ""),
            (t.error, "error", ""),
            (t.warn, "warning", strict),
        ]
    } else {
        &[(t.failures(), "failure", ""), (t.warn, "warning", strict)]
    };
    let parts: Vec<String> = kinds
        .iter()
        .filter(|(k, ..)| *k > 0 || how.zeros)
        .map(|(k, noun, mark)| format!("{}{mark}", count(*k as u64, noun)))
        .collect();
    Some(format!(
        "{}: {}",
        count(n as u64, "problem"),
        parts.join(", ")
    ))
}

/// [`problems`] coloured as the exit code reads it: a green "no problems", red when the run
/// fails (`strict`: warnings fail too), yellow when it only warns.
pub fn problems_coloured(t: &Tally, how: Problems, strict: bool) -> String {
    match problems(t, how) {
        None => "no problems".green().bold().to_string(),
        Some(head) if t.failures() > 0 || strict => head.red().bold().to_string(),
        Some(head) => head.yellow().bold().to_string(),
    }
}

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

/// A finding's first line: `{indent}{mark} {summary}  [key]` (the key dimmed).
pub fn finding_head(out: &mut String, indent: &str, mark: &str, f: &Finding) {
    let _ = writeln!(
        out,
        "{indent}{mark} {}  {}",
        f.summary,
        format!("[{}]", f.key).dimmed()
    );
}

/// One finding as `token` and `token-server` list them: mark, summary and key; then, unless it passed
/// or was skipped (or `verbose`), its evidence and fix. A skip's fix is shown too: it says what would
/// let the check run.
pub fn finding_lines(out: &mut String, f: &Finding, verbose: bool) {
    finding_head(out, "  ", &mark(f.status), f);
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

/// Whether `c` must never reach a terminal or a Markdown file raw: C0 controls other than line
/// feed and tab, DEL, C1 controls, and the Unicode bidirectional controls that reorder what is
/// shown (U+202E turns `txt.exe` into `exe.txt`; Trojan Source, CVE-2021-42574).
fn is_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character written visibly (`\x1b`, `\x07`, `\u{202e}`); a carriage
/// return is kept only before a line feed. With `keep_colour`, SGR sequences (`ESC [ 1;31 m`,
/// what the colour of our own marks is made of) stay: they set colours and nothing else.
pub fn escape_controls(text: &str, keep_colour: bool) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let clean = |i: usize, c: char| {
        !is_control(c)
            || (c == '\r' && bytes.get(i + 1) == Some(&b'\n'))
            || (c == '\u{1b}' && keep_colour && sgr_len(&bytes[i..]).is_some())
    };
    if text.char_indices().all(|(i, c)| clean(i, c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        if c == '\u{1b}' && keep_colour {
            if let Some(n) = sgr_len(&bytes[i..]) {
                out.push_str(&text[i..i + n]);
                skip_to = i + n;
                continue;
            }
        }
        if clean(i, c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// The length of the SGR sequence (`ESC [ digits and ; m`) at the start of `bytes`, if one is.
fn sgr_len(bytes: &[u8]) -> Option<usize> {
    let rest = bytes.strip_prefix(b"\x1b[")?;
    let params = rest
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b';')
        .count();
    (rest.get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// A JSON document with DEL, C1 and bidirectional controls written as `\uXXXX` escapes (serde
/// already escapes C0): the parsed values are unchanged, the raw text is safe to print. Those
/// characters can only occur inside strings, where the escape is valid.
pub fn escape_json_controls(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_control) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_control(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod control_tests {
    use super::*;

    #[test]
    fn control_characters_are_written_visibly_and_colour_kept_only_when_asked() {
        let log = "a\u{1b}]0;owned\u{7}b\u{1b}[2Jc\u{202e}txt.exe\u{9b}31m\r\nok\rX\u{1b}[31mred\u{1b}[0m\t";
        assert_eq!(
            escape_controls(log, false),
            "a\\x1b]0;owned\\x07b\\x1b[2Jc\\u{202e}txt.exe\\u{9b}31m\r\nok\\x0dX\\x1b[31mred\\x1b[0m\t"
        );
        assert_eq!(
            escape_controls(log, true),
            "a\\x1b]0;owned\\x07b\\x1b[2Jc\\u{202e}txt.exe\\u{9b}31m\r\nok\\x0dX\u{1b}[31mred\u{1b}[0m\t"
        );
        assert!(matches!(
            escape_controls("plain ✓ text\n", false),
            Cow::Borrowed(_)
        ));
        let json = serde_json::to_string(&serde_json::json!({ "line": log })).unwrap();
        let safe = escape_json_controls(&json);
        assert!(!safe.chars().any(is_control), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["line"], log);
    }
}
