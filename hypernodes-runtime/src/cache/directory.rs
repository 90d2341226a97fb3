//! One cache directory open in this process: its log of segments, the writes waiting to be
//! committed and the thread that commits them. Every `DiskCache` handle on the directory shares it, so a
//! value one handle wrote is read by all of them at once.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::batch::{Batch, Buffers};
use super::entry::{self, Read};
use super::log::{now_micros, Log, SEGMENT_BYTES};
use super::Key;

/// How long a written entry may wait for others to share its commit. A process killed in that
/// time loses those entries (they are computed again next time), nothing else.
pub(super) const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// Past this many bytes waiting, writers commit themselves rather than outrun the disk.
pub(super) const MAX_WAITING: usize = 64 << 20;

/// The directories open in this process, each with its number of handles.
static OPEN: Mutex<Vec<(PathBuf, Arc<Directory>, usize)>> = Mutex::new(Vec::new());

fn open_directories() -> MutexGuard<'static, Vec<(PathBuf, Arc<Directory>, usize)>> {
    OPEN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Commits what waits in every cache directory open in this process: for code that ends the
/// process without dropping its caches (a cluster process once its run is served).
#[cfg(feature = "cluster")]
pub(crate) fn flush_all() {
    let open: Vec<Arc<Directory>> = open_directories()
        .iter()
        .map(|(_, directory, _)| Arc::clone(directory))
        .collect();
    for directory in open {
        let _ = directory.flush();
    }
}

pub(super) struct Directory {
    log: Log,
    buffers: Mutex<Buffers>,
    /// Wakes the committing thread: a first write is waiting, a batch is full, or the last
    /// handle is gone.
    wake: Condvar,
    /// One commit at a time in this process, so `flush` returns only after what was waiting is
    /// committed, including a batch the committing thread had already taken.
    writing: Mutex<()>,
    closed: AtomicBool,
    /// Some entry waits in `buffers` (so a warm run's lookups skip their lock).
    waiting: AtomicBool,
    /// The size cap in bytes; 0 for none.
    max_bytes: AtomicU64,
    /// In a capped cache, a hit in a segment made before this time (microseconds since the
    /// epoch) is copied forward: halfway between the oldest segment and the last eviction.
    old_before: AtomicU64,
    committer: Mutex<Option<JoinHandle<()>>>,
    /// Entries committed.
    pub writes: AtomicU64,
}

pub(super) fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

impl Directory {
    /// The directory `dir` (created if needed), shared with the handles already open on it.
    pub fn open(dir: &Path) -> io::Result<Arc<Directory>> {
        std::fs::create_dir_all(dir)?;
        let dir = dir.canonicalize()?;
        let mut open = open_directories();
        if let Some((_, directory, handles)) = open.iter_mut().find(|(path, ..)| *path == dir) {
            *handles += 1;
            return Ok(Arc::clone(directory));
        }
        let directory = Arc::new(Directory {
            log: Log::open(&dir)?,
            buffers: Mutex::default(),
            wake: Condvar::new(),
            writing: Mutex::new(()),
            closed: AtomicBool::new(false),
            waiting: AtomicBool::new(false),
            max_bytes: AtomicU64::new(0),
            old_before: AtomicU64::new(0),
            committer: Mutex::new(None),
            writes: AtomicU64::new(0),
        });
        let committer = std::thread::Builder::new()
            .name("hypernodes-cache".into())
            .spawn({
                let directory = Arc::clone(&directory);
                move || directory.commit_until_closed()
            })?;
        *directory
            .committer
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(committer);
        open.push((dir, Arc::clone(&directory), 1));
        Ok(directory)
    }

    /// A handle is gone: the last one commits what waits and stops the committing thread.
    pub fn release(self: &Arc<Self>) {
        {
            let mut open = open_directories();
            let Some(at) = open.iter().position(|(_, d, _)| Arc::ptr_eq(d, self)) else {
                return;
            };
            open[at].2 -= 1;
            if open[at].2 > 0 {
                return;
            }
            open.swap_remove(at);
        }
        {
            let _buffers = self.buffers();
            self.closed.store(true, Ordering::Release);
        }
        self.wake.notify_all();
        let committer = self
            .committer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(committer) = committer {
            let _ = committer.join();
        }
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes.load(Ordering::Relaxed)
    }

    /// Sets the size cap, evicting at once if the store is over it.
    pub fn set_max_bytes(&self, max_bytes: u64) {
        self.max_bytes.store(max_bytes.max(1), Ordering::Relaxed);
        self.age(self.log.oldest());
        if self.log.total() > max_bytes {
            let _ = self.evict();
        }
    }

    /// Entries dropped with evicted segments.
    pub fn evicted(&self) -> u64 {
        self.log.evicted.load(Ordering::Relaxed)
    }

    /// Segments found damaged.
    pub fn damaged(&self) -> u64 {
        self.log.damaged.load(Ordering::Relaxed)
    }

    /// Hits in segments older than halfway from `oldest` to now are copied forward.
    fn age(&self, oldest: u64) {
        let now = now_micros();
        self.old_before
            .store(oldest + now.saturating_sub(oldest) / 2, Ordering::Relaxed);
    }

    /// How big this process's segments grow: small against a cap, so eviction is fine-grained.
    fn segment_bytes(&self) -> u64 {
        match self.max_bytes() {
            0 => SEGMENT_BYTES,
            max => (max / 16).clamp(1, SEGMENT_BYTES),
        }
    }

    fn buffers(&self) -> MutexGuard<'_, Buffers> {
        self.buffers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds to the batch being filled, waking the committing thread for the batch's first write
    /// or when it is full; the bytes now waiting.
    pub fn queue(&self, write: impl FnOnce(&mut Batch)) -> usize {
        let mut buffers = self.buffers();
        let first = buffers.filling.is_empty();
        write(&mut buffers.filling);
        self.waiting.store(true, Ordering::Relaxed);
        let (full, waiting) = (buffers.filling.is_full(), buffers.filling.bytes());
        drop(buffers);
        if first || full {
            self.wake.notify_one();
        }
        waiting
    }

    /// `key`'s entry: waiting to be committed, or in the log. A damaged entry is forgotten
    /// (then written again); in a capped cache, a hit in an old segment is copied forward.
    pub fn read<T: DeserializeOwned>(&self, key: &Key) -> Read<T> {
        // A thread sees its own writes' flag; another may see it late and read the log, where
        // a miss costs a computation, never a wrong value.
        if self.waiting.load(Ordering::Relaxed) {
            let waiting = self.buffers().entry(key, |bytes| entry::decode(key, bytes));
            if let Some(read) = waiting {
                return read;
            }
        }
        let capped = self.max_bytes() > 0;
        let old_before = if capped {
            self.old_before.load(Ordering::Relaxed)
        } else {
            0
        };
        let Some(found) = self.log.read(key, old_before) else {
            return Read::Missing;
        };
        let read = entry::decode(key, &found.bytes);
        match read {
            Read::Value(_) if found.old => {
                self.queue(|batch| batch.put(*key, &found.bytes));
            }
            Read::Damaged => self.log.forget(key),
            _ => {}
        }
        read
    }

    /// The committing thread: commits each batch once it is full or [`FLUSH_EVERY`] old, and
    /// what is left when the last handle is gone.
    fn commit_until_closed(&self) {
        loop {
            let closed = {
                let mut buffers = self.buffers();
                while buffers.filling.is_empty() && !self.closed.load(Ordering::Acquire) {
                    buffers = self
                        .wake
                        .wait(buffers)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                if !buffers.filling.is_full() && !self.closed.load(Ordering::Acquire) {
                    buffers = self
                        .wake
                        .wait_timeout(buffers, FLUSH_EVERY)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
                drop(buffers);
                self.closed.load(Ordering::Acquire)
            };
            // A failed commit loses its batch: those values are computed again when needed.
            let _ = self.flush();
            if closed {
                return;
            }
        }
    }

    /// Commits what waits, in the calling thread.
    pub fn flush(&self) -> io::Result<()> {
        let _one_commit = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let batch = {
            let mut buffers = self.buffers();
            let batch = Arc::new(std::mem::take(&mut buffers.filling));
            buffers.committing = Some(Arc::clone(&batch));
            batch
        };
        let committed = self.commit(&batch);
        let mut buffers = self.buffers();
        buffers.committing = None;
        if buffers.filling.is_empty() {
            self.waiting.store(false, Ordering::Relaxed);
        }
        committed
    }

    fn commit(&self, batch: &Batch) -> io::Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let written = self.log.write(batch, self.segment_bytes())?;
        add(&self.writes, written);
        let max = self.max_bytes();
        if max > 0 {
            if self.log.total() > max {
                self.evict()?;
            } else {
                self.age(self.log.oldest());
            }
        }
        Ok(())
    }

    /// Removes the oldest segments until the cache holds at most 90 % of its cap (so eviction
    /// does not run again at the very next commit).
    fn evict(&self) -> io::Result<()> {
        let max = self.max_bytes();
        let oldest = self.log.evict(max - max / 10)?;
        self.age(oldest);
        Ok(())
    }

    /// Bytes held in the log's segments.
    #[cfg(test)]
    pub fn total(&self) -> u64 {
        self.log.total()
    }
}
