//! Column buffers kept from one unit to the next. A staged unit holds one `Vec` per value, one
//! slot per item; allocating them afresh for every unit made a batched pipeline pay several
//! allocations of a unit's size that the same loop written by hand does not (each of them also
//! makes glibc's allocator consolidate its small free chunks). A worker keeps its last unit's
//! columns (`Plumbing::Scratch`) and its steps fill them again, emptied: every value is dropped
//! where it was before, only the capacity stays.

/// `buffer`'s allocation, emptied, for a step to fill again; `buffer` is left without one.
#[inline]
pub fn reuse<T>(buffer: &mut Vec<T>) -> Vec<T> {
    let mut buffer = std::mem::take(buffer);
    buffer.clear();
    buffer
}

/// The buffer of `column` for a step to fill again, one slot per item pushed in order: its
/// capacity kept, its slots gone.
#[inline]
pub fn reuse_column<T>(column: &mut Vec<Option<T>>, n: usize) -> Vec<Option<T>> {
    let mut buffer = reuse(column);
    buffer.reserve(n);
    buffer
}

/// Like [`reuse_column`], with `n` empty slots for a step that fills items out of order.
#[inline]
pub fn reuse_column_filled<T>(column: &mut Vec<Option<T>>, n: usize) -> Vec<Option<T>> {
    let mut buffer = reuse(column);
    buffer.resize_with(n, || None);
    buffer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_column_has_its_capacity_and_none_of_its_values() {
        let mut column: Vec<Option<String>> = vec![Some("a".into()), None, Some("c".into())];
        let capacity = column.capacity();
        let buffer = reuse_column(&mut column, 2);
        assert!(buffer.is_empty() && buffer.capacity() >= capacity);
        assert!(column.is_empty());
        let mut column = vec![Some(1), Some(2)];
        assert_eq!(reuse_column_filled(&mut column, 3), vec![None, None, None]);
    }
}
