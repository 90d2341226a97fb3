//! The path of the runtime crate in generated code (`$crate` from `pipeline!`, `::hypernodes`
//! or the `crate = ..` a node names).

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};

/// The runtime's path, kept as loose tokens. It is written hundreds of times per pipeline:
/// interpolated as a `TokenStream`, each `#krate` cost several round trips to the compiler
/// (flush, clone, concatenate); loose tokens are appended where they stand.
#[derive(Clone)]
pub struct Krate(Vec<TokenTree>);

impl Krate {
    /// `::hypernodes`, the path users depend on.
    pub fn hypernodes() -> Krate {
        Krate::from(quote::quote!(::hypernodes))
    }
}

impl From<TokenStream> for Krate {
    fn from(path: TokenStream) -> Krate {
        Krate(path.into_iter().collect())
    }
}

impl ToTokens for Krate {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(self.0.iter().cloned());
    }
}

impl syn::parse::Parse for Krate {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Krate> {
        input.parse::<TokenStream>().map(Krate::from)
    }
}
