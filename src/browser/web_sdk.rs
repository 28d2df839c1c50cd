//! Which Agora Web SDK the built-in demo page loads, and where it came from.
//!
//! In order: `--web-sdk PATH` (or `AGORA_DOCTOR_WEB_SDK`); the user's own project
//! (`node_modules/agora-rtc-sdk-ng`, looked up from the working directory upwards, so the probe runs the
//! very version their app ships); the SDK the npm package `agora-doctor` depends on (its launcher
//! names it in [`PACKAGED_ENV`]); a copy downloaded earlier into the cache; a download through `npm`
//! when it is on `PATH` (progress on stderr); otherwise nothing, with the one command that fixes it.
//!
//! Under `--sim` the page joins through the simulated Web edge, which speaks the access point and
//! gateway protocol of SDK 4.0–4.6 and of 4.24 (`sim/src/web.rs`, `docs/web-sdk-wire.md`); a
//! project's SDK of another line (4.7–4.23, 4.25+) is then named and passed over, since the double's
//! answers were verified against those two only.

use std::ffi::OsString;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::env::Env;

/// The package name on npm.
pub const PACKAGE: &str = "agora-rtc-sdk-ng";
/// The version downloaded for `--sim`: the current one, which the simulated Web edge carries
/// through the whole voice room (so does 4.3.0, the seed's).
pub const SIM_VERSION: &str = CURRENT_VERSION;
/// The version downloaded for the built-in page talking to Agora (pinned in fixtures/web's lock file).
pub const CURRENT_VERSION: &str = "4.24.8";
/// `--web-sdk`'s environment variable.
pub const FLAG_ENV: &str = "AGORA_DOCTOR_WEB_SDK";
/// Set by the npm package's launcher (`npm/bin/agora-doctor.js`): the `agora-rtc-sdk-ng` folder the
/// package depends on.
pub const PACKAGED_ENV: &str = "AGORA_DOCTOR_PACKAGED_WEB_SDK";
/// Overrides the cache folder (default `$XDG_CACHE_HOME/agora-doctor`, else `~/.cache/agora-doctor`).
pub const CACHE_ENV: &str = "AGORA_DOCTOR_CACHE";
/// How long the one-time download may take.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(180);

/// Where the Web SDK came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `--web-sdk PATH` or `AGORA_DOCTOR_WEB_SDK`.
    Flag,
    /// The user's project (`node_modules/agora-rtc-sdk-ng` from the working directory upwards).
    Project,
    /// The npm package `agora-doctor`'s own dependency.
    Packaged,
    /// The cache, downloaded by an earlier run.
    Cache,
    /// Downloaded with `npm` by this run.
    Download,
}

impl Source {
    /// The word `--json` carries (`source: …` evidence line).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Flag => "flag",
            Source::Project => "project",
            Source::Packaged => "package",
            Source::Cache => "cache",
            Source::Download => "download",
        }
    }

    /// How a person reads it.
    pub fn describe(self) -> &'static str {
        match self {
            Source::Flag => "--web-sdk (or AGORA_DOCTOR_WEB_SDK)",
            Source::Project => "your project's node_modules (the version your app ships)",
            Source::Packaged => "the agora-doctor npm package's dependency",
            Source::Cache => "agora-doctor's cache (downloaded earlier with npm)",
            Source::Download => "npm, downloaded now into agora-doctor's cache",
        }
    }
}

/// The Web SDK the demo page loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSdk {
    /// The version from its `package.json` (`unknown` for a bare file).
    pub version: String,
    /// The file a `<script>` tag loads.
    pub bundle: PathBuf,
    /// Where it came from.
    pub source: Source,
    /// Found but passed over (e.g. a project's 4.24 under --sim), said in the evidence.
    pub passed_over: Vec<String>,
}

/// No usable Web SDK: why, and the one command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// What was looked at and why nothing fit.
    pub why: String,
    /// The command to run.
    pub fix: String,
}

/// What the search looks at, gathered from the environment (tests build their own).
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// `--web-sdk`.
    pub flag: Option<PathBuf>,
    /// The working directory.
    pub cwd: Option<PathBuf>,
    /// [`PACKAGED_ENV`].
    pub packaged: Option<PathBuf>,
    /// The cache folder.
    pub cache: Option<PathBuf>,
    /// `npm` on `PATH`.
    pub npm: Option<PathBuf>,
    /// Under `--sim`: only what [`sim_can_join`] admits.
    pub sim: bool,
}

impl Search {
    /// The search as this run's environment describes it (`flag` is `--web-sdk`, which clap also
    /// takes from [`FLAG_ENV`]).
    pub fn from_env(flag: Option<PathBuf>, sim: bool, env: &Env) -> Search {
        Search {
            flag,
            cwd: std::env::current_dir().ok(),
            packaged: env.non_blank(PACKAGED_ENV).map(PathBuf::from),
            cache: env_cache_dir(env),
            npm: env
                .non_blank("PATH")
                .and_then(|paths| on_path(paths, "npm")),
            sim,
        }
    }

    /// The version a download fetches.
    pub fn wanted_version(&self) -> &'static str {
        if self.sim {
            SIM_VERSION
        } else {
            CURRENT_VERSION
        }
    }

    /// Where a download of the wanted version goes.
    fn download_prefix(&self) -> Option<PathBuf> {
        Some(
            self.cache
                .as_ref()?
                .join("web-sdk")
                .join(self.wanted_version()),
        )
    }
}

impl Search {
    /// [`Search::download_prefix`] once the cache folder is known to be this user's alone
    /// ([`private_cache`]); `Err` says why it was refused.
    fn private_download_prefix(&self) -> Result<Option<PathBuf>, String> {
        match &self.cache {
            Some(cache) => private_cache(cache).map(|()| self.download_prefix()),
            None => Ok(None),
        }
    }
}

/// Make sure the cache folder is this user's alone before anything in it is read or run: created
/// with mode 0700 when missing; refused when it is not a folder, is owned by another user, or other
/// users may write to it (a folder someone else created first could hold a Web SDK of theirs, run
/// in the browser with this user's pages). A folder of this user's that others may read is made
/// private (0700).
pub fn private_cache(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    let next = "remove it or set AGORA_DOCTOR_CACHE to a folder of your own";
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("cache folder {}: could not create it: {e}", dir.display()))?;
    }
    let meta = std::fs::metadata(dir)
        .map_err(|e| format!("cache folder {}: {e}; {next}", dir.display()))?;
    if !meta.is_dir() {
        return Err(format!(
            "cache folder {} is not a folder; {next}",
            dir.display()
        ));
    }
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me {
        return Err(format!(
            "cache folder {} belongs to user id {}, not to you ({me}): refused, its contents could be anyone's; {next}",
            dir.display(),
            meta.uid()
        ));
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| {
            format!(
                "cache folder {} is open to other users (mode {:o}) and could not be made private: {e}; {next}",
                dir.display(),
                meta.mode() & 0o777
            )
        })?;
    }
    Ok(())
}

/// agora-doctor's cache folder: [`CACHE_ENV`], else `$XDG_CACHE_HOME/agora-doctor`, else
/// `~/.cache/agora-doctor` (the XDG base directory rule).
pub fn cache_dir(
    explicit: Option<OsString>,
    xdg: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    explicit
        .map(PathBuf::from)
        .or_else(|| xdg.map(|x| PathBuf::from(x).join("agora-doctor")))
        .or_else(|| home.map(|h| PathBuf::from(h).join(".cache/agora-doctor")))
}

/// [`cache_dir`] as this run's environment names it.
pub fn env_cache_dir(env: &Env) -> Option<PathBuf> {
    let var = |name: &str| env.non_blank(name).map(OsString::from);
    cache_dir(var(CACHE_ENV), var("XDG_CACHE_HOME"), var("HOME"))
}

fn on_path(paths: &str, name: &str) -> Option<PathBuf> {
    std::env::split_paths(paths)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

#[derive(Deserialize)]
struct PackageJson {
    name: Option<String>,
    version: Option<String>,
}

/// An `agora-rtc-sdk-ng` package folder (or its bundle file) read: version and bundle.
fn read_package(path: &Path) -> Result<(String, PathBuf), String> {
    if path.is_file() {
        let version = path
            .parent()
            .and_then(|dir| package_json(dir).ok())
            .and_then(|p| p.version)
            .unwrap_or_else(|| "unknown".into());
        return Ok((version, path.to_path_buf()));
    }
    if !path.is_dir() {
        return Err(format!("{} does not exist", path.display()));
    }
    let package = package_json(path)?;
    if package.name.as_deref() != Some(PACKAGE) {
        return Err(format!(
            "{} holds the npm package {:?}, not {PACKAGE}",
            path.display(),
            package.name.unwrap_or_default()
        ));
    }
    // 4.7+'s main file require()s @agora-js/*; its .full.js build inlines them for a <script> tag.
    let bundle = ["AgoraRTC_N-production.full.js", "AgoraRTC_N-production.js"]
        .iter()
        .map(|f| path.join(f))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "{} has no AgoraRTC_N-production.js (an incomplete install? run `npm ci`)",
                path.display()
            )
        })?;
    Ok((package.version.unwrap_or_else(|| "unknown".into()), bundle))
}

fn package_json(dir: &Path) -> Result<PackageJson, String> {
    let file = dir.join("package.json");
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("could not read {}: {e}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", file.display()))
}

/// Whether the simulated Web edge can carry a join of this version: 4.0–4.6 (the `/api/v1` access
/// point and `join_v2` with an SDP offer per stream) and 4.24 (the `/api/v2` access point and
/// `join_v3` with ORTC parameters, one transport per client). The lines between also join through
/// `join_v3`, but the double's answers were checked against 4.24.8's bundle and browser only.
pub fn sim_can_join(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    matches!((parts.next(), parts.next()), (Some(Some(4)), Some(Some(minor))) if minor <= 6 || minor == 24)
}

/// The first usable Web SDK without downloading: flag, project, package, cache. `Err` carries what
/// was passed over (said later if nothing else fits).
pub fn find(search: &Search) -> Result<WebSdk, Vec<String>> {
    let mut passed_over = Vec::new();
    if let Some(flag) = &search.flag {
        // The user's explicit choice: used as it is, or the error is theirs to see.
        return match read_package(flag) {
            Ok((version, bundle)) => Ok(WebSdk {
                version,
                bundle,
                source: Source::Flag,
                passed_over,
            }),
            Err(why) => Err(vec![format!("--web-sdk: {why}")]),
        };
    }
    let project = search
        .cwd
        .as_deref()
        .and_then(|cwd| {
            cwd.ancestors()
                .map(|dir| dir.join("node_modules").join(PACKAGE))
                .find(|p| p.join("package.json").is_file())
        })
        // The npm package's own dependency hoisted into the same node_modules is not the project's.
        .filter(|p| !same_dir(Some(p), search.packaged.as_deref()));
    let candidates = [
        (project, Source::Project),
        (search.packaged.clone(), Source::Packaged),
        (
            match search.private_download_prefix() {
                Ok(prefix) => prefix.map(|d| d.join("node_modules").join(PACKAGE)),
                Err(why) => {
                    passed_over.push(why);
                    None
                }
            },
            Source::Cache,
        ),
    ];
    for (dir, source) in candidates {
        let Some(dir) = dir.filter(|d| d.is_dir()) else {
            continue;
        };
        match read_package(&dir) {
            Ok((version, _)) if search.sim && !sim_can_join(&version) => {
                passed_over.push(format!(
                    "{} ({}) has Agora Web SDK {version}: not used under --sim, whose simulated Web edge carries joins of 4.0-4.6 and 4.24 only",
                    dir.display(),
                    source.as_str()
                ));
            }
            Ok((version, bundle)) => {
                return Ok(WebSdk {
                    version,
                    bundle,
                    source,
                    passed_over,
                })
            }
            Err(why) => passed_over.push(why),
        }
    }
    Err(passed_over)
}

fn same_dir(a: Option<&Path>, b: Option<&Path>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => a == b,
        },
        _ => false,
    }
}

/// The command that installs the wanted version where [`find`] looks next time.
pub fn fix_command(search: &Search) -> String {
    let package = format!("{PACKAGE}@{}", search.wanted_version());
    match (&search.npm, search.download_prefix()) {
        (None, _) => format!(
            "install npm (Debian/Ubuntu: `sudo apt-get install npm`) and run again (the Web SDK is then downloaded once), or `npm install {package}` in your project, or pass --web-sdk PATH"
        ),
        (Some(_), Some(prefix)) => format!(
            "npm install --prefix {} {package}",
            shell_quote(&prefix.display().to_string())
        ),
        (Some(_), None) => format!("npm install {package} (in your project), or pass --web-sdk PATH"),
    }
}

fn shell_quote(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// [`find`], then a download through `npm` into the cache when npm is there. Blocking (the
/// download runs `npm`); progress goes to stderr.
pub fn resolve(search: &Search) -> Result<WebSdk, Missing> {
    let passed_over = match find(search) {
        Ok(sdk) => return Ok(sdk),
        Err(why) => why,
    };
    let missing = |why: String| Missing {
        why,
        fix: fix_command(search),
    };
    if search.flag.is_some() {
        return Err(Missing {
            why: passed_over.join("; "),
            fix: "pass --web-sdk the agora-rtc-sdk-ng folder (or its AgoraRTC_N-production.js)"
                .into(),
        });
    }
    // A refused cache was already said in `passed_over` by `find`.
    let prefix = search.private_download_prefix().unwrap_or_default();
    let (Some(npm), Some(prefix)) = (&search.npm, prefix) else {
        let mut why = vec![format!(
            "no {PACKAGE} in the working directory's node_modules (or above it), none cached, and no npm to download it"
        )];
        why.extend(passed_over);
        return Err(missing(why.join("; ")));
    };
    let package = format!("{PACKAGE}@{}", search.wanted_version());
    crate::render::print_progress(&format!(
        "downloading Agora Web SDK {} with npm into {} (once; later runs use this copy)…",
        search.wanted_version(),
        prefix.display()
    ));
    if let Err(why) = npm_install(npm, &prefix, &package) {
        return Err(missing(format!(
            "downloading {package} with npm failed: {why}"
        )));
    }
    let dir = prefix.join("node_modules").join(PACKAGE);
    match read_package(&dir) {
        Ok((version, bundle)) => Ok(WebSdk {
            version,
            bundle,
            source: Source::Download,
            passed_over,
        }),
        Err(why) => Err(missing(why)),
    }
}

/// `npm install --prefix PREFIX PACKAGE`, npm's own output on our stderr, killed after
/// [`DOWNLOAD_TIMEOUT`].
fn npm_install(npm: &Path, prefix: &Path, package: &str) -> Result<(), String> {
    std::fs::create_dir_all(prefix)
        .map_err(|e| format!("could not create {}: {e}", prefix.display()))?;
    let mut child = Command::new(npm)
        .arg("install")
        .arg("--prefix")
        .arg(prefix)
        .args([
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--no-package-lock",
            "--omit=dev",
            "--loglevel=http",
            package,
        ])
        .stdin(Stdio::null())
        // npm's summary goes to stdout, its progress to stderr: both belong on our stderr.
        .stdout(Stdio::from(
            std::io::stderr()
                .as_fd()
                .try_clone_to_owned()
                .map_err(|e| e.to_string())?,
        ))
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", npm.display()))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("npm exited with {status}")),
            Ok(None) if started.elapsed() > DOWNLOAD_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "npm did not finish within {} s",
                    DOWNLOAD_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(dir: &Path, version: &str, full: bool) -> PathBuf {
        let pkg = dir.join("node_modules").join(PACKAGE);
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(
            pkg.join("package.json"),
            format!(r#"{{"name": "{PACKAGE}", "version": "{version}"}}"#),
        )
        .unwrap();
        std::fs::write(pkg.join("AgoraRTC_N-production.js"), "/* sdk */").unwrap();
        if full {
            std::fs::write(pkg.join("AgoraRTC_N-production.full.js"), "/* full */").unwrap();
        }
        pkg
    }

    #[test]
    fn the_project_is_found_from_a_subfolder_and_its_full_bundle_preferred() {
        let root = tempfile::tempdir().unwrap();
        let pkg = package(root.path(), "4.24.8", true);
        let sub = root.path().join("src/app");
        std::fs::create_dir_all(&sub).unwrap();
        let found = find(&Search {
            cwd: Some(sub),
            ..Search::default()
        })
        .unwrap();
        assert_eq!(found.source, Source::Project);
        assert_eq!(found.version, "4.24.8");
        assert_eq!(found.bundle, pkg.join("AgoraRTC_N-production.full.js"));
    }

    #[test]
    fn under_sim_a_project_on_an_unverified_line_is_passed_over_for_the_cache_and_said() {
        let project = tempfile::tempdir().unwrap();
        package(project.path(), "4.22.0", true);
        let cache = tempfile::tempdir().unwrap();
        package(
            &cache.path().join("web-sdk").join(SIM_VERSION),
            SIM_VERSION,
            true,
        );
        let found = find(&Search {
            cwd: Some(project.path().to_path_buf()),
            cache: Some(cache.path().to_path_buf()),
            sim: true,
            ..Search::default()
        })
        .unwrap();
        assert_eq!(found.source, Source::Cache);
        assert_eq!(found.version, "4.24.8");
        assert!(found.passed_over[0].contains("4.22.0"), "{found:?}");
        // Without --sim the project's own version wins.
        let found = find(&Search {
            cwd: Some(project.path().to_path_buf()),
            cache: Some(cache.path().to_path_buf()),
            ..Search::default()
        })
        .unwrap();
        assert_eq!(
            (found.source, found.version.as_str()),
            (Source::Project, "4.22.0")
        );
    }

    #[test]
    fn the_flag_wins_and_a_wrong_flag_is_not_replaced() {
        let project = tempfile::tempdir().unwrap();
        package(project.path(), "4.5.0", false);
        let other = tempfile::tempdir().unwrap();
        let pkg = package(other.path(), "4.3.0", false);
        let search = Search {
            cwd: Some(project.path().to_path_buf()),
            flag: Some(pkg.join("AgoraRTC_N-production.js")),
            sim: true,
            ..Search::default()
        };
        let found = find(&search).unwrap();
        assert_eq!(
            (found.source, found.version.as_str()),
            (Source::Flag, "4.3.0")
        );
        let wrong = Search {
            flag: Some(other.path().join("nowhere")),
            ..search
        };
        let missing = resolve(&wrong).unwrap_err();
        assert!(missing.why.contains("--web-sdk"), "{missing:?}");
    }

    #[test]
    fn the_packaged_sdk_hoisted_into_the_working_directory_is_labelled_as_the_package() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = package(dir.path(), "4.3.0", false);
        let found = find(&Search {
            cwd: Some(dir.path().to_path_buf()),
            packaged: Some(pkg),
            sim: true,
            ..Search::default()
        })
        .unwrap();
        assert_eq!(found.source, Source::Packaged);
    }

    #[test]
    fn nothing_found_without_npm_names_one_fix() {
        let empty = tempfile::tempdir().unwrap();
        let search = Search {
            cwd: Some(empty.path().to_path_buf()),
            cache: Some(empty.path().join("cache")),
            sim: true,
            ..Search::default()
        };
        let missing = resolve(&search).unwrap_err();
        assert!(
            missing.fix.contains("sudo apt-get install npm"),
            "{missing:?}"
        );
        let with_npm = Search {
            npm: Some("/usr/bin/npm".into()),
            ..search
        };
        assert_eq!(
            fix_command(&with_npm),
            format!(
                "npm install --prefix {}/cache/web-sdk/4.24.8 agora-rtc-sdk-ng@4.24.8",
                empty.path().display()
            )
        );
    }

    #[test]
    fn sim_joins_4_0_to_4_6_only() {
        assert!(sim_can_join("4.3.0"));
        assert!(sim_can_join("4.6.2"));
        assert!(!sim_can_join("4.7.0"));
        assert!(sim_can_join("4.24.8"));
        assert!(!sim_can_join("4.23.0"));
        assert!(!sim_can_join("unknown"));
    }

    #[test]
    fn a_missing_cache_is_created_private_and_an_open_one_of_ours_is_closed() {
        use std::os::unix::fs::PermissionsExt;
        let base = tempfile::tempdir().unwrap();
        let fresh = base.path().join("a/b/agora-doctor");
        private_cache(&fresh).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&fresh), 0o700);
        let open = base.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
        private_cache(&open).unwrap();
        assert_eq!(mode(&open), 0o700);
        let file = base.path().join("file");
        std::fs::write(&file, b"").unwrap();
        assert!(private_cache(&file).unwrap_err().contains("not a folder"));
    }

    #[test]
    fn the_cache_follows_xdg() {
        let os = |s: &str| Some(OsString::from(s));
        assert_eq!(
            cache_dir(None, os("/x"), os("/home/u")),
            Some(PathBuf::from("/x/agora-doctor"))
        );
        assert_eq!(
            cache_dir(None, None, os("/home/u")),
            Some(PathBuf::from("/home/u/.cache/agora-doctor"))
        );
        assert_eq!(
            cache_dir(os("/c"), os("/x"), None),
            Some(PathBuf::from("/c"))
        );
    }
}
