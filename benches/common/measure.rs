//! One criterion measurement: fresh input from `setup` (not timed), `routine` timed.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup};

pub fn batched<I, O>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    setup: impl Fn() -> I,
    routine: impl Fn(I) -> O,
) {
    group.bench_function(name, |b| {
        b.iter_batched(
            &setup,
            |input| black_box(routine(input)),
            BatchSize::LargeInput,
        )
    });
}
