//! `pipeline!`'s final step: every node's metadata has arrived through the chain.

mod codegen;
pub mod front;
mod graph;
mod header;
mod info;
mod render;

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{bracketed, parenthesized, Path, Token};

use crate::meta::NodeMeta;
use graph::{Graph, Node};
use header::TrustedHeader;

struct ImplInput {
    krate: TokenStream,
    header: header::Header,
    nodes: Vec<Node>,
}

/// `@version { [krate] header } [ ([path] meta)* ] [this macro's path] []`: the chain's last step.
impl Parse for ImplInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        input.parse::<Token![@]>()?;
        input.parse::<syn::Ident>()?; // the chain version
        let context;
        syn::braced!(context in input);
        let krate;
        bracketed!(krate in context);
        let krate = krate.parse()?;
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
            nodes.push(Node { path, meta });
        }
        input.parse::<proc_macro2::Group>()?; // this macro's own path
        input.parse::<proc_macro2::Group>()?; // nothing left to call
        Ok(ImplInput {
            krate,
            header,
            nodes,
        })
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let ImplInput {
        krate,
        header,
        nodes,
    } = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    if nodes.iter().any(|n| n.meta.poisoned) {
        // The node's own error is already reported; more from here would only be noise.
        return TokenStream::new();
    }
    match Graph::build(&header, nodes) {
        Ok(graph) => {
            let mut errors = crate::errors::Errors::default();
            graph.check_visibility(&header, &mut errors);
            let errors = errors.into_compile_errors();
            let pipeline = codegen::generate(&krate, &header, &graph);
            quote::quote!(#errors #pipeline)
        }
        Err(e) => {
            let errors = e.into_compile_error();
            let quiet = poisoned_meta_macro(&header);
            quote::quote!(#errors #quiet)
        }
    }
}

/// A pipeline with errors still answers to its name as a node, so the pipelines that list it
/// stay quiet instead of adding "cannot find macro" to the error that matters.
fn poisoned_meta_macro(header: &header::Header) -> TokenStream {
    let meta = NodeMeta {
        kind: crate::meta::Kind::Pipeline,
        name: header.name.clone(),
        vis: crate::meta::Vis::of(&header.vis),
        fallible: true,
        params: Vec::new(),
        outputs: Vec::new(),
        config: Default::default(),
        poisoned: true,
    };
    crate::meta::emit_meta_macro(&header.vis, &header.name, &meta)
}
