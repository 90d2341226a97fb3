//! The store of a cache directory: append-only segment files under `log/`, each written by one
//! process only, and an index in memory from key to where its entry lies.
//!
//! Why not an embedded database: measured on W1 (three cached nodes, two threads), SQLite made
//! a warm run 8–27× the uncached one, mostly threads waiting on SQLite's process-wide page-cache
//! mutex; here a lookup is a hash-map probe and one positioned read, and a commit one `write`.
//!
//! A record is `[length: u32 LE][key: 32 bytes][entry]`, the length counting key and entry; an
//! entry carries a hash over its key and bytes (`entry`), so whatever happens to a file (a
//! killed writer's cut-off record, a truncation, garbage, records moved between keys) a read
//! finds a whole entry for its key or a miss. Later records win over earlier ones of the same
//! key. Segments are named by creation time, and the size cap evicts the oldest whole segments;
//! a hit in an old segment is copied forward so that what is used stays (least recently used
//! eviction at the grain of a segment).

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use super::batch::{Batch, RECORD_HEAD};
use super::entry::{starts_entry, HEADER};
use super::index::{read_at, read_exact_at, Index, Location, SegmentFile, HANDLES};
use super::Key;

/// A record no longer than this is believed; a longer length is damage.
const MAX_RECORD: usize = 1 << 31;

/// Segment size without a cap: big enough that a directory holds few files.
pub(super) const SEGMENT_BYTES: u64 = 64 << 20;

/// How often a miss looks for entries other processes appended since.
const REFRESH_EVERY: Duration = Duration::from_millis(100);

/// A segment file this process knows.
struct Segment {
    name: String,
    file: Arc<SegmentFile>,
    /// Bytes read into the index so far (a record cut off at the end is read again later: its
    /// writer may still be at it).
    scanned: u64,
    /// Bytes in the file as last seen.
    bytes: u64,
    /// Written by this process (never scanned: its records are indexed as they are written).
    own: bool,
    /// Found damaged (a record that cannot be one, with more bytes after it): counted once.
    damaged: bool,
}

impl Segment {
    fn live(&self) -> bool {
        self.file.live.load(Ordering::Relaxed)
    }
}

/// This process's segment being appended to.
struct Active {
    segment: usize,
    writer: File,
    len: u64,
}

/// What a lookup found.
pub(super) struct Found {
    /// The entry's bytes (checked by the reader: see `entry::decode`); empty if they could
    /// not be read.
    pub bytes: Vec<u8>,
    /// Whether it lies in a segment made before the time asked about.
    pub old: bool,
}

/// The segments of one cache directory and the index over them.
pub(super) struct Log {
    dir: PathBuf,
    index: Index,
    /// Every segment known, by position; only refreshes, commits and evictions take it.
    segments: Mutex<Segments>,
    /// When the last refresh ran (microseconds since the epoch).
    refreshed: AtomicU64,
    /// Segments found damaged, entries dropped with evicted segments.
    pub damaged: AtomicU64,
    pub evicted: AtomicU64,
}

/// The segments this process knows, by a number of their own (a segment gone is forgotten,
/// and its files closed, once the index no longer points into it).
#[derive(Default)]
struct Segments {
    all: HashMap<usize, Segment>,
    next: usize,
    by_name: HashMap<String, usize>,
    active: Option<Active>,
}

impl Segments {
    fn add(&mut self, dir: &Path, name: &str, own: bool) -> io::Result<usize> {
        let path = dir.join(name);
        let files = (0..HANDLES)
            .map(|_| File::open(&path))
            .collect::<io::Result<_>>()?;
        let at = self.next;
        self.next += 1;
        self.all.insert(
            at,
            Segment {
                name: name.to_owned(),
                file: Arc::new(SegmentFile {
                    files,
                    created: created(name),
                    live: AtomicBool::new(true),
                }),
                scanned: 0,
                bytes: 0,
                own,
                damaged: false,
            },
        );
        self.by_name.insert(name.to_owned(), at);
        Ok(at)
    }

    fn segment(&mut self, at: usize) -> &mut Segment {
        self.all.get_mut(&at).expect("a known segment")
    }

    /// Forgets the segments no longer live (the index no longer points into them).
    fn forget_dead(&mut self) {
        self.all.retain(|_, segment| segment.live());
        let all = &self.all;
        self.by_name.retain(|_, at| all.contains_key(at));
    }
}

impl Log {
    /// Opens the log under `dir`, indexing every segment in it.
    pub fn open(dir: &Path) -> io::Result<Log> {
        let dir = dir.join("log");
        fs::create_dir_all(&dir)?;
        let log = Log {
            dir,
            index: Index::default(),
            segments: Mutex::default(),
            refreshed: AtomicU64::new(0),
            damaged: AtomicU64::new(0),
            evicted: AtomicU64::new(0),
        };
        log.refresh()?;
        Ok(log)
    }

    fn segments(&self) -> MutexGuard<'_, Segments> {
        self.segments.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `key`'s entry bytes, if the index knows them. On a miss, entries other processes
    /// appended are looked for (at most every [`REFRESH_EVERY`]).
    pub fn read(&self, key: &Key, old_before: u64) -> Option<Found> {
        let read = |location: &Location| {
            let mut bytes = vec![0; location.len as usize];
            // A file cut shorter since it was indexed reads short: the entry is damaged.
            if read_exact_at(location.segment.file(), &mut bytes, location.offset).is_err() {
                bytes.clear();
            }
            Found {
                bytes,
                old: location.segment.created < old_before,
            }
        };
        if let Some(found) = self.index.read(key, read) {
            return Some(found);
        }
        if !self.refresh_due() {
            return None;
        }
        let _ = self.refresh();
        self.index.read(key, read)
    }

    fn refresh_due(&self) -> bool {
        let last = self.refreshed.load(Ordering::Relaxed);
        now_micros().saturating_sub(last) >= REFRESH_EVERY.as_micros() as u64
    }

    /// Forgets `key`'s entry (found damaged): a miss from now on, until it is written again.
    pub fn forget(&self, key: &Key) {
        self.index.remove(key);
    }

    /// Appends the batch's records to this process's segments and indexes them: one write
    /// per segment they fill (`segment_bytes` each, so a small cap evicts at a fine grain);
    /// how many entries were written.
    pub fn write(&self, batch: &Batch, segment_bytes: u64) -> io::Result<u64> {
        let records = &batch.records;
        // Runs of whole records, each appended to one segment: where the run starts in the
        // batch, its segment, and where it starts in the segment.
        let mut runs: Vec<(usize, Arc<SegmentFile>, u64)> = Vec::new();
        let mut segments = self.segments();
        let mut from = 0;
        let mut failed = None;
        while from < records.len() {
            if segments
                .active
                .as_ref()
                .is_none_or(|active| active.len >= segment_bytes)
            {
                match self.new_segment(&mut segments) {
                    Ok(active) => segments.active = Some(active),
                    Err(error) => {
                        failed = Some(error);
                        break;
                    }
                }
            }
            let active = segments.active.as_mut().expect("just made");
            let room = segment_bytes.saturating_sub(active.len) as usize;
            let to = whole_records(records, from, room);
            if let Err(error) = active.writer.write_all(&records[from..to]) {
                // What was written of it is a cut-off record at most: the next write goes to
                // a new segment, so nothing is appended after it.
                segments.active = None;
                failed = Some(error);
                break;
            }
            let (at, start) = (active.segment, active.len);
            active.len += (to - from) as u64;
            let len = active.len;
            let segment = segments.segment(at);
            segment.bytes = len;
            runs.push((from, Arc::clone(&segment.file), start));
            from = to;
        }
        drop(segments);
        let mut written = 0;
        for (key, &(offset, entry_len)) in &batch.entries {
            if offset >= from {
                continue; // not written
            }
            let run = runs.partition_point(|(start, ..)| *start <= offset) - 1;
            let (run_start, file, file_start) = &runs[run];
            let location = Location {
                segment: Arc::clone(file),
                offset: file_start + (offset - run_start) as u64,
                len: entry_len as u32,
            };
            self.index.insert(*key, location);
            written += 1;
        }
        match failed {
            Some(error) => Err(error),
            None => Ok(written),
        }
    }

    /// A new segment of this process's own.
    fn new_segment(&self, segments: &mut Segments) -> io::Result<Active> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "{:016x}-{:08x}-{:04x}.seg",
            now_micros(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed) & 0xffff
        );
        let path = self.dir.join(&name);
        let writer = File::options().create_new(true).append(true).open(&path)?;
        let segment = segments.add(&self.dir, &name, true)?;
        Ok(Active {
            segment,
            writer,
            len: 0,
        })
    }

    /// Indexes segments other processes made or grew since the last refresh, and lets go of
    /// those that were removed.
    pub fn refresh(&self) -> io::Result<()> {
        let mut segments = self.segments();
        self.refreshed.store(now_micros(), Ordering::Relaxed);
        let mut present = listing(&self.dir)?;
        present.sort();
        let mut seen = std::collections::HashSet::with_capacity(present.len());
        for (name, bytes) in &present {
            let at = match segments.by_name.get(name) {
                Some(&at) => at,
                None => match segments.add(&self.dir, name, false) {
                    Ok(at) => at,
                    Err(_) => continue,
                },
            };
            seen.insert(at);
            self.scan(segments.segment(at), *bytes);
        }
        // Segments no longer listed were evicted by another process.
        let mut gone = false;
        for (at, segment) in &segments.all {
            if !seen.contains(at) && !segment.own && segment.live() {
                segment.file.live.store(false, Ordering::Relaxed);
                gone = true;
            }
        }
        drop(segments);
        if gone {
            self.index.drop_dead();
            self.segments().forget_dead();
        }
        Ok(())
    }

    /// Indexes the records of `segment` past what was read before, up to `bytes`.
    fn scan(&self, segment: &mut Segment, bytes: u64) {
        if segment.own || !segment.live() || segment.scanned >= bytes {
            return;
        }
        let mut found = Vec::new();
        let (scanned, damaged) =
            read_records(segment.file.file(), segment.scanned, bytes, &mut found);
        segment.scanned = scanned;
        segment.bytes = bytes;
        if damaged && !segment.damaged {
            // Counted once, and removed so no later run counts it again: the whole records
            // before the damage stay indexed here (served from the open file), the rest are
            // computed again and stored in a sound segment.
            segment.damaged = true;
            self.damaged.fetch_add(1, Ordering::Relaxed);
            let _ = fs::remove_file(self.dir.join(&segment.name));
        }
        for (key, offset, len) in found {
            let location = Location {
                segment: Arc::clone(&segment.file),
                offset,
                len,
            };
            self.index.insert(key, location);
        }
    }

    /// Bytes in all live segments, as last seen.
    pub fn total(&self) -> u64 {
        let segments = self.segments();
        segments
            .all
            .values()
            .filter(|s| s.live())
            .map(|s| s.bytes)
            .sum()
    }

    /// Removes the oldest segments (never this process's active one) until at most `target`
    /// bytes are left; the creation time of the oldest segment left.
    pub fn evict(&self, target: u64) -> io::Result<u64> {
        self.refresh()?;
        let segments = self.segments();
        let active = segments.active.as_ref().map(|active| active.segment);
        let mut live: Vec<(&str, usize, u64)> = segments
            .all
            .iter()
            .filter(|(_, s)| s.live())
            .map(|(&at, s)| (s.name.as_str(), at, s.bytes))
            .collect();
        live.sort();
        let mut total: u64 = live.iter().map(|(.., bytes)| bytes).sum();
        let mut gone = Vec::new();
        for &(name, at, bytes) in &live {
            if total <= target {
                break;
            }
            if Some(at) == active {
                continue;
            }
            match fs::remove_file(self.dir.join(name)) {
                Ok(()) => {}
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(error),
            }
            total -= bytes;
            gone.push(at);
        }
        for at in gone {
            segments.all[&at].file.live.store(false, Ordering::Relaxed);
        }
        let oldest = oldest_live(&segments);
        drop(segments);
        let dropped = self.index.drop_dead();
        self.evicted.fetch_add(dropped, Ordering::Relaxed);
        self.segments().forget_dead();
        Ok(oldest)
    }

    /// The creation time of the oldest live segment.
    pub fn oldest(&self) -> u64 {
        oldest_live(&self.segments())
    }
}

fn oldest_live(segments: &Segments) -> u64 {
    segments
        .all
        .values()
        .filter(|s| s.live())
        .map(|s| s.file.created)
        .min()
        .unwrap_or_else(now_micros)
}

/// Where the run of whole records from `from` ends: as many as fit in `room` bytes, and at
/// least one.
fn whole_records(records: &[u8], from: usize, room: usize) -> usize {
    let mut at = from;
    while at < records.len() {
        let length = u32::from_le_bytes(records[at..at + 4].try_into().expect("4 bytes"));
        let end = at + 4 + length as usize;
        if end - from > room && at > from {
            break;
        }
        at = end;
    }
    at
}

/// The segment files in `dir`, with their sizes.
fn listing(dir: &Path) -> io::Result<Vec<(String, u64)>> {
    let mut present = Vec::new();
    for file in fs::read_dir(dir)? {
        let Ok(file) = file else { continue };
        let name = file.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".seg") {
            continue;
        }
        let Ok(meta) = file.metadata() else { continue };
        if meta.is_file() {
            present.push((name, meta.len()));
        }
    }
    Ok(present)
}

/// Reads the records of `file` in `from..to` into `found` (key, entry offset, entry length);
/// how far whole records reach, and whether one that cannot be a record was met before `to`.
fn read_records(file: &File, from: u64, to: u64, found: &mut Vec<(Key, u64, u32)>) -> (u64, bool) {
    let mut reader = io::BufReader::with_capacity(1 << 20, ReadAt { file, at: from });
    let mut at = from;
    let mut head = [0u8; RECORD_HEAD + HEADER];
    loop {
        if at + (RECORD_HEAD + HEADER) as u64 > to {
            return (at, false);
        }
        if reader.read_exact(&mut head).is_err() {
            return (at, false);
        }
        let length = u32::from_le_bytes(head[..4].try_into().expect("4 bytes")) as usize;
        let key = Key::from_bytes(head[4..RECORD_HEAD].try_into().expect("32 bytes"));
        if !(32 + HEADER..=MAX_RECORD).contains(&length) || !starts_entry(&head[RECORD_HEAD..]) {
            return (at, true);
        }
        let end = at + 4 + length as u64;
        if end > to {
            return (at, false);
        }
        let entry_len = length - 32;
        found.push((key, at + RECORD_HEAD as u64, entry_len as u32));
        let rest = (entry_len - HEADER) as u64;
        if io::copy(&mut (&mut reader).take(rest), &mut io::sink()).ok() != Some(rest) {
            found.pop();
            return (at, false);
        }
        at = end;
    }
}

/// Sequential reads of a file from an offset, without moving a shared cursor.
struct ReadAt<'a> {
    file: &'a File,
    at: u64,
}

impl io::Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = read_at(self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// The creation time a segment's name starts with (microseconds since the epoch).
fn created(name: &str) -> u64 {
    name.get(..16)
        .and_then(|hex| u64::from_str_radix(hex, 16).ok())
        .unwrap_or(0)
}

pub(super) fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}
