//! Noise: warning and error lines that are harmless for a voice app, in documented families, each
//! with one line saying why. A family is recognised by the component that writes it (a logcat tag,
//! a Chromium source file, an Apple subsystem) or by the shape of its message, never by one literal
//! line, so that the next member of the family is recognised too. The families are data
//! (`noise.families`, embedded at build time).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Serialize;

/// One family of harmless lines.
#[derive(Debug, Clone, Serialize)]
pub struct Family {
    /// Stable identifier (`android.system`, …).
    pub key: &'static str,
    /// What the lines are.
    pub name: &'static str,
    /// Why they do not matter.
    pub why: &'static str,
    /// Its texts are read on lines written by Agora's SDKs too (by default a line naming Agora is
    /// never noise).
    #[serde(skip)]
    pub agora: bool,
    /// Writers (logcat tags, modules, processes) whose warnings all belong here.
    #[serde(skip)]
    pub tags: Vec<&'static str>,
    /// Message shapes that belong here whoever wrote them: a substring, or `a … b` (a, then b later
    /// in the line).
    #[serde(skip)]
    pub texts: Vec<&'static str>,
}

/// The families, as data (format described at the top of the file).
const FAMILIES_FILE: &str = include_str!("noise.families");

/// The separator of a text's parts (`WS_ABORT … leave`).
const THEN: &str = " \u{2026} ";

/// Every family, in the order the report lists them.
pub fn families() -> &'static [Family] {
    static F: std::sync::OnceLock<Vec<Family>> = std::sync::OnceLock::new();
    F.get_or_init(|| parse(FAMILIES_FILE))
}

/// Read the families file; a malformed file is a bug caught by the tests.
fn parse(file: &'static str) -> Vec<Family> {
    let mut out: Vec<Family> = Vec::new();
    for line in file.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(key) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push(Family {
                key,
                name: "",
                why: "",
                agora: false,
                tags: Vec::new(),
                texts: Vec::new(),
            });
            continue;
        }
        let f = out
            .last_mut()
            .expect("noise.families: a field before the first [family]");
        let (field, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("noise.families: not `field: value`: {line}"));
        match field {
            "name" => f.name = value,
            "why" => f.why = value,
            "agora" => f.agora = value == "yes",
            "tags" => f.tags.extend(value.split_ascii_whitespace()),
            "text" => f.texts.push(
                value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value),
            ),
            _ => panic!("noise.families: unknown field {field}"),
        }
    }
    out
}

/// The index of the family with `key`.
pub fn index(key: &str) -> Option<usize> {
    families().iter().position(|f| f.key == key)
}

/// The index of the Agora SDK's internal-warnings family.
pub fn agora_internal() -> usize {
    static I: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *I.get_or_init(|| index("agora.sdk_internal").expect("noise.families has agora.sdk_internal"))
}

/// Every family's message shapes (for the log's fast path): a text's first part.
pub fn texts() -> Vec<&'static str> {
    families()
        .iter()
        .flat_map(|f| f.texts.iter().map(|t| first_part(t)))
        .collect()
}

fn first_part(t: &'static str) -> &'static str {
    t.split(THEN).next().unwrap_or(t)
}

/// One automaton over every family's texts.
struct TextSet {
    ac: AhoCorasick,
    /// Per pattern: its family and the parts that must follow it.
    rest: Vec<(usize, Vec<&'static str>)>,
}

impl TextSet {
    fn new() -> TextSet {
        let mut patterns = Vec::new();
        let mut rest = Vec::new();
        for (i, f) in families().iter().enumerate() {
            for t in &f.texts {
                let mut parts = t.split(THEN);
                patterns.push(parts.next().unwrap_or(t));
                rest.push((i, parts.collect()));
            }
        }
        TextSet {
            ac: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("noise texts build an automaton"),
            rest,
        }
    }

    /// The first family (among those `which` accepts) whose shape the line has, in one pass.
    fn find(&self, line: &[u8], which: impl Fn(usize) -> bool) -> Option<usize> {
        self.ac.find_iter(line).find_map(|m| {
            let (family, rest) = &self.rest[m.pattern().as_usize()];
            if !which(*family) {
                return None;
            }
            let mut at = m.end();
            for part in rest {
                at += memchr::memmem::find(&line[at..], part.as_bytes())? + part.len();
            }
            Some(*family)
        })
    }
}

/// The family matcher: tags exactly, texts anywhere in the line.
pub struct NoiseMatcher {
    texts: TextSet,
    /// Per family: its texts are read on Agora's own lines too.
    agora: Vec<bool>,
    tags: std::collections::HashMap<&'static [u8], usize>,
}

impl NoiseMatcher {
    /// Build from [`families`].
    pub fn new() -> NoiseMatcher {
        let mut tags = std::collections::HashMap::new();
        for (i, f) in families().iter().enumerate() {
            for t in &f.tags {
                tags.insert(t.as_bytes(), i);
            }
        }
        NoiseMatcher {
            texts: TextSet::new(),
            agora: families().iter().map(|f| f.agora).collect(),
            tags,
        }
    }

    /// The family of a line written by `tag` (a logcat tag, a module, a source file).
    pub fn by_tag(&self, tag: &[u8]) -> Option<usize> {
        self.tags.get(tag).copied()
    }

    /// The family (not one of Agora's own) whose message shape the line has.
    pub fn by_text(&self, line: &[u8]) -> Option<usize> {
        self.texts.find(line, |f| !self.agora[f])
    }

    /// The family of the Agora SDKs' own harmless notices whose shape the line has.
    pub fn agora_notice(&self, line: &[u8]) -> Option<usize> {
        self.texts.find(line, |f| self.agora[f])
    }

    /// The first family of any kind whose shape the line has (one pass), and whether it is one of
    /// the Agora SDKs' own.
    pub fn any_text(&self, line: &[u8]) -> Option<(usize, bool)> {
        self.texts.find(line, |_| true).map(|f| (f, self.agora[f]))
    }
}

impl Default for NoiseMatcher {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_families_file_reads_whole() {
        let f = families();
        assert!(f.len() >= 10);
        let mut keys: Vec<&str> = f.iter().map(|f| f.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), f.len(), "two families with one key");
        for fam in f {
            assert!(!fam.name.is_empty() && !fam.why.is_empty(), "{}", fam.key);
            assert!(
                fam.key == "agora.sdk_internal" || !fam.texts.is_empty() || !fam.tags.is_empty(),
                "{} has neither texts nor tags",
                fam.key
            );
            for t in &fam.texts {
                assert!(
                    t.trim().len() >= 3,
                    "{}: text too short to be a shape: {t:?}",
                    fam.key
                );
            }
        }
        assert_eq!(f[agora_internal()].key, "agora.sdk_internal");
    }

    #[test]
    fn tags_texts_and_ordered_parts_find_their_family() {
        let m = NoiseMatcher::new();
        let key = |i: Option<usize>| i.map(|i| families()[i].key);
        assert_eq!(
            key(m.by_tag(b"EGL_emulation")),
            Some("emulator.graphics_radio")
        );
        assert_eq!(
            key(m.by_text(b"DevTools failed to load source map: x")),
            Some("browser.devtools")
        );
        assert_eq!(m.by_tag(b"flutter"), None);
        assert_eq!(
            key(m.agora_notice(b"AgoraRTCError WS_ABORT: type: leave")),
            Some("agora.sdk_notices")
        );
        // The parts must come in order.
        assert_eq!(
            m.agora_notice(b"leave then AgoraRTCError WS_ABORT: type: ping"),
            None
        );
        // Agora's own notices are not matched as anyone's.
        assert_eq!(m.by_text(b"You input a string as the user ID"), None);
    }
}
