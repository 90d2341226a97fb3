//! One cache directory open in this process: its database, the writes waiting to be committed
//! and the thread that commits them. Every `DiskCache` handle on the directory shares it, so a
//! value one handle wrote is read by all of them at once.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;

use super::batch::{Batch, Buffers};
use super::database::{is_damage, Database};
use super::entry::{self, Read};
use super::Key;

/// How long a written entry may wait for others to share its commit. A process killed in that
/// time loses those entries (they are computed again next time), nothing else.
pub(super) const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// How often the committing thread ends read transactions left open on idle connections.
const IDLE_SNAPSHOTS: Duration = Duration::from_millis(100);

/// Past this many bytes waiting, writers commit themselves rather than outrun the disk.
pub(super) const MAX_WAITING: usize = 64 << 20;

/// The directories open in this process, each with its number of handles.
static OPEN: Mutex<Vec<(PathBuf, Arc<Directory>, usize)>> = Mutex::new(Vec::new());

fn open_directories() -> MutexGuard<'static, Vec<(PathBuf, Arc<Directory>, usize)>> {
    OPEN.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(super) struct Directory {
    database: Database,
    buffers: Mutex<Buffers>,
    /// Wakes the committing thread: a first write is waiting, a batch is full, the store was
    /// found damaged, or the last handle is gone.
    wake: Condvar,
    /// One commit at a time in this process, so `flush` returns only after what was waiting is
    /// committed, including a batch the committing thread had already taken.
    writing: Mutex<()>,
    closed: AtomicBool,
    /// A reader found the store file damaged: the next commit rebuilds it first.
    damaged: AtomicBool,
    /// The size cap in bytes; 0 for none.
    max_bytes: AtomicU64,
    committer: Mutex<Option<JoinHandle<()>>>,
    /// Entries committed, evicted, and store files found damaged and rebuilt.
    pub writes: AtomicU64,
    pub evicted: AtomicU64,
    pub rebuilds: AtomicU64,
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
        let (database, rebuilt) = Database::open(&dir).map_err(io::Error::other)?;
        let directory = Arc::new(Directory {
            database,
            buffers: Mutex::default(),
            wake: Condvar::new(),
            writing: Mutex::new(()),
            closed: AtomicBool::new(false),
            damaged: AtomicBool::new(false),
            max_bytes: AtomicU64::new(0),
            committer: Mutex::new(None),
            writes: AtomicU64::new(0),
            evicted: AtomicU64::new(0),
            rebuilds: AtomicU64::new(u64::from(rebuilt)),
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
        if self.database.total().is_ok_and(|total| total > max_bytes) {
            let _ = self.evict();
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
        let (full, waiting) = (buffers.filling.is_full(), buffers.filling.bytes);
        drop(buffers);
        if first || full {
            self.wake.notify_one();
        }
        waiting
    }

    /// `key`'s entry: waiting to be committed, or in the store. A store that cannot be read is
    /// a miss; one found damaged is rebuilt by the next commit.
    pub fn read<T: DeserializeOwned>(&self, key: &Key) -> Read<T> {
        let waiting = self.buffers().entry(key, |bytes| entry::decode(key, bytes));
        if let Some(read) = waiting {
            return read;
        }
        match self.database.read(key, |bytes| entry::decode(key, bytes)) {
            Ok(Some(read)) => read,
            Ok(None) => Read::Missing,
            Err(error) => {
                if is_damage(&error) {
                    self.damaged.store(true, Ordering::Relaxed);
                    self.wake.notify_one();
                }
                Read::Missing
            }
        }
    }

    /// The committing thread: commits each batch once it is full or [`FLUSH_EVERY`] old, and
    /// what is left when the last handle is gone.
    fn commit_until_closed(&self) {
        loop {
            let closed = {
                let mut buffers = self.buffers();
                let mut reading = true;
                while buffers.filling.is_empty() && !self.is_closed_or_damaged() {
                    // While lookups may hold read transactions, end the idle ones now and then.
                    if reading {
                        let (guard, waited) = self
                            .wake
                            .wait_timeout(buffers, IDLE_SNAPSHOTS)
                            .unwrap_or_else(PoisonError::into_inner);
                        buffers = guard;
                        if waited.timed_out() {
                            reading = self.database.end_idle_snapshots();
                        }
                    } else {
                        buffers = self
                            .wake
                            .wait(buffers)
                            .unwrap_or_else(PoisonError::into_inner);
                        reading = true;
                    }
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

    fn is_closed_or_damaged(&self) -> bool {
        self.closed.load(Ordering::Acquire) || self.damaged.load(Ordering::Relaxed)
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
        self.buffers().committing = None;
        self.database.end_idle_snapshots();
        committed
    }

    fn commit(&self, batch: &Batch) -> io::Result<()> {
        self.database.follow_replacement();
        if self.damaged.swap(false, Ordering::Relaxed) {
            self.rebuild()?;
        }
        if batch.is_empty() {
            return Ok(());
        }
        let committed = match self.database.write(batch, now()) {
            Err(error) if is_damage(&error) => {
                self.rebuild()?;
                self.database.write(batch, now())
            }
            committed => committed,
        }
        .map_err(io::Error::other)?;
        add(&self.writes, committed.inserted);
        let max = self.max_bytes();
        if max > 0 && committed.total > max {
            self.evict()?;
        }
        Ok(())
    }

    /// Replaces a damaged store file with an empty one.
    fn rebuild(&self) -> io::Result<()> {
        add(&self.rebuilds, 1);
        self.database.rebuild().map_err(io::Error::other)
    }

    /// Removes the least recently used entries until the cache holds at most 90 % of its cap
    /// (so eviction does not run again at the very next commit).
    fn evict(&self) -> io::Result<()> {
        let max = self.max_bytes();
        let (evicted, _left) = self
            .database
            .evict(max - max / 10)
            .map_err(io::Error::other)?;
        add(&self.evicted, evicted);
        Ok(())
    }

    /// Bytes held in the store, keys and entries.
    #[cfg(test)]
    pub fn total(&self) -> u64 {
        self.database.total().unwrap()
    }
}

/// Microseconds since the epoch: when an entry was last used.
pub(super) fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}
