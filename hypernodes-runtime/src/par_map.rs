//! `Runner::par_map`: a `map` on `Parallel` over a rayon parallel iterator (the run itself is
//! the engine's, in `engine/parallel_input.rs`).

use rayon::iter::{IndexedParallelIterator, IntoParallelIterator};

use crate::collect::{Collect, FailFast, KeepAll};
use crate::engine::Parallel;
use crate::error::Error;
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;
use crate::plan::Plan;
use crate::runner::Runner;

impl<P, H> Runner<'_, P, Parallel, H>
where
    P: Pipeline + Sync,
    P::Shared: Sync,
    P::Inputs: Send,
    P::Outputs: Send,
    H: Hooks,
{
    /// [`Runner::map`] over a rayon parallel iterator, split by rayon: each item's inputs are
    /// built on the pool thread that runs it (`texts.par_iter().map(|t| Inputs { text:
    /// t.clone() })`), as `par_iter().map(..)` written by hand does. Results in input order;
    /// stops at the first error, which names the node and the item.
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
        self.fail_fast(Some(items.len()), |plan| {
            self.par_execute::<FailFast<P::Outputs>, _>(plan, items)
        })
    }

    /// [`Runner::map_results`] over a rayon parallel iterator (see [`Runner::par_map`]): every
    /// item's outcome, in input order.
    pub fn par_map_results<I>(&self, items: I) -> Vec<Result<P::Outputs, Error>>
    where
        I: IntoParallelIterator<Item = P::Inputs>,
        I::Iter: IndexedParallelIterator,
    {
        self.keep_all(
            items.into_par_iter(),
            |items| Some(items.len()),
            |items| items.len(),
            |plan, items| self.par_execute::<KeepAll<P::Outputs>, _>(plan, items),
        )
    }

    /// The run's shared state, then every unit of `items` on the pool, gathered by `C`.
    fn par_execute<C, I>(&self, plan: &Plan, items: I) -> C::Output
    where
        C: Collect<P::Outputs> + Send,
        I: IndexedParallelIterator<Item = P::Inputs>,
    {
        let shared = self.pipeline().__hypernodes_shared(plan);
        self.engine().run_indexed::<P, C, H, I>(
            self.pipeline(),
            &shared,
            self.hooks(),
            plan.unit_items(),
            items,
        )
    }
}
