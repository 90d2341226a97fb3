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

/// How long an idle worker parks before looking at the failure flag again. timely wakes a
/// parked worker as soon as records arrive, so this bounds only how late a failure is seen.
/// Shorter costs the workers' cores: W3 on 2 processes × 1 worker against `Parallel` on 2
/// threads measured 1.084 with 1 ms and 1.046 with 5 ms (six runs each, interleaved), the
/// driver waking a thousand times a second beside the two threads computing.
const PARK: Duration = Duration::from_millis(5);

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

    /// Process 0's first worker in one generation: feeds `driven`'s items in units, pulling
    /// them from the iterator only as units go out (units a lost generation left without
    /// results first), runs its own share, and gathers every result in input order. What it
    /// gathered survives a failure.
    ///
    /// Its own units run on a helper thread: run here, each would hold up the feeding for as
    /// long as it takes, and the other workers, holding few units, would wait for more
    /// (measured, W3 on 2 processes × 1 worker against `Parallel` on 2 threads: 1.15–1.28
    /// inline, 1.06 on the helper).
    pub fn drive<C: Collect<P::Outputs>, I: Iterator<Item = P::Inputs>>(
        &self,
        mut transport: Transport,
        failure: &Failure,
        driven: &mut Driven<P, C, I>,
        window: usize,
    ) -> Result<(), String>
    where
        P: Sync,
        P::Shared: Sync,
    {
        driven.feed.begin(transport.peers());
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
            self.drive_until_done(&mut transport, failure, window, driven, &mut local)
        });
        transport.end(&outcome, failure);
        outcome
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
            if (feed.done && feed.resend.is_empty()) || gather.stopped {
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

/// What process 0's first worker has fed and gathered, over every generation of a run.
pub struct Driven<P: Pipeline, C, I> {
    feed: Feed<I>,
    gather: Gather<P, C>,
}

impl<P: Pipeline, C: Collect<P::Outputs>, I: Iterator<Item = P::Inputs>> Driven<P, C, I> {
    /// Nothing fed yet: `items` go out in units of `unit`.
    pub fn new(items: I, unit: usize) -> Self {
        Driven {
            feed: Feed::new(items, unit),
            gather: Gather::default(),
        }
    }

    /// Whether every item has its result (or a collector stopped the run).
    pub fn complete(&self) -> bool {
        self.gather.stopped || (self.feed.done && self.gather.delivered == self.feed.sent.len())
    }

    /// How many units have their results, in order.
    pub fn delivered(&self) -> usize {
        self.gather.delivered
    }

    /// After a lost generation: every unit sent and without its result is sent again in the
    /// next one. `lost_worker` says which workers were on a process that is gone; a unit held
    /// by one has lost its process once more, and one that has lost it more than
    /// `max_losses` times gives its items an error with `reason` instead.
    pub fn requeue(&mut self, lost_worker: impl Fn(usize) -> bool, max_losses: u32, reason: &str) {
        for (unit, first, len, losses) in self.feed.requeue(lost_worker) {
            if losses > max_losses {
                let why = format!(
                    "{reason} (these items' unit lost its process {losses} times, more than the {max_losses} allowed)"
                );
                let failed = (first..first + len)
                    .map(|item| Err(Error::cluster(why.clone()).at_item(item)))
                    .collect();
                self.gather.pending.insert(unit, failed);
                self.feed.forget(unit);
            }
        }
        self.gather.deliver();
    }

    /// The collected results; after a failure, every item without a result gets `reason` as
    /// its error, so a collector that keeps all keeps the rest.
    pub fn finish(mut self, reason: Option<&str>) -> C::Output {
        if let Some(reason) = reason {
            self.gather.fail_the_rest(&mut self.feed, reason);
        }
        self.gather.join()
    }
}

/// A unit sent and without its result yet: kept, to be sent again if its generation is lost.
struct InFlight {
    bytes: Vec<u8>,
    /// The worker holding it, in its generation's numbering.
    worker: usize,
    /// How many times the process holding it was lost.
    losses: u32,
}

/// The items not yet sent, the size of every unit sent, and the units each worker holds.
struct Feed<I> {
    items: I,
    unit: usize,
    /// First item and length of every unit sent, by unit index.
    sent: Vec<(usize, usize)>,
    /// Units sent and without their results, by unit index.
    in_flight: BTreeMap<u64, InFlight>,
    /// Units of a lost generation, to send again first.
    resend: std::collections::VecDeque<u64>,
    /// Units each worker of this generation holds (sent, results not back).
    held: Vec<usize>,
    /// The index of the next item to send.
    next: usize,
    done: bool,
}

impl<I: Iterator> Feed<I> {
    fn new(items: I, unit: usize) -> Self {
        Feed {
            items,
            unit: unit.max(1),
            sent: Vec::new(),
            in_flight: BTreeMap::new(),
            resend: std::collections::VecDeque::new(),
            held: Vec::new(),
            next: 0,
            done: false,
        }
    }

    /// A new generation of `workers` workers, holding nothing yet.
    fn begin(&mut self, workers: usize) {
        self.held = vec![0; workers.max(1)];
    }

    /// The workers that sent `results` hold those units no more.
    fn returned(&mut self, results: &[(u64, Vec<u8>)]) {
        for (unit, _) in results {
            if let Some(sent) = self.in_flight.remove(unit) {
                if let Some(held) = self.held.get_mut(sent.worker) {
                    *held = held.saturating_sub(1);
                }
            }
        }
    }

    /// Every unit in flight goes back to the queue, in order; those held by a lost worker
    /// count one more loss. Each unit's index, first item, length and losses.
    fn requeue(&mut self, lost_worker: impl Fn(usize) -> bool) -> Vec<(u64, usize, usize, u32)> {
        self.resend.clear();
        let mut units = Vec::with_capacity(self.in_flight.len());
        for (&unit, sent) in &mut self.in_flight {
            if lost_worker(sent.worker) {
                sent.losses += 1;
            }
            self.resend.push_back(unit);
            let (first, len) = self.sent[unit as usize];
            units.push((unit, first, len, sent.losses));
        }
        units
    }

    /// A unit given up: it is not sent again.
    fn forget(&mut self, unit: u64) {
        self.in_flight.remove(&unit);
        self.resend.retain(|u| *u != unit);
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
    /// cannot be encoded travels as its error). Units of a lost generation go first.
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
        while let Some(&unit) = self.resend.front() {
            let Some(worker) = self.free_worker() else {
                return Ok(());
            };
            self.resend.pop_front();
            if let Some(sent) = self.in_flight.get_mut(&unit) {
                sent.worker = worker;
                self.held[worker] += 1;
                transport.send_unit(worker, (unit, sent.bytes.clone()))?;
            }
        }
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
            self.held[worker] += 1;
            self.next += len;
            let bytes = wire::encode_items::<P>(first, items);
            transport.send_unit(worker, (index, bytes.clone()))?;
            let sent = InFlight {
                bytes,
                worker,
                losses: 0,
            };
            self.in_flight.insert(index, sent);
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
            // Results come once per unit: a unit is only sent again when its generation was
            // lost without them.
            if (unit as usize) < self.delivered || self.pending.contains_key(&unit) {
                continue;
            }
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
