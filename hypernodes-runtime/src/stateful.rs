//! Expensive objects (models, connections) built once and shared by the calls that need them.

use crate::error::BoxError;

/// A type that can be built for a stateful node parameter.
///
/// Declared with `#[node(stateful(model))]` (or taken as `&mut Model`, which is always
/// stateful), the parameter is not wired from other nodes: each worker builds its own with
/// [`Stateful::create`] the first time one of its calls needs it and reuses it for every later
/// call; a pipeline's builder can give a factory instead. Instances are dropped when the run ends.
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
    /// Builds the object; called once per worker (or pooled instance), on that worker.
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

    pub(crate) fn new(worker_index: usize, workers: usize, devices: Vec<u32>) -> Self {
        WorkerContext {
            worker_index,
            workers,
            devices,
        }
    }

    /// This instance's index, from 0: the worker's index, or the place in the pool when
    /// `max_concurrency` or `gpus` allow fewer instances than workers.
    pub fn worker_index(&self) -> usize {
        self.worker_index
    }

    /// How many instances the run has (at most the engine's workers).
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Device ordinals assigned to this instance (empty unless the node sets `gpus`).
    pub fn devices(&self) -> &[u32] {
        &self.devices
    }
}
