//! Part files written through a temporary name and a rename: a part that is written again
//! (a retried part, a process that took over another's) replaces its file whole, so no row is
//! ever written twice and no reader sees half a file.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::source::failed;
use crate::error::Error;

/// Rows per row group written, unless `row_group_rows` says otherwise.
const DEFAULT_ROW_GROUP_ROWS: usize = 128 * 1024;
/// Buffered bytes at which a row group is closed early, unless `row_group_bytes` says otherwise.
const DEFAULT_ROW_GROUP_BYTES: usize = 16 << 20;
/// Where failed rows go, inside the sink's directory: readers skip names starting with `_`.
const ERRORS_DIR: &str = "_errors";

/// A directory of Parquet part files, one per part of the source:
/// `part-00000.parquet`, `part-00001.parquet`, ... (zstd pages). Rows that failed go to
/// `_errors/part-NNNNN.parquet` as (file, row, node, message) instead of stopping the run.
///
/// ```
/// use hypernodes::dataset::ParquetSink;
/// let sink = ParquetSink::dir("out").row_group_rows(65_536).row_group_bytes(8 << 20);
/// assert_eq!(sink.path().to_str(), Some("out"));
/// ```
#[derive(Clone, Debug)]
pub struct ParquetSink {
    dir: PathBuf,
    row_group_rows: usize,
    row_group_bytes: usize,
}

impl ParquetSink {
    /// Part files in `dir`, created if missing.
    pub fn dir(dir: impl AsRef<Path>) -> Self {
        ParquetSink {
            dir: dir.as_ref().to_owned(),
            row_group_rows: DEFAULT_ROW_GROUP_ROWS,
            row_group_bytes: DEFAULT_ROW_GROUP_BYTES,
        }
    }

    /// Most rows in a row group (default 131,072).
    pub fn row_group_rows(mut self, rows: usize) -> Self {
        self.row_group_rows = rows.max(1);
        self
    }

    /// Encoded bytes a writer buffers before it closes the row group early (default 16 MiB):
    /// what bounds a run's memory on the writing side.
    pub fn row_group_bytes(mut self, bytes: usize) -> Self {
        self.row_group_bytes = bytes.max(1);
        self
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The directory and its errors directory, made if missing.
    pub(crate) fn prepare(&self) -> Result<(), Error> {
        let errors = self.dir.join(ERRORS_DIR);
        std::fs::create_dir_all(&errors).map_err(|e| failed(&errors, e))
    }

    /// A writer for part `index`'s results.
    pub(crate) fn part(&self, index: usize) -> PartFile {
        PartFile::new(self.part_path(index), self.properties())
    }

    /// A writer for part `index`'s failed rows.
    pub(crate) fn errors(&self, index: usize) -> PartFile {
        PartFile::new(self.errors_path(index), self.properties())
    }

    /// Where part `index`'s results go.
    pub(crate) fn part_path(&self, index: usize) -> PathBuf {
        self.dir.join(format!("part-{index:05}.parquet"))
    }

    /// Where part `index`'s failed rows go.
    pub(crate) fn errors_path(&self, index: usize) -> PathBuf {
        self.dir
            .join(ERRORS_DIR)
            .join(format!("part-{index:05}.parquet"))
    }

    fn properties(&self) -> WriterProperties {
        WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(self.row_group_rows))
            .set_max_row_group_bytes(Some(self.row_group_bytes))
            .build()
    }
}

/// One part file being written under a temporary name.
pub(crate) struct PartFile {
    path: PathBuf,
    temporary: PathBuf,
    properties: Option<WriterProperties>,
    writer: Option<ArrowWriter<File>>,
}

impl PartFile {
    fn new(path: PathBuf, properties: WriterProperties) -> Self {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("part");
        let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        PartFile {
            path,
            temporary,
            properties: Some(properties),
            writer: None,
        }
    }

    /// Appends `batch` (the first batch's schema is the file's); the writer closes a row group
    /// at the sink's rows or bytes.
    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<(), Error> {
        if self.writer.is_none() {
            let file = File::create(&self.temporary).map_err(|e| failed(&self.temporary, e))?;
            let writer = ArrowWriter::try_new(file, batch.schema(), self.properties.take())
                .map_err(|e| failed(&self.temporary, e))?;
            self.writer = Some(writer);
        }
        let writer = self.writer.as_mut().expect("made above");
        writer.write(batch).map_err(|e| failed(&self.temporary, e))
    }

    /// Closes the file, syncs it and gives it its name; `None` when nothing was written.
    pub(crate) fn finish(mut self) -> Result<Option<PathBuf>, Error> {
        let Some(writer) = self.writer.take() else {
            return Ok(None);
        };
        let file = writer
            .into_inner()
            .map_err(|e| failed(&self.temporary, e))?;
        file.sync_all().map_err(|e| failed(&self.temporary, e))?;
        std::fs::rename(&self.temporary, &self.path).map_err(|e| failed(&self.path, e))?;
        self.remove_stale_temporaries();
        Ok(Some(self.path.clone()))
    }

    /// Removes what other processes left of this part: a process lost while writing it
    /// left its temporary file, and this part file replaces whatever it would have been.
    fn remove_stale_temporaries(&self) {
        let (Some(dir), Some(name)) = (self.path.parent(), self.path.file_name()) else {
            return;
        };
        let prefix = format!(".{}.", name.to_string_lossy());
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let file = entry.file_name();
            let file = file.to_string_lossy();
            if file.starts_with(&prefix) && file.ends_with(".tmp") {
                // Another process may remove it at the same moment: either way it is gone.
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

impl Drop for PartFile {
    /// A part left unfinished (its run failed) leaves no temporary file behind.
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// Failed rows as a batch: the file, its row number, the node (its path in nested pipelines;
/// empty for an unreadable row) and the message.
pub(crate) fn failures(rows: &[(String, u64, String, String)]) -> RecordBatch {
    let schema = Schema::new(vec![
        Field::new("file", DataType::Utf8, false),
        Field::new("row", DataType::UInt64, false),
        Field::new("node", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, false),
    ]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(
            rows.iter()
                .map(|r| Some(r.0.as_str()))
                .collect::<StringArray>(),
        ),
        Arc::new(rows.iter().map(|r| r.1).collect::<UInt64Array>()),
        Arc::new(
            rows.iter()
                .map(|r| Some(r.2.as_str()))
                .collect::<StringArray>(),
        ),
        Arc::new(
            rows.iter()
                .map(|r| Some(r.3.as_str()))
                .collect::<StringArray>(),
        ),
    ];
    RecordBatch::try_new(Arc::new(schema), columns).expect("four columns of the same rows")
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
    let Some(first) = batches.first() else {
        return Err(Error::dataset(format!(
            "{}: no batch to write",
            path.display()
        )));
    };
    let file = File::create(path).map_err(|e| failed(path, e))?;
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
