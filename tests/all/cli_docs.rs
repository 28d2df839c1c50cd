//! Completions and the man page are generated from the clap definitions; snapshots make every flag
//! change visible in review.

use agora_doctor::cli_docs::{completions, man_page};
use clap_complete::Shell;

#[test]
fn completions_for_every_shell_match_their_snapshots() {
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let script = completions(shell);
        assert!(
            ["token", "explain", "probe", "join", "report"]
                .iter()
                .all(|sub| script.contains(sub)),
            "{shell} completions lack a subcommand"
        );
        insta::assert_snapshot!(format!("completions_{shell}"), script);
    }
}

#[test]
fn man_page_covers_every_subcommand_and_matches_its_snapshot() {
    let page = man_page();
    for sub in [
        "token",
        "explain",
        "probe",
        "join",
        "report",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!(".TH agora-doctor-{sub} 1")),
            "man page lacks agora-doctor-{sub}"
        );
    }
    insta::assert_snapshot!("man_page", page);
}

#[test]
fn binary_prints_completions_and_rejects_an_unknown_shell() {
    let out = assert_cmd::Command::cargo_bin("agora-doctor")
        .unwrap()
        .args(["completions", "fish"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("complete -c agora-doctor"));

    let out = assert_cmd::Command::cargo_bin("agora-doctor")
        .unwrap()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tcsh"));
}

/// What bash offers after `words` (the last one being completed), from the generated script in a
/// real bash.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("agora-doctor.bash");
    std::fs::write(&script, completions(Shell::Bash)).unwrap();
    let words_list = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let program = format!(
        "source '{}'; COMP_WORDS=({words_list}); COMP_CWORD={}; _agora__doctor agora-doctor '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_subcommands_and_their_options() {
    assert!(bash_completes(&["agora-doctor", "pro"]).contains(&"probe".to_string()));
    let offered = bash_completes(&["agora-doctor", "token", "--ch"]);
    assert!(offered.contains(&"--channel".to_string()), "{offered:?}");
    let offered = bash_completes(&["agora-doctor", "probe", "--si"]);
    assert!(offered.contains(&"--sim".to_string()), "{offered:?}");
}

/// Regression: the man page had no EXIT STATUS or ENVIRONMENT section. Both are there, the exit
/// codes are the README's, and every environment variable the sources read is listed (and no
/// other).
#[test]
fn man_page_has_exit_status_and_every_environment_variable() {
    let page = man_page();
    let top = &page[..page.find(".TH agora-doctor-token").unwrap()];
    let exit = &top[top.find(".SH \"EXIT STATUS\"").expect("EXIT STATUS")..];
    for code in ["\\fB0\\fR", "\\fB1\\fR", "\\fB2\\fR"] {
        assert!(exit.contains(code), "{exit}");
    }
    let env = &top[top.find(".SH ENVIRONMENT").expect("ENVIRONMENT")..];
    let listed: std::collections::BTreeSet<String> = env
        .lines()
        .filter(|l| l.starts_with("\\fBAGORA_"))
        .map(|l| {
            l.trim_start_matches("\\fB")
                .split('\\')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut read = std::collections::BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split('"').skip(1).step_by(2) {
                    let var = part.starts_with("AGORA_")
                        && part.len() > 6
                        && !part.ends_with('_')
                        && part.bytes().all(|c| c.is_ascii_uppercase() || c == b'_');
                    if var
                        && (part.starts_with("AGORA_DOCTOR_")
                            || part.starts_with("AGORA_APP_")
                            || part == "AGORA_SDK_LIB")
                    {
                        read.insert(part.to_string());
                    }
                }
            }
        }
    }
    assert_eq!(
        listed, read,
        "the man page's ENVIRONMENT and the variables the sources read"
    );
}
