//! A pipeline's items read from a record batch, and its outputs written to one.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{Field, Schema, SchemaRef};

use super::row::Row;
use crate::error::Error;
use crate::pipeline::Pipeline;

/// The Arrow schema of `P`'s inputs: one field per input, named and ordered as in
/// `P::INFO.inputs`, nullable for `Option` inputs.
///
/// ```
/// use hypernodes::{node, pipeline};
/// #[node(output = "n")]
/// fn count(text: &str, limit: Option<u32>) -> u64 { text.len().min(limit.unwrap_or(9) as usize) as u64 }
/// pipeline! { Count = [count] }
///
/// let schema = hypernodes::arrow::input_schema::<Count>();
/// assert_eq!(schema.field(1).name(), "limit");
/// assert!(schema.field(1).is_nullable());
/// ```
pub fn input_schema<P>() -> SchemaRef
where
    P: Pipeline,
    P::InputFields: Row,
{
    schema::<P::InputFields>(P::INFO.inputs)
}

/// The Arrow schema of `P`'s outputs, like [`input_schema`].
///
/// ```
/// use hypernodes::{node, pipeline};
/// #[node(output = "n")]
/// fn count(text: &str) -> u64 { text.len() as u64 }
/// pipeline! { Count = [count] }
/// assert_eq!(hypernodes::arrow::output_schema::<Count>().field(0).name(), "n");
/// ```
pub fn output_schema<P>() -> SchemaRef
where
    P: Pipeline,
    P::OutputFields: Row,
{
    schema::<P::OutputFields>(P::INFO.outputs)
}

fn schema<R: Row>(names: &[&str]) -> SchemaRef {
    let mut fields = Vec::with_capacity(names.len());
    R::fields(names, &mut fields);
    Arc::new(Schema::new(fields))
}

/// One `P::Inputs` per row of `batch`, its fields read from the columns of the same names
/// (other columns are not looked at). Every column is checked before any row is read.
///
/// ```
/// use std::sync::Arc;
/// use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, UInt64Array};
/// use hypernodes::{node, pipeline, ErrorKind};
///
/// #[node(output = "double")]
/// fn twice(x: u64) -> u64 { 2 * x }
/// pipeline! { Twice = [twice] }
///
/// let x: ArrayRef = Arc::new(UInt64Array::from(vec![Some(1), None]));
/// let batch = RecordBatch::try_from_iter([("x", x)]).unwrap();
/// let err = hypernodes::arrow::read_inputs::<Twice>(&batch).unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::Column { .. }));
/// assert_eq!(err.item(), Some(1));
/// ```
pub fn read_inputs<P>(batch: &RecordBatch) -> Result<Vec<P::Inputs>, Error>
where
    P: Pipeline,
    P::InputFields: Row,
{
    let columns = checked_inputs::<P>(batch)?;
    Ok(InputRows::<P>::over(&columns, 0..batch.num_rows()).collect())
}

/// `batch`'s columns for `P`'s inputs, checked as [`read_inputs`] checks them (present, of a
/// layout their input's type reads, no null where the input is not an `Option`) and
/// conformed: what [`InputRows`] reads.
pub(crate) fn checked_inputs<P>(batch: &RecordBatch) -> Result<Vec<ArrayRef>, Error>
where
    P: Pipeline,
    P::InputFields: Row,
{
    conformed::<P>(batch, true)
}

/// The rows of checked input columns, read as `P`'s inputs one at a time as an engine pulls
/// them: `map_batch` runs a batch without first gathering every row's item. Public only
/// because `map_batch`'s bounds name it; [`read_inputs`] is the way to read rows.
#[doc(hidden)]
pub struct InputRows<'a, P>
where
    P: Pipeline,
    P::InputFields: Row,
{
    readers: <P::InputFields as Row>::Readers<'a>,
    rows: std::ops::Range<usize>,
}

impl<'a, P> InputRows<'a, P>
where
    P: Pipeline,
    P::InputFields: Row,
{
    /// Rows `rows` of `columns`, which [`checked_inputs`] returned.
    pub(crate) fn over(columns: &'a [ArrayRef], rows: std::ops::Range<usize>) -> Self {
        InputRows {
            readers: P::InputFields::readers(columns),
            rows,
        }
    }
}

impl<P> Iterator for InputRows<'_, P>
where
    P: Pipeline,
    P::InputFields: Row,
{
    type Item = P::Inputs;

    #[inline]
    fn next(&mut self) -> Option<P::Inputs> {
        let row = self.rows.next()?;
        let fields = P::InputFields::read(&self.readers, row);
        Some(P::__hypernodes_inputs_from_fields(fields))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

impl<P> ExactSizeIterator for InputRows<'_, P>
where
    P: Pipeline,
    P::InputFields: Row,
{
}

/// Like [`read_inputs`], but a row with a null where its input is not an `Option` is that
/// row's error (naming the column and the row) rather than the whole batch's. A missing or
/// mistyped column is still the batch's error, before any row is read.
///
/// ```
/// use std::sync::Arc;
/// use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, UInt64Array};
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "double")]
/// fn twice(x: u64) -> u64 { 2 * x }
/// pipeline! { Twice = [twice] }
///
/// let x: ArrayRef = Arc::new(UInt64Array::from(vec![Some(1), None, Some(3)]));
/// let batch = RecordBatch::try_from_iter([("x", x)]).unwrap();
/// let rows = hypernodes::arrow::read_inputs_each::<Twice>(&batch)?;
/// assert_eq!(rows[2].as_ref().unwrap().x, 3);
/// assert_eq!(rows[1].as_ref().unwrap_err().item(), Some(1));
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub fn read_inputs_each<P>(batch: &RecordBatch) -> Result<Vec<Result<P::Inputs, Error>>, Error>
where
    P: Pipeline,
    P::InputFields: Row,
{
    let columns = conformed::<P>(batch, false)?;
    let names = P::INFO.inputs;
    let readers = P::InputFields::readers(&columns);
    Ok((0..batch.num_rows())
        .map(|row| match P::InputFields::null_at(&columns, names, row) {
            Some(error) => Err(error),
            None => Ok(P::__hypernodes_inputs_from_fields(P::InputFields::read(
                &readers, row,
            ))),
        })
        .collect())
}

/// `batch`'s columns for `P`'s inputs, in order, each conformed to its input's type.
fn conformed<P>(batch: &RecordBatch, refuse_nulls: bool) -> Result<Vec<ArrayRef>, Error>
where
    P: Pipeline,
    P::InputFields: Row,
{
    let names = P::INFO.inputs;
    let found = names
        .iter()
        .map(|name| column(batch, name))
        .collect::<Result<Vec<ArrayRef>, Error>>()?;
    let mut columns = Vec::with_capacity(found.len());
    P::InputFields::conform(&found, names, refuse_nulls, &mut columns)?;
    Ok(columns)
}

fn column(batch: &RecordBatch, name: &str) -> Result<ArrayRef, Error> {
    batch.column_by_name(name).cloned().ok_or_else(|| {
        let schema = batch.schema();
        let present: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        Error::column(
            name,
            format!("missing from the batch, whose columns are {present:?}"),
        )
    })
}

/// `outputs` as a record batch of [`output_schema`]: one row per output, in order.
///
/// ```
/// use hypernodes::{node, pipeline};
/// #[node(output = "n")]
/// fn count(text: &str) -> u64 { text.len() as u64 }
/// pipeline! { Count = [count] }
///
/// let outputs = Count::new().map((0..3).map(|i| CountInputs { text: "ab".repeat(i) }))?;
/// let batch = hypernodes::arrow::write_outputs::<Count>(outputs);
/// assert_eq!((batch.num_rows(), batch.schema().field(0).name().as_str()), (3, "n"));
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub fn write_outputs<P>(outputs: Vec<P::Outputs>) -> RecordBatch
where
    P: Pipeline,
    P::OutputFields: Row,
{
    let rows = outputs.len();
    let fields: Vec<P::OutputFields> = outputs
        .into_iter()
        .map(P::__hypernodes_outputs_to_fields)
        .collect();
    let mut builders = P::OutputFields::builders_for(fields.iter());
    for row in fields {
        row.push(&mut builders);
    }
    let mut columns = Vec::with_capacity(P::INFO.outputs.len());
    P::OutputFields::finish(&mut builders, &mut columns);
    let options = arrow_array::RecordBatchOptions::new().with_row_count(Some(rows));
    RecordBatch::try_new_with_options(output_schema::<P>(), columns, &options)
        .expect("columns built from the output schema's own types")
}

/// `input`'s columns, untouched (an output of the same name takes its place), then the
/// columns of `outputs` that are not already placed.
pub(crate) fn beside(input: &RecordBatch, outputs: RecordBatch) -> RecordBatch {
    let input_schema = input.schema();
    let output_schema = outputs.schema();
    let mut fields: Vec<Arc<Field>> = input_schema.fields().iter().cloned().collect();
    let mut columns: Vec<ArrayRef> = input.columns().to_vec();
    for (field, column) in output_schema.fields().iter().zip(outputs.columns()) {
        match fields.iter().position(|f| f.name() == field.name()) {
            Some(at) => {
                fields[at] = field.clone();
                columns[at] = column.clone();
            }
            None => {
                fields.push(field.clone());
                columns.push(column.clone());
            }
        }
    }
    let schema = Schema::new_with_metadata(fields, input_schema.metadata().clone());
    let options = arrow_array::RecordBatchOptions::new().with_row_count(Some(input.num_rows()));
    RecordBatch::try_new_with_options(Arc::new(schema), columns, &options)
        .expect("every column has the batch's rows")
}
