//! Arguments of `agora-doctor token` (check a token) and `agora-doctor token build`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// `agora-doctor token <TOKEN> …`: decode every field, then check it against what you ask.
///
/// The App Certificate (to verify the signature) comes from AGORA_APP_CERTIFICATE, --cert-file or
/// --cert-stdin; it is never printed.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "The App Certificate (to verify the signature) comes from AGORA_APP_CERTIFICATE, --cert-file PATH or \
--cert-stdin; it is never printed.\nExit codes: 0 the token is good for what was asked, 1 a finding failed, 2 could not run."
)]
pub struct TokenArgs {
    /// `token build …` instead of checking a token.
    #[command(subcommand)]
    pub command: Option<TokenCommand>,

    /// The token to check, or `-` to read one token per line from stdin.
    #[arg(required_unless_present_any = ["example"])]
    pub token: Option<String>,

    /// Check a built-in sample instead of a token (no Agora account needed).
    #[arg(long, value_enum, conflicts_with = "token")]
    pub example: Option<Example>,

    /// The channel the app joins (any name Agora accepts, also one beginning with `-`).
    #[arg(long, allow_hyphen_values = true)]
    pub channel: Option<String>,

    /// The numeric uid the app joins with (0 = let the server assign).
    #[arg(long, conflicts_with = "account")]
    pub uid: Option<u64>,

    /// The string user account the app joins with.
    #[arg(long, allow_hyphen_values = true)]
    pub account: Option<String>,

    /// The App ID the app uses (compared with the one inside the token).
    #[arg(long)]
    pub app_id: Option<String>,

    /// The role the app joins as. `publisher` checks that the token may publish.
    #[arg(long, value_enum)]
    pub role: Option<RoleArg>,

    /// The project enforces co-host authentication, so a token without publish privileges cannot
    /// publish: checked as for --role publisher unless --role says otherwise. Without it (or
    /// --role publisher) a join-only token is described, not blamed: co-host authentication is
    /// off by default.
    #[arg(long)]
    pub cohost_auth: bool,

    /// What the app does with the token (default: what the token is for; rtc when --channel is
    /// given). An RTC token used for RTM login, and the reverse, is named as such.
    #[arg(long, value_enum)]
    pub service: Option<UseArg>,

    /// Judge the token at this time instead of now: "will it still work at the demo?", answered
    /// in a line of its own. A time (2026-12-05T10:00 in this machine's time zone,
    /// 2026-12-05T10:00:00Z, or unix seconds) or one relative to now (+18h, +2d, +1d6h, -30m).
    #[arg(
        long,
        value_name = "TIME",
        allow_hyphen_values = true,
        conflicts_with = "now"
    )]
    pub at: Option<String>,

    /// Evaluate times at this instant, in the forms --at takes, without --at's verdict line: for
    /// reproducible output.
    #[arg(
        long,
        value_name = "TIME",
        allow_hyphen_values = true,
        hide_short_help = true
    )]
    pub now: Option<String>,

    #[command(flatten)]
    pub cert: CertArgs,

    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,

    /// Treat warnings as failures (exit 1).
    #[arg(long)]
    pub strict: bool,
}

/// Where the App Certificate comes from (besides the AGORA_APP_CERTIFICATE environment variable).
#[derive(Debug, Args, Default)]
pub struct CertArgs {
    /// Read the App Certificate from this file (first line).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["cert", "cert_stdin"])]
    pub cert_file: Option<PathBuf>,

    /// Read the App Certificate from the first line of stdin.
    #[arg(long, conflicts_with = "cert")]
    pub cert_stdin: bool,

    /// The App Certificate itself. Works, but shell history and process lists can see it: prefer
    /// AGORA_APP_CERTIFICATE or --cert-file.
    #[arg(long, value_name = "CERTIFICATE", hide_short_help = true)]
    pub cert: Option<String>,
}

/// The `token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Build a 006 or 007 token for a test setup (byte-identical to Agora's builders given the same
    /// salt and issue time). The App Certificate is required: AGORA_APP_CERTIFICATE, --cert-file
    /// PATH or --cert-stdin.
    Build(BuildArgs),
}

/// `agora-doctor token build …`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The App ID (32 hexadecimal characters).
    #[arg(long)]
    pub app_id: String,

    /// The channel (RTC tokens; any name Agora accepts, also one beginning with `-`).
    #[arg(long, allow_hyphen_values = true)]
    pub channel: Option<String>,

    /// Numeric uid (0 = any uid may join). For RTM, the user id.
    #[arg(long, conflicts_with = "account")]
    pub uid: Option<u64>,

    /// String user account. For RTM, the user id.
    #[arg(long, allow_hyphen_values = true)]
    pub account: Option<String>,

    /// Lifetime: seconds, or with a unit: 90s, 30m, 1h, 1d.
    #[arg(long, default_value = "1h")]
    pub expire: String,

    /// Which service the token is for.
    #[arg(long, value_enum, default_value_t = ServiceArg::Rtc)]
    pub service: ServiceArg,

    /// Token format.
    #[arg(long, value_enum, default_value_t = FormatArg::V007)]
    pub format: FormatArg,

    /// The role (RTC): publisher may publish, subscriber only joins.
    #[arg(long, value_enum, default_value_t = RoleArg::Publisher)]
    pub role: RoleArg,

    /// Salt (default: random 1..=99999999, as the official builders draw it).
    #[arg(long)]
    pub salt: Option<u32>,

    /// Build time (RFC 3339 or unix seconds; default: now).
    #[arg(long)]
    pub issued_at: Option<String>,

    #[command(flatten)]
    pub cert: CertArgs,

    /// Print one JSON document instead of the bare token.
    #[arg(long)]
    pub json: bool,
}

/// `--role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Joins and publishes.
    Publisher,
    /// Joins and only receives (audience).
    Subscriber,
}

/// `--service`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceArg {
    /// Real-time voice/video (join a channel).
    Rtc,
    /// Signaling (RTM login).
    Rtm,
}

/// `token --service`: what the app does with the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UseArg {
    /// Join an RTC channel (voice/video).
    Rtc,
    /// Log in to RTM (Signaling).
    Rtm,
    /// Log in to Chat.
    Chat,
    /// Media streaming.
    Streaming,
    /// FPA.
    Fpa,
    /// FCDN.
    Fcdn,
    /// Flexible Classroom (APaaS).
    Apaas,
}

impl UseArg {
    /// The core's name for it.
    pub fn service_use(self) -> agora_token_core::ServiceUse {
        use agora_token_core::ServiceUse as S;
        match self {
            UseArg::Rtc => S::Rtc,
            UseArg::Rtm => S::Rtm,
            UseArg::Chat => S::Chat,
            UseArg::Streaming => S::Streaming,
            UseArg::Fpa => S::Fpa,
            UseArg::Fcdn => S::Fcdn,
            UseArg::Apaas => S::Apaas,
        }
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// AccessToken (legacy).
    #[value(name = "006")]
    V006,
    /// AccessToken2 (current).
    #[value(name = "007")]
    V007,
}

/// Built-in samples for `--example` (sample App ID and certificate, not a real project).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Example {
    /// A 007 token that expired in 2023.
    Expired,
    /// A fresh, sound 007 token built now.
    Valid,
    /// A 006 token checked against the wrong channel.
    WrongChannel,
    /// A token whose `+` became a space in a URL.
    PlusBecameSpace,
    /// A subscriber token used by a publisher.
    Subscriber,
    /// A token checked with another project's certificate.
    WrongCertificate,
    /// An App ID pasted where the token belongs.
    AppIdPasted,
}
