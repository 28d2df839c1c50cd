//! The simulated world (a TEST DOUBLE): one simulated project — App ID, App Certificate, channel —
//! and every double that serves it, started once: the probe edge ([`crate::edge`]: HTTPS `Date`,
//! access point, UDP echo/STUN) and the native relay ([`crate::native`]) the SDK double talks to.
//! The Web edge ([`crate::web`]) needs a tokio runtime and a page root, so it is started by whoever
//! drives the browser, from [`SimWorld::web_config`]: the same project again.
//!
//! The world mints every token a simulated run uses, all alike (`agora_token_core::mint`: one
//! lifetime, one salt scheme), so `probe --sim`, `join --sim`, `report --sim` and the browser flow
//! join the same project with the same kind of token.

use std::net::SocketAddr;
use std::path::PathBuf;

use agora_token_core::mint;

use crate::edge::{Fault, SimEdge, SimError, SimProject, SIM_APP_ID};
use crate::native::{NativeRelay, RelayConfig, RelayFault};
use crate::web::WebEdgeConfig;

/// The channel a simulated run joins unless told otherwise.
pub const SIM_CHANNEL: &str = "agora-doctor-sim";

/// How to start a [`SimWorld`]: everything defaults to the simulated project.
#[derive(Debug, Clone, Default)]
pub struct WorldConfig {
    /// The project's App ID (default [`SIM_APP_ID`]).
    pub app_id: Option<String>,
    /// The project's App Certificate (default: 32 random hex digits, made for this run).
    pub app_certificate: Option<String>,
    /// The channel (default [`SIM_CHANNEL`]).
    pub channel: Option<String>,
    /// A fault the probe edge injects.
    pub edge_fault: Fault,
    /// A fault the native relay injects.
    pub relay_fault: RelayFault,
}

/// A running simulated world. Dropping it stops every server it started.
pub struct SimWorld {
    channel: String,
    edge: SimEdge,
    relay: NativeRelay,
}

impl std::fmt::Debug for SimWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimWorld")
            .field("project", self.project())
            .field("channel", &self.channel)
            .field("relay", &self.relay.addr())
            .finish_non_exhaustive()
    }
}

impl SimWorld {
    /// Start the probe edge and the native relay for one project.
    pub fn start(config: WorldConfig) -> Result<SimWorld, SimError> {
        let mut builder = SimEdge::builder().fault(config.edge_fault);
        builder = builder.app_id(config.app_id.unwrap_or_else(|| SIM_APP_ID.to_string()));
        if let Some(certificate) = config.app_certificate {
            builder = builder.app_certificate(certificate);
        }
        let edge = builder.start()?;
        let relay = NativeRelay::start(RelayConfig {
            app_id: edge.project().app_id.clone(),
            certificate: Some(edge.project().app_certificate.clone()),
            fault: config.relay_fault,
        })?;
        Ok(SimWorld {
            channel: config.channel.unwrap_or_else(|| SIM_CHANNEL.to_string()),
            edge,
            relay,
        })
    }

    /// The project every double serves (its App Certificate is a secret: never printed).
    pub fn project(&self) -> &SimProject {
        self.edge.project()
    }

    /// The channel of this run.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The probe edge (HTTPS, plain HTTP, UDP).
    pub fn edge(&self) -> &SimEdge {
        &self.edge
    }

    /// The native relay the SDK double connects to.
    pub fn relay(&self) -> &NativeRelay {
        &self.relay
    }

    /// Where the native relay listens.
    pub fn relay_addr(&self) -> SocketAddr {
        self.relay.addr()
    }

    /// A publisher token for `channel` and `uid` (text; "" = any uid) issued at `now`, valid
    /// [`mint::MINTED_LIFETIME`].
    pub fn mint(&self, channel: &str, uid: &str, now: u64) -> String {
        self.mint_for(channel, uid, now, mint::MINTED_LIFETIME)
    }

    /// A token with another lifetime, issued at `issued_at` (to show what an expired one does).
    pub fn mint_for(&self, channel: &str, uid: &str, issued_at: u64, lifetime: u32) -> String {
        let p = self.project();
        mint::publisher_token_for(
            &p.app_id,
            &p.app_certificate,
            channel,
            uid,
            issued_at,
            lifetime,
        )
        // Building fails only for a malformed App ID or certificate; an empty token is then
        // refused like any bad one, and the refusal says so.
        .unwrap_or_default()
    }

    /// The Web edge's configuration for this world's project, serving `page_root`.
    pub fn web_config(&self, page_root: Option<PathBuf>) -> WebEdgeConfig {
        WebEdgeConfig {
            app_id: self.project().app_id.clone(),
            app_certificate: Some(self.project().app_certificate.clone()),
            page_root,
        }
    }

    /// A one-line description for reports; always says it is simulated.
    pub fn describe(&self) -> String {
        self.edge.describe()
    }
}
