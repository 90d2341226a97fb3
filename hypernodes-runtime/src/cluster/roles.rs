//! What each worker of a cluster run does between transport steps. Every worker runs the
//! units sent to it; process 0's first worker also feeds the units, at most a window ahead
//! of the results it has gathered, and hands results to the collector in input order.
//!
//! Units go where they are done fastest: each worker holds at most [`PER_WORKER`] units at a
//! time, and the next unit goes to the worker holding fewest, as results come back. A worker
//! that is slower (a slower host, a busier one) is sent fewer.

use std::collections::BTreeMap;
use std::time::Duration;

use super::transport::{Failure, Transport};
use super::wire::{self, Crosses};
use crate::collect::{Collect, KeepAll};
use crate::error::Error;
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;

/// How long an idle worker parks before looking at the failure flag again.
const PARK: Duration = Duration::from_millis(1);

/// Units a worker holds at once: one running, one waiting, so it never idles for a round trip.
const PER_WORKER: usize = 2;

/// The pipeline, its shared state and hooks, as every worker of this process sees them.
pub struct Work<'r, P: Pipeline, H> {
    pub pipeline: &'r P,
    pub shared: &'r P::Shared,
    pub hooks: &'r H,
}

impl<P, H> Work<'_, P, H>
where
    P: Pipeline,
    P::InputFields: Crosses,
    P::OutputFields: Crosses,
    H: Hooks,
{
    /// Runs one unit that arrived on local worker `worker`, sending its results back.
    fn run_unit(
        &self,
        transport: &mut Transport,
        worker: usize,
        unit: (u64, Vec<u8>),
    ) -> Result<(), String> {
        transport.send_results(self.unit_results(worker, unit)?)
    }

    /// The results of one unit, encoded for process 0.
    fn unit_results(
        &self,
        worker: usize,
        (unit, bytes): (u64, Vec<u8>),
    ) -> Result<(u64, Vec<u8>), String> {
        let (first, items) = wire::decode_items::<P>(&bytes)?;
        let mut results = KeepAll::with_capacity(items.len());
        // Runs of items that arrived whole go through the pipeline together; an item that
        // could not cross is its own error, in its place.
        let mut run: Vec<P::Inputs> = Vec::new();
        let mut run_first = first;
        for (item, index) in items.into_iter().zip(first..) {
            match item {
                Ok(inputs) => {
                    if run.is_empty() {
                        run_first = index;
                    }
                    run.push(inputs);
                }
                Err(reason) => {
                    let whole = std::mem::take(&mut run);
                    self.run_items(worker, run_first, whole, &mut results);
                    results.push(Err(Error::cluster(reason).at_item(index)));
                }
            }
        }
        self.run_items(worker, run_first, run, &mut results);
        let results = KeepAll::join(vec![results]);
        Ok((unit, wire::encode_results::<P>(first, results)))
    }

    /// Items `first..` through the pipeline, their results pushed to `results`.
    fn run_items(
        &self,
        worker: usize,
        first: usize,
        items: Vec<P::Inputs>,
        results: &mut KeepAll<P::Outputs>,
    ) {
        if !items.is_empty() {
            // A unit's columns are its own here: units come seldom enough over the network.
            let scratch = &mut P::Scratch::default();
            self.pipeline.__hypernodes_unit(
                self.shared,
                worker,
                scratch,
                self.hooks,
                first,
                items,
                results,
            );
        }
    }

    /// A worker that only runs units: until the run is over everywhere or has failed.
    pub fn serve(
        &self,
        mut transport: Transport,
        worker: usize,
        failure: &Failure,
    ) -> Result<(), String> {
        let outcome = self.serve_until_done(&mut transport, worker, failure);
        transport.end(&outcome, failure);
        outcome
    }

    fn serve_until_done(
        &self,
        transport: &mut Transport,
        worker: usize,
        failure: &Failure,
    ) -> Result<(), String> {
        loop {
            if let Some(reason) = failure.reason() {
                return Err(reason);
            }
            if let Some(unit) = transport.next_unit() {
                self.run_unit(transport, worker, unit)?;
                transport.step(None)?;
                continue;
            }
            if transport.finished() {
                return transport.drain(failure);
            }
            transport.step(Some(PARK))?;
        }
    }

    /// Process 0's first worker: feeds `items` in units of `unit`, pulling them from the
    /// iterator only as units go out, runs its own share, and gathers every result in input
    /// order. What it gathered survives a failure.
    ///
    /// Its own units run on a helper thread: run here, each would hold up the feeding for as
    /// long as it takes, and the other workers, holding few units, would wait for more
    /// (measured, W3 on 2 processes × 1 worker against `Parallel` on 2 threads: 1.15–1.28
    /// inline, 1.06 on the helper).
    pub fn drive<C: Collect<P::Outputs>, I: Iterator<Item = P::Inputs>>(
        &self,
        mut transport: Transport,
        failure: &Failure,
        items: I,
        unit: usize,
        window: usize,
    ) -> Driven<P, C, I>
    where
        P: Sync,
        P::Shared: Sync,
    {
        let mut driven = Driven {
            feed: Feed::new(items, unit, transport.peers()),
            gather: Gather::default(),
        };
        let outcome = std::thread::scope(|scope| {
            let (jobs, to_run) = std::sync::mpsc::channel::<(u64, Vec<u8>)>();
            let (ran, results) = std::sync::mpsc::channel();
            // The driver parks in timely between steps: woken as soon as results are ready.
            let driver = std::thread::current();
            let helper = std::thread::Builder::new()
                .name("hypernodes-cluster-p0-w0".into())
                .spawn_scoped(scope, move || {
                    for unit in to_run {
                        let sent = ran.send(self.unit_results(0, unit));
                        driver.unpark();
                        if sent.is_err() {
                            return;
                        }
                    }
                });
            if let Err(e) = helper {
                return Err(format!("cannot start a worker thread: {e}"));
            }
            let mut local = Local {
                jobs,
                results,
                running: false,
            };
            self.drive_until_done(&mut transport, failure, window, &mut driven, &mut local)
        });
        transport.end(&outcome, failure);
        driven
    }

    fn drive_until_done<C: Collect<P::Outputs>, I: Iterator<Item = P::Inputs>>(
        &self,
        transport: &mut Transport,
        failure: &Failure,
        window: usize,
        Driven { feed, gather }: &mut Driven<P, C, I>,
        local: &mut Local,
    ) -> Result<(), String> {
        loop {
            if let Some(reason) = failure.reason() {
                return Err(reason);
            }
            if !gather.stopped {
                feed.send(transport, window, gather)?;
            }
            if feed.done || gather.stopped {
                transport.close_units();
            }
            if let Some(results) = local.finished()? {
                transport.send_results(results)?;
            }
            if !local.running {
                if let Some(unit) = transport.next_unit() {
                    local.start(unit)?;
                }
            }
            transport.set_running(local.running);
            transport.step(Some(PARK))?;
            let results = transport.take_results();
            feed.returned(&results);
            gather.receive(results)?;
            if transport.finished() {
                return transport.drain(failure);
            }
        }
    }
}

/// Process 0's first worker's own units, run one at a time on a helper thread.
pub struct Local {
    jobs: std::sync::mpsc::Sender<(u64, Vec<u8>)>,
    results: std::sync::mpsc::Receiver<Result<(u64, Vec<u8>), String>>,
    running: bool,
}

impl Local {
    fn start(&mut self, unit: (u64, Vec<u8>)) -> Result<(), String> {
        self.jobs
            .send(unit)
            .map_err(|_| "a worker thread panicked".to_owned())?;
        self.running = true;
        Ok(())
    }

    /// The results of the unit running, once it is done.
    fn finished(&mut self) -> Result<Option<(u64, Vec<u8>)>, String> {
        if !self.running {
            return Ok(None);
        }
        match self.results.try_recv() {
            Ok(results) => {
                self.running = false;
                results.map(Some)
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => Ok(None),
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err("a worker thread panicked".to_owned())
            }
        }
    }
}

/// What process 0's first worker has fed and gathered.
pub struct Driven<P: Pipeline, C, I> {
    feed: Feed<I>,
    gather: Gather<P, C>,
}

impl<P: Pipeline, C: Collect<P::Outputs>, I: Iterator<Item = P::Inputs>> Driven<P, C, I> {
    /// The collected results; after a failure, every item without a result gets `reason` as
    /// its error, so a collector that keeps all keeps the rest.
    pub fn finish(mut self, reason: Option<&str>) -> C::Output {
        if let Some(reason) = reason {
            self.gather.fail_the_rest(&mut self.feed, reason);
        }
        self.gather.join()
    }
}

/// The items not yet sent, the size of every unit sent, and the units each worker holds.
struct Feed<I> {
    items: I,
    unit: usize,
    /// First item and length of every unit sent, by unit index.
    sent: Vec<(usize, usize)>,
    /// The worker each unit went to, by unit index.
    sent_to: Vec<usize>,
    /// Units each worker holds (sent, results not back).
    held: Vec<usize>,
    /// The index of the next item to send.
    next: usize,
    done: bool,
}

impl<I: Iterator> Feed<I> {
    fn new(items: I, unit: usize, workers: usize) -> Self {
        Feed {
            items,
            unit: unit.max(1),
            sent: Vec::new(),
            sent_to: Vec::new(),
            held: vec![0; workers.max(1)],
            next: 0,
            done: false,
        }
    }

    /// The workers that sent `results` hold those units no more.
    fn returned(&mut self, results: &[(u64, Vec<u8>)]) {
        for (unit, _) in results {
            if let Some(&worker) = self.sent_to.get(*unit as usize) {
                self.held[worker] = self.held[worker].saturating_sub(1);
            }
        }
    }

    /// The worker holding fewest units, if one has room.
    fn free_worker(&self) -> Option<usize> {
        let (worker, held) = self
            .held
            .iter()
            .enumerate()
            .min_by_key(|(_, held)| **held)?;
        (*held < PER_WORKER).then_some(worker)
    }

    /// Sends units, each to the worker holding fewest, until every worker holds
    /// [`PER_WORKER`] or `window` are in flight beyond the `delivered` ones (an item that
    /// cannot be encoded travels as its error).
    fn send<P, C>(
        &mut self,
        transport: &mut Transport,
        window: usize,
        gather: &mut Gather<P, C>,
    ) -> Result<(), String>
    where
        P: Pipeline<Inputs = I::Item>,
        P::InputFields: Crosses,
        C: Collect<P::Outputs>,
    {
        while !self.done && self.sent.len() < gather.delivered + window {
            let Some(worker) = self.free_worker() else {
                break;
            };
            let first = self.next;
            let items: Vec<P::Inputs> = self.items.by_ref().take(self.unit).collect();
            if items.is_empty() {
                self.done = true;
                break;
            }
            let index = self.sent.len() as u64;
            let len = items.len();
            self.sent.push((first, len));
            self.sent_to.push(worker);
            self.held[worker] += 1;
            self.next += len;
            transport.send_unit(worker, (index, wire::encode_items::<P>(first, items)))?;
        }
        Ok(())
    }
}

/// Results waiting for their turn, and the collectors of the units delivered.
struct Gather<P: Pipeline, C> {
    pending: BTreeMap<u64, Vec<Result<P::Outputs, Error>>>,
    delivered: usize,
    collected: Vec<C>,
    stopped: bool,
}

impl<P: Pipeline, C> Default for Gather<P, C> {
    fn default() -> Self {
        Gather {
            pending: BTreeMap::new(),
            delivered: 0,
            collected: Vec::new(),
            stopped: false,
        }
    }
}

impl<P: Pipeline, C: Collect<P::Outputs>> Gather<P, C>
where
    P::OutputFields: Crosses,
{
    fn receive(&mut self, records: Vec<(u64, Vec<u8>)>) -> Result<(), String> {
        for (unit, bytes) in records {
            let results = wire::decode_results::<P>(&bytes).map_err(|e| e.to_string())?;
            self.pending.insert(unit, results);
        }
        self.deliver();
        Ok(())
    }
}

impl<P: Pipeline, C: Collect<P::Outputs>> Gather<P, C> {
    /// Hands the next units, in order, to collectors; stops when one asks to.
    fn deliver(&mut self) {
        while let Some(results) = self.pending.remove(&(self.delivered as u64)) {
            self.delivered += 1;
            if !self.stopped {
                self.push_unit(results);
            }
        }
    }

    fn push_unit(&mut self, results: Vec<Result<P::Outputs, Error>>) {
        let mut collect = C::with_capacity(results.len());
        for result in results {
            if !collect.push(result) {
                self.stopped = true;
                break;
            }
        }
        self.collected.push(collect);
    }

    /// Every item not yet delivered fails with `reason` (results that arrived out of order
    /// keep their place), unless a collector stopped first.
    fn fail_the_rest<I: Iterator>(&mut self, feed: &mut Feed<I>, reason: &str) {
        let failed = |items: std::ops::Range<usize>| {
            items
                .map(|item| Err(Error::cluster(reason.to_owned()).at_item(item)))
                .collect::<Vec<_>>()
        };
        for unit in self.delivered..feed.sent.len() {
            if self.stopped {
                return;
            }
            let (first, len) = feed.sent[unit];
            let results = self
                .pending
                .remove(&(unit as u64))
                .unwrap_or_else(|| failed(first..first + len));
            self.push_unit(results);
        }
        // Items never pulled are pulled now, to give each its error.
        let unsent = feed.next..feed.next + feed.items.by_ref().count();
        if !self.stopped && !unsent.is_empty() {
            self.push_unit(failed(unsent));
        }
    }

    fn join(self) -> C::Output {
        C::join(self.collected)
    }
}
