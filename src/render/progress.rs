//! One progress line on stderr for slow work (the Web SDK's download): what the work tells, shown.

use std::io::{self, Write};
use std::sync::Mutex;

use super::style;
use crate::browser::web_sdk::Download;

/// One progress line on stderr for slow work: rewritten in place on a terminal as the work
/// advances, otherwise printed once when it starts and once when it ends (a log keeps two lines,
/// not one per step).
pub struct Progress {
    message: String,
    terminal: bool,
}

impl Progress {
    /// Say that `message` started.
    pub fn start(message: &str) -> Progress {
        use std::io::IsTerminal as _;
        // A path in the message may hold control characters: they are shown, not obeyed.
        let message = style::escape_controls(message, false);
        let p = Progress {
            message: message.to_string(),
            terminal: io::stderr().is_terminal(),
        };
        let _ = write!(io::stderr(), "agora-doctor: {message}…");
        if !p.terminal {
            let _ = writeln!(io::stderr());
        }
        p
    }

    /// Show how far it got (on a terminal only).
    pub fn update(&self, status: &str) {
        if self.terminal {
            let _ = write!(
                io::stderr(),
                "\r\x1b[Kagora-doctor: {}… {status}",
                self.message
            );
        }
    }

    /// Say how it ended.
    pub fn finish(&self, outcome: String) {
        if self.terminal {
            let _ = writeln!(
                io::stderr(),
                "\r\x1b[Kagora-doctor: {}: {outcome}",
                self.message
            );
        } else {
            let _ = writeln!(io::stderr(), "agora-doctor: {}: {outcome}", self.message);
        }
    }
}

/// A listener for a Web SDK search that shows its download as one [`Progress`] line.
pub fn download_line() -> impl Fn(Download) + Send + Sync {
    let line: Mutex<Option<Progress>> = Mutex::new(None);
    move |told| {
        let mut line = line.lock().unwrap_or_else(|e| e.into_inner());
        match told {
            Download::Started(message) => *line = Some(Progress::start(&message)),
            Download::Advanced(status) => {
                if let Some(p) = line.as_ref() {
                    p.update(&status);
                }
            }
            Download::Finished(outcome) => {
                if let Some(p) = line.take() {
                    p.finish(outcome);
                }
            }
        }
    }
}
