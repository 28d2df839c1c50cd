//! The network check: for every HTTPS endpoint of the profile, DNS → TCP → TLS → one HTTP request,
//! each timed; one STUN Binding for UDP egress; and the firewall rule to add when a step fails.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::probe::context::ProbeContext;
use crate::probe::http_steps::{self as net, StepError};
use crate::probe::profile::{Endpoint, FIREWALL_DOMAINS, FIREWALL_TCP_PORTS, FIREWALL_UDP_PORTS};
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::probe::stun::{self, StunError};
use crate::vocabulary::{Finding, Status};

/// Registry entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "network",
    title: "Network path to Agora",
    inputs: "none (uses the profile; --edge HOST:PORT, --stun HOST:PORT or AGORA_DOCTOR_EDGE / AGORA_DOCTOR_STUN override it)",
    budget,
    run: |ctx| Box::pin(run(ctx)),
};

/// Slack on top of the step timeouts for scheduling and reporting.
const SLACK: Duration = Duration::from_millis(700);

fn budget(ctx: &ProbeContext) -> Duration {
    let t = &ctx.profile.timeouts;
    t.chain() + t.udp + SLACK
}

/// The proxy variables that change how a browser or SDK reaches Agora over TCP.
pub const PROXY_VARS: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    let config = net::client_config(&ctx.roots);
    let mut tasks = Vec::new();
    for endpoint in ctx.profile.https.clone() {
        let config = config.clone();
        let timeouts = ctx.profile.timeouts;
        tasks.push(tokio::spawn(async move {
            probe_https(&endpoint, config, &timeouts).await
        }));
    }
    let stun_task = {
        let ctx = ctx.clone();
        tokio::spawn(async move { probe_udp(&ctx).await })
    };
    let mut details = Vec::new();
    for task in tasks {
        match task.await {
            Ok(finding) => details.push(finding),
            Err(e) => details.push(Finding::new(
                "probe.runner.crashed",
                Status::Error,
                format!("one endpoint's probe crashed: {e}"),
            )),
        }
    }
    match stun_task.await {
        Ok(finding) => details.push(finding),
        Err(e) => details.push(Finding::new(
            "probe.runner.crashed",
            Status::Error,
            format!("the UDP probe crashed: {e}"),
        )),
    }
    let details = fold_dns_failures(details);
    let reachable = details
        .iter()
        .take(ctx.profile.https.len())
        .filter(|f| f.key == "probe.network.ok")
        .count();
    let total = ctx.profile.https.len();
    let mut good = Finding::new(
        "probe.network.ok",
        Status::Pass,
        format!(
            "{reachable}/{total} HTTPS endpoints reachable (DNS, TCP, TLS, HTTP) and UDP answers"
        ),
    );
    if ctx.profile.double.is_some() {
        // Which double answered: its label names it.
        good = good.with_evidence(format!("endpoints: {}", ctx.profile.label));
    }
    for (var, value) in &ctx.inputs.proxies {
        good = good.with_evidence(format!(
            "{var}={value} (TCP may go through this proxy; WebRTC's UDP never does)"
        ));
    }
    let mut output = CheckOutput::from_details(details, good);
    if output.headline.status != Status::Pass {
        let failing = output
            .details
            .iter()
            .filter(|f| f.status != Status::Pass)
            .count();
        output.headline.evidence.insert(
            0,
            format!("{failing} of {} probes failed; see findings", total + 1),
        );
    }
    output
}

async fn probe_https(
    endpoint: &Endpoint,
    config: Arc<rustls::ClientConfig>,
    timeouts: &crate::probe::profile::Timeouts,
) -> Finding {
    let started = Instant::now();
    let (mut conn, mut times) = match net::open(endpoint, config, timeouts).await {
        Ok(pair) => pair,
        Err(e) => return step_failure(endpoint, &e),
    };
    let t = Instant::now();
    match conn.head("/", timeouts.http).await {
        Ok((status, _date)) => {
            times.http = t.elapsed();
            Finding::new(
                "probe.network.ok",
                Status::Pass,
                format!(
                    "{endpoint}: reachable in {} ms (HTTP {status})",
                    started.elapsed().as_millis()
                ),
            )
            .with_evidence(format!(
                "address {}, DNS {} ms, TCP {} ms, TLS {} ms, HTTP {} ms",
                times.addr.map_or("?".to_string(), |a| a.to_string()),
                times.dns.as_millis(),
                times.tcp.as_millis(),
                times.tls.as_millis(),
                times.http.as_millis()
            ))
        }
        Err(e) => step_failure(endpoint, &e),
    }
}

fn tcp_rule(endpoint: &Endpoint) -> String {
    format!(
        "allow outbound TCP {} to {} (Agora's firewall page asks for TCP {FIREWALL_TCP_PORTS} to {FIREWALL_DOMAINS}; do not restrict by IP)",
        endpoint.port, endpoint.host
    )
}

/// The finding for a failed step, with the firewall rule that is missing.
pub fn step_failure(endpoint: &Endpoint, e: &StepError) -> Finding {
    let (key, fix) = match e {
        StepError::Dns { .. } | StepError::DnsTimeout { .. } => (
            DNS_FAILED,
            format!(
                "make {} resolvable: check the DNS server or VPN, and that no DNS filter blocks {FIREWALL_DOMAINS}",
                endpoint.host
            ),
        ),
        StepError::DnsSinkhole { .. } => (
            "probe.network.dns_sinkholed",
            format!(
                "a DNS filter (ad blocker, Pi-hole, corporate DNS) answers 0.0.0.0 for {}: allow {FIREWALL_DOMAINS} in it",
                endpoint.host
            ),
        ),
        StepError::TcpRefused { .. } => ("probe.network.tcp_refused", tcp_rule(endpoint)),
        StepError::TcpTimeout { .. } | StepError::Tcp { .. } => {
            ("probe.network.tcp_blocked", tcp_rule(endpoint))
        }
        StepError::Tls {
            untrusted: true, ..
        } => (
            "probe.network.tls_untrusted",
            format!(
                "a proxy or firewall is intercepting TLS to {}: exempt {FIREWALL_DOMAINS} from TLS inspection (browsers reject the certificate the same way)",
                endpoint.host
            ),
        ),
        StepError::Tls {
            time_related: true, ..
        } => (
            "probe.network.tls_clock",
            "the certificate is outside its validity period for this machine's time: if the clock check reports a skew, set the clock (enable NTP); if not, the server's certificate expired".to_string(),
        ),
        StepError::Tls { .. } | StepError::TlsTimeout { .. } => (
            "probe.network.tls_failed",
            format!(
                "something on the path accepts TCP {} but does not complete TLS: check the proxy or firewall in front of {}",
                endpoint.port, endpoint.host
            ),
        ),
        StepError::HttpTimeout { .. } | StepError::Http { .. } => (
            "probe.network.http_failed",
            format!(
                "TLS works but no HTTP answer came back from {}: a proxy holds the request; exempt {FIREWALL_DOMAINS}",
                endpoint.host
            ),
        ),
    };
    Finding::new(key, Status::Fail, format!("{endpoint}: {e}")).with_fix(fix)
}

/// The key of a name that did not resolve.
const DNS_FAILED: &str = "probe.network.dns_failed";

/// Several names that did not resolve are one fact, not one line each: a single finding leads
/// ("this machine resolves no names at all" when every probe failed there), the endpoints folded
/// under it as evidence, with one fix. Pure.
pub fn fold_dns_failures(details: Vec<Finding>) -> Vec<Finding> {
    let (dns, rest): (Vec<Finding>, Vec<Finding>) =
        details.into_iter().partition(|f| f.key == DNS_FAILED);
    if dns.len() < 2 {
        return dns.into_iter().chain(rest).collect();
    }
    let total = dns.len() + rest.len();
    let status = dns.iter().map(|f| f.status).max().unwrap_or(Status::Fail);
    let summary = if rest.is_empty() {
        format!(
            "this machine resolves no names at all: none of the {} names probed resolved",
            dns.len()
        )
    } else {
        format!("{} of {total} names probed did not resolve", dns.len())
    };
    let mut folded = Finding::new(DNS_FAILED, status, summary).with_fix(format!(
        "check the network connection, the DNS server (/etc/resolv.conf) or VPN, and that no DNS filter blocks {FIREWALL_DOMAINS}; every other network step needs names first"
    ));
    for f in &dns {
        folded = folded.with_evidence(f.summary.clone());
    }
    std::iter::once(folded).chain(rest).collect()
}

/// A STUN server whose name does not resolve: a DNS failure, not blocked UDP. Pure.
pub fn udp_not_sent(endpoint: &Endpoint, e: &StepError) -> Finding {
    match e {
        StepError::DnsSinkhole { .. } => Finding::new(
            "probe.network.dns_sinkholed",
            Status::Warn,
            format!("UDP probe to {endpoint} not sent: {e}"),
        )
        .with_fix(format!(
            "a DNS filter answers 0.0.0.0 for {}: allow it there, or pass --stun HOST:PORT",
            endpoint.host
        )),
        StepError::Dns { .. } | StepError::DnsTimeout { .. } => Finding::new(
            DNS_FAILED,
            Status::Warn,
            format!("UDP probe to {endpoint} not sent: {e}"),
        )
        .with_fix(format!(
            "make {} resolvable (check the DNS server or VPN), or pass --stun HOST:PORT",
            endpoint.host
        )),
        other => Finding::new(
            "probe.network.udp_blocked",
            Status::Warn,
            format!("UDP probe to {endpoint} not sent: {other}"),
        ),
    }
}

async fn probe_udp(ctx: &ProbeContext) -> Finding {
    let endpoint = &ctx.profile.stun;
    let limit = ctx.profile.timeouts.udp;
    let addrs = match net::resolve(endpoint, ctx.profile.timeouts.dns).await {
        Ok(addrs) => addrs,
        Err(e) => return udp_not_sent(endpoint, &e),
    };
    let server = addrs[0];
    let fix = format!(
        "allow outbound UDP {FIREWALL_UDP_PORTS} to {FIREWALL_DOMAINS}; without UDP the Web SDK falls back to TCP/TLS 443 (cloud proxy) with more latency, and the native SDK needs Cloud Proxy"
    );
    match stun::binding(server, limit).await {
        Ok(binding) => {
            let mut f = Finding::new(
                "probe.network.ok",
                Status::Pass,
                format!(
                    "UDP {endpoint}: STUN answered in {} ms",
                    binding.rtt.as_millis()
                ),
            );
            if let Some(mapped) = binding.mapped {
                f = f.with_evidence(format!(
                    "this machine's address as seen from there: {mapped}"
                ));
            }
            if let Some(software) = binding.software {
                f = f.with_evidence(format!("server: {software}"));
            }
            f
        }
        Err(StunError::NoAnswer) => Finding::new(
            "probe.network.udp_blocked",
            Status::Warn,
            format!(
                "UDP {endpoint}: no STUN answer within {} ms (UDP dropped on the way)",
                limit.as_millis()
            ),
        )
        .with_fix(fix),
        Err(StunError::Refused) => Finding::new(
            "probe.network.udp_blocked",
            Status::Warn,
            format!("UDP {endpoint}: port unreachable (ICMP), nothing answers UDP there"),
        )
        .with_fix(fix),
        Err(StunError::Garbage) => Finding::new(
            "probe.network.udp_blocked",
            Status::Warn,
            format!("UDP {endpoint}: something answered, but not with STUN"),
        )
        .with_fix(fix),
        Err(StunError::Io(reason)) => Finding::new(
            "probe.network.udp_blocked",
            Status::Warn,
            format!("UDP {endpoint}: {reason}"),
        )
        .with_fix(fix),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_name(host: &str) -> StepError {
        StepError::Dns {
            host: host.into(),
            reason: "failed to lookup address information: Temporary failure in name resolution"
                .into(),
        }
    }

    /// Regression: a STUN server whose name does not resolve was reported as blocked UDP.
    #[test]
    fn a_stun_name_that_does_not_resolve_is_a_dns_failure() {
        let stun = Endpoint::new("stun.example.invalid", 3478);
        let f = udp_not_sent(&stun, &no_name(&stun.host));
        assert_eq!(f.key, DNS_FAILED, "{f:?}");
        assert!(f.fix.unwrap().contains("resolvable"));
    }

    /// Regression: offline, every endpoint gave its own `dns_failed` line with the same fix; one
    /// verdict now leads with the endpoints folded under it.
    #[test]
    fn names_that_do_not_resolve_are_one_finding_leading_the_check() {
        let hosts = ["a.agora.io", "b.agora.io", "c.sd-rtn.com"];
        let mut details: Vec<Finding> = hosts
            .iter()
            .map(|h| {
                let e = Endpoint::new(*h, 443);
                step_failure(&e, &no_name(h))
            })
            .collect();
        let stun = Endpoint::new("stun.example.invalid", 3478);
        details.push(udp_not_sent(&stun, &no_name(&stun.host)));
        let folded = fold_dns_failures(details.clone());
        assert_eq!(folded.len(), 1, "{folded:?}");
        assert_eq!(folded[0].status, Status::Fail);
        assert!(
            folded[0].summary.contains("resolves no names at all"),
            "{folded:?}"
        );
        assert_eq!(folded[0].evidence.len(), 4);
        let output =
            CheckOutput::from_details(folded, Finding::new("probe.network.ok", Status::Pass, "ok"));
        assert_eq!(output.headline.key, DNS_FAILED);

        // Some names resolve: the failures still fold, and the others stay as they are.
        let reached = Finding::new(
            "probe.network.ok",
            Status::Pass,
            "d.agora.io:443: reachable",
        );
        details.insert(1, reached.clone());
        let folded = fold_dns_failures(details);
        assert_eq!(folded.len(), 2);
        assert!(folded[0].summary.starts_with("4 of 5 names"), "{folded:?}");
        assert_eq!(folded[1], reached);
        // One failure alone is left as it is.
        let one = vec![step_failure(
            &Endpoint::new("a.agora.io", 443),
            &no_name("a.agora.io"),
        )];
        assert_eq!(fold_dns_failures(one.clone()), one);
    }
}
