//! Arrow record batches in and out of pipelines (feature `arrow`).
//!
//! A pipeline's inputs and outputs are already nested pairs of typed fields with their names
//! in `INFO`; [`Column`] maps one Rust type to one Arrow column and [`Row`] maps the pairs to
//! a batch's columns, so a pipeline reads and writes batches without serde and without any
//! code of its own beyond three thin methods:
//!
//! ```
//! use std::sync::Arc;
//! use hypernodes::arrow::arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
//! use hypernodes::arrow::arrow_array::cast::AsArray;
//! use hypernodes::arrow::arrow_array::types::UInt64Type;
//! use hypernodes::{node, pipeline, Sequential};
//!
//! #[node(output = "length")]
//! fn measure(text: &str) -> u64 { text.len() as u64 }
//!
//! pipeline! { Measure = [measure] }
//!
//! let text: ArrayRef = Arc::new(StringArray::from(vec!["a", "bcd"]));
//! let id: ArrayRef = Arc::new(UInt64Array::from(vec![7, 8]));
//! let batch = RecordBatch::try_from_iter([("id", id), ("text", text)]).unwrap();
//!
//! let out = Measure::new().with_engine(Sequential).map_batch(&batch)?;
//! // The input columns pass through untouched; the outputs follow them.
//! assert_eq!(out.schema().field(2).name(), "length");
//! assert_eq!(out.column(2).as_primitive::<UInt64Type>().values(), &[1, 3]);
//! assert!(Arc::ptr_eq(out.column(0), batch.column(0)));
//! assert_eq!(Measure::input_schema().field(0).name(), "text");
//! # Ok::<(), hypernodes::Error>(())
//! ```
//!
//! Columns are matched by name. A missing column, or one whose Arrow type the input's Rust
//! type cannot read, is an error before any item runs, naming the column, its Arrow type and
//! the Rust type; so is a null in a column whose input is not an `Option`, naming the row.

mod batch;
mod column;
mod layout;
mod nested;
mod row;
mod rows;
mod runner;
mod slots;

pub use arrow_array;
pub use arrow_schema;

#[cfg(feature = "dataset")]
pub(crate) use batch::{beside, checked_inputs};
pub use batch::{
    input_schema, output_schema, read_inputs, read_inputs_each, write_outputs, InputRows,
};
pub use column::{Column, Refusal};
pub use row::Row;
#[cfg(feature = "cluster")]
pub(crate) use rows::rows_as_items;
pub use rows::RunsBatches;
pub use runner::{Batches, InputColumns, OutputColumns};
pub use slots::FillSlots;
