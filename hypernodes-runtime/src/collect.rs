//! How per-item results are gathered: stop at the first error (`map`) or keep every outcome
//! (`map_results`). Engines fill one collector per unit of work and join them in input order.

use crate::error::Error;

/// Gathers the results of one unit of work, then joins units in input order.
pub trait Collect<O>: Sized {
    /// What the whole run returns.
    type Output;
    /// An empty collector for a unit of `capacity` items.
    fn with_capacity(capacity: usize) -> Self;
    /// Adds the next item's result; `false` asks the engine to stop the run.
    fn push(&mut self, result: Result<O, Error>) -> bool;
    /// Joins the units, given in input order.
    fn join(units: Vec<Self>) -> Self::Output;
}

/// Keeps outputs until the first error, then stops: `map`.
pub struct FailFast<O> {
    outputs: Vec<O>,
    error: Option<Error>,
}

impl<O> Collect<O> for FailFast<O> {
    type Output = Result<Vec<O>, Error>;

    fn with_capacity(capacity: usize) -> Self {
        FailFast {
            outputs: Vec::with_capacity(capacity),
            error: None,
        }
    }

    #[inline]
    fn push(&mut self, result: Result<O, Error>) -> bool {
        match result {
            Ok(output) => {
                self.outputs.push(output);
                true
            }
            Err(error) => {
                self.error = Some(error);
                false
            }
        }
    }

    fn join(units: Vec<Self>) -> Self::Output {
        let mut units = units.into_iter();
        let Some(first) = units.next() else {
            return Ok(Vec::new());
        };
        if let Some(error) = first.error {
            return Err(error);
        }
        let mut outputs = first.outputs;
        for unit in units {
            if let Some(error) = unit.error {
                return Err(error);
            }
            outputs.extend(unit.outputs);
        }
        Ok(outputs)
    }
}

/// Keeps every item's outcome: `map_results`.
pub struct KeepAll<O>(Vec<Result<O, Error>>);

impl<O> Collect<O> for KeepAll<O> {
    type Output = Vec<Result<O, Error>>;

    fn with_capacity(capacity: usize) -> Self {
        KeepAll(Vec::with_capacity(capacity))
    }

    #[inline]
    fn push(&mut self, result: Result<O, Error>) -> bool {
        self.0.push(result);
        true
    }

    fn join(units: Vec<Self>) -> Self::Output {
        let mut units = units.into_iter();
        let mut all = units.next().map(|unit| unit.0).unwrap_or_default();
        for unit in units {
            all.extend(unit.0);
        }
        all
    }
}
