//! `map` pulls its input as workers need it, on every local engine: an endless input whose
//! item fails ends with that error instead of hanging in an up-front gather, a long input is
//! never held whole, an input that does not say its length runs in order and the hooks hear
//! `items: None`, and a `map` from inside a rayon pool still runs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use hypernodes::hooks::{Event, Hooks};
use hypernodes::{node, pipeline, Parallel, Sequential, Streaming};

/// Inputs taken from the input iterator and items finished, over the whole test binary's
/// pipelines that use them (each test has its own pair of counters through `Count`).
struct Count {
    pulled: AtomicUsize,
    finished: AtomicUsize,
    most_waiting: AtomicUsize,
}

impl Count {
    fn new() -> Arc<Count> {
        Arc::new(Count {
            pulled: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            most_waiting: AtomicUsize::new(0),
        })
    }

    fn pull(&self) {
        let pulled = self.pulled.fetch_add(1, Ordering::SeqCst) + 1;
        let waiting = pulled.saturating_sub(self.finished.load(Ordering::SeqCst));
        self.most_waiting.fetch_max(waiting, Ordering::SeqCst);
    }
}

#[node(output = "square")]
fn square(x: u64, count: &Arc<Count>) -> Result<u64, String> {
    count.finished.fetch_add(1, Ordering::SeqCst);
    match x {
        13_000 => Err("thirteen thousand".to_owned()),
        x => Ok(x * x),
    }
}

pipeline! { Squares = [square] }

/// An endless input counting what is pulled from it.
fn endless(count: &Arc<Count>) -> impl Iterator<Item = SquaresInputs> + '_ {
    (0u64..).map(move |x| {
        count.pull();
        SquaresInputs {
            x,
            count: Arc::clone(count),
        }
    })
}

/// `run` on another thread, failing the test when it takes longer than `limit` (an up-front
/// gather of an endless input never returns).
fn within<T: Send + 'static>(limit: Duration, run: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || sender.send(run()));
    receiver
        .recv_timeout(limit)
        .expect("map returned in time: it pulls its input lazily")
}

#[test]
fn an_endless_input_ends_at_its_failing_item_on_every_engine() {
    for engine in ["Sequential", "Parallel", "Streaming"] {
        let count = Count::new();
        let error = within(Duration::from_secs(60), {
            let count = Arc::clone(&count);
            move || {
                let squares = Squares::new();
                let items = endless(&count);
                match engine {
                    "Sequential" => squares.with_engine(Sequential::new()).map(items),
                    "Parallel" => squares.with_engine(Parallel::new()).map(items),
                    _ => squares.with_engine(Streaming::new()).map(items),
                }
                .map(|outputs| outputs.len())
                .unwrap_err()
            }
        });
        assert_eq!(error.item(), Some(13_000), "{engine}: {error}");
        assert_eq!(error.node(), "square", "{engine}");
        let pulled = count.pulled.load(Ordering::SeqCst);
        assert!(
            pulled < 13_000 + 64 * 1024,
            "{engine} pulled {pulled} items for a run that stopped at item 13,000"
        );
    }
}

#[test]
fn a_long_input_is_never_held_whole() {
    // 200,000 items in units of 1,024: the engines keep a few units per worker waiting.
    for engine in ["Sequential", "Parallel"] {
        let count = Count::new();
        let items = (0u64..200_000).filter(|&x| x != 13_000).map(|x| {
            count.pull();
            SquaresInputs {
                x,
                count: Arc::clone(&count),
            }
        });
        let squares = Squares::new();
        let outputs = match engine {
            "Sequential" => squares.with_engine(Sequential::new()).map(items),
            _ => squares.with_engine(Parallel::new()).map(items),
        }
        .unwrap();
        assert_eq!(outputs.len(), 199_999, "{engine}");
        assert!(
            outputs
                .iter()
                .zip((0u64..200_000).filter(|&x| x != 13_000))
                .all(|(o, x)| o.square == x * x),
            "{engine}: outputs in input order"
        );
        let most = count.most_waiting.load(Ordering::SeqCst);
        assert!(
            most <= 16 * 1024,
            "{engine}: {most} items were pulled and not finished at once"
        );
    }
}

#[test]
fn parallel_workers_hold_at_most_one_unit_each() {
    // Each worker pulls its next unit itself once it is done with the last: never more than
    // one unit per worker is pulled and not finished (a feeding thread with a queue of units
    // waiting, as before, held up to seven units of 1,024 on two workers).
    let count = Count::new();
    let items = (0u64..100_000).map(|x| {
        count.pull();
        SquaresInputs {
            x,
            count: Arc::clone(&count),
        }
    });
    let engine = Parallel::new().threads(2).batch_size(1024);
    let outputs = Squares::new().with_engine(engine).map_results(items);
    assert_eq!(outputs.len(), 100_000);
    let most = count.most_waiting.load(Ordering::SeqCst);
    assert!(
        most <= 2 * 1024,
        "{most} items were pulled and not finished at once by two workers"
    );
}

/// The `items` of each `MapStart`.
#[derive(Default)]
struct Starts(Mutex<Vec<Option<usize>>>);

impl Hooks for Starts {
    fn on(&self, event: &Event<'_>) {
        if let Event::MapStart { items, .. } = event {
            self.0.lock().unwrap().push(*items);
        }
    }
}

#[test]
fn hooks_hear_the_count_only_when_the_input_knows_it() {
    let count = Count::new();
    let inputs = || {
        (0u64..100).map(|x| SquaresInputs {
            x,
            count: Arc::clone(&count),
        })
    };
    let squares = Squares::new();
    let starts = Arc::new(Starts::default());
    let runner = squares
        .with_engine(Parallel::new())
        .with_hooks(Arc::clone(&starts));
    runner.map(inputs()).unwrap();
    let odd = runner.map(inputs().filter(|i| i.x % 2 == 1)).unwrap();
    assert_eq!(
        odd.iter().map(|o| o.square).sum::<u64>(),
        (1u64..100).step_by(2).map(|x| x * x).sum::<u64>()
    );
    assert_eq!(*starts.0.lock().unwrap(), [Some(100), None]);
}

#[test]
fn a_map_from_inside_a_rayon_pool_runs() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let count = Count::new();
    let total = within(Duration::from_secs(60), move || {
        pool.install(|| {
            let items = (0u64..5_000).map(|x| SquaresInputs {
                x,
                count: Arc::clone(&count),
            });
            Squares::new()
                .with_engine(Parallel::new())
                .map(items)
                .unwrap()
                .iter()
                .map(|o| o.square)
                .sum::<u64>()
        })
    });
    assert_eq!(total, (0u64..5_000).map(|x| x * x).sum::<u64>());
}
