//! What generated code needs for batch nodes and for running nodes one at a time.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::Error;

/// Runs one node call with its own panic guard (the per-item path has one guard per item).
#[inline]
pub fn catching<T>(
    node: &'static str,
    call: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(call))
        .unwrap_or_else(|payload| Err(Error::panicked(node, payload)))
}

/// A batch node's values for a batch of `expected` items: exactly one per item.
#[inline]
pub fn batch_values<T>(
    node: &'static str,
    expected: usize,
    values: Vec<T>,
) -> Result<Vec<T>, Error> {
    if values.len() == expected {
        Ok(values)
    } else {
        Err(Error::batch_length(node, expected, values.len()))
    }
}

/// A batch node called on one item (in `run`): its single value.
#[inline]
pub fn single_value<T>(node: &'static str, values: Vec<T>) -> Result<T, Error> {
    let mut values = batch_values(node, 1, values)?;
    Ok(values.pop().expect("checked: one value"))
}
