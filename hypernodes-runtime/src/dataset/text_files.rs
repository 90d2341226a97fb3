//! JSON Lines and CSV files: formats without types or row groups. A file is one part; its
//! schema is inferred from its first records, with the pipeline's own types for its inputs,
//! and its records are counted when it is listed.

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
    use super::*;

    /// `file`'s schema (from its first records) and its records: its lines that are not blank.
    pub(crate) fn layout(
        file: &Path,
        wanted: &Schema,
    ) -> Result<(Vec<(u64, u64)>, SchemaRef), Error> {
        let (inferred, _) = arrow_json::reader::infer_json_schema(open(file)?, Some(INFERRED_FROM))
            .map_err(|e| failed(file, e))?;
        let mut records = 0;
        for line in open(file)?.split(b'\n') {
            let line = line.map_err(|e| failed(file, e))?;
            records += u64::from(line.iter().any(|b| !b.is_ascii_whitespace()));
        }
        Ok((unit(file, records)?, typed_by(&inferred, wanted)))
    }

    /// `file`'s records, `batch_rows` at a time, with `columns` only.
    pub(crate) fn read(
        file: &Path,
        schema: &SchemaRef,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<Batches, Error> {
        let schema = Arc::new(
            schema
                .project(&projected(schema, columns))
                .map_err(|e| failed(file, e))?,
        );
        let reader = arrow_json::ReaderBuilder::new(schema)
            .with_batch_size(batch_rows)
            .build(open(file)?)
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
