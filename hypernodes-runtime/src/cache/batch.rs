//! Writes waiting to be committed together: one `write` per batch instead of a file per entry
//! is what makes a cache of many small entries cheap.

use std::collections::HashMap;
use std::sync::Arc;

use super::Key;

/// New entries, by key.
#[derive(Default)]
pub(super) struct Batch {
    /// Entries' bytes (see `entry`).
    pub puts: HashMap<Key, Vec<u8>>,
    /// Bytes of `puts`.
    pub bytes: usize,
}

/// A batch past this many entries or bytes is committed at once rather than after the flush
/// interval.
const FULL_ENTRIES: usize = 8192;
const FULL_BYTES: usize = 8 << 20;

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.puts.is_empty()
    }

    pub fn is_full(&self) -> bool {
        self.puts.len() >= FULL_ENTRIES || self.bytes >= FULL_BYTES
    }

    fn entry(&self, key: &Key) -> Option<&[u8]> {
        // A warm run writes nothing: no hashing of the key into an empty map.
        if self.puts.is_empty() {
            return None;
        }
        self.puts.get(key).map(Vec::as_slice)
    }

    pub fn put(&mut self, key: Key, entry: Vec<u8>) {
        self.bytes += entry.len();
        if let Some(old) = self.puts.insert(key, entry) {
            self.bytes -= old.len();
        }
    }
}

/// The batch being filled and the one being committed: a reader finds an entry in either before
/// it reaches the database, so nothing written is ever missed by the process that wrote it.
#[derive(Default)]
pub(super) struct Buffers {
    pub filling: Batch,
    pub committing: Option<Arc<Batch>>,
}

impl Buffers {
    /// The bytes of `key`'s entry if it waits in a batch.
    pub fn entry<R>(&self, key: &Key, read: impl FnOnce(&[u8]) -> R) -> Option<R> {
        self.filling
            .entry(key)
            .or_else(|| self.committing.as_deref()?.entry(key))
            .map(read)
    }
}
