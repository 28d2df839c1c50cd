//! The one pipeline holds: `lib::run` (src/lib.rs) and the renderers (src/render/) are the only code
//! that writes to stdout, and nothing but src/env.rs reads the process environment. A command
//! that prints or reads `std::env` itself fails this test, naming the file and line.

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
