//! A pipeline paired with an engine and hooks: `p.with_engine(Sequential).with_hooks(h)`.

use crate::collect::{Collect, FailFast, KeepAll};
use crate::engine::{Engine, Executes};
#[cfg(feature = "streaming")]
use crate::engine::{Stream, Streaming};
use crate::error::Error;
use crate::hooks::{Event, Hooks, NoHooks};
use crate::pipeline::Pipeline;
use crate::plan::Plan;
use crate::plumbing::hooked::Clock;

/// A pipeline with the engine that will run it and the hooks told what happens; made by
/// `p.with_engine(engine)` or `p.with_hooks(hooks)`.
///
/// ```
/// use hypernodes::{node, pipeline, Parallel, Sequential};
///
/// #[node]
/// fn parse(text: String) -> Result<u32, std::num::ParseIntError> { text.parse() }
/// pipeline! { Parse = [parse] }
///
/// let p = Parse::new();
/// let texts = || ["1", "x", "3"].map(|t| ParseInputs { text: t.into() });
/// let err = p.with_engine(Sequential).map(texts()).unwrap_err();
/// assert_eq!((err.node(), err.item()), ("parse", Some(1)));
///
/// let each = p.with_engine(Parallel::new()).map_results(texts());
/// assert_eq!(each[0].as_ref().unwrap().parse, 1);
/// assert!(each[1].is_err());
/// assert_eq!(each[2].as_ref().unwrap().parse, 3);
/// ```
#[derive(Clone, Debug)]
pub struct Runner<'p, P, E, H = NoHooks> {
    pipeline: Held<'p, P>,
    engine: E,
    hooks: H,
}

/// The pipeline a runner runs: borrowed (`Runner::new`), or a handle of its own, so that
/// `let runner = P::new().with_engine(e);` outlives the temporary it was made from.
#[derive(Clone, Debug)]
enum Held<'p, P> {
    Borrowed(&'p P),
    Owned(P),
}

impl<P> std::ops::Deref for Held<'_, P> {
    type Target = P;

    fn deref(&self) -> &P {
        match self {
            Held::Borrowed(pipeline) => pipeline,
            Held::Owned(pipeline) => pipeline,
        }
    }
}

impl<'p, P: Pipeline, E: Engine> Runner<'p, P, E> {
    /// `pipeline` on `engine`, without hooks.
    pub fn new(pipeline: &'p P, engine: E) -> Self {
        Runner {
            pipeline: Held::Borrowed(pipeline),
            engine,
            hooks: NoHooks,
        }
    }

    /// `pipeline` on `engine`, owned by the runner. A pipeline's `with_engine` gives it a
    /// handle that shares its stateful instances, factories, bound values and cache.
    ///
    /// ```
    /// use hypernodes::{node, pipeline, Runner, Sequential};
    ///
    /// #[node]
    /// fn double(x: u32) -> u32 { x * 2 }
    /// pipeline! { Double = [double] }
    ///
    /// let runner = Runner::owning(Double::new(), Sequential);
    /// let out = runner.map((1..=3).map(|x| DoubleInputs { x }))?;
    /// assert_eq!(out.iter().map(|o| o.double).collect::<Vec<_>>(), [2, 4, 6]);
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    pub fn owning(pipeline: P, engine: E) -> Self {
        Runner {
            pipeline: Held::Owned(pipeline),
            engine,
            hooks: NoHooks,
        }
    }
}

impl<'p, P: Pipeline, E: Engine, H: Hooks> Runner<'p, P, E, H> {
    /// The same run telling `hooks` what happens (replacing hooks given before; give several
    /// as a tuple).
    pub fn with_hooks<H2: Hooks>(self, hooks: H2) -> Runner<'p, P, E, H2> {
        Runner {
            pipeline: self.pipeline,
            engine: self.engine,
            hooks,
        }
    }

    /// The pipeline it runs.
    pub(crate) fn pipeline(&self) -> &P {
        &self.pipeline
    }

    /// The engine.
    pub fn engine(&self) -> &E {
        &self.engine
    }

    /// The hooks.
    pub fn hooks(&self) -> &H {
        &self.hooks
    }

    /// Every node's settings on this engine and where each came from, and the stateful
    /// instances the run will build.
    pub fn plan(&self) -> Plan {
        Plan::resolve(&P::INFO, &self.engine.settings_for(&P::INFO))
    }

    /// Runs one item, like the pipeline's own `run`, telling the hooks.
    pub fn run(&self, inputs: P::Inputs) -> Result<P::Outputs, Error> {
        self.pipeline.__hypernodes_run(&self.hooks, inputs)
    }

    /// Runs every item (zip semantics: one `Inputs` per item), keeping input order; stops at
    /// the first error, which names the node and the item index.
    ///
    /// Stateful resources are built lazily, once per worker, and dropped before this returns.
    pub fn map<I>(&self, items: I) -> Result<Vec<P::Outputs>, Error>
    where
        I: IntoIterator<Item = P::Inputs>,
        E: Executes<P, I::IntoIter>,
    {
        let items = items.into_iter();
        self.fail_fast(exact_len(&items), |plan| {
            self.execute::<FailFast<P::Outputs>, _>(plan, items)
        })
    }

    /// Runs every item and returns each item's outcome in input order: a failing item never
    /// loses the others.
    pub fn map_results<I>(&self, items: I) -> Vec<Result<P::Outputs, Error>>
    where
        I: IntoIterator<Item = P::Inputs>,
        E: Executes<P, I::IntoIter, KeepAll<P::Outputs>>,
    {
        let items = items.into_iter();
        self.keep_all(items, exact_len, Iterator::count, |plan, items| {
            self.execute::<KeepAll<P::Outputs>, _>(plan, items)
        })
    }

    /// `map`'s frame around `run`: the hooks told of the start and the end (with how many
    /// items ran: those before the failing one, none when the plan cannot be met), the plan
    /// checked before anything runs.
    pub(crate) fn fail_fast(
        &self,
        items: Option<usize>,
        run: impl FnOnce(&Plan) -> Result<Vec<P::Outputs>, Error>,
    ) -> Result<Vec<P::Outputs>, Error> {
        let plan = self.plan();
        let clock = self.map_start(items);
        let result = Self::ready(&plan).and_then(|()| run(&plan));
        let (done, failed) = match &result {
            Ok(outputs) => (outputs.len(), 0),
            Err(error) => (error.item().map_or(0, |item| item + 1), 1),
        };
        self.map_end(done, failed, clock);
        result
    }

    /// `map_results`'s frame around `run`: a plan that cannot be met gives each of the
    /// `count` items its error, so no outcome is lost either way.
    pub(crate) fn keep_all<I>(
        &self,
        items: I,
        len: impl FnOnce(&I) -> Option<usize>,
        count: impl FnOnce(I) -> usize,
        run: impl FnOnce(&Plan, I) -> Vec<Result<P::Outputs, Error>>,
    ) -> Vec<Result<P::Outputs, Error>> {
        let plan = self.plan();
        let clock = self.map_start(len(&items));
        let results = match Self::ready(&plan) {
            Err(error) => {
                let message = error.to_string();
                (0..count(items))
                    .map(|i| Err(Error::config(error.node(), message.clone()).at_item(i)))
                    .collect()
            }
            Ok(()) => run(&plan, items),
        };
        let failed = results.iter().filter(|r| r.is_err()).count();
        self.map_end(results.len(), failed, clock);
        results
    }

    /// Whether the run can start: the plan can be met, and the call may block its thread.
    pub(crate) fn ready(plan: &Plan) -> Result<(), Error> {
        plan.check()?;
        crate::plumbing::blocking::can_block(P::FIRST_ASYNC)
    }

    /// The run's shared state, then every item on the engine, gathered by `C`.
    fn execute<C, I>(&self, plan: &Plan, items: I) -> C::Output
    where
        C: Collect<P::Outputs>,
        I: Iterator<Item = P::Inputs>,
        E: Executes<P, I, C>,
    {
        self.execute_shared(plan, &self.shared(plan), items)
    }

    /// What the workers of a run with `plan` share: its stateful instances among them. A run
    /// that goes in several calls (a dataset's batches) makes it once.
    pub(crate) fn shared(&self, plan: &Plan) -> P::Shared {
        self.pipeline.__hypernodes_shared(plan)
    }

    /// Every item on the engine with the run's `shared` state, gathered by `C`.
    pub(crate) fn execute_shared<C, I>(
        &self,
        plan: &Plan,
        shared: &P::Shared,
        items: I,
    ) -> C::Output
    where
        C: Collect<P::Outputs>,
        I: Iterator<Item = P::Inputs>,
        E: Executes<P, I, C>,
    {
        let unit = plan.unit_items();
        Executes::<P, I, C>::run(
            &self.engine,
            &*self.pipeline,
            shared,
            &self.hooks,
            unit,
            items,
        )
    }

    pub(crate) fn map_start(&self, items: Option<usize>) -> Clock {
        if H::ACTIVE {
            self.hooks.on(&Event::MapStart {
                pipeline: &P::INFO,
                items,
            });
        }
        Clock::start::<H>()
    }

    pub(crate) fn map_end(&self, items: usize, failed: usize, clock: Clock) {
        if H::ACTIVE {
            self.hooks.on(&Event::MapEnd {
                pipeline: &P::INFO,
                items,
                failed,
                elapsed: clock.elapsed(),
            });
        }
    }
}

#[cfg(feature = "streaming")]
impl<P: crate::pipeline::Staged, H: Hooks> Runner<'_, P, Streaming, H> {
    /// Runs `items` through the pipeline's stages and yields each item's outcome as it comes,
    /// in input order ([`Stream::as_completed`] for completion order). Items are taken from
    /// `items` only as results are taken from the stream, so memory stays bounded whatever
    /// the number of items, also for an endless iterator.
    ///
    /// The stage threads outlive this call, so they run a copy of the pipeline (sharing its
    /// factories, bound values and cache) and own the hooks: give `Arc`'d hooks to read them
    /// afterwards. Fails only when the plan's settings cannot be met.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hypernodes::hooks::Progress;
    /// use hypernodes::{node, pipeline, Streaming};
    ///
    /// #[node]
    /// fn square(x: u64) -> u64 { x * x }
    /// pipeline! { Squares = [square] }
    ///
    /// let progress = Arc::new(Progress::new());
    /// let squares = Squares::new();
    /// let runner = squares.with_engine(Streaming::new()).with_hooks(Arc::clone(&progress));
    /// let total: u64 = runner
    ///     .stream((0..10_000).map(|x| SquaresInputs { x }))?
    ///     .map(|out| out.map(|o| o.square))
    ///     .sum::<Result<u64, _>>()?;
    /// assert_eq!(total, (0..10_000u64).map(|x| x * x).sum::<u64>());
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    pub fn stream<I>(&self, items: I) -> Result<Stream<P, I::IntoIter, H>, Error>
    where
        I: IntoIterator<Item = P::Inputs>,
        P: Clone + Send + Sync + 'static,
        P::Shared: Send + Sync,
        P::Inputs: Send,
        P::Outputs: Send,
        P::Columns: Send,
        H: Clone + Send + 'static,
    {
        let plan = self.plan();
        Self::ready(&plan)?;
        let pipeline = P::clone(&self.pipeline);
        let shared = pipeline.__hypernodes_shared(&plan);
        Ok(Stream::start(
            &self.engine,
            pipeline,
            shared,
            self.hooks.clone(),
            plan.unit_items(),
            items.into_iter(),
        ))
    }
}

/// How many items an input holds, when it says so exactly (a `Vec`, a range, a `map` over
/// them); `None` for a filter, a reader or an endless iterator.
fn exact_len<I: Iterator>(items: &I) -> Option<usize> {
    match items.size_hint() {
        (low, Some(high)) if low == high => Some(low),
        _ => None,
    }
}
