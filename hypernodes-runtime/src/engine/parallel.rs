//! Items split in units of work spread over a rayon thread pool, one job per pool thread.
//!
//! Each pool thread runs exactly one job (`broadcast`) that pulls units from the input until
//! none is left, so a worker is a thread for the whole run: its stateful instances are built
//! once, on first need, and never per rayon split (`map_init` would build one per split).
//!
//! The workers pull the input themselves, one unit at a time under a lock, rather than a
//! feeding thread handing units over: each input is then built, used and freed on one thread,
//! and no extra thread competes for the cores. On W1 that is 0.93x `par_iter` where the
//! hand-over was 1.29x (`benches/idiomatic.rs`, `w1_pulled_units` and `w1_fed_units`); the
//! price is that the input iterator must be `Send`.

use std::iter::Fuse;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::ThreadPool;

use crate::collect::Collect;
use crate::config::{EngineConfig, RunSettings};
use crate::devices::Devices;
use crate::engine::options::engine_options;
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
    pub(super) pool: Option<Arc<ThreadPool>>,
    config: EngineConfig,
    devices: Option<Devices>,
}

engine_options!(
    Parallel = "Parallel::new()",
    [batch_size, max_concurrency, devices]
);

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

    fn workers(&self) -> usize {
        match &self.pool {
            Some(pool) => pool.current_num_threads(),
            None => rayon::current_num_threads(),
        }
    }

    /// Every pool thread pulls units of `unit` items from `items` and runs them until none is
    /// left or a collector asks to stop. Units are numbered as they are pulled, so every unit
    /// before the one that stopped the run was pulled, and runs to its end, before the join.
    fn run_pulled<P, C, H, I>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: I,
    ) -> C::Output
    where
        P: Pipeline + Sync,
        P::Shared: Sync,
        C: Collect<P::Outputs> + Send,
        H: Hooks,
        I: Iterator<Item = P::Inputs> + Send,
    {
        let source = Source::new(unit, items);
        let done = Mutex::new(Vec::new());
        let job = |worker: usize| {
            let _stop = StopOnPanic(&source);
            let mut mine = Vec::new();
            let mut scratch = P::Scratch::default();
            while let Some((index, items)) = source.next_unit() {
                let mut collect = C::with_capacity(items.len());
                let first = index * source.size;
                if !pipeline.__hypernodes_unit(
                    shared,
                    worker,
                    &mut scratch,
                    hooks,
                    first,
                    items,
                    &mut collect,
                ) {
                    source.stop();
                }
                mine.push((index, collect));
            }
            lock(&done).extend(mine);
        };
        self.on_every_worker(job);
        let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
        done.sort_unstable_by_key(|(index, _)| *index);
        C::join(done.into_iter().map(|(_, collect)| collect).collect())
    }
}

/// An input the workers pull from in numbered units of `size` items.
impl Parallel {
    /// Runs `job` once on each thread of the pool, given the thread's index: a worker for the
    /// whole run, pulling its units itself.
    pub(crate) fn on_every_worker(&self, job: impl Fn(usize) + Sync) {
        match &self.pool {
            Some(pool) => drop(pool.broadcast(|ctx| job(ctx.index()))),
            None => drop(rayon::broadcast(|ctx| job(ctx.index()))),
        }
    }
}

struct Source<I> {
    size: usize,
    /// The number of the next unit, and the input.
    next: Mutex<(usize, Fuse<I>)>,
    /// Set when a collector asked to stop, or a worker panicked: no more units are pulled.
    stopped: AtomicBool,
}

impl<I: Iterator> Source<I> {
    fn new(size: usize, items: I) -> Self {
        Source {
            size: size.max(1),
            next: Mutex::new((0, items.fuse())),
            stopped: AtomicBool::new(false),
        }
    }

    /// The next unit and its number; `None` once the input is done or the run stopped.
    fn next_unit(&self) -> Option<(usize, Vec<I::Item>)> {
        if self.stopped.load(Ordering::Relaxed) {
            return None;
        }
        let mut next = lock(&self.next);
        let unit: Vec<I::Item> = next.1.by_ref().take(self.size).collect();
        if unit.is_empty() {
            return None;
        }
        next.0 += 1;
        Some((next.0 - 1, unit))
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}

/// Held by a worker while it pulls units: one that leaves by a panic (a hook's, or the input
/// iterator's) stops the run, so the others pull no more.
struct StopOnPanic<'a, I: Iterator>(&'a Source<I>);

impl<I: Iterator> Drop for StopOnPanic<'_, I> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
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

/// An input iterator `Parallel`'s workers can pull from: one that is `Send`. A trait of its own
/// so that a `map` over one that is not says why and what to do.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`Parallel`'s workers pull the input themselves, and this input iterator cannot be sent to them: `{Self}` is not `Send`",
    label = "an input iterator that is not `Send`",
    note = "collect it into a `Vec` first, or run it on `Sequential` or `Streaming`, which pull their input on the calling thread"
)]
pub trait PulledByWorkers: Iterator + Send {}

#[diagnostic::do_not_recommend]
impl<I: Iterator + Send> PulledByWorkers for I {}

impl<P, I, C> Executes<P, I, C> for Parallel
where
    P: Pipeline + Sync,
    P::Shared: Sync,
    P::Inputs: Send,
    P::Outputs: Send,
    C: Collect<P::Outputs> + Send,
    I: Iterator<Item = P::Inputs> + PulledByWorkers,
{
    fn run<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: I,
    ) -> C::Output {
        self.run_pulled::<P, C, H, I>(pipeline, shared, hooks, unit, items)
    }
}
