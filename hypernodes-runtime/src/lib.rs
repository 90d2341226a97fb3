//! Runtime of [hypernodes](https://docs.rs/hypernodes): the engines, config, stateful resources,
//! hooks, caching, worker processes, the cluster, and the `pipeline!` front macro. Users depend
//! on the `hypernodes` facade, which re-exports what they need of it.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "arrow")]
pub mod arrow;
#[cfg(any(feature = "cluster", all(feature = "process", unix)))]
mod binary;
#[cfg(feature = "cache")]
pub mod cache;
#[cfg(feature = "cluster")]
mod cluster;
pub mod config;
#[cfg(feature = "dataset")]
pub mod dataset;
mod devices;
mod engine;
mod error;
mod hooks;
mod info;
mod instances;
mod modes;
mod par_map;
mod picture;
mod pipeline;
mod plan;
#[cfg(all(feature = "process", unix))]
mod process;
#[cfg(feature = "async")]
mod run_async;
mod runner;
mod stateful;

#[doc(hidden)]
pub mod __private;
mod collect;
mod map_on;
mod plumbing;

#[cfg(feature = "cluster")]
pub use cluster::{Cluster, ClusterSession, Crosses, PartitionRun, Partitioned, Serving};
pub use config::{ConfigSource, NodeConfig, Setting};
pub use config::{EngineConfig, RunSettings};
pub use devices::Devices;
#[cfg(feature = "streaming")]
pub use engine::{AsCompleted, Stream, Streaming};
pub use engine::{Engine, Executes, Parallel, Sequential};
pub use error::{BoxError, Error, ErrorKind};
#[cfg(feature = "progress")]
pub use hooks::Progress;
#[cfg(feature = "tracing")]
pub use hooks::Tracing;
pub use hooks::{Event, Hooks, NoHooks, Scope};
pub use info::{BranchInfo, FieldInfo, NodeInfo, NodeKind, NodeTable, PipelineInfo};
pub use instances::{Factory, InstanceLayout};
pub use modes::{product, Product, Shared};
pub use picture::Picture;
pub use pipeline::Pipeline;
pub use plan::{NodePlan, Plan, StatefulPlan};
#[cfg(all(feature = "process", unix))]
pub use process::serve_if_worker;
#[cfg(feature = "async")]
pub use run_async::RunAsync;
pub use runner::Runner;
pub use stateful::{Stateful, WorkerContext};

/// Declares a pipeline: nodes wired by parameter name into a typed graph, checked at compile time.
///
/// ```
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "cleaned")]
/// pub fn clean(text: String) -> String { text.trim().to_lowercase() }
///
/// #[node(output = "tokens")]
/// pub fn tokenize(cleaned: &str) -> Vec<String> {
///     cleaned.split_whitespace().map(str::to_owned).collect()
/// }
///
/// pipeline! {
///     /// Cleans and tokenizes a text.
///     pub Tokens = [clean, tokenize]
/// }
///
/// let out = Tokens::new().run(TokensInputs { text: " A b ".into() })?;
/// assert_eq!(out.tokens, ["a", "b"]);
/// # Ok::<(), hypernodes::Error>(())
/// ```
///
/// Syntax: `attributes visibility Name = [node, path::to::node, OtherPipeline, ...]`, where the
/// attributes may be doc comments, `#[outputs(a, b)]` (keep only these outputs; nodes they do not
/// need never run), `#[config(batch_size = .., ...)]` (defaults for every node) and
/// `#[bind(name = expression, ...)]` (inputs fixed once, out of `<Name>Inputs`). A pipeline in
/// the list may say how it is used: `Inner(inputs(inner = outer), outputs(inner = outer),
/// map_over(list))`, with `map_over(product(a, b))` for every combination.
#[macro_export]
macro_rules! pipeline {
    ($($body:tt)*) => {
        $crate::__private::pipeline_front! { [$crate] $($body)* }
    };
}
