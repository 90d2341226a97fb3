//! Per-node steps over a unit of items, so that stage-based engines (streaming) can run the
//! nodes of one pipeline apart, each on its own workers. A unit travels between stages as
//! `__Hypernodes<Name>Columns`: one `Vec<Option<T>>` per value, one slot per item, and the
//! items' errors. `columns` fills it from the inputs, `step(k)` runs the `k`-th node in run
//! order over the unit (a batched pipeline runs its units the same way), `finish` hands each item's
//! outcome to a collector.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use super::body::Body;
use super::framing;
use super::names::{self, hooks_ident, shared_ident, worker_ident, Types};
use super::surface::Surface;
use crate::fq::{FqDefault, FqIntoIterator, FqIterator, FqOption, FqResult, FqVec};
use crate::pipeline::model::graph::Source;
use crate::pipeline::parse::header::Header;

/// The hidden columns struct and the pipeline's `Staged` impl working on it. Only a batched
/// pipeline needs them to run `map`; any other pipeline runs node by node only on streaming
/// stages, so its steps are compiled only with the `streaming` feature.
pub fn generate(types: &Types, header: &Header, surface: &Surface) -> TokenStream {
    let (columns_fn, finish_fn, step_fn) = (
        names::columns_method(),
        names::finish_method(),
        names::step_method(),
    );
    let (fq_option, fq_vec) = (FqOption, FqVec);
    let krate = types.krate;
    let graph = types.graph;
    if !super::columns::batched(graph) && !types.features.streaming {
        return TokenStream::new();
    }
    let name = &header.name;
    let vis = &header.vis;
    let columns_ty = names::columns_type(name);
    let cols = names::unit_columns();
    let (n, first, failed) = (names::unit_len(), names::unit_first(), names::unit_failed());
    let limits = names::limiters_field();

    // Inputs have columns from the start; outputs from the step of the node producing them.
    let mut fields: Vec<Ident> = graph
        .inputs
        .iter()
        .map(|i| names::column_field(&i.name))
        .collect();
    let mut field_types: Vec<TokenStream> = surface
        .input_types
        .iter()
        .map(|ty| quote!(#FqVec<#FqOption<#ty>>))
        .collect();
    let mut body = Body::new(types, &header.config);
    let mut arms = Vec::new();
    for (position, &index) in graph.order.iter().enumerate() {
        let node = &graph.nodes[index];
        let taken_arms = body.column_arms_before(index);
        let code = match node.meta.batch {
            true => body.batch_step(index),
            false => body.item_step(index),
        };
        // A field is read from its structured value's column.
        let mut read: Vec<&Ident> = Vec::new();
        for p in node.meta.params.iter().filter(|p| !p.mode.is_stateful()) {
            let name = graph.root(&p.name);
            if !matches!(graph.source_of(name), Source::Bound(_)) && !read.contains(&name) {
                read.push(name);
            }
        }
        let produced: Vec<(usize, &Ident)> = node
            .meta
            .outputs
            .iter()
            .enumerate()
            .filter(|(_, o)| body.used_later(o))
            .collect();
        for &(output, value) in &produced {
            // One column for a value several arms produce, each filling its own items' slots.
            let field = names::column_field(value);
            if fields.contains(&field) {
                continue;
            }
            let ty = types.output(index, output);
            fields.push(field);
            field_types.push(quote!(#FqVec<#FqOption<#ty>>));
        }
        let (read_locals, read_fields): (Vec<Ident>, Vec<Ident>) = read
            .iter()
            .map(|r| (names::column_local(r), names::column_field(r)))
            .unzip();
        let (lent_locals, lent_fields): (Vec<Ident>, Vec<Ident>) = read
            .iter()
            .filter(|r| body.lent(r))
            .map(|r| (names::lent_local(r), names::lent_field(r)))
            .unzip();
        let stores = produced.iter().map(|(_, o)| {
            let (column, field) = (names::column_local(o), names::column_field(o));
            match graph.producers_of(o).len() {
                1 => quote!(#cols.#field = #column;),
                _ => quote!(#krate::__private::merge_column(&mut #cols.#field, #column);),
            }
        });
        arms.push(quote! {
            #position => {
                #taken_arms
                #(let #read_locals = &mut #cols.#read_fields;)*
                #(let #lent_locals = &#cols.#lent_fields;)*
                #code
                #(#stores)*
            }
        });
    }
    let input_fields = &surface.input_fields;
    let input_locals = &surface.input_locals;
    let input_columns: Vec<Ident> = graph
        .inputs
        .iter()
        .map(|i| names::column_field(&i.name))
        .collect();
    let arm_fields: Vec<Ident> = (0..graph.branches.len()).map(names::arm_field).collect();
    let live = names::live_field();
    // Emptied first: a step writing a value's column finds it empty, as in a new unit.
    let empty = quote! {
        #(#cols.#fields.clear();)*
        #(#cols.#arm_fields.clear();)*
        #cols.#live.clear();
        #cols.failed.clear();
    };
    // With Arrow, an input only batch nodes borrow can be lent by a record batch's column.
    let lendable: Vec<usize> = (0..graph.inputs.len())
        .filter(|&i| body.lent(&graph.inputs[i].name))
        .collect();
    let lent_fields: Vec<Ident> = lendable
        .iter()
        .map(|&i| names::lent_field(&graph.inputs[i].name))
        .collect();
    let lent_types = lendable.iter().map(|&i| &surface.input_types[i]);
    let slots = types.features.arrow.then(|| {
        let slots_fn = names::slots_method();
        let places = graph.inputs.iter().enumerate().rev().fold(quote!(()), |rest, (i, input)| {
            let column = names::column_field(&input.name);
            let place = match lendable.contains(&i) {
                true => {
                    let lent = names::lent_field(&input.name);
                    quote!(#krate::__private::InputSlot::lendable(&mut #cols.#column, &mut #cols.#lent))
                }
                false => quote!(#krate::__private::InputSlot::values(&mut #cols.#column)),
            };
            quote!((#place, #rest))
        });
        quote! {
            // A pipeline without inputs has `()` for places.
            #[allow(clippy::unused_unit)]
            fn #slots_fn<'a>(
                &self,
                #first: usize,
                #n: usize,
                #cols: &'a mut #columns_ty,
            ) -> <Self as #krate::__private::Plumbing>::Slots<'a> {
                #empty
                #cols.failed.resize_with(#n, || #FqOption::None);
                #cols.first = #first;
                #cols.n = #n;
                #places
            }
        }
    });
    let Surface {
        inputs_ty,
        outputs_ty,
        output_fields,
        ..
    } = surface;
    let output_columns: Vec<Ident> = output_fields
        .iter()
        .map(|o| names::column_field(o))
        .collect();
    // A value only some arms produce is the `Option` its slot holds.
    let output_values =
        output_columns
            .iter()
            .enumerate()
            .map(|(k, column)| match graph.partial_output(k) {
                true => quote!(#column[i].take()),
                false => quote!(#column[i].take().expect("a live item has every value")),
            });
    let (shared, worker, hooks) = (shared_ident(), worker_ident(), hooks_ident());
    let shared_ty = names::shared_type(name);
    let running_binding = framing::running_binding(krate, quote!(#shared.#limits));
    let imports = body.imports();
    let steps = graph.order.len();

    let definition = quote! {
        /// A unit of items between the steps of a staged run; not public API.
        #[doc(hidden)]
        #[allow(non_snake_case)]
        #[derive(#FqDefault)]
        #vis struct #columns_ty {
            first: usize,
            n: usize,
            failed: #FqVec<#FqOption<#krate::Error>>,
            #live: #FqVec<usize>,
            #(#fields: #field_types,)*
            #(#arm_fields: #fq_vec<usize>,)*
            #(#lent_fields: #krate::__private::Lent<#lent_types>,)*
        }
    };
    let items = quote! {
        type Columns = #columns_ty;
        const STEPS: usize = #steps;

        fn #columns_fn<H, I>(&self, #hooks: &H, #first: usize, items: I, #cols: &mut #columns_ty)
        where
            H: #krate::__private::Hooks,
            I: #FqIntoIterator<Item = #inputs_ty>,
        {
            #empty
            #(#cols.#lent_fields.clear();)*
            let items = #FqIntoIterator::into_iter(items);
            let room = #FqIterator::size_hint(&items).0;
            #(#cols.#input_columns.reserve(room);)*
            let mut #n = 0usize;
            for item in items {
                let #inputs_ty { #(#input_fields: #input_locals),* } = item;
                #(#cols.#input_columns.push(#fq_option::Some(#input_locals));)*
                #n += 1;
            }
            #cols.failed.resize_with(#n, || #FqOption::None);
            #cols.first = #first;
            #cols.n = #n;
            for i in 0..#n {
                #krate::__private::item_start(#hooks, &#krate::__private::Scope::map_item(Self::INFO.name, #first + i));
            }
        }

        #slots

        #[allow(
            unused_braces,
            unused_variables,
            unused_mut,
            clippy::let_unit_value,
            clippy::unit_arg,
            clippy::redundant_closure
        )]
        fn #step_fn<H: #krate::__private::Hooks>(
            &self,
            #shared: &#shared_ty,
            #worker: usize,
            #hooks: &H,
            step: usize,
            #cols: &mut #columns_ty,
        ) {
            #imports
            let #n = #cols.n;
            let #first = #cols.first;
            #running_binding
            let #failed = &mut #cols.failed;
            match step {
                #(#arms)*
                _ => {}
            }
        }

        fn #finish_fn<C: #krate::__private::Collect<#outputs_ty>, H: #krate::__private::Hooks>(
            &self,
            #hooks: &H,
            #cols: &mut #columns_ty,
            out: &mut C,
        ) -> bool {
            let first = #cols.first;
            #(let #output_columns = &mut #cols.#output_columns;)*
            let mut go_on = true;
            for (i, failure) in #cols.failed.iter_mut().enumerate() {
                let result = match failure.take() {
                    #FqOption::Some(error) => #FqResult::Err(error),
                    #FqOption::None => #FqResult::Ok(#outputs_ty {
                        #(#output_fields: #output_values,)*
                    }),
                };
                #krate::__private::item_end(#hooks, &#krate::__private::Scope::map_item(Self::INFO.name, first + i), &result);
                if !#krate::__private::Collect::push(out, result) {
                    go_on = false;
                    break;
                }
            }
            // Values no item took are dropped now, as with the unit's end; the buffers stay.
            #(#cols.#fields.clear();)*
            #(#cols.#arm_fields.clear();)*
            #cols.failed.clear();
            go_on
        }
    };
    quote! {
        #definition
        impl #krate::__private::Staged for #name {
            #items
        }
    }
}
