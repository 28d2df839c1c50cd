//! The ordered registry of catalog entries: build.rs embeds every file under `catalog/` with
//! `include_str!` (the keys of `registry.order` first, in that order, then the rest sorted by key), so a
//! listed key without its file is a build error (the tidy test checks files and registry both ways).
//! Order is the `--list` order and breaks ties between equal matches.
//!
//! To add an entry: write `catalog/<key>.md` (copy the layout of a neighbour); list its key in
//! `registry.order` if it must come before the generated tables' entries.

include!(concat!(env!("OUT_DIR"), "/catalog_registry.rs"));
