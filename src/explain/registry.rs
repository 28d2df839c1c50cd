//! The ordered registry of catalog entries: build.rs embeds every file under `catalog/` with
//! `include_str!` (the keys of `registry.order` first, in that order, then the rest sorted by key), so a
//! listed key without its file is a build error (the tidy test checks files and registry both ways).
//! Order is the `--list` order and breaks ties between equal matches.
//!
//! To add an entry: write `catalog/<key>.md` (copy the layout of a neighbour); list its key in
//! `registry.order` if it must come before the generated tables' entries.

//!
//! build.rs also parses every file (with `source.rs`, the reader the library uses) into [`ENTRIES`],
//! so a process never parses the catalog: the tidy test holds that both agree entry for entry.

use std::borrow::Cow;

use super::entry::{derived_product, Entry, Kind, Product, Text, Texts};

include!(concat!(env!("OUT_DIR"), "/catalog_registry.rs"));

/// Every entry of [`FILES`], pre-parsed by build.rs, in the same order.
pub static ENTRIES: &[Entry] = include!(concat!(env!("OUT_DIR"), "/catalog_entries.rs"));

/// A borrowed text of the pre-parsed catalog.
const fn t(s: &'static str) -> Text {
    Cow::Borrowed(s)
}

/// A borrowed list of the pre-parsed catalog.
const fn l(v: &'static [Text]) -> Texts {
    Cow::Borrowed(v)
}
