//! A record batch's column lent to batch nodes: `map_batch` on `Sequential`, `Parallel` and `Streaming`
//! hands a batch node taking `&[T]` the column's own buffer, so its rows are never copied into
//! items (with the `arrow` feature; without it nothing is ever lent).
//!
//! Which inputs can be lent is the macros' decision (every node reading the input is a batch
//! node borrowing it); whether a batch's column is lent is the runtime's, when the batch is
//! filled (`Column::lend`: numbers, or fixed-size lists of them, without a null). Generated
//! code holds a `Lent<T>` per such input in its unit and asks it for each batch's rows.

use std::ops::Deref;

/// The lent column of one input for the unit being run, if any: the whole record batch's
/// column (item `i` of the run is row `i`).
pub struct Lent<T> {
    #[cfg(feature = "arrow")]
    column: Option<LentColumn<T>>,
    #[cfg(not(feature = "arrow"))]
    column: Option<std::convert::Infallible>,
    _values: std::marker::PhantomData<fn() -> T>,
}

/// The column, with what views it as `&[T]` and reads single rows of it. The two functions
/// are `T`'s own (`Column::lend`, `Column::read`), taken where `T: Column` is known, so that
/// generated code asks a `Lent<T>` for rows without naming that bound (a pipeline whose input
/// has no Arrow column still compiles). They run once per batch node call, not per item.
#[cfg(feature = "arrow")]
struct LentColumn<T> {
    array: arrow_array::ArrayRef,
    view: for<'a> fn(&'a arrow_array::ArrayRef) -> Option<&'a [T]>,
    read: fn(&arrow_array::ArrayRef, usize, &[usize]) -> Vec<T>,
}

impl<T> Default for Lent<T> {
    fn default() -> Self {
        Lent {
            column: None,
            _values: std::marker::PhantomData,
        }
    }
}

impl<T> Lent<T> {
    /// Whether the unit's input is lent (its slots in the unit's columns are left empty).
    #[inline]
    pub fn is_lent(&self) -> bool {
        self.column.is_some()
    }

    /// Nothing lent: the unit is filled from items.
    #[inline]
    pub fn clear(&mut self) {
        self.column = None;
    }

    /// The values of the unit's items `chunk` (indices into the unit, whose first item is row
    /// `first`): the column's own rows when `chunk` is a run of consecutive items, a copy of
    /// those rows otherwise; `None` when nothing is lent.
    #[inline]
    pub fn rows(&self, first: usize, chunk: &[usize]) -> Option<Lending<'_, T>> {
        #[cfg(feature = "arrow")]
        {
            let lent = self.column.as_ref()?;
            let (&start, &end) = (chunk.first()?, chunk.last()?);
            let rows = first + start..first + end + 1;
            if rows.len() == chunk.len() {
                let all = (lent.view)(&lent.array).expect("checked when lent");
                return Some(Lending::Borrowed(&all[rows]));
            }
            Some(Lending::Owned((lent.read)(&lent.array, first, chunk)))
        }
        #[cfg(not(feature = "arrow"))]
        {
            let _ = (first, chunk);
            self.column.map(|never| match never {})
        }
    }
}

#[cfg(feature = "arrow")]
impl<T> Lent<T> {
    /// Lends `array` (a conformed column of the whole batch), which `view` shows as `&[T]`
    /// and `read` reads rows of (`Column::lend`, and `Column::read` of the rows of a chunk).
    pub(crate) fn set(
        &mut self,
        array: &arrow_array::ArrayRef,
        view: for<'a> fn(&'a arrow_array::ArrayRef) -> Option<&'a [T]>,
        read: fn(&arrow_array::ArrayRef, usize, &[usize]) -> Vec<T>,
    ) {
        self.column = Some(LentColumn {
            array: array.clone(),
            view,
            read,
        });
    }
}

/// The values a batch node borrows: lent from the column, or gathered into a `Vec`.
pub enum Lending<'a, T> {
    /// A slice of the lent column itself.
    Borrowed(&'a [T]),
    /// Values copied or taken out of the unit's columns.
    Owned(Vec<T>),
}

impl<T> Deref for Lending<'_, T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Lending::Borrowed(rows) => rows,
            Lending::Owned(values) => values,
        }
    }
}

/// One input's place in a unit filled from a record batch's rows: the column its items' values
/// go to, and its `Lent` when the macros found the input can be lent.
pub struct InputSlot<'a, T> {
    /// The unit's column of the input's values, one slot per item.
    pub values: &'a mut Vec<Option<T>>,
    /// The input's lent column, for an input only batch nodes borrow.
    pub lent: Option<&'a mut Lent<T>>,
}

impl<'a, T> InputSlot<'a, T> {
    /// The place of an input that is never lent.
    #[inline]
    pub fn values(values: &'a mut Vec<Option<T>>) -> Self {
        InputSlot { values, lent: None }
    }

    /// The place of an input that may be lent.
    #[inline]
    pub fn lendable(values: &'a mut Vec<Option<T>>, lent: &'a mut Lent<T>) -> Self {
        InputSlot {
            values,
            lent: Some(lent),
        }
    }
}
