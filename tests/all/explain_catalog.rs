//! Tidy test of the explain catalog: registry and files match both ways, every entry parses with all
//! four sections, no spelling points at two entries of one family, and every row of the research
//! table (`fixtures/errors.tsv`, a copy of the shared errors.tsv) is reachable by lookup.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use agora_doctor::explain::query::normalise;
use agora_doctor::explain::{catalog, lookup, registry, resolve, try_catalog, Entry, Kind};

fn catalog_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/explain/catalog")
}

#[test]
fn every_registered_file_parses_with_all_sections() {
    let entries = try_catalog().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entries.len(), registry::FILES.len());
    for e in &entries {
        assert!(!e.summary.is_empty(), "{}: empty summary", e.key);
        assert!(!e.causes.is_empty(), "{}: no causes", e.key);
        assert!(!e.fix.is_empty(), "{}: empty fix", e.key);
        assert!(!e.check_with.is_empty(), "{}: no check", e.key);
        for c in &e.check_with {
            assert!(
                c.contains("agora-doctor "),
                "{}: `Check with` item names no agora-doctor command: {c}",
                e.key
            );
        }
    }
}

#[test]
fn registry_and_files_match_both_ways() {
    let registered: Vec<&str> = registry::FILES.iter().map(|(k, _)| *k).collect();
    let unique: BTreeSet<&str> = registered.iter().copied().collect();
    assert_eq!(unique.len(), registered.len(), "a key is registered twice");
    let on_disk: BTreeSet<String> = std::fs::read_dir(catalog_dir())
        .expect("catalog directory")
        .map(|f| {
            f.expect("dir entry")
                .file_name()
                .into_string()
                .expect("utf-8 name")
        })
        .map(|name| {
            name.strip_suffix(".md")
                .unwrap_or_else(|| panic!("non-markdown file in the catalog: {name}"))
                .to_string()
        })
        .collect();
    let registered: BTreeSet<String> = unique.iter().map(|s| s.to_string()).collect();
    let unlisted: Vec<_> = on_disk.difference(&registered).collect();
    assert!(
        unlisted.is_empty(),
        "files missing from registry.rs: {unlisted:?}"
    );
    // The other direction is a build error (include_str!), but say it plainly anyway.
    let missing: Vec<_> = registered.difference(&on_disk).collect();
    assert!(
        missing.is_empty(),
        "registered keys without a file: {missing:?}"
    );
}

#[test]
fn no_spelling_points_at_two_entries_of_one_family() {
    let mut names: HashMap<(Kind, String), &str> = HashMap::new();
    let mut aliases: HashMap<String, &str> = HashMap::new();
    for e in catalog() {
        let mut own = BTreeSet::new();
        for n in &e.names {
            let n = normalise(n);
            if let Some(other) = names.insert((e.kind, n.clone()), &e.key) {
                panic!("name {n} is in both {other} and {} ({:?})", e.key, e.kind);
            }
            own.insert(n);
        }
        for a in &e.aliases {
            let a = normalise(a);
            if own.contains(&a) {
                continue; // an alias that is a spelling of the entry's own name
            }
            if let Some(other) = aliases.insert(a.clone(), &e.key) {
                panic!("alias {a} is in both {other} and {}", e.key);
            }
        }
    }
    // An alias must not shadow another entry's name either.
    for (a, key) in &aliases {
        for ((_, n), other) in &names {
            assert!(
                !(a == n && key != other),
                "alias {a} of {key} is a name of {other}"
            );
        }
    }
}

#[test]
fn every_line_literal_belongs_to_one_entry() {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for e in catalog() {
        for lit in e.codes.iter().chain(&e.patterns) {
            assert!(!lit.trim().is_empty(), "{}: empty code or pattern", e.key);
            if let Some(other) = seen.insert(lit, &e.key) {
                assert_eq!(other, e.key, "literal {lit:?} is in {other} and {}", e.key);
            }
        }
    }
}

struct Row {
    code: String,
    name: String,
    kind: String,
    meaning: String,
}

fn rows() -> Vec<Row> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/errors.tsv"))
            .expect("fixtures/errors.tsv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next().expect("header"),
        "sdk\tcode\tname\tkind\tmeaning\tlikely_causes\tfix\tsource"
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 8, "row with {} fields: {l}", f.len());
            Row {
                code: f[1].into(),
                name: f[2].into(),
                kind: f[3].into(),
                meaning: f[4].into(),
            }
        })
        .collect()
}

fn first(query: &str) -> &'static Entry {
    lookup(query).unwrap_or_else(|| panic!("{query:?} resolves to nothing"))
}

fn all(query: &str) -> Vec<&'static Entry> {
    resolve(query)
        .unwrap_or_else(|| panic!("{query:?} resolves to nothing"))
        .entries
}

/// The quoted reason text of a gateway-reason row (`Text 'dynamic key expired': …`).
fn reason_text(meaning: &str) -> Option<&str> {
    meaning.strip_prefix("Text '")?.split('\'').next()
}

#[test]
fn every_tsv_row_is_reachable() {
    let rows = rows();
    assert_eq!(rows.len(), 354, "the research table has 354 rows");
    for r in &rows {
        let ctx = format!("row {} {} {}", r.kind, r.code, r.name);
        match r.kind.as_str() {
            "web-code" => {
                for q in [&r.code, &r.name] {
                    let e = first(q);
                    assert_eq!(
                        (e.kind, e.value.as_str()),
                        (Kind::WebCode, r.code.as_str()),
                        "{ctx}"
                    );
                }
            }
            "gateway-reason" => {
                let e = if r.code != "-" {
                    first(&r.code)
                } else {
                    let text = reason_text(&r.meaning).expect("reason text");
                    first(&format!("gateway-reason {text}"))
                };
                assert_eq!(e.kind, Kind::GatewayReason, "{ctx}");
                if r.code != "-" {
                    assert_eq!(e.value, r.code, "{ctx}");
                }
                if let Some(text) = reason_text(&r.meaning) {
                    let by_text = first(&format!("gateway-reason {text}"));
                    assert_eq!(by_text.key, e.key, "{ctx}: by its text");
                }
                assert!(
                    e.names.contains(&r.name) || r.name == "INTERNAL_ERROR",
                    "{ctx}: name not listed in {}",
                    e.key
                );
            }
            "message-pattern" => {
                let e = first(&r.name);
                let target = r.code.rsplit('/').next().unwrap_or_default();
                let ok = if target == "-" {
                    e.kind == Kind::Message && e.value.is_empty()
                } else {
                    e.value == target || e.names.iter().any(|n| n == target)
                };
                assert!(ok, "{ctx}: resolved to {} (value {:?})", e.key, e.value);
            }
            kind => {
                let e_by_name = first(&format!("{kind} {}", r.name));
                assert_eq!(e_by_name.kind.as_str(), kind, "{ctx}");
                assert!(
                    e_by_name.names.contains(&r.name),
                    "{ctx}: {}",
                    e_by_name.key
                );
                let by_value = all(&format!("{kind} {}", r.code));
                assert!(
                    by_value.iter().any(|e| e.key == e_by_name.key),
                    "{ctx}: `{kind} {}` does not reach {}",
                    r.code,
                    e_by_name.key
                );
                assert_eq!(e_by_name.value, r.code, "{ctx}");
            }
        }
    }
}

#[test]
fn legacy_codes_stay_and_are_marked() {
    for r in rows() {
        let retired = r.meaning.contains("Declared in the enum but not thrown")
            || r.meaning.contains("obsolete since")
            || r.meaning.contains("deprecated in 4.6");
        if retired {
            let q = format!("{} {}", r.kind, r.name);
            let e = first(&q);
            assert!(e.is_legacy(), "{} should be marked legacy", e.key);
        }
    }
    assert!(first("ERR_INVALID_TOKEN")
        .retired
        .as_deref()
        .unwrap_or("")
        .contains("4.6"));
}

#[test]
fn tsv_kinds_have_the_documented_counts() {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for r in rows() {
        *counts.entry(r.kind).or_default() += 1;
    }
    let expect = [
        ("web-code", 96),
        ("gateway-reason", 37),
        ("gateway-join-code", 67),
        ("web-disconnect-reason", 16),
        ("web-connection-state", 5),
        ("native-error", 73),
        ("connection-reason", 25),
        ("connection-state", 5),
        ("message-pattern", 30),
    ];
    for (k, n) in expect {
        assert_eq!(counts.get(k), Some(&n), "kind {k}");
    }
}
