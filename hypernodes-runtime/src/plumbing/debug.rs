//! `Debug` for generated `<Name>Inputs`/`<Name>Outputs` whatever their field types: a field whose
//! type implements `Debug` prints as usual, any other prints as its type name.
//!
//! Autoref specialization: generated code calls `(&Field(&value)).repr()` on a concrete type;
//! method lookup tries `&Field` first (the `T: Debug` impl on `Field`) and only then autorefs to
//! `&&Field` (the impl on `&Field`, for any `T`).

use std::fmt;

/// A field being formatted.
pub struct Field<'a, T>(pub &'a T);

/// How a field prints.
pub enum Repr<'a> {
    /// Through the type's own `Debug`.
    Value(&'a dyn fmt::Debug),
    /// The type has no `Debug`: its name in angle brackets.
    Opaque(&'static str),
}

impl fmt::Debug for Repr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Repr::Value(value) => value.fmt(f),
            Repr::Opaque(name) => write!(f, "<{name}>"),
        }
    }
}

/// Chosen when the field's type implements `Debug`.
pub trait ViaDebug {
    /// The field's representation.
    fn repr(&self) -> Repr<'_>;
}

impl<T: fmt::Debug> ViaDebug for Field<'_, T> {
    fn repr(&self) -> Repr<'_> {
        Repr::Value(self.0)
    }
}

/// Chosen otherwise.
pub trait ViaTypeName {
    /// The field's representation.
    fn repr(&self) -> Repr<'_>;
}

impl<T> ViaTypeName for &Field<'_, T> {
    fn repr(&self) -> Repr<'_> {
        Repr::Opaque(std::any::type_name::<T>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoDebug;

    #[test]
    // The borrow is the mechanism: without it a type lacking `Debug` finds no method at all.
    #[allow(clippy::needless_borrow)]
    fn debug_when_possible_type_name_otherwise() {
        assert_eq!(format!("{:?}", (&Field(&"a")).repr()), "\"a\"");
        assert_eq!(
            format!("{:?}", (&Field(&NoDebug)).repr()),
            format!("<{}>", std::any::type_name::<NoDebug>())
        );
    }
}
