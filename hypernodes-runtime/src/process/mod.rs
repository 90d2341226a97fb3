//! Process isolation for `use_process` nodes: the node's calls run in worker processes (the
//! same binary started in worker mode), so code that aborts, crashes or is killed fails only
//! the item it was running. Items and results cross a local socket as postcard frames.

mod frame;
mod pool;
mod serve;

pub use pool::Processes;
use serve::{exit_if_unserving_worker, UNSERVING_EXIT};
pub use serve::{serve_if_worker, serve_node, WorkerEntry};

/// Which node a worker process serves (its `Isolated::KEY`).
const NODE_VAR: &str = "HYPERNODES_WORKER_NODE";
/// The socket a worker process connects to.
const SOCKET_VAR: &str = "HYPERNODES_WORKER_SOCKET";
/// The worker's place in its node's pool, and the pool's size, as `index/count`.
const SLOT_VAR: &str = "HYPERNODES_WORKER_SLOT";
/// The test a test binary runs in worker mode (declared by [`test_worker!`](crate::test_worker)).
const TEST_ENTRY: &str = "__hypernodes_worker";

/// What a `use_process` node sends to its workers and gets back: `#[node]` implements it on
/// the node's hidden twin type.
pub trait Isolated {
    /// Unique in the binary: how a worker process finds the node's serving code.
    const KEY: &'static str;
    /// Longest a call may take before its worker is killed and the item fails (`timeout_ms`);
    /// 0: no bound.
    const TIMEOUT_MS: u64;
    /// The node's wired parameters, owned.
    type Args: ProcessValue;
    /// What the node returns (its `Ok` value for a fallible node).
    type Value: ProcessValue;
}

/// A value crossing into or out of a worker process: a serde type. (A missing impl is reported
/// as serde's own trait bound, with this trait named in the notes.)
pub trait ProcessValue: serde::Serialize + serde::de::DeserializeOwned {}

impl<T: serde::Serialize + serde::de::DeserializeOwned> ProcessValue for T {}

/// Declares the test through which a test binary serves `use_process` nodes: put it once at
/// the root of every integration test file (or unit test crate) whose pipelines have such
/// nodes. Worker processes are the test binary started again on this one test; in a normal
/// run it does nothing.
///
/// ```
/// hypernodes::test_worker!();
/// ```
#[macro_export]
macro_rules! test_worker {
    () => {
        /// Entry point of worker processes of `use_process` nodes (does nothing otherwise).
        #[test]
        fn __hypernodes_worker() {
            $crate::serve_if_worker();
        }
    };
}
