//! Shared vocabulary of every command's result: statuses, findings and the exit outcome.

/// How a command ended; maps one-to-one onto the process exit code (documented in the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: everything asked for is fine (warnings allowed unless `--strict`).
    Ok,
    /// 1: at least one finding failed.
    Findings,
    /// 2: the command could not run (bad arguments, unreadable input).
    CouldNotRun,
}

impl Outcome {
    /// The process exit code for this outcome.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::Findings => 1,
            Outcome::CouldNotRun => 2,
        }
    }

    /// The worse of two outcomes (could-not-run beats findings beats ok).
    pub fn worst(self, other: Outcome) -> Outcome {
        if other.code() > self.code() {
            other
        } else {
            self
        }
    }
}

impl From<Outcome> for std::process::ExitCode {
    fn from(outcome: Outcome) -> Self {
        std::process::ExitCode::from(outcome.code())
    }
}

// One vocabulary for every command and the simulated edge: the types live in the pure token core.
pub use agora_token_core::finding::{Finding, Status};

/// The outcome a list of findings leads to.
pub fn outcome_of<'a>(findings: impl IntoIterator<Item = &'a Finding>, strict: bool) -> Outcome {
    if findings.into_iter().any(|f| f.status.fails(strict)) {
        Outcome::Findings
    } else {
        Outcome::Ok
    }
}
