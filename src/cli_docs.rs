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

/// One roff page per command, the top-level first, subcommands after it in declared order.
fn render_man(command: &clap::Command, out: &mut Vec<u8>) {
    // Writing into a Vec<u8> cannot fail.
    let _ = clap_mangen::Man::new(command.clone()).render(out);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("{}-{}", command.get_name(), sub.get_name());
        let sub = sub.clone().name(name);
        render_man(&sub, out);
    }
}
