//! Columns made of other columns: `Option<T>` (nullable), `Vec<T>` (a list), `[T; N]` (a
//! fixed-size list, e.g. an embedding).

use std::sync::Arc;

use arrow_array::builder::{FixedSizeListBuilder, ListBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, FixedSizeListArray, ListArray};
use arrow_buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, FieldRef};

use super::column::{checked, Column, Refusal};

impl<T: Column> Column for Option<T> {
    const NULLABLE: bool = true;
    type Builder = T::Builder;
    type Reader<'a> = (T::Reader<'a>, Option<&'a NullBuffer>);

    fn data_type() -> DataType {
        const {
            assert!(
                !T::NULLABLE,
                "`Option<Option<T>>` has no Arrow column: a null cannot say which `None` it is"
            )
        };
        T::data_type()
    }
    fn builder(capacity: usize) -> T::Builder {
        T::builder(capacity)
    }
    fn builder_for<'a>(values: impl Iterator<Item = &'a Self> + Clone) -> T::Builder
    where
        Self: 'a,
    {
        T::builder_for(values.filter_map(Option::as_ref))
    }
    #[inline]
    fn push(builder: &mut T::Builder, value: Self) {
        match value {
            Some(value) => T::push(builder, value),
            None => T::push_null(builder),
        }
    }
    fn push_null(builder: &mut T::Builder) {
        T::push_null(builder);
    }
    fn conform(array: &ArrayRef) -> Result<ArrayRef, Refusal> {
        T::conform(array)
    }
    fn reader(array: &ArrayRef) -> Self::Reader<'_> {
        (T::reader(array), array.nulls())
    }
    #[inline]
    fn read((values, nulls): &Self::Reader<'_>, row: usize) -> Self {
        match nulls {
            Some(nulls) if nulls.is_null(row) => None,
            _ => Some(T::read(values, row)),
        }
    }
}

/// The field of a list's elements of type `T`.
fn element<T: Column>() -> FieldRef {
    Arc::new(Field::new("item", T::data_type(), T::NULLABLE))
}

/// A list's elements conformed to `T`, a null among them refused with the row of the list
/// holding it.
fn elements<T: Column>(values: &ArrayRef, offsets: &[usize]) -> Result<ArrayRef, Refusal> {
    let covered = offsets[0]..offsets[offsets.len() - 1];
    checked::<T>(values, covered).map_err(|refusal| match refusal {
        Refusal::Null { row } => Refusal::Null {
            row: offsets.partition_point(|&start| start <= row) - 1,
        },
        Refusal::Layout => Refusal::Layout,
    })
}

impl<T: Column> Column for Vec<T> {
    type Builder = ListBuilder<T::Builder>;
    type Reader<'a> = (&'a [i32], T::Reader<'a>);

    fn data_type() -> DataType {
        DataType::List(element::<T>())
    }
    fn builder(capacity: usize) -> Self::Builder {
        ListBuilder::with_capacity(T::builder(capacity), capacity).with_field(element::<T>())
    }
    fn builder_for<'a>(values: impl Iterator<Item = &'a Self> + Clone) -> Self::Builder
    where
        Self: 'a,
    {
        let elements = T::builder_for(values.clone().flat_map(|list| list.iter()));
        ListBuilder::with_capacity(elements, values.count()).with_field(element::<T>())
    }
    #[inline]
    fn push(builder: &mut Self::Builder, value: Self) {
        for element in value {
            T::push(builder.values(), element);
        }
        builder.append(true);
    }
    fn push_null(builder: &mut Self::Builder) {
        builder.append(false);
    }
    fn conform(array: &ArrayRef) -> Result<ArrayRef, Refusal> {
        let (offsets, values, nulls) = match array.data_type() {
            DataType::List(_) => {
                let list = array.as_list::<i32>();
                (list.offsets().clone(), list.values(), list.nulls())
            }
            DataType::LargeList(_) => {
                let list = array.as_list::<i64>();
                let narrow: Result<Vec<i32>, _> = list
                    .value_offsets()
                    .iter()
                    .map(|&o| i32::try_from(o))
                    .collect();
                let narrow = narrow.map_err(|_| Refusal::Layout)?;
                (
                    OffsetBuffer::new(ScalarBuffer::from(narrow)),
                    list.values(),
                    list.nulls(),
                )
            }
            _ => return Err(Refusal::Layout),
        };
        let starts: Vec<usize> = offsets.iter().map(|&o| o as usize).collect();
        let values = elements::<T>(values, &starts)?;
        let list = ListArray::try_new(element::<T>(), offsets, values, nulls.cloned())
            .map_err(|_| Refusal::Layout)?;
        Ok(Arc::new(list))
    }
    fn reader(array: &ArrayRef) -> Self::Reader<'_> {
        let list = array.as_list::<i32>();
        (list.value_offsets(), T::reader(list.values()))
    }
    #[inline]
    fn read((offsets, values): &Self::Reader<'_>, row: usize) -> Self {
        let (start, end) = (offsets[row] as usize, offsets[row + 1] as usize);
        T::read_run(values, start..end)
    }
}

impl<T: Column, const N: usize> Column for [T; N] {
    type Builder = FixedSizeListBuilder<T::Builder>;
    type Reader<'a> = (&'a FixedSizeListArray, T::Reader<'a>);

    fn data_type() -> DataType {
        DataType::FixedSizeList(element::<T>(), length::<N>())
    }
    fn builder(capacity: usize) -> Self::Builder {
        let values = T::builder(capacity.saturating_mul(N));
        FixedSizeListBuilder::with_capacity(values, length::<N>(), capacity)
            .with_field(element::<T>())
    }
    fn builder_for<'a>(values: impl Iterator<Item = &'a Self> + Clone) -> Self::Builder
    where
        Self: 'a,
    {
        let elements = T::builder_for(values.clone().flat_map(|array| array.iter()));
        FixedSizeListBuilder::with_capacity(elements, length::<N>(), values.count())
            .with_field(element::<T>())
    }
    #[inline]
    fn push(builder: &mut Self::Builder, value: Self) {
        for element in value {
            T::push(builder.values(), element);
        }
        builder.append(true);
    }
    fn push_null(builder: &mut Self::Builder) {
        for _ in 0..N {
            T::push_null(builder.values());
        }
        builder.append(false);
    }
    fn conform(array: &ArrayRef) -> Result<ArrayRef, Refusal> {
        let DataType::FixedSizeList(_, size) = array.data_type() else {
            return Err(Refusal::Layout);
        };
        if *size != length::<N>() {
            return Err(Refusal::Layout);
        }
        let list = array.as_fixed_size_list();
        let starts: Vec<usize> = (0..=list.len())
            .map(|row| list.value_offset_at(row))
            .collect();
        let values = elements::<T>(list.values(), &starts)?;
        let list =
            FixedSizeListArray::try_new(element::<T>(), *size, values, list.nulls().cloned())
                .map_err(|_| Refusal::Layout)?;
        Ok(Arc::new(list))
    }
    fn reader(array: &ArrayRef) -> Self::Reader<'_> {
        let list = array.as_fixed_size_list();
        (list, T::reader(list.values()))
    }
    #[inline]
    fn read((list, values): &Self::Reader<'_>, row: usize) -> Self {
        T::read_array(values, list.value_offset_at(row))
    }
    fn lend(array: &ArrayRef) -> Option<&[Self]> {
        let list = array.as_fixed_size_list_opt()?;
        if N == 0 || list.null_count() != 0 || list.value_length() != length::<N>() {
            return None;
        }
        // A sliced list slices its values too, so row 0 starts the buffer.
        let (rows, rest) = T::lend(list.values())?.as_chunks::<N>();
        (rest.is_empty() && rows.len() == list.len()).then_some(rows)
    }
}

/// `N` as Arrow's `i32` list size; a larger array has no Arrow column.
fn length<const N: usize>() -> i32 {
    const {
        assert!(
            N <= i32::MAX as usize,
            "a fixed-size list holds at most i32::MAX values"
        );
    }
    N as i32
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::types::{Float32Type, UInt64Type};
    use arrow_array::{Array, ArrayRef, FixedSizeListArray, ListArray};

    use crate::arrow::column::Column;

    /// Every row of `array` read as `T` after the column's own checks.
    fn rows<T: Column>(array: ArrayRef) -> Vec<T> {
        let conformed = T::conform(&array).expect("the layout is T's");
        let reader = T::reader(&conformed);
        (0..conformed.len())
            .map(|row| T::read(&reader, row))
            .collect()
    }

    #[test]
    fn sliced_lists_of_numbers_read_their_own_rows() {
        let lists = [
            Some(vec![Some(1), Some(2)]),
            Some(vec![Some(3)]),
            Some(vec![]),
        ];
        let list = ListArray::from_iter_primitive::<UInt64Type, _, _>(lists.clone());
        let sliced: ArrayRef = Arc::new(list.slice(1, 2));
        assert_eq!(rows::<Vec<u64>>(sliced.clone()), [vec![3], vec![]]);
        assert_eq!(rows::<Vec<Option<u64>>>(sliced), [vec![Some(3)], vec![]]);
    }

    #[test]
    fn sliced_fixed_size_lists_of_numbers_read_their_own_rows() {
        let rows_in = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]].map(|r| Some(r.map(Some)));
        let list = FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>(rows_in, 2);
        let sliced: ArrayRef = Arc::new(list.slice(1, 2));
        assert_eq!(rows::<[f32; 2]>(sliced.clone()), [[3.0, 4.0], [5.0, 6.0]]);
        let one_by_one = rows::<[Option<f32>; 2]>(sliced);
        assert_eq!(one_by_one, [[Some(3.0), Some(4.0)], [Some(5.0), Some(6.0)]]);
    }
}
