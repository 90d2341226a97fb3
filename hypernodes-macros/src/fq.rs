//! Fully qualified paths of the std items generated code uses, spelled here once (bevy's
//! `fq_std`): code written inside a user's crate must not pick up their own `Option` or `Vec`.
//! Each is a unit value to interpolate, `quote!(#FqOption::Some(x))`.
//!
//! The paths are taken segment by segment: `quote!` writes an identifier directly, but a `$path`
//! fragment it can only re-parse from its text, a slow path at every use.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

macro_rules! fq {
    ($($name:ident => $($segment:ident)::+),* $(,)?) => {
        $(
            #[doc = concat!("`", $("::", stringify!($segment)),+, "`.")]
            pub struct $name;

            impl ToTokens for $name {
                fn to_tokens(&self, tokens: &mut TokenStream) {
                    tokens.extend(quote!($(:: $segment)+));
                }
            }
        )*
    };
}

fq! {
    FqOption => core::option::Option,
    FqResult => core::result::Result,
    FqVec => std::vec::Vec,
    FqClone => core::clone::Clone,
    FqArc => std::sync::Arc,
    FqIntoIterator => core::iter::IntoIterator,
    FqIterator => core::iter::Iterator,
    FqDefault => core::default::Default,
    FqFn => core::ops::Fn,
    FqFnOnce => core::ops::FnOnce,
    FqSend => core::marker::Send,
    FqSync => core::marker::Sync,
}
