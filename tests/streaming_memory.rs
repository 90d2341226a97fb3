//! Peak memory of a stream does not grow with the number of items: a test binary of its own,
//! so no other test's allocations raise the process's peak.

use hypernodes::{node, pipeline, Streaming};

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "words")]
fn words(cleaned: &str) -> usize {
    cleaned.split_whitespace().count()
}

pipeline! { Words = [clean, words] }

/// Peak resident memory of this process (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

fn stream(p: &Words, n: usize) -> usize {
    let items = (0..n).map(|i| WordsInputs {
        text: format!(
            "  Item {i}: The Quick BROWN fox jumps over {} lazy DOGS  ",
            i % 97
        ),
    });
    p.with_engine(Streaming::new().threads(2).batch_size(256))
        .stream(items)
        .unwrap()
        .map(|out| out.unwrap().words)
        .sum()
}

#[test]
fn peak_memory_stays_flat_from_fifty_thousand_to_ten_million_items() {
    let p = Words::new();
    assert_eq!(stream(&p, 50_000), 11 * 50_000);
    let small = peak_rss_kib();
    assert_eq!(stream(&p, 10_000_000), 11 * 10_000_000);
    let large = peak_rss_kib();
    println!("peak RSS: {small} KiB after 50,000 items, {large} KiB after 10,000,000");
    // Ten million collected inputs alone would be ~800 MiB; allow a little allocator drift.
    assert!(
        large < small + 4 * 1024,
        "peak grew from {small} to {large} KiB"
    );
}
