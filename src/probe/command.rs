//! Runs `agora-doctor probe`: placeholder until its issue lands.

use crate::cli::ProbeArgs;
use crate::render::{print_error, OutputContext};
use crate::Outcome;

/// Run the command.
pub fn run(_args: ProbeArgs, _ctx: &OutputContext) -> Outcome {
    print_error("`probe` is not implemented yet");
    Outcome::CouldNotRun
}
