//! The bounds behind a generated pipeline's `map`, and what a builder's factory may return.

use crate::collect::KeepAll;
use crate::engine::Executes;
use crate::error::{BoxError, Error};
use crate::pipeline::Pipeline;
use crate::runner::Runner;

/// `&P` can be mapped on engine `E` over the items of iterator `I`. Generated `map` methods
/// require `for<'a> &'a Self: MapOn<Parallel, I::IntoIter>`: a bound that names a lifetime is
/// checked where `map` is called, so a pipeline whose values cannot cross threads still
/// compiles (and runs on `Sequential`), and only a `map` on `Parallel` reports what is not
/// `Send`.
pub trait MapOn<E, I> {
    /// The pipeline's inputs.
    type Inputs;
    /// The pipeline's outputs.
    type Outputs;
    /// [`Runner::map`].
    fn map_on(self, engine: E, items: I) -> Result<Vec<Self::Outputs>, Error>;
    /// [`Runner::map_results`].
    fn map_results_on(self, engine: E, items: I) -> Vec<Result<Self::Outputs, Error>>;
}

impl<P, E, I> MapOn<E, I> for &P
where
    P: Pipeline,
    E: Executes<P, I> + Executes<P, I, KeepAll<P::Outputs>>,
    I: Iterator<Item = P::Inputs>,
{
    type Inputs = P::Inputs;
    type Outputs = P::Outputs;

    fn map_on(self, engine: E, items: I) -> Result<Vec<P::Outputs>, Error> {
        Runner::new(self, engine).map(items)
    }

    fn map_results_on(self, engine: E, items: I) -> Vec<Result<P::Outputs, Error>> {
        Runner::new(self, engine).map_results(items)
    }
}

/// What a builder's factory may return for a resource of type `T`: `T` itself or a `Result`.
#[diagnostic::on_unimplemented(
    message = "a factory for a `{T}` must return `{T}` or `Result<{T}, E>`, not `{Self}`",
    label = "this factory returns `{Self}`"
)]
pub trait Built<T> {
    /// The resource, or why it could not be built.
    fn into_built(self) -> Result<T, BoxError>;
}

impl<T> Built<T> for T {
    fn into_built(self) -> Result<T, BoxError> {
        Ok(self)
    }
}

impl<T, E: Into<BoxError>> Built<T> for Result<T, E> {
    fn into_built(self) -> Result<T, BoxError> {
        self.map_err(Into::into)
    }
}
