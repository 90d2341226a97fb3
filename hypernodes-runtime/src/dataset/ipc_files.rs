//! Arrow IPC files (the Arrow file format, Feather v2): a file's record batches and schema
//! from its footer, a part's record batches with only the columns a run reads, and
//! `write_ipc`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_ipc::reader::{read_footer_length, FileReader};
use arrow_ipc::writer::FileWriter;
use arrow_schema::SchemaRef;

use super::io::{failed, file_for, Batches};
use crate::error::Error;

/// The bytes at the end of a file: its footer's length, then the magic `ARROW1`.
const TAIL: usize = 10;
/// An encapsulated message starts with this marker, then its length (the current format).
const CONTINUATION: [u8; 4] = [0xff; 4];

/// `file`'s record batches as (rows, bytes), read from its footer and each batch's message
/// header (not its body), and its Arrow schema.
pub(crate) fn layout(file: &Path) -> Result<(Vec<(u64, u64)>, SchemaRef), Error> {
    let mut handle = File::open(file).map_err(|e| failed(file, e))?;
    let footer = footer_bytes(&mut handle).map_err(|e| failed(file, e))?;
    let footer = arrow_ipc::root_as_footer(&footer).map_err(|e| failed(file, e))?;
    let schema = footer
        .schema()
        .ok_or_else(|| failed(file, "the footer has no schema"))?;
    let schema = arrow_ipc::convert::try_fb_to_schema(schema).map_err(|e| failed(file, e))?;
    let mut units = Vec::new();
    for block in footer.recordBatches().iter().flatten() {
        let header = read_at(&mut handle, block.offset(), block.metaDataLength())
            .map_err(|e| failed(file, e))?;
        let rows = rows_of(&header).map_err(|e| failed(file, e))?;
        let bytes = block.metaDataLength() as u64 + block.bodyLength() as u64;
        units.push((rows, bytes));
    }
    Ok((units, Arc::new(schema)))
}

/// The record batches `batches` of `file`, each cut into slices of at most `batch_rows` rows,
/// with `columns` only.
pub(crate) fn read(
    file: &Path,
    batches: Range<usize>,
    columns: &[String],
    batch_rows: usize,
) -> Result<Batches, Error> {
    let handle = File::open(file).map_err(|e| failed(file, e))?;
    let probe = FileReader::try_new_buffered(handle, None);
    let schema = probe.map_err(|e| failed(file, e))?.schema();
    let projection = schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| columns.iter().any(|c| c == f.name()))
        .map(|(i, _)| i)
        .collect();
    let handle = File::open(file).map_err(|e| failed(file, e))?;
    let mut reader =
        FileReader::try_new_buffered(handle, Some(projection)).map_err(|e| failed(file, e))?;
    if batches.is_empty() {
        return Ok(Box::new(std::iter::empty()));
    }
    reader
        .set_index(batches.start)
        .map_err(|e| failed(file, e))?;
    let file = file.to_owned();
    let slices = reader.take(batches.len()).flat_map(move |batch| {
        let batch = batch.map_err(|e| failed(&file, e));
        slices(batch, batch_rows)
    });
    Ok(Box::new(slices))
}

/// `batch` cut into slices of at most `rows` rows (no copy), or its error.
fn slices(
    batch: Result<RecordBatch, Error>,
    rows: usize,
) -> Box<dyn Iterator<Item = Result<RecordBatch, Error>> + Send> {
    match batch {
        Err(error) => Box::new(std::iter::once(Err(error))),
        Ok(batch) => {
            let total = batch.num_rows();
            Box::new(
                (0..total)
                    .step_by(rows.max(1))
                    .map(move |start| Ok(batch.slice(start, rows.min(total - start)))),
            )
        }
    }
}

/// A writer of IPC file `file` with `schema`.
pub(crate) fn writer(
    file: File,
    schema: &SchemaRef,
) -> Result<FileWriter<BufWriter<File>>, arrow_schema::ArrowError> {
    FileWriter::try_new_buffered(file, schema)
}

/// Writes `batches` to one Arrow IPC file at `path`, for inputs of tests, examples and your
/// own tools.
///
/// ```
/// # use std::sync::Arc;
/// # use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, UInt64Array};
/// let dir = tempfile::tempdir().unwrap();
/// let x: ArrayRef = Arc::new(UInt64Array::from(vec![1, 2]));
/// let batch = RecordBatch::try_from_iter([("x", x)]).unwrap();
/// hypernodes::dataset::write_ipc(&dir.path().join("x.arrow"), &[batch])?;
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub fn write_ipc(path: &Path, batches: &[RecordBatch]) -> Result<(), Error> {
    let (file, first) = file_for(path, batches)?;
    let mut writer = writer(file, &first.schema()).map_err(|e| failed(path, e))?;
    for batch in batches {
        writer.write(batch).map_err(|e| failed(path, e))?;
    }
    writer.finish().map_err(|e| failed(path, e))
}

/// The footer's bytes, found from the end of the file.
fn footer_bytes(handle: &mut File) -> Result<Vec<u8>, String> {
    let mut tail = [0u8; TAIL];
    handle
        .seek(SeekFrom::End(-(TAIL as i64)))
        .and_then(|_| handle.read_exact(&mut tail))
        .map_err(|e| format!("not an Arrow IPC file: {e}"))?;
    let length = read_footer_length(tail).map_err(|e| format!("not an Arrow IPC file: {e}"))?;
    handle
        .seek(SeekFrom::End(-((TAIL + length) as i64)))
        .map_err(|e| format!("footer: {e}"))?;
    let mut footer = vec![0u8; length];
    handle
        .read_exact(&mut footer)
        .map_err(|e| format!("footer: {e}"))?;
    Ok(footer)
}

/// `length` bytes at `offset`.
fn read_at(handle: &mut File, offset: i64, length: i32) -> Result<Vec<u8>, String> {
    let (offset, length) = (
        u64::try_from(offset).map_err(|_| format!("a block at offset {offset}"))?,
        usize::try_from(length).map_err(|_| format!("a block header of {length} bytes"))?,
    );
    let mut bytes = vec![0u8; length];
    let mut reader = BufReader::new(handle);
    reader
        .seek(SeekFrom::Start(offset))
        .and_then(|_| reader.read_exact(&mut bytes))
        .map_err(|e| format!("a record batch header: {e}"))?;
    Ok(bytes)
}

/// The rows of the record batch whose encapsulated message header is `header`.
fn rows_of(header: &[u8]) -> Result<u64, String> {
    let skip = match header.get(..4) {
        Some(marker) if marker == CONTINUATION => 8,
        _ => 4,
    };
    let message = header
        .get(skip..)
        .ok_or("a record batch header too short")
        .and_then(|bytes| {
            arrow_ipc::root_as_message(bytes).map_err(|_| "an unreadable record batch header")
        })?;
    let batch = message
        .header_as_record_batch()
        .ok_or("a block that is not a record batch")?;
    u64::try_from(batch.length()).map_err(|_| "a record batch of negative length".to_owned())
}
