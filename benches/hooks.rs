//! What hooks cost: W1 over 100,000 items on `Sequential`, without hooks, with `NoHooks` given
//! explicitly, and with a hook counting node calls, against the hand-written loop.
//!
//! `cargo bench --bench hooks`, or for ratios over several runs:
//! `scripts/bench-ratios.sh hooks w1_hooks_100k 5 map_no_hooks:hand_written map_explicit_no_hooks:map_no_hooks map_counting_hook:map_no_hooks`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{criterion_group, criterion_main, Criterion};
use hypernodes::hooks::{Event, Hooks, NoHooks};
use hypernodes::Sequential;
use measure::batched;
use workloads::*;

const N: usize = 100_000;

/// Counts node calls: an active hook doing the least a hook can do.
#[derive(Default)]
struct CountCalls(AtomicUsize);

impl Hooks for CountCalls {
    fn on(&self, event: &Event<'_>) {
        if let Event::NodeEnd { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn w1_hooks(c: &mut Criterion) {
    let mut group = c.benchmark_group("w1_hooks_100k");
    group.sample_size(20);
    let setup = || texts(N);
    batched(&mut group, "hand_written", setup, |items| {
        items.into_iter().map(w1_by_hand).sum::<usize>()
    });
    let p = W1::new();
    let inputs = |items: Vec<String>| items.into_iter().map(|text| W1Inputs { text });
    let total = |outs: Vec<W1Outputs>| outs.iter().map(|o| o.word_count).sum::<usize>();
    batched(&mut group, "map_no_hooks", setup, |items| {
        total(p.with_engine(Sequential).map(inputs(items)).unwrap())
    });
    batched(&mut group, "map_explicit_no_hooks", setup, |items| {
        let runner = p.with_engine(Sequential).with_hooks(NoHooks);
        total(runner.map(inputs(items)).unwrap())
    });
    let counter = CountCalls::default();
    batched(&mut group, "map_counting_hook", setup, |items| {
        let runner = p.with_engine(Sequential).with_hooks(&counter);
        total(runner.map(inputs(items)).unwrap())
    });
    group.finish();
    assert!(counter.0.load(Ordering::Relaxed) > 0);
}

criterion_group!(benches, w1_hooks);
criterion_main!(benches);
