//! The generated pipeline: its struct, a straight-line `run`, the facts that let it be a node of
//! another pipeline, and its metadata macro.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use super::body::Body;
use super::names::{
    self, hooks_ident, local, private_ident, scope_ident, shared_ident, user_spanned, worker_ident,
    Types,
};
use super::surface::Surface;
use crate::features::Features;
use crate::fq::{
    FqArc, FqClone, FqDefault, FqFn, FqFnOnce, FqIntoIterator, FqOption, FqResult, FqSend, FqSync,
    FqVec,
};
use crate::krate::Krate;
use crate::meta::{
    emit_meta_macro, emit_types, emit_value_aliases, Kind, Mode, NodeMeta, Param, Vis,
};
use crate::pipeline::model::graph::{Graph, Source};
use crate::pipeline::parse::header::Header;

pub fn generate(krate: &Krate, header: &Header, graph: &Graph, features: Features) -> TokenStream {
    let item_body_fn = names::item_body_method();
    let (running, running_cell) = (names::running_ident(), names::running_cell());
    let (call_fn, handle_fn, item_fn, run_fn, shared_fn, unit_fn) = (
        names::call_method(),
        names::handle_method(),
        names::item_method(),
        names::run_method(),
        names::shared_method(),
        names::unit_method(),
    );
    let identity_fn = names::identity_method();
    let arrow_methods = super::arrow::methods(krate, features);
    let (fq_arc, fq_clone, fq_option) = (FqArc, FqClone, FqOption);
    let (cache_field, single_field) = (names::cache_field(), names::single_field());
    let types = Types {
        krate,
        graph,
        features,
    };
    let surface = Surface::new(&types, header);
    let Surface {
        inputs_ty,
        outputs_ty,
        input_fields,
        input_locals,
        input_types,
        ..
    } = &surface;
    let name = &header.name;
    let name_str = name.to_string();
    let vis = &header.vis;
    let shared_ty = names::shared_type(name);
    let (shared, worker) = (shared_ident(), worker_ident());
    let (hooks, scope) = (hooks_ident(), scope_ident());

    let stateful = Stateful::of(&types);
    let Stateful {
        fields: stateful_fields,
        factories,
        types: stateful_types,
        names: stateful_names,
    } = &stateful;
    let (nested_fields, nested_types, nested_positions) = nested(graph);
    let limits = names::limiters_field();
    let (batch_fields, batch_positions) = batch_nodes(graph);
    let (process_fields, process_paths, process_positions) = isolated_nodes(graph);
    // Runs that share only limiters use the runtime's precompiled struct and cell for it.
    let limits_only = stateful_fields.is_empty()
        && nested_fields.is_empty()
        && batch_fields.is_empty()
        && process_fields.is_empty();
    let (shared_def, single_ty) = match limits_only {
        true => (
            quote! {
                #[doc(hidden)]
                #vis type #shared_ty = #krate::__private::SharedLimits;
            },
            quote!(#krate::__private::SingleLimits),
        ),
        false => (
            quote! {
                /// What the workers of one run share; not public API.
                #[doc(hidden)]
                #vis struct #shared_ty {
                    #(#stateful_fields: #krate::__private::Instances<#stateful_types>,)*
                    #limits: #krate::__private::Limiters,
                    #(#batch_fields: usize,)*
                    #(#process_fields: #krate::__private::Processes,)*
                    #(#nested_fields: <#nested_types as #krate::__private::Plumbing>::Shared,)*
                }
            },
            quote!(#FqArc<#krate::__private::OnceCell<#shared_ty>>),
        ),
    };
    // A batched pipeline's workers keep their last unit's columns; others keep nothing.
    let columns_ty = names::columns_type(name);
    let scratch_ty = match super::columns::batched(graph) {
        true => quote!(#columns_ty),
        false => quote!(()),
    };
    // A batched pipeline runs each unit through its steps: one columnar path, shared with
    // streaming stages, and no second copy of it.
    let unit = super::columns::batched(graph).then(|| {
        let (first, items, out) = super::columns::unit_params();
        let scratch = names::unit_scratch();
        let rows_unit = features.arrow.then(|| {
            let rows_unit_fn = names::rows_unit_method();
            quote! {
                #[inline]
                fn #rows_unit_fn<C, H, F>(
                    &self,
                    #shared: &#shared_ty,
                    #worker: usize,
                    #scratch: &mut #columns_ty,
                    #hooks: &H,
                    #first: usize,
                    n: usize,
                    fill: F,
                    #out: &mut C,
                ) -> #FqOption<bool>
                where
                    C: #krate::__private::Collect<#outputs_ty>,
                    H: #krate::__private::Hooks,
                    F: #FqFnOnce(<Self as #krate::__private::Plumbing>::Slots<'_>),
                {
                    #FqOption::Some(#krate::__private::staged_rows_unit(
                        self, #shared, #worker, #scratch, #hooks, (#first, n), fill, #out,
                    ))
                }
            }
        });
        quote! {
            const BATCHED: bool = true;

            #[inline]
            fn #unit_fn<C, H, I>(
                &self,
                #shared: &#shared_ty,
                #worker: usize,
                #scratch: &mut #columns_ty,
                #hooks: &H,
                #first: usize,
                #items: I,
                #out: &mut C,
            ) -> bool
            where
                C: #krate::__private::Collect<#outputs_ty>,
                H: #krate::__private::Hooks,
                I: #FqIntoIterator<Item = #inputs_ty>,
            {
                #krate::__private::staged_unit(self, #shared, #worker, #scratch, #hooks, #first, #items, #out)
            }

            #rows_unit
        }
    });

    let slots = slots(&types, &surface);

    let structs = surface.structs(krate, header, graph);
    let cache_ty = super::cache::table_ident(header);
    let cache = super::cache::generate(krate, header, &types);
    let builder = builder(krate, header, &stateful, &types);
    let bound_view = bound_view(header, &types, false);
    let output_types = &surface.output_types;
    let values_ty = quote!((#(#fq_option<#output_types>,)*));
    let body = Body::new(&types, &header.config).generate();
    let arg_types: Vec<Ident> = (0..input_locals.len())
        .map(|i| format_ident!("A{}", i))
        .collect();
    // Nodes side by side lend the inputs to other threads.
    let threads = header.config.get(crate::config::Key::ConcurrentNodes)
        == Some(crate::config::Value::Bool(true));
    let arg_traits = (0..input_locals.len()).map(|i| {
        let arg = match graph.input_taken_by_value(i) {
            true => format_ident!("OwnedArg"),
            false => format_ident!("Arg"),
        };
        let ty = &input_types[i];
        match threads {
            true => quote!(#krate::__private::#arg<#ty> + #FqSend + #FqSync),
            false => quote!(#krate::__private::#arg<#ty>),
        }
    });
    // The parameters every per-item method takes, in this order.
    let item_context = quote! {
        #shared: &#shared_ty,
        #worker: usize,
        #hooks: &H,
        #scope: &#krate::__private::Scope<'_>,
    };
    let item_statements = Body::new(&types, &header.config).generate_item(outputs_ty);
    // The per-item bodies are generated statements: blocks, unit values and closures that
    // hand-written code would not have.
    let body_lints = quote! {
        #[allow(
            unused_braces,
            unused_variables,
            clippy::too_many_arguments,
            clippy::let_unit_value,
            clippy::unit_arg,
            clippy::redundant_closure
        )]
    };
    // The panic guard around the out-of-line body rather than inside it: a body inlined into
    // the guard's closure is optimized again there, with its values moved through the guard's
    // memory. A 50-node release rebuild: 1,037 -> 928 M instructions (callgrind).
    let guarded_item = super::framing::guarded(
        krate,
        quote!(#shared.#limits),
        quote!(self.#item_body_fn(#shared, #worker, #hooks, #scope, &#running_cell, inputs)),
    );
    let Bound {
        fields: bound_fields,
        types: bound_types,
        values: bound_values,
    } = Bound::of(&types, header);
    let pruned = pruned_checks(&types);
    let arm_outputs = arm_output_checks(&types);
    let arm_fns = arm_functions(&types);
    let async_nodes = graph
        .order
        .iter()
        .map(|&n| &graph.nodes[n])
        .filter(|node| node.meta.asynchronous)
        .map(|node| {
            let name = node.meta.name.to_string();
            quote_spanned!(node.span()=> #krate::__private::require_async! { #name })
        });
    let info = super::info::generate(krate, header, graph);
    let first_async = first_async(graph);
    let as_node = as_node(krate, header, graph, &surface);
    let passthrough = &header.passthrough;
    let fields = super::fields::conversions(&surface, types.features);
    let staged = super::steps::generate(&types, header, &surface);
    let map_bound = quote! {
        for<'a> &'a Self: #krate::__private::MapOn<#krate::__private::Parallel, I::IntoIter, Inputs = #inputs_ty, Outputs = #outputs_ty>
    };

    quote! {
        #(#passthrough)*
        #vis struct #name {
            #(#factories: #fq_option<#krate::__private::Factory<#stateful_types>>,)*
            #(#nested_fields: #nested_types,)*
            #(#bound_fields: #fq_arc<#bound_types>,)*
            #cache_field: #FqOption<#cache_ty>,
            #single_field: #single_ty,
        }

        #shared_def

        #staged

        #structs
        #builder
        #bound_view
        #cache

        impl #name {
            #(#arm_fns)*

            /// A pipeline ready to run; stateful resources are built on first use, with
            /// `Stateful::create` (see `builder` to give factories instead).
            pub fn new() -> Self {
                #name {
                    #(#factories: #fq_option::None,)*
                    #(#nested_fields: <#nested_types>::new(),)*
                    #(#bound_fields: #fq_arc::new(#bound_values),)*
                    #cache_field: #FqOption::None,
                    #single_field: #FqDefault::default(),
                }
            }

            /// Runs every needed node once, in topological order.
            ///
            /// A node's `Err` or panic stops the run and comes back as an error naming the node.
            /// Stateful resources are built on the first run and kept by the pipeline value.
            pub fn run(&self, inputs: #inputs_ty) -> #FqResult<#outputs_ty, #krate::Error> {
                <Self as #krate::__private::Plumbing>::#run_fn(self, &#krate::__private::NoHooks, inputs)
            }

            /// Runs every item on the default engine (`Parallel`, on
            /// rayon's global pool), keeping input order; stops at the first error, which names
            /// the node and the item index. Stateful resources are built once per worker.
            pub fn map<I>(&self, items: I) -> #FqResult<#FqVec<#outputs_ty>, #krate::Error>
            where
                I: #FqIntoIterator<Item = #inputs_ty>,
                #map_bound
            {
                #krate::__private::MapOn::map_on(self, #krate::__private::Parallel::new(), #FqIntoIterator::into_iter(items))
            }

            /// Runs every item on the default engine and returns each item's outcome in input
            /// order: a failing item never loses the others.
            pub fn map_results<I>(&self, items: I) -> #FqVec<#FqResult<#outputs_ty, #krate::Error>>
            where
                I: #FqIntoIterator<Item = #inputs_ty>,
                #map_bound
            {
                #krate::__private::MapOn::map_results_on(self, #krate::__private::Parallel::new(), #FqIntoIterator::into_iter(items))
            }

            /// This pipeline on `engine`: `p.with_engine(Sequential).map(items)`. The runner
            /// holds a handle of its own, sharing this pipeline's stateful instances, so it may
            /// outlive `self` (`let r = P::new().with_engine(e);`).
            pub fn with_engine<E: #krate::__private::Engine>(&self, engine: E) -> #krate::__private::Runner<'static, Self, E> {
                #krate::__private::Runner::owning(self.#handle_fn(), engine)
            }

            /// This pipeline on the default engine, telling `hooks` what happens:
            /// `p.with_hooks(h).run(inputs)` or `.map(items)`.
            pub fn with_hooks<H: #krate::__private::Hooks>(&self, hooks: H) -> #krate::__private::Runner<'static, Self, #krate::__private::Parallel, H> {
                self.with_engine(#krate::__private::Parallel::new()).with_hooks(hooks)
            }

            /// Every node's settings on the default engine and where each came from.
            pub fn plan(&self) -> #krate::__private::Plan {
                self.with_engine(#krate::__private::Parallel::new()).plan()
            }

            #arrow_methods

            // Always inline (into a nested call's site): LLVM then optimizes the body once, in
            // its caller, rather than once as a function of its own and again where it is
            // inlined. A 50-node release rebuild: 739 -> 715 M instructions; dev builds are
            // unchanged.
            #[doc(hidden)]
            #[inline(always)]
            #body_lints
            pub fn #call_fn<const MASK: u64, H: #krate::__private::Hooks, #(#arg_types: #arg_traits),*
            >(
                &self,
                #item_context
                #running: &#krate::__private::Running<'_>,
                #(#input_locals: #arg_types,)*
            ) -> #FqResult<#values_ty, #krate::Error> {
                #body
            }

            // Out of line: LLVM optimizes the body again at every function it is inlined
            // into, and callers of an item (`run`, an engine's loop) gain nothing from seeing
            // it. A 50-node release rebuild: 1,295 -> 1,246 M instructions (callgrind).
            // Without a panic guard inside: see `__hypernodes_item`.
            #[doc(hidden)]
            #[inline(never)]
            #body_lints
            fn #item_body_fn<H: #krate::__private::Hooks>(
                &self,
                #item_context
                #running: &#krate::__private::Running<'_>,
                inputs: #inputs_ty,
            ) -> #FqResult<#outputs_ty, #krate::Error> {
                let #inputs_ty { #(#input_fields: #input_locals),* } = inputs;
                #item_statements
            }

            #info
        }

        /// A copy sharing the stateful factories, bound values and cache (each copy builds its
        /// own stateful instances when it runs).
        impl #FqClone for #name {
            fn clone(&self) -> Self {
                #name {
                    #(#factories: #fq_clone::clone(&self.#factories),)*
                    #(#nested_fields: #fq_clone::clone(&self.#nested_fields),)*
                    #(#bound_fields: #fq_clone::clone(&self.#bound_fields),)*
                    #cache_field: #FqClone::clone(&self.#cache_field),
                    #single_field: #FqDefault::default(),
                }
            }
        }

        impl #name {
            /// A copy that also shares the stateful instances already built: what an owned
            /// runner holds, so it runs exactly as the pipeline it came from would.
            #[doc(hidden)]
            pub fn #handle_fn(&self) -> Self {
                #name {
                    #(#factories: #fq_clone::clone(&self.#factories),)*
                    #(#nested_fields: #fq_clone::clone(&self.#nested_fields),)*
                    #(#bound_fields: #fq_clone::clone(&self.#bound_fields),)*
                    #cache_field: #FqClone::clone(&self.#cache_field),
                    #single_field: #FqClone::clone(&self.#single_field),
                }
            }
        }

        impl #FqDefault for #name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl #krate::Pipeline for #name {
            type Inputs = #inputs_ty;
            type Outputs = #outputs_ty;
            const INFO: #krate::__private::PipelineInfo = #name::INFO;
            fn run(&self, inputs: #inputs_ty) -> #FqResult<#outputs_ty, #krate::Error> {
                #name::run(self, inputs)
            }
        }

        impl #krate::__private::Plumbing for #name {
            type ItemInputs = #inputs_ty;
            type ItemOutputs = #outputs_ty;
            const NAME: &'static str = #name_str;
            const FIRST_ASYNC: #FqOption<&'static str> = #first_async;
            type Scratch = #scratch_ty;
            type Shared = #shared_ty;
            #fields
            #slots

            fn #identity_fn(&self) -> usize {
                #krate::__private::SingleCell::identity(&self.#single_field)
            }

            fn #shared_fn(&self, plan: &#krate::__private::Plan) -> #shared_ty {
                #shared_ty {
                    #(#stateful_fields: #krate::__private::Instances::new(
                        plan.layout(#stateful_names),
                        #fq_clone::clone(&self.#factories),
                    ),)*
                    #limits: #krate::__private::Limiters::new(plan),
                    #(#batch_fields: plan.nodes[#batch_positions].config.batch_size.value,)*
                    #(#process_fields: plan.processes(
                        #process_positions,
                        <#process_paths as #krate::__private::Isolated>::KEY,
                        <#process_paths as #krate::__private::Isolated>::TIMEOUT_MS,
                    ),)*
                    #(#nested_fields: <#nested_types as #krate::__private::Plumbing>::#shared_fn(
                        &self.#nested_fields,
                        plan.nested(#nested_positions),
                    ),)*
                }
            }

            fn #run_fn<H: #krate::__private::Hooks>(
                &self,
                #hooks: &H,
                inputs: #inputs_ty,
            ) -> #FqResult<#outputs_ty, #krate::Error> {
                #krate::__private::can_block(<Self as #krate::__private::Plumbing>::FIRST_ASYNC)?;
                let #scope = #krate::__private::Scope::root(#name_str);
                #krate::__private::hooked_run(#hooks, &#scope, || {
                    let #shared = #krate::__private::SingleCell::shared(&self.#single_field, &Self::INFO, |plan| {
                        <Self as #krate::__private::Plumbing>::#shared_fn(self, plan)
                    })?;
                    // The item path, not a copy of it: its output struct built once per pipeline.
                    <Self as #krate::__private::Plumbing>::#item_fn(self, #shared, 0, #hooks, &#scope, inputs)
                })
            }

            // The panic guard around the out-of-line body: see `guarded_item`.
            #[inline]
            fn #item_fn<H: #krate::__private::Hooks>(
                &self,
                #item_context
                inputs: #inputs_ty,
            ) -> #FqResult<#outputs_ty, #krate::Error> {
                #guarded_item
            }

            #unit
        }

        #as_node
        #pruned
        #arm_outputs
        #(#async_nodes)*
    }
}

/// The pipeline's stateful resources: instance fields, factory fields, types and names.
pub struct Stateful {
    pub fields: Vec<Ident>,
    pub factories: Vec<Ident>,
    pub types: Vec<TokenStream>,
    pub names: Vec<String>,
}

impl Stateful {
    pub fn of(types: &Types) -> Self {
        let declared = &types.graph.stateful;
        Stateful {
            fields: declared
                .iter()
                .map(|s| private_ident("stateful", &s.name))
                .collect(),
            factories: declared
                .iter()
                .map(|s| private_ident("factory", &s.name))
                .collect(),
            types: declared
                .iter()
                .map(|s| types.param(s.node, s.param))
                .collect(),
            names: declared.iter().map(|s| s.name.to_string()).collect(),
        }
    }
}

/// `#[bind(..)]` inputs: fields on the pipeline, their types and their values in `new()`.
pub struct Bound {
    pub fields: Vec<Ident>,
    pub types: Vec<TokenStream>,
    pub values: Vec<TokenStream>,
}

impl Bound {
    pub fn of(types: &Types, header: &Header) -> Self {
        let bound = &types.graph.bound;
        Bound {
            fields: bound
                .iter()
                .map(|b| private_ident("bound", &b.name))
                .collect(),
            types: bound.iter().map(|b| types.declared(b)).collect(),
            values: bound
                .iter()
                .map(|b| {
                    let (_, value) = header
                        .binds
                        .iter()
                        .find(|(name, _)| *name == b.name)
                        .expect("every bound input comes from `#[bind]`");
                    quote!(#value)
                })
                .collect(),
        }
    }
}

/// `Plumbing::FIRST_ASYNC`. Written as `None` when no node is an `async fn` or a nested
/// pipeline (which may hold one); otherwise `PipelineInfo::first_async`, which the compiler
/// evaluates over every node.
fn first_async(graph: &Graph) -> TokenStream {
    let may_await = graph
        .order
        .iter()
        .map(|&n| &graph.nodes[n].meta)
        .any(|meta| meta.asynchronous || meta.kind == Kind::Pipeline);
    if may_await {
        quote!(Self::INFO.first_async())
    } else {
        quote!(#FqOption::None)
    }
}

/// Nested pipelines: field, type and position in run order.
fn nested(graph: &Graph) -> (Vec<Ident>, Vec<&syn::Path>, Vec<usize>) {
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for (position, &n) in graph.order.iter().enumerate() {
        if graph.nodes[n].meta.kind == Kind::Pipeline {
            out.0.push(private_ident("nested", n));
            out.1.push(&graph.nodes[n].path);
            out.2.push(position);
        }
    }
    out
}

/// `use_process` nodes: the field holding their worker processes, path and position in run order.
fn isolated_nodes(graph: &Graph) -> (Vec<Ident>, Vec<&syn::Path>, Vec<usize>) {
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for (position, &n) in graph.order.iter().enumerate() {
        if super::body::isolated(&graph.nodes[n]) {
            out.0.push(private_ident("process", n));
            out.1.push(&graph.nodes[n].path);
            out.2.push(position);
        }
    }
    out
}

/// Batch nodes: the field holding the batch size and position in run order.
fn batch_nodes(graph: &Graph) -> (Vec<Ident>, Vec<usize>) {
    graph
        .order
        .iter()
        .enumerate()
        .filter(|&(_, &n)| graph.nodes[n].meta.batch)
        .map(|(position, &n)| (private_ident("batch", n), position))
        .unzip()
}

/// `<Name>Builder`: the pipeline with factories replacing `Stateful::create`.
fn builder(
    krate: &Krate,
    header: &Header,
    stateful: &Stateful,
    graph_types: &Types,
) -> TokenStream {
    let name = &header.name;
    let vis = &header.vis;
    let builder = format_ident!("{}Builder", name);
    let Stateful {
        factories,
        types,
        names,
        ..
    } = stateful;
    let methods = names.iter().zip(factories).zip(types).map(|((param, field), ty)| {
        let method = Ident::new(param, proc_macro2::Span::call_site());
        let doc = format!(
            "Builds `{param}` with `factory` on each worker (or pooled instance) instead of \
             `Stateful::create`. The factory may return the value or a `Result`."
        );
        quote! {
            #[doc = #doc]
            pub fn #method<F, R>(mut self, factory: F) -> Self
            where
                F: #FqFn(&#krate::__private::WorkerContext) -> R + #FqSend + #FqSync + 'static,
                R: #krate::__private::Built<#ty>,
            {
                self.pipeline.#field = #FqOption::Some(#FqArc::new(
                    move |ctx: &#krate::__private::WorkerContext| #krate::__private::Built::into_built(factory(ctx)),
                ));
                self
            }
        }
    });
    let bound = Bound::of(graph_types, header);
    let bound_methods = graph_types.graph.bound.iter().zip(&bound.fields).zip(&bound.types).map(|((b, field), ty)| {
        let method = Ident::new(&b.name.to_string(), proc_macro2::Span::call_site());
        let doc = format!("Fixes the bound input `{}` to `value` for every item, instead of its `#[bind]` value.", b.name);
        quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: #ty) -> Self {
                self.pipeline.#field = #FqArc::new(value);
                self
            }
        }
    });
    let doc = format!(
        "Builds a [`{name}`] with factories for its stateful resources and values for its bound inputs."
    );
    quote! {
        #[doc = #doc]
        #vis struct #builder {
            pipeline: #name,
        }

        impl #name {
            /// A builder to give factories for stateful resources.
            pub fn builder() -> #builder {
                #builder { pipeline: #name::new() }
            }
        }

        impl #builder {
            #(#methods)*
            #(#bound_methods)*

            /// The pipeline.
            pub fn build(self) -> #name {
                self.pipeline
            }
        }
    }
}

/// `<Name>Bound`: the values of the bound inputs, read back from a pipeline value with
/// `bound()`. Only a pipeline with `#[bind]` has it. In a broken pipeline's stand-in
/// (`stand_in`) it only type-checks.
pub fn bound_view(header: &Header, types: &Types, stand_in: bool) -> TokenStream {
    let graph = types.graph;
    if graph.bound.is_empty() {
        return TokenStream::new();
    }
    let (name, vis) = (&header.name, &header.vis);
    let view = format_ident!("{}Bound", name);
    let bound = Bound::of(types, header);
    let names: Vec<Ident> = graph.bound.iter().map(|b| b.name.clone()).collect();
    let docs = names
        .iter()
        .map(|n| format!("The value of the bound input `{n}`."));
    let types = &bound.types;
    let fields = &bound.fields;
    let body = match stand_in {
        true => quote!(::core::unreachable!()),
        false => quote!(#view { #(#names: &self.#fields,)* }),
    };
    let doc = format!(
        "The bound inputs of [`{name}`] (`#[bind]`, or the builder's values), from [`{name}::bound`]."
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy)]
        #vis struct #view<'a> {
            #(#[doc = #docs] pub #names: &'a #types,)*
        }

        impl #name {
            /// The values its bound inputs have in this pipeline value.
            pub fn bound(&self) -> #view<'_> {
                #body
            }
        }
    }
}

/// Nodes that `#[outputs]` made unnecessary never run, but they are still part of the pipeline:
/// their functions count as used (no `dead_code` warning) and their inputs are type-checked.
/// Every edge, even one whose types are written alike: no call follows that rustc would
/// check instead, so two types spelled alike in two scopes would otherwise pass unseen.
fn pruned_checks(types: &Types) -> TokenStream {
    let check_fn = names::check_function();
    let krate = types.krate;
    let graph = types.graph;
    let checks = graph.pruned.iter().map(|&n| {
        let node = &graph.nodes[n];
        let this = &node.path;
        let wired = node
            .meta
            .params
            .iter()
            .enumerate()
            .filter_map(|(param, p)| {
                let Source::Output { node: from, output } = graph.source_of_any(&p.name)? else {
                    return None;
                };
                let producer = &graph.nodes[from].path;
                let have = types.output(from, output);
                let want = types.param(n, param);
                let value = local(&p.name);
                // A value only some arms make reaches it as an `Option`.
                let (have, wire) = match graph.present_for(&p.name, &node.guard) {
                    true => (have, names::wire_check(node.span())),
                    false => (quote!(#FqOption<#have>), names::arm_wire_check(node.span())),
                };
                let check =
                    quote_spanned!(node.span()=> #wire::<#want, #producer, #this>::wire_ref);
                let check = user_spanned(node, check, quote!(&#value));
                let check = quote!(let _ = #check;);
                Some((quote!(#value: #have), check))
            });
        let (params, checks): (Vec<_>, Vec<_>) = wired.unzip();
        let used = (node.meta.kind == Kind::Function).then(|| quote!(let _ = #this;));
        let (wire, arm_wire) = (
            names::wire_check(Span::call_site()),
            names::arm_wire_check(Span::call_site()),
        );
        quote! {
            #[allow(unused_imports)]
            use #krate::__private::{ArmWire as #arm_wire, Wire as #wire};
            #[allow(dead_code, unused_braces, clippy::too_many_arguments)]
            fn #check_fn(#(#params),*) { #(#checks)* }
            #used
        }
    });
    quote! { #(const _: () = { #checks };)* }
}

/// Per branch that decides something, the function giving the arm an item takes: a real
/// `match` on the value, so rustc checks the patterns and their exhaustiveness, at the user's
/// tokens (the parameter is named by the value's own token).
fn arm_functions(types: &Types) -> Vec<TokenStream> {
    let graph = types.graph;
    (0..graph.branches.len())
        .filter(|&b| graph.reached(b))
        .map(|b| {
            let branch = &graph.branches[b];
            let value = &branch.value;
            let ty = match graph.source_of(value) {
                Source::Output { node, output } => types.output(node, output),
                Source::Input(i) => types.declared(&graph.inputs[i]),
                Source::Bound(i) => types.declared(&graph.bound[i]),
                // A branch never matches on an extracted field (`Graph::check_branches`).
                Source::Field { .. } => quote!(()),
            };
            let arm_of = names::arm_method(b);
            let patterns = &branch.patterns;
            let arms = 0..patterns.len();
            let scrutinee = quote_spanned!(value.span()=> *#value);
            quote! {
                #[doc(hidden)]
                #[inline(always)]
                #[allow(non_snake_case)]
                fn #arm_of(#value: &#ty) -> usize {
                    match #scrutinee { #(#patterns => #arms,)* }
                }
            }
        })
        .collect()
}

/// A value several branch arms produce has one type: each producer after the first is checked
/// against the first, the error at its token in the list.
fn arm_output_checks(types: &Types) -> TokenStream {
    let krate = types.krate;
    let graph = types.graph;
    let check_fn = names::check_function();
    let mut seen = Vec::new();
    let checks = graph
        .nodes
        .iter()
        .flat_map(|node| &node.meta.outputs)
        .filter_map(|name| {
            let producers = graph.producers_of(name);
            if producers.len() < 2 || seen.contains(&name) {
                return None;
            }
            seen.push(name);
            let (first, first_output) = producers[0];
            let want = types.output(first, first_output);
            let first_path = &graph.nodes[first].path;
            let each = producers[1..].iter().map(|&(n, o)| {
                let node = &graph.nodes[n];
                let (this, have) = (&node.path, types.output(n, o));
                let same = names::same_arm_output_check(node.span());
                let check = quote_spanned!(node.span()=> #same::<#want, #first_path, #this>::wire);
                let check = user_spanned(node, check, quote!(value));
                let same = names::same_arm_output_check(Span::call_site());
                quote! {
                    const _: () = {
                        #[allow(unused_imports)]
                        use #krate::__private::SameArmOutput as #same;
                        #[allow(dead_code, unused_braces)]
                        fn #check_fn(value: #have) -> #want { #check }
                    };
                }
            });
            Some(quote!(#(#each)*))
        });
    let checks: Vec<TokenStream> = checks.collect();
    quote!(#(#checks)*)
}

/// What a pipeline needs to be listed as a node: parameter and output types, and metadata.
fn as_node(krate: &Krate, header: &Header, graph: &Graph, surface: &Surface) -> TokenStream {
    let Surface {
        input_types,
        output_types,
        ..
    } = surface;
    let name = &header.name;
    let meta = NodeMeta {
        version: 0,
        cached: false,
        kind: Kind::Pipeline,
        name: name.clone(),
        vis: Vis::of(&header.vis),
        fallible: true,
        batch: false,
        per_item: false,
        asynchronous: false,
        params: graph
            .inputs
            .iter()
            .map(|i| Param {
                name: i.name.clone(),
                mode: Mode::Value,
                written: None,
                absolute: None,
            })
            .collect(),
        needs: graph.input_needs(),
        exposed: graph.exposed(header),
        outputs: graph
            .kept
            .iter()
            .map(|&(n, o)| graph.nodes[n].meta.outputs[o].clone())
            .collect(),
        written_outputs: Vec::new(),
        absolute_outputs: Vec::new(),
        config: Default::default(),
        poisoned: false,
    };
    let meta_macro = emit_meta_macro(&header.vis, name, &meta);
    let aliases = emit_value_aliases(&header.vis, name, input_types, output_types);
    let types = emit_types(krate, name, input_types, output_types);
    quote! {
        #types
        #aliases
        #meta_macro
    }
}

/// `Plumbing::Slots` (with Arrow): the places of a staged pipeline's inputs in its unit, as
/// nested pairs; `()` for a pipeline without steps.
fn slots(types: &Types, surface: &Surface) -> Option<TokenStream> {
    if !types.features.arrow {
        return None;
    }
    let krate = types.krate;
    let staged = super::columns::batched(types.graph) || types.features.streaming;
    let slots = match staged {
        true => surface.input_types.iter().rev().fold(
            quote!(()),
            |rest, ty| quote!((#krate::__private::InputSlot<'a, #ty>, #rest)),
        ),
        false => quote!(()),
    };
    Some(quote!(type Slots<'a> = #slots;))
}
