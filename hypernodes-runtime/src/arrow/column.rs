//! One Rust type as one Arrow column: how to build it and how to read it back.

use std::ops::Range;
use std::sync::Arc;

use arrow_array::builder::{ArrayBuilder, BooleanBuilder, PrimitiveBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, BooleanArray, StringArray};
use arrow_schema::DataType;

use super::layout::widen;

/// Why a column cannot be read as a Rust type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Its Arrow layout is not one the type reads.
    Layout,
    /// It holds a null at `row` and the type has no value for it (it is not an `Option`).
    Null {
        /// The first null row.
        row: usize,
    },
}

/// A Rust type that is one Arrow column: `bool`, the integers (`usize` and `isize` as 64-bit
/// columns), `f32`, `f64`, `String`, and
/// `Option<T>` (nullable), `Vec<T>` (a list) and `[T; N]` (a fixed-size list) of those.
///
/// Reading accepts, besides the type's own layout: `LargeUtf8` and `Utf8View` for `String`;
/// any narrower integer of the same signedness, and any narrower unsigned integer for a signed
/// one, for an integer (`Int32` or `UInt16` for `i64`); `Float32` for `f64`; `LargeList` for
/// `Vec<T>`. Those are converted once per batch; the type's own layout is read in place.
///
/// ```
/// use hypernodes::arrow::Column;
/// use hypernodes::arrow::arrow_schema::DataType;
/// assert_eq!(<Option<u64>>::data_type(), DataType::UInt64);
/// assert!(<Option<u64>>::NULLABLE);
/// assert!(matches!(<[f32; 4]>::data_type(), DataType::FixedSizeList(_, 4)));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no Arrow column, so a pipeline with it cannot read or write record batches",
    label = "not an Arrow column type",
    note = "columns exist for bool, the integers, f32, f64, String, and Option<T>, Vec<T> and [T; N] of those"
)]
pub trait Column: Sized {
    /// Whether the column may hold nulls (`Option<T>`).
    const NULLABLE: bool = false;
    /// What builds the column.
    type Builder: ArrayBuilder;
    /// What reads it: a typed view of an array already in [`Column::data_type`]'s layout.
    type Reader<'a>;

    /// The column's Arrow type.
    fn data_type() -> DataType;
    /// A builder with room for `capacity` rows.
    fn builder(capacity: usize) -> Self::Builder;
    /// A builder with room for `values`, which are about to be pushed: a type whose values
    /// own memory of their own (`String`) sizes its buffers from them, so that they are not
    /// grown and copied while pushing.
    fn builder_for<'a>(values: impl Iterator<Item = &'a Self> + Clone) -> Self::Builder
    where
        Self: 'a,
    {
        Self::builder(values.count())
    }
    /// Appends a value.
    fn push(builder: &mut Self::Builder, value: Self);
    /// Appends a null: the row of an `Option`'s `None`, or a placeholder inside one.
    fn push_null(builder: &mut Self::Builder);
    /// `array` in this type's layout: itself when it has it, a converted copy for an accepted
    /// layout. Nulls at this level are the caller's to check; nulls inside (a list's elements)
    /// are refused here unless the element type is an `Option`.
    fn conform(array: &ArrayRef) -> Result<ArrayRef, Refusal>;
    /// The reader of a conformed array.
    fn reader(array: &ArrayRef) -> Self::Reader<'_>;
    /// The value at `row`, which is not null unless `Self` is an `Option`.
    fn read(reader: &Self::Reader<'_>, row: usize) -> Self;
    /// The values at `rows`, a list's elements: read one by one, or copied as one slice by the
    /// numbers, whose column is a plain buffer of them.
    #[inline]
    fn read_run(reader: &Self::Reader<'_>, rows: Range<usize>) -> Vec<Self> {
        rows.map(|row| Self::read(reader, row)).collect()
    }
    /// The `N` values from `start` on, a fixed-size list's elements (an embedding), like
    /// [`Column::read_run`].
    #[inline]
    fn read_array<const N: usize>(reader: &Self::Reader<'_>, start: usize) -> [Self; N] {
        std::array::from_fn(|k| Self::read(reader, start + k))
    }
    /// Every row of a conformed `array` as one slice of `Self`, when its buffer holds exactly
    /// that: the numbers and fixed-size lists of numbers, without a null. A batch node taking
    /// `&[Self]` is then handed the buffer itself instead of a copy of its rows.
    #[inline]
    fn lend(array: &ArrayRef) -> Option<&[Self]> {
        let _ = array;
        None
    }
}

/// `array` conformed to `T`, refusing a null at this level unless `T` is an `Option`; only
/// rows in `rows` are looked at for nulls (a list's elements outside its slice are not its).
pub(crate) fn checked<T: Column>(
    array: &ArrayRef,
    rows: std::ops::Range<usize>,
) -> Result<ArrayRef, Refusal> {
    let conformed = T::conform(array)?;
    if !T::NULLABLE {
        if let Some(nulls) = conformed.logical_nulls() {
            if let Some(row) = rows.clone().find(|&row| nulls.is_null(row)) {
                return Err(Refusal::Null { row });
            }
        }
    }
    Ok(conformed)
}

macro_rules! primitive {
    ($rust:ty, $arrow:ty, $data_type:ident, [$($narrower:ty),*]) => {
        impl Column for $rust {
            type Builder = PrimitiveBuilder<$arrow>;
            type Reader<'a> = &'a [$rust];

            fn data_type() -> DataType {
                DataType::$data_type
            }
            fn builder(capacity: usize) -> Self::Builder {
                PrimitiveBuilder::with_capacity(capacity)
            }
            #[inline]
            fn push(builder: &mut Self::Builder, value: Self) {
                builder.append_value(value);
            }
            fn push_null(builder: &mut Self::Builder) {
                builder.append_null();
            }
            fn conform(array: &ArrayRef) -> Result<ArrayRef, Refusal> {
                if array.data_type() == &DataType::$data_type {
                    return Ok(array.clone());
                }
                $(if let Some(wider) = widen::<$narrower, $arrow>(array) {
                    return Ok(wider);
                })*
                Err(Refusal::Layout)
            }
            fn reader(array: &ArrayRef) -> &[$rust] {
                array.as_primitive::<$arrow>().values()
            }
            #[inline]
            fn read(reader: &&[$rust], row: usize) -> Self {
                reader[row]
            }
            #[inline]
            fn read_run(reader: &&[$rust], rows: Range<usize>) -> Vec<Self> {
                reader[rows].to_vec()
            }
            #[inline]
            fn read_array<const N: usize>(reader: &&[$rust], start: usize) -> [Self; N] {
                *reader[start..]
                    .first_chunk::<N>()
                    .expect("a fixed-size list's row has its N values")
            }
            fn lend(array: &ArrayRef) -> Option<&[$rust]> {
                let numbers = array.as_primitive_opt::<$arrow>()?;
                (numbers.null_count() == 0).then(|| numbers.values().as_ref())
            }
        }
    };
}

primitive!(i8, Int8Type, Int8, []);
primitive!(i16, Int16Type, Int16, [Int8Type, UInt8Type]);
primitive!(
    i32,
    Int32Type,
    Int32,
    [Int8Type, Int16Type, UInt8Type, UInt16Type]
);
primitive!(
    i64,
    Int64Type,
    Int64,
    [Int8Type, Int16Type, Int32Type, UInt8Type, UInt16Type, UInt32Type]
);
primitive!(u8, UInt8Type, UInt8, []);
primitive!(u16, UInt16Type, UInt16, [UInt8Type]);
primitive!(u32, UInt32Type, UInt32, [UInt8Type, UInt16Type]);
primitive!(u64, UInt64Type, UInt64, [UInt8Type, UInt16Type, UInt32Type]);
primitive!(f32, Float32Type, Float32, []);
primitive!(f64, Float64Type, Float64, [Float32Type]);

/// `usize` and `isize` as 64-bit columns (`UInt64`, `Int64`): Arrow has no pointer-sized
/// integer, and counts and lengths are `usize` in Rust.
macro_rules! pointer_sized {
    ($rust:ty, $as:ty) => {
        #[cfg(target_pointer_width = "64")]
        impl Column for $rust {
            type Builder = <$as as Column>::Builder;
            type Reader<'a> = <$as as Column>::Reader<'a>;

            fn data_type() -> DataType {
                <$as>::data_type()
            }
            fn builder(capacity: usize) -> Self::Builder {
                <$as>::builder(capacity)
            }
            #[inline]
            fn push(builder: &mut Self::Builder, value: Self) {
                <$as>::push(builder, value as $as);
            }
            fn push_null(builder: &mut Self::Builder) {
                <$as>::push_null(builder);
            }
            fn conform(array: &ArrayRef) -> Result<ArrayRef, Refusal> {
                <$as>::conform(array)
            }
            fn reader(array: &ArrayRef) -> Self::Reader<'_> {
                <$as>::reader(array)
            }
            #[inline]
            fn read(reader: &Self::Reader<'_>, row: usize) -> Self {
                // Lossless: this impl exists only where the pointer is 64 bits wide.
                <$as>::read(reader, row) as $rust
            }
        }
    };
}

pointer_sized!(usize, u64);
pointer_sized!(isize, i64);

impl Column for bool {
    type Builder = BooleanBuilder;
    type Reader<'a> = &'a BooleanArray;

    fn data_type() -> DataType {
        DataType::Boolean
    }
    fn builder(capacity: usize) -> BooleanBuilder {
        BooleanBuilder::with_capacity(capacity)
    }
    fn push(builder: &mut BooleanBuilder, value: bool) {
        builder.append_value(value);
    }
    fn push_null(builder: &mut BooleanBuilder) {
        builder.append_null();
    }
    fn conform(array: &ArrayRef) -> Result<ArrayRef, Refusal> {
        match array.data_type() {
            DataType::Boolean => Ok(array.clone()),
            _ => Err(Refusal::Layout),
        }
    }
    fn reader(array: &ArrayRef) -> &BooleanArray {
        array.as_boolean()
    }
    fn read(reader: &&BooleanArray, row: usize) -> bool {
        reader.value(row)
    }
}

impl Column for String {
    type Builder = StringBuilder;
    type Reader<'a> = &'a StringArray;

    fn data_type() -> DataType {
        DataType::Utf8
    }
    fn builder(capacity: usize) -> StringBuilder {
        // 16 bytes a row to start with; the builder grows as it must.
        StringBuilder::with_capacity(capacity, capacity.saturating_mul(16))
    }
    fn builder_for<'a>(values: impl Iterator<Item = &'a String> + Clone) -> StringBuilder {
        let (rows, bytes) = values.fold((0, 0), |(rows, bytes), v| (rows + 1, bytes + v.len()));
        StringBuilder::with_capacity(rows, bytes)
    }
    #[inline]
    fn push(builder: &mut StringBuilder, value: String) {
        builder.append_value(value);
    }
    fn push_null(builder: &mut StringBuilder) {
        builder.append_null();
    }
    fn conform(array: &ArrayRef) -> Result<ArrayRef, Refusal> {
        let converted: StringArray = match array.data_type() {
            DataType::Utf8 => return Ok(array.clone()),
            DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
            DataType::Utf8View => array.as_string_view().iter().collect(),
            _ => return Err(Refusal::Layout),
        };
        Ok(Arc::new(converted))
    }
    fn reader(array: &ArrayRef) -> &StringArray {
        array.as_string::<i32>()
    }
    #[inline]
    fn read(reader: &&StringArray, row: usize) -> String {
        reader.value(row).to_owned()
    }
}
