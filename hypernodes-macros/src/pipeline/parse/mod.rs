//! Parse: the `pipeline!` input (its header and list, in `front`), the nested-use syntax, and
//! the chain's last step, where every node's metadata has arrived.

pub mod front;
pub mod header;
pub mod list;
pub mod usage;

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{bracketed, parenthesized, Path, Token};

use crate::krate::Krate;
use crate::meta::NodeMeta;
use header::TrustedHeader;

/// The chain's last step, parsed: the runtime's path, the header, every node with its metadata
/// and how the list uses it.
pub struct ImplInput {
    pub krate: Krate,
    pub header: header::Header,
    /// Each listed node's path and the metadata its macro sent.
    pub nodes: Vec<(Path, NodeMeta)>,
    /// How each node is used, in list order: `()` or `(inputs(..), ..)`.
    pub usages: Vec<TokenStream>,
    /// The list's branches.
    pub branches: Vec<list::Branch>,
    /// The arms each node sits in, in list order.
    pub guards: Vec<list::Guard>,
    /// The list's field extractions.
    pub extracts: Vec<list::Extract>,
}

/// `@version { [krate] [usages] [branches] [guards] [extracts] header } [ ([path] meta)* ] [this macro's path] []`: the chain's last step.
impl Parse for ImplInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        input.parse::<Token![@]>()?;
        input.parse::<syn::Ident>()?; // the chain version
        let context;
        syn::braced!(context in input);
        let krate;
        bracketed!(krate in context);
        let krate = krate.parse()?;
        let usages_group;
        bracketed!(usages_group in context);
        let mut usages = Vec::new();
        while !usages_group.is_empty() {
            let usage;
            parenthesized!(usage in usages_group);
            usages.push(usage.parse()?);
        }
        let branches = list::parse_branches(&context)?;
        let guards_group;
        bracketed!(guards_group in context);
        let mut guards = Vec::new();
        while !guards_group.is_empty() {
            guards.push(list::parse_guard(&guards_group)?);
        }
        let extracts = list::parse_extracts(&context)?;
        let TrustedHeader(header) = context.parse()?;
        let list;
        bracketed!(list in input);
        let mut nodes = Vec::new();
        while !list.is_empty() {
            let entry;
            parenthesized!(entry in list);
            let path;
            bracketed!(path in entry);
            let path = path.call(Path::parse_mod_style)?;
            let meta: NodeMeta = entry.parse()?;
            nodes.push((path, meta));
        }
        input.parse::<proc_macro2::Group>()?; // this macro's own path
        input.parse::<proc_macro2::Group>()?; // nothing left to call
        Ok(ImplInput {
            krate,
            header,
            nodes,
            usages,
            branches,
            guards,
            extracts,
        })
    }
}
