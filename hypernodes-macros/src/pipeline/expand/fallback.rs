//! What `pipeline!` emits next to a wiring error: the pipeline's types and methods with their
//! real signatures, so the user's code using them compiles and the error is the only one shown
//! (thiserror's `fallback.rs`). `run` never executes: the crate does not build.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::codegen::{Bound, Stateful};
use super::names::{self, Types};
use super::surface::Surface;
use crate::fq::{FqFn, FqIntoIterator, FqResult, FqSend, FqSync, FqVec};
use crate::krate::Krate;
use crate::meta::{emit_meta_macro, Kind, NodeMeta, Vis};
use crate::pipeline::model::graph::Graph;
use crate::pipeline::parse::header::Header;

pub fn generate(krate: &Krate, header: &Header, graph: &Graph) -> TokenStream {
    let types = Types {
        krate,
        graph,
        features: crate::features::Features::BUILD,
    };
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
    let runner = names::runner_type(name);
    let builder = builder(krate, header, &types, &message);
    let bound_view = super::codegen::bound_view(header, &types, true);
    let results = quote!(#FqVec<#FqResult<#outputs_ty, #krate::Error>>);
    // What the pipeline and its runner both offer, with the real signatures.
    let runs = quote! {
        /// Runs every needed node once, in topological order.
        pub fn run(&self, inputs: #inputs_ty) -> #FqResult<#outputs_ty, #krate::Error> {
            let _ = inputs;
            ::core::unreachable!(#message)
        }

        /// Runs every item on the default engine.
        pub fn map<I>(&self, items: I) -> #FqResult<#FqVec<#outputs_ty>, #krate::Error>
        where
            I: #FqIntoIterator<Item = #inputs_ty>,
        {
            let _ = items;
            ::core::unreachable!(#message)
        }

        /// Runs every item on the default engine, each item's outcome kept.
        pub fn map_results<I>(&self, items: I) -> #results
        where
            I: #FqIntoIterator<Item = #inputs_ty>,
        {
            let _ = items;
            ::core::unreachable!(#message)
        }
    };
    quote! {
        #(#passthrough)*
        #vis struct #name {}

        #structs
        #builder
        #bound_view

        impl #name {
            /// A pipeline ready to run.
            pub fn new() -> Self {
                #name {}
            }

            #runs

            /// This pipeline on `engine`.
            pub fn with_engine<E: #krate::__private::Engine>(&self, engine: E) -> #runner<E> {
                let _ = engine;
                ::core::unreachable!(#message)
            }

            /// This pipeline on the default engine, telling `hooks` what happens.
            pub fn with_hooks<H: #krate::__private::Hooks>(&self, hooks: H) -> #runner<#krate::__private::Parallel, H> {
                let _ = hooks;
                ::core::unreachable!(#message)
            }

            /// Every node's settings on the default engine.
            pub fn plan(&self) -> #krate::__private::Plan {
                ::core::unreachable!(#message)
            }

            #info
        }

        /// What `with_engine` returns, for the code around a pipeline that did not compile.
        #[doc(hidden)]
        #vis struct #runner<E, H = #krate::__private::NoHooks>(::core::marker::PhantomData<(E, H)>);

        impl<E, H> #runner<E, H> {
            #runs

            /// Each item's outcome as it comes.
            pub fn stream<I>(&self, items: I) -> #FqResult<::std::vec::IntoIter<#FqResult<#outputs_ty, #krate::Error>>, #krate::Error>
            where
                I: #FqIntoIterator<Item = #inputs_ty>,
            {
                let _ = items;
                ::core::unreachable!(#message)
            }

            /// The same run telling `hooks` what happens.
            pub fn with_hooks<H2: #krate::__private::Hooks>(self, hooks: H2) -> #runner<E, H2> {
                let _ = hooks;
                ::core::unreachable!(#message)
            }

            /// Every node's settings on this engine.
            pub fn plan(&self) -> #krate::__private::Plan {
                ::core::unreachable!(#message)
            }
        }

        #quiet
    }
}

/// `<Name>Builder` with the methods of the real one, storing nothing.
fn builder(krate: &Krate, header: &Header, types: &Types, message: &str) -> TokenStream {
    let name = &header.name;
    let vis = &header.vis;
    let builder = format_ident!("{}Builder", name);
    let stateful = Stateful::of(types);
    let factories = stateful.names.iter().map(|param| {
        let method = Ident::new(param, proc_macro2::Span::call_site());
        quote! {
            #[allow(missing_docs)]
            pub fn #method<F, R>(self, factory: F) -> Self
            where
                F: #FqFn(&#krate::__private::WorkerContext) -> R + #FqSend + #FqSync + 'static,
            {
                let _ = factory;
                self
            }
        }
    });
    let bound = Bound::of(types, header);
    let bound = types.graph.bound.iter().zip(&bound.types).map(|(b, ty)| {
        let method = Ident::new(&b.name.to_string(), proc_macro2::Span::call_site());
        quote! {
            #[allow(missing_docs)]
            pub fn #method(self, value: #ty) -> Self {
                let _ = value;
                self
            }
        }
    });
    quote! {
        #[allow(missing_docs)]
        #vis struct #builder {}

        impl #name {
            /// A builder to give factories for stateful resources.
            pub fn builder() -> #builder {
                #builder {}
            }
        }

        impl #builder {
            #(#factories)*
            #(#bound)*

            /// The pipeline.
            pub fn build(self) -> #name {
                ::core::unreachable!(#message)
            }
        }
    }
}

/// A pipeline with errors still answers to its name as a node, so the pipelines that list it
/// stay quiet instead of adding "cannot find macro" to the error that matters.
fn quiet_meta_macro(header: &Header) -> TokenStream {
    let meta = NodeMeta {
        version: 0,
        cached: false,
        needs: Vec::new(),
        exposed: u64::MAX,
        kind: Kind::Pipeline,
        name: header.name.clone(),
        vis: Vis::of(&header.vis),
        fallible: true,
        batch: false,
        per_item: false,
        asynchronous: false,
        params: Vec::new(),
        outputs: Vec::new(),
        written_outputs: Vec::new(),
        absolute_outputs: Vec::new(),
        config: Default::default(),
        poisoned: true,
    };
    emit_meta_macro(&header.vis, &header.name, &meta)
}
