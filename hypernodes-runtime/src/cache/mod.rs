//! Per-node, per-item caching: keys from a node's code and its inputs, values in one SQLite
//! file per cache directory, written in batches.

mod batch;
mod canonical;
mod database;
mod directory;
mod disk;
mod entry;
mod key;

pub use canonical::KeyError;
pub use disk::{CacheStats, DiskCache};
pub use key::{Key, KeyBuilder};
