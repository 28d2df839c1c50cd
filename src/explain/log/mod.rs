//! `explain --log`: a pasted log read the way a support engineer reads it. The format is named
//! ([`format`]), each line that matters is cut into its fields and classed ([`classify`]), and the
//! report gives, in this order: the problems (first cause first), the session's timeline
//! ([`timeline`]), the noise by family with why it is harmless ([`noise`]), and the error lines
//! nothing placed, counted, the first few shown.
//!
//! Speed: the streaming engine ([`stream`]) cuts the log into pieces scanned at once; in a piece one
//! automaton holding the catalog's literals and the fast-path triggers (level fields, problem words,
//! frames, timeline events; [`classify::triggers`]) skips every line holding none of them, so the
//! ordinary talk of a log is never cut into lines one by one.

pub mod classify;
pub mod format;
pub mod gate;
pub mod noise;
pub mod stream;
pub mod timeline;

use std::collections::HashMap;
use std::io::{self, Read};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};
use serde::Serialize;

use self::classify::{Class, Classifier, ProblemKind};
use self::format::Format;
use self::noise::families;
use self::stream::{PieceScanner, Totals};
use self::timeline::{Event, EventKind, Timeline};
use super::entry::Entry;
use super::{catalog, log_matcher};

/// The longest line kept in a report, in bytes (a minified-JSON line can be megabytes).
const MAX_LINE_SHOWN: usize = 2000;
/// Unrecognised lines shown (all are counted).
pub const UNRECOGNISED_SHOWN: usize = 5;
/// Distinct problems kept; past it, further distinct ones are counted as not recognised, so a log
/// of a million different exceptions cannot grow memory without bound.
const MAX_PROBLEMS: usize = 500;
/// Frames kept as evidence for one problem.
const FRAMES_SHOWN: usize = 3;
/// Line numbers kept per problem and per noise group (all are counted), so memory stays flat.
pub const LINES_KEPT: usize = 200;

/// One distinct problem.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Its kind.
    pub kind: ProblemKind,
    /// The catalog key (`ap.dynamic_key_expired`) or our own key (`exception.TypeError`).
    pub key: String,
    /// What it is.
    pub title: String,
    /// The catalog entry that explains it, when there is one.
    #[serde(skip)]
    pub entry: Option<&'static Entry>,
    /// How many lines show it.
    pub count: u64,
    /// 1-based number of the first such line.
    pub first_line: u64,
    /// 1-based number of the last such line.
    pub last_line: u64,
    /// 1-based numbers of the lines that show it, in order (the first [`LINES_KEPT`]).
    pub lines: Vec<u64>,
    /// The first line's time as written (empty when it has none).
    pub time: String,
    /// The first such line (trailing `\r` removed, cut at 2000 bytes, invalid UTF-8 replaced).
    pub line: String,
    /// For an exception: it was raised in app code the SDK called (a frame of its trace is in an
    /// Agora callback or SDK).
    pub through_agora: bool,
    /// The first frames of its trace, as written.
    pub frames: Vec<String>,
}

/// One family of noise found in the log.
#[derive(Debug, Clone, Serialize)]
pub struct NoiseGroup {
    /// The family's key.
    pub key: &'static str,
    /// What the lines are.
    pub name: &'static str,
    /// Why they are harmless.
    pub why: &'static str,
    /// How many lines.
    pub count: u64,
    /// 1-based number of the first.
    pub first_line: u64,
    /// 1-based numbers of the lines, in order (the first [`LINES_KEPT`]).
    pub lines: Vec<u64>,
    /// The first, as written.
    pub example: String,
}

/// An error or warning line nothing placed.
#[derive(Debug, Clone, Serialize)]
pub struct ShownLine {
    /// 1-based line number.
    pub line_number: u64,
    /// The line (cut at 2000 bytes).
    pub line: String,
}

/// The error and warning lines nothing placed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Unrecognised {
    /// How many.
    pub count: u64,
    /// The first few.
    pub first: Vec<ShownLine>,
}

/// Everything one reading found.
#[derive(Debug, Clone, Serialize)]
pub struct LogReading {
    /// The format read.
    pub format: Format,
    /// Lines read.
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Problems, first cause first (in order of first appearance).
    pub problems: Vec<Problem>,
    /// The session's events, when the log has any.
    pub timeline: Timeline,
    /// Harmless lines, by family.
    pub noise: Vec<NoiseGroup>,
    /// Error and warning lines nothing placed.
    pub unrecognised: Unrecognised,
}

impl LogReading {
    /// Whether the log shows a problem (the exit code's question).
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Whether the timeline has times to show (a log without times gets no timeline; a log with
    /// times but no session event gets its time span, which says the SDK's events are missing).
    pub fn timeline_has_times(&self) -> bool {
        !self.timeline.first_time.is_empty()
            || self.timeline.events.iter().any(|e| !e.time.is_empty())
    }
}

/// The fast path's automaton: the catalog's literals (and paste-shape words), the triggers that
/// can make a line an error or warning line, the timeline's and the noise families' shapes.
///
/// It holds only what it must: a catalog literal that contains an error or warning trigger
/// (`AgoraRTCError …`, `… failed`) or another literal is left out, since any line holding it holds
/// that trigger or literal too, and an error or warning line asks the catalog itself. A smaller
/// automaton is a faster one, and builds sooner.
///
/// Leftmost-longest matching, restarted one byte after each match's start, finds every position
/// where a literal starts; a shorter literal at the same start as a longer one is hidden, so a
/// pattern that begins with a catalog literal (or a trigger) counts as one.
struct Prefilter {
    ac: AhoCorasick,
    /// Its literals, for the gate before it.
    texts: Vec<&'static str>,
    /// Per pattern: it is (or begins with) a catalog literal.
    catalog: Vec<bool>,
    /// Per pattern: a catalog literal whose every entry, and every entry of any catalog literal
    /// or paste-shape word holding it, is a normal step ([`classify::BENIGN_KEYS`]): the
    /// catalog's answer for a line holding only such literals names no problem, so it is not asked.
    benign: Vec<bool>,
    /// Per pattern: it is (or begins with) an error or warning trigger.
    alarm: Vec<bool>,
    /// Per pattern: it is a noise family's shape.
    noise: Vec<bool>,
}

/// What the fast path saw in one line.
#[derive(Default)]
struct Seen {
    /// A catalog literal that may name a problem.
    catalog: bool,
    /// A catalog literal of normal steps only.
    benign: bool,
    alarm: bool,
    noise: bool,
}

impl Prefilter {
    fn see(&self, seen: &mut Seen, pattern: usize) {
        if self.benign[pattern] {
            seen.benign = true;
        } else {
            seen.catalog |= self.catalog[pattern];
        }
        seen.alarm |= self.alarm[pattern];
        seen.noise |= self.noise[pattern];
    }
}

/// Per catalog literal of the fast path (`minimal`): whether every catalog literal and paste-shape
/// word that holds it (itself included) belongs to normal steps only. The catalog's entries are
/// read as the log matcher reads them (patterns and codes, a trailing `*` dropped); the paste-shape
/// words belong to no entry, so a literal inside one is never benign.
fn benign_literals(minimal: &[&str]) -> Vec<bool> {
    let mut benign = vec![true; minimal.len()];
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .build(minimal)
        .expect("the fast path's catalog literals build an automaton");
    let mut mark = |text: &str, ok: bool| {
        if ok {
            return;
        }
        for m in ac.find_overlapping_iter(text) {
            benign[m.pattern().as_usize()] = false;
        }
    };
    for (i, e) in catalog().iter().enumerate() {
        let ok = classify::benign(i);
        for t in e.patterns.iter().chain(e.codes.iter()) {
            mark(t.strip_suffix('*').unwrap_or(t), ok);
        }
    }
    for t in super::matcher::SHAPE_TRIGGERS {
        mark(t, false);
    }
    benign
}

/// Whether `text` begins with one of `set` (of which the longest is `longest` bytes).
fn begins_with_one(text: &str, set: &std::collections::HashSet<&str>, longest: usize) -> bool {
    (1..=text.len().min(longest))
        .filter(|&n| text.is_char_boundary(n))
        .any(|n| set.contains(&text[..n]))
}

fn prefilter() -> &'static Prefilter {
    static P: OnceLock<Prefilter> = OnceLock::new();
    P.get_or_init(|| {
        use std::collections::HashSet;
        let literals: Vec<&str> = log_matcher()
            .literals()
            .iter()
            .map(String::as_str)
            .collect();
        let alarm: Vec<&'static str> = classify::alarm_triggers();
        let alarm_set: HashSet<&str> = alarm.iter().copied().collect();
        let catalog_set: HashSet<&str> = literals.iter().copied().collect();
        let longest_alarm = alarm.iter().map(|t| t.len()).max().unwrap_or(0);
        let longest_literal = literals.iter().map(|t| t.len()).max().unwrap_or(0);
        // Catalog literals holding no trigger and no other literal.
        let mut kept: Vec<&str> = literals
            .iter()
            .copied()
            .filter(|l| !alarm.iter().any(|a| l.contains(a)))
            .collect();
        kept.sort_unstable_by_key(|l| l.len());
        kept.dedup();
        let mut minimal: Vec<&str> = Vec::new();
        for l in kept {
            if !minimal.iter().any(|m| l.contains(m)) {
                minimal.push(l);
            }
        }
        let mut texts: Vec<&str> = minimal;
        let catalog_end = texts.len();
        texts.extend(alarm.iter().copied());
        let alarm_end = texts.len();
        texts.extend(timeline::TRIGGERS.iter().copied());
        let timeline_end = texts.len();
        texts.extend(noise::texts());
        let catalog = texts
            .iter()
            .enumerate()
            .map(|(i, t)| i < catalog_end || begins_with_one(t, &catalog_set, longest_literal))
            .collect();
        let alarm = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (catalog_end..alarm_end).contains(&i)
                    || begins_with_one(t, &alarm_set, longest_alarm)
            })
            .collect();
        let noise = (0..texts.len()).map(|i| i >= timeline_end).collect();
        // Only a pattern that is itself a catalog literal (not a trigger or shape beginning with
        // one) can be benign.
        let mut benign = benign_literals(&texts[..catalog_end]);
        benign.resize(texts.len(), false);
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&texts)
            .expect("the fast path's literals build an automaton");
        Prefilter {
            ac,
            texts,
            catalog,
            benign,
            alarm,
            noise,
        }
    })
}

/// What one piece yields: its classed lines in order, and its noise tallies.
struct PieceOut {
    hits: Vec<Hit>,
    /// The times of the piece's first and last lines that have one (among a few at each end).
    first_time: String,
    last_time: String,
    noise: Vec<NoiseTally>,
    unrecognised: u64,
}

/// One family's noise in one piece.
#[derive(Default)]
struct NoiseTally {
    count: u64,
    /// Line numbers in the piece (the first [`LINES_KEPT`]).
    lines: Vec<u64>,
    example: String,
}

struct Hit {
    line_in_piece: u64,
    start: usize,
    end: usize,
    classed: classify::Classed,
    /// The same event logged again on the next quiet lines (1 = once).
    repeats: u64,
}

struct Scanner {
    classifier: Classifier,
    /// The first pass: lines without any of the automaton's literals are skipped without it.
    gate: gate::Gate,
}

impl PieceScanner for Scanner {
    type Out = PieceOut;

    fn scan_piece(&self, data: &[u8]) -> (u64, PieceOut) {
        let pre = prefilter();
        let mut out = PieceOut {
            hits: Vec::new(),
            first_time: edge_time(data.split(|b| *b == b'\n').take(TIME_PROBE)),
            last_time: edge_time(data.rsplit(|b| *b == b'\n').take(TIME_PROBE)),
            noise: (0..families().len())
                .map(|_| NoiseTally::default())
                .collect(),
            unrecognised: 0,
        };
        let mut counted_to = 0usize;
        let mut newlines = 0u64;
        let mut pos = 0usize;
        while pos < data.len() {
            let Some(candidate) = self.gate.find(data, pos) else {
                break;
            };
            // `pos` is a line start: the line holding the candidate starts at or after it.
            let start = memchr::memrchr(b'\n', &data[pos..candidate]).map_or(pos, |i| pos + i + 1);
            let end =
                memchr::memchr(b'\n', &data[candidate..]).map_or(data.len(), |i| candidate + i);
            // No literal holds a line end, so the line's first match is the automaton's answer.
            let Some(m) = pre.ac.find(Input::new(data).range(start..end)) else {
                pos = end + 1;
                continue;
            };
            let hit = m.start();
            newlines += bytecount::count(&data[counted_to..start], b'\n') as u64;
            counted_to = start;
            let line = &data[start..end];
            // The rest of the line's literals, each search starting one byte after the last
            // match's start, until a catalog literal settles it.
            let mut seen = Seen::default();
            pre.see(&mut seen, m.pattern().as_usize());
            let mut at = hit + 1;
            while !seen.catalog && at < end {
                match pre.ac.find(Input::new(data).range(at..end)) {
                    Some(m) => {
                        pre.see(&mut seen, m.pattern().as_usize());
                        at = m.start() + 1;
                    }
                    None => break,
                }
            }
            // Most candidate lines are the ordinary talk of a session (its state changes): neither
            // a catalog literal nor an error or warning word in them, only an event or a harmless
            // shape to read.
            let classed = if seen.catalog {
                self.classifier.classify(line, true)
            } else if seen.benign && !seen.alarm {
                // Only normal steps' literals (`connection state change: CONNECTING -> CONNECTED`):
                // the catalog would name nothing, the rest of the classing is the same.
                self.classifier.classify(line, false)
            } else if seen.alarm {
                // The literals left out of the automaton hold a trigger: ask the catalog.
                let catalog = log_matcher().find_from(line, 0).is_some();
                self.classifier.classify(line, catalog)
            } else {
                self.classifier.classify_quiet(line, seen.noise)
            };
            let line_in_piece = newlines + 1;
            let keep = match &classed.class {
                Class::Noise(family) => {
                    let slot = &mut out.noise[*family];
                    if slot.count == 0 {
                        slot.example = shown(line);
                    }
                    if slot.lines.len() < LINES_KEPT {
                        slot.lines.push(line_in_piece);
                    }
                    slot.count += 1;
                    // Counted here; passed on only for its timeline event.
                    classed.event.is_some()
                }
                Class::Unrecognised => {
                    out.unrecognised += 1;
                    out.unrecognised as usize <= UNRECOGNISED_SHOWN || classed.event.is_some()
                }
                Class::Quiet if classed.event.is_none() => false,
                // The same event again (a state logged every second): folded here, before the merge.
                Class::Quiet
                    if out.hits.last().is_some_and(|h| {
                        h.classed.class == Class::Quiet && h.classed.event == classed.event
                    }) =>
                {
                    if let Some(h) = out.hits.last_mut() {
                        h.repeats += 1;
                    }
                    false
                }
                _ => true,
            };
            if keep {
                out.hits.push(Hit {
                    line_in_piece,
                    start,
                    end,
                    classed,
                    repeats: 1,
                });
            }
            pos = end + 1;
        }
        let newlines = newlines + bytecount::count(&data[counted_to..], b'\n') as u64;
        (newlines, out)
    }
}

/// Lines looked at, at each end of a piece, for the log's time span.
const TIME_PROBE: usize = 64;

/// The time of the first of `lines` that has one.
fn edge_time<'a>(lines: impl Iterator<Item = &'a [u8]>) -> String {
    lines
        .map(format::fields)
        .find(|f| !f.time.is_empty())
        .map(|f| String::from_utf8_lossy(f.time).into_owned())
        .unwrap_or_default()
}

fn shown(line: &[u8]) -> String {
    let mut l = line.strip_suffix(b"\r").unwrap_or(line);
    if l.len() > MAX_LINE_SHOWN {
        l = &l[..MAX_LINE_SHOWN];
    }
    String::from_utf8_lossy(l).into_owned()
}

/// Merges the pieces' results in order.
struct Merge {
    problems: Vec<Problem>,
    index: HashMap<String, usize>,
    timeline: Timeline,
    noise: Vec<NoiseGroup>,
    unrecognised: Unrecognised,
    /// The problem whose trace the next frames belong to, and the line its trace reached.
    trace_owner: Option<(usize, u64)>,
}

/// Frames belong to the problem above them when they follow it within this many lines.
const TRACE_GAP: u64 = 3;

impl Merge {
    fn new() -> Merge {
        Merge {
            problems: Vec::new(),
            index: HashMap::new(),
            timeline: Timeline::default(),
            noise: families()
                .iter()
                .map(|f| NoiseGroup {
                    key: f.key,
                    name: f.name,
                    why: f.why,
                    count: 0,
                    first_line: 0,
                    lines: Vec::new(),
                    example: String::new(),
                })
                .collect(),
            unrecognised: Unrecognised::default(),
            trace_owner: None,
        }
    }

    fn piece(&mut self, before: u64, piece: &[u8], out: PieceOut) {
        if self.timeline.first_time.is_empty() {
            self.timeline.first_time = out.first_time;
        }
        if !out.last_time.is_empty() {
            self.timeline.last_time = out.last_time;
        }
        for (group, tally) in self.noise.iter_mut().zip(out.noise) {
            if tally.count == 0 {
                continue;
            }
            if group.count == 0 {
                group.first_line = before + tally.lines[0];
                group.example = tally.example;
            }
            let room = LINES_KEPT - group.lines.len();
            group
                .lines
                .extend(tally.lines.iter().take(room).map(|n| before + n));
            group.count += tally.count;
        }
        // Unrecognised lines beyond the ones each piece kept are counted here.
        let kept = out
            .hits
            .iter()
            .filter(|h| h.classed.class == Class::Unrecognised)
            .count() as u64;
        self.unrecognised.count += out.unrecognised - kept;
        for hit in out.hits {
            let n = before + hit.line_in_piece;
            let line = &piece[hit.start..hit.end];
            let classify::Classed { class, event, time } = hit.classed;
            let time = String::from_utf8_lossy(line.get(time).unwrap_or_default()).into_owned();
            if let Some((kind, detail)) = event {
                self.timeline.push(Event {
                    kind,
                    time: time.clone(),
                    line: n,
                    detail,
                    repeats: hit.repeats,
                });
            }
            match class {
                Class::Quiet | Class::Noise(_) => {}
                Class::Unrecognised => self.unrecognised_line(n, line),
                Class::Frame { agora, text } => {
                    match self.trace_owner {
                        Some((p, reached)) if n <= reached + TRACE_GAP => {
                            let problem = &mut self.problems[p];
                            if agora && problem.kind == ProblemKind::AppException {
                                problem.through_agora = true;
                            }
                            if problem.frames.len() < FRAMES_SHOWN
                                || (agora
                                    && !problem
                                        .frames
                                        .iter()
                                        .any(|f| f.contains("agora") || f.contains("Agora")))
                            {
                                problem.frames.push(text);
                            }
                            self.trace_owner = Some((p, n));
                        }
                        // A frame in Agora's code with no problem above it: a trace through the
                        // SDK whose header was not recognised is still a problem.
                        _ if agora => {
                            let p = self.add_problem(
                                classify::LineProblem {
                                    kind: ProblemKind::AppException,
                                    entry: None,
                                    key: "trace.agora".into(),
                                    title: "a stack trace through Agora's SDK".into(),
                                    opens_trace: true,
                                },
                                n,
                                &time,
                                line,
                            );
                            if let Some(p) = p {
                                self.problems[p].through_agora = true;
                                if self.problems[p].frames.len() < FRAMES_SHOWN {
                                    self.problems[p].frames.push(text);
                                }
                                self.trace_owner = Some((p, n));
                            }
                        }
                        // A frame with no problem above it: an error line of a trace whose header
                        // was not recognised.
                        _ => self.unrecognised_line(n, line),
                    }
                }
                Class::Problems(list) => {
                    for lp in list {
                        // A trace's header (`FATAL EXCEPTION`, `Traceback …`) names its exception a
                        // line or a trace later: the typed line names the header's problem.
                        if let Some((p, reached)) = self.trace_owner {
                            let owner = &self.problems[p];
                            if lp.kind == ProblemKind::AppException
                                && n <= reached + TRACE_GAP
                                && owner.kind == ProblemKind::AppException
                                && classify::TRACE_HEADERS
                                    .iter()
                                    .any(|h| owner.key.ends_with(h))
                                && owner.count == 1
                                && !self.index.contains_key(&lp.key)
                            {
                                let old =
                                    std::mem::replace(&mut self.problems[p].key, lp.key.clone());
                                self.index.remove(&old);
                                self.index.insert(lp.key, p);
                                self.problems[p].title = lp.title;
                                if self.problems[p].lines.last() != Some(&n) {
                                    self.problems[p].lines.push(n);
                                }
                                self.trace_owner = Some((p, n));
                                continue;
                            }
                        }
                        let opens_trace = lp.opens_trace;
                        let Some(p) = self.add_problem(lp, n, &time, line) else {
                            continue;
                        };
                        if opens_trace {
                            self.trace_owner = Some((p, n));
                        }
                    }
                }
            }
        }
    }

    /// Count `lp` on line `n`: a new problem joins the list (and its first line the timeline), a
    /// known one counts one more line. None when the list is full (the line is counted as not
    /// recognised).
    fn add_problem(
        &mut self,
        lp: classify::LineProblem,
        n: u64,
        time: &str,
        line: &[u8],
    ) -> Option<usize> {
        match self.index.get(&lp.key) {
            Some(&p) => {
                let problem = &mut self.problems[p];
                problem.count += 1;
                problem.last_line = n;
                if problem.lines.len() < LINES_KEPT && problem.lines.last() != Some(&n) {
                    problem.lines.push(n);
                }
                Some(p)
            }
            None if self.problems.len() >= MAX_PROBLEMS => {
                self.unrecognised_line(n, line);
                None
            }
            None => {
                // Its first line joins the timeline, so the order of what happened reads in one
                // place.
                self.timeline.push(Event {
                    kind: EventKind::Problem,
                    time: time.to_string(),
                    line: n,
                    detail: lp.title.clone(),
                    repeats: 1,
                });
                self.index.insert(lp.key.clone(), self.problems.len());
                self.problems.push(Problem {
                    kind: lp.kind,
                    key: lp.key,
                    title: lp.title,
                    entry: lp.entry.map(|i| &catalog()[i]),
                    count: 1,
                    first_line: n,
                    last_line: n,
                    lines: vec![n],
                    time: time.to_string(),
                    line: shown(line),
                    through_agora: false,
                    frames: Vec::new(),
                });
                Some(self.problems.len() - 1)
            }
        }
    }

    fn unrecognised_line(&mut self, n: u64, line: &[u8]) {
        self.unrecognised.count += 1;
        if self.unrecognised.first.len() < UNRECOGNISED_SHOWN {
            self.unrecognised.first.push(ShownLine {
                line_number: n,
                line: shown(line),
            });
        }
    }
}

/// Read `reader` to its end. `name` is the log's name as given (a file name may say its format:
/// `agoraapi.log`).
pub fn read_log<R: Read>(reader: R, name: &str) -> io::Result<LogReading> {
    read_log_on(reader, name, stream::workers())
}

/// [`read_log`] on `workers` threads: the reading does not depend on how many.
pub fn read_log_on<R: Read>(reader: R, name: &str, workers: usize) -> io::Result<LogReading> {
    let mut merge = Merge::new();
    let mut detected = Format::Plain;
    let (_, Totals { lines, bytes }) = stream::stream(
        reader,
        workers,
        |head| {
            detected = format::detect(head, name);
            let pre = prefilter();
            Scanner {
                classifier: Classifier::new(),
                gate: gate::Gate::new(pre.texts.iter().map(|t| t.as_bytes()), head),
            }
        },
        |before, piece, out| merge.piece(before, piece, out),
    )?;
    let Merge {
        problems,
        mut timeline,
        noise,
        unrecognised,
        ..
    } = merge;
    let noise: Vec<NoiseGroup> = noise.into_iter().filter(|g| g.count > 0).collect();
    if timeline.is_empty() && !timeline.first_time.is_empty() {
        timeline::outline(&mut timeline, &noise, &unrecognised);
    }
    Ok(LogReading {
        format: detected,
        lines,
        bytes,
        problems,
        timeline: timeline.finish(),
        noise,
        unrecognised,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reading_is_the_same_on_any_number_of_threads() {
        let lines = [
            "12-09 10:00:01.078  4803  4803 E AndroidRuntime: java.lang.IllegalStateException: boom",
            "12-09 10:00:01.078  4803  4803 E AndroidRuntime: \tat com.example.Main$1.onJoinChannelSuccess(Main.java:42)",
            "12-09 10:00:01.078  4803  4803 E AndroidRuntime: \tat io.agora.rtc2.internal.RtcEngineImpl.onJoin(RtcEngineImpl.java:9)",
            "12-09 10:00:02.000  1234  1290 E EGL_emulation: eglSurfaceAttrib not implemented",
            "15:54:58:280 Agora-SDK [WARNING]: [client-1] multi unilbs failed, flag: 4096, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic use static key, retry: false",
            "15:54:57:141 Agora-SDK [INFO]: [client-1] connection state change: DISCONNECTED -> CONNECTING",
            "E/flutter (1): something odd",
            "quiet line with nothing in it",
        ];
        let mut log = String::new();
        let mut i = 0;
        while log.len() < 5 * stream::CHUNK {
            log.push_str(lines[i % lines.len()]);
            log.push_str(&format!(" {i}\n"));
            i += 1;
        }
        let summary = |r: &LogReading| {
            (
                r.lines,
                r.problems
                    .iter()
                    .map(|p| {
                        (
                            p.key.clone(),
                            p.count,
                            p.first_line,
                            p.last_line,
                            p.through_agora,
                        )
                    })
                    .collect::<Vec<_>>(),
                r.noise
                    .iter()
                    .map(|n| (n.key, n.count, n.first_line))
                    .collect::<Vec<_>>(),
                r.unrecognised.count,
                r.unrecognised
                    .first
                    .iter()
                    .map(|l| l.line_number)
                    .collect::<Vec<_>>(),
                r.timeline.events.len(),
                r.timeline.omitted,
            )
        };
        let one = read_log_on(log.as_bytes(), "x", 1).unwrap();
        assert!(one.problems.iter().any(|p| p.through_agora));
        for w in [2, 3, 4] {
            assert_eq!(
                summary(&read_log_on(log.as_bytes(), "x", w).unwrap()),
                summary(&one),
                "{w}"
            );
        }
    }
}
