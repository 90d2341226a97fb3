//! The SQLite file under a cache directory: one table of entries by key, the bytes they hold in
//! all, a pool of connections (one per thread at a time), and recovery from a damaged file.
//!
//! SQLite because it is the embedded store that many *processes* may share safely (`use_process`
//! workers and cluster processes on one host write one cache): write-ahead logging lets readers
//! go on while one writer commits, a killed writer's transaction is rolled back by the next
//! opener, and a damaged file is reported as an error rather than crashing the reader. redb and
//! fjall lock their file to one process; LMDB trusts its pages without a checksum.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, ErrorCode, OptionalExtension};

use super::batch::Batch;
use super::Key;

/// How long a writer waits for another process's commit before giving its batch up.
const BUSY: Duration = Duration::from_secs(30);

const SCHEMA: &str = "
    PRAGMA auto_vacuum = INCREMENTAL;
    PRAGMA journal_mode = WAL;
    CREATE TABLE IF NOT EXISTS entries (
        key BLOB PRIMARY KEY NOT NULL,
        used INTEGER NOT NULL,
        entry BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS total (
        id INTEGER PRIMARY KEY CHECK (id = 0),
        bytes INTEGER NOT NULL
    );
    INSERT OR IGNORE INTO total VALUES (0, 0);
";

/// What a committed batch did.
pub(super) struct Committed {
    /// Entries that were new (others were already there, written by another process).
    pub inserted: u64,
    /// Bytes held in all after the commit.
    pub total: u64,
}

/// A cache's SQLite file and the connections open on it.
pub(super) struct Database {
    path: PathBuf,
    pool: Mutex<Pool>,
    /// Bumped when the file is replaced: connections to the old file are closed, not pooled.
    generation: AtomicU64,
    /// A read transaction may be open on some connection.
    snapshots: AtomicBool,
}

struct Pool {
    idle: Vec<Open>,
    /// Connections open on the current file, idle or in use.
    connections: usize,
    /// The file the pooled connections have open (device and inode), to notice when another
    /// process replaced a damaged file.
    identity: Option<(u64, u64)>,
}

/// A connection and the read transaction it may hold.
///
/// Lookups share a read transaction for up to [`SNAPSHOT`]: each transaction takes and releases
/// file locks (system calls, and a process-wide mutex in SQLite), which cost more than the
/// lookup itself. The price is that a lookup may miss an entry another process committed in the
/// last [`SNAPSHOT`]: it is computed again, never wrong.
struct Open {
    connection: Connection,
    snapshot: Option<Instant>,
}

/// How long lookups share one read transaction.
const SNAPSHOT: Duration = Duration::from_millis(20);

impl Open {
    fn new(connection: Connection) -> Open {
        Open {
            connection,
            snapshot: None,
        }
    }

    /// Starts a read transaction unless a recent one is open; whether it started one.
    fn read_snapshot(&mut self) -> rusqlite::Result<bool> {
        match self.snapshot {
            Some(since) if since.elapsed() < SNAPSHOT => Ok(false),
            _ => {
                self.end_snapshot()?;
                self.connection.execute_batch("BEGIN")?;
                self.snapshot = Some(Instant::now());
                Ok(true)
            }
        }
    }

    /// Ends the read transaction, if one is open (before a write, or when it grew old).
    fn end_snapshot(&mut self) -> rusqlite::Result<()> {
        self.snapshot = None;
        if self.connection.is_autocommit() {
            return Ok(());
        }
        self.connection.execute_batch("COMMIT")
    }
}

/// A connection taken from the pool, given back when dropped.
struct Pooled<'a> {
    database: &'a Database,
    generation: u64,
    open: Option<Open>,
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        let Some(connection) = self.open.take() else {
            return;
        };
        if self.generation == self.database.generation.load(Ordering::Acquire) {
            self.database.pool().idle.push(connection);
        }
    }
}

impl std::ops::Deref for Pooled<'_> {
    type Target = Open;
    fn deref(&self) -> &Open {
        self.open.as_ref().expect("present until dropped")
    }
}

impl std::ops::DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut Open {
        self.open.as_mut().expect("present until dropped")
    }
}

/// Whether `error` says the file is not a whole database (then it is rebuilt).
pub(super) fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

impl Database {
    /// Opens (creating it if needed) the database in `dir`; a file found damaged is replaced
    /// (then the flag is true).
    pub fn open(dir: &Path) -> rusqlite::Result<(Database, bool)> {
        let database = Database {
            path: dir.join("cache.sqlite"),
            pool: Mutex::new(Pool {
                idle: Vec::new(),
                connections: 0,
                identity: None,
            }),
            generation: AtomicU64::new(0),
            snapshots: AtomicBool::new(false),
        };
        let rebuilt = match database.connect() {
            Ok(connection) => {
                database.pool().idle.push(Open::new(connection));
                false
            }
            Err(error) if is_damage(&error) => {
                database.rebuild()?;
                true
            }
            Err(error) => return Err(error),
        };
        Ok((database, rebuilt))
    }

    fn pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new connection, with the schema in place.
    fn connect(&self) -> rusqlite::Result<Connection> {
        let connection = Connection::open(&self.path)?;
        connection.busy_timeout(BUSY)?;
        // A commit survives the process (not a power cut): enough for values that can always
        // be computed again, and no fsync per batch.
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        // Pages read from the file's mapping rather than one `pread` each.
        connection.pragma_update(None, "mmap_size", 1_i64 << 30)?;
        connection.execute_batch(SCHEMA)?;
        let mut pool = self.pool();
        if pool.identity.is_none() {
            pool.identity = identity(&self.path);
        }
        pool.connections += 1;
        Ok(connection)
    }

    fn connection(&self) -> rusqlite::Result<Pooled<'_>> {
        let generation = self.generation.load(Ordering::Acquire);
        let idle = self.pool().idle.pop();
        let connection = match idle {
            Some(connection) => connection,
            None => Open::new(self.connect()?),
        };
        Ok(Pooled {
            database: self,
            generation,
            open: Some(connection),
        })
    }

    /// Reads `key`'s entry with `read`, if there is one.
    pub fn read<R>(&self, key: &Key, read: impl FnOnce(&[u8]) -> R) -> rusqlite::Result<Option<R>> {
        let mut open = self.connection()?;
        if open.read_snapshot()? {
            self.snapshots.store(true, Ordering::Relaxed);
        }
        let found = open
            .connection
            .prepare_cached("SELECT entry FROM entries WHERE key = ?1")
            .and_then(|mut select| {
                select
                    .query_row([key.as_bytes()], |row| Ok(read(row.get_ref(0)?.as_blob()?)))
                    .optional()
            });
        if found.is_err() {
            let _ = open.end_snapshot();
        }
        found
    }

    /// Commits `batch` in one transaction.
    pub fn write(&self, batch: &Batch, now: i64) -> rusqlite::Result<Committed> {
        let mut open = self.connection()?;
        open.end_snapshot()?;
        let transaction = open
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut delta: i64 = 0;
        let mut inserted = 0;
        {
            let mut remove = transaction.prepare_cached(
                "DELETE FROM entries WHERE key = ?1 RETURNING length(key) + length(entry)",
            )?;
            for key in &batch.removes {
                if let Some(size) = remove
                    .query_row([key.as_bytes()], |row| row.get::<_, i64>(0))
                    .optional()?
                {
                    delta -= size;
                }
            }
            let mut insert = transaction.prepare_cached(
                "INSERT INTO entries (key, used, entry) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO NOTHING",
            )?;
            for (key, entry) in &batch.puts {
                if insert.execute(params![key.as_bytes(), now, entry])? == 1 {
                    inserted += 1;
                    delta += (key.as_bytes().len() + entry.len()) as i64;
                }
            }
            let mut touch = transaction
                .prepare_cached("UPDATE entries SET used = max(used, ?2) WHERE key = ?1")?;
            for (key, used) in &batch.touches {
                touch.execute(params![key.as_bytes(), used])?;
            }
        }
        let total = add_to_total(&transaction, delta)?;
        transaction.commit()?;
        Ok(Committed { inserted, total })
    }

    /// Removes the least recently used entries until at most `target` bytes are left; how many
    /// it removed and the bytes left.
    pub fn evict(&self, target: u64) -> rusqlite::Result<(u64, u64)> {
        let mut open = self.connection()?;
        open.end_snapshot()?;
        let transaction = open
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut total = add_to_total(&transaction, 0)?;
        let mut evicted = 0;
        {
            let mut oldest = transaction
                .prepare("SELECT key, length(key) + length(entry) FROM entries ORDER BY used")?;
            let mut remove = transaction.prepare("DELETE FROM entries WHERE key = ?1")?;
            let mut rows = oldest.query([])?;
            while total > target {
                let Some(row) = rows.next()? else { break };
                remove.execute([row.get_ref(0)?.as_blob()?])?;
                total = total.saturating_sub(row.get::<_, i64>(1)?.max(0) as u64);
                evicted += 1;
            }
        }
        transaction.execute("UPDATE total SET bytes = ?1", [total as i64])?;
        transaction.commit()?;
        // Gives the freed pages back to the file system (the file shrinks with the cache).
        open.connection.execute_batch("PRAGMA incremental_vacuum")?;
        Ok((evicted, total))
    }

    /// Bytes held in all.
    pub fn total(&self) -> rusqlite::Result<u64> {
        let mut open = self.connection()?;
        open.end_snapshot()?;
        open.connection
            .query_row("SELECT bytes FROM total", [], |row| {
                Ok(row.get::<_, i64>(0)?.max(0) as u64)
            })
    }

    /// Ends the read transactions of pooled connections, so none holds an old snapshot (and
    /// keeps the log from being folded into the file) while the cache is not used; whether
    /// some may still be open (on connections in use).
    pub fn end_idle_snapshots(&self) -> bool {
        if !self.snapshots.swap(false, Ordering::Relaxed) {
            return false;
        }
        let mut pool = self.pool();
        for open in &mut pool.idle {
            let _ = open.end_snapshot();
        }
        let in_use = pool.connections > pool.idle.len();
        if in_use {
            self.snapshots.store(true, Ordering::Relaxed);
        }
        in_use
    }

    /// Whether another process replaced the file since this one opened it (then the pool is
    /// emptied, so the next connection opens the new file).
    pub fn follow_replacement(&self) {
        let now = identity(&self.path);
        let mut pool = self.pool();
        if now.is_some() && pool.identity.is_some() && now != pool.identity {
            self.generation.fetch_add(1, Ordering::AcqRel);
            pool.idle.clear();
            pool.connections = 0;
            pool.identity = now;
        }
    }

    /// Replaces a damaged file with an empty database: its entries are lost, never served. Only
    /// the file this process opened is removed; one another process already put in its place
    /// is used as it is.
    pub fn rebuild(&self) -> rusqlite::Result<()> {
        {
            let mut pool = self.pool();
            self.generation.fetch_add(1, Ordering::AcqRel);
            pool.idle.clear();
            pool.connections = 0;
            if pool.identity.is_none() || identity(&self.path) == pool.identity {
                for suffix in ["", "-wal", "-shm"] {
                    let mut path = self.path.clone().into_os_string();
                    path.push(suffix);
                    let _ = std::fs::remove_file(path);
                }
            }
            pool.identity = None;
        }
        let connection = self.connect()?;
        self.pool().idle.push(Open::new(connection));
        Ok(())
    }
}

/// Adds `delta` to the bytes held in all, returning the new total.
fn add_to_total(transaction: &rusqlite::Transaction<'_>, delta: i64) -> rusqlite::Result<u64> {
    transaction.query_row(
        "UPDATE total SET bytes = max(bytes + ?1, 0) RETURNING bytes",
        [delta],
        |row| Ok(row.get::<_, i64>(0)?.max(0) as u64),
    )
}

/// The device and inode of the file at `path`.
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    // Elsewhere a replaced file is not noticed: this process keeps the one it opened.
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).ok().map(|_| (0, 0))
    }
}
