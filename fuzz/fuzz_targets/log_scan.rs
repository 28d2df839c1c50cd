//! Fuzz the log reader with arbitrary bytes (binary garbage, invalid UTF-8, no newlines).
#![no_main]

use agora_doctor::explain::log::read_log;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = read_log(data, "fuzz.log").expect("reading from a byte slice cannot fail");
    let _ = report;
});
