//! Computes `agora-doctor explain`: reads the query or log (stdin through the [`Env`]) and
//! computes the result; `lib::run` renders and writes it.

use crate::cli::ExplainArgs;
use crate::env::Env;
use crate::explain::{reader, resolve, scan, suggest};
use crate::logfile::{self, LogError};
use crate::report::{Computed, Redaction, Report};
use crate::Outcome;

/// Compute the command's document, or say why it could not run.
pub fn compute(args: ExplainArgs, env: &Env) -> Result<Computed, String> {
    if args.list {
        Ok(Computed::new(Report::ExplainList, Outcome::Ok))
    } else if let Some(path) = &args.log {
        // Read once through the decoder (gzip, byte-order marks, UTF-16), then one streaming scan.
        let (source, scanned) = logfile::with_log(path, env, |log| {
            let scanned = scan::scan_log(log.reader).map_err(|source| LogError::Read {
                name: log.name.clone(),
                source,
            });
            (log.name, scanned)
        })
        .map_err(|e| e.to_string())?;
        let report = scanned.map_err(|e| e.to_string())?;
        let outcome = if report.errors.is_empty() {
            Outcome::Ok
        } else {
            Outcome::Findings
        };
        let mut computed = Computed::new(
            Report::ExplainLog {
                source,
                log: report,
            },
            outcome,
        );
        // The quoted lines are the user's own text, meant to be pasted: no token or certificate.
        computed.redaction = Redaction::Public(Vec::new());
        Ok(computed)
    } else {
        let query = if args.query.len() == 1 && args.query[0] == "-" {
            let mut s = String::new();
            env.with_stdin(|stdin| stdin.read_to_string(&mut s))
                .map_err(|e| {
                    format!("cannot read the query from stdin: {e}; pass it as an argument instead")
                })?;
            s
        } else {
            args.query.join(" ")
        };
        let recognised = reader::read(&query);
        match resolve(&query) {
            Some(resolution) => Ok(Computed::new(
                Report::ExplainEntry {
                    query,
                    resolution,
                    recognised,
                },
                Outcome::Ok,
            )),
            None => {
                let shown = query.trim();
                if shown.is_empty() {
                    return Err("the query is empty; pass an error code, message or console line (or `--list`)".to_string());
                }
                if !recognised.is_empty() {
                    // Something was understood: say what, and the nearest entries (exit 1, "recognised
                    // but not explained"), rather than "nothing matches".
                    let nearest = reader::nearest(&query, &recognised);
                    return Ok(Computed::new(
                        Report::ExplainUnmatched {
                            query,
                            recognised,
                            nearest,
                        },
                        Outcome::Findings,
                    ));
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
                Err(format!(
                    "nothing in the catalog matches {}, and it names no Agora product, platform, code or error name;{hint} `agora-doctor explain --list` shows every entry",
                    abbreviate(shown)
                ))
            }
        }
    }
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
