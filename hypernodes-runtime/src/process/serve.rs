//! The worker side: a process started in worker mode finds its node's serving code in the
//! registry `#[node]` fills, connects back to its parent and answers items until the parent
//! closes the connection.

use std::os::unix::net::UnixStream;
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use super::frame::{read_frame, write_frame};
use super::{Isolated, NODE_VAR, SLOT_VAR, SOCKET_VAR};
use crate::error::{panic_message, BoxError};
use crate::stateful::WorkerContext;

/// A `use_process` node's serving code, registered by `#[node]`.
pub struct WorkerEntry {
    /// The node's `Isolated::KEY`.
    pub key: &'static str,
    /// Answers items on the connection until it closes.
    pub serve: fn(UnixStream, WorkerContext),
}

inventory::collect!(WorkerEntry);

/// A worker's answer to one item.
#[derive(Serialize, Deserialize)]
pub enum Reply<V> {
    /// The node's value.
    Value(V),
    /// The node returned `Err`, shown as text.
    Failed(String),
    /// The node panicked with this message.
    Panicked(String),
    /// The node's stateful resources could not be built in the worker.
    Stateful(String),
    /// The item could not be decoded.
    Undecodable(String),
}

/// Serves a `use_process` node when this process was started as one of its workers, then
/// exits; returns at once otherwise. Call it first thing in `main` of a program whose
/// pipelines have `use_process` nodes (test binaries use [`test_worker!`](crate::test_worker)):
/// worker processes are the program started again, and must not run `main` itself.
///
/// ```
/// // First thing in `main`:
/// hypernodes::serve_if_worker();
/// // ... then the program, its pipelines with `use_process` nodes ...
/// ```
pub fn serve_if_worker() {
    let Ok(key) = std::env::var(NODE_VAR) else {
        return;
    };
    let code = match serve(&key) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("hypernodes worker for node key `{key}`: {message}");
            2
        }
    };
    std::process::exit(code);
}

/// Ends this process if it was started as a worker but runs the program instead of serving
/// (its `main` forgot [`serve_if_worker`]): were it to start workers of its own, each would do
/// the same, without end. Its parent reports the exit with the fix.
pub fn exit_if_unserving_worker() {
    let Ok(key) = std::env::var(NODE_VAR) else {
        return;
    };
    eprintln!(
        "hypernodes: this process was started as a worker of a `use_process` node (key `{key}`) \
         but ran the program instead of serving it, and would start workers of its own: call \
         `hypernodes::serve_if_worker()` first in `main` (in a test file, put \
         `hypernodes::test_worker!();` at its root). It exits now."
    );
    std::process::exit(UNSERVING_EXIT);
}

/// The exit code of a worker copy that ran the program instead of serving.
pub const UNSERVING_EXIT: i32 = 86;

fn serve(key: &str) -> Result<(), String> {
    let entry = inventory::iter::<WorkerEntry>
        .into_iter()
        .find(|entry| entry.key == key)
        .ok_or("no `use_process` node with this key in this binary")?;
    let socket = std::env::var(SOCKET_VAR).map_err(|_| format!("{SOCKET_VAR} is not set"))?;
    let stream = UnixStream::connect(&socket)
        .map_err(|e| format!("cannot connect to the parent at {socket}: {e}"))?;
    die_with_parent();
    (entry.serve)(stream, slot());
    Ok(())
}

/// Ends this worker when its parent is gone, even while a call hangs: a parent killed with
/// `kill -9` cannot end its workers, which would otherwise run on, reparented, for ever. The
/// parent's death is seen as a change of parent process id, checked every 100 ms by a thread
/// of its own (portable, and without the unsafe `prctl(PR_SET_PDEATHSIG)`).
fn die_with_parent() {
    let parent = std::os::unix::process::parent_id();
    let watch = move || loop {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if std::os::unix::process::parent_id() != parent {
            std::process::exit(PARENT_GONE_EXIT);
        }
    };
    // Without the thread the worker still ends when its connection closes between calls.
    let _ = std::thread::Builder::new()
        .name("hypernodes-parent-watch".into())
        .spawn(watch);
}

/// The exit code of a worker whose parent died.
const PARENT_GONE_EXIT: i32 = 87;

/// The worker's context from its slot in the pool (`index/count`).
fn slot() -> WorkerContext {
    let slot = std::env::var(SLOT_VAR).unwrap_or_default();
    let mut parts = slot.split('/').map(|part| part.parse::<usize>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(index), Some(count)) => WorkerContext::new(index, count, Vec::new()),
        _ => WorkerContext::single(),
    }
}

/// The serving loop of node `N`: decodes each item's arguments, builds the stateful resources
/// `S` once (on the first item), calls the node and sends back its `Reply`.
pub fn serve_node<N: Isolated, S>(
    mut stream: UnixStream,
    ctx: WorkerContext,
    build: fn(&WorkerContext) -> Result<S, BoxError>,
    call: fn(N::Args, &mut S) -> Result<N::Value, BoxError>,
) {
    let mut state: Option<S> = None;
    while let Ok(Some(request)) = read_frame(&mut stream) {
        let reply = answer(&request, &ctx, &mut state, build, call);
        let Ok(bytes) = postcard::to_stdvec(&reply) else {
            return;
        };
        if write_frame(&mut stream, &bytes).is_err() {
            return;
        }
    }
}

fn answer<A: DeserializeOwned, S, V>(
    request: &[u8],
    ctx: &WorkerContext,
    state: &mut Option<S>,
    build: fn(&WorkerContext) -> Result<S, BoxError>,
    call: fn(A, &mut S) -> Result<V, BoxError>,
) -> Reply<V> {
    let args: A = match postcard::from_bytes(request) {
        Ok(args) => args,
        Err(e) => return Reply::Undecodable(e.to_string()),
    };
    // AssertUnwindSafe: as in-process, a panic leaves the state whole (the node only had
    // `&`/`&mut` access between its own statements), so it is kept for the next item.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if state.is_none() {
            match build(ctx) {
                Ok(built) => *state = Some(built),
                Err(error) => return Reply::Stateful(error.to_string()),
            }
        }
        match call(args, state.as_mut().expect("built above")) {
            Ok(value) => Reply::Value(value),
            Err(error) => Reply::Failed(error.to_string()),
        }
    }));
    outcome.unwrap_or_else(|payload| Reply::Panicked(panic_message(payload)))
}
