//! W1 over a Parquet file of 200,000 texts, Parquet out: `map_dataset` against the same job
//! written by hand with arrow-rs and parquet (read the text column batch by batch, run W1 on
//! each row, write the text and the word count with the same writer settings), in the same run.
//!
//! `scripts/bench-ratios.sh dataset dataset_w1_200k 5 sequential_map_dataset:hand_written_loop parallel_map_dataset:hand_written_rayon`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use hypernodes::arrow::arrow_array::cast::AsArray;
use hypernodes::arrow::arrow_array::{Array, ArrayRef, RecordBatch, StringArray, UInt64Array};
use hypernodes::arrow::arrow_schema::{DataType, Field, Schema};
use hypernodes::dataset::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use hypernodes::dataset::parquet::arrow::ArrowWriter;
use hypernodes::dataset::parquet::basic::{Compression, ZstdLevel};
use hypernodes::dataset::parquet::file::properties::WriterProperties;
use hypernodes::dataset::{write_parquet, Parquet, ParquetSink};
use hypernodes::{Parallel, Sequential};
use measure::batched;
use rayon::prelude::*;
use workloads::*;

const N: usize = 200_000;

/// What `ParquetSink` writes with by default: zstd pages, row groups of 128 K rows or 16 MiB.
fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(128 * 1024))
        .set_max_row_group_bytes(Some(16 << 20))
        .build()
}

/// The job by hand: `count` gives each batch's word counts from its texts.
fn by_hand(input: &Path, output: &Path, count: impl Fn(&StringArray) -> Vec<u64>) -> u64 {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(input).unwrap())
        .unwrap()
        .with_batch_size(8192)
        .build()
        .unwrap();
    let schema = Arc::new(Schema::new(vec![
        Field::new("text", DataType::Utf8, false),
        Field::new("word_count", DataType::UInt64, false),
    ]));
    let file = File::create(output).unwrap();
    let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(properties())).unwrap();
    let mut rows = 0;
    for batch in reader {
        let batch = batch.unwrap();
        let texts = batch.column(0).clone();
        let counts: ArrayRef = Arc::new(UInt64Array::from(count(texts.as_string::<i32>())));
        rows += batch.num_rows() as u64;
        writer
            .write(&RecordBatch::try_new(schema.clone(), vec![texts, counts]).unwrap())
            .unwrap();
    }
    writer.close().unwrap();
    rows
}

fn loop_counts(texts: &StringArray) -> Vec<u64> {
    texts
        .iter()
        .map(|t| w1_by_hand(t.unwrap().to_owned()) as u64)
        .collect()
}

fn rayon_counts(texts: &StringArray) -> Vec<u64> {
    (0..texts.len())
        .into_par_iter()
        .map(|i| w1_by_hand(texts.value(i).to_owned()) as u64)
        .collect()
}

fn dataset(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("texts.parquet");
    let column: ArrayRef = Arc::new(StringArray::from(texts(N)));
    write_parquet(
        &input,
        &[RecordBatch::try_from_iter([("text", column)]).unwrap()],
    )
    .unwrap();
    let out = |name: &str| -> PathBuf { dir.path().join(name) };
    let p = W1::new();

    let mut group = c.benchmark_group("dataset_w1_200k");
    group.sample_size(10);
    let hand = out("hand.parquet");
    batched(
        &mut group,
        "hand_written_loop",
        || (),
        |()| by_hand(&input, &hand, loop_counts),
    );
    batched(
        &mut group,
        "sequential_map_dataset",
        || (),
        |()| {
            let source = Parquet::files([&input]).carry(["text"]);
            p.with_engine(Sequential)
                .map_dataset(source, ParquetSink::dir(out("seq")))
                .unwrap()
        },
    );
    batched(
        &mut group,
        "hand_written_rayon",
        || (),
        |()| by_hand(&input, &hand, rayon_counts),
    );
    batched(
        &mut group,
        "parallel_map_dataset",
        || (),
        |()| {
            let source = Parquet::files([&input]).carry(["text"]);
            p.with_engine(Parallel::new())
                .map_dataset(source, ParquetSink::dir(out("par")))
                .unwrap()
        },
    );
    group.finish();
}

criterion_group!(benches, dataset);
criterion_main!(benches);
