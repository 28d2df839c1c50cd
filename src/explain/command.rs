//! Computes `agora-doctor explain`: reads the query or log (stdin through the [`Env`]) and
//! computes the result; `lib::run` renders and writes it.

use crate::cli::ExplainArgs;
use crate::env::Env;
use crate::explain::{log, reader, resolve, suggest};
use std::io::Read;

use crate::logfile::{self, LogError};
use crate::vocabulary::{Computed, Redaction};

/// What `explain` found: an entry, the nearest entries, the list, or a log read.
#[derive(Debug)]
pub enum Explained {
    /// `explain QUERY`.
    Entry {
        /// The query as given.
        query: String,
        /// What it resolved to.
        resolution: crate::explain::query::Resolution,
        /// What the paste says about itself (product, platform, SDK, codes …).
        recognised: reader::Recognised,
    },
    /// `explain QUERY` when no entry fits exactly but the paste was recognised (exit 1).
    Unmatched {
        /// The query as given.
        query: String,
        /// What the paste says about itself.
        recognised: reader::Recognised,
        /// The nearest entries, best first, each with why.
        nearest: Vec<reader::Nearest>,
    },
    /// `explain --list`.
    List,
    /// `explain --log`.
    Log {
        /// The log's name (`<stdin>` for `-`).
        source: String,
        /// What the reading found.
        log: Box<log::LogReading>,
    },
}

/// Compute the command's document, or say why it could not run.
pub fn compute(args: ExplainArgs, env: &Env) -> Result<Computed<Explained>, String> {
    if args.list {
        Ok(Computed::new(Explained::List))
    } else if let Some(path) = &args.log {
        let ScannedLog {
            name,
            reading: report,
            ..
        } = scan_log(path, env)?;
        let mut computed = Computed::new(Explained::Log {
            source: name,
            log: Box::new(report),
        });
        // The quoted lines are the user's own text, meant to be pasted: no token or certificate.
        computed.redaction = Redaction::Public(Vec::new());
        Ok(computed)
    } else {
        let query = if args.query.len() == 1 && args.query[0] == "-" {
            let mut s = String::new();
            let read = env
                .with_stdin(|stdin| stdin.take(MAX_STDIN_QUERY_BYTES + 1).read_to_string(&mut s));
            read.map_err(|e| {
                format!("cannot read the query from stdin: {e}; pass it as an argument instead")
            })?;
            if s.len() as u64 > MAX_STDIN_QUERY_BYTES {
                return Err(format!(
                    "the query on stdin is longer than {} MiB, the limit; paste the error line itself, or scan a whole log with `agora-doctor explain --log -`",
                    MAX_STDIN_QUERY_BYTES >> 20
                ));
            }
            s
        } else {
            args.query.join(" ")
        };
        let resolved = resolve(&query);
        // The human answer to a resolved query shows its entries only: what the paste says about
        // itself is read for `--json` and for a paste no entry fits (the reader's patterns are a
        // good part of what one `explain` process costs).
        let recognised = if resolved.is_some() && !args.json {
            reader::Recognised::default()
        } else {
            reader::read(&query)
        };
        match resolved {
            Some(resolution) => {
                let mut computed = Computed::new(Explained::Entry {
                    query,
                    resolution,
                    recognised,
                });
                // The query is echoed in --json: a pasted line may hold a token or a key.
                computed.redaction = Redaction::Public(Vec::new());
                Ok(computed)
            }
            None => {
                let shown = query.trim();
                if shown.is_empty() {
                    return Err("the query is empty; pass an error code, message or console line (or `--list`)".to_string());
                }
                if !recognised.is_empty() {
                    // Something was understood: say what, and the nearest entries (exit 1, "recognised
                    // but not explained"), rather than "nothing matches".
                    let nearest = reader::nearest(&query, &recognised);
                    let mut computed = Computed::new(Explained::Unmatched {
                        query,
                        recognised,
                        nearest,
                    });
                    // The query is echoed: a pasted line may hold a token or a key.
                    computed.redaction = Redaction::Public(Vec::new());
                    return Ok(computed);
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

/// The most a query on stdin (`explain -`) may hold: a pasted console line is a few KB, a whole
/// paste a few MB; past this it is a log (`--log -` streams those) or a pipe that never ends.
const MAX_STDIN_QUERY_BYTES: u64 = 16 << 20;

/// A user's log, opened and scanned once (`explain --log`, `report --log`).
#[derive(Debug)]
pub struct ScannedLog {
    /// The log's name (`<stdin>` for `-`).
    pub name: String,
    /// How it was read (`gzip`, `UTF-16 LE`, …); empty for plain UTF-8.
    pub read_as: Vec<&'static str>,
    /// What the scan found.
    pub reading: log::LogReading,
}

/// Open the log at `path` (`-` = stdin) through the decoder (gzip, byte-order marks, UTF-16) and
/// scan it in one streaming pass; the one place a user's log is opened. The error names the file
/// and a next step.
pub fn scan_log(path: &std::path::Path, env: &Env) -> Result<ScannedLog, String> {
    logfile::with_log(path, env, |log| {
        let read = log::read_log(log.reader, &log.name).map_err(|source| LogError::Read {
            name: log.name.clone(),
            source,
        });
        refuse_binary(log.name.clone(), read, log.looks_binary).map(|reading| ScannedLog {
            name: log.name,
            read_as: log.read_as,
            reading,
        })
    })
    .and_then(|scanned| scanned)
    .map_err(|e| e.to_string())
}

/// A scan that found nothing in input that was mostly not text read no log: refused, saying what
/// the input looked like. Errors found in it are reported as usual.
pub fn refuse_binary(
    name: String,
    read: Result<log::LogReading, LogError>,
    binary: Option<String>,
) -> Result<log::LogReading, LogError> {
    match (read, binary) {
        (Ok(reading), Some(what)) if !reading.has_problems() => {
            Err(LogError::Binary { name, what })
        }
        (other, _) => other,
    }
}

/// Longest query echoed whole in an error; a pasted megabyte would bury the message.
const MAX_ECHOED_QUERY_CHARS: usize = 120;

/// The query as quoted in an error: whole when short, else its start and its size.
/// The query as the error shows it: secrets redacted first (a paste may hold a token or a key, and
/// a cut one would no longer be recognised), then cut.
fn abbreviate(query: &str) -> String {
    let redacted = crate::redact::Redactor::default().text_only(query);
    let query = redacted.as_str();
    if query.chars().count() <= MAX_ECHOED_QUERY_CHARS {
        return format!("{query:?}");
    }
    let head: String = query.chars().take(60).collect();
    format!("{head:?}… ({} bytes)", query.len())
}
