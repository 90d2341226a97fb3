//! A pipeline paired with an engine: `p.with_engine(Sequential)`.

use crate::engine::{Engine, Executes};
use crate::error::Error;
use crate::pipeline::Pipeline;
use crate::plan::Plan;

/// A pipeline with the engine that will run it; made by `p.with_engine(engine)`.
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
pub struct Runner<'p, P, E> {
    pipeline: &'p P,
    engine: E,
}

impl<'p, P: Pipeline, E: Engine> Runner<'p, P, E> {
    /// `pipeline` on `engine`.
    pub fn new(pipeline: &'p P, engine: E) -> Self {
        Runner { pipeline, engine }
    }

    /// The engine.
    pub fn engine(&self) -> &E {
        &self.engine
    }

    /// Every node's settings on this engine and where each came from, and the stateful
    /// instances the run will build.
    pub fn plan(&self) -> Plan {
        Plan::resolve(&P::INFO, &self.engine.settings())
    }

    /// Runs every item (zip semantics: one `Inputs` per item), keeping input order; stops at
    /// the first error, which names the node and the item index.
    ///
    /// Stateful resources are built lazily, once per worker, and dropped before this returns.
    pub fn map<I>(&self, items: I) -> Result<Vec<P::Outputs>, Error>
    where
        I: IntoIterator<Item = P::Inputs>,
        E: Executes<P>,
    {
        let plan = self.plan();
        plan.check()?;
        let shared = self.pipeline.__hypernodes_shared(&plan);
        let items: Vec<P::Inputs> = items.into_iter().collect();
        let unit = plan.unit_items();
        self.engine
            .run_fail_fast(self.pipeline, &shared, unit, items)
    }

    /// Runs every item and returns each item's outcome in input order: a failing item never
    /// loses the others.
    pub fn map_results<I>(&self, items: I) -> Vec<Result<P::Outputs, Error>>
    where
        I: IntoIterator<Item = P::Inputs>,
        E: Executes<P>,
    {
        let plan = self.plan();
        let items: Vec<P::Inputs> = items.into_iter().collect();
        if let Err(error) = plan.check() {
            let message = error.to_string();
            return (0..items.len())
                .map(|i| Err(Error::config(error.node(), message.clone()).at_item(i)))
                .collect();
        }
        let shared = self.pipeline.__hypernodes_shared(&plan);
        self.engine
            .run_keep_all(self.pipeline, &shared, plan.unit_items(), items)
    }
}
