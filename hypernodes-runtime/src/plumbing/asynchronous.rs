//! What generated code needs for `async fn` nodes: a runtime to await them on, a panic guard
//! for futures, all of a unit's calls awaited together, and a per-node bound on calls in flight.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::sync::OnceLock;
use std::task::Poll;

use tokio::runtime::{Handle, Runtime, RuntimeFlavor};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::Error;

/// The runtime async nodes are awaited on: its one thread drives timers and I/O, while each
/// worker polls its own unit's calls.
fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("hypernodes-async")
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("cannot start the runtime of async nodes: {e}"))
    })
}

/// Awaits `future` on the calling thread. Inside a multi-threaded tokio runtime (a `map`
/// called from async code) that runtime is used, its worker set aside while it waits.
pub fn block_on<F: Future>(future: F) -> F::Output {
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| handle.block_on(future))
        }
        _ => runtime().block_on(future),
    }
}

/// `future` with a panic guard: a panic while it is polled becomes an error naming `node`.
pub async fn guarded<T>(
    node: &'static str,
    future: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let mut future = pin!(future);
    std::future::poll_fn(move |cx| {
        // AssertUnwindSafe: after a panic the future is dropped and never polled again.
        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(payload) => Poll::Ready(Err(Error::panicked(node, payload))),
        }
    })
    .await
}

/// Every future of a unit awaited together, their outputs in order.
pub fn run_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    block_on(futures_util::future::join_all(futures))
}

/// Both futures polled together, for independent async nodes of one item; more than two nest
/// (`both(a, both(b, c))`).
pub fn both<A: Future, B: Future>(a: A, b: B) -> impl Future<Output = (A::Output, B::Output)> {
    futures_util::future::join(a, b)
}

/// Waits before retry `retry` of an async node, without holding the thread.
pub async fn retry_pause(retry: u32) {
    tokio::time::sleep(super::retry::backoff(retry)).await;
}

/// At most `max_concurrency` calls of an async node in flight at once, over every worker.
pub struct AsyncLimiter(Option<Semaphore>);

impl AsyncLimiter {
    /// No limit when `limit` is `None`.
    pub fn new(limit: Option<usize>) -> Self {
        AsyncLimiter(limit.map(Semaphore::new))
    }

    /// Waits for a place; it is given back when the permit drops.
    pub async fn enter_async(&self) -> Option<SemaphorePermit<'_>> {
        match &self.0 {
            // The semaphore is never closed.
            Some(semaphore) => semaphore.acquire().await.ok(),
            None => None,
        }
    }

    /// [`AsyncLimiter::enter_async`] for a call awaited on its own (`run`, a nested pipeline).
    pub fn enter(&self) -> Option<SemaphorePermit<'_>> {
        match &self.0 {
            Some(_) => block_on(self.enter_async()),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_panic_in_a_future_is_an_error_naming_the_node() {
        let err = block_on(guarded("fetch", async {
            tokio::time::sleep(Duration::from_millis(1)).await;
            if true {
                panic!("lost");
            }
            Ok(())
        }))
        .unwrap_err();
        assert!(err.is_panic() && err.to_string().contains("lost"));
        assert_eq!(err.node(), "fetch");
    }

    #[test]
    fn block_on_works_inside_a_multi_threaded_runtime() {
        let outer = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build()
            .unwrap();
        let value = outer.block_on(async { block_on(async { 5 }) });
        assert_eq!(value, 5);
    }
}
