//! Datasets in and out of pipelines (features `parquet`, `ipc`, `jsonl` and `csv`): a run reads a dataset's
//! input columns part by part, runs each record batch on the runner's engine, and writes each
//! part's results to a part file of its own, in bounded memory.
//!
//! ```
//! # #[cfg(feature = "parquet")] {
//! use hypernodes::dataset::{Parquet, ParquetSink};
//! use hypernodes::{node, pipeline, Sequential};
//!
//! #[node(output = "length")]
//! fn measure(text: &str) -> u64 { text.len() as u64 }
//! pipeline! { Measure = [measure] }
//!
//! let dir = tempfile::tempdir().unwrap();
//! let input = dir.path().join("in.parquet");
//! # use std::sync::Arc;
//! # use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, StringArray};
//! # let text: ArrayRef = Arc::new(StringArray::from(vec!["a", "bb", "ccc"]));
//! # let batch = RecordBatch::try_from_iter([("text", text)]).unwrap();
//! # hypernodes::dataset::write_parquet(&input, &[batch]).unwrap();
//! let report = Measure::new()
//!     .with_engine(Sequential)
//!     .map_dataset(Parquet::files([&input]), ParquetSink::dir(dir.path().join("out")))?;
//! assert_eq!((report.rows, report.written, report.failed), (3, 3, 0));
//! assert_eq!(report.files.len(), 1);
//! # }
//! # Ok::<(), hypernodes::Error>(())
//! ```

mod io;
#[cfg(feature = "ipc")]
mod ipc_files;
#[cfg(feature = "parquet")]
mod parquet_files;
mod parts;
mod run;
mod sink;
mod source;
#[cfg(any(feature = "jsonl", feature = "csv"))]
mod text_files;

/// The `arrow-csv` crate this module reads and writes CSV files with.
#[cfg(feature = "csv")]
pub use arrow_csv;
/// The `arrow-ipc` crate this module reads and writes IPC files with.
#[cfg(feature = "ipc")]
pub use arrow_ipc;
/// The `arrow-json` crate this module reads and writes JSON Lines files with.
#[cfg(feature = "jsonl")]
pub use arrow_json;
#[cfg(feature = "ipc")]
pub use ipc_files::write_ipc;
/// The `parquet` crate this module reads and writes with, so that its version always matches.
#[cfg(feature = "parquet")]
pub use parquet;
#[cfg(feature = "parquet")]
pub use parquet_files::write_parquet;
#[cfg(feature = "cluster")]
pub(crate) use parts::assign;
pub use parts::Part;
#[cfg(feature = "cluster")]
pub(crate) use run::Prepared;
pub use run::{DatasetReport, Datasets, Gathered, RunsDatasets};
#[cfg(feature = "csv")]
pub use sink::CsvSink;
#[cfg(feature = "ipc")]
pub use sink::IpcSink;
#[cfg(feature = "jsonl")]
pub use sink::JsonlSink;
#[cfg(feature = "parquet")]
pub use sink::ParquetSink;
pub use sink::Sink;
#[cfg(feature = "csv")]
pub use source::Csv;
#[cfg(feature = "ipc")]
pub use source::Ipc;
#[cfg(feature = "jsonl")]
pub use source::Jsonl;
#[cfg(feature = "parquet")]
pub use source::Parquet;
pub use source::Source;
