//! The scan's finding keys and the catalog stay in step both ways: every `scan.*` key the sources or
//! the pattern data can emit has an entry, and every `scan.*` entry is emitted somewhere.

use std::collections::BTreeSet;

use agora_doctor::explain::lookup;

fn emitted() -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scan");
    let re = regex::Regex::new(r#""(scan\.[a-z_]+\.[a-z_]+)""#).unwrap();
    let mut keys = BTreeSet::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs" || x == "toml") {
                let text = std::fs::read_to_string(&p).unwrap();
                keys.extend(re.captures_iter(&text).map(|c| c[1].to_string()));
            }
        }
    }
    keys
}

#[test]
fn every_emitted_scan_key_has_a_catalog_entry() {
    let keys = emitted();
    assert!(keys.len() >= 14, "{keys:?}");
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| lookup(k).map(|e| e.key.as_ref()) != Some(k.as_str()))
        .collect();
    assert!(missing.is_empty(), "no catalog entry for {missing:?}");
}

#[test]
fn every_scan_catalog_entry_is_emitted() {
    let keys = emitted();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/explain/catalog");
    let stale: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("scan.") && n.ends_with(".md"))
        .map(|n| n.trim_end_matches(".md").to_string())
        .filter(|k| !keys.contains(k))
        .collect();
    assert!(stale.is_empty(), "catalog entries nothing emits: {stale:?}");
}
