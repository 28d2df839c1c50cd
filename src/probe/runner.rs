//! The runner: start every selected check at once on tokio, each under its own budget; a check that
//! panics or overruns becomes `error` while the others finish; results come back in declared order.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::context::ProbeContext;
use crate::vocabulary::{Finding, Status};

/// A check's future.
pub type CheckFuture = Pin<Box<dyn Future<Output = CheckOutput> + Send + 'static>>;

/// One entry of the check registry ([`super::CHECKS`]).
#[derive(Clone, Copy)]
pub struct CheckSpec {
    /// Stable id used by `--only` and in JSON (`clock`, `network`, …).
    pub id: &'static str,
    /// Title shown to humans.
    pub title: &'static str,
    /// What it needs, for `--list-checks` and the README.
    pub inputs: &'static str,
    /// Its time budget in this context; past it the runner stops it and reports `error`.
    pub budget: fn(&ProbeContext) -> Duration,
    /// Start it.
    pub run: fn(Arc<ProbeContext>) -> CheckFuture,
}

impl std::fmt::Debug for CheckSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckSpec").field("id", &self.id).finish()
    }
}

/// What a check found: a headline finding (its status is the check's status) and details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutput {
    /// The verdict shown on the check's line.
    pub headline: Finding,
    /// Every individual finding (per host, per token rule…), possibly empty.
    pub details: Vec<Finding>,
}

impl CheckOutput {
    /// A check with one finding.
    pub fn single(headline: Finding) -> Self {
        CheckOutput {
            headline,
            details: Vec::new(),
        }
    }

    /// A skipped check: `hint` says what to pass.
    pub fn skip(id: &str, summary: impl Into<String>, hint: impl Into<String>) -> Self {
        CheckOutput::single(
            Finding::new(format!("probe.{id}.skipped"), Status::Skip, summary).with_fix(hint),
        )
    }

    /// Headline from details: the worst detail becomes the headline unless all pass, in which case
    /// `all_good` is used.
    pub fn from_details(details: Vec<Finding>, all_good: Finding) -> Self {
        // The first of the worst findings leads (details are in the order they were found).
        let worst_status = details.iter().map(|f| f.status).max();
        let worst = details
            .iter()
            .find(|f| f.status != Status::Pass && Some(f.status) == worst_status)
            .cloned();
        CheckOutput {
            headline: worst.unwrap_or(all_good),
            details,
        }
    }
}

/// One check's line in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Registry id.
    pub id: &'static str,
    /// Human title.
    pub title: &'static str,
    /// The check's status.
    pub status: Status,
    /// Catalog key (`agora-doctor explain <key>`).
    pub key: String,
    /// One line.
    pub summary: String,
    /// Supporting facts.
    pub evidence: Vec<String>,
    /// What to do, if anything.
    pub fix: Option<String>,
    /// Every individual finding.
    pub findings: Vec<Finding>,
    /// Wall time this check took, in milliseconds.
    pub duration_ms: u64,
    /// Its budget, in milliseconds.
    pub budget_ms: u64,
}

impl CheckReport {
    fn new(spec: &CheckSpec, output: CheckOutput, elapsed: Duration, budget: Duration) -> Self {
        let CheckOutput { headline, details } = output;
        CheckReport {
            id: spec.id,
            title: spec.title,
            status: headline.status,
            key: headline.key,
            summary: headline.summary,
            evidence: headline.evidence,
            fix: headline.fix,
            findings: details,
            duration_ms: elapsed.as_millis() as u64,
            budget_ms: budget.as_millis() as u64,
        }
    }
}

/// Told when checks finish (the spinner); called from the runner's task.
pub trait Progress: Send + Sync {
    /// `done` of `total` checks have finished, the last one being `id`.
    fn finished(&self, id: &str, done: usize, total: usize);
}

/// Run `specs` concurrently and return their reports in the order given.
pub async fn run_checks(
    ctx: Arc<ProbeContext>,
    specs: &[CheckSpec],
    progress: Option<&dyn Progress>,
) -> Vec<CheckReport> {
    let mut set = tokio::task::JoinSet::new();
    for (index, spec) in specs.iter().copied().enumerate() {
        let ctx = ctx.clone();
        set.spawn(async move {
            let budget = (spec.budget)(&ctx);
            let started = Instant::now();
            let mut task = tokio::spawn((spec.run)(ctx));
            let output = match tokio::time::timeout(budget, &mut task).await {
                Ok(Ok(output)) => output,
                Ok(Err(join)) => {
                    let why = if join.is_panic() {
                        panic_message(join.into_panic())
                    } else {
                        "cancelled".to_string()
                    };
                    CheckOutput::single(
                        Finding::new(
                            "probe.runner.crashed",
                            Status::Error,
                            format!("the {} check crashed: {why}", spec.id),
                        )
                        .with_fix("this is a bug in agora-doctor; please report it with `--json` output"),
                    )
                }
                Err(_) => {
                    task.abort();
                    CheckOutput::single(
                        Finding::new(
                            "probe.runner.timed_out",
                            Status::Error,
                            format!(
                                "the {} check did not finish within its {} ms budget",
                                spec.id,
                                budget.as_millis()
                            ),
                        )
                        .with_fix(format!(
                            "run `agora-doctor probe --only {}` again; if it keeps happening, something on the path hangs without failing",
                            spec.id
                        )),
                    )
                }
            };
            (index, CheckReport::new(&spec, output, started.elapsed(), budget))
        });
    }
    let total = specs.len();
    let mut reports: Vec<Option<CheckReport>> = vec![None; total];
    let mut done = 0;
    while let Some(joined) = set.join_next().await {
        // The wrapper task only awaits and builds a report; it cannot panic short of a bug.
        if let Ok((index, report)) = joined {
            done += 1;
            if let Some(p) = progress {
                p.finished(report.id, done, total);
            }
            reports[index] = Some(report);
        }
    }
    reports.into_iter().flatten().collect()
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}
