//! What every check gets: the user's inputs, the endpoint profile, trust roots, device options and a
//! clock, in one value the runner shares (tests build their own to point checks anywhere).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use super::profile::Profile;
pub use crate::token::certificate::Certificate;

/// What the user passed.
#[derive(Debug, Clone, Default)]
pub struct ProbeInputs {
    /// `--app-id`.
    pub app_id: Option<String>,
    /// `--token`, or B's token from `--token-server`.
    pub token: Option<String>,
    /// The room's other participant's (A's) token from `--token-server`, for uid 0.
    pub speaker_token: Option<String>,
    /// `--channel`.
    pub channel: Option<String>,
    /// `--uid` (a number or a user account string).
    pub uid: Option<String>,
    /// `--url`: the page the Web SDK runs on (with `http://` added when typed without a scheme).
    pub url: Option<String>,
    /// `--url` as typed, when it had no scheme and `http://` was assumed (said in the output).
    pub url_typed: Option<String>,
    /// The App Certificate (from `AGORA_APP_CERTIFICATE` or `--cert-file`, or the simulated
    /// project's), to verify signatures and mint tokens.
    pub app_certificate: Option<Certificate>,
    /// True when `token` was minted by the simulated project rather than given.
    pub token_minted: bool,
    /// The tokens minted for the run from the App ID and certificate ([`crate::inputs::Minted`]).
    pub minted: crate::inputs::Minted,
    /// Chrome flags the user runs with (`--unsafely-treat-insecure-origin-as-secure=…`).
    pub chrome_flags: Vec<String>,
    /// `--browser`: open `--url` in headless Chromium (the browser check).
    pub browser: bool,
    /// `--flow`: run the Web SDK flow (join → publish → unpublish → leave) in the browser check.
    pub flow: bool,
    /// `--room`: run the two-participant voice room in the browser check (default under --sim).
    pub room: bool,
    /// `--no-browser` / `AGORA_DOCTOR_NO_BROWSER`: never start Chromium (opts out of --sim's web flow).
    pub no_browser: bool,
    /// `--chromium`: the Chromium binary to use instead of searching for one.
    pub chromium: Option<std::path::PathBuf>,
    /// `--sdk`: Agora's native SDK library or its directory (the join check).
    pub sdk: Option<std::path::PathBuf>,
    /// Where the Agora Web SDK the built-in demo page loads is looked for (`--web-sdk` first; see
    /// `browser::web_sdk`).
    pub web_sdk: crate::browser::web_sdk::Search,
    /// agora-doctor's cache folder (the carried SDK double is written there).
    pub cache_dir: Option<std::path::PathBuf>,
    /// `AGORA_SDK_LIB`, read once from the environment (the join check's next place to look).
    pub sdk_env: Option<std::ffi::OsString>,
    /// `LD_LIBRARY_PATH`, read once from the environment (the join check's search).
    pub ld_library_path: Option<std::ffi::OsString>,
    /// The proxy variables that are set (`HTTPS_PROXY=…`), read once from the environment.
    pub proxies: Vec<(String, String)>,
}

/// How the devices check captures.
#[derive(Debug, Clone)]
pub struct DeviceOptions {
    /// Capture this long in total.
    pub capture: Duration,
    /// Drop this much from the start (first buffers are often empty or ramping, `docs/probe-facts.md#capturing-from-a-microphone`).
    pub discard: Duration,
    /// Capture from this device (a cpal/ALSA name) instead of the default one.
    pub device: Option<String>,
    /// When false the check is skipped with this hint (e.g. under `--sim`).
    pub skip_hint: Option<String>,
}

impl Default for DeviceOptions {
    fn default() -> Self {
        DeviceOptions {
            capture: Duration::from_millis(2000),
            discard: Duration::from_millis(500),
            device: None,
            skip_hint: None,
        }
    }
}

/// Everything a check may read. Cheap to share (`Arc`).
#[derive(Debug, Clone)]
pub struct ProbeContext {
    /// The user's inputs.
    pub inputs: ProbeInputs,
    /// Endpoints and step timeouts.
    pub profile: Profile,
    /// Roots TLS clients trust: Mozilla's (webpki-roots) plus any extra (the sim's CA, a test CA).
    pub roots: Arc<RootCertStore>,
    /// The extra roots alone (reqwest needs them one by one).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Devices check options.
    pub devices: DeviceOptions,
    /// How the browser check drives Chromium ([`crate::world::BrowserWorld`]; Agora by default).
    pub browser: crate::world::BrowserWorld,
    /// The page `--url` was filled in with when none was given (the simulated edge's demo page).
    pub demo_page: Option<String>,
    /// The tool's clock ([`crate::env::clock`]; tests may fix it).
    pub now: fn() -> SystemTime,
}

impl ProbeContext {
    /// Unix seconds now on the context's clock.
    pub fn unix_now(&self) -> u64 {
        crate::env::unix((self.now)())
    }

    /// When `--url` was filled in by `--sim` (no URL given), the words saying so.
    pub fn url_note(&self) -> Option<String> {
        let demo = self.demo_page.as_deref()?;
        (self.inputs.url.as_deref() == Some(demo)).then(|| {
            "page: the simulated edge's demo page (a double), since no --url was given".to_string()
        })
    }

    /// When `--url` was typed without a scheme, the words saying how it was read.
    pub fn url_scheme_note(&self) -> Option<String> {
        let typed = self.inputs.url_typed.as_deref()?;
        let read = self.inputs.url.as_deref()?;
        Some(format!(
            "--url {typed} has no scheme: read as {read} (http:// assumed; type https:// if the page is served over TLS)"
        ))
    }

    /// A context for the given inputs and profile with Mozilla's roots plus `extra_roots`.
    pub fn new(
        inputs: ProbeInputs,
        profile: Profile,
        extra_roots: Vec<CertificateDer<'static>>,
    ) -> Self {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for root in &extra_roots {
            // A root that does not parse is simply not trusted; TLS then fails and says so.
            let _ = roots.add(root.clone());
        }
        ProbeContext {
            inputs,
            profile,
            roots: Arc::new(roots),
            extra_roots,
            devices: DeviceOptions::default(),
            browser: crate::world::BrowserWorld::default(),
            demo_page: None,
            now: crate::env::clock,
        }
    }
}
