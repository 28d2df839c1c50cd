//! What every check gets: the user's inputs, the endpoint profile, trust roots, device options and a
//! clock, in one value the runner shares (tests build their own to point checks anywhere).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use super::profile::Profile;
use crate::inputs::Inputs;
pub use crate::token::certificate::Certificate;

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
    /// The run's inputs (resolved once, [`Inputs::resolve`]).
    pub inputs: Inputs,
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
        inputs: Inputs,
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
