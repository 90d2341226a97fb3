//! Procedural macros of [hypernodes](https://docs.rs/hypernodes). Use them through the
//! `hypernodes` crate, which documents them and re-exports everything they generate code for.

#![deny(missing_docs)]

#[cfg(feature = "cache")]
mod cache_key;
mod config;
mod errors;
mod features;
mod fq;
mod keyed;
mod krate;
mod meta;
mod node;
mod pipeline;
mod std_type;

use proc_macro::TokenStream;

/// Turns a function into a pipeline node. See the `hypernodes` crate for the full guide.
///
/// ```
/// use hypernodes::{node, pipeline};
/// #[node(output = "cleaned")]
/// fn clean(text: String) -> String { text.trim().to_lowercase() }
/// pipeline! { Clean = [clean] }
/// assert_eq!(Clean::new().run(CleanInputs { text: " Hi ".into() }).unwrap().cleaned, "hi");
/// ```
#[proc_macro_attribute]
pub fn node(args: TokenStream, item: TokenStream) -> TokenStream {
    node::expand(args.into(), item.into()).into()
}

/// Marks an item a node uses from outside its body (a `const`, a helper function...): a node
/// naming it in `#[node(uses(..))]` folds its code into its cache key. See the `hypernodes`
/// crate.
///
/// ```
/// use hypernodes::{keyed, node};
/// #[keyed]
/// const SCALE: u64 = 10;
/// #[node(uses(SCALE))]
/// fn scale(x: u64) -> u64 { x * SCALE }
/// assert_eq!(scale(2), 20);
/// ```
#[proc_macro_attribute]
pub fn keyed(args: TokenStream, item: TokenStream) -> TokenStream {
    keyed::expand(args.into(), item.into()).into()
}

/// Derives `CacheKey`: every field, with its name, joins a cache key. See
/// `hypernodes::cache::CacheKey`.
///
/// ```
/// use hypernodes::cache::{CacheKey, Key};
/// #[derive(CacheKey)]
/// struct Query { text: String, limit: u32 }
/// let key = |q: &Query| Key::builder(1, 0).value(q).unwrap().finish();
/// assert_ne!(key(&Query { text: "a".into(), limit: 1 }), key(&Query { text: "a".into(), limit: 2 }));
/// ```
#[cfg(feature = "cache")]
#[proc_macro_derive(CacheKey, attributes(cache_key))]
pub fn derive_cache_key(input: TokenStream) -> TokenStream {
    cache_key::derive(input.into()).into()
}

/// First step of `pipeline!` (called by its `macro_rules!` front in the runtime crate).
#[doc(hidden)]
#[proc_macro]
pub fn __pipeline_front(input: TokenStream) -> TokenStream {
    pipeline::front::expand(input.into()).into()
}

/// Last step of `pipeline!`: every node's metadata has arrived; build and check the graph.
#[doc(hidden)]
#[proc_macro]
pub fn __pipeline_impl(input: TokenStream) -> TokenStream {
    pipeline::expand(input.into()).into()
}
