//! Tidy: every `agora-doctor …` command the catalog, the README and the `--help` texts suggest parses
//! with the real argument parser (`agora_doctor::cli::Cli`), so no text tells a user to run a command
//! that does not exist (the catalog once cited `agora-doctor token check …`).
//!
//! Placeholders become a value: `…` after a flag, ALL-CAPS words (`TOKEN`, `ID`), `<…>`; optional
//! parts in brackets count as given (`[--sim]`); a trailing `…` ("and more") is dropped. A bare
//! mention of a subcommand (`agora-doctor probe`) is a name, not a suggestion, and still parses.

use agora_doctor::cli::Cli;
use clap::{CommandFactory, Parser};

/// Split like a POSIX shell does for simple words: whitespace, single and double quotes.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                started = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if started || !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_placeholder(word: &str) -> bool {
    let caps = !word.is_empty()
        && word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    caps || (word.starts_with('<') && word.ends_with('>'))
}

/// The arguments of one suggested command (after `agora-doctor`), placeholders filled.
fn arguments(command: &str) -> Vec<String> {
    // The shell ends the command at a pipe, redirection, comment or separator.
    let end = [" |", " >", " #", " &&", ";", " 2>"]
        .iter()
        .filter_map(|s| command.find(s))
        .min()
        .unwrap_or(command.len());
    let cleaned = command[..end].replace(['[', ']'], " ");
    let mut args: Vec<String> = Vec::new();
    let raw = words(&cleaned);
    for (i, w) in raw.iter().enumerate() {
        let after_flag = i > 0 && raw[i - 1].starts_with("--") && !raw[i - 1].contains('=');
        if w == "…" || w == "\"…\"" {
            if after_flag {
                args.push("1".into());
            }
            continue;
        }
        if is_placeholder(w) {
            args.push("1".into());
        } else if w.contains('|') && !w.starts_with('-') {
            // `rtc|rtm`: alternatives, any one will do.
            args.push(w.split('|').next().unwrap_or_default().to_string());
        } else {
            args.push(w.clone());
        }
    }
    // A trailing flag that takes a value was named, not given one: give it one.
    if let Some(last) = args.last().filter(|a| a.starts_with("--")).cloned() {
        let long = last.trim_start_matches("--");
        let mut cmd = Cli::command();
        let mut takes = cmd
            .get_arguments()
            .any(|a| a.get_long() == Some(long) && a.get_action().takes_values());
        if let Some(sub) = args.first().and_then(|s| cmd.find_subcommand_mut(s)) {
            takes |= sub
                .get_arguments()
                .any(|a| a.get_long() == Some(long) && a.get_action().takes_values());
        }
        if takes {
            args.push("1".into());
        }
    }
    args
}

/// Every `agora-doctor …` in backticks, and every line of a `sh` block that runs it.
fn suggestions(origin: &str, text: &str, out: &mut Vec<(String, String)>) {
    for (i, span) in text.split('`').enumerate() {
        if i % 2 == 1 {
            if let Some(rest) = span.trim().strip_prefix("agora-doctor ") {
                out.push((origin.to_string(), rest.replace("\\|", "|")));
            }
        }
    }
    let mut in_sh = false;
    // A shell line ending in `\` goes on in the next one: join them before reading the command.
    let mut joined = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line.trim() == "```sh";
            joined.clear();
            continue;
        }
        if in_sh {
            if let Some(head) = line.strip_suffix('\\') {
                joined.push_str(head);
                continue;
            }
            joined.push_str(line);
            let line = std::mem::take(&mut joined);
            let line = line.split(" #").next().unwrap_or_default();
            if let Some(at) = line.find("agora-doctor ") {
                out.push((
                    origin.to_string(),
                    line[at + "agora-doctor ".len()..].to_string(),
                ));
            }
        }
    }
}

fn all_suggestions() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out = Vec::new();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    suggestions("README.md", &readme, &mut out);
    for entry in std::fs::read_dir(format!("{root}/src/explain/catalog")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        suggestions(&path.display().to_string(), &text, &mut out);
    }
    let mut stack = vec![(String::from("agora-doctor"), Cli::command())];
    while let Some((name, mut cmd)) = stack.pop() {
        let help = cmd.render_long_help().to_string();
        suggestions(&format!("{name} --help"), &help, &mut out);
        for sub in cmd.get_subcommands() {
            stack.push((format!("{name} {}", sub.get_name()), sub.clone()));
        }
    }
    out
}

/// Whether the arguments only name a subcommand (`token`, `token build`): a mention, not a command.
fn names_only(args: &[String]) -> bool {
    let mut cmd = Cli::command();
    for a in args {
        match cmd.find_subcommand(a) {
            Some(sub) => cmd = sub.clone(),
            None => return false,
        }
    }
    true
}

#[test]
fn every_suggested_command_parses() {
    let found = all_suggestions();
    assert!(found.len() > 40, "only {} suggestions found", found.len());
    let mut bad = Vec::new();
    for (origin, command) in &found {
        let args = arguments(command);
        let argv = std::iter::once("agora-doctor".to_string()).chain(args.clone());
        if let Err(e) = Cli::try_parse_from(argv) {
            use clap::error::{ContextKind, ContextValue, ErrorKind::*};
            // Our own placeholder refused by a flag with fixed values (`completions SHELL`).
            let placeholder_refused = e.kind() == InvalidValue
                && matches!(e.get(ContextKind::InvalidValue), Some(ContextValue::String(v)) if v == "1");
            let mention = e.kind() == MissingRequiredArgument && names_only(&args);
            if !matches!(e.kind(), DisplayHelp | DisplayVersion) && !placeholder_refused && !mention
            {
                bad.push(format!(
                    "{origin}: `agora-doctor {command}` ({args:?}): {}",
                    e.kind()
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} suggestions do not parse:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn a_nonexistent_command_is_caught() {
    let mut found = Vec::new();
    suggestions("test", "run `agora-doctor token check TOKEN`", &mut found);
    let args = arguments(&found[0].1);
    let argv = std::iter::once("agora-doctor".to_string()).chain(args);
    // `token check TOKEN` passes two positionals where `token` takes one.
    assert!(Cli::try_parse_from(argv).is_err());
}
