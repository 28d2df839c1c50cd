//! Criterion benchmark: `explain`'s "did you mean" suggestions, the slow path of a query that names
//! no catalog entry (every spelling in the catalog is a candidate). Numbers only; nothing here
//! asserts a time.

use agora_doctor::explain::suggest;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    // A typo of a Web SDK code: the case suggestions exist for.
    c.bench_function("suggest typo INVALID_TOKNE", |b| {
        b.iter(|| {
            let found = suggest(black_box("INVALID_TOKNE"));
            assert!(!found.is_empty(), "{found:?}");
        })
    });
    // A misspelt gateway reason, several words long.
    c.bench_function("suggest typo dynamic key expird", |b| {
        b.iter(|| suggest(black_box("dynamic key expird")))
    });
    // A pasted line that resembles nothing (what a fuzzer mostly feeds): all cost, no answer.
    let noise: String = (0..256u32)
        .map(|i| char::from(b'!' + ((i * 37 + 11) % 90) as u8))
        .collect();
    c.bench_function("suggest 256-byte noise", |b| {
        b.iter(|| {
            let found = suggest(black_box(&noise));
            assert!(found.is_empty(), "{found:?}");
        })
    });
    // A short unknown word, the commonest miss in practice.
    c.bench_function("suggest unknown word 'microphone'", |b| {
        b.iter(|| suggest(black_box("microphone")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
