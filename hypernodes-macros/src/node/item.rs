//! The parts of a node function the macro reads. The body stays tokens: parsing it would cost
//! every build time for nothing, and rustc reports its syntax errors itself.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Signature, Visibility};

pub struct NodeFn {
    pub vis: Visibility,
    pub sig: Signature,
}

impl NodeFn {
    /// The function's visibility and signature. Only the tokens before the body go to syn: a
    /// parse buffer copies every token it is given out of the compiler, the body's included,
    /// which made a node's build time grow with its body.
    pub fn read(item: &TokenStream) -> syn::Result<NodeFn> {
        let mut head: Vec<TokenTree> = item.clone().into_iter().collect();
        match head.pop() {
            Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => {}
            Some(last) => return Err(syn::Error::new(last.span(), "expected a function body")),
            None => return Err(syn::Error::new_spanned(item, "expected a function")),
        }
        syn::parse2(head.into_iter().collect())
    }
}

impl Parse for NodeFn {
    /// Attributes, visibility and signature, and nothing after them.
    fn parse(input: ParseStream) -> syn::Result<Self> {
        input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("expected a function body"));
        }
        Ok(NodeFn { vis, sig })
    }
}
