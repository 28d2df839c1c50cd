//! Fuzz the token decoder (006 and 007) and everything run on what it decodes: signature checks and
//! validation against an expectation. Any panic is a bug.
#![no_main]

use agora_token_core::{decode, validate, Expectation, User};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Both formats are reached quickly: the corpus holds real tokens, and a prefix is forced half the time.
    for candidate in [text.to_string(), format!("007{text}"), format!("006{text}")] {
        if let Ok(token) = decode(&candidate) {
            let expectation = Expectation {
                channel: Some("demo".into()),
                user: Some(User::Uid(2882341273)),
                app_id: Some("970CA35de60c44645bbae8a215061b33".into()),
                role: None,
                certificate: Some("5CFd2fd1755d40ecb72977518be15d3b".into()),
            };
            let _ = validate(&token, &expectation, 1_764_028_800);
            let _ = validate(&token, &Expectation::default(), u64::MAX / 2);
        }
    }
});
