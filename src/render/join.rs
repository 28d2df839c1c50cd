//! Renders a [`JoinReport`]: human text (verdict, per-step timings, hearing, fix) or one JSON document.

use std::fmt::Write;

use super::style::{label, mark};
use super::OutputContext;
use crate::join::JoinReport;

/// Human output (colour only as `ctx` allows; `colored` was set up by the context).
pub fn human(r: &JoinReport, ctx: &OutputContext) -> String {
    let f = &r.finding;
    let mut out = String::new();
    let _ = writeln!(out, "join  {}  {}", label(f.status), f.summary);
    if ctx.quiet {
        return out;
    }
    for note in &r.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    if r.simulated {
        let _ = writeln!(out, "  simulated: {}", crate::world::double::NATIVE_DOUBLE);
    }
    if let Some(lib) = &r.library {
        let _ = writeln!(
            out,
            "  library: {} ({}, {})",
            lib.path,
            lib.version.as_deref().unwrap_or("version unknown"),
            library_source(lib.source)
        );
    }
    let _ = writeln!(out, "  key: {}  (agora-doctor explain {})", f.key, f.key);
    for e in &f.evidence {
        let _ = writeln!(out, "    {e}");
    }
    if !r.steps.is_empty() {
        let _ = writeln!(out, "  steps:");
        let width = r.steps.iter().map(|s| s.name.len()).max().unwrap_or(0);
        for s in &r.steps {
            let _ = writeln!(
                out,
                "    {} {:<width$}  {:>6} ms  {}",
                mark(s.status),
                s.name,
                s.ms,
                s.detail
            );
        }
    }
    if ctx.verbose && !r.events.is_empty() {
        let _ = writeln!(out, "  events, in the order the SDK reported them:");
        for e in &r.events {
            let _ = writeln!(out, "    {e}");
        }
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "  fix: {fix}");
    }
    let _ = writeln!(out, "  total: {:.2} s", r.total_ms as f64 / 1000.0);
    out
}

/// Where the native library came from, as a person reads it (`source` is the JSON word).
fn library_source(source: &str) -> &str {
    match source {
        "flag" => "from --sdk",
        "env" => "from AGORA_SDK_LIB",
        "search" => "found on the library search path",
        "sim" => "the SDK double --sim uses",
        other => other,
    }
}
