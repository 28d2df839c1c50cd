//! The multi-pattern matcher: one Aho-Corasick automaton over every entry's `codes` and `patterns`,
//! and the rule that picks the most specific entries for one line.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

use super::entry::Entry;

/// How specific a literal is: message texts beat bare codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// A message text (`dynamic key expired`): the most specific evidence.
    Pattern,
    /// A code or identifier (`AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER`): generic.
    Code,
}

/// Shapes that carry a number instead of a name (errors.md §3 step 6): the line is handed to
/// [`super::query::shape_entries`] when nothing more specific matched.
pub const SHAPE_TRIGGERS: [&str; 3] = ["PlatformException(", "AgoraRtcException(", "error_code: "];

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

/// An automaton over every literal of the catalog, with the entry each literal belongs to.
pub struct Matcher {
    ac: AhoCorasick,
    literals: Vec<Literal>,
    texts: Vec<String>,
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
            let tiers = e
                .patterns
                .iter()
                .map(|p| (p, Tier::Pattern))
                .chain(e.codes.iter().map(|c| (c, Tier::Code)));
            for (text, tier) in tiers {
                let b = text.as_bytes();
                if b.is_empty() {
                    continue;
                }
                literals.push(Literal {
                    entry: i,
                    tier,
                    word_start: is_word(b[0]),
                    word_end: is_word(b[b.len() - 1]),
                });
                texts.push(text.clone());
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
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(case_insensitive)
            // A full DFA: a few hundred KB for the catalog's literals, and the fastest search loop.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&texts)
            .expect("the catalog's literals build an automaton");
        Matcher {
            ac,
            literals,
            texts,
        }
    }

    /// Every literal (codes, message texts and shape triggers), for the benchmark's patterns file.
    pub fn literals(&self) -> &[String] {
        &self.texts
    }

    /// The start of the first candidate match at or after `from`, for skipping quiet lines fast.
    /// A candidate may still fail the word-boundary rule; [`Matcher::classify`] decides.
    pub fn find_from(&self, hay: &[u8], from: usize) -> Option<usize> {
        self.ac
            .find(Input::new(hay).range(from..))
            .map(|m| m.start())
    }

    /// The entries one line is about, most specific first; empty when it mentions none.
    ///
    /// Rule (errors.md §3's parse order, generalised): message texts beat codes; a text lying inside
    /// a longer matched text is dropped (`TOKEN_EXPIRE: dynamic key expired` beats `dynamic key
    /// expired`); several distinct texts (services joined with ` | `) are all reported, left to
    /// right. With no text, the innermost (rightmost) code wins, as errors.md says to take the
    /// innermost `AgoraRTCError <CODE>`.
    pub fn classify(&self, line: &[u8]) -> Vec<usize> {
        let mut hits: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, literal)
        let mut shape = false;
        for m in self.ac.find_overlapping_iter(Input::new(line)) {
            let lit = &self.literals[m.pattern().as_usize()];
            if lit.entry == SHAPE {
                shape = true;
                continue;
            }
            if lit.word_start && m.start() > 0 && is_word(line[m.start() - 1]) {
                continue;
            }
            if lit.word_end && m.end() < line.len() && is_word(line[m.end()]) {
                continue;
            }
            hits.push((m.start(), m.end(), m.pattern().as_usize()));
        }
        let texts: Vec<&(usize, usize, usize)> = hits
            .iter()
            .filter(|h| self.literals[h.2].tier == Tier::Pattern)
            .collect();
        let mut out: Vec<usize> = Vec::new();
        if !texts.is_empty() {
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
                if !out.contains(&e) {
                    out.push(e);
                }
            }
            return out;
        }
        if let Some(h) = hits.iter().max_by_key(|h| (h.1, h.1 - h.0)) {
            out.push(self.literals[h.2].entry);
        } else if shape {
            out.extend(super::query::shape_entries(&String::from_utf8_lossy(line)));
        }
        out
    }
}
