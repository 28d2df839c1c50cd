//! The process environment the tool reads before any command runs: today, the clock.
//!
//! `AGORA_DOCTOR_NOW` (RFC 3339 or unix seconds) places the whole run, the simulated edge included,
//! at that instant (see the `agora-clock` crate): a report can be reproduced later, and the test
//! suite compares outputs that mention dates without depending on today's.

use std::time::{Duration, UNIX_EPOCH};

/// The variable that sets the tool's clock.
pub const NOW_ENV: &str = "AGORA_DOCTOR_NOW";

/// Set the process clock from `AGORA_DOCTOR_NOW` when it is present.
pub fn install_clock() -> Result<(), String> {
    let Some(value) = std::env::var_os(NOW_ENV) else {
        return Ok(());
    };
    let text = value.to_string_lossy();
    let unix = crate::token::parse_time("AGORA_DOCTOR_NOW", &text).map_err(|_| {
        format!("{NOW_ENV}={text:?} is not a time: give RFC 3339 (2026-12-05T10:00:00Z) or unix seconds, or unset it")
    })?;
    agora_clock::set(UNIX_EPOCH + Duration::from_secs(unix));
    Ok(())
}
