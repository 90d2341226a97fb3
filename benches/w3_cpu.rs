//! W3 cpu (2,000 FNV-1a rounds per item): `map` on `Parallel` against hand-written rayon and
//! against `Sequential`, in the same run. N = 4,000 (the spec's 20,000 takes ~3 s per
//! sequential pass; per-item work is identical, so the ratios do not depend on N).
//!
//! `scripts/bench-ratios.sh w3_cpu w3_cpu_4k 5 parallel_map:hand_written_rayon sequential_map:hand_written_loop sequential_map:parallel_map`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use criterion::{criterion_group, criterion_main, Criterion};
use hypernodes::{Parallel, Sequential};
use measure::batched;
use rayon::prelude::*;
use workloads::*;

const N: usize = 4_000;

fn w3(c: &mut Criterion) {
    let mut group = c.benchmark_group("w3_cpu_4k");
    group.sample_size(10);
    let p = W3::new();
    let (by_hand, inputs) = (|| texts(N), || w3_inputs(N));
    batched(&mut group, "hand_written_loop", by_hand, |texts| {
        texts.iter().map(|t| digest(t)).collect::<Vec<u64>>()
    });
    batched(&mut group, "sequential_map", inputs, |items| {
        p.with_engine(Sequential).map(items).unwrap()
    });
    batched(&mut group, "hand_written_rayon", by_hand, |texts| {
        texts.par_iter().map(|t| digest(t)).collect::<Vec<u64>>()
    });
    batched(&mut group, "parallel_map", inputs, |items| {
        p.with_engine(Parallel::new()).map(items).unwrap()
    });
    group.finish();
}

criterion_group!(benches, w3);
criterion_main!(benches);
