//! JSON Lines and CSV files: formats without types or row groups. Their schema is inferred
//! from their first records, with the pipeline's own types for its inputs, and their records
//! are counted when they are listed. A JSON Lines file is cut into units at line starts (a
//! record is one line); a CSV file is one unit, since a quoted field may hold a line break.

use std::fs::File;
#[cfg(feature = "jsonl")]
use std::io::BufRead;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use arrow_schema::{Field, Schema, SchemaRef};

use super::io::{failed, Batches};
use crate::error::Error;

/// Records read to infer a file's schema: a column must appear among them to be found.
pub(crate) const INFERRED_FROM: usize = 1000;

/// `inferred` with the types `wanted` gives its fields, every field nullable: a null (or a
/// missing JSON key) is then one row's error, raised by the row check, not the whole batch's.
fn typed_by(inferred: &Schema, wanted: &Schema) -> SchemaRef {
    let fields: Vec<Field> = inferred
        .fields()
        .iter()
        .map(|field| match wanted.field_with_name(field.name()) {
            Ok(own) => own.as_ref().clone().with_nullable(true),
            Err(_) => field.as_ref().clone().with_nullable(true),
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// The fields of `schema` named in `columns`, in the file's order.
fn projected(schema: &SchemaRef, columns: &[String]) -> Vec<usize> {
    schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| columns.iter().any(|c| c == f.name()))
        .map(|(i, _)| i)
        .collect()
}

/// A whole-file unit: its records and bytes.
fn unit(file: &Path, records: u64) -> Result<Vec<(u64, u64)>, Error> {
    let bytes = std::fs::metadata(file).map_err(|e| failed(file, e))?.len();
    Ok(vec![(records, bytes)])
}

fn open(file: &Path) -> Result<BufReader<File>, Error> {
    File::open(file)
        .map(BufReader::new)
        .map_err(|e| failed(file, e))
}

/// Maps a reader's batches to this crate's errors, naming `file`.
fn batches<E: std::fmt::Display>(
    file: &Path,
    reader: impl Iterator<Item = Result<arrow_array::RecordBatch, E>> + Send + 'static,
) -> Batches {
    let file = file.to_owned();
    Box::new(reader.map(move |batch| batch.map_err(|e| failed(&file, e))))
}

#[cfg(feature = "jsonl")]
pub(crate) mod jsonl {
    use std::io::{Read, Seek, SeekFrom};

    use super::*;

    /// Units `units` of a file cut every `line_unit` bytes: unit `k` holds the lines that
    /// start in `[k * line_unit, (k + 1) * line_unit)`, so every process finds the same
    /// bounds from the file alone.
    pub(crate) struct Lines {
        pub units: std::ops::Range<usize>,
        pub line_unit: u64,
    }

    /// `file`'s schema (from its first records) and its units as (records, bytes): a record
    /// is a line that is not blank.
    pub(crate) fn layout(
        file: &Path,
        wanted: &Schema,
        line_unit: u64,
    ) -> Result<(Vec<(u64, u64)>, SchemaRef), Error> {
        let (inferred, _) = arrow_json::reader::infer_json_schema(open(file)?, Some(INFERRED_FROM))
            .map_err(|e| failed(file, e))?;
        let len = std::fs::metadata(file).map_err(|e| failed(file, e))?.len();
        let count = usize::try_from(len.div_ceil(line_unit).max(1)).unwrap_or(usize::MAX);
        let mut records = vec![0u64; count];
        // The first line start at or after each unit's first byte (the file's end if none).
        let mut starts = vec![len; count + 1];
        let mut next_start = 0;
        let mut at = 0u64;
        for line in open(file)?.split(b'\n') {
            let line = line.map_err(|e| failed(file, e))?;
            let unit = usize::try_from(at / line_unit)
                .unwrap_or(usize::MAX)
                .min(count - 1);
            while next_start <= unit {
                starts[next_start] = at;
                next_start += 1;
            }
            records[unit] += u64::from(line.iter().any(|b| !b.is_ascii_whitespace()));
            at += line.len() as u64 + 1;
        }
        let units = (0..count)
            .map(|k| (records[k], starts[k + 1].min(len) - starts[k].min(len)))
            .collect();
        Ok((units, typed_by(&inferred, wanted)))
    }

    /// Where unit `k` starts: the first line start at or after its first byte.
    fn unit_start(file: &Path, k: usize, line_unit: u64, len: u64) -> Result<u64, Error> {
        let from = k as u64 * line_unit;
        if from == 0 || from > len {
            return Ok(from.min(len));
        }
        let mut reader = open(file)?;
        reader
            .seek(SeekFrom::Start(from - 1))
            .map_err(|e| failed(file, e))?;
        let mut skipped = Vec::new();
        reader
            .read_until(b'\n', &mut skipped)
            .map_err(|e| failed(file, e))?;
        Ok(from - 1 + skipped.len() as u64)
    }

    /// The records of `lines` of `file`, `batch_rows` at a time, with `columns` only.
    pub(crate) fn read(
        file: &Path,
        schema: &SchemaRef,
        lines: Lines,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<Batches, Error> {
        let schema = Arc::new(
            schema
                .project(&projected(schema, columns))
                .map_err(|e| failed(file, e))?,
        );
        let len = std::fs::metadata(file).map_err(|e| failed(file, e))?.len();
        let start = unit_start(file, lines.units.start, lines.line_unit, len)?;
        let end = unit_start(file, lines.units.end, lines.line_unit, len)?;
        let mut reader = open(file)?;
        reader
            .seek(SeekFrom::Start(start))
            .map_err(|e| failed(file, e))?;
        let reader = arrow_json::ReaderBuilder::new(schema)
            .with_batch_size(batch_rows)
            .build(reader.take(end.saturating_sub(start)))
            .map_err(|e| failed(file, e))?;
        Ok(batches(file, reader))
    }

    /// A writer of JSON Lines (a null value leaves its key out).
    pub(crate) fn writer(file: File) -> arrow_json::LineDelimitedWriter<std::io::BufWriter<File>> {
        arrow_json::LineDelimitedWriter::new(std::io::BufWriter::new(file))
    }
}

#[cfg(feature = "csv")]
pub(crate) mod csv {
    use super::*;

    /// `file`'s schema (its header, types inferred from its first records) and its records,
    /// counted by parsing the whole file (a quoted field may hold a line break).
    pub(crate) fn layout(
        file: &Path,
        wanted: &Schema,
    ) -> Result<(Vec<(u64, u64)>, SchemaRef), Error> {
        let format = arrow_csv::reader::Format::default().with_header(true);
        let (inferred, _) = format
            .infer_schema(open(file)?, Some(INFERRED_FROM))
            .map_err(|e| failed(file, e))?;
        let (_, records) = format
            .infer_schema(open(file)?, None)
            .map_err(|e| failed(file, e))?;
        Ok((unit(file, records as u64)?, typed_by(&inferred, wanted)))
    }

    /// `file`'s records, `batch_rows` at a time, with `columns` only.
    pub(crate) fn read(
        file: &Path,
        schema: &SchemaRef,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<Batches, Error> {
        let reader = arrow_csv::ReaderBuilder::new(schema.clone())
            .with_header(true)
            .with_projection(projected(schema, columns))
            .with_batch_size(batch_rows)
            .build(open(file)?)
            .map_err(|e| failed(file, e))?;
        Ok(batches(file, reader))
    }

    /// A writer of CSV with a header line.
    pub(crate) fn writer(file: File) -> arrow_csv::Writer<std::io::BufWriter<File>> {
        arrow_csv::Writer::new(std::io::BufWriter::new(file))
    }
}

#[cfg(all(test, feature = "jsonl"))]
mod tests {
    use super::jsonl::{layout, read, Lines};
    use super::*;

    /// Whatever the unit size, the units listed and the units read agree: each record is read
    /// in exactly one unit, the one its count is in, with or without a final line break.
    #[test]
    fn every_unit_reads_the_records_it_was_listed_with() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.jsonl");
        let wanted = Schema::new(vec![Field::new("id", arrow_schema::DataType::UInt64, true)]);
        for ending in ["\n", ""] {
            let mut text = String::new();
            for id in 0..40u64 {
                let pad = "p".repeat((id as usize * 7) % 23);
                text.push_str(&format!("{{\"id\": {id}, \"pad\": \"{pad}\"}}\n"));
                if id % 9 == 0 {
                    text.push('\n');
                }
            }
            text.truncate(text.trim_end().len());
            text.push_str(ending);
            std::fs::write(&file, &text).unwrap();
            for line_unit in [1, 7, 31, 32, 64, 100, 1 << 20] {
                let (units, schema) = layout(&file, &wanted, line_unit).unwrap();
                assert_eq!(units.iter().map(|u| u.1).sum::<u64>(), text.len() as u64);
                let mut ids = Vec::new();
                for (k, &(records, _)) in units.iter().enumerate() {
                    let lines = Lines {
                        units: k..k + 1,
                        line_unit,
                    };
                    let batches = read(&file, &schema, lines, &["id".into()], 5).unwrap();
                    let mut read_here = 0;
                    for batch in batches {
                        let batch = batch.unwrap();
                        read_here += batch.num_rows() as u64;
                        let column = batch.column(0);
                        let column = arrow_array::cast::AsArray::as_primitive::<
                            arrow_array::types::UInt64Type,
                        >(column);
                        ids.extend(column.values().iter().copied());
                    }
                    assert_eq!(read_here, records, "unit {k} of {line_unit} bytes");
                }
                assert_eq!(ids, (0..40).collect::<Vec<u64>>(), "{line_unit} bytes");
            }
        }
    }
}
