//! The first pass of the log's fast path: a filter that passes every line holding one of the fast
//! path's literals (and a few that do not), many times faster than the automaton that decides.
//!
//! Each literal is stood for by one of its short pieces, its *anchor*: the rarest 4 bytes in it (by
//! the byte-pair counts of the log's first chunk), or the whole literal when it is 2 or 3 bytes long.
//! A line holding a literal holds its anchor, so a line with no anchor holds no literal and is
//! skipped. The 4 bytes at each position are looked up in two bit tables (two hashes, a Bloom
//! filter), then in the sorted anchors; 2-byte anchors in a table of all byte pairs. The lookups of
//! one position do not depend on the last position's, so the processor overlaps them, unlike an
//! automaton's walk from state to state.

/// Bits of each hashed table (2^17 bits = 16 KiB each: both stay in the first-level cache).
const BITS: u32 = 17;
const K1: u32 = 0x9E37_79B1;
const K2: u32 = 0x85EB_CA77;

/// The filter.
pub struct Gate {
    t1: Vec<u64>,
    t2: Vec<u64>,
    /// Every 4-byte window that is an anchor (3-byte anchors with each possible fourth byte), as a
    /// little-endian `u32`, sorted.
    exact: Vec<u32>,
    /// The 2-byte anchors: one bit per byte pair.
    pairs: Vec<u64>,
    has_pairs: bool,
    /// A literal of fewer than 2 bytes, or holding a line end: every position passes.
    open: bool,
}

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

impl Gate {
    /// A filter for `literals`, its anchors chosen by how rare their bytes are in `sample` (the
    /// log's first bytes; any sample, or none, gives a correct filter, only a slower or faster one).
    pub fn new<'a>(literals: impl IntoIterator<Item = &'a [u8]>, sample: &[u8]) -> Gate {
        let pairs = pair_counts(sample);
        let mut firsts = vec![0u64; 256];
        for (i, n) in pairs.iter().enumerate() {
            firsts[i >> 8] += u64::from(*n);
        }
        let mut gate = Gate {
            t1: vec![0; (1 << BITS) / 64],
            t2: vec![0; (1 << BITS) / 64],
            exact: Vec::new(),
            pairs: vec![0; (1 << 16) / 64],
            has_pairs: false,
            open: false,
        };
        for lit in literals {
            if lit.len() < 2 || lit.contains(&b'\n') {
                gate.open = true;
                continue;
            }
            match lit.len() {
                2 => {
                    set(
                        &mut gate.pairs,
                        usize::from(lit[0]) | usize::from(lit[1]) << 8,
                    );
                    gate.has_pairs = true;
                }
                3 => {
                    for fourth in 0..=255u8 {
                        gate.add(u32::from_le_bytes([lit[0], lit[1], lit[2], fourth]));
                    }
                }
                _ => gate.add(u32::from_le_bytes(rarest4(lit, &pairs, &firsts))),
            }
        }
        gate.exact.sort_unstable();
        gate.exact.dedup();
        gate
    }

    fn add(&mut self, w: u32) {
        set(&mut self.t1, h1(w));
        set(&mut self.t2, h2(w));
        self.exact.push(w);
    }

    /// Whether an anchor starts with the 4 bytes `w` (little-endian).
    #[inline(always)]
    fn hit(&self, w: u32) -> bool {
        (bit(&self.t1, h1(w)) && bit(&self.t2, h2(w)) && self.exact.binary_search(&w).is_ok())
            || (self.has_pairs && bit(&self.pairs, (w & 0xFFFF) as usize))
    }

    /// The first position at or after `from` where an anchor starts; every literal occurrence at or
    /// after `from` holds one at or after its own start.
    pub fn find(&self, hay: &[u8], from: usize) -> Option<usize> {
        if self.open {
            return (from < hay.len()).then_some(from);
        }
        let mut i = from;
        if hay.len() >= 4 {
            let last = hay.len() - 4;
            // Eight positions a round, tested together: one branch per round, not per byte.
            while i + 11 <= hay.len() {
                let block = &hay[i..i + 11];
                let mut any = false;
                for k in 0..8 {
                    let w =
                        u32::from_le_bytes([block[k], block[k + 1], block[k + 2], block[k + 3]]);
                    any |= self.quick(w);
                }
                if any {
                    for k in 0..8 {
                        let w = u32::from_le_bytes([
                            block[k],
                            block[k + 1],
                            block[k + 2],
                            block[k + 3],
                        ]);
                        if self.hit(w) {
                            return Some(i + k);
                        }
                    }
                }
                i += 8;
            }
            while i <= last {
                let w = u32::from_le_bytes([hay[i], hay[i + 1], hay[i + 2], hay[i + 3]]);
                if self.hit(w) {
                    return Some(i);
                }
                i += 1;
            }
        }
        // The last 3 positions, the missing bytes as zeros (a line end is never in an anchor, so
        // only a 2- or 3-byte anchor can match there, and its table holds every fourth byte).
        while i < hay.len() {
            let mut b = [0u8; 4];
            let n = (hay.len() - i).min(4);
            b[..n].copy_from_slice(&hay[i..i + n]);
            if self.hit(u32::from_le_bytes(b)) {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// The first table's answer (or a pair's): false means no anchor starts here.
    #[inline(always)]
    fn quick(&self, w: u32) -> bool {
        bit(&self.t1, h1(w)) | (self.has_pairs & bit(&self.pairs, (w & 0xFFFF) as usize))
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
