//! Arguments of `agora-doctor scan`.

use std::path::PathBuf;

use clap::Args;

/// `agora-doctor scan [DIR] [--all] [--json] [--strict] [--now TIME]`
#[derive(Debug, Args, Default)]
pub struct ScanArgs {
    /// The app project to read (default: the current directory). Nothing in it is run.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Also walk node_modules, build output (dist, build, Pods, …) and VCS folders (.git, …).
    #[arg(long)]
    pub all: bool,

    /// Print one JSON document (schema agora-doctor/scan/v1).
    #[arg(long)]
    pub json: bool,

    /// Exit 1 on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// Judge token expiry at this instant (RFC 3339 or unix seconds) instead of the tool's clock
    /// (the system clock, or AGORA_DOCTOR_NOW when set).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}
