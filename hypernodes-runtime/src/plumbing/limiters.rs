//! Every node's call limiter (`max_concurrency`) for one run, in one allocation.

#[cfg(feature = "async")]
use super::asynchronous::AsyncLimiter;
use crate::instances::{Limiter, Permit, Place};
use crate::plan::Plan;

/// The call limiters of a run's nodes, indexed by position in run order.
///
/// One boxed slice built by non-generic code rather than one field per node: a struct with a
/// field per node made rustc build, inline and drop each limiter separately (a 50-node release
/// build took 404 ms with fields, 368 ms with this, `scripts/compile-time.sh 50 5 release`).
pub struct Limiters {
    any: bool,
    blocking: Box<[Limiter]>,
    #[cfg(feature = "async")]
    asynchronous: Box<[AsyncLimiter]>,
}

impl Limiters {
    /// The limiters `plan` sets for its nodes, for the worker count it runs with.
    pub fn new(plan: &Plan) -> Self {
        let limits = || {
            plan.nodes
                .iter()
                .map(|node| node.config.max_concurrency.value)
        };
        let workers = plan.settings.workers;
        let blocking: Box<[Limiter]> = limits().map(|limit| Limiter::new(limit, workers)).collect();
        Limiters {
            any: blocking.iter().any(Limiter::is_limited),
            blocking,
            #[cfg(feature = "async")]
            asynchronous: limits().map(AsyncLimiter::new).collect(),
        }
    }

    /// Whether any node has a limit below the worker count (a plain `fn` node).
    #[inline(always)]
    pub fn any(&self) -> bool {
        self.any
    }

    /// Waits for a free place for a call of the node at `position` in run order.
    #[inline]
    pub fn enter(&self, position: usize) -> Permit<'_> {
        self.blocking[position].enter()
    }

    /// Waits for a free place for a call of the node at `position` in run order, and returns
    /// it (`None` when the node has no limit); see `Running::hold`.
    #[inline]
    pub fn take(&self, position: usize) -> Option<Place<'_>> {
        self.blocking[position].take()
    }

    /// The limiter of the `async fn` node at `position` in run order.
    #[cfg(feature = "async")]
    #[inline]
    pub fn asynchronous(&self, position: usize) -> &AsyncLimiter {
        &self.asynchronous[position]
    }
}
