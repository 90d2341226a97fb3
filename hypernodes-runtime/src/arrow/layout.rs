//! Conversions from the layouts a column accepts to its own.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::ArrowPrimitiveType;
use arrow_array::ArrayRef;

/// `array` widened from `Narrow` to `Wide` when it is a `Narrow` array; nulls are kept. Only
/// lossless pairs are ever asked for (see `Column`'s impls).
pub(crate) fn widen<Narrow, Wide>(array: &ArrayRef) -> Option<ArrayRef>
where
    Narrow: ArrowPrimitiveType,
    Wide: ArrowPrimitiveType,
    Narrow::Native: Into<Wide::Native>,
{
    let narrow = array.as_primitive_opt::<Narrow>()?;
    Some(Arc::new(narrow.unary::<_, Wide>(Into::into)))
}
