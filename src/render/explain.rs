//! Renders `explain` results: an entry, the catalog listing and a log scan, as human text or JSON.

use std::fmt::Write as _;

use colored::Colorize;
use serde_json::{json, Value};

use crate::explain::reader::{Nearest, Recognised};
use crate::explain::{Entry, MatchedBy, Resolution};
use crate::render::OutputContext;

/// Schema id of `explain <QUERY> --json`.
pub const SCHEMA_ENTRY: &str = "agora-doctor/explain/v3";
/// Schema id of `explain --list --json`.
pub const SCHEMA_LIST: &str = "agora-doctor/explain-list/v1";

/// One entry in full, as human text (no trailing blank line).
pub fn entry_block(e: &Entry) -> String {
    entry_block_in(e, None)
}

/// The paragraphs of a fix to show for a paste in `language`: the common ones and that language's
/// (`Dart: …`); every paragraph when the language is unknown or the fix has none for it.
fn fix_for(fix: &str, language: Option<&str>) -> String {
    const LANGUAGES: [&str; 4] = ["Kotlin: ", "Swift: ", "Dart: ", "JS: "];
    let paragraphs: Vec<&str> = fix.split("\n\n").collect();
    let Some(lang) = language else {
        return fix.to_string();
    };
    let mine = format!("{lang}: ");
    if !paragraphs.iter().any(|p| p.starts_with(&mine)) {
        return fix.to_string();
    }
    paragraphs
        .into_iter()
        .filter(|p| p.starts_with(&mine) || !LANGUAGES.iter().any(|l| p.starts_with(l)))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// [`entry_block`] for a paste whose app is written in `language` (the fix in that language only).
pub fn entry_block_in(e: &Entry, language: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} {}", e.key.bold(), format!("— {}", e.title).bold());
    let mut meta = vec![e.kind.label().to_string()];
    if !e.value.is_empty() {
        meta.push(format!("value {}", e.value));
    }
    if !e.names.is_empty() {
        meta.push(e.names.join(", "));
    }
    let _ = writeln!(s, "  {}", meta.join(" · ").dimmed());
    if let Some(r) = &e.retired {
        let _ = writeln!(s, "  {} {r}", "legacy:".yellow());
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", "Summary".bold());
    let _ = writeln!(s, "  {}", e.summary.replace("\n\n", "\n\n  "));
    let _ = writeln!(s, "\n{}", "Likely causes (most likely first)".bold());
    for (i, c) in e.causes.iter().enumerate() {
        let _ = writeln!(s, "  {}. {c}", i + 1);
    }
    let _ = writeln!(s, "\n{}", "Fix".bold());
    let _ = writeln!(
        s,
        "  {}",
        fix_for(&e.fix, language).replace("\n\n", "\n\n  ")
    );
    let _ = writeln!(s, "\n{}", "Check with".bold());
    for c in e.check_with.iter() {
        let _ = writeln!(s, "  - {c}");
    }
    s
}

/// A resolved query as human text: the answer, then other entries for the same line or spelling.
pub fn entry_human(res: &Resolution, ctx: &OutputContext) -> String {
    let mut s = String::new();
    let Some((first, rest)) = res.entries.split_first() else {
        return s;
    };
    if ctx.quiet {
        // `-q`: only the answer's headline.
        let _ = writeln!(s, "{} — {}", first.key, first.title);
        return s;
    }
    s.push_str(&entry_block_in(first, res.language));
    if ctx.verbose {
        // `-v`: how the query was matched, as the JSON's `matched_by` says it.
        let by = serde_json::to_value(res.matched_by)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(s, "\nmatched by: {by}");
    }
    if rest.is_empty() {
        return s;
    }
    match res.matched_by {
        MatchedBy::Line => {
            for e in rest {
                let _ = writeln!(s, "\n{}\n", "The same line also reports:".bold());
                s.push_str(&entry_block_in(e, res.language));
            }
        }
        _ => {
            let _ = writeln!(
                s,
                "\n{}",
                "The same spelling also means (ask with the key to read it):".bold()
            );
            for e in rest {
                let _ = writeln!(s, "  {} — {} ({})", e.key, e.title, e.kind.label());
                if ctx.verbose {
                    let _ = writeln!(s, "    {}", e.headline());
                }
            }
            s.push_str(&ask_which(first, rest));
        }
    }
    s
}

/// The question back for a spelling several families use: which SDK printed it, and how to ask for
/// each meaning. The answer above is only the most common meaning, so this is never left implicit.
fn ask_which(first: &Entry, rest: &[&Entry]) -> String {
    let mut s = String::new();
    let products: Vec<&str> = std::iter::once(first)
        .chain(rest.iter().copied())
        .map(|e| e.product().label())
        .collect();
    let mixed = products.iter().any(|p| *p != products[0]);
    let _ = writeln!(
        s,
        "\n{} {}",
        "Which SDK printed it?".bold(),
        if mixed {
            format!(
                "{} use this spelling for different errors; the answer above is the {} meaning.",
                products_list(&products),
                products[0]
            )
        } else {
            "The answer above is the most common meaning.".to_string()
        }
    );
    let _ = writeln!(
        s,
        "  Paste the whole line (its words tell the SDKs apart), or ask for one family:"
    );
    let mut seen = Vec::new();
    for e in std::iter::once(first).chain(rest.iter().copied()) {
        if seen.contains(&e.kind)
            || e.value.is_empty()
            || matches!(
                e.kind,
                crate::explain::Kind::Message | crate::explain::Kind::Finding
            )
        {
            continue;
        }
        seen.push(e.kind);
        let _ = writeln!(
            s,
            "  agora-doctor explain {} {}   ({})",
            e.kind.as_str(),
            e.value,
            e.kind.label()
        );
    }
    s
}

/// `A, B and C`, each product once, in order.
fn products_list(products: &[&str]) -> String {
    let mut unique: Vec<&str> = Vec::new();
    for p in products {
        if !unique.contains(p) {
            unique.push(p);
        }
    }
    match unique.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => unique.join(""),
    }
}

fn entry_value(e: &Entry) -> Value {
    json!({
        "key": e.key,
        "title": e.title,
        "sdk": e.sdk,
        "kind": e.kind,
        "product": e.area(),
        "families": e.families,
        "table": e.table,
        "source": e.source,
        "value": e.value,
        "names": e.names,
        "aliases": e.aliases,
        "codes": e.codes,
        "patterns": e.patterns,
        "legacy": e.is_legacy(),
        "retired": e.retired,
        "summary": e.summary,
        "causes": e.causes,
        "fix": e.fix,
        "check_with": e.check_with,
    })
}

fn recognised_value(r: &Recognised) -> Value {
    serde_json::to_value(r).expect("the recognised facts serialise")
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialise");
    s.push('\n');
    s
}

/// A resolved query as one JSON document.
pub fn entry_json(query: &str, res: &Resolution, recognised: &Recognised) -> String {
    pretty(&json!({
        "schema": SCHEMA_ENTRY,
        "query": query.trim(),
        "explained": true,
        "matched_by": res.matched_by,
        "recognised": recognised_value(recognised),
        "entries": res.entries.iter().map(|e| entry_value(e)).collect::<Vec<_>>(),
        "nearest": Vec::<Value>::new(),
    }))
}

/// A query no entry fits exactly, as one JSON document: what was recognised and the nearest entries.
pub fn unmatched_json(query: &str, recognised: &Recognised, nearest: &[Nearest]) -> String {
    pretty(&json!({
        "schema": SCHEMA_ENTRY,
        "query": query.trim(),
        "explained": false,
        "matched_by": Value::Null,
        "recognised": recognised_value(recognised),
        "entries": Vec::<Value>::new(),
        "nearest": nearest.iter().map(|n| json!({
            "key": n.entry.key,
            "title": n.entry.title,
            "kind": n.entry.kind,
            "product": n.entry.area(),
            "why": n.why,
        })).collect::<Vec<_>>(),
    }))
}

/// A query no entry fits exactly, as human text: what was recognised, then the nearest entries.
pub fn unmatched_human(
    recognised: &Recognised,
    nearest: &[Nearest],
    ctx: &OutputContext,
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} no catalog entry fits this exactly; what it says:",
        "?".yellow().bold()
    );
    if ctx.quiet {
        return s;
    }
    for line in recognised.lines() {
        let _ = writeln!(s, "  {line}");
    }
    if nearest.is_empty() {
        let _ = writeln!(
            s,
            "\nNo entry is near it either; `agora-doctor explain --list` shows every entry."
        );
        return s;
    }
    let _ = writeln!(s, "\n{}", "Nearest entries:".bold());
    for n in nearest {
        let _ = writeln!(s, "  {} — {}", n.entry.key.bold(), n.entry.title);
        let _ = writeln!(s, "    why: {}", n.why);
        if ctx.verbose {
            let _ = writeln!(s, "    {}", n.entry.headline());
        }
    }
    let _ = writeln!(
        s,
        "\n`agora-doctor explain <KEY>` shows one in full; paste more of the log (or `--log FILE`) for an exact answer."
    );
    s
}

/// Every entry, one line each: key, kind, title.
pub fn list_human(entries: &[Entry], _ctx: &OutputContext) -> String {
    let width = entries.iter().map(|e| e.key.len()).max().unwrap_or(0);
    let mut s = String::new();
    for e in entries {
        let legacy = if e.is_legacy() { " (legacy)" } else { "" };
        let _ = writeln!(s, "{:width$}  {}{legacy}", e.key, e.title);
    }
    let _ = writeln!(
        s,
        "{} entries; `agora-doctor explain <KEY>` shows one",
        entries.len()
    );
    s
}

/// Every entry as one JSON document (one compact object per entry).
pub fn list_json(entries: &[Entry]) -> String {
    pretty(&json!({
        "schema": SCHEMA_LIST,
        "count": entries.len(),
        "entries": entries.iter().map(|e| json!({
            "key": e.key,
            "title": e.title,
            "sdk": e.sdk,
            "kind": e.kind,
            "value": e.value,
            "names": e.names,
            "legacy": e.is_legacy(),
        })).collect::<Vec<_>>(),
    }))
}
