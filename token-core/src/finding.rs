//! The shared vocabulary of results: a [`Status`] and a [`Finding`] with a stable `explain` key.
//!
//! Lives here (not in the agora-doctor crate) so that the token core, the simulated edge and every
//! command speak one vocabulary; `agora_doctor::vocabulary` re-exports both types.

use serde::Serialize;

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

    /// The lowercase name used in JSON and human output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Skip => "skip",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Error => "error",
        }
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
