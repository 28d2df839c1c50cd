//! Shared vocabulary of every command's result: statuses, findings and the exit outcome.

use serde::Serialize;

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

/// The verdict of one finding or check, ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Checked and fine.
    Pass,
    /// Not checked: an input was missing (the finding says what to pass).
    Skip,
    /// Works, but something deserves attention.
    Warn,
    /// Will not work as asked.
    Fail,
    /// The check itself could not complete (it crashed or hit an internal error).
    Error,
}

impl Status {
    /// Whether this status makes the command exit 1 (`strict` turns warnings into failures).
    pub fn fails(self, strict: bool) -> bool {
        matches!(self, Status::Fail | Status::Error) || (strict && self == Status::Warn)
    }
}

/// One thing a command found, with a stable key the `explain` catalog documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable identifier, e.g. `token.expired`; `agora-doctor explain <key>` documents it.
    pub key: String,
    /// How bad it is.
    pub status: Status,
    /// One line saying what was found.
    pub summary: String,
    /// Supporting facts (decoded values, measurements).
    pub evidence: Vec<String>,
    /// What to do about it, when there is something to do.
    pub fix: Option<String>,
}

impl Finding {
    /// A finding with no evidence and no fix yet.
    pub fn new(key: impl Into<String>, status: Status, summary: impl Into<String>) -> Self {
        Finding {
            key: key.into(),
            status,
            summary: summary.into(),
            evidence: Vec::new(),
            fix: None,
        }
    }

    /// Add one line of evidence.
    pub fn with_evidence(mut self, line: impl Into<String>) -> Self {
        self.evidence.push(line.into());
        self
    }

    /// Set the fix.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// The outcome a list of findings leads to.
pub fn outcome_of<'a>(findings: impl IntoIterator<Item = &'a Finding>, strict: bool) -> Outcome {
    if findings.into_iter().any(|f| f.status.fails(strict)) {
        Outcome::Findings
    } else {
        Outcome::Ok
    }
}
