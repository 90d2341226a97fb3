//! Arrow conversion of 1,000,000 rows of (String, u64, f32): a pipeline's items read from a
//! record batch and its outputs written to one, against serde_arrow on the same rows, in the
//! same run.
//!
//! `scripts/bench-ratios.sh arrow arrow_convert_1m 5 serde_arrow_write:write_outputs serde_arrow_read:read_inputs`

#[path = "common/measure.rs"]
mod measure;

use criterion::{criterion_group, criterion_main, Criterion};
use hypernodes::arrow::arrow_array::RecordBatch;
use hypernodes::arrow::arrow_schema::FieldRef;
use hypernodes::arrow::{read_inputs, write_outputs};
use hypernodes::{node, pipeline};
use measure::batched;
use serde_arrow::schema::{SchemaLike, TracingOptions};

const N: usize = 1_000_000;

/// Its inputs and its outputs are both (text, id, score): one pipeline for both directions.
#[node(output = ("text_out", "id_out", "score_out"))]
fn echo(text: String, id: u64, score: f32) -> (String, u64, f32) {
    (text, id, score)
}

pipeline! { Echo = [echo] }

#[derive(serde::Serialize, serde::Deserialize)]
struct Item {
    text: String,
    id: u64,
    score: f32,
}

fn text(i: usize) -> String {
    format!("item number {i}")
}

fn outputs() -> Vec<EchoOutputs> {
    (0..N)
        .map(|i| EchoOutputs {
            text_out: text(i),
            id_out: i as u64,
            score_out: i as f32 * 0.5,
        })
        .collect()
}

fn items() -> Vec<Item> {
    (0..N)
        .map(|i| Item {
            text: text(i),
            id: i as u64,
            score: i as f32 * 0.5,
        })
        .collect()
}

fn convert(c: &mut Criterion) {
    let mut group = c.benchmark_group("arrow_convert_1m");
    group.sample_size(10);
    // Utf8 strings on both sides, as `Column` writes them.
    let options = TracingOptions::default().strings_as_large_utf8(false);
    let fields = Vec::<FieldRef>::from_type::<Item>(options).unwrap();
    batched(&mut group, "write_outputs", outputs, write_outputs::<Echo>);
    // The same job on both sides: owned rows in, a batch out, the rows dropped (`write_outputs`
    // takes its outputs by value and frees them as it goes).
    batched(&mut group, "serde_arrow_write", items, |items| {
        let batch = serde_arrow::to_record_batch(&fields, &items).unwrap();
        drop(items);
        batch
    });
    let batch: RecordBatch = serde_arrow::to_record_batch(&fields, &items()).unwrap();
    assert_eq!(
        batch.schema(),
        Echo::input_schema(),
        "both sides read the same layout"
    );
    batched(
        &mut group,
        "read_inputs",
        || &batch,
        |batch| read_inputs::<Echo>(batch).unwrap(),
    );
    batched(
        &mut group,
        "serde_arrow_read",
        || &batch,
        |batch| serde_arrow::from_record_batch::<Vec<Item>>(batch).unwrap(),
    );
    group.finish();
}

criterion_group!(benches, convert);
criterion_main!(benches);
