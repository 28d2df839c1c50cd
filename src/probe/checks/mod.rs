//! Every probe check, one file each: what it needs, its budget and how it judges. The engines the
//! checks drive live beside `probe/`: `crate::join` (the native join cycle over `crate::native`),
//! `crate::browser` (Chromium over CDP), and `probe/http_steps.rs` / `probe/stun.rs` (the network
//! steps the clock and network checks share). The registry order is `crate::probe::CHECKS`.

pub mod browser;
pub mod clock;
pub mod config;
pub mod devices;
pub mod join;
pub mod network;
pub mod page;
pub mod secure_context;
