//! Runs `agora-doctor token`: placeholder until its issue lands.

use crate::cli::TokenArgs;
use crate::render::{print_error, OutputContext};
use crate::Outcome;

/// Run the command.
pub fn run(_args: TokenArgs, _ctx: &OutputContext) -> Outcome {
    print_error("`token` is not implemented yet");
    Outcome::CouldNotRun
}
