//! `#[derive(CacheKey)]`: a value that writes every field into a cache key. Attributes are read
//! first (`attr`), then the impl is written (`expand`); on an error the impl is still written,
//! empty, so the only errors the user sees are the ones about their attributes.

mod attr;
mod expand;

use proc_macro2::TokenStream;

use crate::errors::Errors;

pub fn derive(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error(),
    };
    let mut errors = Errors::default();
    let container = attr::container(&input.attrs, &mut errors);
    let body = expand::body(&input, &mut errors);
    let body = if errors.is_empty() {
        body
    } else {
        TokenStream::new()
    };
    let mut out = expand::implementation(&input, &container, body);
    out.extend(errors.into_compile_errors());
    out
}
