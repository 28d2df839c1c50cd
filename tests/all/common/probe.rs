//! Helpers for the probe tests: run checks against a simulated edge (a test double) in-process.

#![allow(dead_code)]

use std::sync::Arc;

use agora_doctor::cli::ProbeArgs;
use agora_doctor::inputs::Inputs;
use agora_doctor::probe::command::sim_context;
use agora_doctor::probe::{run_checks, spec, CheckReport, ProbeContext};
use agora_sim::world::SimWorld;

/// A context aimed at `world`'s simulated edge, with these user inputs.
pub fn context_for(world: &Arc<SimWorld>, inputs: Inputs) -> ProbeContext {
    sim_context(world, inputs, &ProbeArgs::default())
}

/// Run the checks `ids` (in that order) with `ctx` and return their reports.
pub fn run(ctx: ProbeContext, ids: &[&str]) -> Vec<CheckReport> {
    let specs: Vec<_> = ids
        .iter()
        .map(|id| *spec(id).unwrap_or_else(|| panic!("no check {id}")))
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run_checks(Arc::new(ctx), &specs, None))
}

/// Run one check against `world`'s simulated edge.
pub fn run_one(world: &Arc<SimWorld>, id: &str) -> CheckReport {
    run(context_for(world, Inputs::default()), &[id]).remove(0)
}

/// The keys of a check's individual findings.
pub fn detail_keys(report: &CheckReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.key.as_str()).collect()
}
