//! Arguments of `agora-doctor report`.

use std::path::PathBuf;

use clap::Args;

use super::ProbeArgs;

/// `agora-doctor report [probe flags…] [--log FILE] [--out FILE]`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Every `probe` flag works here too (--sim, --app-id, --token, --channel, --uid, --url, …).
    #[command(flatten)]
    pub probe: ProbeArgs,

    /// A browser console export or SDK log to scan for Agora errors (`-` = stdin).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// Write the Markdown report to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
