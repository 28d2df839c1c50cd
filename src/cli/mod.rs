//! The command line: every clap type lives under this module, one file per command.

use clap::{Parser, Subcommand, ValueEnum};

pub mod completions;
pub mod explain;
pub mod join;
pub mod probe;
pub mod report;
pub mod scan;
pub mod token;

pub use completions::CompletionsArgs;
pub use explain::ExplainArgs;
pub use join::JoinArgs;
pub use probe::ProbeArgs;
pub use report::ReportArgs;
pub use scan::ScanArgs;
pub use token::TokenArgs;

/// Why an Agora voice app does not work, and proof that it does before a demo.
#[derive(Debug, Parser)]
#[command(name = "agora-doctor", version, about, long_about = None)]
pub struct Cli {
    /// When to colour the output: auto = only when stdout is a terminal and NO_COLOR is unset.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Print nothing but the one line that explains the exit code.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Add evidence and detail to human output.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode, verify and check an Agora 006/007 token, or build one for a test setup.
    Token(Box<TokenArgs>),
    /// Explain an Agora error code, message or pasted console line; scan a log for errors.
    Explain(ExplainArgs),
    /// Run every pre-demo check at once (network, clock, secure context, page, devices, join).
    Probe(Box<ProbeArgs>),
    /// Join a channel through Agora's native SDK, publish a 440 Hz tone, optionally hear it, and leave.
    Join(JoinArgs),
    /// Write a paste-ready Markdown report (probe, token, log scan, versions) with secrets redacted.
    Report(Box<ReportArgs>),
    /// Read an app project (config, tokens, SDK versions, code patterns, dev-server scripts); runs nothing.
    Scan(ScanArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout, e.g. `agora-doctor man > agora-doctor.1`.
    Man,
}

/// The `--color` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}
