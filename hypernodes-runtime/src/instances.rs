//! The instances of a stateful resource during one run: one per worker, or a smaller pool when
//! `max_concurrency` or `gpus` caps them. Built lazily on the worker that first needs one.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::error::{drop_quietly, panic_message, BoxError, Error};
use crate::stateful::WorkerContext;

/// A function that builds a stateful resource, given to a pipeline's builder to replace
/// [`Stateful::create`](crate::Stateful::create) (the builder takes a closure and makes it
/// one).
///
/// ```
/// use std::sync::Arc;
/// use hypernodes::{BoxError, Factory, WorkerContext};
/// let model: Factory<String> =
///     Arc::new(|ctx: &WorkerContext| Ok::<_, BoxError>(format!("model of worker {}", ctx.worker_index())));
/// # let _ = model;
/// ```
pub type Factory<T> = Arc<dyn Fn(&WorkerContext) -> Result<T, BoxError> + Send + Sync>;

/// How many instances of a stateful resource a run has and what each is given, as a plan
/// shows it.
///
/// ```
/// use hypernodes::{node, pipeline, BoxError, Parallel, Stateful, WorkerContext};
///
/// pub struct Model;
/// impl Stateful for Model {
///     fn create(_: &WorkerContext) -> Result<Self, BoxError> { Ok(Model) }
/// }
/// #[node(stateful(model), config(max_concurrency = 1))]
/// fn score(x: u64, model: &Model) -> u64 { let _ = model; x }
/// pipeline! { Scores = [score] }
///
/// let plan = Scores::new().with_engine(Parallel::new().threads(4)).plan();
/// let layout = &plan.stateful[0].layout;
/// assert_eq!((layout.workers, layout.count()), (4, 1)); // one instance, shared by 4 workers
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceLayout {
    /// Workers of the run.
    pub workers: usize,
    /// Device ordinals of each instance; its length is the number of instances.
    pub devices: Vec<Vec<u32>>,
}

impl InstanceLayout {
    /// One instance per worker, no device.
    pub fn per_worker(workers: usize) -> Self {
        InstanceLayout {
            workers,
            devices: vec![Vec::new(); workers],
        }
    }

    /// The number of instances.
    pub fn count(&self) -> usize {
        self.devices.len()
    }
}

/// One instance's place: not built yet, built, or failed to build (the reason kept, so the
/// constructor is not called again for every item, as Ray treats an actor whose constructor
/// failed).
enum Slot<T> {
    Empty,
    Built(T),
    Failed(String),
}

/// The instances of one stateful resource for one run; dropping it drops them (teardown).
pub struct Instances<T> {
    layout: InstanceLayout,
    factory: Option<Factory<T>>,
    slots: Box<[Mutex<Slot<T>>]>,
    /// Present when there are fewer instances than workers: the indices of idle instances.
    pool: Option<FreeList>,
}

impl<T> Instances<T> {
    /// Empty instances laid out by `layout`, built by `factory` or else by `Stateful::create`.
    pub fn new(layout: InstanceLayout, factory: Option<Factory<T>>) -> Self {
        let count = layout.count();
        let pool = (count < layout.workers).then(|| FreeList::new(count));
        Instances {
            slots: (0..count).map(|_| Mutex::new(Slot::Empty)).collect(),
            layout,
            factory,
            pool,
        }
    }

    /// How many instances were built so far.
    pub fn built(&self) -> usize {
        self.slots
            .iter()
            .filter(|slot| matches!(*lock(slot), Slot::Built(_)))
            .count()
    }

    /// Exclusive use of an instance for one call: worker `worker`'s own, or (when pooled) the
    /// next idle one, waiting for it if all are busy. Built on first use by `create`, unless a
    /// factory was given. A failed or panicking build names `node` and `param`; that instance
    /// stays failed for the run, and its later items get the same error without another call.
    pub fn checkout(
        &self,
        worker: usize,
        node: &'static str,
        param: &'static str,
        create: fn(&WorkerContext) -> Result<T, BoxError>,
    ) -> Result<Checkout<'_, T>, Error> {
        let (index, pool) = match &self.pool {
            Some(pool) => (pool.take(), Some(pool)),
            // Per-worker instances: `worker` is below the worker count the layout was made for.
            None => (worker % self.slots.len().max(1), None),
        };
        let mut checkout = Checkout {
            guard: Some(lock(&self.slots[index])),
            release: pool.map(|pool| (pool, index)),
        };
        let slot = checkout.guard.as_mut().expect("held until drop");
        match &**slot {
            Slot::Built(_) => {}
            Slot::Failed(reason) => {
                return Err(Error::stateful(node, param, reason.clone().into()))
            }
            Slot::Empty => match self.build(index, create) {
                Ok(built) => **slot = Slot::Built(built),
                Err(source) => {
                    **slot = Slot::Failed(source.to_string());
                    return Err(Error::stateful(node, param, source));
                }
            },
        }
        Ok(checkout)
    }

    /// Instance `index`, built by the factory or `create`; a panic is its error.
    fn build(
        &self,
        index: usize,
        create: fn(&WorkerContext) -> Result<T, BoxError>,
    ) -> Result<T, BoxError> {
        let ctx = WorkerContext::new(
            index,
            self.layout.count(),
            self.layout.devices[index].clone(),
        );
        // AssertUnwindSafe: after a panic nothing built is kept, only its message.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &self.factory {
            Some(factory) => factory(&ctx),
            None => create(&ctx),
        }))
        .unwrap_or_else(|payload| Err(format!("it panicked: {}", panic_message(payload)).into()))
    }
}

impl<T> Drop for Instances<T> {
    /// Drops every instance; one whose `Drop` panics is reported on standard error and the
    /// others are still dropped, so the run's results reach the caller (a panic here would lose
    /// them, or abort the process while another thread unwinds).
    fn drop(&mut self) {
        for slot in self.slots.iter_mut() {
            let slot = slot.get_mut().unwrap_or_else(PoisonError::into_inner);
            if let Slot::Built(instance) = std::mem::replace(slot, Slot::Empty) {
                if let Some(message) = drop_quietly(instance) {
                    eprintln!(
                        "hypernodes: a stateful `{}` panicked while being dropped: {message}",
                        std::any::type_name::<T>()
                    );
                }
            }
        }
    }
}

/// One instance held for one call; released (and, when pooled, handed back) on drop.
pub struct Checkout<'a, T> {
    guard: Option<MutexGuard<'a, Slot<T>>>,
    release: Option<(&'a FreeList, usize)>,
}

impl<T> Deref for Checkout<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        match self.guard.as_deref() {
            Some(Slot::Built(value)) => value,
            _ => unreachable!("a checkout always holds a built instance"),
        }
    }
}

impl<T> DerefMut for Checkout<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        match self.guard.as_deref_mut() {
            Some(Slot::Built(value)) => value,
            _ => unreachable!("a checkout always holds a built instance"),
        }
    }
}

impl<T> Drop for Checkout<'_, T> {
    fn drop(&mut self) {
        // Unlock the instance before announcing it idle, so the next taker does not block on it.
        self.guard = None;
        if let Some((pool, index)) = self.release {
            pool.put_back(index);
        }
    }
}

/// Indices of idle pooled instances, with waiting when none is idle.
struct FreeList {
    idle: Mutex<Vec<usize>>,
    available: Condvar,
}

impl FreeList {
    fn new(count: usize) -> Self {
        FreeList {
            idle: Mutex::new((0..count).rev().collect()),
            available: Condvar::new(),
        }
    }

    fn take(&self) -> usize {
        let mut idle = lock(&self.idle);
        loop {
            if let Some(index) = idle.pop() {
                return index;
            }
            idle = self
                .available
                .wait(idle)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn put_back(&self, index: usize) {
        lock(&self.idle).push(index);
        self.available.notify_one();
    }
}

/// At most `limit` calls of a node at once, for a `max_concurrency` below the worker count.
pub struct Limiter {
    pool: Option<FreeList>,
}

impl Limiter {
    /// No limit when `limit` is `None` or at least `workers`.
    pub fn new(limit: Option<usize>, workers: usize) -> Self {
        Limiter {
            pool: limit.filter(|&limit| limit < workers).map(FreeList::new),
        }
    }

    /// Whether calls wait for a place: a limit below the worker count.
    pub fn is_limited(&self) -> bool {
        self.pool.is_some()
    }

    /// Waits for a free place; the place is given back when the permit drops.
    #[inline]
    pub fn enter(&self) -> Permit<'_> {
        Permit(self.take())
    }

    /// Waits for a free place and returns it (`None` without a limit); the caller gives it
    /// back with [`Place::give_back`].
    #[inline]
    pub fn take(&self) -> Option<Place<'_>> {
        self.pool.as_ref().map(|pool| Place(pool, pool.take()))
    }
}

/// A place taken in a `Limiter`, given back by hand (see `Running`, which holds one per call
/// without a guard).
#[derive(Clone, Copy)]
pub struct Place<'a>(&'a FreeList, usize);

impl Place<'_> {
    /// Makes the place free for the next call.
    pub fn give_back(self) {
        self.0.put_back(self.1);
    }
}

/// A place taken in a `Limiter`, given back when dropped.
pub struct Permit<'a>(Option<Place<'a>>);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Some(place) = self.0 {
            place.give_back();
        }
    }
}

/// A panic inside a node while it held an instance poisons the lock; the instance itself is
/// still whole (the node only had `&`/`&mut` access between its own statements), so it is kept.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn counting(builds: &'static AtomicUsize) -> Option<Factory<usize>> {
        Some(Arc::new(move |ctx: &WorkerContext| {
            builds.fetch_add(1, Ordering::SeqCst);
            Ok(ctx.worker_index())
        }))
    }

    fn never(_: &WorkerContext) -> Result<usize, BoxError> {
        Err("no factory".into())
    }

    #[test]
    fn per_worker_instances_are_built_once_each() {
        static BUILDS: AtomicUsize = AtomicUsize::new(0);
        let instances = Instances::new(InstanceLayout::per_worker(3), counting(&BUILDS));
        for round in 0..4 {
            for worker in 0..3 {
                let got = *instances.checkout(worker, "n", "p", never).unwrap();
                assert_eq!(got, worker, "round {round}");
            }
        }
        assert_eq!((BUILDS.load(Ordering::SeqCst), instances.built()), (3, 3));
    }

    #[test]
    fn pooled_instances_never_exceed_the_cap() {
        static BUILDS: AtomicUsize = AtomicUsize::new(0);
        let layout = InstanceLayout {
            workers: 8,
            devices: vec![Vec::new(); 2],
        };
        let instances = Instances::new(layout, counting(&BUILDS));
        std::thread::scope(|s| {
            for worker in 0..8 {
                let instances = &instances;
                s.spawn(move || {
                    for _ in 0..50 {
                        let held = instances.checkout(worker, "n", "p", never).unwrap();
                        assert!(*held < 2);
                    }
                });
            }
        });
        // Lazy: a second instance is built only when two calls overlapped.
        assert!((1..=2).contains(&BUILDS.load(Ordering::SeqCst)));
    }

    #[test]
    fn a_pool_builds_another_instance_only_while_all_are_busy() {
        static BUILDS: AtomicUsize = AtomicUsize::new(0);
        let layout = InstanceLayout {
            workers: 4,
            devices: vec![Vec::new(); 2],
        };
        let instances = Instances::new(layout, counting(&BUILDS));
        let first = instances.checkout(0, "n", "p", never).unwrap();
        let second = instances.checkout(1, "n", "p", never).unwrap();
        assert_eq!((*first, *second), (0, 1));
        drop(first);
        let third = instances.checkout(2, "n", "p", never).unwrap();
        assert_eq!(*third, 0, "the idle instance is reused");
        assert_eq!(BUILDS.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_failed_build_names_node_and_param_and_is_not_tried_again() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn refused(_: &WorkerContext) -> Result<usize, BoxError> {
            CALLS.fetch_add(1, Ordering::SeqCst);
            Err("no model file".into())
        }
        let instances: Instances<usize> = Instances::new(InstanceLayout::per_worker(2), None);
        for _ in 0..100 {
            for worker in 0..2 {
                let err = instances
                    .checkout(worker, "predict", "model", refused)
                    .err()
                    .unwrap();
                assert_eq!(
                    err.to_string(),
                    "node `predict`: could not build stateful `model`: no model file"
                );
            }
        }
        assert_eq!(CALLS.load(Ordering::SeqCst), 2, "once per instance");
    }

    #[test]
    fn a_panicking_build_is_an_error_naming_the_parameter() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn panics(_: &WorkerContext) -> Result<usize, BoxError> {
            CALLS.fetch_add(1, Ordering::SeqCst);
            panic!("GPU not found")
        }
        let instances: Instances<usize> = Instances::new(InstanceLayout::per_worker(1), None);
        for _ in 0..10 {
            let err = instances
                .checkout(0, "predict", "model", panics)
                .err()
                .unwrap();
            assert_eq!(
                err.to_string(),
                "node `predict`: could not build stateful `model`: it panicked: GPU not found"
            );
        }
        assert_eq!(CALLS.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_limiter_admits_at_most_its_limit() {
        let limiter = Limiter::new(Some(2), 6);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    for _ in 0..20 {
                        let _permit = limiter.enter();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= 2);
    }
}
