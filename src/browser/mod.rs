//! Headless Chromium over CDP: launch with a fresh profile, open pages, capture console output and
//! uncaught exceptions, evaluate JavaScript, and kill the whole process tree on drop.
//!
//! Chromium is spawned by us (not by chromiumoxide) so that: it runs in its own process group, which
//! [`Chromium`]'s `Drop` kills as a whole; and it is started through `setpriv --pdeathsig KILL`, so the
//! kernel kills it even if this process dies by a signal it cannot handle (SIGKILL). chromiumoxide
//! then attaches to the DevTools socket Chromium prints. Recipe and traps: `docs/probe-facts.md#driving-chromium`.

mod console;
pub mod demo_page;
pub mod flow;
pub mod interrupt;
pub mod room;
pub mod web_sdk;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::browser::Browser;
use chromiumoxide::cdp::browser_protocol::log::{self, EventEntryAdded};
use chromiumoxide::cdp::js_protocol::runtime::{
    self, EvaluateParams, EventConsoleApiCalled, EventExceptionThrown,
};
use chromiumoxide::handler::HandlerConfig;
use chromiumoxide::Page;
use futures::StreamExt;
use tokio::task::JoinHandle;

pub use console::{explained, shorten, ConsoleEntry, ConsoleKind};

/// Where Debian and most distributions put Chromium; the real binary first, because Debian's
/// `/usr/bin/chromium` wrapper adds flags of its own and prints shell errors in containers.
const EXECUTABLE_CANDIDATES: &[&str] = &[
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
];

/// Chromium's headless shell (Debian's `chromium-headless-shell`, same version and engine as
/// `chromium`, without the desktop browser around it). It is ready to load a page in ~0.06 s where
/// `chromium --headless=new` takes ~0.3 s, so the built-in demo page's flow prefers it.
const HEADLESS_SHELL_CANDIDATES: &[&str] = &[
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium-headless-shell",
];
/// The same program under the names other packagings give it, looked up on `PATH`.
const HEADLESS_SHELL_NAMES: &[&str] = &["chromium-headless-shell", "chrome-headless-shell"];

/// What a user runs to get Chromium when none is found.
pub const INSTALL_HINT: &str = "install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`) \
or pass --chromium PATH";

/// Flags every launch gets. Headless and sandbox-less (containers run as root); no background
/// traffic to Google (this kind of machine refuses it, many connections at a time); no first-run UI.
const BASE_FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--remote-debugging-port=0",
    // Chrome upgrades http:// navigations to registrable domains; we want to see the page as asked.
    "--disable-features=HttpsUpgrades",
];

/// How long Chromium may take to print its DevTools address.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(20);
/// Upper bound for one CDP command; page calls get their own, shorter, deadlines.
const CDP_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How often to look again while waiting for the first tab or its load.
const POLL: Duration = Duration::from_millis(10);
/// How long closing a tab may take.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(3);

/// Failures driving the browser.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// No Chromium binary was found.
    #[error("no Chromium found; {INSTALL_HINT}")]
    NotFound,
    /// Chromium could not be started.
    #[error("could not start {path}: {source}; check that it runs: `{path} --version`")]
    Spawn {
        /// The executable tried.
        path: String,
        /// Why it failed.
        source: std::io::Error,
    },
    /// Chromium started but never offered a DevTools socket.
    #[error("Chromium did not start its DevTools socket within {0:?}; its last words: {1}")]
    NoDevTools(Duration, String),
    /// A CDP command failed.
    #[error("Chromium DevTools: {0}")]
    Cdp(String),
    /// Navigation failed (DNS, refused, certificate…).
    #[error("could not load {url}: {reason}; check the address is reachable from this machine")]
    Navigation {
        /// The URL asked for.
        url: String,
        /// Chromium's reason, e.g. `net::ERR_CONNECTION_REFUSED`.
        reason: String,
    },
    /// A script threw or its promise rejected.
    #[error("the page's script failed: {0}")]
    Script(String),
    /// A page call did not finish in time.
    #[error("the page did not answer within {0:?}")]
    Timeout(Duration),
    /// Chromium runs, but the page did not finish loading (no load event) in time: a page that
    /// stalls or never ends.
    #[error("Chromium started, but {url} did not finish loading within {} s", .after.as_secs())]
    LoadTimeout {
        /// The URL asked for.
        url: String,
        /// The bound.
        after: Duration,
    },
}

/// How to launch Chromium.
#[derive(Debug, Clone, Default)]
pub struct LaunchOptions {
    /// The Chromium binary; `None` = search the usual places ([`find_chromium`]).
    pub executable: Option<PathBuf>,
    /// `MAP host target` rules for `--host-resolver-rules`, e.g. `("lan.example", "127.0.0.1")`,
    /// to give a loopback server a made-up (and therefore insecure) name.
    pub host_rules: Vec<(String, String)>,
    /// Accept self-signed certificates (the simulated edge's).
    pub ignore_certificate_errors: bool,
    /// Accept the microphone permission prompt, as a user clicking "Allow" would. Devices stay real.
    pub grant_media: bool,
    /// Extra environment for Chromium, e.g. `PULSE_SERVER` for a PulseAudio virtual microphone.
    pub env: Vec<(String, String)>,
    /// Further Chromium flags as typed (`--unsafely-treat-insecure-origin-as-secure=…`).
    pub extra_args: Vec<String>,
    /// Load this page in Chromium's first tab at start, so it loads while DevTools attaches
    /// (saves a tab's creation and ~0.3 s of load time); [`Chromium::open`] on the same URL then
    /// adopts that tab. Console output printed before the adoption is replayed, not lost.
    pub start_url: Option<String>,
}

/// The names Chromium is installed under on `PATH` (Debian, Ubuntu, Google's package).
const EXECUTABLE_NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome"];

/// Find a Chromium binary: the usual install paths, then its names on `PATH`. The one search: the
/// browser check launches what it finds and `report` names its version.
pub fn find_chromium() -> Option<PathBuf> {
    first_file(EXECUTABLE_CANDIDATES).or_else(|| on_path(EXECUTABLE_NAMES))
}

/// Find Chromium's headless shell (see [`HEADLESS_SHELL_CANDIDATES`]).
pub fn find_headless_shell() -> Option<PathBuf> {
    first_file(HEADLESS_SHELL_CANDIDATES).or_else(|| on_path(HEADLESS_SHELL_NAMES))
}

fn first_file(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|p| p.is_file())
}

/// A running headless Chromium. Dropping it kills Chromium's whole process group and removes the
/// profile directory.
pub struct Chromium {
    browser: Option<Browser>,
    handler: JoinHandle<()>,
    child: Child,
    profile: Option<tempfile::TempDir>,
    version: String,
    /// The first tab's page, until [`Chromium::open`] adopts it.
    start_url: Mutex<Option<String>>,
}

impl Chromium {
    /// Launch Chromium with a fresh profile and attach to it.
    pub async fn launch(options: &LaunchOptions) -> Result<Chromium, BrowserError> {
        let executable = match &options.executable {
            Some(path) => path.clone(),
            None => find_chromium().ok_or(BrowserError::NotFound)?,
        };
        // Private (0700: cookies, cache and the DevTools port are this user's alone), and removed
        // even when the run is interrupted: the signal handlers are in place before it exists.
        interrupt::arm();
        let profile = tempfile::Builder::new()
            .prefix("agora-doctor-chromium-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .tempdir()
            .map_err(|source| BrowserError::Spawn {
                path: "a temporary profile directory".into(),
                source,
            })?;
        interrupt::register(profile.path());
        let mut child = match spawn(&executable, profile.path(), options) {
            Ok(child) => child,
            Err(e) => {
                interrupt::unregister(profile.path());
                return Err(e);
            }
        };
        if let Ok(group) = i32::try_from(child.id()) {
            interrupt::set_group(profile.path(), group);
        }
        let stderr = child.stderr.take();
        let ws_url = match wait_for_devtools(stderr).await {
            Ok(url) => url,
            Err(e) => {
                kill_tree(&mut child);
                interrupt::unregister(profile.path());
                return Err(e);
            }
        };
        let config = HandlerConfig {
            // Let the command-line flag alone decide about certificates.
            ignore_https_errors: false,
            request_timeout: CDP_REQUEST_TIMEOUT,
            ..HandlerConfig::default()
        };
        let (browser, mut handler) = match Browser::connect_with_config(ws_url, config).await {
            Ok(pair) => pair,
            Err(e) => {
                kill_tree(&mut child);
                interrupt::unregister(profile.path());
                return Err(BrowserError::Cdp(e.to_string()));
            }
        };
        // Keep driving the connection until it ends; a message the bindings cannot parse is
        // dropped by chromiumoxide and must not stop the loop.
        let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
        let version = browser
            .version()
            .await
            .map(|v| v.product)
            .unwrap_or_default();
        Ok(Chromium {
            browser: Some(browser),
            handler,
            child,
            profile: Some(profile),
            version,
            start_url: Mutex::new(options.start_url.clone()),
        })
    }

    /// The product string, e.g. `Chrome/156.0.8078.79`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Open a new tab, start recording its console, and load `url`. Returns once the load event
    /// fired (or the navigation failed). The launch's `start_url` is not loaded again: its tab is
    /// adopted.
    pub async fn open(&self, url: &str, deadline: Duration) -> Result<Tab, BrowserError> {
        let browser = self
            .browser
            .as_ref()
            .ok_or(BrowserError::Cdp("the browser is closed".into()))?;
        let adopt = {
            let mut start = self.start_url.lock().unwrap_or_else(|e| e.into_inner());
            if start.as_deref() == Some(url) {
                start.take()
            } else {
                None
            }
        };
        if adopt.is_some() {
            return within(deadline, adopt_start_tab(browser, url)).await?;
        }
        let tab = within(deadline, async {
            let page = browser.new_page("about:blank").await.map_err(cdp)?;
            Tab::record(page).await
        })
        .await??;
        load(tab, url, deadline).await
    }

    /// Like [`Chromium::open`], in a browser context of its own (CDP `Target.createBrowserContext`):
    /// separate cookies, storage and cache, as a second person on another machine would have. The
    /// context goes with the browser.
    pub async fn open_isolated(&self, url: &str, deadline: Duration) -> Result<Tab, BrowserError> {
        use chromiumoxide::cdp::browser_protocol::target::{
            CreateBrowserContextParams, CreateTargetParams,
        };
        let browser = self
            .browser
            .as_ref()
            .ok_or(BrowserError::Cdp("the browser is closed".into()))?;
        let tab = within(deadline, async {
            let context = browser
                .create_browser_context(CreateBrowserContextParams::default())
                .await
                .map_err(cdp)?;
            let params = CreateTargetParams::builder()
                .url("about:blank")
                .browser_context_id(context)
                .build()
                .map_err(BrowserError::Cdp)?;
            let page = browser.new_page(params).await.map_err(cdp)?;
            Tab::record(page).await
        })
        .await??;
        load(tab, url, deadline).await
    }

    /// End Chromium: kill its whole process group, reap it, remove the profile. No polite
    /// `Browser.close` first: the profile is thrown away, so there is nothing to save.
    pub async fn close(self) {
        drop(self);
    }
}

/// Load `url` in `tab` (recording since `about:blank`); returns once the load event fired.
async fn load(tab: Tab, url: &str, deadline: Duration) -> Result<Tab, BrowserError> {
    {
        let loaded = within(deadline, async {
            tab.page
                .goto(url)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .await;
        match loaded {
            Ok(Ok(())) => Ok(tab),
            Ok(Err(reason)) => Err(BrowserError::Navigation {
                url: url.to_string(),
                reason,
            }),
            Err(e) => Err(e),
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.handler.abort();
        kill_tree(&mut self.child);
        // The profile directory can only go once nothing writes to it any more.
        if let Some(profile) = self.profile.take() {
            interrupt::unregister(profile.path());
            let _ = profile.close();
        }
    }
}

/// Kill Chromium's process group (browser, zygotes, renderers, utilities) and reap the browser.
fn kill_tree(child: &mut Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        // The group id is the browser's pid (spawned with process_group(0)).
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn spawn(
    executable: &Path,
    profile: &Path,
    options: &LaunchOptions,
) -> Result<Child, BrowserError> {
    use std::os::unix::process::CommandExt;

    let mut args: Vec<String> = BASE_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    if !options.host_rules.is_empty() {
        let rules: Vec<String> = options
            .host_rules
            .iter()
            .map(|(host, target)| format!("MAP {host} {target}"))
            .collect();
        args.push(format!("--host-resolver-rules={}", rules.join(", ")));
    }
    if options.ignore_certificate_errors {
        args.push("--ignore-certificate-errors".into());
    }
    if options.grant_media {
        args.push("--use-fake-ui-for-media-stream".into());
    }
    args.extend(options.extra_args.iter().cloned());
    args.push(
        options
            .start_url
            .clone()
            .unwrap_or_else(|| "about:blank".into()),
    );

    // setpriv (util-linux) sets PR_SET_PDEATHSIG before exec'ing Chromium: if we die, so does it.
    let setpriv = Path::new("/usr/bin/setpriv");
    let mut command = if setpriv.is_file() {
        let mut c = Command::new(setpriv);
        c.arg("--pdeathsig").arg("KILL").arg("--").arg(executable);
        c
    } else {
        Command::new(executable)
    };
    // Chromium's own temporary files (its org.chromium.Chromium.* folders) go inside the private
    // profile, so they go with it, on an interruption too.
    let tmp = profile.join("tmp");
    let _ = std::fs::create_dir(&tmp);
    command
        .args(&args)
        .envs(options.env.iter().map(|(k, v)| (k, v)))
        .env("TMPDIR", &tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0);
    command.spawn().map_err(|source| BrowserError::Spawn {
        path: executable.display().to_string(),
        source,
    })
}

/// Read Chromium's stderr until it names its DevTools socket; keep draining it afterwards so
/// Chromium never blocks on a full pipe.
async fn wait_for_devtools(
    stderr: Option<std::process::ChildStderr>,
) -> Result<String, BrowserError> {
    let Some(stderr) = stderr else {
        return Err(BrowserError::NoDevTools(LAUNCH_TIMEOUT, "no stderr".into()));
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<Result<String, String>>();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        let mut last = String::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(at) = line.find("ws://") {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(Ok(line[at..].trim().to_string()));
                }
            } else if tx.is_some() {
                last = line;
            }
        }
        if let Some(tx) = tx.take() {
            let _ = tx.send(Err(last));
        }
    });
    match tokio::time::timeout(LAUNCH_TIMEOUT, rx).await {
        Ok(Ok(Ok(url))) => Ok(url),
        Ok(Ok(Err(last))) => Err(BrowserError::NoDevTools(LAUNCH_TIMEOUT, last)),
        Ok(Err(_)) => Err(BrowserError::NoDevTools(
            LAUNCH_TIMEOUT,
            "stderr closed".into(),
        )),
        Err(_) => Err(BrowserError::NoDevTools(LAUNCH_TIMEOUT, "timed out".into())),
    }
}

/// Take over the first tab, which has been loading the launch's `start_url`: record its console
/// (replaying what it printed before we listened) and wait for its load event.
async fn adopt_start_tab(browser: &Browser, url: &str) -> Result<Tab, BrowserError> {
    // The tab shows up once chromiumoxide has attached to it.
    let page = loop {
        if let Some(page) = browser.pages().await.map_err(cdp)?.into_iter().next() {
            break page;
        }
        tokio::time::sleep(POLL).await;
    };
    // chromiumoxide enabled Runtime and Log on attach, before any listener of ours existed.
    // Disabling them and enabling them again after subscribing makes Chromium send everything
    // it stored (console calls, uncaught exceptions, log entries) once more, to us.
    page.execute(runtime::DisableParams::default())
        .await
        .map_err(cdp)?;
    page.execute(log::DisableParams::default())
        .await
        .map_err(cdp)?;
    let tab = Tab::record(page).await?;
    tab.page
        .execute(runtime::EnableParams::default())
        .await
        .map_err(cdp)?;
    tab.page
        .execute(log::EnableParams::default())
        .await
        .map_err(cdp)?;
    // Until the navigation commits the tab still shows about:blank; a failed load ends on
    // Chromium's error page.
    loop {
        // A navigation in flight replaces the context under the call: just ask again.
        let state = tab
            .eval(
                "({href: location.href, ready: document.readyState})",
                CDP_REQUEST_TIMEOUT,
            )
            .await;
        if let Ok(state) = state {
            let href = state["href"].as_str().unwrap_or("");
            if href.starts_with("chrome-error:") {
                return Err(BrowserError::Navigation {
                    url: url.to_string(),
                    reason: "Chromium showed its error page".into(),
                });
            }
            if href != "about:blank" && state["ready"] == "complete" {
                return Ok(tab);
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

fn cdp(e: chromiumoxide::error::CdpError) -> BrowserError {
    BrowserError::Cdp(e.to_string())
}

async fn within<T>(
    deadline: Duration,
    work: impl std::future::Future<Output = T>,
) -> Result<T, BrowserError> {
    tokio::time::timeout(deadline, work)
        .await
        .map_err(|_| BrowserError::Timeout(deadline))
}

/// One open tab with everything its console printed since it was opened.
pub struct Tab {
    page: Page,
    entries: Arc<Mutex<Vec<ConsoleEntry>>>,
    listeners: Vec<JoinHandle<()>>,
}

impl Tab {
    /// Subscribe to console calls, uncaught exceptions and browser log entries before navigating.
    async fn record(page: Page) -> Result<Tab, BrowserError> {
        let entries = Arc::new(Mutex::new(Vec::new()));
        let mut listeners = Vec::new();

        let mut calls = page
            .event_listener::<EventConsoleApiCalled>()
            .await
            .map_err(cdp)?;
        let sink = entries.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(event) = calls.next().await {
                push(&sink, console::from_console_call(&event));
            }
        }));

        let mut thrown = page
            .event_listener::<EventExceptionThrown>()
            .await
            .map_err(cdp)?;
        let sink = entries.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(event) = thrown.next().await {
                push(&sink, console::from_exception(&event));
            }
        }));

        let mut logged = page
            .event_listener::<EventEntryAdded>()
            .await
            .map_err(cdp)?;
        let sink = entries.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(event) = logged.next().await {
                push(&sink, console::from_log_entry(&event));
            }
        }));

        Ok(Tab {
            page,
            entries,
            listeners,
        })
    }

    /// Evaluate `expression` (top-level `await` allowed) and return its JSON value; a thrown error
    /// or rejected promise is [`BrowserError::Script`].
    pub async fn eval(
        &self,
        expression: &str,
        deadline: Duration,
    ) -> Result<serde_json::Value, BrowserError> {
        let params = EvaluateParams::builder()
            .expression(expression)
            .repl_mode(true)
            .await_promise(true)
            .return_by_value(true)
            .build()
            .map_err(BrowserError::Cdp)?;
        let result = within(deadline, self.page.evaluate_expression(params)).await?;
        match result {
            Ok(value) => Ok(value.value().cloned().unwrap_or(serde_json::Value::Null)),
            Err(chromiumoxide::error::CdpError::JavascriptException(details)) => {
                Err(BrowserError::Script(console::exception_text(&details)))
            }
            Err(e) => Err(cdp(e)),
        }
    }

    /// Everything recorded so far, in arrival order.
    pub fn console(&self) -> Vec<ConsoleEntry> {
        self.entries.lock().map(|e| e.clone()).unwrap_or_default()
    }

    /// Wait until `predicate` holds for the recorded console, or `deadline` passes; returns whether
    /// it held. Polls, because console events arrive after the calls that cause them.
    pub async fn wait_console(
        &self,
        deadline: Duration,
        predicate: impl Fn(&[ConsoleEntry]) -> bool,
    ) -> bool {
        let start = tokio::time::Instant::now();
        loop {
            if predicate(&self.console()) {
                return true;
            }
            if start.elapsed() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Close the tab.
    pub async fn close(self) {
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, self.page.clone().close()).await;
    }
}

impl Drop for Tab {
    fn drop(&mut self) {
        for listener in &self.listeners {
            listener.abort();
        }
    }
}

fn push(sink: &Mutex<Vec<ConsoleEntry>>, entry: ConsoleEntry) {
    if let Ok(mut entries) = sink.lock() {
        entries.push(entry);
    }
}
