//! The suite itself: every test file in tests/all/ is a module of main.rs. A file that is not
//! compiles into nothing and its tests silently never run (three token test files once did).

use std::path::PathBuf;

#[test]
fn every_test_file_is_a_module_of_the_suite() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/all");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    let declared: Vec<&str> = main
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mod ")?.strip_suffix(';'))
        .collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path
            .extension()
            .filter(|e| *e == "rs")
            .and(path.file_stem())
            .and_then(|s| s.to_str())
        else {
            continue;
        };
        if stem != "main" && !declared.contains(&stem) {
            missing.push(stem.to_string());
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "tests/all/{{{}}}.rs are not modules of tests/all/main.rs, so they never run: add `mod NAME;`",
        missing.join(",")
    );
}
