//! A node as the model sees it: its path in the pipeline list, the metadata it sent through the
//! chain, and, for a nested pipeline, how the outer pipeline uses it.

use proc_macro2::Span;
use quote::ToTokens;
use syn::Path;

use crate::meta::{Absolute, NodeMeta};
use crate::pipeline::parse::list::Guard;

pub struct Node {
    pub path: Path,
    pub meta: NodeMeta,
    /// How the outer pipeline calls it, for a nested pipeline.
    pub nested: Option<NestedUse>,
    /// Its value types are named through the aliases beside it (`meta::value_alias`), not
    /// through its twin, so that a more visible pipeline can expose them.
    pub types_by_alias: bool,
    /// The branch arms it runs in, outermost first (empty: it runs for every item).
    pub guard: Guard,
}

impl Node {
    /// A listed node, before the list says how a nested pipeline is used.
    pub fn new(path: Path, meta: NodeMeta, guard: Guard) -> Node {
        Node {
            path,
            meta,
            nested: None,
            types_by_alias: false,
            guard,
        }
    }

    /// Where errors about this node point: its entry in the pipeline list.
    pub fn span(&self) -> Span {
        self.path
            .segments
            .last()
            .map_or_else(Span::call_site, |s| s.ident.span())
    }

    /// A function's parameter type with absolute paths, when it has such a spelling: named so,
    /// it costs rustc no normalization (`crate::std_type`).
    pub fn absolute_param(&self, position: usize) -> Option<&Absolute> {
        match self.nested {
            Some(_) => None,
            None => self.meta.params.get(position)?.absolute.as_ref(),
        }
    }

    /// A function's output type with absolute paths, when it has such a spelling.
    pub fn absolute_output(&self, position: usize) -> Option<&Absolute> {
        match self.nested {
            Some(_) => None,
            None => self.meta.absolute_output(position),
        }
    }

    pub fn label(&self) -> String {
        self.path.to_token_stream().to_string().replace(' ', "")
    }
}

/// How the outer pipeline calls a nested one.
#[derive(Clone, Debug)]
pub struct NestedUse {
    /// Per parameter of the node (outer view), the inner input position it feeds.
    pub params_at: Vec<usize>,
    /// Every input of the inner pipeline, outer-wired or not.
    pub inner_params: usize,
    /// Every output of the inner pipeline, asked for or not.
    pub inner_outputs: usize,
    /// Per output of the node (outer view), the inner output position it comes from.
    pub outputs_at: Vec<usize>,
    /// The inner outputs asked for, as bits by position (all bits past 64 outputs).
    pub mask: u64,
    /// Per parameter: a list whose elements the inner pipeline runs on (`map_over`).
    pub mapped: Vec<bool>,
    /// `map_over(product(..))`: every combination rather than a zip.
    pub product: bool,
    /// `(inner name, outer name)` of each renamed input and output.
    pub renamed: Vec<(String, String)>,
    /// The inner values left inside because `outputs(..)` was not given (only final outputs
    /// come out), for the error of a node reading one.
    pub intermediates: Vec<syn::Ident>,
}

impl NestedUse {
    pub fn maps(&self) -> bool {
        self.mapped.iter().any(|&m| m)
    }
}
