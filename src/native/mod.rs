//! Binding to Agora's native Linux server SDK (`libagora_rtc_sdk.so`, 4.4.32 family) through its C API:
//! the only `unsafe` code of the crate. Every `unsafe` block carries a `// SAFETY:` line (enforced by
//! `clippy::undocumented_unsafe_blocks`).
//!
//! - [`ffi`]: the C structs and function types, layout-checked.
//! - [`loader`]: finds and `dlopen`s the library at run time (no link-time dependency) and resolves
//!   every symbol the binding needs, with typed errors for "not found", "missing symbol", "wrong version".
//! - [`events`]: the observer callbacks (SDK threads) → a channel the async side awaits; no panic ever
//!   crosses the FFI boundary.
//! - [`session`]: the safe wrapper (service, connection, local user, PCM sender, track) whose `Drop`
//!   releases in the documented order.
//! - [`tone`]: the 440 Hz test tone and the measurement that says whether it was heard (pure).

#![allow(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

pub mod events;
pub mod ffi;
pub mod loader;
pub mod session;
pub mod tone;

pub use events::ConnEvent;
pub use loader::{LoadError, Sdk, SdkSource};
pub use session::{AudioTrack, Connection, ConnectionRole, PcmSender, Service, SessionError};
