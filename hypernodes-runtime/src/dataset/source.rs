//! Files as a pipeline's source (Parquet, Arrow IPC, JSON Lines, CSV): listed, cut into
//! parts, read part by part with only the columns a run needs.

use std::ops::Range;
use std::path::{Path, PathBuf};

use arrow_schema::Schema;

#[cfg(any(feature = "parquet", feature = "ipc"))]
use super::io::WHOLE_FILE;
use super::io::{failed, Batches, Listed};
use super::parts::{cut, FileLayout, Part};
use crate::arrow::{input_schema, read_inputs, Row};
use crate::error::Error;
use crate::pipeline::Pipeline;

/// Rows per record batch read, unless `batch_rows` says otherwise.
const DEFAULT_BATCH_ROWS: usize = 8192;
/// Compressed bytes per part, unless `part_bytes` says otherwise.
const DEFAULT_PART_BYTES: u64 = 64 << 20;

/// The file formats a dataset is read from and written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    #[cfg(feature = "parquet")]
    Parquet,
    #[cfg(feature = "ipc")]
    Ipc,
    #[cfg(feature = "jsonl")]
    Jsonl,
    #[cfg(feature = "csv")]
    Csv,
}

impl Format {
    /// The extension of its files, which `dir` lists and part files are written with.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            #[cfg(feature = "parquet")]
            Format::Parquet => "parquet",
            #[cfg(feature = "ipc")]
            Format::Ipc => "arrow",
            #[cfg(feature = "jsonl")]
            Format::Jsonl => "jsonl",
            #[cfg(feature = "csv")]
            Format::Csv => "csv",
        }
    }

    /// A file's schema and its units (row groups, record batches, runs of lines of about
    /// `line_unit` bytes, the whole file) as (rows, bytes). Formats without types read the
    /// columns `wanted` names with its types.
    #[cfg_attr(not(any(feature = "jsonl", feature = "csv")), allow(unused_variables))]
    fn layout(
        self,
        file: &Path,
        wanted: &Schema,
        line_unit: u64,
    ) -> Result<(Vec<(u64, u64)>, Listed), Error> {
        match self {
            #[cfg(feature = "parquet")]
            Format::Parquet => super::parquet_files::layout(file).map(not_lines),
            #[cfg(feature = "ipc")]
            Format::Ipc => super::ipc_files::layout(file).map(not_lines),
            #[cfg(feature = "jsonl")]
            Format::Jsonl => super::text_files::jsonl::layout(file, wanted, line_unit),
            #[cfg(feature = "csv")]
            Format::Csv => super::text_files::csv::layout(file, wanted, line_unit),
        }
    }

    /// The record batches of `units` of `file`, as it was `listed`, with `columns` only.
    #[cfg_attr(not(any(feature = "jsonl", feature = "csv")), allow(unused_variables))]
    fn read(
        self,
        file: &Path,
        listed: &Listed,
        units: Range<usize>,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<Batches, Error> {
        match self {
            #[cfg(feature = "parquet")]
            Format::Parquet => super::parquet_files::read(file, units, columns, batch_rows),
            #[cfg(feature = "ipc")]
            Format::Ipc => super::ipc_files::read(file, units, columns, batch_rows),
            #[cfg(feature = "jsonl")]
            Format::Jsonl => {
                let lines = super::text_files::Lines::of(units, listed);
                super::text_files::jsonl::read(file, &listed.schema, lines, columns, batch_rows)
            }
            #[cfg(feature = "csv")]
            Format::Csv => {
                let lines = super::text_files::Lines::of(units, listed);
                super::text_files::csv::read(file, &listed.schema, lines, columns, batch_rows)
            }
        }
    }
}

/// The layout of a file whose units are not runs of lines.
#[cfg(any(feature = "parquet", feature = "ipc"))]
fn not_lines(
    (units, schema): (Vec<(u64, u64)>, arrow_schema::SchemaRef),
) -> (Vec<(u64, u64)>, Listed) {
    let line_unit = WHOLE_FILE;
    (units, Listed { schema, line_unit })
}

/// Parquet files read as a dataset: `Parquet::files(paths)`, `Parquet::dir(dir)` or
/// `Parquet::glob(pattern)` give the [`Source`] that `map_dataset` reads.
///
/// ```
/// use hypernodes::dataset::Parquet;
/// let source = Parquet::files(["a.parquet", "b.parquet"]).batch_rows(1024).carry(["id"]);
/// assert_eq!(source.paths().len(), 2);
/// ```
#[cfg(feature = "parquet")]
#[derive(Clone, Copy, Debug)]
pub struct Parquet;

#[cfg(feature = "parquet")]
impl Parquet {
    /// These files, in this order.
    pub fn files<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Source {
        Source::files(Format::Parquet, paths)
    }

    /// Every `.parquet` file in `dir` (not below it), by name, listed when the run starts.
    pub fn dir(dir: impl AsRef<Path>) -> Source {
        Source::dir(Format::Parquet, dir)
    }

    /// The files whose names match `pattern`'s last component, in the directory its other
    /// components name, by name: `Parquet::glob("data/part-*.parquet")`. `*` stands for any run
    /// of characters and `?` for one; the directory part is taken as written.
    ///
    /// ```
    /// use hypernodes::dataset::Parquet;
    /// let dir = tempfile::tempdir().unwrap();
    /// for name in ["a.parquet", "b.parquet", "notes.txt"] {
    ///     std::fs::write(dir.path().join(name), "").unwrap();
    /// }
    /// let source = Parquet::glob(dir.path().join("*.parquet"));
    /// assert_eq!(source.list()?.len(), 2);
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    pub fn glob(pattern: impl AsRef<Path>) -> Source {
        Source::glob(Format::Parquet, pattern)
    }
}

/// Arrow IPC files (the Arrow file format, also called Feather v2) read as a dataset:
/// `Ipc::files(paths)`, `Ipc::dir(dir)` or `Ipc::glob(pattern)` give the [`Source`] that
/// `map_dataset` reads. A part is a run of whole record batches of one file, and only the
/// input columns are decoded.
///
/// ```
/// use hypernodes::dataset::Ipc;
/// let source = Ipc::files(["a.arrow", "b.arrow"]).batch_rows(1024);
/// assert_eq!(source.paths().len(), 2);
/// ```
#[cfg(feature = "ipc")]
#[derive(Clone, Copy, Debug)]
pub struct Ipc;

#[cfg(feature = "ipc")]
impl Ipc {
    /// These files, in this order.
    pub fn files<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Source {
        Source::files(Format::Ipc, paths)
    }

    /// Every `.arrow` file in `dir` (not below it), by name, listed when the run starts.
    pub fn dir(dir: impl AsRef<Path>) -> Source {
        Source::dir(Format::Ipc, dir)
    }

    /// The files whose names match `pattern`'s last component, in the directory its other
    /// components name, by name: `Ipc::glob("data/*.feather")`. `*` stands for any run of
    /// characters and `?` for one.
    pub fn glob(pattern: impl AsRef<Path>) -> Source {
        Source::glob(Format::Ipc, pattern)
    }
}

/// JSON Lines files (one JSON object per line, `.jsonl`) read as a dataset: `Jsonl::files`,
/// `Jsonl::dir` or `Jsonl::glob` give the [`Source`] that `map_dataset` reads. A file is cut
/// at line starts into parts of about `part_bytes`. Its columns are the keys found in its first 1,000 records; the pipeline's inputs are
/// read with their own types and other columns with inferred ones, and a key missing from a
/// record is a null.
///
/// ```
/// use hypernodes::dataset::Jsonl;
/// let source = Jsonl::files(["a.jsonl"]).batch_rows(1024);
/// assert_eq!(source.paths().len(), 1);
/// ```
#[cfg(feature = "jsonl")]
#[derive(Clone, Copy, Debug)]
pub struct Jsonl;

#[cfg(feature = "jsonl")]
impl Jsonl {
    /// These files, in this order.
    pub fn files<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Source {
        Source::files(Format::Jsonl, paths)
    }

    /// Every `.jsonl` file in `dir` (not below it), by name, listed when the run starts.
    pub fn dir(dir: impl AsRef<Path>) -> Source {
        Source::dir(Format::Jsonl, dir)
    }

    /// The files whose names match `pattern`'s last component (`*` and `?` wildcards), in the
    /// directory its other components name, by name.
    pub fn glob(pattern: impl AsRef<Path>) -> Source {
        Source::glob(Format::Jsonl, pattern)
    }
}

/// CSV files with a header line (`.csv`) read as a dataset: `Csv::files`, `Csv::dir` or
/// `Csv::glob` give the [`Source`] that `map_dataset` reads. A file is cut at line starts into
/// parts of about `part_bytes` when each line is one record (else it is one part); columns are
/// matched by their header names, the pipeline's inputs parsed into their own types and
/// other columns into types inferred from the first 1,000 records; an empty field is a null.
///
/// ```
/// use hypernodes::dataset::Csv;
/// let source = Csv::files(["a.csv"]).carry(["id"]);
/// assert_eq!(source.paths().len(), 1);
/// ```
#[cfg(feature = "csv")]
#[derive(Clone, Copy, Debug)]
pub struct Csv;

#[cfg(feature = "csv")]
impl Csv {
    /// These files, in this order.
    pub fn files<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Source {
        Source::files(Format::Csv, paths)
    }

    /// Every `.csv` file in `dir` (not below it), by name, listed when the run starts.
    pub fn dir(dir: impl AsRef<Path>) -> Source {
        Source::dir(Format::Csv, dir)
    }

    /// The files whose names match `pattern`'s last component (`*` and `?` wildcards), in the
    /// directory its other components name, by name.
    pub fn glob(pattern: impl AsRef<Path>) -> Source {
        Source::glob(Format::Csv, pattern)
    }
}

/// Files of one format read as a dataset, made by [`Parquet`], [`Ipc`], [`Jsonl`] or
/// [`Csv`]: what `map_dataset` reads, part by part.
#[derive(Clone, Debug)]
pub struct Source {
    format: Format,
    paths: Vec<PathBuf>,
    dir: Option<PathBuf>,
    /// The file names `dir` is filtered by (`*` and `?` wildcards).
    pattern: Option<String>,
    batch_rows: usize,
    part_bytes: u64,
    carried: Vec<String>,
}

impl Source {
    fn files<P: AsRef<Path>>(format: Format, paths: impl IntoIterator<Item = P>) -> Self {
        Source {
            format,
            paths: paths.into_iter().map(|p| p.as_ref().to_owned()).collect(),
            dir: None,
            pattern: None,
            batch_rows: DEFAULT_BATCH_ROWS,
            part_bytes: DEFAULT_PART_BYTES,
            carried: Vec::new(),
        }
    }

    fn dir(format: Format, dir: impl AsRef<Path>) -> Self {
        Source {
            dir: Some(dir.as_ref().to_owned()),
            ..Source::files(format, Vec::<PathBuf>::new())
        }
    }

    fn glob(format: Format, pattern: impl AsRef<Path>) -> Self {
        let pattern = pattern.as_ref();
        let dir = match pattern.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        let name = pattern
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        Source {
            pattern: Some(name.unwrap_or_default()),
            ..Source::dir(format, dir)
        }
    }

    /// Rows per record batch (default 8192): the unit each engine call runs, and what bounds
    /// the memory a run holds beside its writer.
    pub fn batch_rows(mut self, rows: usize) -> Self {
        self.batch_rows = rows.max(1);
        self
    }

    /// Bytes per part (default 64 MiB, compressed for Parquet): a part is a run of whole row
    /// groups (Parquet) or record batches (IPC) of one file, or the lines of a JSON Lines or
    /// CSV file that start within one stretch of this many bytes (a CSV file whose records
    /// span lines is one part); one part file is written per part.
    pub fn part_bytes(mut self, bytes: u64) -> Self {
        self.part_bytes = bytes.max(1);
        self
    }

    /// Columns read besides the pipeline's inputs and written beside its outputs (an id, say).
    pub fn carry<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.carried.extend(columns.into_iter().map(Into::into));
        self
    }

    /// The files given to `files` (empty for `dir` and `glob` until listed).
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// The files this source reads, listed now: those given, or the directory's matching
    /// files by name.
    pub fn list(&self) -> Result<Vec<PathBuf>, Error> {
        let Some(dir) = &self.dir else {
            return Ok(self.paths.clone());
        };
        let entries = std::fs::read_dir(dir).map_err(|e| failed(dir, e))?;
        let mut files = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| failed(dir, e))?.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let wanted = match (&self.pattern, &name) {
                (Some(pattern), Some(name)) => matches(pattern, name),
                (None, _) => path
                    .extension()
                    .is_some_and(|e| e == self.format.extension()),
                (Some(_), None) => false,
            };
            if wanted && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        Ok(files)
    }

    /// The dataset's parts, and each file's Arrow schema; `wanted` gives the types of the
    /// columns a run reads from formats without types (the pipeline's input schema).
    pub(crate) fn listing(&self, wanted: &Schema) -> Result<Listing, Error> {
        let mut layouts = Vec::new();
        let mut files = Vec::new();
        for file in self.list()? {
            let (units, listed) = self.format.layout(&file, wanted, self.part_bytes)?;
            files.push((file.clone(), listed));
            layouts.push(FileLayout {
                file,
                row_groups: units,
            });
        }
        Ok(Listing {
            parts: cut(&layouts, self.part_bytes),
            files,
        })
    }

    /// The columns a run of `P` reads: its inputs, then the carried ones.
    pub(crate) fn columns(&self, inputs: &[&str]) -> Vec<String> {
        let mut columns: Vec<String> = inputs.iter().map(|&c| c.to_owned()).collect();
        for carried in &self.carried {
            if !columns.contains(carried) {
                columns.push(carried.clone());
            }
        }
        columns
    }

    /// The record batches of `part`, whose file was `listed`, with `columns` only (in the
    /// file's order).
    pub(crate) fn read(
        &self,
        part: &Part,
        listed: &Listed,
        columns: &[String],
    ) -> Result<Batches, Error> {
        let units = part.row_groups.clone();
        self.format
            .read(&part.file, listed, units, columns, self.batch_rows)
    }

    /// Every row as `P`'s inputs, batch by batch, for a loop of your own: only `P`'s input
    /// columns are read, and memory holds one batch at a time.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, UInt64Array};
    /// use hypernodes::dataset::{write_parquet, Parquet};
    /// use hypernodes::{node, pipeline};
    ///
    /// #[node(output = "double")]
    /// fn twice(x: u64) -> u64 { 2 * x }
    /// pipeline! { Twice = [twice] }
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("x.parquet");
    /// # let x: ArrayRef = Arc::new(UInt64Array::from(vec![1, 2, 3]));
    /// write_parquet(&path, &[RecordBatch::try_from_iter([("x", x)]).unwrap()])?;
    /// let mut total = 0;
    /// for batch in Parquet::files([&path]).batch_rows(2).items::<Twice>()? {
    ///     total += batch?.iter().map(|item| item.x).sum::<u64>();
    /// }
    /// assert_eq!(total, 6);
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    pub fn items<P>(
        &self,
    ) -> Result<impl Iterator<Item = Result<Vec<P::Inputs>, Error>> + '_, Error>
    where
        P: Pipeline,
        P::InputFields: Row,
    {
        let listing = self.listing(&input_schema::<P>())?;
        let columns = self.columns(P::INFO.inputs);
        let batches = listing
            .parts
            .clone()
            .into_iter()
            .map(move |part| self.read(&part, listing.listed(&part.file), &columns));
        Ok(batches
            .flat_map(|batches| match batches {
                Ok(batches) => Box::new(batches) as Box<dyn Iterator<Item = _>>,
                Err(error) => Box::new(std::iter::once(Err(error))),
            })
            .map(|batch| batch.and_then(|batch| read_inputs::<P>(&batch))))
    }
}

/// Whether `name` matches `pattern`, where `*` stands for any run of characters and `?` for one.
fn matches(pattern: &str, name: &str) -> bool {
    let (pattern, name): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), name.chars().collect());
    // The classic two-pointer match, backtracking to the last `*`.
    let (mut p, mut n, mut star, mut resume) = (0, 0, None, 0);
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            resume = n;
            p += 1;
        } else if let Some(at) = star {
            p = at + 1;
            resume += 1;
            n = resume;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// A dataset's parts and how its files were listed, when a run starts.
pub(crate) struct Listing {
    pub parts: Vec<Part>,
    pub files: Vec<(PathBuf, Listed)>,
}

impl Listing {
    /// How `file` was listed (each part's file was listed).
    pub(crate) fn listed(&self, file: &Path) -> &Listed {
        let (_, listed) = self
            .files
            .iter()
            .find(|(listed, _)| listed == file)
            .expect("a part's file is listed");
        listed
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards_match_runs_and_single_characters() {
        assert!(matches("*.parquet", "a.parquet"));
        assert!(matches("part-??.parquet", "part-07.parquet"));
        assert!(matches("*-*.parquet", "x-y-z.parquet"));
        assert!(matches("*", ""));
        assert!(!matches("*.parquet", "a.parquet.tmp"));
        assert!(!matches("part-?.parquet", "part-10.parquet"));
        assert!(!matches("a*b", "ac"));
    }
}
