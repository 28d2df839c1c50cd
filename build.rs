//! Builds the SDK double (`sdk-double/`, a crate with no dependencies) into `OUT_DIR` with the same
//! rustc, so the tool carries it (`src/join/sim.rs` writes it out when `probe --sim` or `join --sim`
//! finds no `libagora_sdk_double.so` beside the executable). A `cargo install`ed or copied binary
//! thus keeps the simulated join. The double stays a library loaded through the real `dlopen` path.
//!
//! It also writes the explain catalog's registry (`catalog_registry.rs`, included by
//! `src/explain/registry.rs`): every file of `src/explain/catalog/`, embedded with `include_str!`, the
//! keys of `src/explain/registry.order` first in that order, then the rest sorted by key. A key listed
//! there without its file, or listed twice, fails the build. Beside it, `catalog_entries.rs`: every
//! entry already parsed (`src/explain/source.rs`, the same reader the library uses), as static data,
//! so an `explain` process starts with its catalog instead of parsing 1,400 files first. A file that
//! does not parse fails the build, naming the file.

use std::path::PathBuf;
use std::process::Command;

#[path = "src/explain/source.rs"]
#[allow(dead_code)]
mod source;
#[path = "src/explain/spelling.rs"]
mod spelling;

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
    println!("cargo:rerun-if-changed=src/explain/source.rs");
    println!("cargo:rerun-if-changed=src/explain/spelling.rs");
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
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("catalog_registry.rs"), out).expect("write the catalog registry");
    let mut entries = String::from("&[\n");
    let mut indexed = Vec::new();
    for key in &keys {
        let path = dir.join(format!("{key}.md"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("src/explain/catalog/{key}.md: {e}"));
        let (literal, one) = entry_literal(key, &text);
        entries.push_str(&literal);
        indexed.push(one);
    }
    entries.push_str("]\n");
    std::fs::write(out_dir.join("catalog_entries.rs"), entries).expect("write the catalog entries");
    std::fs::write(out_dir.join("catalog_index.rs"), index_literal(&indexed))
        .expect("write the catalog index");
}

/// One entry as a Rust expression of `src/explain/registry.rs`'s vocabulary (`t`, `l`, `Kind`,
/// `Product`, `derived_product`).
fn entry_literal(key: &str, text: &str) -> (String, Indexed) {
    use source::Value;
    let file = format!("src/explain/catalog/{key}.md");
    let (front, body) =
        source::split(text).unwrap_or_else(|| panic!("{file}: no `+++` front matter at the top"));
    let fields = source::front_matter(front).unwrap_or_else(|| {
        panic!(
            "{file}: the front matter is outside the catalog's subset (one `name = \"text\"`, \
             `name = [\"text\", …]` or `name = true` per line, known names, `key`, `sdk` and `kind` present)"
        )
    });
    let body = source::body(body).unwrap_or_else(|e| panic!("{file}: {e}"));
    let text_of = |name: &str| -> String {
        fields
            .iter()
            .find_map(|(n, v)| match v {
                Value::Str(s) if *n == name => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_default()
    };
    let list_of = |name: &str| -> Vec<String> {
        fields
            .iter()
            .find_map(|(n, v)| match v {
                Value::List(l) if *n == name => Some(l.clone()),
                _ => None,
            })
            .unwrap_or_default()
    };
    assert_eq!(
        text_of("key"),
        key,
        "{file}: the front matter's key differs from the file name"
    );
    let t = |s: &str| format!("t({s:?})");
    let l = |v: &[String]| {
        let items: Vec<String> = v.iter().map(|s| t(s)).collect();
        // A constant's own value is 'static; an array literal passed to `l` directly would be a
        // temporary the static cannot drop.
        format!("l({{ const V: &[Text] = &[{}]; V }})", items.join(", "))
    };
    let opt = |s: String| {
        if s.is_empty() {
            "None".to_string()
        } else {
            format!("Some({})", t(&s))
        }
    };
    let variant = |spelling: &str| -> String {
        spelling
            .split('-')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect()
    };
    let kind = format!("Kind::{}", variant(&text_of("kind")));
    let product = match text_of("product").as_str() {
        "" => format!(
            "derived_product({kind}, {:?}, {:?})",
            text_of("sdk"),
            text_of("key")
        ),
        p => format!("Product::{}", variant(p)),
    };
    let indexed = Indexed {
        key: key.to_string(),
        kind: text_of("kind"),
        value: text_of("value"),
        spellings: list_of("names")
            .into_iter()
            .chain(list_of("aliases"))
            .collect(),
    };
    let literal = format!(
        "Entry {{ key: {}, title: {}, sdk: {}, kind: {kind}, value: {}, names: {}, aliases: {}, \
         codes: {}, patterns: {}, retired: {}, summary: {}, causes: {}, fix: {}, product: {product}, \
         table: {}, source: {}, families: {}, check_with: {} }},\n",
        t(key),
        t(&body.title),
        t(&text_of("sdk")),
        t(&text_of("value")),
        l(&list_of("names")),
        l(&list_of("aliases")),
        l(&list_of("codes")),
        l(&list_of("patterns")),
        opt(text_of("retired")),
        t(&body.summary),
        l(&body.causes),
        t(&body.fix),
        opt(text_of("table")),
        opt(text_of("source")),
        l(&list_of("families")),
        l(&body.check_with),
    );
    (literal, indexed)
}

/// What the query index needs of one entry: key, kind spelling, value, names and aliases.
struct Indexed {
    key: String,
    kind: String,
    value: String,
    spellings: Vec<String>,
}

/// The query index of `src/explain/query.rs` (`KEYS`, `NAMES`, `DERIVED`, `NUMBERS`), each sorted for
/// binary search, each list in registry order.
fn index_literal(entries: &[Indexed]) -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut names: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut derived: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut numbers: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        keys.insert(e.key.to_ascii_lowercase(), i);
        for n in &e.spellings {
            let n = spelling::normalise(n);
            if n.is_empty() {
                continue;
            }
            if let Some(d) = spelling::strip_prefixes(&n) {
                derived.entry(d.to_string()).or_default().push(i);
            }
            names.entry(n).or_default().push(i);
        }
        // Web codes' values double as names (`CROSS_CHANNEL_FAILED_JOIN_SEC`).
        if e.kind == "web-code" && !e.value.is_empty() {
            let list = names.entry(spelling::normalise(&e.value)).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        }
        if let Ok(n) = e.value.parse::<i64>() {
            numbers.entry(n.unsigned_abs()).or_default().push(i);
        }
    }
    let list = |v: &[usize]| {
        let items: Vec<String> = v.iter().map(|i| i.to_string()).collect();
        format!("&[{}]", items.join(", "))
    };
    let mut out = String::new();
    out.push_str("/// Lower-case entry key → entry.\npub static KEYS: &[(&str, u16)] = &[\n");
    for (k, i) in &keys {
        let _ = writeln!(out, "    ({k:?}, {i}),");
    }
    for (name, map) in [("NAMES", &names), ("DERIVED", &derived)] {
        let _ = writeln!(
            out,
            "];\n/// Normalised spelling → entries.\npub static {name}: &[(&str, &[u16])] = &["
        );
        for (k, v) in map {
            let _ = writeln!(out, "    ({k:?}, {}),", list(v));
        }
    }
    out.push_str(
        "];\n/// Value without its sign → entries.\npub static NUMBERS: &[(u64, &[u16])] = &[\n",
    );
    for (k, v) in &numbers {
        let _ = writeln!(out, "    ({k}, {}),", list(v));
    }
    out.push_str("];\n");
    out
}
