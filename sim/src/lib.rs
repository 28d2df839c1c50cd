//! A simulated Agora edge on loopback: a TEST DOUBLE, never the real Agora service.
//!
//! It validates tokens with the real algorithm (`agora-token-core`) against its own app certificate and
//! answers the way Agora's documented services do. Modules: `edge` (HTTPS Date / access point / UDP
//! echo / fault injection, for probe), `native` (the relay the SDK double talks to), `web` (the Web
//! SDK's access points and gateway).
//!
//! Servers for new modules: start a [`edge::Background`] runtime, make certificates with
//! [`edge::SimTls`], and serve with [`edge::serve_https`] / [`edge::serve_udp`] (see `edge`'s docs).

pub mod edge;

/// The words every report of the simulated edge carries, so nobody mistakes it for Agora.
pub const SIMULATED_LABEL: &str = "simulated Agora edge (a test double, not Agora)";
pub mod native;
pub mod native_wire;
pub mod web;
pub mod world;
