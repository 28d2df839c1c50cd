//! Pure core of Agora access tokens (006 AccessToken, 007 AccessToken2): decode, verify, validate,
//! repair and build. No clock, environment or I/O: callers pass `now` and every input.
//!
//! A crate of its own so that both agora-doctor and the simulated edge (`sim/`) validate tokens with
//! the same code without a dependency cycle.
