//! Runs `agora-doctor explain`: placeholder until its issue lands.

use crate::cli::ExplainArgs;
use crate::render::{print_error, OutputContext};
use crate::Outcome;

/// Run the command.
pub fn run(_args: ExplainArgs, _ctx: &OutputContext) -> Outcome {
    print_error("`explain` is not implemented yet");
    Outcome::CouldNotRun
}
