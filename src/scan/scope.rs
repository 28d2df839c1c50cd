//! What is app code: the folders and files `scan` leaves out (installed dependencies, build output,
//! version control, CI configuration, documentation sites, tests and test fixtures, vendored or
//! minified bundles, generated files), decided from names alone so that what is left out is never
//! read, plus the two checks that need a file's first bytes (a minified bundle, a generated file).
//! Pure: the walk asks, this module answers.

use serde::Serialize;

/// Why a folder or file is not judged as the app's own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Installed packages (node_modules, Pods, …).
    Dependencies,
    /// What a build produced (dist, build, DerivedData, …).
    BuildOutput,
    /// Version control and editor folders (.git, .idea, …).
    Tooling,
    /// CI configuration (.github, .gitlab-ci.yml, …): templates with placeholders, not the app.
    Ci,
    /// A documentation site (docs/, or a folder with a site generator's files).
    Documentation,
    /// Tests and test fixtures (a library's generated fixtures hold tokens made to be wrong).
    Tests,
    /// A vendored or minified bundle (someone else's code, or the app's own built output).
    Bundles,
    /// Generated source (`*.g.dart`, `R.java`, files marked `@generated`).
    Generated,
    /// Matched by a `.gitignore`.
    Gitignored,
    /// Matched by `--exclude`.
    Excluded,
}

impl Reason {
    /// Every reason, in the order reports list them.
    pub const ALL: [Reason; 10] = [
        Reason::Dependencies,
        Reason::BuildOutput,
        Reason::Tooling,
        Reason::Ci,
        Reason::Documentation,
        Reason::Tests,
        Reason::Bundles,
        Reason::Generated,
        Reason::Gitignored,
        Reason::Excluded,
    ];

    /// How a report names it.
    pub fn label(self) -> &'static str {
        match self {
            Reason::Dependencies => "dependencies",
            Reason::BuildOutput => "build output",
            Reason::Tooling => "version control and editor folders",
            Reason::Ci => "CI configuration",
            Reason::Documentation => "documentation",
            Reason::Tests => "tests and test fixtures",
            Reason::Bundles => "vendored or minified bundles",
            Reason::Generated => "generated files",
            Reason::Gitignored => "ignored by .gitignore",
            Reason::Excluded => "excluded by --exclude",
        }
    }
}

/// Folder names of installed dependencies.
const DEPENDENCY_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "web_modules",
    "Pods",
    "Carthage",
    ".dart_tool",
    ".pub-cache",
    ".yarn",
    ".pnpm-store",
    "vendor",
    "vendors",
    "third_party",
    "third-party",
    "thirdparty",
    ".venv",
    "venv",
    "site-packages",
];
/// Folder names of build output.
const BUILD_DIRS: &[&str] = &[
    "dist",
    "build",
    "out",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".output",
    ".parcel-cache",
    ".cache",
    ".angular",
    ".turbo",
    ".vercel",
    ".netlify",
    "coverage",
    "target",
    "DerivedData",
    ".gradle",
    ".expo",
    ".build",
    "xcuserdata",
];
/// Version control and editor folders.
const TOOLING_DIRS: &[&str] = &[".git", ".hg", ".svn", ".idea", ".vscode", ".history"];
/// CI configuration folders.
const CI_DIRS: &[&str] = &[
    ".github",
    ".circleci",
    ".gitlab",
    ".buildkite",
    ".azure-pipelines",
];
/// CI configuration files.
const CI_FILES: &[&str] = &[
    ".gitlab-ci.yml",
    ".travis.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    "appveyor.yml",
    "codemagic.yaml",
    "cloudbuild.yaml",
    "Jenkinsfile",
    // Deployment templates: a one-click deploy's form, whose values are the user's to fill in.
    "heroku.yml",
    "render.yaml",
    ".goreleaser.yml",
];
/// Folder names of documentation.
const DOC_DIRS: &[&str] = &[
    "docs",
    "doc",
    "documentation",
    "website",
    "_site",
    "apidocs",
    "api-docs",
    "api_docs",
    "typedoc",
    "jsdoc",
    "javadoc",
    "dokka",
];
/// Files that mark a folder as a documentation site whatever its name (Docusaurus, MkDocs, mdBook,
/// Sphinx, VuePress/VitePress, Doxygen, TypeDoc and Javadoc output).
const DOC_SITE_MARKERS: &[&str] = &[
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "mkdocs.yml",
    "book.toml",
    "conf.py",
    ".vuepress",
    ".vitepress",
    "Doxyfile",
    "doxygen.css",
    "searchindex.js",
    "element-list",
    "package-list",
    "allclasses-index.html",
    ".typedoc",
];
/// Folder names of tests and fixtures.
const TEST_DIRS: &[&str] = &[
    "__tests__",
    "__mocks__",
    "__snapshots__",
    "__fixtures__",
    "fixtures",
    "fixture",
    "testdata",
    "test-data",
    "test",
    "tests",
    "spec",
    "specs",
    "e2e",
    "androidTest",
    "cypress",
    "playwright",
];
/// Folder names of generated code.
const GENERATED_DIRS: &[&str] = &["generated", "__generated__"];

/// Why a folder (not the scanned root) is left out, from its name, `None` when it is walked.
pub fn folder(name: &str) -> Option<Reason> {
    if DEPENDENCY_DIRS.contains(&name) {
        Some(Reason::Dependencies)
    } else if BUILD_DIRS.contains(&name) {
        Some(Reason::BuildOutput)
    } else if TOOLING_DIRS.contains(&name) {
        Some(Reason::Tooling)
    } else if CI_DIRS.contains(&name) {
        Some(Reason::Ci)
    } else if DOC_DIRS.contains(&name.to_ascii_lowercase().as_str()) {
        Some(Reason::Documentation)
    } else if TEST_DIRS.contains(&name)
        || name.ends_with("Tests") && name.len() > 5
        || name.ends_with("UITests")
    {
        Some(Reason::Tests)
    } else if GENERATED_DIRS.contains(&name) {
        Some(Reason::Generated)
    } else {
        None
    }
}

/// Whether the names in a folder say it is a documentation site.
pub fn is_doc_site<'a>(names: impl IntoIterator<Item = &'a str>) -> bool {
    let mut typedoc = (false, false);
    for n in names {
        if DOC_SITE_MARKERS.contains(&n) {
            return true;
        }
        // TypeDoc's HTML output: `assets/` beside `classes/` or `interfaces/` or `modules/`.
        match n {
            "assets" => typedoc.0 = true,
            "classes" | "interfaces" | "modules" | "enums" => typedoc.1 = true,
            _ => {}
        }
    }
    typedoc.0 && typedoc.1
}

/// File name endings of documentation sources (Markdown, MDX, reStructuredText, AsciiDoc, DITA).
const DOC_EXTENSIONS: &[&str] = &[
    "md", "mdx", "markdown", "rst", "adoc", "asciidoc", "dita", "ditamap",
];
/// Fewest documentation files that make a folder a documentation tree (a README and a few guides
/// beside an app do not).
pub const DOC_TREE_MIN_FILES: usize = 20;
/// Share of documentation files, in percent of documentation and source files together, from
/// which a folder is a documentation tree: its code files are the documents' examples.
pub const DOC_TREE_MIN_PERCENT: usize = 60;

/// Whether a file is a documentation source, by its name.
pub fn is_doc_file(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && DOC_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    })
}

/// Whether a folder holding `doc` documentation files and `code` source files (its whole subtree)
/// is a documentation tree rather than an app.
pub fn is_doc_tree(doc: usize, code: usize) -> bool {
    doc >= DOC_TREE_MIN_FILES && doc * 100 >= (doc + code) * DOC_TREE_MIN_PERCENT
}

/// Why a file is left out, from its name, `None` when it is read.
pub fn file(name: &str) -> Option<Reason> {
    let lower = name.to_ascii_lowercase();
    if CI_FILES.contains(&name) {
        return Some(Reason::Ci);
    }
    if is_test_file(name) {
        return Some(Reason::Tests);
    }
    if [
        ".g.dart",
        ".freezed.dart",
        ".gr.dart",
        ".pb.dart",
        ".pbgrpc.dart",
        ".d.ts",
        ".d.mts",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
        || lower.contains(".generated.")
        || lower.starts_with("generatedpluginregistrant")
        || name == "R.java"
        || name == "BuildConfig.java"
    {
        return Some(Reason::Generated);
    }
    if is_bundle_name(name) {
        return Some(Reason::Bundles);
    }
    None
}

fn is_test_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = lower.rsplit_once('.').map_or(lower.as_str(), |(s, _)| s);
    stem.ends_with(".test")
        || stem.ends_with(".spec")
        || stem.ends_with("_test")
        || name.rsplit_once('.').is_some_and(|(s, e)| {
            ["kt", "java", "swift", "m"].contains(&e)
                && (s.ends_with("Test") || s.ends_with("Tests"))
        })
}

/// A script file named as a bundle: `*.min.js`, `*.bundle.js`, `*-production.js`, or an Agora
/// SDK's distributed file (`AgoraRTC_N-4.20.0.js`, `AgoraRTCSDK-3.6.11.js`, `agora-rtm-sdk-1.5.1.js`).
pub fn is_bundle_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let script = [".js", ".mjs", ".cjs"].iter().any(|e| lower.ends_with(e));
    script
        && (lower.contains(".min.")
            || lower.contains(".bundle.")
            || lower.contains("-production.")
            || lower.starts_with("agorartc")
            || lower.starts_with("agora-rtm-sdk")
            || lower.starts_with("agora-rtc-sdk")
            || lower.starts_with("agorartm")
            || lower.starts_with("agora_web_sdk"))
}

/// Whether a script's first bytes are minified: a line over 1,000 characters in the first 8 KB, or
/// fewer than 4 line breaks in the first 8 KB of a longer file. Hand-written code is neither.
pub fn looks_minified(head: &str) -> bool {
    let head = &head[..floor_char(head, 8 * 1024)];
    if head.lines().any(|l| l.len() > 1000) {
        return true;
    }
    head.len() >= 8 * 1024 - 4 && bytecount::count(head.as_bytes(), b'\n') < 4
}

/// Whether a file's first lines say it was generated.
pub fn looks_generated(head: &str) -> bool {
    let head = &head[..floor_char(head, 600)];
    [
        "@generated",
        "DO NOT EDIT",
        "Code generated",
        "AUTO-GENERATED",
        "auto-generated",
        "Autogenerated",
    ]
    .iter()
    .any(|m| head.contains(m))
}

/// The largest char boundary at or below `at`.
pub fn floor_char(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_by_name() {
        assert_eq!(folder("node_modules"), Some(Reason::Dependencies));
        assert_eq!(folder("Pods"), Some(Reason::Dependencies));
        assert_eq!(folder("dist"), Some(Reason::BuildOutput));
        assert_eq!(folder("docs"), Some(Reason::Documentation));
        assert_eq!(folder("Docs"), Some(Reason::Documentation));
        assert_eq!(folder("__tests__"), Some(Reason::Tests));
        assert_eq!(folder("VoiceCallTests"), Some(Reason::Tests));
        assert_eq!(folder(".github"), Some(Reason::Ci));
        for app in [
            "src", "lib", "app", "ios", "android", "server", "example", "contest",
        ] {
            assert_eq!(folder(app), None, "{app}");
        }
    }

    #[test]
    fn files_by_name() {
        assert_eq!(file("AgoraRTC_N-4.20.0.js"), Some(Reason::Bundles));
        assert_eq!(file("jquery.min.js"), Some(Reason::Bundles));
        assert_eq!(file("main.g.dart"), Some(Reason::Generated));
        assert_eq!(file("index.d.ts"), Some(Reason::Generated));
        assert_eq!(file("join.test.ts"), Some(Reason::Tests));
        assert_eq!(file("TokenTests.swift"), Some(Reason::Tests));
        assert_eq!(file(".gitlab-ci.yml"), Some(Reason::Ci));
        for app in [
            "main.js",
            "agora.js",
            "KeyCenter.swift",
            "config.dart",
            "contest.js",
        ] {
            assert_eq!(file(app), None, "{app}");
        }
    }

    #[test]
    fn doc_sites_by_their_files() {
        assert!(is_doc_site(["index.html", "mkdocs.yml"]));
        assert!(is_doc_site(["assets", "classes", "index.html"]));
        assert!(!is_doc_site(["assets", "index.html", "main.js"]));
    }

    #[test]
    fn doc_trees_by_their_share_of_documents() {
        assert!(is_doc_file("guide.md") && is_doc_file("join.dita") && is_doc_file("API.MDX"));
        assert!(!is_doc_file("main.js") && !is_doc_file(".md") && !is_doc_file("README"));
        assert!(is_doc_tree(600, 150));
        assert!(!is_doc_tree(19, 0), "a README and a few guides");
        assert!(!is_doc_tree(30, 40), "an app with its guides");
    }

    #[test]
    fn minified_and_generated_heads() {
        assert!(looks_minified(&format!(
            "!function(e){{{}}}",
            "a;".repeat(800)
        )));
        assert!(!looks_minified("import x from 'y';\nconst a = 1;\n"));
        assert!(looks_generated("// GENERATED CODE - DO NOT EDIT BY HAND\n"));
        assert!(!looks_generated("const a = 1;\n"));
    }
}
