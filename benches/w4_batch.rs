//! W4 batch over 100,000 items: clean -> normalize with `normalize` as a batch node
//! (batch_size 1024) and as a per-item node, against the same work by hand (per item, and on
//! chunks of 1024), in the same run.
//!
//! `scripts/bench-ratios.sh w4_batch w4_batch_100k 5 batch_node_map:hand_written_chunks item_node_map:hand_written_loop`

#[path = "common/workloads.rs"]
mod workloads;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hypernodes::Sequential;
use workloads::*;

const N: usize = 100_000;

fn w4(c: &mut Criterion) {
    let mut group = c.benchmark_group("w4_batch_100k");
    group.sample_size(20);
    group.bench_function("hand_written_loop", |b| {
        b.iter_batched(
            || texts(N),
            |texts| {
                let out: Vec<String> = texts.into_iter().map(|t| rot13(&clean(t))).collect();
                black_box(out)
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("hand_written_chunks", |b| {
        b.iter_batched(
            || texts(N),
            |texts| {
                let cleaned: Vec<String> = texts.into_iter().map(clean).collect();
                let out: Vec<String> = cleaned.chunks(1024).flat_map(normalize_batch).collect();
                black_box(out)
            },
            BatchSize::LargeInput,
        )
    });
    let batch = W4Batch::new();
    group.bench_function("batch_node_map", |b| {
        b.iter_batched(
            || w4_batch_inputs(N),
            |items| black_box(batch.with_engine(Sequential).map(items).unwrap()),
            BatchSize::LargeInput,
        )
    });
    let item = W4Item::new();
    group.bench_function("item_node_map", |b| {
        b.iter_batched(
            || w4_item_inputs(N),
            |items| black_box(item.with_engine(Sequential).map(items).unwrap()),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, w4);
criterion_main!(benches);
