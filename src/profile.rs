//! Where the probe looks: the real Agora endpoints (named constants with their source), and the
//! profile a run uses after `--edge`/`--stun`/environment overrides or `--sim`.

use std::fmt;
use std::time::Duration;

/// Web SDK 4.24.8 default config `WEBCS_DOMAIN`: the access points a join asks first
/// (read from the npm bundle, `docs/probe-facts.md#what-web-sdk-4248-contacts`).
pub const WEB_ACCESS_POINTS: &[&str] = &["webrtc2-ap-web-1.agora.io", "webrtc2-2.ap.sd-rtn.com"];
/// Web SDK 4.24.8 `WEBCS_DOMAIN_BACKUP_LIST` (`docs/probe-facts.md#what-web-sdk-4248-contacts`).
pub const WEB_ACCESS_POINT_BACKUPS: &[&str] =
    &["webrtc2-ap-web-3.agora.io", "webrtc2-4.ap.sd-rtn.com"];
/// Web SDK 4.24.8 event report, log upload, cloud proxy and SDP endpoints (`docs/probe-facts.md#what-web-sdk-4248-contacts`).
pub const WEB_SERVICE_HOSTS: &[&str] = &[
    "statscollector-1.agora.io",
    "logservice.agora.io",
    "webrtc-cloud-proxy.sd-rtn.com",
    "sdp-ap-web-1.rtnsvc.com",
];
/// The port every one of those hosts answers HTTPS on (firewall page, TCP 443).
pub const HTTPS_PORT: u16 = 443;
/// Plain HTTP, also on the firewall page's TCP list (used only to read the time when TLS fails).
pub const HTTP_PORT: u16 = 80;
/// Agora publishes no STUN server; one public STUN server proves generic UDP egress, which is as
/// far as a check without a join can go (`docs/probe-facts.md#what-a-cli-can-test`). Google's is the most widely reachable.
pub const STUN_SERVER: &str = "stun.l.google.com:19302";
/// The firewall rules Agora's firewall page asks for (docs.agora.io/en/introduction/firewall,
/// read 2026-11-25; `docs/probe-facts.md#firewall-rules`). Quoted in fixes when a step fails.
pub const FIREWALL_DOMAINS: &str = ".agora.io, .edge.agora.io, .sd-rtn.com, .edge.sd-rtn.com";
/// TCP ports of the Web SDK rule (firewall page).
pub const FIREWALL_TCP_PORTS: &str =
    "80, 443, 3433, 3478, 4700-5000, 5668, 5669, 6080, 6443, 8667, 9667";
/// UDP ports of the Web SDK rule (firewall page, SDK 2.9.0 and later).
pub const FIREWALL_UDP_PORTS: &str = "3478, 4700-5000";

/// One host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// DNS name or IP literal.
    pub host: String,
    /// TCP or UDP port.
    pub port: u16,
}

impl Endpoint {
    /// An endpoint from parts.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Endpoint {
            host: host.into(),
            port,
        }
    }

    /// Parse `HOST:PORT` (IPv6 as `[::1]:443`). The host is a DNS name, an IPv4 address or a
    /// bracketed IPv6 address and nothing else: a scheme, user info, a path, a space or an
    /// impossible address (`999.1.1.1`) is refused here, not sent to a resolver.
    pub fn parse(text: &str) -> Result<Self, String> {
        const EXAMPLE: &str = "e.g. webrtc2-ap-web-1.agora.io:443";
        let text = text.trim();
        if text.is_empty() {
            return Err(format!("is empty; pass HOST:PORT ({EXAMPLE})"));
        }
        if let Some((scheme, rest)) = text.split_once("://") {
            return Err(format!(
                "`{text}` has a scheme ({scheme}://); pass HOST:PORT alone, e.g. {}",
                rest.split(['/', '?', '#']).next().unwrap_or(rest)
            ));
        }
        if text.contains('@') {
            return Err(format!(
                "`{text}` holds user info (`…@`); pass HOST:PORT alone ({EXAMPLE})"
            ));
        }
        if let Some(bad) = text
            .chars()
            .find(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | ','))
        {
            return Err(format!(
                "`{text}` holds {bad:?}, which no host name does; pass HOST:PORT ({EXAMPLE}), several separated by commas"
            ));
        }
        let (host, port) = text
            .rsplit_once(':')
            .ok_or_else(|| format!("`{text}` is not HOST:PORT ({EXAMPLE})"))?;
        let port: u16 = port
            .parse()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| format!("`{text}`: `{port}` is not a port number (1-65535)"))?;
        let host = if let Some(inner) = host.strip_prefix('[') {
            let inner = inner
                .strip_suffix(']')
                .ok_or_else(|| format!("`{text}`: `{host}` lacks its closing `]`"))?;
            inner
                .parse::<std::net::Ipv6Addr>()
                .map_err(|_| format!("`{text}`: `{inner}` is not an IPv6 address"))?;
            inner
        } else if host.contains(':') {
            return Err(format!(
                "`{text}`: write an IPv6 address in brackets, e.g. [{host}]:{port}"
            ));
        } else {
            check_host(host).map_err(|why| format!("`{text}`: {why}"))?;
            host
        };
        Ok(Endpoint::new(host, port))
    }
}

/// A DNS name or an IPv4 address as a resolver takes them (RFC 1123 labels; `_` allowed, as
/// service names use it).
fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("the host is missing; pass HOST:PORT".to_string());
    }
    if host.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return host
            .parse::<std::net::Ipv4Addr>()
            .map(|_| ())
            .map_err(|_| format!("`{host}` is not an IPv4 address (four numbers 0-255)"));
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.len() > 253 {
        return Err("the host name is longer than 253 characters".to_string());
    }
    for label in name.split('.') {
        let fine = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !fine {
            return Err(format!(
                "`{host}` is not a host name (letters, digits and `-` between dots)"
            ));
        }
    }
    Ok(())
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Per-step time limits of the network and clock checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Name resolution.
    pub dns: Duration,
    /// TCP connect.
    pub connect: Duration,
    /// TLS handshake.
    pub tls: Duration,
    /// One HTTP request/response.
    pub http: Duration,
    /// Waiting for a UDP answer.
    pub udp: Duration,
}

impl Timeouts {
    /// Against the real Agora edge. The Web SDK gives an access point 5 s (`HTTP_CONNECT_TIMEOUT`
    /// 5000 ms, `docs/probe-facts.md#what-web-sdk-4248-contacts`); 3 s per step keeps a whole run short while staying well above
    /// normal intercontinental latencies.
    pub const REAL: Timeouts = Timeouts {
        dns: Duration::from_secs(3),
        connect: Duration::from_secs(3),
        tls: Duration::from_secs(3),
        http: Duration::from_secs(3),
        udp: Duration::from_secs(2),
    };

    /// Against the simulated edge on loopback, where anything slower than this is a fault. Generous
    /// for loopback (answers take milliseconds) so a loaded CI machine does not look like a fault;
    /// a healthy `--sim` run never waits for these.
    pub const SIM: Timeouts = Timeouts {
        dns: Duration::from_millis(1000),
        connect: Duration::from_millis(1000),
        tls: Duration::from_millis(1000),
        http: Duration::from_millis(1000),
        udp: Duration::from_millis(1000),
    };

    /// The longest a single endpoint can take through every step.
    pub fn chain(&self) -> Duration {
        self.dns + self.connect + self.tls + self.http
    }
}

/// The endpoints one run uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Shown in reports: "Agora (Web SDK 4.24.8 defaults)", or the simulated edge's description.
    pub label: String,
    /// What every endpoint is when they are a test double ("the simulated edge"), said beside them
    /// in the findings; `None` for Agora's own.
    pub double: Option<&'static str>,
    /// HTTPS endpoints the network check walks through DNS, TCP, TLS and HTTP.
    pub https: Vec<Endpoint>,
    /// The HTTPS endpoint the clock check reads `Date` from.
    pub clock: Endpoint,
    /// Plain HTTP on the same host, read when TLS fails because of the time (a clock off by days
    /// makes every certificate look expired; `docs/probe-facts.md#clock-and-tokens`). Agora's TCP list includes port 80.
    pub clock_http: Option<Endpoint>,
    /// The STUN endpoint the UDP step asks for a Binding.
    pub stun: Endpoint,
    /// Step time limits.
    pub timeouts: Timeouts,
    /// Spacing of the clock check's samples (shorter on loopback, gentler on real servers).
    pub clock_spacing: Duration,
    /// An access point that answers `/ap/v1/choose` the way Agora's gateway judges an App ID,
    /// channel and token (the simulated edge serves one; Agora's own speaks a binary protocol).
    pub access_point: Option<Endpoint>,
    /// The relay the SDK double joins through (the simulated world's), instead of Agora's edge.
    pub native_relay: Option<std::net::SocketAddr>,
    /// What the native join goes through when that is a test double (the SDK double and the
    /// relay), said in the join check's evidence; `None` for the user's SDK and Agora.
    pub native_double: Option<&'static str>,
}

impl Profile {
    /// The real Agora endpoints the Web SDK 4.24.8 uses.
    pub fn agora() -> Self {
        let https: Vec<Endpoint> = WEB_ACCESS_POINTS
            .iter()
            .chain(WEB_ACCESS_POINT_BACKUPS)
            .chain(WEB_SERVICE_HOSTS)
            .map(|h| Endpoint::new(*h, HTTPS_PORT))
            .collect();
        Profile {
            label: "Agora (endpoints of Web SDK 4.24.8 and the firewall page)".to_string(),
            double: None,
            clock: https[0].clone(),
            clock_http: Some(Endpoint::new(https[0].host.clone(), HTTP_PORT)),
            https,
            stun: Endpoint::parse(STUN_SERVER)
                .unwrap_or_else(|_| Endpoint::new("stun.l.google.com", 19302)),
            timeouts: Timeouts::REAL,
            clock_spacing: Duration::from_millis(50),
            access_point: None,
            native_relay: None,
            native_double: None,
        }
    }

    /// Every endpoint on the simulated edge (a double) at these loopback addresses.
    pub fn simulated(label: String, https_port: u16, udp_port: u16) -> Self {
        let https = Endpoint::new("localhost", https_port);
        Profile {
            label,
            double: Some("the simulated edge"),
            clock: https.clone(),
            clock_http: None,
            access_point: Some(https.clone()),
            https: vec![https],
            stun: Endpoint::new("127.0.0.1", udp_port),
            timeouts: Timeouts::SIM,
            clock_spacing: Duration::from_millis(10),
            native_relay: None,
            native_double: None,
        }
    }

    /// Replace the HTTPS endpoints (`--edge`, `AGORA_DOCTOR_EDGE`): the first also serves the clock.
    pub fn with_edges(mut self, edges: Vec<Endpoint>) -> Self {
        if let Some(first) = edges.first() {
            self.clock = first.clone();
            // Whether an overriding host serves plain HTTP is unknown: no fallback.
            self.clock_http = None;
            self.https = edges;
            self.label = format!("{} (HTTPS endpoints overridden)", self.label);
        }
        self
    }

    /// Read the clock over plain HTTP here when TLS fails because of the time.
    pub fn with_clock_http(mut self, endpoint: Endpoint) -> Self {
        self.clock_http = Some(endpoint);
        self
    }

    /// Replace the STUN endpoint (`--stun`, `AGORA_DOCTOR_STUN`).
    pub fn with_stun(mut self, stun: Endpoint) -> Self {
        self.stun = stun;
        self
    }
}

#[cfg(test)]
mod endpoint_tests {
    use super::Endpoint;

    #[test]
    fn only_a_host_and_a_port_are_an_endpoint() {
        for good in [
            "webrtc2-ap-web-1.agora.io:443",
            "127.0.0.1:9",
            "[::1]:443",
            "localhost:8443",
            "ap.example.com.:443",
        ] {
            assert!(Endpoint::parse(good).is_ok(), "{good}");
        }
        assert_eq!(Endpoint::parse("[::1]:443").unwrap().host, "::1");
        for (bad, words) in [
            ("", "is empty"),
            ("exa mple.com:443", "which no host name does"),
            ("https://ap.example.com:443", "has a scheme"),
            ("user:pw@ap.example.com:443", "user info"),
            ("999.1.1.1:443", "not an IPv4 address"),
            ("ap.example.com:0", "not a port number"),
            ("ap.example.com:99999", "not a port number"),
            ("::1:443", "in brackets"),
            ("[zz]:443", "not an IPv6 address"),
            ("-bad-.example.com:443", "not a host name"),
            ("a..b:443", "not a host name"),
            ("nohostport", "not HOST:PORT"),
        ] {
            let e = Endpoint::parse(bad).unwrap_err();
            assert!(e.contains(words), "{bad:?}: {e}");
        }
    }
}
