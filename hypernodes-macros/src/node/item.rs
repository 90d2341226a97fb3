//! The parts of a node function the macro reads. The body stays tokens: parsing it would cost
//! every build time for nothing, and rustc reports its syntax errors itself.

use proc_macro2::{Delimiter, Group};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Signature, Visibility};

pub struct NodeFn {
    pub vis: Visibility,
    pub sig: Signature,
}

impl Parse for NodeFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let body: Group = input.parse()?;
        if body.delimiter() != Delimiter::Brace || !input.is_empty() {
            return Err(input.error("expected a function body"));
        }
        Ok(NodeFn { vis, sig })
    }
}
