//! The whole integration-test suite as one binary (Cargo `autotests = false`, one `[[test]]`): one
//! link instead of one per file. Each module is one concern; shared helpers live in `common/`.

mod common;

mod agora_values;
mod bad_inputs;
mod browser_flow;
mod browser_probe;
mod browser_sdk_errors;
mod browser_voice_room;
mod cli_docs;
mod command_examples;
mod explain_catalog;
mod explain_cli;
mod explain_corpus;
mod explain_keys;
mod explain_log_scan;
mod explain_mixed_log;
mod explain_paste_shapes;
mod explain_seed;
mod explain_snapshots;
mod join_cli;
mod json_schema;
mod native_join;
mod pipeline;
mod probe_cli;
mod probe_devices;
mod probe_join;
mod probe_keys;
mod probe_page;
mod probe_runner;
mod probe_secure_context;
mod probe_sim;
mod readme_samples;
mod report_redaction;
mod scan;
mod scan_keys;
mod scan_walk;
mod secrets;
mod support_report;
mod token_cli;
mod token_roundtrip;
mod token_snapshots;
mod token_vectors;
