//! W2 stateful (a model that costs 200 ms to build): the model built once per worker against
//! a hand-written loop that builds it once, and the model built per call (N = 10: each item
//! costs its 200 ms) against the same by hand. Every `map` builds its models afresh, so the
//! stateful figures include one build per worker (2 on this machine, in parallel).
//!
//! `scripts/bench-ratios.sh w2_stateful w2_stateful 3 stateful_parallel_map:hand_written_once stateful_sequential_map:hand_written_once per_call_sequential_map:hand_written_per_call`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use hypernodes::{Parallel, Sequential};
use measure::batched;
use workloads::*;

const N: usize = 2_000;
const N_PER_CALL: usize = 10;

fn w2(c: &mut Criterion) {
    let mut group = c.benchmark_group("w2_stateful");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    batched(
        &mut group,
        "hand_written_once",
        || texts(N),
        |texts| {
            let model = Model::load();
            texts
                .into_iter()
                .map(|t| model.predict(&clean(t)))
                .collect::<Vec<u64>>()
        },
    );
    let stateful = W2Stateful::new();
    batched(
        &mut group,
        "stateful_sequential_map",
        || w2_inputs(N),
        |items| stateful.with_engine(Sequential).map(items).unwrap(),
    );
    batched(
        &mut group,
        "stateful_parallel_map",
        || w2_inputs(N),
        |items| stateful.with_engine(Parallel::new()).map(items).unwrap(),
    );
    group.measurement_time(Duration::from_secs(25));
    batched(
        &mut group,
        "hand_written_per_call",
        || texts(N_PER_CALL),
        |texts| {
            let scores = texts.into_iter().map(|t| Model::load().predict(&clean(t)));
            scores.collect::<Vec<u64>>()
        },
    );
    let per_call = W2PerCall::new();
    batched(
        &mut group,
        "per_call_sequential_map",
        || w2_per_call_inputs(N_PER_CALL),
        |items| per_call.with_engine(Sequential).map(items).unwrap(),
    );
    group.finish();
}

criterion_group!(benches, w2);
criterion_main!(benches);
