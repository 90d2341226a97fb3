//! `map_dataset`: a source's parts read, run and written one record batch at a time.

use std::fmt;
use std::path::{Path, PathBuf};

use arrow_array::{BooleanArray, RecordBatch};
use arrow_schema::{Schema, SchemaRef};
use arrow_select::filter::filter_record_batch;

use super::io::failed as failed_on;
use super::parts::Part;
use super::sink::{failures, Sink};
use super::source::{Listing, Source};
use crate::arrow::{beside, checked_inputs, read_inputs_each, write_outputs, Row, RunsBatches};
use crate::collect::KeepAll;
use crate::engine::{Engine, Executes, Parallel};
use crate::error::{Error, ErrorKind};
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;
use crate::plan::Plan;
use crate::runner::Runner;

/// What a dataset run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DatasetReport {
    /// Parts run.
    pub parts: usize,
    /// Rows read.
    pub rows: u64,
    /// Rows written to part files.
    pub written: u64,
    /// Rows that failed (unreadable, or a node failed on them), written to the error files.
    pub failed: u64,
    /// The part files written, in part order.
    pub files: Vec<PathBuf>,
    /// The error files written, in part order.
    pub error_files: Vec<PathBuf>,
}

impl fmt::Display for DatasetReport {
    /// `1000 rows in 2 parts: 998 written to 2 files, 2 failed (in 1 error file)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} rows in {} parts: {} written to {} files, {} failed (in {} error files)",
            self.rows,
            self.parts,
            self.written,
            self.files.len(),
            self.failed,
            self.error_files.len()
        )
    }
}

impl DatasetReport {
    /// Adds another report's counts and files (another process's parts, say).
    pub fn merge(&mut self, other: DatasetReport) {
        self.parts += other.parts;
        self.rows += other.rows;
        self.written += other.written;
        self.failed += other.failed;
        self.files.extend(other.files);
        self.error_files.extend(other.error_files);
    }
}

impl<P: Pipeline, E: Engine, H: Hooks> Runner<'_, P, E, H> {
    /// Runs every row of `source` and writes the results to `sink`: each part of the source
    /// (a run of row groups or record batches of one file) becomes one part file holding the rows that
    /// succeeded, with the columns read (the inputs and any carried ones) beside the outputs.
    /// Rows that fail (a null where the input is not an `Option`, or a node's error or panic)
    /// go to the sink's error files instead of stopping the run.
    ///
    /// Only the input columns are read, one record batch at a time, whatever the engine: memory
    /// holds a batch, its results and the writer's open row group. Every file's columns are
    /// checked before any item runs; a missing or mistyped column, or a file that cannot be
    /// read or written, stops the run with an error naming it.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// use hypernodes::dataset::{write_parquet, Parquet, ParquetSink};
    /// use hypernodes::{node, pipeline, Parallel};
    ///
    /// #[node(output = "number")]
    /// fn parse(text: &str) -> Result<u64, std::num::ParseIntError> { text.parse() }
    /// pipeline! { Parse = [parse] }
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let input = dir.path().join("texts.parquet");
    /// let texts: ArrayRef = Arc::new(StringArray::from(vec!["1", "two", "3"]));
    /// write_parquet(&input, &[RecordBatch::try_from_iter([("text", texts)]).unwrap()])?;
    ///
    /// let report = Parse::new()
    ///     .with_engine(Parallel::new())
    ///     .map_dataset(Parquet::files([&input]), ParquetSink::dir(dir.path().join("out")))?;
    /// assert_eq!((report.written, report.failed), (2, 1));
    /// assert!(report.error_files[0].ends_with("_errors/part-00000.parquet"));
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    ///
    /// On a [`Cluster`](crate::Cluster), every process lists the same parts and takes its
    /// share, balanced by bytes; it reads its own parts and writes their part files, and only
    /// counts reach process 0. A process lost mid-run has its share run again by another:
    /// part files are replaced whole, so no row is lost or written twice.
    pub fn map_dataset(&self, source: Source, sink: Sink) -> Result<DatasetReport, Error>
    where
        P::InputFields: Row,
        P::OutputFields: Row,
        E: RunsDatasets<P, H>,
    {
        E::run_dataset(self, source, sink)
    }

    /// `parts` of a prepared dataset, here, as one run: stateful resources are built once,
    /// the plan checked once, and the hooks told of one map over their rows.
    pub(crate) fn run_parts(
        &self,
        dataset: &Prepared,
        sink: &Sink,
        parts: &[usize],
    ) -> Result<DatasetReport, Error>
    where
        P::InputFields: Row,
        P::OutputFields: Row,
        E: RunsBatches<P, KeepAll<P::Outputs>> + Executes<P, Gathered<P>, KeepAll<P::Outputs>>,
    {
        let plan = self.plan();
        Self::ready(&plan)?;
        sink.prepare()?;
        let shared = self.shared(&plan);
        let parts: Vec<&Part> = parts.iter().map(|&i| &dataset.listing.parts[i]).collect();
        let clock = self.map_start(Some(parts.iter().map(|part| part.rows as usize).sum()));
        let run = PartRun {
            source: &dataset.source,
            listing: &dataset.listing,
            sink,
            columns: &dataset.columns,
            plan: &plan,
        };
        let mut report = DatasetReport::default();
        let mut outcome = Ok(());
        for part in parts {
            match self.map_part(&run, &shared, part) {
                Ok(done) => report.merge(done),
                Err(error) => {
                    outcome = Err(error);
                    break;
                }
            }
        }
        self.map_end(report.rows as usize, report.failed as usize, clock);
        outcome.map(|()| report)
    }

    /// One part: its batches run, its rows written to its part file and error file.
    fn map_part(
        &self,
        run: &PartRun<'_>,
        shared: &P::Shared,
        part: &Part,
    ) -> Result<DatasetReport, Error>
    where
        P::InputFields: Row,
        P::OutputFields: Row,
        E: RunsBatches<P, KeepAll<P::Outputs>> + Executes<P, Gathered<P>, KeepAll<P::Outputs>>,
    {
        let (mut out, mut errors) = (run.sink.part(part.index), run.sink.errors(part.index));
        let mut report = DatasetReport {
            parts: 1,
            ..DatasetReport::default()
        };
        let mut next_row = part.first_row;
        let file_name = part.file.display().to_string();
        let listed = run.listing.listed(&part.file);
        for batch in run.source.read(part, listed, run.columns)? {
            let batch = batch?;
            // Every row readable (the usual batch): the engine runs the batch's rows as
            // `map_batch` does. Otherwise the readable rows are gathered and the others are
            // failures.
            let (results, positions, mut failed) = match checked_inputs::<P>(&batch) {
                Ok(columns) => {
                    let (unit, rows) = (run.plan.unit_items(), batch.num_rows());
                    let results = RunsBatches::<P, KeepAll<P::Outputs>>::run_rows(
                        self.engine(),
                        self.pipeline(),
                        shared,
                        self.hooks(),
                        unit,
                        &columns,
                        rows,
                    );
                    (results, None, Vec::new())
                }
                Err(_) => {
                    let Split {
                        items,
                        positions,
                        failed,
                    } = split::<P>(&batch)?;
                    let items = items.into_iter();
                    let results =
                        self.execute_shared::<KeepAll<P::Outputs>, _>(run.plan, shared, items);
                    (results, positions, failed)
                }
            };
            let (kept, keep) =
                sort_out(results, positions.as_deref(), &mut failed, batch.num_rows());
            let kept_inputs = filter_record_batch(&batch, &BooleanArray::from(keep))
                .map_err(|e| failed_on(&part.file, e))?;
            report.rows += batch.num_rows() as u64;
            report.written += kept.len() as u64;
            report.failed += failed.len() as u64;
            out.write(&beside(&kept_inputs, write_outputs::<P>(kept)))?;
            if !failed.is_empty() {
                errors.write(&failures(&error_rows(&file_name, next_row, failed)))?;
            }
            next_row += batch.num_rows() as u64;
        }
        report.files.extend(out.finish()?);
        report.error_files.extend(errors.finish()?);
        Ok(report)
    }
}

/// The outputs of the items that succeeded, in row order, with which of the batch's `rows`
/// they are; the failures join `failed`, which ends sorted by row. `positions` gives each
/// item's row (`None`: item `i` is row `i`).
fn sort_out<O>(
    results: Vec<Result<O, Error>>,
    positions: Option<&[usize]>,
    failed: &mut Vec<(usize, Error)>,
    rows: usize,
) -> (Vec<O>, Vec<bool>) {
    let mut kept = Vec::with_capacity(results.len());
    let mut keep = vec![false; rows];
    for (i, result) in results.into_iter().enumerate() {
        let row = positions.map_or(i, |positions| positions[i]);
        match result {
            Ok(outputs) => {
                keep[row] = true;
                kept.push(outputs);
            }
            Err(error) => failed.push((row, error)),
        }
    }
    failed.sort_by_key(|(row, _)| *row);
    (kept, keep)
}

/// The error file's rows for a batch whose first row is `first_row` of `file`.
fn error_rows(
    file: &str,
    first_row: u64,
    failed: Vec<(usize, Error)>,
) -> Vec<(String, u64, String, String)> {
    failed
        .into_iter()
        .map(|(i, error)| {
            let row = first_row + i as u64;
            (file.to_owned(), row, node_of(&error), message_of(&error))
        })
        .collect()
}

/// A dataset listed and checked: its parts, and the columns a run of the pipeline reads.
pub(crate) struct Prepared {
    pub source: Source,
    pub listing: Listing,
    pub columns: Vec<String>,
}

impl Prepared {
    /// Lists `source` and checks every file's columns against `P`'s inputs, before any item
    /// runs.
    pub(crate) fn new<P>(source: Source) -> Result<Prepared, Error>
    where
        P: Pipeline,
        P::InputFields: Row,
    {
        let listing = source.listing(&crate::arrow::input_schema::<P>())?;
        let columns = source.columns(P::INFO.inputs);
        for (file, listed) in &listing.files {
            check::<P>(file, &listed.schema, &columns)?;
        }
        Ok(Prepared {
            source,
            listing,
            columns,
        })
    }

    /// Every part's position.
    pub(crate) fn all_parts(&self) -> Vec<usize> {
        (0..self.listing.parts.len()).collect()
    }
}

/// An engine that runs datasets: this process's engines run every part here, a cluster
/// shares the parts among its processes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run a dataset of this pipeline",
    note = "`Sequential`, `Parallel`, `Streaming` and `Cluster` run datasets; `Parallel` and `Cluster` need the pipeline's values to be `Send`"
)]
pub trait RunsDatasets<P: Pipeline, H: Hooks>: Engine + Sized {
    /// [`Runner::map_dataset`].
    #[doc(hidden)]
    fn run_dataset(
        runner: &Runner<'_, P, Self, H>,
        source: Source,
        sink: Sink,
    ) -> Result<DatasetReport, Error>;
}

/// Every part, here, on the runner's engine.
macro_rules! runs_datasets_here {
    ($($(#[$cfg:meta])* $engine:ty),*) => {$(
        $(#[$cfg])*
        impl<P, H> RunsDatasets<P, H> for $engine
        where
            P: Pipeline,
            H: Hooks,
            P::InputFields: Row,
            P::OutputFields: Row,
            $engine: RunsBatches<P, KeepAll<P::Outputs>>
                + Executes<P, Gathered<P>, KeepAll<P::Outputs>>,
        {
            fn run_dataset(
                runner: &Runner<'_, P, Self, H>,
                source: Source,
                sink: Sink,
            ) -> Result<DatasetReport, Error> {
                let dataset = Prepared::new::<P>(source)?;
                runner.run_parts(&dataset, &sink, &dataset.all_parts())
            }
        }
    )*};
}

runs_datasets_here!(
    crate::engine::Sequential,
    Parallel,
    #[cfg(feature = "streaming")]
    crate::engine::Streaming
);

/// What every part of one dataset run reads with and writes to.
struct PartRun<'a> {
    source: &'a Source,
    listing: &'a Listing,
    sink: &'a Sink,
    columns: &'a [String],
    plan: &'a Plan,
}

/// The readable rows of a batch some rows of which cannot be read, gathered as items. Public
/// only because the bounds of `map_dataset` name it.
#[doc(hidden)]
pub type Gathered<P> = std::vec::IntoIter<<P as Pipeline>::Inputs>;

/// A batch's rows: the items to run, the row of each (`None` when every row is an item, in
/// order), and the rows that cannot be read.
struct Split<T> {
    items: Vec<T>,
    positions: Option<Vec<usize>>,
    failed: Vec<(usize, Error)>,
}

fn split<P>(batch: &RecordBatch) -> Result<Split<P::Inputs>, Error>
where
    P: Pipeline,
    P::InputFields: Row,
{
    let rows = read_inputs_each::<P>(batch)?;
    if rows.iter().all(Result::is_ok) {
        let items = rows
            .into_iter()
            .map(|row| row.expect("checked above"))
            .collect();
        return Ok(Split {
            items,
            positions: None,
            failed: Vec::new(),
        });
    }
    let (mut items, mut positions, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    for (row, outcome) in rows.into_iter().enumerate() {
        match outcome {
            Ok(item) => {
                items.push(item);
                positions.push(row);
            }
            Err(error) => failed.push((row, error)),
        }
    }
    Ok(Split {
        items,
        positions: Some(positions),
        failed,
    })
}

/// `file`'s columns can be read as `P`'s inputs: checked on an empty batch of its schema, so a
/// missing or mistyped column stops the run before any item runs.
fn check<P>(file: &Path, schema: &SchemaRef, columns: &[String]) -> Result<(), Error>
where
    P: Pipeline,
    P::InputFields: Row,
{
    let mut fields = Vec::with_capacity(columns.len());
    for column in columns {
        match schema.field_with_name(column) {
            Ok(field) => fields.push(field.clone()),
            Err(_) if P::INFO.inputs.contains(&column.as_str()) => {}
            Err(_) => {
                return Err(Error::column(
                    column,
                    format!("carried, but missing from {}", file.display()),
                ))
            }
        }
    }
    let empty = RecordBatch::new_empty(std::sync::Arc::new(Schema::new(fields)));
    read_inputs_each::<P>(&empty)
        .map(drop)
        .map_err(|error| match error.kind() {
            ErrorKind::Column { column, message } => {
                Error::column(column, format!("{message} (in {})", file.display()))
            }
            _ => error,
        })
}

/// The node an error names, with the pipelines it sits in; empty when no node ran.
fn node_of(error: &Error) -> String {
    match error.kind() {
        ErrorKind::Column { .. } => String::new(),
        _ => error.node_path(),
    }
}

/// An error's message without the node and row the error file has columns for.
fn message_of(error: &Error) -> String {
    match error.kind() {
        ErrorKind::Failed(source) => source.to_string(),
        ErrorKind::Panicked(message) => format!("panicked: {message}"),
        ErrorKind::Column { column, message } => format!("column `{column}`: {message}"),
        _ => error.to_string(),
    }
}

/// What a generated pipeline's `map_dataset` calls, on `&P` so that the method compiles for
/// every pipeline and only a call asks for Arrow columns. Generated code only.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot read or write datasets: an input or output type has no Arrow column",
    note = "columns exist for bool, the integers, f32, f64, String, and Option<T>, Vec<T> and [T; N] of those"
)]
pub trait Datasets {
    /// `map_dataset` on the default engine.
    fn map_dataset(self, source: Source, sink: Sink) -> Result<DatasetReport, Error>;
}

impl<P> Datasets for &P
where
    P: Pipeline,
    P::InputFields: Row,
    P::OutputFields: Row,
    Parallel: RunsDatasets<P, crate::hooks::NoHooks>,
{
    fn map_dataset(self, source: Source, sink: Sink) -> Result<DatasetReport, Error> {
        Runner::new(self, Parallel::new()).map_dataset(source, sink)
    }
}
