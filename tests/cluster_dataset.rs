//! Datasets on a cluster of loopback processes: each process reads its share of the parts and
//! writes their part files (a JSON Lines file's parts found by each process from the file
//! alone); a process killed mid-run has its share written by another, with no row lost or
//! written twice. `Cluster::local` starts copies of this test binary that run only
//! the calling test, as the other processes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use hypernodes::arrow::arrow_array::cast::AsArray;
use hypernodes::arrow::arrow_array::types::UInt64Type;
use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, UInt64Array};
use hypernodes::dataset::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use hypernodes::dataset::parquet::arrow::ArrowWriter;
use hypernodes::dataset::{DatasetReport, Jsonl, Parquet, ParquetSink};
use hypernodes::{node, pipeline, Cluster};

const FILES: u64 = 4;
const GROUPS: u64 = 6;
const ROWS: u64 = 250;
const TOTAL: u64 = FILES * GROUPS * ROWS;

/// Every 101st row fails.
#[node(output = ("doubled", "pid"))]
fn double(id: u64) -> Result<(u64, u64), String> {
    match id % 101 {
        7 => Err(format!("no double for {id}")),
        _ => Ok((2 * id, u64::from(std::process::id()))),
    }
}

pipeline! { Doubles = [double] }

static SEEN: AtomicUsize = AtomicUsize::new(0);

/// `double`, but process 2 aborts at the 1,200th row it runs: after it has written part
/// files, before its share is done.
#[node(output = ("doubled", "pid"))]
fn double_or_die(id: u64) -> Result<(u64, u64), String> {
    let process_2 = std::env::var("HYPERNODES_PROCESS").as_deref() == Ok("2");
    if process_2 && SEEN.fetch_add(1, Ordering::SeqCst) == 1_200 {
        std::process::abort();
    }
    double(id)
}

pipeline! { DoublesOrDie = [double_or_die] }

/// The same directory in every process of one test (the others are children of process 0),
/// with the input written by process 0 before the cluster starts.
fn dataset(test: &str) -> (PathBuf, Vec<PathBuf>) {
    let process_0 = match std::env::var_os("HYPERNODES_PROCESS") {
        Some(_) => std::os::unix::process::parent_id(),
        None => std::process::id(),
    };
    let dir = std::env::temp_dir().join(format!("hn-dataset-{test}-{process_0}"));
    let files: Vec<PathBuf> = (0..FILES)
        .map(|f| dir.join(format!("in-{f}.parquet")))
        .collect();
    if std::env::var_os("HYPERNODES_PROCESS").is_none() {
        std::fs::create_dir_all(&dir).unwrap();
        for (f, path) in files.iter().enumerate() {
            write_file(path, f as u64 * GROUPS * ROWS);
        }
    }
    (dir, files)
}

/// GROUPS row groups of ROWS ids each, from `first`.
fn write_file(path: &Path, first: u64) {
    let file = std::fs::File::create(path).unwrap();
    let batch = |start: u64| {
        let ids: ArrayRef = Arc::new(UInt64Array::from((start..start + ROWS).collect::<Vec<_>>()));
        RecordBatch::try_from_iter([("id", ids)]).unwrap()
    };
    let mut writer = ArrowWriter::try_new(file, batch(0).schema(), None).unwrap();
    for group in 0..GROUPS {
        writer.write(&batch(first + group * ROWS)).unwrap();
        writer.flush().unwrap();
    }
    writer.close().unwrap();
}

/// (id, doubled, pid) of every row of the part files.
fn rows(files: &[PathBuf]) -> Vec<(u64, u64, u64)> {
    let mut rows = Vec::new();
    for file in files {
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(file).unwrap())
            .unwrap()
            .build()
            .unwrap();
        for batch in reader {
            let batch = batch.unwrap();
            let column = |name: &str| {
                batch
                    .column_by_name(name)
                    .unwrap()
                    .as_primitive::<UInt64Type>()
                    .values()
                    .to_vec()
            };
            let (ids, doubled, pids) = (column("id"), column("doubled"), column("pid"));
            rows.extend((0..ids.len()).map(|i| (ids[i], doubled[i], pids[i])));
        }
    }
    rows
}

/// Every id of every part once, doubled; the processes that wrote them.
fn check_whole(report: &DatasetReport) -> BTreeSet<u64> {
    let failing = (0..TOTAL).filter(|id| id % 101 == 7).count() as u64;
    assert_eq!((report.rows, report.failed), (TOTAL, failing), "{report}");
    let rows = rows(&report.files);
    let ids: BTreeSet<u64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(rows.len(), ids.len(), "a row was written twice");
    let expected: BTreeSet<u64> = (0..TOTAL).filter(|id| id % 101 != 7).collect();
    assert_eq!(ids, expected, "a row was lost");
    assert!(rows.iter().all(|r| r.1 == 2 * r.0));
    rows.iter().map(|r| r.2).collect()
}

#[test]
fn each_process_reads_and_writes_its_own_share_of_the_parts() {
    let (dir, files) = dataset("shares");
    let report = Doubles::new()
        .with_engine(Cluster::local(3, 1))
        .map_dataset(
            Parquet::files(&files).carry(["id"]).part_bytes(1),
            ParquetSink::dir(dir.join("out")),
        )
        .unwrap();
    let writers = check_whole(&report);
    assert_eq!(report.parts as u64, FILES * GROUPS);
    assert_eq!(writers.len(), 3, "every process wrote parts: {writers:?}");
    assert_eq!(report.files.len() as u64, FILES * GROUPS);
    assert!(!report.error_files.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_process_killed_mid_run_has_its_share_written_by_another() {
    let (dir, files) = dataset("killed");
    // Batches of 50 rows: process 2 dies with a part file half written.
    let source = Parquet::files(&files)
        .carry(["id"])
        .part_bytes(1)
        .batch_rows(50);
    let report = DoublesOrDie::new()
        .with_engine(Cluster::local(3, 1))
        .map_dataset(source, ParquetSink::dir(dir.join("out")))
        .unwrap();
    let writers = check_whole(&report);
    assert_eq!(report.parts as u64, FILES * GROUPS);
    assert_eq!(
        writers.len(),
        2,
        "process 2 died; the other two wrote every part: {writers:?}"
    );
    // What process 2 was writing when it died is gone too: only part files are left.
    let mut left: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "_errors")
        .collect();
    left.sort();
    let parts: Vec<String> = (0..FILES * GROUPS)
        .map(|i| format!("part-{i:05}.parquet"))
        .collect();
    assert_eq!(left, parts);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_json_lines_file_is_shared_out_by_its_line_units() {
    let (dir, _) = dataset("jsonl");
    let file = dir.join("in.jsonl");
    if std::env::var_os("HYPERNODES_PROCESS").is_none() {
        let lines: String = (0..TOTAL).map(|id| format!("{{\"id\": {id}}}\n")).collect();
        std::fs::write(&file, lines).unwrap();
    }
    let report = Doubles::new()
        .with_engine(Cluster::local(3, 1))
        .map_dataset(
            Jsonl::files([&file]).carry(["id"]).part_bytes(4096),
            ParquetSink::dir(dir.join("out")),
        )
        .unwrap();
    assert!(report.parts > 10, "{report}");
    let writers = check_whole(&report);
    assert_eq!(writers.len(), 3, "every process wrote parts: {writers:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
