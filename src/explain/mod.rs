//! The `explain` command (placeholder until its issue lands).

pub mod command;
