//! Items split in units of work spread over a rayon thread pool, one job per pool thread.
//!
//! Each pool thread runs exactly one job (`broadcast`) that takes units from a shared counter
//! until none is left, so a worker is a thread for the whole run: its stateful instances are
//! built once, on first need, and never per rayon split (`map_init` would build one per split).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::ThreadPool;

use crate::collect::Collect;
use crate::config::{EngineConfig, RunSettings};
use crate::devices::Devices;
use crate::engine::{Engine, Executes};
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;

/// Runs items on a rayon thread pool, keeping input order; the default engine of `map`.
///
/// ```
/// use hypernodes::{node, pipeline, Parallel};
///
/// #[node]
/// fn square(x: u64) -> u64 { x * x }
/// pipeline! { Squares = [square] }
///
/// let engine = Parallel::new().threads(2).batch_size(100);
/// let outs = Squares::new().with_engine(engine).map((0..1000).map(|x| SquaresInputs { x }))?;
/// assert_eq!(outs[999].square, 998_001);
/// # Ok::<(), hypernodes::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Parallel {
    pool: Option<Arc<ThreadPool>>,
    config: EngineConfig,
    devices: Option<Devices>,
}

impl Parallel {
    /// On rayon's global pool (one thread per core unless `RAYON_NUM_THREADS` says otherwise).
    pub fn new() -> Self {
        Self::default()
    }

    /// On a pool of its own with `threads` threads (0: rayon's default count).
    ///
    /// # Panics
    /// When the operating system refuses to start the threads.
    pub fn threads(mut self, threads: usize) -> Self {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("hypernodes-{i}"))
            .build()
            .unwrap_or_else(|e| panic!("cannot start {threads} threads: {e}"));
        self.pool = Some(Arc::new(pool));
        self
    }

    /// Items per unit of work and batch of batch nodes, unless a node sets its own.
    pub fn batch_size(mut self, items: usize) -> Self {
        self.config.batch_size = Some(items.max(1));
        self
    }

    /// Most instances (and calls at once) of every node that does not set its own.
    pub fn max_concurrency(mut self, instances: usize) -> Self {
        self.config.max_concurrency = Some(instances.max(1));
        self
    }

    /// The devices to hand to nodes with `gpus`, instead of the visible ones.
    pub fn devices(mut self, devices: Devices) -> Self {
        self.devices = Some(devices);
        self
    }

    fn workers(&self) -> usize {
        match &self.pool {
            Some(pool) => pool.current_num_threads(),
            None => rayon::current_num_threads(),
        }
    }

    fn run_units<P, C, H>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: Vec<P::Inputs>,
    ) -> C::Output
    where
        P: Pipeline + Sync,
        P::Shared: Sync,
        P::Inputs: Send,
        C: Collect<P::Outputs> + Send,
        H: Hooks,
    {
        let unit = unit.max(1);
        let units = split(items, unit);
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let job = |worker: usize| {
            let mut done = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(items) = units.get(index) else { break };
                let items = items
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take()
                    .unwrap_or_default();
                let mut collect = C::with_capacity(items.len());
                if !pipeline.__hypernodes_unit(
                    shared,
                    worker,
                    hooks,
                    index * unit,
                    items,
                    &mut collect,
                ) {
                    stop.store(true, Ordering::Relaxed);
                }
                done.push((index, collect));
            }
            done
        };
        let per_worker = match &self.pool {
            Some(pool) => pool.broadcast(|ctx| job(ctx.index())),
            None => rayon::broadcast(|ctx| job(ctx.index())),
        };
        let mut done: Vec<(usize, C)> = per_worker.into_iter().flatten().collect();
        done.sort_unstable_by_key(|(index, _)| *index);
        C::join(done.into_iter().map(|(_, collect)| collect).collect())
    }
}

/// Units of work, each taken by exactly one worker.
fn split<T>(items: Vec<T>, unit: usize) -> Vec<Mutex<Option<Vec<T>>>> {
    let mut units = Vec::with_capacity(items.len().div_ceil(unit));
    let mut items = items.into_iter();
    loop {
        let chunk: Vec<T> = items.by_ref().take(unit).collect();
        if chunk.is_empty() {
            return units;
        }
        units.push(Mutex::new(Some(chunk)));
    }
}

impl Engine for Parallel {
    fn settings(&self) -> RunSettings {
        RunSettings {
            engine: "Parallel",
            workers: self.workers(),
            config: self.config.clone(),
            devices: self.devices.clone(),
        }
    }
}

impl<P, C> Executes<P, C> for Parallel
where
    P: Pipeline + Sync,
    P::Shared: Sync,
    P::Inputs: Send,
    P::Outputs: Send,
    C: Collect<P::Outputs> + Send,
{
    fn run<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: Vec<P::Inputs>,
    ) -> C::Output {
        self.run_units::<P, C, H>(pipeline, shared, hooks, unit, items)
    }
}
