//! The process environment, read once before any command runs: the variables, the clock, stdin and
//! whether the standard streams are terminals. Commands receive an [`Env`]; they never read
//! `std::env` or stdin themselves, and they read the tool's clock through this module only
//! ([`Env::now`] once per command, [`clock`] where a measurement needs the moment itself), so a
//! test can build an `Env` and fix all of it.
//!
//! `AGORA_DOCTOR_NOW` (RFC 3339 or unix seconds) places the whole run, the simulated edge included,
//! at that instant (see the `agora-clock` crate): a report can be reproduced later, and the test
//! suite compares outputs that mention dates without depending on today's.

use std::collections::BTreeMap;
use std::io::{self, BufRead, IsTerminal};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The variable that sets the tool's clock.
pub const NOW_ENV: &str = "AGORA_DOCTOR_NOW";
/// The variable holding the App Certificate.
pub const CERT_ENV: &str = "AGORA_APP_CERTIFICATE";
/// The variable holding the App ID (clap reads it for `--app-id`; `--sim` ignores it).
pub const APP_ID_ENV: &str = "AGORA_APP_ID";

/// The tool's own variables that must be UTF-8: ignoring one silently would run without the
/// certificate the user set, or at the wrong time.
const MUST_BE_UTF8: &[&str] = &[CERT_ENV, NOW_ENV];

/// The variables that are valid UTF-8 (others are not the tool's business), or an error naming one
/// of [`MUST_BE_UTF8`] that is not. The value is never quoted: it may be a secret.
fn utf8_vars(
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (key, value) in vars {
        let Ok(key) = key.into_string() else { continue };
        match value.into_string() {
            Ok(value) => {
                out.insert(key, value);
            }
            Err(_) if MUST_BE_UTF8.contains(&key.as_str()) => {
                let what = if key == CERT_ENV {
                    "the 32 hex digits of the App Certificate from the Agora console"
                } else {
                    "RFC 3339 (2026-12-05T10:00:00Z) or unix seconds"
                };
                return Err(format!(
                    "{key} is set but is not valid UTF-8 text; set it to {what}, or unset it"
                ));
            }
            Err(_) => {}
        }
    }
    Ok(out)
}

/// Everything the tool reads from its process, once.
pub struct Env {
    vars: BTreeMap<String, String>,
    stdin: Mutex<Box<dyn BufRead + Send>>,
    /// Whether stdout is a terminal (colour `auto`).
    pub stdout_is_terminal: bool,
    /// Whether stderr is a terminal (spinners only then).
    pub stderr_is_terminal: bool,
    /// Arguments whose value clap took from an environment variable (e.g. `app_id` from
    /// `AGORA_APP_ID`), not from the command line.
    pub from_env: Vec<String>,
}

impl std::fmt::Debug for Env {
    // The variables hold secrets (the App Certificate): list their names only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .field("stdout_is_terminal", &self.stdout_is_terminal)
            .field("stderr_is_terminal", &self.stderr_is_terminal)
            .field("from_env", &self.from_env)
            .finish_non_exhaustive()
    }
}

impl Env {
    /// Read this process's environment and set the clock from `AGORA_DOCTOR_NOW`.
    pub fn from_process(from_env: Vec<String>) -> Result<Env, String> {
        let vars = utf8_vars(std::env::vars_os())?;
        let env = Env {
            vars,
            stdin: Mutex::new(Box::new(io::BufReader::new(io::stdin()))),
            stdout_is_terminal: io::stdout().is_terminal(),
            stderr_is_terminal: io::stderr().is_terminal(),
            from_env,
        };
        env.install_clock()?;
        Ok(env)
    }

    /// An environment for tests: these variables, this stdin, no terminal.
    pub fn fixed(vars: &[(&str, &str)], stdin: &str) -> Env {
        Env {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            stdin: Mutex::new(Box::new(io::Cursor::new(stdin.as_bytes().to_vec()))),
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            from_env: Vec::new(),
        }
    }

    /// A variable's value, when set and valid UTF-8.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// A variable's value when set to something other than blanks.
    pub fn non_blank(&self, name: &str) -> Option<&str> {
        self.var(name).filter(|v| !v.trim().is_empty())
    }

    /// `AGORA_APP_CERTIFICATE` as set (blank included, so that its reader can say it is empty): the
    /// one place the tool reads it.
    pub fn certificate(&self) -> Option<&str> {
        self.var(CERT_ENV)
    }

    /// Whether clap took argument `id`'s value from its environment variable.
    pub fn came_from_env(&self, id: &str) -> bool {
        self.from_env.iter().any(|i| i == id)
    }

    /// The tool's clock: unix seconds now (fixed by `AGORA_DOCTOR_NOW` when set).
    pub fn now(&self) -> u64 {
        unix(clock())
    }

    /// Run `f` with stdin (read by at most one input of a run: a token list, a certificate, a log).
    pub fn with_stdin<T>(&self, f: impl FnOnce(&mut dyn BufRead) -> T) -> T {
        let mut guard = self.stdin.lock().unwrap_or_else(|e| e.into_inner());
        f(guard.as_mut())
    }

    /// Set the process clock from `AGORA_DOCTOR_NOW` when it is present.
    fn install_clock(&self) -> Result<(), String> {
        let Some(text) = self.var(NOW_ENV) else {
            return Ok(());
        };
        let unix = crate::time::parse(text).map_err(|_| {
            format!("{NOW_ENV}={text:?} is not a time: give RFC 3339 (2026-12-05T10:00:00Z) or unix seconds, or unset it")
        })?;
        agora_clock::set(UNIX_EPOCH + Duration::from_secs(unix));
        Ok(())
    }
}

/// The tool's clock at this moment (placed by `AGORA_DOCTOR_NOW` when set, then ticking): for what
/// measures against it as it runs (the clock check's ticks, a token judged after a join); a
/// command's own "now" is [`Env::now`].
pub fn clock() -> SystemTime {
    agora_clock::now()
}

/// Whole unix seconds of a time on the tool's clock (0 before 1970).
pub fn unix(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;

    use super::*;

    /// Regression: a non-UTF-8 AGORA_APP_CERTIFICATE or AGORA_DOCTOR_NOW was silently dropped.
    #[test]
    fn the_tools_own_variables_must_be_utf8_and_are_never_quoted() {
        let bad = || OsString::from_vec(b"5CFd2fd1755d40ec\xffb72977518be15d3b".to_vec());
        for name in [CERT_ENV, NOW_ENV] {
            let vars = vec![(OsString::from(name), bad())];
            let e = utf8_vars(vars.into_iter()).unwrap_err();
            assert!(e.contains(name) && e.contains("not valid UTF-8"), "{e}");
            assert!(!e.contains("5CFd2fd"), "the value is quoted: {e}");
        }
        // Anyone else's variable that is not UTF-8 is left out, as before.
        let vars = vec![
            (OsString::from("SOME_PATH"), bad()),
            (OsString::from(APP_ID_ENV), OsString::from("abc")),
        ];
        let got = utf8_vars(vars.into_iter()).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[APP_ID_ENV], "abc");
    }
}
