//! agora-doctor: why an Agora voice app does not work, and proof that it does before a demo.
//!
//! One pipeline ([`run`]): read the process [`env::Env`] once; each command resolves its inputs
//! against it ([`inputs::Inputs::resolve`]) and computes its own typed report in a
//! [`vocabulary::Computed`]; then `run` alone turns it into a [`document::Report`], chooses the
//! renderer, redacts, writes, and maps the result to an exit code (see [`Outcome`]). The words every
//! result is made of ([`vocabulary`]) sit at the bottom and name no command. Nothing else writes a
//! command's result to stdout (`tests/all/pipeline.rs`).

pub mod browser;
pub mod cli;
pub mod cli_docs;
pub mod document;
pub mod env;
pub mod explain;
pub mod inputs;
pub mod join;
pub mod logfile;
pub mod native;
pub mod probe;
pub mod profile;
pub mod redact;
pub mod render;
pub mod report;
pub mod scan;
pub mod time;
pub mod token;
pub mod token_server;
pub mod vocabulary;
pub mod world;

pub use vocabulary::Outcome;

use document::{Format, Report};
use redact::{Redactions, Redactor};
use vocabulary::{Computed, Destination, Failure, Redaction};

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
    if let cli::Command::Token(args) = &cli.command {
        if token::command::reads_stdin(args) {
            return stream_tokens(args, &env, format, &ctx);
        }
    }
    let computed: Result<Computed<Report>, Failure> = match cli.command {
        cli::Command::Token(args) => token::command::compute(args, &env).map(Computed::into),
        cli::Command::TokenServer(args) => token_server::compute(*args, &env).map(Computed::into),
        cli::Command::Explain(args) => explain::command::compute(args, &env)
            .map(Computed::into)
            .map_err(Failure::from),
        // The check list runs nothing: it is the registry, rendered.
        cli::Command::Probe(args) if args.list_checks => Ok(checks()),
        cli::Command::Probe(args) => probe::command::compute(*args, &env).map(Computed::into),
        cli::Command::Join(args) => join::command::compute(args, &env).map(Computed::into),
        cli::Command::Report(args) if args.probe.list_checks => Ok(checks()),
        cli::Command::Report(args) => report::command::compute(*args, &env).map(Computed::into),
        cli::Command::Scan(args) => scan::command::compute(args, &env)
            .map(Computed::into)
            .map_err(Failure::from),
        cli::Command::Completions(args) => Ok(text(cli_docs::completions(args.shell))),
        cli::Command::Man => Ok(text(cli_docs::man_page())),
    };
    match computed {
        Ok(computed) => {
            let redactor = redactor(computed.redaction.clone(), &env);
            write(computed, format, &ctx, &redactor)
        }
        Err(failure) => {
            let redactor = redactor(failure.redaction, &env);
            render::print_error(&redactor.text_only(&failure.message));
            Outcome::CouldNotRun
        }
    }
}

/// The one redactor of a run: what the command asked for, plus the environment's certificate,
/// which never appears in any output or error, whatever the command.
fn redactor(redaction: Redaction, env: &env::Env) -> Redactor {
    redaction
        .with(
            env.certificate()
                .filter(|c| !c.trim().is_empty())
                .map(str::to_owned),
        )
        .redactor()
}

fn text(text: String) -> Computed<Report> {
    Computed::new(Report::Text(text))
}

fn checks() -> Computed<Report> {
    Computed::new(Report::ProbeChecks)
}

/// `token -`: each token's part rendered, redacted and written as soon as it is checked, so memory
/// stays flat and the first answer comes at once however many lines stdin holds.
fn stream_tokens(
    args: &cli::token::TokenArgs,
    env: &env::Env,
    format: Format,
    ctx: &render::OutputContext,
) -> Outcome {
    use token::command::TokenSink;
    use token::report::{TokenReport, TokenResult};

    struct Writer<'a> {
        env: &'a env::Env,
        format: Format,
        ctx: &'a render::OutputContext,
        redactor: Option<Redactor>,
        /// The text before the first token, held until that token is checked.
        pending: String,
        written: usize,
        error: Option<std::io::Error>,
    }

    impl Writer<'_> {
        fn emit(&mut self, text: String) {
            if self.error.is_some() || text.is_empty() {
                return;
            }
            let redactor = self.redactor.get_or_insert_with(Redactor::default);
            let text = redact(redactor, text, self.format, &mut Redactions::default());
            if let Err(e) = render::write_stdout(&text) {
                self.error = Some(e);
            }
        }
    }

    impl TokenSink for Writer<'_> {
        fn start(
            &mut self,
            head: &TokenReport,
            secrets: &[String],
        ) -> Result<(), token::TokenError> {
            self.redactor = Some(redactor(
                Redaction::Certificates(secrets.to_vec()),
                self.env,
            ));
            if head.expectation.certificate == token::certificate::CertSource::Argument {
                render::print_warning(token::certificate::CERT_ARGUMENT_WARNING);
            }
            // Held until the first token is checked: a first line that is refused leaves stdout
            // empty, as every could-not-run does.
            self.pending = render::token::stream_start(head, self.format, self.ctx);
            Ok(())
        }

        fn token(
            &mut self,
            head: &TokenReport,
            result: TokenResult,
        ) -> Result<(), token::TokenError> {
            let mut text = std::mem::take(&mut self.pending);
            text.push_str(&render::token::stream_token(
                head,
                &result,
                self.written,
                self.format,
                self.ctx,
            ));
            self.written += 1;
            self.emit(text);
            Ok(())
        }
    }

    let mut writer = Writer {
        env,
        format,
        ctx,
        redactor: None,
        pending: String::new(),
        written: 0,
        error: None,
    };
    match token::command::stream(args, env, &mut writer) {
        Ok(report) => {
            let mut end = std::mem::take(&mut writer.pending);
            end.push_str(&render::token::stream_end(
                &report,
                writer.written > 0,
                format,
                ctx,
            ));
            writer.emit(end);
            match writer.error {
                None => Report::Token(report).outcome(),
                Some(e) => {
                    render::print_error(&format!("could not write the report to stdout: {e}"));
                    Outcome::CouldNotRun
                }
            }
        }
        Err(failure) => {
            let redactor = redactor(failure.redaction, env);
            render::print_error(&redactor.text_only(&failure.message));
            Outcome::CouldNotRun
        }
    }
}

/// Render, redact and write a computed document; a write failure other than a closed pipe is a
/// could-not-run.
fn write(
    computed: Computed<Report>,
    format: Format,
    ctx: &render::OutputContext,
    redactor: &Redactor,
) -> Outcome {
    for warning in &computed.warnings {
        render::print_warning(&redactor.text_only(warning));
    }
    let mut report = computed.report;
    let mut counted = Redactions::default();
    let mut text = redact(
        redactor,
        render::render(&report, format, ctx),
        format,
        &mut counted,
    );
    // The support report says what was removed from it: the counts of a first rendering go into
    // the document, which is rendered and redacted again (the counts themselves hold no secret).
    if let Report::Support(support) = &mut report {
        support.redactions = counted.rows();
        text = redact(
            redactor,
            render::render(&report, format, ctx),
            format,
            &mut Redactions::default(),
        );
    }
    // Text from outside (a log line, a console message) never drives the terminal or lands raw in
    // report.md: control characters are written visibly; only our own colours stay.
    let keep_colour = ctx.color && matches!(computed.destination, Destination::Stdout);
    let text = match format {
        Format::Json => render::style::escape_json_controls(&text).into_owned(),
        Format::Human => render::style::escape_controls(&text, keep_colour).into_owned(),
    };
    let written = match &computed.destination {
        Destination::Stdout => render::write_stdout(&text).map_err(|e| ("stdout".to_owned(), e)),
        Destination::File(path) => {
            let lines = text.lines().count();
            std::fs::write(path, text)
                .map(|()| {
                    // Silence after `--out FILE` would leave the user guessing where it went.
                    render::print_note(&format!(
                        "wrote the report ({lines} lines) to {}",
                        path.display()
                    ));
                })
                .map_err(|e| (path.display().to_string(), e))
        }
    };
    match written {
        Ok(()) => report.outcome(),
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

/// Take the secrets out of rendered text, counting them; a JSON document stays valid and keeps
/// its layout (only its strings change).
fn redact(redactor: &Redactor, text: String, format: Format, counted: &mut Redactions) -> String {
    match format {
        Format::Json => redactor.json_text(&text, counted),
        Format::Human => redactor.text(&text, counted),
    }
}
