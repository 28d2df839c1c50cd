//! Fuzz the `explain` query parser: codes, names, numbers and whole pasted console lines.
#![no_main]

use agora_doctor::explain::{resolve, suggest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if resolve(&text).is_none() {
        let _ = suggest(&text);
    }
});
