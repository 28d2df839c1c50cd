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
use self::noise::FAMILIES;
use self::stream::{PieceScanner, Totals};
use self::timeline::{Event, Timeline};
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

    /// Whether the timeline has times to show (a log without times gets no timeline).
    pub fn timeline_has_times(&self) -> bool {
        self.timeline.events.iter().any(|e| !e.time.is_empty())
    }
}

/// The fast path's automaton: the catalog's literals (and paste-shape words) first, then the
/// triggers; a match below `catalog_literals` means the catalog must be asked about the line.
struct Prefilter {
    ac: AhoCorasick,
    catalog_literals: usize,
}

fn prefilter() -> &'static Prefilter {
    static P: OnceLock<Prefilter> = OnceLock::new();
    P.get_or_init(|| {
        let mut texts: Vec<String> = log_matcher().literals().to_vec();
        let catalog_literals = texts.len();
        texts.extend(classify::triggers().into_iter().map(str::to_string));
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&texts)
            .expect("the fast path's literals build an automaton");
        Prefilter {
            ac,
            catalog_literals,
        }
    })
}

/// What one piece yields: its classed lines in order, and its noise tallies.
struct PieceOut {
    hits: Vec<Hit>,
    noise: Vec<(u64, u64, String)>, // per family: count, first line in piece, example
    unrecognised: u64,
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
}

impl PieceScanner for Scanner {
    type Out = PieceOut;

    fn scan_piece(&self, data: &[u8]) -> (u64, PieceOut) {
        let pre = prefilter();
        let mut out = PieceOut {
            hits: Vec::new(),
            noise: vec![(0, 0, String::new()); FAMILIES.len()],
            unrecognised: 0,
        };
        let mut counted_to = 0usize;
        let mut newlines = 0u64;
        let mut pos = 0usize;
        while pos < data.len() {
            let Some(m) = pre.ac.find(Input::new(data).range(pos..)) else {
                break;
            };
            let hit = m.start();
            let start = memchr::memrchr(b'\n', &data[..hit]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &data[hit..]).map_or(data.len(), |i| hit + i);
            newlines += bytecount::count(&data[counted_to..start], b'\n') as u64;
            counted_to = start;
            // Does the line hold a catalog literal? Asked of the catalog's own automaton, since a
            // trigger (`xception`) can lie inside a literal (`AgoraRtcException(`).
            let catalog_words = m.pattern().as_usize() < pre.catalog_literals
                || log_matcher().find_from(&data[start..end], 0).is_some();
            let line = &data[start..end];
            let classed = self.classifier.classify(line, catalog_words);
            let line_in_piece = newlines + 1;
            match &classed.class {
                Class::Noise(family) => {
                    let slot = &mut out.noise[*family];
                    if slot.0 == 0 {
                        slot.1 = line_in_piece;
                        slot.2 = shown(line);
                    }
                    slot.0 += 1;
                    // Counted here; passed on only for its timeline event.
                    if classed.event.is_some() {
                        out.hits.push(Hit {
                            line_in_piece,
                            start,
                            end,
                            classed,
                            repeats: 1,
                        });
                    }
                }
                Class::Unrecognised => {
                    out.unrecognised += 1;
                    if out.unrecognised as usize <= UNRECOGNISED_SHOWN || classed.event.is_some() {
                        out.hits.push(Hit {
                            line_in_piece,
                            start,
                            end,
                            classed,
                            repeats: 1,
                        });
                    }
                }
                Class::Quiet if classed.event.is_none() => {}
                // The same event again (a state logged every second): folded here, before the merge.
                Class::Quiet
                    if out.hits.last().is_some_and(|h| {
                        h.classed.class == Class::Quiet && h.classed.event == classed.event
                    }) =>
                {
                    if let Some(h) = out.hits.last_mut() {
                        h.repeats += 1;
                    }
                }
                _ => out.hits.push(Hit {
                    line_in_piece,
                    start,
                    end,
                    classed,
                    repeats: 1,
                }),
            }
            pos = end + 1;
        }
        let newlines = newlines + bytecount::count(&data[counted_to..], b'\n') as u64;
        (newlines, out)
    }
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
            noise: FAMILIES
                .iter()
                .map(|f| NoiseGroup {
                    key: f.key,
                    name: f.name,
                    why: f.why,
                    count: 0,
                    first_line: 0,
                    example: String::new(),
                })
                .collect(),
            unrecognised: Unrecognised::default(),
            trace_owner: None,
        }
    }

    fn piece(&mut self, before: u64, piece: &[u8], out: PieceOut) {
        for (group, (count, first, example)) in self.noise.iter_mut().zip(out.noise) {
            if count == 0 {
                continue;
            }
            if group.count == 0 {
                group.first_line = before + first;
                group.example = example;
            }
            group.count += count;
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
                                self.trace_owner = Some((p, n));
                                continue;
                            }
                        }
                        let p = match self.index.get(&lp.key) {
                            Some(&p) => {
                                let problem = &mut self.problems[p];
                                problem.count += 1;
                                problem.last_line = n;
                                p
                            }
                            None if self.problems.len() >= MAX_PROBLEMS => {
                                self.unrecognised_line(n, line);
                                continue;
                            }
                            None => {
                                self.index.insert(lp.key.clone(), self.problems.len());
                                self.problems.push(Problem {
                                    kind: lp.kind,
                                    key: lp.key,
                                    title: lp.title,
                                    entry: lp.entry.map(|i| &catalog()[i]),
                                    count: 1,
                                    first_line: n,
                                    last_line: n,
                                    time: time.clone(),
                                    line: shown(line),
                                    through_agora: false,
                                    frames: Vec::new(),
                                });
                                self.problems.len() - 1
                            }
                        };
                        if lp.opens_trace {
                            self.trace_owner = Some((p, n));
                        }
                    }
                }
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
            Scanner {
                classifier: Classifier::new(),
            }
        },
        |before, piece, out| merge.piece(before, piece, out),
    )?;
    let Merge {
        problems,
        timeline,
        noise,
        unrecognised,
        ..
    } = merge;
    Ok(LogReading {
        format: detected,
        lines,
        bytes,
        problems,
        timeline: timeline.finish(),
        noise: noise.into_iter().filter(|g| g.count > 0).collect(),
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
