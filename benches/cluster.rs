//! The cluster engine on loopback, in the same run: W3 (N = 4,000) on 2 processes × 1 worker
//! against `Parallel` on 2 threads and hand-written rayon (the same two cores); the start-up
//! of a run (launch, connect, one item, teardown); and 100,000 trivial items, whose time
//! beyond start-up is the exchange's cost per item.
//!
//! `scripts/bench-ratios.sh cluster cluster 5 w3_cluster_2x1:w3_parallel_2 w3_parallel_2:w3_hand_written_rayon`
//!
//! Also what a killed process costs a run (W3 on 3 processes × 1 worker, process 2 aborting at
//! its 300th item, against the same run untouched), and a run whose process 2 is three times
//! slower per item than the others (items that wait 2 ms, 6 ms on process 2), whose ideal time
//! for that capacity is 900 / (1/2 + 1/2 + 1/6) ms ≈ 771 ms; and the 100,000 trivial items
//! run partitioned (each process makes its half and keeps its outputs) against the same
//! items routed through process 0.
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

/// Aborts process 2 at the 300th item it runs: a crash mid-run.
#[node(output = "checked")]
pub fn crash_process_2(h: u64) -> u64 {
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let on_process_2 = std::env::var("HYPERNODES_PROCESS").as_deref() == Ok("2");
    if on_process_2 && RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 300 {
        std::process::abort();
    }
    h
}

pipeline! { pub W3Crash = [digest, crash_process_2] }

/// Waits 2 ms, 6 ms on process 2: a host three times slower.
#[node(output = "waited")]
pub fn wait_slower_on_2(x: u64) -> u64 {
    let slow = std::env::var("HYPERNODES_PROCESS").as_deref() == Ok("2");
    std::thread::sleep(std::time::Duration::from_millis(if slow { 6 } else { 2 }));
    x
}

pipeline! { pub Uneven = [wait_slower_on_2] }

const UNEVEN_N: u64 = 900;

/// Which run a started copy must serve, told through its arguments.
const SERVE_W3: &str = "--serve-w3";
const SERVE_TRIVIAL: &str = "--serve-trivial";
const SERVE_W3_3: &str = "--serve-w3-3";
const SERVE_W3_CRASH: &str = "--serve-w3-crash";
const SERVE_UNEVEN: &str = "--serve-uneven";
const SERVE_TRIVIAL_PARTS: &str = "--serve-trivial-parts";

/// Partition `i` of `n` of the 100,000 trivial items, made where it runs.
fn trivial_partition(i: usize, n: usize) -> impl Iterator<Item = TrivialInputs> {
    (i..TRIVIAL_N)
        .step_by(n)
        .map(|k| TrivialInputs { text: text(k) })
}

/// Keeps a partition's results where they were made (counted, then dropped).
fn trivial_sink(
    _: usize,
    results: Vec<Result<TrivialOutputs, hypernodes::Error>>,
) -> Result<(), hypernodes::BoxError> {
    std::hint::black_box(results.len());
    Ok(())
}

fn trivial_partitioned() -> hypernodes::cluster::Partitioned {
    Trivial::new()
        .with_engine(cluster(SERVE_TRIVIAL_PARTS))
        .map_partitioned(trivial_partition, trivial_sink)
        .unwrap()
}

fn cluster(serve: &str) -> Cluster {
    Cluster::local(2, 1).worker_args([serve])
}

fn cluster_of_3(serve: &str) -> Cluster {
    Cluster::local(3, 1).worker_args([serve])
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
    batched(
        &mut group,
        "trivial_100k_partitioned_2x1",
        || (),
        |()| trivial_partitioned(),
    );
    let crash = W3Crash::new();
    batched(
        &mut group,
        "w3_cluster_3x1",
        || w3_inputs(N),
        |items| w3.with_engine(cluster_of_3(SERVE_W3_3)).map(items).unwrap(),
    );
    batched(
        &mut group,
        "w3_cluster_3x1_process_2_killed",
        || w3_crash_inputs(N),
        |items| {
            crash
                .with_engine(cluster_of_3(SERVE_W3_CRASH))
                .map(items)
                .unwrap()
        },
    );
    let uneven = Uneven::new();
    batched(
        &mut group,
        "uneven_900_cluster_3x1",
        || {
            (0..UNEVEN_N)
                .map(|x| UnevenInputs { x })
                .collect::<Vec<_>>()
        },
        |items| {
            uneven
                .with_engine(cluster_of_3(SERVE_UNEVEN).batch_size(5))
                .map(items)
                .unwrap()
        },
    );
    group.finish();
}

fn w3_crash_inputs(n: usize) -> Vec<W3CrashInputs> {
    (0..n).map(|i| W3CrashInputs { text: text(i) }).collect()
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
    if args.iter().any(|a| a == SERVE_TRIVIAL_PARTS) {
        trivial_partitioned();
    }
    if args.iter().any(|a| a == SERVE_W3_3) {
        let _ = W3::new()
            .with_engine(cluster_of_3(SERVE_W3_3))
            .map(Vec::new());
    }
    if args.iter().any(|a| a == SERVE_W3_CRASH) {
        let _ = W3Crash::new()
            .with_engine(cluster_of_3(SERVE_W3_CRASH))
            .map(Vec::new());
    }
    if args.iter().any(|a| a == SERVE_UNEVEN) {
        let _ = Uneven::new()
            .with_engine(cluster_of_3(SERVE_UNEVEN).batch_size(5))
            .map(Vec::new());
    }
    let mut criterion = Criterion::default().configure_from_args();
    w3_parallel(&mut criterion);
    criterion.final_summary();
}
