//! A retrieval-style pipeline built from a nested one: documents are split into chunks, an
//! inner pipeline scores every chunk (`map_over`, renamed inputs and outputs), the best chunks
//! make a report. Chunk size and how many chunks to keep are bound inputs; the inner pipeline's
//! term weights are a stateful resource built once per worker. Progress bars show on a
//! terminal; the graph is written as an SVG file.
//!
//! `cargo run --release --example nested`

use std::collections::HashMap;

use hypernodes::hooks::Progress;
use hypernodes::{node, pipeline, BoxError, Stateful, WorkerContext};

/// Term weights: rarer words weigh more. Built once per worker (it stands for a model).
pub struct Weights(HashMap<&'static str, f64>);

impl Stateful for Weights {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        let mut counts: HashMap<&'static str, f64> = HashMap::new();
        for (i, word) in WORDS.iter().enumerate() {
            *counts.entry(word).or_default() += 1.0 + (i % 7) as f64;
        }
        Ok(Weights(
            counts
                .into_iter()
                .map(|(word, count)| (word, 1.0 / count))
                .collect(),
        ))
    }
}

// The inner pipeline: one chunk in, one score out.

#[node(output = "terms")]
pub fn terms(chunk: &str) -> Vec<String> {
    chunk.split_whitespace().map(str::to_lowercase).collect()
}

#[node(output = "score", stateful(weights))]
pub fn score(terms: &[String], query: &str, weights: &Weights) -> f64 {
    let query: Vec<&str> = query.split_whitespace().collect();
    terms
        .iter()
        .filter(|term| query.contains(&term.as_str()))
        .map(|term| weights.0.get(term.as_str()).copied().unwrap_or(1.0))
        .sum()
}

pipeline! {
    /// Scores one chunk of text against a query.
    pub ChunkScore = [terms, score]
}

// The outer pipeline: one document in, one report out.

#[node(output = "chunks")]
pub fn split(document: &str, chunk_words: usize) -> Vec<String> {
    let words: Vec<&str> = document.split_whitespace().collect();
    words.chunks(chunk_words).map(|c| c.join(" ")).collect()
}

#[node(output = "best")]
pub fn best(chunks: &[String], scores: &[f64], top_k: usize) -> Vec<(f64, String)> {
    let mut ranked: Vec<(f64, String)> =
        scores.iter().copied().zip(chunks.iter().cloned()).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.truncate(top_k);
    ranked
}

#[node(output = "report")]
pub fn report(title: &str, best: &[(f64, String)]) -> String {
    let lines: Vec<String> = best
        .iter()
        .map(|(score, chunk)| format!("  {score:6.3}  {chunk}"))
        .collect();
    format!("{title}\n{}", lines.join("\n"))
}

pipeline! {
    /// Splits a document, scores each chunk with `ChunkScore`, reports the best chunks.
    #[bind(chunk_words = 8, top_k = 2)]
    pub Retrieval = [
        split,
        ChunkScore(inputs(chunk = chunks), outputs(score = scores), map_over(chunks)),
        best,
        report,
    ]
}

const WORDS: [&str; 24] = [
    "rust", "pipeline", "node", "graph", "item", "worker", "model", "batch", "cache", "stream",
    "cluster", "error", "retry", "thread", "queue", "vector", "score", "query", "chunk", "token",
    "compile", "macro", "type", "trait",
];

/// Built-in documents: deterministic pseudo-random words.
fn documents(count: usize) -> Vec<RetrievalInputs> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|i| {
            let words: Vec<&str> = (0..64).map(|_| WORDS[(next() % 24) as usize]).collect();
            RetrievalInputs {
                title: format!("document {i}"),
                document: words.join(" "),
                query: "macro graph compile".into(),
            }
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pipeline = Retrieval::builder().top_k(3).build();
    println!("{}", pipeline.plan());

    let progress = Progress::new();
    let reports = pipeline.with_hooks(&progress).map(documents(20_000))?;
    for out in reports.iter().take(2) {
        println!("{}\n", out.report);
    }
    let chunks: usize = reports.iter().map(|out| out.chunks.len()).sum();
    println!("{} documents, {chunks} chunks scored", reports.len());

    let path = std::env::temp_dir().join("retrieval.svg");
    Retrieval::INFO.picture().depth(1).write_svg(&path)?;
    println!("graph written to {}", path.display());
    println!("\n{}", Retrieval::INFO.picture().depth(1).mermaid());
    Ok(())
}
