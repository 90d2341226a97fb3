//! Expensive objects (models, connections) built once and shared by the calls that need them.

use once_cell::sync::OnceCell;

use crate::error::{BoxError, Error};

/// A type that can be built for a stateful node parameter.
///
/// Declared with `#[node(stateful(model))]`, the parameter `model: &Model` is not wired from
/// other nodes: the pipeline builds it with [`Stateful::create`] the first time a node needs it
/// and reuses it for every later call.
///
/// ```
/// use hypernodes::{node, pipeline, BoxError, Stateful, WorkerContext};
///
/// pub struct Model { bias: u64 }
/// impl Stateful for Model {
///     fn create(_ctx: &WorkerContext) -> Result<Self, BoxError> {
///         Ok(Model { bias: 7 }) // load weights here
///     }
/// }
///
/// #[node(output = "score", stateful(model))]
/// fn predict(text: &String, model: &Model) -> u64 { text.len() as u64 + model.bias }
///
/// pipeline! { Scoring = [predict] }
///
/// let p = Scoring::new();
/// assert_eq!(p.run(ScoringInputs { text: "abc".into() })?.score, 10);
/// # Ok::<(), hypernodes::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "stateful parameter type `{Self}` does not implement `hypernodes::Stateful`",
    label = "this node needs a `{Self}` built for it",
    note = "implement `hypernodes::Stateful` for `{Self}` to say how it is built (e.g. load the model in `create`)"
)]
pub trait Stateful: Sized {
    /// Builds the object; called once per worker, on that worker.
    fn create(ctx: &WorkerContext) -> Result<Self, BoxError>;
}

/// Where a stateful object is being built.
///
/// ```
/// use hypernodes::WorkerContext;
/// let ctx = WorkerContext::single();
/// assert_eq!((ctx.worker_index(), ctx.workers()), (0, 1));
/// assert!(ctx.devices().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerContext {
    worker_index: usize,
    workers: usize,
    devices: Vec<u32>,
}

impl WorkerContext {
    /// The context of a single-item `run`: worker 0 of 1, no device.
    pub fn single() -> Self {
        WorkerContext {
            worker_index: 0,
            workers: 1,
            devices: Vec::new(),
        }
    }

    /// This worker's index, from 0.
    pub fn worker_index(&self) -> usize {
        self.worker_index
    }

    /// How many workers the engine runs.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Device ordinals assigned to this instance (empty unless the node sets `gpus`).
    pub fn devices(&self) -> &[u32] {
        &self.devices
    }
}

/// A stateful object built on first use, exactly once even when several threads ask at once.
/// Generated pipelines hold one per stateful parameter; not public API (see `__private`).
#[derive(Debug)]
pub struct StatefulSlot<T> {
    cell: OnceCell<T>,
}

impl<T> Default for StatefulSlot<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> StatefulSlot<T> {
    /// An empty slot.
    pub const fn new() -> Self {
        StatefulSlot {
            cell: OnceCell::new(),
        }
    }

    /// The object, if it was built.
    pub fn get(&self) -> Option<&T> {
        self.cell.get()
    }
}

impl<T: Stateful> StatefulSlot<T> {
    /// The object, built with [`Stateful::create`] on first use; a failed build names
    /// `node` and `param` and is tried again on the next call.
    #[inline]
    pub fn get_or_create(
        &self,
        node: &'static str,
        param: &'static str,
        ctx: &WorkerContext,
    ) -> Result<&T, Error> {
        self.cell
            .get_or_try_init(|| T::create(ctx))
            .map_err(|source| Error::stateful(node, param, source))
    }
}

/// The stateful object in `slot`, built on first use; a free function so that a type missing
/// [`Stateful`] gets that trait's message at the node's token.
#[doc(hidden)]
#[inline(always)]
pub fn stateful_object<'a, T: Stateful>(
    slot: &'a StatefulSlot<T>,
    node: &'static str,
    param: &'static str,
    ctx: &WorkerContext,
) -> Result<&'a T, Error> {
    slot.get_or_create(node, param, ctx)
}
