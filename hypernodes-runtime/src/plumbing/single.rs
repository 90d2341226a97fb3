//! What a pipeline's `run` keeps between calls: built from its plan on the first call.

use crate::config::RunSettings;
use crate::error::Error;
use crate::info::PipelineInfo;
use crate::plan::Plan;
use once_cell::sync::OnceCell;

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
