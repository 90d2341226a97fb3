//! timely-dataflow as the cluster's transport: a dataflow of two inputs that only moves
//! records. Units of items go from process 0's first worker to every worker (by unit index),
//! results go back to it. Pipeline code runs in the worker loop between steps, not inside
//! timely operators, so it may borrow the pipeline and its shared state.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io;
use std::net::{Shutdown, TcpStream};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

pub use timely::communication::allocator::zero_copy::allocator::TcpBuilder;
use timely::communication::allocator::zero_copy::initialize::{
    initialize_networking_from_sockets, CommsGuard,
};
use timely::communication::allocator::zero_copy::stream::Stream;
use timely::communication::allocator::{Allocator, ProcessBuilder};
use timely::communication::Hooks as CommunicationHooks;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::operator::Operator;
use timely::dataflow::operators::Input;
use timely::dataflow::InputHandle;
use timely::worker::{Config as WorkerConfig, Worker};

use super::wire::Record;

type Records = InputHandle<u64, CapacityContainerBuilder<Vec<Record>>>;

/// Set once the run cannot go on; every worker of the process polls it. A lost connection is
/// the root cause of the timely panics that follow it, so its reason wins over theirs.
#[derive(Clone, Default)]
pub struct Failure(Arc<FailureState>);

#[derive(Default)]
struct FailureState {
    failed: AtomicBool,
    /// Whether the reason is a lost connection, and the reason.
    reason: Mutex<Option<(bool, String)>>,
}

impl Failure {
    /// Records `reason` unless a failure was recorded before.
    pub fn set(&self, reason: String) {
        self.record(false, reason);
    }

    /// Records that a connection was lost, over any reason recorded before but another loss.
    pub(super) fn set_lost(&self, reason: String) {
        self.record(true, reason);
    }

    fn record(&self, lost: bool, reason: String) {
        let mut first = self.0.reason.lock().unwrap_or_else(PoisonError::into_inner);
        match &*first {
            Some((true, _)) => {}
            Some((false, _)) if !lost => {}
            _ => *first = Some((lost, reason)),
        }
        self.0.failed.store(true, Ordering::Release);
    }

    /// The reason, once the run has failed.
    pub fn reason(&self) -> Option<String> {
        if !self.0.failed.load(Ordering::Acquire) {
            return None;
        }
        let first = self.0.reason.lock().unwrap_or_else(PoisonError::into_inner);
        first.as_ref().map(|(_, reason)| reason.clone())
    }
}

/// Runs `f`, turning a panic into an error: a panicking worker must stop the others, not
/// leave them waiting for it. timely panics in its queues once a peer is gone.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = crate::error::panic_message(payload);
        Err(format!("a worker thread panicked: {message}"))
    })
}

thread_local! {
    /// Set while this thread is inside timely (`quietly`): a panic there is a lost peer.
    static IN_TIMELY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// [`guarded`] for a call into timely: its panics (a queue poisoned once a peer is gone) are
/// how a lost process shows, already recorded and handled, so they are not printed. Node
/// code never runs inside it.
fn quietly<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let before = IN_TIMELY.with(|flag| flag.replace(true));
    let result = guarded(f);
    IN_TIMELY.with(|flag| flag.set(before));
    result
}

/// A connection whose loss is noticed: timely's send and receive threads panic when a peer's
/// socket fails, and the stream they own is dropped while unwinding, which records a failure.
/// Without this, workers would wait forever for progress from a dead peer.
struct Watched {
    stream: TcpStream,
    peer: usize,
    failure: Failure,
}

impl Drop for Watched {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.failure.set_lost(format!(
                "the connection to process {} was lost (the process died or the network failed)",
                self.peer
            ));
        }
    }
}

impl io::Read for Watched {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

impl io::Write for Watched {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl Stream for Watched {
    fn try_clone(&self) -> io::Result<Self> {
        Ok(Watched {
            stream: self.stream.try_clone()?,
            peer: self.peer,
            failure: self.failure.clone(),
        })
    }
    fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        self.stream.set_nonblocking(nonblocking)
    }
    fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.stream.shutdown(how)
    }
}

/// This process's end of the network: one allocator per local worker, and the threads moving
/// bytes to and from the other processes.
pub struct Network {
    comms: CommsGuard,
    sockets: Vec<TcpStream>,
}

/// Keeps timely's communication threads (and the thread that joins them) from printing their
/// panics: they panic when a peer's socket fails, which is how a lost process shows, and the
/// loss is already recorded (`Watched`) and handled (the run goes on without it). Every other
/// panic goes to the hook that was set before, unchanged. Installed once per process.
fn quiet_transport_panics() {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            let name = thread.name().unwrap_or("");
            let in_timely = IN_TIMELY.with(std::cell::Cell::get);
            if in_timely || name.starts_with("timely:") || name == CLOSE_THREAD {
                return;
            }
            previous(info);
        }));
    });
}

/// The thread that joins timely's threads after a failure.
const CLOSE_THREAD: &str = "hypernodes-cluster-close";

/// Starts timely's communication threads on connected `sockets`, one per member of the
/// generation (`members`, process indices in timely's order), `None` at this process's
/// `position`.
pub fn network(
    sockets: Vec<Option<TcpStream>>,
    members: &[usize],
    position: usize,
    workers: usize,
    failure: &Failure,
) -> Result<(Vec<TcpBuilder>, Network), String> {
    let mut kept = Vec::new();
    let mut watched = Vec::with_capacity(sockets.len());
    for (socket, &peer) in sockets.into_iter().zip(members) {
        watched.push(match socket {
            Some(stream) => {
                kept.push(stream.try_clone().map_err(|e| e.to_string())?);
                Some(Watched {
                    stream,
                    peer,
                    failure: failure.clone(),
                })
            }
            None => None,
        });
    }
    quiet_transport_panics();
    let hooks = CommunicationHooks::default();
    let local =
        ProcessBuilder::new_typed_vector(workers, hooks.refill.clone(), hooks.spill.clone());
    let (builders, comms) =
        initialize_networking_from_sockets(local, watched, position, workers, hooks)
            .map_err(|e| format!("cannot start the network threads: {e}"))?;
    Ok((
        builders,
        Network {
            comms,
            sockets: kept,
        },
    ))
}

impl Network {
    /// Ends the network threads. After a failure, peers may never close their ends, so the
    /// sockets are shut first and the threads are joined on a thread of their own: the run's
    /// error is returned without waiting on them.
    pub fn close(self, failed: bool) {
        if !failed {
            drop(self.comms);
            return;
        }
        for socket in &self.sockets {
            let _ = socket.shutdown(Shutdown::Both);
        }
        let comms = self.comms;
        let _ = std::thread::Builder::new()
            .name(CLOSE_THREAD.into())
            .spawn(move || {
                drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(
                    || drop(comms),
                )))
            });
    }
}

/// One worker's view of the transport.
pub struct Transport {
    worker: Worker,
    units: Option<Records>,
    results: Option<Records>,
    arrived: Rc<RefCell<VecDeque<Record>>>,
    gathered: Rc<RefCell<Vec<Record>>>,
    units_closed: Rc<Cell<bool>>,
    results_closed: Rc<Cell<bool>>,
    stepped: bool,
    /// Workers in the cluster: a unit's record key is `unit * peers + worker`, so the exchange
    /// routes it (key modulo peers) to the worker the driver chose.
    peers: u64,
    /// A unit taken from this worker's queue is still running elsewhere (the driver's helper
    /// thread): its results are still to be sent.
    running: bool,
}

impl Transport {
    /// The dataflow on a worker made from `builder`, on the thread that will run it.
    pub fn new(builder: TcpBuilder) -> Self {
        let allocator = Allocator::Tcp(builder.build());
        let mut worker = Worker::new(WorkerConfig::default(), allocator, Some(Instant::now()));
        let peers = worker.peers() as u64;
        let (mut units, mut results) = (Records::new(), Records::new());
        let arrived = Rc::new(RefCell::new(VecDeque::new()));
        let gathered = Rc::new(RefCell::new(Vec::new()));
        let (units_closed, results_closed) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
        worker.dataflow::<u64, _, _>(|scope| {
            let (sink, closed) = (Rc::clone(&arrived), Rc::clone(&units_closed));
            scope.input_from(&mut units).sink(
                Exchange::new(move |(unit, _): &Record| *unit % peers),
                "Units",
                move |(input, frontier)| {
                    input.for_each(|_, records| sink.borrow_mut().extend(records.drain(..)));
                    closed.set(frontier.is_empty());
                },
            );
            let (sink, closed) = (Rc::clone(&gathered), Rc::clone(&results_closed));
            scope.input_from(&mut results).sink(
                Exchange::new(|_: &Record| 0),
                "Results",
                move |(input, frontier)| {
                    input.for_each(|_, records| sink.borrow_mut().extend(records.drain(..)));
                    closed.set(frontier.is_empty());
                },
            );
        });
        Transport {
            worker,
            units: Some(units),
            results: Some(results),
            arrived,
            gathered,
            units_closed,
            results_closed,
            stepped: false,
            peers,
            running: false,
        }
    }

    /// Whether this worker feeds the units (process 0's first worker).
    pub fn is_driver(&self) -> bool {
        self.worker.index() == 0
    }

    /// Workers in the cluster, every process's.
    pub fn peers(&self) -> usize {
        self.peers as usize
    }

    /// Sends unit `unit` to worker `worker` (of all the cluster's, in process order).
    pub fn send_unit(&mut self, worker: usize, (unit, bytes): Record) -> Result<(), String> {
        send(&mut self.units, (unit * self.peers + worker as u64, bytes))
    }

    /// No more units will be sent.
    pub fn close_units(&mut self) {
        if self.units.is_some() {
            let _ = quietly(|| {
                self.units = None;
                Ok(())
            });
        }
    }

    /// Sends a unit's results to process 0.
    pub fn send_results(&mut self, record: Record) -> Result<(), String> {
        send(&mut self.results, record)
    }

    /// Whether a unit taken from the queue is still running (its results to come).
    pub fn set_running(&mut self, running: bool) {
        self.running = running;
    }

    /// The next unit this worker should run.
    pub fn next_unit(&mut self) -> Option<Record> {
        let (key, bytes) = self.arrived.borrow_mut().pop_front()?;
        Some((key / self.peers, bytes))
    }

    /// Results gathered since the last call (process 0's first worker only).
    pub fn take_results(&mut self) -> Vec<Record> {
        std::mem::take(&mut *self.gathered.borrow_mut())
    }

    /// Moves records; waits up to `park` when there is nothing to do. Inputs a worker does not
    /// feed are closed after its first step: closing before it loses the close.
    pub fn step(&mut self, park: Option<Duration>) -> Result<(), String> {
        quietly(|| {
            match park {
                Some(park) => self.worker.step_or_park(Some(park)),
                None => self.worker.step(),
            };
            if !self.stepped {
                self.stepped = true;
                if !self.is_driver() {
                    self.units = None;
                }
            }
            if self.units_closed.get() && self.arrived.borrow().is_empty() && !self.running {
                self.results = None;
            }
            Ok(())
        })
    }

    /// Every unit has been run and every result has arrived: the run is over everywhere.
    pub fn finished(&self) -> bool {
        self.results_closed.get()
    }

    /// Closes this worker's end after `outcome`: after a failure, records it for the other
    /// workers and gives up on the dataflow.
    pub fn end(self, outcome: &Result<(), String>, failure: &Failure) {
        match outcome {
            Ok(()) => drop(self),
            Err(reason) => {
                failure.set(reason.clone());
                self.abandon();
            }
        }
    }

    /// Gives up on the run: timely's handles may panic as they close over broken queues.
    fn abandon(self) {
        let _ = quietly(|| {
            drop(self);
            Ok(())
        });
    }

    /// Steps until timely has retired the dataflow, so peers see a clean end.
    pub fn drain(&mut self, failure: &Failure) -> Result<(), String> {
        while self.worker.has_dataflows() {
            if let Some(reason) = failure.reason() {
                return Err(reason);
            }
            quietly(|| Ok(self.worker.step_or_park(Some(Duration::from_millis(1)))))?;
        }
        Ok(())
    }
}

/// Sends `record` on `input`, if it is still open.
fn send(input: &mut Option<Records>, record: Record) -> Result<(), String> {
    quietly(|| {
        if let Some(input) = input {
            input.send(record);
            // A new time closes the previous one, which is what flushes the exchange.
            let next = *input.time() + 1;
            input.advance_to(next);
        }
        Ok(())
    })
}
