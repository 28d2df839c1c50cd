//! Renders `explain --log` (and the log part of `report`): the format read, then the problems
//! first cause first, the timeline, the noise by family and the lines not recognised, as human text
//! or one JSON document (`agora-doctor/explain-log/v4`).

use std::fmt::Write as _;

use colored::Colorize;
use serde_json::{json, Value};

use crate::explain::log::classify::ProblemKind;
use crate::explain::log::timeline::Event;
use crate::explain::log::{LogReading, Problem};
use crate::explain::lookup;
use crate::render::style::plural;
use crate::render::OutputContext;

/// Schema id of `explain --log --json`.
pub const SCHEMA_LOG: &str = "agora-doctor/explain-log/v4";

/// Timeline lines shown before the middle is folded.
const TIMELINE_SHOWN: usize = 12;

/// What a problem means and what to do, from its catalog entry or, for the kinds the catalog does
/// not hold, from its kind: (summary, fix, more).
pub fn explanation(p: &Problem) -> (String, String, Option<String>) {
    if let Some(e) = p.entry {
        return (
            e.summary.to_string(),
            e.fix.to_string(),
            Some(e.key.to_string()),
        );
    }
    let more = |key: &str| lookup(key).map(|e| e.key.to_string());
    match p.kind {
        ProblemKind::AppException if p.through_agora => (
            "An exception raised in the app's own code that the Agora SDK called: an event handler or callback threw while handling the SDK's event. The SDK did its part; the handler did not.".into(),
            "Fix the handler at the first frame of the app's code in the trace, and catch exceptions inside SDK callbacks (they run on the SDK's thread, and an exception there can end the session or the app).".into(),
            None,
        ),
        ProblemKind::AppException => (
            "An exception in the app; its trace does not pass through Agora's code.".into(),
            "Read the trace from its first frame in the app's code; if it stops the app before `join`, the call never started.".into(),
            None,
        ),
        ProblemKind::LibraryLoad => (
            "A native library or module did not load, so every call that needs it fails after this line.".into(),
            "Check that the library is packaged for this platform and CPU architecture (ABI filters, framework embedding, Copy Local, the Electron ABI) and that its version is the one the wrapper expects.".into(),
            more("native.library_not_loaded"),
        ),
        ProblemKind::BuildError => (
            "The build failed on an Agora package, type or library: the app that runs is not the one with Agora in it.".into(),
            "Check the SDK dependency (package name and version) and the imports and namespaces for this SDK generation: 3.x and 4.x name them differently.".into(),
            None,
        ),
        ProblemKind::ServiceError => (
            "A Signaling (RTM) or agent service reported an error.".into(),
            "Look up the code it gives (`agora-doctor explain rtm <CODE>` for Signaling) and check the service's App ID, token and region.".into(),
            None,
        ),
        ProblemKind::NativeCrash => (
            "The app stopped on a native signal (a crash in native code: the SDK's library, another library, or the app's own native code).".into(),
            "Read the crash's frames (the tombstone's `backtrace` on Android, the crashed thread in an Apple crash report) for the library at the top; when it is the Agora SDK's, note the SDK version and the last API called before the crash.".into(),
            None,
        ),
        ProblemKind::AgoraError | ProblemKind::ConnectionReason => (
            "An Agora SDK error.".into(),
            "Look up its code with `agora-doctor explain`.".into(),
            None,
        ),
    }
}

fn event_line(e: &Event) -> String {
    let mut s = String::new();
    if !e.time.is_empty() {
        let _ = write!(s, "{}  ", e.time);
    }
    let _ = write!(s, "{}", e.kind.label());
    if !e.detail.is_empty() {
        let _ = write!(s, "  {}", e.detail);
    }
    if e.repeats > 1 {
        let _ = write!(s, "  (×{})", e.repeats);
    }
    let _ = write!(s, "  [line {}]", e.line);
    s
}

/// A reading as human text.
pub fn human(source: &str, r: &LogReading, ctx: &OutputContext) -> String {
    let mut s = String::new();
    let noise: u64 = r.noise.iter().map(|n| n.count).sum();
    if !ctx.quiet {
        let _ = writeln!(s, "read as: {}", r.format.label());
        if !r.problems.is_empty() {
            let _ = writeln!(s, "\n{}", "Problems (first cause first)".bold());
        }
        for p in &r.problems {
            problem_block(&mut s, source, p, ctx);
        }
        if r.timeline_has_times() {
            let _ = writeln!(s, "\n{}", "Timeline".bold());
            let events = &r.timeline.events;
            if events.is_empty() {
                let _ = writeln!(
                    s,
                    "  {} – {}: no session event (join, connection state, token, publish, leave) in this log",
                    r.timeline.first_time, r.timeline.last_time
                );
            }
            let fold = events.len() > TIMELINE_SHOWN;
            let head = if fold {
                TIMELINE_SHOWN / 2
            } else {
                events.len()
            };
            for e in &events[..head] {
                let _ = writeln!(s, "  {}", event_line(e));
            }
            if fold {
                let tail = TIMELINE_SHOWN - head - 1;
                let hidden = (events.len() - head - tail) as u64 + r.timeline.omitted;
                let _ = writeln!(s, "  … {hidden} more event{} …", plural(hidden));
                for e in &events[events.len() - tail..] {
                    let _ = writeln!(s, "  {}", event_line(e));
                }
            } else if r.timeline.omitted > 0 {
                let _ = writeln!(s, "  … {} more events", r.timeline.omitted);
            }
        }
        if !r.noise.is_empty() {
            let _ = writeln!(s, "\n{}", "Noise (harmless)".bold());
            for n in &r.noise {
                let _ = writeln!(
                    s,
                    "  {} {} line{} — {}: {}",
                    "·".dimmed(),
                    n.count,
                    plural(n.count),
                    n.name,
                    n.why
                );
                if ctx.verbose {
                    let _ = writeln!(s, "      first: {}:{}: {}", source, n.first_line, n.example);
                    let shown: Vec<String> = n.lines.iter().map(u64::to_string).collect();
                    let more = if n.count > n.lines.len() as u64 {
                        ", …"
                    } else {
                        ""
                    };
                    let _ = writeln!(s, "      lines: {}{more}", shown.join(", "));
                }
            }
        }
        if r.unrecognised.count > 0 {
            let _ = writeln!(
                s,
                "\n{} {} error or warning line{} not recognised (first {} shown)",
                "?".yellow().bold(),
                r.unrecognised.count,
                plural(r.unrecognised.count),
                r.unrecognised.first.len()
            );
            for l in &r.unrecognised.first {
                let _ = writeln!(s, "    {}:{}: {}", source, l.line_number, l.line);
            }
        }
    }
    let n = r.problems.len() as u64;
    let closing = if n == 0 {
        format!(
            "{} no problems in {} line{} of {source}",
            "✓".green().bold(),
            r.lines,
            plural(r.lines)
        )
    } else {
        format!(
            "{} problem{} in {} line{} of {source}",
            n,
            plural(n),
            r.lines,
            plural(r.lines)
        )
    };
    let _ = writeln!(
        s,
        "{closing}; {noise} noise line{}, {} not recognised",
        plural(noise),
        r.unrecognised.count
    );
    s
}

fn problem_block(s: &mut String, source: &str, p: &Problem, ctx: &OutputContext) {
    let lines = if p.first_line == p.last_line {
        format!("line {}", p.first_line)
    } else {
        format!("lines {}–{}", p.first_line, p.last_line)
    };
    let times = if p.count == 1 {
        "once".to_string()
    } else {
        format!("{} times", p.count)
    };
    let at = if p.time.is_empty() {
        String::new()
    } else {
        format!(", first at {}", p.time)
    };
    let _ = writeln!(
        s,
        "{} {} — {}",
        "✗".red().bold(),
        p.key.bold(),
        p.title.bold()
    );
    let _ = writeln!(s, "    {} · {times}, {lines}{at}", p.kind.label());
    let _ = writeln!(s, "    {}:{}: {}", source, p.first_line, p.line);
    if p.through_agora {
        let _ = writeln!(s, "    raised in the app's own code, called by the Agora SDK (its trace passes through Agora's code)");
    }
    for f in &p.frames {
        let _ = writeln!(s, "      {f}");
    }
    let (summary, fix, more) = explanation(p);
    let headline = p.entry.map_or(summary.as_str(), |e| e.headline());
    let _ = writeln!(s, "    {headline}");
    if ctx.verbose {
        let _ = writeln!(s, "    {}", "fix:".green());
        for line in fix.lines() {
            let _ = writeln!(s, "      {line}");
        }
    } else {
        let _ = writeln!(
            s,
            "    {} {}",
            "fix:".green(),
            fix.lines().next().unwrap_or("")
        );
    }
    if let Some(key) = more {
        let _ = writeln!(s, "    more: agora-doctor explain {key}");
    }
}

/// The four parts as JSON values (shared by `explain --log --json`).
pub fn parts(r: &LogReading) -> Value {
    json!({
        "format": {"key": r.format, "label": r.format.label()},
        "lines": r.lines,
        "bytes": r.bytes,
        "problems": r.problems.iter().map(|p| {
            let (summary, fix, more) = explanation(p);
            json!({
                "kind": p.kind,
                "key": p.key,
                "title": p.title,
                "count": p.count,
                "first_line": p.first_line,
                "last_line": p.last_line,
                "lines": p.lines,
                "time": p.time,
                "line": p.line,
                "through_agora": p.through_agora,
                "frames": p.frames,
                "summary": summary,
                "fix": fix,
                "check_with": p.entry.map(|e| e.check_with.clone()).unwrap_or_default(),
                "more": more,
            })
        }).collect::<Vec<_>>(),
        "timeline": {
            "events": r.timeline.events.iter().map(|e| json!({
                "kind": e.kind,
                "label": e.kind.label(),
                "time": e.time,
                "line": e.line,
                "detail": e.detail,
                "repeats": e.repeats,
            })).collect::<Vec<_>>(),
            "omitted": r.timeline.omitted,
            "first_time": r.timeline.first_time,
            "last_time": r.timeline.last_time,
        },
        "noise": r.noise.iter().map(|n| json!({
            "key": n.key,
            "name": n.name,
            "why": n.why,
            "count": n.count,
            "first_line": n.first_line,
            "lines": n.lines,
            "example": n.example,
        })).collect::<Vec<_>>(),
        "unrecognised": {
            "count": r.unrecognised.count,
            "first": r.unrecognised.first.iter().map(|l| json!({
                "line_number": l.line_number,
                "line": l.line,
            })).collect::<Vec<_>>(),
        },
    })
}

/// A reading as one JSON document.
pub fn json(source: &str, r: &LogReading) -> String {
    let mut doc = json!({"schema": SCHEMA_LOG, "source": source});
    if let (Some(d), Value::Object(p)) = (doc.as_object_mut(), parts(r)) {
        d.extend(p);
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    s.push('\n');
    s
}
