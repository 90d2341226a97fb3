//! A pipeline's inputs or outputs as a batch's columns: the nested pairs `(a, (b, ()))`
//! generated code already has, one [`Column`] per pair.

use arrow_array::builder::ArrayBuilder;
use arrow_array::{Array, ArrayRef};
use arrow_schema::Field;

use super::column::{checked, Column, Refusal};
use crate::error::Error;

/// Nested pairs of [`Column`]s: `()` and `(H, T)`. Implemented once here, so `pipeline!`
/// writes no conversion code of its own.
///
/// ```
/// use hypernodes::arrow::Row;
/// let mut fields = Vec::new();
/// <(String, (Option<u64>, ()))>::fields(&["text", "id"], &mut fields);
/// assert_eq!((fields[0].name().as_str(), fields[1].is_nullable()), ("text", true));
/// ```
#[diagnostic::on_unimplemented(
    message = "a field of type `{Self}` has no Arrow column",
    note = "columns exist for bool, the integers, f32, f64, String, and Option<T>, Vec<T> and [T; N] of those"
)]
pub trait Row: Sized {
    /// One builder per column.
    type Builders;
    /// One reader per column.
    type Readers<'a>;

    /// The Arrow fields, named `names` in order.
    fn fields(names: &[&str], out: &mut Vec<Field>);
    /// Builders with room for `capacity` rows.
    fn builders(capacity: usize) -> Self::Builders;
    /// Builders with room for `rows`, which are about to be pushed ([`Column::builder_for`]).
    fn builders_for<'a>(rows: impl Iterator<Item = &'a Self> + Clone) -> Self::Builders
    where
        Self: 'a;
    /// Appends one row.
    fn push(self, builders: &mut Self::Builders);
    /// The built columns, in order.
    fn finish(builders: &mut Self::Builders, out: &mut Vec<ArrayRef>);
    /// `columns` (named `names`) conformed to each pair's type, or an error naming the column,
    /// its Arrow type and the Rust type. With `refuse_nulls`, a null in a column whose type is
    /// not an `Option` is an error naming the row; without, such rows are the caller's to skip.
    fn conform(
        columns: &[ArrayRef],
        names: &[&str],
        refuse_nulls: bool,
        out: &mut Vec<ArrayRef>,
    ) -> Result<(), Error>;
    /// The error for `row` when it holds a null in a column whose type is not an `Option`
    /// (the first such column), naming the column and the row.
    fn null_at(columns: &[ArrayRef], names: &[&str], row: usize) -> Option<Error>;
    /// Readers of conformed columns.
    fn readers(columns: &[ArrayRef]) -> Self::Readers<'_>;
    /// Row `row`.
    fn read(readers: &Self::Readers<'_>, row: usize) -> Self;
}

impl Row for () {
    type Builders = ();
    type Readers<'a> = ();

    fn fields(_: &[&str], _: &mut Vec<Field>) {}
    fn builders(_: usize) {}
    fn builders_for<'a>(_: impl Iterator<Item = &'a ()> + Clone) {}
    #[inline]
    fn push(self, _: &mut ()) {}
    fn finish(_: &mut (), _: &mut Vec<ArrayRef>) {}
    fn conform(_: &[ArrayRef], _: &[&str], _: bool, _: &mut Vec<ArrayRef>) -> Result<(), Error> {
        Ok(())
    }
    fn null_at(_: &[ArrayRef], _: &[&str], _: usize) -> Option<Error> {
        None
    }
    fn readers(_: &[ArrayRef]) {}
    #[inline]
    fn read(_: &(), _: usize) {}
}

impl<H: Column, T: Row> Row for (H, T) {
    type Builders = (H::Builder, T::Builders);
    type Readers<'a> = (H::Reader<'a>, T::Readers<'a>);

    fn fields(names: &[&str], out: &mut Vec<Field>) {
        out.push(Field::new(names[0], H::data_type(), H::NULLABLE));
        T::fields(&names[1..], out);
    }
    fn builders(capacity: usize) -> Self::Builders {
        (H::builder(capacity), T::builders(capacity))
    }
    fn builders_for<'a>(rows: impl Iterator<Item = &'a Self> + Clone) -> Self::Builders
    where
        Self: 'a,
    {
        (
            H::builder_for(rows.clone().map(|row| &row.0)),
            T::builders_for(rows.map(|row| &row.1)),
        )
    }
    #[inline]
    fn push(self, builders: &mut Self::Builders) {
        H::push(&mut builders.0, self.0);
        self.1.push(&mut builders.1);
    }
    fn finish(builders: &mut Self::Builders, out: &mut Vec<ArrayRef>) {
        out.push(builders.0.finish());
        T::finish(&mut builders.1, out);
    }
    fn conform(
        columns: &[ArrayRef],
        names: &[&str],
        refuse_nulls: bool,
        out: &mut Vec<ArrayRef>,
    ) -> Result<(), Error> {
        let column = &columns[0];
        let rows = if refuse_nulls { 0..column.len() } else { 0..0 };
        let conformed = checked::<H>(column, rows)
            .map_err(|refusal| refused::<H>(names[0], column, refusal))?;
        out.push(conformed);
        T::conform(&columns[1..], &names[1..], refuse_nulls, out)
    }
    fn null_at(columns: &[ArrayRef], names: &[&str], row: usize) -> Option<Error> {
        if !H::NULLABLE && columns[0].is_null(row) {
            return Some(refused::<H>(names[0], &columns[0], Refusal::Null { row }));
        }
        T::null_at(&columns[1..], &names[1..], row)
    }
    fn readers(columns: &[ArrayRef]) -> Self::Readers<'_> {
        (H::reader(&columns[0]), T::readers(&columns[1..]))
    }
    #[inline]
    fn read(readers: &Self::Readers<'_>, row: usize) -> Self {
        (H::read(&readers.0, row), T::read(&readers.1, row))
    }
}

/// The error for a column `T` cannot read.
fn refused<T: Column>(name: &str, column: &ArrayRef, refusal: Refusal) -> Error {
    let rust = short_type_name::<T>();
    match refusal {
        Refusal::Layout => Error::column(
            name,
            format!(
                "its Arrow type {} cannot be read as `{rust}` (which is written as {})",
                column.data_type(),
                T::data_type()
            ),
        ),
        Refusal::Null { row } => Error::column(
            name,
            format!("null, and `{rust}` has no null (make the input an `Option`)"),
        )
        .at_item(row),
    }
}

/// `T`'s name without module paths: `Option<Vec<String>>`, not
/// `core::option::Option<alloc::vec::Vec<alloc::string::String>>`.
fn short_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let mut short = String::with_capacity(full.len());
    let mut path = String::new();
    for c in full.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            path.push(c);
        } else {
            short.push_str(path.rsplit("::").next().unwrap_or(""));
            path.clear();
            short.push(c);
        }
    }
    short.pop();
    short
}

#[cfg(test)]
mod tests {
    #[test]
    fn type_names_lose_their_module_paths() {
        assert_eq!(
            super::short_type_name::<Option<Vec<String>>>(),
            "Option<Vec<String>>"
        );
        assert_eq!(super::short_type_name::<[f32; 4]>(), "[f32; 4]");
    }
}
