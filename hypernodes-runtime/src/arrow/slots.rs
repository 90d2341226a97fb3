//! A unit of a batched pipeline filled from a record batch's rows, column by column: each
//! input's values read into its column, or its column lent to the batch nodes that borrow it.

use std::ops::Range;

use arrow_array::ArrayRef;

use super::column::Column;
use crate::plumbing::lent::{InputSlot, Lent};

/// The input slots of a unit (`Plumbing::Slots`, nested pairs of [`InputSlot`] in the order of the
/// pipeline's inputs) filled from checked input columns. Public only because `map_batch`'s
/// bounds name it.
#[doc(hidden)]
pub trait FillSlots {
    /// Fills each slot from the column of the same position, at `rows`.
    fn fill(self, columns: &[ArrayRef], rows: Range<usize>);
}

impl FillSlots for () {
    #[inline]
    fn fill(self, _: &[ArrayRef], _: Range<usize>) {}
}

impl<H: Column, T: FillSlots> FillSlots for (InputSlot<'_, H>, T) {
    #[inline]
    fn fill(self, columns: &[ArrayRef], rows: Range<usize>) {
        let ((slot, rest), (column, others)) =
            (self, columns.split_first().expect("a column per input"));
        let lent = slot.lent.is_some_and(|lent| lend(lent, column));
        if !lent {
            let reader = H::reader(column);
            let values = slot.values;
            values.reserve(rows.len());
            values.extend(rows.clone().map(|row| Some(H::read(&reader, row))));
        }
        rest.fill(others, rows);
    }
}

/// Lends `array` when `T` can be viewed in it (`Column::lend`); whether it did. A unit whose
/// column is not lent has nothing lent from the unit before.
fn lend<T: Column>(lent: &mut Lent<T>, array: &ArrayRef) -> bool {
    if T::lend(array).is_none() {
        lent.clear();
        return false;
    }
    lent.set(array, T::lend, read_rows::<T>);
    true
}

/// Row `first + i` for each item `i` of `chunk`, read one by one.
fn read_rows<T: Column>(array: &ArrayRef, first: usize, chunk: &[usize]) -> Vec<T> {
    let reader = T::reader(array);
    chunk.iter().map(|&i| T::read(&reader, first + i)).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::types::Float32Type;
    use arrow_array::{ArrayRef, FixedSizeListArray, UInt64Array};

    use super::FillSlots;
    use crate::plumbing::lent::{InputSlot, Lending, Lent};

    #[test]
    fn a_column_without_nulls_is_lent_and_its_rows_are_the_buffer() {
        let column = UInt64Array::from(vec![10, 11, 12, 13, 14]);
        let array: ArrayRef = Arc::new(column.slice(1, 4));
        let (mut values, mut lent) = (Vec::<Option<u64>>::new(), Lent::<u64>::default());
        (InputSlot::lendable(&mut values, &mut lent), ()).fill(std::slice::from_ref(&array), 2..4);
        assert!(lent.is_lent() && values.is_empty());
        // Unit of rows 2..4: its items 0 and 1 are rows 2 and 3 of the sliced column.
        let Some(Lending::Borrowed(rows)) = lent.rows(2, &[0, 1]) else {
            panic!("consecutive items are lent");
        };
        assert_eq!(rows, [13, 14]);
        let values_buffer = column.values().as_ptr();
        assert_eq!(rows.as_ptr(), values_buffer.wrapping_add(3));
        let Some(Lending::Owned(gathered)) = lent.rows(1, &[0, 2]) else {
            panic!("items apart are copied");
        };
        assert_eq!(gathered, [12, 14]);
    }

    #[test]
    fn a_column_with_nulls_or_a_slot_never_lent_is_read_into_values() {
        let array: ArrayRef = Arc::new(UInt64Array::from(vec![Some(1), None, Some(3)]));
        let (mut values, mut lent) = (Vec::<Option<Option<u64>>>::new(), Lent::default());
        (InputSlot::lendable(&mut values, &mut lent), ()).fill(std::slice::from_ref(&array), 1..3);
        assert!(!lent.is_lent() && lent.rows(1, &[0]).is_none());
        assert_eq!(values, [Some(None), Some(Some(3))]);
        let mut plain = Vec::<Option<u64>>::new();
        let dense: ArrayRef = Arc::new(UInt64Array::from(vec![5, 6]));
        (InputSlot::values(&mut plain), ()).fill(&[dense], 0..2);
        assert_eq!(plain, [Some(5), Some(6)]);
    }

    #[test]
    fn embeddings_are_lent_as_arrays_from_a_sliced_list() {
        let rows_in = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]].map(|r| Some(r.map(Some)));
        let list = FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>(rows_in, 2);
        let array: ArrayRef = Arc::new(list.slice(1, 2));
        let (mut values, mut lent) = (Vec::<Option<[f32; 2]>>::new(), Lent::default());
        (InputSlot::lendable(&mut values, &mut lent), ()).fill(&[array], 0..2);
        assert_eq!(&*lent.rows(0, &[0, 1]).unwrap(), [[3.0, 4.0], [5.0, 6.0]]);
        assert_eq!(&*lent.rows(0, &[1]).unwrap(), [[5.0, 6.0]]);
    }
}
