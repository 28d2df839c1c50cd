//! Criterion benchmark: decode + verify for 006 and 007 tokens (the work the simulated edge does on
//! every join), plus the full `check` a user runs. Numbers only; nothing here asserts a time.

use agora_token_core::{check, decode, verify_006, verify_007, Expectation, Token, User};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const CERT: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
/// `generated/006/rtc-uid-publisher`.
const T006: &str = "006a1b2c3d4e5f60718293a4b5c6d7e8f90IAC1Puyf7qkqbJXU+0xvSz4lTjDI8w7Pr9yQe4fnYITTM6DfQtZXoFHlIgALAAAAgHYHawQAAQAQMwZrAgAQMwZrAwAQMwZrBAAQMwZr";
/// `generated/007/rtc-uid-publisher` (stock zlib).
const T007: &str = "007eJxTYGhY9F3mX5ngWlsNtzPd77fsu/449NGTN5MFeFvOfpzw9cNmBYZEwySjZOMUk1TTNDMDc0MLI0vjRJMk02SzFPNUizRLAwZVtmwBPgYG40o2BkYoBPF5GEpSi0t0kzMS8/JSc1gZDI2MTUwB86EkCA==";

fn bench(c: &mut Criterion) {
    c.bench_function("006 decode+verify", |b| {
        b.iter(|| {
            let Ok(Token::V006(t)) = decode(black_box(T006)) else {
                panic!("decodes")
            };
            assert!(verify_006(&t, CERT, "demo", "2882341273"));
        })
    });
    c.bench_function("007 decode+verify", |b| {
        b.iter(|| {
            let Ok(Token::V007(t)) = decode(black_box(T007)) else {
                panic!("decodes")
            };
            assert!(verify_007(&t, CERT));
        })
    });
    let exp = Expectation {
        channel: Some("test-channel".into()),
        user: Some(User::Uid(12345)),
        certificate: Some(CERT.into()),
        ..Default::default()
    };
    c.bench_function("007 full check", |b| {
        b.iter(|| check(black_box(T007), &exp, 1_795_566_600))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
