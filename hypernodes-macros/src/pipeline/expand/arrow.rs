//! `input_schema`, `output_schema` and `map_batch` on the pipeline, written only when the
//! runtime has its `arrow` feature, and `map_dataset` with its `dataset` feature (turned on
//! by `parquet` and `ipc`). Each is bounded by a trait implemented for `&'a Self` (`for<'a>`), so a pipeline whose types have no
//! Arrow column still compiles: only a call is an error, naming the type it is missing for.

use proc_macro2::TokenStream;
use quote::quote;

use crate::features::Features;
use crate::fq::FqResult;
use crate::krate::Krate;

pub fn methods(krate: &Krate, features: Features) -> TokenStream {
    if !features.arrow {
        return TokenStream::new();
    }
    let batches = quote!(#krate::__private::Batches);
    let (inputs, outputs) = (
        quote!(#krate::__private::InputColumns),
        quote!(#krate::__private::OutputColumns),
    );
    let dataset = dataset(krate, features);
    let (schema, batch) = (
        quote!(#krate::__private::SchemaRef),
        quote!(#krate::__private::RecordBatch),
    );
    quote! {
        /// The Arrow schema of the inputs: one field per input, in order, nullable for an
        /// `Option` (feature `arrow`).
        pub fn input_schema() -> #schema where for<'a> &'a Self: #inputs {
            <&Self as #inputs>::input_schema()
        }

        /// The Arrow schema of the outputs, like `input_schema`.
        pub fn output_schema() -> #schema where for<'a> &'a Self: #outputs {
            <&Self as #outputs>::output_schema()
        }

        /// Runs one item per row of `batch` on the default engine and returns `batch` with the
        /// outputs as columns after its own; see `Runner::map_batch`.
        pub fn map_batch(&self, batch: &#batch) -> #FqResult<#batch, #krate::Error>
        where
            for<'a> &'a Self: #batches,
        {
            <&Self as #batches>::map_batch(self, batch)
        }

        #dataset
    }
}

fn dataset(krate: &Krate, features: Features) -> TokenStream {
    if !features.dataset {
        return TokenStream::new();
    }
    let datasets = quote!(#krate::__private::Datasets);
    quote! {
        /// Runs every row of a dataset `source` (Parquet, IPC, JSON Lines or CSV files) on the
        /// default engine and writes the results to `sink`, part by part; see
        /// `Runner::map_dataset`.
        pub fn map_dataset(
            &self,
            source: #krate::__private::Source,
            sink: #krate::__private::Sink,
        ) -> #FqResult<#krate::__private::DatasetReport, #krate::Error>
        where
            for<'a> &'a Self: #datasets,
        {
            <&Self as #datasets>::map_dataset(self, source, sink)
        }
    }
}
