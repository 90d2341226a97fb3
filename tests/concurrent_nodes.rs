//! `#[config(concurrent_nodes = true)]`: independent plain nodes of one item run side by side,
//! with the same results as one after the other.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use hypernodes::{node, pipeline, Parallel, Sequential};

static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static MOST_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
/// Tests counting calls in flight take turns.
static TURN: Mutex<()> = Mutex::new(());

/// A 30 ms call, counting the calls in flight with it.
fn timed<T>(value: T) -> T {
    let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
    MOST_IN_FLIGHT.fetch_max(now, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(30));
    IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    value
}

#[node(output = "a")]
fn left(x: u64) -> u64 {
    timed(x + 1)
}

#[node(output = "b")]
fn right(x: &u64, words: &[String]) -> Result<u64, String> {
    match x {
        13 => Err("thirteen".into()),
        _ => Ok(timed(x * 2 + words.len() as u64)),
    }
}

#[node(output = "c")]
fn third(words: Vec<String>) -> usize {
    if words.iter().any(|w| w == "boom") {
        panic!("third exploded");
    }
    timed(words.len())
}

#[node(output = "total")]
fn total(a: u64, b: u64, c: usize) -> u64 {
    a + b + c as u64
}

pipeline! {
    #[config(concurrent_nodes = true)]
    pub SideBySide = [left, right, third, total]
}

pipeline! {
    pub OneByOne = [left, right, third, total]
}

fn most_in_flight(run: impl FnOnce()) -> usize {
    MOST_IN_FLIGHT.store(0, Ordering::SeqCst);
    run();
    MOST_IN_FLIGHT.load(Ordering::SeqCst)
}

fn words(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("w{i}")).collect()
}

#[test]
fn independent_nodes_of_one_item_run_side_by_side_with_the_same_results() {
    let _turn = TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let side = SideBySide::new();
    let most = most_in_flight(|| {
        let out = side
            .run(SideBySideInputs {
                x: 1,
                words: words(3),
            })
            .unwrap();
        assert_eq!((out.a, out.b, out.c, out.total), (2, 5, 3, 10));
    });
    assert!(
        most >= 2,
        "independent nodes overlapped: {most} in flight at most"
    );
    let most = most_in_flight(|| {
        OneByOne::new()
            .run(OneByOneInputs {
                x: 1,
                words: words(3),
            })
            .unwrap();
    });
    assert_eq!(most, 1, "without the option, one node at a time");

    let items = |n: u64| (0..n).map(|x| (x, words(x as usize % 4)));
    let side_outs = side
        .with_engine(Parallel::new().threads(2))
        .map_results(items(8).map(|(x, words)| SideBySideInputs { x, words }));
    let serial_outs = OneByOne::new()
        .with_engine(Sequential)
        .map_results(items(8).map(|(x, words)| OneByOneInputs { x, words }));
    for (x, (side, serial)) in side_outs.iter().zip(&serial_outs).enumerate() {
        match (side, serial) {
            (Ok(side), Ok(serial)) => assert_eq!(side.total, serial.total, "item {x}"),
            (Err(side), Err(serial)) => {
                assert_eq!((side.node(), side.item()), (serial.node(), serial.item()));
            }
            _ => panic!("item {x}: {side:?} vs {serial:?}"),
        }
    }
}

#[test]
fn an_error_or_a_panic_beside_another_node_names_its_node() {
    let _turn = TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let side = SideBySide::new();
    let err = side
        .run(SideBySideInputs {
            x: 13,
            words: words(1),
        })
        .unwrap_err();
    assert_eq!(err.node(), "right");
    assert!(err.to_string().contains("thirteen"));
    let err = side
        .run(SideBySideInputs {
            x: 2,
            words: vec!["boom".into()],
        })
        .unwrap_err();
    assert_eq!(err.node(), "third");
    assert!(err.is_panic() && err.to_string().contains("third exploded"));
}
