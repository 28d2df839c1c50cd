//! Arguments of `agora-doctor scan`.

use std::path::PathBuf;

use clap::Args;

/// `agora-doctor scan [DIR] [--all] [--include GLOB]… [--exclude GLOB]… [--json] [--strict] [--now TIME]`
#[derive(Debug, Args, Default)]
pub struct ScanArgs {
    /// The app project to read (default: the current directory). Nothing in it is run.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Read everything: nothing is left out as not app code (node_modules, build output, Pods,
    /// .git, documentation, tests, bundles, generated files) and .gitignore is not honoured.
    #[arg(long)]
    pub all: bool,

    /// Also read what matches this gitignore-style pattern although it would be left out
    /// (e.g. `--include docs/`); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Leave out what matches this gitignore-style pattern (e.g. `--exclude legacy/`); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Print one JSON document (schema agora-doctor/scan/v3).
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
