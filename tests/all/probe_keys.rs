//! Every explain key the probe can emit resolves with `agora-doctor explain`, and every `probe.*`
//! catalog entry is emitted somewhere (the catalog and the checks stay in step both ways).

use std::collections::BTreeSet;

use agora_doctor::explain::lookup;
use agora_doctor::probe::CHECKS;

/// Keys written literally in the probe's sources, plus `probe.<id>.skipped` for every check.
fn emitted_keys() -> BTreeSet<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/probe");
    let pattern = regex::Regex::new(r#""(probe\.[a-z_]+\.[a-z_]+)""#).unwrap();
    let mut keys = BTreeSet::new();
    // src/probe/ and its checks/ folder.
    let mut dirs = vec![std::path::PathBuf::from(dir)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            for cap in pattern.captures_iter(&text) {
                keys.insert(cap[1].to_string());
            }
        }
    }
    // `CheckOutput::skip` builds `probe.<id>.skipped` for these checks (clock and network never
    // skip; checks of other areas, such as `join`, cite their own keys).
    for id in ["config", "secure_context", "page", "devices"] {
        assert!(CHECKS.iter().any(|c| c.id == id), "{id} is registered");
        keys.insert(format!("probe.{id}.skipped"));
    }
    keys
}

#[test]
fn every_emitted_probe_key_has_a_catalog_entry() {
    let keys = emitted_keys();
    assert!(keys.len() > 40, "found only {} keys: {keys:?}", keys.len());
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| lookup(k).map(|e| e.key.as_ref()) != Some(k.as_str()))
        .collect();
    assert!(missing.is_empty(), "no catalog entry for {missing:?}");
}

#[test]
fn every_probe_catalog_entry_is_emitted() {
    let keys = emitted_keys();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/explain/catalog");
    let stale: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("probe.") && name.ends_with(".md"))
        .map(|name| name.trim_end_matches(".md").to_string())
        .filter(|key| {
            let area = key.split('.').nth(1).unwrap_or("");
            // Other areas (join, browser) own their probe.* entries.
            [
                "runner",
                "config",
                "clock",
                "network",
                "secure_context",
                "page",
                "devices",
            ]
            .contains(&area)
                && !keys.contains(key)
        })
        .collect();
    assert!(stale.is_empty(), "catalog entries nothing emits: {stale:?}");
}
