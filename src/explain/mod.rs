//! `explain`: the error catalog (one markdown file per entry, embedded by an ordered registry), query
//! resolution for codes, names, numbers, pasted console lines and the other shapes developers paste
//! (`shape`), a reader that says what any paste holds when no entry fits it exactly (`reader`), and
//! the log reader for console exports, platform and SDK logs (`log`).

pub mod command;
pub mod entry;
pub mod log;
pub mod matcher;
pub mod query;
pub mod reader;
pub mod registry;
pub mod shape;
pub mod source;
pub mod spelling;

use std::sync::OnceLock;

pub use entry::{parse_entry, CatalogError, Entry, Kind, Product};
pub use query::{lookup, resolve, suggest, MatchedBy, Resolution};

use matcher::Matcher;

/// Parse every registered file; the first bad file is an error naming it (the tidy test calls this).
pub fn try_catalog() -> Result<Vec<Entry>, CatalogError> {
    registry::FILES
        .iter()
        .map(|(key, text)| parse_entry(key, text))
        .collect()
}

/// Every entry, in registry order, as build.rs parsed them (a file that does not parse fails the
/// build; the tidy test holds that [`try_catalog`] reads the same entries).
pub fn catalog() -> &'static [Entry] {
    registry::ENTRIES
}

/// The case-insensitive matcher used for pasted queries.
pub(crate) fn entries_matcher_ci() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(catalog(), true))
}

/// The case-sensitive matcher used by the log scanner.
pub fn log_matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(catalog(), false))
}
