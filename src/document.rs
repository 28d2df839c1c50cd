//! The documents `lib::run` renders: one [`Report`] variant per kind of command result, above the
//! commands (it names their report types; they never name it). A command hands back its own
//! document in a [`crate::vocabulary::Computed`]; `lib::run` turns it into a [`Report`] here.

use crate::explain::command::Explained;
use crate::token::TokenDocument;

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
