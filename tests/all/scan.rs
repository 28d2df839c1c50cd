//! `agora-doctor scan` on the fixture projects under fixtures/scan/ (one per platform, a copy of the
//! seed's tutorial page, and a clean project): each finding appears with the right status and
//! nothing else does; the exit code follows; the certificate never appears in any output mode.

use std::collections::BTreeSet;

use crate::common::{self, doctor};
use serde_json::Value;

/// Tokens in the fixtures were built for 2026-11-24T12:00Z (+24 h) and 2026-11-01 (006, +24 h).
const NOW: &str = "2026-11-25T00:00:00Z";
/// The certificate written into the fixtures' client code (and into the clean project's server).
const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";

fn fixture(name: &str) -> String {
    format!("{}/fixtures/scan/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Run `scan --json` on a fixture; returns (exit code, document).
fn scan_json(name: &str, extra: &[&str]) -> (i32, Value) {
    scan_json_at(name, NOW, extra)
}

fn scan_json_at(name: &str, now: &str, extra: &[&str]) -> (i32, Value) {
    let out = doctor()
        .args(["scan", &fixture(name), "--json", "--now", now])
        .args(extra)
        .output()
        .unwrap();
    let doc = common::schema::parse_json_output(&out.stdout);
    (out.status.code().unwrap_or(-1), doc)
}

fn findings(doc: &Value) -> BTreeSet<(String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["key"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (fixture, every (key, status) it must give and nothing else, exit code)
/// A fixture, every (key, status) it must give, its exit code.
type Expected = (&'static str, &'static [(&'static str, &'static str)], i32);

const EXPECTED: &[Expected] = &[
    // The seed's package.json declares vite only: a fresh clone cannot resolve the SDK it imports.
    (
        "seed-tutorial",
        &[
            ("scan.config.app_id_placeholder", "warn"),
            ("scan.code.remove_without_check", "warn"),
            ("scan.deps.import_not_declared", "fail"),
        ],
        1,
    ),
    (
        "web-react",
        &[
            ("scan.config.certificate_in_client", "fail"),
            ("token.app_id_mismatch", "fail"),
            ("token.console_temporary", "warn"),
            ("scan.deps.wrapper_bundles_sdk", "warn"),
            ("scan.serve.lan_http", "warn"),
            ("scan.code.subscribe_without_media_type", "fail"),
            ("scan.code.publish_not_awaited", "warn"),
        ],
        1,
    ),
    (
        "web-duplicate",
        &[
            ("scan.code.join_empty_token", "fail"),
            ("scan.deps.web_sdk_duplicate", "warn"),
            ("scan.serve.lan_http", "warn"),
        ],
        1,
    ),
    (
        "react-native",
        &[
            ("token.channel_mismatch", "fail"),
            ("token.console_temporary", "warn"),
            ("scan.code.token_never_renewed", "warn"),
        ],
        1,
    ),
    // agora-electron-sdk 3.4.2 is built on the retired native SDK 3.x.
    (
        "electron",
        &[
            ("scan.deps.electron_mismatch", "fail"),
            ("scan.deps.sdk_retired", "warn"),
        ],
        1,
    ),
    (
        "android",
        &[
            ("token.uid_mismatch", "fail"),
            ("token.console_temporary", "warn"),
            ("scan.deps.rtm_rtc_aosl_conflict", "warn"),
        ],
        1,
    ),
    (
        "ios",
        &[
            ("scan.config.certificate_in_client", "fail"),
            ("token.no_rtc_service", "fail"),
            ("token.console_temporary", "warn"),
            ("scan.deps.rtm_rtc_aosl_conflict", "warn"),
        ],
        1,
    ),
    (
        "flutter",
        &[
            ("scan.config.certificate_in_client", "fail"),
            ("token.expired", "fail"),
            ("scan.deps.known_problem", "warn"),
            // agora_rtc_engine 4.x is built on the retired native SDK 3.x.
            ("scan.deps.sdk_retired", "warn"),
        ],
        1,
    ),
    ("clean", &[], 0),
    // Reductions of what real projects got wrong: a config module's empty App ID, the app's login
    // token and the RTC token in the wrong places, a swallowed join failure, audio never played, an
    // RTM member-left removal, an undeclared import; and what must be left alone: comments, UI
    // labels and translations, a lock file's integrity hash, a documentation folder, test fixtures.
    (
        "web-flows",
        &[
            ("scan.config.app_id_invalid", "fail"),
            ("scan.code.login_token_as_rtc_token", "fail"),
            ("scan.code.rtc_token_for_rtm", "fail"),
            ("scan.code.remote_audio_never_played", "fail"),
            ("scan.deps.import_not_declared", "fail"),
            ("scan.code.publish_after_ignored_join_failure", "warn"),
            ("scan.code.remove_without_check", "warn"),
        ],
        1,
    ),
    // Four apps: Web SDK 3.x from a CDN (retired; its 3.x code is not judged by 4.x rules), a 0.x
    // pre-release (not judged by 4.x rules), a 006 token server given a lifetime, an iOS app with
    // Xcode placeholders; a documentation site is left out.
    (
        "monorepo",
        &[
            ("scan.deps.sdk_retired", "warn"),
            ("scan.code.lifetime_as_expiry", "fail"),
            ("scan.code.xcode_placeholder", "warn"),
        ],
        1,
    ),
    // Reductions of what a development set of public projects showed (fixtures/scan-dev/README.md):
    // other services' ids, an object's fields, a parameter's default and state typed in later are
    // not App IDs; a copied 007 builder takes lifetimes; a token in server code is a sample; Web
    // SDK rules stay out of React Native files and `.join` out of files without Agora; a folder of
    // guides is documentation whatever its name, and `website/` holding an app is an app; a
    // retired Flutter plugin and the native pod it brings are one fact.
    (
        "real-shapes",
        &[
            ("scan.config.app_id_invalid", "fail"),
            ("scan.deps.sdk_retired", "warn"),
        ],
        1,
    ),
    // Unity projects (the 3.x SDK with the App ID left empty in the scene, a 4.x script with an
    // empty App ID), token servers with the certificate in their source, and a web app whose .env
    // ships the certificate under a bare secret name.
    (
        "unity-and-servers",
        &[
            ("scan.config.app_id_invalid", "fail"),
            ("scan.config.certificate_committed", "fail"),
            ("scan.config.certificate_in_client", "fail"),
            ("scan.deps.sdk_retired", "warn"),
        ],
        1,
    ),
    // Reductions of the third development batch (fixtures/scan-dev3/README.md): a certificate, a
    // token and RESTful credentials in a PHP server (the credentials' copy is the same fact), a
    // string role, Agora's sample certificate with a project's App ID, a CRA variable the browser
    // never sees, a join failure ignored in a component that imports its client, Web SDK 2.x
    // brought by a wrapper, an iOS plist without a microphone purpose string, a will-expire handler
    // that only logs, a manifest removing RECORD_AUDIO, a certificate as an environment fallback;
    // and left alone: an Angular input's empty default, empty environment fallbacks, a deployment
    // template's placeholders.
    // The community WebGL SDK for Unity: the 3.x namespace over Web SDK 4.x, not the retired
    // native SDK.
    ("unity-webgl", &[], 0),
    (
        "servers-and-permissions",
        &[
            ("scan.code.token_role_invalid", "fail"),
            ("scan.config.certificate_committed", "fail"),
            ("scan.config.certificate_committed", "fail"),
            ("scan.config.certificate_sample", "fail"),
            ("scan.config.env_not_exposed", "fail"),
            ("scan.config.rest_secret_committed", "fail"),
            ("scan.permissions.android_record_audio_removed", "fail"),
            ("scan.permissions.ios_microphone_missing", "fail"),
            ("token.app_id_mismatch", "fail"),
            ("token.channel_mismatch", "fail"),
            ("token.expired", "fail"),
            ("scan.code.publish_after_ignored_join_failure", "warn"),
            ("scan.code.token_never_renewed", "warn"),
            ("scan.deps.sdk_retired", "warn"),
            ("token.console_temporary", "warn"),
        ],
        1,
    ),
];

/// The certificates written into the unity-and-servers fixture's servers and web app.
const COMMITTED: &[&str] = &[
    "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    "9e8d7c6b5a4f30211203f4a5b6c7d8e9",
];

#[test]
fn each_fixture_gives_its_findings_with_their_status_and_nothing_else() {
    for (name, expected, code) in EXPECTED {
        let (exit, doc) = scan_json(name, &[]);
        let want: BTreeSet<(String, String)> = expected
            .iter()
            .map(|(k, s)| (k.to_string(), s.to_string()))
            .collect();
        assert_eq!(findings(&doc), want, "{name}: {doc:#}");
        assert_eq!(exit, *code, "{name}: exit code");
        assert_eq!(doc["exit_code"], *code, "{name}: exit_code field");
    }
}

#[test]
fn a_clean_project_gives_no_finding_even_with_a_certificate_on_its_server() {
    let (exit, doc) = scan_json("clean", &["--strict"]);
    assert_eq!(exit, 0);
    assert!(doc["findings"].as_array().unwrap().is_empty(), "{doc:#}");
    // The token server's .env holds the certificate: server-side, so no finding; the SDK is listed.
    assert!(doc["files_scanned"].as_u64().unwrap() >= 6);
    assert!(doc["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["package"] == "agora-rtc-sdk-ng"
            && d["version"] == "4.24.8"
            && d["locked"] == true));
}

#[test]
fn the_model_names_each_app_its_sdks_and_what_was_left_out() {
    let (_, doc) = scan_json("monorepo", &[]);
    let apps: Vec<(String, String)> = doc["model"]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["root"].as_str().unwrap().to_string(),
                a["platform"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        apps,
        [
            ("beta", "web"),
            ("ios", "ios"),
            ("legacy", "web"),
            ("server", "server")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let legacy = &doc["model"]["apps"][2]["sdks"][0];
    assert_eq!(legacy["package"], "agora-rtc-sdk");
    assert_eq!(legacy["version"], "3.6.11");
    assert_eq!(legacy["generation"], "web3");
    assert_eq!(legacy["retired"], true);
    // The commented-out 4.x script tag is not a sighting; the live CDN URL is.
    let found = legacy["found"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["how"], "CDN URL");
    assert_eq!(found[0]["line"], 6);
    let beta = &doc["model"]["apps"][0]["sdks"][0];
    assert_eq!(beta["generation"], "web-beta");
    let skipped: BTreeSet<(String, String)> = doc["model"]["skipped_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["app"].as_str().unwrap().into(),
                s["key"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(skipped.contains(&(
        "legacy".into(),
        "scan.code.subscribe_without_media_type".into()
    )));
    assert!(skipped.contains(&("beta".into(), "scan.code.publish_not_awaited".into())));
    let left: Vec<&str> = doc["model"]["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["reason"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["documentation"]);
    // The two placeholders of KeyCenter.swift are one fact with two places.
    let placeholder = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "scan.code.xcode_placeholder")
        .unwrap();
    assert_eq!(placeholder["places"].as_array().unwrap().len(), 2);
}

#[test]
fn include_reads_a_left_out_folder_and_exclude_leaves_one_out() {
    let (_, doc) = scan_json("web-flows", &["--include", "docs/"]);
    assert!(
        findings(&doc).contains(&("scan.code.join_empty_token".into(), "fail".into())),
        "{doc:#}"
    );
    let (_, doc) = scan_json("web-flows", &["--exclude", "src/members.js"]);
    assert!(!findings(&doc)
        .iter()
        .any(|(k, _)| k == "scan.code.rtc_token_for_rtm"));
}

#[test]
fn failures_come_first_and_each_fact_once() {
    for (name, _, _) in EXPECTED {
        let (_, doc) = scan_json(name, &[]);
        let list = doc["findings"].as_array().unwrap();
        let rank = |s: &str| match s {
            "fail" => 0,
            "error" => 1,
            _ => 2,
        };
        let ranks: Vec<i32> = list
            .iter()
            .map(|f| rank(f["status"].as_str().unwrap()))
            .collect();
        let mut sorted = ranks.clone();
        sorted.sort();
        assert_eq!(ranks, sorted, "{name}");
        let facts: BTreeSet<(String, String)> = list
            .iter()
            .map(|f| {
                (
                    f["key"].as_str().unwrap().into(),
                    f["summary"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(facts.len(), list.len(), "{name}: a fact reported twice");
    }
}

#[test]
fn strict_turns_warnings_into_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.js"),
        "import AgoraRTC from \"agora-rtc-sdk-ng\";\nconst appid = \"YOUR-APP-ID\";\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        doctor()
            .arg("scan")
            .arg(dir.path())
            .args(["--json", "--now", NOW])
            .args(extra)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run(&[]), Some(0));
    assert_eq!(run(&["--strict"]), Some(1));
}

#[test]
fn the_seed_tutorials_remove_call_is_found_where_the_page_puts_it() {
    let (_, doc) = scan_json("seed-tutorial", &[]);
    let hit = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "scan.code.remove_without_check")
        .expect("the remove finding");
    let main = std::fs::read_to_string(fixture("seed-tutorial/main.js")).unwrap();
    let line = hit["line"].as_u64().unwrap() as usize;
    assert_eq!(hit["file"], "main.js");
    assert_eq!(
        main.lines().nth(line - 1).unwrap().trim(),
        "document.getElementById(user.uid).remove()"
    );
}

/// The fixture's code is the page's code: every line of main.js (after the style import the page
/// tells the reader to keep) appears in the page copy.
#[test]
fn the_seed_fixture_code_comes_from_the_page() {
    let page = std::fs::read_to_string(fixture("seed-tutorial/guide.md")).unwrap();
    assert!(page.contains("https://github.com/divanov11/Voice-Chat-Rooms/"));
    let main = std::fs::read_to_string(fixture("seed-tutorial/main.js")).unwrap();
    for line in main.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(page.contains(line), "not on the page: {line}");
    }
}

#[test]
fn every_finding_names_a_file_and_an_explain_key_that_resolves() {
    for (name, _, _) in EXPECTED {
        let (_, doc) = scan_json(name, &[]);
        for f in doc["findings"].as_array().unwrap() {
            let key = f["key"].as_str().unwrap();
            assert!(
                agora_doctor::explain::lookup(key).is_some_and(|e| e.key == key),
                "{key}"
            );
            assert!(f["file"].is_string(), "{name}: {f}");
            assert!(f["fix"].is_string(), "{name}: {key} has no fix");
        }
    }
}

#[test]
fn human_output_shows_the_sdks_each_finding_and_the_closing_line() {
    let out = doctor()
        .args(["scan", &fixture("flutter"), "--now", NOW])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("agora_rtc_engine 4.2.1 [native SDK 3.x, retired] (locked in pubspec.lock"),
        "{text}"
    );
    assert!(text.contains("[token.expired]"), "{text}");
    assert!(text.contains("fix:"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("`agora-doctor explain <key>` says more"),
        "{text}"
    );
    let quiet = doctor()
        .args(["scan", &fixture("flutter"), "--now", NOW, "-q"])
        .output()
        .unwrap();
    let quiet = String::from_utf8(quiet.stdout).unwrap();
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
    assert!(
        quiet.starts_with("4 problems: 2 failures, 2 warnings"),
        "{quiet}"
    );
}

#[test]
fn expiry_is_judged_at_the_given_time() {
    // Before the 006 token's expiry the same project has no expired token.
    let (_, doc) = scan_json_at("flutter", "2026-11-01T10:00:00Z", &[]);
    assert!(
        !findings(&doc).iter().any(|(k, _)| k == "token.expired"),
        "{doc:#}"
    );
}

#[test]
fn without_now_expiry_is_judged_at_the_tools_clock() {
    // No --now: AGORA_DOCTOR_NOW sets the clock the tokens are judged at, as in every command.
    let at = |now: &str| {
        let out = doctor()
            .args(["scan", &fixture("flutter"), "--json"])
            .env("AGORA_DOCTOR_NOW", now)
            .output()
            .unwrap();
        common::schema::parse_json_output(&out.stdout)
    };
    let before = at("2026-11-01T10:00:00Z");
    assert_eq!(before["now"], "2026-11-01T10:00:00Z", "{before:#}");
    assert!(!findings(&before).contains(&("token.expired".into(), "fail".into())));
    let after = at(NOW);
    assert_eq!(after["now"], NOW, "{after:#}");
    assert!(findings(&after).contains(&("token.expired".into(), "fail".into())));
    // --now still wins over the clock.
    let out = doctor()
        .args(["scan", &fixture("flutter"), "--json", "--now", NOW])
        .env("AGORA_DOCTOR_NOW", "2026-11-01T10:00:00Z")
        .output()
        .unwrap();
    assert_eq!(common::schema::parse_json_output(&out.stdout)["now"], NOW);
}

#[test]
fn the_certificate_is_never_printed_in_any_mode() {
    for (name, _, _) in EXPECTED {
        for mode in [&[][..], &["-v"], &["--json"], &["-q"], &["--json", "--all"]] {
            let out = doctor()
                .args(["scan", &fixture(name), "--now", NOW])
                .args(mode)
                .output()
                .unwrap();
            for text in [&out.stdout, &out.stderr] {
                let text = String::from_utf8_lossy(text).to_lowercase();
                assert!(
                    !text.contains(&CERT.to_lowercase()),
                    "{name} {mode:?}: {text}"
                );
            }
        }
    }
}

#[test]
fn a_missing_folder_is_a_could_not_run_naming_it() {
    let out = doctor()
        .args(["scan", "/nonexistent/app-project"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/app-project") && err.contains("folder"),
        "{err}"
    );
    let out = doctor()
        .args(["scan", &fixture("seed-tutorial"), "--now", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn real_shapes_each_true_fact_once_at_its_own_places() {
    let (_, doc) = scan_json("real-shapes", &[]);
    let places = |key: &str| -> Vec<Vec<String>> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["key"] == key)
            .map(|f| {
                f["places"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["file"].as_str().unwrap().to_string())
                    .collect()
            })
            .collect()
    };
    // The one empty App ID the app keeps; not the state typed in later, not the builder's field.
    assert_eq!(
        places("scan.config.app_id_invalid"),
        [["rn-app/src/config.ts"]]
    );
    // The Flutter plugin and the pod it brings: one finding with both places; the Web SDK 3.x
    // app in `website/` is read and reported.
    let retired = places("scan.deps.sdk_retired");
    assert_eq!(retired.len(), 2, "{retired:?}");
    assert!(retired.contains(&vec![
        "flutter-app/ios/Podfile.lock".to_string(),
        "flutter-app/pubspec.yaml".to_string()
    ]));
    assert!(retired
        .iter()
        .any(|p| p.contains(&"website/package.json".to_string())));
    // The guide folder is documentation by its contents, left out unread.
    let docs = doc["model"]["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["reason"] == "documentation")
        .expect("documentation left out");
    assert_eq!(docs["examples"][0], "guide/", "{docs}");
}

/// (key, places) of every finding of a scan document.
fn places_by_key(doc: &Value) -> BTreeSet<(String, Vec<String>)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let places = f["places"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["file"].as_str().unwrap().to_string())
                .collect();
            (f["key"].as_str().unwrap().to_string(), places)
        })
        .collect()
}

#[test]
fn unity_scenes_scripts_and_server_certificates_are_judged_where_they_are() {
    let (_, doc) = scan_json("unity-and-servers", &[]);
    let got = places_by_key(&doc);
    let want: BTreeSet<(String, Vec<String>)> = [
        // The scene's empty value, not the script's serialised default nor the SDK's own source.
        (
            "scan.config.app_id_invalid",
            "unity-legacy/Assets/Scenes/Home.unity",
        ),
        // A private field the Inspector does not serialise: the script's value is the App ID.
        (
            "scan.config.app_id_invalid",
            "unity4/Assets/Scripts/Join.cs",
        ),
        (
            "scan.config.certificate_committed",
            "token-server/server.js",
        ),
        (
            "scan.config.certificate_committed",
            "token-server-py/app.py",
        ),
        ("scan.config.certificate_in_client", "web-env/.env"),
        // The app's script that uses the 3.x namespace; the vendored SDK is left out.
        (
            "scan.deps.sdk_retired",
            "unity-legacy/Assets/Scripts/Call.cs",
        ),
    ]
    .iter()
    .map(|(k, f)| (k.to_string(), vec![f.to_string()]))
    .collect();
    assert_eq!(got, want, "{doc:#}");
    // Each Unity project is an app of its own, with the SDK its scripts use.
    let apps: BTreeSet<(String, String)> = doc["model"]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| {
            let root = a["root"].as_str().unwrap().to_string();
            a["sdks"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |s| (root.clone(), s["package"].as_str().unwrap().to_string()))
        })
        .collect();
    assert!(
        apps.contains(&("unity-legacy".into(), "agora_gaming_rtc".into())),
        "{apps:?}"
    );
    assert!(
        apps.contains(&("unity4".into(), "Agora.Rtc".into())),
        "{apps:?}"
    );
    let vendored = doc["model"]["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g.to_string().contains("IRtcEngine.cs"));
    assert!(vendored, "the SDK's source is listed as left out: {doc:#}");
}

#[test]
fn a_committed_certificate_is_never_printed_by_scan_or_report() {
    let dir = fixture("unity-and-servers");
    for mode in [
        &[][..],
        &["-v"],
        &["-q"],
        &["--json"],
        &["--json", "--all"],
        &["--strict", "--color", "always"],
    ] {
        let out = doctor()
            .args(["scan", &dir, "--now", NOW])
            .args(mode)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{mode:?}");
        let all = [&out.stdout[..], &out.stderr[..]].concat();
        assert!(
            mode.contains(&"-q") || String::from_utf8_lossy(&all).contains("Certificate"),
            "{mode:?}: the findings are reported"
        );
        for text in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(text).to_lowercase();
            for cert in COMMITTED {
                assert!(!text.contains(cert), "{mode:?} printed {cert}: {text}");
            }
        }
    }
    // `report` scans a file handed to it as a log: the server source with the certificate in it.
    let md = tempfile::tempdir().unwrap();
    let out_file = md.path().join("report.md");
    for log in [
        "token-server/server.js",
        "token-server-py/app.py",
        "web-env/.env",
    ] {
        let out = doctor()
            .args(["report", "--sim", "--only", "config", "--log"])
            .arg(format!("{dir}/{log}"))
            .arg("--out")
            .arg(&out_file)
            .output()
            .unwrap();
        let written = std::fs::read_to_string(&out_file).unwrap_or_default();
        for text in [
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
            written,
        ] {
            for cert in COMMITTED {
                assert!(
                    !text.to_lowercase().contains(cert),
                    "report --log {log}: {text}"
                );
            }
        }
    }
}

/// The secrets written into the servers-and-permissions fixture: certificates and the RESTful
/// API's customer ID and secret.
const SERVER_SECRETS: &[&str] = &[
    "b3e1f7a9c2d4e6f8a0b1c3d5e7f9a2b4",
    "7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
    "6a1f0c9e8d7b6a5f4e3d2c1b0a9f8e7d",
    "0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a",
];

#[test]
fn restful_credentials_copied_into_two_controllers_are_one_fact_and_never_printed() {
    let (_, doc) = scan_json("servers-and-permissions", &[]);
    let rest: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["key"] == "scan.config.rest_secret_committed")
        .collect();
    assert_eq!(rest.len(), 1, "{doc:#}");
    let files: Vec<&str> = rest[0]["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "clinic/app/Http/Controllers/RecordingController.php",
            "clinic/app/Http/Controllers/backup/RecordingController.php"
        ]
    );
    let dir = fixture("servers-and-permissions");
    for mode in [&["--json"][..], &[], &["-v"], &["--color", "always"]] {
        let out = doctor()
            .args(["scan", &dir, "--now", NOW])
            .args(mode)
            .output()
            .unwrap();
        for text in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(text).to_lowercase();
            for secret in SERVER_SECRETS {
                assert!(!text.contains(secret), "{mode:?} printed {secret}");
            }
        }
    }
}

#[test]
fn the_same_token_under_two_names_in_two_files_is_one_fact() {
    let dir = tempfile::tempdir().unwrap();
    let token = "006970CA35de60c44645bbae8a215061b33IAAvBtPaNGSyqWWvDqDhSNyJnMgHI3QFhGdLOe4R4hn1F7aKl6gAAAAAEADVBmgUtJ9aXgEAAQC0n1pe";
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"dependencies":{"agora-rtc-sdk-ng":"4.20.0"}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.js"),
        format!("import AgoraRTC from 'agora-rtc-sdk-ng';\nconst TOKEN = \"{token}\";\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.js"),
        format!(
            "import AgoraRTC from 'agora-rtc-sdk-ng';\nconst options = {{ token: \"{token}\" }};\n"
        ),
    )
    .unwrap();
    let out = doctor()
        .args(["scan"])
        .arg(dir.path())
        .args(["--json", "--now", NOW])
        .output()
        .unwrap();
    let doc = common::schema::parse_json_output(&out.stdout);
    let expired: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["key"] == "token.expired")
        .collect();
    assert_eq!(expired.len(), 1, "{doc:#}");
    assert_eq!(expired[0]["places"].as_array().unwrap().len(), 2);
}

#[test]
fn a_unity_project_on_the_community_webgl_sdk_is_a_unity_app_on_web_sdk_4() {
    let (_, doc) = scan_json("unity-webgl", &[]);
    let apps = doc["model"]["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 1, "{doc:#}");
    assert_eq!(apps[0]["platform"], "unity");
    let sdk = &apps[0]["sdks"][0];
    assert_eq!(sdk["package"], "agora-unity-webgl");
    assert_eq!(sdk["generation"], "web4");
    assert_eq!(sdk["retired"], false);
    // Without the plugin, the same script is the retired native 3.x SDK.
    let (_, doc) = scan_json("unity-and-servers", &[]);
    assert!(doc["model"]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["platform"] == "unity"
            && a["sdks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["package"] == "agora_gaming_rtc")));
}
