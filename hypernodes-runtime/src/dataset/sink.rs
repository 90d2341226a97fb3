//! Part files written through a temporary name and a rename: a part that is written again
//! (a retried part, a process that took over another's) replaces its file whole, so no row is
//! ever written twice and no reader sees half a file.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};

use super::io::failed;
use super::source::Format;
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
#[cfg(feature = "parquet")]
#[derive(Clone, Copy, Debug)]
pub struct ParquetSink;

#[cfg(feature = "parquet")]
impl ParquetSink {
    /// Part files in `dir`, created if missing.
    pub fn dir(dir: impl AsRef<Path>) -> Sink {
        Sink::dir(Format::Parquet, dir)
    }
}

/// A directory of Arrow IPC part files (the Arrow file format, Feather v2), one per part of
/// the source: `part-00000.arrow`, `part-00001.arrow`, ... Rows that failed go to
/// `_errors/part-NNNNN.arrow` as (file, row, node, message) instead of stopping the run.
///
/// ```
/// use hypernodes::dataset::IpcSink;
/// let sink = IpcSink::dir("out").row_group_rows(65_536);
/// assert_eq!(sink.path().to_str(), Some("out"));
/// ```
#[cfg(feature = "ipc")]
#[derive(Clone, Copy, Debug)]
pub struct IpcSink;

#[cfg(feature = "ipc")]
impl IpcSink {
    /// Part files in `dir`, created if missing.
    pub fn dir(dir: impl AsRef<Path>) -> Sink {
        Sink::dir(Format::Ipc, dir)
    }
}

/// A directory of JSON Lines part files, one per part of the source: `part-00000.jsonl`, ...
/// (a null value leaves its key out of its line). Rows that failed go to
/// `_errors/part-NNNNN.jsonl` as (file, row, node, message) instead of stopping the run.
///
/// ```
/// use hypernodes::dataset::JsonlSink;
/// assert_eq!(JsonlSink::dir("out").path().to_str(), Some("out"));
/// ```
#[cfg(feature = "jsonl")]
#[derive(Clone, Copy, Debug)]
pub struct JsonlSink;

#[cfg(feature = "jsonl")]
impl JsonlSink {
    /// Part files in `dir`, created if missing.
    pub fn dir(dir: impl AsRef<Path>) -> Sink {
        Sink::dir(Format::Jsonl, dir)
    }
}

/// A directory of CSV part files with a header line, one per part of the source:
/// `part-00000.csv`, ... (a null is an empty field; list columns have no CSV form and stop
/// the run with an error naming the file). Rows that failed go to `_errors/part-NNNNN.csv` as
/// (file, row, node, message) instead of stopping the run.
///
/// ```
/// use hypernodes::dataset::CsvSink;
/// assert_eq!(CsvSink::dir("out").path().to_str(), Some("out"));
/// ```
#[cfg(feature = "csv")]
#[derive(Clone, Copy, Debug)]
pub struct CsvSink;

#[cfg(feature = "csv")]
impl CsvSink {
    /// Part files in `dir`, created if missing.
    pub fn dir(dir: impl AsRef<Path>) -> Sink {
        Sink::dir(Format::Csv, dir)
    }
}

/// A directory of part files of one format, made by [`ParquetSink`], [`IpcSink`],
/// [`JsonlSink`] or [`CsvSink`]: where `map_dataset` writes, one file per part of its source.
#[derive(Clone, Debug)]
pub struct Sink {
    format: Format,
    dir: PathBuf,
    row_group_rows: usize,
    row_group_bytes: usize,
}

impl Sink {
    fn dir(format: Format, dir: impl AsRef<Path>) -> Self {
        Sink {
            format,
            dir: dir.as_ref().to_owned(),
            row_group_rows: DEFAULT_ROW_GROUP_ROWS,
            row_group_bytes: DEFAULT_ROW_GROUP_BYTES,
        }
    }

    /// Most rows in a row group (Parquet) or record batch (IPC) written (default 131,072).
    pub fn row_group_rows(mut self, rows: usize) -> Self {
        self.row_group_rows = rows.max(1);
        self
    }

    /// Encoded bytes a Parquet writer buffers before it closes the row group early (default
    /// 16 MiB): what bounds a run's memory on the writing side. An IPC writer buffers no row
    /// group: each record batch is written as it comes.
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
        PartFile::new(self.part_path(index), self.clone())
    }

    /// A writer for part `index`'s failed rows.
    pub(crate) fn errors(&self, index: usize) -> PartFile {
        PartFile::new(self.errors_path(index), self.clone())
    }

    /// Where part `index`'s results go.
    pub(crate) fn part_path(&self, index: usize) -> PathBuf {
        self.dir.join(self.file_name(index))
    }

    /// Where part `index`'s failed rows go.
    pub(crate) fn errors_path(&self, index: usize) -> PathBuf {
        self.dir.join(ERRORS_DIR).join(self.file_name(index))
    }

    fn file_name(&self, index: usize) -> String {
        format!("part-{index:05}.{}", self.format.extension())
    }

    /// A writer of `file`, whose batches have `schema`.
    #[cfg_attr(
        not(any(feature = "parquet", feature = "ipc")),
        allow(unused_variables)
    )]
    fn writer(&self, file: File, schema: &arrow_schema::SchemaRef) -> Result<Writer, String> {
        match self.format {
            #[cfg(feature = "parquet")]
            Format::Parquet => super::parquet_files::writer(
                file,
                schema.clone(),
                self.row_group_rows,
                self.row_group_bytes,
            )
            .map(Writer::Parquet)
            .map_err(|e| e.to_string()),
            #[cfg(feature = "ipc")]
            Format::Ipc => super::ipc_files::writer(file, schema)
                .map(Writer::Ipc)
                .map_err(|e| e.to_string()),
            #[cfg(feature = "jsonl")]
            Format::Jsonl => Ok(Writer::Jsonl(super::text_files::jsonl::writer(file))),
            #[cfg(feature = "csv")]
            Format::Csv => Ok(Writer::Csv(super::text_files::csv::writer(file))),
        }
    }
}

/// An open part file of one format. Two live per part being written, so the variants' sizes
/// do not matter.
#[allow(clippy::large_enum_variant)]
enum Writer {
    #[cfg(feature = "parquet")]
    Parquet(parquet::arrow::ArrowWriter<File>),
    #[cfg(feature = "ipc")]
    Ipc(arrow_ipc::writer::FileWriter<std::io::BufWriter<File>>),
    #[cfg(feature = "jsonl")]
    Jsonl(arrow_json::LineDelimitedWriter<std::io::BufWriter<File>>),
    #[cfg(feature = "csv")]
    Csv(arrow_csv::Writer<std::io::BufWriter<File>>),
}

impl Writer {
    /// Appends `batch`, in record batches of at most `rows` rows for IPC (a Parquet writer
    /// closes its row groups itself; text formats have none).
    #[cfg_attr(not(feature = "ipc"), allow(unused_variables))]
    fn write(&mut self, batch: &RecordBatch, rows: usize) -> Result<(), String> {
        match self {
            #[cfg(feature = "parquet")]
            Writer::Parquet(writer) => writer.write(batch).map_err(|e| e.to_string()),
            #[cfg(feature = "ipc")]
            Writer::Ipc(writer) => (0..batch.num_rows())
                .step_by(rows)
                .try_for_each(|start| {
                    let slice = batch.slice(start, rows.min(batch.num_rows() - start));
                    writer.write(&slice)
                })
                .map_err(|e| e.to_string()),
            #[cfg(feature = "jsonl")]
            Writer::Jsonl(writer) => writer.write(batch).map_err(|e| e.to_string()),
            #[cfg(feature = "csv")]
            Writer::Csv(writer) => writer.write(batch).map_err(|e| e.to_string()),
        }
    }

    /// Writes what is buffered and the footer: the file as written, to be synced.
    fn close(self) -> Result<File, String> {
        match self {
            #[cfg(feature = "parquet")]
            Writer::Parquet(writer) => writer.into_inner().map_err(|e| e.to_string()),
            #[cfg(feature = "ipc")]
            Writer::Ipc(mut writer) => {
                writer.finish().map_err(|e| e.to_string())?;
                let buffered = writer.into_inner().map_err(|e| e.to_string())?;
                buffered.into_inner().map_err(|e| e.to_string())
            }
            #[cfg(feature = "jsonl")]
            Writer::Jsonl(mut writer) => {
                writer.finish().map_err(|e| e.to_string())?;
                writer.into_inner().into_inner().map_err(|e| e.to_string())
            }
            #[cfg(feature = "csv")]
            Writer::Csv(writer) => writer.into_inner().into_inner().map_err(|e| e.to_string()),
        }
    }
}

/// One part file being written under a temporary name.
pub(crate) struct PartFile {
    path: PathBuf,
    temporary: PathBuf,
    sink: Sink,
    writer: Option<Writer>,
}

impl PartFile {
    fn new(path: PathBuf, sink: Sink) -> Self {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("part");
        let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        PartFile {
            path,
            temporary,
            sink,
            writer: None,
        }
    }

    /// Appends `batch` (the first batch's schema is the file's); the writer closes a row group
    /// at the sink's rows or bytes.
    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<(), Error> {
        if self.writer.is_none() {
            let file = File::create(&self.temporary).map_err(|e| failed(&self.temporary, e))?;
            let writer = self
                .sink
                .writer(file, &batch.schema())
                .map_err(|e| failed(&self.temporary, e))?;
            self.writer = Some(writer);
        }
        let writer = self.writer.as_mut().expect("made above");
        writer
            .write(batch, self.sink.row_group_rows)
            .map_err(|e| failed(&self.temporary, e))
    }

    /// Closes the file, syncs it and gives it its name; `None` when nothing was written.
    pub(crate) fn finish(mut self) -> Result<Option<PathBuf>, Error> {
        let Some(writer) = self.writer.take() else {
            return Ok(None);
        };
        let file = writer.close().map_err(|e| failed(&self.temporary, e))?;
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
