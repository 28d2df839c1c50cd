//! The project walk: which files `scan` reads, what it leaves out as not app code ([`scope`], the
//! `.gitignore` files, `--include`/`--exclude`) without entering or reading it, and the note for
//! every file it had to skip (binary, too large, unreadable, a symlink loop). Never fails on one
//! file; only an unreadable root is an error.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use std::collections::HashMap;
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};
use serde::Serialize;

use super::scope::{self, Reason};

/// Largest source file read. Hand-written config and code is far smaller; bigger files are bundles
/// or generated data, where a hit would point at someone else's code.
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;
/// Largest lock file read (a big app's package-lock.json runs to a few MB).
pub const MAX_LOCK_BYTES: u64 = 32 * 1024 * 1024;
/// Largest JSON file read as configuration (package.json, app.json, a config module's JSON): a
/// big app's package.json is a few KB; larger JSON is data.
pub const MAX_JSON_CONFIG_BYTES: u64 = 64 * 1024;
/// Largest Unity scene, prefab or asset read for the values the Inspector gives scripts' fields.
pub const MAX_UNITY_BYTES: u64 = 8 * 1024 * 1024;
/// Bytes looked at for a NUL to call a file binary (the heuristic git and ripgrep use).
const BINARY_SNIFF: usize = 8 * 1024;

/// File name endings `scan` reads; everything else (images, fonts, archives) is passed over silently.
const SOURCE_EXTENSIONS: &[&str] = &[
    "js",
    "jsx",
    "mjs",
    "cjs",
    "ts",
    "tsx",
    "vue",
    "svelte",
    "html",
    "htm",
    "json",
    "yaml",
    "yml",
    "dart",
    "kt",
    "kts",
    "java",
    "swift",
    "m",
    "mm",
    "h",
    "gradle",
    "properties",
    "xml",
    "plist",
    "toml",
    "env",
    "lock",
    "py",
    "go",
    "php",
    "rb",
    "cs",
    // Unity's JavaScript plugins (a WebGL bridge; the community WebGL SDK's marks its project).
    "jslib",
    "unity",
    "prefab",
    "asset",
];
/// Whole file names read whatever their extension.
const SOURCE_NAMES: &[&str] = &["Podfile", "Podfile.lock", "yarn.lock", "Gemfile"];
/// Bytes of a left-out bundle read to recognise an Agora SDK in it (its banner and version).
pub const BUNDLE_HEAD_BYTES: usize = 16 * 1024;
/// Lock files, allowed up to [`MAX_LOCK_BYTES`].
pub(crate) const LOCK_NAMES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "Podfile.lock",
    "pubspec.lock",
];

/// One file read for scanning.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the scanned root, `/`-separated.
    pub path: String,
    /// The contents (UTF-8; invalid bytes replaced).
    pub text: String,
}

/// A file as the rules' unit tests build it (one constructor for every scan module's tests).
#[cfg(test)]
pub(crate) fn test_file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.into(),
        text: text.into(),
    }
}

/// A file or folder that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkipNote {
    /// Path relative to the scanned root (or as reported by the walker).
    pub path: String,
    /// Why: `binary`, `too large`, `unreadable`, `symlink loop`, `not a regular file`.
    pub reason: String,
    /// Detail (size, OS error).
    pub detail: String,
}

/// A folder or file left out as not app code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeftOut {
    /// Why.
    pub reason: Reason,
    /// Path relative to the scanned root.
    pub path: String,
    /// A folder (never entered) rather than a file.
    pub folder: bool,
}

/// What the walk produced.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files read, sorted by path.
    pub files: Vec<SourceFile>,
    /// Files skipped with a note, sorted by path.
    pub skipped: Vec<SkipNote>,
    /// Files seen in walked folders (read or not).
    pub seen: usize,
    /// Folders and files left out as not app code, sorted.
    pub left_out: Vec<LeftOut>,
    /// The first [`BUNDLE_HEAD_BYTES`] of each left-out script bundle, to find an SDK's banner.
    pub bundles: Vec<SourceFile>,
}

/// What to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Read everything: nothing is left out, `.gitignore` is not honoured.
    pub all: bool,
    /// Threads.
    pub threads: usize,
    /// gitignore-style patterns read even when they would be left out.
    pub include: Vec<String>,
    /// gitignore-style patterns left out.
    pub exclude: Vec<String>,
    /// Counts files read, for a progress display (the walk never prints).
    pub progress: Option<Arc<std::sync::atomic::AtomicUsize>>,
}

/// XML is read where an app keeps settings in it: Android's resources and manifest. Other XML
/// (documentation sources, build descriptors, IDE files) holds nothing scan judges.
fn is_android_xml(rel: &str) -> bool {
    rel.starts_with("res/") || rel.contains("/res/") || rel.ends_with("AndroidManifest.xml")
}

/// Unity's scenes, prefabs and assets: read only inside a Unity project's `Assets/`.
fn is_unity_serialized_name(name: &str) -> bool {
    [".unity", ".prefab", ".asset"]
        .iter()
        .any(|e| name.ends_with(e))
}

/// Whether `scan` reads a file of this name.
pub fn is_source_name(name: &str) -> bool {
    if SOURCE_NAMES.contains(&name) || name == ".env" || name.starts_with(".env.") {
        return true;
    }
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && SOURCE_EXTENSIONS.contains(&ext))
}

fn limit_for(name: &str) -> u64 {
    if LOCK_NAMES.contains(&name) {
        MAX_LOCK_BYTES
    } else if [".unity", ".prefab", ".asset"]
        .iter()
        .any(|e| name.ends_with(e))
    {
        MAX_UNITY_BYTES
    } else {
        MAX_SOURCE_BYTES
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = rel.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

enum Read1 {
    File(SourceFile),
    Skip(SkipNote),
}

fn note(path: String, reason: &str, detail: impl Into<String>) -> Read1 {
    Read1::Skip(SkipNote {
        path,
        reason: reason.to_string(),
        detail: detail.into(),
    })
}

/// Read one file, or say why not. Opens the file itself (not its metadata first) so that a file
/// made unreadable between listing and reading is a note, not a crash.
fn read_one(root: &Path, path: &Path, name: &str) -> Read1 {
    let rel = relative(root, path);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return note(rel, "unreadable", e.to_string()),
    };
    if !meta.is_file() {
        // FIFOs, sockets, devices: reading could block forever.
        return note(rel, "not a regular file", "");
    }
    let limit = limit_for(name);
    if meta.len() > limit {
        return note(
            rel,
            "too large",
            format!("{} bytes (limit {limit})", meta.len()),
        );
    }
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return note(rel, "unreadable", e.to_string()),
    };
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Read at most one byte past the limit: a file that grew since its metadata is still bounded.
    if let Err(e) = (&mut file).take(limit + 1).read_to_end(&mut bytes) {
        return note(rel, "unreadable", e.to_string());
    }
    if bytes.len() as u64 > limit {
        return note(rel, "too large", format!("more than {limit} bytes"));
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]).is_some() {
        return note(
            rel,
            "binary",
            format!("{} bytes, NUL byte near the start", bytes.len()),
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Read1::File(SourceFile { path: rel, text })
}

/// Patterns given on the command line, matched like `.gitignore` lines from the scanned root.
fn patterns(root: &Path, lines: &[String]) -> Option<Gitignore> {
    if lines.is_empty() {
        return None;
    }
    let mut b = GitignoreBuilder::new(root);
    for l in lines {
        let _ = b.add_line(None, l);
    }
    b.build().ok()
}

/// `.gitignore` files met on the way, one per folder (loaded once).
#[derive(Default)]
struct Ignores {
    by_dir: Mutex<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
}

impl Ignores {
    fn of(&self, dir: &Path) -> Option<Arc<Gitignore>> {
        let mut map = self.by_dir.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(dir.to_path_buf())
            .or_insert_with(|| {
                let file = dir.join(".gitignore");
                file.is_file().then(|| Arc::new(Gitignore::new(&file).0))
            })
            .clone()
    }

    /// Whether `path` is ignored by the `.gitignore` of a folder between it and `root` (the
    /// deepest one that says anything decides, as git does).
    fn ignored(&self, root: &Path, path: &Path, is_dir: bool) -> bool {
        let mut dir = path.parent();
        while let Some(d) = dir {
            if let Some(gi) = self.of(d) {
                let m = gi.matched(path, is_dir);
                if m.is_ignore() {
                    return true;
                }
                if m.is_whitelist() {
                    return false;
                }
            }
            if d == root {
                break;
            }
            dir = d.parent();
        }
        false
    }
}

/// Whether an include pattern could match something inside the folder `rel`.
fn included_below(include: &[String], rel: &str) -> bool {
    include.iter().any(|p| {
        let p = p.trim_start_matches('/');
        p.starts_with(&format!("{rel}/")) || p.starts_with("**")
    })
}

/// `.env` files are read even when git ignores them: they hold the app's configuration, and are
/// ignored precisely because of what they hold.
fn is_env_file(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.")
}

/// Why the walker leaves out this entry (`None`: walk or read it).
fn left_out_reason(
    root: &Path,
    entry: &ignore::DirEntry,
    opts: &WalkOptions,
    include: Option<&Gitignore>,
    exclude: Option<&Gitignore>,
    ignores: &Ignores,
) -> Option<Reason> {
    if entry.depth() == 0 {
        return None;
    }
    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
    let path = entry.path();
    if exclude.is_some_and(|g| g.matched(path, is_dir).is_ignore()) {
        return Some(Reason::Excluded);
    }
    if opts.all {
        return None;
    }
    let rel = relative(root, path);
    if include.is_some_and(|g| g.matched(path, is_dir).is_ignore())
        || is_dir && included_below(&opts.include, &rel)
    {
        return None;
    }
    let name = entry.file_name().to_str().unwrap_or("");
    let by_name = if is_dir {
        scope::folder(name)
            // A folder named like documentation (`website/`) whose manifest depends on an Agora
            // SDK is an app.
            .filter(|r| *r != Reason::Documentation || !manifest_names_agora(path))
            .or_else(|| {
                let names: Vec<String> = std::fs::read_dir(path)
                    .map(|rd| {
                        rd.flatten()
                            .filter_map(|e| e.file_name().into_string().ok())
                            .collect()
                    })
                    .unwrap_or_default();
                scope::is_doc_site(names.iter().map(String::as_str))
                    .then_some(Reason::Documentation)
            })
    } else {
        scope::file(name)
    };
    if by_name.is_some() {
        return by_name;
    }
    if !(is_env_file(name)) && ignores.ignored(root, path, is_dir) {
        return Some(Reason::Gitignored);
    }
    None
}

/// A file the listing found to read (phase 1), read only if its folder is kept (phase 3).
struct Candidate {
    abs: PathBuf,
    rel: String,
    name: String,
}

/// What the listing found, before anything is read.
#[derive(Default)]
struct Listing {
    candidates: Vec<Candidate>,
    bundle_heads: Vec<(PathBuf, String)>,
    doc_dirs: Vec<String>,
}

/// Whether a folder's own app manifest (package.json, pubspec.yaml) declares an Agora SDK, in its first
/// [`BUNDLE_HEAD_BYTES`].
fn manifest_names_agora(dir: &Path) -> bool {
    ["package.json", "pubspec.yaml"].iter().any(|m| {
        File::open(dir.join(m)).is_ok_and(|f| {
            let mut bytes = Vec::new();
            f.take(BUNDLE_HEAD_BYTES as u64)
                .read_to_end(&mut bytes)
                .is_ok()
                && declares_agora_sdk(&String::from_utf8_lossy(&bytes))
        })
    })
}

/// Walk `root` (following symlinks, never into a loop) and read every source file of the app, on
/// the options' threads, in three steps: list the tree by names alone (what [`scope`] or a
/// `.gitignore` leaves out is not entered), leave out the folders whose files are documentation
/// ([`scope::is_doc_tree`]) without reading them, then read what is left. Only the first bytes of a
/// script bundle are read (for an SDK banner).
pub fn walk(root: &Path, opts: &WalkOptions) -> Walked {
    let listing = Mutex::new(Listing::default());
    let skipped = Mutex::new(Vec::new());
    let left_out = Mutex::new(Vec::new());
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let include = patterns(root, &opts.include);
    let exclude = patterns(root, &opts.exclude);
    let ignores = Ignores::default();
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(false)
        .hidden(false)
        .follow_links(true)
        .threads(opts.threads.max(1));
    let root_buf: PathBuf = root.to_path_buf();
    {
        let ctx = (
            &root_buf, opts, &include, &exclude, &ignores, &listing, &skipped, &left_out, &seen,
        );
        builder.build_parallel().run(|| {
            let (root, opts, include, exclude, ignores, listing, skipped, left_out, seen) = ctx;
            // Each thread gathers its own listing and hands it over once, when it ends.
            let mut mine = ThreadListing {
                into: listing,
                own: Listing::default(),
            };
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        push(skipped, walk_error_note(root, &err));
                        return WalkState::Continue;
                    }
                };
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let name = entry.file_name().to_str().unwrap_or("");
                if let Some(reason) = left_out_reason(
                    root,
                    &entry,
                    opts,
                    include.as_ref(),
                    exclude.as_ref(),
                    ignores,
                ) {
                    if !is_dir && reason == Reason::Bundles {
                        mine.own
                            .bundle_heads
                            .push((entry.path().to_path_buf(), relative(root, entry.path())));
                    }
                    if is_dir || is_source_name(name) {
                        push(
                            left_out,
                            LeftOut {
                                reason,
                                path: relative(root, entry.path()),
                                folder: is_dir,
                            },
                        );
                    }
                    return if is_dir {
                        WalkState::Skip
                    } else {
                        WalkState::Continue
                    };
                }
                if is_dir {
                    return WalkState::Continue;
                }
                seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let rel = relative(root, entry.path());
                if scope::is_doc_file(name) {
                    mine.own.doc_dirs.push(parent_of(&rel).to_string());
                } else if is_source_name(name)
                    && (!name.ends_with(".xml") || is_android_xml(&rel))
                    && (!is_unity_serialized_name(name) || super::serialized::is_serialized(&rel))
                {
                    mine.own.candidates.push(Candidate {
                        abs: entry.path().to_path_buf(),
                        rel,
                        name: name.to_string(),
                    });
                }
                WalkState::Continue
            })
        });
    }
    let listing = listing.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut left_out = left_out.into_inner().unwrap_or_else(|p| p.into_inner());
    let docs = if opts.all {
        Vec::new()
    } else {
        doc_trees(root, &listing, opts)
    };
    let in_docs = |rel: &str| docs.iter().any(|d| d.is_empty() || under(rel, d));
    for d in &docs {
        left_out.push(LeftOut {
            reason: Reason::Documentation,
            path: if d.is_empty() {
                ".".to_string()
            } else {
                d.clone()
            },
            folder: true,
        });
    }
    let left_out = Mutex::new(left_out);
    let files = Mutex::new(Vec::new());
    let bundles = Mutex::new(Vec::new());
    let kept: Vec<&Candidate> = listing
        .candidates
        .iter()
        .filter(|c| !in_docs(&c.rel))
        .collect();
    let heads: Vec<&(PathBuf, String)> = listing
        .bundle_heads
        .iter()
        .filter(|(_, rel)| !in_docs(rel))
        .collect();
    std::thread::scope(|s| {
        let threads = opts.threads.max(1);
        let chunk = kept.len().div_ceil(threads).max(1);
        for part in kept.chunks(chunk) {
            let (files, skipped, left_out, bundles) = (&files, &skipped, &left_out, &bundles);
            s.spawn(move || {
                for c in part {
                    if let Some(p) = &opts.progress {
                        p.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    read_candidate(root, c, opts, files, skipped, left_out, bundles);
                }
            });
        }
        for (abs, _) in heads {
            if let Some(head) = read_head(root, abs) {
                push(&bundles, head);
            }
        }
    });
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut skipped = skipped.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut left_out = left_out.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut bundles = bundles.into_inner().unwrap_or_else(|p| p.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    skipped.sort_by(|a, b| a.path.cmp(&b.path).then(a.reason.cmp(&b.reason)));
    skipped.dedup();
    left_out.sort();
    left_out.dedup();
    bundles.sort_by(|a, b| a.path.cmp(&b.path));
    Walked {
        files,
        skipped,
        seen: seen.into_inner(),
        left_out,
        bundles,
    }
}

/// A walker thread's own listing, merged into the shared one when the thread ends.
struct ThreadListing<'a> {
    into: &'a Mutex<Listing>,
    own: Listing,
}

impl Drop for ThreadListing<'_> {
    fn drop(&mut self) {
        let mut all = self.into.lock().unwrap_or_else(|p| p.into_inner());
        let own = std::mem::take(&mut self.own);
        all.candidates.extend(own.candidates);
        all.bundle_heads.extend(own.bundle_heads);
        all.doc_dirs.extend(own.doc_dirs);
    }
}

/// The folder part of a relative path (`""` for the root).
fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Whether `rel` is inside the folder `dir` (relative, non-empty).
fn under(rel: &str, dir: &str) -> bool {
    rel.len() > dir.len() && rel.starts_with(dir) && rel.as_bytes()[dir.len()] == b'/'
}

/// The topmost folders (relative; `""` is the root) whose files are documentation: counted from
/// the listing, each folder's whole subtree, outermost first. A folder whose own files include an
/// app manifest or code that names Agora is an app, not documentation (its subfolders are still
/// judged). `--include` keeps a folder it names.
fn doc_trees(root: &Path, listing: &Listing, opts: &WalkOptions) -> Vec<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    fn add<'a>(counts: &mut HashMap<&'a str, (usize, usize)>, rel_dir: &'a str, doc: bool) {
        let mut d = rel_dir;
        loop {
            let e = counts.entry(d).or_default();
            if doc {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
            if d.is_empty() {
                break;
            }
            d = parent_of(d);
        }
    }
    for d in &listing.doc_dirs {
        add(&mut counts, d, true);
    }
    // Data and settings files (JSON, YAML, TOML) are neither documents nor code: a site has them
    // beside its pages as an app has them beside its code.
    let data = |name: &str| {
        [".json", ".yaml", ".yml", ".toml"]
            .iter()
            .any(|e| name.ends_with(e))
    };
    for c in &listing.candidates {
        if !LOCK_NAMES.contains(&c.name.as_str()) && !data(&c.name) {
            add(&mut counts, parent_of(&c.rel), false);
        }
    }
    let mut dirs: Vec<(&str, usize, usize)> = counts
        .iter()
        .filter(|(_, (doc, code))| scope::is_doc_tree(*doc, *code))
        .map(|(d, (doc, code))| (*d, *doc, *code))
        .collect();
    // Outermost first: a folder inside one already left out is not looked at.
    dirs.sort_by_key(|(d, _, _)| (d.matches('/').count() + usize::from(!d.is_empty()), *d));
    // The most documents any one subfolder of each folder holds: a folder whose documents are
    // nearly all in one subfolder (an app beside its `guide/`) is not itself documentation; the
    // subfolder is judged instead.
    let mut max_child: HashMap<&str, usize> = HashMap::new();
    for (k, (doc, _)) in &counts {
        if !k.is_empty() {
            let m = max_child.entry(parent_of(k)).or_default();
            *m = (*m).max(*doc);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for (d, doc, _) in dirs {
        if out.iter().any(|o| o.is_empty() || under(d, o)) {
            continue;
        }
        if max_child.get(d).is_some_and(|m| m * 10 >= doc * 9) {
            continue;
        }
        if included_below(&opts.include, d) || (d.is_empty() && !opts.include.is_empty()) {
            continue;
        }
        if names_agora_itself(root, listing, d) {
            continue;
        }
        out.push(d.to_string());
    }
    out
}

/// Whether a folder's own app manifest (package.json, pubspec.yaml, Gradle, Podfile, Package.swift)
/// declares an Agora SDK, read up to [`BUNDLE_HEAD_BYTES`] each. Documentation about Agora names it on every
/// page; only a manifest says the folder is an app that uses it.
fn names_agora_itself(root: &Path, listing: &Listing, dir: &str) -> bool {
    const MANIFESTS: &[&str] = &[
        "package.json",
        "pubspec.yaml",
        "build.gradle",
        "build.gradle.kts",
        "Podfile",
        "Package.swift",
    ];
    listing
        .candidates
        .iter()
        .filter(|c| parent_of(&c.rel) == dir && MANIFESTS.contains(&c.name.as_str()))
        .any(|c| read_head(root, &c.abs).is_some_and(|h| declares_agora_sdk(&h.text)))
}

/// Whether a manifest's text declares an Agora SDK (a dependency's name, not the word: a docs
/// project may be named after Agora).
fn declares_agora_sdk(manifest: &str) -> bool {
    const SDK_NAMES: &[&str] = &[
        "agora-rtc-sdk",
        "agora-rtc-react",
        "agora-rtm",
        "agora-electron-sdk",
        "react-native-agora",
        "agora-react-native-rtm",
        "agora_rtc_engine",
        "agora_rtc_ng",
        "agora_rtm",
        "agora-chat",
        "agora_chat_sdk",
        "agora-token",
        "agora-access-token",
        "io.agora",
        "AgoraRtcEngine",
        "AgoraRtcKit",
        "AgoraAudio",
        "AgoraRtm",
        "AgoraChat",
    ];
    SDK_NAMES.iter().any(|n| manifest.contains(n))
}

/// Read one listed file into `files`, or note why not; a minified script or a generated file is
/// left out (its head kept when it is a bundle).
fn read_candidate(
    root: &Path,
    c: &Candidate,
    opts: &WalkOptions,
    files: &Mutex<Vec<SourceFile>>,
    skipped: &Mutex<Vec<SkipNote>>,
    left_out: &Mutex<Vec<LeftOut>>,
    bundles: &Mutex<Vec<SourceFile>>,
) {
    let name = c.name.as_str();
    let script = [".js", ".mjs", ".cjs"].iter().any(|e| name.ends_with(e));
    // JSON beyond a hand-written config's size is data (translations, API dumps, search indexes):
    // passed over unread, like an image.
    if name.ends_with(".json")
        && !LOCK_NAMES.contains(&name)
        && !opts.all
        && std::fs::metadata(&c.abs).is_ok_and(|m| m.len() > MAX_JSON_CONFIG_BYTES)
    {
        return;
    }
    match read_one(root, &c.abs, name) {
        Read1::File(f) => {
            let reason = if opts.all {
                None
            } else if script && scope::looks_minified(&f.text) {
                Some(Reason::Bundles)
            } else if !LOCK_NAMES.contains(&name) && scope::looks_generated(&f.text) {
                Some(Reason::Generated)
            } else {
                None
            };
            match reason {
                Some(reason) => {
                    if reason == Reason::Bundles {
                        let cut = scope::floor_char(&f.text, BUNDLE_HEAD_BYTES);
                        push(
                            bundles,
                            SourceFile {
                                path: f.path.clone(),
                                text: f.text[..cut].to_string(),
                            },
                        );
                    }
                    push(
                        left_out,
                        LeftOut {
                            reason,
                            path: f.path,
                            folder: false,
                        },
                    );
                }
                None => push(files, f),
            }
        }
        Read1::Skip(n) => {
            // A script too large to read is a bundle: its head may name an SDK.
            if script && n.reason == "too large" && !opts.all {
                if let Some(head) = read_head(root, &c.abs) {
                    push(bundles, head);
                }
                push(
                    left_out,
                    LeftOut {
                        reason: Reason::Bundles,
                        path: n.path,
                        folder: false,
                    },
                );
            } else {
                push(skipped, n)
            }
        }
    }
}

/// The first [`BUNDLE_HEAD_BYTES`] of a file (`None` when it cannot be read).
fn read_head(root: &Path, path: &Path) -> Option<SourceFile> {
    let file = File::open(path).ok()?;
    let mut bytes = Vec::with_capacity(BUNDLE_HEAD_BYTES);
    file.take(BUNDLE_HEAD_BYTES as u64)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(SourceFile {
        path: relative(root, path),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

fn push<T>(list: &Mutex<Vec<T>>, item: T) {
    list.lock().unwrap_or_else(|p| p.into_inner()).push(item);
}

/// The note for a walker error: a symlink loop, or a folder/link that cannot be read.
fn walk_error_note(root: &Path, err: &ignore::Error) -> SkipNote {
    fn find(root: &Path, err: &ignore::Error) -> Option<SkipNote> {
        match err {
            ignore::Error::Loop { child, .. } => Some(SkipNote {
                path: relative(root, child),
                reason: "symlink loop".to_string(),
                detail: "the link leads back to a folder already being walked".to_string(),
            }),
            ignore::Error::WithPath { path, err } => find(root, err).or_else(|| {
                Some(SkipNote {
                    path: relative(root, path),
                    reason: "unreadable".to_string(),
                    detail: err.to_string(),
                })
            }),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                find(root, err)
            }
            _ => None,
        }
    }
    find(root, err).unwrap_or_else(|| SkipNote {
        path: "?".to_string(),
        reason: "unreadable".to_string(),
        detail: err.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_names() {
        for yes in [
            "main.js",
            ".env",
            ".env.local",
            "pubspec.yaml",
            "Podfile",
            "build.gradle",
            "strings.xml",
            "Config.swift",
            "package-lock.json",
            "yarn.lock",
        ] {
            assert!(is_source_name(yes), "{yes}");
        }
        for no in ["logo.png", "font.woff2", "README", "archive.zip", ".js"] {
            assert!(!is_source_name(no), "{no}");
        }
    }
}
