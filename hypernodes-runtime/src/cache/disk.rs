//! `DiskCache`: a handle on a cache directory. Entries are appended to segment files there
//! (`log`), written in batches by a thread of the directory's own (`directory`), each checked
//! by a hash over its key and bytes (`entry`), the oldest segments evicted past a size cap.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::directory::{add, Directory, MAX_WAITING};
use super::entry::{self, Read};
use super::Key;

/// A cache directory, safe to share between threads and processes.
///
/// Entries live in segment files under `log/` in the directory, each written by one process.
/// Writes are buffered and committed in batches, at most 50 ms later (sooner when many wait),
/// by a thread of the cache's own: the process that wrote an entry reads it back at once, other
/// processes within 100 ms of its commit, and a process killed before the commit loses only
/// those entries. Handles opened on one directory
/// in one process share their writes. Dropping the last handle, [`flush`](Self::flush) and
/// [`stats`](Self::stats) commit what waits.
///
/// ```
/// use hypernodes::cache::{DiskCache, Key};
///
/// let dir = std::env::temp_dir().join(format!("hypernodes-doc-{}", std::process::id()));
/// let cache = DiskCache::open(&dir)?;
/// let key = Key::builder(1, 0).value(&"input").unwrap().finish();
/// assert_eq!(cache.get::<Option<u32>>(&key), None);
/// cache.put(&key, &None::<u32>)?;                       // `None` is a value like any other
/// assert_eq!(cache.get::<Option<u32>>(&key), Some(None));
/// assert_eq!((cache.stats().hits, cache.stats().misses), (1, 1));
/// # drop(cache);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct DiskCache {
    dir: PathBuf,
    directory: Arc<Directory>,
    hits: AtomicU64,
    misses: AtomicU64,
    corrupt: AtomicU64,
}

/// What a cache has done since it was opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups through this handle that found a whole, valid entry.
    pub hits: u64,
    /// Lookups through this handle that found none (including damaged entries).
    pub misses: u64,
    /// Entries committed to the directory by this process.
    pub writes: u64,
    /// Entries this handle found damaged (truncated, altered, moved) and removed, plus store
    /// files this process found damaged and rebuilt: never served, computed again.
    pub corrupt: u64,
    /// Entries this process evicted to keep the directory under its size cap.
    pub evicted: u64,
}

impl DiskCache {
    /// Opens (creating it if needed) the cache directory `dir`, without a size cap. A store
    /// file found damaged is replaced by an empty one (and counted in `stats().corrupt`).
    pub fn open(dir: impl AsRef<Path>) -> io::Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        let directory = Directory::open(&dir)?;
        Ok(DiskCache {
            dir,
            directory,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            corrupt: AtomicU64::new(0),
        })
    }

    /// Keeps the entries under `max_bytes` in all (keys and values), evicting the least
    /// recently used first. A cache found over the cap shrinks at once. The cap is the
    /// directory's: the last one set in this process holds for every handle on it.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("hypernodes-doc-cap-{}", std::process::id()));
    /// let cache = hypernodes::cache::DiskCache::open(&dir)?.max_bytes(256 << 20);
    /// # drop(cache);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn max_bytes(self, max_bytes: u64) -> Self {
        self.directory.set_max_bytes(max_bytes);
        self
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the cache has done so far (entries waiting to be written are committed first, so
    /// `writes` counts them).
    pub fn stats(&self) -> CacheStats {
        let _ = self.flush();
        let directory = &self.directory;
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        CacheStats {
            hits: load(&self.hits),
            misses: load(&self.misses),
            writes: load(&directory.writes),
            corrupt: load(&self.corrupt) + directory.damaged(),
            evicted: directory.evicted(),
        }
    }

    /// Commits the entries waiting to be written; an error says they were lost (they are
    /// computed again when next needed).
    pub fn flush(&self) -> io::Result<()> {
        self.directory.flush()
    }

    /// The value stored under `key`, if a whole and valid entry is there. A damaged entry (or
    /// one stored under another key) is removed and reported as a miss, so the value is
    /// computed and stored again.
    pub fn get<T: DeserializeOwned>(&self, key: &Key) -> Option<T> {
        let directory = &self.directory;
        match directory.read(key) {
            Read::Value(value) => {
                add(&self.hits, 1);
                Some(value)
            }
            Read::Damaged => {
                add(&self.corrupt, 1);
                add(&self.misses, 1);
                None
            }
            Read::Missing => {
                add(&self.misses, 1);
                None
            }
        }
    }

    /// Stores `value` under `key`. The entry is committed with others shortly after; until
    /// then this process reads it from memory.
    pub fn put<T: Serialize + ?Sized>(&self, key: &Key, value: &T) -> io::Result<()> {
        let waiting = entry::with_encoded(key, value, |entry| {
            self.directory.queue(|batch| batch.put(*key, entry))
        })
        .map_err(io::Error::other)?;
        if waiting >= MAX_WAITING {
            return self.directory.flush();
        }
        Ok(())
    }
}

impl Drop for DiskCache {
    /// The last handle on its directory in this process commits what waits.
    fn drop(&mut self) {
        self.directory.release();
    }
}

impl fmt::Debug for DiskCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiskCache")
            .field("dir", &self.dir)
            .field("max_bytes", &self.directory.max_bytes())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::entry::HEADER;
    use std::time::Duration;

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

    /// The segment files, oldest first.
    fn segments(dir: &Path) -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> = std::fs::read_dir(dir.join("log"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "seg"))
            .collect();
        all.sort();
        all
    }

    /// Where each record's entry lies in `segment`: (key bytes, offset, length).
    fn records(segment: &Path) -> Vec<([u8; 32], usize, usize)> {
        let bytes = std::fs::read(segment).unwrap();
        let mut found = Vec::new();
        let mut at = 0;
        while at + 36 <= bytes.len() {
            let length = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let key = bytes[at + 4..at + 36].try_into().unwrap();
            found.push((key, at + 36, length - 32));
            at += 4 + length;
        }
        found
    }

    /// The file and offset of `key`'s last record, and its entry's length.
    fn locate(dir: &Path, key: &Key) -> (PathBuf, usize, usize) {
        segments(dir)
            .into_iter()
            .flat_map(|segment| {
                records(&segment)
                    .into_iter()
                    .map(move |(k, at, len)| (segment.clone(), k, at, len))
            })
            .filter(|(_, k, ..)| k == key.as_bytes())
            .map(|(segment, _, at, len)| (segment, at, len))
            .next_back()
            .expect("a record of the key")
    }

    fn stored(dir: &Path, n: u32) -> bool {
        let key = key(n);
        segments(dir)
            .iter()
            .any(|segment| records(segment).iter().any(|(k, ..)| k == key.as_bytes()))
    }

    fn edit(path: &Path, change: impl FnOnce(&mut Vec<u8>)) {
        let mut bytes = std::fs::read(path).unwrap();
        change(&mut bytes);
        std::fs::write(path, bytes).unwrap();
    }

    /// A record of a 99-byte vector (one length byte and 99): length, key, entry.
    const ENTRY: u64 = 4 + 32 + (HEADER as u64) + 100;

    #[test]
    fn unit_none_and_values_round_trip_before_and_after_their_commit() {
        let dir = temp_dir("roundtrip");
        let cache = DiskCache::open(dir.path()).unwrap();
        cache.put(&key(1), &()).unwrap();
        cache.put(&key(2), &None::<String>).unwrap();
        cache.put(&key(3), &vec!["a".to_owned()]).unwrap();
        assert_eq!(
            cache.get::<()>(&key(1)),
            Some(()),
            "read back while waiting"
        );
        drop(cache);
        let cache = DiskCache::open(dir.path()).unwrap();
        assert_eq!(cache.get::<()>(&key(1)), Some(()));
        assert_eq!(cache.get::<Option<String>>(&key(2)), Some(None));
        assert_eq!(
            cache.get::<Vec<String>>(&key(3)),
            Some(vec!["a".to_owned()])
        );
        assert_eq!(cache.stats().hits, 3);
    }

    #[test]
    fn a_cut_or_altered_entry_is_a_miss_and_is_forgotten() {
        let dir = temp_dir("corrupt");
        let cache = DiskCache::open(dir.path()).unwrap();
        cache.put(&key(1), &"hello".to_owned()).unwrap();
        cache.put(&key(2), &"world".to_owned()).unwrap();
        cache.flush().unwrap();
        let (segment, one, one_len) = locate(dir.path(), &key(1));
        let (_, two, two_len) = locate(dir.path(), &key(2));
        edit(&segment, |bytes| {
            bytes[one + one_len - 2..one + one_len].fill(0); // its end lost
            bytes[two + two_len - 1] ^= 0x01; // one bit changed
        });
        assert_eq!(cache.get::<String>(&key(1)), None);
        assert_eq!(cache.get::<String>(&key(2)), None);
        assert_eq!(cache.get::<String>(&key(2)), None);
        let stats = cache.stats();
        assert_eq!((stats.corrupt, stats.misses), (2, 3), "found damaged once");
        cache.put(&key(1), &"hello".to_owned()).unwrap();
        cache.flush().unwrap();
        assert_eq!(cache.get::<String>(&key(1)).as_deref(), Some("hello"));
    }

    #[test]
    fn an_entry_moved_to_another_keys_place_is_a_miss_there() {
        let dir = temp_dir("swapped");
        let cache = DiskCache::open(dir.path()).unwrap();
        cache.put(&key(1), &"one".to_owned()).unwrap();
        cache.put(&key(2), &"two".to_owned()).unwrap();
        cache.flush().unwrap();
        let (segment, one, len) = locate(dir.path(), &key(1));
        let (_, two, _) = locate(dir.path(), &key(2));
        edit(&segment, |bytes| {
            let first = bytes[one..one + len].to_vec();
            bytes.copy_within(two..two + len, one);
            bytes[two..two + len].copy_from_slice(&first);
        });
        assert_eq!(cache.get::<String>(&key(1)), None);
        assert_eq!(cache.get::<String>(&key(2)), None);
        let stats = cache.stats();
        assert_eq!((stats.corrupt, stats.hits), (2, 0));
    }

    #[test]
    fn a_segment_cut_short_under_a_reader_is_a_miss_not_a_crash() {
        let dir = temp_dir("cut");
        let cache = DiskCache::open(dir.path()).unwrap();
        for n in 0..3 {
            cache.put(&key(n), &n).unwrap();
        }
        cache.flush().unwrap();
        // Cut into the last record of the segment (records lie in no particular key order).
        let segment = segments(dir.path()).pop().unwrap();
        let (last_key, at, _) = *records(&segment).last().unwrap();
        let cut = (0..3).find(|&n| *key(n).as_bytes() == last_key).unwrap();
        let file = std::fs::File::options().write(true).open(&segment).unwrap();
        file.set_len(at as u64 + 3).unwrap();
        assert_eq!(cache.get::<u32>(&key(cut)), None);
        drop(cache);
        // Reopened: the whole records before the cut are served, the cut one is not.
        let cache = DiskCache::open(dir.path()).unwrap();
        for n in 0..3 {
            let expected = (n != cut).then_some(n);
            assert_eq!(cache.get::<u32>(&key(n)), expected, "key {n}");
        }
    }

    #[test]
    fn a_file_that_is_not_a_segment_is_counted_removed_and_never_served() {
        let dir = temp_dir("garbage");
        std::fs::create_dir_all(dir.path().join("log")).unwrap();
        let junk = dir
            .path()
            .join("log")
            .join("0000000000000000-00000000-0000.seg");
        std::fs::write(&junk, vec![0x5a; 10_000]).unwrap();
        let cache = DiskCache::open(dir.path()).unwrap();
        assert_eq!(cache.get::<String>(&key(1)), None);
        assert_eq!(cache.stats().corrupt, 1);
        assert!(!junk.exists());
        cache.put(&key(1), &"value".to_owned()).unwrap();
        drop(cache);
        let cache = DiskCache::open(dir.path()).unwrap();
        assert_eq!(cache.get::<String>(&key(1)).as_deref(), Some("value"));
        assert_eq!(cache.stats().corrupt, 0);
    }

    /// Fills a cache, damages its segments with `damage`, and checks that every value served
    /// is right, that damage is counted when `counted`, and that two more runs serve all.
    fn serves_only_right_values_after(name: &str, counted: bool, damage: impl Fn(&Path)) {
        let dir = temp_dir(name);
        let value = |n: u32| vec![n; 50];
        let cache = DiskCache::open(dir.path()).unwrap();
        for n in 0..2_000 {
            cache.put(&key(n), &value(n)).unwrap();
        }
        drop(cache);
        for segment in segments(dir.path()) {
            damage(&segment);
        }
        let cache = DiskCache::open(dir.path()).unwrap();
        let mut served = 0;
        for n in 0..2_000 {
            match cache.get::<Vec<u32>>(&key(n)) {
                Some(read) => {
                    assert_eq!(read, value(n), "a wrong value for key {n}");
                    served += 1;
                }
                None => cache.put(&key(n), &value(n)).unwrap(),
            }
        }
        assert!(served < 2_000, "the damage went unnoticed");
        let stats = cache.stats();
        assert_eq!(stats.corrupt >= 1, counted, "{stats:?}");
        // A damaged segment is removed: its sound entries, served above, are stored again by
        // the next run.
        drop(cache);
        let cache = DiskCache::open(dir.path()).unwrap();
        for n in 0..2_000 {
            if cache.get::<Vec<u32>>(&key(n)).is_none() {
                cache.put(&key(n), &value(n)).unwrap();
            }
        }
        drop(cache);
        let cache = DiskCache::open(dir.path()).unwrap();
        for n in 0..2_000 {
            assert_eq!(cache.get::<Vec<u32>>(&key(n)), Some(value(n)), "key {n}");
        }
        assert_eq!(cache.stats().corrupt, 0);
    }

    #[test]
    fn truncated_segments_serve_only_right_values() {
        // A cut-off end is what a killed writer leaves: not damage, only entries missing.
        serves_only_right_values_after("truncated", false, |segment| {
            let length = std::fs::metadata(segment).unwrap().len();
            let file = std::fs::File::options().write(true).open(segment).unwrap();
            file.set_len(length / 2).unwrap();
        });
    }

    #[test]
    fn segments_with_garbage_inside_serve_only_right_values() {
        serves_only_right_values_after("garbage-inside", true, |segment| {
            edit(segment, |bytes| {
                let middle = bytes.len() / 2;
                bytes[middle..middle + 20_000].fill(0xa5);
            });
        });
    }

    #[test]
    fn a_cache_opened_over_its_cap_shrinks_at_once() {
        let dir = temp_dir("shrinks");
        let cache = DiskCache::open(dir.path()).unwrap();
        for n in 0..10 {
            cache.put(&key(n), &vec![7u8; 99]).unwrap();
        }
        drop(cache);
        let capped = DiskCache::open(dir.path()).unwrap().max_bytes(ENTRY * 5);
        let left = (0..10).filter(|&n| stored(dir.path(), n)).count() as u64;
        assert!(left <= 5, "{left} entries left under a cap of 5");
        assert_eq!(capped.stats().evicted, 10 - left);
        assert!(capped.directory.total() <= ENTRY * 5);
    }

    #[test]
    fn past_its_cap_the_least_recently_used_entries_go() {
        let dir = temp_dir("lru");
        let cache = DiskCache::open(dir.path()).unwrap().max_bytes(ENTRY * 5);
        let value = vec![7u8; 99];
        for n in 0..5 {
            cache.put(&key(n), &value).unwrap();
            cache.flush().unwrap();
            std::thread::sleep(Duration::from_millis(2));
        }
        // Use the oldest: it is now the most recently used.
        assert!(cache.get::<Vec<u8>>(&key(0)).is_some());
        cache.flush().unwrap();
        std::thread::sleep(Duration::from_millis(2));
        cache.put(&key(5), &value).unwrap();
        cache.flush().unwrap();
        let kept: Vec<u32> = (0..6).filter(|&n| stored(dir.path(), n)).collect();
        assert!(kept.contains(&0) && kept.contains(&5), "kept {kept:?}");
        assert!(!kept.contains(&1), "kept {kept:?}");
        assert!(kept.len() <= 5, "kept {kept:?}");
        assert!(cache.directory.total() <= ENTRY * 5);
        assert!(cache.stats().evicted >= 1);
        assert!(cache.get::<Vec<u8>>(&key(0)).is_some());
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
                        if n % 50 == 0 {
                            cache.flush().unwrap();
                        }
                    }
                });
            }
        });
        let stats = cache.stats();
        assert_eq!(stats.corrupt, 0);
        assert_eq!((0..200).filter(|&n| stored(dir.path(), n)).count(), 200);
    }

    #[test]
    fn handles_on_one_directory_read_each_others_writes_at_once() {
        let dir = temp_dir("handles");
        let one = DiskCache::open(dir.path()).unwrap();
        let two =
            DiskCache::open(dir.path().join("..").join(dir.path().file_name().unwrap())).unwrap();
        one.put(&key(1), "from one").unwrap();
        assert_eq!(two.get::<String>(&key(1)).as_deref(), Some("from one"));
        drop(one);
        two.put(&key(2), "from two").unwrap();
        drop(two);
        let three = DiskCache::open(dir.path()).unwrap();
        assert_eq!(three.get::<String>(&key(2)).as_deref(), Some("from two"));
    }

    #[test]
    fn under_load_from_many_threads_the_cap_holds_and_values_stay_right() {
        let dir = temp_dir("capped-load");
        let open_files = || std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count);
        let files_before = open_files();
        let cap = 200 * ENTRY;
        let cache = DiskCache::open(dir.path()).unwrap().max_bytes(cap);
        let value = |n: u32| vec![(n % 251) as u8; 99];
        std::thread::scope(|scope| {
            for thread in 0..4 {
                let cache = &cache;
                scope.spawn(move || {
                    for n in (0..3_000).map(|i| i * 4 + thread) {
                        cache.put(&key(n), &value(n)).unwrap();
                        if let Some(read) = cache.get::<Vec<u8>>(&key(n / 2)) {
                            assert_eq!(read, value(n / 2));
                        }
                    }
                });
            }
        });
        let stats = cache.stats();
        assert!(
            cache.directory.total() <= cap,
            "{} over {cap}",
            cache.directory.total()
        );
        let on_disk: u64 = segments(dir.path())
            .iter()
            .map(|s| std::fs::metadata(s).unwrap().len())
            .sum();
        assert!(on_disk <= cap, "{on_disk} bytes on disk over {cap}");
        assert!(stats.evicted >= 10_000, "{stats:?}");
        assert_eq!(stats.corrupt, 0);
        // Evicted segments are closed: about 700 came and went, 17 or so live at the end.
        let opened = open_files().saturating_sub(files_before);
        assert!(opened < 400, "{opened} more files open than before");
    }
}
