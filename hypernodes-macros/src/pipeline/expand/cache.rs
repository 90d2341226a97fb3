//! Per-node, per-item caching in generated code. A pipeline value holds an optional table of
//! typed functions (read, write, hash) for each cached node's values, filled by `with_cache`:
//! that method's bounds are checked where it is called, so only pipelines given a cache need
//! serde on their values. Without a table, a node's statement only checks that it is absent.
//!
//! A node's key: its code hash and `version`, then per wired input either the key of the cached
//! node that produced it (so a changed node invalidates everything downstream and nothing
//! upstream) or the input's value, postcard-encoded.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::names::{self, hooks_ident, private_ident, scope_ident, Types};
use crate::fq::{FqArc, FqOption};
use crate::krate::Krate;
use crate::meta::Kind;
use crate::pipeline::model::graph::{Graph, Source};
use crate::pipeline::parse::header::Header;

/// The local holding node `n`'s cache key (`Option<Key>`).
pub fn key_ident(n: usize) -> Ident {
    names::node_key(n)
}

/// Whether node `n` is cached: a function node not marked `cache = false` (nor a batch node).
pub fn is_cached(types: &Types, n: usize) -> bool {
    let meta = &types.graph.nodes[n].meta;
    types.features.cache && meta.kind == Kind::Function && meta.cached
}

fn get_field(n: usize) -> Ident {
    format_ident!("get_{}", n)
}

fn put_field(n: usize) -> Ident {
    format_ident!("put_{}", n)
}

fn hash_field(n: usize, param: usize) -> Ident {
    format_ident!("hash_{}_{}", n, param)
}

/// The type a cached node's value is stored as: its output, or the tuple of its outputs.
fn value_type(types: &Types, n: usize) -> TokenStream {
    let outputs: Vec<TokenStream> = (0..types.graph.nodes[n].meta.outputs.len())
        .map(|o| types.output(n, o))
        .collect();
    match outputs.as_slice() {
        [single] => single.clone(),
        many => quote!((#(#many),*)),
    }
}

/// The type of the value a parameter reads, as its producer (or first reader) has it: keys hash
/// the value itself, so a type mismatch is reported once, by the node's own argument check.
fn source_type(types: &Types, n: usize, param: usize) -> TokenStream {
    let graph = types.graph;
    let name = &graph.nodes[n].meta.params[param].name;
    match graph.source_of(name) {
        Source::Output { node, output } if !graph.present_for(name, &graph.nodes[n].guard) => {
            let ty = types.output(node, output);
            quote!(#FqOption<#ty>)
        }
        Source::Output { node, output } => types.output(node, output),
        Source::Field { .. } => types.param(n, param),
        Source::Input(i) => types.declared(&graph.inputs[i]),
        Source::Bound(i) => types.declared(&graph.bound[i]),
    }
}

/// The wired (not stateful) parameters of node `n`.
fn wired(graph: &Graph, n: usize) -> impl Iterator<Item = usize> + '_ {
    let params = &graph.nodes[n].meta.params;
    (0..params.len()).filter(|&p| !params[p].mode.is_stateful())
}

/// `let key = ..;` for cached node `index`: `None` without a cache or when an input cannot be
/// encoded (then the item is computed and not stored). Where keys flow (`keys_flow`), an input
/// made by a cached node adds that node's key; any other input adds its value, read by `value`.
pub fn key_statement(
    types: &Types,
    index: usize,
    keys_flow: bool,
    value: impl Fn(&Ident) -> TokenStream,
) -> Option<TokenStream> {
    let cache_field = names::cache_field();
    let graph = types.graph;
    if !is_cached(types, index) {
        return None;
    }
    let krate = types.krate;
    let node = &graph.nodes[index];
    let (table, builder) = (names::cache_table(), names::key_builder());
    let parts = wired(graph, index).map(|param| {
        let name = &node.meta.params[param].name;
        match graph.source_of(name) {
            // One producer, certainly run: its key stands for the value.
            Source::Output { node: from, .. }
                if keys_flow
                    && is_cached(types, from)
                    && graph.producers_of(name).len() == 1
                    && graph.present_for(name, &node.guard) =>
            {
                let upstream = key_ident(from);
                quote!(#builder.upstream(#FqOption::as_ref(&#upstream)?))
            }
            _ => {
                let field = hash_field(index, param);
                let value = value(name);
                quote!((#table.#field)(#builder, #value)?)
            }
        }
    });
    let key = key_ident(index);
    let path = &node.path;
    let code = quote!(<#path as #krate::__private::NodeCode>::CODE);
    let version = proc_macro2::Literal::u64_suffixed(node.meta.version);
    Some(quote! {
        let #key: #FqOption<#krate::__private::Key> = match &self.#cache_field {
            #FqOption::Some(#table) => (|| {
                let #builder = #krate::__private::Key::builder(#code, #version);
                #(let #builder = #parts;)*
                #FqOption::Some(#builder.finish())
            })(),
            #FqOption::None => #FqOption::None,
        };
    })
}

/// `compute` behind a cache lookup for cached node `index`: a hit is the value (and a
/// `CacheHit` event); a miss computes and stores it.
///
/// Without the `cache` feature only `compute` is written. Written out, like the key, rather
/// than runtime functions taking the call and the key's parts as closures: that form saved a
/// tenth of a 50-node release build but cost W3 on `Parallel` up to 45 %
/// (`scripts/bench-ratios.sh w3_cpu w3_cpu_4k 3 parallel_map:hand_written_rayon`: 1.41 median
/// with the closures, 1.00 written out).
pub fn looked_up(types: &Types, index: usize, compute: TokenStream) -> TokenStream {
    let cache_field = names::cache_field();
    if !is_cached(types, index) {
        return compute;
    }
    let krate = types.krate;
    let name = types.graph.nodes[index].meta.name.to_string();
    let key = key_ident(index);
    let (get, put) = (get_field(index), put_field(index));
    let (hooks, scope) = (hooks_ident(), scope_ident());
    let (table, value, some_key) = (
        names::cache_table(),
        names::cached_value(),
        names::cache_key(),
    );
    quote! {
        match #krate::__private::cache_lookup(
            #FqOption::map(self.#cache_field.as_ref(), |#table| &*#table.store),
            #FqOption::map(self.#cache_field.as_ref(), |#table| #table.#get),
            &#key, #hooks, #scope, #name,
        ) {
            #FqOption::Some(#value) => #value,
            #FqOption::None => {
                let #value = { #compute };
                if let (#FqOption::Some(#table), #FqOption::Some(#some_key)) =
                    (&self.#cache_field, &#key)
                {
                    (#table.#put)(&#table.store, #some_key, &#value);
                }
                #value
            }
        }
    }
}

/// The pipeline's cache table type, and (with the `cache` feature) `with_cache`.
pub fn generate(krate: &Krate, header: &Header, types: &Types) -> TokenStream {
    let fq_option = FqOption;
    let cache_field = names::cache_field();
    let graph = types.graph;
    let name = &header.name;
    let vis = &header.vis;
    let table_ty = table_ident(header);
    let table_doc = format!("The cache functions of [`{name}`]'s nodes; not public API.");
    if !types.features.cache {
        // Without the `cache` feature the field stays `None` and no node is keyed.
        return quote! {
            #[doc = #table_doc]
            #[doc(hidden)]
            #[derive(Clone)]
            #vis struct #table_ty;
        };
    }
    let cached: Vec<usize> = graph
        .order
        .iter()
        .copied()
        .filter(|&n| is_cached(types, n))
        .collect();
    let value_types: Vec<TokenStream> = cached.iter().map(|&n| value_type(types, n)).collect();
    let node_paths: Vec<&syn::Path> = cached.iter().map(|&n| &graph.nodes[n].path).collect();
    let (gets, puts): (Vec<Ident>, Vec<Ident>) =
        cached.iter().map(|&n| (get_field(n), put_field(n))).unzip();
    let hashed: Vec<(Ident, TokenStream, &syn::Path)> = cached
        .iter()
        .flat_map(|&n| {
            wired(graph, n).map(move |p| {
                (
                    hash_field(n, p),
                    source_type(types, n, p),
                    &graph.nodes[n].path,
                )
            })
        })
        .collect();
    let hash_fields: Vec<&Ident> = hashed.iter().map(|(f, _, _)| f).collect();
    let hash_types: Vec<&TokenStream> = hashed.iter().map(|(_, t, _)| t).collect();
    let hash_nodes = hashed.iter().map(|(_, _, n)| n);
    let p = quote!(#krate::__private);
    let nested: Vec<(Ident, &syn::Path)> = graph
        .order
        .iter()
        .filter(|&&n| graph.nodes[n].meta.kind == Kind::Pipeline)
        .map(|&n| (private_ident("nested", n), &graph.nodes[n].path))
        .collect();
    let nested_fields = nested.iter().map(|(f, _)| f);
    let nested_types: Vec<&&syn::Path> = nested.iter().map(|(_, t)| t).collect();
    // One bound per (trait, type, node): a repeated bound would make the solver see two
    // candidates. Values are stored and read back; inputs are only hashed (`Serialize`).
    let mut slot_bounds: Vec<TokenStream> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let values = value_types
        .iter()
        .zip(node_paths.iter().copied())
        .map(|(ty, node)| quote!(#p::Slot<S, #ty, #node>: #p::CacheValue<#ty>));
    let parts = hash_types
        .iter()
        .copied()
        .zip(hashed.iter().map(|(_, _, n)| *n))
        .map(|(ty, node)| quote!(#p::Slot<S, #ty, #node>: #p::KeyPart<#ty>));
    for bound in values.chain(parts) {
        if !seen.contains(&bound.to_string()) {
            seen.push(bound.to_string());
            slot_bounds.push(bound);
        }
    }
    quote! {
        #[doc = #table_doc]
        #[doc(hidden)]
        #[allow(clippy::type_complexity)]
        #[derive(Clone)]
        #vis struct #table_ty {
            store: #FqArc<#p::DiskCache>,
            #(#gets: fn(&#p::DiskCache, &#p::Key) -> #fq_option<#value_types>,)*
            #(#puts: fn(&#p::DiskCache, &#p::Key, &#value_types),)*
            #(#hash_fields: fn(#p::KeyBuilder, &#hash_types) -> #fq_option<#p::KeyBuilder>,)*
        }

        impl<S: #p::Store> #p::Cacheable<S> for #name
        where
            #(#slot_bounds,)*
            #(#nested_types: #p::Cacheable<S>,)*
        {
            fn set_cache(&mut self, store: &#FqArc<#p::DiskCache>) {
                self.#cache_field = #FqOption::Some(#table_ty {
                    store: #FqArc::clone(store),
                    #(#gets: <#p::Slot<S, #value_types, #node_paths> as #p::CacheValue<#value_types>>::get,)*
                    #(#puts: <#p::Slot<S, #value_types, #node_paths> as #p::CacheValue<#value_types>>::put,)*
                    #(#hash_fields: <#p::Slot<S, #hash_types, #hash_nodes> as #p::KeyPart<#hash_types>>::hash,)*
                });
                #(<#nested_types as #p::Cacheable<S>>::set_cache(&mut self.#nested_fields, store);)*
            }
        }

        impl #name {
            /// This pipeline with a cache: each cached node's value for each item is looked up
            /// first and computed (and stored) only on a miss. Nested pipelines share it.
            /// Needs serde's `Serialize` and `Deserialize` on the values of cached nodes, and
            /// `Serialize` on the values they read (hashed into their keys).
            pub fn with_cache<S: #p::Store>(mut self, cache: S) -> Self
            where
                Self: #p::Cacheable<S>,
            {
                let store = #FqArc::new(#p::Store::into_disk_cache(cache));
                <Self as #p::Cacheable<S>>::set_cache(&mut self, &store);
                self
            }

            /// The cache given by `with_cache`, if any (for its counters).
            pub fn cache(&self) -> #FqOption<&#p::DiskCache> {
                #FqOption::map(self.#cache_field.as_ref(), |table| &*table.store)
            }
        }
    }
}

/// `__Hypernodes{Name}Cache`.
pub fn table_ident(header: &Header) -> Ident {
    names::cache_type(&header.name)
}
