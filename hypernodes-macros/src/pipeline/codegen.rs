//! The generated pipeline: its struct, `<Name>Inputs`, `<Name>Outputs`, a straight-line `run`,
//! the facts that let it be a node of another pipeline, and its metadata macro.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use super::graph::{Graph, Node, Source};
use super::header::Header;
use crate::meta::{emit_meta_macro, Kind, Mode, NodeMeta, Param, Vis};

/// A local variable for a value, with one hygiene context for all of them (names arriving
/// through different metadata macros carry different marks) and the user's location.
fn local(name: &Ident) -> Ident {
    Ident::new(
        &name.to_string(),
        Span::mixed_site().located_at(name.span()),
    )
}

/// `function({ argument })`, spanned on the node's token in the pipeline list. A failing trait
/// bound is reported at the argument; generated locals count as macro-internal and would move
/// the report to the whole `pipeline!` call, but a block written with the user's span does not.
fn user_spanned(node: &Node, function: TokenStream, argument: TokenStream) -> TokenStream {
    quote_spanned!(node.span()=> #function({ #argument }))
}

/// The name of the node running now, for panics.
fn running_ident() -> Ident {
    Ident::new("__hypernodes_running", Span::mixed_site())
}

/// The per-run worker context (one hygiene context with every other generated local).
fn context_ident() -> Ident {
    Ident::new("__hypernodes_context", Span::mixed_site())
}

fn private_ident(prefix: &str, name: impl std::fmt::Display) -> Ident {
    format_ident!("__hypernodes_{}_{}", prefix, name.to_string())
}

struct Types<'a> {
    krate: &'a TokenStream,
    graph: &'a Graph,
}

impl Types<'_> {
    fn param(&self, node: usize, param: usize) -> TokenStream {
        let krate = self.krate;
        let path = &self.graph.nodes[node].path;
        quote!(<#path as #krate::__private::In<#param>>::Ty)
    }

    fn output(&self, node: usize, output: usize) -> TokenStream {
        let krate = self.krate;
        let path = &self.graph.nodes[node].path;
        quote!(<#path as #krate::__private::Out<#output>>::Ty)
    }
}

pub fn generate(krate: &TokenStream, header: &Header, graph: &Graph) -> TokenStream {
    let types = Types { krate, graph };
    let name = &header.name;
    let vis = &header.vis;
    let inputs_ty = format_ident!("{}Inputs", name);
    let outputs_ty = format_ident!("{}Outputs", name);

    let input_fields: Vec<&Ident> = graph.inputs.iter().map(|i| &i.name).collect();
    let input_locals: Vec<Ident> = graph.inputs.iter().map(|i| local(&i.name)).collect();
    let input_types: Vec<TokenStream> = graph
        .inputs
        .iter()
        .map(|i| types.param(i.node, i.param))
        .collect();
    let input_docs = graph.inputs.iter().map(|i| {
        let readers = readers(graph, &i.name);
        format!("Read by {readers}.")
    });

    let output_fields: Vec<&Ident> = graph
        .kept
        .iter()
        .map(|&(n, o)| &graph.nodes[n].meta.outputs[o])
        .collect();
    let output_locals: Vec<Ident> = output_fields.iter().map(|f| local(f)).collect();
    let output_types: Vec<TokenStream> = graph
        .kept
        .iter()
        .map(|&(n, o)| types.output(n, o))
        .collect();
    let output_docs = graph
        .kept
        .iter()
        .map(|&(n, _)| format!("Produced by `{}`.", graph.nodes[n].label()));

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
    let nested: Vec<(Ident, &syn::Path)> = graph
        .order
        .iter()
        .filter(|&&n| graph.nodes[n].meta.kind == Kind::Pipeline)
        .map(|&n| (private_ident("nested", n), &graph.nodes[n].path))
        .collect();
    let (nested_fields, nested_types): (Vec<_>, Vec<_>) = nested.iter().cloned().unzip();

    let outputs = quote!(#outputs_ty { #(#output_fields: #output_locals),* });
    let body = Body::new(&types).generate(&outputs_ty, outputs);
    let pruned = pruned_checks(&types);
    let info = super::info::generate(krate, header, graph);
    let as_node = as_node(krate, header, graph, &input_types, &output_types);
    let debug_inputs = debug_impl(krate, &inputs_ty, &input_fields);
    let debug_outputs = debug_impl(krate, &outputs_ty, &output_fields);
    let passthrough = &header.passthrough;
    let inputs_doc =
        format!("Inputs of [`{name}`]: one field per value no node of the pipeline produces.");
    let outputs_doc = format!("Outputs of [`{name}`]: one field per kept output.");

    quote! {
        #(#passthrough)*
        #vis struct #name {
            #(#stateful_fields: #krate::StatefulSlot<#stateful_types>,)*
            #(#nested_fields: #nested_types,)*
        }

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

        impl #name {
            /// A pipeline ready to run; stateful objects are built on first use.
            pub fn new() -> Self {
                #name {
                    #(#stateful_fields: #krate::StatefulSlot::new(),)*
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

        #debug_inputs
        #debug_outputs

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
            let check = quote_spanned! {node.span()=>
                let _ = #krate::__private::Wire::<#want, #producer, #this>::wire_ref(&#value);
            };
            Some((quote!(#value: #have), check))
        });
            let (params, checks): (Vec<_>, Vec<_>) = wired.unzip();
            let used = (node.meta.kind == Kind::Function).then(|| quote!(let _ = #this;));
            quote! {
                #[allow(dead_code, clippy::too_many_arguments)]
                fn __hypernodes_check(#(#params),*) { #(#checks)* }
                #used
            }
        });
    quote! { #(const _: () = { #checks };)* }
}

/// `Debug` for a generated struct, whatever its field types (see `__private::debug`).
fn debug_impl(krate: &TokenStream, ty: &Ident, fields: &[&Ident]) -> TokenStream {
    let name = ty.to_string();
    let labels = fields.iter().map(|f| f.to_string());
    quote! {
        impl ::core::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #[allow(unused_imports)]
                use #krate::__private::{ViaDebug as _, ViaTypeName as _};
                f.debug_struct(#name)
                    #(.field(#labels, &(&#krate::__private::Field(&self.#fields)).repr()))*
                    .finish()
            }
        }
    }
}

/// `a`, `b` (the nodes reading a pipeline input), for field docs.
fn readers(graph: &Graph, name: &Ident) -> String {
    graph
        .order
        .iter()
        .filter(|&&n| graph.nodes[n].meta.params.iter().any(|p| p.name == *name))
        .map(|&n| format!("`{}`", graph.nodes[n].label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a pipeline needs to be listed as a node: parameter and output types, and metadata.
fn as_node(
    krate: &TokenStream,
    header: &Header,
    graph: &Graph,
    input_types: &[TokenStream],
    output_types: &[TokenStream],
) -> TokenStream {
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

/// The statements of `run`: one call per node, values moved on their last use.
struct Body<'a> {
    types: &'a Types<'a>,
    graph: &'a Graph,
    /// Uses of each value still to come (node parameters, then the output field).
    remaining: HashMap<String, usize>,
}

impl<'a> Body<'a> {
    fn new(types: &'a Types<'a>) -> Self {
        let graph = types.graph;
        let mut remaining: HashMap<String, usize> = HashMap::new();
        for &n in &graph.order {
            for p in &graph.nodes[n].meta.params {
                if p.mode != Mode::Stateful {
                    *remaining.entry(p.name.to_string()).or_default() += 1;
                }
            }
        }
        for &(n, o) in &graph.kept {
            *remaining
                .entry(graph.nodes[n].meta.outputs[o].to_string())
                .or_default() += 1;
        }
        Body {
            types,
            graph,
            remaining,
        }
    }

    /// `run`'s body: every node call inside one panic guard, then `outputs`.
    fn generate(mut self, outputs_ty: &Ident, outputs: TokenStream) -> TokenStream {
        let graph = self.graph;
        let context = (!graph.stateful.is_empty()).then(|| {
            let krate = self.types.krate;
            let context = context_ident();
            quote!(let #context = #krate::WorkerContext::single();)
        });
        let calls: Vec<TokenStream> = graph.order.iter().map(|&n| self.node(n)).collect();
        let krate = self.types.krate;
        let running = running_ident();
        // The checks below start with these names, spanned on the user's node token, so a
        // failing check points at that token rather than at the whole `pipeline!` invocation.
        quote! {
            #[allow(unused_imports)]
            use #krate::__private::{
                clone_for as __hypernodes_clone_for, stateful_object as __hypernodes_stateful_object,
                CloneForLaterUse as __HypernodesCloneForLaterUse, SameInput as __HypernodesSameInput,
                SameStateful as __HypernodesSameStateful, Wire as __HypernodesWire,
            };
            let #running = ::core::cell::Cell::new("");
            #krate::__private::run_catching(&#running, || -> ::core::result::Result<#outputs_ty, #krate::Error> {
                #context
                #(#calls)*
                ::core::result::Result::Ok(#outputs)
            })
        }
    }

    fn node(&mut self, index: usize) -> TokenStream {
        let graph = self.graph;
        let node = &graph.nodes[index];
        let mut setup = Vec::new();
        let args: Vec<TokenStream> = node
            .meta
            .params
            .iter()
            .enumerate()
            .map(|(param, p)| match p.mode {
                Mode::Stateful => self.stateful_arg(index, param, &mut setup),
                Mode::Value | Mode::Ref => self.wired_arg(index, param),
            })
            .collect();
        let call = self.call(node, index, &args);
        let bind = self.bindings(node);
        let running = running_ident();
        let name = node.meta.name.to_string();
        quote!(#running.set(#name); #(#setup)* let #bind = #call;)
    }

    fn stateful_arg(
        &self,
        index: usize,
        param: usize,
        setup: &mut Vec<TokenStream>,
    ) -> TokenStream {
        let node = &self.graph.nodes[index];
        let name = &node.meta.params[param].name;
        let declared = &self.graph.stateful[self.graph.stateful_index(name)];
        let field = private_ident("stateful", name);
        let binding = Ident::new(&format!("__hypernodes_{name}_{index}"), Span::mixed_site());
        let (node_str, param_str) = (node.meta.name.to_string(), name.to_string());
        let slot = Ident::new("__hypernodes_slot", Span::mixed_site());
        let context = context_ident();
        setup.push(quote! { let #slot = &self.#field; });
        // The block around the slot: see `user_spanned`.
        setup.push(quote_spanned! {node.span()=>
            let #binding = __hypernodes_stateful_object({ #slot }, #node_str, #param_str, &#context)?;
        });
        if (declared.node, declared.param) == (index, param) {
            return quote!(#binding);
        }
        let want = self.types.param(index, param);
        let first = &self.graph.nodes[declared.node].path;
        let this = &node.path;
        let share =
            quote_spanned!(node.span()=> __HypernodesSameStateful::<#want, #first, #this>::share);
        user_spanned(node, share, quote!(#binding))
    }

    fn wired_arg(&mut self, index: usize, param: usize) -> TokenStream {
        let graph = self.graph;
        let node = &graph.nodes[index];
        let p = &node.meta.params[param];
        let value = local(&p.name);
        let left = self
            .remaining
            .get_mut(&p.name.to_string())
            .expect("every use is counted");
        *left -= 1;
        let later_use = *left > 0;
        let want = self.types.param(index, param);
        let this = &node.path;
        let (check, producer) = match graph.source_of(&p.name) {
            Source::Output { node: n, .. } => (quote!(__HypernodesWire), &graph.nodes[n].path),
            Source::Input(i) => {
                let first = &graph.inputs[i];
                if (first.node, first.param) == (index, param) {
                    // The first reader defines the input's type: nothing to check.
                    return match (p.mode, later_use) {
                        (Mode::Ref, _) => quote!(&#value),
                        (_, true) => self.clone_of(&value, node),
                        (_, false) => quote!(#value),
                    };
                }
                (quote!(__HypernodesSameInput), &graph.nodes[first.node].path)
            }
        };
        let check = quote_spanned!(node.span()=> #check::<#want, #producer, #this>);
        let value = match (p.mode, later_use) {
            (Mode::Ref, _) => return user_spanned(node, quote!(#check::wire_ref), quote!(&#value)),
            (_, true) => self.clone_of(&value, node),
            (_, false) => quote!(#value),
        };
        user_spanned(node, quote!(#check::wire), value)
    }

    fn clone_of(&self, value: &Ident, consumer: &Node) -> TokenStream {
        let this = &consumer.path;
        let check = quote_spanned!(consumer.span()=> __hypernodes_clone_for::<#this, _>);
        user_spanned(consumer, check, quote!(&#value))
    }

    fn call(&self, node: &Node, index: usize, args: &[TokenStream]) -> TokenStream {
        let krate = self.types.krate;
        let path = &node.path;
        let name = node.meta.name.to_string();
        match node.meta.kind {
            Kind::Pipeline => {
                // `self` keeps the generated span: with the user's it would resolve at the
                // `pipeline!` call site, where there is no `self`.
                let field = private_ident("nested", index);
                let nested = quote!(self.#field);
                quote_spanned! {node.span()=>
                    #nested.__hypernodes_call(#(#args),*).map_err(|e| e.within(#name))?
                }
            }
            Kind::Function if node.meta.fallible => quote_spanned! {node.span()=>
                #krate::__private::node_result(#name, #path(#(#args),*))?
            },
            Kind::Function => quote_spanned!(node.span()=> #path(#(#args),*)),
        }
    }

    /// The pattern the call's result is bound to; outputs nothing reads are bound to `_`.
    fn bindings(&self, node: &Node) -> TokenStream {
        let names: Vec<TokenStream> = node
            .meta
            .outputs
            .iter()
            .map(|o| match self.remaining.get(&o.to_string()) {
                Some(uses) if *uses > 0 => {
                    let local = local(o);
                    quote!(#local)
                }
                _ => quote!(_),
            })
            .collect();
        match (node.meta.kind, names.as_slice()) {
            (Kind::Pipeline, _) => {
                let outputs = &node.meta.outputs;
                let pattern = outputs.iter().zip(&names).map(|(o, n)| quote!(#o: #n));
                let path = &node.path;
                let outputs_ty = outputs_type_path(path);
                quote!(#outputs_ty { #(#pattern),* })
            }
            (Kind::Function, [single]) => single.clone(),
            (Kind::Function, many) => quote!((#(#many),*)),
        }
    }
}

/// `a::b::Inner` -> `a::b::InnerOutputs`.
fn outputs_type_path(path: &syn::Path) -> syn::Path {
    let mut path = path.clone();
    if let Some(last) = path.segments.last_mut() {
        last.ident = format_ident!("{}Outputs", last.ident, span = last.ident.span());
    }
    path
}
