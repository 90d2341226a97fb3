//! `use_process` nodes: calls in worker processes of this test binary, stateful resources built
//! once per worker process, and workers that abort or are killed failing only their item (or
//! being retried), restarted for the rest of the run.

use std::sync::atomic::{AtomicUsize, Ordering};

use hypernodes::{
    node, pipeline, BoxError, ErrorKind, Parallel, Sequential, Stateful, Streaming, WorkerContext,
};

hypernodes::test_worker!();

/// Built in each worker process; counts its builds there.
pub struct Model {
    builds: usize,
}

static BUILDS_HERE: AtomicUsize = AtomicUsize::new(0);

impl Stateful for Model {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        let builds = BUILDS_HERE.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(Model { builds })
    }
}

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

/// Runs in a worker process: says which, and how often its model was built there.
#[node(output = ("score", "pid", "builds"), stateful(model), config(use_process = true))]
fn score(cleaned: &str, model: &Model) -> Result<(usize, u32, usize), String> {
    match cleaned {
        "abort" => std::process::abort(),
        // `kill -9` from outside, and the signal a segmentation fault raises.
        "kill" => signal_self("-KILL"),
        "segv" => signal_self("-SEGV"),
        "bad" => Err("bad input".into()),
        "boom" => panic!("boom input"),
        other => Ok((other.len(), std::process::id(), model.builds)),
    }
}

/// Sends this process `signal` until it lands. The Rust runtime's handler for SIGSEGV (there
/// to report stack overflows) takes the first one sent from outside and restores the default
/// action, as after a real fault, whose next access faults again: the second one ends it.
fn signal_self(signal: &str) -> ! {
    let me = std::process::id().to_string();
    loop {
        let _ = std::process::Command::new("kill")
            .args([signal, &me])
            .status();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

pipeline! { Scores = [clean, score] }

fn inputs(texts: &[&str]) -> Vec<ScoresInputs> {
    texts
        .iter()
        .map(|t| ScoresInputs {
            text: (*t).to_owned(),
        })
        .collect()
}

#[test]
fn calls_run_in_worker_processes_that_build_their_state_once() {
    let texts: Vec<String> = (0..60).map(|i| "x".repeat(i % 7)).collect();
    let items = || texts.iter().map(|t| ScoresInputs { text: t.clone() });
    for results in [
        Scores::new().with_engine(Sequential).map(items()).unwrap(),
        Scores::new()
            .with_engine(Parallel::new().threads(3).batch_size(4))
            .map(items())
            .unwrap(),
        Scores::new()
            .with_engine(Streaming::new().threads(2).batch_size(5))
            .map(items())
            .unwrap(),
    ] {
        for (i, out) in results.iter().enumerate() {
            assert_eq!(out.score, i % 7);
            assert_ne!(
                out.pid,
                std::process::id(),
                "item {i} ran in the test process"
            );
            assert_eq!(
                out.builds, 1,
                "the model was built again in worker {}",
                out.pid
            );
        }
    }
    assert_eq!(
        BUILDS_HERE.load(Ordering::SeqCst),
        0,
        "the model was built in the parent"
    );
    assert_eq!(
        Scores::new()
            .run(ScoresInputs {
                text: " AbC ".into()
            })
            .unwrap()
            .score,
        3
    );
}

#[test]
fn a_worker_that_aborts_or_is_killed_fails_only_its_item_and_the_run_goes_on() {
    let texts = [
        "a", "abort", "bb", "kill", "ccc", "bad", "segv", "boom", "dddd", "abort", "e",
    ];
    let engine = Parallel::new().threads(2).batch_size(2);
    let results = Scores::new()
        .with_engine(engine)
        .map_results(inputs(&texts));
    assert_eq!(results.len(), texts.len());
    for (i, (text, result)) in texts.iter().zip(&results).enumerate() {
        match *text {
            "abort" | "kill" | "segv" => {
                let err = result.as_ref().unwrap_err();
                assert_eq!((err.node(), err.item()), ("score", Some(i)));
                let signal = match *text {
                    "abort" => "SIGABRT",
                    "kill" => "SIGKILL",
                    _ => "SIGSEGV",
                };
                assert!(
                    matches!(err.kind(), ErrorKind::WorkerDied(how) if how.contains(signal)),
                    "{err}"
                );
            }
            "bad" => assert!(result
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("bad input")),
            "boom" => {
                let err = result.as_ref().unwrap_err();
                assert!(
                    err.is_panic() && err.to_string().contains("boom input"),
                    "{err}"
                );
            }
            _ => assert_eq!(result.as_ref().unwrap().score, text.len()),
        }
    }
}

#[node(output = "survived", config(use_process = true, max_retries = 2))]
fn crash_once(x: u64, marker: &str) -> u64 {
    // The first attempt's worker dies; the retry runs in a new worker process.
    if std::fs::metadata(marker).is_err() {
        std::fs::write(marker, b"crashed").unwrap();
        std::process::abort();
    }
    x + 1
}

pipeline! { Retried = [crash_once] }

#[test]
fn a_crash_is_retried_in_a_new_worker_per_max_retries() {
    let marker = std::env::temp_dir().join(format!("hypernodes-crash-once-{}", std::process::id()));
    let _ = std::fs::remove_file(&marker);
    let marker = marker.to_string_lossy().into_owned();
    let out = Retried::new()
        .with_engine(Sequential)
        .map((0..3).map(|x| RetriedInputs {
            x,
            marker: marker.clone(),
        }))
        .unwrap();
    assert_eq!(
        out.iter().map(|o| o.survived).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let _ = std::fs::remove_file(&marker);
}

/// Set in the copy of this test binary that the next test runs.
const REPLACED: &str = "HN_TEST_BINARY_REPLACED";

/// A rebuild during a run puts a new file where the program was started from. Workers started
/// after that (here, after each crash) must still be this program: before they were started
/// from the running image, every later item failed.
#[test]
fn a_binary_replaced_during_the_run_fails_no_later_item() {
    const TEST: &str = "a_binary_replaced_during_the_run_fails_no_later_item";
    if std::env::var_os(REPLACED).is_some() {
        let me = std::env::current_exe().unwrap();
        std::fs::remove_file(&me).unwrap();
        std::fs::write(&me, "#!/bin/sh\nexit 3\n").unwrap();
        make_executable(&me);
        let texts = ["a", "abort", "bb", "abort", "ccc", "abort", "dddd"];
        let results = Scores::new()
            .with_engine(Sequential)
            .map_results(inputs(&texts));
        for (text, result) in texts.iter().zip(&results) {
            match *text {
                "abort" => assert!(
                    matches!(result.as_ref().unwrap_err().kind(), ErrorKind::WorkerDied(how) if how.contains("SIGABRT")),
                    "{result:?}"
                ),
                _ => assert_eq!(result.as_ref().unwrap().score, text.len(), "{result:?}"),
            }
        }
        return;
    }
    let dir = std::env::temp_dir().join(format!("hn-replaced-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("isolated-copy");
    std::fs::copy(std::env::current_exe().unwrap(), &copy).unwrap();
    make_executable(&copy);
    let status = std::process::Command::new(&copy)
        .args(["--exact", TEST, "--nocapture", "--test-threads=1", "-q"])
        .env(REPLACED, "1")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        status.success(),
        "the run in the replaced binary failed: {status}"
    );
}

fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Set in the copy of this test binary that the next test runs.
const RAN_MAIN: &str = "HN_TEST_WORKER_RAN_MAIN";

/// A worker copy of a program that forgot `serve_if_worker` runs `main`, whose `map` would
/// start more copies, each doing the same (84 copies for a 4-item map before this was fixed).
/// Here the copy is this binary started as a worker of `score` but on this test: its `map`
/// must end it at once, with the fix in its message, rather than start workers.
#[test]
fn a_worker_copy_that_runs_the_program_starts_no_workers_of_its_own() {
    const TEST: &str = "a_worker_copy_that_runs_the_program_starts_no_workers_of_its_own";
    if std::env::var_os(RAN_MAIN).is_some() {
        let _ = Scores::new().map_results(inputs(&["a", "b"]));
        println!("started workers");
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1", "-q"])
        .env(RAN_MAIN, "1")
        .env("HYPERNODES_WORKER_NODE", "some-node")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("started workers"),
        "the copy ran its map"
    );
    assert_eq!(out.status.code(), Some(86), "{stderr}");
    assert!(stderr.contains("hypernodes::serve_if_worker()"), "{stderr}");
}

/// Before dead idle workers were replaced, the next item after a kill failed with
/// `WorkerDied` though it had nothing to do with it.
#[test]
fn a_worker_killed_while_idle_is_replaced_before_the_next_item() {
    let p = Scores::new();
    let first = p.run(ScoresInputs { text: "a".into() }).unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &first.pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(std::time::Duration::from_millis(100));
    let second = p.run(ScoresInputs { text: "bb".into() }).unwrap();
    assert_eq!(second.score, 2);
    assert_ne!(second.pid, first.pid, "a new worker served it");
}

/// Hangs on "hang" (a call that never ends), after writing its worker's pid where the test
/// says; returns the length of other texts.
#[node(output = "length", config(use_process = true, timeout_ms = 300))]
fn maybe_hang(text: String) -> usize {
    if text == "hang" {
        if let Ok(path) = std::env::var(HANG_PID_FILE) {
            std::fs::write(path, std::process::id().to_string()).unwrap();
        }
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
    text.len()
}

pipeline! { MaybeHang = [maybe_hang] }

const HANG_PID_FILE: &str = "HN_TEST_HANG_PID_FILE";

fn hang_inputs(texts: &[&str]) -> Vec<MaybeHangInputs> {
    texts
        .iter()
        .map(|t| MaybeHangInputs {
            text: (*t).to_owned(),
        })
        .collect()
}

#[test]
fn a_call_past_its_timeout_fails_its_item_and_the_worker_is_replaced() {
    let start = std::time::Instant::now();
    let results = MaybeHang::new()
        .with_engine(Sequential)
        .map_results(hang_inputs(&["a", "hang", "bb", "hang", "ccc"]));
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    for (i, result) in results.iter().enumerate() {
        match i {
            1 | 3 => {
                let err = result.as_ref().unwrap_err();
                assert_eq!(err.item(), Some(i));
                assert!(
                    matches!(err.kind(), ErrorKind::WorkerDied(how) if how.contains("300 ms")),
                    "{err}"
                );
            }
            _ => assert_eq!(result.as_ref().unwrap().length, i / 2 + 1),
        }
    }
}

/// Set in the copy of this test binary that the next test runs and kills.
const KILLED_PARENT: &str = "HN_TEST_KILLED_PARENT";

/// A program killed with `kill -9` while its worker hangs in a call: the worker must not run
/// on, reparented, for ever.
#[test]
fn workers_end_with_their_program_even_while_a_call_hangs() {
    const TEST: &str = "workers_end_with_their_program_even_while_a_call_hangs";
    if std::env::var_os(KILLED_PARENT).is_some() {
        let engine = Sequential;
        let _ = Hangs::new()
            .with_engine(engine)
            .map_results(["hang"].map(|t| HangsInputs { text: t.to_owned() }));
        return;
    }
    let dir = std::env::temp_dir().join(format!("hn-killed-parent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pid_file = dir.join("worker.pid");
    let mut program = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1", "-q"])
        .env(KILLED_PARENT, "1")
        .env(HANG_PID_FILE, &pid_file)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let worker = wait_for("the worker's pid", || {
        std::fs::read_to_string(&pid_file)
            .ok()
            .filter(|p| !p.is_empty())
    });
    program.kill().unwrap();
    program.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    wait_for("the worker to end with its program", || {
        (!runs(&worker)).then_some(())
    });
}

/// A node that hangs without a timeout: only its program's end can end its worker.
#[node(output = "length", config(use_process = true))]
fn hang_forever(text: String) -> usize {
    maybe_hang(text)
}

pipeline! { Hangs = [hang_forever] }

/// Polls `check` for up to 10 s for `what`.
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = std::time::Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "waited 10 s for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Whether process `pid` still runs (a zombie waiting for a reaper does not).
fn runs(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// A cached `use_process` node: the parent looks its values up and stores what workers
/// return, so a second run calls no worker and gives the same values.
#[test]
fn a_cached_node_in_worker_processes_is_served_from_the_cache_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let texts = ["a", "bb", "ccc", "dddd"];
    let cached =
        || Scores::new().with_cache(hypernodes::cache::DiskCache::open(dir.path()).unwrap());
    let first = cached()
        .with_engine(Parallel::new().threads(2).batch_size(1))
        .map(inputs(&texts))
        .unwrap();
    let again = cached();
    let second = again.with_engine(Sequential).map(inputs(&texts)).unwrap();
    for (a, b) in first.iter().zip(&second) {
        assert_eq!((a.score, a.pid), (b.score, b.pid), "served as computed");
        assert_ne!(b.pid, std::process::id(), "computed in a worker");
    }
    let stats = again.cache().unwrap().stats();
    assert_eq!((stats.hits, stats.misses), (8, 0), "{stats:?}");
}
