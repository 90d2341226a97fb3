//! The expensive-model pipeline (W2) on a cluster of three processes on this host, two workers
//! each, kept up for two runs: process 0 (this program) starts processes 1 and 2 as copies of
//! itself, every worker builds its own model inside its own process, and the scores come back
//! to process 0 in order. Process 2 crashes partway (at the 300th item it runs): the units it
//! held run again on the others, no item is lost, and the cluster goes on without it.
//!
//! `cargo run --release --example cluster`
//!
//! On several hosts, start the same binary on each with its place in the cluster, e.g.
//! `HYPERNODES_PROCESS=1 HYPERNODES_HOSTS=10.0.0.1:4100,10.0.0.2:4100,10.0.0.3:4100 ./cluster`
//! with the same `HYPERNODES_CLUSTER_SECRET` on each, and use `Cluster::from_env()?` in place
//! of `Cluster::local(3, 2)`.

use std::time::{Duration, Instant};

use hypernodes::{node, pipeline, BoxError, Cluster, Stateful, WorkerContext};

/// A model whose weights take ~200 ms to load; it never leaves the worker that built it.
pub struct Model {
    modulus: u64,
}

impl Stateful for Model {
    fn create(ctx: &WorkerContext) -> Result<Self, BoxError> {
        std::thread::sleep(Duration::from_millis(200));
        // Processes other than 0 print to standard error (the launcher sends their standard
        // output there too), so the results on standard output stay process 0's own. One
        // write per line keeps the processes' lines whole.
        let line = format!(
            "  model built by worker {} of {} in process {} (pid {}, thread {})",
            ctx.worker_index(),
            ctx.workers(),
            std::env::var("HYPERNODES_PROCESS").unwrap_or_else(|_| "0".into()),
            std::process::id(),
            std::thread::current().name().unwrap_or("?"),
        );
        eprintln!("{line}");
        Ok(Model { modulus: 1000 })
    }
}

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    crash_process_2_at_its_300th_item();
    text.trim().to_lowercase()
}

/// A crash, to show what the cluster does with one: process 2 aborts at the 300th item it
/// runs (about half its share of the first run).
fn crash_process_2_at_its_300th_item() {
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let on_process_2 = std::env::var("HYPERNODES_PROCESS").as_deref() == Ok("2");
    if on_process_2 && RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 300 {
        eprintln!("  process 2 (pid {}) crashes", std::process::id());
        std::process::abort();
    }
}

#[node(output = "score", stateful(model))]
fn score(cleaned: &str, model: &Model) -> u64 {
    cleaned.bytes().map(u64::from).sum::<u64>() % model.modulus
}

pipeline! { Scoring = [clean, score] }

fn main() -> Result<(), hypernodes::Error> {
    const ITEMS: usize = 2_000;
    let texts = || {
        (0..ITEMS).map(|i| ScoringInputs {
            text: format!(
                "  Item {i}: The Quick BROWN fox jumps over {} lazy DOGS  ",
                i % 97
            ),
        })
    };
    let scoring = Scoring::new();
    // On processes 1 and 2, `start` serves every run and then ends the process: what follows
    // is process 0's.
    let cluster = Cluster::local(3, 2).serving(&scoring).start()?;
    for run in 1..=2 {
        let start = Instant::now();
        let outs = scoring.with_engine(&cluster).map(texts())?;
        let checksum: u64 = outs.iter().map(|o| o.score).sum();
        println!(
            "run {run}: {ITEMS} items in {:.2?}: checksum {checksum} (W2 reference: 1430040)",
            start.elapsed()
        );
        assert_eq!(checksum, 1_430_040);
    }
    cluster.end();
    Ok(())
}
