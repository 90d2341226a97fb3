//! W1 (100,000 items) and W3 (4,000 items) on `Streaming` against `Parallel` and the same work
//! by hand with rayon, in the same run; then the streaming engine's peak memory over
//! 10,000,000 generated items (printed, not timed: see `peak_memory`).
//!
//! `scripts/bench-ratios.sh streaming w1_streaming_100k 5 streaming_map:hand_written_rayon parallel_map:hand_written_rayon streaming_map:parallel_map`
//! `scripts/bench-ratios.sh streaming w3_streaming_4k 5 streaming_map:hand_written_rayon parallel_map:hand_written_rayon streaming_map:parallel_map`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use criterion::{criterion_group, Criterion};
use hypernodes::{Parallel, Streaming};
use measure::batched;
use rayon::prelude::*;
use workloads::*;

fn w1(c: &mut Criterion) {
    const N: usize = 100_000;
    let mut group = c.benchmark_group("w1_streaming_100k");
    group.sample_size(20);
    let p = W1::new();
    let (by_hand, inputs) = (|| texts(N), || w1_inputs(N));
    batched(&mut group, "hand_written_rayon", by_hand, |texts| {
        texts
            .into_par_iter()
            .map(w1_by_hand)
            .collect::<Vec<usize>>()
    });
    batched(&mut group, "parallel_map", inputs, |items| {
        p.with_engine(Parallel::new()).map(items).unwrap()
    });
    batched(&mut group, "streaming_map", inputs, |items| {
        p.with_engine(Streaming::new()).map(items).unwrap()
    });
    group.finish();
}

fn w3(c: &mut Criterion) {
    const N: usize = 4_000;
    let mut group = c.benchmark_group("w3_streaming_4k");
    group.sample_size(10);
    let p = W3::new();
    let (by_hand, inputs) = (|| texts(N), || w3_inputs(N));
    batched(&mut group, "hand_written_rayon", by_hand, |texts| {
        texts.par_iter().map(|t| digest(t)).collect::<Vec<u64>>()
    });
    batched(&mut group, "parallel_map", inputs, |items| {
        p.with_engine(Parallel::new()).map(items).unwrap()
    });
    batched(&mut group, "streaming_map", inputs, |items| {
        p.with_engine(Streaming::new()).map(items).unwrap()
    });
    group.finish();
}

/// Peak resident memory of this process (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// W1 over generated items, streamed and summed as they come: the peak after 100,000 items
/// and after 10,000,000 (the input is never collected, so the two should be the same).
fn peak_memory() {
    let p = W1::new();
    let items = |n: usize| (0..n).map(|i| W1Inputs { text: text(i) });
    let run = |n: usize| -> (usize, u64) {
        let total = p
            .with_engine(Streaming::new())
            .stream(items(n))
            .unwrap()
            .map(|out| out.unwrap().word_count)
            .sum();
        (total, peak_rss_kib())
    };
    let (_, small) = run(100_000);
    let start = std::time::Instant::now();
    let (total, large) = run(10_000_000);
    println!(
        "streaming peak RSS: {small} KiB after 100,000 items, {large} KiB after 10,000,000 \
         (W1 checksum {total}, {:.1} s)",
        start.elapsed().as_secs_f64()
    );
}

criterion_group!(benches, w1, w3);

fn main() {
    // `cargo bench --bench streaming -- peak_memory` runs only the memory pass.
    if std::env::args().any(|arg| arg == "peak_memory") {
        peak_memory();
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
