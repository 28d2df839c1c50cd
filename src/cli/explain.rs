//! Arguments of `agora-doctor explain`.

use clap::Args;

/// `agora-doctor explain <QUERY> …` (filled in by the explain work).
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// An error code, name, number, message or a whole pasted console line; `-` reads stdin.
    pub query: Option<String>,
}
