//! Dependencies: the Agora SDK versions a project declares or has locked (package.json and its lock
//! files, pubspec.yaml/.lock, Podfile/.lock, Gradle), and the findings on them: two copies of the Web
//! SDK, a wrapper that bundles its own copy, versions with a catalogued known problem
//! (`data/known_problems.toml`), an Electron addon built for another Electron, and the native RTM and
//! RTC SDKs that both ship the aosl library.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::walk::SourceFile;
use super::ScanFinding;
use crate::vocabulary::{Finding, Status};

/// npm packages of Agora (and Electron, for the addon check) that scan reports.
pub const NPM_PACKAGES: &[&str] = &[
    "agora-rtc-sdk-ng",
    "agora-rtc-sdk",
    "agora-rtc-react",
    "agora-rtm-sdk",
    "agora-rtm",
    "react-native-agora",
    "agora-react-native-rtm",
    "agora-electron-sdk",
    "electron",
    "agora-token",
    "agora-access-token",
];
/// Packages that build tokens: their presence marks a server project.
pub const TOKEN_BUILDERS: &[&str] = &["agora-token", "agora-access-token"];
/// Client SDK packages: their presence marks an app.
pub const CLIENT_SDKS: &[&str] = &[
    "agora-rtc-sdk-ng",
    "agora-rtc-sdk",
    "agora-rtc-react",
    "react-native-agora",
    "agora-electron-sdk",
];
/// Docs page on the aosl library shipped by both native SDKs (Signaling 2.2.0+, Video/Voice 4.3.0+).
pub const AOSL_FAQ: &str =
    "https://docs.agora.io/en/help/integration-issues/rtm2_rtc_integration_issue";

/// The known-problem table, embedded at build time.
pub const KNOWN_PROBLEMS_TOML: &str = include_str!("data/known_problems.toml");

/// One SDK (or Electron) a project declares or has locked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Dependency {
    /// Package, pod or Maven coordinate (`agora-rtc-sdk-ng`, `AgoraRtcEngine_iOS`, `io.agora.rtc:full-sdk`).
    pub package: String,
    /// Version or range as written.
    pub version: String,
    /// True when read from a lock file (the installed version), false for a manifest's range.
    pub locked: bool,
    /// File it was read from.
    pub file: String,
}

#[derive(Debug, Deserialize)]
struct ProblemFile {
    problem: Vec<Problem>,
}

/// One catalogued known problem.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// Package name.
    pub package: String,
    /// First affected version (inclusive).
    pub from: String,
    /// First fixed version (exclusive).
    pub until: String,
    /// `warn` or `fail`.
    pub status: String,
    /// What goes wrong.
    pub summary: String,
    /// Where the fact comes from.
    pub source: String,
    /// A catalog key with more, or "".
    pub explain: String,
    /// What to do.
    pub fix: String,
}

/// The known-problem table.
pub fn known_problems() -> &'static [Problem] {
    static P: OnceLock<Vec<Problem>> = OnceLock::new();
    P.get_or_init(|| {
        toml::from_str::<ProblemFile>(KNOWN_PROBLEMS_TOML)
            .unwrap_or_else(|e| panic!("data/known_problems.toml does not parse: {e}"))
            .problem
    })
}

/// The first `major.minor[.patch]` in a version or range (`^4.20.0` → 4.20.0).
pub fn version_of(text: &str) -> Option<(u32, u32, u32)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"(\d+)\.(\d+)(?:\.(\d+))?").expect("regex"));
    let c = r.captures(text)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse().ok());
    Some((n(1)?, n(2)?, n(3).unwrap_or(0)))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// What one package.json says.
#[derive(Debug, Default, Clone)]
pub struct Manifest {
    /// Folder of the package.json ("" = root).
    pub dir: String,
    /// File path.
    pub file: String,
    /// dependencies + devDependencies, name → range.
    pub deps: BTreeMap<String, String>,
    /// `agora_electron.electron_version`, the Electron the addon is downloaded for.
    pub agora_electron_version: Option<String>,
}

impl Manifest {
    /// Whether this package is a server (a token builder, no client SDK).
    pub fn is_server(&self) -> bool {
        TOKEN_BUILDERS.iter().any(|p| self.deps.contains_key(*p))
            && !CLIENT_SDKS.iter().any(|p| self.deps.contains_key(*p))
    }
}

/// Parse a package.json (`None` when it is not JSON).
pub fn manifest(file: &SourceFile) -> Option<Manifest> {
    let v: serde_json::Value = serde_json::from_str(&file.text).ok()?;
    let mut deps = BTreeMap::new();
    for section in ["dependencies", "devDependencies", "peerDependencies"] {
        if let Some(obj) = v.get(section).and_then(|d| d.as_object()) {
            for (name, range) in obj {
                deps.entry(name.clone())
                    .or_insert_with(|| range.as_str().unwrap_or("").to_string());
            }
        }
    }
    Some(Manifest {
        dir: dir_of(&file.path).to_string(),
        file: file.path.clone(),
        deps,
        agora_electron_version: v
            .pointer("/agora_electron/electron_version")
            .and_then(|x| x.as_str())
            .map(str::to_string),
    })
}

/// Installed copies from an npm lock file: (package, install path, version).
fn npm_lock(file: &SourceFile) -> Vec<(String, String, String)> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&file.text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(packages) = v.get("packages").and_then(|p| p.as_object()) {
        for (path, meta) in packages {
            let name = path.rsplit("node_modules/").next().unwrap_or("");
            if path.is_empty() || !NPM_PACKAGES.contains(&name) {
                continue;
            }
            if let Some(ver) = meta.get("version").and_then(|x| x.as_str()) {
                out.push((name.to_string(), path.clone(), ver.to_string()));
            }
        }
        return out;
    }
    // lockfileVersion 1: nested "dependencies".
    fn walk1(prefix: &str, deps: &serde_json::Value, out: &mut Vec<(String, String, String)>) {
        let Some(obj) = deps.as_object() else { return };
        for (name, meta) in obj {
            let path = format!("{prefix}node_modules/{name}");
            if NPM_PACKAGES.contains(&name.as_str()) {
                if let Some(ver) = meta.get("version").and_then(|x| x.as_str()) {
                    out.push((name.clone(), path.clone(), ver.to_string()));
                }
            }
            if let Some(nested) = meta.get("dependencies") {
                walk1(&format!("{path}/"), nested, out);
            }
        }
    }
    if let Some(deps) = v.get("dependencies") {
        walk1("", deps, &mut out);
    }
    out
}

/// Locked versions from yarn.lock (classic and berry) and pnpm-lock.yaml: (package, version).
fn text_lock(file: &SourceFile) -> Vec<(String, String)> {
    static YARN: OnceLock<Regex> = OnceLock::new();
    static PNPM: OnceLock<Regex> = OnceLock::new();
    let mut out = Vec::new();
    if file_name(&file.path) == "yarn.lock" {
        let r = YARN.get_or_init(|| {
            Regex::new(r#"(?m)^"?(@?[^@\s"]+)@[^\n]*:\r?\n(?:[ \t]+[^\n]*\r?\n)*?[ \t]+version:?[ \t]+"?([^"\s]+)"?"#)
                .expect("regex")
        });
        for c in r.captures_iter(&file.text) {
            if NPM_PACKAGES.contains(&&c[1]) {
                out.push((c[1].to_string(), c[2].to_string()));
            }
        }
    } else {
        let r = PNPM.get_or_init(|| {
            Regex::new(r#"(?m)^[ \t]+['"]?/?(@?[\w.-]+(?:/[\w.-]+)?)@(\d+\.\d+\.\d+[\w.+-]*)"#)
                .expect("regex")
        });
        for c in r.captures_iter(&file.text) {
            if NPM_PACKAGES.contains(&&c[1]) {
                out.push((c[1].to_string(), c[2].to_string()));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Flutter: `agora_*` packages in pubspec.yaml (ranges) and pubspec.lock (versions).
fn pub_deps(file: &SourceFile) -> Vec<Dependency> {
    static SPEC: OnceLock<Regex> = OnceLock::new();
    static LOCK: OnceLock<Regex> = OnceLock::new();
    let locked = file_name(&file.path) == "pubspec.lock";
    let r = if locked {
        LOCK.get_or_init(|| {
            Regex::new(
                r#"(?m)^  (agora_[\w]+):\r?\n(?:    [^\n]*\r?\n)*?    version: "?([^"\s]+)"?"#,
            )
            .expect("regex")
        })
    } else {
        SPEC.get_or_init(|| {
            Regex::new(r#"(?m)^[ \t]+(agora_[\w]+)[ \t]*:[ \t]*["']?([^\s"'#]+)"#).expect("regex")
        })
    };
    r.captures_iter(&file.text)
        .map(|c| Dependency {
            package: c[1].to_string(),
            version: c[2].to_string(),
            locked,
            file: file.path.clone(),
        })
        .collect()
}

/// iOS/macOS: `pod 'AgoraRtcEngine_iOS', '4.5.0'` (Podfile) and `- AgoraRtcEngine_iOS (4.5.0)` (lock).
fn pod_deps(file: &SourceFile) -> Vec<Dependency> {
    static SPEC: OnceLock<Regex> = OnceLock::new();
    static LOCK: OnceLock<Regex> = OnceLock::new();
    let locked = file_name(&file.path) == "Podfile.lock";
    let r = if locked {
        LOCK.get_or_init(|| {
            Regex::new(r"(?m)^  - ((?:Agora|Shengwang)[\w/]*) \(([^)]+)\)").expect("regex")
        })
    } else {
        SPEC.get_or_init(|| {
            Regex::new(r#"(?m)^[ \t]*pod[ \t]+['"]((?:Agora|Shengwang)[\w/]*)['"](?:[ \t]*,[ \t]*['"]([^'"]+)['"])?"#)
                .expect("regex")
        })
    };
    r.captures_iter(&file.text)
        .map(|c| Dependency {
            package: c[1].to_string(),
            version: c.get(2).map_or("", |m| m.as_str()).to_string(),
            locked,
            file: file.path.clone(),
        })
        .collect()
}

/// Android: `implementation 'io.agora.rtc:full-sdk:4.5.0'` and friends in Gradle files.
fn gradle_deps(file: &SourceFile) -> Vec<Dependency> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(r#"['"](io\.agora(?:\.[\w]+)*):([\w.-]+):([\w.+-]+)['"]"#).expect("regex")
    });
    r.captures_iter(&file.text)
        .map(|c| Dependency {
            package: format!("{}:{}", &c[1], &c[2]),
            version: c[3].to_string(),
            locked: false,
            file: file.path.clone(),
        })
        .collect()
}

/// Everything the dependency readers produced.
#[derive(Debug, Default)]
pub struct Deps {
    /// Every SDK found, sorted.
    pub inventory: Vec<Dependency>,
    /// Every package.json.
    pub manifests: Vec<Manifest>,
    /// Findings.
    pub findings: Vec<ScanFinding>,
}

/// Read every manifest and lock file among `files` and judge them.
pub fn read(files: &[SourceFile]) -> Deps {
    let mut deps = Deps::default();
    let mut npm_copies: Vec<(String, String, String, String)> = Vec::new(); // lock file, package, path, version
    let mut text_locked: Vec<(String, String, String)> = Vec::new(); // lock file, package, version
    for f in files {
        let name = file_name(&f.path);
        match name {
            "package.json" => {
                if let Some(m) = manifest(f) {
                    for (p, range) in &m.deps {
                        if NPM_PACKAGES.contains(&p.as_str()) {
                            deps.inventory.push(Dependency {
                                package: p.clone(),
                                version: range.clone(),
                                locked: false,
                                file: f.path.clone(),
                            });
                        }
                    }
                    deps.manifests.push(m);
                }
            }
            "package-lock.json" | "npm-shrinkwrap.json" => {
                for (p, path, v) in npm_lock(f) {
                    deps.inventory.push(Dependency {
                        package: p.clone(),
                        version: v.clone(),
                        locked: true,
                        file: f.path.clone(),
                    });
                    npm_copies.push((f.path.clone(), p, path, v));
                }
            }
            "yarn.lock" | "pnpm-lock.yaml" => {
                for (p, v) in text_lock(f) {
                    deps.inventory.push(Dependency {
                        package: p.clone(),
                        version: v.clone(),
                        locked: true,
                        file: f.path.clone(),
                    });
                    text_locked.push((f.path.clone(), p, v));
                }
            }
            "pubspec.yaml" | "pubspec.lock" => deps.inventory.extend(pub_deps(f)),
            "Podfile" | "Podfile.lock" => deps.inventory.extend(pod_deps(f)),
            _ if name.ends_with(".gradle") || name.ends_with(".gradle.kts") => {
                deps.inventory.extend(gradle_deps(f))
            }
            _ => {}
        }
    }
    deps.inventory.sort();
    deps.inventory.dedup();
    deps.findings
        .extend(duplicate_findings(&npm_copies, &text_locked));
    deps.findings.extend(wrapper_findings(&deps.manifests));
    deps.findings
        .extend(known_problem_findings(&deps.inventory));
    deps.findings
        .extend(electron_findings(&deps.manifests, &deps.inventory));
    deps.findings.extend(aosl_findings(&deps.inventory));
    deps
}

fn at(f: Finding, file: &str) -> ScanFinding {
    ScanFinding::at(f, file, None)
}

fn duplicate_findings(
    npm_copies: &[(String, String, String, String)],
    text_locked: &[(String, String, String)],
) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    let lock_files: BTreeSet<&str> = npm_copies
        .iter()
        .map(|c| c.0.as_str())
        .chain(text_locked.iter().map(|c| c.0.as_str()))
        .collect();
    for lock in lock_files {
        let copies: Vec<String> = npm_copies
            .iter()
            .filter(|c| c.0 == lock && c.1 == "agora-rtc-sdk-ng")
            .map(|c| format!("{} {}", c.2, c.3))
            .chain(
                text_locked
                    .iter()
                    .filter(|c| c.0 == lock && c.1 == "agora-rtc-sdk-ng")
                    .map(|c| format!("agora-rtc-sdk-ng {}", c.2)),
            )
            .collect();
        if copies.len() > 1 {
            let mut f = Finding::new(
                "scan.deps.web_sdk_duplicate",
                Status::Warn,
                format!("{} copies of agora-rtc-sdk-ng are installed", copies.len()),
            );
            for c in &copies {
                f = f.with_evidence(c.clone());
            }
            f = f
                .with_evidence("each copy has its own AgoraRTC: a track created by one copy cannot be published by a client of the other, and the page loads the SDK twice")
                .with_fix("keep one version: align the agora-rtc-sdk-ng range with what the wrapper needs, then `npm dedupe` (or remove the direct dependency)");
            out.push(at(f, lock));
        }
    }
    out
}

fn wrapper_findings(manifests: &[Manifest]) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    for m in manifests {
        let (Some(wrapper), Some(direct)) = (
            m.deps.get("agora-rtc-react"),
            m.deps.get("agora-rtc-sdk-ng"),
        ) else {
            continue;
        };
        if version_of(wrapper).is_some_and(|v| v.0 >= 2) {
            let f = Finding::new(
                "scan.deps.wrapper_bundles_sdk",
                Status::Warn,
                format!("agora-rtc-react {wrapper} bundles its own Web SDK, and the app also depends on agora-rtc-sdk-ng {direct}: two copies of the SDK"),
            )
            .with_evidence("agora-rtc-react 2.x declares no dependency on agora-rtc-sdk-ng; its dist file (1.38 MB in 2.5.1) contains the SDK")
            .with_evidence("tracks and clients from different copies do not mix, and the page downloads the SDK twice")
            .with_fix("import AgoraRTC from \"agora-rtc-react\" (it re-exports the bundled SDK) and remove the direct agora-rtc-sdk-ng dependency, or use agora-rtc-sdk-ng alone");
            out.push(at(f, &m.file));
        }
    }
    out
}

fn status_of(s: &str) -> Status {
    if s == "fail" {
        Status::Fail
    } else {
        Status::Warn
    }
}

fn known_problem_findings(inventory: &[Dependency]) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for p in known_problems() {
        let (Some(from), Some(until)) = (version_of(&p.from), version_of(&p.until)) else {
            continue;
        };
        // A locked version wins over the manifest's range for the same package.
        let locked: Vec<&Dependency> = inventory
            .iter()
            .filter(|d| d.package == p.package && d.locked)
            .collect();
        let candidates: Vec<&Dependency> = if locked.is_empty() {
            inventory
                .iter()
                .filter(|d| d.package == p.package)
                .collect()
        } else {
            locked
        };
        for d in candidates {
            let Some(v) = version_of(&d.version) else {
                continue;
            };
            if v >= from && v < until && seen.insert((p.summary.as_str(), d.version.as_str())) {
                let mut f = Finding::new(
                    "scan.deps.known_problem",
                    status_of(&p.status),
                    format!("{} {}: {}", d.package, d.version, p.summary),
                )
                .with_evidence(format!(
                    "known in {} from {} until {}; source: {}",
                    p.package, p.from, p.until, p.source
                ));
                if !p.explain.is_empty() {
                    f = f.with_evidence(format!("see `agora-doctor explain {}`", p.explain));
                }
                out.push(at(f.with_fix(p.fix.clone()), &d.file));
            }
        }
    }
    out
}

fn electron_findings(manifests: &[Manifest], inventory: &[Dependency]) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    for m in manifests
        .iter()
        .filter(|m| m.deps.contains_key("agora-electron-sdk"))
    {
        let Some(wanted) = &m.agora_electron_version else {
            continue;
        };
        // The installed Electron: the lock file beside this manifest, else the manifest's range.
        let installed = inventory
            .iter()
            .find(|d| d.package == "electron" && d.locked && dir_of(&d.file) == m.dir)
            .map(|d| d.version.clone())
            .or_else(|| m.deps.get("electron").cloned());
        let (Some(installed), Some(w)) = (installed, version_of(wanted)) else {
            continue;
        };
        let Some(i) = version_of(&installed) else {
            continue;
        };
        if i.0 != w.0 {
            let f = Finding::new(
                "scan.deps.electron_mismatch",
                Status::Fail,
                format!("agora-electron-sdk downloads its prebuilt addon for Electron {wanted} (agora_electron.electron_version), but the app runs Electron {installed}"),
            )
            .with_evidence("a native addon only loads in the Electron major it was built for: the app fails at start with `was compiled against a different Node.js version using NODE_MODULE_VERSION …`")
            .with_evidence("reported in github.com/AgoraIO-Community/Agora-Electron-Quickstart/issues/31 and github.com/AgoraIO-Extensions/Electron-SDK/issues/42")
            .with_fix(format!("set \"agora_electron\": {{ \"electron_version\": \"{installed}\" }} to the installed Electron (a version the SDK has a prebuilt addon for), or install Electron {wanted}; then reinstall agora-electron-sdk"));
            out.push(at(f, &m.file));
        }
    }
    out
}

fn is_native_rtc(d: &Dependency) -> bool {
    let p = d.package.as_str();
    p.starts_with("AgoraRtcEngine") || p.starts_with("AgoraAudio") || p.starts_with("io.agora.rtc:")
}

fn is_native_rtm(d: &Dependency) -> bool {
    let p = d.package.as_str();
    p.starts_with("AgoraRtm")
        || p.starts_with("ShengwangRtm")
        || p.starts_with("io.agora:agora-rtm")
        || p.starts_with("io.agora.rtm:")
}

fn aosl_findings(inventory: &[Dependency]) -> Vec<ScanFinding> {
    let rtc = inventory
        .iter()
        .filter(|d| is_native_rtc(d))
        .find(|d| version_of(&d.version).is_some_and(|v| v >= (4, 3, 0)));
    let rtm = inventory
        .iter()
        .filter(|d| is_native_rtm(d) && !d.package.to_ascii_lowercase().contains("lite"))
        .find(|d| version_of(&d.version).is_some_and(|v| v >= (2, 2, 0)));
    let (Some(rtc), Some(rtm)) = (rtc, rtm) else {
        return Vec::new();
    };
    let f = Finding::new(
        "scan.deps.rtm_rtc_aosl_conflict",
        Status::Warn,
        format!("{} {} and {} {} both ship the aosl library: the build finds it twice", rtc.package, rtc.version, rtm.package, rtm.version),
    )
    .with_evidence("Signaling (RTM) 2.2.0+ and Video/Voice SDK 4.3.0+ each include libaosl.so (Android) / aosl.xcframework (iOS, macOS)")
    .with_evidence("Android: `More than one file was found with OS independent path 'lib/…/libaosl.so'`; Xcode: `frameworks with conflicting names: aosl.xcframework`")
    .with_evidence(format!("Agora's FAQ: {AOSL_FAQ}"))
    .with_fix("keep the newer aosl only: with Signaling 2.2.8+ use its lite artifact (io.agora.rtm:rtm-sdk-lite / the Lite pod) when the RTC SDK's aosl is newer, as the FAQ describes");
    let mut places = vec![
        super::Place {
            file: rtm.file.clone(),
            line: None,
        },
        super::Place {
            file: rtc.file.clone(),
            line: None,
        },
    ];
    places.dedup();
    vec![ScanFinding::at_places(f, places)]
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scan::walk::test_file as file;

    #[test]
    fn versions() {
        assert_eq!(version_of("^4.20.0"), Some((4, 20, 0)));
        assert_eq!(version_of("~> 4.3"), Some((4, 3, 0)));
        assert_eq!(version_of("latest"), None);
    }

    #[test]
    fn known_problem_table_parses_and_every_range_is_ordered() {
        assert!(!known_problems().is_empty());
        for p in known_problems() {
            let (from, until) = (version_of(&p.from).unwrap(), version_of(&p.until).unwrap());
            assert!(from < until, "{}: {} .. {}", p.package, p.from, p.until);
            assert!(["warn", "fail"].contains(&p.status.as_str()));
            assert!(!p.source.is_empty());
        }
    }

    #[test]
    fn lock_readers() {
        let yarn = file("yarn.lock", "\"agora-rtc-sdk-ng@^4.20.0\":\n  version \"4.20.2\"\n  resolved \"x\"\n\nagora-rtc-sdk-ng@4.3.0:\n  version \"4.3.0\"\n");
        assert_eq!(text_lock(&yarn).len(), 2);
        let pnpm = file("pnpm-lock.yaml", "packages:\n\n  /agora-rtc-sdk-ng@4.22.0:\n    resolution: {}\n  agora-rtc-sdk-ng@4.23.1:\n    resolution: {}\n");
        assert_eq!(text_lock(&pnpm).len(), 2);
        let pods = file("ios/Podfile", "target 'App' do\n  pod 'AgoraRtcEngine_iOS', '4.5.0'\n  pod 'AgoraRtm_iOS', '2.2.1'\nend\n");
        assert_eq!(pod_deps(&pods).len(), 2);
        let gradle = file("app/build.gradle", "dependencies {\n  implementation 'io.agora.rtc:full-sdk:4.5.0'\n  implementation \"io.agora:agora-rtm:2.2.1\"\n}\n");
        assert_eq!(gradle_deps(&gradle).len(), 2);
        let pubspec = file(
            "pubspec.yaml",
            "dependencies:\n  flutter:\n    sdk: flutter\n  agora_rtc_engine: ^6.3.2\n",
        );
        assert_eq!(pub_deps(&pubspec)[0].version, "^6.3.2");
    }
}
