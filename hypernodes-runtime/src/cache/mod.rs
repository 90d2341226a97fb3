//! Per-node, per-item caching: keys from a node's code and its inputs, values appended to
//! segment files in batches, indexed in memory. The crate docs' *Caching* section says what is
//! keyed and what each guarantee is.
//!
//! ```
//! use hypernodes::cache::DiskCache;
//! use hypernodes::{node, pipeline};
//!
//! #[node(output = "cleaned")]
//! fn clean(text: String) -> String { text.trim().to_lowercase() }
//! pipeline! { Clean = [clean] }
//!
//! let dir = std::env::temp_dir().join(format!("hypernodes-doc-module-{}", std::process::id()));
//! let p = Clean::new().with_cache(DiskCache::open(&dir)?);
//! let items = || ["  A ", " b"].map(|t| CleanInputs { text: t.into() });
//! p.map(items())?;
//! p.map(items())?; // served from the cache
//! assert_eq!(p.cache().unwrap().stats().hits, 2);
//! # drop(p);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod cache_key;
mod canonical;
mod directory;
mod disk;
mod entry;
mod index;
mod key;
mod key_writer;
mod log;

pub use cache_key::CacheKey;
pub use canonical::KeyError;
#[cfg(feature = "cluster")]
pub(crate) use directory::flush_all;
pub use disk::{CacheStats, DiskCache};
/// Derives [`CacheKey`](trait@CacheKey): every field, with its name, joins the key.
pub use hypernodes_macros::CacheKey;
pub use key::{Key, KeyBuilder};
pub use key_writer::{Elements, Fields, KeyWriter};
