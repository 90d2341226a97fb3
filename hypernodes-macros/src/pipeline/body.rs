//! The statements of one item's run: every node called once in topological order inside one
//! panic guard, each argument borrowed, moved or cloned, and every edge type-checked. A node's
//! stateful instances and its `max_concurrency` permit are held for its call only; a node with
//! `max_retries` is called again (with fresh copies of its by-value arguments) after a failure.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use super::graph::{Graph, Node, Source};
use super::names::{
    hooks_ident, local, private_ident, running_ident, scope_ident, shared_ident, user_spanned,
    worker_ident, Types,
};
use crate::config::{Config, Key, Value};
use crate::meta::{Kind, Mode};

/// The statements of `run`: one call per node, values moved on their last use.
pub struct Body<'a> {
    pub(super) types: &'a Types<'a>,
    pub(super) graph: &'a Graph,
    /// The pipeline's `#[config]`, for `max_retries` set there.
    pipeline_config: &'a Config,
    /// Uses of each value still to come (node parameters, then the output field).
    remaining: HashMap<String, usize>,
}

impl<'a> Body<'a> {
    pub fn new(types: &'a Types<'a>, pipeline_config: &'a Config) -> Self {
        let graph = types.graph;
        let mut remaining: HashMap<String, usize> = HashMap::new();
        for &n in &graph.order {
            for p in &graph.nodes[n].meta.params {
                if !p.mode.is_stateful() {
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
            pipeline_config,
            remaining,
        }
    }

    /// `run`'s body: every node call inside one panic guard, then `outputs`.
    pub fn generate(mut self, outputs_ty: &Ident, outputs: TokenStream) -> TokenStream {
        let graph = self.graph;
        let calls: Vec<TokenStream> = graph.order.iter().map(|&n| self.node(n)).collect();
        let krate = self.types.krate;
        let running = running_ident();
        let imports = self.imports();
        quote! {
            #imports
            let #running = ::core::cell::Cell::new("");
            #krate::__private::run_catching(&#running, || -> ::core::result::Result<#outputs_ty, #krate::Error> {
                #(#calls)*
                ::core::result::Result::Ok(#outputs)
            })
        }
    }

    /// The checks start with these names, spanned on the user's node token, so a failing check
    /// points at that token rather than at the whole `pipeline!` invocation.
    pub(super) fn imports(&self) -> TokenStream {
        let krate = self.types.krate;
        quote! {
            #[allow(unused_imports)]
            use #krate::__private::{
                checkout as __hypernodes_checkout, clone_for as __hypernodes_clone_for,
                clone_for_retry as __hypernodes_clone_for_retry, retrying as __hypernodes_retrying,
                SameInput as __HypernodesSameInput, SameStateful as __HypernodesSameStateful,
                Wire as __HypernodesWire,
            };
        }
    }

    pub(super) fn node(&mut self, index: usize) -> TokenStream {
        let graph = self.graph;
        let node = &graph.nodes[index];
        let mut setup = Vec::new();
        let mut objects = self.stateful_args(index, &mut setup);
        let args: Vec<TokenStream> = node
            .meta
            .params
            .iter()
            .enumerate()
            .map(|(param, p)| match p.mode {
                Mode::Stateful | Mode::StatefulMut => objects.remove(&param).expect("checked out"),
                Mode::Value | Mode::Ref => self.wired_arg(index, param),
            })
            .collect();
        let retries = self.retries(node);
        let call = match retries {
            0 => self.call(node, index, &args),
            retries => self.retried_call(node, index, args, retries, &mut setup),
        };
        let bind = self.bindings(node);
        let running = running_ident();
        let name = node.meta.name.to_string();
        let permit = (node.meta.kind == Kind::Function).then(|| {
            let shared = shared_ident();
            let limiter = private_ident("limit", index);
            quote!(let __hypernodes_permit = #shared.#limiter.enter();)
        });
        let (start, end) = self.hook_calls(node);
        // The block scopes the permit and the stateful checkouts to this one call.
        quote! {
            #running.set(#name);
            #start
            let #bind = { #permit #(#setup)* #call };
            #end
        }
    }

    /// The hook events around one call: node start/end, or nested start/end for a pipeline.
    fn hook_calls(&self, node: &Node) -> (TokenStream, TokenStream) {
        let krate = self.types.krate;
        let name = node.meta.name.to_string();
        let (hooks, scope) = (hooks_ident(), scope_ident());
        let clock = Ident::new("__hypernodes_clock", Span::mixed_site());
        match node.meta.kind {
            Kind::Function => (
                quote!(let #clock = #krate::__private::node_start(#hooks, #scope, #name, 1);),
                quote!(#krate::__private::node_end(#hooks, #scope, #name, 1, #clock);),
            ),
            Kind::Pipeline => (
                quote!(let #clock = #krate::__private::nested_start(#hooks, #scope, #name, ::core::option::Option::None);),
                quote!(#krate::__private::nested_end(#hooks, #scope, #name, #clock);),
            ),
        }
    }

    /// `max_retries` from the node's `config(..)`, else the pipeline's (both compile-time).
    pub(super) fn retries(&self, node: &Node) -> u64 {
        let key = Key::MaxRetries;
        match node.meta.config.get(key).or(self.pipeline_config.get(key)) {
            Some(Value::Int(retries)) if node.meta.kind == Kind::Function => retries,
            _ => 0,
        }
    }

    /// The call inside a retry loop: by-value arguments are evaluated once, before the loop,
    /// and each attempt gets its own copy.
    pub(super) fn retried_call(
        &self,
        node: &Node,
        index: usize,
        args: Vec<TokenStream>,
        retries: u64,
        setup: &mut Vec<TokenStream>,
    ) -> TokenStream {
        let krate = self.types.krate;
        let this = &node.path;
        let args: Vec<TokenStream> = args
            .into_iter()
            .zip(&node.meta.params)
            .enumerate()
            .map(|(param, (arg, p))| {
                if p.mode != Mode::Value {
                    return arg;
                }
                let held = Ident::new(&format!("__hypernodes_arg_{param}"), Span::mixed_site());
                setup.push(quote!(let #held = #arg;));
                let copy = quote_spanned!(node.span()=> __hypernodes_clone_for_retry::<#this, _>);
                user_spanned(node, copy, quote!(&#held))
            })
            .collect();
        let call = self.call(node, index, &args);
        let name = node.meta.name.to_string();
        let retries = u32::try_from(retries).unwrap_or(u32::MAX);
        quote! {
            __hypernodes_retrying(#name, #retries, || -> ::core::result::Result<_, #krate::Error> {
                ::core::result::Result::Ok(#call)
            })?
        }
    }

    /// The node's stateful objects, by parameter. They are checked out in the pipeline's order
    /// of stateful resources, the same for every node, so two calls waiting for pooled
    /// instances can never each hold what the other waits for.
    pub(super) fn stateful_args(
        &self,
        index: usize,
        setup: &mut Vec<TokenStream>,
    ) -> HashMap<usize, TokenStream> {
        let node = &self.graph.nodes[index];
        let mut params: Vec<usize> = (0..node.meta.params.len())
            .filter(|&param| node.meta.params[param].mode.is_stateful())
            .collect();
        params.sort_by_key(|&param| self.graph.stateful_index(&node.meta.params[param].name));
        params
            .into_iter()
            .map(|param| (param, self.stateful_arg(index, param, setup)))
            .collect()
    }

    fn stateful_arg(
        &self,
        index: usize,
        param: usize,
        setup: &mut Vec<TokenStream>,
    ) -> TokenStream {
        let node = &self.graph.nodes[index];
        let p = &node.meta.params[param];
        let name = &p.name;
        let declared = &self.graph.stateful[self.graph.stateful_index(name)];
        let field = private_ident("stateful", name);
        let binding = Ident::new(&format!("__hypernodes_{name}_{index}"), Span::mixed_site());
        let (node_str, param_str) = (node.meta.name.to_string(), name.to_string());
        let instances = Ident::new("__hypernodes_instances", Span::mixed_site());
        let (shared, worker) = (shared_ident(), worker_ident());
        setup.push(quote! { let #instances = &#shared.#field; });
        // The block around the instances: see `user_spanned`.
        setup.push(quote_spanned! {node.span()=>
            #[allow(unused_mut)]
            let mut #binding = __hypernodes_checkout({ #instances }, #worker, #node_str, #param_str)?;
        });
        let mutable = p.mode == Mode::StatefulMut;
        let object = match mutable {
            true => quote!(&mut *#binding),
            false => quote!(&*#binding),
        };
        if (declared.node, declared.param) == (index, param) {
            return object;
        }
        let want = self.types.param(index, param);
        let first = &self.graph.nodes[declared.node].path;
        let this = &node.path;
        let method = match mutable {
            true => quote!(share_mut),
            false => quote!(share),
        };
        let share =
            quote_spanned!(node.span()=> __HypernodesSameStateful::<#want, #first, #this>::#method);
        user_spanned(node, share, object)
    }

    pub(super) fn wired_arg(&mut self, index: usize, param: usize) -> TokenStream {
        let graph = self.graph;
        let node = &graph.nodes[index];
        let p = &node.meta.params[param];
        let value = local(&p.name);
        let later_use = self.use_once(&p.name);
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

    pub(super) fn clone_of(&self, value: &Ident, consumer: &Node) -> TokenStream {
        let this = &consumer.path;
        let check = quote_spanned!(consumer.span()=> __hypernodes_clone_for::<#this, _>);
        user_spanned(consumer, check, quote!(&#value))
    }

    pub(super) fn call(&self, node: &Node, index: usize, args: &[TokenStream]) -> TokenStream {
        let krate = self.types.krate;
        let name = node.meta.name.to_string();
        match node.meta.kind {
            Kind::Pipeline => {
                // `self` keeps the generated span: with the user's it would resolve at the
                // `pipeline!` call site, where there is no `self`.
                let field = private_ident("nested", index);
                let nested = quote!(self.#field);
                let (shared, worker) = (shared_ident(), worker_ident());
                let (hooks, scope) = (hooks_ident(), scope_ident());
                let nested_shared = quote!(&#shared.#field);
                quote_spanned! {node.span()=>
                    #nested.__hypernodes_call(
                        #nested_shared, #worker, #hooks, &#scope.nested(#name, ::core::option::Option::None), #(#args),*
                    ).map_err(|e| e.within(#name))?
                }
            }
            Kind::Function if node.meta.batch => {
                // One item: a one-item slice in, the single value out.
                let args = node
                    .meta
                    .params
                    .iter()
                    .zip(args)
                    .map(|(p, arg)| match p.mode {
                        Mode::Ref => quote!(::core::slice::from_ref(#arg)),
                        Mode::Value => quote!(::std::vec![#arg]),
                        Mode::Stateful | Mode::StatefulMut => arg.clone(),
                    });
                let args: Vec<TokenStream> = args.collect();
                let values = self.function_call(node, &args);
                quote!(#krate::__private::single_value(#name, #values)?)
            }
            Kind::Function => self.function_call(node, args),
        }
    }

    /// The node's function called with `args`; a fallible node's `Err` leaves with `?`.
    pub(super) fn function_call(&self, node: &Node, args: &[TokenStream]) -> TokenStream {
        let krate = self.types.krate;
        let path = &node.path;
        let name = node.meta.name.to_string();
        match node.meta.fallible {
            true => quote_spanned! {node.span()=>
                #krate::__private::node_result(#name, #path(#(#args),*))?
            },
            false => quote_spanned!(node.span()=> #path(#(#args),*)),
        }
    }

    /// Counts one use of `name`; whether another use comes after it.
    pub(super) fn use_once(&mut self, name: &Ident) -> bool {
        let left = self
            .remaining
            .get_mut(&name.to_string())
            .expect("every use is counted");
        *left -= 1;
        *left > 0
    }

    /// Whether a node not generated yet, or the outputs, still read `name`.
    pub(super) fn used_later(&self, name: &Ident) -> bool {
        self.remaining
            .get(&name.to_string())
            .is_some_and(|&left| left > 0)
    }

    /// The pattern the call's result is bound to; outputs nothing reads are bound to `_`.
    pub(super) fn bindings(&self, node: &Node) -> TokenStream {
        let names: Vec<TokenStream> = node
            .meta
            .outputs
            .iter()
            .map(|o| match self.used_later(o) {
                true => {
                    let local = local(o);
                    quote!(#local)
                }
                false => quote!(_),
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
