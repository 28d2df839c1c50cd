//! The one wall clock of an agora-doctor process: the tool and the simulated Agora edge that runs
//! inside it read "now" here and nowhere else, so a run can be placed at any date.
//!
//! By default it is this machine's clock. [`set`] moves it to a chosen instant, from which it goes
//! on ticking in real time (timers, the clock check's second ticks and token lifetimes keep
//! working). `agora-doctor` sets it from `AGORA_DOCTOR_NOW` at start-up; tests set that variable so
//! that nothing they compare depends on today's date.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! agora_clock::set(UNIX_EPOCH + Duration::from_secs(1_800_000_000));
//! assert!((1_800_000_000..1_800_000_010).contains(&agora_clock::unix()));
//! ```

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Nanoseconds to add to this machine's clock (negative: subtract); ±292 years.
static OFFSET_NS: AtomicI64 = AtomicI64::new(0);

/// Now, on the process's clock.
pub fn now() -> SystemTime {
    shift(SystemTime::now(), OFFSET_NS.load(Ordering::Relaxed))
}

/// Now as whole unix seconds (0 before 1970).
pub fn unix() -> u64 {
    now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// From this moment on, the clock reads `at` and ticks forward in real time.
pub fn set(at: SystemTime) {
    let real = SystemTime::now();
    let offset = match at.duration_since(real) {
        Ok(ahead) => nanos(ahead),
        Err(behind) => -nanos(behind.duration()),
    };
    OFFSET_NS.store(offset, Ordering::Relaxed);
}

/// Whether [`set`] moved the clock away from this machine's.
pub fn is_set() -> bool {
    OFFSET_NS.load(Ordering::Relaxed) != 0
}

fn nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

fn shift(t: SystemTime, offset_ns: i64) -> SystemTime {
    let by = Duration::from_nanos(offset_ns.unsigned_abs());
    if offset_ns >= 0 {
        t.checked_add(by).unwrap_or(t)
    } else {
        // SystemTime can go before 1970 on Unix; the tool's clock never does.
        t.checked_sub(by)
            .filter(|shifted| *shifted >= UNIX_EPOCH)
            .unwrap_or(UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_moves_both_ways_and_saturates_at_the_epoch() {
        let t = UNIX_EPOCH + Duration::from_secs(100);
        let second = 1_000_000_000;
        assert_eq!(shift(t, 5 * second), UNIX_EPOCH + Duration::from_secs(105));
        assert_eq!(shift(t, -5 * second), UNIX_EPOCH + Duration::from_secs(95));
        assert_eq!(shift(t, -500 * second), UNIX_EPOCH);
    }

    #[test]
    fn a_set_clock_reads_the_chosen_time_and_ticks() {
        let at = UNIX_EPOCH + Duration::from_secs(4_102_444_800); // 2100-01-01
        set(at);
        let first = now();
        assert!(first.duration_since(at).unwrap() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(20));
        assert!(now() > first);
        assert!(is_set());
    }
}
