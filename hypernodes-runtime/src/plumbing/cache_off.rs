//! Without the `cache` feature: the names generated code uses, doing nothing. A pipeline's
//! cache table is then never built (there is no `with_cache`), so none of this runs.

use crate::hooks::{Hooks, Scope};

/// Stands for the cache store; there is none without the `cache` feature.
pub enum DiskCache {}

/// Stands for a cache key.
#[derive(Clone, Copy)]
pub struct Key;

/// Stands for a cache key being built.
pub struct KeyBuilder;

impl Key {
    /// A key builder that builds nothing.
    pub fn builder(_code: u64, _version: u64) -> KeyBuilder {
        KeyBuilder
    }
}

impl KeyBuilder {
    /// Nothing to add.
    pub fn upstream(self, _key: &Key) -> Self {
        self
    }
    /// Nothing to build.
    pub fn finish(self) -> Key {
        Key
    }
}

/// Never a hit.
#[inline(always)]
pub fn cache_lookup<T, H: Hooks>(
    _store: Option<&DiskCache>,
    _get: Option<fn(&DiskCache, &Key) -> Option<T>>,
    _key: &Option<Key>,
    _hooks: &H,
    _scope: &Scope<'_>,
    _node: &'static str,
) -> Option<T> {
    None
}
