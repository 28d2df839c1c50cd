//! agora-doctor: why an Agora voice app does not work, and proof that it does before a demo.
//!
//! One pipeline ([`run`]): read the process [`env::Env`] once; each command resolves its inputs
//! against it ([`inputs::Inputs::resolve`]) and computes a typed report ([`report::Computed`]);
//! then `run` alone chooses the renderer, redacts, writes, and maps the result to an exit code
//! (see [`Outcome`]). Nothing else writes a command's result to stdout (`tests/all/pipeline.rs`).

pub mod browser;
pub mod cli;
pub mod cli_docs;
pub mod env;
pub mod explain;
pub mod inputs;
pub mod join;
pub mod native;
pub mod probe;
pub mod render;
pub mod report;
pub mod scan;
pub mod token;
pub mod token_server;

pub use report::Outcome;

use report::{Computed, Destination, Format, Redaction, Report};

/// Run one parsed command line and say how it ended.
pub fn run(cli: cli::Cli) -> Outcome {
    let env = match env::Env::from_process(cli.from_env.clone()) {
        Ok(env) => env,
        Err(message) => {
            render::print_error(&message);
            return Outcome::CouldNotRun;
        }
    };
    let ctx = render::OutputContext::from_choice(cli.color, cli.quiet, cli.verbose, &env);
    let format = if cli.command.wants_json() {
        Format::Json
    } else {
        Format::Human
    };
    let computed = match cli.command {
        cli::Command::Token(args) => token::command::compute(args, &env),
        cli::Command::TokenServer(args) => token_server::compute(*args, &env),
        cli::Command::Explain(args) => explain::command::compute(args, &env),
        cli::Command::Probe(args) => probe::command::compute(*args, &env),
        cli::Command::Join(args) => join::command::compute(args, &env),
        cli::Command::Report(args) => report::command::compute(*args, &env),
        cli::Command::Scan(args) => scan::command::compute(args, &env),
        cli::Command::Completions(args) => Ok(text(cli_docs::completions(args.shell))),
        cli::Command::Man => Ok(text(cli_docs::man_page())),
    };
    match computed {
        Ok(computed) => write(computed, format, &ctx),
        Err(message) => {
            render::print_error(&message);
            Outcome::CouldNotRun
        }
    }
}

fn text(text: String) -> Computed {
    Computed::new(Report::Text(text), Outcome::Ok)
}

/// Render, redact and write a computed document; a write failure other than a closed pipe is a
/// could-not-run.
fn write(computed: Computed, format: Format, ctx: &render::OutputContext) -> Outcome {
    for warning in &computed.warnings {
        render::print_warning(warning);
    }
    let text = redact(
        render::render(&computed.report, format, ctx),
        &computed.redaction,
    );
    let written = match &computed.destination {
        Destination::Stdout => render::write_stdout(&text).map_err(|e| ("stdout".to_owned(), e)),
        Destination::File(path) => {
            std::fs::write(path, text).map_err(|e| (path.display().to_string(), e))
        }
    };
    match written {
        Ok(()) => computed.outcome,
        Err((target, e)) => {
            let hint = match computed.destination {
                Destination::File(_) => "; pass --out with a writable path",
                Destination::Stdout => "",
            };
            render::print_error(&format!(
                "could not write the report to {target}: {e}{hint}"
            ));
            Outcome::CouldNotRun
        }
    }
}

/// Take the secrets out of the text (the token command's redactor or the support report's).
fn redact(text: String, redaction: &Redaction) -> String {
    match redaction {
        Redaction::None => text,
        Redaction::Certificates(secrets) => secrets.iter().fold(text, |text, secret| {
            token::command::redact(&text, Some(secret))
        }),
        Redaction::Secrets(secrets) => report::redact(&text, secrets),
    }
}
