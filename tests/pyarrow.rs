//! Files written by pyarrow are read, and what hypernodes writes is read back by pyarrow with
//! the same rows and types. pyarrow is installed from PyPI (tests/pyarrow/requirements.txt)
//! in a virtual environment of the test's own, kept in target/ between runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use hypernodes::dataset::{Ipc, IpcSink, Parquet, ParquetSink, Sink, Source};
use hypernodes::{node, pipeline, Parallel};

#[node(output = "summary")]
fn summarize(
    id: i64,
    text: String,
    label: Option<String>,
    weights: [f32; 4],
    tags: Vec<i64>,
) -> Option<String> {
    let label = label?;
    let total: f32 = weights.iter().sum();
    Some(format!("{id}/{text}/{label}/{total}/{}", tags.len()))
}

#[node(output = "norm")]
fn norm(weights: &[f32; 4]) -> f64 {
    f64::from(weights.iter().map(|w| w * w).sum::<f32>()).sqrt()
}

pipeline! { Interop = [summarize, norm] }

/// A Python with pyarrow: the venv is made and filled once (once per test binary however
/// many tests ask at the same time), then reused.
fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(python_venv).clone()
}

fn python_venv() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join("target/pyarrow-venv");
    let python = venv.join("bin/python");
    let requirements = root.join("tests/pyarrow/requirements.txt");
    let stamp = venv.join("requirements.installed");
    let wanted = std::fs::read_to_string(&requirements).unwrap();
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        run(Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "-r"])
            .arg(&requirements));
        std::fs::write(&stamp, wanted).unwrap();
    }
    python
}

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// pyarrow writes `format`'s input file (300-row row groups or record batches), the pipeline
/// runs it into `format`'s part files, and pyarrow reads those back.
fn round_trip(format: &str, source: fn(&Path) -> Source, sink: fn(&Path) -> Sink) {
    let python = python();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pyarrow/interop.py");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    run(Command::new(&python)
        .arg(&script)
        .args(["write"])
        .arg(&input)
        .arg(format));

    let out = dir.path().join("out");
    let report = Interop::new()
        .with_engine(Parallel::new())
        .map_dataset(source(&input).part_bytes(1), sink(&out).row_group_rows(128))
        .unwrap();
    // int32 ids read as i64, large_string text as String, null labels as None.
    assert_eq!(
        (report.rows, report.written, report.failed),
        (1000, 1000, 0),
        "{format}"
    );
    assert_eq!(report.parts, 4, "{format}: one part per 300 rows");

    let found = run(Command::new(&python)
        .arg(&script)
        .arg("read")
        .arg(&out)
        .arg(format));
    let list_item = if format == "parquet" {
        "element"
    } else {
        "item"
    };
    let expected = [
        r#""rows": 1000"#,
        r#""id": "int32""#,
        r#""text": "large_string""#,
        r#""label": "string""#,
        // Passed through as read: pyarrow names a list's values `element` in Parquet files
        // and `item` in IPC files.
        &format!(r#""weights": "fixed_size_list<{list_item}: float>[4]""#),
        r#""summary": "string""#,
        r#""norm": "double""#,
        r#""summary": "0/row 0/l0/1.5/0""#,
        r#""norm": 2.29128"#,
        r#""summary_nulls": 100"#,
    ];
    for part in expected {
        assert!(
            found.contains(part),
            "{format}: pyarrow read {found}, without {part}"
        );
    }
}

#[test]
fn pyarrow_files_are_read_and_what_is_written_reads_back_in_pyarrow() {
    round_trip(
        "parquet",
        |input| Parquet::files([input]),
        |out| ParquetSink::dir(out),
    );
}

#[test]
fn pyarrow_feather_files_are_read_and_ipc_parts_read_back_in_pyarrow() {
    round_trip("ipc", |input| Ipc::files([input]), |out| IpcSink::dir(out));
}
