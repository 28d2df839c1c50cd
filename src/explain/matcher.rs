//! The multi-pattern matcher: one Aho-Corasick automaton over every entry's `codes` and `patterns`,
//! and the rule that picks the most specific entries for one line.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

use super::entry::{Entry, Kind};
use super::shape::ShapeAnswer;

/// How specific a literal is: message texts beat bare codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// A message text (`dynamic key expired`): the most specific evidence.
    Pattern,
    /// A code or identifier (`AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER`): generic.
    Code,
    /// A text or code of a platform family (a `DOMException` name, a linker message): the layer
    /// around Agora, the answer only when no Agora code or text is on the line
    /// (`AgoraRTCError PERMISSION_DENIED: NotAllowedError: …` is Agora's PERMISSION_DENIED).
    Family,
}

/// Words that announce a number or enum member instead of a catalog spelling (`onError: 110`,
/// `errorCode=-2`, `PlatformException(17`, `reason 8`; see [`super::shape`]). In a log only lines
/// holding one of them (or a catalog literal) are looked at, so they are chosen to be rare in quiet
/// lines: the benchmark's noise (`connection state change`, `audio level`, ICE states) holds none.
pub const SHAPE_TRIGGERS: [&str; 22] = [
    "PlatformException(",
    "AgoraRtcException(",
    "error_code: ",
    "onError",
    "OnError",
    "onWarning",
    "rrorCode",
    "rror code",
    "rror Code",
    "err=",
    "err: ",
    "rror ",
    "rror: ",
    "reason",
    "Reason",
    "onConnectionStateChanged",
    "login fail",
    "Warning ",
    "warning: ",
    "错误码",
    "ErrorCodeType.",
    "ConnectionChangedReasonType.",
];

/// Cause families whose words are everyday noise in a console or platform log (a page's analytics or
/// an ad blocker's request failing to resolve, `net::ERR_NAME_NOT_RESOLVED`) but the question when
/// pasted on their own: their entries answer pasted queries and are not searched for in logs.
const PASTE_ONLY_FAMILIES: [&str; 1] = ["dns-resolution-failed"];

/// Index of a shape trigger in `literals` (no entry of its own).
const SHAPE: usize = usize::MAX;

#[derive(Debug, Clone)]
struct Literal {
    entry: usize,
    tier: Tier,
    // Whether the literal's first/last byte is a word byte, so its neighbour in the line must not be:
    // `AgoraRTCError WS_ERR` must not match inside `AgoraRTCError WS_ERROR_X`.
    word_start: bool,
    word_end: bool,
}

/// Every literal of the catalog, with the entry each literal belongs to, and how to find them: an
/// automaton for logs, a table by first two bytes for pasted queries.
pub struct Matcher {
    /// Logs: built with the matcher. Pasted queries: built only for a paste longer than
    /// [`SHORT_PASTE_BYTES`].
    ac: OnceLock<AhoCorasick>,
    /// Pasted queries: literal indices grouped by their first two bytes in lower case.
    pairs: Option<PairTable>,
    literals: Vec<Literal>,
    texts: Vec<String>,
    // Pasted queries are short: their shapes are parsed whether or not a trigger word appears.
    always_shapes: bool,
}

/// Longest paste searched through [`PairTable`]; a longer one (a whole log pasted as a query) is
/// searched by the automaton, whose cost does not depend on how many literals share a prefix.
pub const SHORT_PASTE_BYTES: usize = 4096;

/// The literals grouped by their first two bytes (ASCII lower case): a pasted message of a few
/// hundred bytes is searched by looking, at each byte, only at the literals that start with it and
/// the next, then comparing them. Building this takes microseconds; building an automaton over the
/// catalog's 1,700 literals took most of what one `explain` process cost.
struct PairTable {
    /// `starts[k]..starts[k + 1]` is the range of `ids` holding the literals whose first two bytes
    /// are `k` (high byte first).
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl PairTable {
    fn key(a: u8, b: u8) -> usize {
        (usize::from(a.to_ascii_lowercase()) << 8) | usize::from(b.to_ascii_lowercase())
    }

    fn new(texts: &[String]) -> PairTable {
        let mut starts = vec![0u32; (1 << 16) + 1];
        for t in texts {
            let b = t.as_bytes();
            assert!(
                b.len() >= 2,
                "a catalog literal of fewer than two bytes: {t:?}"
            );
            starts[Self::key(b[0], b[1]) + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut fill = starts.clone();
        let mut ids = vec![0u32; texts.len()];
        for (i, t) in texts.iter().enumerate() {
            let b = t.as_bytes();
            let k = Self::key(b[0], b[1]);
            ids[fill[k] as usize] = i as u32;
            fill[k] += 1;
        }
        PairTable { starts, ids }
    }

    /// Every occurrence of every literal, ASCII case-insensitively, as `(start, end, literal)` in
    /// the order an overlapping Aho-Corasick search reports them: by end, then longest first, then
    /// by literal index.
    fn find_all(&self, texts: &[String], hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for at in 0..hay.len().saturating_sub(1) {
            let k = Self::key(hay[at], hay[at + 1]);
            for &id in &self.ids[self.starts[k] as usize..self.starts[k + 1] as usize] {
                let lit = texts[id as usize].as_bytes();
                let end = at + lit.len();
                if end <= hay.len() && hay[at..end].eq_ignore_ascii_case(lit) {
                    out.push((at, end, id as usize));
                }
            }
        }
        out.sort_unstable_by_key(|&(start, end, id)| (end, std::cmp::Reverse(end - start), id));
        out
    }
}

/// What one line holds, before ranking.
struct LineHits {
    /// Entries named by message texts, left to right, nested texts dropped.
    patterns: Vec<usize>,
    /// The innermost code literal: (byte offset, entry).
    code: Option<(usize, usize)>,
    /// A shape trigger appears in the line.
    shape: bool,
    /// Entries of platform families named on the line, left to right.
    family: Vec<usize>,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Matcher {
    /// Build the automaton; `case_insensitive` for pasted queries, case-sensitive for logs (the SDK
    /// prints its messages verbatim, and exact bytes are faster to scan).
    pub fn new(entries: &[Entry], case_insensitive: bool) -> Matcher {
        let mut literals = Vec::new();
        let mut texts = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            if !case_insensitive
                && e.families
                    .iter()
                    .any(|f| PASTE_ONLY_FAMILIES.contains(&f.as_ref()))
            {
                continue;
            }
            let family = e.kind == Kind::Platform;
            let tiers = e
                .patterns
                .iter()
                .map(move |p| (p, if family { Tier::Family } else { Tier::Pattern }))
                .chain(
                    e.codes
                        .iter()
                        .map(move |c| (c, if family { Tier::Family } else { Tier::Code })),
                );
            for (text, tier) in tiers {
                // A trailing `*` marks a prefix (`Library not loaded: @rpath/Agora*` for every
                // Agora framework): its end needs no word boundary.
                let (text, prefix) = match text.strip_suffix('*') {
                    Some(t) => (t, true),
                    None => (text.as_ref(), false),
                };
                let b = text.as_bytes();
                if b.is_empty() {
                    continue;
                }
                literals.push(Literal {
                    entry: i,
                    tier,
                    word_start: is_word(b[0]),
                    word_end: !prefix && is_word(b[b.len() - 1]),
                });
                texts.push(text.to_string());
            }
        }
        for t in SHAPE_TRIGGERS {
            literals.push(Literal {
                entry: SHAPE,
                tier: Tier::Code,
                word_start: false,
                word_end: false,
            });
            texts.push(t.to_string());
        }
        let ac = OnceLock::new();
        let pairs = if case_insensitive {
            Some(PairTable::new(&texts))
        } else {
            let _ = ac.set(automaton(&texts, false));
            None
        };
        Matcher {
            ac,
            pairs,
            literals,
            texts,
            always_shapes: case_insensitive,
        }
    }

    /// The automaton over every literal (built on first use for pasted queries).
    fn automaton(&self) -> &AhoCorasick {
        self.ac
            .get_or_init(|| automaton(&self.texts, self.pairs.is_some()))
    }

    /// Every occurrence of every literal in `line`, `(start, end, literal)`, in the automaton's
    /// overlapping order.
    fn occurrences(&self, line: &[u8]) -> Vec<(usize, usize, usize)> {
        match &self.pairs {
            Some(pairs) if line.len() <= SHORT_PASTE_BYTES => pairs.find_all(&self.texts, line),
            _ => self
                .automaton()
                .find_overlapping_iter(Input::new(line))
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect(),
        }
    }

    /// Every literal (codes, message texts and shape triggers), for the benchmark's patterns file.
    pub fn literals(&self) -> &[String] {
        &self.texts
    }

    /// The start of the first candidate match at or after `from`, for skipping quiet lines fast.
    /// A candidate may still fail the word-boundary rule; [`Matcher::classify`] decides.
    pub fn find_from(&self, hay: &[u8], from: usize) -> Option<usize> {
        self.automaton()
            .find(Input::new(hay).range(from..))
            .map(|m| m.start())
    }

    /// The entries one line is about, most specific first; empty when it mentions none.
    ///
    /// Rule (the order of `docs/error-messages.md#reading-a-pasted-line`, generalised): message texts beat everything; a text lying
    /// inside a longer matched text is dropped (`TOKEN_EXPIRE: dynamic key expired` beats `dynamic key
    /// expired`); several distinct texts (services joined with ` | `) are all reported, left to right.
    /// With no text, the paste shapes decide ([`super::shape::answer`]): a labelled error number, then
    /// the innermost (rightmost) code literal, as that section says to take the innermost
    /// `AgoraRTCError <CODE>`, or an SDK enum member, then reasons, then states.
    pub fn classify(&self, line: &[u8]) -> Vec<usize> {
        self.classify_detailed(line).entries
    }

    /// [`Matcher::classify`], also saying whether the answer is one meaning of a number several
    /// products use (the paste did not say which SDK printed it).
    pub fn classify_detailed(&self, line: &[u8]) -> ShapeAnswer {
        let hits = self.hits(line);
        if !hits.patterns.is_empty() {
            return ShapeAnswer {
                entries: hits.patterns,
                ambiguous: false,
            };
        }
        let answer = if hits.shape || self.always_shapes {
            super::shape::answer(
                &String::from_utf8_lossy(line),
                hits.code,
                self.always_shapes,
            )
        } else {
            ShapeAnswer {
                entries: hits.code.map(|(_, e)| e).into_iter().collect(),
                ambiguous: false,
            }
        };
        if answer.entries.is_empty() && !hits.family.is_empty() {
            return ShapeAnswer {
                entries: hits.family,
                ambiguous: false,
            };
        }
        answer
    }

    fn hits(&self, line: &[u8]) -> LineHits {
        let mut hits: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, literal)
        let mut shape = false;
        for (start, end, id) in self.occurrences(line) {
            let lit = &self.literals[id];
            if lit.entry == SHAPE {
                shape = true;
                continue;
            }
            if lit.word_start && start > 0 && is_word(line[start - 1]) {
                continue;
            }
            if lit.word_end && end < line.len() && is_word(line[end]) {
                continue;
            }
            hits.push((start, end, id));
        }
        let texts: Vec<&(usize, usize, usize)> = hits
            .iter()
            .filter(|h| self.literals[h.2].tier == Tier::Pattern)
            .collect();
        let mut patterns: Vec<usize> = Vec::new();
        let mut kept: Vec<&(usize, usize, usize)> = texts
            .iter()
            .filter(|h| {
                !texts.iter().any(|o| {
                    o.0 <= h.0
                        && h.1 <= o.1
                        && (o.1 - o.0) > (h.1 - h.0)
                        && self.literals[o.2].entry != self.literals[h.2].entry
                })
            })
            .copied()
            .collect();
        kept.sort_by_key(|h| (h.0, h.1));
        for h in kept {
            let e = self.literals[h.2].entry;
            if !patterns.contains(&e) {
                patterns.push(e);
            }
        }
        let code = hits
            .iter()
            .filter(|h| self.literals[h.2].tier == Tier::Code)
            .max_by_key(|h| (h.1, h.1 - h.0))
            .map(|h| (h.0, self.literals[h.2].entry));
        // Platform families: the entry with the most evidence first (the bytes of its distinct
        // literals found on the line), then the leftmost. `NotAllowedError` alone is any refusal;
        // with `Permissions policy violation` next to it, the iframe's policy is the cause.
        let mut family_hits: Vec<&(usize, usize, usize)> = hits
            .iter()
            .filter(|h| self.literals[h.2].tier == Tier::Family)
            .collect();
        family_hits.sort_by_key(|h| (h.0, h.1));
        let mut scored: Vec<(usize, usize, usize, Vec<usize>)> = Vec::new(); // (entry, bytes, first, literals)
        for h in family_hits {
            let e = self.literals[h.2].entry;
            match scored.iter_mut().find(|s| s.0 == e) {
                Some(s) if !s.3.contains(&h.2) => {
                    s.1 += h.1 - h.0;
                    s.3.push(h.2);
                }
                Some(_) => {}
                None => scored.push((e, h.1 - h.0, h.0, vec![h.2])),
            }
        }
        scored.sort_by_key(|s| (std::cmp::Reverse(s.1), s.2));
        let family: Vec<usize> = scored.into_iter().map(|s| s.0).collect();
        LineHits {
            patterns,
            code,
            shape,
            family,
        }
    }
}

/// The automaton over `texts`: a full DFA for logs (the fastest search loop for gigabytes, built
/// once per scan); a contiguous NFA, quicker to build, for a long pasted query searched once.
fn automaton(texts: &[String], case_insensitive: bool) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(case_insensitive)
        .kind(Some(if case_insensitive {
            AhoCorasickKind::ContiguousNFA
        } else {
            AhoCorasickKind::DFA
        }))
        .build(texts)
        .expect("the catalog's literals build an automaton")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pair table must find exactly what the automaton finds, in the same order (ties between
    /// equal matches go to the first literal in both): on every message of the tuning set and the
    /// old corpus, and on every literal set inside other text in both cases.
    #[test]
    fn the_pair_table_and_the_automaton_find_the_same_occurrences_in_the_same_order() {
        let m = crate::explain::entries_matcher_ci();
        let pairs = m.pairs.as_ref().expect("pasted queries use the pair table");
        let ac = automaton(&m.texts, true);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut hays: Vec<String> = Vec::new();
        for set in ["fixtures/explain-tuning", "fixtures/explain-corpus"] {
            let text = std::fs::read_to_string(root.join(set).join("messages.jsonl"))
                .expect("the message set");
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let v: serde_json::Value = serde_json::from_str(line).expect("json");
                hays.push(v["message"].as_str().expect("message").to_string());
            }
        }
        assert!(hays.len() > 200, "{}", hays.len());
        for t in &m.texts {
            hays.push(format!(
                "x{t} ({}) _{}_",
                t.to_uppercase(),
                t.to_lowercase()
            ));
        }
        let mut found = 0;
        for h in &hays {
            let want: Vec<(usize, usize, usize)> = ac
                .find_overlapping_iter(Input::new(h.as_bytes()))
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            found += want.len();
            assert_eq!(pairs.find_all(&m.texts, h.as_bytes()), want, "{h}");
        }
        assert!(found > 2 * m.texts.len(), "{found}");
    }
}
