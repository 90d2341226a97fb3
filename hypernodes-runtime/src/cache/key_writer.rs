//! Where a [`CacheKey`] value writes itself: the same framing serde's values get (see
//! `canonical`), so a value gives one key whichever way it is written.

use serde::Serialize;

use super::canonical::{self, frame, KeyError};
use super::CacheKey;

/// Writes values into a cache key. [`CacheKey`] impls call it; derived ones write every field
/// with its name.
///
/// ```
/// use hypernodes::cache::{CacheKey, Key, KeyWriter};
///
/// /// A point whose key is its coordinates, like `#[derive(CacheKey)]` would write it.
/// struct Point { x: i32, y: i32 }
/// impl CacheKey for Point {
///     fn write_key(&self, key: &mut KeyWriter<'_>) {
///         key.structure().field("x", &self.x).field("y", &self.y);
///     }
/// }
/// let key = |p: &Point| Key::builder(1, 0).value(p).unwrap().finish();
/// assert_ne!(key(&Point { x: 1, y: 2 }), key(&Point { x: 2, y: 1 }));
/// ```
pub struct KeyWriter<'a> {
    out: &'a mut blake3::Hasher,
    /// The first value that could not be written; the key is then refused.
    error: &'a mut Option<KeyError>,
}

impl<'a> KeyWriter<'a> {
    pub(super) fn new(out: &'a mut blake3::Hasher, error: &'a mut Option<KeyError>) -> Self {
        KeyWriter { out, error }
    }

    fn reborrow(&mut self) -> KeyWriter<'_> {
        KeyWriter {
            out: self.out,
            error: self.error,
        }
    }

    /// Writes `value`.
    pub fn value<T: CacheKey + ?Sized>(&mut self, value: &T) -> &mut Self {
        value.write_key(self);
        self
    }

    /// Writes `value` as serde serializes it: for a type from another crate that has no
    /// `CacheKey` impl, when its `Serialize` leaves nothing the result depends on out. An error
    /// of its `Serialize` refuses the key (the item is then computed without the cache).
    pub fn serialized<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        if self.error.is_none() {
            if let Err(error) = canonical::write(self.out, value) {
                *self.error = Some(error);
            }
        }
        self
    }

    /// Writes raw bytes (not the same key as a `[u8]` slice, which is a sequence of numbers).
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        frame::sized(self.out, frame::BYTES, bytes);
        self
    }

    /// Writes `()`, a unit struct or `PhantomData`.
    pub fn unit(&mut self) -> &mut Self {
        self.out.update(&[frame::UNIT]);
        self
    }

    /// Writes `None`.
    pub fn none(&mut self) -> &mut Self {
        self.out.update(&[frame::NONE]);
        self
    }

    /// Writes `Some(value)`.
    pub fn some<T: CacheKey + ?Sized>(&mut self, value: &T) -> &mut Self {
        self.out.update(&[frame::SOME]);
        self.value(value)
    }

    /// Starts a struct's named fields.
    pub fn structure(&mut self) -> Fields<'_> {
        self.out.update(&[frame::STRUCT]);
        Fields::new(self.reborrow())
    }

    /// Starts a tuple's (or a tuple struct's) elements.
    pub fn tuple(&mut self) -> Elements<'_> {
        self.out.update(&[frame::TUPLE]);
        Elements::new(self.reborrow())
    }

    /// Starts a sequence whose order matters (a `Vec`, a slice, a `BTreeSet`).
    pub fn sequence(&mut self) -> Elements<'_> {
        self.out.update(&[frame::SEQ]);
        Elements::new(self.reborrow())
    }

    /// Writes an enum variant without fields; `index` is its place in the enum.
    pub fn unit_variant(&mut self, index: u32) -> &mut Self {
        frame::variant(self.out, frame::UNIT_VARIANT, index);
        self
    }

    /// Writes an enum variant with one unnamed field.
    pub fn newtype_variant<T: CacheKey + ?Sized>(&mut self, index: u32, value: &T) -> &mut Self {
        frame::variant(self.out, frame::NEWTYPE_VARIANT, index);
        self.value(value)
    }

    /// Writes an enum variant with one unnamed field, as serde serializes the field (see
    /// [`serialized`](Self::serialized)).
    pub fn serialized_newtype_variant<T: Serialize + ?Sized>(
        &mut self,
        index: u32,
        value: &T,
    ) -> &mut Self {
        frame::variant(self.out, frame::NEWTYPE_VARIANT, index);
        self.serialized(value)
    }

    /// Starts an enum variant's unnamed fields.
    pub fn tuple_variant(&mut self, index: u32) -> Elements<'_> {
        frame::variant(self.out, frame::TUPLE, index);
        Elements::new(self.reborrow())
    }

    /// Starts an enum variant's named fields.
    pub fn struct_variant(&mut self, index: u32) -> Fields<'_> {
        frame::variant(self.out, frame::STRUCT, index);
        Fields::new(self.reborrow())
    }

    /// Writes the elements of a set whose order means nothing (a `HashSet`): the same key in
    /// whatever order they come.
    pub fn set<'v, T: CacheKey + ?Sized + 'v>(
        &mut self,
        elements: impl IntoIterator<Item = &'v T>,
    ) -> &mut Self {
        let digests = elements.into_iter().map(|e| self.digest(e)).collect();
        frame::unordered(self.out, frame::SET, digests);
        self
    }

    /// Writes the entries of a map: the same key in whatever order they come.
    pub fn map<'v, K, V>(&mut self, entries: impl IntoIterator<Item = (&'v K, &'v V)>) -> &mut Self
    where
        K: CacheKey + ?Sized + 'v,
        V: CacheKey + ?Sized + 'v,
    {
        let digests = entries
            .into_iter()
            .map(|(k, v)| frame::entry(&self.digest(k), &self.digest(v)))
            .collect();
        frame::unordered(self.out, frame::MAP, digests);
        self
    }

    /// The hash of `value` alone: one element of a set, one side of a map entry.
    fn digest<T: CacheKey + ?Sized>(&mut self, value: &T) -> [u8; 32] {
        let mut out = blake3::Hasher::new();
        value.write_key(&mut KeyWriter::new(&mut out, self.error));
        *out.finalize().as_bytes()
    }
}

/// The named fields of a struct or enum variant, each written with its name. The end of the
/// fields is written when this is dropped.
pub struct Fields<'a> {
    writer: KeyWriter<'a>,
    count: usize,
}

impl<'a> Fields<'a> {
    fn new(writer: KeyWriter<'a>) -> Self {
        Fields { writer, count: 0 }
    }

    /// Writes the field `name`.
    pub fn field<T: CacheKey + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        self.count += 1;
        frame::field_name(self.writer.out, name);
        self.writer.value(value);
        self
    }

    /// Writes the field `name` as serde serializes it (see [`KeyWriter::serialized`]).
    pub fn serialized_field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        self.count += 1;
        frame::field_name(self.writer.out, name);
        self.writer.serialized(value);
        self
    }
}

impl Drop for Fields<'_> {
    fn drop(&mut self) {
        frame::close(self.writer.out, self.count);
    }
}

/// The elements of a sequence or tuple, or the unnamed fields of a tuple struct or variant, in
/// order. The end of the elements is written when this is dropped.
pub struct Elements<'a> {
    writer: KeyWriter<'a>,
    count: usize,
}

impl<'a> Elements<'a> {
    fn new(writer: KeyWriter<'a>) -> Self {
        Elements { writer, count: 0 }
    }

    /// Writes the next element.
    pub fn element<T: CacheKey + ?Sized>(&mut self, value: &T) -> &mut Self {
        self.count += 1;
        self.writer.value(value);
        self
    }

    /// Writes the next element as serde serializes it (see [`KeyWriter::serialized`]).
    pub fn serialized_element<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        self.count += 1;
        self.writer.serialized(value);
        self
    }

    /// Writes every element of `values`.
    pub fn elements<'v, T: CacheKey + ?Sized + 'v>(
        &mut self,
        values: impl IntoIterator<Item = &'v T>,
    ) -> &mut Self {
        for value in values {
            self.element(value);
        }
        self
    }
}

impl Drop for Elements<'_> {
    fn drop(&mut self) {
        frame::close(self.writer.out, self.count);
    }
}
