//! An endless generated stream through a pipeline on the streaming engine: items are pulled
//! only as results are taken, so memory stays flat however long it runs. A slow stage of its
//! own (`max_concurrency = 1`) sets the pace; progress is drawn on a terminal.
//!
//! `cargo run --release --example streaming [items]` (default 2,000,000)

use std::sync::Arc;

use hypernodes::hooks::Progress;
use hypernodes::{node, pipeline, Streaming};

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "tokens")]
fn tokenize(cleaned: &str) -> Vec<String> {
    cleaned.split_whitespace().map(str::to_owned).collect()
}

/// One worker, a stage of its own: the pipeline's bottleneck.
#[node(output = "longest", config(max_concurrency = 1))]
fn longest(tokens: &[String]) -> usize {
    tokens.iter().map(String::len).max().unwrap_or(0)
}

pipeline! { Words = [clean, tokenize, longest] }

/// Peak resident memory of this process, in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn main() -> Result<(), hypernodes::Error> {
    let items: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000_000);
    // Never ends on its own: the stream is cut with `take`.
    let endless = (0..).map(|i: u64| WordsInputs {
        text: format!(
            "  Item {i}: The Quick BROWN fox jumps over {} lazy DOGS  ",
            i % 97
        ),
    });
    let progress = Arc::new(Progress::new());
    let words = Words::new();
    let runner = words
        .with_engine(Streaming::new().batch_size(256))
        .with_hooks(Arc::clone(&progress));
    let start = std::time::Instant::now();
    let mut total = 0;
    for (taken, out) in runner.stream(endless)?.take(items).enumerate() {
        total += out?.longest;
        if (taken + 1) % (items / 4).max(1) == 0 {
            println!(
                "{:>10} items, peak RSS {:.1} MiB",
                taken + 1,
                peak_rss_mib()
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{items} items in {secs:.2} s ({:.0} items/s), sum of longest words {total}, peak RSS {:.1} MiB",
        items as f64 / secs,
        peak_rss_mib()
    );
    Ok(())
}
