//! One function node's call on one item, written once here instead of once per node in every
//! pipeline's expansion: the generated statement only names the node, its permit, its cache
//! slot and the call itself, so a pipeline of many nodes stays cheap to type-check.

use std::cell::Cell;

#[cfg(feature = "cache")]
use super::cache_lookup;
use super::hooked::{node_end, node_start};
use super::{DiskCache, Key, KeyBuilder};
use crate::error::Error;
use crate::hooks::{Hooks, Scope};

/// A cached node's store with its typed read and write functions.
pub type CacheSlot<'a, T> = Option<(
    &'a DiskCache,
    fn(&DiskCache, &Key) -> Option<T>,
    fn(&DiskCache, &Key, &T),
)>;

/// Calls `compute` under the permit `enter` gives, naming `node` for a panic and telling the
/// hooks; the permit is released before `NodeEnd`. An error skips `NodeEnd`, as a panic does.
#[inline(always)]
pub fn call_node<T, H: Hooks, P>(
    running: &Cell<&'static str>,
    hooks: &H,
    scope: &Scope<'_>,
    node: &'static str,
    enter: impl FnOnce() -> P,
    compute: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    running.set(node);
    let clock = node_start(hooks, scope, node, 1);
    let permit = enter();
    let value = compute();
    drop(permit);
    let value = value?;
    node_end(hooks, scope, node, 1, clock);
    Ok(value)
}

/// [`call_node`] behind a cache: a hit is the value (and a `CacheHit` event, no call); a miss
/// calls the node and stores its value under `key`. Without a cache or a key, only the call.
#[cfg(feature = "cache")]
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub fn call_cached<T, H: Hooks, P>(
    running: &Cell<&'static str>,
    hooks: &H,
    scope: &Scope<'_>,
    node: &'static str,
    slot: CacheSlot<'_, T>,
    key: &Option<Key>,
    enter: impl FnOnce() -> P,
    compute: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    let (store, get) = match slot {
        Some((store, get, _)) => (Some(store), Some(get)),
        None => (None, None),
    };
    if let Some(hit) = cache_lookup(store, get, key, hooks, scope, node) {
        return Ok(hit);
    }
    let value = call_node(running, hooks, scope, node, enter, compute)?;
    if let (Some((store, _, put)), Some(key)) = (slot, key) {
        put(store, key, &value);
    }
    Ok(value)
}

/// A cached node's key: its code and version, then what `parts` adds for each wired input
/// (`None` when one cannot be encoded: the item is then computed and not stored). `None`
/// without a cache `table`.
#[cfg(feature = "cache")]
#[inline(always)]
pub fn node_key<T>(
    table: Option<&T>,
    code: u64,
    version: u64,
    parts: impl FnOnce(&T, KeyBuilder) -> Option<KeyBuilder>,
) -> Option<Key> {
    parts(table?, Key::builder(code, version)).map(KeyBuilder::finish)
}

/// Without the `cache` feature no pipeline has a cache: only the call. Neither the slot nor
/// the key is looked at, so the code that would fill them is never compiled to machine code.
#[cfg(not(feature = "cache"))]
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub fn call_cached<T, H: Hooks, P>(
    running: &Cell<&'static str>,
    hooks: &H,
    scope: &Scope<'_>,
    node: &'static str,
    _slot: CacheSlot<'_, T>,
    _key: &Option<Key>,
    enter: impl FnOnce() -> P,
    compute: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    call_node(running, hooks, scope, node, enter, compute)
}

/// Without the `cache` feature there is no key: `parts` is never called (nor compiled).
#[cfg(not(feature = "cache"))]
#[inline(always)]
pub fn node_key<T>(
    _table: Option<&T>,
    _code: u64,
    _version: u64,
    _parts: impl FnOnce(&T, KeyBuilder) -> Option<KeyBuilder>,
) -> Option<Key> {
    None
}
