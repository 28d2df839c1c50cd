//! The command line: every clap type lives under this module, one file per command.

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

pub mod completions;
pub mod explain;
pub mod join;
pub mod probe;
pub mod report;
pub mod scan;
pub mod token;
pub mod token_server;

pub use completions::CompletionsArgs;
pub use explain::ExplainArgs;
pub use join::JoinArgs;
pub use probe::ProbeArgs;
pub use report::ReportArgs;
pub use scan::ScanArgs;
pub use token::TokenArgs;
pub use token_server::TokenServerArgs;

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

    /// Add evidence and detail to human output: passing findings' evidence (token, probe), the SDK's
    /// events (join), how a query matched and whole fixes (explain). report's Markdown has it all.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,

    /// Arguments whose value came from an environment variable rather than the command line
    /// (filled by [`parse`]; `--sim` ignores `AGORA_APP_ID` but not `--app-id`).
    #[arg(skip)]
    pub from_env: Vec<String>,
}

/// Parse this process's command line (exiting with clap's message on a bad one), noting which
/// values clap took from environment variables.
pub fn parse() -> Cli {
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cli.from_env = from_env(&matches);
    cli
}

/// The ids of every argument, in every subcommand level, whose value came from the environment.
fn from_env(matches: &ArgMatches) -> Vec<String> {
    let mut out: Vec<String> = matches
        .ids()
        .filter(|id| matches.value_source(id.as_str()) == Some(ValueSource::EnvVariable))
        .map(|id| id.as_str().to_string())
        .collect();
    if let Some((_, sub)) = matches.subcommand() {
        out.extend(from_env(sub));
    }
    out
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode, verify and check an Agora 006/007 token, or build one for a test setup.
    Token(Box<TokenArgs>),
    /// Ask your token server for tokens the way your app will, and judge every answer (token, CORS, TLS, latency).
    TokenServer(Box<TokenServerArgs>),
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

impl Command {
    /// Whether the command asked for one JSON document (`--json`).
    pub fn wants_json(&self) -> bool {
        match self {
            Command::Token(args) => match &args.command {
                Some(token::TokenCommand::Build(b)) => b.json,
                None => args.json,
            },
            Command::Explain(args) => args.json,
            Command::Probe(args) => args.json,
            Command::Join(args) => args.json,
            Command::TokenServer(args) => args.json,
            Command::Report(args) => args.probe.json,
            Command::Scan(args) => args.json,
            Command::Completions(_) | Command::Man => false,
        }
    }
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
