//! A stage's workers: each takes units from its stage's channel, runs the stage's nodes on them
//! and hands them to the next stage, or as per-item results to the output.

use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, Sender};

use super::stages::Stage;
use crate::collect::{Collect, KeepAll};
use crate::error::Error;
use crate::hooks::Hooks;
use crate::pipeline::Staged;

/// A unit of work on its way: its place in the stream, the index of its first item, its item
/// count, and what it carries.
pub(crate) struct Unit<W> {
    pub index: usize,
    pub first: usize,
    pub len: usize,
    pub work: W,
}

/// What travels between stages: the inputs (into the first stage) or the unit's columns.
pub(crate) enum Work<P: Staged> {
    Items(Vec<P::Inputs>),
    /// The unit's input slots to fill from a record batch's rows (a batched pipeline's
    /// `map_batch` and `map_dataset`): one call per unit, which may lend the batch's columns.
    #[cfg(feature = "arrow")]
    Rows(RowsFill<P>),
    Columns(P::Columns),
}

/// What fills a unit's input slots from a record batch's rows.
#[cfg(feature = "arrow")]
pub(crate) type RowsFill<P> =
    Box<dyn for<'a> FnOnce(<P as crate::plumbing::protocol::Plumbing>::Slots<'a>) + Send>;

/// A finished unit: each item's outcome, in order.
pub(crate) type Done<O> = Unit<Vec<Result<O, Error>>>;

/// A unit after a stage: on to the next stage, or finished.
enum Processed<P: Staged> {
    Columns(P::Columns),
    Done(Vec<Result<P::Outputs, Error>>),
}

/// One worker of one stage, ready to run on a thread of its own.
pub(crate) struct Job<P: Staged> {
    /// The thread's name.
    pub name: String,
    /// The worker's index within its stage: which stateful instances it uses.
    worker: usize,
    steps: Range<usize>,
    /// The stage runs every node: items go through the pipeline's own fused unit code.
    whole: bool,
    input: Receiver<Unit<Work<P>>>,
    /// The next stage; `None` for the last.
    next: Option<Sender<Unit<Work<P>>>>,
    /// Finished units, from the last stage or from a unit that failed outside the nodes.
    out: Sender<Done<P::Outputs>>,
}

/// The wiring of a run: every worker's job, the first stage's input and the output.
pub(crate) type Wiring<P> = (
    Vec<Job<P>>,
    Sender<Unit<Work<P>>>,
    Receiver<Done<<P as crate::pipeline::Pipeline>::Outputs>>,
);

/// The channels of a run: a job per worker of every stage, the sender into the first stage and
/// the receiver of finished units. A later stage's channel holds one unit per worker of the
/// stage; the first and the output hold `window` units, all that may be in flight, so the
/// feeder never waits on them.
pub(crate) fn wire<P: Staged>(stages: &[Stage], window: usize) -> Wiring<P> {
    let (out, finished) = crossbeam_channel::bounded(window);
    let mut next = None;
    let mut jobs = Vec::new();
    let whole = stages.len() == 1;
    for (position, stage) in stages.iter().enumerate().rev() {
        let capacity = if position == 0 { window } else { stage.workers };
        let (tx, rx) = crossbeam_channel::bounded(capacity);
        for worker in 0..stage.workers {
            jobs.push(Job {
                name: format!("hypernodes-stage{position}-{worker}"),
                worker,
                steps: stage.steps.clone(),
                whole,
                input: rx.clone(),
                next: next.clone(),
                out: out.clone(),
            });
        }
        next = Some(tx);
    }
    let first = next.expect("there is always a stage");
    (jobs, first, finished)
}

impl<P: Staged> Job<P> {
    /// Takes units until the channel closes, the next stage or the output is gone, or `stop`
    /// is set. A panic outside the nodes (whose own panics are items' errors already) fails
    /// the unit's items, and the worker goes on.
    pub fn run<H: Hooks>(self, pipeline: &P, shared: &P::Shared, hooks: &H, stop: &AtomicBool) {
        let mut scratch = P::Scratch::default();
        for unit in self.input.iter() {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let Unit {
                index,
                first,
                len,
                work,
            } = unit;
            let processed = catch_unwind(AssertUnwindSafe(|| {
                let job = (pipeline, shared, &mut scratch);
                self.process(job, hooks, stop, (first, len), work)
            }));
            let results = match processed {
                Ok(Processed::Columns(columns)) => {
                    let next = self.next.as_ref().expect("only the last stage finishes");
                    let unit = Unit {
                        index,
                        first,
                        len,
                        work: Work::Columns(columns),
                    };
                    if next.send(unit).is_err() {
                        return;
                    }
                    continue;
                }
                Ok(Processed::Done(results)) => results,
                Err(payload) => {
                    let message = crate::error::panic_message(payload);
                    (0..len)
                        .map(|i| {
                            Err(Error::engine_panicked(P::INFO.name, &message).at_item(first + i))
                        })
                        .collect()
                }
            };
            let done = Unit {
                index,
                first,
                len,
                work: results,
            };
            if self.out.send(done).is_err() {
                return;
            }
        }
    }

    /// The stage's nodes on one unit.
    fn process<H: Hooks>(
        &self,
        (pipeline, shared, scratch): (&P, &P::Shared, &mut P::Scratch),
        hooks: &H,
        stop: &AtomicBool,
        (first, len): (usize, usize),
        work: Work<P>,
    ) -> Processed<P> {
        let mut out = KeepAll::with_capacity(len);
        let mut columns = match work {
            Work::Items(items) if self.whole => {
                // Item by item: a dropped stream stops this unit after the current item.
                let mut until_stopped = UntilStopped {
                    kept: KeepAll::with_capacity(len),
                    stop: Some(stop),
                };
                pipeline.__hypernodes_unit(
                    shared,
                    self.worker,
                    scratch,
                    hooks,
                    first,
                    items,
                    &mut until_stopped,
                );
                return Processed::Done(KeepAll::join(vec![until_stopped.kept]));
            }
            Work::Items(items) => {
                let mut columns = P::Columns::default();
                pipeline.__hypernodes_columns(hooks, first, items, &mut columns);
                columns
            }
            #[cfg(feature = "arrow")]
            Work::Rows(fill) => {
                let mut columns = P::Columns::default();
                crate::pipeline::fill_from_rows(pipeline, &mut columns, hooks, (first, len), fill);
                columns
            }
            Work::Columns(columns) => columns,
        };
        for step in self.steps.clone() {
            pipeline.__hypernodes_step(shared, self.worker, hooks, step, &mut columns);
        }
        if self.next.is_some() {
            return Processed::Columns(columns);
        }
        pipeline.__hypernodes_finish(hooks, &mut columns, &mut out);
        Processed::Done(KeepAll::join(vec![out]))
    }
}

/// Keeps every result until the stream is stopped: then asks the unit to end after the item
/// that just finished.
struct UntilStopped<'a, O> {
    kept: KeepAll<O>,
    stop: Option<&'a AtomicBool>,
}

impl<O> Collect<O> for UntilStopped<'_, O> {
    type Output = Vec<Result<O, Error>>;

    fn with_capacity(capacity: usize) -> Self {
        UntilStopped {
            kept: KeepAll::with_capacity(capacity),
            stop: None,
        }
    }

    #[inline]
    fn push(&mut self, result: Result<O, Error>) -> bool {
        self.kept.push(result);
        !self.stop.is_some_and(|stop| stop.load(Ordering::Relaxed))
    }

    fn join(units: Vec<Self>) -> Self::Output {
        KeepAll::join(units.into_iter().map(|unit| unit.kept).collect())
    }
}
