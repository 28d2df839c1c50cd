//! Insta snapshots: every catalog entry as `agora-doctor explain <key>` prints it, and `--list --json`.
//! A new entry needs its snapshot: run `INSTA_UPDATE=always cargo test --test explain_snapshots` and
//! commit the new `.snap` file after reading it.

use agora_doctor::explain::catalog;
use agora_doctor::render::explain::{entry_block, list_json};
use agora_doctor::render::OutputContext;

use crate::common::schema;

#[test]
fn every_entry_renders_as_its_snapshot() {
    let _plain = OutputContext::plain();
    for e in catalog() {
        insta::assert_snapshot!(format!("entry__{}", e.key), entry_block(e));
    }
}

#[test]
fn list_json_snapshot() {
    let v = schema::parse_json_output(list_json(catalog()).as_bytes());
    insta::assert_json_snapshot!("list_json", v);
}

#[test]
fn no_snapshot_is_left_for_a_removed_entry() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/all/snapshots");
    let keys: std::collections::BTreeSet<String> =
        catalog().iter().map(|e| e.key.to_string()).collect();
    for f in std::fs::read_dir(dir).expect("snapshots dir").flatten() {
        let name = f.file_name().into_string().expect("utf-8 name");
        assert!(
            !name.ends_with(".snap.new"),
            "uncommitted snapshot {name}: review and accept it"
        );
        if let Some(key) = name
            .strip_prefix("all__explain_snapshots__entry__")
            .and_then(|n| n.strip_suffix(".snap"))
        {
            assert!(
                keys.contains(key),
                "snapshot {name} belongs to no catalog entry: delete it"
            );
        }
    }
}
