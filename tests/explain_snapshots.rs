//! Insta snapshots: every catalog entry as `agora-doctor explain <key>` prints it, and `--list --json`.
//! A new entry needs its snapshot: run `INSTA_UPDATE=always cargo test --test explain_snapshots` and
//! commit the new `.snap` file after reading it.

use agora_doctor::explain::catalog;
use agora_doctor::render::explain::{entry_block, list_json};
use agora_doctor::render::OutputContext;

#[test]
fn every_entry_renders_as_its_snapshot() {
    let _plain = OutputContext::plain();
    for e in catalog() {
        insta::assert_snapshot!(format!("entry__{}", e.key), entry_block(e));
    }
}

#[test]
fn list_json_snapshot() {
    let v: serde_json::Value = serde_json::from_str(&list_json(catalog())).expect("JSON");
    insta::assert_json_snapshot!("list_json", v);
}
