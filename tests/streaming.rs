//! The streaming engine: input order and completion order, errors per item, endless inputs,
//! stages with their own pools (stateful instances per stage worker), a slow stage setting the
//! pace, batch nodes and nested pipelines, and `map`/`map_results` on it.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hypernodes::hooks::{Event, Hooks};
use hypernodes::{node, pipeline, BoxError, Parallel, Stateful, Streaming, WorkerContext};

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "length", config(max_concurrency = 2))]
fn length(cleaned: &str) -> Result<usize, String> {
    match cleaned {
        "bad" => Err("bad text".into()),
        "boom" => panic!("boom text"),
        other => Ok(other.len()),
    }
}

#[node(output = "doubled")]
fn doubled(length: usize) -> usize {
    2 * length
}

pipeline! { Lengths = [clean, length, doubled] }

fn item(i: usize) -> LengthsInputs {
    let text = match i % 50 {
        13 => "bad".to_owned(),
        27 => "boom".to_owned(),
        _ => "x".repeat(i % 17),
    };
    LengthsInputs { text }
}

fn expected(i: usize) -> Option<usize> {
    (!matches!(i % 50, 13 | 27)).then_some(2 * (i % 17))
}

#[test]
fn stream_yields_every_item_in_input_order_with_errors_in_place() {
    let engine = Streaming::new().threads(3).batch_size(7);
    let p = Lengths::new();
    let results: Vec<_> = p
        .with_engine(engine)
        .stream((0..2000).map(item))
        .unwrap()
        .collect();
    assert_eq!(results.len(), 2000);
    for (i, result) in results.iter().enumerate() {
        match (expected(i), result) {
            (Some(want), Ok(out)) => assert_eq!(out.doubled, want, "item {i}"),
            (None, Err(err)) => {
                assert_eq!((err.node(), err.item()), ("length", Some(i)));
            }
            (want, got) => panic!("item {i}: wanted {want:?}, got {:?}", got.is_ok()),
        }
    }
    let boom = results[27].as_ref().unwrap_err();
    assert!(boom.is_panic() && boom.to_string().contains("boom text"));
}

#[test]
fn as_completed_yields_each_index_once() {
    let engine = Streaming::new().threads(2).batch_size(5);
    let seen: Vec<(usize, Option<usize>)> = Lengths::new()
        .with_engine(engine)
        .stream((0..1000).map(item))
        .unwrap()
        .as_completed()
        .map(|(i, r)| (i, r.ok().map(|o| o.doubled)))
        .collect();
    let indices: HashSet<usize> = seen.iter().map(|(i, _)| *i).collect();
    assert_eq!((seen.len(), indices.len()), (1000, 1000));
    for (i, got) in seen {
        assert_eq!(got, expected(i), "item {i}");
    }
}

#[test]
fn an_endless_input_is_pulled_only_as_results_are_taken() {
    let pulled = AtomicUsize::new(0);
    let engine = Streaming::new().threads(2).batch_size(10).in_flight(4);
    let endless = (0..).map(|i| {
        pulled.fetch_add(1, Ordering::SeqCst);
        item(i)
    });
    let first: Vec<_> = Lengths::new()
        .with_engine(engine)
        .stream(endless)
        .unwrap()
        .take(300)
        .collect();
    assert_eq!(first.len(), 300);
    // At most the units in flight (4 of 10 items) beyond what was taken.
    let pulled = pulled.load(Ordering::SeqCst);
    assert!(
        (300..=300 + 4 * 10 + 10).contains(&pulled),
        "pulled {pulled}"
    );
}

#[test]
fn map_and_map_results_work_on_streaming_like_on_parallel() {
    let p = Lengths::new();
    let engine = || Streaming::new().threads(2).batch_size(16);
    let ok: Vec<LengthsInputs> = (0..500)
        .filter(|i| expected(*i).is_some())
        .map(item)
        .collect();
    let on_stream = p.with_engine(engine()).map(ok).unwrap();
    let ok: Vec<LengthsInputs> = (0..500)
        .filter(|i| expected(*i).is_some())
        .map(item)
        .collect();
    let on_parallel = p.with_engine(Parallel::new()).map(ok).unwrap();
    let doubled = |outs: Vec<LengthsOutputs>| outs.iter().map(|o| o.doubled).collect::<Vec<_>>();
    assert_eq!(doubled(on_stream), doubled(on_parallel));

    let err = p.with_engine(engine()).map((0..500).map(item)).unwrap_err();
    assert_eq!((err.node(), err.item()), ("length", Some(13)));
    let each = p.with_engine(engine()).map_results((0..500).map(item));
    assert_eq!(each.len(), 500);
    assert_eq!(each.iter().filter(|r| r.is_err()).count(), 20);
}

static MODELS: AtomicUsize = AtomicUsize::new(0);

pub struct Model {
    built_on: String,
}

impl Stateful for Model {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        MODELS.fetch_add(1, Ordering::SeqCst);
        let built_on = std::thread::current().name().unwrap_or("").to_owned();
        Ok(Model { built_on })
    }
}

#[node(output = "score", stateful(model), config(max_concurrency = 1))]
fn score(cleaned: &str, model: &Model) -> String {
    format!("{}@{}", cleaned.len(), model.built_on)
}

pipeline! { Scores = [clean, score] }

#[test]
fn a_stage_of_its_own_builds_its_stateful_instances_once_per_stage_worker() {
    let engine = Streaming::new().threads(3).batch_size(4);
    let p = Scores::new();
    let runner = p.with_engine(engine);
    let plan = runner.plan();
    assert_eq!(plan.nodes[1].config.max_concurrency.value, Some(1));
    let scores: Vec<String> = runner
        .stream((0..400).map(|i| ScoresInputs {
            text: "x".repeat(i % 5),
        }))
        .unwrap()
        .map(|r| r.unwrap().score)
        .collect();
    assert_eq!(MODELS.load(Ordering::SeqCst), 1);
    // `score` ran on its own stage's single worker, which built the model.
    let on: HashSet<&str> = scores
        .iter()
        .map(|s| s.split('@').nth(1).unwrap())
        .collect();
    assert_eq!(on.len(), 1);
    assert!(
        on.iter().all(|name| name.starts_with("hypernodes-stage1-")),
        "{on:?}"
    );
}

static FAST_DONE: AtomicUsize = AtomicUsize::new(0);
static SLOW_STARTED: AtomicUsize = AtomicUsize::new(0);
static MOST_AHEAD: AtomicUsize = AtomicUsize::new(0);

#[node(output = "fast")]
fn fast(x: u64) -> u64 {
    FAST_DONE.fetch_add(1, Ordering::SeqCst);
    x + 1
}

#[node(output = "slow", config(max_concurrency = 1))]
fn slow(fast: u64) -> u64 {
    let started = SLOW_STARTED.fetch_add(1, Ordering::SeqCst);
    let ahead = FAST_DONE.load(Ordering::SeqCst) - started;
    MOST_AHEAD.fetch_max(ahead, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(1));
    fast * 2
}

pipeline! { Paced = [fast, slow] }

#[test]
fn a_slow_stage_sets_the_pace_and_faster_ones_run_ahead_only_as_far_as_the_buffers() {
    let (unit, in_flight) = (5, 6);
    let engine = Streaming::new()
        .threads(2)
        .batch_size(unit)
        .in_flight(in_flight);
    let start = Instant::now();
    let outs: Vec<u64> = Paced::new()
        .with_engine(engine)
        .stream((0..300).map(|x| PacedInputs { x }))
        .unwrap()
        .map(|r| r.unwrap().slow)
        .collect();
    let elapsed = start.elapsed();
    assert_eq!(outs[299], 600);
    // One call at a time, 1 ms each: the slow stage sets the pace.
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    let ahead = MOST_AHEAD.load(Ordering::SeqCst);
    // The fast stage ran ahead (it was not held to the slow one's pace)...
    assert!(ahead > unit, "the fast stage never ran ahead: {ahead}");
    // ...but never by more than the units the buffers hold.
    assert!(ahead <= in_flight * unit, "ran {ahead} items ahead");
}

#[node(output = "rotated", batch, config(batch_size = 3))]
fn rotated(cleaned: &[String]) -> Vec<String> {
    cleaned.iter().map(|c| c.chars().rev().collect()).collect()
}

pipeline! { Inner = [clean, rotated] }

#[node(output = "shout")]
fn shout(rotated: &str) -> String {
    rotated.to_uppercase()
}

pipeline! { Outer = [Inner, shout] }

#[test]
fn batch_nodes_and_nested_pipelines_stream() {
    let engine = Streaming::new().threads(2).batch_size(8);
    let words = ["Abc", " dE ", "xyZ", "q"];
    let outs: Vec<String> = Outer::new()
        .with_engine(engine)
        .stream((0..40).map(|i| OuterInputs {
            text: words[i % 4].to_owned(),
        }))
        .unwrap()
        .map(|r| r.unwrap().shout)
        .collect();
    let want = ["CBA", "ED", "ZYX", "Q"];
    for (i, out) in outs.iter().enumerate() {
        assert_eq!(out, want[i % 4]);
    }
    assert_eq!(outs.len(), 40);
}

#[derive(Default)]
struct Counts {
    started: AtomicUsize,
    items: AtomicUsize,
    ended: Mutex<Option<(usize, usize)>>,
}

impl Hooks for Counts {
    fn on(&self, event: &Event<'_>) {
        match event {
            Event::StreamStart { items, .. } => {
                assert_eq!(*items, None);
                self.started.fetch_add(1, Ordering::SeqCst);
            }
            Event::ItemEnd { .. } => {
                self.items.fetch_add(1, Ordering::SeqCst);
            }
            Event::MapEnd { items, failed, .. } => {
                *self.ended.lock().unwrap() = Some((*items, *failed));
            }
            _ => {}
        }
    }
}

#[test]
fn hooks_see_the_stream_start_its_items_and_its_end_when_dropped() {
    let counts = Arc::new(Counts::default());
    let p = Lengths::new();
    let runner = p
        .with_engine(Streaming::new().threads(2).batch_size(4).in_flight(2))
        .with_hooks(Arc::clone(&counts));
    let mut stream = runner.stream((0..).map(item)).unwrap();
    let taken: Vec<_> = stream.by_ref().take(20).collect();
    assert_eq!(taken.len(), 20);
    drop(stream);
    assert_eq!(counts.started.load(Ordering::SeqCst), 1);
    // Item 13 is "bad".
    assert_eq!(*counts.ended.lock().unwrap(), Some((20, 1)));
    // Items in flight when the stream was dropped may have run too; no more than the window.
    let items = counts.items.load(Ordering::SeqCst);
    assert!((20..=20 + 3 * 4).contains(&items), "{items}");
}

/// Released at the end of the test that hangs a node, so its stuck thread can end.
static RELEASE: Mutex<bool> = Mutex::new(false);
static SLOW_CALLS: AtomicUsize = AtomicUsize::new(0);

/// 20 ms per item; item 5 hangs until released.
#[node(output = "waited")]
fn sleepy(x: u64) -> u64 {
    SLOW_CALLS.fetch_add(1, Ordering::SeqCst);
    if x == 5 {
        while !*RELEASE.lock().unwrap() {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    std::thread::sleep(Duration::from_millis(20));
    x
}

pipeline! { Sleepy = [sleepy] }

/// Before, dropping waited for the whole units in flight (here two units of 50 items of 20 ms
/// that had just started: a second) and never returned while a node hung.
#[test]
fn dropping_a_stream_returns_at_once_even_while_a_node_hangs() {
    let p = Sleepy::new();
    let engine = Streaming::new().threads(2).batch_size(50).in_flight(4);
    let mut stream = p
        .with_engine(engine)
        .stream((6..).map(|x| SleepyInputs { x }))
        .unwrap();
    assert_eq!(stream.next().unwrap().unwrap().waited, 6);
    let start = Instant::now();
    drop(stream);
    assert!(
        start.elapsed() < Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    let calls = SLOW_CALLS.load(Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(200));
    let later = SLOW_CALLS.load(Ordering::SeqCst);
    assert!(
        later <= calls + 2,
        "items went on running after the drop: {calls} → {later}"
    );

    // Item 5 hangs on one worker; the other yields the next items.
    let mut hung = p
        .with_engine(Streaming::new().threads(2).batch_size(1))
        .stream((5..).map(|x| SleepyInputs { x }))
        .unwrap()
        .as_completed();
    assert_eq!(hung.next().unwrap().1.unwrap().waited, 6);
    let start = Instant::now();
    drop(hung);
    assert!(
        start.elapsed() < Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    *RELEASE.lock().unwrap() = true;
}
