//! What users of a pipeline see besides the pipeline type: `<Name>Inputs` and `<Name>Outputs`,
//! with `Debug` whatever their field types. Emitted both for a sound pipeline and, after an
//! error, by the fallback, so code using them does not add follow-on errors.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::names::{local, Types};
use crate::fq::FqOption;
use crate::krate::Krate;
use crate::pipeline::model::graph::Graph;
use crate::pipeline::parse::header::Header;

pub struct Surface<'a> {
    pub inputs_ty: Ident,
    pub outputs_ty: Ident,
    pub input_fields: Vec<&'a Ident>,
    pub input_locals: Vec<Ident>,
    pub input_types: Vec<TokenStream>,
    pub output_fields: Vec<&'a Ident>,
    pub output_locals: Vec<Ident>,
    pub output_types: Vec<TokenStream>,
    /// Per input, then per output: its type is known to implement `Debug`.
    inputs_debug: Vec<bool>,
    outputs_debug: Vec<bool>,
}

impl<'a> Surface<'a> {
    pub fn new(types: &Types<'a>, header: &Header) -> Self {
        let graph = types.graph;
        let output_fields: Vec<&Ident> = graph
            .kept
            .iter()
            .map(|&(n, o)| &graph.nodes[n].meta.outputs[o])
            .collect();
        Surface {
            inputs_ty: format_ident!("{}Inputs", header.name),
            outputs_ty: format_ident!("{}Outputs", header.name),
            input_fields: graph.inputs.iter().map(|i| &i.name).collect(),
            input_locals: graph.inputs.iter().map(|i| local(&i.name)).collect(),
            input_types: graph.inputs.iter().map(|i| types.declared(i)).collect(),
            inputs_debug: graph
                .inputs
                .iter()
                .map(|i| types.declared_is_std(i))
                .collect(),
            outputs_debug: (graph.kept.iter())
                .map(|&(n, o)| types.output_is_std(n, o))
                .collect(),
            output_locals: output_fields.iter().map(|f| local(f)).collect(),
            output_fields,
            // A value only some branch arms produce is `None` for items that took the others.
            output_types: graph
                .kept
                .iter()
                .enumerate()
                .map(|(k, &(n, o))| {
                    let ty = types.output(n, o);
                    match graph.partial_output(k) {
                        true => quote!(#FqOption<#ty>),
                        false => ty,
                    }
                })
                .collect(),
        }
    }

    pub fn structs(&self, krate: &Krate, header: &Header, graph: &Graph) -> TokenStream {
        let Surface {
            inputs_ty,
            outputs_ty,
            input_fields,
            input_types,
            output_fields,
            output_types,
            inputs_debug,
            outputs_debug,
            ..
        } = self;
        let vis = &header.vis;
        let name = &header.name;
        let inputs_doc =
            format!("Inputs of [`{name}`]: one field per value no node of the pipeline produces.");
        let outputs_doc = format!("Outputs of [`{name}`]: one field per kept output.");
        let input_docs = graph
            .inputs
            .iter()
            .map(|i| format!("Read by {}.", readers(graph, &i.name)));
        let output_docs = graph
            .kept
            .iter()
            .map(|&(n, _)| format!("Produced by `{}`.", graph.nodes[n].label()));
        let debug_inputs = debug_impl(krate, inputs_ty, input_fields, inputs_debug);
        let debug_outputs = debug_impl(krate, outputs_ty, output_fields, outputs_debug);
        quote! {
            #[doc = #inputs_doc]
            #[allow(dead_code)]
            #vis struct #inputs_ty {
                #(#[doc = #input_docs] pub #input_fields: #input_types,)*
            }

            #[doc = #outputs_doc]
            #[allow(dead_code)]
            #vis struct #outputs_ty {
                #(#[doc = #output_docs] pub #output_fields: #output_types,)*
            }

            #debug_inputs
            #debug_outputs
        }
    }
}

/// `Debug` for a generated struct, whatever its field types (see `__private::debug`). A field
/// whose type is known to implement `Debug` (`is_debug`) is printed through it directly: the
/// method lookup that picks between `Debug` and the type's name took rustc 13 M instructions
/// for the 50 outputs of a 50-node pipeline.
fn debug_impl(krate: &Krate, ty: &Ident, fields: &[&Ident], is_debug: &[bool]) -> TokenStream {
    let name = ty.to_string();
    let names = fields
        .iter()
        .map(|f| f.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let values = fields
        .iter()
        .zip(is_debug)
        .map(|(field, &is_debug)| match is_debug {
            true => quote!(#krate::__private::Repr::Value(&self.#field)),
            false => quote!((&#krate::__private::Field(&self.#field)).repr()),
        });
    quote! {
        impl ::core::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #[allow(unused_imports)]
                use #krate::__private::{ViaDebug as _, ViaTypeName as _};
                #krate::__private::debug_fields(f, #name, #names, &[#(#values),*])
            }
        }
    }
}

/// `a`, `b` (the nodes reading a pipeline input), for field docs.
fn readers(graph: &Graph, name: &Ident) -> String {
    graph
        .order
        .iter()
        .filter(|&&n| graph.reads(n, name))
        .map(|&n| format!("`{}`", graph.nodes[n].label()))
        .collect::<Vec<_>>()
        .join(", ")
}
