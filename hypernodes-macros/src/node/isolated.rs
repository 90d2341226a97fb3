//! `use_process = true`: what a node needs to run in worker processes. Its twin type says what
//! crosses (`Isolated`: a unique key, the owned arguments, the value), and a registration gives
//! worker processes its serving code: decode the arguments, build the stateful resources once,
//! call the function as written.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Ident;

use super::item::NodeFn;

use super::signature::Signature;
use crate::config::{Config, Key, Value};
use crate::errors::Errors;
use crate::fq::FqResult;
use crate::krate::Krate;
use crate::meta::{unique_suffix, Mode};

/// Whether the node's own config asks for process isolation.
pub fn requested(config: &Config) -> bool {
    config.get(Key::UseProcess) == Some(Value::Bool(true))
}

/// The kinds of node process isolation does not cover yet, each a compile error on its token.
pub fn check(func: &NodeFn, batch: bool, config: &Config, errors: &mut Errors) {
    if !requested(config) {
        if let Some(entry) = config.entries.iter().find(|e| e.key == Key::TimeoutMs) {
            errors.push(syn::Error::new(
                entry.span,
                "`timeout_ms` bounds calls in worker processes, and this node runs in the \
                 caller's: add `use_process = true` (a call in this process cannot be stopped \
                 safely, a worker process can be killed)",
            ));
        }
        return;
    }
    let span = config
        .entries
        .iter()
        .find(|e| e.key == Key::UseProcess)
        .map_or_else(Span::call_site, |e| e.span);
    if let Some(asyncness) = &func.sig.asyncness {
        errors.at(
            asyncness,
            "an `async fn` node cannot set `use_process`: its calls overlap on one thread; \
             make it a plain `fn` to isolate it",
        );
    }
    if batch {
        errors.push(syn::Error::new(
            span,
            "a batch node cannot set `use_process` yet: isolate a per-item node instead",
        ));
    }
}

/// The `Isolated` facts and the worker registration of node `name`.
pub fn expand(krate: &Krate, func: &NodeFn, sig: &Signature, config: &Config) -> TokenStream {
    let name = &func.sig.ident;
    let timeout_ms = match config.get(Key::TimeoutMs) {
        Some(Value::Int(ms)) => ms,
        _ => 0,
    };
    let key = format!("{name}_{}", unique_suffix(name));
    let mut arg_types = Vec::new();
    let mut arg_locals = Vec::new();
    let mut state_types = Vec::new();
    let mut state_locals = Vec::new();
    let mut call_args = Vec::new();
    for (position, (param, ty)) in sig.params.iter().zip(&sig.param_types).enumerate() {
        let local = Ident::new(&format!("__hypernodes_p{position}"), Span::mixed_site());
        match param.mode {
            Mode::Value | Mode::Ref => {
                arg_types.push(ty.clone());
                arg_locals.push(local.clone());
            }
            Mode::Stateful | Mode::StatefulMut => {
                state_types.push(ty.clone());
                state_locals.push(local.clone());
            }
        }
        call_args.push(match param.mode {
            Mode::Value => quote!(#local),
            Mode::Ref => quote!(&#local),
            Mode::Stateful => quote!(&*#local),
            Mode::StatefulMut => quote!(&mut *#local),
        });
    }
    let output_types = &sig.output_types;
    let value_ty = match output_types.as_slice() {
        [single] => quote!(#single),
        many => quote!((#(#many),*)),
    };
    let call = quote!(#name(#(#call_args),*));
    let result = match sig.fallible {
        true => quote!(#krate::__private::NodeResult::into_result(#call)),
        false => quote!(#FqResult::Ok(#call)),
    };
    let ctx = format_ident!("__hypernodes_ctx", span = Span::mixed_site());
    let name_str = name.to_string();
    quote! { #krate::__private::if_process! { #name_str
        impl #krate::__private::Isolated for #name {
            const KEY: &'static str = #key;
            const TIMEOUT_MS: u64 = #timeout_ms;
            type Args = (#(#arg_types,)*);
            type Value = #value_ty;
        }

        #krate::__private::inventory::submit! {
            #krate::__private::WorkerEntry {
                key: #key,
                serve: |stream, #ctx| #krate::__private::serve_node::<#name, (#(#state_types,)*)>(
                    stream,
                    #ctx,
                    |#ctx| #FqResult::Ok((#(<#state_types as #krate::Stateful>::create(#ctx)?,)*)),
                    |(#(#arg_locals,)*), (#(#state_locals,)*)| #result,
                ),
            }
        }
    }}
}
