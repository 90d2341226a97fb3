//! Parquet datasets through pipelines: parts, part files, error files, carried columns,
//! checks before any item runs, and a run that writes the same part twice.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use hypernodes::arrow::arrow_array::cast::AsArray;
use hypernodes::arrow::arrow_array::types::UInt64Type;
use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use hypernodes::dataset::parquet;
use hypernodes::dataset::{write_parquet, Parquet, ParquetSink};
use hypernodes::{node, pipeline, Parallel, Sequential, Streaming};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

static CALLS: AtomicUsize = AtomicUsize::new(0);

#[node(output = "score")]
fn score(text: &str, bonus: Option<u64>) -> Result<u64, String> {
    CALLS.fetch_add(1, Ordering::SeqCst);
    if text == "bad" {
        return Err(format!("cannot score {text:?}"));
    }
    Ok(text.len() as u64 * 10 + bonus.unwrap_or(0))
}

pipeline! { Score = [score] }

/// `files` files of `groups` row groups of `rows` rows each: id counts up over the dataset,
/// text is `t{id}` (or "bad" every 97th id), bonus is null on odd ids.
fn dataset(dir: &Path, files: u64, groups: u64, rows: u64) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut id = 0u64;
    for f in 0..files {
        let mut batches = Vec::new();
        for _ in 0..groups {
            let ids: Vec<u64> = (id..id + rows).collect();
            id += rows;
            let text: Vec<String> = ids
                .iter()
                .map(|i| {
                    if i % 97 == 50 {
                        "bad".into()
                    } else {
                        format!("t{i}")
                    }
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
            batches.push(RecordBatch::try_from_iter(columns).unwrap());
        }
        let path = dir.join(format!("in-{f}.parquet"));
        write_groups(&path, &batches);
        paths.push(path);
    }
    paths
}

/// One row group per batch.
fn write_groups(path: &Path, batches: &[RecordBatch]) {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batches[0].schema(), None).unwrap();
    for batch in batches {
        writer.write(batch).unwrap();
        writer.flush().unwrap();
    }
    writer.close().unwrap();
}

fn read_all(path: &Path) -> Vec<RecordBatch> {
    let file = std::fs::File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// (id, score) of every row in the part files, in file order.
fn written(files: &[PathBuf]) -> Vec<(u64, u64)> {
    let mut rows = Vec::new();
    for file in files {
        for batch in read_all(file) {
            let ids = batch
                .column_by_name("id")
                .unwrap()
                .as_primitive::<UInt64Type>()
                .clone();
            let scores = batch
                .column_by_name("score")
                .unwrap()
                .as_primitive::<UInt64Type>()
                .clone();
            rows.extend(
                ids.values()
                    .iter()
                    .copied()
                    .zip(scores.values().iter().copied()),
            );
        }
    }
    rows
}

fn expected(total: u64) -> Vec<(u64, u64)> {
    (0..total)
        .filter(|i| i % 97 != 50)
        .map(|i| {
            (
                i,
                format!("t{i}").len() as u64 * 10 + if i % 2 == 0 { i } else { 0 },
            )
        })
        .collect()
}

#[test]
fn every_engine_writes_each_row_once_with_failures_in_error_files() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dataset(dir.path(), 3, 4, 250);
    let source = || {
        Parquet::files(&inputs)
            .carry(["id"])
            .batch_rows(100)
            .part_bytes(1)
    };
    let p = Score::new();
    for (name, report) in [
        (
            "sequential",
            p.with_engine(Sequential)
                .map_dataset(source(), ParquetSink::dir(dir.path().join("seq"))),
        ),
        (
            "parallel",
            p.with_engine(Parallel::new())
                .map_dataset(source(), ParquetSink::dir(dir.path().join("par"))),
        ),
        (
            "streaming",
            p.with_engine(Streaming::new())
                .map_dataset(source(), ParquetSink::dir(dir.path().join("str"))),
        ),
    ] {
        let report = report.unwrap();
        // One part per row group (part_bytes 1), one part file per part.
        assert_eq!((report.parts, report.files.len()), (12, 12), "{name}");
        assert_eq!((report.rows, report.failed), (3000, 31), "{name}");
        assert_eq!(report.written, 3000 - 31, "{name}");
        assert_eq!(written(&report.files), expected(3000), "{name}");
        // The columns read (inputs and the carried id) sit beside the output; others are not read.
        let schema = read_all(&report.files[0])[0].schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["id", "text", "bonus", "score"], "{name}");
        // Each failed row is in its part's error file: the file, its row there, node, message.
        let errors: Vec<RecordBatch> = report
            .error_files
            .iter()
            .flat_map(|f| read_all(f))
            .collect();
        let rows: Vec<(String, u64, String, String)> = errors
            .iter()
            .flat_map(|b| {
                let col = |n: &str| b.column_by_name(n).unwrap().clone();
                let (file, row, node, message) =
                    (col("file"), col("row"), col("node"), col("message"));
                (0..b.num_rows())
                    .map(|i| {
                        (
                            file.as_string::<i32>().value(i).to_owned(),
                            row.as_primitive::<UInt64Type>().value(i),
                            node.as_string::<i32>().value(i).to_owned(),
                            message.as_string::<i32>().value(i).to_owned(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(rows.len(), 31, "{name}");
        let first = &rows[0];
        assert!(first.0.ends_with("in-0.parquet"), "{first:?}");
        assert_eq!(
            (first.1, first.2.as_str(), first.3.as_str()),
            (50, "score", "cannot score \"bad\"")
        );
        // Rows are numbered within their file: id 1020 (97 * 10 + 50) is row 20 of the second.
        assert!(
            rows.iter()
                .any(|r| r.0.ends_with("in-1.parquet") && r.1 == 20),
            "{rows:?}"
        );
    }
}

#[test]
fn a_null_where_the_input_is_not_an_option_fails_that_row_only() {
    #[node(output = "double")]
    fn double(id: u64) -> u64 {
        id * 2
    }
    pipeline! { Double = [double] }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ids.parquet");
    let ids: ArrayRef = Arc::new(UInt64Array::from(vec![Some(1), None, Some(3)]));
    write_parquet(&path, &[RecordBatch::try_from_iter([("id", ids)]).unwrap()]).unwrap();
    let report = Double::new()
        .map_dataset(
            Parquet::files([&path]),
            ParquetSink::dir(dir.path().join("out")),
        )
        .unwrap();
    assert_eq!((report.written, report.failed), (2, 1));
    let errors = read_all(&report.error_files[0]);
    assert_eq!(
        errors[0].column(1).as_primitive::<UInt64Type>().values(),
        &[1]
    );
    // The same words as `map_batch`'s error, naming the Rust type.
    assert_eq!(
        errors[0].column(3).as_string::<i32>().value(0),
        "column `id`: null, and `u64` has no null (make the input an `Option`)"
    );
}

#[test]
fn a_missing_or_mistyped_column_in_any_file_stops_the_run_before_any_item_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = dataset(dir.path(), 2, 1, 10);
    let odd = dir.path().join("odd.parquet");
    let text: ArrayRef = Arc::new(UInt64Array::from(vec![1, 2]));
    let bonus: ArrayRef = Arc::new(UInt64Array::from(vec![1, 2]));
    let odd_batch = RecordBatch::try_from_iter([("text", text), ("bonus", bonus)]).unwrap();
    write_parquet(&odd, &[odd_batch]).unwrap();
    inputs.push(odd);
    CALLS.store(0, Ordering::SeqCst);
    let out = dir.path().join("out");
    let err = Score::new()
        .with_engine(Sequential)
        .map_dataset(Parquet::files(&inputs), ParquetSink::dir(&out))
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("column `text`: its Arrow type UInt64 cannot be read as `String`"),
        "{err}"
    );
    assert!(err.to_string().ends_with("odd.parquet)"), "{err}");
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);
    assert!(!out.exists(), "nothing was written");
    // A carried column must exist too.
    let err = Score::new()
        .map_dataset(
            Parquet::files(&inputs[..1]).carry(["nope"]),
            ParquetSink::dir(&out),
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("column `nope`: carried, but missing"),
        "{err}"
    );
}

#[test]
fn running_again_into_the_same_directory_replaces_each_part_whole() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dataset(dir.path(), 1, 3, 40);
    let run = || {
        Score::new()
            .map_dataset(
                Parquet::files(&inputs).carry(["id"]).part_bytes(1),
                ParquetSink::dir(dir.path().join("out")),
            )
            .unwrap()
    };
    let first = run();
    let second = run();
    assert_eq!(first.files, second.files);
    let on_disk: Vec<PathBuf> = {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    };
    assert_eq!(
        on_disk, second.files,
        "no temporary or duplicate file is left"
    );
    assert_eq!(written(&on_disk), expected(120));
}

#[test]
fn a_directory_source_reads_its_parquet_files_by_name_and_items_come_out_typed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    dataset(&data, 2, 2, 5);
    std::fs::write(data.join("notes.txt"), "not parquet").unwrap();
    let report = Score::new()
        .map_dataset(
            Parquet::dir(&data).carry(["id"]),
            ParquetSink::dir(dir.path().join("out")),
        )
        .unwrap();
    assert_eq!(report.rows, 20);
    let only_first = Parquet::glob(data.join("in-0.*")).list().unwrap();
    assert_eq!(only_first, [data.join("in-0.parquet")]);
    let report = Score::new()
        .map_dataset(
            Parquet::glob(data.join("in-*.parquet")),
            ParquetSink::dir(dir.path().join("globbed")),
        )
        .unwrap();
    assert_eq!(report.rows, 20);
    let items: Vec<ScoreInputs> = Parquet::dir(&data)
        .batch_rows(3)
        .items::<Score>()
        .unwrap()
        .flat_map(Result::unwrap)
        .collect();
    assert_eq!(items.len(), 20);
    assert_eq!((items[4].text.as_str(), items[4].bonus), ("t4", Some(4)));
    assert_eq!(items[5].bonus, None);
}

#[test]
fn stateful_resources_are_built_once_per_worker_for_the_whole_dataset() {
    use hypernodes::{BoxError, Stateful, WorkerContext};
    static BUILDS: AtomicUsize = AtomicUsize::new(0);
    pub struct Offset(u64);
    impl Stateful for Offset {
        fn create(_: &WorkerContext) -> Result<Self, BoxError> {
            BUILDS.fetch_add(1, Ordering::SeqCst);
            Ok(Offset(1000))
        }
    }
    #[node(output = "shifted", stateful(offset))]
    fn shift(id: u64, offset: &Offset) -> u64 {
        id + offset.0
    }
    pipeline! { Shift = [shift] }
    let dir = tempfile::tempdir().unwrap();
    let inputs = dataset(dir.path(), 2, 3, 50);
    // 2 files x 3 parts x 5 batches of 10 rows: 30 batches, one build.
    let source = Parquet::files(&inputs).batch_rows(10).part_bytes(1);
    let report = Shift::new()
        .with_engine(Sequential)
        .map_dataset(source, ParquetSink::dir(dir.path().join("out")))
        .unwrap();
    assert_eq!((report.parts, report.rows), (6, 300));
    assert_eq!(BUILDS.load(Ordering::SeqCst), 1);
}

/// A batch node borrowing an input column (`id`, lent by the batch on every local engine) after a per-item node that fails on some rows, so that some of its batches are
/// items apart.
#[node(output = "weight", batch)]
fn weigh(id: &[u64], score: &[u64]) -> Vec<u64> {
    id.iter()
        .zip(score)
        .map(|(id, score)| id * 1000 + score)
        .collect()
}

/// `score` without counting calls (other tests of this file count `score`'s).
#[node(output = "score")]
fn rate(text: &str, bonus: Option<u64>) -> Result<u64, String> {
    if text == "bad" {
        return Err(format!("cannot score {text:?}"));
    }
    Ok(text.len() as u64 * 10 + bonus.unwrap_or(0))
}

pipeline! { Weigh = [rate, weigh] }

#[test]
fn a_batch_node_borrowing_a_column_gets_each_rows_value_in_a_dataset_run() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dataset(dir.path(), 2, 3, 250);
    let source = || Parquet::files(&inputs).batch_rows(100).part_bytes(1);
    let p = Weigh::new();
    let runs = [
        (
            "sequential",
            p.with_engine(Sequential.batch_size(16))
                .map_dataset(source(), ParquetSink::dir(dir.path().join("seq"))),
        ),
        (
            "parallel",
            p.with_engine(Parallel::new().threads(2).batch_size(16))
                .map_dataset(source(), ParquetSink::dir(dir.path().join("par"))),
        ),
        (
            "streaming",
            p.with_engine(Streaming::new().batch_size(16))
                .map_dataset(source(), ParquetSink::dir(dir.path().join("str"))),
        ),
    ];
    for (name, report) in runs {
        let report = report.unwrap();
        assert_eq!((report.rows, report.failed), (1500, 15), "{name}");
        let mut rows = Vec::new();
        for batch in report.files.iter().flat_map(|f| read_all(f)) {
            let column = |n: &str| {
                batch
                    .column_by_name(n)
                    .unwrap()
                    .as_primitive::<UInt64Type>()
                    .clone()
            };
            let (ids, weights) = (column("id"), column("weight"));
            rows.extend(
                ids.values()
                    .iter()
                    .copied()
                    .zip(weights.values().iter().copied()),
            );
        }
        let want: Vec<(u64, u64)> = expected(1500)
            .into_iter()
            .map(|(id, score)| (id, id * 1000 + score))
            .collect();
        assert_eq!(rows, want, "{name}");
    }
}
