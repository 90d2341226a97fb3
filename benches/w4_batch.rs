//! W4 batch over 100,000 items: clean -> normalize with `normalize` as a batch node
//! (batch_size 1024) and as a per-item node, against the same work by hand (per item, and on
//! chunks of 1024), in the same run.
//!
//! `scripts/bench-ratios.sh w4_batch w4_batch_100k 5 batch_node_map:hand_written_chunks item_node_map:hand_written_loop`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use criterion::{criterion_group, criterion_main, Criterion};
use hypernodes::Sequential;
use measure::batched;
use workloads::*;

const N: usize = 100_000;

fn w4(c: &mut Criterion) {
    let mut group = c.benchmark_group("w4_batch_100k");
    group.sample_size(20);
    batched(
        &mut group,
        "hand_written_loop",
        || texts(N),
        |texts| {
            texts
                .into_iter()
                .map(|t| rot13(&clean(t)))
                .collect::<Vec<String>>()
        },
    );
    batched(
        &mut group,
        "hand_written_chunks",
        || texts(N),
        |texts| {
            let cleaned: Vec<String> = texts.into_iter().map(clean).collect();
            cleaned
                .chunks(1024)
                .flat_map(normalize_batch)
                .collect::<Vec<String>>()
        },
    );
    let batch = W4Batch::new();
    batched(
        &mut group,
        "batch_node_map",
        || w4_batch_inputs(N),
        |items| batch.with_engine(Sequential).map(items).unwrap(),
    );
    let item = W4Item::new();
    batched(
        &mut group,
        "item_node_map",
        || w4_item_inputs(N),
        |items| item.with_engine(Sequential).map(items).unwrap(),
    );
    group.finish();
}

criterion_group!(benches, w4);
criterion_main!(benches);
