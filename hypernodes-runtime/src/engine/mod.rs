//! Engines run a pipeline over many items. Each is a plain type chosen through a generic
//! parameter (`p.with_engine(Parallel::new())`), so the per-item path has no dynamic dispatch.

mod collect;
mod parallel;
mod sequential;
mod streaming;

pub use collect::{Collect, FailFast, KeepAll};
pub use parallel::Parallel;
pub use sequential::Sequential;
pub use streaming::{AsCompleted, Stream, Streaming};

use crate::devices::Devices;
use crate::hooks::Hooks;
use crate::info::PipelineInfo;
use crate::pipeline::Pipeline;

/// The engine level of the config hierarchy: settings given at run time, above the pipeline's
/// `#[config]` and below each node's own `config(..)`.
///
/// ```
/// use hypernodes::{Engine, Parallel};
/// let engine = Parallel::new().batch_size(512).max_concurrency(2);
/// assert_eq!(engine.settings().config.batch_size, Some(512));
/// assert_eq!(engine.settings().config.max_concurrency, Some(2));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EngineConfig {
    /// Items per unit of work, and the batch of batch nodes without their own `batch_size`.
    pub batch_size: Option<usize>,
    /// Most instances (and calls at once) of every node without its own `max_concurrency`.
    pub max_concurrency: Option<usize>,
}

/// What a run needs from its engine: its name, worker count, settings and devices.
#[derive(Clone, Debug)]
pub struct RunSettings {
    /// The engine's name, for plans.
    pub engine: &'static str,
    /// Workers running items at once.
    pub workers: usize,
    /// Engine-level config.
    pub config: EngineConfig,
    /// Devices for nodes with `gpus`, when given to the engine; otherwise the visible ones are
    /// looked up (only if a node sets `gpus`).
    pub devices: Option<Devices>,
}

impl RunSettings {
    /// The settings of a single-item `run`: one worker, no engine config, visible devices.
    pub fn single() -> Self {
        RunSettings {
            engine: "run",
            workers: 1,
            config: EngineConfig::default(),
            devices: None,
        }
    }
}

/// An engine: describes itself for the config hierarchy and plans.
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

/// An engine able to run pipeline `P`, gathering results with collector `C` (`map` stops at
/// the first error, `map_results` keeps every outcome). Its bounds say what `P`'s values need,
/// e.g. `Send` for [`Parallel`].
#[diagnostic::on_unimplemented(
    message = "engine `{Self}` cannot run pipeline `{P}`",
    label = "`{P}` cannot run on `{Self}`",
    note = "`Parallel` moves inputs, outputs and stateful resources between threads: they must be `Send`; `Sequential` has no such requirement"
)]
pub trait Executes<P: Pipeline, C: Collect<P::Outputs> = FailFast<<P as Pipeline>::Outputs>>:
    Engine
{
    /// Runs `pipeline` over `items` in units of `unit` items, telling `hooks`, each unit's
    /// results gathered by a `C`.
    #[doc(hidden)]
    fn run<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: Vec<P::Inputs>,
    ) -> C::Output;
}
