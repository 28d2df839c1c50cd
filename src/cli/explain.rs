//! Arguments of `agora-doctor explain`.

use std::path::PathBuf;

use clap::Args;

/// `agora-doctor explain <QUERY>…`, `--list`, `--log FILE|-`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agora-doctor explain 110\n  agora-doctor explain 'dynamic key expired'\n  agora-doctor explain token.expired\n  pbpaste | agora-doctor explain -\n  agora-doctor explain --log console-export.log"
)]
pub struct ExplainArgs {
    /// An error code, name, number, message or a whole pasted console line (several words are
    /// joined with spaces); `-` reads the query from stdin.
    #[arg(allow_negative_numbers = true, required_unless_present_any = ["list", "log"])]
    pub query: Vec<String>,

    /// List every catalog entry, one line each.
    #[arg(long, conflicts_with_all = ["query", "log"])]
    pub list: bool,

    /// Scan a browser console export or SDK log (`-` = stdin) and explain each distinct error in it;
    /// exits 1 when any error is found.
    #[arg(long, value_name = "FILE|-", conflicts_with = "query")]
    pub log: Option<PathBuf>,

    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}
