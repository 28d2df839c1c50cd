//! The words every command's result is made of, at the bottom of the house: a [`Finding`] with its
//! [`Status`], the [`Tally`] of statuses, the [`Outcome`] a run leads to, what a command hands
//! `lib::run` ([`Computed`], [`Failure`]) and the redaction policy ([`Redaction`]). Nothing here
//! names a command: commands import these words, and the [`crate::document::Report`] above them
//! names the commands.

use serde::Serialize;

// One vocabulary for every command and the simulated edge: the types live in the pure token core.
pub use agora_token_core::finding::{Finding, Status};

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

    /// [`Outcome::Findings`] when `failed`, else [`Outcome::Ok`].
    pub fn findings_if(failed: bool) -> Outcome {
        if failed {
            Outcome::Findings
        } else {
            Outcome::Ok
        }
    }
}

impl From<Outcome> for std::process::ExitCode {
    fn from(outcome: Outcome) -> Self {
        std::process::ExitCode::from(outcome.code())
    }
}

/// The outcome a list of statuses leads to ([`Status::fails`] is the one rule).
pub fn outcome_of(statuses: impl IntoIterator<Item = Status>, strict: bool) -> Outcome {
    Outcome::findings_if(statuses.into_iter().any(|s| s.fails(strict)))
}

/// How many findings (or checks) ended with each status; the one tally every report shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Passed.
    pub pass: usize,
    /// Warned.
    pub warn: usize,
    /// Failed.
    pub fail: usize,
    /// Skipped.
    pub skip: usize,
    /// Errored.
    pub error: usize,
}

impl Tally {
    /// The tally of these statuses.
    pub fn of(statuses: impl IntoIterator<Item = Status>) -> Tally {
        let mut tally = Tally::default();
        for status in statuses {
            tally.add(status);
        }
        tally
    }

    /// Count one more status.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Pass => self.pass += 1,
            Status::Warn => self.warn += 1,
            Status::Fail => self.fail += 1,
            Status::Skip => self.skip += 1,
            Status::Error => self.error += 1,
        }
    }

    /// Everything that fails without `--strict`: failures and errors alike ([`Status::fails`]).
    pub fn failures(&self) -> usize {
        self.fail + self.error
    }

    /// Everything worth a look: failures, errors and warnings.
    pub fn problems(&self) -> usize {
        self.failures() + self.warn
    }
}

/// A [`Tally`] in the words `token` and `token-server` write, errors among the failures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Findings that failed (errors included).
    pub failures: usize,
    /// Warnings.
    pub warnings: usize,
    /// Passed checks.
    pub passed: usize,
    /// Skipped checks (an input was missing).
    pub skipped: usize,
}

impl From<Tally> for Counts {
    fn from(t: Tally) -> Self {
        Counts {
            failures: t.failures(),
            warnings: t.warn,
            passed: t.pass,
            skipped: t.skip,
        }
    }
}

impl Counts {
    /// The tally they say (its errors among the failures).
    pub fn tally(&self) -> Tally {
        Tally {
            pass: self.passed,
            warn: self.warnings,
            fail: self.failures,
            skip: self.skipped,
            error: 0,
        }
    }
}

/// What a command computed, ready for `lib::run` to render, redact, write and map to an exit code.
#[derive(Debug)]
pub struct Computed<R> {
    /// The document (it says which exit outcome it leads to: `Report::outcome`).
    pub report: R,
    /// Secrets to take out of the rendered text before it is written.
    pub redaction: Redaction,
    /// Where the document goes.
    pub destination: Destination,
    /// Lines for stderr (warnings about how the command was called, never findings).
    pub warnings: Vec<String>,
}

impl<R> Computed<R> {
    /// A document for stdout with nothing to redact.
    pub fn new(report: R) -> Self {
        Computed {
            report,
            redaction: Redaction::None,
            destination: Destination::Stdout,
            warnings: Vec::new(),
        }
    }

    /// The same result with its document turned into the document type above it.
    pub fn into<S: From<R>>(self) -> Computed<S> {
        Computed {
            report: S::from(self.report),
            redaction: self.redaction,
            destination: self.destination,
            warnings: self.warnings,
        }
    }
}

/// What must be taken out of a command's written text and its error messages; `lib::run` applies
/// it with the one redactor ([`crate::redact`]), adding the certificate from the environment.
#[derive(Debug, Clone, Default)]
pub enum Redaction {
    /// Nothing secret can be in the text beyond the environment's certificate.
    #[default]
    None,
    /// These secrets only (certificates, in any letter case or encoding): the text's subject may
    /// be a token (`token`, `token build`), which stays.
    Certificates(Vec<String>),
    /// Text meant to be pasted in public (`report`, `probe`, `join`, `explain --log`): every token
    /// shape, every 32-hex value in a certificate position, and these secrets (the token as given
    /// and repaired, its signature, the certificates).
    Public(Vec<String>),
}

impl Redaction {
    /// The same redaction with `more` secrets added.
    pub fn with(self, more: impl IntoIterator<Item = String>) -> Redaction {
        match self {
            Redaction::None => Redaction::Certificates(more.into_iter().collect()),
            Redaction::Certificates(mut s) => {
                s.extend(more);
                Redaction::Certificates(s)
            }
            Redaction::Public(mut s) => {
                s.extend(more);
                Redaction::Public(s)
            }
        }
    }

    /// The secrets it names.
    pub fn secrets(&self) -> &[String] {
        match self {
            Redaction::None => &[],
            Redaction::Certificates(s) | Redaction::Public(s) => s,
        }
    }

    /// The redactor that applies it.
    pub fn redactor(&self) -> crate::redact::Redactor {
        match self {
            Redaction::None => crate::redact::Redactor::default(),
            Redaction::Certificates(s) => crate::redact::Redactor::new(s).given_only(),
            Redaction::Public(s) => crate::redact::Redactor::new(s),
        }
    }
}

/// Why a command could not run, with what its message must not show.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The message for stderr (it names the bad input and a next step).
    pub message: String,
    /// Secrets the message must not show.
    pub redaction: Redaction,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure {
            message,
            redaction: Redaction::None,
        }
    }
}

/// Where a rendered document goes.
#[derive(Debug, Clone, Default)]
pub enum Destination {
    /// Standard output.
    #[default]
    Stdout,
    /// A file (`report --out FILE`).
    File(std::path::PathBuf),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_counts_as_a_failure_in_the_tally_as_in_the_outcome() {
        let statuses = [Status::Pass, Status::Error, Status::Warn, Status::Skip];
        let tally = Tally::of(statuses);
        assert_eq!((tally.failures(), tally.problems()), (1, 2));
        assert_eq!(outcome_of(statuses, false), Outcome::Findings);
        let warned = [Status::Pass, Status::Warn];
        assert_eq!(Tally::of(warned).failures(), 0);
        assert_eq!(outcome_of(warned, false), Outcome::Ok);
        assert_eq!(outcome_of(warned, true), Outcome::Findings);
    }
}
