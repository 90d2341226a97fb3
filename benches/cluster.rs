//! The cluster engine on loopback, in the same run: W3 (N = 4,000) on 2 processes × 1 worker
//! against `Parallel` on 2 threads and hand-written rayon (the same two cores); the start-up
//! of a run (launch, connect, one item, teardown); and 100,000 trivial items, whose time
//! beyond start-up is the exchange's cost per item.
//!
//! `scripts/bench-ratios.sh cluster cluster 5 w3_cluster_2x1:w3_parallel_2 w3_parallel_2:w3_hand_written_rayon`
//!
//! The processes a run starts are copies of this binary; `main` sends them to serve the run
//! before criterion sees its arguments.

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use criterion::Criterion;
use hypernodes::{node, pipeline, Cluster, Parallel};
use measure::batched;
use rayon::prelude::*;
use workloads::*;

const N: usize = 4_000;
const TRIVIAL_N: usize = 100_000;

#[node(output = "length")]
pub fn length(text: String) -> usize {
    text.len()
}

pipeline! { pub Trivial = [length] }

fn trivial_inputs(n: usize) -> Vec<TrivialInputs> {
    (0..n).map(|i| TrivialInputs { text: text(i) }).collect()
}

/// Which run a started copy must serve, told through its arguments.
const SERVE_W3: &str = "--serve-w3";
const SERVE_TRIVIAL: &str = "--serve-trivial";

fn cluster(serve: &str) -> Cluster {
    Cluster::local(2, 1).worker_args([serve])
}

fn w3_parallel(c: &mut Criterion) {
    let mut group = c.benchmark_group("cluster");
    group.sample_size(10);
    let pool = || Parallel::new().threads(2);
    let (w3, trivial) = (W3::new(), Trivial::new());
    batched(
        &mut group,
        "w3_hand_written_rayon",
        || texts(N),
        |texts| texts.par_iter().map(|t| digest(t)).collect::<Vec<u64>>(),
    );
    let parallel = pool();
    batched(
        &mut group,
        "w3_parallel_2",
        || w3_inputs(N),
        |items| w3.with_engine(parallel.clone()).map(items).unwrap(),
    );
    batched(
        &mut group,
        "w3_cluster_2x1",
        || w3_inputs(N),
        |items| w3.with_engine(cluster(SERVE_W3)).map(items).unwrap(),
    );
    batched(
        &mut group,
        "startup_cluster_2x1_one_item",
        || trivial_inputs(1),
        |items| {
            trivial
                .with_engine(cluster(SERVE_TRIVIAL))
                .map(items)
                .unwrap()
        },
    );
    batched(
        &mut group,
        "trivial_100k_parallel_2",
        || trivial_inputs(TRIVIAL_N),
        |items| trivial.with_engine(parallel.clone()).map(items).unwrap(),
    );
    batched(
        &mut group,
        "trivial_100k_cluster_2x1",
        || trivial_inputs(TRIVIAL_N),
        |items| {
            trivial
                .with_engine(cluster(SERVE_TRIVIAL))
                .map(items)
                .unwrap()
        },
    );
    group.finish();
}

fn main() {
    // A started copy serves one run; its items come from process 0, so it gives none.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == SERVE_W3) {
        let _ = W3::new().with_engine(cluster(SERVE_W3)).map(Vec::new());
    }
    if args.iter().any(|a| a == SERVE_TRIVIAL) {
        let _ = Trivial::new()
            .with_engine(cluster(SERVE_TRIVIAL))
            .map(Vec::new());
    }
    let mut criterion = Criterion::default().configure_from_args();
    w3_parallel(&mut criterion);
    criterion.final_summary();
}
