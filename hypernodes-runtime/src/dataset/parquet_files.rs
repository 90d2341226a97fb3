//! Parquet files: a file's row groups and schema, a part's record batches with only the
//! columns a run reads, and the writer of part files (zstd pages, bounded row groups).

use std::fs::File;
use std::ops::Range;
use std::path::Path;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::io::{failed, file_for, Batches};
use crate::error::Error;

/// `file`'s row groups as (rows, compressed bytes), and its Arrow schema.
pub(crate) fn layout(file: &Path) -> Result<(Vec<(u64, u64)>, SchemaRef), Error> {
    let builder = open(file)?;
    let row_groups = builder
        .metadata()
        .row_groups()
        .iter()
        .map(|g| (g.num_rows() as u64, g.compressed_size() as u64))
        .collect();
    Ok((row_groups, builder.schema().clone()))
}

/// The record batches of `row_groups` of `file`, `batch_rows` at a time, with `columns` only.
pub(crate) fn read(
    file: &Path,
    row_groups: Range<usize>,
    columns: &[String],
    batch_rows: usize,
) -> Result<Batches, Error> {
    let builder = open(file)?;
    let roots = builder
        .schema()
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| columns.iter().any(|c| c == f.name()))
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let reader = builder
        .with_projection(mask)
        .with_row_groups(row_groups.collect())
        .with_batch_size(batch_rows)
        .build()
        .map_err(|e| failed(file, e))?;
    let file = file.to_owned();
    Ok(Box::new(
        reader.map(move |batch| batch.map_err(|e| failed(&file, e))),
    ))
}

/// A writer of `file` with zstd pages, closing a row group at `rows` rows or `bytes` buffered.
pub(crate) fn writer(
    file: File,
    schema: SchemaRef,
    rows: usize,
    bytes: usize,
) -> Result<ArrowWriter<File>, parquet::errors::ParquetError> {
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(rows))
        .set_max_row_group_bytes(Some(bytes))
        .build();
    ArrowWriter::try_new(file, schema, Some(properties))
}

/// Writes `batches` to one Parquet file at `path` (zstd pages), for inputs of tests, examples
/// and your own tools.
///
/// ```
/// # use std::sync::Arc;
/// # use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, UInt64Array};
/// let dir = tempfile::tempdir().unwrap();
/// let x: ArrayRef = Arc::new(UInt64Array::from(vec![1, 2]));
/// let batch = RecordBatch::try_from_iter([("x", x)]).unwrap();
/// hypernodes::dataset::write_parquet(&dir.path().join("x.parquet"), &[batch])?;
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub fn write_parquet(path: &Path, batches: &[RecordBatch]) -> Result<(), Error> {
    let (file, first) = file_for(path, batches)?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .build();
    let mut writer = ArrowWriter::try_new(file, first.schema(), Some(properties))
        .map_err(|e| failed(path, e))?;
    for batch in batches {
        writer.write(batch).map_err(|e| failed(path, e))?;
    }
    writer.close().map_err(|e| failed(path, e))?;
    Ok(())
}

fn open(file: &Path) -> Result<ParquetRecordBatchReaderBuilder<File>, Error> {
    let handle = File::open(file).map_err(|e| failed(file, e))?;
    ParquetRecordBatchReaderBuilder::try_new(handle).map_err(|e| failed(file, e))
}
