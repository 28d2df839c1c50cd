//! Pure time formatting for findings: absolute RFC 3339 (UTC) and relative ("3 h 12 min ago").

/// `2026-11-24T09:12:00Z` for a unix time (out-of-range values are shown as raw seconds).
pub fn rfc3339(unix: u64) -> String {
    i64::try_from(unix)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| format!("unix {unix}"))
}

/// A duration in seconds as at most two units: `3 h 12 min`, `5 d 2 h`, `45 s`.
pub fn duration(secs: u64) -> String {
    const MIN: u64 = 60;
    const HOUR: u64 = 3600;
    const DAY: u64 = 86_400;
    const YEAR: u64 = 365 * DAY;
    let two = |a: u64, ua: &str, b: u64, ub: &str| {
        if b == 0 {
            format!("{a} {ua}")
        } else {
            format!("{a} {ua} {b} {ub}")
        }
    };
    if secs >= YEAR {
        two(secs / YEAR, "y", (secs % YEAR) / DAY, "d")
    } else if secs >= DAY {
        two(secs / DAY, "d", (secs % DAY) / HOUR, "h")
    } else if secs >= HOUR {
        two(secs / HOUR, "h", (secs % HOUR) / MIN, "min")
    } else if secs >= MIN {
        two(secs / MIN, "min", secs % MIN, "s")
    } else {
        format!("{secs} s")
    }
}

/// `in 2 h 5 min` or `3 h 12 min ago` (or `now`) for `at` seen from `now`.
pub fn relative(at: u64, now: u64) -> String {
    match at.cmp(&now) {
        std::cmp::Ordering::Greater => format!("in {}", duration(at - now)),
        std::cmp::Ordering::Less => format!("{} ago", duration(now - at)),
        std::cmp::Ordering::Equal => "now".to_string(),
    }
}

/// `3 h 12 min ago, 2026-11-24T09:12:00Z`.
pub fn both(at: u64, now: u64) -> String {
    format!("{}, {}", relative(at, now), rfc3339(at))
}
