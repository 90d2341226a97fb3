//! Arrow IPC datasets through pipelines: parts over record batches, part files, error files
//! numbered within their file, Parquet in and IPC out, and files that are not IPC files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hypernodes::arrow::arrow_array::cast::AsArray;
use hypernodes::arrow::arrow_array::types::UInt64Type;
use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use hypernodes::dataset::arrow_ipc::reader::FileReader;
use hypernodes::dataset::{write_ipc, write_parquet, Ipc, IpcSink, Parquet};
use hypernodes::{node, pipeline, Parallel, Sequential, Streaming};

#[node(output = "score")]
fn score(text: &str, bonus: Option<u64>) -> Result<u64, String> {
    if text == "bad" {
        return Err(format!("cannot score {text:?}"));
    }
    Ok(text.len() as u64 * 10 + bonus.unwrap_or(0))
}

pipeline! { Score = [score] }

/// `batches` record batches of `rows` rows from id `first`: text `t{id}` ("bad" every 97th
/// id), bonus null on odd ids, and a column no run reads.
fn batches(first: u64, batches: u64, rows: u64) -> Vec<RecordBatch> {
    (0..batches)
        .map(|b| {
            let ids: Vec<u64> = (first + b * rows..first + (b + 1) * rows).collect();
            let text: Vec<String> = ids
                .iter()
                .map(|i| match i % 97 {
                    50 => "bad".into(),
                    _ => format!("t{i}"),
                })
                .collect();
            let bonus: Vec<Option<u64>> = ids.iter().map(|i| (i % 2 == 0).then_some(*i)).collect();
            let columns: [(&str, ArrayRef); 4] = [
                ("id", Arc::new(UInt64Array::from(ids))),
                ("text", Arc::new(StringArray::from(text))),
                ("bonus", Arc::new(UInt64Array::from(bonus))),
                (
                    "unused",
                    Arc::new(StringArray::from(vec!["x"; rows as usize])),
                ),
            ];
            RecordBatch::try_from_iter(columns).unwrap()
        })
        .collect()
}

/// `files` IPC files of 4 record batches of 250 rows each.
fn ipc_dataset(dir: &Path, files: u64) -> Vec<PathBuf> {
    (0..files)
        .map(|f| {
            let path = dir.join(format!("in-{f}.arrow"));
            write_ipc(&path, &batches(f * 1000, 4, 250)).unwrap();
            path
        })
        .collect()
}

fn read_ipc(path: &Path) -> Vec<RecordBatch> {
    let file = std::fs::File::open(path).unwrap();
    FileReader::try_new_buffered(file, None)
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn column(batch: &RecordBatch, name: &str) -> Vec<u64> {
    let column = batch.column_by_name(name).unwrap();
    column.as_primitive::<UInt64Type>().values().to_vec()
}

/// (id, score) of every row written, in file order.
fn written(files: &[PathBuf]) -> Vec<(u64, u64)> {
    let batches = files.iter().flat_map(|f| read_ipc(f));
    batches
        .flat_map(|b| column(&b, "id").into_iter().zip(column(&b, "score")))
        .collect()
}

fn expected(total: u64) -> Vec<(u64, u64)> {
    let score =
        |i: u64| format!("t{i}").len() as u64 * 10 + if i.is_multiple_of(2) { i } else { 0 };
    (0..total)
        .filter(|i| i % 97 != 50)
        .map(|i| (i, score(i)))
        .collect()
}

/// (file, row, node, message) of every row in the error files.
fn failures(files: &[PathBuf]) -> Vec<(String, u64, String, String)> {
    let batches: Vec<RecordBatch> = files.iter().flat_map(|f| read_ipc(f)).collect();
    batches
        .iter()
        .flat_map(|b| {
            let text = |n: &str, i| {
                b.column_by_name(n)
                    .unwrap()
                    .as_string::<i32>()
                    .value(i)
                    .to_owned()
            };
            let rows = column(b, "row");
            (0..b.num_rows()).map(move |i| {
                (
                    text("file", i),
                    rows[i],
                    text("node", i),
                    text("message", i),
                )
            })
        })
        .collect()
}

#[test]
fn every_engine_reads_and_writes_ipc_parts_with_failures_numbered_within_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = ipc_dataset(dir.path(), 3);
    let source = || {
        Ipc::files(&inputs)
            .carry(["id"])
            .batch_rows(100)
            .part_bytes(1)
    };
    let p = Score::new();
    let sink = |name: &str| IpcSink::dir(dir.path().join(name)).row_group_rows(64);
    for (name, report) in [
        (
            "sequential",
            p.with_engine(Sequential).map_dataset(source(), sink("seq")),
        ),
        (
            "parallel",
            p.with_engine(Parallel::new())
                .map_dataset(source(), sink("par")),
        ),
        (
            "streaming",
            p.with_engine(Streaming::new())
                .map_dataset(source(), sink("str")),
        ),
    ] {
        let report = report.unwrap();
        // One part per record batch (part_bytes 1), one part file per part.
        assert_eq!((report.parts, report.files.len()), (12, 12), "{name}");
        assert_eq!(
            (report.rows, report.written, report.failed),
            (3000, 2969, 31),
            "{name}"
        );
        assert!(report.files[0].ends_with("part-00000.arrow"), "{name}");
        assert_eq!(written(&report.files), expected(3000), "{name}");
        let batches = read_ipc(&report.files[0]);
        // 250-row batches read 100 rows at a time, written in batches of at most 64 rows.
        assert!(batches.iter().all(|b| b.num_rows() <= 64), "{name}");
        let schema = batches[0].schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["id", "text", "bonus", "score"], "{name}");
        let rows = failures(&report.error_files);
        assert_eq!(rows.len(), 31, "{name}");
        assert!(rows[0].0.ends_with("in-0.arrow"), "{:?}", rows[0]);
        assert_eq!(
            (rows[0].1, rows[0].2.as_str(), rows[0].3.as_str()),
            (50, "score", "cannot score \"bad\"")
        );
        // Rows are numbered within their file, across its record batches (the parts' first
        // rows come from the batches' headers): the bad ids of in-1 (1000..2000) run from
        // 1020, its row 20 in its first batch, to 1990, its row 990 in its fourth.
        assert!(
            rows.iter()
                .any(|r| r.0.ends_with("in-1.arrow") && r.1 == 20),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .any(|r| r.0.ends_with("in-1.arrow") && r.1 == 990),
            "{rows:?}"
        );
    }
}

#[test]
fn parquet_in_ipc_out_and_ipc_read_back_as_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.parquet");
    write_parquet(&input, &batches(0, 2, 500)).unwrap();
    let out = dir.path().join("out");
    let report = Score::new()
        .with_engine(Sequential)
        .map_dataset(Parquet::files([&input]).carry(["id"]), IpcSink::dir(&out))
        .unwrap();
    assert_eq!((report.rows, report.written), (1000, 1000 - 10));
    assert_eq!(written(&report.files), expected(1000));
    // The IPC part files are a dataset in turn: `dir` lists the `.arrow` files, not `_errors`.
    let listed = Ipc::dir(&out).list().unwrap();
    assert_eq!(listed, report.files);
    let mut ids = Vec::new();
    for batch in Ipc::dir(&out).batch_rows(300).items::<Score>().unwrap() {
        let batch = batch.unwrap();
        assert!(batch.len() <= 300);
        ids.extend(batch.into_iter().map(|item| item.text));
    }
    assert_eq!(ids.len(), 990);
}

#[test]
fn a_file_that_is_not_an_ipc_file_stops_the_run_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = ipc_dataset(dir.path(), 2);
    // A file cut short loses its footer; a file of other bytes never had one.
    let bytes = std::fs::read(&inputs[1]).unwrap();
    std::fs::write(&inputs[1], &bytes[..bytes.len() - 7]).unwrap();
    let other = dir.path().join("other.arrow");
    std::fs::write(&other, b"PAR1 this is not arrow").unwrap();
    for broken in [&inputs[1], &other] {
        let files = [&inputs[0], broken];
        let error = Score::new()
            .with_engine(Sequential)
            .map_dataset(Ipc::files(files), IpcSink::dir(dir.path().join("out")))
            .unwrap_err();
        let message = error.to_string();
        assert!(message.contains(&broken.display().to_string()), "{message}");
        assert!(message.contains("not an Arrow IPC file"), "{message}");
        // Nothing ran: the check reads every file's footer first.
        assert!(
            !dir.path().join("out").join("part-00000.arrow").exists(),
            "{message}"
        );
    }
}
