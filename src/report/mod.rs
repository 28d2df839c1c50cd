//! Reports: the shared vocabulary of every command's result (statuses, findings, the exit outcome),
//! the one [`Report`] type `lib::run` renders, and the `report` command itself ([`command`],
//! [`document`], [`versions`]).

pub mod command;
pub mod document;
pub mod versions;

pub use document::{LogSection, SupportReport, TokenSummary};
pub use versions::Versions;

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

/// What a command computed, ready for `lib::run` to render, redact, write and map to an exit code.
#[derive(Debug)]
pub struct Computed {
    /// The document.
    pub report: Report,
    /// The exit outcome it leads to.
    pub outcome: Outcome,
    /// Secrets to take out of the rendered text before it is written.
    pub redaction: Redaction,
    /// Where the document goes.
    pub destination: Destination,
    /// Lines for stderr (warnings about how the command was called, never findings).
    pub warnings: Vec<String>,
}

impl Computed {
    /// A document for stdout with nothing to redact.
    pub fn new(report: Report, outcome: Outcome) -> Self {
        Computed {
            report,
            outcome,
            redaction: Redaction::None,
            destination: Destination::Stdout,
            warnings: Vec::new(),
        }
    }
}

/// Every kind of document a command produces (renderers in `crate::render` turn each into text).
#[derive(Debug)]
pub enum Report {
    /// `token`: the check of one or more tokens.
    Token(crate::token::report::TokenReport),
    /// `token build`.
    TokenBuild(crate::token::build::Built),
    /// `explain QUERY`.
    ExplainEntry {
        /// The query as given.
        query: String,
        /// What it resolved to.
        resolution: crate::explain::query::Resolution,
        /// What the paste says about itself (product, platform, SDK, codes …).
        recognised: crate::explain::reader::Recognised,
    },
    /// `explain QUERY` when no entry fits exactly but the paste was recognised (exit 1).
    ExplainUnmatched {
        /// The query as given.
        query: String,
        /// What the paste says about itself.
        recognised: crate::explain::reader::Recognised,
        /// The nearest entries, best first, each with why.
        nearest: Vec<crate::explain::reader::Nearest>,
    },
    /// `explain --list`.
    ExplainList,
    /// `explain --log`.
    ExplainLog {
        /// The log's name (`<stdin>` for `-`).
        source: String,
        /// What the reading found.
        log: Box<crate::explain::log::LogReading>,
    },
    /// `probe`.
    Probe(crate::probe::ProbeReport),
    /// `probe --list-checks`, `report --list-checks`.
    ProbeChecks,
    /// `join`.
    Join(crate::join::JoinReport),
    /// `token-server`.
    TokenServer(Box<crate::token_server::report::TokenServerReport>),
    /// `report`.
    Support(crate::report::SupportReport),
    /// `scan`.
    Scan(crate::scan::ScanReport),
    /// Generated text written as is (completions, the man page).
    Text(String),
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

/// How a document is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for a person (colour as the output context allows).
    Human,
    /// One JSON document with a `schema` field.
    Json,
}
