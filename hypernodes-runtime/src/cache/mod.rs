//! Per-node, per-item caching: keys from a node's code and its inputs, values in a
//! content-addressed directory.

mod canonical;
mod disk;
mod key;

pub use canonical::KeyError;
pub use disk::{CacheStats, DiskCache};
pub use key::{Key, KeyBuilder};
