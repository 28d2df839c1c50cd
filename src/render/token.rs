//! Renders the `token` report (human text or JSON) and `token build` output.

use std::fmt::Write as _;

use agora_token_core::time::{duration, relative};

use super::style::{finding_lines, problems_coloured, rfc3339, Problems};
use colored::Colorize;

use super::OutputContext;
use crate::document::Format;
use crate::token::build::Built;
use crate::token::report::{Decoded, Instant, PrivilegeView, Summary, TokenReport, TokenResult};
use crate::vocabulary::Status;

/// `token build`: the bare token on one line, for `$(agora-doctor token build …)`.
pub fn build_human(built: &Built) -> String {
    format!("{}\n", built.token)
}

fn at(i: &Instant, now: u64) -> String {
    format!("{} ({})", time_text(i), relative(i.unix, now))
}

fn time_text(i: &Instant) -> String {
    rfc3339(i.unix)
}

/// The summary line that explains the exit code.
pub fn summary_line(s: &Summary, strict: bool) -> String {
    let how = Problems {
        mark_strict: strict,
        ..Problems::default()
    };
    let head = problems_coloured(&s.counts.tally(), how, strict);
    let tokens = if s.tokens == 1 {
        String::new()
    } else {
        format!(" in {} tokens", s.tokens)
    };
    format!(
        "{head}{tokens} ({} passed, {} skipped)",
        s.counts.passed, s.counts.skipped
    )
}

/// The report as text for a person. Colour (if any) was decided once in [`OutputContext`].
pub fn human(report: &TokenReport, ctx: &OutputContext) -> String {
    let mut out = stream_start(report, Format::Human, ctx);
    for (i, t) in report.tokens.iter().enumerate() {
        out.push_str(&stream_token(report, t, i, Format::Human, ctx));
    }
    out.push_str(&stream_end(
        report,
        !report.tokens.is_empty(),
        Format::Human,
        ctx,
    ));
    out
}

/// `token -`, streamed: what comes before the first token (`head` has no tokens yet).
pub fn stream_start(head: &TokenReport, format: Format, ctx: &OutputContext) -> String {
    match format {
        Format::Json => {
            let text = super::json_document(head, crate::token::report::SCHEMA);
            let at = text.find(EMPTY_TOKENS).unwrap_or(text.len());
            format!("{}\"tokens\": [", &text[..at])
        }
        Format::Human if ctx.quiet => String::new(),
        Format::Human => match head.asked_at {
            Some(clock) => format!(
                "{} at {} ({} from now, --at)\n",
                "Checked".bold(),
                time_text(&head.now),
                relative(head.now.unix, clock)
            ),
            None => format!("{} at {}\n", "Checked".bold(), time_text(&head.now)),
        },
    }
}

/// `token -`, streamed: the `index`th token's part.
pub fn stream_token(
    head: &TokenReport,
    t: &TokenResult,
    index: usize,
    format: Format,
    ctx: &OutputContext,
) -> String {
    match format {
        Format::Json => {
            let one = serde_json::to_string_pretty(t).expect("token result serialises");
            let mut out = String::from(if index == 0 { "\n" } else { ",\n" });
            for (i, line) in one.lines().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str("    ");
                out.push_str(line);
            }
            out
        }
        Format::Human if ctx.quiet => String::new(),
        Format::Human => {
            let mut out = String::from("\n");
            token_block(&mut out, t, head.now.unix, ctx);
            if head.asked_at.is_some() {
                let _ = writeln!(out, "{}", at_verdict(t, &head.now));
            }
            out
        }
    }
}

/// `token -`, streamed: what comes after the last token (`report` has the final summary).
pub fn stream_end(report: &TokenReport, any: bool, format: Format, ctx: &OutputContext) -> String {
    let strict = report.expectation.strict;
    match format {
        Format::Json => {
            let mut empty = report.clone();
            empty.tokens.clear();
            let text = super::json_document(&empty, crate::token::report::SCHEMA);
            let rest = text
                .find(EMPTY_TOKENS)
                .map_or("", |at| &text[at + EMPTY_TOKENS.len()..]);
            format!("{}{rest}", if any { "\n  ]" } else { "]" })
        }
        Format::Human if ctx.quiet => format!("{}\n", summary_line(&report.summary, strict)),
        Format::Human => format!("\n{}\n", summary_line(&report.summary, strict)),
    }
}

/// How serde writes the token list of a report with none.
const EMPTY_TOKENS: &str = "\"tokens\": []";

/// `--at`'s answer: will this token work at that time?
fn at_verdict(t: &TokenResult, at: &Instant) -> String {
    let when = time_text(at);
    let expiry = t.findings.iter().find(|f| f.key == "token.expired");
    let ends = t.decoded.as_ref().map(|d| d.expires_at.unix);
    let head = "At".bold();
    match (expiry, ends) {
        (Some(f), Some(end)) if f.status == Status::Fail => format!(
            "{head} {when}: this token will {} (it expires at {}, {} before)",
            "no longer work".red().bold(),
            agora_token_core::time::rfc3339(end),
            duration(at.unix.saturating_sub(end))
        ),
        (Some(_), Some(end)) if t.verdict == "ok" => format!(
            "{head} {when}: this token will {} (valid until {}, {} later)",
            "still work".green().bold(),
            agora_token_core::time::rfc3339(end),
            duration(end.saturating_sub(at.unix))
        ),
        (Some(_), Some(end)) => format!(
            "{head} {when}: this token is still valid then (until {}), but it fails the checks above",
            agora_token_core::time::rfc3339(end)
        ),
        _ => format!("{head} {when}: this token will not work (see the checks above)"),
    }
}

fn token_block(out: &mut String, t: &TokenResult, now: u64, ctx: &OutputContext) {
    let title = match &t.decoded {
        Some(d) => format!("{} {}", d.version, d.format),
        None => "not decodable".to_string(),
    };
    let _ = writeln!(out, "{} ({}): {}", "Token".bold(), t.source, title);
    if let Some(r) = &t.diagnosis.repaired_token {
        let _ = writeln!(out, "  {:<12}{}", "Repaired", r);
        let _ = writeln!(
            out,
            "  {:<12}{}",
            "",
            "(the fields below are of the repaired token)".dimmed()
        );
    }
    if let Some(d) = &t.decoded {
        decoded_block(out, d, now);
    }
    let _ = writeln!(out, "{}", "Checks".bold());
    for f in &t.findings {
        finding_lines(out, f, ctx.verbose);
    }
}

fn privilege_line(
    out: &mut String,
    indent: &str,
    p: &PrivilegeView,
    relative_values: bool,
    now: u64,
) {
    let name = match p.name {
        Some(n) => format!("{n} ({})", p.id),
        None => format!("unknown privilege {}", p.id),
    };
    let value = match (&p.expires_at, relative_values) {
        (None, _) => "0 (no limit of its own)".to_string(),
        (Some(e), true) => format!("{} → {}", duration(u64::from(p.value)), at(e, now)),
        (Some(e), false) => format!("{} → {}", p.value, at(e, now)),
    };
    let _ = writeln!(out, "{indent}{name:<28}{value}");
}

fn decoded_block(out: &mut String, d: &Decoded, now: u64) {
    let row = |out: &mut String, k: &str, v: String| {
        let _ = writeln!(out, "  {k:<12}{v}");
    };
    row(out, "App ID", d.app_id.clone());
    match (&d.issued_at, d.expire_seconds) {
        (Some(i), Some(e)) => {
            row(out, "Issued", at(i, now));
            row(
                out,
                "Expires",
                format!(
                    "{}, lifetime {} ({e} s)",
                    at(&d.expires_at, now),
                    duration(u64::from(e))
                ),
            );
        }
        _ => row(
            out,
            "Expires",
            format!(
                "{} (006 does not record its issue time)",
                at(&d.expires_at, now)
            ),
        ),
    }
    row(out, "Salt", d.salt.to_string());
    let sig_len = d.signature_hex.len() / 2;
    row(
        out,
        "Signature",
        format!("{} ({sig_len} bytes)", d.signature_hex),
    );
    if let (Some(c), Some(u)) = (d.crc_channel_name, d.crc_uid) {
        row(
            out,
            "Channel",
            format!("CRC-32 {c} (006 stores only a CRC of the channel name)"),
        );
        let note = if u == 0 { " = uid 0, any uid" } else { "" };
        row(out, "Uid", format!("CRC-32 {u}{note}"));
        row(out, "Privileges", d.privileges.len().to_string());
        for p in &d.privileges {
            privilege_line(out, "    ", p, false, now);
        }
    }
    if let Some(n) = d.service_count {
        row(out, "Services", n.to_string());
        for s in &d.services {
            let mut fields = Vec::new();
            let mut push = |k: &str, v: &Option<String>| {
                if let Some(v) = v {
                    fields.push(format!("{k} {v:?}"));
                }
            };
            push("channel", &s.channel);
            push("uid", &s.uid);
            push("account", &s.account);
            push("user", &s.user_id);
            push("room", &s.room_uuid);
            push("user_uuid", &s.user_uuid);
            if let Some(r) = s.role {
                fields.push(format!("role {r}"));
            }
            if s.uid.as_deref() == Some("") {
                fields.push("(uid 0: any uid)".into());
            }
            let _ = writeln!(
                out,
                "    {} (type {})  {}",
                s.name.bold(),
                s.service_type,
                fields.join(", ")
            );
            for p in &s.privileges {
                privilege_line(out, "      ", p, true, now);
            }
            if s.privileges.is_empty() {
                let _ = writeln!(out, "      (no privileges)");
            }
            if let Some(perms) = &s.permissions {
                for r in perms {
                    for p in &r.permissions {
                        let _ = writeln!(
                            out,
                            "      {} {}: {}",
                            r.resource_name.map_or_else(
                                || format!("resource {}", r.resource_type),
                                str::to_string
                            ),
                            p.permission_name.map_or_else(
                                || format!("permission {}", p.permission_type),
                                str::to_string
                            ),
                            p.names.join(", ")
                        );
                    }
                }
            }
        }
        if let Some(u) = &d.unknown_service {
            let _ = writeln!(
                out,
                "    {} (type {})  {} bytes not decoded",
                "unknown".yellow(),
                u.service_type,
                u.undecoded_bytes
            );
        }
    }
    if let Some(z) = &d.zlib_header_hex {
        row(out, "zlib header", z.clone());
    }
    if d.trailing_bytes > 0 {
        row(
            out,
            "Trailing",
            format!(
                "{} after the token data",
                super::style::count(d.trailing_bytes as u64, "byte")
            ),
        );
    }
}
