//! `async fn` nodes: awaited on a runtime, the calls of a unit overlapping with at most
//! `max_concurrency` in flight, mixed with plain nodes on every engine.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hypernodes::{node, pipeline, ErrorKind, Parallel, RunAsync, Sequential, Streaming};

static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static MOST_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

#[node(output = "fetched", config(max_concurrency = 10))]
async fn fetch(x: u64) -> u64 {
    let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
    MOST_IN_FLIGHT.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(50)).await;
    IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    x * 10
}

pipeline! { Fetch = [fetch] }

#[test]
fn a_hundred_calls_of_fifty_ms_with_ten_in_flight_take_half_a_second() {
    let start = Instant::now();
    let outs = Fetch::new()
        .map((0..100).map(|x| FetchInputs { x }))
        .unwrap();
    let elapsed = start.elapsed();
    assert_eq!(outs.iter().map(|o| o.fetched).sum::<u64>(), 10 * 4950);
    assert_eq!(MOST_IN_FLIGHT.load(Ordering::SeqCst), 10);
    assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");

    // Small units on four workers: the bound holds over all of them, not per unit.
    MOST_IN_FLIGHT.store(0, Ordering::SeqCst);
    let engine = Parallel::new().threads(4).batch_size(5);
    let outs = Fetch::new()
        .with_engine(engine)
        .map((0..100).map(|x| FetchInputs { x }))
        .unwrap();
    assert_eq!(outs.len(), 100);
    assert_eq!(MOST_IN_FLIGHT.load(Ordering::SeqCst), 10);
}

pub struct Client {
    prefix: String,
}

impl hypernodes::Stateful for Client {
    fn create(_: &hypernodes::WorkerContext) -> Result<Self, hypernodes::BoxError> {
        CLIENTS.fetch_add(1, Ordering::SeqCst);
        Ok(Client {
            prefix: "got".into(),
        })
    }
}

static CLIENTS: AtomicUsize = AtomicUsize::new(0);

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

/// Borrows its input and a shared client; fails on one input and panics on another.
#[node(output = "page", stateful(client))]
async fn download(cleaned: &str, client: &Client) -> Result<String, String> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    match cleaned {
        "bad" => Err("no such page".into()),
        "boom" => panic!("download exploded"),
        other => Ok(format!("{} {other}", client.prefix)),
    }
}

#[node(output = "length")]
fn length(page: &str, cleaned: &str) -> usize {
    page.len() + cleaned.len()
}

pipeline! { Pages = [clean, download, length] }

fn texts() -> Vec<PagesInputs> {
    ["  A ", "bad", "Bc", "boom", "d"]
        .iter()
        .cycle()
        .take(50)
        .map(|t| PagesInputs {
            text: (*t).to_owned(),
        })
        .collect()
}

fn check(results: &[Result<PagesOutputs, hypernodes::Error>]) {
    assert_eq!(results.len(), 50);
    for (i, result) in results.iter().enumerate() {
        match i % 5 {
            1 => {
                let err = result.as_ref().unwrap_err();
                assert_eq!((err.node(), err.item()), ("download", Some(i)));
                assert!(err.to_string().contains("no such page"));
            }
            3 => {
                let err = result.as_ref().unwrap_err();
                assert_eq!((err.node(), err.item()), ("download", Some(i)));
                assert!(err.is_panic() && err.to_string().contains("download exploded"));
            }
            k => {
                let word = ["a", "", "bc", "", "d"][k];
                assert_eq!(result.as_ref().unwrap().length, 4 + 2 * word.len());
            }
        }
    }
}

#[test]
fn async_and_plain_nodes_mix_on_every_engine_and_errors_stay_with_their_item() {
    let p = Pages::new();
    check(&p.with_engine(Sequential).map_results(texts()));
    check(
        &p.with_engine(Parallel::new().threads(3).batch_size(4))
            .map_results(texts()),
    );
    check(
        &p.with_engine(Streaming::new().threads(2).batch_size(3))
            .map_results(texts()),
    );
    let streamed: Vec<_> = p
        .with_engine(Streaming::new().batch_size(7))
        .stream(texts())
        .unwrap()
        .collect();
    check(&streamed);
    // One item at a time too.
    assert_eq!(p.run(PagesInputs { text: "xy".into() }).unwrap().length, 8);
    let err = p
        .run(PagesInputs {
            text: "boom".into(),
        })
        .unwrap_err();
    assert!(err.is_panic());
}

/// Calls per item: each item fails twice, then succeeds (its calls overlap other items').
static TRIES: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];

#[node(output = "flaky", config(max_retries = 2))]
async fn flaky(x: u64) -> Result<u64, String> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    match TRIES[x as usize].fetch_add(1, Ordering::SeqCst) {
        2 => Ok(x),
        _ => Err("not yet".into()),
    }
}

pipeline! { Flaky = [flaky] }

#[test]
fn an_async_node_is_retried_with_backoff() {
    let out = Flaky::new()
        .with_engine(Sequential)
        .map((0..3).map(|x| FlakyInputs { x }))
        .unwrap();
    assert_eq!(out.iter().map(|o| o.flaky).collect::<Vec<_>>(), [0, 1, 2]);
    assert!(TRIES.iter().all(|tries| tries.load(Ordering::SeqCst) == 3));
}

pipeline! { Inner = [download] }

#[node(output = "shout")]
fn shout(page: &str) -> String {
    page.to_uppercase()
}

pipeline! { Outer = [clean, Inner, shout] }

#[test]
fn a_pipeline_with_an_async_node_runs_as_a_node() {
    let outs = Outer::new()
        .map(["x", "Y"].map(|t| OuterInputs { text: t.into() }))
        .unwrap();
    assert_eq!(outs[1].shout, "GOT Y");
}

#[test]
fn async_nodes_run_on_a_cluster() {
    // Process 0 reads the items; the other process (this test binary started again on this
    // test) runs its share and ends after serving.
    let results = Pages::new()
        .with_engine(hypernodes::Cluster::local(2, 1))
        .map_results(texts());
    check(&results);
}

static BOTH_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static MOST_BOTH_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// One 50 ms call, counting the calls in flight with it.
async fn timed_call(value: u64) -> u64 {
    let now = BOTH_IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
    MOST_BOTH_IN_FLIGHT.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(50)).await;
    BOTH_IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    value
}

#[node(output = "title")]
async fn fetch_title(id: u64) -> Result<u64, String> {
    match id {
        0 => Err("no title for 0".into()),
        id => Ok(timed_call(id * 10).await),
    }
}

#[node(output = "body", stateful(client))]
async fn fetch_body(id: u64, client: &Client) -> u64 {
    assert_eq!(client.prefix, "got");
    timed_call(id * 100).await
}

#[node(output = "page")]
fn assemble(title: u64, body: u64) -> u64 {
    title + body
}

pipeline! { Page = [fetch_title, fetch_body, assemble] }

#[test]
fn independent_async_nodes_of_one_item_are_awaited_together() -> Result<(), hypernodes::Error> {
    let start = Instant::now();
    let out = Page::new().run(PageInputs { id: 2 })?;
    let elapsed = start.elapsed();
    assert_eq!(out.page, 220);
    // Both calls were in flight at once: one item took one call's time, not two.
    assert_eq!(MOST_BOTH_IN_FLIGHT.load(Ordering::SeqCst), 2);
    assert!(elapsed < Duration::from_millis(95), "{elapsed:?}");
    // A failure in one of them is that node's error.
    let err = Page::new().run(PageInputs { id: 0 }).unwrap_err();
    assert_eq!(err.node(), "fetch_title");
    Ok(())
}

#[test]
fn blocking_calls_in_a_single_threaded_runtime_are_a_clear_error_and_async_calls_work() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let p = Pages::new();
        // Blocking here would stall the runtime the node awaits on: an error, not a panic.
        let err = p.run(PagesInputs { text: "xy".into() }).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err}");
        assert_eq!(err.node(), "download");
        assert!(err.to_string().contains("run_async"), "{err}");
        let err = p.with_engine(Sequential).map(texts()).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err}");
        // The same when the `async fn` node is in a nested pipeline.
        let err = Outer::new()
            .run(OuterInputs { text: "xy".into() })
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err}");
        assert_eq!(err.node(), "download");

        let out = p
            .run_async(PagesInputs { text: "xy".into() })
            .await
            .unwrap();
        assert_eq!(out.length, 8);
        let runner = p.with_engine(Parallel::new().threads(2).batch_size(4));
        check(&runner.map_results_async(texts()).await.unwrap());
        let streamed: Vec<_> = p
            .with_engine(Streaming::new().batch_size(7))
            .stream_async(texts(), 4)
            .collect()
            .await;
        check(&streamed);
    });
}

#[test]
fn blocking_calls_still_work_inside_a_multi_threaded_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let out = runtime.block_on(async { Pages::new().run(PagesInputs { text: "xy".into() }) });
    assert_eq!(out.unwrap().length, 8);
}
