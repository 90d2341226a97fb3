#![doc = include_str!("../README.md")]
#![doc = "\n# Guide\n"]
#![doc = include_str!("../docs/guide/wiring.md")]
#![doc = include_str!("../docs/guide/checks.md")]
#![doc = include_str!("../docs/guide/engines.md")]
#![doc = include_str!("../docs/guide/config.md")]
#![doc = include_str!("../docs/guide/composition.md")]
#![doc = include_str!("../docs/guide/observing.md")]
#![doc = include_str!("../docs/guide/caching.md")]
#![doc = include_str!("../docs/guide/streaming.md")]
#![doc = include_str!("../docs/guide/cluster.md")]
#![cfg_attr(
    all(
        feature = "parquet",
        feature = "ipc",
        feature = "jsonl",
        feature = "csv"
    ),
    doc = include_str!("../docs/guide/datasets.md")
)]
#![doc = include_str!("../docs/guide/faults.md")]
#![doc = include_str!("../docs/guide/limits.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// Turns a plain function into a pipeline node, leaving it callable exactly as written.
///
/// Parameters are wired by name: a parameter called `cleaned` reads the output called `cleaned`,
/// and a parameter no node produces becomes a field of the pipeline's `<Name>Inputs`. Take a
/// value by reference (`&T`, `&str`, `&[T]`) to borrow it, by value to own it (moved on its last
/// use, cloned only when a later node or output still needs it).
///
/// ```
/// use hypernodes::node;
///
/// #[node(output = "cleaned")]
/// pub fn clean(text: String) -> String { text.trim().to_lowercase() }
///
/// #[node(output = ("head", "rest"))]     // several outputs from one tuple
/// pub fn split(cleaned: &str) -> (String, Vec<String>) {
///     let mut words = cleaned.split_whitespace().map(str::to_owned);
///     (words.next().unwrap_or_default(), words.collect())
/// }
///
/// #[node]                                // one output, named after the function
/// pub fn word_count(rest: &[String]) -> usize { rest.len() + 1 }
///
/// #[node(output = "n")]                  // `Err` stops the run with an error naming the node
/// pub fn parse(head: &str) -> Result<u64, std::num::ParseIntError> { head.parse() }
///
/// // Still ordinary functions:
/// assert_eq!(clean("  Hi ".into()), "hi");
/// assert_eq!(parse("42"), Ok(42));
/// ```
///
/// Options:
///
/// | option | meaning |
/// |---|---|
/// | `output = "name"` | the output's name (default: the function's name) |
/// | `output = ("a", "b")` | several outputs; the function returns a tuple with one element per name |
/// | `stateful(model, ..)` | parameters (`&T`, `T: Stateful`) built once per worker and reused instead of wired; a `&mut T` parameter is stateful without being listed |
/// | `batch` | a batch node: each input is `&[T]` or `Vec<T>`, the result one `Vec` with a value per item; called once per batch of `batch_size` items |
/// | `config(key = value, ..)` | execution settings: `batch_size` (≥ 1), `max_concurrency` (≥ 1), `use_process` (bool), `gpus` (0–1024), `max_retries` (0–100), `timeout_ms` (with `use_process`) |
/// | `cache = false` | never served from a cache (side effects, randomness) |
/// | `version = N` | part of the node's cache key: bump it when something outside the body changes the result |
/// | `crate = "path"` | where the `hypernodes` crate is, if it was renamed |
///
/// ```
/// use hypernodes::{node, BoxError, Stateful, WorkerContext};
///
/// #[derive(Default)]
/// pub struct Seen { count: u64 }
/// impl Stateful for Seen {
///     fn create(_: &WorkerContext) -> Result<Self, BoxError> { Ok(Seen::default()) }
/// }
///
/// #[node(output = "position")]           // `&mut`: per-worker mutable state
/// pub fn number(text: &str, seen: &mut Seen) -> u64 { seen.count += 1; seen.count }
///
/// #[node(output = "upper", batch, config(batch_size = 256))]
/// pub fn shout(text: &[String]) -> Vec<String> { text.iter().map(|t| t.to_uppercase()).collect() }
///
/// assert_eq!(shout(&["a".to_owned()]), ["A"]);
/// ```
///
/// A node returning `Result<T, E>` (any `E` convertible into [`BoxError`]) has the output `T`.
///
/// An `async fn` is a node too (feature `async`): in a `map` the calls of one
/// unit of items overlap, awaited on a tokio runtime, with at most the node's `max_concurrency`
/// in flight over all workers; `run` awaits its one call. Its stateful parameters are `&T`,
/// shared by the overlapping calls.
///
/// ```
/// use std::time::Duration;
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "page", config(max_concurrency = 8))]
/// pub async fn fetch(url: String) -> Result<String, std::io::Error> {
///     tokio::time::sleep(Duration::from_millis(10)).await; // a request, say
///     Ok(format!("<html>{url}</html>"))
/// }
///
/// #[node]
/// pub fn size(page: &str) -> usize { page.len() }
///
/// pipeline! { Crawl = [fetch, size] }
///
/// let urls = (0..32).map(|i| CrawlInputs { url: format!("u{i}") });
/// let sizes = Crawl::new().map(urls)?;          // 32 × 10 ms, 8 at a time: about 40 ms
/// assert_eq!(sizes[0].size, 15);
/// # Ok::<(), hypernodes::Error>(())
/// ```
///
/// Not supported, each with a compile error that says so: generic and variadic functions,
/// `self`, patterns as parameters, `impl Trait` parameters or return types, `&mut` state in an
/// `async fn`.
pub use hypernodes_macros::node;

/// Marks an item a node uses from outside its body, so that changing it changes the node's
/// cache keys: the node names it in `#[node(uses(..))]`. A node's key covers its own tokens;
/// a `const`, `static` or helper function it calls is covered only this way (or by bumping
/// `version`). Items the marked item uses in turn are not covered unless marked and named too.
///
/// ```
/// use hypernodes::{keyed, node, pipeline};
/// use hypernodes::__private::NodeCode;
///
/// #[keyed]
/// const SCALE: u64 = 3;
///
/// #[keyed]
/// fn round(x: u64) -> u64 { x / 10 * 10 }
///
/// #[node(output = "scaled", uses(SCALE, round))]
/// fn scale(x: u64) -> u64 { round(x * SCALE) }
///
/// #[node(output = "scaled")]
/// fn scale_unkeyed(x: u64) -> u64 { round(x * SCALE) }
///
/// pipeline! { Scale = [scale] }
/// assert_eq!(Scale::new().run(ScaleInputs { x: 7 })?.scaled, 20);
/// // The items named join the key: the two nodes' codes differ by more than their names.
/// assert_ne!(<scale as NodeCode>::CODE, <scale_unkeyed as NodeCode>::CODE);
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub use hypernodes_macros::keyed;

/// Arrow record batches in and out of pipelines (feature `arrow`): `map_batch` on every engine,
/// `Name::input_schema()` / `output_schema()`, and the [`Column`](arrow::Column) mapping of
/// Rust types to Arrow columns. The `arrow_array` and `arrow_schema` crates it uses are
/// re-exported here, so their versions always match.
#[cfg(feature = "arrow")]
pub mod arrow {
    pub use hypernodes_runtime::arrow::*;
}

/// Datasets in and out of pipelines (features `parquet`, `ipc`, `jsonl` and `csv`):
/// `map_dataset` on every engine, reading Parquet, Arrow IPC, JSON Lines or CSV files part by
/// part in bounded memory (a [`Source`](dataset::Source)) and writing part files through a
/// rename (a [`Sink`](dataset::Sink)).
#[cfg(any(
    feature = "parquet",
    feature = "ipc",
    feature = "jsonl",
    feature = "csv"
))]
pub mod dataset {
    pub use hypernodes_runtime::dataset::*;
}

#[cfg(feature = "cluster")]
pub use hypernodes_runtime::Cluster;
#[cfg(feature = "async")]
pub use hypernodes_runtime::RunAsync;
#[cfg(feature = "streaming")]
pub use hypernodes_runtime::Streaming;
pub use hypernodes_runtime::{
    pipeline, product, BoxError, Error, ErrorKind, Factory, Parallel, Pipeline, Product, Runner,
    Sequential, Shared, Stateful, WorkerContext,
};
#[cfg(all(feature = "process", unix))]
pub use hypernodes_runtime::{serve_if_worker, test_worker};

/// The config hierarchy: a node's settings and where each came from, the engine level, and
/// the built-in defaults.
pub use hypernodes_runtime::config;

#[cfg(feature = "cache")]
pub use hypernodes_runtime::cache;

/// Engines and what they share: the [`Engine`](engine::Engine) and
/// [`Executes`](engine::Executes) traits, streams of results and devices for `gpus` nodes.
/// The engines themselves are also at the crate root.
///
/// ```
/// use hypernodes::engine::Engine;
/// use hypernodes::Parallel;
///
/// let settings = Parallel::new().batch_size(256).settings();
/// assert_eq!(settings.config.batch_size, Some(256));
/// ```
pub mod engine {
    #[cfg(feature = "cluster")]
    pub use hypernodes_runtime::Cluster;
    #[cfg(feature = "streaming")]
    pub use hypernodes_runtime::{AsCompleted, Stream, Streaming};
    pub use hypernodes_runtime::{Devices, Engine, Executes, Parallel, Sequential};
}

/// Watching runs: the [`Hooks`](hooks::Hooks) trait, its [`Event`](hooks::Event)s and their
/// [`Scope`](hooks::Scope), and the hooks that come with the crate (`Progress`, `Tracing`).
///
/// ```
/// use hypernodes::hooks::{Event, Hooks};
/// use hypernodes::{node, pipeline};
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// #[derive(Default)]
/// struct Calls(AtomicUsize);
/// impl Hooks for Calls {
///     fn on(&self, event: &Event<'_>) {
///         if let Event::NodeEnd { .. } = event {
///             self.0.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
///
/// #[node]
/// fn double(x: u32) -> u32 { x * 2 }
/// pipeline! { Double = [double] }
///
/// let calls = Calls::default();
/// Double::new().with_hooks(&calls).run(DoubleInputs { x: 1 })?;
/// assert_eq!(calls.0.load(Ordering::Relaxed), 1);
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub mod hooks {
    #[cfg(feature = "progress")]
    pub use hypernodes_runtime::Progress;
    #[cfg(feature = "tracing")]
    pub use hypernodes_runtime::Tracing;
    pub use hypernodes_runtime::{Event, Hooks, NoHooks, Scope};
}

/// What a run will do before it runs: every node's settings on an engine and the stateful
/// instances it will build (`p.plan()`, `p.with_engine(e).plan()`).
///
/// ```
/// use hypernodes::{node, pipeline, Sequential};
///
/// #[node(config(batch_size = 8))]
/// fn double(x: u32) -> u32 { x * 2 }
/// pipeline! { Double = [double] }
///
/// let plan: hypernodes::plan::Plan = Double::new().with_engine(Sequential).plan();
/// assert_eq!(plan.nodes[0].config.batch_size.value, 8);
/// ```
pub mod plan {
    pub use hypernodes_runtime::{InstanceLayout, NodePlan, Plan, StatefulPlan};
}

/// A pipeline's structure, known at compile time (`Name::INFO`), and pictures of it.
///
/// ```
/// use hypernodes::{node, pipeline};
/// use hypernodes::info::PipelineInfo;
///
/// #[node]
/// fn double(x: u32) -> u32 { x * 2 }
/// pipeline! { Double = [double] }
///
/// let info: &PipelineInfo = &Double::INFO;
/// assert_eq!((info.inputs, info.outputs), (&["x"][..], &["double"][..]));
/// ```
pub mod info {
    pub use hypernodes_runtime::{
        BranchInfo, FieldInfo, NodeInfo, NodeKind, NodeTable, Picture, PipelineInfo,
    };
}

/// The compile errors users meet, what each means and the fix; no items.
#[doc = include_str!("../docs/troubleshooting.md")]
pub mod troubleshooting {}

/// What the engines, the cache, the cluster and the macros cost, measured against the same
/// work written by hand, with the command behind each figure; no items.
#[doc = include_str!("../docs/performance.md")]
pub mod performance {}

/// Running on several processes or hosts: the [`Cluster`] engine, a cluster kept up across
/// runs ([`Serving`](cluster::Serving), [`ClusterSession`](cluster::ClusterSession)), the
/// report of a partitioned run ([`Partitioned`](cluster::Partitioned)), and what values
/// crossing processes need ([`Crosses`](cluster::Crosses)).
#[cfg(feature = "cluster")]
pub mod cluster {
    pub use hypernodes_runtime::{
        Cluster, ClusterSession, Crosses, PartitionRun, Partitioned, Serving,
    };
}

#[doc(hidden)]
pub use hypernodes_runtime::__private;
