//! The published JSON Schemas (`schema/*.json`): load them, and validate a `--json` document against
//! the schema its own `schema` field names. Every test that reads JSON output goes through
//! [`parse_json_output`], so every JSON document the suite produces is checked, against its
//! schema and against the report rules of [`super::consistency`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

/// Every schema file, keyed by the `schema` value it describes (its `properties.schema.const`).
pub fn schemas() -> &'static BTreeMap<String, (String, Value)> {
    static SCHEMAS: OnceLock<BTreeMap<String, (String, Value)>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schema");
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(dir).expect("schema/ exists") {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{file} is not JSON: {e}"));
            let id = schema["properties"]["schema"]["const"]
                .as_str()
                .unwrap_or_else(|| panic!("{file} has no properties.schema.const"))
                .to_owned();
            assert!(
                out.insert(id.clone(), (file, schema)).is_none(),
                "two schema files for {id}"
            );
        }
        out
    })
}

/// The validation errors of `doc` against the schema its `schema` field names.
pub fn errors(doc: &Value) -> Vec<String> {
    let Some(id) = doc["schema"].as_str() else {
        return vec!["the document has no `schema` field".to_owned()];
    };
    let Some((file, schema)) = schemas().get(id) else {
        return vec![format!("no file under schema/ describes `{id}`")];
    };
    let validator = jsonschema::validator_for(schema).unwrap_or_else(|e| panic!("{file}: {e}"));
    validator
        .iter_errors(doc)
        .map(|e| format!("{file}: at {}: {e}", e.instance_path()))
        .collect()
}

/// Parse one `--json` stdout and assert it validates against its published schema.
pub fn parse_json_output(stdout: &[u8]) -> Value {
    let doc: Value = serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(stdout)
        )
    });
    let problems = errors(&doc);
    assert!(
        problems.is_empty(),
        "JSON output breaks its schema:\n{}",
        problems.join("\n")
    );
    let broken = super::consistency::problems(&doc);
    assert!(
        broken.is_empty(),
        "JSON output breaks the report rules (tests/all/common/consistency.rs):\n{}",
        broken.join("\n")
    );
    doc
}
