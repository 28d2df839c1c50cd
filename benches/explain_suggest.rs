//! Criterion benchmark: `explain`'s "did you mean" suggestions, the slow path of a query that names
//! no catalog entry (every spelling in the catalog is a candidate); one pasted line resolved; a paste
//! no entry fits, read and answered with its nearest entries; and parsing the whole catalog (what a
//! process pays once). Numbers only; nothing here asserts a time.

use agora_doctor::explain::{reader, resolve, suggest, try_catalog};
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

fn bench_paste(c: &mut Criterion) {
    let line = "15:54:58:287 Agora-SDK [ERROR]: [client-be997] join number: 1, Joining channel failed, rollback AgoraRTCException: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: flag: 4096, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic use static key";
    c.bench_function("resolve one pasted console line", |b| {
        b.iter(|| {
            let r = resolve(black_box(line));
            assert!(r.is_some());
        })
    });
    let chat = "ChatClient login failed: ChatException errorCode: 202";
    c.bench_function("resolve a Chat paste by its product's number", |b| {
        b.iter(|| resolve(black_box(chat)))
    });
    let unmatched = "E/AndroidRuntime: io.agora.chat.ChatException: errorCode: 777, description: the login went wrong\n    at io.agora.chat.ChatClient.login(ChatClient.java:120)";
    c.bench_function(
        "read an unmatched paste and find its nearest entries",
        |b| {
            b.iter(|| {
                let r = reader::read(black_box(unmatched));
                let n = reader::nearest(black_box(unmatched), &r);
                assert!(!n.is_empty());
            })
        },
    );
    c.bench_function("parse the whole catalog", |b| {
        b.iter(|| try_catalog().expect("catalog").len())
    });
}

criterion_group!(benches, bench, bench_paste);
criterion_main!(benches);
