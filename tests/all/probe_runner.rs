//! The runner on its own: checks run concurrently, a panicking or overrunning check becomes `error`
//! while the others still finish, and reports come back in the declared order.

use std::sync::Arc;
use std::time::Duration;

use agora_doctor::inputs::Inputs;
use agora_doctor::probe::runner::CheckOutput;
use agora_doctor::probe::{run_checks, CheckSpec, ProbeContext, Profile};
use agora_doctor::vocabulary::{Finding, Status};

fn ctx() -> Arc<ProbeContext> {
    Arc::new(ProbeContext::new(
        Inputs::default(),
        Profile::simulated("runner test".into(), 1, 1),
        Vec::new(),
    ))
}

const SLOW: CheckSpec = CheckSpec {
    id: "slow",
    title: "finishes after 300 ms",
    inputs: "none",
    budget: |_| Duration::from_secs(5),
    run: |_| {
        Box::pin(async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            CheckOutput::single(Finding::new("probe.slow.ok", Status::Pass, "done"))
        })
    },
};

const PANICS: CheckSpec = CheckSpec {
    id: "panics",
    title: "panics",
    inputs: "none",
    budget: |_| Duration::from_secs(5),
    run: |_| Box::pin(async { panic!("boom in a check") }),
};

const HANGS: CheckSpec = CheckSpec {
    id: "hangs",
    title: "never finishes",
    inputs: "none",
    budget: |_| Duration::from_millis(200),
    run: |_| {
        Box::pin(async {
            std::future::pending::<()>().await;
            unreachable!()
        })
    },
};

const FAST: CheckSpec = CheckSpec {
    id: "fast",
    title: "finishes at once",
    inputs: "none",
    budget: |_| Duration::from_secs(5),
    run: |_| {
        Box::pin(async { CheckOutput::single(Finding::new("probe.fast.ok", Status::Pass, "done")) })
    },
};

fn run(specs: &[CheckSpec]) -> Vec<agora_doctor::probe::CheckReport> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(run_checks(ctx(), specs, None))
}

#[test]
fn panic_and_overrun_become_errors_and_the_rest_finish_in_order() {
    let reports = run(&[SLOW, PANICS, HANGS, FAST]);
    let ids: Vec<&str> = reports.iter().map(|r| r.id).collect();
    assert_eq!(ids, ["slow", "panics", "hangs", "fast"]);
    assert_eq!(
        (reports[0].status, reports[0].key.as_str()),
        (Status::Pass, "probe.slow.ok")
    );
    assert_eq!(
        (reports[1].status, reports[1].key.as_str()),
        (Status::Error, "probe.runner.crashed")
    );
    assert!(
        reports[1].summary.contains("boom in a check"),
        "{}",
        reports[1].summary
    );
    assert_eq!(
        (reports[2].status, reports[2].key.as_str()),
        (Status::Error, "probe.runner.timed_out")
    );
    assert!(reports[2].summary.contains("200 ms"));
    assert_eq!(
        (reports[3].status, reports[3].key.as_str()),
        (Status::Pass, "probe.fast.ok")
    );
}

#[test]
fn checks_run_concurrently_not_one_after_another() {
    // Four 300 ms checks: run one after another they would need 1.2 s, so the budget of 900 ms
    // each (counted from the common start) is only met when they overlap.
    const BOUNDED: CheckSpec = CheckSpec {
        budget: |_| Duration::from_millis(900),
        ..SLOW
    };
    let reports = run(&[BOUNDED, BOUNDED, BOUNDED, BOUNDED]);
    for r in &reports {
        assert_eq!(r.key, "probe.slow.ok", "{r:?}");
    }
}

#[test]
fn the_worst_detail_leads_and_the_first_of_equals_wins() {
    let details = vec![
        Finding::new("a.pass", Status::Pass, "fine"),
        Finding::new("b.warn", Status::Warn, "meh"),
        Finding::new("c.fail", Status::Fail, "first failure"),
        Finding::new("d.fail", Status::Fail, "second failure"),
    ];
    let out = CheckOutput::from_details(details, Finding::new("all.good", Status::Pass, "ok"));
    assert_eq!(out.headline.key, "c.fail");
    let out = CheckOutput::from_details(
        vec![Finding::new("a.pass", Status::Pass, "fine")],
        Finding::new("all.good", Status::Pass, "ok"),
    );
    assert_eq!(out.headline.key, "all.good");
}
