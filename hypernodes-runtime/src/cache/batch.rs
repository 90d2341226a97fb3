//! Writes waiting to be committed together: one `write` per batch instead of a file per entry
//! is what makes a cache of many small entries cheap.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use super::index::KeyHasher;
use super::Key;

/// Bytes before a record's entry: its length (`u32` LE, counting key and entry) and its key.
pub(super) const RECORD_HEAD: usize = 4 + 32;

/// New entries, framed as the records they will be appended as: a commit writes `records` as
/// it is, and no entry has an allocation of its own (workers allocating and the committing
/// thread freeing contended for the allocator's lock).
#[derive(Default)]
pub(super) struct Batch {
    /// `[length][key][entry]` records.
    pub records: Vec<u8>,
    /// Where each key's entry lies in `records`: offset and length (the last put wins).
    pub entries: HashMap<Key, (usize, usize), BuildHasherDefault<KeyHasher>>,
}

/// A batch past this many entries or bytes is committed at once rather than after the flush
/// interval.
const FULL_ENTRIES: usize = 8192;
const FULL_BYTES: usize = 8 << 20;

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn is_full(&self) -> bool {
        self.entries.len() >= FULL_ENTRIES || self.records.len() >= FULL_BYTES
    }

    /// Bytes waiting.
    pub fn bytes(&self) -> usize {
        self.records.len()
    }

    fn entry(&self, key: &Key) -> Option<&[u8]> {
        // A warm run writes nothing: no hashing of the key into an empty map.
        if self.entries.is_empty() {
            return None;
        }
        let &(at, len) = self.entries.get(key)?;
        Some(&self.records[at..at + len])
    }

    pub fn put(&mut self, key: Key, entry: &[u8]) {
        let length = (32 + entry.len()) as u32;
        self.records.extend_from_slice(&length.to_le_bytes());
        self.records.extend_from_slice(key.as_bytes());
        self.entries.insert(key, (self.records.len(), entry.len()));
        self.records.extend_from_slice(entry);
    }
}

/// The batch being filled and the one being committed: a reader finds an entry in either before
/// it reaches the log, so nothing written is ever missed by the process that wrote it.
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
