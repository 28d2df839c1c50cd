//! Rendering: every report type to text ([`render`]), and the two writers `lib::run` uses (stdout
//! for documents, stderr for tool errors). Colour is decided once, here. Renderers import the report
//! types; the reports never import a renderer.

pub mod explain;
pub mod explain_log;
pub mod token;
pub mod token_server;

use std::io::{self, Write};

pub mod probe;
pub mod progress;
pub mod report;
pub mod scan;
pub mod style;

use crate::cli::ColorChoice;
use crate::document::{Format, Report};
use crate::env::Env;
use crate::explain::command::Explained;

pub mod join;

/// The text of a report in a format (`Format::Json` where the command offers `--json`).
pub fn render(report: &Report, format: Format, ctx: &OutputContext) -> String {
    let json = format == Format::Json;
    match report {
        Report::Token(r) if json => json_document(r, crate::token::report::SCHEMA),
        Report::Token(r) => token::human(r, ctx),
        Report::TokenBuild(b) if json => json_document(b, crate::token::build::SCHEMA),
        Report::TokenBuild(b) => token::build_human(b),
        Report::Explain(e) => match e {
            Explained::Entry {
                query,
                resolution,
                recognised,
            } if json => explain::entry_json(query, resolution, recognised),
            Explained::Entry { resolution, .. } => explain::entry_human(resolution, ctx),
            Explained::Unmatched {
                query,
                recognised,
                nearest,
            } if json => explain::unmatched_json(query, recognised, nearest),
            Explained::Unmatched {
                recognised,
                nearest,
                ..
            } => explain::unmatched_human(recognised, nearest, ctx),
            Explained::List if json => explain::list_json(crate::explain::catalog()),
            Explained::List => explain::list_human(crate::explain::catalog(), ctx),
            Explained::Log { source, log } if json => explain_log::json(source, log),
            Explained::Log { source, log } => explain_log::human(source, log, ctx),
        },
        Report::Probe(r) if json => json_document(r, crate::probe::SCHEMA),
        Report::Probe(r) if ctx.quiet => probe::quiet(r),
        Report::Probe(r) => probe::human(r, ctx),
        Report::ProbeChecks => probe::list_checks(crate::probe::CHECKS, json),
        Report::Join(r) if json => json_document(r, crate::join::SCHEMA),
        Report::Join(r) => join::human(r, ctx),
        Report::TokenServer(r) if json => json_document(r, crate::token_server::report::SCHEMA),
        Report::TokenServer(r) => token_server::human(r, ctx),
        Report::Support(r) if json => json_document(r, crate::report::document::SCHEMA),
        Report::Support(r) => report::render_markdown(r),
        Report::Scan(r) if json => json_document(r, crate::scan::SCHEMA),
        Report::Scan(r) if ctx.quiet => format!("{}\n", scan::summary_line(r)),
        Report::Scan(r) => scan::human(r, ctx.verbose),
        Report::Text(text) => text.clone(),
    }
}

/// The one JSON writer of the serde documents: the document's own form (every field always
/// present, never coloured), indented, ending in a newline. `lib::run` redacts it like the text.
/// Should a document ever fail to serialise, the output is still one JSON document: its schema and
/// why.
pub fn json_document(document: &impl serde::Serialize, schema: &str) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_else(|e| {
        serde_json::json!({"schema": schema, "error": e.to_string()}).to_string()
    });
    text.push('\n');
    text
}

/// How output should look, decided once per run.
#[derive(Debug, Clone, Copy)]
pub struct OutputContext {
    /// Whether ANSI colour may be used on stdout.
    pub color: bool,
    /// Whether stderr is a terminal (spinners and progress lines only then).
    pub stderr_is_terminal: bool,
    /// `-q`: human output is only the line that explains the exit code.
    pub quiet: bool,
    /// `-v`: human output adds evidence and detail.
    pub verbose: bool,
}

impl OutputContext {
    /// Decide colour (once per run) from `--color`, `NO_COLOR`, `TERM` and whether stdout is a terminal.
    pub fn from_choice(choice: ColorChoice, quiet: bool, verbose: bool, env: &Env) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                env.var("NO_COLOR").is_none_or(str::is_empty)
                    && env.var("TERM") != Some("dumb")
                    && env.stdout_is_terminal
            }
        };
        colored::control::set_override(color);
        OutputContext {
            color,
            stderr_is_terminal: env.stderr_is_terminal,
            quiet,
            verbose,
        }
    }

    /// A context for tests: no colour, no terminal.
    pub fn plain() -> Self {
        colored::control::set_override(false);
        OutputContext {
            color: false,
            stderr_is_terminal: false,
            quiet: false,
            verbose: false,
        }
    }
}

/// Write a whole rendered document to stdout. A closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Print a tool error ("could not run") to stderr, naming the bad input and the next step.
pub fn print_error(message: &str) {
    let message = style::escape_controls(message, false);
    let _ = writeln!(io::stderr(), "agora-doctor: error: {message}");
}

/// Print a note about what the run did outside stdout (a file written) to stderr.
pub fn print_note(message: &str) {
    let message = style::escape_controls(message, false);
    let _ = writeln!(io::stderr(), "agora-doctor: {message}");
}

/// Print a warning about how the tool was called (not a finding) to stderr, as is.
pub fn print_warning(message: &str) {
    let message = style::escape_controls(message, false);
    let _ = writeln!(io::stderr(), "{message}");
}
