//! Stages connected by bounded channels, each with its own pool of threads; the input is pulled
//! only as results leave, so memory stays bounded whatever the number of items.

mod flow;
mod stages;
mod stream;
mod workers;

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

pub(crate) use flow::Feed;
pub use stream::{AsCompleted, Stream};
#[cfg(feature = "arrow")]
pub(crate) use workers::Work;

use crate::collect::Collect;
use crate::config::{EngineConfig, RunSettings};
use crate::devices::Devices;
use crate::engine::options::engine_options;
use crate::engine::{Engine, Executes};
use crate::hooks::Hooks;
use crate::info::PipelineInfo;
use crate::pipeline::Staged;
use crate::plan::Plan;
use flow::Flow;
use stages::Stage;

/// Streams items through the pipeline's nodes in stages, each stage on its own threads and
/// joined to the next by a bounded channel: a slow stage holds back the others only once their
/// buffers are full, and at most [`in_flight`](Streaming::in_flight) units of items exist at
/// once, so an unbounded input runs in bounded memory.
///
/// Neighbouring nodes run fused in one stage of [`threads`](Streaming::threads) workers; a node
/// with a `max_concurrency` of its own gets a stage of that many workers, each with its own
/// stateful instances. `stream` yields results as an iterator, in input order (or as they
/// finish, with [`Stream::as_completed`]); `map` and `map_results` work as on the other engines.
///
/// ```
/// use hypernodes::{node, pipeline, Streaming};
///
/// #[node]
/// fn square(x: u64) -> u64 { x * x }
/// #[node(config(max_concurrency = 1))]          // a stage of its own, one worker
/// fn plus_one(square: u64) -> u64 { square + 1 }
/// pipeline! { Squares = [square, plus_one] }
///
/// let engine = Streaming::new().threads(2).batch_size(16);
/// let naturals = (0..).map(|x| SquaresInputs { x });   // never ends
/// let first: Vec<u64> = Squares::new()
///     .with_engine(engine)
///     .stream(naturals)?
///     .take(1000)
///     .map(|out| out.map(|o| o.plus_one))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(first[999], 999 * 999 + 1);
/// # Ok::<(), hypernodes::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Streaming {
    threads: Option<usize>,
    in_flight: Option<usize>,
    config: EngineConfig,
    devices: Option<Devices>,
}

engine_options!(
    Streaming = "Streaming::new()",
    [batch_size, max_concurrency, devices]
);

impl Streaming {
    /// Stages of one thread per core; units of the pipeline's `batch_size`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Workers of each stage whose nodes do not set `max_concurrency` (0: one per core).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = (threads > 0).then_some(threads);
        self
    }

    /// Most units between the input and the output at once (default: two per worker): the
    /// bound on memory, and on how far the input runs ahead of the slowest stage.
    pub fn in_flight(mut self, units: usize) -> Self {
        self.in_flight = Some(units.max(1));
        self
    }

    fn threads_per_stage(&self) -> usize {
        self.threads
            .unwrap_or_else(|| thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// The stages of pipeline `info` and the units allowed in flight.
    fn layout(&self, info: &'static PipelineInfo) -> (Vec<Stage>, usize) {
        let plan = Plan::resolve(info, &self.settings());
        let stages = stages::stages(&plan, self.threads_per_stage());
        let workers: usize = stages.iter().map(|stage| stage.workers).sum();
        (stages, self.in_flight.unwrap_or(2 * workers))
    }
}

impl Engine for Streaming {
    fn settings(&self) -> RunSettings {
        RunSettings {
            engine: "Streaming",
            workers: self.threads_per_stage(),
            config: self.config.clone(),
            devices: self.devices.clone(),
        }
    }

    /// Every stage numbers its workers from 0: the run needs as many per-worker instances as
    /// its widest stage has workers.
    fn settings_for(&self, info: &'static PipelineInfo) -> RunSettings {
        let (stages, _) = self.layout(info);
        let widest = stages.iter().map(|stage| stage.workers).max().unwrap_or(1);
        RunSettings {
            workers: widest,
            ..self.settings()
        }
    }
}

impl<P, I, C> Executes<P, I, C> for Streaming
where
    P: Staged + Sync,
    P::Shared: Sync,
    P::Inputs: Send,
    P::Outputs: Send,
    P::Columns: Send,
    C: Collect<P::Outputs>,
    I: Iterator<Item = P::Inputs>,
{
    fn run<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: I,
    ) -> C::Output {
        let room = super::results_room(&items);
        self.run_fed::<P, C, H, I>(pipeline, shared, hooks, (unit, room), items)
    }
}

impl Streaming {
    /// A run of the units `feed` gives, of `unit` items each, `room` results expected.
    pub(crate) fn run_fed<P, C, H, F>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        (unit, room): (usize, usize),
        feed: F,
    ) -> C::Output
    where
        P: Staged + Sync,
        P::Shared: Sync,
        P::Inputs: Send,
        P::Outputs: Send,
        P::Columns: Send,
        C: Collect<P::Outputs>,
        H: Hooks,
        F: Feed<P>,
    {
        let (stages, window) = self.layout(&P::INFO);
        let (jobs, sender, finished) = workers::wire::<P>(&stages, window);
        let stop = AtomicBool::new(false);
        let mut collect = C::with_capacity(room);
        thread::scope(|scope| {
            for job in jobs {
                let stop = &stop;
                thread::Builder::new()
                    .name(job.name.clone())
                    .spawn_scoped(scope, move || job.run(pipeline, shared, hooks, stop))
                    .unwrap_or_else(|e| panic!("cannot start a streaming worker: {e}"));
            }
            let mut flow = Flow::<P, _>::new(feed, sender, finished, unit, window);
            while let Some((_, outcome)) = flow.next() {
                if !collect.push(outcome) {
                    break;
                }
            }
            stop.store(true, Ordering::Relaxed);
            flow.close();
        });
        C::join(vec![collect])
    }
}
