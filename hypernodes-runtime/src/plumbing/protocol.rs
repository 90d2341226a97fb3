//! The protocol between the runtime and the code `pipeline!` writes: every item of a generated
//! pipeline that engines call and users never do. It is a supertrait of [`Pipeline`] (rayon's
//! `plumbing`, salsa's `plumbing`), so the public trait shows only what users call while any
//! `P: Pipeline` still gives engines all of it.
//!
//! [`Pipeline`]: crate::Pipeline

use crate::collect::Collect;
use crate::error::Error;
use crate::hooks::{Hooks, Scope};
use crate::plan::Plan;

/// What engines call on a generated pipeline. `ItemInputs` and `ItemOutputs` are the
/// pipeline's `Inputs` and `Outputs`: `Pipeline` binds them to its own, so engines bounded by
/// `P: Pipeline` name `P::Inputs` and call these items alike. Generated code only.
#[doc(hidden)]
pub trait Plumbing: Sized {
    /// `Pipeline::Inputs`.
    type ItemInputs;
    /// `Pipeline::Outputs`.
    type ItemOutputs;
    /// The pipeline's name, for the scope of each item (`Pipeline::INFO.name`).
    const NAME: &'static str;
    /// The `async fn` node a blocking call would wait for, if any
    /// ([`PipelineInfo::first_async`](crate::info::PipelineInfo::first_async)), evaluated once
    /// per pipeline. `pipeline!` writes `None` when no node is an `async fn` or a pipeline:
    /// evaluating `first_async` over a 50-node pipeline in each blocking entry point cost
    /// rustc 17 M instructions of a 50-node release build (callgrind).
    const FIRST_ASYNC: Option<&'static str>;
    /// What a worker keeps from one unit to the next: a batched pipeline's columns, whose
    /// buffers its next unit fills again; `()` for a pipeline that runs item by item.
    type Scratch: Default;

    /// What the workers of one run share: the stateful instances and call limiters.
    type Shared;

    /// `Inputs` as nested pairs `(a, (b, ()))`: how items cross processes and become Arrow
    /// rows. Pairs are serde types whenever their fields are, so only engines that move items
    /// between processes ask for serde, where they are chosen. Builds with neither Arrow nor
    /// the cluster do not have them, and the macros do not write them.
    #[cfg(any(feature = "arrow", feature = "cluster"))]
    type InputFields;
    /// `Outputs` as nested pairs, like [`Plumbing::InputFields`].
    #[cfg(any(feature = "arrow", feature = "cluster"))]
    type OutputFields;
    #[cfg(any(feature = "arrow", feature = "cluster"))]
    fn __hypernodes_inputs_to_fields(value: Self::ItemInputs) -> Self::InputFields;
    #[cfg(any(feature = "arrow", feature = "cluster"))]
    fn __hypernodes_inputs_from_fields(fields: Self::InputFields) -> Self::ItemInputs;
    #[cfg(any(feature = "arrow", feature = "cluster"))]
    fn __hypernodes_outputs_to_fields(value: Self::ItemOutputs) -> Self::OutputFields;
    #[cfg(any(feature = "arrow", feature = "cluster"))]
    fn __hypernodes_outputs_from_fields(fields: Self::OutputFields) -> Self::ItemOutputs;

    /// Whether a batch node makes the pipeline run unit by unit rather than item by item.
    const BATCHED: bool = false;

    /// The places of a unit's inputs when it is filled from a record batch: nested pairs of
    /// [`InputSlot`](super::lent::InputSlot) in the order of the inputs; `()` for a pipeline
    /// that runs item by item.
    #[cfg(feature = "arrow")]
    type Slots<'a>;

    /// A unit of a record batch's rows `first..first + n` (item `i` of the run is row `i`):
    /// `fill` fills its input slots (or lends their columns), then every step runs and each
    /// item's outcome is pushed in order (`false` when the collector asked to stop). `None`
    /// for a pipeline that runs item by item: its units take items.
    #[cfg(feature = "arrow")]
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn __hypernodes_rows_unit<C, H, F>(
        &self,
        shared: &Self::Shared,
        worker: usize,
        scratch: &mut Self::Scratch,
        hooks: &H,
        first: usize,
        n: usize,
        fill: F,
        out: &mut C,
    ) -> Option<bool>
    where
        C: Collect<Self::ItemOutputs>,
        H: Hooks,
        F: FnOnce(Self::Slots<'_>),
    {
        let _ = (shared, worker, scratch, hooks, first, n, fill, out);
        None
    }

    /// The shared state of a run with `plan`.
    fn __hypernodes_shared(&self, plan: &Plan) -> Self::Shared;

    /// The same for this pipeline value and every handle made from it (`with_engine`'s),
    /// different for another value of the type: a cluster checks that the value a run names
    /// is the one its processes serve.
    fn __hypernodes_identity(&self) -> usize;

    /// `run`, telling `hooks` what happens.
    fn __hypernodes_run<H: Hooks>(
        &self,
        hooks: &H,
        inputs: Self::ItemInputs,
    ) -> Result<Self::ItemOutputs, Error>;

    /// One item on worker `worker`.
    fn __hypernodes_item<H: Hooks>(
        &self,
        shared: &Self::Shared,
        worker: usize,
        hooks: &H,
        scope: &Scope<'_>,
        inputs: Self::ItemInputs,
    ) -> Result<Self::ItemOutputs, Error>;

    /// A unit of work: the items from index `first` on, their results pushed in order;
    /// `false` when the collector asked to stop. `scratch` is the worker's, kept between its
    /// units. Items are taken from `items` one at a time, so a per-item pipeline can run a
    /// whole lazy input as one unit.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn __hypernodes_unit<C, H, I>(
        &self,
        shared: &Self::Shared,
        worker: usize,
        _scratch: &mut Self::Scratch,
        hooks: &H,
        first: usize,
        items: I,
        out: &mut C,
    ) -> bool
    where
        C: Collect<Self::ItemOutputs>,
        H: Hooks,
        I: IntoIterator<Item = Self::ItemInputs>,
    {
        for (offset, inputs) in items.into_iter().enumerate() {
            // Active hooks hear an item served whole from a cache as one `ItemCached`.
            let pending = crate::hooks::pending::ItemPending::default();
            let scope =
                Scope::map_item(Self::NAME, first + offset).holding(H::ACTIVE.then_some(&pending));
            super::hooked::item_start(hooks, &scope);
            let result = self
                .__hypernodes_item(shared, worker, hooks, &scope, inputs)
                .map_err(|error| error.at_item(first + offset));
            super::hooked::item_end(hooks, &scope, &result);
            if !out.push(result) {
                return false;
            }
        }
        true
    }
}
