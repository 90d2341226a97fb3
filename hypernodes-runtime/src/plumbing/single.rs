//! What a pipeline's `run` keeps between calls: built from its plan on the first call.

use std::mem::ManuallyDrop;
use std::sync::Arc;

use crate::config::RunSettings;
use crate::error::Error;
use crate::info::PipelineInfo;
use crate::plan::Plan;
use crate::plumbing::limiters::Limiters;
use once_cell::sync::OnceCell;

/// Where a pipeline keeps what its `run` builds from the plan on the first call, shared by the
/// handles of one pipeline value (its owned runners).
///
/// ```
/// use hypernodes::__private::{SingleCell, SingleLimits};
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "y")]
/// fn double(x: &u64) -> u64 { x * 2 }
/// pipeline! { Doubling = [double] }
///
/// let cell = SingleLimits::default();
/// let shared = cell.shared(&Doubling::INFO, |plan| plan.into()).unwrap();
/// assert!(!shared.__hypernodes_limits.any());
/// assert_eq!(cell.identity(), cell.clone().identity());
/// ```
pub trait SingleCell {
    /// What the runs share.
    type Shared;

    /// The shared value, built by `build` on the first call from the checked plan of the
    /// pipeline `info` for single runs (one worker, on the calling thread).
    fn shared(
        &self,
        info: &'static PipelineInfo,
        build: impl Fn(&Plan) -> Self::Shared,
    ) -> Result<&Self::Shared, Error>;

    /// An address unique to this cell while it lives, the same for each handle of it.
    fn identity(&self) -> usize;
}

impl<S> SingleCell for Arc<OnceCell<S>> {
    type Shared = S;

    #[inline]
    fn shared(&self, info: &'static PipelineInfo, build: impl Fn(&Plan) -> S) -> Result<&S, Error> {
        single_shared(self, info, build)
    }

    fn identity(&self) -> usize {
        Arc::as_ptr(self) as *const () as usize
    }
}

/// What the runs of a pipeline share when it is only its nodes' limiters (no stateful object,
/// batch node, worker process or nested pipeline): a type of this crate, so that the cell
/// holding it is too.
pub struct SharedLimits {
    /// Every node's limiter (`max_concurrency`), by position in run order.
    pub __hypernodes_limits: Limiters,
}

impl From<&Plan> for SharedLimits {
    fn from(plan: &Plan) -> Self {
        SharedLimits {
            __hypernodes_limits: Limiters::new(plan),
        }
    }
}

/// [`SingleCell`] of a pipeline whose runs share only limiters, compiled once in this crate.
/// `Arc<OnceCell<S>>` is generic: each program compiled its cell's code again for each such
/// pipeline (initializing, the closures around it, the `Arc`). A 50-node release rebuild:
/// 1,149 M instructions with it, 1,076 M with this type, 1,066 M once its `Default` and
/// `Clone` were no longer inlined (`scripts/compile-instructions.sh 50 release`).
///
/// Its drop is out of line too: with the `Arc` as a plain field, every program dropping a
/// pipeline compiled the drop glue of the `Arc`, the cell and each limiter again (811 M
/// against 761 M for that 50-node rebuild). The field has no drop glue; `Drop` takes the `Arc`
/// out.
pub struct SingleLimits(ManuallyDrop<Option<Arc<OnceCell<SharedLimits>>>>);

impl SingleLimits {
    fn cell(&self) -> &Arc<OnceCell<SharedLimits>> {
        self.0
            .as_ref()
            .expect("a pipeline's cell lives until the pipeline is dropped")
    }

    fn limits(
        &self,
        info: &'static PipelineInfo,
        build: &dyn Fn(&Plan) -> SharedLimits,
    ) -> Result<&SharedLimits, Error> {
        single_shared(self.cell(), info, build)
    }
}

impl Drop for SingleLimits {
    #[inline(never)]
    fn drop(&mut self) {
        drop(self.0.take());
    }
}

// Written out, not inlined: each program would compile `Arc::new` and its allocation again.
impl Default for SingleLimits {
    fn default() -> Self {
        SingleLimits(ManuallyDrop::new(Some(Arc::default())))
    }
}

impl Clone for SingleLimits {
    fn clone(&self) -> Self {
        SingleLimits(ManuallyDrop::new(Some(Arc::clone(self.cell()))))
    }
}

impl SingleCell for SingleLimits {
    type Shared = SharedLimits;

    #[inline]
    fn shared(
        &self,
        info: &'static PipelineInfo,
        build: impl Fn(&Plan) -> SharedLimits,
    ) -> Result<&SharedLimits, Error> {
        self.limits(info, &build)
    }

    fn identity(&self) -> usize {
        self.cell().identity()
    }
}

/// `cell`'s value, built by `build` on the first call from the checked plan of the pipeline
/// `info` for single runs (one worker, on the calling thread).
///
/// Generic only in the value: the plan is resolved, checked and dropped in `with_single_plan`,
/// compiled once in this crate. Written in the generated `run`, those steps made every program
/// with a pipeline compile the plan's drop glue (about thirty functions) again: a 50-node
/// release rebuild took 1,531 M instructions with them, 1,485 M without
/// (`scripts/compile-instructions.sh 50 release`).
///
/// ```
/// use hypernodes::__private::{single_shared, OnceCell};
/// use hypernodes::{node, pipeline, Pipeline};
///
/// #[node(output = "y")]
/// fn double(x: &u64) -> u64 { x * 2 }
/// pipeline! { Doubling = [double] }
///
/// let cell = OnceCell::new();
/// let workers = single_shared(&cell, &Doubling::INFO, |plan| plan.settings.workers).unwrap();
/// assert_eq!(*workers, 1);
/// ```
#[inline]
pub fn single_shared<'c, S>(
    cell: &'c OnceCell<S>,
    info: &'static PipelineInfo,
    build: impl Fn(&Plan) -> S,
) -> Result<&'c S, Error> {
    cell.get_or_try_init(|| {
        let mut built = None;
        with_single_plan(info, &mut |plan| built = Some(build(plan)))?;
        Ok(built.expect("with_single_plan calls back before it returns Ok"))
    })
}

/// Calls `build` with the plan of `info` for single runs, once the plan is checked.
fn with_single_plan(
    info: &'static PipelineInfo,
    build: &mut dyn FnMut(&Plan),
) -> Result<(), Error> {
    let plan = Plan::resolve(info, &RunSettings::single());
    plan.check()?;
    build(&plan);
    Ok(())
}
