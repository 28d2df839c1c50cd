//! Shell completions and the man page, generated from the same clap definitions as the parser, so
//! they can never disagree with the flags the binary accepts.

use clap::CommandFactory;

use crate::cli::Cli;

/// The completion script for `shell`, as text.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "agora-doctor", &mut out);
    // clap_complete writes only UTF-8 (it formats Rust strings).
    let script = String::from_utf8_lossy(&out).into_owned();
    if shell == clap_complete::Shell::Bash {
        // clap_complete 4.6 spells the state of a hyphenated binary two ways: the dispatch loop sets
        // `agora__doctor__subcmd__token`, the case arms test `agora__subcmd__doctor__subcmd__token`,
        // so no subcommand option ever completes (clap-rs/clap#6421, still open). Spell the arms
        // the way the loop does.
        return script.replace("agora__subcmd__doctor", "agora__doctor");
    }
    script
}

/// The man page of `agora-doctor` and every subcommand, as roff.
pub fn man_page() -> String {
    let command = Cli::command();
    let mut out = Vec::new();
    render_man(&command, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The top-level page's EXIT STATUS and ENVIRONMENT sections (clap knows neither), in roff.
const EXIT_AND_ENVIRONMENT: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
everything asked for is fine; warnings are allowed unless \fB\-\-strict\fR, and a skipped check (an input or prerequisite was missing) is not a failure
.TP
\fB1\fR
at least one finding failed (with \fB\-\-strict\fR: or warned)
.TP
\fB2\fR
could not run: bad arguments, unreadable input, or the simulated edge could not start
.SH ENVIRONMENT
.TP
\fBAGORA_APP_ID\fR
the App ID, when \fB\-\-app\-id\fR is not given (ignored under \fB\-\-sim\fR, which says so)
.TP
\fBAGORA_APP_CERTIFICATE\fR
the App Certificate, to verify and build tokens; never printed (ignored under \fB\-\-sim\fR)
.TP
\fBAGORA_DOCTOR_NOW\fR
moves the clock of the whole run (RFC 3339 or unix seconds); it keeps ticking from there
.TP
\fBAGORA_DOCTOR_EDGE\fR
probe: the HTTPS endpoints to check instead of Agora's (\fB\-\-edge\fR)
.TP
\fBAGORA_DOCTOR_STUN\fR
probe: the STUN server for the UDP check (\fB\-\-stun\fR)
.TP
\fBAGORA_DOCTOR_WEB_SDK\fR
probe: the Agora Web SDK the built\-in demo page loads (\fB\-\-web\-sdk\fR)
.TP
\fBAGORA_DOCTOR_NO_BROWSER\fR
probe: leave Chromium out (\fB\-\-no\-browser\fR)
.TP
\fBAGORA_DOCTOR_CACHE\fR
the cache folder (the SDK double, a downloaded Web SDK); else \fB$XDG_CACHE_HOME/agora\-doctor\fR, else \fB~/.cache/agora\-doctor\fR
.TP
\fBAGORA_DOCTOR_PACKAGED_WEB_SDK\fR
set by the npm package's launcher: the Web SDK the package depends on
.TP
\fBAGORA_SDK_LIB\fR
join: Agora's native SDK library (\fB\-\-sdk\fR)
.TP
\fBNO_COLOR\fR, \fBTERM\fR
with \fB\-\-color auto\fR, colour only when stdout is a terminal, NO_COLOR is unset and TERM is not dumb
"#;

/// One roff page per command, the top-level first, subcommands after it in declared order.
fn render_man(command: &clap::Command, out: &mut Vec<u8>) {
    // Writing into a Vec<u8> cannot fail.
    let _ = clap_mangen::Man::new(command.clone()).render(out);
    if command.get_name() == "agora-doctor" {
        out.extend_from_slice(EXIT_AND_ENVIRONMENT.as_bytes());
    }
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("{}-{}", command.get_name(), sub.get_name());
        let sub = sub.clone().name(name);
        render_man(&sub, out);
    }
}
