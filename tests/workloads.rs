//! The reference workloads give the reference checksums (benches/reference/WORKLOADS.md), on both
//! engines, and W2 builds one model per worker.

#[path = "../benches/common/workloads.rs"]
mod workloads;

use hypernodes::{Parallel, Sequential};
use workloads::*;

#[test]
fn w1_word_count_checksum() {
    let outs = W1::new().map(w1_inputs(100_000)).unwrap();
    assert_eq!(outs.iter().map(|o| o.word_count).sum::<usize>(), 1_100_000);
}

#[test]
fn w2_stateful_checksum_and_one_model_per_worker() {
    let outs = W2Stateful::new()
        .with_engine(Parallel::new().threads(2).batch_size(100))
        .map(w2_inputs(2000))
        .unwrap();
    assert_eq!(outs.iter().map(|o| o.score).sum::<u64>(), 1_430_040);
    let plan = W2Stateful::new()
        .with_engine(Parallel::new().threads(2))
        .plan();
    assert_eq!(plan.stateful[0].layout.count(), 2);
}

#[test]
fn w3_digest_checksum_at_1000_items() {
    let outs = W3::new().map(w3_inputs(1000)).unwrap();
    assert_eq!(
        outs.iter().fold(0, |x, o| x ^ o.h),
        8_962_751_889_344_079_231
    );
}

#[test]
fn w4_batch_and_per_item_checksums() {
    let batch = W4Batch::new()
        .with_engine(Sequential)
        .map(w4_batch_inputs(100_000))
        .unwrap();
    assert_eq!(
        batch.iter().map(|o| o.normalized.len()).sum::<usize>(),
        5_478_580
    );
    let item = W4Item::new().map(w4_item_inputs(100_000)).unwrap();
    assert!(batch
        .iter()
        .zip(&item)
        .all(|(b, i)| b.normalized == i.normalized));
}
