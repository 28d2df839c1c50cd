//! Fuzz the pasted-token repair path. Besides "never panic", a repair the tool calls certain must
//! decode cleanly: otherwise it would show the user a "fixed" token that is still broken.
#![no_main]

use agora_token_core::{decode, diagnose};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let diagnosis = diagnose(&text);
    if let Some(repaired) = &diagnosis.repaired {
        assert!(
            decode(repaired).is_ok(),
            "repair {:?} of {:?} does not decode",
            repaired,
            text
        );
    }
});
