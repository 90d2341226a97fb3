//! Running a pipeline body: node errors and panics become errors that name the node.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{BoxError, Error};
use crate::instances::Place;
use crate::plumbing::limiters::Limiters;

/// What a pipeline body is doing: the node it calls now (named by a panic's error) and the
/// place that call holds in its node's limiter (`max_concurrency`).
///
/// The place lives here, in the frame that runs the whole item, rather than in a guard beside
/// each call: a guard live across every node call gave each call an unwinding path of its own
/// to build (a 50-node release build took 368 ms with guards, 345 ms without,
/// `scripts/compile-time.sh 50 5 release`). However the item ends (a value, an error returned
/// early, a panic), dropping `Running` gives a held place back.
///
/// ```
/// use hypernodes::__private::Running;
/// let running = Running::new();
/// running.set("embed");
/// assert_eq!(running.get(), "embed");
/// ```
pub struct Running<'a> {
    node: Cell<&'static str>,
    held: Cell<Option<Place<'a>>>,
}

impl<'a> Running<'a> {
    /// Nothing running yet.
    pub fn new() -> Self {
        Running {
            node: Cell::new(""),
            held: Cell::new(None),
        }
    }

    /// `node` is called next.
    #[inline(always)]
    pub fn set(&self, node: &'static str) {
        self.node.set(node);
    }

    /// The node called last.
    pub fn get(&self) -> &'static str {
        self.node.get()
    }

    /// Takes a place for the next call in the limiter of the node at `position` in run order
    /// and keeps it until [`Running::release`].
    ///
    /// Only a flag is tested inline, the rest is out of line: most runs limit no node, so the
    /// hot path is one branch, and each of a pipeline's call sites stays small (calls out of
    /// line for every node cost 4 % of W1 on `Sequential`).
    #[inline(always)]
    pub fn hold(&self, limits: &'a Limiters, position: usize) {
        if limits.any() {
            self.hold_place(limits, position);
        }
    }

    #[inline(never)]
    fn hold_place(&self, limits: &'a Limiters, position: usize) {
        // A call that ended early (its error returned with `?`) left its place here: give it
        // back before waiting for another, or a limit of one would wait on itself.
        self.give_back();
        self.held.set(limits.take(position));
    }

    /// Gives the held place back: the call returned.
    #[inline(always)]
    pub fn release(&self) {
        if self.held.get().is_some() {
            self.give_back();
        }
    }

    #[inline(never)]
    fn give_back(&self) {
        if let Some(place) = self.held.take() {
            place.give_back();
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.give_back();
    }
}

impl Default for Running<'_> {
    fn default() -> Self {
        Running::new()
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
