//! `#[node]`: keeps the function as written and adds, under the same name, a hidden struct that
//! knows the parameter and output types, and a hidden macro that hands the metadata to `pipeline!`.

mod attr;
mod isolated;
mod item;
mod signature;

use item::NodeFn;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use crate::config::{Config, Key, Value};
use crate::errors::Errors;
use crate::features::Features;
use crate::krate::Krate;
use crate::meta::{
    code_hash, emit_meta_macro, emit_types, emit_value_aliases, written_type, Kind, NodeMeta, Vis,
};

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let func = match NodeFn::read(&item) {
        Ok(func) => func,
        Err(e) => {
            let e = syn::Error::new(e.span(), "#[node] goes on a function");
            let e = e.into_compile_error();
            return quote!(#item #e);
        }
    };
    let mut errors = Errors::default();
    let args = attr::parse(args, &mut errors);
    let sig = signature::analyze(&func, &args, &mut errors);
    check_gpus(&args.config, &sig, &mut errors);
    isolated::check(&func, args.batch, &args.config, &mut errors);
    let krate = args.krate.as_ref().map_or_else(Krate::hypernodes, |path| {
        Krate::from(quote::ToTokens::to_token_stream(path))
    });
    let name = &func.sig.ident;
    let vis = &func.vis;
    let isolation = (isolated::requested(&args.config) && errors.is_empty())
        .then(|| isolated::expand(&krate, &func, &sig, &args.config));
    let per_item = per_item_twin(&func, &args, &sig, &mut errors);

    let (written_outputs, absolute_outputs) = (sig.output_types.iter())
        .map(|ty| {
            let (written, absolute) = written_type(ty);
            (Some(written), absolute)
        })
        .unzip();
    let meta = NodeMeta {
        needs: Vec::new(),
        exposed: u64::MAX,
        version: args.version,
        cached: !args.no_cache && !args.batch,
        kind: Kind::Function,
        name: name.clone(),
        vis: Vis::of(vis),
        fallible: sig.fallible,
        batch: args.batch,
        per_item: args.per_item.is_some() && args.batch,
        asynchronous: func.sig.asyncness.is_some(),
        params: sig.params,
        written_outputs,
        absolute_outputs,
        outputs: sig.outputs,
        config: args.config,
        poisoned: !errors.is_empty(),
    };
    // On error the function and the metadata macro are still emitted, so the IDE keeps working
    // and pipelines listing the node stay quiet instead of adding follow-on errors; a method
    // sits in an `impl`, where the hidden module cannot go.
    let is_method = matches!(func.sig.inputs.first(), Some(syn::FnArg::Receiver(_)));
    let meta_macro = if is_method {
        TokenStream::new()
    } else {
        emit_meta_macro(vis, name, &meta)
    };
    let type_facts = if meta.poisoned {
        TokenStream::new()
    } else {
        let in_types = &sig.param_types;
        let out_types = &sig.output_types;
        let types = emit_types(&krate, name, in_types, out_types);
        let place = name.to_string();
        // Each item of `uses(..)` by its token hash, beside it (`#[keyed]`).
        let uses = args.uses.iter().map(|path| {
            let mut path = path.clone();
            if let Some(last) = path.segments.last_mut() {
                last.ident = crate::meta::keyed_code(&last.ident);
            }
            path
        });
        let aliases = emit_value_aliases(vis, name, in_types, out_types);
        // Only cache keys read a node's code; `uses(..)` still names its items, so a wrong
        // name is an error whatever the build has.
        let node_code = (Features::BUILD.cache || !args.uses.is_empty()).then(|| {
            let code = proc_macro2::Literal::u64_suffixed(code_hash(&item));
            quote! {
                impl #krate::__private::NodeCode for #name {
                    const CODE: u64 = {
                        let code = #krate::__private::code_at(
                            #code,
                            ::core::concat!(::core::module_path!(), "::", #place),
                        );
                        #(let code = #krate::__private::code_with(code, #uses);)*
                        code
                    };
                }
            }
        });
        quote! {
            #aliases
            #[doc(hidden)]
            #[allow(non_camel_case_types, dead_code)]
            #vis struct #name {}
            #isolation
            #per_item
            #types
            #node_code
        }
    };
    let errors = errors.into_compile_errors();
    quote! {
        #item
        #type_facts
        #meta_macro
        #errors
    }
}

/// `gpus` assigns devices to the node's stateful resources: without one it would do nothing.
fn check_gpus(config: &Config, sig: &signature::Signature, errors: &mut Errors) {
    let Some(entry) = config.entries.iter().find(|e| e.key == Key::Gpus) else {
        return;
    };
    let has_state = sig.params.iter().any(|p| p.mode.is_stateful());
    if entry.value != Value::Int(0) && !has_state {
        errors.push(syn::Error::new(
            entry.span,
            "`gpus` assigns devices to the node's stateful resources, and this node has none: \
             add a stateful parameter (e.g. `stateful(model)`) that receives them through \
             `WorkerContext::devices`",
        ));
    }
}

/// `per_item = f` on a batch node: a method of the node's hidden struct that calls `f` with
/// one item's values (`&T` for `&[T]`, `T` for `Vec<T>`, stateful parameters as they are) and
/// returns one value (`Result<U, E>` for `Result<Vec<U>, E>`). Single-item calls (`run`, a
/// nested call) use it instead of a batch of one. A twin with another signature is rustc's
/// error at the path given.
fn per_item_twin(
    func: &NodeFn,
    args: &attr::NodeArgs,
    sig: &signature::Signature,
    errors: &mut Errors,
) -> Option<TokenStream> {
    let twin = args.per_item.as_ref()?;
    if !args.batch {
        errors.at(
            twin,
            "`per_item` names the one-item twin of a batch node: add `batch`, or call the function directly",
        );
        return None;
    }
    let vis = &func.vis;
    let arg = |i: usize| quote::format_ident!("__hypernodes_{}", i);
    let params = sig
        .params
        .iter()
        .zip(&sig.param_types)
        .enumerate()
        .map(|(i, (p, ty))| {
            let arg = arg(i);
            match p.mode {
                crate::meta::Mode::Value => quote!(#arg: #ty),
                crate::meta::Mode::Ref | crate::meta::Mode::Stateful => quote!(#arg: &#ty),
                crate::meta::Mode::StatefulMut => quote!(#arg: &mut #ty),
            }
        });
    let args = (0..sig.params.len()).map(arg);
    let item = sig.output_types.first()?;
    let output = match (&func.sig.output, sig.fallible) {
        (syn::ReturnType::Type(_, ty), true) => with_first_argument(ty, item),
        _ => item.clone(),
    };
    let asyncness = &func.sig.asyncness;
    let call = match asyncness {
        Some(_) => quote_spanned!(twin_span(twin)=> #twin(#(#args),*).await),
        None => quote_spanned!(twin_span(twin)=> #twin(#(#args),*)),
    };
    let name = &func.sig.ident;
    let method = crate::meta::per_item_method();
    Some(quote! {
        impl #name {
            #[doc(hidden)]
            #[inline]
            #[allow(dead_code)]
            #vis #asyncness fn #method(#(#params),*) -> #output {
                #call
            }
        }
    })
}

fn twin_span(twin: &syn::Path) -> proc_macro2::Span {
    twin.segments
        .last()
        .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span())
}

/// `Result<U, E>` from `Result<Vec<U>, E>` and `U`.
fn with_first_argument(ty: &syn::Type, item: &TokenStream) -> TokenStream {
    let mut ty = ty.clone();
    if let syn::Type::Path(path) = &mut ty {
        if let Some(last) = path.path.segments.last_mut() {
            if let syn::PathArguments::AngleBracketed(generics) = &mut last.arguments {
                if let Some(first) = generics.args.first_mut() {
                    if let Ok(item) = syn::parse2::<syn::Type>(item.clone()) {
                        *first = syn::GenericArgument::Type(item);
                    }
                }
            }
        }
    }
    quote!(#ty)
}
