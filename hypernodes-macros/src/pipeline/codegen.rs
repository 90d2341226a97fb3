//! The generated pipeline: its struct, a straight-line `run`, the facts that let it be a node of
//! another pipeline, and its metadata macro.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;

use super::body::Body;
use super::graph::{Graph, Source};
use super::header::Header;
use super::names::{local, private_ident, user_spanned, Types};
use super::surface::Surface;
use crate::meta::{emit_meta_macro, Kind, Mode, NodeMeta, Param, Vis};

pub fn generate(krate: &TokenStream, header: &Header, graph: &Graph) -> TokenStream {
    let types = Types { krate, graph };
    let surface = Surface::new(&types, header);
    let Surface {
        inputs_ty,
        outputs_ty,
        input_fields,
        input_locals,
        input_types,
        ..
    } = &surface;
    let name = &header.name;
    let vis = &header.vis;

    let stateful_fields: Vec<Ident> = graph
        .stateful
        .iter()
        .map(|s| private_ident("stateful", &s.name))
        .collect();
    let stateful_types: Vec<TokenStream> = graph
        .stateful
        .iter()
        .map(|s| types.param(s.node, s.param))
        .collect();
    let (nested_fields, nested_types): (Vec<Ident>, Vec<&syn::Path>) = graph
        .order
        .iter()
        .filter(|&&n| graph.nodes[n].meta.kind == Kind::Pipeline)
        .map(|&n| (private_ident("nested", n), &graph.nodes[n].path))
        .unzip();

    let structs = surface.structs(krate, header, graph);
    let body = Body::new(&types).generate(outputs_ty, surface.outputs_from_locals());
    let pruned = pruned_checks(&types);
    let info = super::info::generate(krate, header, graph);
    let as_node = as_node(krate, header, graph, &surface);
    let passthrough = &header.passthrough;

    quote! {
        #(#passthrough)*
        #vis struct #name {
            #(#stateful_fields: #krate::__private::StatefulSlot<#stateful_types>,)*
            #(#nested_fields: #nested_types,)*
        }

        #structs

        impl #name {
            /// A pipeline ready to run; stateful objects are built on first use.
            pub fn new() -> Self {
                #name {
                    #(#stateful_fields: #krate::__private::StatefulSlot::new(),)*
                    #(#nested_fields: <#nested_types>::new(),)*
                }
            }

            /// Runs every needed node once, in topological order.
            ///
            /// A node's `Err` or panic stops the run and comes back as an error naming the node.
            pub fn run(&self, inputs: #inputs_ty) -> ::core::result::Result<#outputs_ty, #krate::Error> {
                let #inputs_ty { #(#input_fields: #input_locals),* } = inputs;
                self.__hypernodes_call(#(#input_locals),*)
            }

            #[doc(hidden)]
            #[inline]
            #[allow(
                unused_braces,
                clippy::too_many_arguments,
                clippy::let_unit_value,
                clippy::unit_arg,
                clippy::redundant_closure
            )]
            pub fn __hypernodes_call(
                &self,
                #(#input_locals: #input_types,)*
            ) -> ::core::result::Result<#outputs_ty, #krate::Error> {
                #body
            }

            #info
        }

        impl ::core::default::Default for #name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl #krate::Pipeline for #name {
            type Inputs = #inputs_ty;
            type Outputs = #outputs_ty;
            const INFO: #krate::PipelineInfo = #name::INFO;
            fn run(&self, inputs: #inputs_ty) -> ::core::result::Result<#outputs_ty, #krate::Error> {
                #name::run(self, inputs)
            }
        }

        #as_node
        #pruned
    }
}

/// Nodes that `#[outputs]` made unnecessary never run, but they are still part of the pipeline:
/// their functions count as used (no `dead_code` warning) and their inputs are type-checked.
fn pruned_checks(types: &Types) -> TokenStream {
    let krate = types.krate;
    let graph = types.graph;
    let checks =
        graph.pruned.iter().map(|&n| {
            let node = &graph.nodes[n];
            let this = &node.path;
            let wired = node.meta.params.iter().enumerate().filter_map(|(param, p)| {
            let Source::Output { node: from, output } = graph.source_of_any(&p.name)? else {
                return None;
            };
            let producer = &graph.nodes[from].path;
            let have = types.output(from, output);
            let want = types.param(n, param);
            let value = local(&p.name);
            let check = quote_spanned!(node.span()=> __HypernodesWire::<#want, #producer, #this>::wire_ref);
            let check = user_spanned(node, check, quote!(&#value));
            let check = quote!(let _ = #check;);
            Some((quote!(#value: #have), check))
        });
            let (params, checks): (Vec<_>, Vec<_>) = wired.unzip();
            let used = (node.meta.kind == Kind::Function).then(|| quote!(let _ = #this;));
            quote! {
                #[allow(unused_imports)]
                use #krate::__private::Wire as __HypernodesWire;
                #[allow(dead_code, unused_braces, clippy::too_many_arguments)]
                fn __hypernodes_check(#(#params),*) { #(#checks)* }
                #used
            }
        });
    quote! { #(const _: () = { #checks };)* }
}

/// What a pipeline needs to be listed as a node: parameter and output types, and metadata.
fn as_node(krate: &TokenStream, header: &Header, graph: &Graph, surface: &Surface) -> TokenStream {
    let Surface {
        input_types,
        output_types,
        ..
    } = surface;
    let name = &header.name;
    let meta = NodeMeta {
        kind: Kind::Pipeline,
        name: name.clone(),
        vis: Vis::of(&header.vis),
        fallible: true,
        params: graph
            .inputs
            .iter()
            .map(|i| Param {
                name: i.name.clone(),
                mode: Mode::Value,
            })
            .collect(),
        outputs: graph
            .kept
            .iter()
            .map(|&(n, o)| graph.nodes[n].meta.outputs[o].clone())
            .collect(),
        config: Default::default(),
        poisoned: false,
    };
    let meta_macro = emit_meta_macro(&header.vis, name, &meta);
    let in_index = 0..input_types.len();
    let out_index = 0..output_types.len();
    quote! {
        #(impl #krate::__private::In<#in_index> for #name { type Ty = #input_types; })*
        #(impl #krate::__private::Out<#out_index> for #name { type Ty = #output_types; })*
        #meta_macro
    }
}
