//! How an input value enters its cache key: serde's data model written into the key's hash,
//! each value behind a tag of its kind, so that values equal for `==` give one key in every
//! run and on every machine.
//!
//! A general-purpose format (postcard, as before) writes what serde hands it in the order it
//! comes, which is not enough for a key: a `HashMap` or `HashSet` iterates in a different order
//! in every run (no hit ever), and fields left out by `skip_serializing_if` make
//! `{a: Some(1), b: None}` and `{a: None, b: Some(1)}` the same bytes (a wrong value). Here a
//! map is the set of its entries and a hash set the set of its elements (each hashed on its
//! own, then in sorted order), and struct fields are written with their names.

use std::any::type_name;
use std::fmt;

use serde::ser::{self, Serialize};

/// Why a value could not be written into a key (its `Serialize` impl failed): the item is then
/// computed without the cache.
///
/// ```
/// use hypernodes::cache::Key;
/// struct Refuses;
/// impl serde::Serialize for Refuses {
///     fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
///         Err(serde::ser::Error::custom("not today"))
///     }
/// }
/// let err = Key::builder(1, 0).serialized(&Refuses).err().unwrap();
/// assert!(err.to_string().contains("not today"));
/// ```
#[derive(Debug)]
pub struct KeyError(String);

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot hash the value into a cache key: {}", self.0)
    }
}

impl std::error::Error for KeyError {}

impl ser::Error for KeyError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        KeyError(msg.to_string())
    }
}

/// Writes `value` into `out`.
pub fn write<T: Serialize + ?Sized>(out: &mut blake3::Hasher, value: &T) -> Result<(), KeyError> {
    value.serialize(Writer::of::<T>(out))
}

/// The hash of `value` alone: one entry of a map, one element of a set.
pub(super) fn digest<T: Serialize + ?Sized>(value: &T) -> Result<[u8; 32], KeyError> {
    let mut out = blake3::Hasher::new();
    write(&mut out, value)?;
    Ok(*out.finalize().as_bytes())
}

/// Whether values of `T` are hash sets, whose elements come in no fixed order. serde gives
/// their serializer a plain sequence; only the type, known where each value is handed over,
/// tells them apart from a `Vec`.
fn is_hash_set<T: ?Sized>() -> bool {
    let name = type_name::<T>().trim_start_matches(['&', ' ']);
    let name = name.strip_prefix("mut ").unwrap_or(name);
    name.starts_with("std::collections::hash::set::HashSet<")
        || name.starts_with("hashbrown::set::HashSet<")
}

fn len(out: &mut blake3::Hasher, n: usize) {
    out.update(&(n as u64).to_le_bytes());
}

/// How composite values are framed: shared with [`CacheKey`](super::CacheKey)'s writer, so a
/// value gives one key whether serde or `CacheKey` writes it.
pub(super) mod frame {
    use super::len;

    pub const SEQ: u8 = b'[';
    pub const TUPLE: u8 = b'(';
    pub const STRUCT: u8 = b'{';
    pub const UNIT: u8 = b'z';
    pub const NONE: u8 = b'n';
    pub const SOME: u8 = b'o';
    pub const UNIT_VARIANT: u8 = b'v';
    pub const NEWTYPE_VARIANT: u8 = b'w';
    pub const MAP: u8 = b'M';
    pub const SET: u8 = b'U';
    pub const BYTES: u8 = b'y';

    /// Bytes behind their kind (`tag`) and length.
    pub fn sized(out: &mut blake3::Hasher, tag: u8, bytes: &[u8]) {
        out.update(&[tag]);
        len(out, bytes.len());
        out.update(bytes);
    }

    /// Ends elements or fields: a tag no value starts with, then their count.
    pub fn close(out: &mut blake3::Hasher, count: usize) {
        out.update(b"]");
        len(out, count);
    }

    /// A field's name, before its value.
    pub fn field_name(out: &mut blake3::Hasher, name: &str) {
        out.update(b"=");
        len(out, name.len());
        out.update(name.as_bytes());
    }

    /// An enum variant: its kind (`tag`) and index.
    pub fn variant(out: &mut blake3::Hasher, tag: u8, index: u32) {
        out.update(&[tag]);
        out.update(&index.to_le_bytes());
    }

    /// A map entry, from the hashes of its key and value.
    pub fn entry(key: &[u8; 32], value: &[u8; 32]) -> [u8; 32] {
        let mut entry = blake3::Hasher::new();
        entry.update(key);
        entry.update(value);
        *entry.finalize().as_bytes()
    }

    /// The elements of a set or the entries of a map (`tag`), each hashed alone, in sorted order.
    pub fn unordered(out: &mut blake3::Hasher, tag: u8, mut items: Vec<[u8; 32]>) {
        items.sort_unstable();
        out.update(&[tag]);
        len(out, items.len());
        for item in &items {
            out.update(item);
        }
    }
}

/// Writes one value; `set` when the value is a hash set.
struct Writer<'a> {
    out: &'a mut blake3::Hasher,
    set: bool,
}

impl<'a> Writer<'a> {
    fn of<T: ?Sized>(out: &'a mut blake3::Hasher) -> Self {
        Writer {
            out,
            set: is_hash_set::<T>(),
        }
    }

    fn tagged(self, tag: u8, bytes: &[u8]) -> Result<(), KeyError> {
        self.out.update(&[tag]);
        self.out.update(bytes);
        Ok(())
    }

    fn sized(self, tag: u8, bytes: &[u8]) -> Result<(), KeyError> {
        frame::sized(self.out, tag, bytes);
        Ok(())
    }

    fn variant(self, tag: u8, index: u32) -> &'a mut blake3::Hasher {
        frame::variant(self.out, tag, index);
        self.out
    }
}

macro_rules! numbers {
    ($($method:ident: $ty:ty => $tag:literal,)*) => {$(
        fn $method(self, v: $ty) -> Result<(), KeyError> {
            self.tagged($tag, &v.to_le_bytes())
        }
    )*};
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = KeyError;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Ordered<'a>;
    type SerializeTupleStruct = Ordered<'a>;
    type SerializeTupleVariant = Ordered<'a>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Ordered<'a>;
    type SerializeStructVariant = Ordered<'a>;

    numbers! {
        serialize_i8: i8 => b'a', serialize_i16: i16 => b'b', serialize_i32: i32 => b'c',
        serialize_i64: i64 => b'd', serialize_i128: i128 => b'e',
        serialize_u8: u8 => b'A', serialize_u16: u16 => b'B', serialize_u32: u32 => b'C',
        serialize_u64: u64 => b'D', serialize_u128: u128 => b'E',
        serialize_f32: f32 => b'f', serialize_f64: f64 => b'F',
    }

    fn serialize_bool(self, v: bool) -> Result<(), KeyError> {
        self.tagged(b'?', &[u8::from(v)])
    }
    fn serialize_char(self, v: char) -> Result<(), KeyError> {
        self.tagged(b'h', &u32::from(v).to_le_bytes())
    }
    fn serialize_str(self, v: &str) -> Result<(), KeyError> {
        self.sized(b's', v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), KeyError> {
        self.sized(frame::BYTES, v)
    }
    fn serialize_none(self) -> Result<(), KeyError> {
        self.tagged(frame::NONE, &[])
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), KeyError> {
        self.out.update(&[frame::SOME]);
        write(self.out, value)
    }
    fn serialize_unit(self) -> Result<(), KeyError> {
        self.tagged(frame::UNIT, &[])
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), KeyError> {
        self.tagged(frame::UNIT, &[])
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
    ) -> Result<(), KeyError> {
        self.variant(frame::UNIT_VARIANT, index);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), KeyError> {
        write(self.out, value)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        value: &T,
    ) -> Result<(), KeyError> {
        write(self.variant(frame::NEWTYPE_VARIANT, index), value)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a>, KeyError> {
        Ok(match self.set {
            true => Seq::Unordered(Unordered {
                out: self.out,
                tag: frame::SET,
                items: Vec::new(),
                key: None,
            }),
            false => {
                self.out.update(&[frame::SEQ]);
                Seq::Ordered(Ordered {
                    out: self.out,
                    count: 0,
                })
            }
        })
    }
    fn serialize_tuple(self, _len: usize) -> Result<Ordered<'a>, KeyError> {
        self.out.update(&[frame::TUPLE]);
        Ok(Ordered::new(self.out))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Ordered<'a>, KeyError> {
        self.out.update(&[frame::TUPLE]);
        Ok(Ordered::new(self.out))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Ordered<'a>, KeyError> {
        Ok(Ordered::new(self.variant(frame::TUPLE, index)))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'a>, KeyError> {
        Ok(Unordered {
            out: self.out,
            tag: frame::MAP,
            items: Vec::new(),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Ordered<'a>, KeyError> {
        self.out.update(&[frame::STRUCT]);
        Ok(Ordered::new(self.out))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Ordered<'a>, KeyError> {
        Ok(Ordered::new(self.variant(frame::STRUCT, index)))
    }
}

/// Elements, fields or entries in the order they come, then their count.
struct Ordered<'a> {
    out: &'a mut blake3::Hasher,
    count: usize,
}

impl<'a> Ordered<'a> {
    fn new(out: &'a mut blake3::Hasher) -> Self {
        Ordered { out, count: 0 }
    }
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), KeyError> {
        self.count += 1;
        write(self.out, value)
    }
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), KeyError> {
        frame::field_name(self.out, name);
        self.element(value)
    }
    fn finish(self) -> Result<(), KeyError> {
        frame::close(self.out, self.count);
        Ok(())
    }
}

/// Elements of a set, or entries of a map, each hashed alone; written sorted at the end.
struct Unordered<'a> {
    out: &'a mut blake3::Hasher,
    tag: u8,
    items: Vec<[u8; 32]>,
    /// A map entry's key, until its value comes.
    key: Option<[u8; 32]>,
}

type Map<'a> = Unordered<'a>;

impl Unordered<'_> {
    fn finish(self) -> Result<(), KeyError> {
        frame::unordered(self.out, self.tag, self.items);
        Ok(())
    }
}

/// A sequence: in order, or (a hash set) as a set.
enum Seq<'a> {
    Ordered(Ordered<'a>),
    Unordered(Unordered<'a>),
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = KeyError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), KeyError> {
        match self {
            Seq::Ordered(seq) => seq.element(value),
            Seq::Unordered(set) => {
                set.items.push(digest(value)?);
                Ok(())
            }
        }
    }
    fn end(self) -> Result<(), KeyError> {
        match self {
            Seq::Ordered(seq) => seq.finish(),
            Seq::Unordered(set) => set.finish(),
        }
    }
}

macro_rules! ordered {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Ordered<'_> {
            type Ok = ();
            type Error = KeyError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), KeyError> {
                self.element(value)
            }
            fn end(self) -> Result<(), KeyError> {
                self.finish()
            }
        }
    )*};
}

ordered!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! named {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Ordered<'_> {
            type Ok = ();
            type Error = KeyError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), KeyError> {
                self.field(name, value)
            }
            fn end(self) -> Result<(), KeyError> {
                self.finish()
            }
        }
    )*};
}

named!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = KeyError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), KeyError> {
        self.key = Some(digest(key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), KeyError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("a map value came without its key"))?;
        self.items.push(frame::entry(&key, &digest(value)?));
        Ok(())
    }
    fn end(self) -> Result<(), KeyError> {
        self.finish()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::{BTreeMap, HashMap, HashSet};

    use serde::Serialize;

    use super::*;

    fn key<T: Serialize + ?Sized>(value: &T) -> [u8; 32] {
        digest(value).unwrap()
    }

    /// 200 words, and one set of them built in two orders that iterate differently.
    pub(in crate::cache) fn one_set_two_orders(
        words: &[String],
    ) -> (HashSet<&String>, HashSet<&String>) {
        let forward: HashSet<&String> = words.iter().collect();
        let backward: HashSet<&String> = words.iter().rev().collect();
        assert_ne!(
            forward.iter().collect::<Vec<_>>(),
            backward.iter().collect::<Vec<_>>(),
            "two tables of one set iterate in different orders (else this test proves nothing)"
        );
        (forward, backward)
    }

    pub(in crate::cache) fn words() -> Vec<String> {
        (0..200).map(|i| format!("word {i}")).collect()
    }

    #[test]
    fn hash_maps_and_sets_key_the_same_whatever_their_order() {
        let words = words();
        let (forward, backward) = one_set_two_orders(&words);
        assert_eq!(key(&forward), key(&backward));
        let counts = |order: &mut dyn Iterator<Item = &String>| -> HashMap<String, usize> {
            order.map(|w| (w.clone(), w.len())).collect()
        };
        let a = counts(&mut words.iter());
        let b = counts(&mut words.iter().rev());
        assert_eq!(key(&a), key(&b));
        let sorted: BTreeMap<_, _> = a.clone().into_iter().collect();
        assert_eq!(key(&a), key(&sorted), "a map is its entries");
        #[derive(Serialize)]
        struct Nested<'a> {
            tags: &'a HashSet<&'a String>,
        }
        assert_eq!(
            key(&Nested { tags: &forward }),
            key(&Nested { tags: &backward })
        );
    }

    #[test]
    fn different_values_give_different_keys() {
        assert_ne!(
            key(&vec![1u32, 2]),
            key(&vec![2u32, 1]),
            "a Vec keeps its order"
        );
        let one: HashSet<u32> = [1, 2].into();
        let other: HashSet<u32> = [1, 3].into();
        assert_ne!(key(&one), key(&other));
        assert_ne!(key("ab"), key(&("a", "b")));
        assert_ne!(key(&1u32), key(&1u64));
        assert_ne!(key(&Some(())), key(&None::<()>));
        assert_ne!(key(&[["a"], ["b"]]), key(&[["a", "b"]]));
    }

    #[test]
    fn fields_left_out_by_skip_serializing_if_are_told_apart() {
        #[derive(Serialize)]
        struct Sparse {
            #[serde(skip_serializing_if = "Option::is_none")]
            a: Option<u8>,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<u8>,
        }
        let first = Sparse {
            a: Some(1),
            b: None,
        };
        let second = Sparse {
            a: None,
            b: Some(1),
        };
        assert_ne!(key(&first), key(&second));
        let both = (postcard::to_stdvec(&first), postcard::to_stdvec(&second));
        assert_eq!(
            both.0.unwrap(),
            both.1.unwrap(),
            "postcard cannot tell them apart"
        );
    }
}
