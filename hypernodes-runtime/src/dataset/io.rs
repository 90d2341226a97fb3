//! What every format's reading and writing shares: a part's batches, errors naming the file,
//! and the file a `write_*` helper writes.

use std::path::Path;

use arrow_array::RecordBatch;

use crate::error::Error;

/// The record batches of one part, read one at a time.
pub(crate) type Batches = Box<dyn Iterator<Item = Result<RecordBatch, Error>> + Send>;

#[cfg(any(feature = "parquet", feature = "ipc"))]
/// The file a `write_*` helper writes `batches` to, and the first batch (whose schema is the
/// file's); an error when there is no batch.
pub(crate) fn file_for<'a>(
    path: &Path,
    batches: &'a [RecordBatch],
) -> Result<(std::fs::File, &'a RecordBatch), Error> {
    let Some(first) = batches.first() else {
        return Err(Error::dataset(format!(
            "{}: no batch to write",
            path.display()
        )));
    };
    let file = std::fs::File::create(path).map_err(|e| failed(path, e))?;
    Ok((file, first))
}

/// How a file was listed: its schema, and for files of lines the bytes each unit's lines
/// start within ([`WHOLE_FILE`] where the file is one unit, or is not lines).
pub(crate) struct Listed {
    pub schema: arrow_schema::SchemaRef,
    #[cfg_attr(not(any(feature = "jsonl", feature = "csv")), allow(dead_code))] // Text reads it.
    pub line_unit: u64,
}

/// The `line_unit` of a file whose units are not runs of lines, or that is one unit.
#[cfg(any(feature = "parquet", feature = "ipc", feature = "csv"))]
pub(crate) const WHOLE_FILE: u64 = u64::MAX;

/// An error reading or writing `path`, naming it.
pub(crate) fn failed(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::dataset(format!("{}: {error}", path.display()))
}
