//! A node that aborts the whole process on some inputs (as a crashing C library would), run
//! with `use_process = true`: its calls run in worker processes, so each abort fails only the
//! item it was running, the worker is restarted, and every other item gets its result.
//!
//! `cargo run --release --example isolated`

use hypernodes::{node, pipeline, ErrorKind, Parallel};

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

/// Stands in for native code that may take the process down.
#[node(output = "parsed", config(use_process = true, max_concurrency = 2))]
fn parse(cleaned: &str) -> Result<u64, String> {
    if cleaned.contains("corrupt") {
        std::process::abort();
    }
    cleaned.parse().map_err(|e| format!("not a number: {e}"))
}

pipeline! { Parse = [clean, parse] }

fn main() {
    // Worker processes are this program started again: they serve `parse` and exit here.
    hypernodes::serve_if_worker();

    let texts = [" 1", "2 ", "corrupt", "4", "x", " corrupt file ", "7", "8"];
    let items = texts.map(|t| ParseInputs { text: t.into() });
    let results = Parse::new()
        .with_engine(Parallel::new().batch_size(2))
        .map_results(items);
    let (mut ok, mut crashed, mut failed) = (0, 0, 0);
    for (text, result) in texts.iter().zip(&results) {
        match result {
            Ok(out) => {
                ok += 1;
                println!("{:>16} -> {}", format!("{text:?}"), out.parsed);
            }
            Err(err) if matches!(err.kind(), ErrorKind::WorkerDied(_)) => {
                crashed += 1;
                println!("{:>16} -> {err}", format!("{text:?}"));
            }
            Err(err) => {
                failed += 1;
                println!("{:>16} -> {err}", format!("{text:?}"));
            }
        }
    }
    println!("{ok} parsed, {failed} failed, {crashed} crashed their worker; the run completed");
    assert_eq!((ok, failed, crashed), (5, 1, 2));
}
