//! JSON Lines and CSV datasets through pipelines: inputs read with the pipeline's own types,
//! records counted (blank lines skipped, quoted line breaks kept), failed rows numbered within
//! their file, mixed formats, and files that cannot be read.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hypernodes::arrow::arrow_array::cast::AsArray;
use hypernodes::arrow::arrow_array::types::UInt64Type;
use hypernodes::arrow::arrow_array::RecordBatch;
use hypernodes::arrow::arrow_schema::{DataType, Field, Schema};
use hypernodes::dataset::{arrow_csv, arrow_json, parquet};
use hypernodes::dataset::{Csv, CsvSink, Jsonl, JsonlSink, ParquetSink};
use hypernodes::{node, pipeline, Parallel, Sequential};

#[node(output = "score")]
fn score(text: &str, bonus: Option<u64>) -> Result<u64, String> {
    if text == "bad" {
        return Err(format!("cannot score {text:?}"));
    }
    Ok(text.len() as u64 * 10 + bonus.unwrap_or(0))
}

pipeline! { Score = [score] }

fn text_of(i: u64) -> String {
    match i % 97 {
        50 => "bad".into(),
        _ => format!("t{i}"),
    }
}

fn expected(total: u64) -> Vec<(u64, u64)> {
    let score = |i: u64| text_of(i).len() as u64 * 10 + if i.is_multiple_of(2) { i } else { 0 };
    (0..total)
        .filter(|i| i % 97 != 50)
        .map(|i| (i, score(i)))
        .collect()
}

/// `rows` JSON Lines records: bonus only on even ids, a blank line after id 10, keys in
/// another order on odd ids, and a key no run reads.
fn jsonl(path: &Path, rows: u64) {
    let mut text = String::new();
    for i in 0..rows {
        let t = text_of(i);
        match i % 2 {
            0 => writeln!(
                text,
                r#"{{"id": {i}, "text": "{t}", "bonus": {i}, "unused": [1]}}"#
            ),
            _ => writeln!(text, r#"{{"text": "{t}", "id": {i}}}"#),
        }
        .unwrap();
        if i == 10 {
            text.push_str("   \n");
        }
    }
    std::fs::write(path, text).unwrap();
}

/// `rows` CSV records under a header: bonus empty on odd ids, and id 7's text quoted with a
/// comma and a line break in it.
fn csv(path: &Path, rows: u64) {
    csv_with(path, rows, "\"t,\n\"");
}

/// [`csv`] with id 7's text written as `seventh`.
fn csv_with(path: &Path, rows: u64, seventh: &str) {
    let mut text = String::from("id,text,bonus,unused\n");
    for i in 0..rows {
        let bonus = if i.is_multiple_of(2) {
            i.to_string()
        } else {
            String::new()
        };
        let t = match i {
            7 => seventh.to_owned(),
            _ => text_of(i),
        };
        writeln!(text, "{i},{t},{bonus},x").unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// What the runs wrote, read back with `schema`.
fn read_back(files: &[PathBuf], schema: Schema, csv: bool) -> Vec<RecordBatch> {
    let schema = Arc::new(schema);
    let mut batches = Vec::new();
    for file in files {
        let handle = std::io::BufReader::new(std::fs::File::open(file).unwrap());
        let read: Vec<RecordBatch> = match csv {
            true => arrow_csv::ReaderBuilder::new(schema.clone())
                .with_header(true)
                .build(handle)
                .unwrap()
                .map(Result::unwrap)
                .collect(),
            false => arrow_json::ReaderBuilder::new(schema.clone())
                .build(handle)
                .unwrap()
                .map(Result::unwrap)
                .collect(),
        };
        batches.extend(read);
    }
    batches
}

fn pairs(batches: &[RecordBatch], a: &str, b: &str) -> Vec<(u64, u64)> {
    let column = |batch: &RecordBatch, name: &str| -> Vec<u64> {
        let column = batch.column_by_name(name).unwrap();
        column.as_primitive::<UInt64Type>().values().to_vec()
    };
    batches
        .iter()
        .flat_map(|batch| column(batch, a).into_iter().zip(column(batch, b)))
        .collect()
}

/// The row numbers in the error files, in order.
fn failed_rows(error_files: &[PathBuf], csv: bool) -> Vec<u64> {
    let failures = read_back(error_files, failure_schema(), csv);
    let mut rows: Vec<u64> = failures
        .iter()
        .flat_map(|batch| {
            let rows = batch.column_by_name("row").unwrap();
            rows.as_primitive::<UInt64Type>().values().to_vec()
        })
        .collect();
    rows.sort_unstable();
    rows
}

fn failure_schema() -> Schema {
    Schema::new(vec![
        Field::new("file", DataType::Utf8, false),
        Field::new("row", DataType::UInt64, false),
        Field::new("node", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, false),
    ])
}

fn written_schema(csv: bool) -> Schema {
    let text = Field::new("text", DataType::Utf8, true);
    let id = Field::new("id", DataType::UInt64, true);
    let bonus = Field::new("bonus", DataType::UInt64, true);
    let score = Field::new("score", DataType::UInt64, true);
    match csv {
        // A CSV file's columns are positional: as written, the file's order then the output.
        true => Schema::new(vec![id, text, bonus, score]),
        false => Schema::new(vec![text, id, bonus, score]),
    }
}

#[test]
fn json_lines_in_and_out_with_failures_numbered_by_record() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    jsonl(&input, 1000);
    let report = Score::new()
        .with_engine(Parallel::new())
        .map_dataset(
            Jsonl::files([&input]).carry(["id"]).batch_rows(128),
            JsonlSink::dir(dir.path().join("out")),
        )
        .unwrap();
    // One part per file; the blank line is no record.
    assert_eq!((report.parts, report.rows, report.failed), (1, 1000, 10));
    assert!(report.files[0].ends_with("part-00000.jsonl"));
    let written = read_back(&report.files, written_schema(false), false);
    // Ids are read as the `u64` they are in the pipeline, `bonus` too (absent on odd ids).
    let mut got = pairs(&written, "id", "score");
    got.sort_unstable();
    assert_eq!(got, expected(1000));
    let failures = read_back(&report.error_files, failure_schema(), false);
    // Id 50 is the 51st record (row 50), the blank line after id 10 not counted; id 147 is
    // row 147.
    let rows = failures[0]
        .column_by_name("row")
        .unwrap()
        .as_primitive::<UInt64Type>();
    assert_eq!(&rows.values()[..2], [50, 147]);
}

#[test]
fn csv_in_and_out_with_quoted_line_breaks_and_failures_numbered_by_record() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    csv(&input, 500);
    let report = Score::new()
        .with_engine(Sequential)
        .map_dataset(
            Csv::dir(dir.path()).carry(["id"]).batch_rows(100),
            CsvSink::dir(dir.path().join("out")),
        )
        .unwrap();
    // 500 records, though id 7's record spans two lines.
    assert_eq!((report.parts, report.rows, report.failed), (1, 500, 5));
    assert!(report.files[0].ends_with("part-00000.csv"));
    let written = read_back(&report.files, written_schema(true), true);
    let mut want = expected(500);
    // Id 7's text is "t,\n" (3 characters) rather than "t7".
    want[7].1 = 30;
    assert_eq!(pairs(&written, "id", "score"), want);
    let failures = read_back(&report.error_files, failure_schema(), true);
    let rows = failures[0]
        .column_by_name("row")
        .unwrap()
        .as_primitive::<UInt64Type>();
    assert_eq!(rows.values().to_vec(), [50, 147, 244, 341, 438]);
}

#[test]
fn json_lines_to_parquet_keeps_the_pipeline_types() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    jsonl(&input, 300);
    let report = Score::new()
        .with_engine(Sequential)
        .map_dataset(
            Jsonl::files([&input]).carry(["id"]),
            ParquetSink::dir(dir.path().join("out")),
        )
        .unwrap();
    let file = std::fs::File::open(&report.files[0]).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    let schema = batches[0].schema();
    // `bonus` is the pipeline's u64, not JSON's inferred i64; the carried id stays inferred.
    assert_eq!(
        schema.field_with_name("bonus").unwrap().data_type(),
        &DataType::UInt64
    );
    assert_eq!(
        schema.field_with_name("id").unwrap().data_type(),
        &DataType::Int64
    );
    assert_eq!(report.written, 300 - 3);
}

#[test]
fn unreadable_text_files_stop_the_run_naming_the_file_or_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // An input key that no record has: the check before any item runs names it.
    let missing = dir.path().join("missing.jsonl");
    std::fs::write(&missing, "{\"bonus\": 1}\n{\"bonus\": 2}\n").unwrap();
    let error = Score::new()
        .with_engine(Sequential)
        .map_dataset(Jsonl::files([&missing]), JsonlSink::dir(&out))
        .unwrap_err();
    assert!(
        error.to_string().starts_with("column `text`: missing"),
        "{error}"
    );
    assert!(!out.join("part-00000.jsonl").exists());
    // A value that is no `u64` where the pipeline reads one: the file's error, naming it.
    let mistyped = dir.path().join("mistyped.csv");
    std::fs::write(&mistyped, "text,bonus\na,1\nb,lots\n").unwrap();
    let error = Score::new()
        .with_engine(Sequential)
        .map_dataset(Csv::files([&mistyped]), CsvSink::dir(&out))
        .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("mistyped.csv"), "{message}");
    assert!(message.contains("lots"), "{message}");
}

#[test]
fn a_json_lines_file_larger_than_a_part_is_cut_at_line_starts() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    jsonl(&input, 1000);
    // A record longer than a part, in the middle of the file: its part is one record.
    let mut text = std::fs::read_to_string(&input).unwrap();
    let long = format!("{{\"text\": \"{}\", \"id\": 1000}}\n", "x".repeat(10_000));
    let middle = text.match_indices('\n').nth(499).unwrap().0 + 1;
    text.insert_str(middle, &long);
    std::fs::write(&input, text).unwrap();
    let report = Score::new()
        .with_engine(Parallel::new())
        .map_dataset(
            Jsonl::files([&input]).carry(["id"]).part_bytes(4096),
            JsonlSink::dir(dir.path().join("out")),
        )
        .unwrap();
    assert!(report.parts > 10, "{report:?}");
    assert_eq!(report.files.len(), report.parts);
    assert_eq!((report.rows, report.failed), (1001, 10));
    // Every record is read once, whichever part it starts in.
    let written = read_back(&report.files, written_schema(false), false);
    let mut got = pairs(&written, "id", "score");
    got.sort_unstable();
    let mut want = expected(1000);
    want.push((1000, 100_000));
    assert_eq!(got, want);
    // Failed rows keep their numbers in the whole file: the long record is row 499 (the
    // blank line is no record), so id 535 is row 536.
    let rows = failed_rows(&report.error_files, false);
    assert_eq!(&rows[..6], [50, 147, 244, 341, 438, 536]);
}

#[test]
fn a_csv_file_with_one_record_per_line_is_cut_at_line_starts() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    // A quoted comma is fine: no quoted field holds a line break.
    csv_with(&input, 600, "\"t,7\"");
    let report = Score::new()
        .with_engine(Parallel::new())
        .map_dataset(
            Csv::files([&input]).carry(["id"]).part_bytes(1024),
            CsvSink::dir(dir.path().join("out")),
        )
        .unwrap();
    assert!(report.parts > 5, "{report:?}");
    assert_eq!((report.rows, report.failed), (600, 6));
    let written = read_back(&report.files, written_schema(true), true);
    let mut want = expected(600);
    // Id 7's text is "t,7" (3 characters) rather than "t7".
    want[7].1 = 30;
    assert_eq!(pairs(&written, "id", "score"), want);
    let rows = failed_rows(&report.error_files, true);
    assert_eq!(rows, [50, 147, 244, 341, 438, 535]);
}
