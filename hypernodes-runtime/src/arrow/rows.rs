//! `map_batch` on each engine. `Sequential`, `Parallel` and `Streaming` run units of a batch's
//! rows: a batched pipeline's unit is filled from the columns directly, a column only batch
//! nodes borrow lent to them rather than copied (`plumbing/lent.rs`); a cluster runs the rows
//! as items, read as they are pulled.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use arrow_array::ArrayRef;

use super::batch::InputRows;
use super::row::Row;
use super::slots::FillSlots;
use crate::collect::{Collect, FailFast};
use crate::engine::{Engine, Parallel, Sequential};
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;

/// How an engine runs the rows of a record batch for `map_batch`. Public only because
/// `map_batch`'s bounds name it.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "engine `{Self}` cannot run pipeline `{P}` over a record batch's rows",
    note = "`Parallel` moves outputs and stateful resources between threads: they must be `Send`"
)]
pub trait RunsBatches<P: Pipeline, C: Collect<P::Outputs> = FailFast<<P as Pipeline>::Outputs>>:
    Engine
{
    /// Rows `0..rows` of checked input `columns` in units of `unit`, their results gathered
    /// by `C` in row order.
    fn run_rows<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        columns: &[ArrayRef],
        rows: usize,
    ) -> C::Output;
}

/// One unit of rows on `worker`: filled from the columns for a batched pipeline, item by item
/// (each row read as it is run) otherwise.
#[allow(clippy::too_many_arguments)]
fn rows_unit<P, C, H>(
    pipeline: &P,
    shared: &P::Shared,
    worker: usize,
    scratch: &mut P::Scratch,
    hooks: &H,
    columns: &[ArrayRef],
    rows: Range<usize>,
    out: &mut C,
) -> bool
where
    P: Pipeline,
    P::InputFields: Row,
    for<'a> P::Slots<'a>: FillSlots,
    C: Collect<P::Outputs>,
    H: Hooks,
{
    let (first, n) = (rows.start, rows.len());
    let fill = |slots: P::Slots<'_>| slots.fill(columns, rows.clone());
    match pipeline.__hypernodes_rows_unit(shared, worker, scratch, hooks, first, n, fill, out) {
        Some(go_on) => go_on,
        None => {
            let items = InputRows::<P>::over(columns, rows);
            pipeline.__hypernodes_unit(shared, worker, scratch, hooks, first, items, out)
        }
    }
}

/// The rows each unit of a sequential run holds: `unit` for a batched pipeline, all of them for
/// one that runs item by item (its unit takes rows one at a time, as they are run).
fn sequential_unit<P: Pipeline>(unit: usize, rows: usize) -> usize {
    match P::BATCHED {
        true => unit.max(1),
        false => rows.max(1),
    }
}

impl<P, C> RunsBatches<P, C> for Sequential
where
    P: Pipeline,
    C: Collect<P::Outputs>,
    P::InputFields: Row,
    for<'a> P::Slots<'a>: FillSlots,
{
    fn run_rows<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        columns: &[ArrayRef],
        rows: usize,
    ) -> C::Output {
        let unit = sequential_unit::<P>(unit, rows);
        let mut collect = C::with_capacity(rows);
        let mut scratch = P::Scratch::default();
        let mut start = 0;
        while start < rows {
            let end = rows.min(start + unit);
            let unit_rows = start..end;
            if !rows_unit(
                pipeline,
                shared,
                0,
                &mut scratch,
                hooks,
                columns,
                unit_rows,
                &mut collect,
            ) {
                break;
            }
            start = end;
        }
        C::join(vec![collect])
    }
}

impl<P, C> RunsBatches<P, C> for Parallel
where
    P: Pipeline + Sync,
    C: Collect<P::Outputs> + Send,
    P::Shared: Sync,
    P::Outputs: Send,
    P::InputFields: Row,
    for<'a> P::Slots<'a>: FillSlots,
{
    /// One job per pool thread, each taking the next numbered unit of rows until none is left
    /// or a unit failed; the units' results joined in order.
    fn run_rows<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        columns: &[ArrayRef],
        rows: usize,
    ) -> C::Output {
        // Units of `unit` rows for every pipeline: a worker's share of the batch.
        let unit = unit.max(1);
        let units = rows.div_ceil(unit);
        let (next, stopped) = (AtomicUsize::new(0), AtomicBool::new(false));
        let done = Mutex::new(Vec::with_capacity(units));
        self.on_every_worker(|worker| {
            let _stop = StopOnPanic(&stopped);
            let mut scratch = P::Scratch::default();
            let mut mine = Vec::new();
            while !stopped.load(Ordering::Relaxed) {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= units {
                    break;
                }
                let unit_rows = index * unit..rows.min((index + 1) * unit);
                let mut collect = C::with_capacity(unit_rows.len());
                if !rows_unit(
                    pipeline,
                    shared,
                    worker,
                    &mut scratch,
                    hooks,
                    columns,
                    unit_rows,
                    &mut collect,
                ) {
                    stopped.store(true, Ordering::Relaxed);
                }
                mine.push((index, collect));
            }
            done.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend(mine);
        });
        let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
        done.sort_unstable_by_key(|(index, _)| *index);
        C::join(done.into_iter().map(|(_, collect)| collect).collect())
    }
}

/// Stops the other workers when one panics outside a node (nodes' panics are their items'
/// errors), as `Parallel`'s own runs do.
struct StopOnPanic<'a>(&'a AtomicBool);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
        }
    }
}

/// Implements [`RunsBatches`] for engines that run a batch's rows as the items of `map`, read
/// as they are pulled (each in the module of its engine, as `cluster` depends on `arrow`).
#[cfg(feature = "cluster")]
macro_rules! rows_as_items {
    ($($engine:ty),*) => {$(
        impl<P, C> $crate::arrow::RunsBatches<P, C> for $engine
        where
            P: $crate::pipeline::Pipeline,
            P::InputFields: $crate::arrow::Row,
            C: $crate::collect::Collect<P::Outputs>,
            Self: for<'a> $crate::engine::Executes<P, $crate::arrow::InputRows<'a, P>, C>,
        {
            fn run_rows<H: $crate::hooks::Hooks>(
                &self,
                pipeline: &P,
                shared: &P::Shared,
                hooks: &H,
                unit: usize,
                columns: &[::arrow_array::ArrayRef],
                rows: usize,
            ) -> C::Output {
                let items = $crate::arrow::InputRows::<P>::over(columns, 0..rows);
                $crate::engine::Executes::<P, _, C>::run(self, pipeline, shared, hooks, unit, items)
            }
        }
    )*};
}
#[cfg(feature = "cluster")]
pub(crate) use rows_as_items;

/// `Streaming` feeds its first stage units of the batch's rows: a batched pipeline's unit is
/// filled from the columns on the stage's worker (lending a column only batch nodes borrow),
/// a per-item pipeline's rows are read into items as the unit is cut.
#[cfg(feature = "streaming")]
impl<P, C> RunsBatches<P, C> for crate::engine::Streaming
where
    P: crate::pipeline::Staged + Sync + 'static,
    P::Shared: Sync,
    P::Inputs: Send,
    P::Outputs: Send,
    P::Columns: Send,
    P::InputFields: Row,
    for<'a> P::Slots<'a>: FillSlots,
    C: Collect<P::Outputs>,
{
    fn run_rows<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        columns: &[ArrayRef],
        rows: usize,
    ) -> C::Output {
        let feed = BatchRows::<P> {
            columns: columns.into(),
            next: 0,
            rows,
            pipeline: std::marker::PhantomData,
        };
        self.run_fed::<P, C, H, _>(pipeline, shared, hooks, (unit, rows), feed)
    }
}

/// A record batch's rows cut into a streaming run's units.
#[cfg(feature = "streaming")]
struct BatchRows<P> {
    columns: std::sync::Arc<[ArrayRef]>,
    next: usize,
    rows: usize,
    pipeline: std::marker::PhantomData<fn() -> P>,
}

#[cfg(feature = "streaming")]
impl<P> crate::engine::Feed<P> for BatchRows<P>
where
    P: crate::pipeline::Staged + 'static,
    P::InputFields: Row,
    for<'a> P::Slots<'a>: FillSlots,
{
    fn next_work(&mut self, unit: usize) -> Option<(crate::engine::Work<P>, usize)> {
        if self.next >= self.rows {
            return None;
        }
        let rows = self.next..self.rows.min(self.next + unit.max(1));
        self.next = rows.end;
        let len = rows.len();
        let work = match P::BATCHED {
            true => {
                let columns = std::sync::Arc::clone(&self.columns);
                let fill = move |slots: P::Slots<'_>| slots.fill(&columns, rows);
                crate::engine::Work::Rows(Box::new(fill))
            }
            false => {
                crate::engine::Work::Items(InputRows::<P>::over(&self.columns, rows).collect())
            }
        };
        Some((work, len))
    }
}
