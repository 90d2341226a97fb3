//! W3 cpu (2,000 FNV-1a rounds per item): `map` on `Parallel` against hand-written rayon and
//! against `Sequential`, in the same run. N = 4,000 (the spec's 20,000 takes ~3 s per
//! sequential pass; per-item work is identical, so the ratios do not depend on N).
//!
//! `scripts/bench-ratios.sh w3_cpu w3_cpu_4k 5 parallel_map:hand_written_rayon sequential_map:hand_written_loop parallel_map:sequential_map`

#[path = "common/workloads.rs"]
mod workloads;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hypernodes::{Parallel, Sequential};
use rayon::prelude::*;
use workloads::*;

const N: usize = 4_000;

fn w3(c: &mut Criterion) {
    let mut group = c.benchmark_group("w3_cpu_4k");
    group.sample_size(10);
    let p = W3::new();
    group.bench_function("hand_written_loop", |b| {
        b.iter_batched(
            || texts(N),
            |texts| black_box(texts.iter().map(|t| digest(t)).collect::<Vec<u64>>()),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("sequential_map", |b| {
        b.iter_batched(
            || w3_inputs(N),
            |items| black_box(p.with_engine(Sequential).map(items).unwrap()),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("hand_written_rayon", |b| {
        b.iter_batched(
            || texts(N),
            |texts| black_box(texts.par_iter().map(|t| digest(t)).collect::<Vec<u64>>()),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("parallel_map", |b| {
        b.iter_batched(
            || w3_inputs(N),
            |items| black_box(p.with_engine(Parallel::new()).map(items).unwrap()),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, w3);
criterion_main!(benches);
