//! A Parquet dataset through a pipeline with a stateful model: an input file generated on the
//! fly, `map_dataset` on `Streaming`, Parquet part files out, the report and the peak memory
//! printed.
//!
//! `cargo run --release --example dataset [ROWS]`      (default 1,000,000 rows)

use std::sync::Arc;
use std::time::Instant;

use hypernodes::arrow::arrow_array::types::Float32Type;
use hypernodes::arrow::arrow_array::{
    ArrayRef, FixedSizeListArray, RecordBatch, StringArray, UInt64Array,
};
use hypernodes::dataset::parquet::arrow::ArrowWriter;
use hypernodes::dataset::parquet::file::properties::WriterProperties;
use hypernodes::dataset::{Parquet, ParquetSink};
use hypernodes::{node, pipeline, BoxError, Stateful, Streaming, WorkerContext};

/// A linear model over 4-dimensional embeddings, "loaded" once per worker.
pub struct Model {
    weights: [f32; 4],
}

impl Stateful for Model {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Model {
            weights: [0.5, -0.25, 1.0, 0.125],
        })
    }
}

#[node(output = "score", stateful(model))]
fn score(embedding: &[f32; 4], model: &Model) -> f32 {
    embedding
        .iter()
        .zip(model.weights)
        .map(|(x, w)| x * w)
        .sum()
}

/// Rows without a title fail on purpose: they land in the error files, the rest go on.
#[node(output = "label")]
fn label(title: Option<String>, score: f32) -> Result<String, String> {
    let title = title.ok_or("no title")?;
    Ok(format!(
        "{title}: {}",
        if score > 1.0 { "high" } else { "low" }
    ))
}

pipeline! { Labels = [score, label] }

/// `rows` rows in batches of 64 K, written as they are made: id, title (missing on every
/// 1000th row) and embedding.
fn generate(path: &std::path::Path, rows: u64) -> Result<(), Box<dyn std::error::Error>> {
    let mut writer: Option<ArrowWriter<std::fs::File>> = None;
    for start in (0..rows).step_by(65_536) {
        let ids: Vec<u64> = (start..rows.min(start + 65_536)).collect();
        let titles: StringArray = ids
            .iter()
            .map(|i| (i % 1000 != 999).then(|| format!("item {i}")))
            .collect();
        let embedding = FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>(
            ids.iter()
                .map(|&i| Some((0..4).map(move |k| Some(((i + k) % 7) as f32 * 0.5)))),
            4,
        );
        let columns: [(&str, ArrayRef); 3] = [
            ("id", Arc::new(UInt64Array::from(ids))),
            ("title", Arc::new(titles)),
            ("embedding", Arc::new(embedding)),
        ];
        let batch = RecordBatch::try_from_iter(columns)?;
        let file = || std::fs::File::create(path);
        let writer = match &mut writer {
            Some(writer) => writer,
            None => writer.insert(ArrowWriter::try_new(
                file()?,
                batch.schema(),
                Some(groups()),
            )?),
        };
        writer.write(&batch)?;
    }
    writer.expect("one batch at least").close()?;
    Ok(())
}

/// Row groups of 256 K rows, so that generating a large input holds little.
fn groups() -> WriterProperties {
    WriterProperties::builder()
        .set_max_row_group_row_count(Some(256 * 1024))
        .build()
}

/// The process's peak resident memory (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: u64 = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("hypernodes-dataset-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let input = dir.join("items.parquet");
    let started = Instant::now();
    generate(&input, rows)?;
    println!(
        "wrote {rows} rows to {} in {:.2?}",
        input.display(),
        started.elapsed()
    );

    let started = Instant::now();
    let report = Labels::new().with_engine(Streaming::new()).map_dataset(
        Parquet::files([&input]).carry(["id"]),
        ParquetSink::dir(dir.join("labels")),
    )?;
    println!("{report} in {:.2?}", started.elapsed());
    if let Some(first) = report.files.first() {
        println!("first part file: {}", first.display());
    }
    if let Some(peak) = peak_rss_mib() {
        println!("peak resident memory: {peak:.1} MiB");
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
