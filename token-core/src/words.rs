//! Counted nouns: the one plural rule every sentence of agora-doctor uses ("1 problem", "2
//! problems"), so that no output says "problem(s)".

/// The plural ending for a count: `""` for one, `"s"` otherwise.
///
/// ```
/// assert_eq!(agora_token_core::words::plural(1u32), "");
/// assert_eq!(agora_token_core::words::plural(0u32), "s");
/// ```
pub fn plural<N: Into<u64>>(n: N) -> &'static str {
    if n.into() == 1 {
        ""
    } else {
        "s"
    }
}

/// A count and its noun: `1 byte`, `2 bytes` (nouns whose plural adds `s`).
///
/// ```
/// assert_eq!(agora_token_core::words::count(3u32, "byte"), "3 bytes");
/// assert_eq!(agora_token_core::words::count(1u32, "time"), "1 time");
/// ```
pub fn count<N: Into<u64> + Copy>(n: N, noun: &str) -> String {
    format!("{} {noun}{}", n.into(), plural(n))
}
