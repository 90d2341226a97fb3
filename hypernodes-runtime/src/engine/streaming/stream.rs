//! The iterator a streaming run hands back: it owns the stage threads and feeds them from the
//! caller's iterator as results are taken, so the input is never collected.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use super::flow::Flow;
use super::workers::{self, Job};
use super::Streaming;
use crate::error::Error;
use crate::hooks::{Event, Hooks};
use crate::pipeline::Staged;
use crate::plumbing::hooked::Clock;

/// What the stage threads share for the length of a stream: a copy of the pipeline, the run's
/// shared state (its stateful instances, dropped when the last thread is done) and the hooks.
struct Running<P: Staged, H> {
    pipeline: P,
    shared: P::Shared,
    hooks: H,
    stop: AtomicBool,
}

/// Per-item results of [`Runner::stream`](crate::Runner::stream), in input order: each is the
/// item's outputs or its error (which names the node and the item). Items are pulled from the
/// input only as results are taken, so an endless input is fine. Dropping the stream returns at
/// once: its threads stop after their current item and drop the stateful instances as the last
/// of them ends.
///
/// ```
/// use hypernodes::{node, pipeline, Streaming};
///
/// #[node]
/// fn parse(text: String) -> Result<u32, std::num::ParseIntError> { text.parse() }
/// pipeline! { Parse = [parse] }
///
/// let texts = ["1", "x", "3"].map(|t| ParseInputs { text: t.into() });
/// let results: Vec<_> = Parse::new().with_engine(Streaming::new()).stream(texts)?.collect();
/// assert_eq!(results[0].as_ref().unwrap().parse, 1);
/// assert_eq!(results[1].as_ref().unwrap_err().item(), Some(1));
/// assert_eq!(results[2].as_ref().unwrap().parse, 3);
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub struct Stream<P: Staged, I, H: Hooks> {
    flow: Flow<P, I>,
    running: Arc<Running<P, H>>,
    threads: Vec<JoinHandle<()>>,
    clock: Clock,
    ended: bool,
}

impl<P, I, H> Stream<P, I, H>
where
    P: Staged + Send + Sync + 'static,
    P::Shared: Send + Sync,
    P::Inputs: Send,
    P::Outputs: Send,
    P::Columns: Send,
    I: Iterator<Item = P::Inputs>,
    H: Hooks + Send + 'static,
{
    /// Starts the stage threads of `engine` for `pipeline`.
    pub(crate) fn start(
        engine: &Streaming,
        pipeline: P,
        shared: P::Shared,
        hooks: H,
        unit: usize,
        input: I,
    ) -> Self {
        let (stages, window) = engine.layout(&P::INFO);
        let (jobs, feed, finished) = workers::wire::<P>(&stages, window);
        if H::ACTIVE {
            hooks.on(&Event::StreamStart {
                pipeline: &P::INFO,
                items: exact_len(&input),
            });
        }
        let clock = Clock::start::<H>();
        let running = Arc::new(Running {
            pipeline,
            shared,
            hooks,
            stop: AtomicBool::new(false),
        });
        let threads = jobs
            .into_iter()
            .map(|job| spawn(job, Arc::clone(&running)))
            .collect();
        Stream {
            flow: Flow::new(input, feed, finished, unit, window),
            running,
            threads,
            clock,
            ended: false,
        }
    }
}

impl<P, I, H> Stream<P, I, H>
where
    P: Staged,
    I: Iterator<Item = P::Inputs>,
    H: Hooks,
{
    /// The same stream yielding each item as soon as it is done, with its index, instead of in
    /// input order: a slow item no longer holds back the ones after it.
    ///
    /// ```
    /// use hypernodes::{node, pipeline, Streaming};
    ///
    /// #[node]
    /// fn double(x: u64) -> u64 { 2 * x }
    /// pipeline! { Doubler = [double] }
    ///
    /// let items = (0..100).map(|x| DoublerInputs { x });
    /// let engine = Streaming::new().batch_size(10);
    /// let mut done: Vec<(usize, u64)> = Doubler::new()
    ///     .with_engine(engine)
    ///     .stream(items)?
    ///     .as_completed()
    ///     .map(|(i, out)| (i, out.unwrap().double))
    ///     .collect();
    /// done.sort();
    /// assert_eq!(done[7], (7, 14));
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    pub fn as_completed(mut self) -> AsCompleted<P, I, H> {
        self.flow.ordered = false;
        AsCompleted(self)
    }

    fn next_outcome(&mut self) -> Option<(usize, Result<P::Outputs, Error>)> {
        let next = self.flow.next();
        if next.is_none() {
            self.end();
        }
        next
    }
}

/// The input's length when its iterator knows it exactly.
fn exact_len<I: Iterator>(input: &I) -> Option<usize> {
    match input.size_hint() {
        (low, Some(high)) if low == high => Some(low),
        _ => None,
    }
}

fn spawn<P, H>(job: Job<P>, running: Arc<Running<P, H>>) -> JoinHandle<()>
where
    P: Staged + Send + Sync + 'static,
    P::Shared: Send + Sync,
    P::Inputs: Send,
    P::Outputs: Send,
    P::Columns: Send,
    H: Hooks + Send + 'static,
{
    thread::Builder::new()
        .name(job.name.clone())
        .spawn(move || {
            let Running {
                pipeline,
                shared,
                hooks,
                stop,
            } = &*running;
            job.run(pipeline, shared, hooks, stop);
        })
        .unwrap_or_else(|e| panic!("cannot start a streaming worker: {e}"))
}

impl<P, I, H> Iterator for Stream<P, I, H>
where
    P: Staged,
    I: Iterator<Item = P::Inputs>,
    H: Hooks,
{
    type Item = Result<P::Outputs, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_outcome().map(|(_, outcome)| outcome)
    }
}

impl<P: Staged, I, H: Hooks> Stream<P, I, H> {
    /// Stops the threads and tells the hooks the run ended. At the end of the input the
    /// threads are done and are joined (so the stateful instances are dropped by then). A
    /// stream dropped before its end does not wait: its threads stop after their current item
    /// (a stage of several nodes after its current unit) and drop the instances as the last
    /// of them ends; a thread stuck in a node's code is left to it, never joined.
    fn end(&mut self) {
        if self.ended {
            return;
        }
        self.ended = true;
        self.running.stop.store(true, Ordering::Relaxed);
        let finished = self.flow.close();
        for thread in self.threads.drain(..) {
            if finished || thread.is_finished() {
                // A stage thread's panics are caught per unit; one that escaped has already
                // failed its unit's items, so there is nothing more to report.
                let _ = thread.join();
            }
        }
        if H::ACTIVE {
            self.running.hooks.on(&Event::MapEnd {
                pipeline: &P::INFO,
                items: self.flow.yielded,
                failed: self.flow.failed,
                elapsed: self.clock.elapsed(),
            });
        }
    }
}

impl<P: Staged, I, H: Hooks> Drop for Stream<P, I, H> {
    fn drop(&mut self) {
        self.end();
    }
}

/// A [`Stream`] yielding `(item index, outcome)` as items finish; made by
/// [`Stream::as_completed`].
pub struct AsCompleted<P: Staged, I, H: Hooks>(Stream<P, I, H>);

impl<P, I, H> Iterator for AsCompleted<P, I, H>
where
    P: Staged,
    I: Iterator<Item = P::Inputs>,
    H: Hooks,
{
    type Item = (usize, Result<P::Outputs, Error>);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next_outcome()
    }
}
