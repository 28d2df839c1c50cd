//! The one pipeline holds: `lib::run` (src/lib.rs) and the renderers (src/render/) are the only code
//! that writes to stdout or stderr, nothing but src/env.rs reads the process environment or the
//! tool's clock, the vocabulary at the bottom names no command, and the things written once stay
//! written once (the tally, the "N problems" head). Comments cite `docs/…#section`, never notes
//! outside the repository, and every cited section exists. A line that breaks a rule fails its test,
//! named with its file and line.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every line of src/ (outside `allowed`) that contains one of `needles`, comments excluded.
fn offenders(needles: &[&str], allowed: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if allowed.iter().any(|a| rel.starts_with(a)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if needles.iter().any(|n| code.contains(n)) {
                found.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn only_lib_run_and_the_renderers_write_to_stdout() {
    let found = offenders(
        &["print!(", "println!(", "stdout()", "write_stdout("],
        &["src/lib.rs", "src/render/", "src/env.rs"],
    );
    assert!(
        found.is_empty(),
        "stdout written outside the pipeline:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_finds_a_print_it_is_shown() {
    // The scan itself works: src/lib.rs does write (through render::write_stdout).
    let found = offenders(&["write_stdout("], &["src/render/"]);
    assert!(
        found.iter().any(|l| l.starts_with("src/lib.rs")),
        "{found:?}"
    );
}

#[test]
fn only_env_reads_the_process_environment_and_stdin() {
    let found = offenders(
        &[
            "std::env::var(",
            "std::env::var_os(",
            "env::vars",
            "io::stdin()",
        ],
        &["src/env.rs", "src/browser/"],
    );
    assert!(
        found.is_empty(),
        "the environment read outside src/env.rs:\n{}",
        found.join("\n")
    );
}

/// Every line of the files under `dirs` (relative to the repository) whose path ends in one of
/// `exts`, with its path.
fn lines_under(dirs: &[&str], exts: &[&str]) -> Vec<(String, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in dirs {
        let mut files = Vec::new();
        let path = root.join(dir);
        if path.is_file() {
            files.push(path);
        } else {
            every_file(&path, &mut files);
        }
        for file in files {
            let name = file.to_string_lossy();
            if !exts.iter().any(|e| name.ends_with(e)) {
                continue;
            }
            let rel = file
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            for (i, line) in text.lines().enumerate() {
                out.push((rel.clone(), i + 1, line.to_string()));
            }
        }
    }
    out
}

fn every_file(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name == "target" || name == "node_modules" || name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Where code and notes live: everything a comment may cite from.
const CITING: &[&str] = &[
    "src",
    "token-core",
    "sim",
    "sdk-double",
    "clock",
    "tests",
    "benches",
    "build.rs",
    "Cargo.toml",
    "docs",
];

/// GitHub's anchor of a Markdown heading: lower case, spaces to `-`, other punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn every_cited_docs_section_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cite = regex::Regex::new(r"docs/([A-Za-z0-9_.-]+\.md)(?:#([a-z0-9_-]+))?").unwrap();
    let mut cited = 0;
    let mut missing = Vec::new();
    for (file, n, line) in lines_under(CITING, &[".rs", ".toml", ".md"]) {
        for c in cite.captures_iter(&line) {
            cited += 1;
            let doc = root.join("docs").join(&c[1]);
            let Ok(text) = std::fs::read_to_string(&doc) else {
                missing.push(format!("{file}:{n}: docs/{} does not exist", &c[1]));
                continue;
            };
            if let Some(section) = c.get(2) {
                let found = text
                    .lines()
                    .filter_map(|l| l.strip_prefix('#'))
                    .map(|h| anchor(h.trim_start_matches('#')))
                    .any(|a| a == section.as_str());
                if !found {
                    missing.push(format!(
                        "{file}:{n}: docs/{} has no section #{}",
                        &c[1],
                        section.as_str()
                    ));
                }
            }
        }
    }
    assert!(cited >= 40, "the scan found only {cited} citations");
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_anchor_rule_is_githubs() {
    assert_eq!(
        anchor(" What Web SDK 4.24.8 contacts"),
        "what-web-sdk-4248-contacts"
    );
    assert_eq!(anchor("006 layout"), "006-layout");
    assert_eq!(
        anchor("Access point and gateway (both generations)"),
        "access-point-and-gateway-both-generations"
    );
}

#[test]
fn no_comment_cites_notes_outside_the_repository() {
    // The research notes the code was first written from: their facts now live in docs/.
    let outside = regex::Regex::new(
        r"shared/research|\b(probe|tokens|native-sdk|web-sdk|browser-driver|errors)\.md\b|TEAM\.md",
    )
    .unwrap();
    let code = [
        "src",
        "token-core",
        "sim",
        "sdk-double",
        "clock",
        "benches",
        "build.rs",
        "Cargo.toml",
    ];
    let found: Vec<String> = lines_under(&code, &[".rs", ".toml"])
        .into_iter()
        .filter(|(_, _, line)| {
            outside
                .find_iter(line)
                .any(|m| !line[..m.start()].ends_with("docs/"))
        })
        .map(|(file, n, line)| format!("{file}:{n}: {}", line.trim()))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn only_env_reads_the_tools_clock() {
    let found = offenders(&["agora_clock::"], &["src/env.rs"]);
    assert!(
        found.is_empty(),
        "the clock read outside src/env.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_lib_run_and_the_renderers_write_to_stderr() {
    let found = offenders(
        &["eprint!(", "eprintln!(", "io::stderr()"],
        // src/env.rs only asks whether stderr is a terminal.
        &["src/lib.rs", "src/render/", "src/env.rs"],
    );
    assert!(
        found.is_empty(),
        "stderr written outside the pipeline:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_vocabulary_names_no_command() {
    // src/vocabulary.rs is the bottom: it may use the redactor (the redaction policy's engine) and
    // nothing else of the crate.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("src/vocabulary.rs")).unwrap();
    let uses = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let named: Vec<&str> = uses
        .captures_iter(&text)
        .map(|c| c.get(1).unwrap().as_str())
        .filter(|m| *m != "redact" && *m != "document")
        .collect();
    assert!(named.is_empty(), "src/vocabulary.rs names {named:?}");
    // The document (the sum of every command's report) sits above the commands: no command names it.
    let found = offenders(
        &["crate::document"],
        &["src/lib.rs", "src/render/", "src/document.rs"],
    );
    let found: Vec<_> = found
        .into_iter()
        .filter(|l| !l.starts_with("src/vocabulary.rs"))
        .collect();
    assert!(
        found.is_empty(),
        "a command names the document:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_status_tally_and_the_problems_head_are_written_once() {
    // A match arm adding one per status: the files holding one must be the vocabulary alone.
    let arms = offenders(&["+= 1"], &[]);
    let mut files: Vec<&str> = arms
        .iter()
        .filter(|l| l.contains("Status::"))
        .filter_map(|l| l.split(':').next())
        .collect();
    files.dedup();
    assert_eq!(
        files,
        ["src/vocabulary.rs"],
        "the status tally is written in {files:?}"
    );
    // A timeline event labelled "problem" (one line of a log) is not the head that counts them.
    let head: Vec<String> = offenders(&["\"problem\"", "problem{}:"], &[])
        .into_iter()
        .filter(|l| !l.contains("EventKind::"))
        .collect();
    assert_eq!(
        head.len(),
        1,
        "the problems head is written more than once:\n{}",
        head.join("\n")
    );
    assert!(head[0].starts_with("src/render/style.rs"), "{head:?}");
}

#[test]
fn a_documents_exit_outcome_is_said_in_one_place() {
    // A command hands back its document; `Report::outcome` (src/document.rs) says which exit each
    // document leads to, so no command decides "ok" or "findings" on its own.
    let found = offenders(
        &["Outcome::Findings", "Outcome::Ok"],
        &["src/vocabulary.rs", "src/document.rs"],
    );
    assert!(
        found.is_empty(),
        "an exit outcome decided outside src/document.rs:\n{}",
        found.join("\n")
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let document = std::fs::read_to_string(root.join("src/document.rs")).unwrap();
    assert_eq!(document.matches("pub fn outcome(").count(), 1);
}

#[test]
fn no_simulation_branch_outside_inputs_and_the_world() {
    // A check, the join cycle, the browser and the report get endpoints, tokens, a library path,
    // the versions a Web edge carries and the flags that reproduce the run, never whether the run
    // is simulated: src/world/ decides what differs under --sim once (the profile, the SDK double
    // and its words, the Web edge and its versions, how Chromium starts), src/inputs.rs resolves
    // the simulated project and the flags that choose it. (Renderers label a simulated run; that
    // is data shown, not a branch, and is not counted.)
    let found = offenders(
        &[
            ".sim ",
            ".sim.",
            ".sim)",
            ".sim;",
            ".sim,",
            ".simulated",
            "Target::Simulated",
        ],
        &["src/inputs.rs", "src/world/", "src/render/"],
    );
    assert!(
        found.is_empty(),
        "{} simulation branches outside src/inputs.rs and src/world/:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_certificate_variable_is_read_by_env_alone() {
    // Every command asks `Env::certificate`; a second reader could disagree on a blank value.
    let found = offenders(
        &[
            "(CERT_ENV)",
            "(env::CERT_ENV)",
            "(\"AGORA_APP_CERTIFICATE\")",
        ],
        &["src/env.rs"],
    );
    assert!(
        found.is_empty(),
        "AGORA_APP_CERTIFICATE read outside src/env.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_users_log_is_opened_in_one_place() {
    // `explain --log` and `report --log` read a log the same way: one call of the decoder.
    let found = offenders(&["with_log(", "with_log_limited("], &["src/logfile.rs"]);
    assert_eq!(
        found.len(),
        1,
        "a log is opened in more than one place:\n{}",
        found.join("\n")
    );
    assert!(found[0].starts_with("src/explain/command.rs"), "{found:?}");
}

#[test]
fn chromium_is_searched_for_in_one_place() {
    // The browser check launches the Chromium `report` names: one list of places and names.
    let found = offenders(
        &[
            "\"chromium\"",
            "\"chromium-browser\"",
            "\"google-chrome\"",
            "/usr/bin/chrom",
        ],
        &["src/browser/mod.rs", "src/explain/log/"],
    );
    assert!(
        found.is_empty(),
        "Chromium searched for outside src/browser/mod.rs:\n{}",
        found.join("\n")
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser = std::fs::read_to_string(root.join("src/browser/mod.rs")).unwrap();
    assert_eq!(
        browser.matches("pub fn find_chromium(").count(),
        1,
        "one search in src/browser/mod.rs"
    );
}

#[test]
fn a_typed_uid_becomes_token_text_in_one_place() {
    // `--uid 0`, a blank uid and none all mean "any uid" (""): token-core says so once.
    let found = offenders(&["Some(\"0\")", "fn uid_text", "fn typed_uid_text"], &[]);
    assert!(
        found.is_empty(),
        "a uid turned into token text outside token-core:\n{}",
        found.join("\n")
    );
}

/// A FIFO at `path` that hands `text` to the first reader only: a second open waits for a writer
/// that never comes.
fn once_fifo(path: &Path, text: &'static str) {
    assert!(std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap()
        .success());
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        use std::io::Write;
        if let Ok(mut writer) = std::fs::OpenOptions::new().write(true).open(&path) {
            let _ = writer.write_all(text.as_bytes());
        }
    });
}

#[test]
fn the_certificate_file_is_read_once_per_run() {
    // The redactor's list of secrets and the certificate's resolution share one read: a file read
    // twice (here a FIFO that gives its line once) would leave the run waiting for a second writer.
    let runs: [&[&str]; 3] = [
        &["probe", "--sim", "--only", "config", "--json"],
        &["report", "--sim", "--only", "config", "--json"],
        &["join", "--sim", "--timeout", "20"],
    ];
    for args in runs {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("cert.txt");
        once_fifo(&fifo, "0123456789abcdef0123456789abcdef\n");
        let out = crate::common::doctor()
            .args(args)
            .arg("--cert-file")
            .arg(&fifo)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?} --cert-file FIFO: {:?}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_token_a_run_joins_with_is_minted_in_one_place() {
    // `inputs::Minted::new` mints for the uid as typed, as a number, for any uid (and expired when
    // asked), once per run; checks, the join cycle and the simulated world's users take from it.
    let found = offenders(
        &[
            "publisher_token(",
            "publisher_token_for(",
            ".mint(",
            "mint_for(",
        ],
        &[],
    );
    assert_eq!(
        found.len(),
        1,
        "tokens minted outside inputs::Minted::new:\n{}",
        found.join("\n")
    );
    assert!(
        found.iter().all(|l| l.starts_with("src/inputs.rs")),
        "{}",
        found.join("\n")
    );
}
