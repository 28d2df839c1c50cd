//! The documents `lib::run` renders: one [`Report`] variant per kind of command result, above the
//! commands (it names their report types; they never name it). A command hands back its own
//! document in a [`crate::vocabulary::Computed`]; `lib::run` turns it into a [`Report`] here.

use crate::explain::command::Explained;
use crate::token::TokenDocument;
use crate::vocabulary::Outcome;

/// Every kind of document a command produces (renderers in `crate::render` turn each into text).
#[derive(Debug)]
pub enum Report {
    /// `token`: the check of one or more tokens.
    Token(crate::token::report::TokenReport),
    /// `token build`.
    TokenBuild(crate::token::build::Built),
    /// `explain`: an entry, the nearest entries, the list, or a log read.
    Explain(Explained),
    /// `probe`.
    Probe(crate::probe::ProbeReport),
    /// `probe --list-checks`, `report --list-checks`.
    ProbeChecks,
    /// `join`.
    Join(crate::join::JoinReport),
    /// `token-server`.
    TokenServer(Box<crate::token_server::report::TokenServerReport>),
    /// `report`.
    Support(crate::report::SupportReport),
    /// `scan`.
    Scan(crate::scan::ScanReport),
    /// Generated text written as is (completions, the man page).
    Text(String),
}

impl Report {
    /// The exit outcome the document leads to: the one place that says it for every command (a
    /// command that could not run has no document: [`Outcome::CouldNotRun`]).
    pub fn outcome(&self) -> Outcome {
        let findings = match self {
            // Each judged its findings with `--strict` as asked, into its exit code.
            Report::Token(r) => r.exit_code != 0,
            Report::TokenServer(r) => r.exit_code != 0,
            Report::Probe(r) => r.exit_code != 0,
            Report::Scan(r) => r.exit_code != 0,
            // As in `probe`, a skip (nothing tried, e.g. no SDK found) is not a failure.
            Report::Join(r) => r.finding.status.fails(false),
            Report::Support(r) => {
                r.probe.exit_code != 0 || r.log.as_ref().is_some_and(|l| l.reading.has_problems())
            }
            Report::Explain(Explained::Log { log, .. }) => log.has_problems(),
            // Recognised, but no entry explains it.
            Report::Explain(Explained::Unmatched { .. }) => true,
            Report::Explain(Explained::Entry { .. } | Explained::List)
            | Report::TokenBuild(_)
            | Report::ProbeChecks
            | Report::Text(_) => false,
        };
        Outcome::findings_if(findings)
    }
}

/// How a document is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for a person (colour as the output context allows).
    Human,
    /// One JSON document with a `schema` field.
    Json,
}

impl From<TokenDocument> for Report {
    fn from(document: TokenDocument) -> Self {
        match document {
            TokenDocument::Check(report) => Report::Token(report),
            TokenDocument::Build(built) => Report::TokenBuild(built),
        }
    }
}

macro_rules! document {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        $(impl From<$ty> for Report {
            fn from(report: $ty) -> Self {
                Report::$variant(report)
            }
        })*
    };
}

document!(
    Explain(Explained),
    Probe(crate::probe::ProbeReport),
    Join(crate::join::JoinReport),
    TokenServer(Box<crate::token_server::report::TokenServerReport>),
    Support(crate::report::SupportReport),
    Scan(crate::scan::ScanReport),
    Text(String),
);
