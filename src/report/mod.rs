//! `agora-doctor report`: one document a support engineer can read, safe to paste in public — the
//! probe, the token's fields, the log read, the versions ([`command`], [`document`], [`versions`]).

pub mod command;
pub mod document;
pub mod versions;

pub use document::{LogSection, SupportReport, TokenSummary};
pub use versions::Versions;
