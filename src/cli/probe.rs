//! Arguments of `agora-doctor probe`.

use clap::Args;

/// `agora-doctor probe …` (filled in by the probe work).
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Run against the built-in simulated Agora edge (a test double; no account needed).
    #[arg(long)]
    pub sim: bool,
}
