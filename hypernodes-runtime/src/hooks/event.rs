//! What hooks are told.

use std::fmt;
use std::time::Duration;

use super::Scope;
use crate::error::Error;
use crate::info::PipelineInfo;

/// A lifecycle event of a run, handed to [`Hooks::on`](super::Hooks::on).
///
/// Order: a `run` sends `PipelineStart`, then `NodeStart`/`NodeEnd` around every node call, then
/// `PipelineEnd`. A `map` sends `MapStart`, then for every item `ItemStart`, its node events,
/// `ItemEnd`, and finally `MapEnd` (items run on several workers interleave; an item served
/// whole from a cache is one `ItemCached` instead); a `stream` sends
/// `StreamStart` in place of `MapStart`, and `MapEnd` when it is exhausted or dropped. A nested pipeline
/// sends `NestedStart`, its own node events in a nested [`Scope`] (one scope per element with
/// `map_over`), then `NestedEnd`. When a node fails, `Error` is sent by the run or item it ended
/// (before `PipelineEnd`/`ItemEnd`); the `NodeEnd` and `NestedEnd` of the calls it interrupted
/// are not sent.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use hypernodes::hooks::{Event, Hooks};
/// use hypernodes::{node, pipeline};
///
/// /// Counts node calls.
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
/// #[node] fn double(x: u64) -> u64 { 2 * x }
/// #[node] fn plus_one(double: u64) -> u64 { double + 1 }
/// pipeline! { Chain = [double, plus_one] }
///
/// let calls = Calls::default();
/// Chain::new().with_hooks(&calls).map((0..5).map(|x| ChainInputs { x })).unwrap();
/// assert_eq!(calls.0.load(Ordering::Relaxed), 10);
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A `run` starts.
    PipelineStart {
        /// The run's scope.
        scope: &'a Scope<'a>,
    },
    /// A `run` ended.
    PipelineEnd {
        /// The run's scope.
        scope: &'a Scope<'a>,
        /// Whether it returned outputs.
        ok: bool,
        /// Wall time of the run.
        elapsed: Duration,
    },
    /// A `map` starts.
    MapStart {
        /// The pipeline's structure (nodes and nested pipelines).
        pipeline: &'static PipelineInfo,
        /// Items to run, when the input says how many exactly (its `size_hint`): `map` pulls
        /// its input as workers need it and never counts it up front.
        items: Option<usize>,
    },
    /// A `stream` starts; it ends with [`Event::MapEnd`], when its last item was taken or it
    /// was dropped. Its items are sent like a `map`'s.
    StreamStart {
        /// The pipeline's structure.
        pipeline: &'static PipelineInfo,
        /// Items to run, when the input says how many.
        items: Option<usize>,
    },
    /// An item of a `map` starts.
    ItemStart {
        /// The item's scope (its index is [`Scope::index`]).
        scope: &'a Scope<'a>,
    },
    /// An item of a `map` ended.
    ItemEnd {
        /// The item's scope.
        scope: &'a Scope<'a>,
        /// Whether it produced outputs.
        ok: bool,
    },
    /// An item of a `map` whose every needed node was served from a cache: sent in place of
    /// `ItemStart`, its `CacheHit`s and `ItemEnd` by the per-item engines (`Sequential`,
    /// `Parallel`, `Cluster`, for pipelines without batch or `async fn` nodes).
    ItemCached {
        /// The item's scope.
        scope: &'a Scope<'a>,
        /// Its nodes served from the cache, in run order.
        nodes: &'a [&'static str],
    },
    /// A `map` ended.
    MapEnd {
        /// The pipeline's structure.
        pipeline: &'static PipelineInfo,
        /// Items run (fewer than asked when `map` stopped at an error).
        items: usize,
        /// Items that failed.
        failed: usize,
        /// Wall time of the map.
        elapsed: Duration,
    },
    /// A node is called.
    NodeStart {
        /// Where: pipeline, item and nesting.
        scope: &'a Scope<'a>,
        /// The node's name.
        node: &'static str,
        /// Items the call covers: 1, or a batch node's batch.
        items: usize,
    },
    /// A node returned a value.
    NodeEnd {
        /// Where: pipeline, item and nesting.
        scope: &'a Scope<'a>,
        /// The node's name.
        node: &'static str,
        /// Items the call covered.
        items: usize,
        /// Wall time of the call, including waiting for its stateful instances.
        elapsed: Duration,
    },
    /// The values a node call reads, sent after `NodeStart` to hooks that ask for them
    /// ([`Hooks::VALUES`](super::Hooks::VALUES)); a value without `Debug` prints as its type name.
    NodeInputs {
        /// Where: pipeline, item and nesting.
        scope: &'a Scope<'a>,
        /// The node's name.
        node: &'static str,
        /// Each wired parameter's name and value (stateful objects are not listed).
        values: &'a [(&'static str, &'a dyn fmt::Debug)],
    },
    /// The values a node call returned, sent before `NodeEnd` to hooks that ask for them.
    NodeOutputs {
        /// Where: pipeline, item and nesting.
        scope: &'a Scope<'a>,
        /// The node's name.
        node: &'static str,
        /// Each output's name and value.
        values: &'a [(&'static str, &'a dyn fmt::Debug)],
    },
    /// A nested pipeline starts.
    NestedStart {
        /// The scope of the pipeline around it.
        scope: &'a Scope<'a>,
        /// The nested pipeline's node name.
        node: &'static str,
        /// Elements it runs on, with `map_over`.
        elements: Option<usize>,
    },
    /// A nested pipeline returned its outputs.
    NestedEnd {
        /// The scope of the pipeline around it.
        scope: &'a Scope<'a>,
        /// The nested pipeline's node name.
        node: &'static str,
        /// Wall time, every element included.
        elapsed: Duration,
    },
    /// A node's value for this item was served from a cache instead of calling the node: sent
    /// in place of `NodeStart`/`NodeEnd` by pipelines running with a cache.
    CacheHit {
        /// Where: pipeline, item and nesting.
        scope: &'a Scope<'a>,
        /// The node's name.
        node: &'static str,
    },
    /// A run or an item failed.
    Error {
        /// The run's or item's scope.
        scope: &'a Scope<'a>,
        /// The error it returns.
        error: &'a Error,
    },
}
