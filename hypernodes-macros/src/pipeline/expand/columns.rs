//! The code of one node's step over a unit of items (see `steps.rs`): values kept in columns
//! (one `Vec<Option<T>>` per value, one slot per item), a per-item node called item by item, a
//! batch node called once per batch of the items still alive. A failed item leaves the later
//! nodes' batches; the others carry on.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Ident;

use super::body::Body;
use super::framing;
use super::names::{
    self, hooks_ident, local, private_ident, running_ident, scope_ident, shared_ident, user_spanned,
};
use crate::fq::{FqOption, FqResult, FqVec};
use crate::meta::Mode;
use crate::pipeline::model::graph::Source;

impl Body<'_> {
    /// A per-item node, item by item: its values are taken out of their columns, the node runs
    /// (with its own panic guard), and values later nodes still need go back.
    pub(super) fn item_step(&mut self, index: usize) -> TokenStream {
        let fq_option = FqOption;
        if self.graph.nodes[index].meta.asynchronous {
            return self.async_step(index);
        }
        let krate = self.types.krate;
        let node = &self.graph.nodes[index];
        let (n, failed, i, first) = (
            names::unit_len(),
            names::unit_failed(),
            names::item_index(),
            names::unit_first(),
        );
        let ItemCall {
            take,
            code,
            kept_slots,
            kept_locals,
            kept_columns,
            out_locals,
            out_columns,
        } = self.item_call(index);
        let out_buffers = self.out_buffers(index, false);
        let name = node.meta.name.to_string();
        let (scope, item_scope) = (scope_ident(), names::item_scope());
        let calls_binding = framing::calls_binding(krate);
        let other_arm = self.arm_taken(index).map(|taken| quote!(|| !(#taken)));
        quote! {
            #(let mut #out_columns = #out_buffers;)*
            for #i in 0..#n {
                if #failed[#i].is_some() #other_arm {
                    #(#out_columns.push(#fq_option::None);)*
                    continue;
                }
                #(#take)*
                let #item_scope = #krate::__private::Scope::map_item(Self::INFO.name, #first + #i);
                let #scope = &#item_scope;
                #calls_binding
                let result = #krate::__private::catching(#name, move || -> #FqResult<_, #krate::Error> {
                    #code
                    #FqResult::Ok(((#(#out_locals,)*), (#(#kept_locals,)*)))
                });
                match result {
                    #FqResult::Ok(((#(#out_locals,)*), (#(#kept_locals,)*))) => {
                        #(#out_columns.push(#fq_option::Some(#out_locals));)*
                        #(#kept_columns[#i] = #kept_slots;)*
                    }
                    #FqResult::Err(error) => {
                        #failed[#i] = #FqOption::Some(error.at_item(#first + #i));
                        #(#out_columns.push(#fq_option::None);)*
                    }
                }
            }
        }
    }

    /// One item's call of node `index` in a column step: its values taken out of their
    /// columns, the node's code, and the values to put back (read later) or store (produced).
    fn item_call(&mut self, index: usize) -> ItemCall {
        let node = &self.graph.nodes[index];
        let i = names::item_index();
        // Bound inputs live on the pipeline, not in columns.
        // A field is read from its structured value, taken out of its column once.
        let mut wired: Vec<&Ident> = Vec::new();
        for p in node.meta.params.iter().filter(|p| !p.mode.is_stateful()) {
            let name = self.graph.root(&p.name);
            if !matches!(self.graph.source_of(name), Source::Bound(_)) && !wired.contains(&name) {
                wired.push(name);
            }
        }
        // A value only some arms produce is read as the `Option` it is in its column.
        let partial = |name: &Ident| !self.graph.present_for(name, &node.guard);
        let take = wired
            .iter()
            .map(|name| {
                let (local, column) = (local(name), names::column_local(name));
                match partial(name) {
                    true => quote!(let #local = #column[#i].take();),
                    false => {
                        quote!(let #local = #column[#i].take().expect("a live item has every value");)
                    }
                }
            })
            .collect();
        let code = self.node(index);
        let kept: Vec<&Ident> = wired
            .into_iter()
            .filter(|name| self.used_later(name))
            .collect();
        let kept_slots = kept
            .iter()
            .map(|k| {
                let value = local(k);
                match partial(k) {
                    true => quote!(#value),
                    false => quote!(#FqOption::Some(#value)),
                }
            })
            .collect();
        let (kept_locals, kept_columns) = kept
            .into_iter()
            .map(|k| (local(k), names::column_local(k)))
            .unzip();
        let (out_locals, out_columns) = node
            .meta
            .outputs
            .iter()
            .filter(|o| self.used_later(o))
            .map(|o| (local(o), names::column_local(o)))
            .unzip();
        ItemCall {
            take,
            code,
            kept_slots,
            kept_locals,
            kept_columns,
            out_locals,
            out_columns,
        }
    }

    /// An `async fn` node over the unit: one future per live item (owning the item's values,
    /// sharing the step's stateful instances), all awaited together with at most the node's
    /// `max_concurrency` in flight; each item's outcome lands in its own slot.
    fn async_step(&mut self, index: usize) -> TokenStream {
        let (fq_option, fq_vec) = (FqOption, FqVec);
        let krate = self.types.krate;
        let node = &self.graph.nodes[index];
        let (failed, i, first) = (
            names::unit_failed(),
            names::item_index(),
            names::unit_first(),
        );
        let live = names::unit_live();
        self.in_future = true;
        let ItemCall {
            take,
            code,
            kept_slots,
            kept_locals,
            kept_columns,
            out_locals,
            out_columns,
        } = self.item_call(index);
        self.in_future = false;
        let out_buffers = self.out_buffers(index, true);
        let (live_items, keep_live) = self.live_items(index);
        let hoisted = std::mem::take(&mut self.hoisted);
        let name = node.meta.name.to_string();
        let (scope, item_scope) = (scope_ident(), names::item_scope());
        let (outcomes, futures) = (names::outcomes(), names::futures());
        quote! {
            #(let mut #out_columns: #fq_vec<#fq_option<_>> = #out_buffers;)*
            #live_items
            let #outcomes = #krate::__private::catching(#name, || -> #FqResult<_, #krate::Error> {
                #(#hoisted)*
                let #futures: #FqVec<_> = #live.iter().map(|&#i| {
                    #(#take)*
                    let #item_scope = #krate::__private::Scope::map_item(Self::INFO.name, #first + #i);
                    #krate::__private::guarded(#name, async move {
                        let #scope = &#item_scope;
                        #code
                        #FqResult::Ok(((#(#out_locals,)*), (#(#kept_locals,)*)))
                    })
                }).collect();
                #FqResult::Ok(#krate::__private::run_all(#futures))
            });
            match #outcomes {
                #FqResult::Ok(outcomes) => {
                    for (&#i, outcome) in #live.iter().zip(outcomes) {
                        match outcome {
                            #FqResult::Ok(((#(#out_locals,)*), (#(#kept_locals,)*))) => {
                                #(#out_columns[#i] = #fq_option::Some(#out_locals);)*
                                #(#kept_columns[#i] = #kept_slots;)*
                            }
                            #FqResult::Err(error) => {
                                #failed[#i] = #FqOption::Some(error.at_item(#first + #i));
                            }
                        }
                    }
                }
                #FqResult::Err(error) => {
                    for &#i in &#live {
                        #failed[#i] = #FqOption::Some(error.for_batch_item().at_item(#first + #i));
                    }
                }
            }
            #keep_live
        }
    }

    /// A batch node: the live items in batches of the node's `batch_size`, one call per batch.
    pub(super) fn batch_step(&mut self, index: usize) -> TokenStream {
        let krate = self.types.krate;
        let graph = self.graph;
        let node = &graph.nodes[index];
        let this = &node.path;
        let (failed, first) = (names::unit_failed(), names::unit_first());
        let (chunk, live) = (names::chunk(), names::unit_live());
        let running = running_ident();
        let shared = shared_ident();
        let hooks = hooks_ident();
        let batch_field = private_ident("batch", index);
        let mut setup = Vec::new();
        let mut objects = self.stateful_args(index, &mut setup);
        let mut gathered = Vec::new();
        let mut put_back = Vec::new();
        let mut args = Vec::new();
        for (param, p) in node.meta.params.iter().enumerate() {
            if p.mode.is_stateful() {
                args.push(objects.remove(&param).expect("checked out"));
                continue;
            }
            let later_use = self.use_once(&p.name);
            let (vector, column) = (names::batch_values(&p.name), names::column_local(&p.name));
            let want = self.types.param(index, param);
            if let Source::Field {
                extract: e,
                field: f,
            } = graph.source_of(&p.name)
            {
                // A copy of the field per item; the structured value stays in its column.
                let extract = &graph.extracts[e];
                let whole = match graph.source_of(&extract.source) {
                    Source::Bound(_) => {
                        self.access(&extract.source, super::body::Access::Ref, node)
                    }
                    _ => {
                        let column = names::column_local(&extract.source);
                        quote!(#krate::__private::present_ref(&#column[i]))
                    }
                };
                let (ty, name) = (&extract.ty, &extract.fields[f].0);
                let item = self.clone_from(
                    quote!(&#krate::__private::field_of::<#ty>(#whole).#name),
                    node,
                );
                let item =
                    self.field_checked(index, param, (e, f), super::body::Access::Clone, item);
                gathered.push(quote! {
                    let #vector: #FqVec<#want> = #chunk.iter().map(|&i| #item).collect();
                });
                args.push(match p.mode {
                    Mode::Ref => quote!(&#vector),
                    _ if self.retries(node) > 0 => {
                        let copy = names::clone_for_retry_helper(node.span());
                        let copy = quote_spanned!(node.span()=> #copy::<#this, _>);
                        user_spanned(node, copy, quote!(&#vector))
                    }
                    _ => quote!(#vector),
                });
                continue;
            }
            let (check, producer) = match graph.source_of(&p.name) {
                Source::Output { node: from, .. } => {
                    (names::wire_check(node.span()), &graph.nodes[from].path)
                }
                Source::Input(input) => (
                    names::same_input_check(node.span()),
                    &graph.nodes[graph.inputs[input].node].path,
                ),
                Source::Bound(bound) => (
                    names::same_input_check(node.span()),
                    &graph.nodes[graph.bound[bound].node].path,
                ),
                Source::Field { .. } => unreachable!("fields are gathered above"),
            };
            let bound = matches!(graph.source_of(&p.name), Source::Bound(_));
            let check = quote_spanned!(node.span()=> #check::<#want, #producer, #this>::wire);
            let partial = !graph.present_for(&p.name, &node.guard);
            let check = match partial {
                true => {
                    let producer = &graph.nodes[graph.producers_of(&p.name)[0].0].path;
                    let arm_wire = names::arm_wire_check(node.span());
                    quote_spanned!(node.span()=> #arm_wire::<#want, #producer, #this>::wire)
                }
                false => check,
            };
            let item = match bound {
                // Each item of the batch gets its own copy of the bound value.
                true => self.access(&p.name, super::body::Access::Clone, node),
                false if partial => quote!(#column[i].take()),
                false => quote!(#column[i].take().expect("a live item has every value")),
            };
            let slot = match partial {
                true => quote!(value),
                false => quote!(#FqOption::Some(value)),
            };
            let item = user_spanned(node, check, item);
            let lent = self.lent(&p.name).then(|| names::lent_local(&p.name));
            gathered.push(match &lent {
                // The batch's own column when it is lent, else the values taken from theirs.
                Some(lent) => quote! {
                    let #vector = match #lent.rows(#first, #chunk) {
                        #FqOption::Some(rows) => rows,
                        #FqOption::None => #krate::__private::Lending::Owned(
                            #chunk.iter().map(|&i| #item).collect::<#FqVec<#want>>(),
                        ),
                    };
                },
                None => quote! {
                    let #vector: #FqVec<#want> = #chunk.iter().map(|&i| #item).collect();
                },
            });
            let retried = self.retries(node) > 0;
            args.push(match (p.mode, later_use) {
                (Mode::Ref, _) => quote!(&#vector),
                (_, _) if retried => {
                    let copy = names::clone_for_retry_helper(node.span());
                    let copy = quote_spanned!(node.span()=> #copy::<#this, _>);
                    user_spanned(node, copy, quote!(&#vector))
                }
                (_, true) => self.clone_of(&vector, node),
                (_, false) => quote!(#vector),
            });
            if later_use && !bound {
                put_back.push(match &lent {
                    // A lent column stays lent; only values taken from their column go back.
                    Some(lent) => quote! {
                        if let #krate::__private::Lending::Owned(values) = #vector {
                            if !#lent.is_lent() {
                                for (&i, value) in #chunk.iter().zip(values) {
                                    #column[i] = #slot;
                                }
                            }
                        }
                    },
                    None => quote! {
                        for (&i, value) in #chunk.iter().zip(#vector) {
                            #column[i] = #slot;
                        }
                    },
                });
            }
        }
        let name = node.meta.name.to_string();
        let values = self.function_call(node, &args);
        // Each call has its own panic guard; with retries, each attempt does.
        let (guard, retries) = match self.retries(node) {
            0 => (quote!(#krate::__private::catching), None),
            retries => {
                let retries = u32::try_from(retries).unwrap_or(u32::MAX);
                let retrying = names::retrying_helper(Span::call_site());
                (quote!(#retrying), Some(quote!(#retries,)))
            }
        };
        let call = quote! {
            #guard(#name, #retries || -> #FqResult<_, #krate::Error> {
                #(#setup)*
                #FqResult::Ok(#values)
            })
        };
        let output = node.meta.outputs.first();
        let produced = output.filter(|o| self.used_later(o));
        let store = match produced {
            Some(o) => {
                let column = names::column_local(o);
                let value = match graph.producers_of(o).first() {
                    Some(&(first, output)) if first != index => {
                        let check = self.same_arm_check(index, first, output);
                        user_spanned(node, check, quote!(value))
                    }
                    _ => quote!(value),
                };
                quote! {
                    for (&i, value) in #chunk.iter().zip(values) {
                        #column[i] = #FqOption::Some(#value);
                    }
                }
            }
            None => quote!(let _ = values;),
        };
        let declare = produced.map(|o| {
            let column = names::column_local(o);
            let buffer = self.column_buffer(o, true);
            quote!(let mut #column: #FqVec<#FqOption<_>> = #buffer;)
        });
        let (live_items, keep_live) = self.live_items(index);
        let (limits, position) = (names::limiters_field(), self.graph.position(index));
        let held_permit = names::permit();
        let permit = quote!(let #held_permit = #shared.#limits.enter(#position););
        let (batch_scope, clock) = (names::batch_scope(), names::clock());
        quote! {
            #declare
            #live_items
            for #chunk in #live.chunks(#shared.#batch_field) {
                #(#gathered)*
                #running.set(#name);
                let #batch_scope = #krate::__private::Scope::map_item(Self::INFO.name, #first + #chunk[0]);
                let #clock = #krate::__private::node_start(#hooks, &#batch_scope, #name, #chunk.len());
                #permit
                let result = #call.and_then(|values| #krate::__private::batch_values(#name, #chunk.len(), values));
                match result {
                    #FqResult::Ok(values) => {
                        #krate::__private::node_end(#hooks, &#batch_scope, #name, #chunk.len(), #clock);
                        #store
                    }
                    #FqResult::Err(error) => {
                        for &i in #chunk {
                            #failed[i] = #FqOption::Some(error.for_batch_item().at_item(#first + i));
                        }
                    }
                }
                #(#put_back)*
            }
            #keep_live
        }
    }

    /// Whether `value` is an input whose column a record batch may lend to the batch nodes
    /// reading it (`map_batch`, with Arrow): they get the column's rows as they are.
    pub(super) fn lent(&self, value: &Ident) -> bool {
        self.types.features.arrow
            && matches!(self.graph.input_index(value), Some(input) if self.graph.input_lendable(input))
    }

    /// The columns node `index` writes, one per value it produces that is read later (see
    /// [`Body::column_buffer`]).
    fn out_buffers(&self, index: usize, filled: bool) -> Vec<TokenStream> {
        let node = &self.graph.nodes[index];
        node.meta
            .outputs
            .iter()
            .filter(|o| self.used_later(o))
            .map(|o| self.column_buffer(o, filled))
            .collect()
    }

    /// A column for `value`, written by the step of the node producing it: one slot pushed per
    /// item, or `filled` with `n` empty slots. When one node produces the value, that is the
    /// unit's own buffer for it, kept from the unit before; when several arms do, each writes
    /// a column of its own that `merge_column` joins to the field.
    fn column_buffer(&self, value: &Ident, filled: bool) -> TokenStream {
        let krate = self.types.krate;
        let n = names::unit_len();
        let single = self.graph.producers_of(value).len() == 1;
        match (single, filled) {
            (true, _) => {
                let (cols, field) = (names::unit_columns(), names::column_field(value));
                let reuse = match filled {
                    true => quote!(reuse_column_filled),
                    false => quote!(reuse_column),
                };
                quote!(#krate::__private::#reuse(&mut #cols.#field, #n))
            }
            (false, true) => quote!((0..#n).map(|_| #FqOption::None).collect()),
            (false, false) => quote!(#FqVec::with_capacity(#n)),
        }
    }

    /// The items of the unit node `index` runs on (alive, and in its arm) as `live`, in the
    /// unit's own buffer for them; and the statement giving that buffer back.
    fn live_items(&self, index: usize) -> (TokenStream, TokenStream) {
        let (cols, field, live) = (
            names::unit_columns(),
            names::live_field(),
            names::unit_live(),
        );
        let (n, failed, i) = (names::unit_len(), names::unit_failed(), names::item_index());
        let this_arm = self.arm_taken(index).map(|taken| quote!(&& #taken));
        let krate = self.types.krate;
        let take = quote! {
            let mut #live: #FqVec<usize> = #krate::__private::reuse(&mut #cols.#field);
            #live.extend((0..#n).filter(|&#i| #failed[#i].is_none() #this_arm));
        };
        (take, quote!(#cols.#field = #live;))
    }
}

impl Body<'_> {
    /// Whether item `i` of the unit took the arm node `index` sits in (`None`: it sits in no
    /// branch). The innermost arm is enough: an item outside an enclosing arm never reached
    /// the inner branch.
    fn arm_taken(&self, index: usize) -> Option<TokenStream> {
        let &(branch, arm) = self.graph.nodes[index].guard.last()?;
        let (cols, i, field) = (
            names::unit_columns(),
            names::item_index(),
            names::arm_field(branch),
        );
        Some(quote!(#cols.#field[#i] == #arm))
    }

    /// The arm each item of the unit takes at the branches around node `index` not computed
    /// yet (outermost first), stored in the unit's columns for the later steps.
    pub(super) fn column_arms_before(&mut self, index: usize) -> TokenStream {
        let krate = self.types.krate;
        let graph = self.graph;
        let node = &graph.nodes[index];
        let (cols, n, failed, i) = (
            names::unit_columns(),
            names::unit_len(),
            names::unit_failed(),
            names::item_index(),
        );
        let mut statements = Vec::new();
        for &(b, _) in &node.guard {
            if !self.start_arms(b) {
                continue;
            }
            let branch = &graph.branches[b];
            self.use_once(&branch.value);
            let value = match graph.source_of(&branch.value) {
                Source::Bound(_) => self.access(&branch.value, super::body::Access::Ref, node),
                _ => {
                    let field = names::column_field(&branch.value);
                    quote!(#krate::__private::present_ref(&#cols.#field[#i]))
                }
            };
            let outer = branch.guard.last().map(|&(outer, arm)| {
                let field = names::arm_field(outer);
                quote!(|| #cols.#field[#i] != #arm)
            });
            let field = names::arm_field(b);
            let arm_of = names::arm_method(b);
            statements.push(quote! {
                let #field: #FqVec<usize> = (0..#n)
                    .map(|#i| {
                        if #failed[#i].is_some() #outer {
                            return #krate::__private::NOT_REACHED;
                        }
                        Self::#arm_of(#value)
                    })
                    .collect();
                #cols.#field = #field;
            });
        }
        quote!(#(#statements)*)
    }
}

/// One item's call in a column step (see `Body::item_call`).
struct ItemCall {
    take: Vec<TokenStream>,
    code: TokenStream,
    kept_locals: Vec<Ident>,
    /// What goes back into each column still read later: the value, as its slot holds it.
    kept_slots: Vec<TokenStream>,
    kept_columns: Vec<Ident>,
    out_locals: Vec<Ident>,
    out_columns: Vec<Ident>,
}

/// The parameters of `__hypernodes_unit`: first item index, items, collector.
pub fn unit_params() -> (Ident, Ident, Ident) {
    (names::unit_first(), names::unit_items(), names::unit_out())
}

/// Whether any node that runs is a batch node or an `async fn`: the pipeline then runs unit by
/// unit, so a batch node sees batches and an async node's calls of one unit overlap.
pub fn batched(graph: &crate::pipeline::model::graph::Graph) -> bool {
    graph
        .order
        .iter()
        .any(|&n| graph.nodes[n].meta.batch || graph.nodes[n].meta.asynchronous)
}
