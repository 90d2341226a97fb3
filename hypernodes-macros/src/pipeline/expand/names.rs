//! How generated code names things: locals with one hygiene context, private fields, the types
//! of node parameters and outputs, and spans that keep diagnostics on the user's tokens.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use crate::meta::{value_alias, Side};
use crate::pipeline::model::graph::Graph;
use crate::pipeline::model::node::Node;

/// A local variable for a value, with one hygiene context for all of them (names arriving
/// through different metadata macros carry different marks) and the user's location.
pub fn local(name: &Ident) -> Ident {
    Ident::new(
        &name.to_string(),
        Span::mixed_site().located_at(name.span()),
    )
}

/// `function({ argument })`, spanned on the node's token in the pipeline list. A failing trait
/// bound is reported at the argument; generated locals count as macro-internal and would move
/// the report to the whole `pipeline!` call, but a block written with the user's span does not.
pub fn user_spanned(node: &Node, function: TokenStream, argument: TokenStream) -> TokenStream {
    quote_spanned!(node.span()=> #function({ #argument }))
}

/// The name of the node running now, for panics.
pub fn running_ident() -> Ident {
    Ident::new("__hypernodes_running", Span::mixed_site())
}

/// What the workers of a run share: stateful instances, limiters, nested pipelines' share.
pub fn shared_ident() -> Ident {
    Ident::new("__hypernodes_shared", Span::mixed_site())
}

/// The index of the worker running the item.
pub fn worker_ident() -> Ident {
    Ident::new("__hypernodes_worker", Span::mixed_site())
}

/// The hooks of the run (`&H`).
pub fn hooks_ident() -> Ident {
    Ident::new("__hypernodes_hooks", Span::mixed_site())
}

/// The scope of the pipeline being run (`&Scope`).
pub fn scope_ident() -> Ident {
    Ident::new("__hypernodes_scope", Span::mixed_site())
}

/// The index (in the whole run) of a unit's first item.
pub fn unit_first() -> Ident {
    Ident::new("__hypernodes_first", Span::mixed_site())
}

/// How many items a unit holds.
pub fn unit_len() -> Ident {
    Ident::new("__hypernodes_n", Span::mixed_site())
}

/// Per item of a unit, its error once a node failed for it.
pub fn unit_failed() -> Ident {
    Ident::new("__hypernodes_failed", Span::mixed_site())
}

/// An item's index within its unit.
pub fn item_index() -> Ident {
    Ident::new("__hypernodes_i", Span::mixed_site())
}

/// The cell behind `running_ident`, where the node running now is named.
/// A value's column as a local of a step (see `columns.rs`).
pub fn column_local(name: &Ident) -> Ident {
    Ident::new(&format!("__hypernodes_col_{name}"), Span::mixed_site())
}

/// A value's column as a field of the pipeline's columns struct (see `steps.rs`).
pub fn column_field(name: &Ident) -> Ident {
    format_ident!("col_{}", name.to_string())
}

pub fn running_cell() -> Ident {
    Ident::new("__hypernodes_running_cell", Span::mixed_site())
}

/// The collector a unit pushes its items' outcomes into.
pub fn unit_out() -> Ident {
    Ident::new("__hypernodes_out", Span::mixed_site())
}

/// The items of a unit no node has failed for.
pub fn unit_live() -> Ident {
    Ident::new("__hypernodes_live", Span::mixed_site())
}

/// When the running node started, for its end event.
pub fn clock() -> Ident {
    Ident::new("__hypernodes_clock", Span::mixed_site())
}

/// The pipeline's field holding its cache table (`None` until `with_cache`).
pub fn cache_field() -> Ident {
    Ident::new("__hypernodes_cache", Span::call_site())
}

/// The pipeline's field holding the shared state of its single-item runs (`run`).
pub fn single_field() -> Ident {
    Ident::new("__hypernodes_single", Span::call_site())
}

pub fn private_ident(prefix: &str, name: impl std::fmt::Display) -> Ident {
    format_ident!("__hypernodes_{}_{}", prefix, name.to_string())
}

pub struct Types<'a> {
    pub krate: &'a TokenStream,
    pub graph: &'a Graph,
    /// The optional runtime parts the code is written for.
    pub features: super::features::Features,
}

impl Types<'_> {
    /// The type of a node's parameter; a nested pipeline's input mapped over is a `Vec` of it.
    pub fn param(&self, node: usize, param: usize) -> TokenStream {
        let node = &self.graph.nodes[node];
        match &node.nested {
            Some(nested) => {
                let ty = self.inner_param(node, nested.params_at[param]);
                match nested.mapped[param] {
                    true => quote!(::std::vec::Vec<#ty>),
                    false => ty,
                }
            }
            None => self.inner_param(node, param),
        }
    }

    /// The type of the `position`-th input of the node itself (for a pipeline, the inner one).
    pub fn inner_param(&self, node: &Node, position: usize) -> TokenStream {
        let krate = self.krate;
        let path = &node.path;
        match node.types_by_alias {
            true => alias_path(node, Side::In, position),
            false => quote!(<#path as #krate::__private::In<#position>>::Ty),
        }
    }

    /// The type of the `position`-th output of the node itself (for a pipeline, the inner one).
    fn inner_output(&self, node: &Node, position: usize) -> TokenStream {
        let krate = self.krate;
        let path = &node.path;
        match node.types_by_alias {
            true => alias_path(node, Side::Out, position),
            false => quote!(<#path as #krate::__private::Out<#position>>::Ty),
        }
    }

    /// The type of a node's output; one element's output for each element of a `map_over`.
    pub fn output(&self, node: usize, output: usize) -> TokenStream {
        let node = &self.graph.nodes[node];
        match &node.nested {
            Some(nested) => {
                let ty = self.inner_output(node, nested.outputs_at[output]);
                match nested.maps() {
                    true => quote!(::std::vec::Vec<#ty>),
                    false => ty,
                }
            }
            None => self.inner_output(node, output),
        }
    }
}

/// The node's alias for a value type, reached the way the pipeline list reaches the node: the
/// alias sits beside the function, so only the last segment of the path changes.
fn alias_path(node: &Node, side: Side, position: usize) -> TokenStream {
    let mut path = node.path.clone();
    let last = path.segments.last_mut().expect("a node path has a segment");
    last.ident = value_alias(&node.meta.name, side, position, last.ident.span());
    last.arguments = syn::PathArguments::None;
    quote!(#path)
}
