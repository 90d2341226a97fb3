//! How generated code names things: locals with one hygiene context, private fields, the types
//! of node parameters and outputs, and spans that keep diagnostics on the user's tokens.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use crate::fq::FqVec;
use crate::krate::Krate;
pub use crate::meta::per_item_method;
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

/// A value passed to `node` unchecked, its type written as the parameter's: located at the
/// node's token (each token keeping its own name resolution), so that if the two spellings name
/// different types, rustc's error points there.
pub fn user_located(node: &Node, value: TokenStream) -> TokenStream {
    let at = node.span();
    value
        .into_iter()
        .map(|mut tree| {
            tree.set_span(tree.span().located_at(at));
            tree
        })
        .collect()
}

/// The name of the node running now, for panics.
pub fn running_ident() -> Ident {
    Ident::new("__hypernodes_running", Span::mixed_site())
}

/// The plain node calls of a body, framed with its hooks and scope (`NodeCalls`).
pub fn calls_ident() -> Ident {
    Ident::new("__hypernodes_calls", Span::mixed_site())
}

/// What the workers of a run share: stateful instances, limiters, nested pipelines' share.
pub fn shared_ident() -> Ident {
    Ident::new("__hypernodes_shared", Span::mixed_site())
}

/// The shared call limiters of every node (`max_concurrency`), a field of the shared struct,
/// and of the runtime's `SharedLimits`, which stands for it when nothing else is shared.
pub fn limiters_field() -> Ident {
    Ident::new("__hypernodes_limits", Span::mixed_site())
}

/// The live items of a unit a batch or `async` step runs, a field of the columns struct so its
/// buffer is kept from unit to unit.
pub fn live_field() -> Ident {
    Ident::new("live", Span::call_site())
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

/// A value's column as a local of a step (see `columns.rs`).
pub fn column_local(name: &Ident) -> Ident {
    Ident::new(&format!("__hypernodes_col_{name}"), Span::mixed_site())
}

/// A value's column as a field of the pipeline's columns struct (see `steps.rs`).
pub fn column_field(name: &Ident) -> Ident {
    format_ident!("col_{}", name.to_string())
}

/// An input's lent column (`__private::Lent`) as a field of the pipeline's columns struct.
pub fn lent_field(name: &Ident) -> Ident {
    format_ident!("lent_{}", name.to_string())
}

/// An input's lent column in a step.
pub fn lent_local(name: &Ident) -> Ident {
    Ident::new(&format!("__hypernodes_lent_{name}"), Span::mixed_site())
}

/// The cell behind `running_ident`, where the node running now is named.
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

/// Locals of generated code, each with the one hygiene context of `Span::mixed_site`, so
/// that no name the user writes can reach them.
macro_rules! locals {
    ($($(#[$doc:meta])* $function:ident => $name:literal;)*) => {$(
        $(#[$doc])*
        pub fn $function() -> Ident {
            Ident::new(concat!("__hypernodes_", $name), Span::mixed_site())
        }
    )*};
}

locals! {
    /// A node call's result, once its permit and checkouts are released.
    call_value => "value";
    /// The concurrency permit held during one call.
    permit => "permit";
    /// How many times a retried `async` call has been tried again.
    retry => "retry";
    /// One attempt of a retried `async` call.
    attempt => "attempt";
    /// A nested pipeline's results, one per element it ran on.
    nested_values => "values";
    /// A nested pipeline's error.
    nested_error => "error";
    /// How many elements a nested pipeline runs on.
    element_count => "count";
    /// One element a nested pipeline runs on.
    element => "element";
    /// The stateful instances a node checks out from.
    instances => "instances";
    /// The cache table, when the pipeline has one.
    cache_table => "table";
    /// A cached node's value, looked up or computed.
    cached_value => "cached";
    /// A cache key being built.
    key_builder => "builder";
    /// A node's cache key, when it has one.
    cache_key => "k";
    /// The scope of one item of a unit.
    item_scope => "item_scope";
    /// The scope of the first item of a batch, for a batch node's events.
    batch_scope => "batch_scope";
    /// Per item of a unit, what an `async` node returned.
    outcomes => "outcomes";
    /// The futures of an `async` node, one per live item.
    futures => "futures";
    /// The items of one batch of a batch node.
    chunk => "chunk";
    /// The items of a unit.
    unit_items => "items";
    /// The columns of a unit between steps.
    unit_columns => "columns";
    /// A worker's columns kept between its units.
    unit_scratch => "scratch";
}

/// The runtime helpers generated code calls by these names: it imports them under them once
/// per body (`Body::imports`), and a check's path is spanned on the user's token (`span`), so a
/// failing bound is reported there.
macro_rules! helpers {
    ($($function:ident => $name:literal;)*) => {$(
        pub fn $function(span: Span) -> Ident {
            Ident::new(concat!("__hypernodes_", $name), span)
        }
    )*};
}

/// The runtime's type checks, imported under these names with the helpers.
macro_rules! checks {
    ($($function:ident => $name:literal;)*) => {$(
        pub fn $function(span: Span) -> Ident {
            Ident::new(concat!("__Hypernodes", $name), span)
        }
    )*};
}

checks! {
    wire_check => "Wire";
    arm_wire_check => "ArmWire";
    field_wire_check => "FieldWire";
    same_arm_output_check => "SameArmOutput";
    same_input_check => "SameInput";
    same_stateful_check => "SameStateful";
}

/// The hidden types a pipeline `Name` declares beside it.
macro_rules! hidden_types {
    ($($(#[$doc:meta])* $function:ident => $suffix:literal;)*) => {$(
        $(#[$doc])*
        pub fn $function(pipeline: &Ident) -> Ident {
            format_ident!("__Hypernodes{}{}", pipeline.to_string(), $suffix)
        }
    )*};
}

hidden_types! {
    /// What the workers of a run share.
    shared_type => "Shared";
    /// A unit's values between streaming steps.
    columns_type => "Columns";
    /// The cache table.
    cache_type => "Cache";
    /// The runner type of a broken pipeline's stand-in.
    runner_type => "Runner";
}

helpers! {
    checkout_helper => "checkout";
    clone_for_helper => "clone_for";
    clone_for_retry_helper => "clone_for_retry";
    retrying_helper => "retrying";
}

/// Items of the pipeline's own impl and of the runtime's hidden protocol (the runtime names
/// its trait methods the same way).
macro_rules! items {
    ($($(#[$doc:meta])* $function:ident => $name:literal;)*) => {$(
        $(#[$doc])*
        pub fn $function() -> Ident {
            Ident::new(concat!("__hypernodes_", $name), Span::call_site())
        }
    )*};
}

items! {
    /// The pipeline's method running one item for a mask of outputs.
    call_method => "call";
    /// `Name::__hypernodes_handle` (inherent): a copy of the pipeline a runner may own.
    handle_method => "handle";
    /// `Plumbing::__hypernodes_run`.
    run_method => "run";
    /// `Plumbing::__hypernodes_shared`: what the workers of a run share.
    shared_method => "shared";
    /// `Plumbing::__hypernodes_identity`: what tells a pipeline value from another.
    identity_method => "identity";
    /// `Plumbing::__hypernodes_item`.
    item_method => "item";
    /// `Name::__hypernodes_item_body` (inherent, out of line): an item without its panic
    /// guard, which `__hypernodes_item` puts around the call of it.
    item_body_method => "item_body";
    /// `Plumbing::__hypernodes_unit`.
    unit_method => "unit";
    /// `Staged::__hypernodes_columns`.
    columns_method => "columns";
    /// `Plumbing::__hypernodes_rows_unit`: a unit of a record batch's rows.
    rows_unit_method => "rows_unit";
    /// `Staged::__hypernodes_slots`: the places of a unit's inputs, to fill from a batch.
    slots_method => "slots";
    /// `Staged::__hypernodes_step`.
    step_method => "step";
    /// `Staged::__hypernodes_finish`.
    finish_method => "finish";
    /// The function whose body holds the type checks of the wiring.
    check_function => "check";
    /// `Plumbing::__hypernodes_inputs_to_fields`: the inputs struct as name/value pairs.
    inputs_to_fields_method => "inputs_to_fields";
    /// `Plumbing::__hypernodes_inputs_from_fields`.
    inputs_from_fields_method => "inputs_from_fields";
    /// `Plumbing::__hypernodes_outputs_to_fields`.
    outputs_to_fields_method => "outputs_to_fields";
    /// `Plumbing::__hypernodes_outputs_from_fields`.
    outputs_from_fields_method => "outputs_from_fields";
}

/// A node's `param`-th argument, held across retries.
pub fn held_arg(param: impl std::fmt::Display) -> Ident {
    Ident::new(&format!("__hypernodes_arg_{param}"), Span::mixed_site())
}

/// What the `position`-th future of a group of async nodes awaited together gave.
pub fn group_result(position: usize) -> Ident {
    Ident::new(
        &format!("__hypernodes_group_{position}"),
        Span::mixed_site(),
    )
}

/// Which arm of branch `branch` an item took (`usize::MAX`: the branch was not reached).
pub fn arm_local(branch: usize) -> Ident {
    Ident::new(&format!("__hypernodes_arm_{branch}"), Span::mixed_site())
}

/// The function giving the arm a value takes at branch `branch`: the branch's `match`, written
/// once for every path that runs it.
pub fn arm_method(branch: usize) -> Ident {
    format_ident!("__hypernodes_arm_of_{}", branch)
}

/// The column of the arms items took at branch `branch`, in a unit's columns.
pub fn arm_field(branch: usize) -> Ident {
    format_ident!("__hypernodes_arm_{}", branch)
}

/// The elements of list parameter `param` of a `map_over` node.
pub fn elements_of(param: impl std::fmt::Display) -> Ident {
    Ident::new(&format!("__hypernodes_element_{param}"), Span::mixed_site())
}

/// The results of inner output `output` of a `map_over` node, one per element.
pub fn element_outputs(output: impl std::fmt::Display) -> Ident {
    Ident::new(&format!("__hypernodes_out_{output}"), Span::mixed_site())
}

/// The iterator over the elements of the `index`-th mapped parameter.
pub fn element_iter(index: impl std::fmt::Display) -> Ident {
    Ident::new(&format!("__hypernodes_iter_{index}"), Span::mixed_site())
}

/// The `index`-th stateful instance a node checks out for parameter `name`.
pub fn checkout_local(name: impl std::fmt::Display, index: usize) -> Ident {
    Ident::new(&format!("__hypernodes_{name}_{index}"), Span::mixed_site())
}

/// The value a checked-out instance derefs to, held for the call.
pub fn checkout_held(name: impl std::fmt::Display, index: usize) -> Ident {
    Ident::new(
        &format!("__hypernodes_{name}_{index}_held"),
        Span::mixed_site(),
    )
}

/// The cache key of node `node`, flowing to the nodes that read its outputs.
pub fn node_key(node: usize) -> Ident {
    Ident::new(&format!("__hypernodes_key_{node}"), Span::mixed_site())
}

/// The values of parameter `name` gathered for a batch node's call.
pub fn batch_values(name: impl std::fmt::Display) -> Ident {
    Ident::new(&format!("__hypernodes_batch_{name}"), Span::mixed_site())
}

pub fn private_ident(prefix: &str, name: impl std::fmt::Display) -> Ident {
    format_ident!("__hypernodes_{}_{}", prefix, name.to_string())
}

pub struct Types<'a> {
    pub krate: &'a Krate,
    pub graph: &'a Graph,
    /// The optional runtime parts the code is written for.
    pub features: crate::features::Features,
}

impl Types<'_> {
    /// The type of a node's parameter; a nested pipeline's input mapped over is a `Vec` of it.
    pub fn param(&self, node: usize, param: usize) -> TokenStream {
        let node = &self.graph.nodes[node];
        match &node.nested {
            Some(nested) => {
                let ty = self.inner_param(node, nested.params_at[param]);
                match nested.mapped[param] {
                    true => quote!(#FqVec<#ty>),
                    false => ty,
                }
            }
            None => self.inner_param(node, param),
        }
    }

    /// The type of a pipeline input or stateful object: the type an extraction names, or
    /// that of the parameter declaring it.
    pub fn declared(&self, declared: &crate::pipeline::model::graph::Declared) -> TokenStream {
        match &declared.ty {
            Some(ty) => quote!(#ty),
            None => self.param(declared.node, declared.param),
        }
    }

    /// Whether a node's output type is spelled with absolute paths (`crate::std_type`), and so
    /// known to implement `Debug`.
    pub fn output_is_std(&self, node: usize, output: usize) -> bool {
        self.graph.nodes[node].absolute_output(output).is_some()
    }

    /// Whether a pipeline input's type is spelled with absolute paths.
    pub fn declared_is_std(&self, declared: &crate::pipeline::model::graph::Declared) -> bool {
        declared.ty.is_none()
            && (self.graph.nodes[declared.node])
                .absolute_param(declared.param)
                .is_some()
    }

    /// The type of the `position`-th input of the node itself (for a pipeline, the inner one).
    pub fn inner_param(&self, node: &Node, position: usize) -> TokenStream {
        let krate = self.krate;
        let path = &node.path;
        if let Some(absolute) = node.absolute_param(position) {
            return quote!(#absolute);
        }
        match node.types_by_alias {
            true => alias_path(node, Side::In, position),
            false => {
                let count = node
                    .nested
                    .as_ref()
                    .map_or(node.meta.params.len(), |n| n.inner_params);
                let position = crate::meta::position(krate, position, count);
                quote!(<#path as #krate::__private::In<#position>>::Ty)
            }
        }
    }

    /// The type of the `position`-th output of the node itself (for a pipeline, the inner one).
    fn inner_output(&self, node: &Node, position: usize) -> TokenStream {
        let krate = self.krate;
        let path = &node.path;
        if let Some(absolute) = node.absolute_output(position) {
            return quote!(#absolute);
        }
        match node.types_by_alias {
            true => alias_path(node, Side::Out, position),
            false => {
                let count =
                    (node.nested.as_ref()).map_or(node.meta.outputs.len(), |n| n.inner_outputs);
                let position = crate::meta::position(krate, position, count);
                quote!(<#path as #krate::__private::Out<#position>>::Ty)
            }
        }
    }

    /// The type of a node's output; one element's output for each element of a `map_over`.
    pub fn output(&self, node: usize, output: usize) -> TokenStream {
        let node = &self.graph.nodes[node];
        match &node.nested {
            Some(nested) => {
                let ty = self.inner_output(node, nested.outputs_at[output]);
                match nested.maps() {
                    true => quote!(#FqVec<#ty>),
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
