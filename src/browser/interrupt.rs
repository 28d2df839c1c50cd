//! What an interrupted run leaves behind: nothing. A Chromium profile (cookies, DevTools port,
//! cache) lives in a private temporary folder registered here with Chromium's process group; on
//! SIGINT, SIGTERM or SIGHUP the run kills every registered group, removes every registered folder
//! and exits with 128 + the signal's number, as a shell reports a death by that signal.
//!
//! The listener is a thread of its own with a small runtime, started by the first registration and
//! kept for the rest of the process: once a handler is installed the signal's default action is
//! gone, so something must always answer it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};

/// Folders to remove and process groups to kill when the run is interrupted.
#[derive(Default)]
struct Live {
    entries: Vec<(PathBuf, Option<i32>)>,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    entries: Vec::new(),
});
/// The number of the signal being handled (0: none). Set before the clean-up kills Chromium, so a
/// command that fails because Chromium died can tell that the run was interrupted.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
/// Whether the listener runs (set once its handlers are installed).
static ARMED: OnceLock<bool> = OnceLock::new();

/// Remove `folder` if the run is interrupted from now on. Installs the signal handlers first (once
/// per process), so there is no moment when the folder exists and a signal would leave it.
pub fn register(folder: &Path) {
    arm();
    lock().entries.push((folder.to_path_buf(), None));
}

/// Kill process group `group` (Chromium's) before removing `folder` on an interruption.
pub fn set_group(folder: &Path, group: i32) {
    if let Some(entry) = lock().entries.iter_mut().find(|(f, _)| f == folder) {
        entry.1 = Some(group);
    }
}

/// `folder` is gone (or being removed) by its owner: no longer the listener's business.
pub fn unregister(folder: &Path) {
    lock().entries.retain(|(f, _)| f != folder);
}

fn lock() -> std::sync::MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Start the listener once and wait until its handlers are installed; `false` when they could not
/// be (the folders are then removed on a normal end only). Call it before making what
/// [`register`] will name.
pub fn arm() -> bool {
    *ARMED.get_or_init(|| {
        let (ready, armed) = std::sync::mpsc::channel();
        let started = std::thread::Builder::new()
            .name("agora-doctor-signals".into())
            .spawn(move || listen(ready));
        started.is_ok() && armed.recv().unwrap_or(false)
    })
}

fn listen(ready: std::sync::mpsc::Sender<bool>) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        let _ = ready.send(false);
        return;
    };
    runtime.block_on(async move {
        let streams = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        );
        let (Ok(mut int), Ok(mut term), Ok(mut hup)) = streams else {
            let _ = ready.send(false);
            return;
        };
        let _ = ready.send(true);
        let number = tokio::select! {
            _ = int.recv() => libc_number(nix::sys::signal::Signal::SIGINT),
            _ = term.recv() => libc_number(nix::sys::signal::Signal::SIGTERM),
            _ = hup.recv() => libc_number(nix::sys::signal::Signal::SIGHUP),
        };
        RECEIVED.store(number, Ordering::SeqCst);
        clean_up();
        std::process::exit(128 + number);
    });
}

/// Called when a command ends: if a signal arrived, the listener is removing what the run left and
/// exits with 128 + its number when done. Wait for that instead of racing it to an exit of our own,
/// which would report a plain failure (Chromium killed by the clean-up) instead of the signal.
pub fn settle() {
    let number = RECEIVED.load(Ordering::SeqCst);
    if number != 0 {
        // The clean-up retries each folder for at most a second; this bound is only a backstop.
        std::thread::sleep(Duration::from_secs(10));
        std::process::exit(128 + number);
    }
}

fn libc_number(signal: nix::sys::signal::Signal) -> i32 {
    signal as i32
}

/// Kill every registered group, then remove every registered folder (retrying while a dying
/// process may still write into it).
fn clean_up() {
    let entries = std::mem::take(&mut lock().entries);
    for (_, group) in &entries {
        if let Some(group) = group {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(*group),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
    for (folder, _) in &entries {
        for _ in 0..50 {
            let _ = std::fs::remove_dir_all(folder);
            if !folder.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
