//! Generated `run` against the same work written by hand, in the same process and run.
//!
//! W1 of ../shared/WORKLOADS.md, one item at a time: clean -> tokenize -> count over 100,000
//! items. `selected` keeps only `word_count` (as the workload asks); `all_outputs` returns every
//! value, against a hand-written function returning the same four values.
//!
//! `hand_written_guarded` adds what `run` also does, catching a panic instead of unwinding.
//!
//! `cargo bench --bench run_overhead`, or for ratios over several runs:
//! `scripts/bench-ratios.sh run_overhead w1_run_100k 5 pipeline_selected:hand_written ...`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "tokens")]
pub fn tokenize(cleaned: &str) -> Vec<String> {
    cleaned.split_whitespace().map(str::to_owned).collect()
}

#[node(output = "word_count")]
pub fn count(tokens: &[String]) -> usize {
    tokens.len()
}

pipeline! {
    #[outputs(word_count)]
    pub W1 = [clean, tokenize, count]
}

pipeline! {
    pub W1All = [clean, tokenize, count]
}

const ITEMS: usize = 100_000;

fn items() -> Vec<String> {
    (0..ITEMS)
        .map(|i| {
            format!(
                "  Item {i}: The Quick BROWN fox jumps over {} lazy DOGS  ",
                i % 97
            )
        })
        .collect()
}

fn hand_written(text: String) -> usize {
    let cleaned = clean(text);
    let tokens = tokenize(&cleaned);
    count(&tokens)
}

/// The same, with what `run` adds: a panic is caught and reported instead of unwinding.
fn hand_written_guarded(text: String) -> Result<usize, String> {
    std::panic::catch_unwind(move || hand_written(text)).map_err(|_| "panicked".to_owned())
}

fn hand_written_all(text: String) -> (String, Vec<String>, usize) {
    let cleaned = clean(text);
    let tokens = tokenize(&cleaned);
    let word_count = count(&tokens);
    (cleaned, tokens, word_count)
}

fn w1(c: &mut Criterion) {
    let data = items();
    let checksum: usize = data.iter().cloned().map(hand_written).sum();
    assert_eq!(checksum, 1_100_000, "the workload's reference checksum");

    let mut group = c.benchmark_group("w1_run_100k");
    group.sample_size(20);
    group.bench_function("hand_written", |b| {
        b.iter_batched(
            || data.clone(),
            |items| items.into_iter().map(hand_written).sum::<usize>(),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("hand_written_guarded", |b| {
        b.iter_batched(
            || data.clone(),
            |items| {
                items
                    .into_iter()
                    .map(|text| hand_written_guarded(text).unwrap())
                    .sum::<usize>()
            },
            BatchSize::LargeInput,
        )
    });
    let p = W1::new();
    group.bench_function("pipeline_selected", |b| {
        b.iter_batched(
            || data.clone(),
            |items| {
                items
                    .into_iter()
                    .map(|text| p.run(W1Inputs { text }).unwrap().word_count)
                    .sum::<usize>()
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("hand_written_all", |b| {
        b.iter_batched(
            || data.clone(),
            |items| {
                for text in items {
                    black_box(hand_written_all(text));
                }
            },
            BatchSize::LargeInput,
        )
    });
    let all = W1All::new();
    group.bench_function("pipeline_all_outputs", |b| {
        b.iter_batched(
            || data.clone(),
            |items| {
                for text in items {
                    black_box(all.run(W1AllInputs { text }).unwrap());
                }
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, w1);
criterion_main!(benches);
