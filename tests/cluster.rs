//! The cluster engine on loopback: each test's `Cluster::local` starts copies of this test
//! binary that run only that test, as the other processes.

use std::time::{Duration, Instant};

use hypernodes::{node, pipeline, Cluster, ErrorKind, Sequential};

/// A model that remembers where it was built.
pub struct Model {
    process: u32,
    thread: String,
}

impl hypernodes::Stateful for Model {
    fn create(_: &hypernodes::WorkerContext) -> Result<Self, hypernodes::BoxError> {
        Ok(Model {
            process: std::process::id(),
            thread: std::thread::current().name().unwrap_or("").to_owned(),
        })
    }
}

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "score", stateful(model))]
pub fn predict(cleaned: &str, model: &Model) -> u64 {
    let _ = &model.thread;
    cleaned.bytes().map(u64::from).sum::<u64>() % 1000
}

#[node(output = "built_in", stateful(model))]
pub fn where_built(model: &Model) -> u32 {
    model.process
}

pipeline! { Scoring = [clean, predict, where_built] }

fn scoring() -> Scoring {
    Scoring::new()
}

fn texts(n: usize) -> impl Iterator<Item = ScoringInputs> {
    (0..n).map(|i| ScoringInputs {
        text: format!(
            "  Item {i}: The Quick BROWN fox jumps over {} lazy DOGS  ",
            i % 97
        ),
    })
}

#[test]
fn two_processes_of_two_workers_give_the_local_outputs() {
    let p = scoring();
    let local = p.with_engine(Sequential).map(texts(5_000)).unwrap();
    let cluster = p
        .with_engine(Cluster::local(2, 2))
        .map(texts(5_000))
        .unwrap();
    assert_eq!(cluster.len(), local.len());
    for (c, l) in cluster.iter().zip(&local) {
        assert_eq!((&c.cleaned, c.score), (&l.cleaned, l.score));
    }
    let mut processes: Vec<u32> = cluster.iter().map(|o| o.built_in).collect();
    processes.sort_unstable();
    processes.dedup();
    assert_eq!(processes.len(), 2, "items ran on both processes");
    assert!(processes.contains(&std::process::id()));
}

#[node(output = "checked")]
pub fn check(score: u64, text: String) -> u64 {
    assert!(!text.contains("Item 123:"), "item 123 is cursed");
    score
}

pipeline! { Checked = [clean, predict, check] }

#[test]
fn a_node_panicking_on_one_item_is_that_items_error() {
    let p = Checked::new();
    let items = || {
        texts(600).map(|i| CheckedInputs {
            text: i.text.clone(),
        })
    };
    let start = Instant::now();
    let err = p
        .with_engine(Cluster::local(2, 2))
        .map(items())
        .unwrap_err();
    assert_eq!((err.node(), err.item()), ("check", Some(123)));
    assert!(matches!(err.kind(), ErrorKind::Panicked(m) if m.contains("cursed")));

    let each = p.with_engine(Cluster::local(2, 2)).map_results(items());
    assert_eq!(each.len(), 600);
    assert_eq!(each.iter().filter(|r| r.is_err()).count(), 1);
    assert!(each[123].is_err() && each[122].is_ok() && each[599].is_ok());
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[node(output = "survived")]
pub fn die_on_process_1(score: u64, index: usize) -> u64 {
    // A real `kill -9` of process 1, at its first item past the middle of the run.
    if index >= 2_000 && std::env::var("HYPERNODES_PROCESS").as_deref() == Ok("1") {
        let pid = std::process::id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid])
            .status();
        std::thread::sleep(Duration::from_secs(60));
    }
    score
}

pipeline! { Fragile = [clean, predict, die_on_process_1] }

fn fragile_items() -> impl Iterator<Item = FragileInputs> {
    (0..4_000).map(|index| FragileInputs {
        text: format!("item {index}"),
        index,
    })
}

/// Before units were sent again, the killed process's items were all errors, and a process
/// that died took the work of the others with it.
#[test]
fn killing_a_process_mid_run_loses_no_item() {
    let p = Fragile::new();
    let start = Instant::now();
    let each = p
        .with_engine(Cluster::local(3, 1).batch_size(50))
        .map_results(fragile_items());
    let elapsed = start.elapsed();
    // Only on process 0, after the run: on process 1 this kills the process too.
    let expected = p.with_engine(Sequential).map(fragile_items()).unwrap();
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    let outputs: Vec<u64> = each
        .into_iter()
        .map(|result| result.unwrap_or_else(|e| panic!("an item was lost: {e}")))
        .map(|out| out.survived)
        .collect();
    let expected: Vec<u64> = expected.iter().map(|out| out.survived).collect();
    assert_eq!(outputs, expected);
}

/// A unit may lose its process at most `max_unit_losses` times: past that its items fail,
/// naming the process lost, and no other item does.
#[test]
fn a_unit_that_loses_its_process_too_often_fails_naming_it() {
    let each = Fragile::new()
        .with_engine(Cluster::local(2, 1).batch_size(50).max_unit_losses(0))
        .map_results(fragile_items());
    assert_eq!(each.len(), 4_000);
    let lost = each
        .iter()
        .filter_map(|r| r.as_ref().err())
        .inspect(|e| {
            assert!(
                matches!(e.kind(), ErrorKind::Cluster(m) if m.contains("process 1") && m.contains("lost its process 1 times")),
                "{e}"
            )
        })
        .count();
    assert!(
        lost > 0 && lost <= 100,
        "the units process 1 held fail: {lost}"
    );
    assert!(each[..2_000].iter().all(Result::is_ok));
}

#[test]
fn a_peer_that_never_starts_is_an_error_at_the_deadline() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let me = listener.local_addr().unwrap().to_string();
    drop(listener);
    let cluster = Cluster::new(0, [me, "127.0.0.1:9".to_owned()])
        .workers(1)
        .connect_timeout(Duration::from_millis(800));
    let start = Instant::now();
    let err = scoring().with_engine(cluster).map(texts(10)).unwrap_err();
    let elapsed = start.elapsed();
    assert!(
        matches!(err.kind(), ErrorKind::Cluster(m) if m.contains("did not connect")),
        "{err}"
    );
    assert!(
        elapsed >= Duration::from_millis(800) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
}

/// Process 1 is started from a copy of this test binary with bytes appended: the same code
/// runs, but it is another file, as another build of the program would be. Before the
/// handshake compared builds, the run took its results.
#[test]
fn a_process_of_another_build_is_refused_before_any_item_moves() {
    const TEST: &str = "a_process_of_another_build_is_refused_before_any_item_moves";
    serve_if_process_one();
    let addresses = loopback_addresses(2);
    let cluster = |process| {
        Cluster::new(process, addresses.clone())
            .workers(1)
            .connect_timeout(Duration::from_secs(20))
    };
    let dir = std::env::temp_dir().join(format!("hn-other-build-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = dir.join("other-build");
    let mut bytes = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    bytes.extend_from_slice(b"another build");
    std::fs::write(&other, bytes).unwrap();
    std::fs::set_permissions(&other, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut child = process_one(&other, TEST, &addresses).spawn().unwrap();
    let outcome = scoring().with_engine(cluster(0)).map(texts(1_000));
    let status = child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let err = match outcome {
        Ok(outs) => panic!(
            "a process of another build took part in a run of {} items",
            outs.len()
        ),
        Err(err) => err,
    };
    assert!(
        matches!(err.kind(), ErrorKind::Cluster(m) if m.contains("another build")),
        "{err}"
    );
    assert!(!status.success(), "process 1 fails too: {status}");
}

/// In a process 1 started by `process_one`: serve the cluster's run and exit (serving never
/// returns), so a test body below this call runs only in process 0.
fn serve_if_process_one() {
    if std::env::var_os("HYPERNODES_LAUNCHED").is_some() {
        let _ = scoring().with_engine(Cluster::local(2, 1)).map(texts(10));
        unreachable!("process 1 exits after serving");
    }
}

/// Process 1 of a two-process cluster at `addresses`, started by hand from `program` (a copy
/// of this test binary) to run only `test`, as `Cluster::local` would start it.
fn process_one(
    program: &std::path::Path,
    test: &str,
    addresses: &[String],
) -> std::process::Command {
    let mut command = std::process::Command::new(program);
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1", "-q"])
        .env("HYPERNODES_PROCESS", "1")
        .env("HYPERNODES_HOSTS", addresses.join(","))
        .env("HYPERNODES_WORKERS", "1")
        .env("HYPERNODES_LAUNCHED", "1")
        .stdout(std::process::Stdio::null());
    command
}

/// `n` loopback addresses whose ports were free a moment ago.
fn loopback_addresses(n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().to_string()
        })
        .collect()
}

/// A value whose own serde impls fail: encoding for numbers ending in 3, decoding for those
/// ending in 7.
#[derive(Debug, PartialEq)]
pub struct Picky(u64);

impl serde::Serialize for Picky {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % 10 == 3 {
            return Err(serde::ser::Error::custom("refuses to be encoded"));
        }
        serializer.serialize_u64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Picky {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(deserializer)?;
        if n % 10 == 7 {
            return Err(serde::de::Error::custom("refuses to be decoded"));
        }
        Ok(Picky(n))
    }
}

#[node(output = "picky")]
pub fn make_picky(x: u64) -> Picky {
    Picky(x)
}

pipeline! { Pickies = [make_picky] }

/// Before each result crossed on its own, one output that failed to decode tore down the run,
/// and one that failed to encode failed its whole unit.
#[test]
fn an_output_that_cannot_cross_is_its_items_error_only() {
    let results = Pickies::new()
        .with_engine(Cluster::local(2, 1).batch_size(10))
        .map_results((0..400).map(|x| PickiesInputs { x }));
    assert_eq!(results.len(), 400);
    let mut failed = 0;
    for (x, result) in (0u64..).zip(&results) {
        match (x % 10, result) {
            (_, Ok(out)) => assert_eq!(out.picky, Picky(x)),
            (3 | 7, Err(err)) => {
                failed += 1;
                let what = if x % 10 == 3 { "encode" } else { "decode" };
                assert!(err.to_string().contains(what), "item {x}: {err}");
                assert_eq!(err.item(), Some(x as usize));
            }
            (_, Err(err)) => panic!("item {x} failed with another's fault: {err}"),
        }
    }
    assert!(
        failed > 0,
        "no unit crossed processes: the test proves nothing"
    );
}

#[node(output = "frozen")]
pub fn freeze_process_1(score: u64, index: usize) -> u64 {
    // A real `SIGSTOP` of process 1 at its first item past the middle: its connections stay
    // open, it just never answers again.
    if index >= 2_000 && std::env::var("HYPERNODES_PROCESS").as_deref() == Ok("1") {
        let pid = std::process::id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-STOP", &pid])
            .status();
    }
    score
}

pipeline! { Freezing = [clean, predict, freeze_process_1] }

/// Before heartbeats, a frozen peer hung the run for ever; before units were sent again,
/// its items were errors. Now it is left out (and ended) after the heartbeat timeout, and
/// the others run its units.
#[test]
fn a_frozen_process_is_left_out_after_the_heartbeat_timeout() {
    let items = || {
        (0..4_000).map(|index| FreezingInputs {
            text: format!("item {index}"),
            index,
        })
    };
    let engine = Cluster::local(2, 2)
        .batch_size(50)
        .heartbeat_timeout(Duration::from_secs(2));
    let start = Instant::now();
    let outputs = Freezing::new().with_engine(engine).map(items()).unwrap();
    let elapsed = start.elapsed();
    // Only on process 0, after the run: on process 1 this stops the process too.
    let expected = Freezing::new()
        .with_engine(Sequential)
        .map(items())
        .unwrap();
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
    assert!(elapsed >= Duration::from_secs(2), "took {elapsed:?}");
    let frozen = |outs: &[FreezingOutputs]| outs.iter().map(|o| o.frozen).collect::<Vec<_>>();
    assert_eq!(frozen(&outputs), frozen(&expected));
}

/// An input whose own serde impls fail: encoding for numbers ending in 1, decoding for those
/// ending in 9.
#[derive(Clone, Debug)]
pub struct PickyIn(u64);

impl serde::Serialize for PickyIn {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % 10 == 1 {
            return Err(serde::ser::Error::custom("refuses to be encoded"));
        }
        serializer.serialize_u64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for PickyIn {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(deserializer)?;
        if n % 10 == 9 {
            return Err(serde::de::Error::custom("refuses to be decoded"));
        }
        Ok(PickyIn(n))
    }
}

#[node(output = "value")]
pub fn unwrap_picky(input: PickyIn) -> u64 {
    input.0
}

pipeline! { PickyInputs = [unwrap_picky] }

/// Before items crossed in frames of their own, one item that failed to encode failed its
/// whole unit (and one that failed to decode, the run).
#[test]
fn an_input_that_cannot_cross_is_its_items_error_only() {
    let results = PickyInputs::new()
        .with_engine(Cluster::local(2, 1).batch_size(10))
        .map_results((0..200).map(|x| PickyInputsInputs { input: PickyIn(x) }));
    assert_eq!(results.len(), 200);
    for (x, result) in (0u64..).zip(&results) {
        match (x % 10, result) {
            (1 | 9, Err(err)) => {
                let what = if x % 10 == 1 { "encode" } else { "decode" };
                assert!(err.to_string().contains(what), "item {x}: {err}");
                assert_eq!(err.item(), Some(x as usize));
            }
            (1 | 9, Ok(_)) => panic!("item {x} crossed though it cannot"),
            (_, Ok(out)) => assert_eq!(out.value, x),
            (_, Err(err)) => panic!("item {x} failed with another's fault: {err}"),
        }
    }
}

#[node(output = "letters")]
pub fn count_letters(cleaned: &str) -> usize {
    cleaned.chars().filter(char::is_ascii_alphabetic).count()
}

pipeline! { Lettered = [clean, count_letters] }

/// One directory for the test process and the copies its cluster starts (named after the
/// test process: the copies are its children).
#[cfg(unix)]
fn cluster_cache_dir() -> std::path::PathBuf {
    let launcher = match std::env::var_os("HYPERNODES_LAUNCHED") {
        Some(_) => std::os::unix::process::parent_id(),
        None => std::process::id(),
    };
    std::env::temp_dir().join(format!("hn-cluster-cache-{launcher}"))
}

/// Every process of a cluster on one host reads and writes one cache directory: after a cold
/// cluster run, one process is served every item whoever computed it.
#[cfg(unix)]
#[test]
fn the_processes_of_a_cluster_share_one_cache() {
    let dir = cluster_cache_dir();
    let items = || texts(2_000).map(|t| LetteredInputs { text: t.text });
    let cached = || Lettered::new().with_cache(hypernodes::cache::DiskCache::open(&dir).unwrap());
    let outs = cached()
        .with_engine(Cluster::local(2, 1))
        .map(items())
        .unwrap();
    let local = Lettered::new()
        .with_engine(Sequential)
        .map(items())
        .unwrap();
    assert_eq!(outs.len(), local.len());
    for (c, l) in outs.iter().zip(&local) {
        assert_eq!((&c.cleaned, c.letters), (&l.cleaned, l.letters));
    }
    // Process 0's handle is still open in `cached()` above: a fresh one reads what both wrote.
    let again = cached();
    let served = again.with_engine(Sequential).map(items()).unwrap();
    let stats = again.cache().unwrap().stats();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(served.len(), 2_000);
    assert_eq!(
        (stats.hits, stats.misses, stats.corrupt),
        (4_000, 0, 0),
        "{stats:?}"
    );
}

/// A process started without the cluster's secret proves nothing and is turned away; it
/// learns why too. Same binary, same pipeline: only the secret differs.
#[test]
fn a_process_without_the_clusters_secret_is_turned_away() {
    const TEST: &str = "a_process_without_the_clusters_secret_is_turned_away";
    serve_if_process_one();
    let addresses = loopback_addresses(2);
    let child = process_one(&std::env::current_exe().unwrap(), TEST, &addresses)
        .env("HYPERNODES_CONNECT_TIMEOUT", "10")
        .env("HYPERNODES_CLUSTER_SECRET", "a guess")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let cluster = Cluster::new(0, addresses.clone())
        .workers(1)
        .secret("the shared secret")
        .connect_timeout(Duration::from_secs(3));
    let outcome = scoring().with_engine(cluster).map(texts(100));
    let output = child.wait_with_output().unwrap();
    let err = match outcome {
        Ok(outs) => panic!(
            "a process without the secret took part in a run of {} items",
            outs.len()
        ),
        Err(err) => err,
    };
    assert!(
        matches!(err.kind(), ErrorKind::Cluster(m) if m.contains("did not prove it holds this cluster's secret")),
        "{err}"
    );
    let told = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "process 1 fails too");
    assert!(
        told.contains("does not hold this cluster's secret"),
        "{told}"
    );
}

/// Across hosts, a cluster without a secret does not start (checked before any connection).
#[test]
fn a_cluster_across_hosts_needs_a_secret() {
    let cluster = Cluster::new(0, ["192.0.2.1:4100", "192.0.2.2:4100"]).workers(1);
    let err = scoring().with_engine(cluster).map(texts(10)).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Cluster(m) if m.contains("needs a shared secret")),
        "{err}"
    );
}

/// Takes 2 ms, or 6 ms on process 2: a host three times slower. Says which process ran it.
#[node(output = "ran_on")]
pub fn slow_on_process_two(x: u64) -> usize {
    let slow = std::env::var("HYPERNODES_PROCESS").is_ok_and(|p| p == "2");
    std::thread::sleep(Duration::from_millis(if slow { 6 } else { 2 }));
    let _ = x;
    std::env::var("HYPERNODES_PROCESS").map_or(0, |p| p.parse().unwrap())
}

pipeline! { Uneven = [slow_on_process_two] }

/// Workers pull units as they finish: the slow process gets about a seventh of the items
/// (its share of the capacity: 1/3 against 1 + 1), not the third units in turn would give it.
#[test]
fn a_slower_process_is_sent_fewer_units() {
    let outs = Uneven::new()
        .with_engine(Cluster::local(3, 1).batch_size(10))
        .map((0..900).map(|x| UnevenInputs { x }))
        .unwrap();
    let mut per_process = std::collections::BTreeMap::<usize, usize>::new();
    for out in &outs {
        *per_process.entry(out.ran_on).or_default() += 1;
    }
    assert_eq!(per_process.len(), 3, "{per_process:?}");
    let least = *per_process.values().min().unwrap();
    assert!(
        least <= 900 * 22 / 100,
        "the slow process ran {least} of 900: {per_process:?}"
    );
}

static PULLED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PULLED_AT_FIRST_CALL: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(usize::MAX);

/// Notes, at the first call in this process, how many inputs process 0 had pulled by then.
#[node(output = "seen")]
pub fn note_pulled(x: u64) -> u64 {
    use std::sync::atomic::Ordering::SeqCst;
    let pulled = PULLED.load(SeqCst);
    let _ = PULLED_AT_FIRST_CALL.compare_exchange(usize::MAX, pulled, SeqCst, SeqCst);
    x
}

pipeline! { Noted = [note_pulled] }

/// `map` on a cluster pulls its input as units go out: the first items run before the
/// input is read to its end.
#[test]
fn the_input_is_pulled_as_units_go_out() {
    use std::sync::atomic::Ordering::SeqCst;
    let items = (0..20_000).map(|x| {
        PULLED.fetch_add(1, SeqCst);
        NotedInputs { x }
    });
    let outs = Noted::new()
        .with_engine(Cluster::local(2, 1).batch_size(10))
        .map(items)
        .unwrap();
    assert_eq!(outs.len(), 20_000);
    assert_eq!(outs[19_999].seen, 19_999);
    let at_first = PULLED_AT_FIRST_CALL.load(SeqCst);
    assert!(
        at_first <= 1_000,
        "{at_first} inputs pulled before the first call"
    );
}

#[node(output = "doubled")]
pub fn double(x: u64) -> u64 {
    2 * x
}

pipeline! { Doubles = [double] }

/// Whether process `pid` still runs (a zombie no one reaped has ended).
fn running(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The state follows the command's closing parenthesis.
    let state = stat.rsplit_once(") ").map(|(_, rest)| rest.chars().next());
    !matches!(state, Some(Some('Z' | 'X')))
}

/// Before sessions, the second run of a program failed ("process 1 runs another pipeline
/// than process 0"): process 1 had ended after the first.
#[test]
fn one_cluster_serves_many_runs_of_different_pipelines_then_its_processes_end() {
    let (scores, doubles) = (scoring(), Doubles::new());
    let cluster = Cluster::local(3, 1)
        .batch_size(20)
        .serving(&scores)
        .serving(&doubles)
        .start()
        .unwrap();
    let expected = scores.with_engine(Sequential).map(texts(600)).unwrap();
    let mut pids = std::collections::HashSet::new();
    for _ in 0..2 {
        let outs = scores.with_engine(&cluster).map(texts(600)).unwrap();
        let got: Vec<u64> = outs.iter().map(|o| o.score).collect();
        let want: Vec<u64> = expected.iter().map(|o| o.score).collect();
        assert_eq!(got, want);
        pids.extend(outs.iter().map(|o| o.built_in));
        let doubled = doubles
            .with_engine(&cluster)
            .map((0..500).map(|x| DoublesInputs { x }))
            .unwrap();
        assert!(doubled.iter().zip(0..).all(|(o, x)| o.doubled == 2 * x));
    }
    assert_eq!(pids.len(), 3, "every process ran items: {pids:?}");
    cluster.end();
    for pid in pids.into_iter().filter(|&pid| pid != std::process::id()) {
        assert!(!running(pid), "process {pid} outlived its cluster");
    }
}

/// The other processes run the value named with `serving`: another value of the same type
/// (its bound values could differ) or a pipeline not served is refused, not run.
#[test]
fn a_session_refuses_a_pipeline_value_it_does_not_serve() {
    let (served, other) = (Doubles::new(), Doubles::new());
    let cluster = Cluster::local(2, 1).serving(&served).start().unwrap();
    let items = || (0..10).map(|x| DoublesInputs { x });
    let err = other.with_engine(&cluster).map(items()).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Cluster(m) if m.contains("not the one the cluster serves")),
        "{err}"
    );
    let err = scoring().with_engine(&cluster).map(texts(10)).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Cluster(m) if m.contains("`Scoring` is not served")),
        "{err}"
    );
    // A handle of the served value is the served value.
    let runner = served.with_engine(&cluster);
    assert_eq!(runner.map(items()).unwrap().len(), 10);
}

/// Process 0 of a session, killed with `kill -9` after one run: the process it started ends
/// on its own at once (its control link closes), not left running for ever.
#[test]
fn the_processes_of_a_cluster_end_when_process_0_is_killed() {
    const TEST: &str = "the_processes_of_a_cluster_end_when_process_0_is_killed";
    const DRIVER: &str = "HN_TEST_SESSION_DRIVER";
    if std::env::var_os(DRIVER).is_some() {
        let p = scoring();
        let cluster = Cluster::local(2, 1).serving(&p).start().unwrap();
        let outs = p.with_engine(&cluster).map(texts(200)).unwrap();
        let me = std::process::id();
        let others: std::collections::HashSet<u32> = outs
            .iter()
            .map(|o| o.built_in)
            .filter(|&pid| pid != me)
            .collect();
        for pid in others {
            println!("other {pid}");
        }
        println!("ready");
        std::thread::sleep(Duration::from_secs(60));
        return;
    }
    let mut driver = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1", "-q"])
        .env(DRIVER, "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut others = Vec::new();
    let lines = std::io::BufRead::lines(std::io::BufReader::new(driver.stdout.take().unwrap()));
    for line in lines.map_while(Result::ok) {
        if let Some(pid) = line.strip_prefix("other ") {
            others.push(pid.parse::<u32>().unwrap());
        }
        if line == "ready" {
            break;
        }
    }
    assert!(!others.is_empty(), "process 1 ran no item");
    assert!(others.iter().all(|&pid| running(pid)));
    driver.kill().unwrap();
    driver.wait().unwrap();
    let start = Instant::now();
    while others.iter().any(|&pid| running(pid)) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "process 1 outlived process 0 by 5 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Where the partitions of this test's run are written: the same directory in every process
/// (the others are children of process 0).
fn partition_dir(test: &str) -> std::path::PathBuf {
    let process_0 = match std::env::var_os("HYPERNODES_PROCESS") {
        Some(_) => std::os::unix::process::parent_id(),
        None => std::process::id(),
    };
    std::env::temp_dir().join(format!("hn-{test}-{process_0}"))
}

/// Runs `Doubles` partitioned over `processes` processes, each partition written to its own
/// file (through a temporary name and a rename) with the pid that wrote it; process 2 aborts
/// in its first partition when `crash` is set. Process 0's report, and each file's
/// `(pid, items, sum)`.
fn partitioned_doubles(
    test: &str,
    crash: bool,
) -> (hypernodes::cluster::Partitioned, Vec<(u32, usize, u64)>) {
    let dir = partition_dir(test);
    std::fs::create_dir_all(&dir).unwrap();
    let source = |i: usize, n: usize| {
        if crash && i == 2 && std::env::var("HYPERNODES_PROCESS").as_deref() == Ok("2") {
            std::process::abort();
        }
        (i as u64..3_000).step_by(n).map(|x| DoublesInputs { x })
    };
    let sink = |i: usize, results: Vec<Result<DoublesOutputs, hypernodes::Error>>| {
        let sum: u64 = results.iter().flatten().map(|o| o.doubled).sum();
        let line = format!("{} {} {sum}", std::process::id(), results.len());
        let (part, temporary) = (dir.join(format!("{i}")), dir.join(format!("{i}.tmp")));
        std::fs::write(&temporary, line)?;
        std::fs::rename(&temporary, &part)?;
        Ok(())
    };
    let report = Doubles::new()
        .with_engine(Cluster::local(3, 1))
        .map_partitioned(source, sink)
        .unwrap();
    let files = (0..3)
        .map(|i| {
            let line = std::fs::read_to_string(dir.join(format!("{i}"))).unwrap();
            let words: Vec<&str> = line.split(' ').collect();
            (
                words[0].parse().unwrap(),
                words[1].parse().unwrap(),
                words[2].parse().unwrap(),
            )
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    (report, files)
}

/// Each process reads and writes its own partition: no item or output passes through
/// process 0, which gets counts only.
#[test]
fn a_partitioned_run_reads_and_writes_each_partition_where_it_runs() {
    let (report, files) = partitioned_doubles("partitioned", false);
    assert!(report.complete(), "{report:?}");
    assert_eq!((report.items(), report.failed()), (3_000, 0));
    let pids: std::collections::HashSet<u32> = files.iter().map(|f| f.0).collect();
    assert_eq!(
        pids.len(),
        3,
        "each process wrote its own partition: {files:?}"
    );
    assert_eq!(files.iter().map(|f| f.1).sum::<usize>(), 3_000);
    assert_eq!(
        files.iter().map(|f| f.2).sum::<u64>(),
        2 * (0..3_000).sum::<u64>()
    );
    assert_eq!(report.partitions[1].process, 1);
}

/// A process lost while it runs its partition: another runs that partition again, and
/// every partition is written once.
#[test]
fn a_partition_whose_process_dies_is_run_again_elsewhere() {
    let (report, files) = partitioned_doubles("partition-lost", true);
    assert!(report.complete(), "{report:?}");
    assert_eq!((report.items(), report.failed()), (3_000, 0));
    assert_ne!(report.partitions[2].process, 2, "{report:?}");
    assert_eq!(
        files.iter().map(|f| f.2).sum::<u64>(),
        2 * (0..3_000).sum::<u64>()
    );
}

/// A cluster of one process runs on its own workers, with no peer to connect to.
#[test]
fn a_cluster_of_one_process_runs_alone() {
    let items = || (0..300).map(|x| DoublesInputs { x });
    let outs = Doubles::new()
        .with_engine(Cluster::local(1, 2))
        .map(items())
        .unwrap();
    assert!(outs.iter().zip(0..).all(|(o, x)| o.doubled == 2 * x));
}
