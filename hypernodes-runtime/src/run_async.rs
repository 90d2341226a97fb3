//! Runs for async callers: a future (or a stream) that any executor may poll, in any tokio
//! runtime flavour, while the run itself happens on a thread of its own.
//!
//! A run blocks its thread (it awaits async nodes on hypernodes' own runtime, and computes plain
//! nodes in place), which is what async code must not do on an executor's thread. So the run
//! goes to a new thread with a handle of the pipeline (sharing its stateful instances, bound
//! values and cache), and the caller awaits its result: about one thread start per call.

use std::future::Future;

use crate::engine::{Engine, Executes};
use crate::error::Error;
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;
use crate::runner::Runner;

/// Runs `work` on a new thread; the future gives its result.
fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> impl Future<Output = Result<T, Error>> + Send + 'static {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let started = std::thread::Builder::new()
        .name("hypernodes-async-call".into())
        .spawn(move || {
            // The caller may have stopped waiting; the result is then dropped.
            let _ = sender.send(work());
        });
    async move {
        started.map_err(|e| Error::config("run_async", format!("cannot start a thread: {e}")))?;
        receiver.await.map_err(|_| {
            Error::config(
                "run_async",
                "the run's thread ended without a result".into(),
            )
        })
    }
}

/// `run_async` on every pipeline that can be sent to another thread.
///
/// ```
/// use hypernodes::{node, pipeline, RunAsync};
///
/// #[node(output = "page")]
/// async fn fetch(url: String) -> String {
///     tokio::time::sleep(std::time::Duration::from_millis(1)).await;
///     format!("<html>{url}</html>")
/// }
/// pipeline! { Fetch = [fetch] }
///
/// // A single-threaded runtime, as `#[tokio::main(flavor = "current_thread")]` builds.
/// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// let out = runtime.block_on(async {
///     Fetch::new().run_async(FetchInputs { url: "a.org".into() }).await
/// })?;
/// assert_eq!(out.page, "<html>a.org</html>");
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub trait RunAsync: Pipeline {
    /// Runs one item, like `run`, for async code: the future resolves when the run is done,
    /// and never blocks the executor polling it.
    fn run_async(
        &self,
        inputs: Self::Inputs,
    ) -> impl Future<Output = Result<Self::Outputs, Error>> + Send + 'static;
}

impl<P> RunAsync for P
where
    P: Pipeline + Clone + Send + 'static,
    P::Inputs: Send + 'static,
    P::Outputs: Send + 'static,
{
    fn run_async(
        &self,
        inputs: P::Inputs,
    ) -> impl Future<Output = Result<P::Outputs, Error>> + Send + 'static {
        let pipeline = self.clone();
        let run = off_thread(move || pipeline.run(inputs));
        async move { run.await? }
    }
}

impl<P, E, H> Runner<'static, P, E, H>
where
    P: Pipeline + Clone + Send + Sync + 'static,
    E: Engine + Clone + Send + 'static,
    H: Hooks + Clone + Send + 'static,
    P::Inputs: Send + 'static,
    P::Outputs: Send + 'static,
{
    /// [`Runner::run`] for async code (see [`RunAsync`]).
    pub fn run_async(
        &self,
        inputs: P::Inputs,
    ) -> impl Future<Output = Result<P::Outputs, Error>> + Send + 'static {
        let runner = self.clone();
        let run = off_thread(move || runner.run(inputs));
        async move { run.await? }
    }

    /// [`Runner::map`] for async code: the items are run on the engine from a thread of their
    /// own, and the future gives every output, or the first error.
    ///
    /// ```
    /// use hypernodes::{node, pipeline, Parallel};
    ///
    /// #[node]
    /// fn double(x: u32) -> u32 { x * 2 }
    /// pipeline! { Double = [double] }
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let runner = Double::new().with_engine(Parallel::new());
    /// let items: Vec<DoubleInputs> = (1..=3).map(|x| DoubleInputs { x }).collect();
    /// let outs = runtime.block_on(runner.map_async(items))?;
    /// assert_eq!(outs.iter().map(|o| o.double).collect::<Vec<_>>(), [2, 4, 6]);
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    pub fn map_async<I>(
        &self,
        items: I,
    ) -> impl Future<Output = Result<Vec<P::Outputs>, Error>> + Send + 'static
    where
        I: IntoIterator<Item = P::Inputs> + Send + 'static,
        E: Executes<P, I::IntoIter>,
    {
        let runner = self.clone();
        let run = off_thread(move || runner.map(items));
        async move { run.await? }
    }

    /// [`Runner::map_results`] for async code: every item's outcome, in input order.
    pub fn map_results_async<I>(
        &self,
        items: I,
    ) -> impl Future<Output = Result<Vec<Result<P::Outputs, Error>>, Error>> + Send + 'static
    where
        I: IntoIterator<Item = P::Inputs> + Send + 'static,
        E: Executes<P, I::IntoIter, crate::collect::KeepAll<P::Outputs>>,
    {
        let runner = self.clone();
        off_thread(move || runner.map_results(items))
    }
}

#[cfg(feature = "streaming")]
impl<P, H> Runner<'static, P, crate::engine::Streaming, H>
where
    P: crate::pipeline::Staged + Clone + Send + Sync + 'static,
    P::Shared: Send + Sync,
    P::Inputs: Send + 'static,
    P::Outputs: Send + 'static,
    P::Columns: Send,
    H: Hooks + Clone + Send + 'static,
{
    /// [`Runner::stream`] for async code: a [`futures_util::Stream`] of each item's outcome in
    /// input order, as the stages produce them. At most `buffer` outcomes wait for the caller;
    /// items are pulled only as outcomes are taken, so memory stays bounded. Dropping the
    /// stream stops the run.
    ///
    /// ```
    /// use futures_util::StreamExt;
    /// use hypernodes::{node, pipeline, Streaming};
    ///
    /// #[node]
    /// fn square(x: u64) -> u64 { x * x }
    /// pipeline! { Squares = [square] }
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let runner = Squares::new().with_engine(Streaming::new());
    /// let total: u64 = runtime.block_on(async {
    ///     let stream = runner.stream_async((0..1_000).map(|x| SquaresInputs { x }), 16);
    ///     stream.map(|out| out.unwrap().square).fold(0, |a, b| async move { a + b }).await
    /// });
    /// assert_eq!(total, (0..1_000u64).map(|x| x * x).sum::<u64>());
    /// ```
    pub fn stream_async<I>(
        &self,
        items: I,
        buffer: usize,
    ) -> impl futures_util::Stream<Item = Result<P::Outputs, Error>> + Send + 'static
    where
        I: IntoIterator<Item = P::Inputs> + Send + 'static,
        I::IntoIter: Send + 'static,
    {
        let (sender, mut receiver) = tokio::sync::mpsc::channel(buffer.max(1));
        let runner = self.clone();
        let started = std::thread::Builder::new()
            .name("hypernodes-async-stream".into())
            .spawn(move || match runner.stream(items) {
                Ok(stream) => {
                    for outcome in stream {
                        // The receiver is gone: stop pulling items.
                        if sender.blocking_send(outcome).is_err() {
                            break;
                        }
                    }
                }
                Err(error) => {
                    let _ = sender.blocking_send(Err(error));
                }
            });
        let mut failed_to_start = started
            .err()
            .map(|e| Error::config("stream_async", format!("cannot start a thread: {e}")));
        futures_util::stream::poll_fn(move |cx| match failed_to_start.take() {
            Some(error) => std::task::Poll::Ready(Some(Err(error))),
            None => receiver.poll_recv(cx),
        })
    }
}
