//! The consumer's side of a streaming run: it pulls items from the input only as units leave,
//! so at most `window` units exist between input and output whatever the input's length, and
//! puts finished units back in input order (or hands them on as they come).

use std::collections::{BTreeMap, VecDeque};

use crossbeam_channel::{Receiver, Sender};

use super::workers::{Done, Unit, Work};
use crate::error::Error;
use crate::pipeline::Staged;

/// Feeds a run from `input` and yields each item's index and outcome.
pub(crate) struct Flow<P: Staged, I> {
    input: I,
    /// `None` once the input is exhausted: the workers stop when they have drained the stages.
    feed: Option<Sender<Unit<Work<P>>>>,
    finished: Receiver<Done<P::Outputs>>,
    unit: usize,
    window: usize,
    /// Units sent so far; the next unit's index.
    sent: usize,
    /// Items sent so far; the next item's index.
    items: usize,
    /// Units sent and not yet released, with their first item and length.
    in_flight: BTreeMap<usize, (usize, usize)>,
    /// Finished units waiting for their turn (in order mode).
    waiting: BTreeMap<usize, Done<P::Outputs>>,
    /// The next unit to release in order.
    next_unit: usize,
    /// The released unit's items not yet yielded.
    ready: VecDeque<(usize, Result<P::Outputs, Error>)>,
    /// Release units in input order (`false`: as they finish).
    pub ordered: bool,
    /// Outcomes yielded so far, and how many of them were errors.
    pub yielded: usize,
    pub failed: usize,
}

/// Where a streaming run's units come from: an iterator of items, or (with Arrow) a record
/// batch's rows.
pub(crate) trait Feed<P: Staged> {
    /// The next unit's work of at most `unit` items and its length; `None` at the end.
    fn next_work(&mut self, unit: usize) -> Option<(Work<P>, usize)>;
}

impl<P: Staged, I: Iterator<Item = P::Inputs>> Feed<P> for I {
    fn next_work(&mut self, unit: usize) -> Option<(Work<P>, usize)> {
        let items: Vec<P::Inputs> = self.by_ref().take(unit).collect();
        let len = items.len();
        (len > 0).then_some((Work::Items(items), len))
    }
}

impl<P: Staged, I: Feed<P>> Flow<P, I> {
    pub fn new(
        input: I,
        feed: Sender<Unit<Work<P>>>,
        finished: Receiver<Done<P::Outputs>>,
        unit: usize,
        window: usize,
    ) -> Self {
        Flow {
            input,
            feed: Some(feed),
            finished,
            unit: unit.max(1),
            window: window.max(1),
            sent: 0,
            items: 0,
            in_flight: BTreeMap::new(),
            waiting: BTreeMap::new(),
            next_unit: 0,
            ready: VecDeque::new(),
            ordered: true,
            yielded: 0,
            failed: 0,
        }
    }

    /// The next item's index and outcome; `None` when the input is exhausted and every item
    /// was yielded.
    pub fn next(&mut self) -> Option<(usize, Result<P::Outputs, Error>)> {
        loop {
            if let Some(outcome) = self.ready.pop_front() {
                self.yielded += 1;
                self.failed += usize::from(outcome.1.is_err());
                return Some(outcome);
            }
            self.top_up();
            if let Some(done) = self.releasable() {
                self.release(done);
                continue;
            }
            if self.in_flight.is_empty() {
                return None;
            }
            match self.finished.recv() {
                Ok(done) => {
                    self.waiting.insert(done.index, done);
                }
                Err(_) => self.lose_the_rest(),
            }
        }
    }

    /// Sends units until `window` are in flight or the input ends.
    fn top_up(&mut self) {
        while self.in_flight.len() < self.window {
            let Some(feed) = &self.feed else { return };
            let Some((work, len)) = self.input.next_work(self.unit) else {
                self.feed = None;
                return;
            };
            let (index, first) = (self.sent, self.items);
            let unit = Unit {
                index,
                first,
                len,
                work,
            };
            if feed.send(unit).is_err() {
                self.feed = None;
                return;
            }
            self.in_flight.insert(index, (first, len));
            self.sent += 1;
            self.items += len;
        }
    }

    fn releasable(&mut self) -> Option<Done<P::Outputs>> {
        match self.ordered {
            true => self.waiting.remove(&self.next_unit),
            false => self.waiting.pop_first().map(|(_, done)| done),
        }
    }

    fn release(&mut self, done: Done<P::Outputs>) {
        self.in_flight.remove(&done.index);
        if done.index == self.next_unit {
            self.next_unit += 1;
            while self.released_already(self.next_unit) {
                self.next_unit += 1;
            }
        }
        let first = done.first;
        self.ready.extend(
            done.work
                .into_iter()
                .enumerate()
                .map(|(i, r)| (first + i, r)),
        );
    }

    /// Whether unit `index` was released out of order before (as-completed mode).
    fn released_already(&self, index: usize) -> bool {
        index < self.sent && !self.in_flight.contains_key(&index)
    }

    /// Every worker is gone (none should be: their panics are caught): the units they held
    /// fail, so no item is silently missing.
    fn lose_the_rest(&mut self) {
        self.feed = None;
        for (index, (first, len)) in std::mem::take(&mut self.in_flight) {
            let failed = (0..len)
                .map(|i| {
                    Err(
                        Error::engine_panicked(P::INFO.name, "the stage workers stopped")
                            .at_item(first + i),
                    )
                })
                .collect();
            self.waiting.insert(
                index,
                Unit {
                    index,
                    first,
                    len,
                    work: failed,
                },
            );
        }
        // In order: the waiting units are released from `next_unit` on, and no more arrive.
        self.in_flight = self
            .waiting
            .iter()
            .map(|(&index, done)| (index, (done.first, done.len)))
            .collect();
    }
}

impl<P: Staged, I> Flow<P, I> {
    /// Closes both ends: the workers stop after their current unit. Whether every unit sent
    /// had come back (then the workers have nothing left to do).
    pub fn close(&mut self) -> bool {
        self.feed = None;
        let (_, closed) = crossbeam_channel::bounded(0);
        self.finished = closed;
        self.in_flight.is_empty()
    }
}
