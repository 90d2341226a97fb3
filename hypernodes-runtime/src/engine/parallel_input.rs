//! A `Parallel` run over a rayon parallel iterator (`Runner::par_map`): rayon splits the input
//! and each item's inputs are made on the pool thread that runs the item, as `map`'s pulled
//! units are.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::iter::{IndexedParallelIterator, ParallelIterator};

use super::Parallel;
use crate::collect::Collect;
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;

impl Parallel {
    /// Every unit of `size` items of `items` on the pool, each on the thread that builds its
    /// inputs, gathered by `C` in input order. After a collector asks to stop, later units are
    /// skipped; earlier ones still run, so the join sees every result before the stop.
    pub(crate) fn run_indexed<P, C, H, I>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        size: usize,
        items: I,
    ) -> C::Output
    where
        P: Pipeline + Sync,
        P::Shared: Sync,
        P::Inputs: Send,
        C: Collect<P::Outputs> + Send,
        H: Hooks,
        I: IndexedParallelIterator<Item = P::Inputs>,
    {
        let size = size.max(1);
        let stopped_at = AtomicUsize::new(usize::MAX);
        let run = || {
            items
                .chunks(size)
                .enumerate()
                // A rayon split's units share their columns' buffers (batched pipelines).
                .map_init(P::Scratch::default, |scratch, (index, items)| {
                    let mut collect = C::with_capacity(items.len());
                    if index > stopped_at.load(Ordering::Relaxed) {
                        return collect;
                    }
                    // A pool thread's index is its worker: its own stateful instances.
                    let worker = rayon::current_thread_index().unwrap_or(0);
                    let first = index * size;
                    if !pipeline.__hypernodes_unit(
                        shared,
                        worker,
                        scratch,
                        hooks,
                        first,
                        items,
                        &mut collect,
                    ) {
                        stopped_at.fetch_min(index, Ordering::Relaxed);
                    }
                    collect
                })
                .collect::<Vec<C>>()
        };
        let units = match &self.pool {
            Some(pool) => pool.install(run),
            None => run(),
        };
        C::join(units)
    }
}
