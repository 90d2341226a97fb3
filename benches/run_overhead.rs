//! Generated `run` against the same work written by hand, in the same process and run.
//!
//! W1 of benches/reference/WORKLOADS.md, one item at a time: clean -> tokenize -> count over 100,000
//! items. `selected` keeps only `word_count` (as the workload asks); `all_outputs` returns every
//! value, against a hand-written function returning the same four values.
//!
//! `hand_written_guarded` adds what `run` also does, catching a panic instead of unwinding.
//!
//! `cargo bench --bench run_overhead`, or for ratios over several runs:
//! `scripts/bench-ratios.sh run_overhead w1_run_100k 5 pipeline_selected:hand_written ...`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use measure::batched;
use workloads::*;

const N: usize = 100_000;

/// The same, with what `run` adds: a panic is caught and reported instead of unwinding.
fn hand_written_guarded(text: String) -> Result<usize, String> {
    std::panic::catch_unwind(move || w1_by_hand(text)).map_err(|_| "panicked".to_owned())
}

fn hand_written_all(text: String) -> (String, Vec<String>, usize) {
    let cleaned = clean(text);
    let tokens = tokenize(&cleaned);
    let word_count = count(&tokens);
    (cleaned, tokens, word_count)
}

fn w1(c: &mut Criterion) {
    let checksum: usize = texts(N).into_iter().map(w1_by_hand).sum();
    assert_eq!(checksum, 1_100_000, "the workload's reference checksum");

    let mut group = c.benchmark_group("w1_run_100k");
    group.sample_size(20);
    let setup = || texts(N);
    batched(&mut group, "hand_written", setup, |items| {
        items.into_iter().map(w1_by_hand).sum::<usize>()
    });
    batched(&mut group, "hand_written_guarded", setup, |items| {
        let guarded = items
            .into_iter()
            .map(|text| hand_written_guarded(text).unwrap());
        guarded.sum::<usize>()
    });
    let p = W1::new();
    batched(&mut group, "pipeline_selected", setup, |items| {
        let runs = items
            .into_iter()
            .map(|text| p.run(W1Inputs { text }).unwrap().word_count);
        runs.sum::<usize>()
    });
    batched(&mut group, "hand_written_all", setup, |items| {
        for text in items {
            black_box(hand_written_all(text));
        }
    });
    let all = W1All::new();
    batched(&mut group, "pipeline_all_outputs", setup, |items| {
        for text in items {
            black_box(all.run(W1AllInputs { text }).unwrap());
        }
    });
    group.finish();
}

criterion_group!(benches, w1);
criterion_main!(benches);
