//! The probe's network, clock and config checks against the simulated edge (a test double on
//! loopback) with each fault: every check must END with the right status and explain key, inside its
//! budget (the runner turns an overrun into `error`/`*.timed_out`, which these tests reject).

use crate::common::probe as probe_common;

use std::time::Duration;

use agora_doctor::inputs::Inputs;
use agora_doctor::vocabulary::Status;
use std::sync::Arc;

use agora_sim::edge::{Fault, SimEdge};
use agora_sim::world::{SimWorld, WorldConfig};
use probe_common::{context_for, detail_keys, run, run_one};

/// A simulated world whose probe edge injects `fault`.
fn edge(fault: Fault) -> Arc<SimWorld> {
    let config = WorldConfig {
        edge_fault: fault,
        ..WorldConfig::default()
    };
    Arc::new(SimWorld::start(config).expect("simulated world starts"))
}

#[test]
fn healthy_edge_passes_network_clock_and_config() {
    let edge = edge(Fault::None);
    let reports = run(
        context_for(&edge, Inputs::default()),
        &["config", "clock", "network"],
    );
    let ids: Vec<&str> = reports.iter().map(|r| r.id).collect();
    assert_eq!(ids, ["config", "clock", "network"], "declared order kept");
    for r in &reports {
        assert_eq!(
            r.status,
            Status::Pass,
            "{}: {} {:?}",
            r.id,
            r.summary,
            r.findings
        );
    }
    assert_eq!(reports[1].key, "probe.clock.ok");
    assert_eq!(reports[2].key, "probe.network.ok");
    // The minted token went through token-core and the simulated access point.
    let config_keys = detail_keys(&reports[0]);
    assert!(
        config_keys.contains(&"token.signature_valid"),
        "{config_keys:?}"
    );
    assert!(reports[0]
        .summary
        .contains("simulated access point accepts"));
}

#[test]
fn stalled_server_fails_the_network_check_within_its_budget() {
    let edge = edge(Fault::Stall);
    let network = run_one(&edge, "network");
    assert_eq!(network.status, Status::Fail, "{network:?}");
    assert_eq!(network.key, "probe.network.tls_failed");
    assert!(
        network.summary.contains("did not finish within"),
        "{}",
        network.summary
    );
    // The stalled UDP side answers nothing either.
    assert!(detail_keys(&network).contains(&"probe.network.udp_blocked"));
}

#[test]
fn stalled_server_leaves_the_clock_unmeasured_within_its_budget() {
    let edge = edge(Fault::Stall);
    let clock = run_one(&edge, "clock");
    assert_eq!(clock.status, Status::Warn, "{clock:?}");
    assert_eq!(clock.key, "probe.clock.unmeasured");
}

#[test]
fn closed_port_is_refused_within_the_budget() {
    let edge = edge(Fault::Refuse);
    let reports = run(context_for(&edge, Inputs::default()), &["network", "clock"]);
    let network = &reports[0];
    assert_eq!(network.status, Status::Fail, "{network:?}");
    assert_eq!(network.key, "probe.network.tcp_refused");
    assert!(network
        .fix
        .as_deref()
        .unwrap_or("")
        .contains("allow outbound TCP"));
    let udp = network
        .findings
        .iter()
        .find(|f| f.summary.starts_with("UDP"))
        .expect("a UDP finding");
    assert_eq!(udp.key, "probe.network.udp_blocked");
    assert_eq!(reports[1].key, "probe.clock.unmeasured");
}

fn skew_of(summary: &str) -> f64 {
    // "this machine's clock is 30.01 s ± 0.01 s behind …"
    let after = summary.split("clock is ").nth(1).expect("a measured skew");
    after.split(' ').next().unwrap().parse().expect("a number")
}

fn error_bar_of(summary: &str) -> f64 {
    let after = summary.split("± ").nth(1).expect("an error bar");
    after.split(' ').next().unwrap().parse().expect("a number")
}

/// The true offset lies inside the reported error bar (plus the summary's 0.01 s rounding), and the
/// bar is far tighter than the 1 s resolution of a `Date` header.
fn assert_measured(summary: &str, true_offset: f64) {
    let (skew, bar) = (skew_of(summary), error_bar_of(summary));
    assert!(
        bar < 0.5,
        "error bar {bar} s is no better than one Date sample: {summary}"
    );
    assert!(
        (skew - true_offset).abs() <= bar + 0.011,
        "true offset {true_offset} s outside {skew} ± {bar} s: {summary}"
    );
}

#[test]
fn skewed_clock_warns_and_measures_the_offset() {
    let edge = edge(Fault::WrongClock { offset_ms: 30_000 });
    let clock = run_one(&edge, "clock");
    assert_eq!(clock.status, Status::Warn, "{clock:?}");
    assert_eq!(clock.key, "probe.clock.skew");
    assert!(clock.summary.contains("behind"), "{}", clock.summary);
    assert_measured(&clock.summary, 30.0);
}

#[test]
fn clock_an_hour_ahead_fails() {
    let edge = edge(Fault::WrongClock {
        offset_ms: -3_600_000,
    });
    let clock = run_one(&edge, "clock");
    assert_eq!(clock.status, Status::Fail, "{clock:?}");
    assert_eq!(clock.key, "probe.clock.skew");
    assert!(clock.summary.contains("ahead of"), "{}", clock.summary);
    assert_measured(&clock.summary, 3600.0);
}

#[test]
fn sub_second_offset_is_resolved_below_the_date_header_resolution() {
    let edge = edge(Fault::WrongClock { offset_ms: 600 });
    let clock = run_one(&edge, "clock");
    assert_eq!(clock.key, "probe.clock.ok", "{clock:?}");
    assert_measured(&clock.summary, 0.6);
}

#[test]
fn bad_certificate_fails_with_the_tls_reason() {
    let edge = edge(Fault::BadCertificate);
    let network = run_one(&edge, "network");
    assert_eq!(network.status, Status::Fail, "{network:?}");
    assert_eq!(network.key, "probe.network.tls_untrusted");
    assert!(
        network.summary.contains("UnknownIssuer"),
        "{}",
        network.summary
    );
    assert!(network
        .fix
        .as_deref()
        .unwrap_or("")
        .contains("TLS inspection"));
}

#[test]
fn small_delay_passes_and_long_delay_fails_as_no_http_answer() {
    let quick = edge(Fault::Delay(Duration::from_millis(50)));
    assert_eq!(run_one(&quick, "network").key, "probe.network.ok");
    let slow = edge(Fault::Delay(Duration::from_millis(1500)));
    let network = run_one(&slow, "network");
    assert_eq!(network.status, Status::Fail, "{network:?}");
    assert_eq!(network.key, "probe.network.http_failed");
}

#[test]
fn expired_token_is_refused_by_the_simulated_access_point() {
    let edge = edge(Fault::None);
    let project = edge.project().clone();
    // Issued two hours ago for one hour: expired by Agora's rules.
    let issued = agora_clock::unix() as u32 - 7200;
    let token = agora_token_core::rtc_007(
        &project.app_id,
        &project.app_certificate,
        "demo",
        "",
        agora_token_core::Role::Publisher,
        issued,
        3600,
        3600,
        7,
    )
    .unwrap();
    let inputs = Inputs {
        token: Some(token),
        channel: Some("demo".into()),
        ..Inputs::default()
    };
    let config = run(context_for(&edge, inputs), &["config"]).remove(0);
    assert_eq!(config.status, Status::Fail, "{config:?}");
    let keys = detail_keys(&config);
    assert!(keys.contains(&"token.expired"), "{keys:?}");
    let ap = config
        .findings
        .iter()
        .find(|f| f.key == "probe.config.sim_rejected")
        .expect("the simulated access point's answer");
    assert!(ap.summary.contains("dynamic key expired"), "{}", ap.summary);
}

#[test]
fn access_point_answers_with_agora_gateway_reasons() {
    use agora_sim::edge::{ApRequest, GatewayReason};
    let edge = edge(Fault::None);
    let project = edge.project().clone();
    let now = agora_clock::unix();
    let good = agora_token_core::rtc_007(
        &project.app_id,
        &project.app_certificate,
        "room",
        "42",
        agora_token_core::Role::Publisher,
        now as u32,
        600,
        600,
        1,
    )
    .unwrap();
    let ask = |app_id: &str, channel: &str, uid: &str, key: &str| {
        ApRequest {
            app_id: app_id.into(),
            channel: channel.into(),
            uid: uid.into(),
            key: key.into(),
        }
        .answer(&project, now, edge.edge().udp_addr())
        .reason
    };
    assert_eq!(ask(&project.app_id, "room", "42", &good), GatewayReason::Ok);
    assert_eq!(
        ask(&project.app_id, "room", "43", &good),
        GatewayReason::InvalidToken
    );
    assert_eq!(
        ask(&project.app_id, "other", "42", &good),
        GatewayReason::InvalidToken
    );
    assert_eq!(
        ask(&project.app_id, "room", "42", ""),
        GatewayReason::DynamicUseStaticKey
    );
    assert_eq!(
        ask(&project.app_id, "room", "42", &project.app_id),
        GatewayReason::DynamicUseStaticKey
    );
    assert_eq!(
        ask("0123456789abcdef0123456789abcdef", "room", "42", &good),
        GatewayReason::InvalidVendorKey
    );
    assert_eq!(
        ask(&project.app_id, "", "42", &good),
        GatewayReason::InvalidChannelName
    );
    let forged = agora_token_core::rtc_007(
        &project.app_id,
        "ffffffffffffffffffffffffffffffff",
        "room",
        "42",
        agora_token_core::Role::Publisher,
        now as u32,
        600,
        600,
        1,
    )
    .unwrap();
    assert_eq!(
        ask(&project.app_id, "room", "42", &forged),
        GatewayReason::InvalidToken
    );
    assert_eq!(
        GatewayReason::DynamicKeyExpired.desc(),
        "dynamic key expired"
    );
    assert_eq!(GatewayReason::DynamicKeyExpired.code(), 2_010_013);
}

#[test]
fn everything_the_edge_reports_says_it_is_simulated() {
    let edge = edge(Fault::None);
    assert!(edge.describe().contains("simulated"));
    assert!(edge.describe().contains("double"));
    let network = run_one(&edge, "network");
    let udp = network
        .findings
        .iter()
        .find(|f| f.summary.starts_with("UDP"))
        .expect("a UDP finding");
    assert!(
        udp.evidence.iter().any(|e| e.contains("simulated")),
        "STUN SOFTWARE names the double: {:?}",
        udp.evidence
    );
}

#[test]
fn dropping_the_edge_closes_its_ports() {
    let edge = SimEdge::builder().start().expect("simulated edge starts");
    let addr = edge.https_addr();
    assert!(std::net::TcpStream::connect(addr).is_ok());
    drop(edge);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "port still open after drop"
    );
}

#[test]
fn without_a_url_the_page_checks_judge_the_simulated_demo_page() {
    let edge = edge(Fault::None);
    let reports = run(
        context_for(&edge, Inputs::default()),
        &["secure_context", "page"],
    );
    for r in &reports {
        assert_eq!(r.status, Status::Pass, "{r:?}");
        assert!(r.summary.contains("/demo/"), "{}", r.summary);
        assert!(r
            .evidence
            .iter()
            .any(|e| e.contains("simulated edge's demo page (a double)")));
    }
    let sdk = reports[1]
        .findings
        .iter()
        .find(|f| f.summary.contains("Web SDK"))
        .expect("an SDK finding");
    assert!(sdk.summary.contains("4.24.8"), "{}", sdk.summary);
}

#[test]
fn expired_certificate_fails_tls_on_time_and_the_clock_is_read_over_plain_http() {
    let edge = edge(Fault::ExpiredCertificate);
    let reports = run(context_for(&edge, Inputs::default()), &["clock", "network"]);
    let (clock, network) = (&reports[0], &reports[1]);
    assert_eq!(network.status, Status::Fail, "{network:?}");
    assert_eq!(network.key, "probe.network.tls_clock");
    assert!(network.summary.contains("Expired"), "{}", network.summary);
    // This machine's clock is right, so the clock check passes and blames the certificate.
    assert_eq!(clock.key, "probe.clock.ok", "{clock:?}");
    assert!(clock.summary.contains("plain HTTP"), "{}", clock.summary);
    let evidence = clock.evidence.join("\n");
    assert!(evidence.contains("TLS: certificate expired"), "{evidence}");
    assert!(
        evidence.contains("the server's certificate itself"),
        "{evidence}"
    );
    assert_measured(&clock.summary, 0.0);
}

/// Every check that talks to the edge, run together against `fault`: each must END on its own
/// deadline with a verdict (not pass, and not the runner's `*.timed_out` for a blown budget).
fn assert_edge_checks_end_within_budget(fault: Fault) {
    let edge = edge(fault);
    let reports = run(
        context_for(&edge, Inputs::default()),
        &["config", "clock", "network", "page"],
    );
    for r in &reports {
        assert!(
            !r.key.ends_with("timed_out") && r.status != Status::Error,
            "{fault:?}: {} overran its budget: {} {:?}",
            r.id,
            r.summary,
            r.findings
        );
        assert_ne!(
            r.status,
            Status::Pass,
            "{fault:?}: {} passed against a server that never answers properly: {}",
            r.id,
            r.summary
        );
    }
    let network = &reports[2];
    assert!(
        detail_keys(network).contains(&"probe.network.udp_blocked") || fault == Fault::Trickle,
        "{fault:?}: {network:?}"
    );
}

#[test]
fn trickling_server_fails_every_edge_check_within_its_budget() {
    assert_edge_checks_end_within_budget(Fault::Trickle);
}

#[test]
fn blackholed_ports_fail_every_edge_check_within_its_budget() {
    assert_edge_checks_end_within_budget(Fault::Blackhole);
}
