//! What generated code needs to call a nested pipeline: arguments passed owned, borrowed or not
//! at all, a mask of the outputs asked for, and the elements of `map_over`.

use std::marker::PhantomData;

use crate::error::Error;

/// A pipeline input as the generated call receives it: owned (from `run` and `map`), borrowed
/// (broadcast to every element of a nested `map_over`, or read again later by the outer
/// pipeline) or absent (not needed for the outputs asked for). Only borrowed here: a value
/// every inner node borrows needs nothing more, `Clone` included.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` cannot be handed to a nested pipeline as `{T}`",
    label = "passed to a nested pipeline here"
)]
pub trait Arg<T> {
    /// The value, borrowed.
    fn get(&self) -> &T;
}

/// An [`Arg`] that an inner node takes by value: a lent value is cloned for it.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` cannot be handed to a nested pipeline as `{T}`",
    label = "passed to a nested pipeline here",
    note = "a value broadcast to every element of `map_over`, or read again after the nested pipeline, is lent to it; a node inside that takes it by value gets a clone, so it must be `Clone`"
)]
pub trait OwnedArg<T>: Arg<T> {
    /// The value, owned (a clone when it was lent).
    fn owned(self) -> T;
}

impl<T> Arg<T> for T {
    #[inline(always)]
    fn get(&self) -> &T {
        self
    }
}

impl<T> OwnedArg<T> for T {
    #[inline(always)]
    fn owned(self) -> T {
        self
    }
}

impl<T> Arg<T> for &T {
    #[inline(always)]
    fn get(&self) -> &T {
        self
    }
}

impl<T: Clone> OwnedArg<T> for &T {
    #[inline(always)]
    fn owned(self) -> T {
        self.clone()
    }
}

/// An input the outputs asked for do not need: the nested pipeline never reads it.
pub struct Absent<T>(PhantomData<fn() -> T>);

/// An [`Absent`] input.
#[inline(always)]
pub fn absent<T>() -> Absent<T> {
    Absent(PhantomData)
}

impl<T> Arg<T> for Absent<T> {
    fn get(&self) -> &T {
        unreachable!("a nested pipeline read an input its selected outputs do not need")
    }
}

impl<T> OwnedArg<T> for Absent<T> {
    fn owned(self) -> T {
        unreachable!("a nested pipeline read an input its selected outputs do not need")
    }
}

/// Whether a node is needed for the outputs in `mask`: `dependents` are the outputs that need it.
#[inline(always)]
pub const fn needs(mask: u64, dependents: u64) -> bool {
    mask & dependents != 0
}

/// A value computed only for some outputs, in a call that asked for them.
#[inline(always)]
pub fn present<T>(value: Option<T>) -> T {
    match value {
        Some(value) => value,
        None => not_computed(),
    }
}

/// [`present`], borrowed.
#[inline(always)]
pub fn present_ref<T>(value: &Option<T>) -> &T {
    match value {
        Some(value) => value,
        None => not_computed(),
    }
}

/// One shared cold path for [`present`], [`present_ref`] and the `let ... else` of a call that
/// asked for every output: a panic message built at each of a pipeline's many call sites would
/// cost build time for a branch that never runs.
///
/// ```should_panic
/// let Some(value) = None::<u32> else { hypernodes::__private::not_computed() };
/// # let _ = value;
/// ```
#[cold]
#[inline(never)]
pub fn not_computed() -> ! {
    unreachable!("a value needed by the selected outputs was not computed")
}

/// The element count of a zipped `map_over`: every mapped list must be as long as the first.
pub fn zip_len(node: &'static str, names: &[&str], lengths: &[usize]) -> Result<usize, Error> {
    let first = lengths.first().copied().unwrap_or(0);
    if lengths.iter().all(|&len| len == first) {
        return Ok(first);
    }
    let each: Vec<String> = names
        .iter()
        .zip(lengths)
        .map(|(name, len)| format!("`{name}` has {len}"))
        .collect();
    Err(Error::zip_length(
        node,
        format!(
            "`map_over` zips lists of different lengths: {}",
            each.join(", ")
        ),
    ))
}
