//! The expensive-model scenario: a model that takes ~200 ms to load, built per call versus
//! built once per worker by the pipeline.
//!
//! `cargo run --release --example stateful_model`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hypernodes::{node, pipeline, BoxError, Sequential, Stateful, WorkerContext};

static BUILDS: AtomicUsize = AtomicUsize::new(0);

/// A model whose weights take ~200 ms to load.
pub struct Model {
    modulus: u64,
}

impl Model {
    fn load() -> Model {
        BUILDS.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(200));
        Model { modulus: 1000 }
    }

    fn score(&self, text: &str) -> u64 {
        text.bytes().map(u64::from).sum::<u64>() % self.modulus
    }
}

impl Stateful for Model {
    fn create(ctx: &WorkerContext) -> Result<Self, BoxError> {
        eprintln!(
            "  building a model for worker {} of {}",
            ctx.worker_index(),
            ctx.workers()
        );
        Ok(Model::load())
    }
}

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

/// Loads the model on every call: what a per-item function does without stateful parameters.
#[node(output = "score")]
fn score_loading_each_time(cleaned: &str) -> u64 {
    Model::load().score(cleaned)
}

/// Gets the model from the pipeline: built once per worker, reused for every item.
#[node(output = "score", stateful(model))]
fn score(cleaned: &str, model: &Model) -> u64 {
    model.score(cleaned)
}

pipeline! { PerCall = [clean, score_loading_each_time] }
pipeline! { Scoring = [clean, score] }

fn texts(n: usize) -> impl Iterator<Item = String> {
    (0..n).map(|i| {
        format!(
            "  Item {i}: The Quick BROWN fox jumps over {} lazy DOGS  ",
            i % 97
        )
    })
}

fn report(label: &str, items: usize, started: Instant, checksum: u64) {
    let builds = BUILDS.swap(0, Ordering::SeqCst);
    let elapsed = started.elapsed();
    println!(
        "{label:<44} {items:>5} items  {builds:>3} model builds  {:>8.3} s  ({:.3} ms/item)  checksum {checksum}",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / items as f64,
    );
}

fn main() -> Result<(), hypernodes::Error> {
    let per_call_items = 20;
    let started = Instant::now();
    let outs = PerCall::new()
        .with_engine(Sequential)
        .map(texts(per_call_items).map(|text| PerCallInputs { text }))?;
    report(
        "model built per call (Sequential)",
        per_call_items,
        started,
        outs.iter().map(|o| o.score).sum(),
    );

    let items = 2000;
    let scoring = Scoring::new();
    let started = Instant::now();
    let outs = scoring
        .with_engine(Sequential)
        .map(texts(items).map(|text| ScoringInputs { text }))?;
    report(
        "stateful model (Sequential)",
        items,
        started,
        outs.iter().map(|o| o.score).sum(),
    );

    let started = Instant::now();
    let outs = scoring.map(texts(items).map(|text| ScoringInputs { text }))?;
    report(
        "stateful model (Parallel, one per worker)",
        items,
        started,
        outs.iter().map(|o| o.score).sum(),
    );

    println!("\n{}", scoring.plan());
    Ok(())
}
