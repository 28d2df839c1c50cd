//! Every `--json` document validates against its published schema under `schema/`, and a schema
//! cannot change under the same version: `schema/versions.lock` pins each file's SHA-256.

use crate::common;

use std::collections::BTreeSet;

use common::schema::{errors, parse_json_output, schemas};
use common::{doctor, fixtures};
use sha2::{Digest, Sha256};

const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const CERTIFICATE: &str = "5CFd2fd1755d40ecb72977518be15d3b";

/// Run the binary, parse its stdout as JSON and validate it; return the schema it named.
fn validated(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> String {
    let mut cmd = doctor();
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.output().unwrap();
    // Exit 2 (could not run) never comes with a document; 0 and 1 do (`join` with no SDK is a skip, 0).
    assert!(
        out.status.code().is_some_and(|c| c <= 2) && !out.stdout.is_empty(),
        "{args:?} printed no document: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_json_output(&out.stdout)["schema"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn every_json_document_kind_validates_against_its_published_schema() {
    let mut seen = BTreeSet::new();
    for fx in fixtures() {
        let mut args = vec!["token", fx.token.as_str()];
        args.extend(fx.args.iter().map(String::as_str));
        args.extend(["--now", fx.now.as_str(), "--json"]);
        let env: Vec<(&str, &str)> = fx
            .certificate
            .iter()
            .map(|c| ("AGORA_APP_CERTIFICATE", c.as_str()))
            .collect();
        seen.insert(validated(&args, &env, None));
    }
    for example in [
        "expired",
        "valid",
        "wrong-channel",
        "plus-became-space",
        "subscriber",
        "app-id-pasted",
    ] {
        seen.insert(validated(
            &["token", "--example", example, "--json"],
            &[],
            None,
        ));
    }
    seen.insert(validated(
        &["token", "-", "--json", "--channel", "c"],
        &[],
        Some("null\n007eJx\n\n"),
    ));
    let cert = [("AGORA_APP_CERTIFICATE", CERTIFICATE)];
    for extra in [
        &["--uid", "1"][..],
        &["--format", "006", "--account", "bob"],
        &["--uid", "0", "--role", "subscriber"],
    ] {
        let mut args = vec![
            "token",
            "build",
            "--app-id",
            APP_ID,
            "--channel",
            "c",
            "--expire",
            "1h",
            "--json",
        ];
        args.extend(extra);
        seen.insert(validated(&args, &cert, None));
    }
    let line = "Choose server https://webrtc2-ap-web-1.agora.io/api/v1 failed, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired, retry: false";
    for query in [
        "110",
        "invalid_token",
        "CAN_NOT_GET_GATEWAY_SERVER",
        "token.expired",
        line,
    ] {
        seen.insert(validated(&["explain", query, "--json"], &[], None));
    }
    seen.insert(validated(&["explain", "--list", "--json"], &[], None));
    seen.insert(validated(
        &["explain", "--log", "-", "--json"],
        &[],
        Some(&format!("ok\n{line}\n{line}\n")),
    ));
    seen.insert(validated(
        &["explain", "--log", "-", "--json"],
        &[],
        Some("nothing here\n"),
    ));
    seen.insert(validated(
        &["probe", "--sim", "--json", "--only", "config,clock,network"],
        &[],
        None,
    ));
    seen.insert(validated(
        &[
            "probe",
            "--json",
            "--only",
            "secure_context",
            "--url",
            "http://192.168.1.5:3000/",
        ],
        &[],
        None,
    ));
    seen.insert(validated(&["probe", "--list-checks", "--json"], &[], None));
    seen.insert(validated(
        &["report", "--sim", "--json", "--only", "config,clock"],
        &[],
        None,
    ));
    seen.insert(validated(
        &[
            "join",
            "--json",
            "--app-id",
            APP_ID,
            "--token",
            "x",
            "--channel",
            "c",
            "--sdk",
            "/nonexistent/libagora_rtc_sdk.so",
        ],
        &[],
        None,
    ));
    seen.insert(validated(
        &["report", "--sim", "--only", "clock", "--json", "--log", "-"],
        &[],
        Some("AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired\n"),
    ));

    // token-server against a port nothing listens on: the report still has every field.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    seen.insert(validated(
        &[
            "token-server",
            &format!("http://127.0.0.1:{closed}/rtc/{{channel}}/{{role}}/uid/{{uid}}"),
            "--json",
            "--timeout",
            "2",
        ],
        &[],
        None,
    ));
    seen.insert(validated(
        &[
            "scan",
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/scan/web-react"),
            "--json",
            "--now",
            "2026-11-25T00:00:00Z",
        ],
        &[],
        None,
    ));

    let published: BTreeSet<String> = schemas().keys().cloned().collect();
    assert_eq!(
        seen, published,
        "a schema without a test document, or a document without a schema"
    );
}

#[test]
fn a_renamed_or_missing_field_breaks_validation() {
    let out = doctor()
        .args(["explain", "110", "--json"])
        .output()
        .unwrap();
    let doc = parse_json_output(&out.stdout);

    let mut renamed = doc.clone();
    let value = renamed.as_object_mut().unwrap().remove("entries").unwrap();
    renamed
        .as_object_mut()
        .unwrap()
        .insert("entry_list".into(), value);
    assert!(
        !errors(&renamed).is_empty(),
        "a renamed field passed validation"
    );

    let mut wrong_version = doc;
    wrong_version["schema"] = "agora-doctor/explain/v0".into();
    assert!(
        !errors(&wrong_version).is_empty(),
        "an unknown schema version passed validation"
    );
}

#[test]
fn schema_files_are_pinned_by_version_lock() {
    let lock_path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/versions.lock");
    let lock = std::fs::read_to_string(lock_path).expect("schema/versions.lock exists");
    for (id, (file, _)) in schemas() {
        let bytes = std::fs::read(format!("{}/schema/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let digest = hex::encode(Sha256::digest(&bytes));
        let line = format!("{id} {file} {digest}");
        assert!(
            lock.lines().any(|l| l.trim() == line),
            "schema/{file} changed under the same version `{id}`. A changed document needs a new version: \
             copy the file to the next version, bump the `schema` constant in the code, and add this line to \
             schema/versions.lock:\n{line}"
        );
    }
}
