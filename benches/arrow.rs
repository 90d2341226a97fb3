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
        "hand_read",
        || &batch,
        |batch| {
            use hypernodes::arrow::arrow_array::cast::AsArray;
            use hypernodes::arrow::arrow_array::types::{Float32Type, UInt64Type};
            let text = batch.column(0).as_string::<i32>();
            let id = batch.column(1).as_primitive::<UInt64Type>().values();
            let score = batch.column(2).as_primitive::<Float32Type>().values();
            (0..batch.num_rows())
                .map(|i| EchoInputs {
                    text: text.value(i).to_owned(),
                    id: id[i],
                    score: score[i],
                })
                .collect::<Vec<_>>()
        },
    );
    batched(
        &mut group,
        "serde_arrow_read",
        || &batch,
        |batch| serde_arrow::from_record_batch::<Vec<Item>>(batch).unwrap(),
    );
    group.finish();
}

const DIM: usize = 384;
const ROWS: usize = 20_000;

/// A batch node over embeddings: what a model's forward pass would take.
#[node(output = "norm", batch)]
fn norms(embedding: &[[f32; DIM]]) -> Vec<f32> {
    norms_of(embedding)
}

fn norms_of(rows: &[[f32; DIM]]) -> Vec<f32> {
    rows.iter()
        .map(|row| row.iter().map(|x| x * x).sum::<f32>().sqrt())
        .collect()
}

pipeline! { Norms = [norms] }

/// A batch node fed from Arrow: `map_batch` on `Sequential` (the node borrows the batch's
/// column, lent to it by the unit) against the node's function called on the Arrow buffer
/// itself, viewed as `&[[f32; DIM]]`, and the output column added by hand.
fn embeddings(c: &mut Criterion) {
    use hypernodes::arrow::arrow_array::cast::AsArray;
    use hypernodes::arrow::arrow_array::types::Float32Type;
    use hypernodes::arrow::arrow_array::{Array, ArrayRef, FixedSizeListArray, Float32Array};
    use hypernodes::Sequential;
    let rows = (0..ROWS).map(|i| Some((0..DIM).map(move |k| Some(((i + k) % 13) as f32))));
    let column = FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>(rows, DIM as i32);
    let column: ArrayRef = std::sync::Arc::new(column);
    let batch = RecordBatch::try_from_iter([("embedding", column)]).unwrap();
    let mut group = c.benchmark_group("arrow_embeddings_20k_x_384");
    group.sample_size(20);
    let p = Norms::new();
    batched(
        &mut group,
        "map_batch",
        || &batch,
        |batch| p.with_engine(Sequential).map_batch(batch).unwrap(),
    );
    batched(
        &mut group,
        "borrowed_buffer",
        || &batch,
        |batch| {
            let list = batch.column(0).as_fixed_size_list();
            let values = list.values().as_primitive::<Float32Type>().values();
            let (rows, rest) = values.as_chunks::<DIM>();
            assert!(rest.is_empty() && list.null_count() == 0);
            let norm: ArrayRef = std::sync::Arc::new(Float32Array::from(norms_of(rows)));
            let mut columns = batch.columns().to_vec();
            columns.push(norm);
            let mut fields: Vec<_> = batch.schema().fields().iter().cloned().collect();
            fields.extend(Norms::output_schema().fields().iter().cloned());
            let schema = hypernodes::arrow::arrow_schema::Schema::new(fields);
            RecordBatch::try_new(std::sync::Arc::new(schema), columns).unwrap()
        },
    );
    group.finish();
}

criterion_group!(benches, convert, embeddings);
criterion_main!(benches);
