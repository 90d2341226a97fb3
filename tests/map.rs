//! `map` and `map_results` on both engines: order, errors per item, stateful resources once per
//! worker, `max_concurrency`, retries, factories, `&mut` state, `gpus` and the plan.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use hypernodes::config::ConfigSource;
use hypernodes::engine::Devices;
use hypernodes::{
    node, pipeline, BoxError, ErrorKind, Parallel, Sequential, Stateful, WorkerContext,
};

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "length")]
fn length(cleaned: &str) -> Result<usize, String> {
    match cleaned {
        "bad" => Err("bad text".into()),
        "boom" => panic!("boom text"),
        other => Ok(other.len()),
    }
}

pipeline! { Lengths = [clean, length] }

fn texts(words: &[&str]) -> Vec<LengthsInputs> {
    words
        .iter()
        .map(|w| LengthsInputs {
            text: format!("  {w} "),
        })
        .collect()
}

fn numbered(n: usize) -> Vec<LengthsInputs> {
    (0..n)
        .map(|i| LengthsInputs {
            text: "x".repeat(i % 17),
        })
        .collect()
}

#[test]
fn map_keeps_input_order_on_every_engine() {
    let p = Lengths::new();
    let want: Vec<usize> = (0..5000).map(|i| i % 17).collect();
    let lengths =
        |outs: Vec<LengthsOutputs>| outs.into_iter().map(|o| o.length).collect::<Vec<_>>();
    assert_eq!(lengths(p.map(numbered(5000)).unwrap()), want);
    assert_eq!(
        lengths(p.with_engine(Sequential).map(numbered(5000)).unwrap()),
        want
    );
    let small_units = Parallel::new().threads(3).batch_size(7);
    assert_eq!(
        lengths(p.with_engine(small_units).map(numbered(5000)).unwrap()),
        want
    );
    assert!(p.map(Vec::new()).unwrap().is_empty());
}

#[test]
fn map_stops_at_an_error_naming_node_and_item() {
    let p = Lengths::new();
    let err = p
        .with_engine(Sequential)
        .map(texts(&["a", "bb", "bad", "c"]))
        .unwrap_err();
    assert_eq!((err.node(), err.item()), ("length", Some(2)));
    assert_eq!(err.to_string(), "node `length` failed on item 2: bad text");
    let err = p
        .with_engine(Parallel::new().threads(2).batch_size(1))
        .map(texts(&["a", "boom", "c"]))
        .unwrap_err();
    assert_eq!((err.node(), err.item()), ("length", Some(1)));
    assert!(err.is_panic() && err.to_string().contains("boom text"));
}

#[test]
fn map_results_loses_no_item() {
    let p = Lengths::new();
    for each in [
        p.map_results(texts(&["a", "bad", "ccc", "boom", "dd"])),
        p.with_engine(Sequential)
            .map_results(texts(&["a", "bad", "ccc", "boom", "dd"])),
    ] {
        let summary: Vec<Result<usize, (Option<usize>, bool)>> = each
            .into_iter()
            .map(|r| r.map(|o| o.length).map_err(|e| (e.item(), e.is_panic())))
            .collect();
        assert_eq!(
            summary,
            [
                Ok(1),
                Err((Some(1), false)),
                Ok(3),
                Err((Some(3), true)),
                Ok(2)
            ]
        );
    }
}

// --- stateful resources --------------------------------------------------------------------

static MODEL_BUILDS: AtomicUsize = AtomicUsize::new(0);
static MODEL_DROPS: AtomicUsize = AtomicUsize::new(0);
static MODEL_THREADS: Mutex<Vec<String>> = Mutex::new(Vec::new());

pub struct Model {
    bias: u64,
}

impl Stateful for Model {
    fn create(ctx: &WorkerContext) -> Result<Self, BoxError> {
        MODEL_BUILDS.fetch_add(1, Ordering::SeqCst);
        let thread = std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_owned();
        MODEL_THREADS.lock().unwrap().push(thread);
        assert!(ctx.worker_index() < ctx.workers());
        Ok(Model { bias: 0 })
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        MODEL_DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

#[node(output = "score", stateful(model))]
fn score(text: &str, model: &Model) -> u64 {
    std::thread::sleep(Duration::from_micros(50));
    text.len() as u64 + model.bias
}

pipeline! { Scores = [score] }

fn score_inputs(n: usize) -> Vec<ScoresInputs> {
    (0..n)
        .map(|i| ScoresInputs {
            text: "ab".repeat(i % 3),
        })
        .collect()
}

/// The tests below count builds through statics, so they run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn reset() -> std::sync::MutexGuard<'static, ()> {
    let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    MODEL_BUILDS.store(0, Ordering::SeqCst);
    MODEL_DROPS.store(0, Ordering::SeqCst);
    MODEL_THREADS.lock().unwrap().clear();
    guard
}

#[test]
fn stateful_resources_are_built_once_per_worker_and_dropped_at_the_end() {
    let _serial = reset();
    let p = Scores::new();
    let engine = Parallel::new().threads(4).batch_size(50);
    let outs = p.with_engine(engine).map(score_inputs(10_000)).unwrap();
    assert_eq!(outs.len(), 10_000);
    assert_eq!(
        outs.iter().map(|o| o.score).sum::<u64>(),
        (0..10_000u64).map(|i| 2 * (i % 3)).sum::<u64>()
    );
    assert_eq!(
        MODEL_BUILDS.load(Ordering::SeqCst),
        4,
        "one build per worker"
    );
    assert_eq!(
        MODEL_DROPS.load(Ordering::SeqCst),
        4,
        "every instance dropped when map returns"
    );
    let threads: HashSet<String> = MODEL_THREADS.lock().unwrap().iter().cloned().collect();
    assert_eq!(
        threads.len(),
        4,
        "each built on its own worker: {threads:?}"
    );
    assert!(threads.iter().all(|t| t.starts_with("hypernodes-")));

    // A second map builds afresh; a sequential map builds one.
    p.with_engine(Sequential).map(score_inputs(3000)).unwrap();
    assert_eq!(MODEL_BUILDS.load(Ordering::SeqCst), 5);
    assert_eq!(MODEL_DROPS.load(Ordering::SeqCst), 5);
}

/// `let runner = P::new().with_engine(e);` used to be E0716 (the runner borrowed a temporary).
/// An owned runner runs like the pipeline it came from: its single runs share the pipeline's
/// instances, built once.
#[test]
fn a_runner_may_outlive_the_pipeline_value_it_came_from() {
    let _serial = reset();
    let runner = Scores::new().with_engine(Sequential);
    assert_eq!(runner.map(score_inputs(30)).unwrap().len(), 30);
    assert_eq!(MODEL_BUILDS.load(Ordering::SeqCst), 1);

    let p = Scores::new();
    let single = |p: &Scores| {
        p.with_engine(Sequential)
            .run(ScoresInputs { text: "abc".into() })
    };
    assert_eq!(single(&p).unwrap().score, 3);
    assert_eq!(p.run(ScoresInputs { text: "ab".into() }).unwrap().score, 2);
    assert_eq!(single(&p).unwrap().score, 3);
    assert_eq!(
        MODEL_BUILDS.load(Ordering::SeqCst),
        2,
        "the runners' single runs and the pipeline's share one instance"
    );

    let hooked = Scores::new().with_hooks(hypernodes::hooks::NoHooks);
    assert_eq!(hooked.map(score_inputs(5)).unwrap().len(), 5);
}

#[node(output = "score", stateful(model), config(max_concurrency = 2))]
fn capped_score(text: &str, model: &Model) -> u64 {
    let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
    MOST_IN_FLIGHT.fetch_max(now, Ordering::SeqCst);
    std::thread::sleep(Duration::from_micros(200));
    IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    text.len() as u64 + model.bias
}

static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static MOST_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

pipeline! { CappedScores = [capped_score] }

#[test]
fn max_concurrency_caps_instances_and_calls_below_the_thread_count() {
    let _serial = reset();
    let p = CappedScores::new();
    let inputs = (0..2000).map(|i| CappedScoresInputs {
        text: "ab".repeat(i % 3),
    });
    let outs = p
        .with_engine(Parallel::new().threads(4).batch_size(10))
        .map(inputs)
        .unwrap();
    assert_eq!(outs.len(), 2000);
    assert_eq!(MODEL_BUILDS.load(Ordering::SeqCst), 2);
    assert!(MOST_IN_FLIGHT.load(Ordering::SeqCst) <= 2);
    let plan = p.with_engine(Parallel::new().threads(4)).plan();
    assert_eq!(plan.stateful[0].layout.count(), 2);
    assert_eq!(plan.stateful[0].capped_by, Some("max_concurrency"));
}

#[test]
fn the_engine_can_cap_instances_and_a_node_overrides_it() {
    let _serial = reset();
    let plan = Scores::new()
        .with_engine(Parallel::new().threads(4).max_concurrency(3))
        .plan();
    let node = plan.node("score").unwrap();
    assert_eq!(node.config.max_concurrency.value, Some(3));
    assert_eq!(node.config.max_concurrency.source, ConfigSource::Engine);
    assert_eq!(plan.stateful[0].layout.count(), 3);
    let plan = CappedScores::new()
        .with_engine(Parallel::new().threads(4).max_concurrency(3))
        .plan();
    let node = plan.node("capped_score").unwrap();
    assert_eq!(
        (
            node.config.max_concurrency.value,
            node.config.max_concurrency.source
        ),
        (Some(2), ConfigSource::Node)
    );
}

pub struct Broken;

impl Stateful for Broken {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Err("weights file missing".into())
    }
}

#[node(stateful(model))]
fn broken(text: String, model: &Broken) -> usize {
    let _ = model;
    text.len()
}

pipeline! { BrokenModel = [broken] }

#[test]
fn a_failing_constructor_names_node_and_parameter_and_never_hangs() {
    let p = BrokenModel::new();
    let inputs = || {
        (0..100).map(|i| BrokenModelInputs {
            text: i.to_string(),
        })
    };
    let err = p.map(inputs()).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::Stateful { param: "model", .. }
    ));
    assert_eq!(err.node(), "broken");
    assert!(
        err.to_string().contains("could not build stateful `model`"),
        "{err}"
    );
    assert!(err.to_string().contains("weights file missing"));
    let each = p.with_engine(Sequential).map_results(inputs());
    assert!(each
        .iter()
        .all(|r| r.as_ref().is_err_and(|e| e.node() == "broken")));
}

#[test]
fn a_builder_factory_replaces_create() {
    let _serial = reset();
    let p = Scores::builder()
        .model(|ctx: &WorkerContext| Model {
            bias: 100 + ctx.worker_index() as u64,
        })
        .build();
    let outs = p.with_engine(Sequential).map(score_inputs(3)).unwrap();
    assert_eq!(
        outs.iter().map(|o| o.score).collect::<Vec<_>>(),
        [100, 102, 104]
    );
    assert_eq!(
        MODEL_BUILDS.load(Ordering::SeqCst),
        0,
        "Stateful::create not called"
    );
    let failing = Scores::builder()
        .model(|_: &WorkerContext| -> Result<Model, String> { Err("no GPU memory".into()) })
        .build();
    let err = failing.run(ScoresInputs { text: "a".into() }).unwrap_err();
    assert!(err.to_string().contains("no GPU memory"));
}

// --- `&mut` state ----------------------------------------------------------------------------

#[derive(Default)]
pub struct Tally {
    seen: usize,
}

static TALLIES: Mutex<Vec<usize>> = Mutex::new(Vec::new());

impl Stateful for Tally {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Tally::default())
    }
}

impl Drop for Tally {
    fn drop(&mut self) {
        TALLIES.lock().unwrap().push(self.seen);
    }
}

#[node(output = "position")]
fn count_seen(value: u32, tally: &mut Tally) -> usize {
    tally.seen += 1;
    let _ = value;
    tally.seen
}

pipeline! { Counting = [count_seen] }

#[test]
fn a_mut_parameter_is_per_worker_state() {
    TALLIES.lock().unwrap().clear();
    let p = Counting::new();
    let outs = p
        .with_engine(Parallel::new().threads(3).batch_size(10))
        .map((0..3000).map(|value| CountingInputs { value }))
        .unwrap();
    assert_eq!(outs.len(), 3000);
    let tallies = TALLIES.lock().unwrap().clone();
    assert!(!tallies.is_empty() && tallies.len() <= 3, "{tallies:?}");
    assert_eq!(
        tallies.iter().sum::<usize>(),
        3000,
        "every call saw its worker's state"
    );
    assert_eq!(
        Counting::INFO.node("count_seen").unwrap().stateful,
        ["tally"]
    );
}

// --- retries ---------------------------------------------------------------------------------

static ATTEMPTS: AtomicUsize = AtomicUsize::new(0);

/// Fails twice (an error, then a panic) for every item before succeeding.
#[node(output = "upper", config(max_retries = 2))]
fn flaky(value: String) -> Result<String, String> {
    match ATTEMPTS.fetch_add(1, Ordering::SeqCst) % 3 {
        0 => Err("try again".into()),
        1 => panic!("crash"),
        _ => Ok(value.to_uppercase()),
    }
}

pipeline! { Flaky = [flaky] }

#[node(output = "value", config(max_retries = 1))]
fn too_flaky(input: String) -> Result<String, String> {
    Err(format!("{input} always fails"))
}

pipeline! { TooFlaky = [too_flaky] }

#[test]
fn retries_cover_errors_and_panics_and_the_last_error_counts_attempts() {
    let p = Flaky::new();
    let outs = p
        .with_engine(Sequential)
        .map(["a", "b"].map(|v| FlakyInputs { value: v.into() }))
        .unwrap();
    assert_eq!(
        outs.iter().map(|o| o.upper.as_str()).collect::<Vec<_>>(),
        ["A", "B"]
    );
    assert_eq!(ATTEMPTS.load(Ordering::SeqCst), 6);

    let err = TooFlaky::new()
        .map(["x"].map(|v| TooFlakyInputs { input: v.into() }))
        .unwrap_err();
    assert_eq!(err.attempts(), 2);
    assert_eq!(
        err.to_string(),
        "node `too_flaky` failed on item 0 after 2 attempts: x always fails"
    );
}

// --- gpus ------------------------------------------------------------------------------------

static DEVICES_SEEN: Mutex<Vec<Vec<u32>>> = Mutex::new(Vec::new());

pub struct OnDevice;

impl Stateful for OnDevice {
    fn create(ctx: &WorkerContext) -> Result<Self, BoxError> {
        DEVICES_SEEN.lock().unwrap().push(ctx.devices().to_vec());
        Ok(OnDevice)
    }
}

#[node(stateful(gpu), config(gpus = 1))]
fn embed(text: String, gpu: &OnDevice) -> usize {
    let _ = gpu;
    std::thread::sleep(Duration::from_micros(100));
    text.len()
}

pipeline! { Embed = [embed] }

#[node(stateful(gpu), config(gpus = 2))]
fn big_embed(text: String, gpu: &OnDevice) -> usize {
    let _ = gpu;
    text.len()
}

pipeline! { BigEmbed = [big_embed] }

#[test]
fn gpus_assign_devices_per_instance_and_cap_instances() {
    DEVICES_SEEN.lock().unwrap().clear();
    let engine = Parallel::new()
        .threads(4)
        .batch_size(5)
        .devices(Devices::count(2));
    let outs = Embed::new()
        .with_engine(engine.clone())
        .map((0..400).map(|i| EmbedInputs {
            text: i.to_string(),
        }))
        .unwrap();
    assert_eq!(outs.len(), 400);
    let mut seen = DEVICES_SEEN.lock().unwrap().clone();
    seen.sort();
    assert_eq!(seen, [vec![0], vec![1]], "two instances, one device each");
    let plan = Embed::new().with_engine(engine).plan();
    assert_eq!(plan.stateful[0].capped_by, Some("gpus"));

    let err = BigEmbed::new()
        .with_engine(Parallel::new().devices(Devices::count(1)))
        .map((0..10).map(|i| BigEmbedInputs {
            text: i.to_string(),
        }))
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Config(_)));
    assert_eq!(err.item(), None, "reported before any item");
    assert!(err.to_string().contains("`gpus = 2`"), "{err}");
}

// --- plan ------------------------------------------------------------------------------------

#[node(output = "b", config(batch_size = 8))]
fn own_batch(a: u32) -> u32 {
    a
}

#[node(output = "c")]
fn inherits(b: u32) -> u32 {
    b
}

pipeline! {
    #[config(batch_size = 64, max_retries = 1)]
    Levels = [own_batch, inherits]
}

#[test]
fn the_plan_shows_every_level_of_the_hierarchy() {
    let plan = Levels::new().with_engine(Sequential).plan();
    let source = |node: &str| plan.node(node).unwrap().config.batch_size;
    assert_eq!(
        (source("own_batch").value, source("own_batch").source),
        (8, ConfigSource::Node)
    );
    assert_eq!(
        (source("inherits").value, source("inherits").source),
        (64, ConfigSource::Pipeline)
    );
    assert_eq!(plan.work_unit.value, 64);

    let plan = Levels::new().with_engine(Sequential.batch_size(16)).plan();
    let inherits = plan.node("inherits").unwrap().config;
    assert_eq!(
        (inherits.batch_size.value, inherits.batch_size.source),
        (16, ConfigSource::Engine)
    );
    assert_eq!(inherits.max_retries.source, ConfigSource::Pipeline);
    assert_eq!(
        plan.node("own_batch").unwrap().config.batch_size.source,
        ConfigSource::Node
    );
    assert_eq!(
        (plan.work_unit.value, plan.work_unit.source),
        (16, ConfigSource::Engine)
    );

    let text = plan.to_string();
    assert!(
        text.starts_with("Levels on Sequential (1 worker), work unit 16 items (engine)"),
        "{text}"
    );
    assert!(text.contains("batch_size=8 (node config)"), "{text}");
    assert!(text.contains("batch_size=16 (engine)"), "{text}");
    assert!(
        text.contains("max_retries=1 (pipeline #[config])"),
        "{text}"
    );
}

// --- pooled resources shared by two nodes ---------------------------------------------------

pub struct Left;
pub struct Right;

impl Stateful for Left {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Left)
    }
}

impl Stateful for Right {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Right)
    }
}

#[node(output = "first", stateful(left, right), config(max_concurrency = 1))]
fn left_then_right(value: u32, left: &Left, right: &Right) -> u32 {
    let _ = (left, right);
    std::thread::sleep(Duration::from_micros(20));
    value + 1
}

#[node(output = "second", stateful(right, left), config(max_concurrency = 1))]
fn right_then_left(value: u32, right: &Right, left: &Left) -> u32 {
    let _ = (left, right);
    std::thread::sleep(Duration::from_micros(20));
    value + 2
}

pipeline! { Crossed = [left_then_right, right_then_left] }

#[test]
fn nodes_sharing_pooled_resources_in_any_parameter_order_never_deadlock() {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let outs = Crossed::new()
            .with_engine(Parallel::new().threads(4).batch_size(1))
            .map((0..2000).map(|value| CrossedInputs { value }));
        let _ = done.send(outs.map(|outs| outs.len()));
    });
    let outcome = finished
        .recv_timeout(Duration::from_secs(60))
        .expect("the map finishes");
    assert_eq!(outcome.unwrap(), 2000);
}

/// A resource whose `Drop` panics (a flaky close of a connection, say).
pub struct Fragile;

impl Stateful for Fragile {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Fragile)
    }
}

impl Drop for Fragile {
    fn drop(&mut self) {
        panic!("could not close cleanly");
    }
}

#[node(output = "kept", stateful(fragile))]
fn use_fragile(x: u64, fragile: &Fragile) -> u64 {
    let _ = fragile;
    x + 1
}

/// A panic payload whose own `Drop` panics.
struct Grenade;

impl Drop for Grenade {
    fn drop(&mut self) {
        panic!("the payload panicked while dropped");
    }
}

#[node(output = "thrown")]
fn throw(kept: u64) -> u64 {
    if kept == 3 {
        std::panic::panic_any(Grenade);
    }
    kept
}

pipeline! { FragileEnd = [use_fragile, throw] }

/// Before, `map` panicked with one worker (results lost) and the process aborted with two;
/// the payload's panic escaped `map_results`.
#[test]
fn a_panicking_drop_loses_no_result() {
    let items = || (0..40).map(|x| FragileEndInputs { x });
    for threads in [1, 2] {
        let results = FragileEnd::new()
            .with_engine(Parallel::new().threads(threads).batch_size(4))
            .map_results(items());
        assert_eq!(results.len(), 40);
        for (x, result) in (0u64..).zip(&results) {
            match x {
                2 => assert!(result.as_ref().unwrap_err().is_panic()),
                _ => assert_eq!(result.as_ref().unwrap().thrown, x + 1),
            }
        }
    }
    let results = FragileEnd::new()
        .with_engine(Sequential)
        .map_results(items());
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 39);
}

// `par_map`: the same run over a rayon parallel iterator, inputs built on the pool's threads.

#[test]
fn par_map_gives_what_map_gives_and_stops_at_the_first_error_in_input_order() {
    use rayon::prelude::*;
    let texts: Vec<String> = (0..500).map(|i| format!(" Word{i} ")).collect();
    let runner = Lengths::new().with_engine(Parallel::new().threads(2).batch_size(16));
    let by_iter = runner
        .map(texts.iter().map(|t| LengthsInputs { text: t.clone() }))
        .unwrap();
    let by_par = runner
        .par_map(texts.par_iter().map(|t| LengthsInputs { text: t.clone() }))
        .unwrap();
    let lengths = |outs: &[LengthsOutputs]| outs.iter().map(|o| o.length).collect::<Vec<_>>();
    assert_eq!(lengths(&by_par), lengths(&by_iter));

    let mut bad = texts.clone();
    bad[300] = "bad".into();
    bad[40] = "boom".into();
    let err = runner
        .par_map(bad.par_iter().map(|t| LengthsInputs { text: t.clone() }))
        .unwrap_err();
    assert_eq!((err.node(), err.item()), ("length", Some(40)));
    let each = runner.par_map_results(bad.into_par_iter().map(|text| LengthsInputs { text }));
    assert_eq!(each.len(), 500);
    assert!(each[40].as_ref().unwrap_err().is_panic());
    assert_eq!(each[300].as_ref().unwrap_err().item(), Some(300));
    assert_eq!(each.iter().filter(|r| r.is_ok()).count(), 498);
}

#[test]
fn par_map_builds_stateful_resources_once_per_worker() {
    use rayon::prelude::*;
    let _guard = reset();
    let outs = Scores::new()
        .with_engine(Parallel::new().threads(2).batch_size(8))
        .par_map(score_inputs(200).into_par_iter())
        .unwrap();
    assert_eq!(outs.len(), 200);
    assert_eq!(outs[4].score, 2);
    let builds = MODEL_BUILDS.load(Ordering::SeqCst);
    assert!((1..=2).contains(&builds), "{builds} builds for 2 workers");
}

#[node(output = "length", config(max_concurrency = 1))]
fn lone_length(cleaned: &str) -> Result<usize, String> {
    let now = LONE_IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
    LONE_MOST_IN_FLIGHT.fetch_max(now, Ordering::SeqCst);
    std::thread::sleep(Duration::from_micros(50));
    LONE_IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    match cleaned {
        "bad" => Err("bad text".into()),
        "boom" => panic!("boom text"),
        other => Ok(other.len()),
    }
}

static LONE_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static LONE_MOST_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

pipeline! { LoneLengths = [clean, lone_length] }

/// A failed or panicking call gives its place in the limiter back: with a limit of one, a
/// place kept by the first error would stop every later item.
#[test]
fn errors_and_panics_give_back_their_place_under_max_concurrency() {
    let words = |i: usize| match i % 7 {
        2 => "bad".to_owned(),
        5 => "boom".to_owned(),
        _ => "x".repeat(i % 4),
    };
    let inputs = || (0..300).map(|i| LoneLengthsInputs { text: words(i) });
    let sequential = LoneLengths::new()
        .with_engine(Sequential::new())
        .map_results(inputs());
    let parallel = LoneLengths::new()
        .with_engine(Parallel::new().threads(4).batch_size(3))
        .map_results(inputs());
    for (engine, results) in [("sequential", sequential), ("parallel", parallel)] {
        assert_eq!(results.len(), 300, "{engine}");
        for (i, result) in results.iter().enumerate() {
            match (i % 7, result) {
                (2 | 5, Err(err)) => assert_eq!(err.node(), "lone_length", "{engine} {i}"),
                (_, Ok(out)) => assert_eq!(out.length, i % 4, "{engine} {i}"),
                (_, other) => panic!("{engine}: item {i} gave {other:?}"),
            }
        }
        for i in 0..3 {
            let one = LoneLengths::new().run(LoneLengthsInputs { text: words(i) });
            assert_eq!(one.is_ok(), i != 2, "{engine}: run of item {i}");
        }
    }
    assert_eq!(LONE_MOST_IN_FLIGHT.load(Ordering::SeqCst), 1);
}
