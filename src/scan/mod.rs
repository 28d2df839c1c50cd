//! `agora-doctor scan [DIR]`: read an app project the way a maintainer would, run nothing, and report
//! findings in the same shape as `probe`. The walk ([`walk`]) reads the files; configuration values
//! ([`config`]), dependencies ([`deps`]) and code patterns ([`patterns`], data in
//! `data/patterns.toml`) each turn them into findings; [`command`] is the only part that touches the
//! clock and stdout.
//!
//! Everything below [`scan`] is pure over the files read: tests build [`walk::SourceFile`]s directly.

pub mod bundler_env;
pub mod command;
pub mod comments;
pub mod config;
pub mod deps;
pub mod flow;
pub mod model;
pub mod patterns;
pub mod permissions;
pub mod scope;
pub mod serialized;
pub mod unity;
pub mod walk;

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::vocabulary::{outcome_of, Finding, Status, Tally};

/// The JSON schema id of a scan report (documented in the README, schema/scan.v3.json).
pub const SCHEMA: &str = "agora-doctor/scan/v3";

/// A place in the project: a file and, when known, a line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    /// File relative to the scanned folder.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}", self.file),
            None => write!(f, "{}", self.file),
        }
    }
}

/// One finding (one fact), with every place it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanFinding {
    /// The finding, in the shape every command uses.
    #[serde(flatten)]
    pub finding: Finding,
    /// The first place's file, when the finding is about one.
    pub file: Option<String>,
    /// The first place's line, when known.
    pub line: Option<usize>,
    /// Every place the fact occurs, in order.
    pub places: Vec<Place>,
    /// What makes two findings the same fact when their summaries differ (a token's or a
    /// certificate's value, hashed): never rendered.
    #[serde(skip)]
    pub fact: Option<u64>,
}

impl ScanFinding {
    /// A finding at one place.
    pub fn at(finding: Finding, file: &str, line: Option<usize>) -> Self {
        Self::at_places(
            finding,
            vec![Place {
                file: file.to_string(),
                line,
            }],
        )
    }

    /// A finding at these places (the first is its `file`/`line`).
    pub fn at_places(finding: Finding, places: Vec<Place>) -> Self {
        ScanFinding {
            finding,
            file: places.first().map(|p| p.file.clone()),
            line: places.first().and_then(|p| p.line),
            places,
            fact: None,
        }
    }

    /// The same finding, the same fact as every finding about `value` (hashed, never rendered).
    pub fn about(mut self, value: &str) -> Self {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        value.hash(&mut h);
        self.fact = Some(h.finish());
        self
    }
}

/// One finding per fact: findings with the same key and status and either the same summary or
/// the same value (the same token or certificate under other names in other files) are one, with
/// every place of each; then failures first, then errors, warnings, by key and first place.
pub fn merge_facts(findings: Vec<ScanFinding>) -> Vec<ScanFinding> {
    let mut merged: Vec<ScanFinding> = Vec::new();
    let mut index: std::collections::HashMap<(String, String, String), usize> =
        std::collections::HashMap::new();
    for f in findings {
        let k = (
            f.finding.key.clone(),
            f.finding.status.as_str().to_string(),
            match f.fact {
                Some(h) => format!("#{h:016x}"),
                None => f.finding.summary.clone(),
            },
        );
        match index.get(&k) {
            Some(&i) => {
                let into = &mut merged[i];
                for p in f.places {
                    if !into.places.contains(&p) {
                        into.places.push(p);
                    }
                }
            }
            None => {
                index.insert(k, merged.len());
                merged.push(f);
            }
        }
    }
    for f in &mut merged {
        f.places.sort();
        f.file = f.places.first().map(|p| p.file.clone());
        f.line = f.places.first().and_then(|p| p.line);
    }
    let rank = |s: Status| match s {
        Status::Fail => 0,
        Status::Error => 1,
        Status::Warn => 2,
        Status::Skip => 3,
        Status::Pass => 4,
    };
    merged.sort_by(|a, b| {
        (rank(a.finding.status), &a.finding.key, &a.places).cmp(&(
            rank(b.finding.status),
            &b.finding.key,
            &b.places,
        ))
    });
    merged
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
    /// Whether everything was read, nothing left out (`--all`).
    pub all: bool,
    /// `--include` patterns.
    pub include: Vec<String>,
    /// `--exclude` patterns.
    pub exclude: Vec<String>,
    /// Files seen in the walked folders.
    pub files_seen: usize,
    /// Files read and scanned.
    pub files_scanned: usize,
    /// The project model: apps, platforms, SDKs and where each was found, what was left out.
    pub model: model::Model,
    /// The Agora SDKs (and Electron) the project declares or has locked.
    pub dependencies: Vec<deps::Dependency>,
    /// Findings, one per fact with all its places: failures first.
    pub findings: Vec<ScanFinding>,
    /// Files not read, and why (binary, too large, unreadable, symlink loop).
    pub skipped: Vec<walk::SkipNote>,
    /// How many findings have each status.
    pub counts: Tally,
    /// The exit code this report leads to (0, 1).
    pub exit_code: u8,
}

/// What the scan found in a set of files, before the report is assembled.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Findings, one per fact.
    pub findings: Vec<ScanFinding>,
    /// The project model.
    pub model: model::Model,
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
    analyse_walked(
        &walk::Walked {
            files: files.to_vec(),
            ..Default::default()
        },
        now,
        threads,
    )
}

/// Analyse a walk: the model first, then every rule on the app code (its comments blanked).
pub fn analyse_walked(walked: &walk::Walked, now: u64, threads: usize) -> Analysis {
    let deps = deps::read(&walked.files);
    // Lock files are read for versions only: their integrity hashes are not tokens.
    // The sources of an Agora SDK copied into the project (Unity's C# SDK) are vendored code.
    let mut left_out = walked.left_out.clone();
    for f in &walked.files {
        if unity::is_sdk_source(&f.path, &f.text) {
            left_out.push(walk::LeftOut {
                reason: scope::Reason::Bundles,
                path: f.path.clone(),
                folder: false,
            });
        }
    }
    let code: Vec<walk::SourceFile> = par_flat_map(&walked.files, threads, |f| {
        if model::is_lock_file(&f.path) || unity::is_sdk_source(&f.path, &f.text) {
            return Vec::new();
        }
        vec![walk::SourceFile {
            path: f.path.clone(),
            text: comments::strip(&f.path, &f.text).into_owned(),
        }]
    });
    let built = model::build(
        &code,
        &walked.bundles,
        &left_out,
        &deps.inventory,
        &deps.manifests,
    );
    let mut built = built;
    // The lock files were not in `code`: count them for the model.
    built.model.lock_files = walked
        .files
        .iter()
        .filter(|f| model::is_lock_file(&f.path))
        .count();
    let server_roots: BTreeSet<String> = deps
        .manifests
        .iter()
        .filter(|m| m.is_server())
        .map(|m| m.dir.clone())
        .collect();
    let imports = flow::imports(&code);
    let related = flow::related(&imports);
    // A config module that a file using Agora imports holds Agora's values; so does any native or
    // Dart file of an app that uses an Agora SDK.
    let mentions = |t: &str| t.contains("agora") || t.contains("Agora") || t.contains("AGORA");
    let mut agora_files: BTreeSet<&str> = BTreeSet::new();
    for f in &code {
        if mentions(&f.text) {
            agora_files.insert(f.path.as_str());
            for to in imports.get(&f.path).into_iter().flatten() {
                agora_files.insert(to.as_str());
            }
        }
        let native = [".swift", ".m", ".mm", ".kt", ".java", ".dart"]
            .iter()
            .any(|e| f.path.ends_with(e));
        if native
            && built
                .app_of
                .get(&f.path)
                .is_some_and(|i| !built.model.apps[*i].sdks.is_empty())
        {
            agora_files.insert(f.path.as_str());
        }
    }
    // Code rules also read a file that imports a module using Agora (a component that takes its
    // client from a `settings.js` that creates it): its calls are the SDK's.
    let mut agora_code: BTreeSet<&str> = agora_files.clone();
    for f in &code {
        if imports
            .get(&f.path)
            .into_iter()
            .flatten()
            .any(|to| agora_files.contains(to.as_str()))
        {
            agora_code.insert(f.path.as_str());
        }
    }
    let code_refs: Vec<&walk::SourceFile> = code.iter().collect();
    let mut values: Vec<config::Value> = par_flat_map(&code_refs, threads, |f| {
        config::extract_in(f, agora_files.contains(f.path.as_str()))
    });
    // What a Unity scene gives the App ID fields of the scripts that use Agora.
    let fields = unity::app_id_fields(&code_refs);
    for f in code_refs
        .iter()
        .filter(|f| serialized::is_serialized(&f.path))
    {
        values.extend(unity::serialized_values(f, &fields));
    }
    let mut findings = config::findings(&values, &server_roots, &related, now);
    let mut secrets = config::certificate_values(&values);
    for (values, found) in par_flat_map(&code_refs, threads, |f| {
        vec![config::rest_secret_findings(f)]
    }) {
        secrets.extend(values);
        findings.extend(found);
    }
    findings.extend(deps.findings);
    let (pattern_findings, skipped_rules) =
        patterns::findings(&code_refs, threads, &built, &agora_code);
    findings.extend(pattern_findings);
    // Web SDK 4.x code: a web (or Electron) app's file whose generation is 4.x or not known.
    let web4 = |path: &str| {
        built
            .web_generation
            .get(path)
            .is_none_or(|g| *g == model::Generation::Web4)
            && built.app_of.get(path).is_none_or(|i| {
                matches!(
                    built.model.apps[*i].platform.as_str(),
                    "web" | "electron" | "unknown"
                )
            })
    };
    findings.extend(par_flat_map(&code_refs, threads, |f| {
        let mut out = flow::lifetime_findings(f);
        out.extend(flow::role_findings(f));
        if agora_code.contains(f.path.as_str()) {
            out.extend(flow::call_findings(
                f,
                built.web_generation.get(&f.path).copied(),
            ));
            if web4(&f.path) {
                out.extend(flow::ignored_join_failure_findings(f));
            }
        }
        out
    }));
    findings.extend(flow::audio_never_played(&code_refs, &web4));
    findings.extend(bundler_env::findings(
        &deps.manifests,
        &code_refs,
        &agora_code,
        &|p| config::is_server_side(p, &server_roots),
    ));
    findings.extend(permissions::findings(
        &code_refs,
        &built.model.apps,
        &built.app_of,
    ));
    findings.extend(built.findings);
    let mut model = built.model;
    model.skipped_rules = skipped_rules;
    Analysis {
        findings: merge_facts(findings),
        model,
        dependencies: deps.inventory,
        certificates: secrets,
    }
}

/// Options of one scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Read everything: nothing left out, `.gitignore` not honoured.
    pub all: bool,
    /// gitignore-style patterns read even when they would be left out.
    pub include: Vec<String>,
    /// gitignore-style patterns left out.
    pub exclude: Vec<String>,
    /// Counts files read, for a progress display.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
    /// Warnings count as failures.
    pub strict: bool,
    /// Threads for the walk.
    pub threads: usize,
}

/// Walk `root` and analyse it. The only I/O is reading files; the clock comes in as `now`.
pub fn scan(root: &Path, options: ScanOptions, now: u64) -> (ScanReport, Vec<String>) {
    let walked = walk::walk(
        root,
        &walk::WalkOptions {
            all: options.all,
            threads: options.threads,
            include: options.include.clone(),
            exclude: options.exclude.clone(),
            progress: options.progress.clone(),
        },
    );
    let analysis = analyse_walked(&walked, now, options.threads);
    let statuses = || analysis.findings.iter().map(|f| f.finding.status);
    let counts = Tally::of(statuses());
    let exit_code = outcome_of(statuses(), options.strict).code();
    let report = ScanReport {
        schema: SCHEMA,
        root: root.display().to_string(),
        now: agora_token_core::time::rfc3339(now),
        strict: options.strict,
        all: options.all,
        include: options.include,
        exclude: options.exclude,
        files_seen: walked.seen,
        files_scanned: walked.files.len(),
        model: analysis.model,
        dependencies: analysis.dependencies,
        findings: analysis.findings,
        skipped: walked.skipped,
        counts,
        exit_code,
    };
    (report, analysis.certificates)
}
