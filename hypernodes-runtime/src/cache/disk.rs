//! The on-disk store: one file per key under `objects/ab/cdef…`, written to a temporary file
//! beside it and renamed into place (atomic on one file system, so readers in any thread or process see a whole entry
//! or none), each entry checked by its own hash, least recently used entries evicted past a size
//! cap.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Key;

/// Entry header: magic and format version, payload length, hash of key and payload.
const MAGIC: &[u8; 4] = b"HNC\x02";
const HEADER: usize = 4 + 8 + 32;

/// A temporary file untouched for this long belongs to a writer that was killed: writers write
/// an entry in one call and rename it at once, so a live one is seconds old at most.
const STALE_TEMP: Duration = Duration::from_secs(600);

/// A content-addressed cache directory, safe to share between threads and processes.
///
/// ```
/// use hypernodes::cache::{DiskCache, Key};
///
/// let dir = std::env::temp_dir().join(format!("hypernodes-doc-{}", std::process::id()));
/// let cache = DiskCache::open(dir.path())?;
/// let key = Key::builder(1, 0).value(&"input").unwrap().finish();
/// assert_eq!(cache.get::<Option<u32>>(&key), None);
/// cache.put(&key, &None::<u32>)?;                       // `None` is a value like any other
/// assert_eq!(cache.get::<Option<u32>>(&key), Some(None));
/// assert_eq!((cache.stats().hits, cache.stats().misses), (1, 1));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct DiskCache {
    dir: PathBuf,
    max_bytes: Option<u64>,
    /// Bytes in `objects/` as this process knows them (other processes add theirs; eviction
    /// scans the directory, so the cap holds for all of them).
    bytes: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
    writes: AtomicU64,
    corrupt: AtomicU64,
    evicted: AtomicU64,
    /// One eviction scan at a time in this process.
    evicting: Mutex<()>,
}

/// What a cache has done since it was opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups that found a whole, valid entry.
    pub hits: u64,
    /// Lookups that found none (including corrupted entries, which count here too).
    pub misses: u64,
    /// Entries written.
    pub writes: u64,
    /// Entries found damaged (truncated, altered): removed and recomputed.
    pub corrupt: u64,
    /// Entries evicted to keep under the size cap.
    pub evicted: u64,
}

impl DiskCache {
    /// Opens (creating it if needed) the cache directory `dir`, without a size cap.
    pub fn open(dir: impl AsRef<Path>) -> io::Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        fs::create_dir_all(dir.join("objects"))?;
        let bytes = scan(&dir)?.total();
        Ok(DiskCache {
            dir,
            max_bytes: None,
            bytes: AtomicU64::new(bytes),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            writes: AtomicU64::new(0),
            corrupt: AtomicU64::new(0),
            evicted: AtomicU64::new(0),
            evicting: Mutex::new(()),
        })
    }

    /// Keeps the entries under `max_bytes` in all, evicting the least recently used first.
    ///
    /// A cache found over the cap shrinks at once. Should that fail (a read-only directory),
    /// the next write tries again and reports the error.
    pub fn max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = Some(max_bytes);
        if self.bytes.load(Ordering::Relaxed) > max_bytes {
            let _ = self.evict();
        }
        self
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the cache has done so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
            corrupt: self.corrupt.load(Ordering::Relaxed),
            evicted: self.evicted.load(Ordering::Relaxed),
        }
    }

    fn path(&self, key: &Key) -> PathBuf {
        let hex = key.to_string();
        self.dir.join("objects").join(&hex[..2]).join(&hex[2..])
    }

    /// The value stored under `key`, if a whole and valid entry is there. A damaged entry (or
    /// one stored under another key) is removed and reported as a miss, so the value is
    /// computed and stored again. Anything but a regular file at the entry's place is a miss.
    pub fn get<T: DeserializeOwned>(&self, key: &Key) -> Option<T> {
        let path = self.path(key);
        let value = read_regular(&path).and_then(|bytes| match decode(key, &bytes) {
            Some(value) => Some(value),
            None => {
                self.corrupt.fetch_add(1, Ordering::Relaxed);
                let _ = fs::remove_file(&path);
                None
            }
        });
        match &value {
            Some(_) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                // Recently used: eviction goes by modification time (only a capped cache evicts).
                let _ = self.max_bytes.is_some().then(|| {
                    fs::File::options()
                        .append(true)
                        .open(&path)
                        .and_then(|f| f.set_modified(SystemTime::now()))
                });
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
            }
        }
        value
    }

    /// Stores `value` under `key`: written to a temporary file, then renamed into place.
    pub fn put<T: Serialize + ?Sized>(&self, key: &Key, value: &T) -> io::Result<()> {
        let payload = postcard::to_stdvec(value).map_err(io::Error::other)?;
        let path = self.path(key);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        // The temporary file sits beside its final place: the rename stays in one directory,
        // and writers of different keys do not contend for one directory.
        let temp = path.with_file_name(format!(".tmp-{}", unique_name()));
        let mut entry = Vec::with_capacity(HEADER + payload.len());
        entry.extend_from_slice(MAGIC);
        entry.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        entry.extend_from_slice(checksum(key, &payload).as_bytes());
        entry.extend_from_slice(&payload);
        let written = fs::write(&temp, &entry).and_then(|()| fs::rename(&temp, &path));
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written?;
        self.writes.fetch_add(1, Ordering::Relaxed);
        let size = (HEADER + payload.len()) as u64;
        let total = self.bytes.fetch_add(size, Ordering::Relaxed) + size;
        if self.max_bytes.is_some_and(|max| total > max) {
            self.evict()?;
        }
        Ok(())
    }

    /// Removes the least recently used entries until the cache holds at most 90 % of its cap
    /// (so eviction does not run again at the very next write).
    fn evict(&self) -> io::Result<()> {
        let Some(max) = self.max_bytes else {
            return Ok(());
        };
        let _one_at_a_time = self.evicting.lock().unwrap_or_else(PoisonError::into_inner);
        let scan = scan(&self.dir)?;
        let mut total = scan.total();
        let mut all = scan.entries;
        all.sort_by_key(|e| e.used);
        let target = max - max / 10;
        for entry in all {
            if total <= target {
                break;
            }
            if fs::remove_file(&entry.path).is_ok() {
                total -= entry.bytes;
                self.evicted.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.bytes.store(total, Ordering::Relaxed);
        Ok(())
    }
}

/// What an entry's header holds to prove it: the key is hashed with the payload, so an entry
/// moved to another key's place (a restore, a sync tool) is damaged there, not a wrong value.
fn checksum(key: &Key, payload: &[u8]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(key.as_bytes());
    hasher.update(payload);
    hasher.finalize()
}

/// The value of `key`'s entry bytes, if they are whole, unaltered and stored for that key.
fn decode<T: DeserializeOwned>(key: &Key, bytes: &[u8]) -> Option<T> {
    let (header, payload) = bytes.split_at_checked(HEADER)?;
    let (magic, rest) = header.split_at(4);
    let (length, hash) = rest.split_at(8);
    let length = u64::from_le_bytes(length.try_into().ok()?);
    if magic != MAGIC || length != payload.len() as u64 || hash != checksum(key, payload).as_bytes()
    {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

/// The bytes of the regular file at `path`; `None` for anything else. Opened without blocking,
/// so a FIFO put there is a miss rather than a hang (on regular files the flag does nothing).
fn read_regular(path: &Path) -> Option<Vec<u8>> {
    let mut options = fs::File::options();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let mut file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    io::Read::read_to_end(&mut file, &mut bytes).ok()?;
    Some(bytes)
}

/// A name no other writer, thread or process, uses at the same time.
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}-{:?}-{count}-{nanos}",
        std::process::id(),
        std::thread::current().id()
    )
    .replace(['(', ')'], "")
}

/// Removes a temporary file a killed writer left, once it is [`STALE_TEMP`] old (a live
/// writer's file is left alone); whether it was removed.
fn remove_if_stale(path: &Path, meta: &fs::Metadata) -> io::Result<bool> {
    let modified = meta.modified()?;
    let age = SystemTime::now()
        .duration_since(modified)
        .unwrap_or_default();
    if age <= STALE_TEMP {
        return Ok(false);
    }
    fs::remove_file(path)?;
    Ok(true)
}

struct Entry {
    path: PathBuf,
    bytes: u64,
    used: SystemTime,
}

/// What `objects/` holds.
struct Scan {
    entries: Vec<Entry>,
    /// Bytes of temporary files being written, or left by writers killed less than
    /// [`STALE_TEMP`] ago: they count against the cap, but only their writer may remove them.
    temporary: u64,
}

impl Scan {
    fn total(&self) -> u64 {
        self.entries.iter().map(|e| e.bytes).sum::<u64>() + self.temporary
    }
}

/// Every entry under `objects/`; temporary files left by killed writers are removed on the way.
fn scan(dir: &Path) -> io::Result<Scan> {
    let mut all = Vec::new();
    let mut temporary = 0;
    for shard in fs::read_dir(dir.join("objects"))? {
        let shard = shard?;
        if !shard.file_type()?.is_dir() {
            continue;
        }
        for file in fs::read_dir(shard.path())? {
            let Ok(file) = file else { continue };
            let Ok(meta) = file.metadata() else { continue };
            if file.file_name().to_string_lossy().starts_with(".tmp-") {
                if !remove_if_stale(&file.path(), &meta).unwrap_or(false) {
                    temporary += meta.len();
                }
                continue;
            }
            all.push(Entry {
                path: file.path(),
                bytes: meta.len(),
                used: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            });
        }
    }
    Ok(Scan {
        entries: all,
        temporary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Removed when the test ends, passed or not.
    fn temp_dir(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("hn-cache-{name}-"))
            .tempdir()
            .unwrap()
    }

    fn key(n: u32) -> Key {
        Key::builder(7, 0).value(&n).unwrap().finish()
    }

    #[test]
    fn unit_none_and_values_round_trip() {
        let dir = temp_dir("roundtrip");
        let cache = DiskCache::open(dir.path()).unwrap();
        cache.put(&key(1), &()).unwrap();
        cache.put(&key(2), &None::<String>).unwrap();
        cache.put(&key(3), &vec!["a".to_owned()]).unwrap();
        assert_eq!(cache.get::<()>(&key(1)), Some(()));
        assert_eq!(cache.get::<Option<String>>(&key(2)), Some(None));
        assert_eq!(
            cache.get::<Vec<String>>(&key(3)),
            Some(vec!["a".to_owned()])
        );
        assert_eq!(cache.stats().hits, 3);
    }

    #[test]
    fn a_truncated_or_altered_entry_is_a_miss_and_is_removed() {
        let dir = temp_dir("corrupt");
        let cache = DiskCache::open(dir.path()).unwrap();
        cache.put(&key(1), &"hello".to_owned()).unwrap();
        cache.put(&key(2), &"world".to_owned()).unwrap();
        let (one, two) = (cache.path(&key(1)), cache.path(&key(2)));
        let bytes = fs::read(&one).unwrap();
        fs::write(&one, &bytes[..bytes.len() - 2]).unwrap(); // truncated
        let mut bytes = fs::read(&two).unwrap();
        *bytes.last_mut().unwrap() ^= 0xff; // one bit pattern changed
        fs::write(&two, &bytes).unwrap();
        assert_eq!(cache.get::<String>(&key(1)), None);
        assert_eq!(cache.get::<String>(&key(2)), None);
        assert!(!one.exists() && !two.exists());
        assert_eq!((cache.stats().corrupt, cache.stats().misses), (2, 2));
        cache.put(&key(1), &"hello".to_owned()).unwrap();
        assert_eq!(cache.get::<String>(&key(1)).as_deref(), Some("hello"));
    }

    #[test]
    fn an_entry_moved_to_another_keys_place_is_a_miss_there() {
        let dir = temp_dir("swapped");
        let cache = DiskCache::open(dir.path()).unwrap();
        cache.put(&key(1), &"one".to_owned()).unwrap();
        cache.put(&key(2), &"two".to_owned()).unwrap();
        let (one, two) = (cache.path(&key(1)), cache.path(&key(2)));
        let (first, second) = (fs::read(&one).unwrap(), fs::read(&two).unwrap());
        fs::write(&one, second).unwrap();
        fs::write(&two, first).unwrap();
        assert_eq!(cache.get::<String>(&key(1)), None);
        assert_eq!(cache.get::<String>(&key(2)), None);
        assert_eq!((cache.stats().corrupt, cache.stats().hits), (2, 0));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_at_an_entrys_place_is_a_miss_not_a_hang() {
        let dir = temp_dir("fifo");
        let cache = DiskCache::open(dir.path()).unwrap();
        let path = cache.path(&key(1));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(made.unwrap().success());
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| sender.send(cache.get::<String>(&key(1))).unwrap());
            let got = receiver.recv_timeout(std::time::Duration::from_secs(5));
            if got.is_err() {
                // Unblock the reader so the test ends, then fail.
                let _ = fs::write(&path, b"");
            }
            assert_eq!(got.expect("reading a FIFO entry hung"), None);
        });
        cache.put(&key(1), &"value".to_owned()).unwrap();
        assert_eq!(cache.get::<String>(&key(1)).as_deref(), Some("value"));
    }

    #[test]
    fn temporary_files_of_killed_writers_are_removed_and_live_ones_counted() {
        let dir = temp_dir("temps");
        let cache = DiskCache::open(dir.path()).unwrap();
        cache.put(&key(1), &"value".to_owned()).unwrap();
        let shard = cache.path(&key(1)).parent().unwrap().to_path_buf();
        let stale = shard.join(".tmp-1-ThreadId1-0-0");
        let live = shard.join(".tmp-2-ThreadId1-0-0");
        fs::write(&stale, vec![0u8; 1000]).unwrap();
        fs::write(&live, vec![0u8; 500]).unwrap();
        let long_ago = SystemTime::now() - STALE_TEMP - Duration::from_secs(60);
        fs::File::options()
            .append(true)
            .open(&stale)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        let reopened = DiskCache::open(dir.path()).unwrap();
        assert!(!stale.exists(), "a killed writer's file is removed");
        assert!(live.exists(), "a live writer's file is left alone");
        let entry = fs::metadata(cache.path(&key(1))).unwrap().len();
        assert_eq!(reopened.bytes.load(Ordering::Relaxed), entry + 500);
    }

    #[test]
    fn a_cache_opened_over_its_cap_shrinks_at_once() {
        let dir = temp_dir("shrinks");
        let cache = DiskCache::open(dir.path()).unwrap();
        for n in 0..10 {
            cache.put(&key(n), &vec![7u8; 99]).unwrap();
        }
        let entry = (HEADER + 100) as u64;
        let capped = DiskCache::open(dir.path()).unwrap().max_bytes(entry * 5);
        let left = scan(dir.path()).unwrap().total();
        assert!(
            left <= entry * 5,
            "{left} bytes left over a cap of {}",
            entry * 5
        );
        assert_eq!(capped.stats().evicted, 10 - left / entry);
    }

    #[test]
    fn past_its_cap_the_least_recently_used_entries_go() {
        let entry = (HEADER + 100) as u64;
        let dir = temp_dir("lru");
        let cache = DiskCache::open(dir.path()).unwrap().max_bytes(entry * 5);
        let value = vec![7u8; 99]; // 1 length byte + 99
        for n in 0..5 {
            cache.put(&key(n), &value).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(15));
        }
        // Touch the oldest: it is now the most recently used.
        assert!(cache.get::<Vec<u8>>(&key(0)).is_some());
        std::thread::sleep(std::time::Duration::from_millis(15));
        cache.put(&key(5), &value).unwrap();
        let kept: Vec<u32> = (0..6).filter(|&n| cache.path(&key(n)).exists()).collect();
        assert!(kept.contains(&0) && kept.contains(&5), "kept {kept:?}");
        assert!(!kept.contains(&1), "kept {kept:?}");
        assert!(kept.len() as u64 * entry <= entry * 5);
        assert!(cache.stats().evicted >= 1);
    }

    #[test]
    fn many_threads_write_and_read_the_same_keys() {
        let dir = temp_dir("threads");
        let cache = DiskCache::open(dir.path()).unwrap();
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for n in 0..200 {
                        cache.put(&key(n), &format!("value {n}")).unwrap();
                        let read = cache.get::<String>(&key(n));
                        assert_eq!(read, Some(format!("value {n}")));
                    }
                });
            }
        });
        assert_eq!(cache.stats().corrupt, 0);
        assert_eq!(scan(cache.dir()).unwrap().entries.len(), 200);
    }
}
