//! Where each entry lies, in memory: a map from key to segment and offset, split in shards so
//! threads looking up different keys do not contend for one lock.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use super::Key;

const SHARDS: usize = 64;

/// Open file descriptions per segment. Threads reading through one contend for its reference
/// count in the kernel (`fdget`: a tenth of a warm lookup on two threads, measured); each
/// thread reads through the one its number picks.
pub(super) const HANDLES: usize = 4;

/// A segment file open for reading.
pub(super) struct SegmentFile {
    pub files: Vec<File>,
    /// Creation time from its name (microseconds since the epoch).
    pub created: u64,
    /// False once the segment is evicted or gone: its entries are misses.
    pub live: AtomicBool,
}

impl SegmentFile {
    /// The handle this thread reads through.
    pub fn file(&self) -> &File {
        thread_local! {
            static HANDLE: usize = {
                static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                NEXT.fetch_add(1, Ordering::Relaxed)
            };
        }
        let at = HANDLE.with(|handle| *handle) % self.files.len();
        &self.files[at]
    }
}

/// Where an entry lies.
#[derive(Clone)]
pub(super) struct Location {
    pub segment: Arc<SegmentFile>,
    pub offset: u64,
    pub len: u32,
}

/// Keys are blake3 hashes already: their first bytes are as good a hash as any.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }
}

type Shard = HashMap<Key, Location, BuildHasherDefault<KeyHasher>>;

/// Key → location, in shards.
pub(super) struct Index {
    shards: Vec<Padded>,
}

/// A shard on cache lines of its own: two threads taking neighbouring shards' locks would
/// otherwise pass one line back and forth (measured: a third of a lookup's time).
#[repr(align(128))]
#[derive(Default)]
struct Padded(RwLock<Shard>);

impl Default for Index {
    fn default() -> Index {
        Index {
            shards: (0..SHARDS).map(|_| Padded::default()).collect(),
        }
    }
}

impl Index {
    fn shard(&self, key: &Key) -> &RwLock<Shard> {
        // The last byte picks the shard; the map hashes the first ones.
        &self.shards[usize::from(key.as_bytes()[31]) % SHARDS].0
    }

    /// Reads `key`'s entry bytes with `read` while its location is held (no reference count
    /// is touched on the way, so threads reading one segment do not contend).
    pub fn read<R>(&self, key: &Key, read: impl FnOnce(&Location) -> R) -> Option<R> {
        let shard = self
            .shard(key)
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let location = shard.get(key)?;
        if !location.segment.live.load(Ordering::Relaxed) {
            return None;
        }
        Some(read(location))
    }

    pub fn insert(&self, key: Key, location: Location) {
        let mut shard = self
            .shard(&key)
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        shard.insert(key, location);
    }

    pub fn remove(&self, key: &Key) {
        let mut shard = self
            .shard(key)
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        shard.remove(key);
    }

    /// Drops the entries of segments no longer live; how many.
    pub fn drop_dead(&self) -> u64 {
        let mut dropped = 0;
        for shard in &self.shards {
            let mut shard = shard.0.write().unwrap_or_else(PoisonError::into_inner);
            let before = shard.len();
            shard.retain(|_, location| location.segment.live.load(Ordering::Relaxed));
            dropped += (before - shard.len()) as u64;
        }
        dropped
    }
}

/// Reads exactly `buf.len()` bytes at `at`.
pub(super) fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match read_at(file, buf, at) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                at += n as u64;
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// A positioned read: threads share one open file without a shared cursor.
#[cfg(unix)]
pub(super) fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
pub(super) fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}
