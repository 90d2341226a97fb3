//! Without the `cache` feature: the one name generated code still uses. Each node's key local
//! is typed `Option<Key>` and always `None`; the lookups that would read it are not compiled
//! (`cache_or!`).

/// Stands for a cache key; there is none without the `cache` feature.
#[derive(Clone, Copy)]
pub struct Key;
