//! Rendering: the only code that writes a report to stdout. Colour is decided once, here.

pub mod explain;
pub mod token;

use std::io::{self, IsTerminal, Write};

pub mod probe;
pub mod scan;
pub mod support;

use crate::cli::ColorChoice;

pub mod join;

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
    pub fn from_choice(choice: ColorChoice, quiet: bool, verbose: bool) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
                    && io::stdout().is_terminal()
            }
        };
        colored::control::set_override(color);
        OutputContext {
            color,
            stderr_is_terminal: io::stderr().is_terminal(),
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
    let _ = writeln!(io::stderr(), "agora-doctor: error: {message}");
}
