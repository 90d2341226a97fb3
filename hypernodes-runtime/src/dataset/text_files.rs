//! JSON Lines and CSV files: formats without types or row groups. Their schema is inferred
//! from their first records, with the pipeline's own types for its inputs, and their records
//! are counted when they are listed. A file is cut into units at line starts when each line is
//! one record: always for JSON Lines; for CSV, when no quoted field holds a line break, no
//! line is blank and no lone carriage return ends a record (otherwise the file is one unit).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use arrow_schema::{Field, Schema, SchemaRef};

#[cfg(feature = "csv")]
use super::io::WHOLE_FILE;
use super::io::{failed, Batches, Listed};
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

/// Units `units` of a file cut every `line_unit` bytes: unit `k` holds the lines that start
/// in `[k * line_unit, (k + 1) * line_unit)`, so every process finds the same bounds from the
/// file alone.
pub(crate) struct Lines {
    pub units: std::ops::Range<usize>,
    pub line_unit: u64,
}

impl Lines {
    /// Units `units` of a file as it was `listed`.
    pub(crate) fn of(units: std::ops::Range<usize>, listed: &Listed) -> Lines {
        let line_unit = listed.line_unit;
        Lines { units, line_unit }
    }
}

/// A file's lines, counted per unit of `line_unit` bytes.
#[cfg_attr(not(feature = "csv"), allow(dead_code))] // JSON Lines reads only the units.
struct LineScan {
    /// Per unit: its lines that are not blank, and its bytes.
    units: Vec<(u64, u64)>,
    /// Lines that are blank (only whitespace).
    blank: u64,
    /// Whether a carriage return ends a line without a line feed (a CSV record terminator).
    bare_return: bool,
}

fn scan_lines(file: &Path, line_unit: u64) -> Result<LineScan, Error> {
    let len = std::fs::metadata(file).map_err(|e| failed(file, e))?.len();
    let count = usize::try_from(len.div_ceil(line_unit).max(1)).unwrap_or(usize::MAX);
    let mut records = vec![0u64; count];
    // The first line start at or after each unit's first byte (the file's end if none).
    let mut starts = vec![len; count + 1];
    let (mut next_start, mut at, mut blank, mut bare_return) = (0, 0u64, 0, false);
    for line in open(file)?.split(b'\n') {
        let line = line.map_err(|e| failed(file, e))?;
        let unit = usize::try_from(at / line_unit)
            .unwrap_or(usize::MAX)
            .min(count - 1);
        while next_start <= unit {
            starts[next_start] = at;
            next_start += 1;
        }
        match line.iter().any(|b| !b.is_ascii_whitespace()) {
            true => records[unit] += 1,
            false => blank += 1,
        }
        let body = line.strip_suffix(b"\r").unwrap_or(&line);
        bare_return |= body.contains(&b'\r');
        at += line.len() as u64 + 1;
    }
    let units = (0..count)
        .map(|k| (records[k], starts[k + 1].min(len) - starts[k].min(len)))
        .collect();
    Ok(LineScan {
        units,
        blank,
        bare_return,
    })
}

/// Where unit `k` starts: the first line start at or after its first byte.
fn unit_start(file: &Path, k: usize, line_unit: u64, len: u64) -> Result<u64, Error> {
    let from = (k as u64).saturating_mul(line_unit);
    if from == 0 || from > len {
        return Ok(from.min(len));
    }
    let mut reader = open(file)?;
    reader
        .seek(SeekFrom::Start(from - 1))
        .map_err(|e| failed(file, e))?;
    let skipped = reader.skip_until(b'\n').map_err(|e| failed(file, e))?;
    Ok(from - 1 + skipped as u64)
}

/// The bytes of `lines` of `file`.
fn open_lines(file: &Path, lines: &Lines) -> Result<impl BufRead + Send + 'static, Error> {
    let len = std::fs::metadata(file).map_err(|e| failed(file, e))?.len();
    let start = unit_start(file, lines.units.start, lines.line_unit, len)?;
    let end = unit_start(file, lines.units.end, lines.line_unit, len)?;
    let mut reader = open(file)?;
    reader
        .seek(SeekFrom::Start(start))
        .map_err(|e| failed(file, e))?;
    Ok(reader.take(end.saturating_sub(start)))
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

    /// `file`'s schema (from its first records) and its units as (records, bytes): a record
    /// is a line that is not blank.
    pub(crate) fn layout(
        file: &Path,
        wanted: &Schema,
        line_unit: u64,
    ) -> Result<(Vec<(u64, u64)>, Listed), Error> {
        let (inferred, _) = arrow_json::reader::infer_json_schema(open(file)?, Some(INFERRED_FROM))
            .map_err(|e| failed(file, e))?;
        let scan = scan_lines(file, line_unit)?;
        let schema = typed_by(&inferred, wanted);
        Ok((scan.units, Listed { schema, line_unit }))
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
        let reader = arrow_json::ReaderBuilder::new(schema)
            .with_batch_size(batch_rows)
            .build(open_lines(file, &lines)?)
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

    /// `file`'s schema (its header, types inferred from its first records) and its units as
    /// (records, bytes). Its records are counted by parsing the whole file; when each line
    /// but the header is one record, the file is cut at line starts (the header counted in
    /// unit 0), and otherwise it is one unit.
    pub(crate) fn layout(
        file: &Path,
        wanted: &Schema,
        line_unit: u64,
    ) -> Result<(Vec<(u64, u64)>, Listed), Error> {
        let format = arrow_csv::reader::Format::default().with_header(true);
        let (inferred, _) = format
            .infer_schema(open(file)?, Some(INFERRED_FROM))
            .map_err(|e| failed(file, e))?;
        let (_, records) = format
            .infer_schema(open(file)?, None)
            .map_err(|e| failed(file, e))?;
        let mut scan = scan_lines(file, line_unit)?;
        let lines: u64 = scan.units.iter().map(|u| u.0).sum();
        let one_per_line = scan.blank == 0 && !scan.bare_return && lines == records as u64 + 1;
        let schema = typed_by(&inferred, wanted);
        if one_per_line {
            scan.units[0].0 -= 1;
            return Ok((scan.units, Listed { schema, line_unit }));
        }
        let bytes = scan.units.iter().map(|u| u.1).sum();
        let line_unit = WHOLE_FILE;
        Ok((vec![(records as u64, bytes)], Listed { schema, line_unit }))
    }

    /// The records of `lines` of `file`, `batch_rows` at a time, with `columns` only: from
    /// unit 0 the header is skipped, past it there is none.
    pub(crate) fn read(
        file: &Path,
        schema: &SchemaRef,
        lines: Lines,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<Batches, Error> {
        let reader = arrow_csv::ReaderBuilder::new(schema.clone())
            .with_header(lines.units.start == 0)
            .with_projection(projected(schema, columns))
            .with_batch_size(batch_rows)
            .build(open_lines(file, &lines)?)
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
    use super::jsonl::{layout, read};
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
                let (units, listed) = layout(&file, &wanted, line_unit).unwrap();
                let schema = listed.schema;
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

#[cfg(all(test, feature = "csv"))]
mod csv_tests {
    use super::csv::{layout, read};
    use super::*;

    fn ids_by_unit(file: &Path, line_unit: u64) -> Vec<Vec<u64>> {
        let wanted = Schema::new(vec![Field::new("id", arrow_schema::DataType::UInt64, true)]);
        let (units, listed) = layout(file, &wanted, line_unit).unwrap();
        (0..units.len())
            .map(|k| {
                let lines = Lines {
                    units: k..k + 1,
                    line_unit: listed.line_unit,
                };
                let mut ids = Vec::new();
                for batch in read(file, &listed.schema, lines, &["id".into()], 4).unwrap() {
                    let batch = batch.unwrap();
                    let column = arrow_array::cast::AsArray::as_primitive::<
                        arrow_array::types::UInt64Type,
                    >(batch.column(0));
                    ids.extend(column.values().iter().copied());
                }
                assert_eq!(
                    ids.len() as u64,
                    units[k].0,
                    "unit {k} of {line_unit} bytes"
                );
                ids
            })
            .collect()
    }

    /// One record per line: cut at line starts, each record read once, the header only in
    /// unit 0. A quoted line break or a blank line: one unit.
    #[test]
    fn a_csv_file_is_cut_only_where_each_line_is_a_record() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.csv");
        let mut text = String::from("id,pad\r\n");
        for id in 0..30u64 {
            let pad = "p".repeat((id as usize * 5) % 17);
            text.push_str(&format!("{id},\"{pad},\"\r\n"));
        }
        std::fs::write(&file, &text).unwrap();
        for line_unit in [1, 9, 40, 64, 1 << 20] {
            let ids: Vec<u64> = ids_by_unit(&file, line_unit).concat();
            assert_eq!(ids, (0..30).collect::<Vec<u64>>(), "{line_unit} bytes");
        }
        assert!(ids_by_unit(&file, 40).len() > 5);
        for odd in ["0,\"a\nb\"\n", "0,a\n\n"] {
            std::fs::write(&file, format!("id,pad\n{odd}1,c\n")).unwrap();
            let units = ids_by_unit(&file, 4);
            assert_eq!(units, [vec![0, 1]], "{odd:?}");
        }
    }
}
