//! The world a run talks to, decided once from its [`Target`]: Agora, or the simulated world
//! (`--sim`, test doubles started by [`crate::inputs::Inputs::resolve`]). From it every command gets
//! what it needs — the endpoints and the roots to trust, the native SDK to load and the relay it
//! joins through, the Web edge's project and the page the checks judge, how Chromium is started and
//! the words that label a simulated run — so no check, cycle or browser flow asks whether the run
//! is simulated. Besides `inputs`, the one place that knows.

pub mod double;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use agora_sim::web::WebEdgeConfig;
use agora_sim::world::SimWorld;
use rustls::pki_types::CertificateDer;

use crate::browser::web_sdk;
use crate::env::Env;
use crate::inputs::Target;
use crate::native::loader::{SdkChoice, ENV_VAR};
use crate::profile::{Endpoint, Profile};

/// What the probe's checks are pointed at.
#[derive(Debug, Clone)]
pub struct ProbeWorld {
    /// The endpoints (the simulated edge's, or Agora's with `--edge`/`--stun` applied).
    pub profile: Profile,
    /// Roots trusted besides Mozilla's (the simulated edge's certificate authority).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// The page judged when no `--url` was given (the simulated edge's demo page, a double).
    pub demo_page: Option<String>,
    /// Why the devices check is skipped unless asked for by name.
    pub device_skip_hint: Option<String>,
    /// How the browser check drives Chromium.
    pub browser: BrowserWorld,
}

/// How the browser check drives Chromium and which Web edge its built-in page talks to.
/// [`Default`] is Agora: the user's page, the user's microphone, Agora's edge.
#[derive(Debug, Clone, Default)]
pub struct BrowserWorld {
    /// The two-participant room runs even without `--room` (unless `--no-browser`).
    pub room_by_default: bool,
    /// The flow runs on the built-in demo page even when `--url` names the user's page.
    pub flow_on_builtin_page: bool,
    /// The Web edge serving the built-in page's project; `None`: the page only, talking to Agora.
    pub web_edge: Option<WebEdgeConfig>,
    /// Chromium captures from its synthetic device: this machine's microphone is not tested.
    pub synthetic_microphone: bool,
    /// Chromium accepts the Web edge's self-signed certificate.
    pub ignore_certificate_errors: bool,
    /// The words that say the page's SDK talks to a test double (said in the evidence and the
    /// summary); `None` against Agora.
    pub double: Option<&'static str>,
}

impl ProbeWorld {
    /// The probe's world for `target`, with the user's `--edge` and `--stun` applied (explicit
    /// endpoints win over the simulated edge's, so a test can aim one check elsewhere); `only` is
    /// `--only` (the devices check runs under `--sim` only when named).
    pub fn of(
        target: &Target,
        edges: Vec<Endpoint>,
        stun: Option<Endpoint>,
        only: &[String],
    ) -> ProbeWorld {
        let mut world = match target {
            Target::Agora => ProbeWorld {
                profile: Profile::agora(),
                extra_roots: Vec::new(),
                demo_page: None,
                device_skip_hint: None,
                browser: BrowserWorld::default(),
            },
            Target::Simulated(world) => ProbeWorld::simulated(world, only),
        };
        world.profile = world.profile.with_edges(edges);
        if let Some(stun) = stun {
            world.profile = world.profile.with_stun(stun);
        }
        world
    }

    /// Every check pointed at `world`'s doubles.
    pub fn simulated(world: &Arc<SimWorld>, only: &[String]) -> ProbeWorld {
        let edge = world.edge();
        let mut profile = Profile::simulated(
            edge.describe(),
            edge.https_addr().port(),
            edge.udp_addr().port(),
        )
        .with_clock_http(Endpoint::new("localhost", edge.http_addr().port()));
        profile.native_relay = Some(world.relay_addr());
        profile.native_double = Some(double::NATIVE_DOUBLE);
        let devices_selected = only.iter().any(|o| o.trim() == "devices");
        ProbeWorld {
            profile,
            extra_roots: vec![edge.ca_der()],
            demo_page: Some(edge.demo_page_url()),
            device_skip_hint: (!devices_selected).then(|| {
                "--sim simulates Agora's edge, not this machine's microphone; run `agora-doctor probe --only devices` (about 2 s)".to_string()
            }),
            browser: BrowserWorld {
                room_by_default: true,
                flow_on_builtin_page: true,
                // The room's two participants join the world's project with tokens it minted.
                web_edge: Some(world.web_config(None)),
                synthetic_microphone: true,
                ignore_certificate_errors: true,
                double: Some(crate::browser::flow::WEB_DOUBLE),
            },
        }
    }
}

/// Where the built-in page's Web SDK is looked for: under `--sim` only versions the simulated Web
/// edge carries joins of.
pub fn web_sdk_search(target: &Target, flag: Option<PathBuf>, env: &Env) -> web_sdk::Search {
    let joinable = match target {
        Target::Agora => None,
        Target::Simulated(_) => Some(web_sdk::SIMULATED_WEB_EDGE),
    };
    web_sdk::Search::from_env(flag, joinable, env)
}

/// The native SDK `join` loads and the relay it joins through ([`native_sdk`]): under `--sim` the
/// world's relay, or with `relay_down` an address nothing listens on.
pub fn join_native(
    target: &Target,
    sdk: Option<PathBuf>,
    env: &Env,
    relay_down: bool,
) -> Result<(SdkChoice, Option<SocketAddr>), String> {
    let relay = match target {
        Target::Agora => None,
        Target::Simulated(_) if relay_down => Some(
            unused_loopback_addr()
                .map_err(|e| format!("could not reserve a loopback port: {e}"))?,
        ),
        Target::Simulated(world) => Some(world.relay_addr()),
    };
    let sdk = native_sdk(
        relay,
        sdk,
        env.var(ENV_VAR).map(Into::into),
        env.var("LD_LIBRARY_PATH").map(Into::into),
    )?;
    Ok((sdk, relay))
}

/// A loopback address nothing listens on (bound, then released).
fn unused_loopback_addr() -> std::io::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    listener.local_addr()
}

/// The native SDK a join loads and the relay it joins through: under `--sim` the SDK double
/// (unless `--sdk` names another library) and the world's relay (`relay` replaces it, e.g. with an
/// address nothing listens on); otherwise `--sdk`, `AGORA_SDK_LIB`, `LD_LIBRARY_PATH` and Agora.
/// The error says why the double is not available.
pub fn native_sdk(
    relay: Option<SocketAddr>,
    sdk: Option<PathBuf>,
    sdk_env: Option<std::ffi::OsString>,
    ld_library_path: Option<std::ffi::OsString>,
) -> Result<SdkChoice, String> {
    if relay.is_none() {
        return Ok(SdkChoice {
            flag: sdk,
            env: sdk_env,
            ld_library_path,
            sim_double: false,
        });
    }
    // A relay only the SDK double can reach: the double, unless --sdk names another library.
    let sim_double = sdk.is_none();
    let flag = sdk.or_else(double::double_path).ok_or_else(|| {
        format!(
            "the SDK double ({}) is not next to this executable and the system refused the in-memory copy this binary carries (memfd_create); pass --sdk PATH to a build of the double",
            double::DOUBLE_LIBRARY
        )
    })?;
    Ok(SdkChoice {
        flag: Some(flag),
        env: None,
        ld_library_path: None,
        sim_double,
    })
}
