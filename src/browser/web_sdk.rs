//! Which Agora Web SDK the built-in demo page loads, and where it came from.
//!
//! In order: `--web-sdk PATH` (or `AGORA_DOCTOR_WEB_SDK`); the user's own project
//! (`node_modules/agora-rtc-sdk-ng`, looked up from the working directory upwards, so the probe runs the
//! very version their app ships); the SDK the npm package `agora-doctor` depends on (its launcher
//! names it in [`PACKAGED_ENV`]); a copy downloaded earlier into the cache; a download through `npm`
//! when it is on `PATH` (its progress told to the caller); otherwise nothing, with the one command that fixes it.
//!
//! Under `--sim` the page joins through the simulated Web edge, which speaks the access point and
//! gateway protocol of SDK 4.0–4.6 and of 4.24 (`sim/src/web.rs`, `docs/web-sdk-wire.md`); a
//! project's SDK of another line (4.7–4.23, 4.25+) is then named and passed over, since the double's
//! answers were verified against those two only.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::env::Env;

/// The package name on npm.
pub const PACKAGE: &str = "agora-rtc-sdk-ng";
/// The version downloaded for the built-in page, talking to Agora or to the simulated Web edge
/// (which carries it through the whole voice room, as it does the seed's 4.3.0); pinned in
/// fixtures/web's lock file.
pub const CURRENT_VERSION: &str = "4.24.8";
/// `--web-sdk`'s environment variable.
pub const FLAG_ENV: &str = "AGORA_DOCTOR_WEB_SDK";
/// Set by the npm package's launcher (`npm/bin/agora-doctor.js`): the `agora-rtc-sdk-ng` folder the
/// package depends on.
pub const PACKAGED_ENV: &str = "AGORA_DOCTOR_PACKAGED_WEB_SDK";
/// Overrides the cache folder (default `$XDG_CACHE_HOME/agora-doctor`, else `~/.cache/agora-doctor`).
pub const CACHE_ENV: &str = "AGORA_DOCTOR_CACHE";
/// How long npm may take to get its first answer from the registry before it is stopped: a
/// registry that cannot be reached costs this, not npm's own retries (about 70 s).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);
/// How long the download may go without npm finishing another request before it is stopped.
const STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the whole one-time download may take: within the browser check's own budget (40 s
/// plus the flow's 77 s or the room's 155 s), so that the check can still say why.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(90);
/// A failed download is remembered in the cache for this long, so that the next runs go on
/// without waiting for npm again.
pub const RETRY_AFTER_SECS: u64 = 30 * 60;

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
    /// The reason in a few words, for a summary line (`npm could not reach its registry`).
    pub short: String,
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
    /// Only the versions the page's Web edge can carry a join of (the simulated Web edge's,
    /// [`SIMULATED_WEB_EDGE`]); `None`: any version.
    pub joinable: Option<Joinable>,
    /// This run's clock (unix seconds): how old a remembered failed download is.
    pub now: u64,
}

impl Search {
    /// The search as this run's environment describes it (`flag` is `--web-sdk`, which clap also
    /// takes from [`FLAG_ENV`]).
    pub fn from_env(flag: Option<PathBuf>, joinable: Option<Joinable>, env: &Env) -> Search {
        Search {
            flag,
            cwd: std::env::current_dir().ok(),
            packaged: env.non_blank(PACKAGED_ENV).map(PathBuf::from),
            cache: env_cache_dir(env),
            npm: env
                .non_blank("PATH")
                .and_then(|paths| on_path(paths, "npm")),
            joinable,
            now: env.now(),
        }
    }

    /// Where a download of the wanted version goes.
    fn download_prefix(&self) -> Option<PathBuf> {
        Some(self.cache.as_ref()?.join("web-sdk").join(CURRENT_VERSION))
    }

    /// Where a failed download of the wanted version is remembered.
    fn failure_file(&self) -> Option<PathBuf> {
        Some(
            self.cache
                .as_ref()?
                .join("web-sdk")
                .join(format!("{}.failed", CURRENT_VERSION)),
        )
    }
}

/// A failed download remembered in the cache: when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Failed {
    at: u64,
    why: String,
}

impl Failed {
    fn read(path: &Path) -> Option<Failed> {
        let text = std::fs::read_to_string(path).ok()?;
        let (at, why) = text.split_once('\n')?;
        Some(Failed {
            at: at.trim().parse().ok()?,
            why: why.trim().to_string(),
        })
    }

    fn write(&self, path: &Path) {
        // Best effort: a cache that cannot be written only means the next run tries again.
        let _ = std::fs::write(path, format!("{}\n{}\n", self.at, self.why));
    }

    /// Still remembered at `now` (a time before `at` means the clock moved: not remembered).
    fn fresh(&self, now: u64) -> bool {
        now >= self.at && now - self.at < RETRY_AFTER_SECS
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

/// Which versions a Web edge can carry a join of, and why another one is passed over.
#[derive(Debug, Clone, Copy)]
pub struct Joinable {
    /// Whether a version is carried.
    pub admits: fn(&str) -> bool,
    /// Said after a version that is not ("not used under --sim, whose …").
    pub otherwise: &'static str,
}

/// The simulated Web edge's versions ([`sim_can_join`]).
pub const SIMULATED_WEB_EDGE: Joinable = Joinable {
    admits: sim_can_join,
    otherwise:
        "not used under --sim, whose simulated Web edge carries joins of 4.0-4.6 and 4.24 only",
};

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
            Ok((version, bundle)) => {
                match search.joinable.filter(|edge| !(edge.admits)(&version)) {
                    Some(edge) => passed_over.push(format!(
                        "{} ({}) has Agora Web SDK {version}: {}",
                        dir.display(),
                        source.as_str(),
                        edge.otherwise
                    )),
                    None => {
                        return Ok(WebSdk {
                            version,
                            bundle,
                            source,
                            passed_over,
                        })
                    }
                }
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
    let package = format!("{PACKAGE}@{CURRENT_VERSION}");
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

/// What the search says while it works: only a download is slow enough to be shown (the caller
/// decides how; the search itself prints nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Download {
    /// A download started: what, and into which folder.
    Started(String),
    /// It advanced: requests answered and seconds spent.
    Advanced(String),
    /// It ended: `done`, or `failed: …`.
    Finished(String),
}

/// [`find`], then a download through `npm` into the cache when npm is there. Blocking (the
/// download runs `npm`); `told` hears how the download goes.
pub fn resolve(search: &Search, told: &dyn Fn(Download)) -> Result<WebSdk, Missing> {
    let passed_over = match find(search) {
        Ok(sdk) => return Ok(sdk),
        Err(why) => why,
    };
    let missing = |why: String, short: String| Missing {
        why,
        fix: fix_command(search),
        short,
    };
    if search.flag.is_some() {
        return Err(Missing {
            why: passed_over.join("; "),
            fix: "pass --web-sdk the agora-rtc-sdk-ng folder (or its AgoraRTC_N-production.js)"
                .into(),
            short: "--web-sdk names no Agora Web SDK".into(),
        });
    }
    // A refused cache folder was already said in `passed_over` by `find`.
    let prefix = search.private_download_prefix().unwrap_or_default();
    let (Some(npm), Some(prefix), Some(failure_file)) =
        (&search.npm, prefix, search.failure_file())
    else {
        let lacking = if search.npm.is_none() {
            "no npm to download it"
        } else {
            "no usable cache folder to download it into"
        };
        let mut why = vec![format!(
            "no {PACKAGE} in the working directory's node_modules (or above it), none cached, and {lacking}"
        )];
        why.extend(passed_over);
        return Err(missing(
            why.join("; "),
            format!("no Agora Web SDK, and {lacking}"),
        ));
    };
    let package = format!("{PACKAGE}@{CURRENT_VERSION}");
    // A download that failed a moment ago fails again: say so at once instead of waiting for npm.
    if let Some(failed) = Failed::read(&failure_file).filter(|f| f.fresh(search.now)) {
        let retry_at = failed.at + RETRY_AFTER_SECS;
        let mut m = missing(
            format!(
                "downloading {package} with npm failed {} ({}), remembered in {}; not tried again before {}",
                agora_token_core::time::relative(failed.at, search.now),
                failed.why,
                failure_file.display(),
                agora_token_core::time::rfc3339(retry_at)
            ),
            format!("the Web SDK download failed {}", agora_token_core::time::relative(failed.at, search.now)),
        );
        m.fix = format!(
            "{} (or delete {} to let the next run try npm again)",
            m.fix,
            failure_file.display()
        );
        return Err(m);
    }
    told(Download::Started(format!(
        "downloading Agora Web SDK {} with npm into {} (once; later runs use this copy)",
        CURRENT_VERSION,
        prefix.display()
    )));
    let installed = npm_install(npm, &prefix, &package, told);
    told(Download::Finished(match &installed {
        Ok(()) => "done".to_string(),
        Err(e) => format!("failed: {}", e.short),
    }));
    if let Err(e) = installed {
        Failed {
            at: search.now,
            why: e.why.clone(),
        }
        .write(&failure_file);
        let unreachable = e.short == UNREACHABLE;
        let mut m = missing(
            format!("downloading {package} with npm failed: {}", e.why),
            e.short,
        );
        if unreachable {
            m.fix = format!(
                "{} once npm can reach its registry (check `npm config get registry`, the proxy and the network), or pass --web-sdk PATH",
                m.fix
            );
        }
        return Err(m);
    }
    let _ = std::fs::remove_file(&failure_file);
    let dir = prefix.join("node_modules").join(PACKAGE);
    match read_package(&dir) {
        Ok((version, bundle)) => Ok(WebSdk {
            version,
            bundle,
            source: Source::Download,
            passed_over,
        }),
        Err(why) => Err(missing(why, "the downloaded Web SDK is incomplete".into())),
    }
}

/// The few words for a registry npm could not reach.
const UNREACHABLE: &str = "npm could not reach its registry";

/// Why a download failed: in full, and in a few words.
#[derive(Debug)]
struct NpmFailure {
    why: String,
    short: String,
}

impl NpmFailure {
    fn new(why: impl Into<String>, short: impl Into<String>) -> Self {
        NpmFailure {
            why: why.into(),
            short: short.into(),
        }
    }
}

/// What npm's output says: requests answered (`npm http fetch GET 200 …`), and its error.
#[derive(Debug, Default)]
struct NpmLog {
    fetched: usize,
    error: Option<String>,
    code: Option<String>,
}

impl NpmLog {
    fn read_line(&mut self, line: &str) {
        let line = line.trim();
        if line.starts_with("npm http fetch") {
            self.fetched += 1;
        }
        let Some(rest) = line
            .strip_prefix("npm error ")
            .or_else(|| line.strip_prefix("npm ERR! "))
        else {
            return;
        };
        let rest = rest.trim();
        if let Some(code) = rest.strip_prefix("code ") {
            self.code.get_or_insert_with(|| code.trim().to_string());
        } else if let Some(message) = rest
            .strip_prefix("FetchError: ")
            .or_else(|| rest.strip_prefix("network "))
        {
            self.error.get_or_insert_with(|| message.to_string());
        } else if self.error.is_none()
            && !rest.is_empty()
            && !rest.starts_with("at ")
            && !rest.contains(':')
            && !rest.starts_with("errno")
            && !rest.starts_with("syscall")
        {
            self.error = Some(rest.to_string());
        }
    }

    /// npm's own words for the failure, or `fallback`.
    fn failure(&self, fallback: String) -> NpmFailure {
        let short = match self.code.as_deref() {
            Some(
                "ECONNREFUSED" | "ENOTFOUND" | "EAI_AGAIN" | "ETIMEDOUT" | "ECONNRESET"
                | "ENETUNREACH",
            ) => UNREACHABLE.to_string(),
            Some("E404") => "npm's registry has no such package".to_string(),
            _ => "npm failed".to_string(),
        };
        let why = match (&self.error, &self.code) {
            (Some(e), _) => format!("{fallback}: {e}"),
            (None, Some(c)) => format!("{fallback}: {c}"),
            (None, None) => fallback,
        };
        NpmFailure::new(why, short)
    }
}

/// `npm install --prefix PREFIX PACKAGE`, bounded: npm gets [`CONNECT_TIMEOUT`] for its first
/// answer from the registry, [`STALL_TIMEOUT`] between answers and [`DOWNLOAD_TIMEOUT`] in all,
/// and no retries of its own. Its output is read, not shown: `told` hears the answers counted, and npm's error (if any) becomes the reason.
fn npm_install(
    npm: &Path,
    prefix: &Path,
    package: &str,
    told: &dyn Fn(Download),
) -> Result<(), NpmFailure> {
    use std::io::BufRead as _;
    use std::sync::mpsc;

    std::fs::create_dir_all(prefix).map_err(|e| {
        NpmFailure::new(
            format!("could not create {}: {e}", prefix.display()),
            "the cache folder cannot be written",
        )
    })?;
    let mut child = Command::new(npm)
        .arg("install")
        .arg("--prefix")
        .arg(prefix)
        .args([
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--no-package-lock",
            "--no-progress",
            "--omit=dev",
            "--loglevel=http",
            // npm retries an unreachable registry for about 70 s by default; the timeouts
            // below bound each wait instead.
            "--fetch-retries=0",
            "--fetch-timeout=60000",
            package,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            NpmFailure::new(
                format!("could not start {}: {e}", npm.display()),
                "npm could not be started",
            )
        })?;
    let (lines_tx, lines) = mpsc::channel::<String>();
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|o| Box::new(o) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|e| Box::new(e) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|stream| {
        let tx = lines_tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stream)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        })
    })
    .collect();
    drop(lines_tx);
    let started = Instant::now();
    let mut last_answer = started;
    let mut log = NpmLog::default();
    let stop = |child: &mut std::process::Child, log: &NpmLog, why: String, short: &str| {
        let _ = child.kill();
        let _ = child.wait();
        let mut f = log.failure(why);
        f.short = short.to_string();
        f
    };
    let result = loop {
        while let Ok(line) = lines.try_recv() {
            let before = log.fetched;
            log.read_line(&line);
            if log.fetched > before {
                last_answer = Instant::now();
                told(Download::Advanced(format!(
                    "{} answered, {:.0} s",
                    agora_token_core::words::count(log.fetched as u64, "request"),
                    started.elapsed().as_secs_f64()
                )));
            }
        }
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break Ok(()),
            Ok(Some(status)) => {
                // Let the readers drain what npm printed last (its error).
                for r in readers {
                    let _ = r.join();
                }
                while let Ok(line) = lines.try_recv() {
                    log.read_line(&line);
                }
                let code = status
                    .code()
                    .map_or_else(|| status.to_string(), |c| format!("status {c}"));
                return Err(log.failure(format!("npm exited with {code}")));
            }
            Ok(None) if log.fetched == 0 && started.elapsed() > CONNECT_TIMEOUT => {
                break Err(stop(
                    &mut child,
                    &log,
                    format!(
                        "npm got no answer from its registry within {} s (stopped)",
                        CONNECT_TIMEOUT.as_secs()
                    ),
                    UNREACHABLE,
                ));
            }
            Ok(None) if last_answer.elapsed() > STALL_TIMEOUT => {
                break Err(stop(
                    &mut child,
                    &log,
                    format!(
                        "the download made no progress for {} s (stopped)",
                        STALL_TIMEOUT.as_secs()
                    ),
                    "the Web SDK download stalled",
                ));
            }
            Ok(None) if started.elapsed() > DOWNLOAD_TIMEOUT => {
                break Err(stop(
                    &mut child,
                    &log,
                    format!(
                        "npm did not finish within {} s (stopped)",
                        DOWNLOAD_TIMEOUT.as_secs()
                    ),
                    "the Web SDK download took too long",
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => break Err(NpmFailure::new(e.to_string(), "npm failed")),
        }
    };
    result
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
            &cache.path().join("web-sdk").join(CURRENT_VERSION),
            CURRENT_VERSION,
            true,
        );
        let found = find(&Search {
            cwd: Some(project.path().to_path_buf()),
            cache: Some(cache.path().to_path_buf()),
            joinable: Some(SIMULATED_WEB_EDGE),
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
            joinable: Some(SIMULATED_WEB_EDGE),
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
        let missing = resolve(&wrong, &|_| {}).unwrap_err();
        assert!(missing.why.contains("--web-sdk"), "{missing:?}");
    }

    #[test]
    fn the_packaged_sdk_hoisted_into_the_working_directory_is_labelled_as_the_package() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = package(dir.path(), "4.3.0", false);
        let found = find(&Search {
            cwd: Some(dir.path().to_path_buf()),
            packaged: Some(pkg),
            joinable: Some(SIMULATED_WEB_EDGE),
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
            joinable: Some(SIMULATED_WEB_EDGE),
            ..Search::default()
        };
        let missing = resolve(&search, &|_| {}).unwrap_err();
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

    /// An `npm` that prints what npm 11 prints for a registry on a closed port, exits 1 and leaves
    /// a mark each time it runs.
    fn unreachable_npm(dir: &Path) -> PathBuf {
        use std::os::unix::fs::PermissionsExt as _;
        let npm = dir.join("npm");
        let ran = dir.join("ran");
        std::fs::write(
            &npm,
            format!(
                "#!/bin/sh\necho x >> '{}'\necho 'npm error code ECONNREFUSED' >&2\necho 'npm error FetchError: request to http://127.0.0.1:9/agora-rtc-sdk-ng failed, reason: connect ECONNREFUSED 127.0.0.1:9' >&2\nexit 1\n",
                ran.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&npm, std::fs::Permissions::from_mode(0o755)).unwrap();
        npm
    }

    /// Regression: an unreachable registry cost every run npm's whole retry time (71 s); now the
    /// failure is named in a few words, remembered in the cache, and the next runs do not call npm.
    #[test]
    fn a_failed_download_is_named_remembered_and_not_retried_for_a_while() {
        let dir = tempfile::tempdir().unwrap();
        let search = Search {
            cwd: Some(dir.path().to_path_buf()),
            cache: Some(dir.path().join("cache")),
            npm: Some(unreachable_npm(dir.path())),
            joinable: Some(SIMULATED_WEB_EDGE),
            now: 1_800_000_000,
            ..Search::default()
        };
        let first = resolve(&search, &|_| {}).unwrap_err();
        assert_eq!(first.short, "npm could not reach its registry", "{first:?}");
        assert!(first.why.contains("ECONNREFUSED 127.0.0.1:9"), "{first:?}");
        let runs = || {
            std::fs::read_to_string(dir.path().join("ran"))
                .unwrap()
                .lines()
                .count()
        };
        assert_eq!(runs(), 1);
        let later = Search {
            now: search.now + 600,
            ..search.clone()
        };
        let second = resolve(&later, &|_| {}).unwrap_err();
        assert_eq!(runs(), 1, "npm was called again");
        assert!(second.why.contains("10 min ago"), "{second:?}");
        assert!(second.why.contains("ECONNREFUSED"), "{second:?}");
        assert!(second.fix.contains("delete"), "{second:?}");
        // After a while (or with the clock moved back) npm is tried again.
        for now in [search.now + RETRY_AFTER_SECS, search.now - 1] {
            resolve(
                &Search {
                    now,
                    ..search.clone()
                },
                &|_| {},
            )
            .unwrap_err();
        }
        assert_eq!(runs(), 3);
    }

    #[test]
    fn npm_errors_are_read_into_one_reason() {
        let mut log = NpmLog::default();
        for line in [
            "npm http fetch GET 200 https://registry.npmjs.org/agora-rtc-sdk-ng 812ms (cache miss)",
            "npm error code E404",
            "npm error 404 Not Found - GET https://registry.example/agora-rtc-sdk-ng - not found",
            "npm error 404  'agora-rtc-sdk-ng@4.24.8' is not in this registry.",
        ] {
            log.read_line(line);
        }
        assert_eq!(log.fetched, 1);
        let f = log.failure("npm exited with 1".into());
        assert_eq!(f.short, "npm's registry has no such package");
        assert!(f.why.starts_with("npm exited with 1: "), "{f:?}");
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
