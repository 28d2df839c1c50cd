//! Arguments of `agora-doctor join`: one join → publish → (listen) → leave cycle through Agora's native
//! SDK, for scripts (probe runs the same cycle as its `join` check).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// `agora-doctor join …`
#[derive(Debug, Args)]
pub struct JoinArgs {
    /// App ID (32 hex characters) of the Agora project. With --sim, defaults to the simulated project's.
    #[arg(long, env = "AGORA_APP_ID")]
    pub app_id: Option<String>,

    /// Token to join with. Without it, one is built from the App Certificate (AGORA_APP_CERTIFICATE or
    /// --cert-file); without both, NULL is passed (the App ID as a static key).
    #[arg(long)]
    pub token: Option<String>,

    /// File holding the App Certificate (`-` = standard input); used to build short-lived tokens.
    /// Never printed. AGORA_APP_CERTIFICATE works too.
    #[arg(long, value_name = "PATH")]
    pub cert_file: Option<PathBuf>,

    /// Channel to join (any name Agora accepts, also one beginning with `-`). With --sim, defaults
    /// to `agora-doctor-sim`.
    #[arg(long, allow_hyphen_values = true)]
    pub channel: Option<String>,

    /// Publisher uid (decimal; 0 lets the server assign one).
    #[arg(long, default_value = "0")]
    pub uid: String,

    /// Agora's native SDK: the `libagora_rtc_sdk.so` file or the `agora_sdk` directory holding it.
    /// Otherwise AGORA_SDK_LIB, then LD_LIBRARY_PATH, ./agora_sdk/ and the system library search.
    #[arg(long, value_name = "PATH")]
    pub sdk: Option<PathBuf>,

    /// Also join a second connection that subscribes and checks it hears the 440 Hz tone.
    #[arg(long)]
    pub listen: bool,

    /// Seconds to wait for each connection to be accepted or refused.
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    pub timeout: f64,

    /// Seconds of 440 Hz tone to publish.
    #[arg(long, default_value_t = 2.0, value_name = "SECS")]
    pub tone_secs: f64,

    /// Run against the SDK double and the simulated relay (test doubles, no account or SDK needed).
    #[arg(long)]
    pub sim: bool,

    /// With --sim: make the simulated edge misbehave (to see how failures are reported).
    #[arg(long, value_enum, requires = "sim")]
    pub sim_fault: Option<SimFault>,

    /// Print the report as JSON (schema `agora-doctor/join/v2`).
    #[arg(long)]
    pub json: bool,
}

/// Faults `--sim-fault` can inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimFault {
    /// Nothing listens where the edge should be.
    Down,
    /// The edge accepts connections and never answers.
    Stall,
    /// The token is built to have expired an hour ago.
    Expired,
}
