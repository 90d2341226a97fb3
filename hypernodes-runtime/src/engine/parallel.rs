//! Items split in units of work spread over a rayon thread pool, one job per pool thread.
//!
//! Each pool thread runs exactly one job (`broadcast`) that takes units from a shared counter
//! until none is left, so a worker is a thread for the whole run: its stateful instances are
//! built once, on first need, and never per rayon split (`map_init` would build one per split).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};

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

    /// The calling thread pulls units from `items` and hands them over a bounded queue to one
    /// job per pool thread, so at most a few units per worker wait in memory whatever the
    /// input's length. Called from inside a rayon pool, it gathers the units first instead:
    /// a pool thread that feeds cannot also take its share of the work, and with one thread
    /// that would wait for ever.
    fn run_units<P, C, H, I>(
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
        P::Inputs: Send,
        C: Collect<P::Outputs> + Send,
        H: Hooks,
        I: Iterator<Item = P::Inputs>,
    {
        let units = Units::new(unit, items);
        let size = units.size;
        // Inside a pool every unit is queued before the workers start; otherwise the calling
        // thread feeds a queue of a few units per worker while they work.
        let inside = rayon::current_thread_index().is_some();
        let (feeder, receiver) = match inside {
            true => {
                let (sender, receiver) = mpsc::channel();
                units.for_each(|unit| sender.send(unit).expect("the receiver is alive"));
                (None, receiver)
            }
            false => {
                let (sender, receiver) = mpsc::sync_channel(2 * self.workers());
                (Some((sender, units)), receiver)
            }
        };
        let queue = Queue::new(receiver, self.workers());
        let done = Mutex::new(Vec::new());
        let job = |worker: usize| {
            let exit = Exit(&queue);
            let mut mine = Vec::new();
            while let Some((index, items)) = exit.0.next() {
                let mut collect = C::with_capacity(items.len());
                if !pipeline.__hypernodes_unit(
                    shared,
                    worker,
                    hooks,
                    index * size,
                    items,
                    &mut collect,
                ) {
                    queue.stop();
                }
                mine.push((index, collect));
            }
            lock(&done).extend(mine);
        };
        match (feeder, &self.pool) {
            (None, Some(pool)) => drop(pool.broadcast(|ctx| job(ctx.index()))),
            (None, None) => drop(rayon::broadcast(|ctx| job(ctx.index()))),
            (Some((sender, units)), Some(pool)) => pool.in_place_scope(|scope| {
                scope.spawn_broadcast(|_, ctx| job(ctx.index()));
                queue.feed(sender, units);
            }),
            (Some((sender, units)), None) => rayon::in_place_scope(|scope| {
                scope.spawn_broadcast(|_, ctx| job(ctx.index()));
                queue.feed(sender, units);
            }),
        }
        let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
        done.sort_unstable_by_key(|(index, _)| *index);
        C::join(done.into_iter().map(|(_, collect)| collect).collect())
    }
}

/// An input cut into numbered units of `size` items, pulled one unit at a time.
struct Units<I> {
    size: usize,
    items: I,
    next: usize,
}

impl<I: Iterator> Units<I> {
    fn new(size: usize, items: I) -> Self {
        Units {
            size: size.max(1),
            items,
            next: 0,
        }
    }
}

impl<I: Iterator> Iterator for Units<I> {
    type Item = (usize, Vec<I::Item>);

    fn next(&mut self) -> Option<Self::Item> {
        let unit: Vec<I::Item> = self.items.by_ref().take(self.size).collect();
        if unit.is_empty() {
            return None;
        }
        self.next += 1;
        Some((self.next - 1, unit))
    }
}

/// The units waiting for a worker, shared by the pool's jobs.
struct Queue<T> {
    receiver: Mutex<mpsc::Receiver<(usize, T)>>,
    /// Set when a collector asked to stop, or a worker died: no more units are fed or run.
    stopped: AtomicBool,
    /// Workers still taking units.
    alive: AtomicUsize,
}

impl<T> Queue<T> {
    fn new(receiver: mpsc::Receiver<(usize, T)>, workers: usize) -> Self {
        Queue {
            receiver: Mutex::new(receiver),
            stopped: AtomicBool::new(false),
            alive: AtomicUsize::new(workers),
        }
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// The next unit to run; `None` once the feeder is done. After a stop, the units still
    /// queued are taken and dropped, so a feeder blocked on a full queue always goes on.
    fn next(&self) -> Option<(usize, T)> {
        loop {
            let unit = lock(&self.receiver).recv().ok()?;
            if !self.stopped.load(Ordering::Relaxed) {
                return Some(unit);
            }
        }
    }

    /// Sends every unit until a stop; the queue closes when `sender` drops.
    fn feed(&self, sender: mpsc::SyncSender<(usize, T)>, units: impl Iterator<Item = (usize, T)>) {
        for unit in units {
            if self.stopped.load(Ordering::Relaxed) || sender.send(unit).is_err() {
                return;
            }
        }
    }
}

/// Held by a worker while it takes units. A worker that leaves by a panic (a hook's, say)
/// stops the run, and the last worker to leave empties the queue, so the feeder is never left
/// waiting on a queue nobody reads.
struct Exit<'a, T>(&'a Queue<T>);

impl<T> Drop for Exit<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
        if self.0.alive.fetch_sub(1, Ordering::AcqRel) == 1 {
            while self.0.next().is_some() {}
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

impl<P, C> Executes<P, C> for Parallel
where
    P: Pipeline + Sync,
    P::Shared: Sync,
    P::Inputs: Send,
    P::Outputs: Send,
    C: Collect<P::Outputs> + Send,
{
    fn run<H: Hooks, I: Iterator<Item = P::Inputs>>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: I,
    ) -> C::Output {
        self.run_units::<P, C, H, I>(pipeline, shared, hooks, unit, items)
    }
}
