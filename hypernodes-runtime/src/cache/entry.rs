//! One cache entry's bytes: a magic, a hash over the key and the payload, then the payload
//! (postcard). The hash covers the key, so an entry found under another key (a restore, a sync
//! tool, a bug) is damaged there rather than a wrong value.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Key;

/// Entry format and version.
const MAGIC: &[u8; 4] = b"HNC\x03";
/// Magic and hash.
pub(super) const HEADER: usize = 4 + 32;

/// What reading an entry found.
pub(super) enum Read<T> {
    /// A whole entry, stored for this key.
    Value(T),
    /// None stored.
    Missing,
    /// Bytes that are not a whole entry for this key: to be removed and computed again.
    Damaged,
}

/// The bytes of `value`'s entry under `key`.
#[cfg(test)]
pub(super) fn encode<T: Serialize + ?Sized>(key: &Key, value: &T) -> postcard::Result<Vec<u8>> {
    with_encoded(key, value, <[u8]>::to_vec)
}

/// Calls `use_entry` with the bytes of `value`'s entry under `key`, encoded in a buffer this
/// thread reuses (no allocation per entry).
pub(super) fn with_encoded<T: Serialize + ?Sized, R>(
    key: &Key,
    value: &T,
    use_entry: impl FnOnce(&[u8]) -> R,
) -> postcard::Result<R> {
    thread_local! {
        static SCRATCH: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut scratch = SCRATCH.take();
    scratch.clear();
    scratch.extend_from_slice(&[0; HEADER]);
    let mut entry = postcard::to_extend(value, scratch)?;
    let hash = checksum(key, &entry[HEADER..]);
    entry[..4].copy_from_slice(MAGIC);
    entry[4..HEADER].copy_from_slice(hash.as_bytes());
    let result = use_entry(&entry);
    // A huge entry's buffer is not kept.
    if entry.capacity() <= 1 << 20 {
        SCRATCH.set(entry);
    }
    Ok(result)
}

/// The value in `bytes`, if they are a whole, unaltered entry stored for `key`.
pub(super) fn decode<T: DeserializeOwned>(key: &Key, bytes: &[u8]) -> Read<T> {
    let Some((head, payload)) = bytes.split_at_checked(HEADER) else {
        return Read::Damaged;
    };
    if head != header(key, payload) {
        return Read::Damaged;
    }
    match postcard::from_bytes(payload) {
        Ok(value) => Read::Value(value),
        // Checked bytes that do not decode were written for another type under the same key
        // (a node whose value type changed without its tokens: impossible by construction,
        // but a miss is the only safe answer).
        Err(_) => Read::Damaged,
    }
}

/// Whether `bytes` begin the way every entry does (a quick check before trusting a record).
pub(super) fn starts_entry(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

fn header(key: &Key, payload: &[u8]) -> [u8; HEADER] {
    let mut head = [0; HEADER];
    head[..4].copy_from_slice(MAGIC);
    head[4..].copy_from_slice(checksum(key, payload).as_bytes());
    head
}

fn checksum(key: &Key, payload: &[u8]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(key.as_bytes());
    hasher.update(payload);
    hasher.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u32) -> Key {
        Key::builder(7, 0).value(&n).unwrap().finish()
    }

    #[test]
    fn an_entry_reads_back_under_its_key_only() {
        let entry = encode(&key(1), "hello").unwrap();
        assert!(matches!(decode::<String>(&key(1), &entry), Read::Value(v) if v == "hello"));
        assert!(matches!(decode::<String>(&key(2), &entry), Read::Damaged));
    }

    #[test]
    fn any_changed_or_missing_byte_is_damage() {
        let entry = encode(&key(1), &vec![5u64; 10]).unwrap();
        for at in 0..entry.len() {
            let mut bytes = entry.clone();
            bytes[at] ^= 0x20;
            assert!(
                matches!(decode::<Vec<u64>>(&key(1), &bytes), Read::Damaged),
                "byte {at}"
            );
            assert!(matches!(
                decode::<Vec<u64>>(&key(1), &entry[..at]),
                Read::Damaged
            ));
        }
    }
}
