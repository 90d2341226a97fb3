//! `#[keyed]`: an item outside a node's body (a `const`, a helper function...) whose code joins
//! the cache keys of the nodes that name it in `uses(..)`. Beside the item it writes its token
//! hash as a hidden constant, so changing the item changes those keys.

use proc_macro2::TokenStream;
use quote::quote;

use crate::meta::{code_hash, keyed_code};

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    if !args.is_empty() {
        let error = syn::Error::new_spanned(&args, "`#[keyed]` takes no arguments");
        let error = error.into_compile_error();
        return quote!(#item #error);
    }
    let parsed: syn::Item = match syn::parse2(item.clone()) {
        Ok(parsed) => parsed,
        Err(error) => {
            let error = error.into_compile_error();
            return quote!(#item #error);
        }
    };
    let named = match &parsed {
        syn::Item::Const(c) => Some((&c.vis, &c.ident)),
        syn::Item::Static(s) => Some((&s.vis, &s.ident)),
        syn::Item::Fn(f) => Some((&f.vis, &f.sig.ident)),
        syn::Item::Struct(s) => Some((&s.vis, &s.ident)),
        syn::Item::Enum(e) => Some((&e.vis, &e.ident)),
        syn::Item::Type(t) => Some((&t.vis, &t.ident)),
        _ => None,
    };
    let Some((vis, name)) = named else {
        let error = syn::Error::new_spanned(
            &item,
            "`#[keyed]` goes on a named item a node uses: a `const`, `static`, `fn`, `struct`, `enum` or `type`",
        )
        .into_compile_error();
        return quote!(#item #error);
    };
    let code = proc_macro2::Literal::u64_suffixed(code_hash(&item));
    let constant = keyed_code(name);
    quote! {
        #item
        #[doc(hidden)]
        #[allow(non_upper_case_globals, dead_code)]
        #vis const #constant: u64 = #code;
    }
}
