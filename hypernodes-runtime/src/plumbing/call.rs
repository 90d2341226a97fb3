//! Running a pipeline body: node errors and panics become errors that name the node.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{BoxError, Error};

/// Runs a generated pipeline body; a panic becomes an [`Error`] naming the node that was running.
///
/// One `catch_unwind` per run rather than per node: the body records the running node in
/// `running` (a plain store) before each call, which keeps generated code small.
#[inline(always)]
pub fn run_catching<T>(
    running: &Cell<&'static str>,
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
