//! What process isolation costs per call: a cheap node (W1's `clean`) over 2,000 items on
//! `Sequential`, in-process against `use_process = true` (one round trip to a worker process
//! per item), in the same run; and the start of a worker process (a map of one item).
//!
//! `scripts/bench-ratios.sh isolated isolated_2k 3 use_process:in_process`

use criterion::{BatchSize, Criterion};
use hypernodes::{node, pipeline, Sequential};

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "cleaned", config(use_process = true))]
fn clean_isolated(text: String) -> String {
    text.trim().to_lowercase()
}

pipeline! { InProcess = [clean] }
pipeline! { Isolated = [clean_isolated] }

const N: usize = 2_000;

fn text(i: usize) -> String {
    format!(
        "  Item {i}: The Quick BROWN fox jumps over {} lazy DOGS  ",
        i % 97
    )
}

fn isolation(c: &mut Criterion) {
    let mut group = c.benchmark_group("isolated_2k");
    group.sample_size(10);
    let (in_process, isolated) = (InProcess::new(), Isolated::new());
    group.bench_function("in_process", |b| {
        b.iter_batched(
            || {
                (0..N)
                    .map(|i| InProcessInputs { text: text(i) })
                    .collect::<Vec<_>>()
            },
            |items| in_process.with_engine(Sequential).map(items).unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("use_process", |b| {
        b.iter_batched(
            || {
                (0..N)
                    .map(|i| IsolatedInputs { text: text(i) })
                    .collect::<Vec<_>>()
            },
            |items| isolated.with_engine(Sequential).map(items).unwrap(),
            BatchSize::LargeInput,
        )
    });
    // One item: the cost of starting (and ending) a worker process.
    group.bench_function("use_process_one_item", |b| {
        b.iter(|| {
            let one = [IsolatedInputs { text: text(0) }];
            isolated.with_engine(Sequential).map(one).unwrap()
        })
    });
    group.finish();
}

fn main() {
    // Worker processes are this bench binary started again: they serve and exit here.
    hypernodes::serve_if_worker();
    let mut criterion = Criterion::default().configure_from_args();
    isolation(&mut criterion);
    criterion.final_summary();
}
