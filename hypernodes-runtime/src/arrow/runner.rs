//! `map_batch` on every engine, and what a pipeline's own `input_schema`, `output_schema` and
//! `map_batch` call.

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;

use super::batch::{beside, checked_inputs, input_schema, output_schema, write_outputs};
use super::row::Row;
use super::rows::RunsBatches;
use crate::engine::{Engine, Parallel};
use crate::error::Error;
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;
use crate::runner::Runner;

impl<P: Pipeline, E: Engine, H: Hooks> Runner<'_, P, E, H> {
    /// Runs one item per row of `batch` and returns `batch` with the outputs as columns after
    /// its own (an output named like an input column takes that column's place). The input
    /// columns are shared, not copied; columns the pipeline does not read pass through. Each
    /// row becomes its item when the engine pulls it, so the batch's items are never all in
    /// memory at once.
    ///
    /// On `Sequential`, `Parallel` and `Streaming`, a batch node taking `&[T]` gets the column's own buffer
    /// (no row copied) when it holds numbers or fixed-size lists of numbers without a null and
    /// only batch nodes read that input, all by reference; see [`Column::lend`](super::Column::lend).
    ///
    /// Each input is read from the column of its name; every column is checked before any
    /// item runs. Like [`Runner::map`], the first failing item stops the run, and its error
    /// names the node and the row.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hypernodes::arrow::arrow_array::{ArrayRef, FixedSizeListArray, Float32Array, RecordBatch};
    /// use hypernodes::arrow::arrow_array::types::Float32Type;
    /// use hypernodes::{node, pipeline, Parallel};
    ///
    /// #[node(output = "norm")]
    /// fn norm(embedding: &[f32; 2]) -> f32 { embedding.iter().map(|x| x * x).sum::<f32>().sqrt() }
    /// pipeline! { Norm = [norm] }
    ///
    /// let rows = [Some([Some(3.0), Some(4.0)]), Some([Some(0.0), Some(1.0)])];
    /// let embedding: ArrayRef =
    ///     Arc::new(FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>(rows, 2));
    /// let batch = RecordBatch::try_from_iter([("embedding", embedding)]).unwrap();
    ///
    /// let out = Norm::new().with_engine(Parallel::new()).map_batch(&batch)?;
    /// let norm: &Float32Array = out.column(1).as_any().downcast_ref().unwrap();
    /// assert_eq!(norm.values(), &[5.0, 1.0]);
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    pub fn map_batch(&self, batch: &RecordBatch) -> Result<RecordBatch, Error>
    where
        P::InputFields: Row,
        P::OutputFields: Row,
        E: RunsBatches<P>,
    {
        // Rows are read as the engine runs them: no item of the batch is gathered up front.
        let columns = checked_inputs::<P>(batch)?;
        let rows = batch.num_rows();
        let outputs = self.fail_fast(Some(rows), |plan| {
            let shared = self.shared(plan);
            let (pipeline, unit) = (self.pipeline(), plan.unit_items());
            let engine = self.engine();
            engine.run_rows(pipeline, &shared, self.hooks(), unit, &columns, rows)
        })?;
        Ok(beside(batch, write_outputs::<P>(outputs)))
    }
}

/// What a generated pipeline's `input_schema` calls, on `&P` so that the method compiles for
/// every pipeline and only a call asks for Arrow columns, of the inputs alone. Generated code
/// only.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no Arrow schema for its inputs: an input's type has no Arrow column",
    note = "columns exist for bool, the integers, f32, f64, String, and Option<T>, Vec<T> and [T; N] of those"
)]
pub trait InputColumns {
    /// `input_schema::<P>()`.
    fn input_schema() -> SchemaRef;
}

impl<P> InputColumns for &P
where
    P: Pipeline,
    P::InputFields: Row,
{
    fn input_schema() -> SchemaRef {
        input_schema::<P>()
    }
}

/// What a generated pipeline's `output_schema` calls, like [`InputColumns`] for the outputs.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no Arrow schema for its outputs: an output's type has no Arrow column",
    note = "columns exist for bool, the integers, f32, f64, String, and Option<T>, Vec<T> and [T; N] of those"
)]
pub trait OutputColumns {
    /// `output_schema::<P>()`.
    fn output_schema() -> SchemaRef;
}

impl<P> OutputColumns for &P
where
    P: Pipeline,
    P::OutputFields: Row,
{
    fn output_schema() -> SchemaRef {
        output_schema::<P>()
    }
}

/// What a generated pipeline's `map_batch` calls, like [`InputColumns`] for inputs and outputs
/// both. Generated code only.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot read or write record batches: an input or output type has no Arrow column",
    note = "columns exist for bool, the integers, f32, f64, String, and Option<T>, Vec<T> and [T; N] of those"
)]
pub trait Batches {
    /// `map_batch` on the default engine.
    fn map_batch(self, batch: &RecordBatch) -> Result<RecordBatch, Error>;
}

impl<P> Batches for &P
where
    P: Pipeline,
    P::InputFields: Row,
    P::OutputFields: Row,
    Parallel: RunsBatches<P>,
{
    fn map_batch(self, batch: &RecordBatch) -> Result<RecordBatch, Error> {
        Runner::new(self, Parallel::new()).map_batch(batch)
    }
}
