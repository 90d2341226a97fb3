//! What generated code needs and users never name. Not covered by semver.

#[cfg(feature = "async")]
mod asynchronous;
mod batch;
#[cfg(not(feature = "cache"))]
mod cache_off;
#[cfg(feature = "cache")]
mod cached;
mod call;
mod checkout;
mod debug;
mod hooked;
mod map_on;
mod nested;
mod node_call;
mod retry;
mod wire;

pub use crate::engine::RunSettings;
pub use crate::plan::Plan;
pub use call::{node_result, run_catching, NodeResult};
pub use debug::{Field, Repr, ViaDebug, ViaTypeName};
pub use hypernodes_macros::{__pipeline_front as pipeline_front, __pipeline_impl as pipeline_impl};
pub use once_cell::sync::OnceCell;
pub use wire::{
    clone_for, code_at, CloneForLaterUse, In, NodeCode, Out, SameInput, SameStateful, Wire,
};

#[cfg(feature = "cache")]
pub use crate::cache::{DiskCache, Key, KeyBuilder};
pub use crate::hooks::{Hooks, NoHooks, Scope};
#[cfg(feature = "async")]
pub use asynchronous::{block_on, guarded, retry_pause, run_all, AsyncLimiter};
pub use batch::{batch_values, catching, single_value};
#[cfg(not(feature = "cache"))]
pub use cache_off::{cache_lookup, DiskCache, Key, KeyBuilder};
#[cfg(feature = "cache")]
pub use cached::{cache_lookup, CacheValue, Cacheable, Slot, Store};
pub use checkout::checkout;
pub use node_call::{call_cached, call_node, node_key, CacheSlot};

/// Nothing with the `async` feature; without it, the error a pipeline with an `async fn` node
/// reports instead of a missing item of `__private`.
#[cfg(feature = "async")]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_require_async {
    ($node:literal) => {};
}

/// Nothing with the `async` feature; without it, the error a pipeline with an `async fn` node
/// reports instead of a missing item of `__private`.
#[cfg(not(feature = "async"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_require_async {
    ($node:literal) => {
        ::core::compile_error!(::core::concat!(
            "node `", $node, "` is an `async fn`: async nodes need the `async` feature of hypernodes: `hypernodes = { version = \"0.1\", features = [\"async\"] }`"
        ));
    };
}
pub use crate::__hypernodes_require_async as require_async;

/// Its input with the `process` feature on Unix; without, the error a `use_process` node
/// reports instead of missing items of `__private`.
#[cfg(all(feature = "process", unix))]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_if_process {
    ($node:literal $($item:tt)*) => { $($item)* };
}

/// Its input with the `process` feature on Unix; without, the error a `use_process` node
/// reports instead of missing items of `__private`.
#[cfg(not(all(feature = "process", unix)))]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_if_process {
    ($node:literal $($item:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "node `", $node, "` sets `use_process`: worker processes need the `process` feature of hypernodes (`features = [\"process\"]`) and a Unix target"
        ));
    };
}
pub use crate::__hypernodes_if_process as if_process;

/// Its input with the `cache` feature, nothing without: the items only a cache needs.
#[cfg(feature = "cache")]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_if_cache {
    ($($item:tt)*) => { $($item)* };
}

/// Its input with the `cache` feature, nothing without: the items only a cache needs.
#[cfg(not(feature = "cache"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_if_cache {
    ($($item:tt)*) => {};
}
pub use crate::__hypernodes_if_cache as if_cache;
pub use hooked::{
    hooked_run, item_end, item_start, nested_end, nested_start, node_end, node_start, Clock,
};
pub use map_on::{Built, MapOn};
pub use nested::{absent, needs, present, present_ref, zip_len, Absent, Arg};
pub use retry::{backoff, clone_for_retry, retrying, CloneForRetry};

pub use crate::engine::{Collect, FailFast, KeepAll};
pub use crate::instances::{Checkout, Instances, Limiter, Permit};
#[cfg(all(feature = "process", unix))]
pub use crate::process::{serve_node, Isolated, ProcessValue, Processes, WorkerEntry};
#[cfg(all(feature = "process", unix))]
pub use inventory;
