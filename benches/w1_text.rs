//! W1 text over 100,000 items: `map` against the same work by hand, sequential (a plain loop)
//! and parallel (rayon `into_par_iter`), in the same run.
//!
//! `scripts/bench-ratios.sh w1_text w1_text_100k 5 sequential_map:hand_written_loop parallel_map:hand_written_rayon`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use criterion::{criterion_group, criterion_main, Criterion};
use hypernodes::{Parallel, Sequential};
use measure::batched;
use rayon::prelude::*;
use workloads::*;

const N: usize = 100_000;

fn w1(c: &mut Criterion) {
    let mut group = c.benchmark_group("w1_text_100k");
    group.sample_size(20);
    let p = W1::new();
    let (by_hand, inputs) = (|| texts(N), || w1_inputs(N));
    batched(&mut group, "hand_written_loop", by_hand, |texts| {
        texts.into_iter().map(w1_by_hand).collect::<Vec<usize>>()
    });
    batched(&mut group, "sequential_map", inputs, |items| {
        p.with_engine(Sequential).map(items).unwrap()
    });
    batched(&mut group, "hand_written_rayon", by_hand, |texts| {
        texts
            .into_par_iter()
            .map(w1_by_hand)
            .collect::<Vec<usize>>()
    });
    batched(&mut group, "parallel_map", inputs, |items| {
        p.with_engine(Parallel::new()).map(items).unwrap()
    });
    group.finish();
}

criterion_group!(benches, w1);
criterion_main!(benches);
