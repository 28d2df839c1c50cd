//! The config check: the App ID's format and, with `--token`, every finding `agora-doctor token`
//! reports for it (same code, same keys). When the profile has an access point that judges joins
//! (the simulated edge's), it also asks it, and it answers with Agora's gateway reasons.

use std::sync::Arc;
use std::time::Duration;

use agora_token_core::mint::MINTED_LIFETIME;

use agora_token_core::{check, keys, Expectation, User};

use crate::probe::context::ProbeContext;
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::vocabulary::{Finding, Status};

/// Registry entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "config",
    title: "App ID and token",
    inputs: "--app-id ID; optional --token T --channel C [--uid N] (and AGORA_APP_CERTIFICATE or --cert-file to verify the signature)",
    // The access-point request's own deadline plus a second for the token checks, so a stalled or
    // trickling access point ends as a finding, not as a blown budget.
    budget: |ctx| access_point_deadline(ctx) + Duration::from_secs(1),
    run: |ctx| Box::pin(run(ctx)),
};

/// Length of an App ID: 32 hexadecimal digits (Agora console; `docs/tokens.md#006-layout`).
pub const APP_ID_LEN: usize = 32;

/// Findings for an App ID's format (pure).
pub fn app_id_finding(app_id: &str) -> Finding {
    let trimmed = app_id.trim();
    if trimmed != app_id {
        return Finding::new(
            "probe.config.app_id_invalid",
            Status::Fail,
            "the App ID has whitespace around it",
        )
        .with_evidence(format!("{} characters, {} after trimming", app_id.len(), trimmed.len()))
        .with_fix("remove the spaces or newline around the App ID (copying from a file or .env often adds one)");
    }
    let bad: Vec<char> = app_id.chars().filter(|c| !c.is_ascii_hexdigit()).collect();
    if app_id.len() != APP_ID_LEN || !bad.is_empty() {
        let mut f = Finding::new(
            "probe.config.app_id_invalid",
            Status::Fail,
            format!("`{app_id}` is not an App ID: it must be {APP_ID_LEN} hexadecimal digits"),
        )
        .with_evidence(format!("{} characters", app_id.chars().count()))
        .with_fix("copy the App ID from the Agora console (Project Management → your project); the gateway answers `invalid vendor key, can not find appid` otherwise");
        if !bad.is_empty() {
            let shown: String = bad.iter().take(8).collect();
            f = f.with_evidence(format!("characters that are not hex digits: {shown:?}"));
        }
        return f;
    }
    Finding::new(
        "probe.config.ok",
        Status::Pass,
        format!("App ID {app_id} has the right format"),
    )
}

/// The channel a `--sim` run mints its demonstration token for.
pub const SIM_CHANNEL: &str = agora_sim::world::SIM_CHANNEL;

/// Who the user says will join, as token-core expects it.
fn user_of(uid: Option<&str>) -> Option<User> {
    let uid = uid?.trim();
    Some(match uid.parse::<u64>() {
        Ok(n) => User::Uid(n),
        Err(_) => User::Account(uid.to_string()),
    })
}

/// Every finding `agora-doctor token` reports for `token` (token-core's `check`).
pub fn token_findings(
    ctx: &ProbeContext,
    token: &str,
    channel: Option<&str>,
    now: u64,
) -> Vec<Finding> {
    let expectation = Expectation {
        channel: channel.map(str::to_string),
        user: user_of(ctx.inputs.uid.as_deref()),
        app_id: ctx.inputs.app_id.clone(),
        role: None,
        certificate: ctx
            .inputs
            .certificate
            .as_ref()
            .map(|c| c.expose().to_string()),
    };
    check(token, &expectation, now).findings
}

async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    let Some(app_id) = ctx.inputs.app_id.clone() else {
        return CheckOutput::skip(
            "config",
            "no App ID given",
            "pass --app-id ID (from the Agora console), and --token T --channel C to check a token too",
        );
    };
    let now = ctx.unix_now();
    let mut details = vec![app_id_finding(&app_id)];
    let token = ctx.inputs.token.clone();
    let channel = ctx.inputs.channel.clone();
    if ctx.inputs.token_minted {
        // A --sim run without a token shows the whole path with one the simulated project minted.
        details.push(Finding::new(
            "probe.config.ok",
            Status::Pass,
            format!(
                "minted a {} h token for channel {}, uid {} with the simulated project's certificate (a double)",
                MINTED_LIFETIME / 3600,
                channel.as_deref().unwrap_or(SIM_CHANNEL),
                ctx.inputs.uid.as_deref().unwrap_or("0")
            ),
        ));
    }
    let mut summary = format!("App ID {app_id} has the right format");
    match &token {
        Some(token) => {
            details.extend(token_findings(&ctx, token, channel.as_deref(), now));
            if channel.is_none() {
                details.push(
                    Finding::new(
                        "probe.config.channel_missing",
                        Status::Skip,
                        "the token was not checked against a channel",
                    )
                    .with_fix(
                        "pass --channel NAME (and --uid N) to check the token is for that join",
                    ),
                );
            }
            summary = format!("App ID {app_id} and the token pass every token check");
            if let Some(access_point) = &ctx.profile.access_point {
                details.push(
                    ask_access_point(&ctx, access_point, &app_id, token, channel.as_deref()).await,
                );
                summary.push_str("; the simulated access point accepts them");
            }
        }
        None => details.push(
            Finding::new("probe.config.token_missing", Status::Skip, "no token given").with_fix(
                "pass --token T --channel C [--uid N] to check the token your app joins with",
            ),
        ),
    }
    // A join-only token is described, not a missing input: it does not make the check a skip
    // (publishing is refused only where co-host authentication is enabled, off by default).
    let described = |f: &Finding| f.key == keys::CANNOT_PUBLISH && f.status == Status::Skip;
    let judged: Vec<Finding> = details.iter().filter(|f| !described(f)).cloned().collect();
    let headline = CheckOutput::from_details(
        judged,
        Finding::new("probe.config.ok", Status::Pass, summary),
    )
    .headline;
    CheckOutput { headline, details }
}

/// How long the (simulated) access point may take to answer: a TLS handshake and one request.
fn access_point_deadline(ctx: &ProbeContext) -> Duration {
    ctx.profile.timeouts.http * 2
}

/// Ask the access point that judges joins (the simulated edge's, a double) what Agora's would answer.
async fn ask_access_point(
    ctx: &ProbeContext,
    access_point: &crate::probe::profile::Endpoint,
    app_id: &str,
    token: &str,
    channel: Option<&str>,
) -> Finding {
    let mut url = match url::Url::parse(&format!("https://{access_point}/ap/v1/choose")) {
        Ok(url) => url,
        Err(e) => {
            return Finding::new(
                "probe.config.sim_access_point",
                Status::Error,
                e.to_string(),
            )
        }
    };
    url.query_pairs_mut()
        .append_pair("appid", app_id)
        .append_pair("cname", channel.unwrap_or(SIM_CHANNEL))
        .append_pair("uid", ctx.inputs.uid.as_deref().unwrap_or("0"))
        .append_pair("key", token);
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .timeout(access_point_deadline(ctx));
    for root in &ctx.extra_roots {
        if let Ok(cert) = reqwest::Certificate::from_der(root) {
            builder = builder.add_root_certificate(cert);
        }
    }
    let answer = match builder.build() {
        Ok(client) => match client.get(url).send().await {
            Ok(r) => match r.text().await {
                Ok(text) => {
                    serde_json::from_str::<serde_json::Value>(&text).map_err(|e| e.to_string())
                }
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(e.to_string()),
    };
    match answer {
        Ok(json) => {
            let code = json["code"].as_u64().unwrap_or(u64::MAX);
            let reason = json["reason"].as_str().unwrap_or("?").to_string();
            if code == 0 {
                Finding::new(
                    "probe.config.ok",
                    Status::Pass,
                    "the simulated access point (a double) accepts the App ID, channel and token",
                )
            } else {
                Finding::new(
                    "probe.config.sim_rejected",
                    Status::Fail,
                    format!("the simulated access point (a double) answers `CAN_NOT_GET_GATEWAY_SERVER: {reason}` ({code})"),
                )
                .with_evidence(format!("decided by: {}", json["detail"].as_str().unwrap_or("?")))
                .with_fix(format!("run `agora-doctor explain \"{reason}\"`"))
            }
        }
        Err(e) => Finding::new(
            "probe.config.sim_access_point",
            Status::Warn,
            format!("the simulated access point did not answer: {e}"),
        ),
    }
}
