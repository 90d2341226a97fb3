//! Cache keys: blake3 over a node's code hash, its upstream nodes' keys and its input values
//! (written canonically, so equal values give the same key in every run, process and machine).

use std::fmt;

use serde::Serialize;

use super::canonical::{self, KeyError};
use super::{CacheKey, KeyWriter};

/// The key of one node's value for one item.
///
/// ```
/// use hypernodes::cache::Key;
/// let a = Key::builder(0x1234, 0).value(&"text").unwrap().finish();
/// let b = Key::builder(0x1234, 0).value(&"text").unwrap().finish();
/// let other_code = Key::builder(0x1235, 0).value(&"text").unwrap().finish();
/// let bumped = Key::builder(0x1234, 1).value(&"text").unwrap().finish();
/// assert_eq!(a, b);
/// assert_ne!(a, other_code);
/// assert_ne!(a, bumped, "a version bump is a new key");
/// assert_eq!(a.to_string().len(), 64);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key([u8; 32]);

/// Builds a [`Key`]: the node's code, then each input in parameter order.
pub struct KeyBuilder(blake3::Hasher);

impl Key {
    /// Starts the key of a node whose code hashes to `code` (computed at compile time from its
    /// tokens), bumped by hand with `#[node(version = ..)]`.
    pub fn builder(code: u64, version: u64) -> KeyBuilder {
        let mut hasher = blake3::Hasher::new();
        // Short, so the prefix and an upstream key fit one block of blake3 (v4: segment store).
        hasher.update(b"hn-key-4");
        hasher.update(&code.to_le_bytes());
        hasher.update(&version.to_le_bytes());
        KeyBuilder(hasher)
    }

    /// The key's bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key whose bytes these are (as read back from a store).
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }
}

impl KeyBuilder {
    /// An input produced by a cached upstream node: its key stands for its value.
    pub fn upstream(mut self, key: &Key) -> Self {
        self.0.update(b"u");
        self.0.update(&key.0);
        self
    }

    /// An input value, written whole by its [`CacheKey`] impl: maps and hash sets whatever
    /// order they iterate in, struct fields with their names.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use hypernodes::cache::Key;
    /// let tags: HashSet<&str> = ["rust", "data", "fast"].into();
    /// let same: HashSet<&str> = ["fast", "data", "rust"].into();
    /// let key = |v: &HashSet<&str>| Key::builder(1, 0).value(v).unwrap().finish();
    /// assert_eq!(key(&tags), key(&same));
    /// ```
    pub fn value<T: CacheKey + ?Sized>(mut self, value: &T) -> Result<Self, KeyError> {
        self.0.update(b"v");
        let mut error = None;
        value.write_key(&mut KeyWriter::new(&mut self.0, &mut error));
        error.map_or(Ok(self), Err)
    }

    /// An input value as serde serializes it (the same key [`value`](Self::value) gives when
    /// the two write the same fields). What `Serialize` leaves out (`#[serde(skip)]`) is not in
    /// the key.
    ///
    /// ```
    /// use hypernodes::cache::Key;
    /// let key = Key::builder(1, 0).serialized(&vec!["a", "b"]).unwrap().finish();
    /// assert_eq!(key, Key::builder(1, 0).value(&vec!["a", "b"]).unwrap().finish());
    /// ```
    pub fn serialized<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self, KeyError> {
        self.0.update(b"v");
        canonical::write(&mut self.0, value)?;
        Ok(self)
    }

    /// The key.
    pub fn finish(self) -> Key {
        Key(*self.0.finalize().as_bytes())
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({self})")
    }
}
