//! What a cached node's inputs must be: values that write *all* of themselves into a key.
//!
//! serde's `Serialize` is not enough for that: `#[serde(skip)]` leaves a field out of what it
//! writes, and two inputs that differ only there would share cache entries (a wrong value, never
//! repaired). `#[derive(CacheKey)]` writes every field, and has no way to leave one out.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::ffi::{OsStr, OsString};
use std::num::Wrapping;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use super::KeyWriter;

/// A value that can be part of a cache key: every input of a cached node. Derive it on your own
/// types; it is implemented for the standard library's values and collections.
///
/// The derived key covers every field, with its name, and every variant; it leaves nothing out
/// (unlike serde's `Serialize`, whose `#[serde(skip)]` fields would make inputs that differ only
/// there share entries). A field of a type from another crate that has no `CacheKey` impl can
/// be keyed through its `Serialize`: mark it `#[cache_key(serde)]`. If the `hypernodes` crate
/// is renamed, say where it is with `#[cache_key(crate = "path")]` on the type.
///
/// ```
/// use hypernodes::cache::{CacheKey, Key};
///
/// #[derive(CacheKey)]
/// pub struct Query {
///     text: String,
///     limit: u32,
/// }
///
/// let key = |q: &Query| Key::builder(1, 0).value(q).unwrap().finish();
/// let few = Query { text: "rust".into(), limit: 3 };
/// let many = Query { text: "rust".into(), limit: 300 };
/// assert_ne!(key(&few), key(&many));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be part of a cache key: it does not implement `CacheKey`",
    label = "not `CacheKey`",
    note = "derive it: `#[derive(hypernodes::cache::CacheKey)]` keys every field (serde's `Serialize` is not used for keys: it leaves `#[serde(skip)]` fields out)",
    note = "a field whose type comes from another crate can be keyed through its `Serialize` with `#[cache_key(serde)]`"
)]
pub trait CacheKey {
    /// Writes the whole value into `key`.
    fn write_key(&self, key: &mut KeyWriter<'_>);
}

/// Values serde writes whole (numbers, text, times): their key is their serde form.
macro_rules! by_serde {
    ($($ty:ty),* $(,)?) => {$(
        impl CacheKey for $ty {
            #[inline]
            fn write_key(&self, key: &mut KeyWriter<'_>) {
                key.serialized(self);
            }
        }
    )*};
}

by_serde!(bool, char, u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64);
by_serde!(str, String, std::time::Duration, std::time::SystemTime);
by_serde!(
    std::net::IpAddr,
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
    std::net::SocketAddr
);
by_serde!(
    std::num::NonZeroU8,
    std::num::NonZeroU16,
    std::num::NonZeroU32
);
by_serde!(
    std::num::NonZeroU64,
    std::num::NonZeroU128,
    std::num::NonZeroUsize
);
by_serde!(
    std::num::NonZeroI8,
    std::num::NonZeroI16,
    std::num::NonZeroI32
);
by_serde!(
    std::num::NonZeroI64,
    std::num::NonZeroI128,
    std::num::NonZeroIsize
);

impl CacheKey for () {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        key.unit();
    }
}

impl<T: ?Sized> CacheKey for std::marker::PhantomData<T> {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        key.unit();
    }
}

/// A path or OS string: its text when it is UTF-8 (as serde writes it), else its raw bytes
/// (which serde refuses).
impl CacheKey for OsStr {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        match self.to_str() {
            Some(text) => key.value(text),
            None => key.bytes(self.as_encoded_bytes()),
        };
    }
}

/// Keys, and wrappers whose key is the value they hold.
macro_rules! through {
    ($(<$($g:ident),*> $ty:ty => |$v:ident| $inner:expr;)*) => {$(
        impl<$($g: CacheKey + ?Sized),*> CacheKey for $ty {
            #[inline]
            fn write_key(&self, key: &mut KeyWriter<'_>) {
                let $v = self;
                key.value($inner);
            }
        }
    )*};
}

through! {
    <> OsString => |v| v.as_os_str();
    <> Path => |v| v.as_os_str();
    <> PathBuf => |v| v.as_os_str();
    <T> &T => |v| &**v;
    <T> &mut T => |v| &**v;
    <T> Box<T> => |v| &**v;
    <T> Rc<T> => |v| &**v;
    <T> Arc<T> => |v| &**v;
}

impl<T: CacheKey> CacheKey for Wrapping<T> {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        key.value(&self.0);
    }
}

impl<T: CacheKey> CacheKey for std::cmp::Reverse<T> {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        key.value(&self.0);
    }
}

impl<T: CacheKey + ToOwned + ?Sized> CacheKey for Cow<'_, T> {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        key.value(&**self);
    }
}

impl<T: CacheKey> CacheKey for Option<T> {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        match self {
            Some(value) => key.some(value),
            None => key.none(),
        };
    }
}

impl<T: CacheKey, E: CacheKey> CacheKey for Result<T, E> {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        match self {
            Ok(value) => key.newtype_variant(0, value),
            Err(error) => key.newtype_variant(1, error),
        };
    }
}

/// Sequences whose order matters.
macro_rules! ordered {
    ($(<$($g:ident),*> $ty:ty;)*) => {$(
        impl<$($g: CacheKey),*> CacheKey for $ty {
            fn write_key(&self, key: &mut KeyWriter<'_>) {
                key.sequence().elements(self);
            }
        }
    )*};
}

ordered! {
    <T> [T];
    <T> Vec<T>;
    <T> VecDeque<T>;
    <T> LinkedList<T>;
    <T> BTreeSet<T>;
}

/// An array is a tuple of `N` elements, as serde writes it.
impl<T: CacheKey, const N: usize> CacheKey for [T; N] {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        key.tuple().elements(self);
    }
}

impl<T: CacheKey, S> CacheKey for HashSet<T, S> {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        key.set(self);
    }
}

impl<K: CacheKey, V: CacheKey, S> CacheKey for HashMap<K, V, S> {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        key.map(self);
    }
}

/// Any map is the set of its entries (as serde's maps are keyed), so a `BTreeMap` and a
/// `HashMap` of the same entries share a key.
impl<K: CacheKey, V: CacheKey> CacheKey for BTreeMap<K, V> {
    fn write_key(&self, key: &mut KeyWriter<'_>) {
        key.map(self);
    }
}

macro_rules! tuples {
    ($(($($t:ident $i:tt),+))*) => {$(
        impl<$($t: CacheKey),+> CacheKey for ($($t,)+) {
            fn write_key(&self, key: &mut KeyWriter<'_>) {
                let mut elements = key.tuple();
                $(elements.element(&self.$i);)+
            }
        }
    )*};
}

tuples! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
    use std::path::PathBuf;

    use serde::Serialize;

    use super::CacheKey;
    use crate::cache::{canonical, Key, KeyWriter};

    fn keyed<T: CacheKey + ?Sized>(value: &T) -> Key {
        Key::builder(1, 0).value(value).unwrap().finish()
    }

    fn serialized<T: Serialize + ?Sized>(value: &T) -> Key {
        Key::builder(1, 0).serialized(value).unwrap().finish()
    }

    /// Both ways of writing a value frame it alike, so inputs of standard types keep the keys
    /// they had when keys were written by serde (and a framing slip would show here).
    macro_rules! same_as_serde {
        ($($value:expr),* $(,)?) => {$(
            assert_eq!(keyed(&$value), serialized(&$value), "{}", stringify!($value));
        )*};
    }

    #[test]
    fn standard_values_key_as_serde_writes_them() {
        let words: HashSet<String> = ["a", "b", "c"].map(String::from).into();
        let counts: HashMap<&str, u32> = [("a", 1), ("b", 2)].into();
        same_as_serde!(
            1u8,
            -2i64,
            3.5f64,
            'x',
            true,
            "text",
            String::from("text"),
            (),
            Some(4u32),
            None::<u32>,
            Ok::<u8, String>(1),
            Err::<u8, String>("no".into()),
            vec![1u16, 2, 3],
            [1u32, 2],
            VecDeque::from([1u8]),
            BTreeSet::from([2u8, 1]),
            (1u8, "two", 3.0f32),
            Box::new(5u8),
            words,
            counts,
            BTreeMap::from([(1u8, vec!["x"])]),
            PathBuf::from("/data/file.txt"),
            std::time::Duration::from_millis(1500),
            vec![Some((1u8, String::from("a")))],
        );
    }

    #[test]
    fn hash_sets_and_maps_key_the_same_whatever_their_order() {
        let words = canonical::tests::words();
        let (forward, backward) = canonical::tests::one_set_two_orders(&words);
        assert_eq!(keyed(&forward), keyed(&backward));
        let map: HashMap<&String, usize> = words.iter().map(|w| (w, w.len())).collect();
        let sorted: BTreeMap<&String, usize> = map.clone().into_iter().collect();
        assert_eq!(keyed(&map), keyed(&sorted), "a map is its entries");
    }

    #[test]
    fn different_values_give_different_keys() {
        assert_ne!(keyed(&vec![1u32, 2]), keyed(&vec![2u32, 1]));
        assert_ne!(keyed("ab"), keyed(&("a", "b")));
        assert_ne!(keyed(&1u32), keyed(&1u64));
        assert_ne!(keyed(&Some(())), keyed(&None::<()>));
        assert_ne!(keyed(&[vec!["a"], vec!["b"]]), keyed(&[vec!["a", "b"]]));
        assert_ne!(keyed(&Ok::<u8, u8>(1)), keyed(&Err::<u8, u8>(1)));
    }

    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_are_keyed_by_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let latin1 = |b: &[u8]| PathBuf::from(std::ffi::OsStr::from_bytes(b));
        let (one, other) = (latin1(b"caf\xe9"), latin1(b"caf\xe8"));
        assert!(
            Key::builder(1, 0).serialized(&one).is_err(),
            "serde refuses them"
        );
        assert_ne!(keyed(&one), keyed(&other));
    }

    /// The hazard `CacheKey` exists for: serde leaves a skipped field out of the key.
    #[test]
    fn a_field_serde_skips_is_in_the_key() {
        #[derive(Serialize)]
        struct Query {
            text: &'static str,
            #[serde(skip)]
            limit: u32,
        }
        impl CacheKey for Query {
            fn write_key(&self, key: &mut KeyWriter<'_>) {
                key.structure()
                    .field("text", self.text)
                    .field("limit", &self.limit);
            }
        }
        let few = Query {
            text: "rust",
            limit: 3,
        };
        let many = Query {
            text: "rust",
            limit: 300,
        };
        assert_eq!(
            serialized(&few),
            serialized(&many),
            "serde cannot tell them apart"
        );
        assert_ne!(keyed(&few), keyed(&many));
    }

    #[test]
    fn an_input_serde_refuses_refuses_the_key() {
        struct Refuses;
        impl Serialize for Refuses {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("not today"))
            }
        }
        struct Holder(Refuses);
        impl CacheKey for Holder {
            fn write_key(&self, key: &mut KeyWriter<'_>) {
                key.tuple().element(&1u8).serialized_element(&self.0);
            }
        }
        let error = Key::builder(1, 0).value(&Holder(Refuses)).err().unwrap();
        assert!(error.to_string().contains("not today"), "{error}");
    }
}
