//! Running a pipeline body: node errors and panics become errors that name the node.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{BoxError, Error};
use crate::hooks::{Hooks, NoHooks, Scope};
use crate::instances::Place;
use crate::plumbing::hooked::{node_end, node_start, Clock};
use crate::plumbing::limiters::Limiters;

/// What a pipeline body is doing: the node it calls now (named by a panic's error), the place
/// that call holds in its node's limiter (`max_concurrency`) and when it started (for hooks).
///
/// Each plain node call is framed by [`NodeCalls::enter`] and [`NodeCalls::leave`]. Enter is
/// one call, out of line, that records the node's name and takes a place in the node's limiter
/// when `limited`, a flag fixed when the item starts (whether any node has a limit). Hooks are
/// told only when the hooks type listens: `H::ACTIVE` is known when the body is compiled, so
/// a run without hooks has no trace of them, and leave is then empty.
///
/// What the call sites hold is what the optimizer pays for, once per node and again at each
/// level the body is inlined into:
/// - a flag covering hooks and limits tested on both sides of each call, with the hook calls
///   out of line behind it, took LLVM 200–230 ms of work for a 50-node body in a release
///   build, against about 150 ms with one branch on `limited` and no hook code
///   (`rustc -Zself-profile`, optimize + emit + LTO; see docs/performance.md);
/// - that branch, inline, cost rustc more than the unconditional call that replaced it: a
///   call is one instruction in a straight line, a branch splits the body's control flow at
///   every node: 1,485 M against 1,355 M instructions for a 50-node release rebuild
///   (`scripts/compile-instructions.sh 50 release`); storing the name in that call rather
///   than inline took 15 M more off (1,310 -> 1,295 M).
///
/// A call's place is given back when the next call of the item enters, or when the item ends,
/// rather than when it returns: the limit still bounds the calls in progress (a worker gives
/// its place back before it calls again), a place is only kept a little longer (while the
/// item's values move and the next node's cache key is looked up), and leave needs no test.
///
/// The place lives here, in the frame that runs the whole item, rather than in a guard beside
/// each call: a guard live across every node call gave each call an unwinding path of its own
/// to build. However the item ends (a value, an error returned early, a panic), dropping
/// `Running` gives a held place back.
///
/// ```
/// use hypernodes::__private::{Limiters, NoHooks, Running, Scope};
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "y")]
/// fn embed(x: &u64) -> u64 { x * 2 }
/// pipeline! { Embedding = [embed] }
///
/// let limits = Limiters::new(&Embedding::new().plan());
/// let running = Running::new(&limits);
/// running.set("embed");
/// assert_eq!(running.get(), "embed");
/// ```
pub struct Running<'a> {
    node: Cell<&'static str>,
    held: Cell<Option<Place<'a>>>,
    clock: Cell<Clock>,
    limits: &'a Limiters,
    limited: bool,
}

impl<'a> Running<'a> {
    /// Nothing running yet, for an item whose nodes wait on `limits`.
    #[inline(always)]
    pub fn new(limits: &'a Limiters) -> Self {
        Running {
            node: Cell::new(""),
            held: Cell::new(None),
            clock: Cell::new(Clock::start::<NoHooks>()),
            limits,
            limited: limits.any(),
        }
    }

    /// `node` is called next: under panics, the node to name.
    #[inline(always)]
    pub fn set(&self, node: &'static str) {
        self.node.set(node);
    }

    /// The node called last.
    pub fn get(&self) -> &'static str {
        self.node.get()
    }

    // Out of line, once per hooks type rather than at each of a pipeline's call sites.
    #[inline(never)]
    fn start<H: Hooks>(&self, hooks: &H, scope: &Scope<'_>, node: &'static str) {
        self.clock.set(node_start(hooks, scope, node, 1));
    }

    // Out of line and unconditional at the call site, compiled once in this crate: see the
    // type's documentation.
    #[inline(never)]
    fn hold(&self, node: &'static str, position: usize) {
        self.node.set(node);
        if self.limited {
            // The previous call's place first, or a limit of one would wait on itself.
            self.give_back();
            self.held.set(self.limits.take(position));
        }
    }

    // Out of line, once per hooks type rather than at each of a pipeline's call sites.
    #[inline(never)]
    fn end<H: Hooks>(&self, hooks: &H, scope: &Scope<'_>) {
        node_end(hooks, scope, self.node.get(), 1, self.clock.get());
    }

    fn give_back(&self) {
        if let Some(place) = self.held.take() {
            place.give_back();
        }
    }
}

/// The plain node calls of one body (or of one item of a column step): [`Running`] with the
/// hooks to tell and the scope to tell them in, bound once, so that each call site passes
/// only the node's name and position.
///
/// Every argument at a call site is paid for in every phase of the build, once per node:
/// passing the hooks and the scope at each call, with `enter` and `leave` generic methods of
/// `Running` inlined into the body, cost a 50-node release rebuild 1,065 M instructions
/// against 1,037 M with this type (`scripts/compile-instructions.sh 50 release`). Both its
/// methods are out of line: `enter` is a jump to the non-generic `hold` without hooks, and
/// `leave` is then empty, so the optimizer deletes its calls.
///
/// ```
/// use hypernodes::__private::{Limiters, NoHooks, NodeCalls, Running, Scope};
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "y")]
/// fn embed(x: &u64) -> u64 { x * 2 }
/// pipeline! { Embedding = [embed] }
///
/// let limits = Limiters::new(&Embedding::new().plan());
/// let running = Running::new(&limits);
/// let scope = Scope::root("example");
/// let calls = NodeCalls::new(&running, &NoHooks, &scope);
/// calls.enter("embed", 0);
/// assert_eq!(running.get(), "embed");
/// calls.leave();
/// ```
pub struct NodeCalls<'c, 'a, H> {
    running: &'c Running<'a>,
    hooks: &'c H,
    scope: &'c Scope<'c>,
}

impl<'c, 'a, H: Hooks> NodeCalls<'c, 'a, H> {
    /// The calls of a body that `running` follows, told to `hooks` under `scope`.
    #[inline(always)]
    pub fn new(running: &'c Running<'a>, hooks: &'c H, scope: &'c Scope<'c>) -> Self {
        NodeCalls {
            running,
            hooks,
            scope,
        }
    }

    /// `node`, at `position` in run order, is called next: named under panics, `NodeStart`
    /// told, a place taken in its limiter and kept until the next call enters or the item ends.
    #[inline(never)]
    pub fn enter(&self, node: &'static str, position: usize) {
        if H::ACTIVE {
            // Named first, so that a panic while `NodeStart` is told names this node.
            self.running.node.set(node);
            self.running.start(self.hooks, self.scope, node);
        }
        self.running.hold(node, position);
    }

    /// The call of the node entered last returned: `NodeEnd` told. Its place is given back by
    /// the next [`NodeCalls::enter`] or when the item ends.
    #[inline(never)]
    pub fn leave(&self) {
        if H::ACTIVE {
            self.running.end(self.hooks, self.scope);
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.give_back();
    }
}

/// Runs a generated pipeline body; a panic becomes an [`Error`] naming the node that was running.
///
/// One `catch_unwind` per run rather than per node: the body records the running node in
/// `running` (a plain store) before each call, which keeps generated code small.
#[inline(always)]
pub fn run_catching<T>(
    running: &Running<'_>,
    body: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    // AssertUnwindSafe: after a panic the body's values are dropped and the run ends with an
    // error, so no broken invariant is observed afterwards.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => Err(Error::panicked(running.get(), payload)),
    }
}

/// A fallible node's return value, with `Err` turned into an [`Error`] naming the node.
#[inline(always)]
pub fn node_result<R: NodeResult>(node: &'static str, result: R) -> Result<R::Ok, Error> {
    result
        .into_result()
        .map_err(|source| Error::failed(node, source))
}

/// What a fallible node may return: a `Result` whose error converts into [`BoxError`].
#[diagnostic::on_unimplemented(
    message = "a node returning `{Self}` must return `Result<T, E>` with an error type convertible into `hypernodes::BoxError`",
    label = "this node's return type is named `Result` but is not usable as one",
    note = "any `E: std::error::Error + Send + Sync + 'static` works, and so do `String` and `&'static str`"
)]
pub trait NodeResult {
    /// The success value.
    type Ok;
    /// Converts into a result with a boxed error.
    fn into_result(self) -> Result<Self::Ok, BoxError>;
}

impl<T, E: Into<BoxError>> NodeResult for Result<T, E> {
    type Ok = T;
    #[inline(always)]
    fn into_result(self) -> Result<T, BoxError> {
        self.map_err(Into::into)
    }
}

/// Two independent nodes of one item run side by side on the thread pool (a pipeline's
/// `concurrent_nodes`); more than two nest (`join(a, || join(b, c))`).
///
/// ```
/// use hypernodes::__private::join;
/// let (a, (b, c)) = join(|| 1, || join(|| 2, || 3));
/// assert_eq!((a, b, c), (1, 2, 3));
/// ```
#[inline]
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    rayon::join(a, b)
}
