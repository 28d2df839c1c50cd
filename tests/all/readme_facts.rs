//! What the README states about the repository holds, so that it cannot drift again: the schema
//! list names exactly the files in `schema/`, every schema id it cites is a current one,
//! `scripts/demo` runs the Web SDK the README promises, the npm package is not shown as published,
//! and `token build` says it needs the certificate.

use std::collections::BTreeSet;

const README: &str = include_str!("../../README.md");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The section of the README that starts with `heading` (up to the next heading of its level).
fn section(heading: &str) -> &'static str {
    let start = README
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in the README"));
    let rest = &README[start + heading.len()..];
    let level = heading.split(' ').next().unwrap();
    let end = rest.find(&format!("\n{level} ")).unwrap_or(rest.len());
    &rest[..end]
}

/// Regression: the schema list named token.v1.json and report.v1.json while the tool emits v2,
/// and left out token-server.v1.json.
#[test]
fn the_schema_list_names_every_published_schema_and_no_other() {
    let text = section("## JSON output");
    let listed: BTreeSet<String> = text
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| w.ends_with(".json") && !w.contains('/'))
        .map(str::to_string)
        .collect();
    let published: BTreeSet<String> = std::fs::read_dir(format!("{ROOT}/schema"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed, published, "README's schema list and schema/");
    // Every schema id the README cites anywhere is a current one.
    for (at, _) in README.match_indices("agora-doctor/") {
        let id: String = README[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "/-".contains(*c))
            .collect();
        let parts: Vec<&str> = id.split('/').collect();
        if parts.len() != 3 || !parts[2].starts_with('v') {
            continue;
        }
        let file = format!("{}.{}.json", parts[1], parts[2]);
        assert!(
            published.contains(&file),
            "the README cites {id}, but schema/{file} is not published"
        );
    }
}

/// Regression: scripts/demo pinned Web SDK 4.3.0, whose own console errors a newcomer then saw in
/// the very first run, while the README promises the current SDK.
#[test]
fn scripts_demo_runs_the_web_sdk_the_readme_promises() {
    let demo = std::fs::read_to_string(format!("{ROOT}/scripts/demo")).unwrap();
    let line = demo
        .lines()
        .find(|l| l.contains("AGORA_DOCTOR_WEB_SDK="))
        .expect("scripts/demo names its Web SDK");
    let version = agora_doctor::browser::web_sdk::CURRENT_VERSION;
    let (major, minor) = {
        let mut p = version.split('.');
        (p.next().unwrap(), p.next().unwrap())
    };
    assert!(
        line.ends_with(&format!("agora-rtc-sdk-ng-{major}{minor}\"")),
        "{line}"
    );
    let lock = std::fs::read_to_string(format!("{ROOT}/fixtures/web/package-lock.json")).unwrap();
    let lock: serde_json::Value = serde_json::from_str(&lock).unwrap();
    assert_eq!(
        lock["packages"][format!("node_modules/agora-rtc-sdk-ng-{major}{minor}")]["version"],
        version
    );
    assert!(
        README.contains(&format!("({version})")),
        "the README promises {version}"
    );
}

/// Regression: `npx agora-doctor` was shown as if the package were on the npm registry.
#[test]
fn the_readme_says_the_npm_package_is_not_published_and_how_to_use_the_built_one() {
    let install = section("## Install");
    assert!(install.contains("not published"), "{install}");
    assert!(install.contains("scripts/npm-pack.sh"), "{install}");
    for line in README.lines().filter(|l| l.contains("npx agora-doctor")) {
        assert!(
            !line.trim_start().starts_with("npx agora-doctor"),
            "a bare `npx agora-doctor` command: {line}"
        );
    }
}

/// Regression: the `token build` example did not say that the App Certificate is required.
#[test]
fn the_token_build_example_says_the_certificate_is_required() {
    let example = README
        .lines()
        .position(|l| l.starts_with("agora-doctor token build "))
        .expect("a token build example");
    let lines: Vec<&str> = README.lines().collect();
    let shown = format!("{}\n{}", lines[example], lines[example + 1]);
    assert!(shown.contains("--cert-file"), "{shown}");
    assert!(shown.contains("required"), "{shown}");
}
