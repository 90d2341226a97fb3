//! Every item on the calling thread, in order.

use crate::collect::Collect;
use crate::config::{EngineConfig, RunSettings};
use crate::devices::Devices;
use crate::engine::options::engine_options;
use crate::engine::{Engine, Executes};
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;

/// Runs items one after another on the calling thread: one worker, one instance of each
/// stateful resource, no `Send` requirement.
///
/// ```
/// use hypernodes::{node, pipeline, Sequential};
///
/// #[node]
/// fn double(x: u32) -> u32 { 2 * x }
/// pipeline! { Doubler = [double] }
///
/// let outs = Doubler::new().with_engine(Sequential).map((1..=3).map(|x| DoublerInputs { x }))?;
/// assert_eq!(outs.iter().map(|o| o.double).collect::<Vec<_>>(), [2, 4, 6]);
/// # Ok::<(), hypernodes::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Sequential {
    config: EngineConfig,
    devices: Option<Devices>,
}

/// The sequential engine with no engine-level settings, so that `with_engine(Sequential)`
/// reads like a unit struct.
#[allow(non_upper_case_globals)]
pub const Sequential: Sequential = Sequential::new();

impl Sequential {
    /// A sequential engine with no engine-level settings.
    pub const fn new() -> Self {
        Sequential {
            config: EngineConfig {
                batch_size: None,
                max_concurrency: None,
            },
            devices: None,
        }
    }
}

engine_options!(Sequential = "Sequential", [batch_size, devices]);

impl Engine for Sequential {
    fn settings(&self) -> RunSettings {
        RunSettings {
            engine: "Sequential",
            workers: 1,
            config: self.config.clone(),
            devices: self.devices.clone(),
        }
    }
}

impl<P, I, C> Executes<P, I, C> for Sequential
where
    P: Pipeline,
    C: Collect<P::Outputs>,
    I: Iterator<Item = P::Inputs>,
{
    fn run<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: I,
    ) -> C::Output {
        in_order::<P, C, H, I>(pipeline, shared, hooks, unit, items)
    }
}

/// One collector for the whole run; a per-item pipeline takes the items one by one as they
/// come, a pipeline with batch nodes is fed unit by unit.
fn in_order<P, C, H, I>(
    pipeline: &P,
    shared: &P::Shared,
    hooks: &H,
    unit: usize,
    items: I,
) -> C::Output
where
    P: Pipeline,
    C: Collect<P::Outputs>,
    H: Hooks,
    I: Iterator<Item = P::Inputs>,
{
    let mut collect = C::with_capacity(super::results_room(&items));
    let mut scratch = P::Scratch::default();
    if !P::BATCHED {
        pipeline.__hypernodes_unit(shared, 0, &mut scratch, hooks, 0, items, &mut collect);
        return C::join(vec![collect]);
    }
    let unit = unit.max(1);
    let mut items = items;
    let mut first = 0;
    // One buffer for every unit's inputs, as the unit's columns are one for every unit.
    let mut chunk: Vec<P::Inputs> = Vec::new();
    loop {
        chunk.extend(items.by_ref().take(unit));
        if chunk.is_empty() {
            break;
        }
        let len = chunk.len();
        let unit_items = chunk.drain(..);
        if !pipeline.__hypernodes_unit(
            shared,
            0,
            &mut scratch,
            hooks,
            first,
            unit_items,
            &mut collect,
        ) {
            break;
        }
        first += len;
    }
    C::join(vec![collect])
}
