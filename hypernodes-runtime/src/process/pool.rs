//! The parent side: a pool of worker processes for one `use_process` node, started on demand
//! (at most one per place the node may run at once) and kept for the run. A call takes an idle
//! worker, sends the item and waits for its reply; a worker that dies instead fails only that
//! item, and its place is filled by a new process on the next call.

use std::io;
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde::{de::DeserializeOwned, Serialize};

use super::frame::{read_frame, write_frame};
use super::serve::Reply;
use super::{exit_if_unserving_worker, NODE_VAR, SLOT_VAR, SOCKET_VAR, TEST_ENTRY, UNSERVING_EXIT};
use crate::error::Error;

/// How long a new worker process may take to connect back: it starts, reaches
/// `serve_if_worker` first in `main` and connects, in milliseconds; one that has not within
/// this time runs something else and is killed.
const CONNECT_DEADLINE: Duration = Duration::from_secs(10);

/// The worker processes of one `use_process` node during one run; dropping it ends them.
pub struct Processes {
    node: &'static str,
    key: &'static str,
    capacity: usize,
    /// Longest a call may take; past it the worker is killed and the item fails.
    timeout: Option<Duration>,
    pool: Mutex<Pool>,
    available: Condvar,
}

struct Pool {
    idle: Vec<Worker>,
    /// Places without a live worker.
    free: Vec<usize>,
}

/// A live worker process and its connection.
struct Worker {
    child: Child,
    stream: UnixStream,
    slot: usize,
}

impl Processes {
    /// At most `capacity` worker processes serving the node `node`, registered as `key`, each
    /// call bounded by `timeout`.
    pub fn new(
        node: &'static str,
        key: &'static str,
        capacity: usize,
        timeout: Option<Duration>,
    ) -> Self {
        let capacity = capacity.max(1);
        Processes {
            node,
            key,
            capacity,
            timeout,
            pool: Mutex::new(Pool {
                idle: Vec::new(),
                free: (0..capacity).rev().collect(),
            }),
            available: Condvar::new(),
        }
    }

    /// Runs one call of the node in a worker process: `args` out, its value or error back.
    pub fn call<A: Serialize, V: DeserializeOwned>(&self, args: &A) -> Result<V, Error> {
        let request = postcard::to_stdvec(args).map_err(|e| {
            Error::failed(
                self.node,
                format!("cannot encode the item for its worker: {e}").into(),
            )
        })?;
        let mut worker = self.take()?;
        match worker.round_trip(&request, self.timeout) {
            Ok(reply) => {
                self.give_back(worker);
                self.decode(&reply)
            }
            Err(e) => {
                let slot = worker.slot;
                let timed_out = matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                );
                let how = match (timed_out, self.timeout) {
                    (true, Some(limit)) => {
                        worker.kill();
                        format!(
                            "its call did not end within {} ms (`timeout_ms`), so the worker \
                             was killed",
                            limit.as_millis()
                        )
                    }
                    _ => worker.end(),
                };
                self.free(slot);
                Err(Error::worker_died(self.node, how))
            }
        }
    }

    fn decode<V: DeserializeOwned>(&self, reply: &[u8]) -> Result<V, Error> {
        let reply: Reply<V> = postcard::from_bytes(reply).map_err(|e| {
            Error::failed(
                self.node,
                format!("cannot decode its worker's reply: {e}").into(),
            )
        })?;
        let node = self.node;
        match reply {
            Reply::Value(value) => Ok(value),
            Reply::Failed(message) => Err(Error::failed(node, message.into())),
            Reply::Panicked(message) => Err(Error::panicked(node, Box::new(message))),
            Reply::Stateful(message) => Err(Error::failed(
                node,
                format!("could not build its stateful resources in its worker: {message}").into(),
            )),
            Reply::Undecodable(message) => Err(Error::failed(
                node,
                format!("its worker cannot decode the item: {message}").into(),
            )),
        }
    }

    /// An idle worker, a new one if a place is free, or else the next one given back.
    fn take(&self) -> Result<Worker, Error> {
        let mut pool = self.lock();
        loop {
            if let Some(mut worker) = pool.idle.pop() {
                if worker.has_exited() {
                    // Killed while idle: its place is filled anew, and no item pays for it.
                    pool.free.push(worker.slot);
                    let _ = worker.end();
                    continue;
                }
                return Ok(worker);
            }
            if let Some(slot) = pool.free.pop() {
                drop(pool);
                return self.start(slot).inspect_err(|_| self.free(slot));
            }
            pool = self
                .available
                .wait(pool)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn give_back(&self, worker: Worker) {
        self.lock().idle.push(worker);
        self.available.notify_one();
    }

    fn free(&self, slot: usize) {
        self.lock().free.push(slot);
        self.available.notify_one();
    }

    fn lock(&self) -> MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts this binary in worker mode for place `slot` and waits for it to connect.
    fn start(&self, slot: usize) -> Result<Worker, Error> {
        exit_if_unserving_worker();
        let fail = |what: String| Error::worker_died(self.node, what);
        let socket = Socket::new().map_err(|e| fail(format!("cannot open a socket: {e}")))?;
        // The running image, not its path: a rebuild during the run replaces the file.
        let exe = crate::binary::running_binary()
            .map_err(|e| fail(format!("cannot find this program to start it: {e}")))?;
        let mut child = Command::new(exe)
            // A test binary runs only its worker entry; a program's `main` exits in
            // `serve_if_worker` before reading them.
            .args([
                TEST_ENTRY,
                "--exact",
                "--nocapture",
                "--quiet",
                "--test-threads=1",
            ])
            .env(NODE_VAR, self.key)
            .env(SOCKET_VAR, &socket.path)
            .env(SLOT_VAR, format!("{slot}/{}", self.capacity))
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| fail(format!("cannot start a worker process: {e}")))?;
        match socket.accept(&mut child) {
            Ok(stream) => Ok(Worker {
                child,
                stream,
                slot,
            }),
            Err(message) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(fail(message))
            }
        }
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        let pool = self.pool.get_mut().unwrap_or_else(PoisonError::into_inner);
        for worker in pool.idle.drain(..) {
            worker.end();
        }
    }
}

impl Worker {
    /// Sends the item and reads the reply, waiting at most `timeout` for each read of it: a
    /// worker that sends nothing for that long is stuck in the call.
    fn round_trip(&mut self, request: &[u8], timeout: Option<Duration>) -> io::Result<Vec<u8>> {
        write_frame(&mut self.stream, request)?;
        self.stream.set_read_timeout(timeout)?;
        read_frame(&mut self.stream)?.ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
    }

    /// Kills a worker stuck in a call and reaps it.
    fn kill(self) {
        let Worker { mut child, .. } = self;
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Whether the process has ended (and is reaped).
    fn has_exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    /// Closes the connection (a live worker exits on it) and says how the process ended.
    fn end(self) -> String {
        let Worker {
            mut child, stream, ..
        } = self;
        drop(stream);
        match child.wait() {
            Ok(status) => describe(status),
            Err(e) => format!("its end could not be read: {e}"),
        }
    }
}

/// How a process ended, in words.
fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("it exited with code {code}");
    }
    match status.signal() {
        Some(signal) => {
            let name = match signal {
                6 => " (SIGABRT: aborted)",
                9 => " (SIGKILL: killed)",
                11 => " (SIGSEGV: segmentation fault)",
                15 => " (SIGTERM)",
                _ => "",
            };
            format!("it was ended by signal {signal}{name}")
        }
        None => format!("it ended: {status}"),
    }
}

const FORGOT_TO_SERVE: &str = "a program with `use_process` nodes must call \
    `hypernodes::serve_if_worker()` first in `main`, and a test file `hypernodes::test_worker!()` \
    at its root";

/// A listening socket at a path of its own, removed when dropped.
struct Socket {
    listener: UnixListener,
    path: PathBuf,
}

impl Socket {
    fn new() -> io::Result<Self> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "hypernodes-{}-{}.sock",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path)?;
        listener.set_nonblocking(true)?;
        Ok(Socket { listener, path })
    }

    /// The worker's connection, unless it exits first or takes longer than the deadline.
    fn accept(&self, child: &mut Child) -> Result<UnixStream, String> {
        let start = Instant::now();
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    stream
                        .set_nonblocking(false)
                        .map_err(|e| format!("cannot use its connection: {e}"))?;
                    return Ok(stream);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(format!("cannot accept its connection: {e}")),
            }
            if let Ok(Some(status)) = child.try_wait() {
                let ran_main = status.code() == Some(UNSERVING_EXIT);
                return Err(format!(
                    "a new worker process ended before connecting ({}{}): {FORGOT_TO_SERVE}",
                    describe(status),
                    if ran_main {
                        ", after running the program instead of serving"
                    } else {
                        ""
                    }
                ));
            }
            if start.elapsed() > CONNECT_DEADLINE {
                return Err(format!(
                    "a new worker process did not connect within {CONNECT_DEADLINE:?} and was \
                     killed: {FORGOT_TO_SERVE}"
                ));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
