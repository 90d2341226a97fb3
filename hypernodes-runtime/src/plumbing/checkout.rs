//! Taking a stateful instance for one call.

use crate::error::Error;
use crate::instances::{Checkout, Instances};
use crate::stateful::Stateful;

/// Worker `worker`'s instance in `instances`, built with [`Stateful::create`] unless the
/// pipeline was given a factory; a free function so a type missing [`Stateful`] gets that
/// trait's message at the node's token.
#[inline(always)]
pub fn checkout<'a, T: Stateful>(
    instances: &'a Instances<T>,
    worker: usize,
    node: &'static str,
    param: &'static str,
) -> Result<Checkout<'a, T>, Error> {
    instances.checkout(worker, node, param, T::create)
}
