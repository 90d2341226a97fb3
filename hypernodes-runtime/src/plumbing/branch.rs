//! What generated code of a pipeline with branches calls: the arm an item did not reach, and
//! the column of a value several arms produce.

/// The arm of an item that never reached the branch (an enclosing arm was not taken, or the
/// branch's nodes were not needed for the outputs asked for).
pub const NOT_REACHED: usize = usize::MAX;

/// Gathers into `column` the slots a value's producer in another arm filled: each item took
/// one arm, so at most one producer fills each slot. An empty `column` has not been filled yet.
///
/// ```
/// use hypernodes::__private::merge_column;
/// let mut response = vec![Some("rejected"), None, None];
/// merge_column(&mut response, vec![None, Some("figure 3"), None]);
/// assert_eq!(response, [Some("rejected"), Some("figure 3"), None]);
/// ```
pub fn merge_column<T>(column: &mut Vec<Option<T>>, from: Vec<Option<T>>) {
    if column.is_empty() {
        *column = from;
        return;
    }
    for (slot, value) in column.iter_mut().zip(from) {
        if value.is_some() {
            *slot = value;
        }
    }
}
