//! agora-doctor: why an Agora voice app does not work, and proof that it does before a demo.
//!
//! One dispatch from the parsed command line to each command; every command computes a report, a
//! renderer writes it, and the result maps to an exit code (see [`Outcome`]).

pub mod browser;
pub mod cli;
pub mod cli_docs;
pub mod env;
pub mod explain;
pub mod join;
pub mod logfile;
pub mod native;
pub mod probe;
pub mod redact;
pub mod render;
pub mod report;
pub mod support;
pub mod token;

pub use report::Outcome;

/// Run one parsed command line and say how it ended.
pub fn run(cli: cli::Cli) -> Outcome {
    if let Err(message) = env::install_clock() {
        render::print_error(&message);
        return Outcome::CouldNotRun;
    }
    let ctx = render::OutputContext::from_choice(cli.color, cli.quiet, cli.verbose);
    match cli.command {
        cli::Command::Token(args) => token::command::run(args, &ctx),
        cli::Command::Explain(args) => explain::command::run(args, &ctx),
        cli::Command::Probe(args) => probe::command::run(*args, &ctx),
        cli::Command::Join(args) => join::command::run(args, &ctx),
        cli::Command::Report(args) => support::command::run(*args, &ctx),
        cli::Command::Completions(args) => print_text(&cli_docs::completions(args.shell)),
        cli::Command::Man => print_text(&cli_docs::man_page()),
    }
}

/// Write generated text to stdout; a write failure other than a closed pipe is a could-not-run.
fn print_text(text: &str) -> Outcome {
    match render::write_stdout(text) {
        Ok(()) => Outcome::Ok,
        Err(e) => {
            render::print_error(&format!("could not write to stdout: {e}"));
            Outcome::CouldNotRun
        }
    }
}
