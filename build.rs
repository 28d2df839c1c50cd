//! Builds the SDK double (`sdk-double/`, a crate with no dependencies) into `OUT_DIR` with the same
//! rustc, so the tool carries it (`src/join/sim.rs` writes it out when `probe --sim` or `join --sim`
//! finds no `libagora_sdk_double.so` beside the executable). A `cargo install`ed or copied binary
//! thus keeps the simulated join. The double stays a library loaded through the real `dlopen` path.

use std::path::PathBuf;
use std::process::Command;

fn main() {
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
