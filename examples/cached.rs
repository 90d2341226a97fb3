//! A pipeline run twice over the same data with a cache on disk: the second run is served from
//! the cache (hits, no node called) and is faster. Run the example again and even the first pass
//! hits: the cache outlives the process. `summarize` is marked `cache = false` and always runs.
//!
//! `cargo run --release --example cached`

use std::time::Instant;

use hypernodes::cache::DiskCache;
use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

/// Expensive on purpose: a stand-in for a model call.
#[node(output = "fingerprint")]
pub fn fingerprint(cleaned: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..3_000 {
        for &b in h.to_le_bytes().iter().chain(cleaned.as_bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[node(output = "summary", cache = false)]
pub fn summarize(cleaned: &str, fingerprint: u64) -> String {
    format!("{cleaned:.12}… {fingerprint:016x}")
}

pipeline! {
    /// Fingerprints texts; `clean` and `fingerprint` are cached.
    pub Fingerprints = [clean, fingerprint, summarize]
}

fn texts() -> Vec<FingerprintsInputs> {
    (0..5_000)
        .map(|i| FingerprintsInputs {
            text: format!(
                "  Document number {i} about {} ",
                ["rust", "caches", "pipelines"][i % 3]
            ),
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join("hypernodes-cached-example");
    println!("cache: {}", dir.display());
    for pass in 1..=2 {
        // A new pipeline value and cache handle each pass, as a new process would have.
        let pipeline = Fingerprints::new().with_cache(DiskCache::open(&dir)?);
        let start = Instant::now();
        let outs = pipeline.map(texts())?;
        let elapsed = start.elapsed();
        let stats = pipeline.cache().map(DiskCache::stats).unwrap_or_default();
        println!(
            "pass {pass}: {} items in {:>7.1} ms, cache hits {}, misses {}, writes {}  (e.g. {})",
            outs.len(),
            elapsed.as_secs_f64() * 1e3,
            stats.hits,
            stats.misses,
            stats.writes,
            outs[42].summary
        );
    }
    Ok(())
}
