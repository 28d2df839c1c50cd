//! Times as a user types them (`--now`, `--issued-at`, `AGORA_DOCTOR_NOW`): RFC 3339 or unix
//! seconds, within the years 1970–9999 that every token, certificate and clock uses. Below every
//! command (the process environment reads `AGORA_DOCTOR_NOW` with it); each command words its own
//! error.

/// The last second of the year 9999 (9999-12-31T23:59:59Z): the end of the times the tool takes.
pub const LATEST_TIME: u64 = 253_402_300_799;

/// Why a text is not a time the tool takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeError {
    /// Neither RFC 3339 nor unix seconds.
    NotATime,
    /// A time before 1970 or after 9999.
    OutOfRange,
}

/// `unix` when within 1970–9999.
pub fn in_range(unix: u64) -> Result<u64, TimeError> {
    if unix <= LATEST_TIME {
        Ok(unix)
    } else {
        Err(TimeError::OutOfRange)
    }
}

/// RFC 3339 or unix seconds, within the years 1970–9999.
pub fn parse(value: &str) -> Result<u64, TimeError> {
    let v = value.trim();
    if let Ok(n) = v.parse::<u64>() {
        return in_range(n);
    }
    if v.starts_with('-') && v[1..].parse::<u64>().is_ok() {
        return Err(TimeError::OutOfRange);
    }
    let t = chrono::DateTime::parse_from_rfc3339(v).map_err(|_| TimeError::NotATime)?;
    let unix = u64::try_from(t.timestamp()).map_err(|_| TimeError::OutOfRange)?;
    in_range(unix)
}
