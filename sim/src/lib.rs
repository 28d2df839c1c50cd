//! A simulated Agora edge on loopback: a TEST DOUBLE, never the real Agora service.
//!
//! It validates tokens with the real algorithm (`agora-token-core`) against its own app certificate and
//! answers the way Agora's documented services do. Modules: `edge` (HTTPS Date / access point / UDP
//! echo / fault injection, for probe), `native` (the relay the SDK double talks to), `web` (the Web
//! SDK's access points and gateway).
pub mod web;
