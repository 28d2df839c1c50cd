//! Benchmark: the whole `probe --sim` run's wall time against its slowest single check. The checks
//! run concurrently, so the whole run should cost the slowest check plus a little runner overhead
//! (goal: at most 1.2×). Prints one line per round and the median/max ratio; run it with
//! `cargo bench --bench probe_wall`.

use std::time::Instant;

use agora_doctor::cli::ProbeArgs;
use agora_doctor::env::Env;
use agora_doctor::probe::command::execute;

/// Rounds measured (each starts its own simulated edge, like `probe --sim` does).
const ROUNDS: usize = 15;

fn main() {
    let output = Env::fixed(&[], "");
    let args = ProbeArgs {
        sim: true,
        // Exactly what a newcomer runs first: every check, endpoints on the simulated edge.
        ..ProbeArgs::default()
    };
    let mut ratios = Vec::new();
    let mut process_ratios = Vec::new();
    println!("round  whole-run wall   slowest check (id)          ratio  (incl. sim start-up)");
    for round in 1..=ROUNDS {
        let started = Instant::now();
        let report = execute(&args, &output).expect("probe --sim runs");
        let whole_with_startup = started.elapsed().as_secs_f64() * 1000.0;
        let slowest = report
            .checks
            .iter()
            .max_by_key(|c| c.duration_ms)
            .expect("at least one check");
        let wall = report.wall_ms as f64;
        let slow = (slowest.duration_ms as f64).max(1.0);
        let ratio = wall / slow;
        let process_ratio = whole_with_startup / slow;
        ratios.push(ratio);
        process_ratios.push(process_ratio);
        println!(
            "{round:>5}  {wall:>10.0} ms   {:>6} ms ({:<16})  {ratio:>5.3}  ({process_ratio:.3}, {whole_with_startup:.0} ms)",
            slowest.duration_ms, slowest.id
        );
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        (v[v.len() / 2], v[v.len() - 1])
    };
    let (median, max) = stats(&mut ratios);
    let (p_median, p_max) = stats(&mut process_ratios);
    println!("whole run / slowest check: median {median:.3}, max {max:.3} (goal ≤ 1.2)");
    println!("including the simulated edge's start-up: median {p_median:.3}, max {p_max:.3}");
}
