//! Per-node, per-item caching: keys from a node's code and its inputs, values appended to
//! segment files in batches, indexed in memory.

mod batch;
mod canonical;
mod directory;
mod disk;
mod entry;
mod index;
mod key;
mod log;

pub use canonical::KeyError;
#[cfg(feature = "cluster")]
pub(crate) use directory::flush_all;
pub use disk::{CacheStats, DiskCache};
pub use key::{Key, KeyBuilder};
