//! Engines run a pipeline over many items. Each is a plain type chosen through a generic
//! parameter (`p.with_engine(Parallel::new())`), so the per-item path has no dynamic dispatch.

pub(crate) mod options;
mod parallel;
mod parallel_input;
mod sequential;
#[cfg(feature = "streaming")]
mod streaming;

pub use parallel::Parallel;
pub use sequential::Sequential;
#[cfg(feature = "streaming")]
pub use streaming::{AsCompleted, Stream, Streaming};
#[cfg(all(feature = "streaming", feature = "arrow"))]
pub(crate) use streaming::{Feed, Work};

use crate::collect::{Collect, FailFast};
use crate::config::RunSettings;
use crate::hooks::Hooks;
use crate::info::PipelineInfo;
use crate::pipeline::Pipeline;

/// An engine: describes itself for the config hierarchy and plans.
///
/// ```
/// use hypernodes::engine::Engine;
/// use hypernodes::{Parallel, Sequential};
/// assert_eq!(Sequential.settings().workers, 1);
/// assert_eq!(Parallel::new().batch_size(64).settings().config.batch_size, Some(64));
/// ```
pub trait Engine {
    /// Name, worker count, engine-level config and devices.
    fn settings(&self) -> RunSettings;

    /// The settings of a run of pipeline `info`: those of [`Engine::settings`] unless the
    /// engine's layout depends on the pipeline (a streaming stage per node, say).
    fn settings_for(&self, info: &'static PipelineInfo) -> RunSettings {
        let _ = info;
        self.settings()
    }
}

/// An engine able to run pipeline `P` over the items of iterator `I`, gathering results with
/// collector `C` (`map` stops at the first error, `map_results` keeps every outcome). Its
/// bounds say what `P`'s values and the input need, e.g. `Send` for [`Parallel`], whose
/// workers pull the input themselves.
///
/// `Executes<P>` runs `P` over a `Vec` of inputs; a generic function given other iterators
/// names theirs: `Executes<P, I>` is what `map` asks for an iterator `I`.
///
/// ```
/// use hypernodes::engine::Executes;
/// use hypernodes::{node, pipeline, Parallel, Runner, Sequential};
///
/// #[node] fn double(x: u64) -> u64 { 2 * x }
/// pipeline! { Doubles = [double] }
///
/// fn total<E: Executes<Doubles>>(runner: Runner<'_, Doubles, E>) -> u64 {
///     let items: Vec<_> = (1..=4).map(|x| DoublesInputs { x }).collect();
///     runner.map(items).unwrap().iter().map(|o| o.double).sum()
/// }
/// fn count<E, I>(runner: Runner<'_, Doubles, E>, items: I) -> usize
/// where
///     I: Iterator<Item = DoublesInputs>,
///     E: Executes<Doubles, I>,
/// {
///     runner.map(items).unwrap().len()
/// }
/// let p = Doubles::new();
/// assert_eq!(total(p.with_engine(Sequential)), 20);
/// assert_eq!(total(p.with_engine(Parallel::new())), 20);
/// let items = (0..3).map(|x| DoublesInputs { x });
/// assert_eq!(count(p.with_engine(Parallel::new()), items), 3);
/// ```
#[diagnostic::on_unimplemented(
    message = "engine `{Self}` cannot run pipeline `{P}` over this input",
    label = "`{P}` cannot run on `{Self}`",
    note = "`Parallel` moves inputs, outputs and stateful resources between threads: they must be `Send`; `Sequential` has no such requirement",
    note = "`Parallel`'s workers pull the input iterator themselves, so it must be `Send` too: collect an iterator that is not (over `stdin().lines()`, say) into a `Vec` first, or run it on `Streaming`, which pulls it on the calling thread"
)]
pub trait Executes<
    P: Pipeline,
    I: Iterator<Item = P::Inputs> = std::vec::IntoIter<<P as Pipeline>::Inputs>,
    C: Collect<P::Outputs> = FailFast<<P as Pipeline>::Outputs>,
>: Engine
{
    /// Runs `pipeline` over `items` in units of `unit` items, telling `hooks`, each unit's
    /// results gathered by a `C`. Items are pulled from `items` as workers need them, never
    /// gathered up front.
    #[doc(hidden)]
    fn run<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: I,
    ) -> C::Output;
}

/// Room to reserve for the results of `items`: their number when the input says it exactly,
/// none otherwise (an endless iterator's lower bound is `usize::MAX`).
fn results_room<I: Iterator>(items: &I) -> usize {
    match items.size_hint() {
        (low, Some(high)) if low == high => low,
        _ => 0,
    }
}
