//! Arguments of `agora-doctor token`.

use clap::Args;

/// `agora-doctor token <TOKEN> …` (filled in by the token work).
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The token to check, or `-` to read one token per line from stdin.
    pub token: Option<String>,
}
