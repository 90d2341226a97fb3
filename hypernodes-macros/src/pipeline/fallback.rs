//! What `pipeline!` emits next to a wiring error: the pipeline's types and methods with their
//! real signatures, so the user's code using them compiles and the error is the only one shown
//! (thiserror's `fallback.rs`). `run` never executes: the crate does not build.

use proc_macro2::TokenStream;
use quote::quote;

use super::graph::Graph;
use super::header::Header;
use super::names::Types;
use super::surface::Surface;
use crate::meta::{emit_meta_macro, Kind, NodeMeta, Vis};

pub fn generate(krate: &TokenStream, header: &Header, graph: &Graph) -> TokenStream {
    let types = Types { krate, graph };
    let surface = Surface::new(&types, header);
    let Surface {
        inputs_ty,
        outputs_ty,
        ..
    } = &surface;
    let structs = surface.structs(krate, header, graph);
    let info = super::info::generate(krate, header, graph);
    let quiet = quiet_meta_macro(header);
    let name = &header.name;
    let vis = &header.vis;
    let passthrough = &header.passthrough;
    let message = format!("pipeline `{name}` did not compile");
    quote! {
        #(#passthrough)*
        #vis struct #name {}

        #structs

        impl #name {
            /// A pipeline ready to run.
            pub fn new() -> Self {
                #name {}
            }

            /// Runs every needed node once, in topological order.
            pub fn run(&self, inputs: #inputs_ty) -> ::core::result::Result<#outputs_ty, #krate::Error> {
                let _ = inputs;
                ::core::unreachable!(#message)
            }

            #info
        }

        #quiet
    }
}

/// A pipeline with errors still answers to its name as a node, so the pipelines that list it
/// stay quiet instead of adding "cannot find macro" to the error that matters.
fn quiet_meta_macro(header: &Header) -> TokenStream {
    let meta = NodeMeta {
        code: 0,
        version: 0,
        cached: false,
        needs: Vec::new(),
        kind: Kind::Pipeline,
        name: header.name.clone(),
        vis: Vis::of(&header.vis),
        fallible: true,
        batch: false,
        asynchronous: false,
        params: Vec::new(),
        outputs: Vec::new(),
        config: Default::default(),
        poisoned: true,
    };
    emit_meta_macro(&header.vis, &header.name, &meta)
}
