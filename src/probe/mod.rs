//! `agora-doctor probe`: every pre-demo check at once. The runner ([`runner`]) starts all selected
//! checks concurrently on tokio, each under its own budget, and reports them in the fixed order of
//! [`CHECKS`]; one file per check computes a [`runner::CheckOutput`] from a shared
//! [`context::ProbeContext`]. Every check lives in [`checks`]; the engines they drive live beside
//! (`crate::join`, `crate::browser`, `crate::native`, [`http_steps`], [`stun`]). `--sim` points every
//! check at the simulated world (`agora_sim::world`, a test double) started in-process: its endpoints
//! are in the context's profile, its project's credentials and token in the context's inputs.
//!
//! # Adding a check (the `join` and `browser` checks plug in here)
//!
//! 1. Write `src/probe/checks/<id>.rs` (its engine, if any, beside `probe/`, e.g. `src/native/`) with
//!    an async entry point that takes `Arc<ProbeContext>` and returns [`runner::CheckOutput`]; blocking or FFI work goes through
//!    `tokio::task::spawn_blocking` inside it. Missing inputs: return [`runner::CheckOutput::skip`]
//!    with a hint naming the flag to pass. Keys: `probe.<id>.<what>`, one catalog entry each.
//! 2. Add one `pub const SPEC: CheckSpec = CheckSpec { id: "join", title, inputs, budget, run }` next to
//!    it (see [`clock::SPEC`]) and one line in [`CHECKS`] below, at the place it should be shown.
//! 3. Inputs it needs that are not in [`crate::inputs::Inputs`] yet: add a field there and a flag in
//!    `src/cli/probe.rs`. A check takes endpoints from the profile, tokens from the inputs
//!    ([`crate::inputs::Minted`]) and how to drive Chromium from `ctx.browser`; what differs under
//!    `--sim` is decided once in [`crate::world`], never by asking the run whether it is simulated
//!    (`tests/all/pipeline.rs` holds that none is asked).
//!
//! Nothing else changes: `--only`, `--list-checks`, JSON, exit codes and the spinner follow the
//! registry.

pub mod checks;
pub mod command;
pub mod context;
pub mod http_steps;
// The endpoints live below the probe (the world and the inputs name them too).
pub use crate::profile;
pub mod runner;
pub mod stun;

// The checks by their short paths (`probe::config`, …), as other modules and tests name them.
pub use checks::{clock, config, devices, network, page, secure_context};

use serde::Serialize;

pub use context::{Certificate, ProbeContext};
pub use profile::{Endpoint, Profile, Timeouts};
pub use runner::{run_checks, CheckOutput, CheckReport, CheckSpec};

use crate::vocabulary::{outcome_of, Tally};

/// Every check, in the order reports show them.
pub const CHECKS: &[CheckSpec] = &[
    config::SPEC,
    clock::SPEC,
    network::SPEC,
    secure_context::SPEC,
    page::SPEC,
    devices::SPEC,
    checks::join::SPEC,
    checks::browser::SPEC,
];

/// The JSON schema id of a probe report (documented in the README).
pub const SCHEMA: &str = "agora-doctor/probe/v2";

/// The JSON schema id of `--list-checks --json`.
pub const CHECKS_SCHEMA: &str = "agora-doctor/probe-checks/v2";

/// The result of one probe run.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// True when the endpoints were the simulated edge (a test double), not Agora.
    pub simulated: bool,
    /// What the endpoints were ("simulated Agora edge (a test double…)" or the Agora profile).
    pub target: String,
    /// Whether warnings count as failures.
    pub strict: bool,
    /// Checks in declared order.
    pub checks: Vec<CheckReport>,
    /// How many checks ended with each status.
    pub counts: Tally,
    /// Wall time of the whole run (all checks concurrently), in milliseconds.
    pub wall_ms: u64,
    /// The exit code this report leads to (0, 1).
    pub exit_code: u8,
    /// What the input resolution decided that the user should know (e.g. `--sim` ignored
    /// `AGORA_APP_ID` and `AGORA_APP_CERTIFICATE`).
    pub notes: Vec<String>,
}

impl ProbeReport {
    /// Assemble a report from finished checks.
    pub fn new(
        target: String,
        simulated: bool,
        strict: bool,
        checks: Vec<CheckReport>,
        wall: std::time::Duration,
    ) -> Self {
        let statuses = || checks.iter().map(|c| c.status);
        let counts = Tally::of(statuses());
        let exit_code = outcome_of(statuses(), strict).code();
        ProbeReport {
            schema: SCHEMA,
            simulated,
            target,
            strict,
            checks,
            counts,
            wall_ms: wall.as_millis() as u64,
            exit_code,
            notes: Vec::new(),
        }
    }

    /// The check with this id, if it ran.
    pub fn check(&self, id: &str) -> Option<&CheckReport> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// The registry entry with this id.
pub fn spec(id: &str) -> Option<&'static CheckSpec> {
    CHECKS.iter().find(|s| s.id == id)
}
