//! `agora-doctor scan [DIR]`: read an app project the way a maintainer would, run nothing, and report
//! findings in the same shape as `probe`. The walk ([`walk`]) reads the files; configuration values
//! ([`config`]), dependencies ([`deps`]) and code patterns ([`patterns`], data in
//! `data/patterns.toml`) each turn them into findings; [`command`] is the only part that touches the
//! clock and stdout.
//!
//! Everything below [`scan`] is pure over the files read: tests build [`walk::SourceFile`]s directly.

pub mod command;
pub mod config;
pub mod deps;
pub mod patterns;
pub mod walk;

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::probe::Counts;
use crate::report::{Finding, Status};

/// The JSON schema id of a scan report (documented in the README, schema/scan.v1.json).
pub const SCHEMA: &str = "agora-doctor/scan/v1";

/// One finding, with the file (and line) it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanFinding {
    /// The finding, in the shape every command uses.
    #[serde(flatten)]
    pub finding: Finding,
    /// File relative to the scanned folder, when the finding is about one.
    pub file: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

/// The result of one scan.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The folder scanned, as given.
    pub root: String,
    /// The time tokens were judged at (RFC 3339).
    pub now: String,
    /// Whether warnings count as failures.
    pub strict: bool,
    /// Whether dependency, build and VCS folders were walked too (`--all`).
    pub all: bool,
    /// Files seen in the walked folders.
    pub files_seen: usize,
    /// Files read and scanned.
    pub files_scanned: usize,
    /// The Agora SDKs (and Electron) the project declares or has locked.
    pub dependencies: Vec<deps::Dependency>,
    /// Findings: configuration, dependencies, code patterns, serving; sorted by file and line.
    pub findings: Vec<ScanFinding>,
    /// Files not read, and why (binary, too large, unreadable, symlink loop).
    pub skipped: Vec<walk::SkipNote>,
    /// How many findings have each status.
    pub counts: Counts,
    /// The exit code this report leads to (0, 1).
    pub exit_code: u8,
}

/// What the scan found in a set of files, before the report is assembled.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Findings, sorted.
    pub findings: Vec<ScanFinding>,
    /// SDK inventory.
    pub dependencies: Vec<deps::Dependency>,
    /// Every App Certificate value found, for redaction of the rendered output (never rendered).
    pub certificates: Vec<String>,
}

/// `f` over every item on up to `threads` threads, results in the items' order.
pub fn par_flat_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> Vec<R> + Sync,
) -> Vec<R> {
    let chunk = items.len().div_ceil(threads.max(1)).max(64);
    if items.len() <= chunk {
        return items.iter().flat_map(&f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().flat_map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Analyse files already read: pure, `now` in unix seconds, on up to `threads` threads.
pub fn analyse(files: &[walk::SourceFile], now: u64, threads: usize) -> Analysis {
    let deps = deps::read(files);
    let server_roots: BTreeSet<String> = deps
        .manifests
        .iter()
        .filter(|m| m.is_server())
        .map(|m| m.dir.clone())
        .collect();
    let values: Vec<config::Value> = par_flat_map(files, threads, config::extract);
    let mut findings = config::findings(&values, &server_roots, now);
    findings.extend(deps.findings);
    findings.extend(patterns::findings(files, threads));
    findings.sort_by(|a, b| {
        (
            a.file.as_deref().unwrap_or(""),
            a.line.unwrap_or(0),
            &a.finding.key,
        )
            .cmp(&(
                b.file.as_deref().unwrap_or(""),
                b.line.unwrap_or(0),
                &b.finding.key,
            ))
    });
    findings.dedup();
    Analysis {
        findings,
        dependencies: deps.inventory,
        certificates: config::certificate_values(&values),
    }
}

/// Options of one scan.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// Walk dependency, build and VCS folders too.
    pub all: bool,
    /// Warnings count as failures.
    pub strict: bool,
    /// Threads for the walk.
    pub threads: usize,
}

/// Walk `root` and analyse it. The only I/O is reading files; the clock comes in as `now`.
pub fn scan(root: &Path, options: ScanOptions, now: u64) -> (ScanReport, Vec<String>) {
    let walked = walk::walk(root, options.all, options.threads);
    let analysis = analyse(&walked.files, now, options.threads);
    let mut counts = Counts::default();
    for f in &analysis.findings {
        match f.finding.status {
            Status::Pass => counts.pass += 1,
            Status::Warn => counts.warn += 1,
            Status::Fail => counts.fail += 1,
            Status::Skip => counts.skip += 1,
            Status::Error => counts.error += 1,
        }
    }
    let exit_code =
        crate::report::outcome_of(analysis.findings.iter().map(|f| &f.finding), options.strict)
            .code();
    let report = ScanReport {
        schema: SCHEMA,
        root: root.display().to_string(),
        now: agora_token_core::time::rfc3339(now),
        strict: options.strict,
        all: options.all,
        files_seen: walked.seen,
        files_scanned: walked.files.len(),
        dependencies: analysis.dependencies,
        findings: analysis.findings,
        skipped: walked.skipped,
        counts,
        exit_code,
    };
    (report, analysis.certificates)
}
