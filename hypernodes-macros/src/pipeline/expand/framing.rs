//! How node calls are framed: the `Running` a body's calls report to, the panic guard that
//! reads it, and the `NodeCalls` a body's plain calls go through.

use proc_macro2::TokenStream;
use quote::quote;

use super::names::{self, hooks_ident, running_ident, scope_ident};
use crate::krate::Krate;

/// `let running_cell = Running::new(&limits); let running = &running_cell;`: the `Running`
/// of calls that are not under a guard of their own.
pub fn running_binding(krate: &Krate, limits: TokenStream) -> TokenStream {
    let (running, running_cell) = (running_ident(), names::running_cell());
    quote! {
        let #running_cell = #krate::__private::Running::new(&#limits);
        let #running = &#running_cell;
    }
}

/// A `Running` over `limits` and the panic guard around `call`, which reads it as
/// `names::running_cell()`: the error of a panic names the node that was running.
pub fn guarded(krate: &Krate, limits: TokenStream, call: TokenStream) -> TokenStream {
    let running_cell = names::running_cell();
    quote! {
        let #running_cell = #krate::__private::Running::new(&#limits);
        #krate::__private::run_catching(&#running_cell, || { #call })
    }
}

/// `let calls = NodeCalls::new(running, hooks, scope);`: what a body's plain node calls enter
/// and leave through.
pub fn calls_binding(krate: &Krate) -> TokenStream {
    let (calls, running) = (names::calls_ident(), running_ident());
    let (hooks, scope) = (hooks_ident(), scope_ident());
    quote! {
        let #calls = #krate::__private::NodeCalls::new(#running, #hooks, #scope);
    }
}
