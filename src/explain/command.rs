//! Runs `agora-doctor explain`: reads the query or log, computes the result, hands it to the renderer.

use std::io::{self, Read};

use crate::cli::ExplainArgs;
use crate::explain::{catalog, resolve, scan, suggest};
use crate::logfile;
use crate::redact::Redactor;
use crate::render::explain as view;
use crate::render::{print_error, write_stdout, OutputContext};
use crate::token::certificate::CERT_ENV;
use crate::Outcome;

/// Run the command.
pub fn run(args: ExplainArgs, ctx: &OutputContext) -> Outcome {
    let text = if args.list {
        if args.json {
            view::list_json(catalog())
        } else {
            view::list_human(catalog(), ctx)
        }
    } else if let Some(path) = &args.log {
        let source = match logfile::open(path) {
            Ok(source) => source,
            Err(e) => {
                print_error(&e.to_string());
                return Outcome::CouldNotRun;
            }
        };
        let mut report = match scan::scan_log(source.reader) {
            Ok(r) => r,
            Err(e) => {
                print_error(&format!(
                    "cannot read log {path}: {e}; check the file and try again"
                ));
                return Outcome::CouldNotRun;
            }
        };
        // The quoted lines are the user's own text: tokens and certificates in them are removed.
        let redactor = Redactor::new(&std::env::var(CERT_ENV).into_iter().collect::<Vec<_>>());
        for error in &mut report.errors {
            error.line = redactor.text_only(&error.line);
        }
        let source = source.name.as_str();
        let outcome = if report.errors.is_empty() {
            Outcome::Ok
        } else {
            Outcome::Findings
        };
        let text = if args.json {
            view::log_json(source, &report)
        } else {
            view::log_human(source, &report, ctx)
        };
        return finish(&text, outcome);
    } else {
        let query = if args.query.len() == 1 && args.query[0] == "-" {
            let mut s = String::new();
            if let Err(e) = io::stdin().lock().read_to_string(&mut s) {
                print_error(&format!(
                    "cannot read the query from stdin: {e}; pass it as an argument instead"
                ));
                return Outcome::CouldNotRun;
            }
            s
        } else {
            args.query.join(" ")
        };
        match resolve(&query) {
            Some(res) => {
                if args.json {
                    view::entry_json(&query, &res)
                } else {
                    view::entry_human(&res, ctx)
                }
            }
            None => {
                let shown = query.trim();
                if shown.is_empty() {
                    print_error("the query is empty; pass an error code, message or console line (or `--list`)");
                    return Outcome::CouldNotRun;
                }
                let hint = match suggest(shown).as_slice() {
                    [] => String::new(),
                    s => format!(
                        " did you mean {}?",
                        s.iter()
                            .map(|x| format!("`{x}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                print_error(&format!(
                    "nothing in the catalog matches {};{hint} `agora-doctor explain --list` shows every entry",
                    abbreviate(shown)
                ));
                return Outcome::CouldNotRun;
            }
        }
    };
    finish(&text, Outcome::Ok)
}

/// Longest query echoed whole in an error; a pasted megabyte would bury the message.
const MAX_ECHOED_QUERY_CHARS: usize = 120;

/// The query as quoted in an error: whole when short, else its start and its size.
fn abbreviate(query: &str) -> String {
    if query.chars().count() <= MAX_ECHOED_QUERY_CHARS {
        return format!("{query:?}");
    }
    let head: String = query.chars().take(60).collect();
    format!("{head:?}… ({} bytes)", query.len())
}

fn finish(text: &str, outcome: Outcome) -> Outcome {
    match write_stdout(text) {
        Ok(()) => outcome,
        Err(e) => {
            print_error(&format!("cannot write to stdout: {e}"));
            Outcome::CouldNotRun
        }
    }
}
