//! One node call: panics caught, errors named after the node.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{BoxError, Error};

/// Calls an infallible node; a panic becomes an [`Error`] naming it.
#[inline(always)]
pub fn call_infallible<T>(node: &'static str, call: impl FnOnce() -> T) -> Result<T, Error> {
    // AssertUnwindSafe: after a panic the node's arguments are dropped and the run ends with
    // an error, so no broken invariant is observed afterwards.
    catch_unwind(AssertUnwindSafe(call)).map_err(|payload| Error::panicked(node, payload))
}

/// Calls a node returning a `Result`; `Err` and panics become an [`Error`] naming it.
#[inline(always)]
pub fn call_fallible<R: NodeResult>(
    node: &'static str,
    call: impl FnOnce() -> R,
) -> Result<R::Ok, Error> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(result) => result
            .into_result()
            .map_err(|source| Error::failed(node, source)),
        Err(payload) => Err(Error::panicked(node, payload)),
    }
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
