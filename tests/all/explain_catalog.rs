//! Tidy test of the explain catalog: registry and files match both ways, every entry parses with all
//! four sections, no spelling points at two entries of one family, and every row of the research
//! table (`fixtures/errors.tsv`, a copy of the shared errors.tsv) is reachable by lookup; every row of
//! every official table `docs/error-sources.md` lists has its entry, and every entry that names a
//! table is listed there; no generated entry copies a run of eight words from its official row.

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
        for c in e.check_with.iter() {
            assert!(
                c.contains("agora-doctor "),
                "{}: `Check with` item names no agora-doctor command: {c}",
                e.key
            );
        }
    }
}

/// The binary carries the catalog pre-parsed by build.rs; it must say exactly what the files say when
/// the library parses them (same reader, but the build script writes it out as Rust).
#[test]
fn the_pre_parsed_catalog_is_what_the_files_say() {
    let parsed = try_catalog().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(catalog().len(), parsed.len());
    for (built, read) in catalog().iter().zip(&parsed) {
        assert_eq!(built, read, "{}", read.key);
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
        for n in e.names.iter() {
            let n = normalise(n);
            if let Some(other) = names.insert((e.kind, n.clone()), &e.key) {
                panic!("name {n} is in both {other} and {} ({:?})", e.key, e.kind);
            }
            own.insert(n);
        }
        for a in e.aliases.iter() {
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
        for lit in e.codes.iter().chain(e.patterns.iter()) {
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
                        (e.kind, e.value.as_ref()),
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
                    e.names.iter().any(|n| *n == r.name) || r.name == "INTERNAL_ERROR",
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
                    e_by_name.names.iter().any(|n| *n == r.name),
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

/// One table of `docs/error-sources.md`: its id, the row count its heading states, and its rows
/// (value, identifier, entry key).
struct SourceTable {
    id: String,
    stated: usize,
    summary_count: usize,
    rows: Vec<(String, String, String)>,
}

fn cell(s: &str) -> String {
    s.trim().trim_matches('`').to_string()
}

fn source_tables() -> Vec<SourceTable> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/error-sources.md"),
    )
    .expect("docs/error-sources.md");
    let mut summary: HashMap<String, usize> = HashMap::new();
    let mut tables: Vec<SourceTable> = Vec::new();
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("## ") {
            tables.push(SourceTable {
                id: id.trim().to_string(),
                stated: usize::MAX,
                summary_count: 0,
                rows: Vec::new(),
            });
        } else if let Some(t) = tables.last_mut() {
            if let Some(n) = line
                .split("Rows: ")
                .nth(1)
                .and_then(|r| r.trim_end_matches('.').parse().ok())
            {
                t.stated = n;
            } else if line.starts_with("| `") {
                let f: Vec<&str> = line.trim_matches('|').split(" | ").collect();
                assert_eq!(f.len(), 3, "row of {}: {line}", t.id);
                t.rows.push((cell(f[0]), cell(f[1]), cell(f[2])));
            }
        } else if line.starts_with("| [`") {
            let f: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            let id = f[0].split('`').nth(1).expect("table id").to_string();
            summary.insert(id, f[3].trim().parse().expect("row count"));
        }
    }
    for t in &mut tables {
        t.summary_count = *summary
            .get(&t.id)
            .unwrap_or_else(|| panic!("{} is not in the summary table", t.id));
    }
    assert_eq!(summary.len(), tables.len(), "summary and sections differ");
    tables
}

#[test]
fn every_row_of_every_official_table_has_its_entry() {
    let tables = source_tables();
    let by_key: HashMap<&str, &Entry> = catalog().iter().map(|e| (e.key.as_ref(), e)).collect();
    let mut total = 0;
    for t in &tables {
        assert_eq!(t.rows.len(), t.stated, "{}: rows listed vs stated", t.id);
        assert_eq!(t.rows.len(), t.summary_count, "{}: rows vs summary", t.id);
        assert!(!t.rows.is_empty(), "{}: no rows", t.id);
        total += t.rows.len();
        for (value, ident, key) in &t.rows {
            let e = by_key
                .get(key.as_str())
                .unwrap_or_else(|| panic!("{}: row {value} {ident} names no entry {key}", t.id));
            let same_value = e.value.trim_start_matches('-') == value.trim_start_matches('-');
            let named = ident.is_empty()
                || ident == "-"
                || e.names
                    .iter()
                    .chain(e.aliases.iter())
                    .any(|n| normalise(n) == normalise(ident))
                || e.patterns.iter().any(|p| p == ident)
                || same_value;
            assert!(
                named
                    && (same_value
                        || value.is_empty()
                        || e.kind == Kind::RestStatus
                        || e.names.iter().any(|n| normalise(n) == normalise(ident))),
                "{}: row {value} {ident} does not fit {key} (value {}, names {:?})",
                t.id,
                e.value,
                e.names
            );
        }
    }
    assert!(
        total >= 1000,
        "{total} rows: the official tables hold well over 1,000"
    );
}

#[test]
fn every_entry_naming_a_table_is_listed_in_it() {
    let tables = source_tables();
    let listed: HashMap<&str, BTreeSet<&str>> = tables
        .iter()
        .map(|t| (t.id.as_str(), t.rows.iter().map(|r| r.2.as_str()).collect()))
        .collect();
    for e in catalog() {
        let Some(table) = &e.table else { continue };
        let keys = listed.get(table.as_ref()).unwrap_or_else(|| {
            panic!(
                "{} names table {table}, which docs/error-sources.md does not list",
                e.key
            )
        });
        assert!(
            keys.contains(e.key.as_ref()),
            "{} is not listed under {table}",
            e.key
        );
        assert!(
            e.source
                .as_deref()
                .is_some_and(|s| s.starts_with("https://")),
            "{}: a table row needs its public source page",
            e.key
        );
    }
}

#[test]
fn every_declared_family_is_listed_and_every_listed_family_has_an_entry() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/error-sources.md"),
    )
    .expect("docs/error-sources.md");
    let listed: Vec<String> = text
        .split("### Platform families")
        .nth(1)
        .expect("a Platform families section")
        .lines()
        .take_while(|l| !l.starts_with("## ") && !l.starts_with("| table "))
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    assert!(listed.len() >= 20, "{listed:?}");
    for e in catalog() {
        for f in e.families.iter() {
            assert!(
                listed.contains(&f.to_string()),
                "{} declares family `{f}`, which docs/error-sources.md does not list",
                e.key
            );
        }
    }
    for f in &listed {
        assert!(
            catalog().iter().any(|e| e.families.iter().any(|x| x == f)),
            "family `{f}` is listed but no entry declares it"
        );
    }
}

/// Words of prose for the copy check: lower case, letters and digits only, links left out (a link
/// is a citation, not prose).
fn prose_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| !w.contains("://"))
        .flat_map(|w| {
            w.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|p| !p.is_empty())
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// How many consecutive words two texts may share before one counts as copied from the other.
const COPIED_RUN: usize = 8;

/// The first run of `COPIED_RUN` words that `ours` shares with `official`, if any.
fn copied_run(ours: &str, official: &str) -> Option<String> {
    let theirs: BTreeSet<Vec<String>> = prose_words(official)
        .windows(COPIED_RUN)
        .map(<[String]>::to_vec)
        .collect();
    prose_words(ours)
        .windows(COPIED_RUN)
        .find(|w| theirs.contains(*w))
        .map(|w| w.join(" "))
}

/// The extracted rows of an official table (`scripts/catalog/rows/<table>.tsv`), as header -> cell maps.
fn official_rows(table: &str) -> Vec<HashMap<String, String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts/catalog/rows")
        .join(format!("{table}.tsv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header line").split('\t').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

/// Tables whose undescribed rows take their text from another table (`supplement` in
/// scripts/catalog/tables.py), read from that file so the two cannot drift apart.
fn supplements() -> HashMap<String, String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/catalog/tables.py"),
    )
    .expect("scripts/catalog/tables.py");
    let mut out = HashMap::new();
    for (at, _) in text.match_indices("supplement=\"") {
        let rest = &text[at + "supplement=\"".len()..];
        let supplement = &rest[..rest.find('"').expect("closing quote")];
        let id_at = text[..at]
            .rfind("dict(id=\"")
            .expect("a table id before its supplement");
        let id_rest = &text[id_at + "dict(id=\"".len()..];
        out.insert(
            id_rest[..id_rest.find('"').expect("closing quote")].to_string(),
            supplement.to_string(),
        );
    }
    out
}

/// Facts come from Agora's tables, the prose is ours: no generated entry may repeat a run of
/// `COPIED_RUN` words of the official description (meaning, causes, fix) of the row it came from.
/// scripts/catalog/check_prose.py applies the same rule before the files are written.
#[test]
fn generated_prose_is_our_own() {
    let supplements = supplements();
    assert!(!supplements.is_empty(), "no supplement found in tables.py");
    let mut tables: HashMap<String, Vec<HashMap<String, String>>> = HashMap::new();
    let mut checked = 0;
    let mut copied = Vec::new();
    for e in catalog() {
        let file = std::fs::read_to_string(catalog_dir().join(format!("{}.md", e.key)))
            .expect("entry file");
        if !file.contains("\ngenerated = true\n") {
            continue;
        }
        let table = e
            .table
            .as_deref()
            .expect("a generated entry names its table");
        let mut sources = vec![table.to_string()];
        sources.extend(supplements.get(table).cloned());
        for t in &sources {
            tables.entry(t.clone()).or_insert_with(|| official_rows(t));
        }
        let mut official = Vec::new();
        for t in &sources {
            official.extend(tables[t].iter().filter(|r| {
                r["value"] == e.value.as_ref()
                    && (t != table
                        || r["name"].is_empty()
                        || e.names.is_empty()
                        || e.names.iter().any(|n| n.as_ref() == r["name"]))
            }));
        }
        let mut ours = format!(
            "{}\n{}\n{}\n{}",
            e.title,
            e.summary,
            e.causes.join("\n"),
            e.fix
        );
        // The message a row is known by is a literal the SDK or server prints, not prose.
        for r in &official {
            if let Some(m) = r.get("message").filter(|m| !m.is_empty()) {
                ours = ours.replace(m.as_str(), " ");
            }
        }
        checked += 1;
        for r in &official {
            for field in ["meaning", "causes", "fix"] {
                if let Some(run) = copied_run(&ours, &r[field]) {
                    copied.push(format!("{}: \"{run}\" from the official {field}", e.key));
                }
            }
        }
    }
    assert!(checked >= 800, "only {checked} generated entries found");
    assert!(
        copied.is_empty(),
        "{} copied runs:\n{}",
        copied.len(),
        copied.join("\n")
    );
    // The check itself sees a copy: a long official description shares a run with itself.
    let long = official_rows("rtm1-connection-state")
        .into_iter()
        .map(|r| r["meaning"].clone())
        .max_by_key(String::len)
        .expect("rows");
    assert!(copied_run(&format!("As documented: {long}"), &long).is_some());
}
