//! Fuzz the streaming log scanner with arbitrary bytes (binary garbage, invalid UTF-8, no newlines).
#![no_main]

use agora_doctor::explain::scan::scan_log;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = scan_log(data).expect("reading from a byte slice cannot fail");
    let _ = report;
});
