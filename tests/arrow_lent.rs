//! `map_batch` on `Sequential`, `Parallel` and `Streaming` lends a batch node taking `&[T]` the record
//! batch's own column (numbers, fixed-size lists of numbers, without nulls) when only batch
//! nodes borrow that input: the node's slice lies inside the column's buffer. Every other case
//! (items apart in a branch arm, a type or a column that cannot be lent, an input a per-item
//! node also reads) gets the same values through the unit's columns.

use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use hypernodes::arrow::arrow_array::cast::AsArray;
use hypernodes::arrow::arrow_array::types::{Float32Type, UInt64Type};
use hypernodes::arrow::arrow_array::{
    Array, ArrayRef, FixedSizeListArray, RecordBatch, StringArray, UInt64Array,
};
use hypernodes::{node, pipeline, Parallel, Sequential, Streaming};

const ROWS: usize = 12;

/// The address ranges of the slices batch nodes were called with, by node.
static SEEN: Mutex<Vec<(&str, Range<usize>)>> = Mutex::new(Vec::new());

fn seen<T>(node: &'static str, values: &[T]) {
    let Range { start, end } = values.as_ptr_range();
    SEEN.lock()
        .unwrap()
        .push((node, start as usize..end as usize));
}

#[node(output = "norm", batch)]
fn norms(embedding: &[[f32; 4]]) -> Vec<f32> {
    seen("norms", embedding);
    embedding.iter().map(|e| e.iter().sum()).collect()
}

#[node(output = "weighted", batch)]
fn weighted(embedding: &[[f32; 4]], count: &[u64], norm: &[f32]) -> Vec<f32> {
    seen("weighted_embedding", embedding);
    seen("weighted_count", count);
    let rows = embedding.iter().zip(count).zip(norm);
    rows.map(|((e, &c), n)| e[0] * c as f32 + n).collect()
}

#[node(output = "letters", batch)]
fn letters(label: &[String]) -> Vec<u64> {
    label.iter().map(|l| l.len() as u64).collect()
}

pipeline! { Lent = [norms, weighted, letters] }

fn embedding(row: usize) -> [f32; 4] {
    [row as f32, 1.0, 2.0, 0.5 * row as f32]
}

/// `ROWS` rows, then sliced by one row, so that lent rows must honour the slice's offset.
fn batch() -> RecordBatch {
    let rows = (0..ROWS + 1).map(|r| Some(embedding(r).map(Some)));
    let list = FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>(rows, 4);
    let count = UInt64Array::from_iter_values((0..ROWS as u64 + 1).map(|r| r * 10));
    let label = StringArray::from_iter_values((0..ROWS + 1).map(|r| "x".repeat(r)));
    let columns: [(&str, ArrayRef); 3] = [
        ("embedding", Arc::new(list)),
        ("count", Arc::new(count)),
        ("label", Arc::new(label)),
    ];
    RecordBatch::try_from_iter(columns).unwrap().slice(1, ROWS)
}

/// The address range of a column's values buffer.
fn buffer(values: &[impl Sized]) -> Range<usize> {
    let Range { start, end } = values.as_ptr_range();
    start as usize..end as usize
}

fn check_outputs(out: &RecordBatch) {
    let norm = out
        .column_by_name("norm")
        .unwrap()
        .as_primitive::<Float32Type>();
    let weighted = out
        .column_by_name("weighted")
        .unwrap()
        .as_primitive::<Float32Type>();
    let letters = out
        .column_by_name("letters")
        .unwrap()
        .as_primitive::<UInt64Type>();
    for row in 0..ROWS {
        let (e, count) = (embedding(row + 1), (row as u64 + 1) * 10);
        let sum: f32 = e.iter().sum();
        assert_eq!(norm.value(row), sum, "row {row}");
        assert_eq!(weighted.value(row), e[0] * count as f32 + sum, "row {row}");
        assert_eq!(letters.value(row), row as u64 + 1, "row {row}");
    }
}

#[test]
fn batch_nodes_borrow_the_columns_of_the_batch_on_every_local_engine() {
    let _one_at_a_time = ENGINES.lock().unwrap_or_else(PoisonError::into_inner);
    let input = batch();
    let list = input
        .column_by_name("embedding")
        .unwrap()
        .as_fixed_size_list();
    let embeddings = buffer(list.values().as_primitive::<Float32Type>().values());
    let counts = buffer(
        input
            .column_by_name("count")
            .unwrap()
            .as_primitive::<UInt64Type>()
            .values(),
    );
    let p = Lent::new();
    for engine in 0..3 {
        let out = match engine {
            0 => p.with_engine(Sequential.batch_size(5)).map_batch(&input),
            1 => p
                .with_engine(Parallel::new().threads(2).batch_size(4))
                .map_batch(&input),
            _ => p
                .with_engine(Streaming::new().batch_size(5))
                .map_batch(&input),
        };
        check_outputs(&out.unwrap());
        let seen = std::mem::take(&mut *SEEN.lock().unwrap());
        assert!(!seen.is_empty());
        for (node, slice) in seen {
            let column = match node {
                "weighted_count" => &counts,
                _ => &embeddings,
            };
            assert!(
                column.start <= slice.start && slice.end <= column.end,
                "{node} was given a copy at {slice:?}, not the column at {column:?}"
            );
        }
    }
}

/// `SEEN` and `THREADS` are shared by the tests of this file that record slices or threads.
static ENGINES: Mutex<()> = Mutex::new(());

#[test]
fn streaming_reads_a_per_item_pipelines_rows_into_items() {
    let _one_at_a_time = ENGINES.lock().unwrap_or_else(PoisonError::into_inner);
    let count: ArrayRef = Arc::new(UInt64Array::from_iter_values(0..50));
    let input = RecordBatch::try_from_iter([("count", count)]).unwrap();
    let out = Twice::new()
        .with_engine(Streaming::new().batch_size(7))
        .map_batch(&input)
        .unwrap();
    let values = out.column(1).as_primitive::<UInt64Type>();
    assert!((0..50).all(|row| values.value(row) == 2 * row as u64));
}

// Items apart: the batch node of an arm gets only the rows that took it, copied from the column.

#[node(output = "kept")]
fn kept(count: u64) -> bool {
    !count.is_multiple_of(30)
}

#[node(output = "sum", batch)]
fn sums(embedding: &[[f32; 4]]) -> Vec<f32> {
    embedding.iter().map(|e| e.iter().sum()).collect()
}

pipeline! { Arm = [kept, if kept { [sums] }] }

#[test]
fn a_batch_node_in_an_arm_gets_the_rows_that_took_it() {
    let input = batch();
    for engine in 0..3 {
        let out = match engine {
            0 => Arm::new()
                .with_engine(Sequential.batch_size(7))
                .map_batch(&input),
            1 => Arm::new()
                .with_engine(Parallel::new().threads(2).batch_size(5))
                .map_batch(&input),
            _ => Arm::new()
                .with_engine(Streaming::new().batch_size(5))
                .map_batch(&input),
        };
        let out = out.unwrap();
        let sum = out
            .column_by_name("sum")
            .unwrap()
            .as_primitive::<Float32Type>();
        for row in 0..ROWS {
            let count = (row as u64 + 1) * 10;
            match count % 30 {
                0 => assert!(sum.is_null(row), "row {row} did not take the arm"),
                _ => assert_eq!(sum.value(row), embedding(row + 1).iter().sum::<f32>()),
            }
        }
    }
}

// An input a per-item node reads too is never lent: its values stay in the unit's columns.

#[node(output = "head")]
fn head(embedding: &[f32; 4]) -> f32 {
    embedding[0]
}

pipeline! { Mixed = [sums, head] }

#[test]
fn an_input_a_per_item_node_reads_keeps_its_values() {
    let input = batch();
    let out = Mixed::new()
        .with_engine(Sequential.batch_size(5))
        .map_batch(&input)
        .unwrap();
    let (sum, head) = (
        out.column_by_name("sum").unwrap(),
        out.column_by_name("head").unwrap(),
    );
    let (sum, head) = (
        sum.as_primitive::<Float32Type>(),
        head.as_primitive::<Float32Type>(),
    );
    for row in 0..ROWS {
        assert_eq!(sum.value(row), embedding(row + 1).iter().sum::<f32>());
        assert_eq!(head.value(row), (row + 1) as f32);
    }
}

// `Parallel` spreads a batch's rows over its workers, whether the pipeline runs item by item
// or in units.

static THREADS: Mutex<Vec<std::thread::ThreadId>> = Mutex::new(Vec::new());

fn on_this_thread() {
    std::thread::sleep(std::time::Duration::from_millis(1));
    THREADS.lock().unwrap().push(std::thread::current().id());
}

#[node(output = "twice")]
fn twice(count: u64) -> u64 {
    on_this_thread();
    2 * count
}

#[node(output = "thrice", batch)]
fn thrice(count: &[u64]) -> Vec<u64> {
    on_this_thread();
    count.iter().map(|c| 3 * c).collect()
}

pipeline! { Twice = [twice] }
pipeline! { Thrice = [thrice] }

#[test]
fn parallel_runs_a_batch_on_every_worker() {
    let _one_at_a_time = ENGINES.lock().unwrap_or_else(PoisonError::into_inner);
    let count: ArrayRef = Arc::new(UInt64Array::from_iter_values(0..400));
    let input = RecordBatch::try_from_iter([("count", count)]).unwrap();
    let engine = Parallel::new().threads(2).batch_size(8);
    for pipeline in 0..2 {
        THREADS.lock().unwrap().clear();
        let out = match pipeline {
            0 => Twice::new()
                .with_engine(engine.clone())
                .map_batch(&input)
                .unwrap(),
            _ => Thrice::new()
                .with_engine(engine.clone())
                .map_batch(&input)
                .unwrap(),
        };
        let values = out.column(1).as_primitive::<UInt64Type>();
        let factor = 2 + pipeline as u64;
        assert!((0..400).all(|row| values.value(row) == factor * row as u64));
        let mut threads = std::mem::take(&mut *THREADS.lock().unwrap());
        threads.sort_unstable_by_key(|id| format!("{id:?}"));
        threads.dedup();
        assert_eq!(threads.len(), 2, "pipeline {pipeline} ran on {threads:?}");
    }
}
