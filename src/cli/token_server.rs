//! Arguments of `agora-doctor token-server URL_TEMPLATE`.

use clap::{Args, ValueEnum};

use super::token::{CertArgs, RoleArg};

/// `agora-doctor token-server URL_TEMPLATE …`: ask your token server for tokens the way your app
/// will, and judge every answer and what a browser needs from it.
#[derive(Debug, Args)]
#[command(
    after_help = "URL_TEMPLATE placeholders: {channel}, {uid} (the uid, or the account with --account), \
{account}, {role} (publisher|subscriber), {role_number} (1|2), {tokentype} (uid|userAccount), {expire} (seconds).\n\
Examples: 'https://tokens.example.com/rtc/{channel}/{role}/{tokentype}/{uid}/?expiry={expire}'\n\
          'https://tokens.example.com/rtm/{uid}/?expiry={expire}'\n\
With the App Certificate (AGORA_APP_CERTIFICATE, --cert-file or --cert-stdin) each token's signature is verified; \
it is never printed.\nExit codes: 0 the server answers as the app needs, 1 a finding failed, 2 could not run."
)]
pub struct TokenServerArgs {
    /// The token server URL, with placeholders for what the app sends.
    #[arg(value_name = "URL_TEMPLATE", value_parser = crate::token_server::template::check)]
    pub template: String,

    /// The channel the app asks a token for.
    #[arg(long, default_value = "agora-doctor-test")]
    pub channel: String,

    /// The numeric uid the app asks a token for.
    #[arg(long, conflicts_with = "account", default_value_t = 1234)]
    pub uid: u64,

    /// The string user account (RTM user id) the app asks a token for.
    #[arg(long)]
    pub account: Option<String>,

    /// The role the app asks for (the other role is asked too, to see the server tell them apart).
    #[arg(long, value_enum, default_value_t = RoleArg::Publisher)]
    pub role: RoleArg,

    /// The lifetime the app asks for, in seconds.
    #[arg(long, default_value_t = 3600)]
    pub expire: u32,

    /// What the tokens are for (default: rtm when the template has /rtm, else rtc).
    #[arg(long, value_enum)]
    pub service: Option<ServerServiceArg>,

    /// The App ID the app uses (compared with the one inside every token).
    #[arg(long)]
    pub app_id: Option<String>,

    /// The web page origin the browser sends (CORS is judged for it).
    #[arg(long, default_value = "http://localhost:3000")]
    pub origin: String,

    /// Seconds each network operation may take (connect, TLS, answer).
    #[arg(long, default_value_t = 5.0)]
    pub timeout: f64,

    /// Evaluate token times at this instant (RFC 3339 or unix seconds) instead of the system clock.
    #[arg(long)]
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

/// `token-server --service`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServerServiceArg {
    /// RTC tokens (join a channel).
    Rtc,
    /// RTM tokens (Signaling login).
    Rtm,
}
