//! `map_batch` reads each row into its item as the engine pulls it: a batch whose items would
//! take 100 MB runs without them all being in memory at once. Alone in its file, since it
//! measures the process's peak resident memory (Linux).

use std::sync::Arc;

use hypernodes::arrow::arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use hypernodes::{node, pipeline, Sequential};

const ROWS: usize = 20_000;
const TEXT_BYTES: usize = 5_000;

#[node(output = "size")]
fn size(text: &str) -> u64 {
    text.len() as u64
}

pipeline! { Size = [size] }

/// A `/proc/self/status` field in bytes.
fn status_bytes(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"));
    let kib: usize = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a size in kB");
    kib * 1024
}

#[test]
fn a_batch_runs_without_all_its_items_in_memory_at_once() {
    let text = "x".repeat(TEXT_BYTES);
    let column: ArrayRef = Arc::new(StringArray::from(vec![text.as_str(); ROWS]));
    let batch = RecordBatch::try_from_iter([("text", column)]).unwrap();
    let items_bytes = ROWS * TEXT_BYTES;
    // Writing 5 resets the peak resident size to the current one.
    std::fs::write("/proc/self/clear_refs", "5").expect("peak RSS can be reset");
    let before = status_bytes("VmRSS:");

    let out = Size::new()
        .with_engine(Sequential)
        .map_batch(&batch)
        .unwrap();

    let growth = status_bytes("VmHWM:").saturating_sub(before);
    assert_eq!(out.column(1).len(), ROWS);
    assert!(
        growth < items_bytes / 4,
        "peak memory grew by {growth} bytes while running a batch whose items take \
         {items_bytes}: the items were gathered before running"
    );
}
