//! The first pass of the log's fast path: a filter that passes every line holding one of the fast
//! path's literals (and a few that do not), many times faster than the automaton that decides.
//!
//! Each literal is stood for by one of its short pieces, its *anchor*: the rarest 4 bytes in it (by
//! the byte-pair counts of the log's first chunk), or the whole literal when it is 2 or 3 bytes long.
//! A line holding a literal holds its anchor, so a line with no anchor holds no literal and is
//! skipped. One table says, for each byte pair, at which offsets of which kind of anchor it stands
//! (one bit each: a 4-byte anchor's pairs at 0, 1 and 2, a 3-byte anchor's at 0 and 1, a 2-byte
//! anchor); a position passes when the pairs starting there agree, bit by bit, on one anchor's
//! shape. Eight positions are looked up and tested at once in one 64-bit word, with no branch and
//! no lookup that waits for another; the word carries over to the next eight (as in Hyperscan's
//! shift-or literal matcher, FDR). The pairs of different 4-byte anchors can agree on 4 bytes that
//! are none (the pairs of a log's words are in many anchors), so such a position is then looked
//! up whole in two hashed bit tables of the 4-byte anchors (a Bloom filter).
//!
//! The gate also finds the literals themselves ([`Gate::occurrences`]): at a position that passes,
//! the literals whose anchor those bytes are (a sorted table by anchor) are compared where they would
//! start. So no automaton walks the lines that pass, and none has to be built for each run.

/// Bit of a pair's entry: the first pair of a 4-byte anchor (then 2, 4: its second and third).
const A4: u8 = 1;
/// Bit of a pair's entry: the first pair of a 3-byte anchor (then 16: its second).
const A3: u8 = 8;
/// Bit of a pair's entry: a 2-byte anchor.
const A2: u8 = 32;
/// The lowest bit of each byte of a word.
const LOW: u64 = 0x0101_0101_0101_0101;

/// Bits of each hashed table (2^17 bits = 16 KiB each).
const BITS: u32 = 17;
const K1: u32 = 0x9E37_79B1;
const K2: u32 = 0x85EB_CA77;

fn h1(w: u32) -> usize {
    (w.wrapping_mul(K1) >> (32 - BITS)) as usize
}

fn h2(w: u32) -> usize {
    ((w ^ (w >> 15)).wrapping_mul(K2) >> (32 - BITS)) as usize
}

fn bit(t: &[u64], i: usize) -> bool {
    t[i >> 6] >> (i & 63) & 1 != 0
}

fn set(t: &mut [u64], i: usize) {
    t[i >> 6] |= 1 << (i & 63);
}

/// The filter.
pub struct Gate {
    /// Per byte pair (`a | b << 8`): the anchor pieces it is.
    pairs: Box<[u8; 1 << 16]>,
    /// The 4-byte anchors (little-endian `u32`s), hashed two ways.
    t1: Vec<u64>,
    t2: Vec<u64>,
    /// A literal of fewer than 2 bytes, or holding a zero byte: every position passes.
    open: bool,
    /// The literals, by their index in the list given.
    literals: Vec<Box<[u8]>>,
    /// Per 4-byte anchor (little-endian): the literal and the anchor's offset in it; sorted.
    fours: Vec<(u32, u32, u32)>,
    /// Per 3-byte anchor (little-endian, the fourth byte zero): the literal; sorted.
    threes: Vec<(u32, u32)>,
    /// Per 2-byte anchor (little-endian): the literal; sorted.
    twos: Vec<(u16, u32)>,
    /// The literals that open the gate, compared at every position.
    others: Vec<u32>,
}

/// How often each byte pair occurs in `sample` (plus one, so no pair is impossible).
fn pair_counts(sample: &[u8]) -> Vec<u32> {
    let mut counts = vec![1u32; 1 << 16];
    for w in sample.windows(2) {
        let i = usize::from(w[0]) << 8 | usize::from(w[1]);
        counts[i] = counts[i].saturating_add(1);
    }
    counts
}

/// The rarest 4 bytes of `lit` (at least 4 bytes long), by the pairs' counts: the estimated count of
/// `abcd` is `n(ab) · n(bc) · n(cd) / (n(b·) · n(c·))`, and the shared denominator is left out of a
/// comparison only when it is the same, so it is kept here.
fn rarest4(lit: &[u8], pairs: &[u32], firsts: &[u64]) -> [u8; 4] {
    let pair = |a: u8, b: u8| f64::from(pairs[usize::from(a) << 8 | usize::from(b)]);
    let first = |a: u8| firsts[usize::from(a)].max(1) as f64;
    let mut best = [0u8; 4];
    let mut best_score = f64::INFINITY;
    for w in lit.windows(4) {
        let score =
            pair(w[0], w[1]) * pair(w[1], w[2]) * pair(w[2], w[3]) / (first(w[1]) * first(w[2]));
        if score < best_score {
            best_score = score;
            best.copy_from_slice(w);
        }
    }
    best
}

fn pair_index(a: u8, b: u8) -> usize {
    usize::from(a) | usize::from(b) << 8
}

impl Gate {
    /// A filter for `literals`, its anchors chosen by how rare their bytes are in `sample` (the
    /// log's first bytes; any sample, or none, gives a correct filter, only a slower or faster one).
    /// A literal holding a line end is never looked for: no line holds it.
    pub fn new<'a>(literals: impl IntoIterator<Item = &'a [u8]>, sample: &[u8]) -> Gate {
        let counts = pair_counts(sample);
        let mut firsts = vec![0u64; 256];
        for (i, n) in counts.iter().enumerate() {
            firsts[i >> 8] += u64::from(*n);
        }
        let mut gate = Gate {
            pairs: Box::new([0; 1 << 16]),
            t1: vec![0; (1 << BITS) / 64],
            t2: vec![0; (1 << BITS) / 64],
            open: false,
            literals: Vec::new(),
            fours: Vec::new(),
            threes: Vec::new(),
            twos: Vec::new(),
            others: Vec::new(),
        };
        for (id, lit) in literals.into_iter().enumerate() {
            let id = u32::try_from(id).expect("fewer than 2^32 literals");
            gate.literals.push(lit.into());
            if lit.contains(&b'\n') {
                continue;
            }
            // The tail of a haystack is read with zeros after its end: no anchor may hold one.
            if lit.len() < 2 || lit.contains(&0) {
                gate.open = true;
                gate.others.push(id);
                continue;
            }
            let p = &mut gate.pairs;
            match *lit {
                [a, b] => {
                    p[pair_index(a, b)] |= A2;
                    gate.twos.push((u16::from_le_bytes([a, b]), id));
                }
                [a, b, c] => {
                    p[pair_index(a, b)] |= A3;
                    p[pair_index(b, c)] |= A3 << 1;
                    gate.threes.push((u32::from_le_bytes([a, b, c, 0]), id));
                }
                _ => {
                    let [a, b, c, d] = rarest4(lit, &counts, &firsts);
                    let at = lit
                        .windows(4)
                        .position(|w| w == [a, b, c, d])
                        .expect("the anchor is in the literal");
                    let at = u32::try_from(at).expect("a literal under 4 GiB");
                    gate.fours.push((u32::from_le_bytes([a, b, c, d]), id, at));
                    p[pair_index(a, b)] |= A4;
                    p[pair_index(b, c)] |= A4 << 1;
                    p[pair_index(c, d)] |= A4 << 2;
                    let w = u32::from_le_bytes([a, b, c, d]);
                    set(&mut gate.t1, h1(w));
                    set(&mut gate.t2, h2(w));
                }
            }
        }
        gate.fours.sort_unstable();
        gate.threes.sort_unstable();
        gate.twos.sort_unstable();
        gate
    }

    /// The most bytes a literal starts before its anchor.
    pub fn max_offset(&self) -> usize {
        self.fours.iter().map(|e| e.2 as usize).max().unwrap_or(0)
    }

    /// Every occurrence of a literal whose anchor starts at `at` (a position [`Gate::find`]
    /// returned): `found(start, literal)`, the literal's index in the list given. Called at every
    /// position `find` passes, each occurrence is found once, at its anchor.
    pub fn occurrences(&self, hay: &[u8], at: usize, mut found: impl FnMut(usize, usize)) {
        let rest = &hay[at..];
        let mut check = |start: usize, id: u32| {
            let id = id as usize;
            if hay[start..].starts_with(&self.literals[id]) {
                found(start, id);
            }
        };
        if let Some(&[a, b, c, d]) = rest.first_chunk::<4>() {
            let key = u32::from_le_bytes([a, b, c, d]);
            let from = self.fours.partition_point(|e| e.0 < key);
            for &(_, id, offset) in self.fours[from..].iter().take_while(|e| e.0 == key) {
                if let Some(start) = at.checked_sub(offset as usize) {
                    check(start, id);
                }
            }
        }
        if let Some(&[a, b, c]) = rest.first_chunk::<3>() {
            let key = u32::from_le_bytes([a, b, c, 0]);
            let from = self.threes.partition_point(|e| e.0 < key);
            for &(_, id) in self.threes[from..].iter().take_while(|e| e.0 == key) {
                check(at, id);
            }
        }
        if let Some(&[a, b]) = rest.first_chunk::<2>() {
            let key = u16::from_le_bytes([a, b]);
            let from = self.twos.partition_point(|e| e.0 < key);
            for &(_, id) in self.twos[from..].iter().take_while(|e| e.0 == key) {
                check(at, id);
            }
        }
        for &id in &self.others {
            check(at, id);
        }
    }

    /// The entries of the 8 pairs starting at `b[0..8]`, one per byte of the word (the first lowest).
    #[inline(always)]
    fn entries(&self, b: &[u8; 9]) -> u64 {
        let t = &*self.pairs;
        let mut w = 0u64;
        for k in 0..8 {
            w |= u64::from(t[pair_index(b[k], b[k + 1])]) << (8 * k);
        }
        w
    }

    /// Per position of a block of 8 (one byte each, bit 0), given the entries of the block's pairs
    /// (`e0`) and of the next block's (`next`): the pairs there are those of a 4-byte anchor, and
    /// those of a 2- or 3-byte anchor (which is then there).
    #[inline(always)]
    fn passes(e0: u64, next: u64) -> (u64, u64) {
        let e1 = e0 >> 8 | next << 56;
        let e2 = e0 >> 16 | next << 48;
        // A right shift by s < 8 brings bit s of each byte to its bit 0 (what comes in from the
        // byte above lands higher and is masked off).
        let four = e0 & e1 >> 1 & e2 >> 2;
        let three = e0 >> 3 & e1 >> 4;
        let two = e0 >> 5;
        (four & LOW, (three | two) & LOW)
    }

    /// The first of the block's passing positions (`four`, `short` from [`Gate::passes`]) whose
    /// 4 bytes (`block`, read from the block's start) are an anchor, as an offset in the block.
    #[cold]
    #[inline(never)]
    fn confirm(&self, block: &[u8; 11], four: u64, short: u64) -> Option<usize> {
        let mut any = four | short;
        while any != 0 {
            let k = (any.trailing_zeros() / 8) as usize;
            if short >> (8 * k) & 1 != 0 {
                return Some(k);
            }
            let w = u32::from_le_bytes([block[k], block[k + 1], block[k + 2], block[k + 3]]);
            if bit(&self.t1, h1(w)) && bit(&self.t2, h2(w)) {
                return Some(k);
            }
            any &= !(0xFF << (8 * k));
        }
        None
    }

    /// The first position at or after `from` where an anchor starts; every literal occurrence at or
    /// after `from` holds one at or after its own start.
    pub fn find(&self, hay: &[u8], from: usize) -> Option<usize> {
        if self.open {
            return (from < hay.len()).then_some(from);
        }
        let n = hay.len();
        let mut i = from;
        if i + 17 <= n {
            let block = |j: usize| -> &[u8; 9] { hay[j..j + 9].try_into().expect("9 bytes") };
            let mut cur = self.entries(block(i));
            while i + 17 <= n {
                let next = self.entries(block(i + 8));
                let (four, short) = Self::passes(cur, next);
                if four | short != 0 {
                    let whole = hay[i..i + 11].try_into().expect("11 bytes");
                    if let Some(k) = self.confirm(whole, four, short) {
                        return Some(i + k);
                    }
                }
                cur = next;
                i += 8;
            }
        }
        // The last bytes (fewer than 17), read with zeros after the end: a pair holding a zero is
        // in no anchor, so nothing passes past the end.
        while i < n {
            let mut pad = [0u8; 17];
            let m = (n - i).min(17);
            pad[..m].copy_from_slice(&hay[i..i + m]);
            let cur = self.entries(pad[..9].try_into().expect("9 bytes"));
            let next = self.entries(pad[8..].try_into().expect("9 bytes"));
            let (four, short) = Self::passes(cur, next);
            if let Some(k) = self.confirm(pad[..11].try_into().expect("11 bytes"), four, short) {
                return (i + k < n).then_some(i + k);
            }
            i += 8;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_literal_is_found_wherever_it_lies() {
        let literals: Vec<&[u8]> = vec![
            b"E/",
            b" W ",
            b"[ERROR]",
            b"connection state change",
            b"CAN_NOT_GET_GATEWAY_SERVER",
            "错误码".as_bytes(),
        ];
        let sample =
            b"12:00:01:002 Agora-SDK [INFO]: [client-1] audio level 3, volume 100\n".repeat(50);
        let gate = Gate::new(literals.iter().copied(), &sample);
        let filler = b"quiet text of an ordinary line, 0123456789 abc";
        for lit in &literals {
            for before in 0..filler.len() {
                for after in [0usize, 1, 2, 3, 5, 9, 17] {
                    let mut hay = filler[..before].to_vec();
                    hay.extend_from_slice(lit);
                    hay.extend_from_slice(&filler[..after]);
                    let found = gate.find(&hay, 0);
                    assert!(
                        found.is_some_and(|at| at < before + lit.len()),
                        "{} at {before} (+{after})",
                        String::from_utf8_lossy(lit)
                    );
                }
            }
        }
        // Quiet text passes rarely: the filter is worth its pass.
        let quiet = sample.repeat(20);
        let mut passes = 0;
        let mut at = 0;
        while let Some(i) = gate.find(&quiet, at) {
            passes += 1;
            at = i + 1;
        }
        assert!(passes * 100 < quiet.len() / 70, "{passes} passes");
    }

    #[test]
    fn a_literal_of_one_byte_opens_the_gate() {
        let gate = Gate::new([&b"x"[..]], b"");
        assert_eq!(gate.find(b"abc", 1), Some(1));
        assert_eq!(gate.find(b"abc", 3), None);
    }
}
