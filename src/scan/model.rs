//! The project model `scan` builds before judging anything: the apps in the tree (a monorepo holds
//! several), each one's platform, the Agora products and SDK versions it uses and where each was
//! found (manifests, lock files, Podfile/Gradle/pubspec, `<script>` tags, CDN URLs, the banner of a
//! vendored bundle, imports), the SDK generation each file's code is written for, and what was left
//! out as not app code. Rules consult it: a Web SDK 4.x rule is not applied to 3.x code, which gets
//! the retirement finding instead. Pure over the walk's output.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use super::config::line_of;
use super::deps::{version_of, Dependency, Manifest};
use super::scope::Reason;
use super::walk::{LeftOut, SourceFile};
use super::{Place, ScanFinding};
use crate::vocabulary::{Finding, Status};

/// Agora's retirement of the Web SDK before 4.0.0 (2.9.x and 3.x): no fixes or security patches
/// since 10 July 2023.
pub const WEB_RETIREMENT: &str =
    "https://docs.agora.io/en/3.x/voice-calling/introduction/service-sunset-plans";
/// Agora's sunset plan for Video/Voice SDK 3.x on native platforms and the frameworks built on it:
/// unsupported since 31 December 2024.
pub const NATIVE_RETIREMENT: &str =
    "https://docs.agora.io/en/3.x/voice-calling/introduction/sdk-sunset-plan";

/// An Agora product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Product {
    /// Video/Voice calling (RTC).
    Rtc,
    /// Signaling (RTM).
    Rtm,
    /// Chat.
    Chat,
    /// A token builder (server side).
    TokenBuilder,
}

impl Product {
    /// How a report names it.
    pub fn label(self) -> &'static str {
        match self {
            Product::Rtc => "Video/Voice (RTC)",
            Product::Rtm => "Signaling (RTM)",
            Product::Chat => "Chat",
            Product::TokenBuilder => "token builder",
        }
    }
}

/// The SDK generation code is written for: the API a rule may assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Generation {
    /// Web SDK 2.x (`agora-rtc-sdk`, `AgoraRTCSDK-2.x.js`): retired.
    Web2,
    /// Web SDK 3.x (`agora-rtc-sdk`, `AgoraRTCSDK-3.x.js`): retired.
    Web3,
    /// Web SDK 4.x (`agora-rtc-sdk-ng`, `AgoraRTC_N-4.x.js`).
    Web4,
    /// A 0.x pre-release of a Web package: not judged by 4.x rules.
    WebBeta,
    /// Native SDK (or a framework on it) 2.x or 3.x: retired.
    Native3,
    /// Native SDK 4.x (or a framework on it).
    Native4,
    /// Signaling 1.x.
    Rtm1,
    /// Signaling 2.x.
    Rtm2,
    /// Not known (no version found).
    Unknown,
}

impl Generation {
    /// How a report names it.
    pub fn label(self) -> &'static str {
        match self {
            Generation::Web2 => "Web SDK 2.x",
            Generation::Web3 => "Web SDK 3.x",
            Generation::Web4 => "Web SDK 4.x",
            Generation::WebBeta => "a 0.x pre-release",
            Generation::Native3 => "native SDK 3.x",
            Generation::Native4 => "native SDK 4.x",
            Generation::Rtm1 => "Signaling 1.x",
            Generation::Rtm2 => "Signaling 2.x",
            Generation::Unknown => "version not found",
        }
    }

    /// Whether Agora has retired it.
    pub fn retired(self) -> bool {
        matches!(
            self,
            Generation::Web2 | Generation::Web3 | Generation::Native3
        )
    }
}

/// Where an SDK was found, and how.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Found {
    /// File, relative to the scanned root.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// `declared`, `locked`, `script tag`, `CDN URL`, `bundle banner`, `import`.
    pub how: String,
    /// The version this place states, or "".
    pub version: String,
}

/// One SDK an app uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SdkUse {
    /// The product.
    pub product: Product,
    /// Package, pod, Maven coordinate or distributed file family (`agora-rtc-sdk-ng`).
    pub package: String,
    /// The version judged by: locked, else declared, else a script/bundle's; "" when none.
    pub version: String,
    /// The generation that version belongs to.
    pub generation: Generation,
    /// Whether that generation is retired.
    pub retired: bool,
    /// Every place it was found.
    pub found: Vec<Found>,
}

/// One app in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct App {
    /// Its folder, relative to the scanned root ("." for the root).
    pub root: String,
    /// `web`, `react-native`, `electron`, `flutter`, `ios`, `android`, `server`, `unity` or `unknown`.
    pub platform: String,
    /// The Agora products it uses.
    pub products: Vec<Product>,
    /// The SDKs it uses.
    pub sdks: Vec<SdkUse>,
    /// Files of app code read in it.
    pub files: usize,
}

/// One kind of left-out content, with counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOutGroup {
    /// Why it was left out.
    pub reason: Reason,
    /// How a report names the reason.
    pub label: String,
    /// Folders not entered.
    pub folders: usize,
    /// Files not read (outside those folders).
    pub files: usize,
    /// Up to five of the paths.
    pub examples: Vec<String>,
}

/// A rule not applied to some code, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SkippedRule {
    /// The rule's key.
    pub key: String,
    /// What it needs (`Web SDK 4.x`).
    pub needs: String,
    /// The app whose code it was not applied to.
    pub app: String,
    /// What that code is written for.
    pub code_is: String,
}

/// The whole model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Model {
    /// The apps, by folder.
    pub apps: Vec<App>,
    /// What was left out as not app code.
    pub left_out: Vec<LeftOutGroup>,
    /// Lock files read for SDK versions only (their hashes are never judged).
    pub lock_files: usize,
    /// Rules not applied to code of another SDK generation.
    pub skipped_rules: Vec<SkippedRule>,
}

/// Lock files: read for versions, never as code.
pub fn is_lock_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    // The walk's lock files, and other ecosystems' (Gemfile.lock, composer.lock and Cargo.lock
    // among every `*.lock`).
    super::walk::LOCK_NAMES.contains(&name)
        || ["Package.resolved", "gradle.lockfile"].contains(&name)
        || name.ends_with(".lock")
}

/// (product, generation) of a package at a version.
pub fn classify_package(package: &str, version: &str) -> Option<(Product, Generation)> {
    // A workspace's own package (yarn's `0.0.0-use.local`, `workspace:`, `link:`, `file:`) is the
    // source in the tree, not a release: its version says nothing about a generation.
    let local = version.contains("use.local")
        || ["workspace:", "link:", "file:", "portal:"]
            .iter()
            .any(|p| version.starts_with(p));
    let major = version_of(version).map(|v| v.0).filter(|_| !local);
    let native = |m: Option<u32>| match m {
        Some(0..=3) => Generation::Native3,
        Some(_) => Generation::Native4,
        None => Generation::Unknown,
    };
    let rtm = |m: Option<u32>| match m {
        Some(0 | 1) => Generation::Rtm1,
        Some(_) => Generation::Rtm2,
        None => Generation::Unknown,
    };
    let p = package;
    Some(match p {
        "agora-rtc-sdk-ng" | "agora-rtc-react" => (
            Product::Rtc,
            match major {
                Some(0) => Generation::WebBeta,
                Some(_) => Generation::Web4,
                None => Generation::Unknown,
            },
        ),
        "agora-rtc-sdk" => (
            Product::Rtc,
            match major {
                Some(0..=2) => Generation::Web2,
                Some(_) => Generation::Web3,
                None => Generation::Unknown,
            },
        ),
        "agora-rtm-sdk" | "agora-rtm" | "agora-react-native-rtm" | "agora_rtm" => {
            (Product::Rtm, rtm(major))
        }
        "react-native-agora" | "agora-electron-sdk" => (Product::Rtc, native(major)),
        // Flutter: agora_rtc_engine 6.x is built on native 4.x; 5.x and earlier on 3.x (the 4.x
        // previews were the separate agora_rtc_ng package).
        "agora_rtc_engine" => (
            Product::Rtc,
            match major {
                Some(0..=5) => Generation::Native3,
                Some(_) => Generation::Native4,
                None => Generation::Unknown,
            },
        ),
        "agora_rtc_ng" => (Product::Rtc, Generation::Native4),
        // Unity: the 3.x SDK's namespace and the 4.x one.
        "agora_gaming_rtc" => (Product::Rtc, Generation::Native3),
        "Agora.Rtc" => (Product::Rtc, Generation::Native4),
        // The community WebGL SDK for Unity: the 3.x namespace over Web SDK 4.x in the browser.
        super::unity::WEBGL_PACKAGE => (Product::Rtc, Generation::Web4),
        "agora-chat" | "agora-chat-sdk" | "agora_chat_sdk" | "agora-chat-uikit" => {
            (Product::Chat, Generation::Unknown)
        }
        "agora-token" | "agora-access-token" => (Product::TokenBuilder, Generation::Unknown),
        _ if p.starts_with("AgoraRtm") || p.starts_with("ShengwangRtm") => {
            (Product::Rtm, rtm(major))
        }
        _ if p.starts_with("io.agora.rtm:") || p.starts_with("io.agora:agora-rtm") => {
            (Product::Rtm, rtm(major))
        }
        _ if p.starts_with("AgoraChat") || p.starts_with("io.agora.chat") => {
            (Product::Chat, Generation::Unknown)
        }
        _ if p.starts_with("AgoraRtcEngine")
            || p.starts_with("AgoraAudio")
            || p.starts_with("AgoraRtcKit")
            || p.starts_with("io.agora.rtc:") =>
        {
            (Product::Rtc, native(major))
        }
        _ => return None,
    })
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in regex"))
}

/// Distributed Web SDK files in a URL, a `src=` or a file name: (package, version).
fn distributed(text: &str) -> Vec<(usize, String, String)> {
    // A file name or URL has a `.js` or a `://` (or a package@version): most code has none.
    if !(text.contains(".js") || text.contains("://") || text.contains('@')) {
        return Vec::new();
    }
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?i)(AgoraRTC_N|AgoraRTCSDK|agora-rtm-sdk|AgoraRTM|agora-rtc-sdk-ng|agora-rtc-sdk|agora-rtm)[-@/_]v?(\d+\.\d+\.\d+)",
    );
    r.captures_iter(text)
        .map(|c| {
            let family = c[1].to_ascii_lowercase();
            let package = match family.as_str() {
                "agorartc_n" | "agora-rtc-sdk-ng" => "agora-rtc-sdk-ng",
                "agorartcsdk" | "agora-rtc-sdk" => "agora-rtc-sdk",
                _ => "agora-rtm-sdk",
            };
            (
                c.get(0).map_or(0, |m| m.start()),
                package.to_string(),
                c[2].to_string(),
            )
        })
        .collect()
}

/// A bundle's banner: the SDK it is and the version it states.
fn banner(bundle: &SourceFile) -> Option<(String, String)> {
    let name = bundle.path.rsplit('/').next().unwrap_or(&bundle.path);
    if let Some((_, p, v)) = distributed(name).into_iter().next() {
        return Some((p, v));
    }
    static VERSION: OnceLock<Regex> = OnceLock::new();
    let version = re(
        &VERSION,
        r#"(?i)(?:version|VERSION|SDK_VERSION)["']?\s*[:=]\s*["'](\d+\.\d+\.\d+)"#,
    );
    let text = &bundle.text;
    let package = if text.contains("AgoraRTM") || text.contains("agora-rtm") {
        "agora-rtm-sdk"
    } else if text.contains("AgoraRTC") || text.contains("agora-rtc") {
        "agora-rtc-sdk-ng"
    } else {
        return None;
    };
    let v = version.captures(text).map(|c| c[1].to_string())?;
    let package = if package == "agora-rtc-sdk-ng" && version_of(&v).is_some_and(|x| x.0 < 4) {
        "agora-rtc-sdk"
    } else {
        package
    };
    Some((package.to_string(), v))
}

/// A module a JS/TS file imports or requires by bare name: (offset of the line, package). Looks
/// for the quoted name first, then checks the statement before it (`import … from`, `require(`,
/// `import(`), so that files without an Agora package name cost one substring search.
pub fn bare_imports(text: &str) -> Vec<(usize, String)> {
    static BEFORE: OnceLock<Regex> = OnceLock::new();
    let before = re(
        &BEFORE,
        r"(?:\bimport\b[^;]*\bfrom|\brequire\s*\(|\bimport\s*\(?)\s*$",
    );
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for needle in ["agora-", "react-native-agora"] {
        let mut from = 0;
        while let Some(n) = text[from..].find(needle) {
            let at = from + n;
            from = at + needle.len();
            if at == 0 || !matches!(bytes[at - 1], b'"' | b'\'') {
                continue;
            }
            let name_end = text[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .map_or(text.len(), |e| at + e);
            if !matches!(bytes.get(name_end), Some(b'"' | b'\'')) {
                continue;
            }
            let name = &text[at..name_end];
            // The statement before the quote: up to 400 bytes back, from the last `;`.
            let window_start = super::scope::floor_char(text, at.saturating_sub(401));
            let window = &text[window_start..at - 1];
            let stmt = window.rsplit(';').next().unwrap_or(window);
            if before.is_match(stmt) {
                let line_start = text[..at - 1].rfind('\n').map_or(0, |i| i + 1);
                out.push((line_start, name.to_string()));
            }
        }
    }
    out.sort();
    out
}

/// Native imports of the RTC SDK with their generation, from code (`io.agora.rtc2` is 4.x).
fn native_code_generation(path: &str, text: &str) -> Option<Generation> {
    if path.ends_with(".java") || path.ends_with(".kt") {
        if text.contains("io.agora.rtc2.") {
            return Some(Generation::Native4);
        }
        if text.contains("import io.agora.rtc.") {
            return Some(Generation::Native3);
        }
    }
    None
}

/// Which Web SDK generation a script's own code is written in, when it says so: 3.x creates streams
/// and calls `client.init`, 4.x creates tracks.
pub fn web_code_generation(text: &str) -> Option<Generation> {
    let four = text.contains("createMicrophoneAudioTrack")
        || text.contains("createCameraVideoTrack")
        || text.contains("user-published")
        || text.contains("agora-rtc-sdk-ng")
        || text.contains("createMicrophoneAndCameraTracks");
    let three = text.contains("AgoraRTC.createStream")
        || text.contains("stream-added")
        || text.contains("stream-subscribed");
    match (three, four) {
        (true, false) => Some(Generation::Web3),
        (false, true) => Some(Generation::Web4),
        _ => None,
    }
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn name_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_script(path: &str) -> bool {
    [
        ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".vue", ".svelte",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

fn is_page(path: &str) -> bool {
    [".html", ".htm", ".php", ".vue", ".svelte", ".erb", ".ejs"]
        .iter()
        .any(|e| path.ends_with(e))
}

/// What the model found, for the rules and the report.
#[derive(Debug, Default)]
pub struct Built {
    /// The model.
    pub model: Model,
    /// For each app code file, the index of its app in `model.apps`.
    pub app_of: BTreeMap<String, usize>,
    /// For each script file, the Web SDK generation its code is judged by (absent: no Web RTC SDK
    /// known, rules apply as written).
    pub web_generation: BTreeMap<String, Generation>,
    /// Findings from the model (retired SDKs, imports of undeclared packages).
    pub findings: Vec<ScanFinding>,
}

/// One SDK sighting before grouping.
struct Sighting {
    dir: String,
    package: String,
    found: Found,
    locked: bool,
}

/// Build the model from the files read, the bundles' heads, what was left out, the dependency
/// inventory and the package.json manifests.
pub fn build(
    files: &[SourceFile],
    bundles: &[SourceFile],
    left_out: &[LeftOut],
    inventory: &[Dependency],
    manifests: &[Manifest],
) -> Built {
    let mut sightings: Vec<Sighting> = Vec::new();
    let webgl_projects: BTreeSet<String> = files
        .iter()
        .chain(bundles)
        .map(|f| f.path.as_str())
        .chain(left_out.iter().map(|l| l.path.as_str()))
        .filter(|p| super::unity::is_webgl_sdk_file(p))
        .filter_map(super::unity::project_of)
        .collect();
    for d in inventory {
        if classify_package(&d.package, &d.version).is_none() {
            continue;
        }
        sightings.push(Sighting {
            dir: app_dir_of_manifest(&d.file),
            package: d.package.clone(),
            locked: d.locked,
            found: Found {
                file: d.file.clone(),
                line: None,
                how: if d.locked { "locked" } else { "declared" }.to_string(),
                version: d.version.clone(),
            },
        });
    }
    // App roots: manifests, Podfiles, pubspecs, Gradle settings, pages that load an SDK.
    let mut roots: BTreeMap<String, String> = BTreeMap::new(); // dir → platform
    for m in manifests {
        let platform =
            if m.deps.contains_key("react-native-agora") || m.deps.contains_key("react-native") {
                "react-native"
            } else if m.deps.contains_key("agora-electron-sdk") || m.deps.contains_key("electron") {
                "electron"
            } else if m.is_server() {
                "server"
            } else if m.deps.keys().any(|k| k.starts_with("agora-")) {
                "web"
            } else {
                continue;
            };
        roots.insert(m.dir.clone(), platform.to_string());
    }
    let mut imports_by_file: Vec<(&SourceFile, Vec<(usize, String)>)> = Vec::new();
    for f in files {
        let name = name_of(&f.path);
        let dir = dir_of(&f.path).to_string();
        match name {
            "pubspec.yaml" => {
                roots.insert(dir.clone(), "flutter".into());
            }
            "Podfile" | "Package.swift" | "Cartfile" => {
                roots
                    .entry(app_dir_of_manifest(&f.path))
                    .or_insert_with(|| "ios".into());
            }
            "settings.gradle" | "settings.gradle.kts" => {
                roots.entry(dir.clone()).or_insert_with(|| "android".into());
            }
            _ => {}
        }
        if !f.text.contains("agora") && !f.text.contains("Agora") {
            continue;
        }
        if is_page(&f.path) || is_script(&f.path) {
            for (off, package, version) in distributed(&f.text) {
                let before =
                    &f.text[super::scope::floor_char(&f.text, off.saturating_sub(120))..off];
                let how = if before
                    .rsplit(['"', '\'', '(', ' '])
                    .next()
                    .is_some_and(|u| u.contains("://"))
                {
                    "CDN URL"
                } else {
                    "script tag"
                };
                sightings.push(Sighting {
                    dir: dir.clone(),
                    package,
                    locked: false,
                    found: Found {
                        file: f.path.clone(),
                        line: Some(line_of(&f.text, off)),
                        how: how.to_string(),
                        version,
                    },
                });
                if is_page(&f.path) && !roots.keys().any(|r| covers(r, &f.path)) {
                    roots.insert(dir.clone(), "web".into());
                }
            }
        }
        if is_script(&f.path) || is_page(&f.path) {
            let imports = bare_imports(&f.text);
            for (off, package) in &imports {
                if classify_package(package, "").is_some() {
                    sightings.push(Sighting {
                        dir: dir.clone(),
                        package: package.clone(),
                        locked: false,
                        found: Found {
                            file: f.path.clone(),
                            line: Some(line_of(&f.text, *off)),
                            how: "import".into(),
                            version: String::new(),
                        },
                    });
                }
            }
            imports_by_file.push((f, imports));
        }
        // Unity: the namespace a script uses names the SDK and its generation; the project is the
        // folder holding `Assets/`.
        if let Some((package, _, off)) = super::unity::sdk_of(&f.path, &f.text) {
            let project = super::unity::project_of(&f.path);
            // A project that carries the community WebGL SDK's plugin uses the 3.x namespace
            // over Web SDK 4.x: another SDK, with other rules, not the retired native one.
            let package = match &project {
                Some(p) if package == "agora_gaming_rtc" && webgl_projects.contains(p) => {
                    super::unity::WEBGL_PACKAGE
                }
                _ => package,
            };
            if let Some(project) = project {
                roots.insert(project, "unity".into());
            }
            sightings.push(Sighting {
                dir: dir.clone(),
                package: package.to_string(),
                locked: false,
                found: Found {
                    file: f.path.clone(),
                    line: Some(line_of(&f.text, off)),
                    how: "import".into(),
                    version: String::new(),
                },
            });
        }
        if let Some(g) = native_code_generation(&f.path, &f.text) {
            let _ = g; // the Gradle/pod version decides; code only confirms
        }
    }
    for b in bundles {
        if let Some((package, version)) = banner(b) {
            sightings.push(Sighting {
                dir: dir_of(&b.path).to_string(),
                package,
                locked: false,
                found: Found {
                    file: b.path.clone(),
                    line: None,
                    how: "bundle banner".into(),
                    version,
                },
            });
        }
    }
    // Native apps without a manifest root of their own, and pages: fall back to the root.
    for f in files {
        let p = &f.path;
        if (p.ends_with(".gradle") || p.ends_with(".gradle.kts"))
            && f.text.contains("io.agora")
            && !roots.keys().any(|r| covers(r, p))
        {
            roots.insert(app_dir_of_manifest(p), "android".into());
        }
    }
    if !sightings
        .iter()
        .all(|s| roots.keys().any(|r| covers(r, &s.found.file)))
    {
        roots
            .entry(String::new())
            .or_insert_with(|| "unknown".into());
    }
    // A native folder inside a cross-platform app (a Flutter or React Native app's ios/ and
    // android/) belongs to that app.
    let cross: Vec<String> = roots
        .iter()
        .filter(|(_, p)| ["flutter", "react-native", "electron"].contains(&p.as_str()))
        .map(|(d, _)| d.clone())
        .collect();
    roots.retain(|d, p| {
        !(["ios", "android"].contains(&p.as_str())
            && cross.iter().any(|c| c != d && covers(c, &format!("{d}/x"))))
    });
    let root_list: Vec<String> = roots.keys().cloned().collect();
    let app_index = |path: &str| -> Option<usize> {
        root_list
            .iter()
            .enumerate()
            .filter(|(_, r)| covers(r, path))
            .max_by_key(|(_, r)| r.len())
            .map(|(i, _)| i)
    };
    let mut apps: Vec<App> = roots
        .iter()
        .map(|(dir, platform)| App {
            root: if dir.is_empty() {
                ".".into()
            } else {
                dir.clone()
            },
            platform: platform.clone(),
            products: Vec::new(),
            sdks: Vec::new(),
            files: 0,
        })
        .collect();
    // Group sightings per app and package.
    let mut grouped: BTreeMap<(usize, String), Vec<Sighting>> = BTreeMap::new();
    for s in sightings {
        let probe = if s.dir.is_empty() {
            s.found.file.clone()
        } else {
            format!("{}/x", s.dir)
        };
        let Some(i) = app_index(&probe).or_else(|| app_index(&s.found.file)) else {
            continue;
        };
        grouped.entry((i, s.package.clone())).or_default().push(s);
    }
    for ((i, package), mut list) in grouped {
        list.sort_by(|a, b| a.found.cmp(&b.found));
        let version = list
            .iter()
            .find(|s| s.locked && !s.found.version.is_empty())
            .or_else(|| {
                list.iter()
                    .find(|s| s.found.how == "declared" && version_of(&s.found.version).is_some())
            })
            .or_else(|| list.iter().find(|s| !s.found.version.is_empty()))
            .map(|s| s.found.version.clone())
            .unwrap_or_default();
        let Some((product, generation)) = classify_package(&package, &version) else {
            continue;
        };
        let mut found: Vec<Found> = list.into_iter().map(|s| s.found).collect();
        found.dedup();
        apps[i].sdks.push(SdkUse {
            product,
            package,
            version,
            generation,
            retired: generation.retired(),
            found,
        });
    }
    let mut app_of = BTreeMap::new();
    for f in files {
        if let Some(i) = app_index(&f.path) {
            app_of.insert(f.path.clone(), i);
            if !is_lock_file(&f.path) {
                apps[i].files += 1;
            }
        }
    }
    for app in &mut apps {
        let products: BTreeSet<Product> = app.sdks.iter().map(|s| s.product).collect();
        app.products = products.into_iter().collect();
        if app.platform == "unknown" {
            let web = app.sdks.iter().any(|s| {
                matches!(
                    s.generation,
                    Generation::Web2 | Generation::Web3 | Generation::Web4 | Generation::WebBeta
                ) || [
                    "agora-rtc-sdk-ng",
                    "agora-rtc-sdk",
                    "agora-rtc-react",
                    "agora-rtm-sdk",
                    "agora-rtm",
                ]
                .contains(&s.package.as_str())
            });
            if web {
                app.platform = "web".into();
            }
        }
    }
    // Keep apps that use Agora, or the only app there is.
    let mut findings = Vec::new();
    // The Web RTC generation each script's code is judged by.
    let mut web_generation = BTreeMap::new();
    let is_web = |g: &Generation| {
        matches!(
            g,
            Generation::Web2 | Generation::Web3 | Generation::Web4 | Generation::WebBeta
        )
    };
    for (f, _) in &imports_by_file {
        // The page's own script tag first, then the API the code uses, then the app's newest
        // Web RTC SDK (a 0.x pre-release only when it is the app's only one).
        let own = distributed(&f.text)
            .into_iter()
            .filter_map(|(_, p, v)| classify_package(&p, &v))
            .filter(|(p, g)| *p == Product::Rtc && is_web(g))
            .map(|(_, g)| g)
            .max();
        let app = app_of.get(&f.path).map(|i| &apps[*i]);
        let app_gens: Vec<Generation> = app
            .map(|a| {
                a.sdks
                    .iter()
                    .filter(|s| s.product == Product::Rtc)
                    .map(|s| s.generation)
                    .filter(is_web)
                    .collect()
            })
            .unwrap_or_default();
        let newest = app_gens
            .iter()
            .copied()
            .filter(|g| *g != Generation::WebBeta)
            .max()
            .or_else(|| app_gens.first().copied());
        let g = match (own, web_code_generation(&f.text), newest) {
            (Some(o), _, _) => Some(o),
            (None, _, Some(Generation::WebBeta)) => Some(Generation::WebBeta),
            (None, Some(c), _) => Some(c),
            (None, None, n) => n,
        };
        if let Some(g) = g {
            web_generation.insert(f.path.clone(), g);
        }
    }
    findings.extend(retired_findings(&apps));
    findings.extend(undeclared_findings(&imports_by_file, manifests));
    Built {
        model: Model {
            apps,
            left_out: group_left_out(left_out),
            lock_files: files.iter().filter(|f| is_lock_file(&f.path)).count(),
            skipped_rules: Vec::new(),
        },
        app_of,
        web_generation,
        findings,
    }
}

/// Whether the app folder `root` ("" = the scanned root) holds `path`.
fn covers(root: &str, path: &str) -> bool {
    root.is_empty() || path.starts_with(&format!("{root}/"))
}

/// The app folder a manifest speaks for: its own folder, or the parent of an `ios/`, `android/`
/// `app/` folder holding it.
fn app_dir_of_manifest(path: &str) -> String {
    let dir = dir_of(path);
    dir.to_string()
}

fn group_left_out(left_out: &[LeftOut]) -> Vec<LeftOutGroup> {
    Reason::ALL
        .iter()
        .filter_map(|r| {
            let of: Vec<&LeftOut> = left_out.iter().filter(|l| l.reason == *r).collect();
            (!of.is_empty()).then(|| LeftOutGroup {
                reason: *r,
                label: r.label().to_string(),
                folders: of.iter().filter(|l| l.folder).count(),
                files: of.iter().filter(|l| !l.folder).count(),
                examples: of
                    .iter()
                    .take(5)
                    .map(|l| {
                        if l.folder {
                            format!("{}/", l.path)
                        } else {
                            l.path.clone()
                        }
                    })
                    .collect(),
            })
        })
        .collect()
}

fn places_of(found: &[Found]) -> Vec<Place> {
    let mut places: Vec<Place> = found
        .iter()
        .map(|f| Place {
            file: f.file.clone(),
            line: f.line,
        })
        .collect();
    places.dedup();
    places
}

/// Cross-platform SDKs that bring a native SDK with them (its pod, its Maven artifact).
const WRAPPERS: &[&str] = &[
    "agora_rtc_engine",
    "react-native-agora",
    "agora-electron-sdk",
];

fn retired_findings(apps: &[App]) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    for app in apps {
        // A retired wrapper's native SDK (in Podfile.lock or Gradle) is the same fact as the
        // wrapper: its places join the wrapper's finding.
        let wrapper = app
            .sdks
            .iter()
            .position(|s| s.retired && WRAPPERS.contains(&s.package.as_str()));
        let brought = |s: &SdkUse| {
            wrapper.is_some()
                && !WRAPPERS.contains(&s.package.as_str())
                && !matches!(s.generation, Generation::Web2 | Generation::Web3)
                && s.product == app.sdks[wrapper.unwrap_or(0)].product
        };
        for (i, sdk) in app.sdks.iter().enumerate().filter(|(_, s)| s.retired) {
            if brought(sdk) {
                continue;
            }
            let mut found = sdk.found.clone();
            // Locked only: a dependency brought it; the package.json beside the lock file
            // declares that dependency, and is where the user changes it.
            if found.iter().all(|f| f.how == "locked") {
                let manifests: Vec<Found> = found
                    .iter()
                    .filter(|f| {
                        ["package-lock.json", "yarn.lock", "pnpm-lock.yaml"]
                            .contains(&name_of(&f.file))
                    })
                    .map(|f| {
                        let dir = dir_of(&f.file);
                        Found {
                            file: if dir.is_empty() {
                                "package.json".to_string()
                            } else {
                                format!("{dir}/package.json")
                            },
                            line: None,
                            how: "declared".to_string(),
                            version: String::new(),
                        }
                    })
                    .collect();
                found.extend(manifests);
            }
            if Some(i) == wrapper {
                for other in app.sdks.iter().filter(|s| s.retired && brought(s)) {
                    found.extend(other.found.iter().cloned());
                }
            }
            let web = matches!(sdk.generation, Generation::Web2 | Generation::Web3);
            let (source, since) = if web {
                (
                    WEB_RETIREMENT,
                    "Agora retired the Web SDK before 4.0.0: no bug fixes or security patches since 10 July 2023",
                )
            } else {
                (
                    NATIVE_RETIREMENT,
                    "Agora stopped supporting Video/Voice SDK 3.x on 31 December 2024",
                )
            };
            let fix = if web {
                "migrate to agora-rtc-sdk-ng 4.x (tracks instead of streams: createMicrophoneAudioTrack, join → publish(tracks), user-published → subscribe(user, mediaType)); Agora's guide: https://docs.agora.io/en/voice-calling/overview/migration-guide"
            } else {
                "upgrade to the 4.x SDK of the platform (package names and the joinChannel/event API changed; follow Agora's migration guide for your platform)"
            };
            let mut f = Finding::new(
                "scan.deps.sdk_retired",
                Status::Warn,
                format!(
                    "{} is {}, which Agora has retired",
                    format!("{} {}", sdk.package, sdk.version).trim_end(),
                    sdk.generation.label()
                ),
            )
            .with_evidence(since)
            .with_evidence(format!("source: {source}"));
            if web {
                f = f.with_evidence(
                    "the Web SDK 4.x rules (publish, subscribe, join arguments) are not applied to this app's 3.x code: its API is another one (streams and callbacks)",
                );
            }
            let f = f.with_fix(fix);
            out.push(ScanFinding::at_places(f, places_of(&found)));
        }
    }
    out
}

/// The package.json files that speak for `path`: the nearest one and every one above it (npm and
/// yarn workspaces install a root's dependencies for every package below it).
fn manifests_over<'a>(manifests: &'a [Manifest], path: &str) -> Vec<&'a Manifest> {
    manifests.iter().filter(|m| covers(&m.dir, path)).collect()
}

fn undeclared_findings(
    imports_by_file: &[(&SourceFile, Vec<(usize, String)>)],
    manifests: &[Manifest],
) -> Vec<ScanFinding> {
    let mut by_package: BTreeMap<(String, String), Vec<Place>> = BTreeMap::new();
    for (f, imports) in imports_by_file {
        let over = manifests_over(manifests, &f.path);
        if over.is_empty() {
            continue; // no package.json: loaded some other way (an import map, a CDN)
        }
        for (off, package) in imports {
            if ![
                "agora-rtc-sdk-ng",
                "agora-rtm-sdk",
                "agora-rtc-react",
                "agora-rtm",
                "agora-rtc-sdk",
            ]
            .contains(&package.as_str())
            {
                continue;
            }
            // agora-rtc-react 2.x re-exports the SDK it bundles.
            let declared = over.iter().any(|m| {
                m.deps.contains_key(package)
                    || (package == "agora-rtc-sdk-ng" && m.deps.contains_key("agora-rtc-react"))
            });
            if !declared {
                let nearest = over
                    .iter()
                    .max_by_key(|m| m.dir.len())
                    .map(|m| m.file.clone())
                    .unwrap_or_default();
                by_package
                    .entry((package.clone(), nearest))
                    .or_default()
                    .push(Place {
                        file: f.path.clone(),
                        line: Some(line_of(&f.text, *off)),
                    });
            }
        }
    }
    by_package
        .into_iter()
        .map(|((package, manifest), places)| {
            let f = Finding::new(
                "scan.deps.import_not_declared",
                Status::Fail,
                format!("the code imports {package}, which {manifest} does not declare"),
            )
            .with_evidence(format!("a fresh install (`npm ci`, a CI build, a new clone) does not install it: the bundler stops with `Module not found: Can't resolve '{package}'` / `Failed to resolve import \"{package}\"`"))
            .with_fix(format!("add it to the dependencies: `npm install {package}` in the folder of {manifest}"));
            ScanFinding::at_places(f, places)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scan::walk::test_file as file;

    #[test]
    fn generations_of_packages() {
        let g = |p: &str, v: &str| classify_package(p, v).map(|x| x.1);
        assert_eq!(g("agora-rtc-sdk-ng", "^4.20.0"), Some(Generation::Web4));
        assert_eq!(g("agora-rtc-sdk-ng", "0.1.3"), Some(Generation::WebBeta));
        assert_eq!(g("agora-rtc-sdk", "3.6.11"), Some(Generation::Web3));
        assert_eq!(g("agora_rtc_engine", "^5.3.1"), Some(Generation::Native3));
        assert_eq!(g("agora_rtc_engine", "6.3.2"), Some(Generation::Native4));
        assert_eq!(
            g("io.agora.rtc:full-sdk", "3.7.0"),
            Some(Generation::Native3)
        );
        assert_eq!(g("AgoraRtm_iOS", "1.5.1"), Some(Generation::Rtm1));
        assert_eq!(g("left-pad", "1.0.0"), None);
    }

    #[test]
    fn sdks_from_script_tags_cdn_urls_and_banners() {
        let page = file(
            "index.html",
            "<script src=\"https://download.agora.io/sdk/release/AgoraRTC_N-4.20.0.js\"></script>\n<script src=\"AgoraRTCSDK-3.6.11.js\"></script>",
        );
        let bundle = file("js/agora.js", "/* AgoraRTC */ var VERSION = \"3.1.2\";");
        let built = build(&[page], &[bundle], &[], &[], &[]);
        let app = &built.model.apps[0];
        let got: Vec<(&str, &str, &str)> = app
            .sdks
            .iter()
            .flat_map(|s| {
                s.found
                    .iter()
                    .map(move |f| (s.package.as_str(), f.version.as_str(), f.how.as_str()))
            })
            .collect();
        assert!(
            got.contains(&("agora-rtc-sdk-ng", "4.20.0", "CDN URL")),
            "{got:?}"
        );
        assert!(
            got.contains(&("agora-rtc-sdk", "3.6.11", "script tag")),
            "{got:?}"
        );
        assert!(
            got.contains(&("agora-rtc-sdk", "3.1.2", "bundle banner")),
            "{got:?}"
        );
        assert_eq!(app.platform, "web");
        assert!(built
            .findings
            .iter()
            .any(|f| f.finding.key == "scan.deps.sdk_retired"));
    }

    #[test]
    fn web_code_generation_from_the_api_used() {
        assert_eq!(
            web_code_generation(
                "const s = AgoraRTC.createStream({audio: true}); client.on('stream-added', f)"
            ),
            Some(Generation::Web3)
        );
        assert_eq!(
            web_code_generation("const t = await AgoraRTC.createMicrophoneAudioTrack();"),
            Some(Generation::Web4)
        );
    }
}
