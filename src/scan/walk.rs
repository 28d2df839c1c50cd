//! The project walk: which files `scan` reads, and the note for every file it had to skip (binary,
//! too large, unreadable, a symlink loop). Never fails on one file; only an unreadable root is an error.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};
use serde::Serialize;

/// Folders not walked unless `--all` is given: installed dependencies, build output and version
/// control. Their contents are not the app's own code (a dependency's sources would be reported as
/// the app's) and they hold most of a project's files.
pub const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "dist",
    "build",
    "out",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".output",
    ".parcel-cache",
    ".cache",
    "coverage",
    "target",
    "Pods",
    "DerivedData",
    ".dart_tool",
    ".gradle",
    ".idea",
    ".expo",
    ".git",
    ".hg",
    ".svn",
];

/// Largest source file read. Hand-written config and code is far smaller; bigger files are bundles
/// or generated data, where a hit would point at someone else's code.
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;
/// Largest lock file read (a big app's package-lock.json runs to a few MB).
pub const MAX_LOCK_BYTES: u64 = 32 * 1024 * 1024;
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
];
/// Whole file names read whatever their extension.
const SOURCE_NAMES: &[&str] = &["Podfile", "Podfile.lock", "yarn.lock", "Gemfile"];
/// Lock files, allowed up to [`MAX_LOCK_BYTES`].
const LOCK_NAMES: &[&str] = &[
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

/// What the walk produced.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files read, sorted by path.
    pub files: Vec<SourceFile>,
    /// Files skipped with a note, sorted by path.
    pub skipped: Vec<SkipNote>,
    /// Files seen in walked folders (read or not).
    pub seen: usize,
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

/// Walk `root` (following symlinks, never into a loop) and read every source file, on `threads`
/// threads. `all` also walks [`SKIPPED_DIRS`].
pub fn walk(root: &Path, all: bool, threads: usize) -> Walked {
    let files = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(false)
        .hidden(false)
        .follow_links(true)
        .threads(threads.max(1));
    if !all {
        builder.filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.depth() > 0
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIPPED_DIRS.contains(&n)))
        });
    }
    let root_buf: PathBuf = root.to_path_buf();
    builder.build_parallel().run(|| {
        let files = &files;
        let skipped = &skipped;
        let seen = &seen;
        let root = root_buf.clone();
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    push(skipped, walk_error_note(&root, &err));
                    return WalkState::Continue;
                }
            };
            if entry.file_type().is_some_and(|t| t.is_dir()) {
                return WalkState::Continue;
            }
            seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(name) = entry.file_name().to_str() else {
                return WalkState::Continue;
            };
            if !is_source_name(name) {
                return WalkState::Continue;
            }
            match read_one(&root, entry.path(), name) {
                Read1::File(f) => push(files, f),
                Read1::Skip(n) => push(skipped, n),
            }
            WalkState::Continue
        })
    });
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut skipped = skipped.into_inner().unwrap_or_else(|p| p.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    skipped.sort_by(|a, b| a.path.cmp(&b.path).then(a.reason.cmp(&b.reason)));
    skipped.dedup();
    Walked {
        files,
        skipped,
        seen: seen.into_inner(),
    }
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
