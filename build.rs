//! Builds the SDK double (`sdk-double/`, a crate with no dependencies) into `OUT_DIR` with the same
//! rustc, so the tool carries it (`src/join/sim.rs` writes it out when `probe --sim` or `join --sim`
//! finds no `libagora_sdk_double.so` beside the executable). A `cargo install`ed or copied binary
//! thus keeps the simulated join. The double stays a library loaded through the real `dlopen` path.
//!
//! It also writes the explain catalog's registry (`catalog_registry.rs`, included by
//! `src/explain/registry.rs`): every file of `src/explain/catalog/`, embedded with `include_str!`, the
//! keys of `src/explain/registry.order` first in that order, then the rest sorted by key. A key listed
//! there without its file, or listed twice, fails the build.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    write_catalog_registry();
    // The double's sources, and the files it includes by path (see sdk-double/src/lib.rs).
    for file in [
        "sdk-double/src/lib.rs",
        "src/native/ffi.rs",
        "sim/src/native_wire.rs",
    ] {
        println!("cargo:rerun-if-changed={file}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    let host = std::env::var("HOST").expect("cargo sets HOST");
    let optimised = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let library = out.join("libagora_sdk_double.so");
    let mut rustc = Command::new(rustc);
    rustc
        .args(["--edition", "2021", "--crate-type", "cdylib"])
        .args(["--crate-name", "agora_sdk_double"])
        .args([
            "-C",
            if optimised {
                "opt-level=3"
            } else {
                "opt-level=1"
            },
        ])
        .args(["-C", "debuginfo=0", "--cap-lints", "allow"])
        .arg("sdk-double/src/lib.rs")
        .arg("-o")
        .arg(&library);
    if target != host {
        rustc.args(["--target", &target]);
    }
    let status = rustc
        .status()
        .expect("could not run rustc for the SDK double");
    assert!(status.success(), "building the SDK double failed: {status}");
}

/// The catalog registry: `pub static FILES: &[(&str, &str)]`, `(key, markdown)` per entry.
fn write_catalog_registry() {
    use std::collections::BTreeSet;
    use std::fmt::Write as _;
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let dir = manifest.join("src/explain/catalog");
    let order_file = manifest.join("src/explain/registry.order");
    println!("cargo:rerun-if-changed=src/explain/catalog");
    println!("cargo:rerun-if-changed=src/explain/registry.order");
    let order_text = std::fs::read_to_string(&order_file).expect("src/explain/registry.order");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("src/explain/catalog")
        .map(|f| {
            f.expect("catalog entry")
                .file_name()
                .into_string()
                .expect("utf-8 file name")
        })
        .filter_map(|name| name.strip_suffix(".md").map(str::to_string))
        .collect();
    let mut keys: Vec<String> = Vec::new();
    let mut listed = BTreeSet::new();
    for line in order_text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        assert!(
            listed.insert(line.to_string()),
            "src/explain/registry.order lists `{line}` twice"
        );
        assert!(
            on_disk.contains(line),
            "src/explain/registry.order lists `{line}`, but src/explain/catalog/{line}.md does not exist"
        );
        keys.push(line.to_string());
    }
    keys.extend(on_disk.iter().filter(|k| !listed.contains(*k)).cloned());
    let mut out = String::from("/// `(key, markdown)` for every entry, in order.\npub static FILES: &[(&str, &str)] = &[\n");
    for key in &keys {
        let path = dir.join(format!("{key}.md"));
        let _ = writeln!(
            out,
            "    ({key:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("catalog_registry.rs");
    std::fs::write(target, out).expect("write the catalog registry");
}
