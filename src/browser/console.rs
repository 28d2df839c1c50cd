//! What a page printed: console calls, uncaught exceptions and browser log entries turned into
//! plain text lines, the way a developer sees them in DevTools.

use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel};
use chromiumoxide::cdp::js_protocol::runtime::{
    ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown, ExceptionDetails,
    RemoteObject,
};
use serde::Serialize;

use crate::vocabulary::Finding;

/// The kind of a recorded line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleKind {
    /// `console.log`, `console.info`, `console.debug` and friends.
    Log,
    /// `console.warn`.
    Warning,
    /// `console.error` (the Agora SDK's `[ERROR]` lines land here).
    Error,
    /// An uncaught exception or unhandled promise rejection.
    Exception,
    /// A message from the browser itself (network failures, security warnings).
    Browser,
}

impl ConsoleKind {
    /// Whether a developer would count this line as an error.
    pub fn is_error(self) -> bool {
        matches!(self, ConsoleKind::Error | ConsoleKind::Exception)
    }
}

/// One recorded line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsoleEntry {
    /// What produced it.
    pub kind: ConsoleKind,
    /// The text, formatted as DevTools shows it (arguments joined by spaces, `%c` styles dropped).
    pub text: String,
}

pub(crate) fn from_console_call(event: &EventConsoleApiCalled) -> ConsoleEntry {
    let kind = match event.r#type {
        ConsoleApiCalledType::Error | ConsoleApiCalledType::Assert => ConsoleKind::Error,
        ConsoleApiCalledType::Warning => ConsoleKind::Warning,
        _ => ConsoleKind::Log,
    };
    ConsoleEntry {
        kind,
        text: format_args_like_devtools(&event.args),
    }
}

pub(crate) fn from_exception(event: &EventExceptionThrown) -> ConsoleEntry {
    ConsoleEntry {
        kind: ConsoleKind::Exception,
        text: exception_text(&event.exception_details),
    }
}

pub(crate) fn from_log_entry(event: &EventEntryAdded) -> ConsoleEntry {
    // Only the browser's own errors matter to a developer (failed loads, blocked requests).
    let kind = match event.entry.level {
        LogEntryLevel::Error => ConsoleKind::Browser,
        _ => ConsoleKind::Log,
    };
    ConsoleEntry {
        kind,
        text: event.entry.text.clone(),
    }
}

/// `Uncaught TypeError: Cannot read properties of null (reading 'remove')`, as DevTools prints it.
pub(crate) fn exception_text(details: &ExceptionDetails) -> String {
    let description = details.exception.as_ref().and_then(|e| {
        e.description
            .clone()
            .or_else(|| e.value.as_ref().map(value_text))
    });
    match description {
        // The description carries the stack after the first line; keep the message only.
        Some(d) => {
            let first = d.lines().next().unwrap_or_default();
            format!("{} {}", details.text, first)
        }
        None => details.text.clone(),
    }
}

/// Join console arguments like DevTools: strings as they are, other values by their description;
/// `%c` directives (CSS, used by the Agora SDK's log prefix) swallow the argument they style.
fn format_args_like_devtools(args: &[RemoteObject]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = args.iter();
    if let Some(first) = rest.next() {
        match first.value.as_ref().and_then(|v| v.as_str()) {
            Some(format) if format.contains("%c") => {
                let styles = format.matches("%c").count();
                for _ in 0..styles {
                    rest.next();
                }
                parts.push(format.replace("%c", ""));
            }
            _ => parts.push(object_text(first)),
        }
    }
    parts.extend(rest.map(object_text));
    parts.join(" ").trim().to_string()
}

fn object_text(object: &RemoteObject) -> String {
    if let Some(value) = &object.value {
        return value_text(value);
    }
    if let Some(unserializable) = &object.unserializable_value {
        return unserializable.inner().clone();
    }
    object.description.clone().unwrap_or_default()
}

fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Attach the catalog's explanation of `printed` (if any) to `finding`.
pub fn explained(finding: Finding, printed: &str) -> Finding {
    match crate::explain::lookup(printed) {
        Some(entry) => finding
            .with_evidence(format!(
                "agora-doctor explain {}: {}",
                entry.key, entry.title
            ))
            .with_fix(entry.fix.clone()),
        None => finding,
    }
}

/// The first line of `text`, cut at 300 characters (a console line may hold a whole bundle).
pub fn shorten(text: &str) -> String {
    const MAX: usize = 300;
    let first = text.lines().next().unwrap_or_default();
    if first.chars().count() > MAX {
        format!("{}…", first.chars().take(MAX).collect::<String>())
    } else {
        first.to_string()
    }
}
