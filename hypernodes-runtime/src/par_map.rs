//! `Runner::par_map`: a `map` on `Parallel` over a rayon parallel iterator (the run itself is
//! the engine's, in `engine/parallel_input.rs`).

use rayon::iter::{IndexedParallelIterator, IntoParallelIterator};

use crate::collect::{FailFast, KeepAll};
use crate::engine::Parallel;
use crate::error::Error;
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;
use crate::runner::Runner;

impl<P, H> Runner<'_, P, Parallel, H>
where
    P: Pipeline + Sync,
    P::Shared: Sync,
    P::Inputs: Send,
    P::Outputs: Send,
    H: Hooks,
{
    /// [`Runner::map`] over a rayon parallel iterator: each item's inputs are built on the pool
    /// thread that runs it (`texts.par_iter().map(|t| Inputs { text: t.clone() })`), as
    /// `par_iter().map(..)` written by hand does, instead of on the calling thread. Results in
    /// input order; stops at the first error, which names the node and the item.
    ///
    /// ```
    /// use hypernodes::{node, pipeline, Parallel};
    /// use rayon::prelude::*;
    ///
    /// #[node]
    /// fn length(text: String) -> usize { text.len() }
    /// pipeline! { Lengths = [length] }
    ///
    /// let texts: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
    /// let runner = Lengths::new().with_engine(Parallel::new().batch_size(64));
    /// let outs = runner.par_map(texts.par_iter().map(|t| LengthsInputs { text: t.clone() }))?;
    /// assert_eq!(outs[999].length, 3);
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    pub fn par_map<I>(&self, items: I) -> Result<Vec<P::Outputs>, Error>
    where
        I: IntoParallelIterator<Item = P::Inputs>,
        I::Iter: IndexedParallelIterator,
    {
        let items = items.into_par_iter();
        let plan = self.plan();
        let clock = self.map_start(Some(items.len()));
        let result = Self::ready(&plan).and_then(|()| {
            let shared = self.pipeline().__hypernodes_shared(&plan);
            self.engine().run_indexed::<P, FailFast<P::Outputs>, H, _>(
                self.pipeline(),
                &shared,
                self.hooks(),
                plan.unit_items(),
                items,
            )
        });
        let (done, failed) = match &result {
            Ok(outputs) => (outputs.len(), 0),
            Err(error) => (error.item().map_or(0, |item| item + 1), 1),
        };
        self.map_end(done, failed, clock);
        result
    }

    /// [`Runner::map_results`] over a rayon parallel iterator (see [`Runner::par_map`]): every
    /// item's outcome, in input order.
    pub fn par_map_results<I>(&self, items: I) -> Vec<Result<P::Outputs, Error>>
    where
        I: IntoParallelIterator<Item = P::Inputs>,
        I::Iter: IndexedParallelIterator,
    {
        let items = items.into_par_iter();
        let count = items.len();
        let plan = self.plan();
        let clock = self.map_start(Some(count));
        let results = match Self::ready(&plan) {
            Err(error) => {
                let message = error.to_string();
                (0..count)
                    .map(|i| Err(Error::config(error.node(), message.clone()).at_item(i)))
                    .collect()
            }
            Ok(()) => {
                let shared = self.pipeline().__hypernodes_shared(&plan);
                self.engine().run_indexed::<P, KeepAll<P::Outputs>, H, _>(
                    self.pipeline(),
                    &shared,
                    self.hooks(),
                    plan.unit_items(),
                    items,
                )
            }
        };
        let failed = results.iter().filter(|r| r.is_err()).count();
        self.map_end(results.len(), failed, clock);
        results
    }
}
