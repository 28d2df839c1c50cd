//! Arguments of `agora-doctor probe`.

use std::path::PathBuf;

use clap::Args;

/// `agora-doctor probe [--app-id ID] [--token T --channel C [--uid N]] [--url URL] [--only CHECK…] [--json]`
#[derive(Debug, Args, Default)]
pub struct ProbeArgs {
    /// Run against the built-in simulated Agora edge on loopback (a test double; no account needed).
    #[arg(long)]
    pub sim: bool,

    /// The App ID to check (32 hex digits from the Agora console).
    #[arg(long, env = "AGORA_APP_ID", value_name = "ID")]
    pub app_id: Option<String>,

    /// A token to check with everything `agora-doctor token` checks.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,

    /// Your token server, as a URL template (placeholders as `agora-doctor token-server` takes them,
    /// e.g. 'http://localhost:8080/rtc/{channel}/{role}/{tokentype}/{uid}?expiry={expire}'): the
    /// run asks it for the tokens it joins with, the way your app does (a publisher token for
    /// --uid, or uid 0, and uid 0 for the room's other participant), instead of --token.
    #[arg(
        long,
        value_name = "URL_TEMPLATE",
        conflicts_with = "token",
        value_parser = crate::token_server::template::check
    )]
    pub token_server: Option<String>,

    /// The channel the token is for (any name Agora accepts, also one beginning with `-`).
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub channel: Option<String>,

    /// The uid (number) or user account the token is for.
    #[arg(long, value_name = "UID", allow_hyphen_values = true)]
    pub uid: Option<String>,

    /// Read the App Certificate from this file (`-` = stdin) to verify token signatures; the
    /// AGORA_APP_CERTIFICATE environment variable works too. Never printed.
    #[arg(long, value_name = "PATH")]
    pub cert_file: Option<PathBuf>,

    /// Read the App Certificate from the first line of stdin (as `token --cert-stdin` does; the
    /// same as --cert-file -).
    #[arg(long, conflicts_with = "cert_file")]
    pub cert_stdin: bool,

    /// Agora's native SDK for the join check: `libagora_rtc_sdk.so` or the `agora_sdk` directory
    /// (otherwise AGORA_SDK_LIB, LD_LIBRARY_PATH, ./agora_sdk/, the system library search).
    #[arg(long, value_name = "PATH")]
    pub sdk: Option<PathBuf>,

    /// The page your Web SDK app runs on (secure-context and page checks); without a scheme,
    /// `http://` is assumed (and said).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// The Agora Web SDK the built-in demo page loads: an `agora-rtc-sdk-ng` folder or its
    /// AgoraRTC_N-production.js (otherwise: your project's node_modules from here upwards, then a
    /// one-time download with npm into the cache).
    #[arg(long, value_name = "PATH", env = "AGORA_DOCTOR_WEB_SDK")]
    pub web_sdk: Option<PathBuf>,

    /// Also open --url in headless Chromium: secure context, the SDK's checkSystemRequirements(),
    /// microphones, SDK version, console errors explained (the browser check).
    #[arg(long)]
    pub browser: bool,

    /// Also run the Web SDK flow, join → publish → unpublish → leave (implies --browser), with --app-id,
    /// --channel and the token (or the App Certificate) on a page exposing the demo page's `demo` API:
    /// --url, or the built-in demo page. Under --sim the browser check runs it by default.
    #[arg(long)]
    pub flow: bool,

    /// Run the voice room in the browser check (implies --browser): two participants join, A speaks a
    /// 440 Hz tone, B must hear it; A unpublishes and leaves. Under --sim it runs by default.
    #[arg(long)]
    pub room: bool,

    /// Do not start Chromium, not even for --sim's web flow (env AGORA_DOCTOR_NO_BROWSER=1).
    #[arg(
        long,
        env = "AGORA_DOCTOR_NO_BROWSER",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub no_browser: bool,

    /// The Chromium binary for --browser and the web flow (otherwise: the built-in demo page opens in
    /// chromium-headless-shell when installed, a --url page in /usr/lib/chromium/chromium…).
    #[arg(long, value_name = "PATH")]
    pub chromium: Option<PathBuf>,

    /// A Chrome flag your browser runs with, e.g.
    /// --chrome-flag=--unsafely-treat-insecure-origin-as-secure=http://192.168.1.5:3000 (repeatable).
    #[arg(long = "chrome-flag", value_name = "FLAG", allow_hyphen_values = true)]
    pub chrome_flags: Vec<String>,

    /// Run only these checks (repeatable or comma-separated; see --list-checks).
    #[arg(long, value_name = "CHECK", value_delimiter = ',', value_parser = check_id)]
    pub only: Vec<String>,

    /// List the checks and what each needs, then exit.
    #[arg(long)]
    pub list_checks: bool,

    /// Print one JSON document (schema `agora-doctor/probe/v2`; under `report`:
    /// `agora-doctor/report/v3`; see the README).
    #[arg(long)]
    pub json: bool,

    /// Treat warnings as failures (exit 1).
    #[arg(long)]
    pub strict: bool,

    /// Use these HTTPS endpoints instead of Agora's (HOST:PORT, repeatable or comma-separated).
    #[arg(
        long,
        value_name = "HOST:PORT",
        env = "AGORA_DOCTOR_EDGE",
        value_delimiter = ',',
        value_parser = endpoint
    )]
    pub edge: Vec<String>,

    /// Use this STUN server for the UDP probe (HOST:PORT).
    #[arg(long, value_name = "HOST:PORT", env = "AGORA_DOCTOR_STUN", value_parser = endpoint)]
    pub stun: Option<String>,

    /// Capture from this audio device instead of the default one (a name from the devices check).
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
}

/// `--edge`, `--stun`: refused at argument time unless a host and a port (an empty value, as a
/// trailing comma or `--edge ''` gives, included: it would fall back to Agora's own endpoints).
fn endpoint(text: &str) -> Result<String, String> {
    crate::probe::profile::Endpoint::parse(text).map(|e| e.to_string())
}

/// `--only`: not empty (an empty value would select every check). Which checks exist is judged
/// by `probe::command::select` before anything runs.
fn check_id(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("is empty; name a check (run `agora-doctor probe --list-checks` to see them), or leave --only out to run them all".to_string());
    }
    Ok(text.to_string())
}
