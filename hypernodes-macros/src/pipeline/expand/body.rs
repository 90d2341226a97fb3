//! The statements of one item's run: every node called once in topological order inside one
//! panic guard, each argument borrowed, moved or cloned, and every edge type-checked. A node's
//! stateful instances and its `max_concurrency` permit are held for its call only; a node with
//! `max_retries` is called again (with fresh copies of its by-value arguments) after a failure.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Ident;

use super::framing;
use super::names::{
    self, hooks_ident, local, private_ident, running_ident, scope_ident, shared_ident,
    user_located, user_spanned, worker_ident, Types,
};
use crate::config::{Config, Key, Value};
use crate::fq::{FqIntoIterator, FqOption, FqResult, FqVec};
use crate::meta::{written_alike, Kind, Mode};
use crate::pipeline::model::graph::{Graph, Source};
use crate::pipeline::model::node::Node;

/// The statements of `run`: one call per node, values moved on their last use.
pub struct Body<'a> {
    pub(super) types: &'a Types<'a>,
    pub(super) graph: &'a Graph,
    /// The pipeline's `#[config]`, for `max_retries` set there.
    pipeline_config: &'a Config,
    /// Uses of each value still to come (node parameters, then the output field).
    remaining: HashMap<String, usize>,
    /// A per-item body: cache keys flow from node to node, and a node in a branch arm runs
    /// under the arm the item took. Without [`Body::full`], `__hypernodes_call`'s: inputs
    /// arrive as `Arg`s, and nodes only some outputs need run under the call's `MASK` (their
    /// values are `Option`s).
    masked: bool,
    /// The body of `__hypernodes_item_body`: a call that wants every output, with the inputs
    /// owned, so no node is skipped for a `MASK` and no value is an `Option` for one. The
    /// masked body stays for nested uses; rustc then optimizes and compiles it only for a
    /// pipeline that nests this one. A 50-node release rebuild: 581.9 -> 549.0 M instructions
    /// (dev builds pay for the second body: 50 nodes 287.7 -> 301.2 M).
    full: bool,
    /// Per node, the kept outputs that need it (see `Graph::dependents`).
    dependents: Option<Vec<u64>>,
    /// The node being generated runs inside a future, with the other calls of its unit: its
    /// call and permit are awaited, and its stateful checkouts go to `hoisted`.
    pub(super) in_future: bool,
    /// Statements before the futures of an async step: the stateful instances its calls share.
    pub(super) hoisted: Vec<TokenStream>,
    /// Per branch, whether the arm its items take is computed yet.
    arms_done: Vec<bool>,
    /// Per value several arms produce, its producer that runs first.
    first_producer: HashMap<String, usize>,
}

/// Whether `node` runs its calls in worker processes (`use_process = true`, set on the node).
pub(super) fn isolated(node: &Node) -> bool {
    node.meta.config.get(Key::UseProcess) == Some(Value::Bool(true))
}

/// How a node reads a value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    Ref,
    Move,
    Clone,
}

impl<'a> Body<'a> {
    pub fn new(types: &'a Types<'a>, pipeline_config: &'a Config) -> Self {
        let graph = types.graph;
        let mut remaining: HashMap<String, usize> = HashMap::new();
        for &n in &graph.order {
            for p in &graph.nodes[n].meta.params {
                if !p.mode.is_stateful() {
                    // A field is read from its structured value, which lives as long.
                    *remaining
                        .entry(graph.root(&p.name).to_string())
                        .or_default() += 1;
                }
            }
        }
        for &(n, o) in &graph.kept {
            *remaining
                .entry(graph.nodes[n].meta.outputs[o].to_string())
                .or_default() += 1;
        }
        // Computing the arm a branch's items take reads its value once.
        for (b, branch) in graph.branches.iter().enumerate() {
            let reached = graph
                .order
                .iter()
                .any(|&n| graph.nodes[n].guard.iter().any(|g| g.0 == b));
            if reached {
                *remaining.entry(branch.value.to_string()).or_default() += 1;
            }
        }
        // A value several arms produce is gathered at each producer after the first, which
        // reads what the earlier ones left.
        let mut first_producer = HashMap::new();
        for &n in &graph.order {
            for o in &graph.nodes[n].meta.outputs {
                if graph.producers_of(o).len() < 2 {
                    continue;
                }
                match first_producer.get(&o.to_string()) {
                    None => {
                        first_producer.insert(o.to_string(), n);
                    }
                    Some(_) => *remaining.entry(o.to_string()).or_default() += 1,
                }
            }
        }
        Body {
            types,
            graph,
            pipeline_config,
            remaining,
            masked: false,
            full: false,
            dependents: graph.dependents(),
            in_future: false,
            hoisted: Vec::new(),
            arms_done: vec![false; graph.branches.len()],
            first_producer,
        }
    }

    /// Whether cache keys flow from node to node (in `__hypernodes_call`; a step over a unit
    /// keys each node by its input values).
    pub(super) fn keys_flow(&self) -> bool {
        self.masked
    }

    /// Whether this is `__hypernodes_call`'s body, under a `MASK`, with its inputs as `Arg`s.
    fn maskable_call(&self) -> bool {
        self.masked && !self.full
    }

    /// Whether node `n` runs only for some of the outputs a masked call may ask for.
    fn maskable(&self, n: usize) -> bool {
        let all = match self.graph.kept.len() {
            64.. => u64::MAX,
            kept => (1u64 << kept) - 1,
        };
        self.maskable_call() && self.dependents.as_ref().is_some_and(|d| d[n] != all)
    }

    /// Whether node `n` runs under a condition in `__hypernodes_call`: a `MASK` that may not
    /// need it, or the arms of branches. Its values are then `Option`s. (Over a unit, a step
    /// leaves out the items that took other arms instead.)
    fn conditional(&self, n: usize) -> bool {
        self.maskable(n) || (self.masked && !self.graph.nodes[n].guard.is_empty())
    }

    /// The condition node `n` runs under (see [`Body::conditional`]).
    fn condition(&self, n: usize) -> TokenStream {
        let krate = self.types.krate;
        let mut parts = Vec::new();
        if self.maskable(n) {
            let dependents = self.dependents.as_ref().map_or(0, |d| d[n]);
            let dependents = proc_macro2::Literal::u64_suffixed(dependents);
            parts.push(quote!(#krate::__private::needs(MASK, #dependents)));
        }
        // The innermost arm: an item outside an enclosing arm never reaches the inner branch.
        if let Some(&(branch, arm)) = self.graph.nodes[n].guard.last() {
            let local = names::arm_local(branch);
            parts.push(quote!(#local == #arm));
        }
        quote!(#(#parts)&&*)
    }

    /// Whether the local of value `name` is an `Option` (made by a conditional node).
    fn optional(&self, name: &Ident) -> bool {
        match self.graph.source_of(name) {
            Source::Output { node, .. } => self.conditional(node),
            _ => false,
        }
    }

    /// Marks branch `b`'s arms computed; whether they were not yet.
    pub(super) fn start_arms(&mut self, b: usize) -> bool {
        !std::mem::replace(&mut self.arms_done[b], true)
    }

    /// The arm each branch around node `n` takes, for the branches not computed yet
    /// (outermost first): `usize::MAX` where the branch is not reached.
    fn arms_before(&mut self, n: usize) -> TokenStream {
        let krate = self.types.krate;
        let graph = self.graph;
        let node = &graph.nodes[n];
        let mut statements = Vec::new();
        for &(b, _) in &node.guard {
            if !self.start_arms(b) {
                continue;
            }
            let branch = &graph.branches[b];
            let value = self.access(&branch.value, Access::Ref, node);
            self.use_once(&branch.value);
            let mut reached = Vec::new();
            if let Some(&(outer, arm)) = branch.guard.last() {
                let local = names::arm_local(outer);
                reached.push(quote!(#local == #arm));
            }
            let all = match graph.kept.len() {
                64.. => u64::MAX,
                kept => (1u64 << kept) - 1,
            };
            if let Some(dependents) = (self.dependents.as_ref()).filter(|_| self.maskable_call()) {
                let needed = graph
                    .order
                    .iter()
                    .filter(|&&m| graph.nodes[m].guard.iter().any(|g| g.0 == b))
                    .fold(0, |bits, &m| bits | dependents[m]);
                if needed != all {
                    let needed = proc_macro2::Literal::u64_suffixed(needed);
                    reached.push(quote!(#krate::__private::needs(MASK, #needed)));
                }
            }
            let reached = match reached.is_empty() {
                true => quote!(true),
                false => quote!(#(#reached)&&*),
            };
            let local = names::arm_local(b);
            let arm_of = names::arm_method(b);
            statements.push(quote! {
                let #local: usize = if #reached {
                    Self::#arm_of(#value)
                } else {
                    #krate::__private::NOT_REACHED
                };
            });
        }
        quote!(#(#statements)*)
    }

    /// `__hypernodes_call`'s body: every node call, then each kept output as an `Option`
    /// (`None` for those the call's `MASK` did not ask for). The caller holds the panic guard
    /// and the `Running` it reads (`__hypernodes_item`, or a nested call's site).
    pub fn generate(mut self) -> TokenStream {
        self.masked = true;
        let statements = self.statements();
        let graph = self.graph;
        let values = graph.kept.iter().enumerate().map(|(k, &(n, o))| {
            let name = &graph.nodes[n].meta.outputs[o];
            let value = local(name);
            // A value only some arms produce is itself the `Option` the outputs hold.
            match self.optional(name) && !graph.partial_output(k) {
                true => quote!(#value),
                false => quote!(#FqOption::Some(#value)),
            }
        });
        quote! {
            #statements
            #FqResult::Ok((#(#values,)*))
        }
    }

    /// `__hypernodes_item_body`'s statements after its inputs are bound (see [`Body::full`]):
    /// every node call, then the outputs as `outputs_ty`.
    pub fn generate_item(mut self, outputs_ty: &Ident) -> TokenStream {
        self.masked = true;
        self.full = true;
        let statements = self.statements();
        let krate = self.types.krate;
        let graph = self.graph;
        let (fields, values): (Vec<&Ident>, Vec<TokenStream>) = (graph.kept.iter().enumerate())
            .map(|(k, &(n, o))| {
                let name = &graph.nodes[n].meta.outputs[o];
                let value = local(name);
                // Made in every arm it belongs to, so present for every item.
                let value = match self.optional(name) && !graph.partial_output(k) {
                    true => quote!(#krate::__private::present(#value)),
                    false => quote!(#value),
                };
                (name, value)
            })
            .unzip();
        quote! {
            #statements
            #FqResult::Ok(#outputs_ty { #(#fields: #values,)* })
        }
    }

    /// The imports, the calls' frame and every node call, in order.
    fn statements(&mut self) -> TokenStream {
        let graph = self.graph;
        let statements: Vec<TokenStream> = graph
            .concurrent_groups(self.threads())
            .iter()
            .map(|group| {
                let arms = self.arms_before(group[0]);
                let calls = match group.as_slice() {
                    [n] => self.node(*n),
                    group if graph.nodes[group[0]].meta.asynchronous => self.concurrent(group),
                    group => self.threaded(group),
                };
                quote!(#arms #calls)
            })
            .collect();
        let calls_binding = framing::calls_binding(self.types.krate);
        let imports = self.imports();
        quote! {
            #imports
            #calls_binding
            #(#statements)*
        }
    }

    /// The checks start with these names, spanned on the user's node token, so a failing check
    /// points at that token rather than at the whole `pipeline!` invocation.
    pub(super) fn imports(&self) -> TokenStream {
        let krate = self.types.krate;
        let here = Span::call_site();
        let checkout = names::checkout_helper(here);
        let clone_for = names::clone_for_helper(here);
        let clone_for_retry = names::clone_for_retry_helper(here);
        let retrying = names::retrying_helper(here);
        let (wire, same_input) = (names::wire_check(here), names::same_input_check(here));
        let (same_stateful, arm_wire) = (
            names::same_stateful_check(here),
            names::arm_wire_check(here),
        );
        let same_arm_output = names::same_arm_output_check(here);
        let field_wire = names::field_wire_check(here);
        // Values hooks ask for print through `Debug`, or as their type name (`values` feature).
        let debug = self.types.features.values.then(|| {
            quote! {
                #[allow(unused_imports)]
                use #krate::__private::{ViaDebug as _, ViaTypeName as _};
            }
        });
        quote! {
            #debug
            #[allow(unused_imports)]
            use #krate::__private::{
                checkout as #checkout, clone_for as #clone_for,
                clone_for_retry as #clone_for_retry, retrying as #retrying,
                ArmWire as #arm_wire, FieldWire as #field_wire, SameArmOutput as #same_arm_output,
                SameInput as #same_input, SameStateful as #same_stateful, Wire as #wire,
            };
        }
    }

    /// Whether the pipeline asks for independent plain nodes of one item to run side by side
    /// (`#[config(concurrent_nodes = true)]`).
    pub(super) fn threads(&self) -> bool {
        self.pipeline_config.get(Key::ConcurrentNodes) == Some(Value::Bool(true))
    }

    /// The values two members of `group` read: they are only lent to the members, which run
    /// side by side, so each counts one more use while the group is written.
    fn lend_shared(&mut self, group: &[usize]) -> Vec<String> {
        let mut read_by: HashMap<String, usize> = HashMap::new();
        for &n in group {
            let params = &self.graph.nodes[n].meta.params;
            for p in params.iter().filter(|p| !p.mode.is_stateful()) {
                *read_by.entry(p.name.to_string()).or_default() += 1;
            }
        }
        let shared: Vec<String> = read_by
            .into_iter()
            .filter(|&(_, c)| c > 1)
            .map(|(n, _)| n)
            .collect();
        for name in &shared {
            *self.remaining.get_mut(name).expect("every use is counted") += 1;
        }
        shared
    }

    /// Gives back the extra use [`Body::lend_shared`] counted.
    fn end_lending(&mut self, shared: Vec<String>) {
        for name in &shared {
            *self.remaining.get_mut(name).expect("every use is counted") -= 1;
        }
    }

    /// `(r0, (r1, r2))`: the pattern of nested pairs the joined results of a group come in.
    fn group_pattern(size: usize) -> (Vec<Ident>, TokenStream) {
        let results: Vec<Ident> = (0..size).map(names::group_result).collect();
        let pattern = results
            .iter()
            .rev()
            .map(|r| quote!(#r))
            .reduce(|rest, result| quote!((#result, #rest)))
            .expect("a group has nodes");
        (results, pattern)
    }

    /// Independent `async fn` nodes of one item, awaited together: each node's statement in a
    /// future of its own (with its panic guard), their stateful checkouts first. A value two
    /// of them read is only lent to them, as the futures live side by side.
    fn concurrent(&mut self, group: &[usize]) -> TokenStream {
        let krate = self.types.krate;
        let graph = self.graph;
        let shared = self.lend_shared(group);
        let in_future = std::mem::replace(&mut self.in_future, true);
        let hoisted_before = std::mem::take(&mut self.hoisted);
        let (mut futures, mut bound) = (Vec::new(), Vec::new());
        for &n in group {
            let (statement, locals) = self.node_binding(n);
            let name = graph.nodes[n].meta.name.to_string();
            futures.push(quote! {
                #krate::__private::guarded(#name, async {
                    #statement
                    #FqResult::Ok((#(#locals,)*))
                })
            });
            bound.push(locals);
        }
        let hoisted = std::mem::replace(&mut self.hoisted, hoisted_before);
        self.in_future = in_future;
        self.end_lending(shared);
        let joined = futures
            .into_iter()
            .rev()
            .reduce(|rest, future| quote!(#krate::__private::both(#future, #rest)))
            .expect("a group has nodes");
        let (results, pattern) = Self::group_pattern(group.len());
        quote! {
            let #pattern = #krate::__private::block_on(async {
                #(#hoisted)*
                #FqResult::Ok::<_, #krate::Error>(#joined.await)
            })?;
            #(let (#(#bound,)*) = #results?;)*
        }
    }

    /// Independent plain nodes of one item run side by side (`concurrent_nodes`): each node's
    /// statement in a closure of its own, with its own panic guard and record of the node
    /// running, the closures joined on the thread pool. A value two of them read is only lent.
    fn threaded(&mut self, group: &[usize]) -> TokenStream {
        let krate = self.types.krate;
        let graph = self.graph;
        let lent = self.lend_shared(group);
        let (shared, limits) = (shared_ident(), names::limiters_field());
        let running_binding = framing::running_binding(krate, quote!(#shared.#limits));
        let calls_binding = framing::calls_binding(krate);
        let (mut closures, mut bound) = (Vec::new(), Vec::new());
        for &n in group {
            let (statement, locals) = self.node_binding(n);
            let name = graph.nodes[n].meta.name.to_string();
            closures.push(quote! {
                || #krate::__private::catching(#name, || {
                    #running_binding
                    #calls_binding
                    #statement
                    #FqResult::Ok((#(#locals,)*))
                })
            });
            bound.push(locals);
        }
        self.end_lending(lent);
        let mut closures = closures.into_iter();
        let first = closures.next().expect("a group has nodes");
        let rest = closures
            .rev()
            .reduce(|rest, closure| quote!(|| #krate::__private::join(#closure, #rest)))
            .expect("a group has two nodes or more");
        let (results, pattern) = Self::group_pattern(group.len());
        quote! {
            let #pattern = #krate::__private::join(#first, #rest);
            #(let (#(#bound,)*) = #results?;)*
        }
    }

    /// One node's statement: its call, bound to the locals of the outputs read later. A node
    /// only some outputs need runs under the call's `MASK`, its values then `Option`s.
    pub(super) fn node(&mut self, index: usize) -> TokenStream {
        self.node_binding(index).0
    }

    /// [`Body::node`]'s statement and the locals it binds (the outputs read later and a cached
    /// node's key).
    fn node_binding(&mut self, index: usize) -> (TokenStream, Vec<Ident>) {
        let fq_option = FqOption;
        let node = &self.graph.nodes[index];
        // Producers after the first of a value several arms produce take what the earlier left.
        let gathers: Vec<&Ident> = node
            .meta
            .outputs
            .iter()
            .filter(|o| {
                self.first_producer
                    .get(&o.to_string())
                    .is_some_and(|&f| f != index)
            })
            .collect();
        for o in &gathers {
            self.use_once(o);
        }
        let key = super::cache::key_statement(self.types, index, self.keys_flow(), |name| {
            self.key_value(index, name)
        });
        let body = match node.meta.kind {
            Kind::Pipeline => self.nested_node(index),
            Kind::Function if isolated(node) => {
                let compute = self.isolated_node(index);
                super::cache::looked_up(self.types, index, compute)
            }
            Kind::Function => {
                let compute = self.function_node(index);
                super::cache::looked_up(self.types, index, compute)
            }
        };
        let bind = self.bindings(node);
        let key_local = key.is_some().then(|| super::cache::key_ident(index));
        let used: Vec<Ident> = node
            .meta
            .outputs
            .iter()
            .filter(|o| self.used_later(o))
            .map(local)
            .chain(key_local.clone())
            .collect();
        let same_type = self.same_arm_type(index);
        if !self.conditional(index) {
            return (quote!(#key let #bind = { #body }; #same_type), used);
        }
        // A cached node's key leaves the block with its values, for the nodes downstream.
        let (key_out, key_none) = match key.is_some() {
            true => {
                let key = super::cache::key_ident(index);
                (quote!(#key,), quote!(#FqOption::None,))
            }
            false => (quote!(), quote!()),
        };
        let outputs: Vec<&Ident> = node
            .meta
            .outputs
            .iter()
            .filter(|o| self.used_later(o))
            .collect();
        let used: Vec<Ident> = outputs.iter().map(|o| local(o)).collect();
        // Where the node does not run, a value an earlier arm made stays as it is.
        let nones: Vec<TokenStream> = outputs
            .iter()
            .map(|o| match gathers.contains(o) {
                true => {
                    let earlier = local(o);
                    quote!(#earlier)
                }
                false => quote!(#FqOption::None),
            })
            .collect();
        let bound: Vec<Ident> = used.iter().cloned().chain(key_local).collect();
        let condition = self.condition(index);
        // One value and no key (most nodes) is bound as itself: building and taking apart a
        // one-element tuple took rustc 15 M instructions of a 50-node release build
        // (1,325 -> 1,310 M).
        let (pattern, ran, skipped) = match (&used[..], &nones[..], key_out.is_empty()) {
            ([value], [none], true) => (
                quote!(#value),
                quote!(#fq_option::Some(#value)),
                none.clone(),
            ),
            _ => (
                quote!((#(#used,)* #key_out)),
                quote!((#(#fq_option::Some(#used),)* #key_out)),
                quote!((#(#nones,)* #key_none)),
            ),
        };
        let statement = quote! {
            let #pattern = if #condition {
                #key
                let #bind = { #body };
                #same_type
                #ran
            } else {
                #skipped
            };
        };
        (statement, bound)
    }

    /// The values node `index` makes that another arm's node makes too, checked to have the
    /// type of the first producer's: a mismatch is one error, at this node's token.
    fn same_arm_type(&self, index: usize) -> TokenStream {
        let graph = self.graph;
        let node = &graph.nodes[index];
        let checks = node
            .meta
            .outputs
            .iter()
            .filter(|o| self.used_later(o))
            .filter_map(|o| {
                let &(first, output) = graph.producers_of(o).first()?;
                if first == index {
                    return None;
                }
                let value = local(o);
                let check = self.same_arm_check(index, first, output);
                let checked = user_spanned(node, check, quote!(#value));
                Some(quote!(let #value = #checked;))
            });
        quote!(#(#checks)*)
    }

    /// The check that node `index` makes a value with the type of `first`'s `output`.
    pub(super) fn same_arm_check(&self, index: usize, first: usize, output: usize) -> TokenStream {
        let graph = self.graph;
        let node = &graph.nodes[index];
        let want = self.types.output(first, output);
        let (first, this) = (&graph.nodes[first].path, &node.path);
        let same = names::same_arm_output_check(node.span());
        quote_spanned!(node.span()=> #same::<#want, #first, #this>::wire)
    }

    /// A function node's call with its hook events, permit and stateful checkouts.
    fn function_node(&mut self, index: usize) -> TokenStream {
        let graph = self.graph;
        let node = &graph.nodes[index];
        let mut setup = Vec::new();
        let mut hoisted = Vec::new();
        let mut objects = match self.in_future {
            true => self.stateful_args(index, &mut hoisted),
            false => self.stateful_args(index, &mut setup),
        };
        self.hoisted.extend(hoisted);
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
            0 => self.call(node, &args),
            retries => self.retried_call(node, args, retries, &mut setup),
        };
        self.finish_call(index, setup, call)
    }

    /// A `use_process` node's call: its wired arguments, borrowed, sent to one of its worker
    /// processes (which build its stateful resources themselves), its value decoded.
    fn isolated_node(&mut self, index: usize) -> TokenStream {
        let krate = self.types.krate;
        let node = &self.graph.nodes[index];
        let wired: Vec<usize> = (0..node.meta.params.len())
            .filter(|&param| !node.meta.params[param].mode.is_stateful())
            .collect();
        let args: Vec<TokenStream> = wired
            .into_iter()
            .map(|param| {
                self.use_once(&node.meta.params[param].name);
                self.checked(index, param, Access::Ref)
            })
            .collect();
        let (path, shared) = (&node.path, shared_ident());
        let field = private_ident("process", index);
        let send = quote! {
            #krate::__private::Processes::call::<_, <#path as #krate::__private::Isolated>::Value>(
                &#shared.#field,
                &(#(#args,)*),
            )
        };
        let name = node.meta.name.to_string();
        let call = match self.retries(node) {
            0 => quote!(#send?),
            retries => {
                let retries = u32::try_from(retries).unwrap_or(u32::MAX);
                let retrying = names::retrying_helper(Span::call_site());
                quote!(#retrying(#name, #retries, || #send)?)
            }
        };
        self.finish_call(index, Vec::new(), call)
    }

    /// A call with its hook events, permit and `setup` (stateful checkouts), in its own block.
    fn finish_call(&self, index: usize, setup: Vec<TokenStream>, call: TokenStream) -> TokenStream {
        let node = &self.graph.nodes[index];
        let (running, calls) = (running_ident(), names::calls_ident());
        let name = node.meta.name.to_string();
        let shared = shared_ident();
        let (limits, position) = (names::limiters_field(), self.graph.position(index));
        let value = names::call_value();
        let (inputs, outputs) = self.value_events(index);
        if !node.meta.asynchronous {
            // A plain call is framed by `running` (one branch each side, the rest out of line;
            // no guard live across the call: see `Running`).
            return quote! {
                #calls.enter(#name, #position);
                #inputs
                let #value = {
                    #(#setup)*
                    #call
                };
                #outputs
                #calls.leave();
                #value
            };
        }
        // Async nodes of one item run side by side, so each keeps its own permit and clock.
        let (start, end) = self.hook_calls(node);
        let held_permit = names::permit();
        let permit = match self.in_future {
            true => {
                quote!(let #held_permit = #shared.#limits.asynchronous(#position).enter_async().await;)
            }
            false => quote!(let #held_permit = #shared.#limits.asynchronous(#position).enter();),
        };
        // The inner block scopes the stateful checkouts (and the permit) to this one call.
        quote! {
            #running.set(#name);
            #start
            #inputs
            let #value = {
                #permit
                #(#setup)*
                #call
            };
            #outputs
            #end
            #value
        }
    }

    /// `NodeInputs` before a call and `NodeOutputs` after it, gathered only for hooks that
    /// want values (`Hooks::VALUES`, a constant): the values borrowed before the call moves
    /// them, printed through `Debug` or as their type name. Written only with the `values`
    /// feature: every node of every pipeline would compile them (a seventh of a 50-node
    /// release build, `scripts/compile-time.sh 50 5 release`: 480 ms against 420).
    fn value_events(&self, index: usize) -> (TokenStream, TokenStream) {
        if !self.types.features.values {
            return (TokenStream::new(), TokenStream::new());
        }
        let krate = self.types.krate;
        let node = &self.graph.nodes[index];
        let name = node.meta.name.to_string();
        let (hooks, scope, value) = (hooks_ident(), scope_ident(), names::call_value());
        let shown = |expr: TokenStream| quote!(&(&#krate::__private::Field(#expr)).repr() as &dyn ::core::fmt::Debug);
        let inputs = node
            .meta
            .params
            .iter()
            .filter(|p| !p.mode.is_stateful())
            .map(|p| {
                let label = p.name.to_string();
                let shown = shown(self.access(&p.name, Access::Ref, node));
                quote!((#label, #shown))
            });
        let outputs = node.meta.outputs.iter().enumerate().map(|(o, output)| {
            let label = output.to_string();
            let field = match node.meta.outputs.len() {
                1 => quote!(&#value),
                _ => {
                    let o = syn::Index::from(o);
                    quote!(&#value.#o)
                }
            };
            let shown = shown(field);
            quote!((#label, #shown))
        });
        let event = |outputs: bool, values: Vec<TokenStream>| {
            quote! {
                if #krate::__private::wants_values(#hooks) {
                    #krate::__private::node_values(#hooks, #scope, #name, #outputs, &[#(#values),*]);
                }
            }
        };
        (
            event(false, inputs.collect()),
            event(true, outputs.collect()),
        )
    }

    /// The hook events around one function call.
    fn hook_calls(&self, node: &Node) -> (TokenStream, TokenStream) {
        let krate = self.types.krate;
        let name = node.meta.name.to_string();
        let (hooks, scope) = (hooks_ident(), scope_ident());
        let clock = names::clock();
        (
            quote!(let #clock = #krate::__private::node_start(#hooks, #scope, #name, 1);),
            quote!(#krate::__private::node_end(#hooks, #scope, #name, 1, #clock);),
        )
    }

    /// A nested pipeline's call: its arguments (owned, lent, or absent when the selected
    /// outputs do not need them), once or once per element of `map_over`, with its hook events.
    fn nested_node(&mut self, index: usize) -> TokenStream {
        let (fq_into_iterator, fq_vec) = (FqIntoIterator, FqVec);
        let graph = self.graph;
        let node = &graph.nodes[index];
        let nested = node.nested.as_ref().expect("a pipeline node has its use");
        let krate = self.types.krate;
        let name = node.meta.name.to_string();
        let maps = nested.maps();
        let mut prelude = Vec::new();
        let mut args: Vec<Option<TokenStream>> = vec![None; nested.inner_params];
        let mut mapped = Vec::new();
        for (param, p) in node.meta.params.iter().enumerate() {
            let later = self.use_once(&p.name);
            let is_mapped = nested.mapped[param];
            // Lent when read again later, when broadcast to every element, and for a product
            // (each element is used in several combinations); moved otherwise.
            let access = match later || (maps && !is_mapped) || (is_mapped && nested.product) {
                true => Access::Ref,
                false => Access::Move,
            };
            let value = self.checked(index, param, access);
            let var = names::held_arg(param);
            prelude.push(quote!(let #var = #value;));
            let at = nested.params_at[param];
            if is_mapped {
                let element = names::elements_of(param);
                args[at] = Some(quote!(#element));
                mapped.push((var, element, p.name.to_string()));
            } else {
                args[at] = Some(quote!(#var));
            }
        }
        let args: Vec<TokenStream> = args
            .into_iter()
            .enumerate()
            .map(|(position, arg)| {
                arg.unwrap_or_else(|| {
                    let ty = self.types.inner_param(node, position);
                    quote!(#krate::__private::absent::<#ty>())
                })
            })
            .collect();
        let field = private_ident("nested", index);
        let (shared, worker, hooks, scope) =
            (shared_ident(), worker_ident(), hooks_ident(), scope_ident());
        let mask = proc_macro2::Literal::u64_suffixed(nested.mask);
        let generics = (0..=nested.inner_params).map(|_| quote!(_));
        let values = names::nested_values();
        let selected: Vec<TokenStream> = nested
            .outputs_at
            .iter()
            .map(|&at| {
                let at = syn::Index::from(at);
                quote!(#krate::__private::present(#values.#at))
            })
            .collect();
        // `self` keeps the generated span: with the user's it would resolve at the `pipeline!`
        // call site, where there is no `self`.
        let this = quote!(self.#field);
        let error = names::nested_error();
        let call_method = names::call_method();
        // The inner pipeline's own panic guard, so that a panic names the inner node.
        let (running_cell, limits) = (names::running_cell(), names::limiters_field());
        let call = |child: TokenStream, within: TokenStream| {
            let guarded = framing::guarded(
                krate,
                quote!(#shared.#field.#limits),
                quote! {
                    #this.#call_method::<#mask, #(#generics),*>(
                        &#shared.#field, #worker, #hooks, &#child, &#running_cell, #(#args),*
                    )
                },
            );
            quote_spanned! {node.span()=>
                let #values = { #guarded }.map_err(|#error| #within)?;
            }
        };
        let clock = names::clock();
        if !maps {
            let call = call(
                quote!(#scope.nested(#name, #FqOption::None)),
                quote!(#error.within(#name)),
            );
            return quote! {
                #(#prelude)*
                let #clock = #krate::__private::nested_start(#hooks, #scope, #name, #FqOption::None);
                #call
                #krate::__private::nested_end(#hooks, #scope, #name, #clock);
                (#(#selected,)*)
            };
        }
        let (count, element) = (names::element_count(), names::element());
        let call = call(
            quote!(#scope.nested(#name, #FqOption::Some(#element))),
            quote!(#error.within_element(#name, #element)),
        );
        let outs: Vec<Ident> = (0..selected.len()).map(names::element_outputs).collect();
        let body = quote! {
            #call
            #(#outs.push(#selected);)*
            #element += 1;
        };
        let vars: Vec<&Ident> = mapped.iter().map(|(var, _, _)| var).collect();
        let elements: Vec<&Ident> = mapped.iter().map(|(_, element, _)| element).collect();
        let names: Vec<&String> = mapped.iter().map(|(_, _, name)| name).collect();
        let (length, looped) = if nested.product {
            let looped = vars.iter().zip(&elements).rev().fold(body, |inner, (var, element)| {
                quote!(for #element in #FqIntoIterator::into_iter(#var) { #inner })
            });
            (quote!(1usize #(* #vars.len())*), looped)
        } else {
            let iters: Vec<Ident> = (0..vars.len()).map(names::element_iter).collect();
            let length =
                quote!(#krate::__private::zip_len(#name, &[#(#names),*], &[#(#vars.len()),*])?);
            let looped = quote! {
                #(let mut #iters = #fq_into_iterator::into_iter(#vars);)*
                for _ in 0..#count {
                    #(let #elements = #krate::__private::present(#iters.next());)*
                    #body
                }
            };
            (length, looped)
        };
        quote! {
            #(#prelude)*
            let #count: usize = #length;
            let #clock = #krate::__private::nested_start(#hooks, #scope, #name, #FqOption::Some(#count));
            #(let mut #outs = #fq_vec::with_capacity(#count);)*
            let mut #element: usize = 0;
            #looped
            let _ = #element;
            #krate::__private::nested_end(#hooks, #scope, #name, #clock);
            (#(#outs,)*)
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
                let held = names::held_arg(param);
                setup.push(quote!(let #held = #arg;));
                let copy = names::clone_for_retry_helper(node.span());
                let copy = quote_spanned!(node.span()=> #copy::<#this, _>);
                user_spanned(node, copy, quote!(&#held))
            })
            .collect();
        let call = self.call(node, &args);
        let name = node.meta.name.to_string();
        let retries = u32::try_from(retries).unwrap_or(u32::MAX);
        if self.in_future {
            // Inline, so each attempt's future may borrow the held arguments.
            let (retry, attempt) = (names::retry(), names::attempt());
            return quote! {{
                let mut #retry = 0u32;
                loop {
                    let #attempt = #krate::__private::guarded(#name, async {
                        #FqResult::Ok::<_, #krate::Error>(#call)
                    }).await;
                    match #attempt {
                        #FqResult::Ok(value) => break value,
                        #FqResult::Err(_) if #retry < #retries => {
                            #krate::__private::retry_pause(#retry).await;
                            #retry += 1;
                        }
                        #FqResult::Err(error) => {
                            return #FqResult::Err(error.after_attempts(#retry + 1));
                        }
                    }
                }
            }};
        }
        let retrying = names::retrying_helper(Span::call_site());
        quote! {
            #retrying(#name, #retries, || -> #FqResult<_, #krate::Error> {
                #FqResult::Ok(#call)
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
        let binding = names::checkout_local(name, index);
        let (node_str, param_str) = (node.meta.name.to_string(), name.to_string());
        let instances = names::instances();
        let (shared, worker) = (shared_ident(), worker_ident());
        setup.push(quote! { let #instances = &#shared.#field; });
        // The block around the instances: see `user_spanned`.
        let checkout = names::checkout_helper(node.span());
        let checkout = quote_spanned! {node.span()=>
            #checkout({ #instances }, #worker, #node_str, #param_str)?
        };
        match self.in_future {
            // The calls of an async step share one instance, held across the step: each future
            // copies a reference to it.
            true => {
                let guard = names::checkout_held(name, index);
                setup.push(quote! {
                    let #guard = #checkout;
                    let #binding = &*#guard;
                });
            }
            false => setup.push(quote! {
                #[allow(unused_mut)]
                let mut #binding = #checkout;
            }),
        }
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
        let check = names::same_stateful_check(node.span());
        let share = quote_spanned!(node.span()=> #check::<#want, #first, #this>::#method);
        user_spanned(node, share, object)
    }

    /// A node's wired parameter: borrowed, moved on its last use, cloned before it.
    pub(super) fn wired_arg(&mut self, index: usize, param: usize) -> TokenStream {
        let p = &self.graph.nodes[index].meta.params[param];
        let later_use = self.use_once(&p.name);
        let access = match (p.mode, later_use) {
            (Mode::Ref, _) => Access::Ref,
            (_, true) => Access::Clone,
            (_, false) => Access::Move,
        };
        self.checked(index, param, access)
    }

    /// Parameter `param` of node `index` read with `access`, its type checked against the
    /// value's producer (the first reader of an input defines its type: nothing to check).
    pub(super) fn checked(&self, index: usize, param: usize, access: Access) -> TokenStream {
        let graph = self.graph;
        let node = &graph.nodes[index];
        let name = &node.meta.params[param].name;
        let value = self.access(name, access, node);
        let written = node.meta.params[param].written;
        let (check, producer) = match graph.source_of(name) {
            Source::Output { node: n, .. } if !graph.present_for(name, &node.guard) => {
                (names::arm_wire_check(node.span()), &graph.nodes[n].path)
            }
            Source::Output { node: n, output } => {
                let producer = &graph.nodes[n];
                if written_alike(written, producer.meta.written_output(output)) {
                    return user_located(node, value);
                }
                (names::wire_check(node.span()), &producer.path)
            }
            Source::Field { extract, field } => {
                return self.field_checked(index, param, (extract, field), access, value)
            }
            Source::Input(i) | Source::Bound(i) => {
                let first = match graph.source_of(name) {
                    Source::Input(_) => &graph.inputs[i],
                    _ => &graph.bound[i],
                };
                if (first.node, first.param) == (index, param) {
                    return value;
                }
                let first_reader = &graph.nodes[first.node].meta.params[first.param];
                if written_alike(written, first_reader.written) {
                    return user_located(node, value);
                }
                let check = names::same_input_check(node.span());
                (check, &graph.nodes[first.node].path)
            }
        };
        let (want, this) = (self.types.param(index, param), &node.path);
        let check = quote_spanned!(node.span()=> #check::<#want, #producer, #this>);
        match access {
            Access::Ref => user_spanned(node, quote!(#check::wire_ref), value),
            Access::Move | Access::Clone => user_spanned(node, quote!(#check::wire), value),
        }
    }

    /// An extracted field read by parameter `param` of node `index`, its type checked against
    /// the parameter's, the error at the field's name in the extraction.
    pub(super) fn field_checked(
        &self,
        index: usize,
        param: usize,
        (extract, field): (usize, usize),
        access: Access,
        value: TokenStream,
    ) -> TokenStream {
        let graph = self.graph;
        let extract = &graph.extracts[extract];
        let span = extract.fields[field].0.span();
        let (want, whole, this) = (
            self.types.param(index, param),
            &extract.ty,
            &graph.nodes[index].path,
        );
        let check = names::field_wire_check(span);
        let method = match access {
            Access::Ref => quote!(wire_ref),
            Access::Move | Access::Clone => quote!(wire),
        };
        let check = quote_spanned!(span=> #check::<#want, #whole, #this>::#method);
        quote_spanned!(span=> #check({ #value }))
    }

    /// A cached node's key part for value `name`: the value, borrowed (a field checked).
    pub(super) fn key_value(&self, index: usize, name: &Ident) -> TokenStream {
        let node = &self.graph.nodes[index];
        let value = self.access(name, Access::Ref, node);
        match self.graph.source_of(name) {
            Source::Field { extract, field } => {
                let param = node
                    .meta
                    .params
                    .iter()
                    .position(|p| &p.name == name)
                    .expect("a key part is a parameter");
                self.field_checked(index, param, (extract, field), Access::Ref, value)
            }
            _ => value,
        }
    }

    /// The value called `name`, borrowed, moved or cloned for `consumer`, wherever it lives:
    /// a local (an `Option` when a masked node produced it), an input (an `Arg` in a masked
    /// call) or a bound value on the pipeline (never moved out).
    pub(super) fn access(&self, name: &Ident, access: Access, consumer: &Node) -> TokenStream {
        let krate = self.types.krate;
        let value = local(name);
        let borrowed = match self.graph.source_of(name) {
            Source::Field { extract, field } => {
                let extract = &self.graph.extracts[extract];
                let whole = self.access(&extract.source, Access::Ref, consumer);
                let (ty, field) = (&extract.ty, &extract.fields[field].0);
                let borrowed = quote!(&#krate::__private::field_of::<#ty>(#whole).#field);
                return match access {
                    Access::Ref => borrowed,
                    Access::Move | Access::Clone => self.clone_from(borrowed, consumer),
                };
            }
            Source::Bound(_) => {
                let field = private_ident("bound", name);
                let borrowed = quote!(&*self.#field);
                return match access {
                    Access::Ref => borrowed,
                    Access::Move | Access::Clone => self.clone_from(borrowed, consumer),
                };
            }
            Source::Input(_) if self.maskable_call() => {
                if access == Access::Move {
                    return quote!(#krate::__private::OwnedArg::owned(#value));
                }
                quote!(#krate::__private::Arg::get(&#value))
            }
            // Only some arms made it: the reader takes the `Option` itself.
            Source::Output { .. }
                if self.optional(name) && !self.graph.present_for(name, &consumer.guard) =>
            {
                if access == Access::Move {
                    return quote!(#value);
                }
                quote!(&#value)
            }
            Source::Output { .. } if self.optional(name) => {
                if access == Access::Move {
                    return quote!(#krate::__private::present(#value));
                }
                quote!(#krate::__private::present_ref(&#value))
            }
            _ => {
                if access == Access::Move {
                    return quote!(#value);
                }
                quote!(&#value)
            }
        };
        match access {
            Access::Clone => self.clone_from(borrowed, consumer),
            _ => borrowed,
        }
    }

    /// A clone of a borrowed value for `consumer`, which takes it by value.
    pub(super) fn clone_from(&self, borrowed: TokenStream, consumer: &Node) -> TokenStream {
        let this = &consumer.path;
        let check = names::clone_for_helper(consumer.span());
        let check = quote_spanned!(consumer.span()=> #check::<#this, _>);
        user_spanned(consumer, check, borrowed)
    }

    /// A clone of local `value` for `consumer` (see [`Body::clone_from`]).
    pub(super) fn clone_of(&self, value: &Ident, consumer: &Node) -> TokenStream {
        self.clone_from(quote!(&#value), consumer)
    }

    pub(super) fn call(&self, node: &Node, args: &[TokenStream]) -> TokenStream {
        let krate = self.types.krate;
        let name = node.meta.name.to_string();
        match node.meta.kind {
            Kind::Pipeline => unreachable!("nested pipelines are called by `nested_node`"),
            // One item: the node's per-item twin, with the item's own values.
            Kind::Function if node.meta.per_item => {
                let twin = names::per_item_method();
                let path = &node.path;
                self.call_path(node, quote_spanned!(node.span()=> #path::#twin), args)
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
        let path = &node.path;
        self.call_path(node, quote!(#path), args)
    }

    /// The function at `path` called for `node` with `args`: awaited for an `async fn`, its
    /// `Err` leaving with `?` for a fallible node.
    fn call_path(&self, node: &Node, path: TokenStream, args: &[TokenStream]) -> TokenStream {
        let krate = self.types.krate;
        let name = node.meta.name.to_string();
        let call = quote_spanned!(node.span()=> #path(#(#args),*));
        let call = match (node.meta.asynchronous, self.in_future) {
            (false, _) => call,
            (true, true) => quote!(#call.await),
            (true, false) => quote!(#krate::__private::block_on(#call)),
        };
        match node.meta.fallible {
            true => quote_spanned! {node.span()=>
                #krate::__private::node_result(#name, #call)?
            },
            false => call,
        }
    }

    /// Counts one use of `name`; whether another use comes after it.
    pub(super) fn use_once(&mut self, name: &Ident) -> bool {
        let left = self
            .remaining
            .get_mut(&self.graph.root(name).to_string())
            .expect("every use is counted");
        *left -= 1;
        *left > 0
    }

    /// Whether a node not generated yet, or the outputs, still read `name`.
    pub(super) fn used_later(&self, name: &Ident) -> bool {
        self.remaining
            .get(&self.graph.root(name).to_string())
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
            (Kind::Pipeline, _) => quote!((#(#names,)*)),
            (Kind::Function, [single]) => single.clone(),
            (Kind::Function, many) => quote!((#(#many),*)),
        }
    }
}
