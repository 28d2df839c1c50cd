//! The clock check: this machine's clock against the edge's HTTPS `Date` headers. `Date` has 1 s
//! resolution, so requests are repeated every few milliseconds until the server's second ticks over;
//! the two samples around the tick pin the offset to about the spacing plus the round trip (the
//! interval-intersection method of `docs/probe-facts.md#measuring-skew`, measured to ±0.03 s).

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::probe::context::ProbeContext;
use crate::probe::http_steps::{self as net, StepError};
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::vocabulary::{Finding, Status};

/// Registry entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "clock",
    title: "Clock against Agora's edge",
    inputs: "none (uses the profile's first HTTPS endpoint; --edge overrides it)",
    budget,
    run: |ctx| Box::pin(run(ctx)),
};

/// Up to this much skew passes: below the uncertainty of a single `Date` sample (`docs/probe-facts.md#skew-thresholds`).
pub const PASS_MAX_SKEW: f64 = 2.0;
/// Up to this much skew warns; beyond it fails: a 10-minute token is then off by more than 10 %
/// (`docs/probe-facts.md#skew-thresholds`, our choice: Agora documents no tolerance).
pub const WARN_MAX_SKEW: f64 = 60.0;
/// Sampling stops after this long even if no tick was seen (a tick comes within any 1 s).
const SAMPLING_WINDOW: Duration = Duration::from_millis(1150);

fn budget(ctx: &ProbeContext) -> Duration {
    let t = &ctx.profile.timeouts;
    // TLS path, then possibly the plain-HTTP path, each with its sampling.
    t.chain()
        + t.dns
        + t.connect
        + t.http
        + 2 * (SAMPLING_WINDOW + t.http)
        + Duration::from_millis(500)
}

/// What the samples say about the offset (server − local, seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
    /// Requests used.
    pub samples: usize,
}

impl Estimate {
    /// The midpoint.
    pub fn offset(&self) -> f64 {
        (self.lo + self.hi) / 2.0
    }

    /// Half the interval: the error bar.
    pub fn bound(&self) -> f64 {
        (self.hi - self.lo) / 2.0
    }
}

/// Narrow `[lo, hi]` with one sample: sent at local `t0`, answered at `t1`, stamped `date` (whole s).
pub fn narrow(lo: f64, hi: f64, t0: f64, t1: f64, date: f64) -> (f64, f64) {
    (lo.max(date - t1), hi.min(date + 1.0 - t0))
}

/// Turn a measured offset into the check's verdict (pure, for tests).
pub fn verdict(estimate: &Estimate, server: &str) -> Finding {
    let offset = estimate.offset();
    let bound = estimate.bound();
    // Server ahead of us means our clock is behind.
    let direction = if offset >= 0.0 { "behind" } else { "ahead of" };
    let summary = format!(
        "this machine's clock is {:.2} s ± {:.2} s {direction} {server}",
        offset.abs(),
        bound
    );
    let evidence = format!(
        "{} HTTPS Date samples around the server's second tick; offset interval [{:+.3}, {:+.3}] s",
        estimate.samples, estimate.lo, estimate.hi
    );
    let magnitude = offset.abs();
    if magnitude <= PASS_MAX_SKEW {
        return Finding::new("probe.clock.ok", Status::Pass, summary).with_evidence(evidence);
    }
    let impact = if offset >= 0.0 {
        format!(
            "tokens built on this machine start {magnitude:.0} s in Agora's past, so they expire {magnitude:.0} s early; local expiry verdicts are off by as much"
        )
    } else {
        format!(
            "tokens built on this machine are stamped {magnitude:.0} s in Agora's future (\"not yet valid\" for short skews of the issue time) and live {magnitude:.0} s longer than intended"
        )
    };
    let status = if magnitude <= WARN_MAX_SKEW {
        Status::Warn
    } else {
        Status::Fail
    };
    Finding::new("probe.clock.skew", status, summary)
        .with_evidence(evidence)
        .with_evidence(impact)
        .with_fix("enable time sync (NTP: `timedatectl set-ntp true`, chrony or systemd-timesyncd) on this machine and on your token server")
}

async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    let endpoint = ctx.profile.clock.clone();
    let timeouts = ctx.profile.timeouts;
    let server = match ctx.profile.double {
        Some(double) => format!("{double} at {endpoint}"),
        None => endpoint.to_string(),
    };
    let config = net::client_config(&ctx.roots);
    let mut conn = match net::open(&endpoint, config, &timeouts).await {
        Ok((conn, _)) => conn,
        Err(StepError::Tls {
            time_related: true,
            reason,
            ..
        }) => return over_plain_http(&ctx, &server, &reason).await,
        Err(e) => return unmeasured(&server, &e.to_string()),
    };
    match sample(&ctx, &mut conn).await {
        Ok(estimate) => CheckOutput::single(verdict(&estimate, &server)),
        Err(reason) => unmeasured(&server, &reason),
    }
}

/// TLS failed on the certificate's validity period: read the time over plain HTTP instead, so the
/// report can say whether this clock or the certificate is wrong.
async fn over_plain_http(ctx: &ProbeContext, server: &str, tls_reason: &str) -> CheckOutput {
    let tls_line = format!("TLS: {tls_reason}");
    let Some(plain) = ctx.profile.clock_http.clone() else {
        return CheckOutput::single(
            Finding::new(
                "probe.clock.skew",
                Status::Fail,
                format!("{server}'s certificate is outside its validity for this machine's clock"),
            )
            .with_evidence(tls_line)
            .with_fix("set this machine's date and time (enable NTP); every HTTPS request fails until then"),
        );
    };
    let measured = match net::open_plain(&plain, &ctx.profile.timeouts).await {
        Ok(mut conn) => sample(ctx, &mut conn).await,
        Err(e) => Err(e.to_string()),
    };
    match measured {
        Ok(estimate) => {
            let mut finding = verdict(&estimate, &format!("{server} (read over plain HTTP, {plain})"));
            finding.evidence.push(tls_line);
            if finding.status == Status::Pass {
                finding.evidence.push(
                    "this clock is right, so the server's certificate itself is outside its validity period".to_string(),
                );
            } else {
                finding.evidence.push(
                    "this clock's error is why certificates look expired or not yet valid".to_string(),
                );
            }
            CheckOutput::single(finding)
        }
        Err(reason) => CheckOutput::single(
            Finding::new(
                "probe.clock.skew",
                Status::Fail,
                format!("{server}'s certificate is outside its validity for this machine's clock"),
            )
            .with_evidence(tls_line)
            .with_evidence(format!("plain HTTP {plain}: {reason}"))
            .with_fix("set this machine's date and time (enable NTP); every HTTPS request fails until then"),
        ),
    }
}

/// Sample `Date` headers on `conn` until the server's second ticks over.
async fn sample(ctx: &ProbeContext, conn: &mut net::HttpConn) -> Result<Estimate, String> {
    let timeouts = ctx.profile.timeouts;
    // Warm-up: the first request on a connection pays for lazy set-up; do not time it.
    conn.head("/", timeouts.http)
        .await
        .map_err(|e| e.to_string())?;
    let base_sys = (ctx.now)()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let base = Instant::now();
    let local = || base_sys + base.elapsed().as_secs_f64();
    let spacing = ctx.profile.clock_spacing;
    let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
    let mut previous: Option<f64> = None;
    let mut samples = 0;
    loop {
        let sent = Instant::now();
        let t0 = local();
        let date = match conn.head("/", timeouts.http).await {
            Ok((_, Some(date))) => date,
            Ok((_, None)) => return Err("the answer had no usable Date header".to_string()),
            Err(e) => return Err(e.to_string()),
        };
        let t1 = local();
        samples += 1;
        let d = seconds(date);
        (lo, hi) = narrow(lo, hi, t0, t1, d);
        let ticked = previous.is_some_and(|p| p != d);
        previous = Some(d);
        if ticked || base.elapsed() >= SAMPLING_WINDOW {
            break;
        }
        tokio::time::sleep_until((sent + spacing).into()).await;
    }
    if lo > hi {
        // Only a clock stepped during sampling can make the bounds cross.
        return Err(
            "the samples contradict each other (was the clock changed meanwhile?)".to_string(),
        );
    }
    Ok(Estimate { lo, hi, samples })
}

fn seconds(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn unmeasured(server: &str, reason: &str) -> CheckOutput {
    CheckOutput::single(
        Finding::new(
            "probe.clock.unmeasured",
            Status::Warn,
            format!("could not read the time from {server}"),
        )
        .with_evidence(reason.to_string())
        .with_fix("see the network check for why the edge is unreachable; meanwhile make sure NTP runs on this machine"),
    )
}
