//! W1 text over 100,000 items: `map` against the same work by hand, sequential (a plain loop)
//! and parallel (rayon `into_par_iter`), in the same run.
//!
//! `scripts/bench-ratios.sh w1_text w1_text_100k 5 sequential_map:hand_written_loop parallel_map:hand_written_rayon`

#[path = "common/workloads.rs"]
mod workloads;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hypernodes::{Parallel, Sequential};
use rayon::prelude::*;
use workloads::*;

const N: usize = 100_000;

fn w1(c: &mut Criterion) {
    let mut group = c.benchmark_group("w1_text_100k");
    group.sample_size(20);
    let p = W1::new();
    group.bench_function("hand_written_loop", |b| {
        b.iter_batched(
            || texts(N),
            |texts| black_box(texts.into_iter().map(w1_by_hand).collect::<Vec<usize>>()),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("sequential_map", |b| {
        b.iter_batched(
            || w1_inputs(N),
            |items| black_box(p.with_engine(Sequential).map(items).unwrap()),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("hand_written_rayon", |b| {
        b.iter_batched(
            || texts(N),
            |texts| {
                black_box(
                    texts
                        .into_par_iter()
                        .map(w1_by_hand)
                        .collect::<Vec<usize>>(),
                )
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("parallel_map", |b| {
        b.iter_batched(
            || w1_inputs(N),
            |items| black_box(p.with_engine(Parallel::new()).map(items).unwrap()),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, w1);
criterion_main!(benches);
