//! What generated code needs to cache node values: per-type encoders chosen where the cache is
//! given (`with_cache`), so only pipelines that use a cache need serde on their values.

use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::cache::{CacheKey, DiskCache, Key, KeyBuilder};

use crate::hooks::{Event, Hooks, Scope};

/// A value of type `T` of cached node `N`, kept in store `S`. Generated code requires
/// `Slot<S, T, N>: CacheValue<T>` only in `with_cache::<S>`: a bound on the method's own type
/// parameter is checked where it is called, so pipelines without a cache never need serde.
pub struct Slot<S, T, N>(PhantomData<Marker<S, T, N>>);

/// Owns no `S`, `T` or `N`: `Slot` is `Send`, `Sync` and `Copy`-free of them.
type Marker<S, T, N> = fn() -> (S, T, N);

/// A cache store `with_cache` accepts.
pub trait Store {
    /// The store itself.
    fn into_disk_cache(self) -> DiskCache;
}

impl Store for DiskCache {
    fn into_disk_cache(self) -> DiskCache {
        self
    }
}

/// How a cached node's value is stored and read.
#[diagnostic::on_unimplemented(
    message = "a cached node's values must implement serde's `Serialize` and `Deserialize`: `{T}` does not",
    label = "a cache is given here",
    note = "`{Self}` names the node; derive `serde::Serialize` and `serde::Deserialize` for `{T}`, or keep the node out of the cache with `#[node(cache = false)]`"
)]
pub trait CacheValue<T> {
    /// The value stored under `key`.
    fn get(store: &DiskCache, key: &Key) -> Option<T>;
    /// Stores `value` under `key` (a failed write only loses the entry).
    fn put(store: &DiskCache, key: &Key, value: &T);
}

/// How a value a cached node reads joins its key: only [`CacheKey`] is needed, as the key
/// hashes the whole value and never reads it back.
#[diagnostic::on_unimplemented(
    message = "a cached node's inputs must implement `CacheKey` to be hashed into its key: `{T}` does not",
    label = "a cache is given here",
    note = "`{Self}` names the node; derive `hypernodes::cache::CacheKey` for `{T}`, or keep the node out of the cache with `#[node(cache = false)]`"
)]
pub trait KeyPart<T> {
    /// Adds `value` to a key (`None` when it cannot be encoded: then the item is not cached).
    fn hash(key: KeyBuilder, value: &T) -> Option<KeyBuilder>;
}

impl<T: Serialize + DeserializeOwned, N> CacheValue<T> for Slot<DiskCache, T, N> {
    fn get(store: &DiskCache, key: &Key) -> Option<T> {
        store.get(key)
    }
    fn put(store: &DiskCache, key: &Key, value: &T) {
        let _ = store.put(key, value);
    }
}

impl<T: CacheKey, N> KeyPart<T> for Slot<DiskCache, T, N> {
    fn hash(key: KeyBuilder, value: &T) -> Option<KeyBuilder> {
        key.value(value).ok()
    }
}

/// A pipeline that can run with a cache of type `S`: implemented by generated code, with every
/// cached node's values (and nested pipelines) required to be cacheable in `S`.
#[diagnostic::on_unimplemented(
    message = "pipeline `{Self}` cannot run with a cache",
    label = "a cache is given here",
    note = "every value of a cached node must implement serde's `Serialize` and `Deserialize`; nodes marked `#[node(cache = false)]` are exempt"
)]
pub trait Cacheable<S> {
    /// Gives this pipeline (and its nested pipelines) the cache `store`.
    fn set_cache(&mut self, store: &Arc<DiskCache>);
}

/// Reads a cached node's value, telling the hooks of a hit.
#[inline]
pub fn cache_lookup<T, H: Hooks>(
    store: Option<&DiskCache>,
    get: Option<fn(&DiskCache, &Key) -> Option<T>>,
    key: &Option<Key>,
    hooks: &H,
    scope: &Scope<'_>,
    node: &'static str,
) -> Option<T> {
    let (Some(store), Some(get), Some(key)) = (store, get, key) else {
        return None;
    };
    let value = get(store, key)?;
    if H::ACTIVE {
        crate::plumbing::hooked::tell(hooks, scope, &Event::CacheHit { scope, node });
    }
    Some(value)
}
